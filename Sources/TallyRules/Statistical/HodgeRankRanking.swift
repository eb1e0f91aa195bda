import TallyCore
import TallyLinearAlgebra

/// HodgeRank: least-squares potentials of the pairwise flows, with the cyclic share of the flow as an
/// inconsistency measure.
///
/// **Definition** (Jiang, Lim, Yao, Ye). On the comparison graph (pairs i, j compared by some ballot,
/// `n_ij = S[i][j] + S[j][i] > 0`) the edge flow is the binary-comparison mean
/// `Y_ij = (S[i][j] - S[j][i]) / n_ij ∈ [-1, 1]` (how much i is preferred to j) with edge weight
/// `n_ij`. The potentials s minimise `Σ_{i<j} n_ij (s_i - s_j - Y_ij)²` with `Σ s = 0`, the graph
/// Helmholtzian's gradient part; the normal equations are `L s = b` with L the weighted graph
/// Laplacian and `b_i = Σ_j (S[i][j] - S[j][i])` (the symmetric Borda score), solved as
/// `(L + J/n) s = b` with LAPACK `dposv`. Projects are ranked by s, highest first.
///
/// **Inconsistency.** The residual `R = Y - grad s` is the cyclic part of the flow (curl plus harmonic);
/// `details.cyclicShare = Σ n_ij R_ij² / Σ n_ij Y_ij²` ∈ [0, 1] (0 when the flows are all zero): 0 means
/// the pairwise preferences are globally consistent. On a complete comparison graph the harmonic part
/// is zero, so the share is entirely local (triangular) cycles; `details.completeGraph` says whether it is.
///
/// **Bad cases.** s is unique iff the comparison graph is connected; otherwise `RuleError.invalidInput`.
/// Projects nobody named are still compared (they lose to every named project) and get potentials.
///
/// - Complexity: O(Σ len²) for S, O(n²) for L, O(n³) for the solve.
///
/// **Properties:** anonymous, neutral; with every pair compared equally often its order is the Borda
/// order; the residual measures Condorcet-cycle strength.
///
/// **Reference:** X. Jiang, L.-H. Lim, Y. Yao, Y. Ye, "Statistical ranking and combinatorial Hodge
/// theory", Math. Programming 127 (2011) 203–244.
///
/// **Example:** S = [[0, 2], [1, 0]]: Y_ab = 1/3 with weight 3, so s = (1/6, -1/6), no cycle (share 0).
public struct HodgeRankRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "hodgerank", kind: .ranking, accepts: allBallotKinds,
    summary: "HodgeRank least-squares potentials of the pairwise flows (LAPACK), with the cyclic share as inconsistency",
    reference: "Jiang, Lim, Yao & Ye, Math. Programming 127 (2011)",
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
    let (s, share, complete) = try Self.potentials(wins: _Statistical.wins(pm, prior: 0), n: pm.count, rule: rule)
    return RankingOutcome(
      tiers: _Statistical.tiers(s, tieRank: problem.tieRanks), scores: s,
      details: [
        "scoreMeaning": "potential, sum zero",
        "cyclicShare": .double(share), "completeGraph": .bool(complete),
        "flow": "binary: (S[i][j] - S[j][i]) / (S[i][j] + S[j][i]), weight S[i][j] + S[j][i]",
        "blas": _Statistical.backendDetail,
      ])
  }

  static func potentials(wins w: [Double], n: Int, rule: String) throws(RuleError) -> ([Double], Double, Bool) {
    if n <= 1 { return (Array(repeating: 0, count: n), 0, true) }
    guard _Statistical.connected(w, n) else {
      throw RuleError.invalidInput(rule: rule, message: "the comparison graph is disconnected (some groups of projects are never compared), so the potentials are not determined")
    }
    var lap = Matrix(rows: n, columns: n)
    var b = [Double](repeating: 0, count: n)
    var complete = true
    for i in 0..<n {
      for j in (i + 1)..<n {
        let nij = w[i * n + j] + w[j * n + i]
        if nij == 0 { complete = false; continue }
        lap[i, j] -= nij
        lap[j, i] -= nij
        lap[i, i] += nij
        lap[j, j] += nij
        let m = w[i * n + j] - w[j * n + i]
        b[i] += m
        b[j] -= m
      }
    }
    var s = try _Statistical.solveCentred(lap, b, rule: rule)
    _Statistical.centre(&s)
    var residual = 0.0, total = 0.0
    for i in 0..<n {
      for j in (i + 1)..<n {
        let nij = w[i * n + j] + w[j * n + i]
        if nij == 0 { continue }
        let y = (w[i * n + j] - w[j * n + i]) / nij
        let r = y - (s[i] - s[j])
        residual += nij * r * r
        total += nij * y * y
      }
    }
    let share = total > 0 ? Swift.min(1, Swift.max(0, residual / total)) : 0
    try _Statistical.requireFinite(s + [share], rule: rule, what: "the potentials")
    return (s, share, complete)
  }
}
