/// What a result was computed from and how, so that anyone can recompute and check it.
///
/// Timings are deliberately absent: equal inputs and options give byte-identical JSON.
public struct Provenance: Sendable, Hashable {
  /// The engine's version.
  public static let engineVersion = "0.1.0"

  /// The rule id.
  public var rule: String
  /// The rule's options, as given (after defaults).
  public var options: [String: String]
  /// The tie-break id used.
  public var tieBreak: String
  /// `exact-integer`, `exact-rational` or `double`.
  public var arithmetic: String
  /// Hex SHA-256 of the input file (or of the election file and every file it names, in order).
  public var inputSHA256: String
  /// The input's path as given, for people.
  public var source: String
  /// The input's format (`pabulib`, `preflib`, `election`).
  public var format: String
  /// Ballot counts: read, valid, void, and void by reason.
  public var ballots: BallotCounts?
  /// Anything else worth recording (BLAS vendor, iterations, regularisation...).
  public var extra: [String: JSONValue]

  /// Creates a provenance record.
  public init(
    rule: String, options: [String: String] = [:], tieBreak: String, arithmetic: String,
    inputSHA256: String, source: String, format: String, ballots: BallotCounts? = nil,
    extra: [String: JSONValue] = [:]
  ) {
    self.rule = rule
    self.options = options
    self.tieBreak = tieBreak
    self.arithmetic = arithmetic
    self.inputSHA256 = inputSHA256
    self.source = source
    self.format = format
    self.ballots = ballots
    self.extra = extra
  }

  /// The provenance as JSON.
  public var json: JSONValue {
    var o: [String: JSONValue] = [
      "rule": .string(rule),
      "options": .object(options.mapValues { .string($0) }),
      "tieBreak": .string(tieBreak),
      "arithmetic": .string(arithmetic),
      "inputSHA256": .string(inputSHA256),
      "source": .string(source),
      "format": .string(format),
      "engineVersion": .string(Self.engineVersion),
      "engine": "tally",
    ]
    if let ballots { o["ballots"] = ballots.json }
    for (k, v) in extra { o[k] = v }
    return .object(o)
  }
}

/// How many ballots were read, how many were valid and how many void, by reason.
public struct BallotCounts: Sendable, Hashable {
  /// Ballots read.
  public var read: Int64
  /// Valid ballots.
  public var valid: Int64
  /// Void ballots by reason id.
  public var voidByReason: [String: Int64]
  /// Problems that did not void the ballot (e.g. a repeated approval entry), by reason id.
  public var warnings: [String: Int64]

  /// Creates counts.
  public init(read: Int64, valid: Int64, voidByReason: [String: Int64] = [:], warnings: [String: Int64] = [:]) {
    self.read = read
    self.valid = valid
    self.voidByReason = voidByReason
    self.warnings = warnings
  }

  /// The number of void ballots.
  public var void: Int64 { voidByReason.values.reduce(0, +) }

  /// The counts as JSON.
  public var json: JSONValue {
    [
      "read": .int(read), "valid": .int(valid), "void": .int(void),
      "voidByReason": .object(voidByReason.mapValues { .int($0) }),
      "warnings": .object(warnings.mapValues { .int($0) }),
    ]
  }
}
