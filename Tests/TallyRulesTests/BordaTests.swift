import Testing
import TallyCore
import TallyRules

@Suite struct BordaTests {
  @Test("truncated ballots: below minus above, unranked at the bottom") func truncated() throws {
    let e = OrdinalElection(ids: ["a", "b", "c"], groups: [(1, ["a", "b", "c"]), (1, ["b", "a"])])
    let out = try BordaRanking(options: RuleOptions()).rank(e.problem())
    #expect(out.scores == [2, 2, -4])
    #expect(out.tiers == [[0, 1], [2]])
    #expect(out.ranks == [1, 1, 3])
  }

  @Test("complete rankings: an affine image of classical Borda") func complete() throws {
    #expect(try OrdinalElection.tennessee.tiers("borda") == [["Nashville"], ["Chattanooga"], ["Memphis"], ["Knoxville"]])
    let out = try BordaRanking(options: RuleOptions()).rank(OrdinalElection.tennessee.problem())
    // Classical Borda (3,2,1,0): Memphis 126, Nashville 194, Chattanooga 173, Knoxville 107 → 2s − 3·100.
    #expect(out.scores == [-48, 88, 46, -86])
  }

  @Test("approval ballots: approvals ×(n) minus voters, order of approval counts") func approval() throws {
    let inst = Instance(meta: [], projects: ["x", "y", "z"].map { Project(id: $0, cost: 1) }, budget: 0, ballotKind: .approval)
    var b = ProfileBuilder(kind: .approval, projectCount: 3)
    b.add([0, 1] as [Int32], count: 2)
    b.add([1] as [Int32])
    let out = try BordaRanking(options: RuleOptions()).rank(RankingProblem(instance: inst, profile: b.build()))
    // x: 2 ballots put it above z (+2), one puts y above it (−1) → 1; y: above z ×3, above x ×1 → 4; z: −5.
    #expect(out.scores == [1, 4, -5])
  }

  @Test("an unknown option is refused") func options() {
    #expect(throws: RuleError.self) { try BordaRanking(options: RuleOptions(["bogus": "1"])) }
    #expect(throws: RuleError.self) { try BordaRanking(options: RuleOptions(["pairwise": "magic"])) }
  }
}
