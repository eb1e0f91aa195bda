#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A directory entry's name, read in place up to its NUL. Copying `d_name`, a 256-byte field, reads
/// past a record that ends sooner: readdir's last record in its buffer can end at an unmapped page,
/// and the copy then faults (it did once, listing the shared Pabulib files in a full test run).
package func _direntName(_ entry: UnsafeMutablePointer<dirent>) -> String {
  String(cString: (UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!).assumingMemoryBound(to: CChar.self))
}
