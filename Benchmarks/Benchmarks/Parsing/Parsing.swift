import Benchmark
import TallyCore
import TallyIO

#if canImport(Glibc)
  import Glibc
#endif

/// The shared Pabulib folder (TALLY_PABULIB_DIR, else ../../shared/datasets/pabulib from Benchmarks/).
func pabulibPath(_ name: String) -> String? {
  var dirs: [String] = []
  if let e = getenv("TALLY_PABULIB_DIR") { dirs.append(String(cString: e)) }
  dirs += ["../../shared/datasets/pabulib", "../shared/datasets/pabulib"]
  for d in dirs where access(d + "/" + name, R_OK) == 0 { return d + "/" + name }
  return nil
}

/// File size in bytes.
func fileSize(_ path: String) -> Int {
  var st = stat()
  return stat(path, &st) == 0 ? Int(st.st_size) : 0
}

let largest = [
  "Poland_Wroclaw_2015_150_-_500.pb", "Poland_Lodz_2022.pb", "Poland_Krakow_2024.pb", "Poland_Katowice_2020.pb",
  "Poland_Warszawa_2026.pb",
]

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal], maxDuration: .seconds(5),
    maxIterations: 30,
    // Committed static thresholds (Thresholds/): p50 wall time may drift 50% (a noisy shared 2-core
    // machine), malloc counts 25%.
    thresholds: [.wallClock: BenchmarkThresholds(relative: [.p50: 50.0]), .mallocCountTotal: .relaxed])
  for name in largest {
    guard let path = pabulibPath(name) else { continue }
    let bytes = fileSize(path)
    Benchmark("Parsing/read/\(name)", configuration: .init(scalingFactor: .one)) { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try PabulibReader().read(path: path))
      }
    }
    // As `tally` reads: the file mapped into memory rather than copied in (ReadOptions.mapFiles).
    Benchmark("Parsing/read-mapped/\(name)", configuration: .init(scalingFactor: .one)) { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try PabulibReader(options: ReadOptions(mapFiles: true)).read(path: path))
      }
    }
    // As `tally allocate` reads for a rule that uses only the scores (greedy, max-welfare): the same
    // checks, the scores summed per project instead of the ballots merged into a profile.
    Benchmark("Parsing/read-scores-mapped/\(name)", configuration: .init(scalingFactor: .one)) { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try PabulibReader(options: ReadOptions(mapFiles: true)).readScores(path: path))
      }
    }
    Benchmark("Parsing/tally-streaming/\(name)") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try PabulibReader().tally(path: path))
      }
    }
    _ = bytes
  }
}
