import Testing
import TallyCore
import TallyRules
import TallyTestSupport

@Suite struct PhragmenTests {
  @Test("Worked example: a at load 2, b at 3, then stop on the unsupported c that does not fit") func example() throws {
    let (i, p) = approvalElection(costs: [4, 3, 5], budget: 10, ballots: [[0], [0], [1]], ids: ["a", "b", "c"])
    let out = try SequentialPhragmen(options: RuleOptions()).allocate(try AllocationProblem(instance: i, profile: p))
    #expect(out.selected == [0, 1])
    #expect(out.details["stoppedAt"] == .array([.string("c")]))
  }

  @Test("Stops (does not skip) when the best project does not fit") func stops() throws {
    // Loads: c 1/1, b 5/2, a 8/3. c and b are bought; a does not fit in 10 - 6 = 4, so the rule stops
    // there, although the cheaper unsupported d (cost 1) would fit.
    let (i, p) = approvalElection(costs: [8, 5, 1, 1], budget: 10, ballots: [[0], [0], [0], [1], [1], [2]], ids: ["a", "b", "c", "d"])
    let out = try SequentialPhragmen(options: RuleOptions()).allocate(try AllocationProblem(instance: i, profile: p))
    #expect(out.selected == [2, 1])
    #expect(out.details["stoppedAt"] == .array([.string("a")]))
  }

  @Test("Projects costing more than the budget are removed first") func tooExpensive() throws {
    let (i, p) = approvalElection(costs: [20, 5], budget: 10, ballots: [[0], [0], [0], [1]], ids: ["a", "b"])
    let out = try SequentialPhragmen(options: RuleOptions()).allocate(try AllocationProblem(instance: i, profile: p))
    #expect(out.selected == [1])
  }

  @Test("pabutools 1.2.3 fixtures: the same funded set", arguments: AllocationFixtures.fileNames)
  func pabutools(file: String) throws {
    guard let want = AllocationFixtures.pabutools[file]?["phragmen"] else { return }
    guard let got = try AllocationFixtures.run("phragmen", on: file) else { return }
    #expect(got.sorted() == want.sorted())
  }
}
