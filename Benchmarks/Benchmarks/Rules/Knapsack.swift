import Benchmark
import TallyCore
import TallyAnalysis
import TallyRules

/// `max-welfare` on Pisinger's classes of hard knapsack instances: n = 2,000 projects, costs in
/// [1, R] for R = 1e4 and 1e8, budget half the total cost, scores as integers (one instance per class,
/// seed 1; the same generator as `Tests/TallyRulesTests/KnapsackTests.swift`).
func knapsackBenchmarks() {
  for cls in KnapsackClass.allCases {
    for range: Int64 in [10_000, 100_000_000] {
      let (costs, scores, budget) = cls.instance(n: 2_000, range: range, seed: 1)
      let inst = Instance(
        meta: [], projects: costs.indices.map { Project(id: "p\($0)", cost: costs[$0]) }, budget: budget, ballotKind: .approval)
      let problem = AllocationProblem(instance: inst, profile: nil, scores: scores.map { Rational($0) })
      guard let rule = try? MaxWelfare(options: RuleOptions()) else { continue }
      Benchmark("Knapsack/max-welfare/\(cls.rawValue)/n2000/R\(range)", configuration: .init(maxDuration: .seconds(20), maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try? rule.allocate(problem)) }
      }
    }
  }
}

/// Pisinger's classes of knapsack instances (costs w in [1, R]; capacity half the total cost).
