import TallyCore

/// Small hand-made instances for the analysis tests.
enum Tiny {
  /// Projects A (60, category x), B (40, categories x and y), C (50, no category); budget 100.
  /// Voters: {A}, {A, B}, {C}, {B}. Scores: A 2, B 2, C 1.
  static func fourVoters() -> (Instance, Profile) {
    let projects = [
      Project(id: "A", cost: 60, categories: ["x"], targets: ["kids"]),
      Project(id: "B", cost: 40, categories: ["x", "y"]),
      Project(id: "C", cost: 50),
    ]
    let inst = Instance(meta: [], projects: projects, budget: 100, ballotKind: .approval)
    var b = ProfileBuilder(kind: .approval, projectCount: 3)
    b.add([Int32(0)])
    b.add([Int32(0), 1])
    b.add([Int32(2)])
    b.add([Int32(1)])
    return (inst, b.build())
  }

  /// Eight projects of cost 10, budget 30; 60 voters in a few blocks with different approval sets, so
  /// that rules and resamples disagree a little.
  static func blocks() -> (Instance, Profile) {
    let projects = (0..<8).map { Project(id: "p\($0)", cost: 10 + Int64($0 % 3) * 5, categories: [$0 % 2 == 0 ? "even" : "odd"]) }
    let inst = Instance(meta: [MetaEntry(key: "rule", value: "greedy")], projects: projects, budget: 30, ballotKind: .approval)
    var b = ProfileBuilder(kind: .approval, projectCount: 8)
    let blocks: [([Int32], Int64)] = [([0, 1], 14), ([1, 2], 12), ([0, 3, 4], 10), ([5], 9), ([6, 7], 8), ([2, 5, 7], 7)]
    for (ballot, n) in blocks { b.add(ballot, count: n) }
    return (inst, b.build())
  }
}
