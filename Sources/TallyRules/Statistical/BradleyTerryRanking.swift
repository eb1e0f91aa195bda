import TallyCore
import TallyLinearAlgebra

/// Bradley–Terry: maximum-likelihood strengths from the pairwise support matrix.
///
/// **Definition.** Each project i has a log-strength θᵢ; project i is put above j with probability
/// `σ(θᵢ - θⱼ) = πᵢ / (πᵢ + πⱼ)`, πᵢ = e^θᵢ. Every unit of support `S[i][j]` (the weighted ballots
/// putting i strictly above j, contract definition, unnamed projects tied at the bottom) is one
/// observed win of i over j, and θ maximises `Σ_{i≠j} S[i][j] · log σ(θᵢ - θⱼ)` under
/// `Σ θᵢ = 0` (the geometric mean of the strengths is 1). Projects are ranked by θ, strongest first.
/// Fitted by Newton's method: each step solves `(I + J/n) δ = ∇ℓ` with LAPACK `dposv`, I the Fisher
/// information (a weighted Laplacian), with backtracking so the likelihood never decreases.
///
/// **Uncertainty.** Standard errors of θ from the inverse Fisher information on the sum-zero
/// subspace, `(I + J/n)⁻¹ - J/n` (LAPACK `dpotrf`/`dpotri`), in `details.standardErrors`. They treat
/// every unit of support as an independent comparison; one ballot yields many correlated comparisons,
/// so they understate the sampling error of voters (bootstrap for that).
///
/// **Bad cases.** The MLE exists iff the directed graph "i beat j at least once" is strongly connected
/// (Zermelo 1929; Ford 1957). Otherwise — a project nobody named, a disconnected comparison graph,
/// perfect separation — the rule throws `RuleError.invalidInput` naming the cause, unless option
/// `prior=c` adds c virtual wins each way between every pair (MAP under a symmetric pseudo-count prior;
/// recorded in the provenance options). The output never holds NaN.
///
/// - Complexity: O(Σ len²) for the support matrix, then O(n³) per Newton step (typically < 10 steps).
///
/// **Properties:** anonymous, neutral; depends on the ballots only through S; when every pair is
/// compared equally often its order is that of the total wins (Zermelo's equations equate wins and
/// expected wins); not Condorcet-consistent in general.
///
/// **Reference:** R. A. Bradley and M. E. Terry, Biometrika 39 (1952) 324–345; E. Zermelo, Math. Z. 29
/// (1929); L. R. Ford, Amer. Math. Monthly 64 (1957); D. R. Hunter, Ann. Statist. 32 (2004).
///
/// **Example:** S = [[0, 2], [1, 0]] (a beat b twice, b beat a once): π_a/π_b = 2, θ = ±log(2)/2,
/// a first.
public struct BradleyTerryRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "bradley-terry", kind: .ranking, accepts: allBallotKinds,
    summary: "Bradley–Terry maximum-likelihood log-strengths from the pairwise support (Newton + LAPACK), with standard errors",
    reference: "Bradley & Terry, Biometrika 39 (1952); Hunter, Ann. Statist. 32 (2004)",
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
    let fit = try Self.fit(
      wins: _Statistical.wins(pm, prior: prior), n: pm.count, ids: ids, rule: rule, start: problem.warmStart,
      standardErrors: !problem.ranksOnly)
    if problem.ranksOnly {
      return RankingOutcome(tiers: _Statistical.tiers(fit.theta, tieRank: problem.tieRanks), scores: fit.theta)
    }
    return RankingOutcome(
      tiers: _Statistical.tiers(fit.theta, tieRank: problem.tieRanks), scores: fit.theta,
      details: [
        "scoreMeaning": "log-strength, sum zero (geometric mean of strengths 1)",
        "strengths": _Statistical.byProject(fit.theta.map { _exp($0) }, ids: ids),
        "standardErrors": _Statistical.byProject(fit.standardErrors, ids: ids),
        "logLikelihood": .double(fit.logLikelihood), "iterations": .int(fit.iterations), "converged": .bool(fit.converged),
        "prior": .double(prior), "blas": _Statistical.backendDetail,
      ])
  }

  /// The fitted model.
  struct Fit {
    var theta: [Double]
    var standardErrors: [Double]
    var logLikelihood: Double
    var iterations: Int
    var converged = true
  }

  /// Newton–chord iterations from a nearby start (a bootstrap resample, from the full sample's
  /// estimate): `θ ← θ + (I + J/n)⁻¹ ∇ℓ(θ)` with the Cholesky factor of the information `I` kept
  /// while the steps shrink fast (by 20× or more) and refreshed at the current θ otherwise, until the
  /// step is below 1e-11. The fixed point is the same maximum as Newton's method's (∇ℓ = 0); near it
  /// the steps need no line search, no log-likelihood and few factorisations. The last step bounds the
  /// distance to θ̂ far below the 1e-9 at which tiers are split. Nil when it does not converge in 60
  /// steps, a step is not finite or above 1e3, or a factorisation fails (the caller then runs
  /// Newton's method with its line search).
  static func chord(wins w: [Double], n: Int, start: [Double]) -> [Double]? {
    var theta = start
    _Statistical.centre(&theta)
    let inv = 1 / Double(n)
    /// The Cholesky factor of `I(θ) + J/n`.
    func factor(_ t: [Double]) -> Matrix? {
      var info = Matrix(rows: n, columns: n)
      for k in info.storage.indices { info.storage[k] = inv }
      for i in 0..<n {
        for j in (i + 1)..<n {
          let nij = w[i * n + j] + w[j * n + i]
          if nij == 0 { continue }
          let p = _Statistical.sigmoid(t[i] - t[j])
          let h = nij * p * (1 - p)
          info[i, j] -= h
          info[j, i] -= h
          info[i, i] += h
          info[j, j] += h
        }
      }
      return try? LinearAlgebra.choleskyUpper(info)
    }
    guard var u = factor(theta) else { return nil }
    var g = [Double](repeating: 0, count: n)
    var previous = Double.infinity
    for _ in 0..<60 {
      for i in 0..<n { g[i] = 0 }
      for i in 0..<n {
        for j in (i + 1)..<n {
          let nij = w[i * n + j] + w[j * n + i]
          if nij == 0 { continue }
          let r = w[i * n + j] - nij * _Statistical.sigmoid(theta[i] - theta[j])
          g[i] += r
          g[j] -= r
        }
      }
      _Statistical.centre(&g)
      let delta = LinearAlgebra.solveCholesky(upper: u, g)
      var change = 0.0
      for i in 0..<n {
        theta[i] += delta[i]
        change = Swift.max(change, abs(delta[i]))
      }
      _Statistical.centre(&theta)
      if !change.isFinite || change > 1e3 { return nil }
      if change < 1e-11 { return theta }
      // Slow contraction: the factor is stale; refresh it (the next step is a Newton step).
      if change > 0.05 * previous {
        guard let f = factor(theta) else { return nil }
        u = f
      }
      previous = change
    }
    return nil
  }

  /// Newton's method on the Bradley–Terry log-likelihood for win counts `w` (row-major, w[i][j] =
  /// wins of i over j).
  ///
  /// `start` (log-strengths, e.g. the full sample's for a bootstrap resample) replaces the all-zero
  /// starting point when it has n finite values; Newton's method converges to the same maximum (the
  /// log-likelihood is strictly concave on the sum-zero subspace), in fewer steps from nearby. Without
  /// `standardErrors` the covariance is not computed (the standard errors come back empty).
  static func fit(
    wins w: [Double], n: Int, ids: [String], rule: String, start: [Double]? = nil, standardErrors: Bool = true
  ) throws(RuleError) -> Fit {
    if n == 0 { return Fit(theta: [], standardErrors: [], logLikelihood: 0, iterations: 0) }
    if n == 1 { return Fit(theta: [0], standardErrors: [0], logLikelihood: 0, iterations: 0) }
    guard _Statistical.stronglyConnected(w, n) else { throw _Statistical.separationError(rule: rule, w, n, ids: ids) }
    func logLikelihood(_ t: [Double]) -> Double {
      var l = 0.0
      for i in 0..<n { for j in 0..<n where w[i * n + j] > 0 { l += w[i * n + j] * _Statistical.logSigmoid(t[i] - t[j]) } }
      return l
    }
    func information(_ t: [Double]) -> (Matrix, [Double]) {
      var info = Matrix(rows: n, columns: n)
      var g = [Double](repeating: 0, count: n)
      for i in 0..<n {
        for j in (i + 1)..<n {
          let nij = w[i * n + j] + w[j * n + i]
          if nij == 0 { continue }
          let p = _Statistical.sigmoid(t[i] - t[j])
          let r = w[i * n + j] - nij * p
          g[i] += r
          g[j] -= r
          let h = nij * p * (1 - p)
          info[i, j] -= h
          info[j, i] -= h
          info[i, i] += h
          info[j, j] += h
        }
      }
      return (info, g)
    }
    if !standardErrors, let start, start.count == n, start.allSatisfy(\.isFinite),
      let theta = chord(wins: w, n: n, start: start)
    {
      try _Statistical.requireFinite(theta, rule: rule, what: "the strengths")
      // Ranks only: the log-likelihood and the step count are not reported.
      return Fit(theta: theta, standardErrors: [], logLikelihood: .nan, iterations: 0, converged: true)
    }
    var theta = [Double](repeating: 0, count: n)
    if let start, start.count == n, start.allSatisfy(\.isFinite) {
      theta = start
      _Statistical.centre(&theta)
    }
    var ll = logLikelihood(theta)
    var iterations = 0
    var converged = false
    while iterations < _Statistical.maxIterations {
      iterations += 1
      let (info, g) = information(theta)
      let delta = try _Statistical.solveCentred(info, g, rule: rule)
      var step = 1.0
      var next = theta
      var nextLL = ll
      var accepted = false
      for _ in 0..<60 {
        for i in 0..<n { next[i] = theta[i] + step * delta[i] }
        nextLL = logLikelihood(next)
        if nextLL >= ll - 1e-12 * abs(ll) { accepted = true; break }
        step /= 2
      }
      let change = delta.reduce(0) { Swift.max($0, abs($1)) } * step
      // No step raises the likelihood: at the optimum up to rounding when the Newton step is tiny.
      if !accepted { converged = change / step < 1e-6; break }
      _Statistical.centre(&next)
      theta = next
      ll = nextLL
      // 1e-9 in log-strength is far below the standard errors and above the rounding noise of the
      // gradient's sums (≈ 1e-16 × total weight), so Newton's quadratic convergence reaches it.
      if change < 1e-9 { converged = true; break }
    }
    try _Statistical.requireFinite(theta, rule: rule, what: "the strengths")
    if !standardErrors {
      return Fit(theta: theta, standardErrors: [], logLikelihood: ll, iterations: iterations, converged: converged)
    }
    let cov = try _Statistical.centredCovariance(information(theta).0, rule: rule)
    let se = _Statistical.standardErrors(cov)
    try _Statistical.requireFinite(se, rule: rule, what: "the standard errors")
    return Fit(theta: theta, standardErrors: se, logLikelihood: ll, iterations: iterations, converged: converged)
  }
}
