import Testing
import TallyCore
import TallyRules

@Suite struct CopelandTests {
  @Test("Tennessee: wins minus losses, Nashville the Condorcet winner") func tennessee() throws {
    let out = try CopelandRanking(options: RuleOptions()).rank(OrdinalElection.tennessee.problem())
    #expect(out.scores == [-3, 3, 1, -1])
    #expect(out.details["condorcetWinner"] == .string("Nashville"))
    #expect(out.details["smithSet"] == .array([.string("Nashville")]))
  }

  @Test("a cycle ties its members; no Condorcet winner; Smith set is the cycle") func cycle() throws {
    let out = try CopelandRanking(options: RuleOptions()).rank(OrdinalElection.cycle.problem())
    #expect(out.tiers == [[0, 1, 2], [3]])
    #expect(out.details["condorcetWinner"] == .null)
    #expect(out.details["smithSet"] == .array([.string("a"), .string("b"), .string("c")]))
  }

  @Test("a zero margin is neither a win nor a loss") func zeroMargin() throws {
    let e = OrdinalElection(ids: ["a", "b", "c"], groups: [(1, ["a", "b", "c"]), (1, ["b", "a", "c"])])
    let out = try CopelandRanking(options: RuleOptions()).rank(e.problem())
    #expect(out.scores == [1, 1, -2])
  }
}
