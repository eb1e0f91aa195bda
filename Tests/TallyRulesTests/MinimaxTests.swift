import Testing
import TallyCore
import TallyRules

@Suite struct MinimaxTests {
  @Test("Tennessee: worst defeats 16, 0, 36, 66 (margins)") func tennessee() throws {
    let out = try MinimaxRanking(options: RuleOptions()).rank(OrdinalElection.tennessee.problem())
    // Memphis loses 42-58 to everyone: 16. Nashville unbeaten: 0. Chattanooga loses to Nashville 32-68: 36.
    // Knoxville loses to Nashville 32-68 and Chattanooga 17-83: 66.
    #expect(out.scores == [16, 0, 36, 66])
    #expect(out.tiers == [[1], [0], [2], [3]])
  }

  @Test("the cycle: the smallest worst defeat wins") func cycle() throws {
    // a beats b 5-2 (margin 3), b beats c 5-2 (3), c beats a 4-3 (1): a's worst 1, b's 3, c's 3.
    #expect(try OrdinalElection.cycle.tiers("minimax") == [["a"], ["b", "c"], ["d"]])
  }
}
