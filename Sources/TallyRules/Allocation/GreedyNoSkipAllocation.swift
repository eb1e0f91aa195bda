import TallyCore

/// Greedy by score that stops at the first project that does not fit.
///
/// **Definition.** Order the projects by score, highest first (ties by the tie-break); fund them in
/// order until the first one whose cost exceeds what is left; fund nothing after it.
///
/// - Complexity: O(n log n) for n projects, after the score count.
///
/// **Properties:** budget-feasible; not exhaustive (money may be left that a later project would use);
/// the funded set is a prefix of the score order, which some cities require for transparency.
///
/// **Reference:** Pabulib rule `greedy-no-skip` (<https://pabulib.org/format>).
///
/// **Example:** budget 10, scores a=5 (cost 6), b=4 (cost 5), c=3 (cost 4): funds a, stops at b.
public struct GreedyNoSkipAllocation: AllocationRule {
  public static let descriptor = RuleDescriptor(
    id: "greedy-no-skip", kind: .allocation, accepts: allBallotKinds,
    summary: "projects by score, highest first; stop at the first that does not fit",
    reference: "Pabulib format, rule 'greedy-no-skip' (https://pabulib.org/format)", readsBallots: false)

  public init(options: RuleOptions) throws(RuleError) { try options.check(known: [], rule: Self.descriptor.id) }

  public func allocate(_ problem: AllocationProblem) throws(RuleError) -> AllocationOutcome {
    try _GreedyCore.run(problem, rule: Self.descriptor.id, stopAtFirstMiss: true) { _ in true }
  }
}
