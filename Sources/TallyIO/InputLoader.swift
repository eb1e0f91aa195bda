import TallyCore

/// The kinds of input `tally` commands accept.
public enum InputFormat: String, Sendable {
  case pabulib
  case preflib
  case election
}

/// Decides an input's format from its path.
public enum InputLoader {
  /// The format of a path: `.pb` is Pabulib, `.soc .soi .toc .toi` PrefLib, `.json` or a folder an
  /// election. Throws for anything else.
  public static func format(of path: String) throws(InputError) -> InputFormat {
    let lower = path.lowercased()
    if lower.hasSuffix(".pb") { return .pabulib }
    for ext in [".soc", ".soi", ".toc", ".toi"] where lower.hasSuffix(ext) { return .preflib }
    if lower.hasSuffix(".json") || isDirectory(path) { return .election }
    throw InputError(
      .unreadable("unknown input format (expected .pb, .soc, .soi, .toc, .toi, election.json or a folder)"),
      at: InputLocation(source: path, line: 0))
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether the path names a directory.
public func isDirectory(_ path: String) -> Bool {
  var st = stat()
  return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}
