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

  // Reading the ballot files alone (the part `wc -l` is compared with): copied in, and mapped as the
  // `tally` command reads them.
  Benchmark("Election/read-ballots/korea-national-2020") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try def.readBallots(policy: .void, voterCheck: .auto, keepBallots: false))
    }
  }
  Benchmark("Election/read-ballots-mapped/korea-national-2020") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try def.readBallots(policy: .void, voterCheck: .auto, keepBallots: false, mapFiles: true))
    }
  }

  // The bootstrap (issue #7): 100 resamples of the voters, every rule `tally compare` runs by
  // default on the combined election (Kemeny is past its size limit), one worker.
  if let greedy = try? RuleCatalog.standard.allocation("greedy"),
    let ballots = try? def.readBallots(policy: .void, voterCheck: .auto, keepBallots: true),
    let run = try? ElectionRun(definition: def, ballots: ballots, rule: greedy, tieBreak: nil)
  {
    let input = ComparisonInput(
      instance: run.definition.instance, profile: run.combinedProfile(), scores: run.scores.combined, tieBreak: run.tieBreak,
      auxiliary: run.scores.tieBreakAuxiliary, constraints: run.problem.constraints, measuresUseWeights: false)
    let rules = RuleCatalog.standard.entries.filter {
      $0.descriptor.accepts.contains(.approval) && $0.descriptor.id != "kemeny"
    }
    Benchmark("Election/bootstrap-100/korea-national-2020", configuration: .init(maxIterations: 5)) { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(Bootstrap.runSequentially(input, rules: rules, options: BootstrapOptions(resamples: 100, seed: 1)))
      }
    }
  }
}
