import Benchmark
import TallyCore
import TallyIO
import TallyRules

#if canImport(Glibc)
  import Glibc
#endif

func pabulibPath(_ name: String) -> String? {
  var dirs: [String] = []
  if let e = getenv("TALLY_PABULIB_DIR") { dirs.append(String(cString: e)) }
  dirs += ["../../shared/datasets/pabulib", "../shared/datasets/pabulib"]
  for d in dirs where access(d + "/" + name, R_OK) == 0 { return d + "/" + name }
  return nil
}

/// Files every rule in the catalog runs on (when it accepts the ballot kind).
let datasets = ["Poland_Lodz_2022.pb", "Poland_Wroclaw_2015_150_-_500.pb", "Poland_Katowice_2020.pb", "Poland_Krakow_2024.pb"]

/// Rules left out of the loop on a file, with the reason (e.g. exponential exact rules past their limit).
func skip(_ rule: String, _ file: PabulibFile) -> Bool {
  rule == "kemeny" && file.instance.projectCount > 20
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 20,
    // Committed static thresholds (Thresholds/): p50 wall time may drift 50% (a noisy shared 2-core
    // machine), malloc counts 25%.
    thresholds: [.wallClock: BenchmarkThresholds(relative: [.p50: 50.0]), .mallocCountTotal: .relaxed])
  pairwiseBenchmarks()
  knapsackBenchmarks()
  for name in datasets {
    guard let path = pabulibPath(name), let file = try? PabulibReader().read(path: path) else { continue }
    for entry in RuleCatalog.standard.entries {
      let d = entry.descriptor
      guard d.accepts.contains(file.instance.ballotKind), !skip(d.id, file) else { continue }
      switch entry {
      case .allocation(let type):
        guard let rule = try? type.init(options: RuleOptions()),
          let problem = try? AllocationProblem(instance: file.instance, profile: file.profile)
        else { continue }
        if d.id == "official", (try? OfficialAllocation.resolve(file.instance)) == nil { continue }
        Benchmark("Allocation/\(d.id)/\(name)") { benchmark in
          for _ in benchmark.scaledIterations { blackHole(try? rule.allocate(problem)) }
        }
      case .ranking(let type):
        guard let rule = try? type.init(options: RuleOptions()) else { continue }
        let problem = RankingProblem(instance: file.instance, profile: file.profile)
        Benchmark("Ranking/\(d.id)/\(name)") { benchmark in
          for _ in benchmark.scaledIterations { blackHole(try? rule.rank(problem)) }
        }
      }
    }
  }
}
