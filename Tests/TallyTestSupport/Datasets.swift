import TallyCore
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds test data: the repository's own files (via `#filePath`) and the shared Pabulib collection.
public enum Datasets {
  /// The repository root (the folder holding Package.swift), found from this file's path.
  public static let repositoryRoot: String = {
    var path = #filePath
    for _ in 0..<3 {
      if let slash = path.lastIndex(of: "/") { path = String(path[..<slash]) }
    }
    return path
  }()

  /// A path inside the repository.
  public static func path(_ relative: String) -> String { repositoryRoot + "/" + relative }

  /// The shared Pabulib folder: `TALLY_PABULIB_DIR` when set, else `../shared/datasets/pabulib` beside
  /// the repository; nil (and a printed notice) when neither exists.
  public static let pabulibDirectory: String? = {
    var candidates: [String] = []
    if let env = getenv("TALLY_PABULIB_DIR") { candidates.append(String(cString: env)) }
    candidates.append(repositoryRoot + "/../shared/datasets/pabulib")
    for c in candidates where isDirectory(c) { return c }
    print("notice: no Pabulib collection found (set TALLY_PABULIB_DIR or place ../shared/datasets/pabulib); tests that need it are skipped")
    return nil
  }()

  /// A shared Pabulib file by name, or nil when the collection or the file is absent (prints a notice).
  public static func pabulib(_ name: String) -> String? {
    guard let dir = pabulibDirectory else { return nil }
    let p = dir + "/" + name
    if access(p, R_OK) != 0 {
      print("notice: \(name) not found in \(dir); skipped")
      return nil
    }
    return p
  }

  /// Every `.pb` file name in the shared collection, sorted (empty when absent).
  public static func allPabulibFiles() -> [String] {
    guard let dir = pabulibDirectory, let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var names: [String] = []
    while let e = readdir(d) {
      let name = _direntName(e)
      if name.hasSuffix(".pb") { names.append(name) }
    }
    return names.sorted()
  }

  /// Reads a whole text file (nil when missing).
  public static func readText(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = fread(&buf, 1, buf.count, f)
      if n <= 0 { break }
      bytes.append(contentsOf: buf[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
  }
}
