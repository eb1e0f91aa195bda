import TallyCore
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs the built `tally` executable and captures what it prints.
///
/// The binary is looked for next to the running test bundle (SwiftPM builds `tally` into the same
/// folder as `<Package>PackageTests.xctest`), then in `.build/debug` and `.build/release` of the
/// repository; `TALLY_BIN` overrides both.
public enum CLIRunner {
  /// What a run gave.
  public struct Result: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  /// The executable's path, or nil (with a printed notice) when it is not built.
  public static let executable: String? = {
    var candidates: [String] = []
    if let env = getenv("TALLY_BIN") { candidates.append(String(cString: env)) }
    var buf = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buf, buf.count - 1)
    if n > 0 {
      let exe = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      var dir = exe
      // .../debug/TallyPackageTests.xctest (Linux: the bundle is the executable)
      while let slash = dir.lastIndex(of: "/"), !dir.isEmpty {
        dir = String(dir[..<slash])
        candidates.append(dir + "/tally")
        if dir.hasSuffix("/debug") || dir.hasSuffix("/release") { break }
      }
    }
    candidates.append(Datasets.repositoryRoot + "/.build/debug/tally")
    candidates.append(Datasets.repositoryRoot + "/.build/release/tally")
    for c in candidates where access(c, X_OK) == 0 { return c }
    print("notice: the tally executable is not built (swift build); CLI tests are skipped")
    return nil
  }()

  /// Runs `tally` with arguments; nil when the executable is missing.
  public static func run(_ arguments: [String]) -> Result? {
    guard let exe = executable else { return nil }
    let tag = "\(getpid())-\(UInt64.random(in: 0..<UInt64.max))"
    let outPath = "/tmp/tally-cli-\(tag).out"
    let errPath = "/tmp/tally-cli-\(tag).err"
    defer {
      unlink(outPath)
      unlink(errPath)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let argv: [UnsafeMutablePointer<CChar>?] = ([exe] + arguments).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, exe, &actions, nil, argv, environ)
    guard rc == 0 else { return Result(status: -1, stdout: "", stderr: "spawn failed: \(rc)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return Result(status: code, stdout: Datasets.readText(outPath) ?? "", stderr: Datasets.readText(errPath) ?? "")
  }
}

/// Temporary folders and files for tests.
public enum TempFiles {
  /// A new empty folder under /tmp.
  public static func directory(_ prefix: String = "tally-test") -> String {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(p != nil, "mkdtemp failed")
    return String(cString: p!)
  }

  /// Writes a text file.
  public static func write(_ path: String, _ text: String) {
    let f = fopen(path, "wb")!
    fputs(text, f)
    fclose(f)
  }

  /// Writes several files into a new folder; returns the folder.
  public static func folder(_ files: [String: String], prefix: String = "tally-test") -> String {
    let dir = directory(prefix)
    for (name, text) in files { write(dir + "/" + name, text) }
    return dir
  }

  /// Removes a folder and the files directly in it.
  public static func remove(_ dir: String) {
    if let d = opendir(dir) {
      while let e = readdir(d) {
        let name = _direntName(e)
        if name != "." && name != ".." { unlink(dir + "/" + name) }
      }
      closedir(d)
    }
    rmdir(dir)
  }
}
