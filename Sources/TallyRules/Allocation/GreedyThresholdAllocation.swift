import TallyCore

/// Greedy by score over the projects whose score reaches a threshold.
///
/// **Definition.** Drop every project whose score is below the threshold (option `threshold`, else META
/// `min_project_score_threshold`, else 0); run `greedy` on the rest.
///
/// - Complexity: O(n log n) for n projects, after the score count.
///
/// **Properties:** as `greedy`, restricted to projects with enough support; exhaustive only among them.
///
/// **Reference:** Pabulib rule `greedy-threshold` (<https://pabulib.org/format>).
///
/// **Example:** threshold 4, budget 10, scores a=5 (cost 6), b=4 (cost 5), c=3 (cost 4): funds a, skips
/// b (does not fit), drops c (score 3 < 4).
public struct GreedyThresholdAllocation: AllocationRule {
  public static let descriptor = RuleDescriptor(
    id: "greedy-threshold", kind: .allocation, accepts: allBallotKinds,
    summary: "drop projects scoring below META min_project_score_threshold, then greedy",
    reference: "Pabulib format, rule 'greedy-threshold' (https://pabulib.org/format)",
    options: ["threshold": "minimum score (default: META min_project_score_threshold)"], readsBallots: false)

  /// The threshold given as an option, if any.
  public var threshold: ExactDecimal?

  public init(options: RuleOptions) throws(RuleError) {
    try options.check(known: ["threshold"], rule: Self.descriptor.id)
    if let t = options.values["threshold"] {
      guard let d = ExactDecimal.parse(t) else {
        throw RuleError.invalidOption(rule: Self.descriptor.id, message: "threshold '\(t)' is not a number")
      }
      threshold = d
    }
  }

  public var recordedOptions: [String: String] { threshold.map { ["threshold": $0.description] } ?? [:] }

  public func allocate(_ problem: AllocationProblem) throws(RuleError) -> AllocationOutcome {
    var t = threshold
    if t == nil, let m = problem.instance.metaValue("min_project_score_threshold"), !m.isEmpty {
      guard let d = ExactDecimal.parse(m) else {
        throw RuleError.invalidInput(rule: Self.descriptor.id, message: "META min_project_score_threshold '\(m)' is not a number")
      }
      t = d
    }
    let bar = Rational(t ?? ExactDecimal(units: 0, scale: 0))
    var out = try _GreedyCore.run(problem, rule: Self.descriptor.id, stopAtFirstMiss: false) { problem.scores[$0] >= bar }
    out.details["threshold"] = .number((t ?? ExactDecimal(units: 0, scale: 0)).normalized.description)
    return out
  }
}
