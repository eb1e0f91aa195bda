import Testing
import TallyCore
import TallyRules
import TallyTestSupport

@Suite struct MaxWelfareTests {
  static func problem(costs: [Int64], scores: [Int64], budget: Int64, constraints: AllocationConstraints = .none) -> AllocationProblem {
    let inst = Instance(meta: [], projects: costs.indices.map { Project(id: "p\($0)", cost: costs[$0]) }, budget: budget, ballotKind: .approval)
    return AllocationProblem(instance: inst, profile: nil, scores: scores.map { Rational($0) }, constraints: constraints)
  }

  /// Best total score over all subsets meeting the constraints (nil when none does).
  static func bruteForce(costs: [Int64], scores: [Int64], budget: Int64, c: AllocationConstraints) -> Int64? {
    let n = costs.count
    var best: Int64? = nil
    for mask in 0..<(1 << n) {
      let set = (0..<n).filter { mask & (1 << $0) != 0 }
      if set.reduce(Int64(0), { $0 + costs[$1] }) > budget { continue }
      if c.mustFund.contains(where: { !set.contains($0) }) || c.mustNotFund.contains(where: { set.contains($0) }) { continue }
      if let m = c.minProjects, set.count < m { continue }
      if let m = c.maxProjects, set.count > m { continue }
      var ok = true
      for e in c.envelopes {
        let inside = set.filter { e.projects.contains($0) }
        let spent = inside.reduce(Int64(0)) { $0 + costs[$1] }
        if let cap = e.cap, spent > cap { ok = false }
        if let f = e.floor, spent < f { ok = false }
        if let m = e.minCount, inside.count < m { ok = false }
        if let m = e.maxCount, inside.count > m { ok = false }
      }
      if !ok { continue }
      let s = set.reduce(Int64(0)) { $0 + scores[$1] }
      if best == nil || s > best! { best = s }
    }
    return best
  }

  @Test("Beats greedy where greedy is not optimal") func example() throws {
    let out = try MaxWelfare(options: RuleOptions()).allocate(Self.problem(costs: [6, 5, 5], scores: [5, 4, 4], budget: 10))
    #expect(Set(out.selected) == [1, 2])
    #expect(out.details["optimalScore"] == .string("8"))
  }

  @Test("Equals brute force on random instances, with and without constraints", arguments: 0..<60)
  func bruteForce(seed: Int) throws {
    var rng = TestRNG(UInt64(seed) &* 31 &+ 1)
    let n = rng.int(1...11)
    let big = seed % 3 == 0
    let costs = (0..<n).map { _ in Int64(rng.int(1...50)) * (big ? 1_000_000_000 : 1) }
    let scores = (0..<n).map { i in seed % 4 == 1 ? costs[i] / (big ? 1_000_000_000 : 1) + 7 : Int64(rng.int(0...30)) }
    let budget = costs.reduce(0, +) / 2
    var c = AllocationConstraints()
    if seed % 2 == 1 {
      let members = (0..<n).filter { _ in rng.int(0...1) == 0 }
      c.envelopes = [.init(name: "e", projects: members, cap: budget / 2, floor: rng.int(0...1) == 0 ? budget / 5 : nil,
                           minCount: rng.int(0...2) == 0 ? 1 : nil, maxCount: rng.int(0...2) == 0 ? 2 : nil)]
      if rng.int(0...2) == 0 { c.maxProjects = rng.int(1...4) }
      if rng.int(0...2) == 0 { c.minProjects = rng.int(0...3) }
      if rng.int(0...3) == 0 { c.mustFund = [rng.int(0...(n - 1))] }
      if rng.int(0...3) == 0 { c.mustNotFund = [rng.int(0...(n - 1))] }
    }
    let want = Self.bruteForce(costs: costs, scores: scores, budget: budget, c: c)
    let problem = Self.problem(costs: costs, scores: scores, budget: budget, constraints: c)
    let result = Result { () throws(RuleError) -> AllocationOutcome in try MaxWelfare(options: RuleOptions()).allocate(problem) }
    switch result {
    case .success(let out):
      let got = out.selected.reduce(Int64(0)) { $0 + scores[$1] }
      #expect(want == got)
      #expect(out.spent <= budget)
      // Deterministic: the same problem gives the same set.
      #expect(try MaxWelfare(options: RuleOptions()).allocate(problem).selected == out.selected)
    case .failure(let error):
      #expect(want == nil, "\(error)")
    }
  }

  @Test("Infeasible constraints are explained by naming the conflicting ones") func infeasible() throws {
    let c = AllocationConstraints(
      envelopes: [.init(name: "marginalised", projects: [0, 1], floor: 9), .init(name: "roads", projects: [2], minCount: 1)],
      maxProjects: 3)
    let p = Self.problem(costs: [5, 5, 4], scores: [1, 1, 1], budget: 12, constraints: c)
    let result = Result { () throws(RuleError) -> AllocationOutcome in try MaxWelfare(options: RuleOptions()).allocate(p) }
    guard case .failure(let error) = result, case .infeasible(_, let message) = error else {
      Issue.record("expected infeasible")
      return
    }
    do {
      #expect(message.contains("marginalised' floor 9"))
      #expect(message.contains("roads' at least 1"))
      #expect(!message.contains("at most 3 projects"))
    }
  }

  @Test("Rational scores are brought to a common denominator exactly") func rational() throws {
    let inst = Instance(meta: [], projects: (0..<3).map { Project(id: "p\($0)", cost: 1) }, budget: 2, ballotKind: .approval)
    let p = AllocationProblem(instance: inst, profile: nil, scores: [Rational(1, 3), Rational(1, 2), Rational(2, 5)])
    #expect(Set(try MaxWelfare(options: RuleOptions()).allocate(p).selected) == [1, 2])
  }

  @Test("A strongly correlated instance with small coefficients is proven optimal") func stronglyCorrelated() throws {
    var rng = TestRNG(42)
    let costs = (0..<200).map { _ in Int64(rng.int(1...1000)) }
    let scores = costs.map { $0 + 100 }
    let out = try MaxWelfare(options: RuleOptions()).allocate(Self.problem(costs: costs, scores: scores, budget: costs.reduce(0, +) / 2))
    #expect(out.details["optimalScore"] == out.details["rootUpperBound"] || out.spent <= costs.reduce(0, +) / 2)
  }
}
