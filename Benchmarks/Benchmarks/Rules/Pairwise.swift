import Benchmark
import TallyCore
import TallyIO
import TallyRules

/// The pairwise matrix by both algorithms: Krakow 2024 (ordinal, 3 picks), the same ballots repeated
/// voter by voter to 1,000,000 unmerged ballots, and dense synthetic approval ballots (where `dgemm`
/// can compete).
func pairwiseBenchmarks() {
  if let path = pabulibPath("Poland_Krakow_2024.pb"), let file = try? PabulibReader().read(path: path) {
    let ballots = file.profile.expandedBallots()
    var offsets = [0]
    var items: [Int32] = []
    for k in 0..<1_000_000 {
      items.append(contentsOf: ballots[k % ballots.count])
      offsets.append(items.count)
    }
    let big = Profile(
      kind: .ordinal, projectCount: file.profile.projectCount, offsets: offsets, items: items, points: [],
      multiplicities: Array(repeating: 1, count: 1_000_000), weights: nil, weightScale: 0)
    for (label, p) in [("Krakow2024", file.profile), ("Krakow2024x1M", big)] {
      // Dense GEMM on 1M unmerged ordinal ballots takes over a minute with the reference BLAS: sparse only.
      for algo in label == "Krakow2024" ? [PairwiseMatrix.Algorithm.sparse, .dense] : [.sparse] {
        Benchmark("Pairwise/\(algo.rawValue)/\(label)") { benchmark in
          for _ in benchmark.scaledIterations { blackHole(try? PairwiseMatrix(profile: p, algorithm: algo)) }
        }
      }
    }
  }
  for density in [10, 50, 90] {
    var b = ProfileBuilder(kind: .approval, projectCount: 120)
    var rng = SplitMix64(seed: 7)
    for _ in 0..<20_000 { b.add((0..<Int32(120)).filter { _ in rng.next() % 100 < UInt64(density) }) }
    let p = b.build()
    for algo in [PairwiseMatrix.Algorithm.sparse, .dense] {
      Benchmark("Pairwise/\(algo.rawValue)/approval-120x20000-\(density)pct") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try? PairwiseMatrix(profile: p, algorithm: algo)) }
      }
    }
  }
}
