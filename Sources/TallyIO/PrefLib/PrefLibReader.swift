import TallyCore

/// A PrefLib file read into memory: an instance whose projects are the alternatives, and the profile.
public struct PrefLibFile: Sendable {
  /// The alternatives as projects (id = the alternative's number as written, name from
  /// `# ALTERNATIVE NAME k:`, cost 0), budget 0, ballot kind ordinal; the header lines as META
  /// (`DATA TYPE`, `TITLE`, ...).
  public var instance: Instance
  /// The orders, identical ones merged; indifference classes (`{a,b}`) as tie groups.
  public var profile: Profile
  /// `soc`, `soi`, `toc` or `toi`.
  public var dataType: String
  /// Orders read (the sum of the counts).
  public var voters: Int64
  /// Hex SHA-256 of the file's bytes.
  public var sha256: String
  /// The path as given.
  public var source: String
}

/// Reads PrefLib ordinal data (<https://www.preflib.org/format>): `.soc` (strict complete orders),
/// `.soi` (strict incomplete), `.toc` (complete with ties) and `.toi` (incomplete with ties).
///
/// The file is a header of `# KEY: value` lines (`# NUMBER ALTERNATIVES: m` is required, m at most ``maxAlternatives``;
/// `# ALTERNATIVE NAME k: name` names alternative k) followed by one line per distinct order,
/// `count: a, b, {c, d}, e`: `count` voters rank alternative a first, then b, then c and d tied, then e.
/// Alternatives are the numbers 1...m. Unranked alternatives (soi, toi) are tied at the bottom.
///
/// Every problem is an ``InputError`` at its line and column: a malformed count or alternative, an
/// alternative outside 1...m or named twice in an order, an unclosed `{`, an incomplete order in a
/// `soc`/`toc` file, ties in a `soc`/`soi` file, a header line after the orders. An order with ties is
/// stored with ``Profile/tieGroups``; a tie class written as `{a}` is an ordinary position.
///
/// - Complexity: one pass, O(bytes). Memory: the distinct orders.
public struct PrefLibReader: Sendable {
  /// Creates a reader.
  public init() {}

  /// Reads a file; its extension (`.soc .soi .toc .toi`) gives the data type.
  public func read(path: String) throws(InputError) -> PrefLibFile {
    let r = try _RecordReader(path: path)
    return try parse(r, dataType: Self.dataType(of: path))
  }

  /// Reads bytes in memory (`source` for messages; `dataType` soc, soi, toc or toi).
  public func read(bytes: [UInt8], dataType: String, source: String = "<input>") throws(InputError) -> PrefLibFile {
    try parse(_RecordReader(bytes: bytes, source: source), dataType: dataType)
  }

  /// Reads a string in memory.
  public func read(string: String, dataType: String, source: String = "<input>") throws(InputError) -> PrefLibFile {
    try read(bytes: Array(string.utf8), dataType: dataType, source: source)
  }

  static func dataType(of path: String) -> String {
    let lower = path.lowercased()
    for t in ["soc", "soi", "toc", "toi"] where lower.hasSuffix("." + t) { return t }
    return "toi"
  }

  private func parse(_ r: _RecordReader, dataType declared: String) throws(InputError) -> PrefLibFile {
    let source = r.source
    var meta: [MetaEntry] = []
    var names: [Int: String] = [:]
    var alternatives: Int? = nil
    var builder: ProfileBuilder? = nil
    var voters: Int64 = 0
    var sawAnything = false
    let complete = declared == "soc" || declared == "toc"
    let tiesAllowed = declared == "toc" || declared == "toi"
    var seen: [Int32] = []  // per alternative, the line that last named it (line-stamped set)
    var items: [Int32] = []
    var groups: [Int32] = []

    while let rec = try r.next() {
      let line = r.recordLine
      func fail(_ reason: InputError.Reason, _ byteOffset: Int? = nil) -> InputError {
        InputError(reason, at: InputLocation(source: source, line: line, column: byteOffset.map { _column(byteOffset: $0, in: rec) }))
      }
      var i = 0
      let n = rec.count
      func skipSpaces() { while i < n && (rec[i] == 0x20 || rec[i] == 0x09) { i += 1 } }
      skipSpaces()
      if i == n { continue }  // blank line
      sawAnything = true
      if rec[i] == 0x23 {  // '#'
        if builder != nil { throw fail(.malformed("a header line after the orders"), i) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: rec[(i + 1)...]), as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { continue }  // a comment
        let key = text[..<colon].trimmedSpaces()
        let value = text[text.index(after: colon)...].trimmedSpaces()
        meta.append(MetaEntry(key: key, value: value))
        if key == "NUMBER ALTERNATIVES" {
          guard let m = Int(value), m >= 0 else {
            throw fail(.invalidMeta(key: key, message: "'\(InputError.clip(value))' is not a number of alternatives"), i)
          }
          // Every alternative becomes a project: a few bytes must not ask for gigabytes.
          guard m <= Self.maxAlternatives else {
            throw fail(.invalidMeta(key: key, message: "\(m) alternatives are more than the \(Self.maxAlternatives) Tally reads"), i)
          }
          alternatives = m
        } else if key.hasPrefix("ALTERNATIVE NAME ") {
          guard let k = Int(key.dropFirst("ALTERNATIVE NAME ".count)) else {
            throw fail(.invalidMeta(key: key, message: "the alternative is not a number"), i)
          }
          names[k] = value
        }
        continue
      }
      // An order line: count ':' order.
      guard let m = alternatives else { throw fail(.missingMeta("NUMBER ALTERNATIVES"), i) }
      if builder == nil {
        builder = ProfileBuilder(kind: .ordinal, projectCount: m)
        seen = Array(repeating: 0, count: m + 1)
      }
      let countStart = i
      var count: Int64 = 0
      var digits = 0
      while i < n, rec[i] >= 0x30, rec[i] <= 0x39 {
        let (a, o1) = count.multipliedReportingOverflow(by: 10)
        let (b, o2) = a.addingReportingOverflow(Int64(rec[i] - 0x30))
        if o1 || o2 { throw fail(.numberOutOfRange(field: "count", text: Self.token(rec, countStart)), countStart) }
        count = b
        digits += 1
        i += 1
      }
      if digits == 0 {
        let t = Self.token(rec, countStart)
        if i + 1 < n, rec[i] == 0x2D, rec[i + 1] >= 0x30, rec[i + 1] <= 0x39 {
          throw fail(.negativeNumber(field: "count", text: t), countStart)
        }
        throw fail(.malformedNumber(field: "count", text: t), countStart)
      }
      skipSpaces()
      guard i < n, rec[i] == 0x3A else { throw fail(.malformed("expected ':' after the count"), i) }
      i += 1
      items.removeAll(keepingCapacity: true)
      groups.removeAll(keepingCapacity: true)
      var cls: Int32 = 0
      var inBrace = false
      var braceStart = 0
      var braceEmpty = true
      var expectItem = true  // after ':' or ',' or '{'
      skipSpaces()
      while i < n {
        let c = rec[i]
        if c == 0x7B {  // '{'
          if inBrace || !expectItem { throw fail(.malformed("unexpected '{'"), i) }
          inBrace = true
          braceStart = i
          braceEmpty = true
          i += 1
        } else if c == 0x7D {  // '}'
          if !inBrace || (expectItem && !braceEmpty) { throw fail(.malformed("unexpected '}'"), i) }
          inBrace = false
          if !braceEmpty { cls += 1 }
          expectItem = false
          i += 1
        } else if c == 0x2C {  // ','
          if expectItem { throw fail(.malformed("missing alternative before ','"), i) }
          expectItem = true
          i += 1
        } else if c >= 0x30 && c <= 0x39 {
          if !expectItem { throw fail(.malformed("missing ',' between alternatives"), i) }
          let start = i
          var v = 0
          while i < n, rec[i] >= 0x30, rec[i] <= 0x39, v < 1 << 30 {
            v = v * 10 + Int(rec[i] - 0x30)
            i += 1
          }
          if v < 1 || v > m {
            throw fail(.invalidBallot(.unknownProject, "alternative \(Self.token(rec, start)) is not in 1...\(m)"), start)
          }
          if seen[v] == Int32(truncatingIfNeeded: line) {
            throw fail(.invalidBallot(.repeatedProject, "alternative \(v) appears twice in the order"), start)
          }
          seen[v] = Int32(truncatingIfNeeded: line)
          items.append(Int32(v - 1))
          groups.append(cls)
          if inBrace {
            braceEmpty = false
          } else {
            cls += 1
          }
          expectItem = false
        } else {
          throw fail(.malformed("unexpected \(Self.describe(rec, at: i)) in an order"), i)
        }
        skipSpaces()
      }
      if inBrace { throw fail(.malformed("'{' is never closed"), braceStart) }
      if expectItem && !items.isEmpty { throw fail(.malformed("the order ends with ','"), n) }
      let tied = Int(cls) != items.count
      if tied && !tiesAllowed {
        throw fail(.invalidBallot(.malformedRow, "a \(declared) file cannot rank alternatives as tied"), countStart)
      }
      if complete && items.count != m {
        throw fail(.invalidBallot(.tooFewPicks, "a \(declared) order must rank all \(m) alternatives; it ranks \(items.count)"), countStart)
      }
      if count == 0 { continue }
      let (t, o) = voters.addingReportingOverflow(count)
      if o { throw fail(.malformed("the counts add up to more than \(Int64.max) voters"), countStart) }
      voters = t
      if tied {
        builder!.add(items, tieGroups: groups, weight: nil, count: count)
      } else {
        builder!.add(items, weight: nil, count: count)
      }
    }
    try r.drain()
    if !sawAnything { throw InputError(.emptyInput, at: InputLocation(source: source, line: 0)) }
    guard let m = alternatives else { throw InputError(.missingMeta("NUMBER ALTERNATIVES"), at: InputLocation(source: source, line: 0)) }
    let profile = (builder ?? ProfileBuilder(kind: .ordinal, projectCount: m)).build()
    let projects = (1...max(m, 1)).prefix(m).map { k in Project(id: String(k), cost: 0, name: names[k]) }
    let instance = Instance(meta: meta, projects: projects, budget: 0, ballotKind: .ordinal)
    return PrefLibFile(
      instance: instance, profile: profile, dataType: declared, voters: voters, sha256: r.digest(), source: source)
  }

  /// The most alternatives a file may declare (`# NUMBER ALTERNATIVES`).
  public static let maxAlternatives = 100_000

  /// The character at a byte offset, for messages: `'c'`, or `byte 0xNN` when it is not printable
  /// ASCII.
  static func describe(_ rec: UnsafeBufferPointer<UInt8>, at i: Int) -> String {
    let b = rec[i]
    return b >= 0x20 && b < 0x7F ? "character '\(Character(Unicode.Scalar(b)))'" : "byte 0x" + String(b, radix: 16, uppercase: true)
  }

  static func token(_ rec: UnsafeBufferPointer<UInt8>, _ start: Int) -> String {
    var e = start
    while e < rec.count, rec[e] != 0x2C, rec[e] != 0x3A, rec[e] != 0x7D, rec[e] != 0x20 { e += 1 }
    return String(decoding: UnsafeBufferPointer(rebasing: rec[start..<max(e, start)]), as: UTF8.self)
  }
}

extension StringProtocol {
  fileprivate func trimmedSpaces() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
    return String(s)
  }
}
