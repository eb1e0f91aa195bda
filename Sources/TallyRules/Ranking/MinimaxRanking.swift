import TallyCore

/// Ranks projects by their worst head-to-head defeat (Simpson–Kramer minimax, margins).
///
/// **Definition.** A project's score is the largest margin by which another project beats it,
/// `max_b M[b][a]`, or 0 when no project beats it. Smaller is better; equal scores share a rank.
///
/// - Complexity: one pairwise matrix plus O(n²).
///
/// **Properties:** anonymous, neutral, monotone, Condorcet-consistent (the Condorcet winner is the only
/// project with score 0); not Smith-consistent; fails the Condorcet loser criterion.
///
/// **Reference:** P. B. Simpson (1969); G. H. Kramer (1977); Tally contract "Ranking".
///
/// **Example:** margins a–b +3, b–c +1, c–a +2: a's worst defeat is 2 (by c), b's 3, c's 1:
/// c, a, b.
public struct MinimaxRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "minimax", kind: .ranking, accepts: allBallotKinds,
    summary: "by the largest margin by which the project is beaten (0 if unbeaten), smaller first",
    reference: "Simpson (1969); Kramer (1977)",
    options: [_PairwiseRule.pairwiseOption: _PairwiseRule.pairwiseOptionHelp])

  let algorithm: PairwiseMatrix.Algorithm

  public init(options: RuleOptions) throws(RuleError) {
    try options.check(known: [_PairwiseRule.pairwiseOption], rule: Self.descriptor.id)
    algorithm = try _PairwiseRule.algorithm(options, rule: Self.descriptor.id)
  }

  public var recordedOptions: [String: String] { [_PairwiseRule.pairwiseOption: algorithm.rawValue] }

  public func rank(_ problem: RankingProblem) throws(RuleError) -> RankingOutcome {
    let m = try _PairwiseRule.matrix(problem, algorithm: algorithm, rule: Self.descriptor.id)
    var worst = [Int64](repeating: 0, count: m.count)
    for a in 0..<m.count { for b in 0..<m.count where b != a { worst[a] = max(worst[a], m.margin(b, a)) } }
    // Ranks only (the bootstrap): no Condorcet details.
    var details: [String: JSONValue] = [:]
    if !problem.ranksOnly { details = m.condorcetDetails(ids: problem.instance.projects.map(\.id)) }
    details["pairwiseAlgorithm"] = .string(m.algorithmUsed.rawValue)
    return RankingOutcome(
      tiers: _PairwiseRule.tiers(worst, ascending: true, tieRank: problem.tieRanks),
      scores: worst.map { _PairwiseRule.value($0, scale: m.weightScale) }, details: details)
  }
}
