import Testing
import TallyCore
import TallyRules

/// Builds an approval instance from costs and ballots given as project indices.
func approvalElection(costs: [Int64], budget: Int64, ballots: [[Int32]], ids: [String]? = nil, meta: [MetaEntry] = [])
  -> (Instance, Profile)
{
  let ids = ids ?? costs.indices.map { "p\($0)" }
  let inst = Instance(
    meta: meta, projects: zip(ids, costs).map { Project(id: $0, cost: $1) }, budget: budget, ballotKind: .approval)
  var b = ProfileBuilder(kind: .approval, projectCount: costs.count)
  for x in ballots { b.add(x) }
  return (inst, b.build())
}

@Suite struct GreedyTests {
  // Scores: p0=6, p1=5, p2=3.
  static let ballots: [[Int32]] = Array(repeating: [0, 1, 2], count: 3) + [[0, 1], [0, 1], [0]]

  @Test("greedy skips what does not fit and carries on") func greedy() throws {
    let (i, p) = approvalElection(costs: [6, 5, 4], budget: 10, ballots: Self.ballots)
    let out = try GreedyAllocation(options: RuleOptions()).allocate(try AllocationProblem(instance: i, profile: p))
    #expect(out.selected == [0, 2])
    #expect(out.spent == 10)
  }

  @Test("greedy-no-skip stops at the first project that does not fit") func noSkip() throws {
    let (i, p) = approvalElection(costs: [6, 5, 4], budget: 10, ballots: Self.ballots)
    let out = try GreedyNoSkipAllocation(options: RuleOptions()).allocate(try AllocationProblem(instance: i, profile: p))
    #expect(out.selected == [0])
  }

  @Test("greedy-threshold drops projects under META min_project_score_threshold") func threshold() throws {
    let (i, p) = approvalElection(
      costs: [6, 3, 4], budget: 10, ballots: Self.ballots, meta: [MetaEntry(key: "min_project_score_threshold", value: "4")])
    let out = try GreedyThresholdAllocation(options: RuleOptions()).allocate(try AllocationProblem(instance: i, profile: p))
    #expect(out.selected == [0, 1])
    let opt = try GreedyThresholdAllocation(options: RuleOptions(["threshold": "7"]))
    #expect(try opt.allocate(try AllocationProblem(instance: i, profile: p)).selected == [])
  }

  @Test("Ties follow the tie-break: lexicographic \"10\" before \"9\", or lower cost") func ties() throws {
    let (i, p) = approvalElection(costs: [5, 6], budget: 6, ballots: [[0, 1]], ids: ["9", "10"])
    let lex = try GreedyAllocation(options: RuleOptions()).allocate(try AllocationProblem(instance: i, profile: p))
    #expect(lex.selected == [1])
    let cheap = try GreedyAllocation(options: RuleOptions()).allocate(
      try AllocationProblem(instance: i, profile: p, tieBreak: try TieBreak(parsing: "lower-cost")))
    #expect(cheap.selected == [0])
  }

  @Test("Envelope caps and floors: the reserved share is filled first") func envelopes() throws {
    let (i, p) = approvalElection(costs: [6, 5, 4], budget: 10, ballots: Self.ballots)
    var problem = try AllocationProblem(instance: i, profile: p)
    problem.constraints = AllocationConstraints(envelopes: [.init(name: "marginalised", projects: [1], floor: 5)])
    let out = try GreedyAllocation(options: RuleOptions()).allocate(problem)
    #expect(out.selected == [1, 2])
    problem.constraints = AllocationConstraints(envelopes: [.init(name: "type A", projects: [0, 2], cap: 6)])
    #expect(try GreedyAllocation(options: RuleOptions()).allocate(problem).selected == [0])
  }

  @Test("official runs the META rule and refuses rules it cannot run") func official() throws {
    let (i, p) = approvalElection(
      costs: [6, 5, 4], budget: 10, ballots: Self.ballots, meta: [MetaEntry(key: "rule", value: "greedy-no-skip")])
    #expect(try OfficialAllocation(options: RuleOptions()).allocate(try AllocationProblem(instance: i, profile: p)).selected == [0])
    let (j, q) = approvalElection(
      costs: [6, 5, 4], budget: 10, ballots: Self.ballots, meta: [MetaEntry(key: "rule", value: "equalshares/add1")])
    #expect(throws: RuleError.self) {
      try OfficialAllocation(options: RuleOptions()).allocate(try AllocationProblem(instance: j, profile: q))
    }
  }
}
