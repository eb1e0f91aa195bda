import Benchmark
import TallyAnalysis
import TallyCore
import TallyIO
import TallyRules

/// The bundled synthetic national election (120,060 public e-votes + 450 committee ballots).
let election = "../datasets/korea-national-2020"

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 30,
    thresholds: [.wallClock: BenchmarkThresholds(relative: [.p50: 50.0]), .mallocCountTotal: .relaxed])
  guard let def = try? ElectionReader.read(path: election) else { return }

  // The main job as `tally run` does it, without process start-up: election.json, both channels'
  // ballot files (streamed, every void ballot counted), combined scores, allocation with envelopes.
  for rule in ["greedy", "max-welfare"] {
    guard let r = try? RuleCatalog.standard.allocation(rule) else { continue }
    Benchmark("Election/run-\(rule)/korea-national-2020") { benchmark in
      for _ in benchmark.scaledIterations {
        let d = try ElectionReader.read(path: election)
        let ballots = try d.readBallots(policy: .void, voterCheck: .auto, keepBallots: false)
        blackHole(try ElectionRun(definition: d, ballots: ballots, rule: r, tieBreak: nil))
      }
    }
  }

  // Reading the ballot files alone (the part `wc -l` is compared with).
  Benchmark("Election/read-ballots/korea-national-2020") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try def.readBallots(policy: .void, voterCheck: .auto, keepBallots: false))
    }
  }
}
