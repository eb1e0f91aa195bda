import TallyCore

/// Greedy by score, skipping projects that do not fit: the cut most cities use.
///
/// **Definition.** Order the projects by score, highest first (ties by the tie-break); go down the list
/// and fund each project whose cost fits in what is left of the budget; skip those that do not fit and
/// carry on. With sub-envelopes, a project must also fit its envelopes' caps (see `_GreedyCore`).
///
/// - Complexity: O(n log n) for n projects, after the O(ballot entries) score count.
///
/// **Properties:** budget-feasible; exhaustive (no unfunded project fits in the leftover); not
/// proportional (a majority can take the whole budget); monotone in a project's own score only when
/// the budget does not bind.
///
/// **Reference:** Pabulib rule `greedy` (<https://pabulib.org/format>); pabutools
/// `greedy_utilitarian_welfare` with `Cost_Sat`.
///
/// **Example:** budget 10, scores a=5 (cost 6), b=4 (cost 5), c=3 (cost 4): funds a, skips b, funds c.
public struct GreedyAllocation: AllocationRule {
  public static let descriptor = RuleDescriptor(
    id: "greedy", kind: .allocation, accepts: allBallotKinds,
    summary: "projects by score, highest first; fund each that fits, skip those that do not",
    reference: "Pabulib format, rule 'greedy' (https://pabulib.org/format)", readsBallots: false)

  public init(options: RuleOptions) throws(RuleError) { try options.check(known: [], rule: Self.descriptor.id) }

  public func allocate(_ problem: AllocationProblem) throws(RuleError) -> AllocationOutcome {
    try _GreedyCore.run(problem, rule: Self.descriptor.id, stopAtFirstMiss: false) { _ in true }
  }
}
