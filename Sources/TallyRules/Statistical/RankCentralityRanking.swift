import TallyCore
import TallyLinearAlgebra

/// Rank Centrality: the stationary distribution of a random walk that moves towards the projects that
/// beat the current one.
///
/// **Definition** (Negahban, Oh and Shah). From project i the walk moves to project j at rate
/// `a_ij = (S[j][i] + c) / (S[i][j] + S[j][i] + 2c)`, the share of the comparisons between i and j that
/// j won (0 for pairs never compared), with c the `prior` pseudo-count (default 0). The continuous-time
/// chain with generator `Q = A - diag(A𝟙)` has the same stationary distribution as the paper's
/// discrete chain `I + Q / d_max`. The rule solves `Qᵀ π = 0, Σ π = 1` with LAPACK `dgesv` (the last
/// balance equation replaced by the normalisation) and ranks by π, largest first. The score is
/// `log π - mean(log π)` (choix's normalisation); π is in `details.stationaryDistribution`.
///
/// **Bad cases.** π is unique and positive iff the chain is irreducible, i.e. the graph "i beat j at
/// least once" is strongly connected; otherwise (a project nobody named, a disconnected graph, a group
/// that beats all the rest) the rule throws `RuleError.invalidInput` with the cause, unless `prior=c`
/// (c > 0) makes every pair compared (recorded in the provenance options; this is choix's `alpha`).
///
/// - Complexity: O(Σ len²) for S, O(n²) for the chain, O(n³) for the solve.
///
/// **Properties:** anonymous, neutral; depends on the ballots only through the pairwise win shares (not
/// on how often a pair was compared); consistent for the Bradley–Terry model.
///
/// **Reference:** S. Negahban, S. Oh, D. Shah, "Rank Centrality: Ranking from Pairwise Comparisons",
/// Operations Research 65 (2017) 266–287.
///
/// **Example:** S = [[0, 2], [1, 0]]: a_ab = 1/3, a_ba = 2/3, so π = (2/3, 1/3), a first.
public struct RankCentralityRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "rank-centrality", kind: .ranking, accepts: allBallotKinds,
    summary: "stationary distribution of the comparison Markov chain (Negahban–Oh–Shah), solved with LAPACK",
    reference: "Negahban, Oh & Shah, Operations Research 65 (2017)",
    options: [_Statistical.priorOption: _Statistical.priorHelp, _PairwiseRule.pairwiseOption: _PairwiseRule.pairwiseOptionHelp],
    arithmetic: "double")

  let prior: Double
  let options: RuleOptions

  public init(options: RuleOptions) throws(RuleError) {
    try options.check(known: Self.descriptor.options.keys, rule: Self.descriptor.id)
    prior = try _Statistical.prior(options, rule: Self.descriptor.id)
    _ = try _PairwiseRule.algorithm(options, rule: Self.descriptor.id)
    self.options = options
  }

  public var recordedOptions: [String: String] {
    var o = options.values
    o[_Statistical.priorOption] = _Statistical.describe(prior)
    return o
  }

  public func rank(_ problem: RankingProblem) throws(RuleError) -> RankingOutcome {
    let rule = Self.descriptor.id
    let pm = try _Statistical.matrix(problem, options: options, rule: rule)
    let ids = problem.instance.projects.map(\.id)
    let pi = try Self.stationary(wins: _Statistical.wins(pm, prior: prior), n: pm.count, ids: ids, rule: rule)
    var score = pi.map { _log($0) }
    _Statistical.centre(&score)
    try _Statistical.requireFinite(score, rule: rule, what: "the scores")
    return RankingOutcome(
      tiers: _Statistical.tiers(score, tieRank: problem.tieRanks), scores: score,
      details: [
        "scoreMeaning": "log of the stationary probability, mean zero",
        "stationaryDistribution": _Statistical.byProject(pi, ids: ids),
        "prior": .double(prior), "blas": _Statistical.backendDetail,
      ])
  }

  /// The stationary distribution for win counts `w` (w[i][j] = wins of i over j, prior included).
  static func stationary(wins w: [Double], n: Int, ids: [String], rule: String) throws(RuleError) -> [Double] {
    if n == 0 { return [] }
    if n == 1 { return [1] }
    guard _Statistical.stronglyConnected(w, n) else { throw _Statistical.separationError(rule: rule, w, n, ids: ids) }
    // qt = Qᵀ: qt[j, i] = rate i → j; diagonal -Σ_j rate i → j.
    var qt = Matrix(rows: n, columns: n)
    for i in 0..<n {
      var out = 0.0
      for j in 0..<n where j != i {
        let nij = w[i * n + j] + w[j * n + i]
        if nij > 0 {
          let rate = w[j * n + i] / nij
          qt[j, i] = rate
          out += rate
        }
      }
      qt[i, i] = -out
    }
    for i in 0..<n { qt[n - 1, i] = 1 }
    var rhs = [Double](repeating: 0, count: n)
    rhs[n - 1] = 1
    var pi: [Double]
    do { pi = try LinearAlgebra.solve(qt, rhs) } catch { throw _Statistical.numerical(error, rule: rule) }
    for v in pi where !(v > 0) || !v.isFinite {
      throw RuleError.numerical(rule: rule, message: "the stationary distribution is not positive (ill-conditioned chain); try option prior=<c>")
    }
    let s = pi.reduce(0, +)
    return pi.map { $0 / s }
  }
}
