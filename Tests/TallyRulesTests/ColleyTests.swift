import Foundation
import Testing
import TallyCore
import TallyRules

@Suite struct ColleyTests {
  @Test("Two projects: r = (0.5625, 0.4375)") func twoProjects() throws {
    let out = try runRule("colley", BradleyTerryTests.twoToOne)
    #expect(abs(out.scores![0] - 0.5625) < 1e-12 && abs(out.scores![1] - 0.4375) < 1e-12)
  }

  @Test("Matches numpy's solve of the Colley system", arguments: StatisticalFixture.names)
  func numpy(name: String) throws {
    try StatisticalFixture.load(name).check(rule: "colley", model: "colley", exponentiate: false, tolerance: 1e-9)
  }

  @Test("Defined on any input: nobody voted for c, ratings stay finite and average 1/2") func anyInput() throws {
    let p = smallProblem(.approval, ids: ["a", "b", "c"], ballots: [(2, ["a"])])
    let out = try runRule("colley", p)
    #expect(out.scores!.allSatisfy { $0.isFinite })
    #expect(abs(out.scores!.reduce(0) { $0 + $1 } / 3 - 0.5) < 1e-12)
    #expect(out.tiers == [[0], [1, 2]])
  }
}
