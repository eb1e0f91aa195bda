import Foundation
import Testing
import TallyCore
import TallyIO
import TallyRules
import TallyTestSupport

@Suite struct EqualSharesTests {
  static func approvalProblem(costs: [Int64], budget: Int64, ballots: [[Int32]]) throws -> AllocationProblem {
    let (i, p) = approvalElection(costs: costs, budget: budget, ballots: ballots, ids: costs.indices.map { "p\($0)" })
    return try AllocationProblem(instance: i, profile: p)
  }

  @Test("The worked example: a and c tie at rho 1/2, a wins lexicographically, then b") func example() throws {
    // a = p0 (200; voters 1, 2), b = p1 (100; voter 3), c = p2 (150; voters 1, 3); budget 300.
    let problem = try Self.approvalProblem(costs: [200, 100, 150], budget: 300, ballots: [[0, 2], [0], [1, 2]])
    let out = try EqualShares(options: RuleOptions()).allocate(problem)
    #expect(out.selected == [0, 1])
    guard case .array(let rounds)? = out.details["rounds"], case .object(let r0) = rounds[0] else {
      Issue.record("no trace")
      return
    }
    #expect(r0["rho"] == .string("1/2"))
    #expect(r0["pricePerVoter"] == .string("100"))
    #expect(r0["paidAll"] == .int(2))
  }

  @Test("equalshares.net: a cheap project of a small group beats a popular expensive one") func smallGroup() throws {
    // 10 voters, budget 100 (10 each). p0 costs 80, approved by voters 0-5 (price 13.3 > 10: unaffordable);
    // p1 costs 30 approved by 0-5 (5 each); p2 costs 40 approved by 6-9 (10 each).
    let ballots: [[Int32]] = Array(repeating: [0, 1], count: 6) + Array(repeating: [2], count: 4)
    let problem = try Self.approvalProblem(costs: [80, 30, 40], budget: 100, ballots: ballots)
    let out = try EqualShares(options: RuleOptions()).allocate(problem)
    #expect(out.selected == [1, 2])
  }

  @Test("Fast certified path equals the exact reference on random approval and cumulative profiles",
        arguments: 0..<40)
  func randomAgainstReference(seed: Int) throws {
    var rng = TestRNG(UInt64(seed) &+ 7)
    let m = rng.int(2...7)
    let costs = (0..<m).map { _ in Int64(rng.int(0...4) == 0 ? rng.int(1...3) * 10 : rng.int(1...60)) }
    let voters = rng.int(1...9)
    let cumulative = seed % 2 == 1
    var builder = ProfileBuilder(kind: cumulative ? .cumulative : .approval, projectCount: m)
    var ballots: [[Int]] = []
    var utils: [[Int64]] = []
    for _ in 0..<voters {
      let picks = (0..<m).filter { _ in rng.int(0...2) == 0 }
      let pts = picks.map { _ in Int64(rng.int(1...3)) }
      ballots.append(picks)
      utils.append(cumulative ? pts : picks.map { costs[$0] })
      if cumulative { builder.add(picks.map { Int32($0) }, points: pts) } else { builder.add(picks.map { Int32($0) }) }
    }
    let budget = Int64(rng.int(20...150))
    let inst = Instance(meta: [], projects: costs.indices.map { Project(id: "p\($0)", cost: costs[$0]) }, budget: budget,
                        ballotKind: cumulative ? .cumulative : .approval)
    let problem = try AllocationProblem(instance: inst, profile: builder.build())
    let tie = problem.tieRanks
    let got = try EqualShares(options: RuleOptions()).allocate(problem).selected
    let want = referenceMES(costs: costs, ballots: ballots, utilities: utils, perVoter: Rational(BigInt(budget), BigInt(voters)), tieRank: tie)
    #expect(got == want)
    // mes-add1 equals the naive loop over increments run with the reference.
    let add1 = try EqualSharesAdd1(options: RuleOptions()).allocate(problem).selected
    var previous: [Int] = []
    var k: Int64 = 0
    var expected: [Int] = []
    while true {
      let per = Rational(BigInt(budget), BigInt(voters)) + Rational(k)
      let out = referenceMES(costs: costs, ballots: ballots, utilities: utils, perVoter: per, tieRank: tie)
      let spent = out.reduce(Int64(0)) { $0 + costs[$1] }
      if spent > budget {
        expected = previous
        break
      }
      let supported = costs.indices.filter { p in costs[p] > 0 && ballots.contains { $0.contains(p) } }
      if !supported.contains(where: { !out.contains($0) && costs[$0] <= budget - spent }) {
        expected = out
        break
      }
      previous = out
      k += 1
    }
    #expect(add1 == expected)
    // Runs computed ahead on several threads change nothing, details included.
    for threads in [2, 3] {
      var ahead = problem
      ahead.threads = threads
      let once = try EqualSharesAdd1(options: RuleOptions()).allocate(problem)
      let parallel = try EqualSharesAdd1(options: RuleOptions()).allocate(ahead)
      #expect(parallel.selected == once.selected && parallel.details == once.details)
    }
  }

  @Test("Weights: a voter of weight 2 gets twice the share") func weights() throws {
    let inst = Instance(meta: [], projects: [Project(id: "a", cost: 60), Project(id: "b", cost: 60)], budget: 90, ballotKind: .approval)
    var b = ProfileBuilder(kind: .approval, projectCount: 2)
    b.add([Int32(0)], weight: 2)
    b.add([Int32(1)], weight: 1)
    let problem = try AllocationProblem(instance: inst, profile: b.build())
    // Shares 60 and 30: only a is affordable.
    #expect(try EqualShares(options: RuleOptions()).allocate(problem).selected == [0])
  }

  @Test("Ordinal ballots are refused") func ordinal() throws {
    let inst = Instance(meta: [], projects: [Project(id: "a", cost: 1)], budget: 1, ballotKind: .ordinal)
    var b = ProfileBuilder(kind: .ordinal, projectCount: 1)
    b.add([Int32(0)])
    let problem = try AllocationProblem(instance: inst, profile: b.build())
    #expect(throws: RuleError.self) { try EqualShares(options: RuleOptions()).allocate(problem) }
  }

  @Test("pabutools 1.2.3 fixtures: mes and mes-add1 give the same projects in the same order",
        arguments: AllocationFixtures.fileNames)
  func pabutools(file: String) throws {
    // Debug builds are slow on the larger files: those run with TALLY_SLOW_TESTS set.
    let quick: Set = ["Netherlands_Assen_2024.pb", "Netherlands_Amsterdam_643.pb", "Netherlands_Amsterdam_523.pb",
                      "Poland_Czestochowa_2020_Podjasnogorska.pb", "Poland_Swiecie_2023.pb"]
    if !quick.contains(file) && ProcessInfo.processInfo.environment["TALLY_SLOW_TESTS"] == nil { return }
    let e = AllocationFixtures.pabutools[file]!
    for rule in ["mes", "mes-add1"] {
      guard let got = try AllocationFixtures.run(rule, on: file) else { return }
      #expect(got == e[rule], "\(rule) on \(file)")
    }
  }

  @Test("The two equalshares/add1 files reproduce their selected column",
        arguments: ["Netherlands_Assen_2024.pb", "Poland_Swiecie_2023.pb"])
  func add1Files(file: String) throws {
    guard let path = Datasets.pabulib(file), let got = try AllocationFixtures.run("mes-add1", on: file) else { return }
    // The same with the next runs computed ahead on three threads.
    #expect(try AllocationFixtures.run("mes-add1", on: file, threads: 3) == got)
    let file = try TallyIO.PabulibReader().read(path: path)
    let want = file.instance.projects.filter { $0.fields["selected"] == "1" }.map(\.id)
    #expect(Set(got) == Set(want))
  }

  @Test("mes-add1-greedy adds, by score, what still fits after mes-add1") func greedyCompletion() throws {
    let problem = try Self.approvalProblem(costs: [200, 100, 150], budget: 300, ballots: [[0, 2], [0], [1, 2]])
    let a = try EqualSharesAdd1(options: RuleOptions()).allocate(problem)
    let g = try EqualSharesAdd1Greedy(options: RuleOptions()).allocate(problem)
    #expect(Array(g.selected.prefix(a.selected.count)) == a.selected)
    #expect(g.spent <= 300)
    for p in 0..<3 where !g.selected.contains(p) { #expect(problem.instance.projects[p].cost > 300 - g.spent) }
  }
}
