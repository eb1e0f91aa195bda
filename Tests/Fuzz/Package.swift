// swift-tools-version: 6.0
//
// libFuzzer harnesses for Tally's readers. Build and run with `Tests/Fuzz/run.sh <target> [runs]`.
// A nested package, so that the fuzzing flags never touch the main build.
import PackageDescription

let package = Package(
  name: "TallyFuzz",
  dependencies: [.package(name: "Tally", path: "../..")],
  targets: [
    .target(name: "FuzzSupport", dependencies: [.product(name: "TallyIO", package: "Tally")]),
    .executableTarget(
      name: "FuzzPabulib",
      dependencies: ["FuzzSupport", .product(name: "TallyIO", package: "Tally"), .product(name: "TallyRules", package: "Tally")]
    ),
    .executableTarget(name: "FuzzBallots", dependencies: ["FuzzSupport", .product(name: "TallyIO", package: "Tally")]),
    .executableTarget(name: "FuzzPrefLib", dependencies: ["FuzzSupport", .product(name: "TallyIO", package: "Tally")]),
    .executableTarget(name: "FuzzElection", dependencies: ["FuzzSupport", .product(name: "TallyIO", package: "Tally")]),
  ]
)
