import TallyCore

/// An optimal 0/1 knapsack: a funded set of greatest total score within the budget, proven optimal.
///
/// **Definition.** Among all sets of projects whose total cost fits in the budget (and that meet the
/// problem's sub-envelopes, quotas and forced choices, when there are any), fund one with the greatest
/// total score (the contract's score: votes, points, or an election's combined score). Projects with score
/// 0 are funded only when a constraint needs them. Among several optimal sets the choice is
/// deterministic: the first optimal set of the branch-and-bound search order (projects by decreasing
/// `(score − λ)/cost`, ties by the tie-break, "fund" tried before "do not fund"), i.e. the
/// lexicographically greatest funding vector in that order; λ is the root Lagrangian multiplier of the
/// cardinality bound (0 on most real instances, where the order is plain score per cost).
///
/// The chosen set is exactly the one the branch and bound below would return, whichever path computes
/// it: the lexicographically greatest funding vector, in the search order, among all optimal sets.
///
/// Scores are exact rationals, brought to a common denominator as 64-bit (or, when needed, 128-bit)
/// integers. Budget-only problems whose totals stay below 2^62 (all real files) take the fast exact
/// path: the optimum value by dynamic programming over an expanding core of undominated
/// (cost, score) states (Pisinger's minknap, with Dembo–Hammer and Lagrangian cardinality bounds, and
/// a pairing heuristic that lets the bound be reached early on strongly correlated instances); then
/// the lexicographic choice is fixed project by project in the search order, each undecided project
/// settled by an optimal witness, a bound, or an existence query solved by the same dynamic
/// programme. Degenerate problems, where every score is the same affine function of the cost
/// (`score = α·cost + λ`: Pisinger's strongly correlated, inverse strongly correlated and subset-sum
/// classes, where that programme's Lagrangian bound prunes nothing), are decided first by exact
/// cardinality-constrained subset-sum queries (`_DegenerateKnapsack.swift`), which fall back to the
/// general path whenever they cannot conclude within their budget. Constrained problems (and larger
/// totals) use a depth-first branch and bound whose bound combines the Dantzig (LP) bound with a
/// Lagrangian cardinality bound. No table is ever indexed by
/// cost, so costs of any size work; all products are taken in 128-bit integers.
///
/// - Returns: the funded projects by decreasing score (ties by the tie-break); `details` holds the
///   optimal total score (exact), the root upper bound, λ, the cardinality bound, the number of search
///   nodes and a statement of the proof.
/// - Throws: `infeasible` when no set meets the constraints, naming a minimal set of conflicting
///   constraints; `invalidInput` when the scores cannot be brought to 128-bit integers.
/// - Complexity: exponential in the worst case (the problem is NP-hard). Fast path: O(n log n · log S)
///   setup, then O(states) per core item; the lexicographic pass adds one existence query per project
///   whose inclusion neither the witness nor a bound decides. Degenerate path: O(n²) for the pass plus
///   the queries (each O(n) to set up, then a bounded search). Branch and bound: O(log n + E) per node
///   for E envelopes.
///
/// **Properties:** budget-feasible; maximises utilitarian welfare; not proportional (a majority can take
/// everything); exhaustive among positive-score projects.
///
/// **Reference:** Martello and Toth, *Knapsack Problems* (Wiley 1990), ch. 2 (branch and bound with the
/// Dantzig bound, Horowitz–Sahni); Pisinger, "Core problems in knapsack algorithms", Oper. Res. 1999
/// (cardinality bounds); Pisinger, "A minimal algorithm for the 0-1 knapsack problem", Oper. Res. 1997
/// (minknap); Martello, Pisinger and Toth, "Dynamic programming and strong bounds for the 0-1 knapsack
/// problem", Manag. Sci. 1999 (cardinality bounds, pairing); pabutools
/// `max_additive_utilitarian_welfare`.
///
/// **Example:** budget 10; a (score 5, cost 6), b (4, 5), c (3, 4), d (2, 5): greedy takes a and c
/// (score 8); max-welfare takes b and d or a and c... here a + c = 8 and b + d = 6, c + b = 7, so a, c.
public struct MaxWelfare: AllocationRule {
  public static let descriptor = RuleDescriptor(
    id: "max-welfare", kind: .allocation, accepts: allBallotKinds,
    summary: "optimal 0/1 knapsack: greatest total score within the budget (exact, proven), honouring constraints",
    reference: "Martello and Toth, Knapsack Problems (1990); Pisinger, Oper. Res. 1999", readsBallots: false)

  public init(options: RuleOptions) throws(RuleError) { try options.check(known: [], rule: Self.descriptor.id) }

  public func allocate(_ problem: AllocationProblem) throws(RuleError) -> AllocationOutcome {
    let rule = Self.descriptor.id
    let inst = problem.instance
    let n = inst.projectCount
    guard problem.scores.count == n else {
      throw RuleError.invalidInput(rule: rule, message: "\(problem.scores.count) scores for \(n) projects")
    }
    let c = problem.constraints
    for i in c.mustFund + c.mustNotFund + c.envelopes.flatMap(\.projects) where i < 0 || i >= n {
      throw RuleError.invalidInput(rule: rule, message: "constraint names project index \(i), outside 0..<\(n)")
    }
    // Common denominator.
    let lcm = Rational.commonDenominator(problem.scores)
    let big = problem.scores.map { $0.numerator * (lcm / $0.denominator) }
    var total = BigInt(0)
    for b in big { total += BigInt(b.magnitude) }
    let tie = problem.tieRanks
    let costs = inst.costs
    let solved: Solved
    if total.bitWidth < 62 {
      solved = try Self.solve(profits: big.map { $0.int64! }, costs: costs, budget: inst.budget, tie: tie, constraints: c, inst: inst)
    } else if total.bitWidth < 120, #available(macOS 15.0, *) {
      solved = try Self.solve(profits: big.map { Int128($0.description)! }, costs: costs, budget: inst.budget, tie: tie, constraints: c, inst: inst)
    } else {
      throw RuleError.invalidInput(rule: rule, message: "the scores' common denominator makes totals exceed 120 bits")
    }
    let selected = solved.selected.sorted { a, b in
      problem.scores[a] != problem.scores[b] ? problem.scores[a] > problem.scores[b] : tie[a] < tie[b]
    }
    var optimum = Rational.zero
    for i in selected { optimum += problem.scores[i] }
    let spent = selected.reduce(Int64(0)) { $0 + costs[$1] }
    let rootBound = Rational(BigInt(solved.rootBound)!, lcm)
    var details: [String: JSONValue] = [
      "optimalScore": .string(optimum.description), "optimalScoreValue": .double(optimum.doubleValue),
      "rootUpperBound": .string(rootBound.description), "lambda": .string(Rational(BigInt(solved.lambda)!, lcm).description),
      "cardinalityBound": .int(solved.kmax), "nodes": .int(solved.nodes),
      "proof": .string(solved.method),
      "choice": "first optimal set in search order ((score - lambda)/cost descending, ties by tie-break, fund first)",
      "constrained": .bool(!c.isEmpty),
    ]
    if let m = solved.maxStates { details["dpMaxStates"] = .int(m) }
    return AllocationOutcome(selected: selected, spent: spent, details: details)
  }

  struct Solved {
    var selected: [Int]
    var nodes: Int
    var rootBound: String
    var lambda: String
    var kmax: Int
    var method: String = "branch and bound exhausted: every other set is bounded by at most the optimal score"
    var maxStates: Int? = nil
  }

  /// The items a constraint set leaves to search.
  static func items<P: FixedWidthInteger & SignedInteger>(
    _ profits: [P], _ costs: [Int64], budget: Int64, constraints c: AllocationConstraints
  ) -> [Int] {
    let banned = Set(c.mustNotFund)
    let must = Set(c.mustFund)
    // Required projects stay even when too dear: the search then finds no feasible set and says why.
    return costs.indices.filter { i in
      costs[i] >= 0 && (costs[i] <= budget || must.contains(i)) && !banned.contains(i) && (!c.isEmpty || profits[i] > 0)
    }
  }

  static func solve<P: FixedWidthInteger & SignedInteger>(
    profits: [P], costs: [Int64], budget: Int64, tie: [Int], constraints c: AllocationConstraints, inst: Instance
  ) throws(RuleError) -> Solved {
    if c.isEmpty, P.self == Int64.self, #available(macOS 15.0, *),
      let fast = solveFast(profits: profits.map { Int64($0) }, costs: costs, budget: budget, tie: tie)
    {
      return fast
    }
    let items = items(profits, costs, budget: budget, constraints: c)
    var solver = _Knapsack<P>(items: items, profits: profits, weights: costs, capacity: budget, priority: tie, constraints: c)
    let root = solver.bound(from: 0, residual: budget, count: 0)
    solver.solve()
    guard let sel = solver.solution else {
      throw RuleError.infeasible(rule: descriptor.id, message: explain(profits: profits, costs: costs, budget: budget, tie: tie, constraints: c, inst: inst))
    }
    return Solved(selected: sel, nodes: solver.nodes, rootBound: String(root), lambda: String(solver.lambda), kmax: solver.kmax)
  }

  /// The budget-only problem: the optimum value by minknap-style dynamic programming, then the same
  /// optimal set the branch and bound would return (the lexicographically greatest funding vector in
  /// its search order), fixed item by item: an item is funded when the current optimal witness funds
  /// it, or, failing that, when a bounded existence query (again by dynamic programming) finds an
  /// optimal completion that funds it. Returns nil (the caller falls back to the branch and bound) when
  /// totals reach 2^62 or a state list grows past its limit.
  @available(macOS 15.0, *)
  static func solveFast(profits: [Int64], costs: [Int64], budget: Int64, tie: [Int], degenerate: Bool = true) -> Solved? {
    let none = AllocationConstraints()
    let items = items(profits, costs, budget: budget, constraints: none)
    var tw: Int64 = 0
    var tp: Int64 = 0
    for i in items {
      tw = tw.addingReportingOverflow(costs[i]).partialValue
      tp = tp.addingReportingOverflow(profits[i]).partialValue
      if tw < 0 || tw >= 1 << 62 || tp < 0 || tp >= 1 << 62 { return nil }
    }
    let kn = _Knapsack<Int64>(items: items, profits: profits, weights: costs, capacity: budget, priority: tie, constraints: none)
    if degenerate, let d = solveDegenerate(profits: profits, costs: costs, budget: budget, items: items, order: kn.original) {
      let proof = d.optimum == d.bound
        ? "the bound max over k of floor(alpha * W_k + lambda * k) is reached (W_k: the largest cost a k-set can have within the budget, by range and gcd)"
        : "no set reaches the bound max over k of floor(alpha * W_k + lambda * k); the largest cost of each size that could win was enumerated exactly"
      return Solved(
        selected: d.selected, nodes: d.queries, rootBound: String(d.bound), lambda: String(kn.lambda), kmax: kn.kmax,
        method: "degenerate instance (every score is the same affine function of the cost): \(proof); \(d.queries) exact "
          + "cardinality subset-sum queries (\(d.nodes) search nodes) fixed the choice")
    }
    var root = kn.bound(from: 0, residual: budget, count: 0)
    var mk = _MinKnap(items: items, profits: profits, weights: costs, capacity: budget, priority: tie)
    guard let (zStar, witness) = mk.solve(incumbent: -1, stopAt: root) else { return nil }
    root = max(zStar, min(root, mk.rootBound))
    var maxStates = mk.maxStates
    // Fix the lexicographically greatest optimal set in the search order.
    let order = kn.original
    var inWitness = [Bool](repeating: false, count: costs.count)
    for i in witness { inWitness[i] = true }
    var residual = budget
    var value: Int64 = 0
    var count = 0
    var chosen: [Int] = []
    var queries = 0
    for (pos, i) in order.enumerated() {
      if value == zStar { break }
      var take = inWitness[i]
      if !take && costs[i] <= residual
        && value + profits[i] + kn.bound(from: pos + 1, residual: residual - costs[i], count: count + 1) >= zStar
      {
        let need = zStar - value - profits[i]
        let room = residual - costs[i]
        let rest = order[(pos + 1)...].filter { costs[$0] <= room }
        // When at most one more item fits, the answer is immediate.
        var light = (Int64.max, Int64.max)
        for j in rest {
          if costs[j] < light.0 { light = (costs[j], light.0) } else if costs[j] < light.1 { light.1 = costs[j] }
        }
        if light.0 == .max || light.1 == .max || light.0 > room - light.1 {
          let best = rest.map { profits[$0] }.max() ?? 0
          if best >= need || need <= 0 {
            take = true
            for j in order[(pos + 1)...] { inWitness[j] = false }
            if need > 0, let j = rest.first(where: { profits[$0] == best }) { inWitness[j] = true }
          }
        } else {
          var q = _MinKnap(items: rest, profits: profits, weights: costs, capacity: room, priority: tie)
          queries += 1
          if let (_, set) = q.solve(incumbent: need - 1, stopAt: need, lambda: mk.lambda) {
            take = true
            for j in order[(pos + 1)...] { inWitness[j] = false }
            for j in set { inWitness[j] = true }
          } else if q.limitHit {
            return nil
          }
          maxStates = max(maxStates, q.maxStates)
        }
      }
      if take {
        chosen.append(i)
        residual -= costs[i]
        value += profits[i]
        count += 1
      }
    }
    guard value == zStar, residual >= 0 else {
      assertionFailure("max-welfare: the lexicographic pass did not reach the optimum")
      return nil
    }
    return Solved(
      selected: chosen, nodes: queries, rootBound: String(root), lambda: String(kn.lambda), kmax: kn.kmax,
      method: "dynamic programming (minknap-style expanding core) over undominated states; \(queries) existence queries fixed the choice",
      maxStates: maxStates)
  }

  /// One constraint of a set, for explanations.
  enum Atom: Hashable {
    case mustFund(Int), mustNotFund(Int), minProjects, maxProjects
    case cap(Int), floor(Int), minCount(Int), maxCount(Int)
  }

  static func atoms(_ c: AllocationConstraints) -> [Atom] {
    var a: [Atom] = c.mustFund.map { .mustFund($0) } + c.mustNotFund.map { .mustNotFund($0) }
    if c.minProjects != nil { a.append(.minProjects) }
    if c.maxProjects != nil { a.append(.maxProjects) }
    for (e, env) in c.envelopes.enumerated() {
      if env.cap != nil { a.append(.cap(e)) }
      if env.floor != nil { a.append(.floor(e)) }
      if env.minCount != nil { a.append(.minCount(e)) }
      if env.maxCount != nil { a.append(.maxCount(e)) }
    }
    return a
  }

  static func restrict(_ c: AllocationConstraints, to keep: Set<Atom>) -> AllocationConstraints {
    var r = AllocationConstraints()
    r.mustFund = c.mustFund.filter { keep.contains(.mustFund($0)) }
    r.mustNotFund = c.mustNotFund.filter { keep.contains(.mustNotFund($0)) }
    r.minProjects = keep.contains(.minProjects) ? c.minProjects : nil
    r.maxProjects = keep.contains(.maxProjects) ? c.maxProjects : nil
    for (e, env) in c.envelopes.enumerated() {
      let k = AllocationConstraints.Envelope(
        name: env.name, projects: env.projects, cap: keep.contains(.cap(e)) ? env.cap : nil,
        floor: keep.contains(.floor(e)) ? env.floor : nil, minCount: keep.contains(.minCount(e)) ? env.minCount : nil,
        maxCount: keep.contains(.maxCount(e)) ? env.maxCount : nil)
      r.envelopes.append(k)
    }
    return r
  }

  static func describe(_ a: Atom, _ c: AllocationConstraints, _ inst: Instance) -> String {
    switch a {
    case .mustFund(let i): "project '\(inst.projects[i].id)' must be funded (cost \(inst.format(amount: inst.projects[i].cost)))"
    case .mustNotFund(let i): "project '\(inst.projects[i].id)' must not be funded"
    case .minProjects: "at least \(c.minProjects!) projects"
    case .maxProjects: "at most \(c.maxProjects!) projects"
    case .cap(let e): "envelope '\(c.envelopes[e].name)' cap \(inst.format(amount: c.envelopes[e].cap!))"
    case .floor(let e): "envelope '\(c.envelopes[e].name)' floor \(inst.format(amount: c.envelopes[e].floor!))"
    case .minCount(let e): "envelope '\(c.envelopes[e].name)' at least \(c.envelopes[e].minCount!) projects"
    case .maxCount(let e): "envelope '\(c.envelopes[e].name)' at most \(c.envelopes[e].maxCount!) projects"
    }
  }

  /// Names a minimal set of conflicting constraints (deletion filter: drop each constraint whose removal
  /// leaves the rest infeasible). Each feasibility test is a bounded search; when a test is
  /// inconclusive the constraint is kept, so the list is always a conflicting set, minimal when every
  /// test concluded.
  static func explain<P: FixedWidthInteger & SignedInteger>(
    profits: [P], costs: [Int64], budget: Int64, tie: [Int], constraints c: AllocationConstraints, inst: Instance
  ) -> String {
    var keep = Set(atoms(c))
    var complete = true
    for a in atoms(c) {
      var trial = keep
      trial.remove(a)
      let r = restrict(c, to: trial)
      var s = _Knapsack<P>(
        items: items(profits, costs, budget: budget, constraints: r), profits: profits, weights: costs, capacity: budget,
        priority: tie, constraints: r, feasibilityOnly: true, nodeLimit: 2_000_000)
      s.solve()
      if s.limitHit { complete = false }
      if s.bestSet == nil && !s.limitHit { keep = trial }
    }
    var parts = ["budget \(inst.format(amount: budget))"]
    parts += atoms(c).filter { keep.contains($0) }.map { describe($0, c, inst) }
    let dup = Set(c.mustFund).intersection(c.mustNotFund)
    var msg = "no funded set meets all of: " + parts.joined(separator: "; ")
    if !dup.isEmpty { msg += " (projects both required and excluded: \(dup.sorted().map { inst.projects[$0].id }.joined(separator: ", ")))" }
    if !complete { msg += " (the list may not be minimal: some checks hit the search limit)" }
    return msg
  }
}

