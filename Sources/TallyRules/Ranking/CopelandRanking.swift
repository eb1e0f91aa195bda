import TallyCore

/// Ranks projects by Copeland score: head-to-head wins minus head-to-head losses.
///
/// **Definition.** For each pair of projects, `a` wins when its margin `M[a][b]` is positive, loses
/// when negative; a zero margin is neither. Score = wins − losses; highest first, equal scores share a
/// rank.
///
/// - Complexity: one pairwise matrix plus O(n²).
///
/// **Properties:** anonymous, neutral, monotone, Condorcet-consistent (the Condorcet winner alone
/// scores n − 1), Smith-consistent (every Smith-set member outranks every outsider); fails
/// independence of clones; many ties on small electorates.
///
/// **Reference:** A. H. Copeland, "A reasonable social welfare function" (1951); Tally contract.
///
/// **Example:** a beats b and c, b beats c: a = 2, b = 0, c = −2.
public struct CopelandRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "copeland", kind: .ranking, accepts: allBallotKinds,
    summary: "pairwise wins minus pairwise losses on the margins",
    reference: "Copeland (1951), A reasonable social welfare function",
    options: [_PairwiseRule.pairwiseOption: _PairwiseRule.pairwiseOptionHelp])

  let algorithm: PairwiseMatrix.Algorithm

  public init(options: RuleOptions) throws(RuleError) {
    try options.check(known: [_PairwiseRule.pairwiseOption], rule: Self.descriptor.id)
    algorithm = try _PairwiseRule.algorithm(options, rule: Self.descriptor.id)
  }

  public var recordedOptions: [String: String] { [_PairwiseRule.pairwiseOption: algorithm.rawValue] }

  public func rank(_ problem: RankingProblem) throws(RuleError) -> RankingOutcome {
    let m = try _PairwiseRule.matrix(problem, algorithm: algorithm, rule: Self.descriptor.id)
    var score = [Int64](repeating: 0, count: m.count)
    for a in 0..<m.count {
      for b in 0..<m.count where a != b {
        let x = m.margin(a, b)
        score[a] += x > 0 ? 1 : (x < 0 ? -1 : 0)
      }
    }
    // Ranks only (the bootstrap): no Condorcet details.
    var details: [String: JSONValue] = [:]
    if !problem.ranksOnly { details = m.condorcetDetails(ids: problem.instance.projects.map(\.id)) }
    details["pairwiseAlgorithm"] = .string(m.algorithmUsed.rawValue)
    return RankingOutcome(
      tiers: _PairwiseRule.tiers(score, tieRank: problem.tieRanks), scores: score.map(Double.init), details: details)
  }
}
