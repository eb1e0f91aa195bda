import Testing
import TallyAnalysis
import TallyCore
import TallyRules

@Suite struct WeightSweepTests {
  /// Two projects of cost 1, budget 1, greedy. Channel a (10 voters): P1 8, P2 2; channel b (1,000
  /// voters): P1 300, P2 700. Shares: a (0.8, 0.2), b (0.3, 0.7). With weight t on a,
  /// S(P1) = 0.3 + 0.5 t and S(P2) = 0.7 − 0.5 t cross at t = 0.4 (P1 wins the tie there, by id).
  /// Raw sums: 8t + 300(1 − t) = 2t + 700(1 − t) at t = 400/406 ≈ 0.985: the small channel needs
  /// almost all the weight before it matters.
  @Test("Tiny election: the funded set flips at t = 0.4 with shares and at 400/406 with raw sums") func tiny() throws {
    let inst = Instance(meta: [], projects: [Project(id: "P1", cost: 1), Project(id: "P2", cost: 1)], budget: 1, ballotKind: .approval)
    let shares: [[Rational]] = [[Rational(4) / Rational(5), Rational(1) / Rational(5)], [Rational(3) / Rational(10), Rational(7) / Rational(10)]]
    let raw: [[Rational]] = [[Rational(8), Rational(2)], [Rational(300), Rational(700)]]
    let base = AllocationProblem(instance: inst, profile: nil, scores: [.zero, .zero])
    let rule = try RuleCatalog.standard.allocation("greedy")!
    let sweep = try WeightSweep.run(
      channels: ["a", "b"], weights: [Rational(1) / Rational(2), Rational(1) / Rational(2)], channel: 0,
      normalisations: [("share-of-voters", shares), ("raw", raw)], base: base, rule: rule, steps: 100)
    #expect(sweep.electionWeight == 0.5)
    let s = sweep.curves[0]
    #expect(s.fundedAtZero == [1])
    #expect(s.fundedAtElectionWeight == [0])
    #expect(s.changes.count == 1)
    #expect(abs(s.changes[0].high - 0.4) < 1e-7 && s.changes[0].low < 0.4)
    #expect(s.changes[0].entering == [0] && s.changes[0].leaving == [1])
    let r = sweep.curves[1]
    #expect(r.fundedAtElectionWeight == [1])
    #expect(r.changes.count == 1)
    #expect(abs(r.changes[0].high - 400.0 / 406.0) < 1e-6)
    // Influence at t = 0.5: shares 0.5 / (0.5 + 0.5); raw 5 / (5 + 500).
    #expect(abs(s.influence[50] - 0.5) < 1e-12)
    #expect(abs(r.influence[50] - 5.0 / 505.0) < 1e-12)
  }
}
