import Testing
import TallyCore
import TallyIO
import TallyRules
import TallyTestSupport

/// Every rule in the catalog gives the same outcome whatever the order of the ballots and the voters'
/// ids, and the same bytes when run twice.
@Suite struct DeterminismTests {
  /// Small shared files of each ballot kind (skipped when the collection is absent).
  static let files = [
    "Poland_Gdynia_2020_Orlowo__small.pb",  // approval
    "Poland_Wroclaw_2017_Rejon_nr_11_750.pb",  // choose-1
    "Poland_Katowice_2025_Kostuchna.pb",  // cumulative
    "Poland_Krakow_2022_Czyzyny.pb",  // ordinal
  ]

  /// The file's text with its VOTES rows shuffled (seeded) and voter ids renamed.
  static func shuffled(_ text: String, seed: UInt64) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let v = lines.firstIndex(where: { $0.trimmingCharacters() == "VOTES" }) else { return text }
    var rows = Array(lines[(v + 2)...]).filter { !$0.isEmpty }
    var rng = SplitMix64(seed: seed)
    rows.shuffle(using: &rng)
    rows = rows.enumerated().map { k, row in
      guard let semi = row.firstIndex(of: ";") else { return row }
      return "renamed-\(k)" + row[semi...]
    }
    lines.replaceSubrange((v + 2)..., with: rows)
    return lines.joined(separator: "\n") + "\n"
  }

  static func outcomes(_ f: PabulibFile) -> [String: String] {
    var out: [String: String] = [:]
    for entry in RuleCatalog.standard.entries where entry.descriptor.accepts.contains(f.instance.ballotKind) {
      let id = entry.descriptor.id
      if id == "kemeny" && f.instance.projectCount > 12 { continue }
      switch entry {
      case .allocation(let t):
        do {
          let r = try t.init(options: RuleOptions())
          let o = try r.allocate(try AllocationProblem(instance: f.instance, profile: f.profile))
          out[id] = "\(o.selected) \(o.spent) " + JSONValue.object(o.details).rendered()
        } catch { out[id] = "error: \(error)" }
      case .ranking(let t):
        do {
          let r = try t.init(options: RuleOptions())
          let o = try r.rank(RankingProblem(instance: f.instance, profile: f.profile))
          out[id] = "\(o.tiers) \(o.scores.map { $0.map { ($0 * 1e9).rounded() } } ?? []) "
            + JSONValue.object(o.details).rendered()
        } catch { out[id] = "error: \(error)" }
      }
    }
    return out
  }

  @Test("Ballot order and voter ids do not change any rule's outcome", arguments: files)
  func ballotOrder(name: String) throws {
    guard let path = Datasets.pabulib(name), let text = Datasets.readText(path) else { return }
    let a = Self.outcomes(try PabulibReader().read(string: text, source: name))
    for seed in [1, 2] as [UInt64] {
      let b = Self.outcomes(try PabulibReader().read(string: Self.shuffled(text, seed: seed), source: name))
      for (rule, value) in a.sorted(by: { $0.key < $1.key }) {
        #expect(b[rule] == value, "\(rule) differs after shuffling with seed \(seed)")
      }
    }
    #expect(!a.isEmpty)
  }

  @Test("Running every rule twice gives the same bytes", arguments: files)
  func rerun(name: String) throws {
    guard let path = Datasets.pabulib(name) else { return }
    let f = try PabulibReader().read(path: path)
    #expect(Self.outcomes(f) == Self.outcomes(f))
  }
}

extension String {
  fileprivate func trimmingCharacters() -> String {
    var s = Substring(self)
    while let l = s.last, l == "\r" || l == " " { s = s.dropLast() }
    return String(s)
  }
}
