import Testing
import TallyAnalysis
import TallyCore
import TallyRules

@Suite struct BootstrapTests {
  let rules = ["greedy", "score"].map { RuleCatalog.standard.entry($0)! }

  func input() throws -> ComparisonInput {
    let (inst, profile) = Tiny.blocks()
    return try ComparisonInput(instance: inst, profile: profile)
  }

  @Test("A seed gives the same result sequentially, with two workers, and when run again") func determinism() async throws {
    let x = try input()
    let a = Bootstrap.runSequentially(x, rules: rules, options: BootstrapOptions(resamples: 40, seed: 11))
    let b = await Bootstrap.run(x, rules: rules, options: BootstrapOptions(resamples: 40, seed: 11, workers: 2))
    let c = await Bootstrap.run(x, rules: rules, options: BootstrapOptions(resamples: 40, seed: 11, workers: 3))
    #expect(a == b)
    #expect(a == c)
    let d = Bootstrap.runSequentially(x, rules: rules, options: BootstrapOptions(resamples: 40, seed: 12))
    #expect(a != d)
  }

  @Test("A resample draws n voters over the unique ballots, and its scores match the profile's") func resample() throws {
    let x = try input()
    let r = BootstrapResampler(x)
    for b in 0..<5 {
      let counts = r.counts(resample: b, seed: 99)
      #expect(counts.reduce(0, +) == x.profile!.voterCount)
      let p = r.profile(counts: counts)
      #expect(p.voterCount == x.profile!.voterCount)
      #expect(r.scoreUnitsSparse(counts) == p.scoreUnits()!)
    }
    // Resample b does not depend on which other resamples were drawn.
    #expect(r.counts(resample: 3, seed: 99) == r.counts(resample: 3, seed: 99))
  }

  @Test("A project every voter approves is always funded and always ranked first") func unanimous() throws {
    let inst = Instance(
      meta: [], projects: [Project(id: "a", cost: 5), Project(id: "b", cost: 5), Project(id: "c", cost: 5)], budget: 5,
      ballotKind: .approval)
    var pb = ProfileBuilder(kind: .approval, projectCount: 3)
    pb.add([Int32(0), 1], count: 30)
    pb.add([Int32(0), 2], count: 20)
    let x = try ComparisonInput(instance: inst, profile: pb.build())
    let res = Bootstrap.runSequentially(x, rules: rules, options: BootstrapOptions(resamples: 30, seed: 5))
    let g = res.rules[0]
    #expect(g.fundedProbability == [1, 0, 0])
    #expect(g.runs == 30 && g.failures == 0)
    let s = res.rules[1]
    #expect(s.rankLow![0] == 1 && s.rankHigh![0] == 1 && s.firstProbability![0] == 1)
    // b (30 of 50) beats c (20 of 50) in almost every resample: its median rank is 2.
    #expect(s.rankMedian![1] == 2 && s.rankMedian![2] == 3)
  }

  @Test("GEMM scores equal sparse counting, and the bootstrap result does not depend on the method") func gemm() throws {
    let x = try input()
    let r = BootstrapResampler(x)
    let counts = (0..<7).map { r.counts(resample: $0, seed: 4) }
    #expect(r.scoreUnitsGEMM(counts)! == counts.map { r.scoreUnitsSparse($0) })
    let a = Bootstrap.runSequentially(x, rules: rules, options: BootstrapOptions(resamples: 70, seed: 2, scoreMethod: .sparse))
    var b = Bootstrap.runSequentially(x, rules: rules, options: BootstrapOptions(resamples: 70, seed: 2, scoreMethod: .gemm))
    #expect(b.scoreMethod == .gemm)
    b.scoreMethod = .sparse
    #expect(a == b)
  }

  @Test("Nearest-rank quantiles") func quantiles() {
    #expect(Bootstrap.quantileIndex(0.05, count: 1000) == 49)
    #expect(Bootstrap.quantileIndex(0.95, count: 1000) == 949)
    #expect(Bootstrap.quantileIndex(0.5, count: 1) == 0)
    #expect(Bootstrap.quantileIndex(0, count: 10) == 0)
    #expect(Bootstrap.quantileIndex(1, count: 10) == 9)
  }
}
