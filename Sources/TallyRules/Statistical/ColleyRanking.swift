import TallyCore
import TallyLinearAlgebra

/// Colley's method: ratings from the linear system of Laplace-smoothed win shares over the pairwise
/// comparisons.
///
/// **Definition.** Every unit of support `S[i][j]` is one game won by i against j. With `n_i` the games
/// of i, `W_i`, `L_i` its wins and losses and `n_ij = S[i][j] + S[j][i]`, the ratings r solve
/// `C r = b` with `C = 2I + diag(n_i) - [n_ij]` and `b_i = 1 + (W_i - L_i) / 2`. C is symmetric positive
/// definite for any data, so the rule never fails; solved with LAPACK `dposv`. Ranked by r, highest
/// first; the ratings average 1/2.
///
/// - Complexity: O(Σ len²) for S, O(n³) for the solve.
///
/// **Properties:** anonymous, neutral; defined on every input (no separation problem: the Laplace
/// prior acts like one virtual win and loss against a neutral opponent); projects nobody named get the
/// lowest ratings.
///
/// **Reference:** W. N. Colley, "Colley's Bias Free College Football Ranking Method" (2002); A. N.
/// Langville and C. D. Meyer, *Who's #1?* (2012), ch. 3.
///
/// **Example:** S = [[0, 2], [1, 0]]: C = [[5, -3], [-3, 5]], b = (1.5, 0.5), r = (0.5625, 0.4375).
public struct ColleyRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "colley", kind: .ranking, accepts: allBallotKinds,
    summary: "Colley ratings from the pairwise support (a symmetric positive definite solve with LAPACK)",
    reference: "Colley (2002); Langville & Meyer, Who's #1? (2012)",
    options: [_PairwiseRule.pairwiseOption: _PairwiseRule.pairwiseOptionHelp],
    arithmetic: "double")

  let options: RuleOptions

  public init(options: RuleOptions) throws(RuleError) {
    try options.check(known: Self.descriptor.options.keys, rule: Self.descriptor.id)
    _ = try _PairwiseRule.algorithm(options, rule: Self.descriptor.id)
    self.options = options
  }

  public var recordedOptions: [String: String] { options.values }

  public func rank(_ problem: RankingProblem) throws(RuleError) -> RankingOutcome {
    let rule = Self.descriptor.id
    let pm = try _Statistical.matrix(problem, options: options, rule: rule)
    let r = try Self.ratings(wins: _Statistical.wins(pm, prior: 0), n: pm.count, rule: rule)
    return RankingOutcome(
      tiers: _Statistical.tiers(r, tieRank: problem.tieRanks), scores: r,
      details: ["scoreMeaning": "Colley rating (mean 1/2)", "blas": _Statistical.backendDetail])
  }

  static func ratings(wins w: [Double], n: Int, rule: String) throws(RuleError) -> [Double] {
    if n == 0 { return [] }
    var c = Matrix(rows: n, columns: n)
    var b = [Double](repeating: 1, count: n)
    for i in 0..<n {
      c[i, i] += 2
      for j in 0..<n where j != i {
        let nij = w[i * n + j] + w[j * n + i]
        c[i, j] -= nij
        c[i, i] += nij
        b[i] += (w[i * n + j] - w[j * n + i]) / 2
      }
    }
    let r: [Double]
    do { r = try LinearAlgebra.solveSPD(c, b) } catch { throw _Statistical.numerical(error, rule: rule) }
    try _Statistical.requireFinite(r, rule: rule, what: "the ratings")
    return r
  }
}
