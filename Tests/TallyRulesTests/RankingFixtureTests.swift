import Foundation
import Testing
import TallyCore
import TallyIO
import TallyRules
import TallyTestSupport

/// Expected outputs written by Fixtures/ranking/make_fixtures.py (pref_voting, preflibtools).
struct RankingFixture: Decodable {
  struct PrefLib: Decodable {
    var alternatives: Int
    var voters: Int64
    var uniqueOrders: Int
    var rankedPairCounts: [[Int64]]
  }
  var file: String
  var projects: [String]
  var voters: Int64
  var support: [[Int64]]
  var borda: [Int64]
  var copeland: [Int64]
  var minimaxWorstDefeat: [Int64]
  var condorcetWinner: String?
  var smithSet: [String]
  var schulzeBeats: [Int64]
  var rankedPairsWinners: [String]
  var kemenyOptimalOrders: [[String]]?
  var kemenyAgreement: Int64?
  var instantRunoff: [String]
  var preflib: PrefLib

  static let names = [
    "Poland_Krakow_2018_Swoszowice", "Poland_Krakow_2022_Lagiewniki-Borek_Falecki", "Poland_Krakow_2024_Swoszowice",
    "Poland_Krakow_2019_Nowa_Huta", "US_Stanford_Dataset_PB_Chicago_39th_Ward_2020_vote_rankings",
    "Worldwide_Mechanical_Turk_Ranking_value_3", "US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings",
    "US_Stanford_Dataset_Saratoga_NY_2022_vote_rankings",
  ]

  static func load(_ name: String) throws -> RankingFixture {
    let text = Datasets.readText(Datasets.path("Tests/TallyRulesTests/Fixtures/ranking/\(name).json"))!
    return try JSONDecoder().decode(RankingFixture.self, from: Data(text.utf8))
  }

  static func soiPath(_ name: String) -> String { Datasets.path("Tests/TallyRulesTests/Fixtures/ranking/\(name).soi") }
}

@Suite struct RankingFixtureTests {
  /// The fixture's ballots: from the committed PrefLib copy, so no shared dataset is needed.
  static func problem(_ name: String) throws -> (RankingFixture, RankingProblem) {
    let fx = try RankingFixture.load(name)
    let file = try PrefLibReader().read(path: RankingFixture.soiPath(name))
    // PrefLib alternatives are 1...m in the Pabulib file's project order; keep the Pabulib ids.
    let inst = Instance(meta: [], projects: fx.projects.map { Project(id: $0, cost: 0) }, budget: 0, ballotKind: .ordinal)
    return (fx, RankingProblem(instance: inst, profile: file.profile))
  }

  static func run(_ rule: String, _ problem: RankingProblem, _ options: [String: String] = [:]) throws -> RankingOutcome {
    try RuleCatalog.standard.ranking(rule, options: RuleOptions(options))!.rank(problem)
  }

  @Test("PrefLib reader agrees with preflibtools", arguments: RankingFixture.names)
  func preflib(name: String) throws {
    let fx = try RankingFixture.load(name)
    let file = try PrefLibReader().read(path: RankingFixture.soiPath(name))
    #expect(file.instance.projectCount == fx.preflib.alternatives)
    #expect(file.voters == fx.preflib.voters)
    #expect(file.profile.uniqueBallotCount == fx.preflib.uniqueOrders)
    let m = fx.projects.count
    var ranked = [[Int64]](repeating: [Int64](repeating: 0, count: m), count: m)
    for b in 0..<file.profile.uniqueBallotCount {
      let items = Array(file.profile.ballot(b))
      for i in 0..<items.count { for j in (i + 1)..<max(items.count, i + 1) { ranked[Int(items[i])][Int(items[j])] += file.profile.multiplicities[b] } }
    }
    #expect(ranked == fx.preflib.rankedPairCounts)
  }

  @Test("support, Borda, Copeland, minimax, Schulze, Condorcet and Smith match pref_voting", arguments: RankingFixture.names)
  func pairwise(name: String) throws {
    let (fx, problem) = try Self.problem(name)
    let m = try PairwiseMatrix(profile: problem.profile)
    let n = fx.projects.count
    #expect((0..<n).map { a in (0..<n).map { b in m[a, b] } } == fx.support)
    #expect(try Self.run("borda", problem).scores == fx.borda.map(Double.init))
    #expect(try Self.run("copeland", problem).scores == fx.copeland.map(Double.init))
    #expect(try Self.run("minimax", problem).scores == fx.minimaxWorstDefeat.map(Double.init))
    let schulze = try Self.run("schulze", problem)
    #expect(schulze.scores == fx.schulzeBeats.map(Double.init))
    #expect(schulze.details["condorcetWinner"] == (fx.condorcetWinner.map { .string($0) } ?? .null))
    #expect(schulze.details["smithSet"] == .array(fx.smithSet.map { .string($0) }))
  }

  @Test("ranked-pairs' winner is a pref_voting Ranked Pairs winner", arguments: RankingFixture.names)
  func rankedPairs(name: String) throws {
    let (fx, problem) = try Self.problem(name)
    let out = try Self.run("ranked-pairs", problem)
    for i in out.tiers[0] { #expect(fx.rankedPairsWinners.contains(fx.projects[i])) }
  }

  @Test("kemeny's order is one of the optimal orders found by brute force", arguments: RankingFixture.names)
  func kemeny(name: String) throws {
    let (fx, problem) = try Self.problem(name)
    guard let orders = fx.kemenyOptimalOrders else { return }
    let out = try Self.run("kemeny", problem)
    #expect(orders.contains(out.tiers.map { fx.projects[$0[0]] }))
    #expect(out.details["agreement"] == .double(Double(fx.kemenyAgreement!)))
    #expect(out.details["optimalOrderUnique"] == .bool(orders.count == 1))
  }

  @Test("instant-runoff matches the reference elimination order", arguments: RankingFixture.names)
  func instantRunoff(name: String) throws {
    let (fx, problem) = try Self.problem(name)
    #expect(try Self.run("instant-runoff", problem).tiers.map { fx.projects[$0[0]] } == fx.instantRunoff)
  }

  @Test("the Pabulib file gives the same ballots as the fixture", arguments: RankingFixture.names)
  func pabulib(name: String) throws {
    guard let path = Datasets.pabulib(name + ".pb") else { return }
    let fx = try RankingFixture.load(name)
    let file = try PabulibReader().read(path: path)
    #expect(file.instance.projects.map(\.id) == fx.projects)
    #expect(file.profile.voterCount == fx.voters)
    let m = try PairwiseMatrix(profile: file.profile)
    let n = fx.projects.count
    #expect((0..<n).map { a in (0..<n).map { b in m[a, b] } } == fx.support)
  }
}
