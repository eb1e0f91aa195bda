// swift-tools-version: 6.1
//
// Tally's benchmarks: a nested package so that the benchmark harness stays out of the library's
// dependency graph. Run with `cd Benchmarks && swift package benchmark` (or `make bench`).
import PackageDescription

let package = Package(
  name: "TallyBenchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(name: "Tally", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "Parsing",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "TallyIO", package: "Tally"),
        .product(name: "TallyCore", package: "Tally"),
      ],
      path: "Benchmarks/Parsing",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "Rules",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "TallyIO", package: "Tally"),
        .product(name: "TallyCore", package: "Tally"),
        .product(name: "TallyRules", package: "Tally"),
        .product(name: "TallyAnalysis", package: "Tally"),
      ],
      path: "Benchmarks/Rules",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "Election",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "TallyIO", package: "Tally"),
        .product(name: "TallyCore", package: "Tally"),
        .product(name: "TallyRules", package: "Tally"),
        .product(name: "TallyAnalysis", package: "Tally"),
      ],
      path: "Benchmarks/Election",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ]
)
