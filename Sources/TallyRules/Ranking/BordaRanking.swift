import TallyCore

/// Ranks projects by symmetric Borda score: the row sums of the margin matrix.
///
/// **Definition.** Each ballot gives each project the number of projects it puts strictly below it
/// minus the number it puts strictly above it (unnamed projects tied at the bottom, see
/// ``PairwiseMatrix``); a project's score is the weighted total, `Σ_b M[a][b]`. Highest first, equal
/// scores share a rank. For complete strict rankings of m projects this is `2·(m − position) − m − 1`
/// points, an affine image of classical Borda; for truncated ballots it is pref_voting's
/// `borda_for_profile_with_ties` (the "symmetric" variant).
///
/// - Complexity: one pairwise matrix (O(Σ len²)) plus O(n²).
///
/// **Properties:** anonymous, neutral, monotone, reinforcing (consistent); not Condorcet-consistent;
/// the scores sum to 0.
///
/// **Reference:** J.-C. de Borda (1781); Tally contract "Ranking"; pref_voting `borda_for_profile_with_ties`.
///
/// **Example:** ballots a>b>c, b>a (c unranked): a = (2−0) + (1−1) = 2, b = (1−1) + (2−0) = 2,
/// c = (0−2) + (0−2) = −4: a and b tie at rank 1, c is 3rd.
public struct BordaRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "borda", kind: .ranking, accepts: allBallotKinds,
    summary: "symmetric Borda: per ballot, projects below minus projects above (row sums of the margins)",
    reference: "de Borda (1781); pref_voting borda_for_profile_with_ties",
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
    for a in 0..<m.count { for b in 0..<m.count { score[a] += m.margin(a, b) } }
    return RankingOutcome(
      tiers: _PairwiseRule.tiers(score, tieRank: problem.tieRanks),
      scores: score.map { _PairwiseRule.value($0, scale: m.weightScale) },
      details: ["pairwiseAlgorithm": .string(m.algorithmUsed.rawValue)])
  }
}
