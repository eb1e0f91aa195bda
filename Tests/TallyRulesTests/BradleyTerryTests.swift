import Foundation
import Testing
import TallyCore
import TallyRules

@Suite struct BradleyTerryTests {
  // Two projects, a over b twice, b over a once: π_a/π_b = 2, θ = ±log(2)/2.
  static let twoToOne = smallProblem(.ordinal, ids: ["a", "b"], ballots: [(2, ["a", "b"]), (1, ["b", "a"])])

  @Test("Two projects: θ = ±log 2 / 2 and the standard error from the Fisher information") func closedForm() throws {
    let out = try runRule("bradley-terry", Self.twoToOne)
    let h = log(2.0) / 2
    #expect(abs(out.scores![0] - h) < 1e-12 && abs(out.scores![1] + h) < 1e-12)
    #expect(out.tiers == [[0], [1]])
    // Information of θ_a - θ_b: 3 · (2/3)(1/3) = 2/3; Var(θ_a) = Var((θ_a-θ_b)/2) = (3/2)/4.
    #expect(abs(standardError(out, "a")! - (3.0 / 8).squareRoot()) < 1e-12)
  }

  @Test("Matches choix ilsr_pairwise on shared ordinal and approval files", arguments: StatisticalFixture.names)
  func choix(name: String) throws {
    let fx = try StatisticalFixture.load(name)
    if fx.errors.contains("bradley-terry") {
      guard let p = try fx.problem() else { return }
      #expect(throws: RuleError.self) { try runRule("bradley-terry", p) }
    } else {
      try fx.check(rule: "bradley-terry", model: "bradley-terry")
    }
  }

  @Test("A project nobody named: a clear error, or finite strengths with prior (recorded)") func separation() throws {
    let p = smallProblem(.ordinal, ids: ["a", "b", "c"], ballots: [(2, ["a", "b"]), (1, ["b", "a"])])
    #expect(throws: RuleError.invalidInput(rule: "bradley-terry", message: "project 'c' is never put above another project (nobody ranked or named it): the maximum-likelihood strengths do not exist (some would be 0 or infinite); pass option prior=<c> (e.g. 0.5) to regularise")) {
      try runRule("bradley-terry", p)
    }
    let rule = try BradleyTerryRanking(options: RuleOptions(["prior": "0.5"]))
    let out = try rule.rank(p)
    #expect(out.scores!.allSatisfy { $0.isFinite })
    #expect(out.tiers == [[0], [1], [2]])
    #expect(rule.recordedOptions["prior"] == "0.5")
    #expect(try BradleyTerryRanking(options: RuleOptions()).recordedOptions["prior"] == "0")
    #expect(throws: RuleError.self) { try BradleyTerryRanking(options: RuleOptions(["prior": "-1"])) }
    #expect(throws: RuleError.self) { try BradleyTerryRanking(options: RuleOptions(["prior": "nan"])) }
  }

  @Test("Disconnected comparisons and perfect separation are errors") func disconnected() throws {
    // a always above b, c always above d, ballots a>b and c>d (unnamed at the bottom: a>c? no: a>{c,d}).
    let sep = smallProblem(.approval, ids: ["a", "b", "c"], ballots: [(3, ["a"]), (2, ["a", "b"])])
    #expect(throws: RuleError.self) { try runRule("bradley-terry", sep) }
  }

  @Test("A symmetric cycle gives equal strengths, one tier") func cycle() throws {
    let p = smallProblem(.ordinal, ids: ["a", "b", "c"], ballots: [(1, ["a", "b", "c"]), (1, ["b", "c", "a"]), (1, ["c", "a", "b"])])
    let out = try runRule("bradley-terry", p)
    #expect(out.tiers == [[0, 1, 2]])
    #expect(out.scores!.allSatisfy { abs($0) < 1e-12 })
  }
}
