import CLAPACK

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Which BLAS and LAPACK the process loaded, for provenance.
///
/// Tally links the SONAMEs `libblas.so.3` and `liblapack.so.3`; on Debian these are alternatives
/// symlinks, so the implementation (reference netlib, OpenBLAS, ...) is chosen at run time and can
/// change without a rebuild. Results of real-valued LAPACK calls differ in the last bits between
/// implementations (and thread counts), so outputs record which one ran.
public struct BLASBackend: Sendable, Hashable, CustomStringConvertible {
  /// `OpenBLAS` when the loaded BLAS exports `openblas_get_config`, else `reference` for Debian's
  /// netlib build (found under `/blas/`), else `unknown`.
  public var vendor: String
  /// OpenBLAS's configuration string (version, build options, core), when OpenBLAS is loaded.
  public var configuration: String?
  /// OpenBLAS's thread count, when OpenBLAS is loaded.
  public var threads: Int?
  /// The resolved path of the shared object that defines `cblas_dgemm`.
  public var blasLibrary: String?
  /// The resolved path of the shared object that defines `dsyevd_`.
  public var lapackLibrary: String?

  /// The backend of this process (computed once).
  public static let current: BLASBackend = detect()

  /// A one-line summary, e.g. `OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ... (1 thread)`.
  public var description: String {
    if let configuration { return configuration + (threads.map { " (\($0) thread\($0 == 1 ? "" : "s"))" } ?? "") }
    return vendor + (blasLibrary.map { " (\($0))" } ?? "")
  }

  /// The fields as a flat dictionary (for JSON provenance).
  public var fields: [String: String] {
    var d = ["vendor": vendor]
    if let configuration { d["configuration"] = configuration }
    if let threads { d["threads"] = String(threads) }
    if let blasLibrary { d["blasLibrary"] = blasLibrary }
    if let lapackLibrary { d["lapackLibrary"] = lapackLibrary }
    return d
  }

  private static func detect() -> BLASBackend {
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
