/// Why a rule could not produce an outcome.
public enum RuleError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The rule does not accept this kind of ballot.
  case unsupportedBallotKind(rule: String, kind: BallotKind)
  /// The input is larger than the rule can handle exactly (e.g. exact Kemeny).
  case instanceTooLarge(rule: String, size: Int, limit: Int)
  /// A rule option is missing or malformed.
  case invalidOption(rule: String, message: String)
  /// The constraints cannot all be met; the message names the ones that conflict.
  case infeasible(rule: String, message: String)
  /// A numerical routine failed (message from the linear-algebra layer).
  case numerical(rule: String, message: String)
  /// The input lacks what the rule needs (e.g. no ballots, no projects).
  case invalidInput(rule: String, message: String)

  public var description: String {
    switch self {
    case .unsupportedBallotKind(let rule, let kind):
      "rule '\(rule)' does not accept \(kind) ballots"
    case .instanceTooLarge(let rule, let size, let limit):
      "rule '\(rule)' is exact only up to \(limit) projects; this input has \(size)"
    case .invalidOption(let rule, let message): "rule '\(rule)': \(message)"
    case .infeasible(let rule, let message): "rule '\(rule)': infeasible constraints: \(message)"
    case .numerical(let rule, let message): "rule '\(rule)': numerical failure: \(message)"
    case .invalidInput(let rule, let message): "rule '\(rule)': \(message)"
    }
  }

  /// Whether the error comes from how the rule was asked for (usage) rather than from the data.
  public var isUsageError: Bool {
    switch self {
    case .invalidOption: true
    default: false
    }
  }
}
