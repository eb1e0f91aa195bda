import TallyCore
import TallyRules

/// An ordinal election over single-letter (or named) projects from `count × order` groups.
struct OrdinalElection {
  var ids: [String]
  var groups: [(Int64, [String])]

  /// The ranking problem (costs 1, budget 0), ballots in the given orders.
  func problem(tieBreak: TieBreak = .lexicographic) -> RankingProblem {
    let inst = Instance(meta: [], projects: ids.map { Project(id: $0, cost: 1) }, budget: 0, ballotKind: .ordinal)
    var b = ProfileBuilder(kind: .ordinal, projectCount: ids.count)
    for (count, order) in groups { b.add(order.map { Int32(ids.firstIndex(of: $0)!) }, weight: nil, count: count) }
    return RankingProblem(instance: inst, profile: b.build(), tieBreak: tieBreak)
  }

  /// Runs a catalog rule and returns its tiers as ids.
  func tiers(_ rule: String, options: [String: String] = [:], tieBreak: TieBreak = .lexicographic) throws -> [[String]] {
    let r = try RuleCatalog.standard.ranking(rule, options: RuleOptions(options))!
    return try r.rank(problem(tieBreak: tieBreak)).tiers.map { $0.map { ids[$0] } }
  }

  /// Wikipedia's Schulze example: 45 voters, candidates A–E.
  static let schulzeWikipedia = OrdinalElection(
    ids: ["A", "B", "C", "D", "E"],
    groups: [
      (5, ["A", "C", "B", "E", "D"]), (5, ["A", "D", "E", "C", "B"]), (8, ["B", "E", "D", "A", "C"]),
      (3, ["C", "A", "B", "E", "D"]), (7, ["C", "A", "E", "B", "D"]), (2, ["C", "B", "A", "D", "E"]),
      (7, ["D", "C", "E", "B", "A"]), (8, ["E", "B", "A", "D", "C"]),
    ])

  /// Wikipedia's Tennessee capital example (percentages as voters).
  static let tennessee = OrdinalElection(
    ids: ["Memphis", "Nashville", "Chattanooga", "Knoxville"],
    groups: [
      (42, ["Memphis", "Nashville", "Chattanooga", "Knoxville"]),
      (26, ["Nashville", "Chattanooga", "Knoxville", "Memphis"]),
      (15, ["Chattanooga", "Knoxville", "Nashville", "Memphis"]),
      (17, ["Knoxville", "Chattanooga", "Nashville", "Memphis"]),
    ])

  /// A Condorcet cycle a>b>c>a (3, 2, 2 voters) plus a clear loser d.
  static let cycle = OrdinalElection(
    ids: ["a", "b", "c", "d"],
    groups: [(3, ["a", "b", "c", "d"]), (2, ["b", "c", "a", "d"]), (2, ["c", "a", "b", "d"])])
}

let tennesseeOrder = [["Nashville"], ["Chattanooga"], ["Knoxville"], ["Memphis"]]
