import Foundation
import Testing
import TallyCore
import TallyRules

@Suite struct HodgeRankTests {
  @Test("Two projects: s = ±1/6, no cyclic flow") func twoProjects() throws {
    let out = try runRule("hodgerank", BradleyTerryTests.twoToOne)
    #expect(abs(out.scores![0] - 1.0 / 6) < 1e-12 && abs(out.scores![1] + 1.0 / 6) < 1e-12)
    guard case .number(let share)? = out.details["cyclicShare"] else { Issue.record("no cyclicShare"); return }
    #expect(abs(Double(share)!) < 1e-15)
  }

  @Test("A pure Condorcet cycle is all cyclic: share 1, one tier") func cycle() throws {
    let p = smallProblem(.ordinal, ids: ["a", "b", "c"], ballots: [(1, ["a", "b", "c"]), (1, ["b", "c", "a"]), (1, ["c", "a", "b"])])
    let out = try runRule("hodgerank", p)
    #expect(out.tiers == [[0, 1, 2]])
    guard case .number(let share)? = out.details["cyclicShare"] else { Issue.record("no cyclicShare"); return }
    #expect(abs(Double(share)! - 1) < 1e-12)
  }

  @Test("Matches a numpy least-squares solve on the edge-incidence matrix", arguments: StatisticalFixture.names)
  func numpy(name: String) throws {
    let fx = try StatisticalFixture.load(name)
    try fx.check(rule: "hodgerank", model: "hodgerank", exponentiate: false, tolerance: 1e-9)
    guard let p = try fx.problem() else { return }
    guard case .number(let share)? = try runRule("hodgerank", p).details["cyclicShare"] else { Issue.record("no share"); return }
    #expect(abs(Double(share)! - fx.cyclicShare) < 1e-9)
  }

  @Test("Projects never compared with the rest: a disconnected-graph error") func disconnected() throws {
    // Scoring ballots giving 0 points never compare c and d with anything... use approval: nobody names c or d,
    // so c and d are compared with a and b (they lose); the graph is connected and c, d tie at the bottom.
    let p = smallProblem(.approval, ids: ["a", "b", "c", "d"], ballots: [(2, ["a"]), (1, ["b"])])
    let out = try runRule("hodgerank", p)
    #expect(out.tiers == [[0], [1], [2, 3]])
    #expect(out.scores!.allSatisfy { $0.isFinite })
  }
}
