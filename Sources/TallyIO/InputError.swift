import TallyCore

/// A place in an input: the source (a path or `<stdin>`), a 1-based line and an optional column.
public struct InputLocation: Sendable, Hashable, CustomStringConvertible {
  /// The path as given, or `<stdin>`.
  public var source: String
  /// The 1-based line (0 when the problem concerns the whole file).
  public var line: Int
  /// The 1-based column in characters, when known.
  public var column: Int?

  /// Creates a location.
  public init(source: String, line: Int, column: Int? = nil) {
    self.source = source
    self.line = line
    self.column = column
  }

  /// `source:line:column` (or `source:line`, or `source` for whole-file problems).
  public var description: String {
    if line <= 0 { return source }
    if let column { return "\(source):\(line):\(column)" }
    return "\(source):\(line)"
  }
}

/// A problem with an input, with the place it was found.
///
/// Rendered as `file:line:column: error: message`, the format compilers use and editors understand.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Where the problem is.
  public var location: InputLocation
  /// What it is.
  public var reason: Reason

  /// Creates an error.
  public init(_ reason: Reason, at location: InputLocation) {
    self.location = location
    self.reason = reason
  }

  /// The kinds of input problems. Match with `default`: new reasons may be added.
  public enum Reason: Sendable, Hashable {
    case fileNotFound
    case unreadable(String)
    case emptyInput
    case notUTF8
    case missingSection(String)
    case unexpectedLine(String)
    case duplicateSection(String)
    case missingColumn(section: String, column: String)
    case duplicateColumn(String)
    case fieldCount(expected: Int, found: Int)
    case malformedNumber(field: String, text: String)
    case negativeNumber(field: String, text: String)
    case numberOutOfRange(field: String, text: String)
    case missingMeta(String)
    case invalidMeta(key: String, message: String)
    case unsupportedVoteType(String)
    case duplicateProject(String)
    case invalidProjectID(String)
    case emptyField(String)
    case unterminatedQuote
    case invalidBallot(BallotProblem, String)
    case invalidJSON(String)
    case invalidElection(String)
    case lineTooLong(limit: Int)
    /// A syntax problem described in words (PrefLib orders).
    case malformed(String)
  }

  /// The message, without the location.
  public var message: String {
    switch reason {
    case .fileNotFound: "no such file"
    case .unreadable(let why): "cannot read: \(why)"
    case .emptyInput: "the input is empty"
    case .notUTF8: "the input is not valid UTF-8"
    case .missingSection(let s): "missing section \(s)"
    case .unexpectedLine(let s): "unexpected line '\(Self.clip(s))'"
    case .duplicateSection(let s): "section \(s) appears twice"
    case .missingColumn(let section, let column): "section \(section) has no '\(column)' column"
    case .duplicateColumn(let c): "column '\(c)' appears twice in the header"
    case .fieldCount(let expected, let found): "expected \(expected) fields, found \(found)"
    case .malformedNumber(let field, let text): "field '\(field)': '\(Self.clip(text))' is not a number"
    case .negativeNumber(let field, let text): "field '\(field)': '\(Self.clip(text))' must not be negative"
    case .numberOutOfRange(let field, let text): "field '\(field)': '\(Self.clip(text))' is out of range"
    case .missingMeta(let k): "META has no '\(k)' entry"
    case .invalidMeta(let k, let m): "META '\(k)': \(m)"
    case .unsupportedVoteType(let t): "unsupported vote_type '\(Self.clip(t))' (expected approval, choose-1, ordinal, cumulative or scoring)"
    case .duplicateProject(let id): "project id '\(Self.clip(id))' appears twice"
    case .emptyField(let f): "field '\(f)' is empty"
    case .invalidProjectID(let id): "project id '\(Self.clip(id))' contains ',', which separates ids in vote lists"
    case .unterminatedQuote: "unterminated quoted field"
    case .invalidBallot(let p, let detail): "invalid ballot (\(p.rawValue)): \(detail)"
    case .invalidJSON(let m): "invalid JSON: \(m)"
    case .invalidElection(let m): m
    case .lineTooLong(let limit): "line longer than \(limit) bytes"
    case .malformed(let m): m
    }
  }

  /// `file:line:column: error: message`.
  public var description: String { "\(location): error: \(message)" }

  /// The text clipped to 120 characters, control characters shown as `\u{..}` escapes (so that a
  /// binary input cannot put raw control bytes into a message).
  static func clip(_ s: String) -> String {
    let c = s.count > 120 ? String(s.prefix(117)) + "..." : s
    guard c.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return c }
    var out = ""
    for u in c.unicodeScalars {
      if u.value < 0x20 || u.value == 0x7F { out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}" } else { out.unicodeScalars.append(u) }
    }
    return out
  }

  /// The reason for a number that does not parse: out of range when it is written as a decimal
  /// (optional sign, digits, at most one `.`) that does not fit (beyond 64 bits, or more than 18
  /// decimals), not a number otherwise.
  static func badNumber(field: String, text: String) -> Reason {
    var t = Substring(text)
    if t.first == "-" || t.first == "+" { t = t.dropFirst() }
    let parts = t.split(separator: ".", omittingEmptySubsequences: false)
    let decimal =
      parts.count <= 2 && parts.contains { !$0.isEmpty } && parts.allSatisfy { $0.allSatisfy { $0 >= "0" && $0 <= "9" } }
    return decimal ? .numberOutOfRange(field: field, text: text) : .malformedNumber(field: field, text: text)
  }
}

/// Ballot-level problems, each counted under its id.
public enum BallotProblem: String, Sendable, Hashable, CaseIterable, Codable {
  /// The ballot names a project the instance does not have.
  case unknownProject = "unknown-project"
  /// The ballot names a project twice (for Pabulib approval ballots: reported and counted, not void).
  case repeatedProject = "repeated-project"
  /// The points do not match the vote list (count differs, or missing).
  case pointsMismatch = "points-mismatch"
  /// A point value is not a non-negative integer.
  case badPoints = "bad-points"
  /// More picks than allowed (META `max_length`, a channel's `maxPicks`/`exactPicks`).
  case tooManyPicks = "too-many-picks"
  /// Fewer picks than required (META `min_length`, a channel's `minPicks`/`exactPicks`).
  case tooFewPicks = "too-few-picks"
  /// The points add up to more than META `max_sum_points` or less than `min_sum_points`.
  case pointsOutOfLimits = "points-out-of-limits"
  /// The voter id was already seen (every copy after the first).
  case duplicateVoter = "duplicate-voter"
  /// The weight is not a positive number.
  case badWeight = "bad-weight"
  /// The ballot breaks a per-category pick limit.
  case categoryLimit = "category-limit"
  /// The row has the wrong number of fields.
  case malformedRow = "malformed-row"
  /// The voter's group is unknown.
  case unknownGroup = "unknown-group"
  /// The ballot names no project.
  case emptyBallot = "empty-ballot"
}

/// What to do with a ballot that has a problem.
public enum InvalidBallotPolicy: String, Sendable, Hashable, Codable {
  /// Count it under its reason, keep going without it (default).
  case void
  /// Stop reading and report it as an input error.
  case reject
}

/// Ballot problems found while reading, counted by reason with the first few places.
public struct BallotReport: Sendable, Hashable {
  /// One reported problem.
  public struct Example: Sendable, Hashable {
    public var problem: BallotProblem
    public var location: InputLocation
    public var detail: String
    /// Whether the ballot was voided (false for problems that are only reported).
    public var voided: Bool
  }

  /// Ballots read (rows of the VOTES section or ballot file).
  public var read: Int64 = 0
  /// Ballots kept.
  public var valid: Int64 = 0
  /// Voided ballots by problem.
  public var voided: [BallotProblem: Int64] = [:]
  /// Problems reported on ballots that were kept.
  public var warnings: [BallotProblem: Int64] = [:]
  /// The first `exampleLimit` problems with their places.
  public var examples: [Example] = []
  /// How many examples are kept.
  public var exampleLimit = 100

  /// Creates an empty report.
  public init() {}

  mutating func record(_ p: BallotProblem, at loc: InputLocation, detail: String, voided v: Bool) {
    if v { voided[p, default: 0] += 1 } else { warnings[p, default: 0] += 1 }
    if examples.count < exampleLimit { examples.append(Example(problem: p, location: loc, detail: detail, voided: v)) }
  }

  /// Takes back the voiding of the ballot on `line` under `p` (its count, and its example when listed).
  mutating func withdraw(_ p: BallotProblem, line: Int) {
    if let c = voided[p] { voided[p] = c > 1 ? c - 1 : nil }
    if let k = examples.firstIndex(where: { $0.voided && $0.problem == p && $0.location.line == line }) { examples.remove(at: k) }
  }

  /// Voids a ballot under `p` whose place is not after every example's (examples stay in line order).
  /// - Precondition: the example list is not full.
  mutating func insert(_ p: BallotProblem, at loc: InputLocation, detail: String) {
    precondition(examples.count < exampleLimit)
    voided[p, default: 0] += 1
    let k = examples.firstIndex { $0.location.line > loc.line } ?? examples.count
    examples.insert(Example(problem: p, location: loc, detail: detail, voided: true), at: k)
  }

  /// Adds a report on the ballots that follow this one's (read from a later part of the same input
  /// whose lines were numbered from 1): counts add up, examples follow, moved down by `lineOffset`.
  mutating func append(_ other: BallotReport, lineOffset: Int) {
    read += other.read
    valid += other.valid
    for (p, c) in other.voided { voided[p, default: 0] += c }
    for (p, c) in other.warnings { warnings[p, default: 0] += c }
    for e in other.examples where examples.count < exampleLimit {
      var moved = e
      moved.location.line += lineOffset
      examples.append(moved)
    }
  }

  /// Total voided ballots.
  public var voidCount: Int64 { voided.values.reduce(0, +) }

  /// The counts in the provenance's shape.
  public var counts: BallotCounts {
    BallotCounts(
      read: read, valid: valid,
      voidByReason: Dictionary(uniqueKeysWithValues: voided.map { ($0.key.rawValue, $0.value) }),
      warnings: Dictionary(uniqueKeysWithValues: warnings.map { ($0.key.rawValue, $0.value) }))
  }

  /// The report as JSON, examples included.
  public var json: JSONValue {
    var o = counts.json
    if case .object(var d) = o {
      d["examples"] = .array(
        examples.map {
          [
            "problem": .string($0.problem.rawValue), "file": .string($0.location.source),
            "line": .int($0.location.line), "column": $0.location.column.map { .int($0) } ?? .null,
            "detail": .string($0.detail), "voided": .bool($0.voided),
          ]
        })
      o = .object(d)
    }
    return o
  }
}
