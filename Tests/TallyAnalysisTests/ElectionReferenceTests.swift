import Foundation
import Testing
import TallyAnalysis
import TallyCore
import TallyIO
import TallyRules
import TallyTestSupport

/// Random small elections checked against an independent reference of the contract's election
/// semantics (Fixtures/elections/make_reference.py: void reasons, ballot and group weights, the four
/// normalisations, exact combined scores, the lexicographic order and the greedy cut).
@Suite struct ElectionReferenceTests {
  struct Entry: Decodable {
    struct Channel: Decodable {
      var id: String
      var read: Int64
      var valid: Int64
      var void: Int64
      var voidByReason: [String: Int64]
    }
    struct Expected: Decodable {
      var channels: [Channel]
      var order: [String]
      var scores: [String: String]
      var selected: [String]
    }
    var seed: Int
    var files: [String: String]
    var expected: Expected
  }

  static func entries() throws -> [Entry] {
    let text = Datasets.readText(Datasets.path("Tests/TallyAnalysisTests/Fixtures/elections/elections.json"))!
    return try JSONDecoder().decode([Entry].self, from: Data(text.utf8))
  }

  @Test("48 random elections: counts by void reason, exact combined scores, order and greedy cut as the reference")
  func reference() throws {
    let entries = try Self.entries()
    #expect(entries.count == 48)
    var reasonsSeen = Set<String>()
    for e in entries {
      let dir = TempFiles.folder(e.files)
      defer { TempFiles.remove(dir) }
      let def = try ElectionReader.read(path: dir)
      let ballots = try def.readBallots()
      let run = try ElectionRun(definition: def, ballots: ballots, rule: RuleCatalog.standard.allocation("greedy")!)
      let ids = def.instance.projects.map(\.id)
      #expect(ballots.channels.count == e.expected.channels.count, "seed \(e.seed)")
      for (got, want) in zip(ballots.channels, e.expected.channels) {
        let r = got.report
        var reasons: [String: Int64] = [:]
        for (problem, n) in r.voided where n > 0 { reasons[problem.rawValue] = n }
        reasonsSeen.formUnion(reasons.keys)
        #expect(r.read == want.read && r.valid == want.valid && r.read - r.valid == want.void, "seed \(e.seed) \(want.id)")
        #expect(reasons == want.voidByReason, "seed \(e.seed) \(want.id)")
      }
      for (p, id) in ids.enumerated() {
        #expect(run.scores.combined[p].description == e.expected.scores[id], "seed \(e.seed) \(id)")
      }
      #expect(run.order.map { ids[$0] } == e.expected.order, "seed \(e.seed)")
      #expect(run.outcome.selected.map { ids[$0] } == e.expected.selected, "seed \(e.seed)")
    }
    // The fixtures exercise every void reason they model.
    #expect(reasonsSeen == ["malformed-row", "duplicate-voter", "bad-weight", "unknown-group", "unknown-project",
                            "repeated-project", "too-few-picks", "too-many-picks"])
  }
}
