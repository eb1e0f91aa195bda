import TallyCore

/// The greedy cut shared by `greedy`, `greedy-no-skip` and `greedy-threshold`.
///
/// Order: score descending, ties by the tie-break. Constraints: projects in `mustNotFund` are left out;
/// `mustFund` projects are funded first; then, for each envelope with a floor or a minimum count, its
/// own projects in score order until the floor and count are reached (the reserved share is filled
/// first, as a quota is); then every project in order. A project fits when its cost fits in what is left
/// of the budget, of every capped envelope it belongs to, and of every count limit.
enum _GreedyCore {
  /// Projects by score descending, equal scores by the tie-break. When every score's numerator and
  /// denominator fit in 64 bits they are compared by 128-bit cross products (canonical fractions with
  /// positive denominators: equal iff the products are), the same order as comparing the rationals.
  static func order(_ scores: [Rational], tie: [Int]) -> [Int] {
    let n = scores.count
    var num = [Int64](repeating: 0, count: n)
    var den = [Int64](repeating: 0, count: n)
    var small = true
    for p in 0..<n {
      guard let (a, b) = scores[p].smallParts else {
        small = false
        break
      }
      num[p] = a
      den[p] = b
    }
    if small {
      return _IndexSort.sortedIndices(n) { a, b in
        let l = num[a].multipliedFullWidth(by: den[b])
        let r = num[b].multipliedFullWidth(by: den[a])
        if l.high != r.high { return l.high > r.high }
        if l.low != r.low { return l.low > r.low }
        return tie[a] < tie[b]
      }
    }
    return _IndexSort.sortedIndices(n) { a, b in
      let sa = scores[a]
      let sb = scores[b]
      if sa != sb { return sa > sb }
      return tie[a] < tie[b]
    }
  }

  static func run(
    _ problem: AllocationProblem, rule: String, stopAtFirstMiss: Bool, eligible: (Int) -> Bool
  ) throws(RuleError) -> AllocationOutcome {
    let inst = problem.instance
    let n = inst.projectCount
    guard problem.scores.count == n else {
      throw RuleError.invalidInput(rule: rule, message: "\(problem.scores.count) scores for \(n) projects")
    }
    let tie = problem.tieRanks
    let order = Self.order(problem.scores, tie: tie)
    let c = problem.constraints
    var state = _BudgetState(instance: inst, constraints: c)
    var selected: [Int] = []
    var skipped: [JSONValue] = []
    var excluded = Set(c.mustNotFund)
    for i in 0..<n where !eligible(i) { excluded.insert(i) }

    for i in c.mustFund {
      guard !excluded.contains(i) else {
        throw RuleError.infeasible(rule: rule, message: "project '\(inst.projects[i].id)' is both required and excluded or ineligible")
      }
      guard state.fits(i) else {
        throw RuleError.infeasible(rule: rule, message: "required project '\(inst.projects[i].id)' does not fit")
      }
      state.fund(i)
      selected.append(i)
    }
    // Quotas first: fill each floor or minimum count from its own projects in score order.
    for (e, env) in c.envelopes.enumerated() where env.floor != nil || env.minCount != nil {
      let members = Set(env.projects)
      for i in order where members.contains(i) && !state.funded[i] && !excluded.contains(i) {
        if state.envelopeMet(e) { break }
        if state.fits(i) {
          state.fund(i)
          selected.append(i)
        }
      }
    }
    var stopped: Int? = nil
    for i in order where !state.funded[i] && !excluded.contains(i) {
      if state.fits(i) {
        state.fund(i)
        selected.append(i)
      } else {
        skipped.append(.string(inst.projects[i].id))
        if stopAtFirstMiss {
          stopped = i
          break
        }
      }
    }
    var details: [String: JSONValue] = [
      "order": .array(order.filter { !excluded.contains($0) }.map { .string(inst.projects[$0].id) }),
      "skipped": .array(skipped),
    ]
    if let stopped { details["stoppedAt"] = .string(inst.projects[stopped].id) }
    if !excluded.isEmpty {
      details["excluded"] = .array(excluded.sorted().map { .string(inst.projects[$0].id) })
    }
    let unmet = c.envelopes.indices.filter { !state.envelopeMet($0) }.map { JSONValue.string(c.envelopes[$0].name) }
    if !unmet.isEmpty { details["unmetFloors"] = .array(unmet) }
    if let m = c.minProjects, selected.count < m { details["unmetMinProjects"] = .int(m) }
    return AllocationOutcome(selected: selected, spent: state.spent, details: details)
  }
}

/// Money and counts left, overall and per envelope, as projects are funded.
struct _BudgetState {
  let instance: Instance
  let constraints: AllocationConstraints
  var spent: Int64 = 0
  var funded: [Bool]
  var envelopeSpent: [Int64]
  var envelopeCount: [Int]
  var membership: [[Int]]

  init(instance: Instance, constraints: AllocationConstraints) {
    self.instance = instance
    self.constraints = constraints
    funded = Array(repeating: false, count: instance.projectCount)
    envelopeSpent = Array(repeating: 0, count: constraints.envelopes.count)
    envelopeCount = Array(repeating: 0, count: constraints.envelopes.count)
    membership = Array(repeating: [], count: instance.projectCount)
    for (e, env) in constraints.envelopes.enumerated() {
      for i in env.projects where i >= 0 && i < instance.projectCount { membership[i].append(e) }
    }
  }

  var count: Int { funded.reduce(0) { $0 + ($1 ? 1 : 0) } }

  func fits(_ i: Int) -> Bool {
    let cost = instance.projects[i].cost
    if cost > instance.budget - spent { return false }
    if let m = constraints.maxProjects, count >= m { return false }
    for e in membership[i] {
      let env = constraints.envelopes[e]
      if let cap = env.cap, cost > cap - envelopeSpent[e] { return false }
      if let m = env.maxCount, envelopeCount[e] >= m { return false }
    }
    return true
  }

  mutating func fund(_ i: Int) {
    funded[i] = true
    spent += instance.projects[i].cost
    for e in membership[i] {
      envelopeSpent[e] += instance.projects[i].cost
      envelopeCount[e] += 1
    }
  }

  func envelopeMet(_ e: Int) -> Bool {
    let env = constraints.envelopes[e]
    if let f = env.floor, envelopeSpent[e] < f { return false }
    if let m = env.minCount, envelopeCount[e] < m { return false }
    return true
  }
}
