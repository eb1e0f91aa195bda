import TallyCore

/// The Method of Equal Shares with add-one completion (Pabulib's `equalshares/add1`).
///
/// **Definition.** Run `mes` with every voter's starting budget `budget / N`; if the outcome is not
/// exhaustive, run it again with each voter's starting budget raised by one currency unit (`budget / N +
/// 1`, `+ 2`, ...; with ballot weights, raised in proportion to weight). Stop at the first outcome that
/// costs more than the budget and return the previous one, or at the first that is exhaustive (no
/// left-out project with supporters and positive cost fits in what the outcome leaves of the budget) and
/// return it. The outcome is the one the naive loop gives, run by run.
///
/// - Returns: the funded projects in MES order; `details.increment` is the number of currency units added
///   per voter in the returned run, `details.runs` the number of MES runs, `details.stop` why the loop
///   ended, and `details.rounds` the trace of the returned run (as in `mes`).
/// - Throws: as `mes`.
/// - Complexity: (number of increments) × the cost of one `mes` run; a run that already spends more than
///   the budget is cut short, since its outcome can only cost more. With `AllocationProblem.threads` > 1
///   the next runs are computed ahead, that many at once, and taken in order (the same outcome and
///   `details`; runs past the stop are discarded).
///
/// **Properties:** budget-feasible; close to exhaustive; keeps MES's proportionality guarantees for the
/// raised budget.
///
/// **Reference:** Pabulib rule `equalshares/add1` (<https://pabulib.org/format>); <https://equalshares.net>
/// (completion by increasing the voters' budgets); pabutools `method_of_equal_shares(...,
/// voter_budget_increment=1)`.
///
/// **Example:** budget 300, 3 voters, projects a (cost 200, voters 1 and 2), b (cost 100, voter 3),
/// c (cost 90, voter 1), d (cost 110, voter 2): plain MES funds b, then a; d no longer fits in 300 − 300.
public struct EqualSharesAdd1: AllocationRule {
  public static let descriptor = RuleDescriptor(
    id: "mes-add1", kind: .allocation, accepts: [.approval, .choose1, .cumulative, .scoring],
    summary: "Method of Equal Shares, voters' budgets raised one unit at a time until exhaustive (Pabulib equalshares/add1)",
    reference: "Pabulib format, rule 'equalshares/add1'; https://equalshares.net", arithmetic: "exact-rational")

  public init(options: RuleOptions) throws(RuleError) { try options.check(known: [], rule: Self.descriptor.id) }

  public func allocate(_ problem: AllocationProblem) throws(RuleError) -> AllocationOutcome {
    try Self.run(problem, rule: Self.descriptor.id)
  }

  /// The add-one loop, shared with `mes-add1-greedy`.
  static func run(_ problem: AllocationProblem, rule: String) throws(RuleError) -> AllocationOutcome {
    let engine = try _EqualSharesEngine.make(problem, rule: rule, manyRuns: true)
    var previous: _EqualSharesEngine.Run? = nil
    var k: Int64 = 0
    var runs = 0
    var stop: String
    var result: _EqualSharesEngine.Run
    let ahead = max(1, min(problem.threads, 16))
    var computed: [_EqualSharesEngine.Run] = []
    while true {
      if computed.isEmpty {
        let from = k
        computed = ahead == 1 ? [engine.run(increment: k, stopAbove: engine.budget)]
          : _inParallel(ahead) { i in engine.run(increment: from + Int64(i), stopAbove: engine.budget) }
      }
      let r = computed.removeFirst()
      runs += 1
      if r.exceeded || r.spent > engine.budget {
        // k = 0 never exceeds: MES spends at most the voters' money, which is the budget.
        result = previous ?? r
        stop = "over-budget"
        break
      }
      if engine.isExhaustive(r.selected, spent: r.spent) || engine.candidates.isEmpty {
        result = r
        stop = "exhaustive"
        break
      }
      previous = r
      k += 1
    }
    var d = engine.details(&result, instance: problem.instance)
    d["increment"] = .int(result.state.increment)
    d["runs"] = .int(runs)
    d["stop"] = .string(stop)
    return AllocationOutcome(selected: result.selected, spent: result.spent, details: d)
  }
}
