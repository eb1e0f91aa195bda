import Foundation
import Testing
import TallyCore
import TallyAnalysis
import TallyRules
import TallyTestSupport

@Suite struct KnapsackTests {
  static func problem(costs: [Int64], scores: [Int64], budget: Int64, constraints: AllocationConstraints = .none) -> AllocationProblem {
    MaxWelfareTests.problem(costs: costs, scores: scores, budget: budget, constraints: constraints)
  }

  static func run(_ p: AllocationProblem) throws -> AllocationOutcome { try MaxWelfare(options: RuleOptions()).allocate(p) }

  /// The branch and bound's choice (the documented one): a constraint that removes no set sends the
  /// problem down the constrained path.
  static func branchAndBound(costs: [Int64], scores: [Int64], budget: Int64) throws -> [Int] {
    let c = AllocationConstraints(maxProjects: costs.count)
    return try run(problem(costs: costs, scores: scores, budget: budget, constraints: c)).selected
  }

  static func value(_ set: [Int], _ scores: [Int64]) -> Int64 { set.reduce(0) { $0 + scores[$1] } }

  @Test("Equals brute force (value) and the branch and bound (set) on small instances of every class",
        arguments: KnapsackClass.allCases, [Int64(10), 1_000, 1_000_000_000_000])
  func small(cls: KnapsackClass, range: Int64) throws {
    for seed in 0..<25 as Range<UInt64> {
      let n = 1 + Int(seed % 12)
      var (costs, scores, budget) = cls.instance(n: n, range: range, seed: seed)
      if seed % 5 == 4 { budget = costs.reduce(0, +) * 3 / 4 }  // other capacities
      let want = MaxWelfareTests.bruteForce(costs: costs, scores: scores, budget: budget, c: .none)
      let out = try Self.run(Self.problem(costs: costs, scores: scores, budget: budget))
      #expect(Self.value(out.selected, scores) == want, "\(cls) R=\(range) seed \(seed)")
      #expect(out.spent <= budget)
      #expect(Set(out.selected) == Set(try Self.branchAndBound(costs: costs, scores: scores, budget: budget)), "\(cls) R=\(range) seed \(seed)")
    }
  }

  @Test("Chooses the same optimal set as the branch and bound when many sets tie", arguments: 0..<40)
  func ties(seed: Int) throws {
    var rng = TestRNG(UInt64(seed) &+ 1000)
    let n = rng.int(2...12)
    let scale: Int64 = seed % 2 == 0 ? 1 : 1_000_000_000_000
    // Few distinct costs and scores: many optimal sets.
    let costs = (0..<n).map { _ in Int64(rng.int(1...4)) * scale }
    let scores = seed % 3 == 0 ? costs.map { $0 / scale } : (0..<n).map { _ in Int64(rng.int(1...3)) }
    let budget = costs.reduce(0, +) / 2
    let out = try Self.run(Self.problem(costs: costs, scores: scores, budget: budget))
    #expect(Self.value(out.selected, scores) == MaxWelfareTests.bruteForce(costs: costs, scores: scores, budget: budget, c: .none))
    #expect(Set(out.selected) == Set(try Self.branchAndBound(costs: costs, scores: scores, budget: budget)))
  }

  @Test("Zero costs, costs above the budget and an empty budget")
  func edges() throws {
    let out = try Self.run(Self.problem(costs: [0, 5, 11, 3, 0], scores: [2, 4, 9, 3, 1], budget: 8))
    #expect(Set(out.selected) == [0, 1, 3, 4])
    let none = try Self.run(Self.problem(costs: [4, 5], scores: [1, 1], budget: 3))
    #expect(none.selected.isEmpty)
    let all = try Self.run(Self.problem(costs: [1, 2, 3], scores: [1, 1, 1], budget: 100))
    #expect(Set(all.selected) == [0, 1, 2])
  }

  /// Exact optimum by dynamic programming over the budget (small budgets only).
  static func budgetDP(costs: [Int64], scores: [Int64], budget: Int64) -> Int64 {
    var best = [Int64](repeating: 0, count: Int(budget) + 1)
    for i in costs.indices where costs[i] <= budget {
      let w = Int(costs[i])
      for b in stride(from: Int(budget), through: w, by: -1) where best[b - w] + scores[i] > best[b] {
        best[b] = best[b - w] + scores[i]
      }
    }
    return best[Int(budget)]
  }

  @Test("Medium instances (n = 200) equal a dynamic programme over the budget", arguments: KnapsackClass.allCases)
  func medium(cls: KnapsackClass) throws {
    for seed in 0..<3 as Range<UInt64> {
      let (costs, scores, budget) = cls.instance(n: 200, range: 100, seed: seed)
      let out = try Self.run(Self.problem(costs: costs, scores: scores, budget: budget))
      #expect(Self.value(out.selected, scores) == Self.budgetDP(costs: costs, scores: scores, budget: budget), "\(cls) seed \(seed)")
      #expect(out.spent <= budget)
    }
  }

  @Test("A strongly correlated instance with n = 2,000 is solved exactly")
  func largeStronglyCorrelated() throws {
    let (costs, scores, budget) = KnapsackClass.stronglyCorrelated.instance(n: 2_000, range: 60, seed: 7)
    let out = try Self.run(Self.problem(costs: costs, scores: scores, budget: budget))
    #expect(Self.value(out.selected, scores) == Self.budgetDP(costs: costs, scores: scores, budget: budget))
    #expect(out.spent <= budget)
  }

  @Test("Hard classes with n = 2,000 and large costs finish (R = 1e8)",
        .enabled(if: ProcessInfo.processInfo.environment["TALLY_SLOW_TESTS"] != nil),
        arguments: KnapsackClass.allCases)
  func largeHard(cls: KnapsackClass) throws {
    let (costs, scores, budget) = cls.instance(n: 2_000, range: 100_000_000, seed: 1)
    let out = try Self.run(Self.problem(costs: costs, scores: scores, budget: budget))
    #expect(out.spent <= budget)
    let bound = out.details["rootUpperBound"]
    #expect(bound != nil)
  }

  /// Timing table (release build): `TALLY_KNAPSACK_TIMING=1 swift test -c release --filter KnapsackTests/timing`.
  /// Five instances (seeds 1-5) per class and range, one run each after a warm-up; median and slowest.
  @Test("Timing of the hard classes", .enabled(if: ProcessInfo.processInfo.environment["TALLY_KNAPSACK_TIMING"] != nil))
  func timing() throws {
    let ranges: [Int64] = [10_000, 1_000_000, 100_000_000]
    for cls in KnapsackClass.allCases {
      for r in ranges {
        var times: [Double] = []
        var paths: [String] = []
        for seed in 1...5 as ClosedRange<UInt64> {
          let (costs, scores, budget) = cls.instance(n: 2_000, range: r, seed: seed)
          let p = Self.problem(costs: costs, scores: scores, budget: budget)
          if seed == 1 { _ = try Self.run(p) }
          let t0 = DispatchTime.now().uptimeNanoseconds
          let out = try Self.run(p)
          times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
          if case .string(let proof)? = out.details["proof"] { paths.append(String(proof.prefix(10))) }
        }
        let sorted = times.sorted()
        print(String(format: "TIMING %@ R=%.0e median %.1f ms, slowest %.1f ms ", cls.rawValue, Double(r), sorted[2], sorted[4]) + "seeds 1-5: " + times.map { String(format: "%.1f", $0) }.joined(separator: " ") + " " + paths.joined(separator: ","))
      }
    }
  }
}
