import Testing
import TallyAnalysis
import TallyCore

@Suite struct OutcomeMeasuresTests {
  @Test("Satisfaction, non-empty-handed and Gini on four voters, by hand") func fourVoters() {
    let (inst, profile) = Tiny.fourVoters()
    // Funded {A, B}: cost satisfactions 60, 100, 0, 40 (mean 50); counts 1, 2, 0, 1 (mean 1).
    let m = OutcomeMeasures(funded: [0, 1], instance: inst, profile: profile)
    #expect(m.averageCostSatisfaction == 50)
    #expect(m.averageCostSatisfactionShare == 0.5)
    #expect(m.averageCountSatisfaction == 1)
    #expect(m.nonEmptyHanded == 0.75)
    // Σ|xi − xj| over ordered pairs: 640 for costs, 12 for counts; G = Σ / (2 n² μ).
    #expect(abs(m.giniCost - 640.0 / (2 * 16 * 50)) < 1e-12)
    #expect(abs(m.giniCount - 12.0 / (2 * 16 * 1)) < 1e-12)
  }

  @Test("Gini: equal values 0, (0, 1) one half, weights act as copies") func gini() {
    #expect(OutcomeMeasures.gini(values: [3, 3, 3], weights: [1, 1, 1]) == 0)
    #expect(OutcomeMeasures.gini(values: [0, 1], weights: [1, 1]) == 0.5)
    #expect(OutcomeMeasures.gini(values: [0, 0, 0], weights: [1, 2, 3]) == 0)
    let weighted = OutcomeMeasures.gini(values: [1, 5, 2], weights: [2, 1, 3])
    let copies = OutcomeMeasures.gini(values: [1, 1, 5, 2, 2, 2], weights: [1, 1, 1, 1, 1, 1])
    #expect(abs(weighted - copies) < 1e-12)
  }

  @Test("Duplicate voters counted once per ballot copy, weights ignored when asked") func weights() {
    let inst = Instance(meta: [], projects: [Project(id: "a", cost: 10), Project(id: "b", cost: 10)], budget: 10, ballotKind: .approval)
    var b = ProfileBuilder(kind: .approval, projectCount: 2, weightScale: 0)
    b.add([Int32(0)], weight: 3, count: 1)
    b.add([Int32(1)], weight: 1, count: 1)
    let p = b.build()
    #expect(OutcomeMeasures(funded: [0], instance: inst, profile: p).nonEmptyHanded == 0.75)
    #expect(OutcomeMeasures(funded: [0], instance: inst, profile: p, useWeights: false).nonEmptyHanded == 0.5)
  }

  @Test("Spending by category splits multi-category projects equally") func spending() {
    let (inst, _) = Tiny.fourVoters()
    let g = GroupSpending.compute(funded: [0, 1], instance: inst, scores: [2, 2, 1], groups: \.categories)
    #expect(g.map(\.group) == ["(none)", "x", "y"])
    #expect(g.map(\.spent) == [0, 80, 20])
    #expect(g.map(\.spentShare) == [0, 0.8, 0.2])
    #expect(g.map(\.voteShare) == [0.2, 0.6, 0.2])
    #expect(GroupSpending.compute(funded: [0], instance: inst, scores: [2, 2, 1], groups: { _ in [] }).isEmpty)
  }

  @Test("Spearman with ties uses mid-ranks; Kendall tau-b with ties") func agreement() {
    #expect(RankAgreement.midRanks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
    // a = [1,2,2,4], b = [1,2,3,4]: ρ = 4.5 / √(4.5 · 5).
    let rho = RankAgreement.spearmanRho([1, 2, 2, 4], [1, 2, 3, 4])!
    #expect(abs(rho - 4.5 / (22.5).squareRoot()) < 1e-12)
    #expect(RankAgreement.spearmanRho([1, 2, 3], [3, 2, 1]) == -1)
    #expect(RankAgreement.spearmanRho([1, 1, 1], [1, 2, 3]) == nil)
    // Five concordant pairs, one tied in a only: 5 / √(6 · 5).
    let tau = RankAgreement.kendallTau([1, 2, 2, 4], [1, 2, 3, 4])!
    #expect(abs(tau - 5 / (30.0).squareRoot()) < 1e-12)
    #expect(RankAgreement.moneyInCommon([0, 1], [1, 2], costs: [60, 40, 50]) == 40)
  }
}
