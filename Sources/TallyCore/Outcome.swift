/// The outcome of a ranking rule: every project once, in tiers of equally ranked projects.
public struct RankingOutcome: Sendable, Hashable {
  /// Tiers, best first; projects in a tier share a rank. Indices into the instance's projects.
  public var tiers: [[Int]]
  /// Each project's score under the rule (by project index), when the rule has one.
  public var scores: [Double]?
  /// Rule-specific details (rounds, Condorcet winner, Smith set, standard errors...), for JSON.
  public var details: [String: JSONValue]

  /// Creates an outcome.
  public init(tiers: [[Int]], scores: [Double]? = nil, details: [String: JSONValue] = [:]) {
    self.tiers = tiers
    self.scores = scores
    self.details = details
  }

  /// Builds tiers from scores: higher first (or lower first when `ascending`), equal scores tied;
  /// within a tier, projects are listed in tie-break order.
  public static func tiers(
    byScores scores: [Double], ascending: Bool = false, tieRank: [Int]
  ) -> [[Int]] {
    let order = scores.indices.sorted { a, b in
      if scores[a] != scores[b] { return ascending ? scores[a] < scores[b] : scores[a] > scores[b] }
      return tieRank[a] < tieRank[b]
    }
    var tiers: [[Int]] = []
    for i in order {
      if let last = tiers.last?.last, scores[last] == scores[i] {
        tiers[tiers.count - 1].append(i)
      } else {
        tiers.append([i])
      }
    }
    return tiers
  }

  /// The rank of every project (1-based, ties share the lowest rank: 1, 2, 2, 4).
  public var ranks: [Int] {
    var r = [Int](repeating: 0, count: tiers.reduce(0) { $0 + $1.count })
    var next = 1
    for tier in tiers {
      for i in tier { r[i] = next }
      next += tier.count
    }
    return r
  }
}

/// The outcome of an allocation rule: the funded projects in the order the rule chose them.
public struct AllocationOutcome: Sendable, Hashable {
  /// Funded project indices, in selection order.
  public var selected: [Int]
  /// Money spent, in the instance's cost units.
  public var spent: Int64
  /// Rule-specific details (rounds, traces, proofs of optimality...), for JSON.
  public var details: [String: JSONValue]

  /// Creates an outcome.
  public init(selected: [Int], spent: Int64, details: [String: JSONValue] = [:]) {
    self.selected = selected
    self.spent = spent
    self.details = details
  }
}
