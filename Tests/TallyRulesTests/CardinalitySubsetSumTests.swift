import Testing
import TallyCore
import TallyAnalysis
@testable import TallyRules

/// `_CardinalitySubsetSum` (exactly r items with a sum in a window) against exhaustive answers, and the
/// degenerate path of `max-welfare` against the general one.
@Suite struct CardinalitySubsetSumTests {
  /// Whether some r of `a` sum into [lo, hi], by a dynamic programme over (count, sum) (small sums).
  static func reachable(_ a: [Int64]) -> [[Bool]] {
    let total = Int(a.reduce(0, +))
    var can = [[Bool]](repeating: [Bool](repeating: false, count: total + 1), count: a.count + 1)
    can[0][0] = true
    for (i, w) in a.enumerated() {
      for k in stride(from: i, through: 0, by: -1) {
        for s in stride(from: total - Int(w), through: 0, by: -1) where can[k][s] { can[k + 1][s + Int(w)] = true }
      }
    }
    return can
  }

  static func check(_ a: [Int64], r: Int, lo: Int64, hi: Int64, can: [[Bool]], _ note: String) {
    var q = _CardinalitySubsetSum(ascending: a, nodeLimit: .max)
    let got = q.find(count: r, lo: lo, hi: hi)
    let total = can[0].count - 1
    var want = false
    if r >= 0 && r <= a.count && lo <= hi {
      var s = max(0, lo)
      while s <= min(hi, Int64(total)) && !want {
        want = can[r][Int(s)]
        s += 1
      }
    }
    #expect(!q.limitHit, "\(note)")
    #expect((got != nil) == want, "\(note): r=\(r) window [\(lo), \(hi)] found=\(got != nil) exists=\(want) a=\(a)")
    if let set = got {
      #expect(set.count == r && Set(set).count == r && set.allSatisfy { a.indices.contains($0) }, "\(note)")
      let s = set.reduce(Int64(0)) { $0 + a[$1] }
      #expect(lo <= s && s <= hi, "\(note): sum \(s) outside [\(lo), \(hi)]")
    }
  }

  @Test("Agrees with an exhaustive table on random lists (exact targets and windows, every count)", arguments: 0..<12)
  func randomLists(seed: Int) {
    var rng = TestRNG(UInt64(seed) &+ 77)
    // Small lists (every branch of the search), then long ones (exchanges and the near-extreme
    // meet-in-the-middle), with spread-out or clustered weights and repeats.
    let m = seed < 6 ? rng.int(1...14) : rng.int(40...80)
    let top = [3, 40, 400][seed % 3]
    var a = (0..<m).map { _ in Int64(rng.int(0...top)) }
    if seed % 4 == 1 { a = a.map { $0 * 6 } }  // a common divisor
    a.sort()
    let can = Self.reachable(a)
    let total = a.reduce(0, +)
    for _ in 0..<40 {
      let r = rng.int(0...m)
      let lo = Int64(rng.int(0...Int(total)))
      let width = [0, 0, 1, Int64(rng.int(0...top))][rng.int(0...3)]
      Self.check(a, r: r, lo: lo, hi: lo + width, can: can, "seed \(seed) m=\(m)")
    }
    // Windows just above the smallest and just below the largest sum of r items.
    for r in stride(from: 1, to: m, by: max(1, m / 7)) {
      let minS = a[0..<r].reduce(0, +)
      let maxS = a[(m - r)...].reduce(0, +)
      for d in [1, 2, 5, 17, 60] as [Int64] {
        Self.check(a, r: r, lo: minS + d, hi: minS + d, can: can, "seed \(seed) near min")
        Self.check(a, r: r, lo: maxS - d, hi: maxS - d, can: can, "seed \(seed) near max")
      }
    }
  }

  @Test("Finds exact fills on long lists with large weights, and says no when parity forbids one")
  func largeWeights() {
    var rng = TestRNG(5)
    for _ in 0..<6 {
      let m = 400
      let a = (0..<m).map { _ in Int64(rng.int(1...1_000_000_000)) * 2 }.sorted()
      let r = rng.int(50...350)
      let minS = a[0..<r].reduce(0, +)
      let maxS = a[(m - r)...].reduce(0, +)
      let even = minS + (maxS - minS) / 3 / 2 * 2
      var q = _CardinalitySubsetSum(ascending: a, nodeLimit: 5_000_000)
      let set = q.find(count: r, lo: even, hi: even)
      #expect(set != nil && set!.reduce(Int64(0)) { $0 + a[$1] } == even && Set(set!).count == r, "r=\(r) limit=\(q.limitHit) nodes=\(q.nodes) depth=\((even - minS) / ((a[m - 1] - a[0]) / Int64(m - 1))) of \((maxS - minS) / ((a[m - 1] - a[0]) / Int64(m - 1)))")
      var odd = _CardinalitySubsetSum(ascending: a, nodeLimit: 5_000_000)
      #expect(odd.find(count: r, lo: even + 1, hi: even + 1) == nil && !odd.limitHit)
    }
  }

  /// The documented set of both paths must be the same.
  @discardableResult
  static func bothPaths(costs: [Int64], scores: [Int64], budget: Int64, note: String) -> Bool {
    let tie = Array(costs.indices)
    let fast = MaxWelfare.solveFast(profits: scores, costs: costs, budget: budget, tie: tie)
    let general = MaxWelfare.solveFast(profits: scores, costs: costs, budget: budget, tie: tie, degenerate: false)
    #expect(fast != nil && general != nil, "\(note)")
    guard let f = fast, let g = general else { return false }
    #expect(Set(f.selected) == Set(g.selected), "\(note)")
    return f.method.hasPrefix("degenerate")
  }

  @Test("The degenerate path chooses the general path's set (n = 150 and 400)", arguments: [KnapsackClass.stronglyCorrelated, .inverseStronglyCorrelated, .subsetSum])
  func degenerateClasses(cls: KnapsackClass) {
    for (n, seed, range) in [(150, 1, 50), (150, 2, 1_000), (150, 3, 100_000), (400, 4, 10_000)] as [(Int, UInt64, Int64)] {
      let (costs, scores, budget) = cls.instance(n: n, range: range, seed: seed)
      #expect(Self.bothPaths(costs: costs, scores: scores, budget: budget, note: "\(cls) R=\(range) seed \(seed)"), "\(cls) R=\(range) seed \(seed): degenerate path not taken")
    }
  }

  @Test("Rational slopes, negative intercepts, equal scores and repeated costs")
  func affineScores() {
    var rng = TestRNG(11)
    var degenerate = 0
    for trial in 0..<30 {
      let n = rng.int(20...60)
      let costs = (0..<n).map { _ in Int64(rng.int(1...(trial % 2 == 0 ? 12 : 5_000))) * 4 }
      // score = (num·cost + intercept·den) / den, kept positive.
      let (num, den, intercept): (Int64, Int64, Int64) = [(3, 4, 7), (1, 1, -1), (0, 1, 5), (5, 2, 0), (2, 1, 13)][trial % 5]
      let scores = costs.map { (num * $0) / den + intercept }
      guard scores.allSatisfy({ $0 > 0 }) else { continue }
      let budget = costs.reduce(0, +) * Int64(rng.int(1...3)) / 5
      if Self.bothPaths(costs: costs, scores: scores, budget: budget, note: "trial \(trial)") { degenerate += 1 }
    }
    #expect(degenerate >= 15, "the degenerate path decided only \(degenerate) of 30")
  }
}

extension CardinalitySubsetSumTests {
  @Test("Degenerate classes with n = 2,000 and large costs are decided by the degenerate path",
        arguments: [KnapsackClass.stronglyCorrelated, .inverseStronglyCorrelated, .subsetSum])
  func large(cls: KnapsackClass) throws {
    for (seed, range) in [(1, 1_000_000), (2, 100_000_000)] as [(UInt64, Int64)] {
      let (costs, scores, budget) = cls.instance(n: 2_000, range: range, seed: seed)
      let out = try KnapsackTests.run(KnapsackTests.problem(costs: costs, scores: scores, budget: budget))
      let value = KnapsackTests.value(out.selected, scores)
      #expect(out.spent <= budget)
      guard case .string(let proof)? = out.details["proof"] else { Issue.record("no proof"); continue }
      #expect(proof.hasPrefix("degenerate"), "\(cls) R=\(range) seed \(seed): \(proof)")
      if out.details["rootUpperBound"] != .string(String(value)) {
        // Below the bound: the general path must agree on the set.
        let general = MaxWelfare.solveFast(profits: scores, costs: costs, budget: budget, tie: Array(costs.indices), degenerate: false)
        #expect(general.map { Set($0.selected) } == Set(out.selected), "\(cls) R=\(range) seed \(seed)")
      }
    }
  }
}

extension CardinalitySubsetSumTests {
  @Test("Few items (3 to 8) from a long list: exact answers, checked against a table", arguments: 0..<3)
  func fewItems(seed: Int) {
    var rng = TestRNG(UInt64(seed) &+ 901)
    let m = 120
    let a = (0..<m).map { _ in Int64(rng.int(1...3_000)) }.sorted()
    // can[k][s]: some k of the items sum to s (k ≤ 8).
    let total = Int(a.suffix(8).reduce(0, +))
    var can = [[Bool]](repeating: [Bool](repeating: false, count: total + 1), count: 9)
    can[0][0] = true
    for w in a {
      for k in stride(from: 7, through: 0, by: -1) {
        for s in stride(from: total - Int(w), through: 0, by: -1) where can[k][s] { can[k + 1][s + Int(w)] = true }
      }
    }
    for _ in 0..<120 {
      let r = rng.int(3...8)
      let minS = a.prefix(r).reduce(0, +)
      let maxS = a.suffix(r).reduce(0, +)
      let target = minS + Int64(rng.int(0...Int(maxS - minS)))
      var q = _CardinalitySubsetSum(ascending: a, nodeLimit: .max)
      let got = q.find(count: r, lo: target, hi: target)
      #expect((got != nil) == can[r][Int(target)], "seed \(seed): r=\(r) target \(target)")
      if let set = got {
        #expect(Set(set).count == r && set.reduce(Int64(0)) { $0 + a[$1] } == target)
      }
    }
  }
}
