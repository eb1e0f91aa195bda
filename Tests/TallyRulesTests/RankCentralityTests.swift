import Foundation
import Testing
import TallyCore
import TallyRules

@Suite struct RankCentralityTests {
  @Test("Two projects: π = (2/3, 1/3)") func twoProjects() throws {
    let out = try runRule("rank-centrality", BradleyTerryTests.twoToOne)
    let h = log(2.0) / 2
    #expect(abs(out.scores![0] - h) < 1e-12 && abs(out.scores![1] + h) < 1e-12)
  }

  @Test("Matches choix rank_centrality (alpha 0) on shared files", arguments: StatisticalFixture.names)
  func choix(name: String) throws {
    let fx = try StatisticalFixture.load(name)
    if fx.errors.contains("rank-centrality") { return }
    try fx.check(rule: "rank-centrality", model: "rank-centrality")
  }

  @Test("prior=c is choix's alpha: matches rank_centrality(alpha=0.5)", arguments: StatisticalFixture.names)
  func choixPrior(name: String) throws {
    try StatisticalFixture.load(name).check(rule: "rank-centrality", model: "rank-centrality-prior-0.5", options: ["prior": "0.5"])
  }

  @Test("A project nobody named makes the chain reducible: error, or prior") func reducible() throws {
    let p = smallProblem(.ordinal, ids: ["a", "b", "c"], ballots: [(2, ["a", "b"]), (1, ["b", "a"])])
    #expect(throws: RuleError.self) { try runRule("rank-centrality", p) }
    let out = try runRule("rank-centrality", p, ["prior": "0.5"])
    #expect(out.scores!.allSatisfy { $0.isFinite } && out.tiers.last == [2])
  }
}
