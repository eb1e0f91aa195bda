import Testing
import TallyCore
import TallyRules

@Suite struct RankedPairsTests {
  @Test("Wikipedia's Tennessee example: Nashville > Chattanooga > Knoxville > Memphis") func tennessee() throws {
    #expect(try OrdinalElection.tennessee.tiers("ranked-pairs") == tennesseeOrder)
  }

  @Test("the cycle: the weakest defeat (c over a) is skipped") func cycle() throws {
    let out = try RankedPairsRanking(options: RuleOptions()).rank(OrdinalElection.cycle.problem())
    #expect(out.tiers == [[0], [1], [2], [3]])
    #expect(out.details["skippedPairs"] == .array([["winner": "c", "loser": "a", "margin": .double(1)]]))
  }

  @Test("Wikipedia's Schulze example under Ranked Pairs: A > C > E > B > D") func schulzeExample() throws {
    // Positive margins: B>D 21, E>D 17, A>D 15, C>B 13, D>C 11 (skipped: C>B>D), E>B 9, A>C 7,
    // B>A 5 (skipped: A>C>B), C>E 3, E>A 1 (skipped: A>C>E). pref_voting's ranked_pairs also elects A.
    #expect(try OrdinalElection.schulzeWikipedia.tiers("ranked-pairs") == [["A"], ["C"], ["E"], ["B"], ["D"]])
  }

  @Test("a zero margin between two unbeaten projects leaves them tied") func zero() throws {
    let e = OrdinalElection(ids: ["a", "b", "c"], groups: [(1, ["a", "b", "c"]), (1, ["b", "a", "c"])])
    #expect(try e.tiers("ranked-pairs") == [["a", "b"], ["c"]])
  }
}
