import TallyCore

/// Ranks projects by the Schulze beat-path method.
///
/// **Definition.** The strength of a direct link `a → b` is the margin `M[a][b]` when positive, else
/// no link (option `strength=winning-votes`: the support `S[a][b]` when `S[a][b] > S[b][a]`). The
/// strength of a path is its weakest link; `p[a][b]` is the strongest path from `a` to `b` (0 when
/// there is none). `a` beats `b` in Schulze's sense when `p[a][b] > p[b][a]`; this relation is
/// transitive, so ranking by the number of projects each one beats (highest first, equal counts
/// tied) gives Schulze's order, ties where the relation leaves projects unordered.
///
/// - Complexity: one pairwise matrix plus O(n³) (Floyd–Warshall widest paths).
///
/// **Properties:** anonymous, neutral, monotone, Condorcet- and Smith-consistent, independent of
/// clones, reversal symmetric; fails participation.
///
/// **Reference:** M. Schulze, "A new monotonic, clone-independent, reversal symmetric, and
/// Condorcet-consistent single-winner election method", Social Choice and Welfare 36 (2011).
///
/// **Example:** Wikipedia's 45-voter example (5 candidates A–E) gives E > A > C > B > D.
public struct SchulzeRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "schulze", kind: .ranking, accepts: allBallotKinds,
    summary: "beat-path strengths on positive margins; by the number of projects each one beats",
    reference: "Schulze (2011), Social Choice and Welfare 36:267-303",
    options: [
      "strength": "margin (default) or winning-votes: the strength of a direct defeat",
      _PairwiseRule.pairwiseOption: _PairwiseRule.pairwiseOptionHelp,
    ])

  let algorithm: PairwiseMatrix.Algorithm
  let winningVotes: Bool

  public init(options: RuleOptions) throws(RuleError) {
    try options.check(known: ["strength", _PairwiseRule.pairwiseOption], rule: Self.descriptor.id)
    algorithm = try _PairwiseRule.algorithm(options, rule: Self.descriptor.id)
    winningVotes =
      try options.choice("strength", rule: Self.descriptor.id, among: ["margin", "winning-votes"], default: "margin")
      == "winning-votes"
  }

  public var recordedOptions: [String: String] {
    ["strength": winningVotes ? "winning-votes" : "margin", _PairwiseRule.pairwiseOption: algorithm.rawValue]
  }

  public func rank(_ problem: RankingProblem) throws(RuleError) -> RankingOutcome {
    let m = try _PairwiseRule.matrix(problem, algorithm: algorithm, rule: Self.descriptor.id)
    let n = m.count
    var wins = [Int64](repeating: 0, count: n)
    if let order = m.majorityTopologicalOrder {
      // Acyclic majority graph: every edge has a positive strength (S[a][b] ≥ M[a][b] > 0), so the
      // strongest path from a to b is positive iff b is reachable from a, and then none goes back:
      // a beats exactly the projects it reaches.
      let reach = m.majorityReach(order: order)
      let words = (n + 63) / 64
      for a in 0..<n { wins[a] = Int64((0..<words).reduce(0) { $0 + reach[a * words + $1].nonzeroBitCount } - 1) }
    } else {
      wins = Self.widestPathWins(m, winningVotes: winningVotes)
    }
    // Ranks only (the bootstrap): no Condorcet details.
    var details: [String: JSONValue] = [:]
    if !problem.ranksOnly { details = m.condorcetDetails(ids: problem.instance.projects.map(\.id)) }
    details["pairwiseAlgorithm"] = .string(m.algorithmUsed.rawValue)
    details["strength"] = .string(winningVotes ? "winning-votes" : "margin")
    return RankingOutcome(
      tiers: _PairwiseRule.tiers(wins, tieRank: problem.tieRanks), scores: wins.map(Double.init), details: details)
  }

  /// Wins (the projects b with p[a][b] > p[b][a]) from the widest-path strengths p (Floyd–Warshall).
  static func widestPathWins(_ m: PairwiseMatrix, winningVotes: Bool) -> [Int64] {
    let n = m.count
    var p = [Int64](repeating: 0, count: n * n)
    for a in 0..<n {
      for b in 0..<n where a != b {
        let margin = m.margin(a, b)
        if margin > 0 { p[a * n + b] = winningVotes ? m[a, b] : margin }
      }
    }
    // The inner loop runs over every j, branch-free (it vectorises): j = k leaves p[i][k] as is
    // (via ≤ pik), and j = i only writes the diagonal, which never feeds an off-diagonal entry (it is
    // read as p[k][k] at j = k, a no-op) and is reset below.
    p.withUnsafeMutableBufferPointer { p in
      let base = p.baseAddress!
      for k in 0..<n {
        let rowK = base + k * n
        for i in 0..<n where i != k {
          let rowI = base + i * n
          let pik = rowI[k]
          if pik == 0 { continue }
          for j in 0..<n { rowI[j] = Swift.max(rowI[j], Swift.min(pik, rowK[j])) }
        }
      }
      for a in 0..<n { p[a * n + a] = 0 }
    }
    var wins = [Int64](repeating: 0, count: n)
    for a in 0..<n { for b in 0..<n where a != b && p[a * n + b] > p[b * n + a] { wins[a] += 1 } }
    return wins
  }
}
