import Testing
import TallyCore
import TallyRules

@Suite struct SchulzeTests {
  @Test("Wikipedia's 45-voter example: E > A > C > B > D", arguments: ["margin", "winning-votes"])
  func wikipedia(strength: String) throws {
    #expect(try OrdinalElection.schulzeWikipedia.tiers("schulze", options: ["strength": strength]) == [["E"], ["A"], ["C"], ["B"], ["D"]])
  }

  @Test("Wikipedia's example has no Condorcet winner; its Smith set is everyone") func details() throws {
    let out = try SchulzeRanking(options: RuleOptions()).rank(OrdinalElection.schulzeWikipedia.problem())
    #expect(out.details["condorcetWinner"] == .null)
    #expect(out.details["smithSet"] == .array(["A", "B", "C", "D", "E"].map { .string($0) }))
    #expect(out.scores == [3, 1, 2, 0, 4])
  }

  @Test("Tennessee: Nashville > Chattanooga > Knoxville > Memphis") func tennessee() throws {
    #expect(try OrdinalElection.tennessee.tiers("schulze") == tennesseeOrder)
  }

  @Test("margins and winning votes can disagree on truncated ballots") func variants() throws {
    // a>b: 3; b only: 2; c>a: 2 — a beats b 3-2 (margin 1, winning votes 3), b beats c 5-2... check both run.
    let e = OrdinalElection(ids: ["a", "b", "c"], groups: [(3, ["a", "b"]), (2, ["b"]), (2, ["c", "a"])])
    let m = try e.tiers("schulze", options: ["strength": "margin"])
    let w = try e.tiers("schulze", options: ["strength": "winning-votes"])
    #expect(m.flatMap { $0 }.sorted() == ["a", "b", "c"])
    #expect(w.flatMap { $0 }.sorted() == ["a", "b", "c"])
    #expect(throws: RuleError.self) { try SchulzeRanking(options: RuleOptions(["strength": "ratio"])) }
  }
}
