import TallyCore
import TallyLinearAlgebra

/// What the statistical and spectral rules share: options, the comparison counts from the pairwise
/// matrix, connectivity checks with clear errors, constrained Newton steps and covariances, tiers.
enum _Statistical {
  static let priorOption = "prior"
  static let priorHelp =
    "c >= 0 (default 0): add c virtual wins each way between every pair of projects (a symmetric pseudo-count prior); makes the estimate exist on any input"
  static let maxIterations = 200

  /// Reads `prior` (a finite number ≥ 0).
  static func prior(_ options: RuleOptions, rule: String) throws(RuleError) -> Double {
    guard let v = options.values[priorOption] else { return 0 }
    guard let d = Double(v), d.isFinite, d >= 0 else {
      throw RuleError.invalidOption(rule: rule, message: "option 'prior' must be a number >= 0, not '\(v)'")
    }
    return d
  }

  /// The prior as recorded in provenance (shortest round-trip form).
  static func describe(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)" }

  /// `S[i][j] + prior` for i ≠ j as doubles in ballot units (weights divided by 10^scale), row-major.
  static func wins(_ pm: PairwiseMatrix, prior: Double) -> [Double] {
    let n = pm.count
    var scale = 1.0
    for _ in 0..<pm.weightScale { scale *= 10 }
    var w = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0..<n where i != j { w[i * n + j] = Double(pm.support[i * n + j]) / scale + prior } }
    return w
  }

  /// Whether every project can reach every other along edges i → j with `w[i][j] > 0` (i beat j).
  static func stronglyConnected(_ w: [Double], _ n: Int) -> Bool {
    guard n > 1 else { return true }
    func reachesAll(forward: Bool) -> Bool {
      var seen = [Bool](repeating: false, count: n)
      var stack = [0]
      seen[0] = true
      var count = 1
      while let i = stack.popLast() {
        for j in 0..<n where !seen[j] && (forward ? w[i * n + j] : w[j * n + i]) > 0 {
          seen[j] = true
          count += 1
          stack.append(j)
        }
      }
      return count == n
    }
    return reachesAll(forward: true) && reachesAll(forward: false)
  }

  /// Whether the undirected comparison graph (pairs with `w[i][j] + w[j][i] > 0`) is connected.
  static func connected(_ w: [Double], _ n: Int) -> Bool {
    guard n > 1 else { return true }
    var seen = [Bool](repeating: false, count: n)
    var stack = [0]
    seen[0] = true
    var count = 1
    while let i = stack.popLast() {
      for j in 0..<n where !seen[j] && w[i * n + j] + w[j * n + i] > 0 {
        seen[j] = true
        count += 1
        stack.append(j)
      }
    }
    return count == n
  }

  /// The error for a comparison graph on which the maximum-likelihood estimate does not exist.
  static func separationError(rule: String, _ w: [Double], _ n: Int, ids: [String]) -> RuleError {
    let advice = "the maximum-likelihood strengths do not exist (some would be 0 or infinite); pass option prior=<c> (e.g. 0.5) to regularise"
    for i in 0..<n where (0..<n).allSatisfy({ w[i * n + $0] == 0 }) {
      return .invalidInput(rule: rule, message: "project '\(ids[i])' is never put above another project (nobody ranked or named it): \(advice)")
    }
    for i in 0..<n where (0..<n).allSatisfy({ w[$0 * n + i] == 0 }) {
      return .invalidInput(rule: rule, message: "project '\(ids[i])' is never put below another project: \(advice)")
    }
    if !connected(w, n) {
      return .invalidInput(rule: rule, message: "the comparison graph is disconnected (some groups of projects are never compared): \(advice)")
    }
    return .invalidInput(
      rule: rule, message: "a group of projects is put above all the others by every ballot that compares them (perfect separation): \(advice)")
  }

  /// A linear-algebra failure as a rule error.
  static func numerical(_ e: LinearAlgebraError, rule: String) -> RuleError { .numerical(rule: rule, message: e.description) }

  /// Solves `(I + J/n) x = b`, for an information or Laplacian matrix `I` with null space 𝟙 and
  /// `Σ b = 0`: then `x` is the sum-zero solution of `I x = b` (dposv).
  /// `b` is centred first: rounding leaves it a tiny mean, which would otherwise come back as a
  /// constant shift of x (the eigenvalue of `I + J/n` along 𝟙 is 1) and stall convergence tests.
  static func solveCentred(_ info: Matrix, _ b: [Double], rule: String) throws(RuleError) -> [Double] {
    var b = b
    centre(&b)
    var a = info
    let n = a.rows
    let inv = 1 / Double(n)
    for k in a.storage.indices { a.storage[k] += inv }
    do { return try LinearAlgebra.solveSPD(a, b) } catch { throw numerical(error, rule: rule) }
  }

  /// The covariance of sum-zero log-strengths: the pseudo-inverse `(I + J/n)⁻¹ - J/n` of the Fisher
  /// information `I` (dpotrf + dpotri).
  static func centredCovariance(_ info: Matrix, rule: String) throws(RuleError) -> Matrix {
    var a = info
    let n = a.rows
    let inv = 1 / Double(n)
    for k in a.storage.indices { a.storage[k] += inv }
    var c: Matrix
    do { c = try LinearAlgebra.inverseSPD(a) } catch { throw numerical(error, rule: rule) }
    for k in c.storage.indices { c.storage[k] -= inv }
    return c
  }

  /// Standard errors from a covariance's diagonal (clamped at 0 against rounding).
  static func standardErrors(_ cov: Matrix) -> [Double] { cov.diagonal.map { Swift.max(0, $0).squareRoot() } }

  /// `log σ(x) = -log(1 + e^{-x})`, stable for any x.
  @inline(__always) static func logSigmoid(_ x: Double) -> Double {
    x >= 0 ? -log1pExp(-x) : x - log1pExp(x)
  }

  @inline(__always) static func log1pExp(_ x: Double) -> Double { x > 35 ? x : _log1p(_exp(x)) }

  @inline(__always) static func sigmoid(_ x: Double) -> Double {
    x >= 0 ? 1 / (1 + _exp(-x)) : { let e = _exp(x); return e / (1 + e) }()
  }

  /// Subtracts the mean.
  static func centre(_ x: inout [Double]) {
    guard !x.isEmpty else { return }
    let m = x.reduce(0, +) / Double(x.count)
    for i in x.indices { x[i] -= m }
  }

  /// Tiers by score (higher first); scores within 1e-9 (relative) of a tier's first score are tied,
  /// so that rounding in floating-point solvers cannot split exact ties.
  static func tiers(_ scores: [Double], tieRank: [Int]) -> [[Int]] {
    let order = scores.indices.sorted { a, b in
      if scores[a] != scores[b] { return scores[a] > scores[b] }
      return tieRank[a] < tieRank[b]
    }
    var tiers: [[Int]] = []
    var head = 0.0
    for i in order {
      if !tiers.isEmpty, abs(head - scores[i]) <= 1e-9 * Swift.max(1, abs(head)) {
        tiers[tiers.count - 1].append(i)
      } else {
        tiers.append([i])
        head = scores[i]
      }
    }
    // Within a tier, list in tie-break order.
    return tiers.map { $0.sorted { tieRank[$0] < tieRank[$1] } }
  }

  /// Per-project values as a JSON object keyed by project id.
  static func byProject(_ values: [Double], ids: [String]) -> JSONValue {
    .object(Dictionary(uniqueKeysWithValues: zip(ids, values.map { JSONValue.double($0) })))
  }

  /// Throws unless every value is finite (the output must never hold NaN).
  static func requireFinite(_ values: [Double], rule: String, what: String) throws(RuleError) {
    for v in values where !v.isFinite {
      throw RuleError.numerical(rule: rule, message: "\(what) are not finite (the estimate diverged); try option prior=<c>")
    }
  }

  /// The BLAS/LAPACK the process loaded, for details.
  static var backendDetail: JSONValue { .object(BLASBackend.current.fields.mapValues { .string($0) }) }

  /// The pairwise matrix of a problem (the shared pairwise core), with the profile/instance check.
  static func matrix(_ problem: RankingProblem, options: RuleOptions, rule: String) throws(RuleError) -> PairwiseMatrix {
    let algo = try _PairwiseRule.algorithm(options, rule: rule)
    return try _PairwiseRule.matrix(problem, algorithm: algo, rule: rule)
  }
}

#if canImport(Glibc)
  import Glibc
  @inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
  @inline(__always) func _log1p(_ x: Double) -> Double { Glibc.log1p(x) }
  @inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
#else
  import Darwin
  @inline(__always) func _exp(_ x: Double) -> Double { Darwin.exp(x) }
  @inline(__always) func _log1p(_ x: Double) -> Double { Darwin.log1p(x) }
  @inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
#endif
