import CLAPACK

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Which BLAS and LAPACK the process loaded, for provenance.
///
/// A dynamically linked Tally loads the SONAMEs `libblas.so.3` and `liblapack.so.3`; on Debian these
/// are alternatives symlinks, so the implementation (reference netlib, OpenBLAS, ...) is chosen at run
/// time and can change without a rebuild. A statically linked one (`make release`) carries the
/// archives it was linked with (`libblas.a`, `liblapack.a`), whose implementation the process cannot
/// tell: ``linking`` says `static` and the vendor is `unknown`. Results of real-valued LAPACK calls
/// differ in the last bits between implementations (and thread counts), so outputs record which one ran.
public struct BLASBackend: Sendable, Hashable, CustomStringConvertible {
  /// `OpenBLAS` when the loaded BLAS exports `openblas_get_config`, else `reference` for Debian's
  /// netlib build (found under `/blas/`), else `unknown`.
  public var vendor: String
  /// OpenBLAS's configuration string (version, build options, core), when OpenBLAS is loaded.
  public var configuration: String?
  /// OpenBLAS's thread count, when OpenBLAS is loaded.
  public var threads: Int?
  /// The resolved path of the shared object that defines `cblas_dgemm` (the executable itself when
  /// statically linked).
  public var blasLibrary: String?
  /// The resolved path of the shared object that defines `dsyevd_` (the executable itself when
  /// statically linked).
  public var lapackLibrary: String?
  /// `shared` when BLAS and LAPACK are shared objects loaded at start, `static` when the executable
  /// is statically linked (it has no program interpreter) and carries them.
  public var linking: String = "shared"

  /// The backend of this process (computed once).
  public static let current: BLASBackend = detect()

  /// A one-line summary, e.g. `OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ... (1 thread)`.
  public var description: String {
    if let configuration { return configuration + (threads.map { " (\($0) thread\($0 == 1 ? "" : "s"))" } ?? "") }
    return vendor + (blasLibrary.map { " (\($0))" } ?? "")
  }

  /// The fields as a flat dictionary (for JSON provenance).
  public var fields: [String: String] {
    var d = ["vendor": vendor, "linking": linking]
    if let configuration { d["configuration"] = configuration }
    if let threads { d["threads"] = String(threads) }
    if let blasLibrary { d["blasLibrary"] = blasLibrary }
    if let lapackLibrary { d["lapackLibrary"] = lapackLibrary }
    return d
  }

  private static func detect() -> BLASBackend {
    // A static executable has no program interpreter (its auxiliary vector's AT_BASE is 0), and
    // dlsym finds none of its symbols.
    if interpreterBase() == 0 {
      var backend = BLASBackend(vendor: "unknown")
      backend.linking = "static"
      if let real = realpath("/proc/self/exe", nil) {
        defer { free(real) }
        backend.blasLibrary = String(cString: real)
        backend.lapackLibrary = backend.blasLibrary
      }
      return backend
    }
    let handle = dlopen(nil, RTLD_NOW)
    defer { if let handle { dlclose(handle) } }
    var config: String?
    var threads: Int?
    if let sym = dlsym(handle, "openblas_get_config") {
      typealias Fn = @convention(c) () -> UnsafePointer<CChar>?
      if let s = unsafeBitCast(sym, to: Fn.self)() { config = String(cString: s) }
      if let t = dlsym(handle, "openblas_get_num_threads") {
        typealias TFn = @convention(c) () -> Int32
        threads = Int(unsafeBitCast(t, to: TFn.self)())
      }
    }
    let blas = library(defining: "cblas_dgemm", handle)
    let lapack = library(defining: "dsyevd_", handle)
    let vendor: String
    if config != nil {
      vendor = "OpenBLAS"
    } else if let blas, blas.contains("/blas/") {
      vendor = "reference"
    } else {
      vendor = "unknown"
    }
    return BLASBackend(vendor: vendor, configuration: config, threads: threads, blasLibrary: blas, lapackLibrary: lapack)
  }

  /// The auxiliary vector's AT_BASE (7), the address the program interpreter was loaded at (0 for a
  /// static executable), read from `/proc/self/auxv` (pairs of native words; `getauxval` does not
  /// import into Swift). Nil when the file cannot be read.
  private static func interpreterBase() -> UInt? {
    guard let f = fopen("/proc/self/auxv", "rb") else { return nil }
    defer { fclose(f) }
    var pair = (UInt(0), UInt(0))
    while withUnsafeMutableBytes(of: &pair, { fread($0.baseAddress, $0.count, 1, f) }) == 1 {
      if pair.0 == 0 { break }
      if pair.0 == 7 { return pair.1 }
    }
    return nil
  }

  /// The file mapped at the address of `symbol`, found in `/proc/self/maps` (glibc's `dladdr` needs
  /// `_GNU_SOURCE` and does not import into Swift).
  private static func library(defining symbol: String, _ handle: UnsafeMutableRawPointer?) -> String? {
    guard let sym = dlsym(handle, symbol) else { return nil }
    let address = UInt(bitPattern: sym)
    guard let f = fopen("/proc/self/maps", "r") else { return nil }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 4096)
    while fgets(&line, Int32(line.count), f) != nil {
      let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      let fields = text.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count >= 6 else { continue }
      let range = fields[0].split(separator: "-")
      guard range.count == 2, let lo = UInt(range[0], radix: 16), let hi = UInt(range[1], radix: 16) else { continue }
      if address >= lo && address < hi {
        let path = fields[5...].joined(separator: " ").trimmingCharacters()
        if let real = realpath(path, nil) {
          defer { free(real) }
          return String(cString: real)
        }
        return path
      }
    }
    return nil
  }
}

extension String {
  fileprivate func trimmingCharacters() -> String {
    var s = Substring(self)
    while let l = s.last, l == "\n" || l == " " { s = s.dropLast() }
    return String(s)
  }
}
