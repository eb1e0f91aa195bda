import TallyCore
import TallyLinearAlgebra

/// Plackett–Luce on top-k ballots: maximum-likelihood strengths where a ballot a > b > c chooses a
/// from all projects, then b from the rest, then c from what remains.
///
/// **Definition.** Project i has log-strength θᵢ, πᵢ = e^θᵢ. A ranked ballot a₁ > … > a_k is k
/// choice events: aₜ is chosen from `A_t = all projects \ {a₁ … a_{t-1}}` with probability
/// `π_{aₜ} / Σ_{j ∈ A_t} πⱼ` (events whose set holds one project carry no information). Unranked
/// projects are never chosen: they are the "rest" of every event. θ maximises the weighted
/// log-likelihood under `Σ θᵢ = 0`. Choose-1 ballots are single events. Fitted by Newton's method with
/// LAPACK `dposv`; the Fisher information `Σ_e w_e (diag(q_e) - q_e q_eᵀ)` is assembled in
/// O(Σ k² + n²) per step because every choice set is "all but a prefix" (q_e = (π - π|prefix) / D_e).
///
/// **Ballots.** Ordinal (strict, truncated) and choose-1. Approval ballots are rejected
/// (`unsupportedBallotKind`): an approval set states no order among its projects, and the
/// Plackett–Luce likelihood of an unordered top set (a sum over k! orders) is a different model.
/// Ordinal ballots with ties among ranked projects (PrefLib `.toc`/`.toi`) are rejected with
/// `invalidInput`. Cumulative and scoring ballots are rejected.
///
/// **Uncertainty.** Standard errors of θ from `(I + J/n)⁻¹ - J/n` (LAPACK `dpotri`), I the Fisher
/// information at the optimum, in `details.standardErrors`.
///
/// **Bad cases.** The MLE exists iff for every split of the projects into two groups some project of
/// the second is chosen while one of the first is still available (Hunter 2004, assumption 1); for
/// these choice sets that is the strong connectivity of the graph "i put above j", the same as for
/// Bradley–Terry. Otherwise the rule throws `RuleError.invalidInput` with the cause, unless option
/// `prior=c` adds c virtual pairwise wins each way between every pair (a Bradley–Terry pseudo-count
/// prior added to the log-likelihood; recorded in the provenance options). Never NaN.
///
/// - Complexity: O(Σ k²) per Newton step over unique ballots plus O(n³) for the solve.
///
/// **Properties:** anonymous, neutral; uses the order of the ranked projects (unlike the pairwise
/// rules, a first place weighs more than a third: it beats more projects); reduces to the
/// multinomial logit on choose-1 ballots.
///
/// **Reference:** R. L. Plackett, Appl. Statist. 24 (1975); R. D. Luce, *Individual Choice Behavior*
/// (1959); D. R. Hunter, Ann. Statist. 32 (2004) 384–406; choix's `ilsr_top1` (Maystre & Grossglauser 2015).
///
/// **Example:** choose-1 ballots a, a, b over {a, b, c} with prior 0: π_a : π_b = 2 : 1 but c is never
/// chosen, so the MLE does not exist (error); with `prior=1` all three get finite strengths, a first.
public struct PlackettLuceRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "plackett-luce", kind: .ranking, accepts: [.ordinal, .choose1],
    summary: "Plackett–Luce maximum-likelihood log-strengths, a ballot a>b>c as choices from all, then the rest (Newton + LAPACK), with standard errors",
    reference: "Plackett, Appl. Statist. 24 (1975); Luce (1959); Hunter, Ann. Statist. 32 (2004)",
    options: [_Statistical.priorOption: _Statistical.priorHelp],
    arithmetic: "double")

  let prior: Double
  let options: RuleOptions

  public init(options: RuleOptions) throws(RuleError) {
    try options.check(known: Self.descriptor.options.keys, rule: Self.descriptor.id)
    prior = try _Statistical.prior(options, rule: Self.descriptor.id)
    self.options = options
  }

  public var recordedOptions: [String: String] {
    var o = options.values
    o[_Statistical.priorOption] = _Statistical.describe(prior)
    return o
  }

  public func rank(_ problem: RankingProblem) throws(RuleError) -> RankingOutcome {
    let rule = Self.descriptor.id
    try Self.check(problem.profile.kind)
    let ids = problem.instance.projects.map(\.id)
    guard problem.profile.projectCount == ids.count else {
      throw RuleError.invalidInput(rule: rule, message: "the profile and the instance disagree on the number of projects")
    }
    let fit = try Self.fit(problem.profile, prior: prior, ids: ids, rule: rule)
    return RankingOutcome(
      tiers: _Statistical.tiers(fit.theta, tieRank: problem.tieRanks), scores: fit.theta,
      details: [
        "scoreMeaning": "log-strength, sum zero (geometric mean of strengths 1)",
        "strengths": _Statistical.byProject(fit.theta.map { _exp($0) }, ids: ids),
        "standardErrors": _Statistical.byProject(fit.standardErrors, ids: ids),
        "logLikelihood": .double(fit.logLikelihood), "iterations": .int(fit.iterations), "converged": .bool(fit.converged),
        "choiceEvents": .double(fit.events), "prior": .double(prior), "blas": _Statistical.backendDetail,
      ])
  }

  struct Fit {
    var theta: [Double]
    var standardErrors: [Double]
    var logLikelihood: Double
    var iterations: Int
    var converged = true
    var events: Double
  }

  /// The choice data: per unique ballot its ranked projects (prefix order) and weight.
  struct Choices {
    var n: Int
    var offsets: [Int]
    var items: [Int]
    var weights: [Double]
    /// Weighted number of times each project is chosen (informative events only).
    var chosen: [Double]
    /// w[i][j]: weighted events where i was chosen and j was available (the "put above" graph).
    var above: [Double]
    var events: Double
  }

  static func choices(_ p: Profile, rule: String) throws(RuleError) -> Choices {
    let n = p.projectCount
    var scale = 1.0
    for _ in 0..<p.weightScale { scale *= 10 }
    var offsets = [0]
    var items: [Int] = []
    var weights: [Double] = []
    var chosen = [Double](repeating: 0, count: n)
    var events = 0.0
    var namedWeight = [Double](repeating: 0, count: n)
    var coRank = [Double](repeating: 0, count: n * n)  // weight of ballots ranking j at least as high as i, both named
    // Unique ballots in a canonical order (by projects, then weight), so that floating-point sums and
    // hence the output bits do not depend on the order in which ballots were read.
    let canonical = (0..<p.uniqueBallotCount).sorted { x, y in
      let a = p.ballot(x), b = p.ballot(y)
      if a.elementsEqual(b) { return p.totalWeight(x) < p.totalWeight(y) }
      return a.lexicographicallyPrecedes(b)
    }
    for b in canonical {
      let ballot = p.ballot(b)
      if let tg = p.tieGroups {
        let g = tg[p.offsets[b]..<p.offsets[b + 1]]
        for (k, x) in g.enumerated() where Int(x) != k {
          throw RuleError.invalidInput(
            rule: rule, message: "a ballot ranks projects equally; Plackett–Luce needs strict orders of the ranked projects")
        }
      }
      let w = Double(p.totalWeight(b)) / scale
      if w == 0 || ballot.isEmpty { continue }
      let start = items.count
      for x in ballot { items.append(Int(x)) }
      // The last event is uninformative when it chooses from a single remaining project.
      let informative = ballot.count == n ? n - 1 : ballot.count
      for t in 0..<informative { chosen[items[start + t]] += w }
      events += w * Double(informative)
      for s in 0..<ballot.count {
        let i = items[start + s]
        namedWeight[i] += w
        for t in 0...s { coRank[i * n + items[start + t]] += w }
      }
      offsets.append(items.count)
      weights.append(w)
    }
    // i was chosen while j was available ⇔ the ballot ranks i and not j at least as high.
    var above = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0..<n where i != j { above[i * n + j] = namedWeight[i] - coRank[i * n + j] } }
    return Choices(n: n, offsets: offsets, items: items, weights: weights, chosen: chosen, above: above, events: events)
  }

  static func fit(_ profile: Profile, prior: Double, ids: [String], rule: String) throws(RuleError) -> Fit {
    let c = try choices(profile, rule: rule)
    let n = c.n
    if n <= 1 { return Fit(theta: Array(repeating: 0, count: n), standardErrors: Array(repeating: 0, count: n), logLikelihood: 0, iterations: 0, events: c.events) }
    var graph = c.above
    if prior > 0 { for i in 0..<n { for j in 0..<n where i != j { graph[i * n + j] += prior } } }
    guard _Statistical.stronglyConnected(graph, n) else { throw _Statistical.separationError(rule: rule, graph, n, ids: ids) }
    let ballots = c.weights.count

    /// Log-likelihood, and optionally gradient and information, at θ.
    func evaluate(_ theta: [Double], derivatives: Bool) -> (Double, [Double], Matrix?) {
      let mx = theta.max()!
      let pi = theta.map { _exp($0 - mx) }  // scaled strengths (ratios are scale-free)
      let total = pi.reduce(0, +)
      var ll = 0.0
      var bigR = 0.0, bigR2 = 0.0
      var r = [Double](repeating: 0, count: n), r2 = [Double](repeating: 0, count: n)
      var k = derivatives ? Matrix(rows: n, columns: n) : nil
      for b in 0..<ballots {
        let w = c.weights[b]
        let lo = c.offsets[b], hi = c.offsets[b + 1]
        let len = hi - lo
        let informative = len == n ? n - 1 : len
        var d = total
        for t in 0..<informative {
          let a = c.items[lo + t]
          ll += w * (theta[a] - mx - _log(d))
          if derivatives {
            let inv = w / d
            let inv2 = inv / d
            bigR += inv
            bigR2 += inv2
            for s in 0..<t {
              let x = c.items[lo + s]
              r[x] += inv
              r2[x] += inv2
              for s2 in 0..<t { k![x, c.items[lo + s2]] += inv2 * pi[x] * pi[c.items[lo + s2]] }
            }
          }
          d -= pi[a]
          if d <= 0 { d = Swift.max(d, 1e-300) }
        }
      }
      var g = [Double](repeating: 0, count: n)
      var info: Matrix? = nil
      if derivatives {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { g[i] = c.chosen[i] - pi[i] * (bigR - r[i]) }
        for j in 0..<n {
          let vj = pi[j] * r2[j]
          for i in 0..<n {
            let vi = pi[i] * r2[i]
            m[i, j] = -bigR2 * pi[i] * pi[j] + vi * pi[j] + pi[i] * vj - k![i, j]
          }
          m[j, j] += pi[j] * (bigR - r[j])
        }
        info = m
      }
      if prior > 0 {
        for i in 0..<n {
          for j in (i + 1)..<n {
            let p = _Statistical.sigmoid(theta[i] - theta[j])
            ll += prior * (_Statistical.logSigmoid(theta[i] - theta[j]) + _Statistical.logSigmoid(theta[j] - theta[i]))
            if derivatives {
              let gr = prior * (1 - 2 * p)
              g[i] += gr
              g[j] -= gr
              let h = 2 * prior * p * (1 - p)
              info![i, j] -= h
              info![j, i] -= h
              info![i, i] += h
              info![j, j] += h
            }
          }
        }
      }
      return (ll, g, info)
    }

    var theta = [Double](repeating: 0, count: n)
    var ll = evaluate(theta, derivatives: false).0
    var iterations = 0
    var converged = false
    while iterations < _Statistical.maxIterations {
      iterations += 1
      let (_, g, info) = evaluate(theta, derivatives: true)
      let delta = try _Statistical.solveCentred(info!, g, rule: rule)
      var step = 1.0
      var next = theta
      var nextLL = ll
      var accepted = false
      for _ in 0..<60 {
        for i in 0..<n { next[i] = theta[i] + step * delta[i] }
        nextLL = evaluate(next, derivatives: false).0
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
    let cov = try _Statistical.centredCovariance(evaluate(theta, derivatives: true).2!, rule: rule)
    let se = _Statistical.standardErrors(cov)
    try _Statistical.requireFinite(se, rule: rule, what: "the standard errors")
    return Fit(theta: theta, standardErrors: se, logLikelihood: ll, iterations: iterations, converged: converged, events: c.events)
  }
}
