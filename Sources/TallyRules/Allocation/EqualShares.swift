import TallyCore

/// The Method of Equal Shares (MES) without completion, in exact arithmetic.
///
/// **Definition.** Every voter starts with an equal share of the budget, `budget / N` (N = all voters,
/// empty ballots included; with ballot weights, shares proportional to weight). A project can be bought
/// when its supporters together hold its cost. Each round, for every affordable project, find the
/// smallest `ρ` such that supporters paying `min(their money, ρ × their utility)` cover the cost; fund the
/// project with the smallest `ρ` (ties by the tie-break), charge its supporters, repeat until no project
/// is affordable. Utilities: approval and choose-1 ballots use cost utilities (a voter gains the cost of
/// each approved funded project, so `ρ × cost` is the price each non-exhausted supporter pays);
/// cumulative and scoring ballots use their points. Supported projects of cost 0 are funded first.
///
/// - Parameters: none (`--tie-break` applies to equal `ρ`).
/// - Returns: the funded projects in the order MES bought them; `details.rounds` gives, per round, the
///   project, `rho` (exact fraction string and `rhoValue` number), `pricePerVoter` (approval), the number
///   of supporters, of voters who paid and of those who paid all their money, and the money left.
/// - Throws: `unsupportedBallotKind` for ordinal ballots; `invalidInput` when constraints are given.
/// - Complexity: O(R · Σ_p s_p) in the worst case for R rounds and s_p (unique) supporters of project p;
///   projects whose supporters did not pay are not re-evaluated and lower bounds on `ρ` skip most others.
///   Arithmetic is `Double` with rigorous error bounds; decisions too close to call are re-decided with
///   exact rationals, so the outcome is always the exact one.
///
/// **Properties:** budget-feasible; satisfies EJR up to one project for cost utilities (Peters, Pierczyński
/// and Skowron 2021); not exhaustive (use `mes-add1` or `mes-add1-greedy`); priceable.
///
/// **Reference:** Peters, Pierczyński, Skowron, "Proportional Participatory Budgeting with Additive
/// Utilities", NeurIPS 2021; <https://equalshares.net>; pabutools `method_of_equal_shares` with `Cost_Sat`
/// (approval) or `Additive_Cardinal_Sat` (points).
///
/// **Example:** budget 300, 3 voters with 100 each; projects a (cost 200, voters 1 and 2), b (cost 100,
/// voter 3), c (cost 150, voters 1 and 3). Round 1: a costs 100 per supporter (ρ = 1/2), b 100 (ρ = 1),
/// c 75 (ρ = 1/2); tie a–c by the tie-break (lexicographic: a). Voters 1 and 2 pay 100 each. Round 2: b
/// (voter 3 pays 100). c is unaffordable. Outcome: a, b.
public struct EqualShares: AllocationRule {
  public static let descriptor = RuleDescriptor(
    id: "mes", kind: .allocation, accepts: [.approval, .choose1, .cumulative, .scoring],
    summary: "Method of Equal Shares, exact, no completion (cost utilities; points for cumulative/scoring)",
    reference: "Peters, Pierczyński, Skowron, NeurIPS 2021; https://equalshares.net",
    arithmetic: "exact-rational")

  public init(options: RuleOptions) throws(RuleError) { try options.check(known: [], rule: Self.descriptor.id) }

  public func allocate(_ problem: AllocationProblem) throws(RuleError) -> AllocationOutcome {
    let engine = try _EqualSharesEngine.make(problem, rule: Self.descriptor.id)
    var run = engine.run(increment: 0)
    return AllocationOutcome(selected: run.selected, spent: run.spent, details: engine.details(&run, instance: problem.instance))
  }
}
