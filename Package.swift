// swift-tools-version: 6.0
//
// Tally: counts participatory-budgeting votes, aggregates preferences under many rules and fits the
// winning projects into a budget envelope.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
  name: "Tally",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "TallyCore", targets: ["TallyCore"]),
    .library(name: "TallyIO", targets: ["TallyIO"]),
    .library(name: "TallyRules", targets: ["TallyRules"]),
    .library(name: "TallyLinearAlgebra", targets: ["TallyLinearAlgebra"]),
    .library(name: "TallyAnalysis", targets: ["TallyAnalysis"]),
    .executable(name: "tally", targets: ["tally"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
  ],
  targets: [
    // MARK: - Public API

    /// Model values: projects, instances, compact profiles, tie-breaking, provenance, exact numbers.
    .target(
      name: "TallyCore",
      dependencies: ["CTallySystem"],
      swiftSettings: swiftSettings
    ),
    /// Linux scheduling calls Swift's Glibc module does not expose (thread placement), atomics on
    /// macOS 14 (no Synchronization module there), and SHA-256 compression (x86 SHA extensions or
    /// portable C). Never a product.
    .target(name: "CTallySystem"),
    /// Readers and writers: Pabulib, PrefLib, election folders, ballot CSV, JSON output.
    .target(
      name: "TallyIO",
      dependencies: ["TallyCore", "CTallySystem"],
      swiftSettings: swiftSettings
    ),
    /// Ranking and allocation rules and the rule catalog.
    .target(
      name: "TallyRules",
      dependencies: ["TallyCore", "TallyLinearAlgebra", "CLAPACK"],
      swiftSettings: swiftSettings
    ),
    /// The only module that talks to BLAS/LAPACK: a column-major matrix and typed errors.
    .target(
      name: "TallyLinearAlgebra",
      dependencies: ["CLAPACK"],
      swiftSettings: swiftSettings
    ),
    /// Comparison of rules, outcome measures, bootstrap stability, weight sweeps, reports.
    .target(
      name: "TallyAnalysis",
      dependencies: [
        "TallyCore", "TallyRules", "TallyIO", "TallyLinearAlgebra",
      ],
      swiftSettings: swiftSettings
    ),

    // MARK: - Implementation details

    /// System BLAS and LAPACK (Debian's libblas-dev and liblapack-dev). Never a product.
    .systemLibrary(
      name: "CLAPACK",
      path: "Sources/CLAPACK",
      providers: [.apt(["libblas-dev", "liblapack-dev"])]
    ),

    // MARK: - CLI

    .executableTarget(
      name: "tally",
      dependencies: [
        "TallyCore", "TallyIO", "TallyRules", "TallyAnalysis", "CTallySystem",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings
    ),

    // MARK: - Tests

    .target(
      name: "TallyTestSupport",
      dependencies: ["TallyCore", "TallyIO"],
      path: "Tests/TallyTestSupport",
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "TallyCoreTests",
      dependencies: ["TallyCore", "TallyTestSupport", .product(name: "BigInt", package: "BigInt")],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "TallyIOTests",
      dependencies: ["TallyCore", "TallyIO", "TallyTestSupport"],
      exclude: ["FuzzRegressions"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "TallyLinearAlgebraTests",
      dependencies: ["TallyLinearAlgebra"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "TallyRulesTests",
      dependencies: ["TallyCore", "TallyIO", "TallyRules", "TallyAnalysis", "TallyTestSupport"],
      exclude: ["Fixtures"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "TallyAnalysisTests",
      dependencies: ["TallyCore", "TallyIO", "TallyRules", "TallyAnalysis", "TallyTestSupport"],
      exclude: ["Fixtures"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "TallyConformanceTests",
      dependencies: ["TallyCore", "TallyIO", "TallyRules", "TallyTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "TallyCLITests",
      dependencies: ["TallyCore", "TallyIO", "TallyTestSupport", "tally"],
      swiftSettings: swiftSettings
    ),
  ]
)
