import Foundation
import Testing
import TallyCore
import TallyIO
import TallyRules
import TallyTestSupport

/// Expected outputs written by Fixtures/statistical/make_fixtures.py (choix 0.4.1, numpy).
struct StatisticalFixture {
  var file: String
  var kind: String
  var projects: [String]
  var models: [String: [String: Double]]
  var errors: Set<String>
  var cyclicShare: Double

  static let names = [
    "Poland_Krakow_2018_Zwierzyniec", "Poland_Krakow_2021_Bienczyce", "Poland_Krakow_2019_Swoszowice",
    "Poland_Warszawa_2023_Wesola", "Poland_Gdynia_2023_Leszczynki__small",
  ]

  static func load(_ name: String) throws -> StatisticalFixture {
    let text = Datasets.readText(Datasets.path("Tests/TallyRulesTests/Fixtures/statistical/\(name).json"))!
    let o = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    var models: [String: [String: Double]] = [:]
    var errors: Set<String> = []
    for (k, v) in o {
      guard let d = v as? [String: Any] else { continue }
      if d["error"] != nil { errors.insert(k); continue }
      models[k] = d.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
    return StatisticalFixture(
      file: o["file"] as! String, kind: o["kind"] as! String, projects: o["projects"] as! [String], models: models,
      errors: errors, cyclicShare: (o["hodgerank-cyclic-share"] as! NSNumber).doubleValue)
  }

  /// The Pabulib file's problem, or nil (with a notice) when the shared collection is absent.
  func problem() throws -> RankingProblem? {
    guard let path = Datasets.pabulib(file) else { return nil }
    let f = try PabulibReader().read(path: path)
    return RankingProblem(instance: f.instance, profile: f.profile)
  }

  /// Runs `rule` and compares its scores with the fixture's `model` entry: the same order and
  /// `exp(score)` within `tolerance` relative (scores are log-strengths, both normalised to mean 0),
  /// or plain values (`exponentiate: false`) within `tolerance` relative to max(1, |x|).
  func check(rule: String, model: String, options: [String: String] = [:], exponentiate: Bool = true, tolerance: Double = 1e-6)
    throws
  {
    guard let problem = try problem() else { return }
    let expected = try #require(models[model], "fixture \(file) has no \(model)")
    let out = try RuleCatalog.standard.ranking(rule, options: RuleOptions(options))!.rank(problem)
    let scores = try #require(out.scores)
    let ids = problem.instance.projects.map(\.id)
    for (i, id) in ids.enumerated() {
      let e = try #require(expected[id])
      let (a, b) = exponentiate ? (Foundation.exp(scores[i]), Foundation.exp(e)) : (scores[i], e)
      #expect(abs(a - b) <= tolerance * max(exponentiate ? abs(b) : 1, abs(b)), "\(file) \(rule) \(id): \(scores[i]) vs \(e)")
    }
    // Same order: every strict order between expected values (beyond the tolerance) is kept.
    let ranks = out.ranks
    for i in ids.indices {
      for j in ids.indices where expected[ids[i]]! > expected[ids[j]]! + 1e-6 * max(1, abs(expected[ids[j]]!)) {
        #expect(ranks[i] < ranks[j], "\(file) \(rule): \(ids[i]) should rank above \(ids[j])")
      }
    }
  }
}

/// A tiny election from explicit ballots over named projects.
func smallProblem(_ kind: BallotKind, ids: [String], ballots: [(Int64, [String])]) -> RankingProblem {
  let inst = Instance(meta: [], projects: ids.map { Project(id: $0, cost: 1) }, budget: 0, ballotKind: kind)
  var b = ProfileBuilder(kind: kind, projectCount: ids.count)
  for (count, items) in ballots { b.add(items.map { Int32(ids.firstIndex(of: $0)!) }, weight: nil, count: count) }
  return RankingProblem(instance: inst, profile: b.build())
}

func runRule(_ rule: String, _ problem: RankingProblem, _ options: [String: String] = [:]) throws -> RankingOutcome {
  try RuleCatalog.standard.ranking(rule, options: RuleOptions(options))!.rank(problem)
}

/// The standard error of a project from an outcome's details.
func standardError(_ out: RankingOutcome, _ id: String) -> Double? {
  guard case .object(let o)? = out.details["standardErrors"], case .number(let s)? = o[id] else { return nil }
  return Double(s)
}
