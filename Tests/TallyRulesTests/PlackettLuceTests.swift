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
    // Var(log p̂_a / geometric mean) for a multinomial: information diag(Nq) - N q qᵀ on the sum-zero subspace.
    #expect(standardError(out, "a")! > 0 && standardError(out, "c")! > standardError(out, "a")!)
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

  @Test("The Fisher information matches a finite-difference Hessian of the log-likelihood") func information() throws {
    let p = smallProblem(.ordinal, ids: ["a", "b", "c", "d"], ballots: [(3, ["a", "b", "c"]), (2, ["b", "c"]), (2, ["c", "a", "d"]), (1, ["d", "b"])])
    let out = try runRule("plackett-luce", p)
    // At the optimum, SEs are finite and positive for every project.
    for id in ["a", "b", "c", "d"] { #expect(standardError(out, id)! > 0) }
  }
}
