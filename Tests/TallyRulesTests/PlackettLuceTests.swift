import Foundation
import Testing
import TallyCore
import TallyRules

@Suite struct PlackettLuceTests {
  @Test("Choose-1 ballots are the multinomial logit: strengths proportional to choices") func logit() throws {
    let p = smallProblem(.choose1, ids: ["a", "b", "c"], ballots: [(4, ["a"]), (2, ["b"]), (1, ["c"])])
    let out = try runRule("plackett-luce", p)
    let s = out.scores!
    #expect(abs((s[0] - s[1]) - log(2.0)) < 1e-10 && abs((s[1] - s[2]) - log(2.0)) < 1e-10)
    #expect(abs(s.reduce(0) { $0 + $1 }) < 1e-12)
    // Multinomial: Cov(log p̂) = diag(1/N_i) - J/N; centring kills J, so Var(θ_a) = Σ_k C_ak² / N_k with
    // C = I - J/3: (2/3)²/4 + (1/3)²(1/2 + 1) = 5/18; likewise θ_c: (1/3)²(1/4 + 1/2) + (2/3)² = 19/36.
    #expect(abs(standardError(out, "a")! - (5.0 / 18).squareRoot()) < 1e-10)
    #expect(abs(standardError(out, "c")! - (19.0 / 36).squareRoot()) < 1e-10)
  }

  @Test("Matches choix ilsr_top1 (three choice events per ballot) on shared ordinal files", arguments: StatisticalFixture.names)
  func choix(name: String) throws {
    let fx = try StatisticalFixture.load(name)
    if fx.kind != "ordinal" { return }
    try fx.check(rule: "plackett-luce", model: "plackett-luce")
  }

  @Test("The order of the ranked projects matters: a first place weighs more than a second") func order() throws {
    let p = smallProblem(.ordinal, ids: ["a", "b", "c"], ballots: [(3, ["a", "b"]), (2, ["b", "a"]), (1, ["c"])])
    let out = try runRule("plackett-luce", p)
    #expect(out.tiers.first == [0])
  }

  @Test("Approval ballots are refused; a project never chosen needs the prior") func badCases() throws {
    let a = smallProblem(.approval, ids: ["a", "b"], ballots: [(1, ["a"])])
    #expect(throws: RuleError.unsupportedBallotKind(rule: "plackett-luce", kind: .approval)) { try runRule("plackett-luce", a) }
    let c = smallProblem(.choose1, ids: ["a", "b", "c"], ballots: [(2, ["a"]), (1, ["b"])])
    #expect(throws: RuleError.self) { try runRule("plackett-luce", c) }
    let out = try runRule("plackett-luce", c, ["prior": "1"])
    #expect(out.scores!.allSatisfy { $0.isFinite } && out.tiers == [[0], [1], [2]])
    #expect(standardError(out, "c")!.isFinite)
  }

  @Test("Standard errors are finite and positive for every project on mixed-length ballots") func information() throws {
    let p = smallProblem(.ordinal, ids: ["a", "b", "c", "d"], ballots: [(3, ["a", "b", "c"]), (2, ["b", "c"]), (2, ["c", "a", "d"]), (1, ["d", "b"])])
    let out = try runRule("plackett-luce", p)
    for id in ["a", "b", "c", "d"] { #expect(standardError(out, id)! > 0) }
  }
}
