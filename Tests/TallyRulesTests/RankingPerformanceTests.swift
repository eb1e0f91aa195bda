import Foundation
import Testing
import TallyCore
import TallyIO
import TallyRules
import TallyTestSupport

/// Timings for the closing note (run in release: `TALLY_SLOW_TESTS=1 swift test -c release
/// --scratch-path .build-reltest --filter RankingPerformanceTests`). Prints medians; the only
/// assertions are that both pairwise algorithms agree and the 1 M matrix stays under its budget.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TALLY_SLOW_TESTS"] != nil), .serialized)
struct RankingPerformanceTests {
  static func median(_ runs: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    var t: [Double] = []
    for _ in 0..<runs {
      let c = ContinuousClock()
      let d = try c.measure(body)
      t.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
    return t.sorted()[runs / 2]
  }

  /// Krakow 2024's ballots repeated (voter by voter, not merged) to exactly `total` ballots.
  static func replicated(_ p: Profile, total: Int) -> Profile {
    let ballots = p.expandedBallots()
    var offsets = [0]
    var items: [Int32] = []
    offsets.reserveCapacity(total + 1)
    items.reserveCapacity(total * 6)
    for k in 0..<total {
      items.append(contentsOf: ballots[k % ballots.count])
      offsets.append(items.count)
    }
    return Profile(
      kind: p.kind, projectCount: p.projectCount, offsets: offsets, items: items, points: [],
      multiplicities: Array(repeating: 1, count: total), weights: nil, weightScale: 0)
  }

  @Test("pairwise matrix and rules on Krakow 2024 and on 1,000,000 replicated ballots") func krakow() throws {
    guard let path = Datasets.pabulib("Poland_Krakow_2024.pb") else { return }
    let file = try PabulibReader().read(path: path)
    let p = file.profile
    print("krakow2024: \(p.voterCount) ballots, \(p.uniqueBallotCount) unique, \(p.projectCount) projects")
    for algo in [PairwiseMatrix.Algorithm.sparse, .dense] {
      let t = try Self.median { _ = try PairwiseMatrix(profile: p, algorithm: algo) }
      print("pairwise krakow2024 \(algo): \(t) s")
    }
    let big = Self.replicated(p, total: 1_000_000)
    #expect(big.voterCount == 1_000_000)
    let sparse = try PairwiseMatrix(profile: big, algorithm: .sparse)
    let tSparse = try Self.median { _ = try PairwiseMatrix(profile: big, algorithm: .sparse) }
    print("pairwise 1M unmerged sparse: \(tSparse) s (automatic picks \(PairwiseMatrix.preferredAlgorithm(for: big)))")
    let tDense = try Self.median(3) { _ = try PairwiseMatrix(profile: big, algorithm: .dense) }
    print("pairwise 1M unmerged dense: \(tDense) s")
    #expect(try PairwiseMatrix(profile: big, algorithm: .dense) == sparse)
    #expect(tSparse < 0.1)
    let inst = file.instance
    for id in ["score", "borda", "copeland", "minimax", "schulze", "ranked-pairs", "instant-runoff"] {
      let rule = try RuleCatalog.standard.ranking(id)!
      let t65 = try Self.median { _ = try rule.rank(RankingProblem(instance: inst, profile: p)) }
      let t1m = try Self.median { _ = try rule.rank(RankingProblem(instance: inst, profile: big)) }
      print("rule \(id): krakow2024 \(t65) s, 1M unmerged \(t1m) s")
    }
  }

  @Test("crossover between sparse and dense on approval ballots") func crossover() throws {
    let n = 120
    for density in [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0] {
      var b = ProfileBuilder(kind: .approval, projectCount: n)
      var rng = SplitMix64(seed: 7)
      for _ in 0..<20_000 {
        b.add((0..<Int32(n)).filter { _ in Double(rng.next() % 10_000) / 10_000 < density })
      }
      let p = b.build()
      let ts = try Self.median { _ = try PairwiseMatrix(profile: p, algorithm: .sparse) }
      let td = try Self.median { _ = try PairwiseMatrix(profile: p, algorithm: .dense) }
      var pairs = 0.0
      for u in 0..<p.uniqueBallotCount {
        let l = Double(p.offsets[u + 1] - p.offsets[u])
        pairs += l * (l - 1) / 2 + l
      }
      let flops = Double(p.uniqueBallotCount) * 2 * Double(n * n)
      print("crossover density \(density): sparse \(ts) s (\(ts / pairs * 1e9) ns/increment), dense \(td) s (\(td / flops * 1e9) ns/flop), automatic \(PairwiseMatrix.preferredAlgorithm(for: p))")
    }
  }

  @Test("kemeny at its limit of 22 projects") func kemenyLimit() throws {
    let p = RandomProfiles.make(kind: .ordinal, n: 22, voters: 1_000, seed: 5)
    let inst = Instance(meta: [], projects: (0..<22).map { Project(id: "p\($0)", cost: 0) }, budget: 0, ballotKind: .ordinal)
    let t = try Self.median(3) { _ = try KemenyRanking(options: RuleOptions()).rank(RankingProblem(instance: inst, profile: p)) }
    print("kemeny 22 projects: \(t) s")
  }
}
