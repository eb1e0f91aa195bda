import TallyCore

/// `mes-add1` completed by `greedy`.
///
/// **Definition.** Run `mes-add1`; then go down the projects by score (the contract's score, highest
/// first, ties by the tie-break) and fund each one not yet funded that fits in what is left.
///
/// - Returns: the `mes-add1` projects in MES order, then the greedy additions; `details.completion` lists
///   the latter.
/// - Throws: as `mes`.
/// - Complexity: that of `mes-add1`, plus O(n log n).
///
/// **Properties:** budget-feasible; exhaustive.
///
/// **Reference:** <https://equalshares.net> (completion), pabutools `completion_by_rule_combination` with
/// `method_of_equal_shares(voter_budget_increment=1)` then `greedy_utilitarian_welfare`.
///
/// **Example:** if `mes-add1` funds a and b and leaves 40 of the budget, the best-scoring remaining
/// project costing at most 40 is added, and so on.
public struct EqualSharesAdd1Greedy: AllocationRule {
  public static let descriptor = RuleDescriptor(
    id: "mes-add1-greedy", kind: .allocation, accepts: [.approval, .choose1, .cumulative, .scoring],
    summary: "mes-add1, then completed by greedy", reference: "https://equalshares.net (completion)",
    arithmetic: "exact-rational")

  public init(options: RuleOptions) throws(RuleError) { try options.check(known: [], rule: Self.descriptor.id) }

  public func allocate(_ problem: AllocationProblem) throws(RuleError) -> AllocationOutcome {
    var out = try EqualSharesAdd1.run(problem, rule: Self.descriptor.id)
    let inst = problem.instance
    let tie = problem.tieRanks
    let order = (0..<inst.projectCount).sorted { a, b in
      problem.scores[a] != problem.scores[b] ? problem.scores[a] > problem.scores[b] : tie[a] < tie[b]
    }
    var funded = Set(out.selected)
    var added: [JSONValue] = []
    for p in order where !funded.contains(p) && inst.projects[p].cost <= inst.budget - out.spent {
      funded.insert(p)
      out.selected.append(p)
      out.spent += inst.projects[p].cost
      added.append(.string(inst.projects[p].id))
    }
    out.details["completion"] = .array(added)
    return out
  }
}
