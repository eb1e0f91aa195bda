/// The kinds of ballot Tally reads and the rules accept.
///
/// The raw values are Pabulib's `vote_type` names.
public enum BallotKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
  /// A set of approved projects.
  case approval
  /// Exactly one approved project (an approval ballot of length 1).
  case choose1 = "choose-1"
  /// A ranking, best first, possibly truncated; unranked projects are tied at the bottom.
  case ordinal
  /// Points distributed over projects under a total (`max_sum_points`).
  case cumulative
  /// Points given to each named project independently.
  case scoring

  /// Whether the ballot carries points aligned with its projects.
  public var hasPoints: Bool { self == .cumulative || self == .scoring }

  /// Whether the ballot is a set of approvals (approval or choose-1).
  public var isApproval: Bool { self == .approval || self == .choose1 }

  public var description: String { rawValue }
}
