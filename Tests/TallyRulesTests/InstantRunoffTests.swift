import Testing
import TallyCore
import TallyRules

@Suite struct InstantRunoffTests {
  @Test("the documented example: c out, its ballots to b, then a out") func example() throws {
    let e = OrdinalElection(ids: ["a", "b", "c"], groups: [(4, ["a", "b"]), (3, ["b", "c"]), (2, ["c", "b"])])
    let out = try InstantRunoffRanking(options: RuleOptions()).rank(e.problem())
    #expect(out.tiers == [[1], [0], [2]])
    #expect(out.scores == [4, 9, 2])
    guard case .array(let rounds)? = out.details["rounds"] else { Issue.record("no rounds"); return }
    #expect(rounds.count == 3)
    #expect(rounds[1] == ["round": 2, "tally": ["a": 4, "b": 5], "exhausted": 0, "eliminated": "a"])
  }

  @Test("Tennessee: Knoxville wins IRV, Memphis second") func tennessee() throws {
    #expect(
      try OrdinalElection.tennessee.tiers("instant-runoff") == [["Knoxville"], ["Memphis"], ["Nashville"], ["Chattanooga"]])
  }

  @Test("exhausted ballots drop out and are counted") func exhausted() throws {
    let e = OrdinalElection(ids: ["a", "b", "c"], groups: [(3, ["a"]), (2, ["b"]), (1, ["c"])])
    let out = try InstantRunoffRanking(options: RuleOptions()).rank(e.problem())
    #expect(out.tiers == [[0], [1], [2]])
    guard case .array(let rounds)? = out.details["rounds"] else { Issue.record("no rounds"); return }
    #expect(rounds[1] == ["round": 2, "tally": ["a": 3, "b": 2], "exhausted": 1, "eliminated": "b"])
  }

  @Test("a transfer can tie two projects; the tie is recorded") func transferTie() throws {
    let e = OrdinalElection(ids: ["a", "b", "c"], groups: [(3, ["a"]), (2, ["b"]), (1, ["c", "b"])])
    let out = try InstantRunoffRanking(options: RuleOptions()).rank(e.problem())
    #expect(out.tiers == [[0], [1], [2]])
    guard case .array(let rounds)? = out.details["rounds"] else { Issue.record("no rounds"); return }
    #expect(rounds[1] == ["round": 2, "tally": ["a": 3, "b": 3], "exhausted": 0, "eliminated": "b", "tiedForFewest": ["a", "b"]])
  }

  @Test("a tie for fewest eliminates the project the tie-break ranks last") func tieBreak() throws {
    let e = OrdinalElection(ids: ["a", "b"], groups: [(1, ["a"]), (1, ["b"])])
    #expect(try e.tiers("instant-runoff") == [["a"], ["b"]])
    #expect(try e.tiers("instant-runoff", tieBreak: TieBreak([.seeded(1)])).count == 2)
    let reversed = OrdinalElection(ids: ["b", "a"], groups: [(1, ["a"]), (1, ["b"])])
    #expect(try reversed.tiers("instant-runoff") == [["a"], ["b"]])
  }

  @Test("ballots with tied ranks are refused") func ties() {
    let inst = Instance(meta: [], projects: ["x", "y"].map { Project(id: $0, cost: 0) }, budget: 0, ballotKind: .ordinal)
    var b = ProfileBuilder(kind: .ordinal, projectCount: 2)
    b.add([0, 1] as [Int32], tieGroups: [0, 0])
    #expect(throws: RuleError.self) {
      try InstantRunoffRanking(options: RuleOptions()).rank(RankingProblem(instance: inst, profile: b.build()))
    }
  }
}
