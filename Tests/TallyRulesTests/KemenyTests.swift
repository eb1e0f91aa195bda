import Testing
import TallyCore
import TallyRules

@Suite struct KemenyTests {
  /// The best agreement over all n! orders, by brute force.
  static func bruteForce(_ m: PairwiseMatrix) -> Int64 {
    var best = Int64.min
    func go(_ order: [Int], _ left: [Int]) {
      if left.isEmpty {
        var s: Int64 = 0
        for i in 0..<order.count { for j in (i + 1)..<max(order.count, i + 1) { s += m[order[i], order[j]] } }
        best = max(best, s)
        return
      }
      for (k, x) in left.enumerated() {
        var l = left
        l.remove(at: k)
        go(order + [x], l)
      }
    }
    go([], Array(0..<m.count))
    return best
  }

  @Test("the documented example and Tennessee") func textbook() throws {
    let e = OrdinalElection(ids: ["a", "b", "c"], groups: [(2, ["a", "b", "c"]), (1, ["b", "c", "a"])])
    let out = try KemenyRanking(options: RuleOptions()).rank(e.problem())
    #expect(out.tiers == [[0], [1], [2]])
    #expect(out.details["agreement"] == .double(7))
    #expect(out.details["optimalOrderUnique"] == .bool(true))
    #expect(try OrdinalElection.tennessee.tiers("kemeny") == tennesseeOrder)
  }

  @Test("the optimum equals brute force over all orders on random profiles", arguments: 1...12)
  func bruteForce(seed: Int) throws {
    let n = 2 + seed % 5
    let p = RandomProfiles.make(kind: seed % 3 == 0 ? .approval : .ordinal, n: n, voters: 30, seed: UInt64(seed))
    let inst = Instance(meta: [], projects: (0..<n).map { Project(id: "p\($0)", cost: 0) }, budget: 0, ballotKind: p.kind)
    let problem = RankingProblem(instance: inst, profile: p)
    let out = try KemenyRanking(options: RuleOptions()).rank(problem)
    let m = try PairwiseMatrix(profile: p)
    let order = out.tiers.map { $0[0] }
    var agreement: Int64 = 0
    for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { agreement += m[order[i], order[j]] } }
    #expect(agreement == Self.bruteForce(m))
    #expect(out.details["agreement"] == .double(Double(agreement)))
  }

  @Test("more than 22 projects is a clear error") func tooLarge() throws {
    let p = RandomProfiles.make(kind: .ordinal, n: 23, voters: 5, seed: 1)
    let inst = Instance(meta: [], projects: (0..<23).map { Project(id: "p\($0)", cost: 0) }, budget: 0, ballotKind: .ordinal)
    #expect(throws: RuleError.instanceTooLarge(rule: "kemeny", size: 23, limit: 22)) {
      try KemenyRanking(options: RuleOptions()).rank(RankingProblem(instance: inst, profile: p))
    }
  }
}
