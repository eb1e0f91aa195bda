import TallyCore

/// What the pairwise (margin-based) ranking rules share: the `pairwise` option, building the matrix,
/// turning weight units into numbers, and tiers from integer scores.
enum _PairwiseRule {
  /// The option every pairwise rule accepts: which algorithm builds the matrix.
  static let pairwiseOption = "pairwise"
  static let pairwiseOptionHelp = "automatic (default), sparse or dense: how the pairwise matrix is built"

  /// Reads the `pairwise` option.
  static func algorithm(_ options: RuleOptions, rule: String) throws(RuleError) -> PairwiseMatrix.Algorithm {
    let v = try options.choice(
      pairwiseOption, rule: rule, among: PairwiseMatrix.Algorithm.allCases.map(\.rawValue), default: "automatic")
    return PairwiseMatrix.Algorithm(rawValue: v)!
  }

  /// The matrix of the problem's profile.
  static func matrix(_ problem: RankingProblem, algorithm: PairwiseMatrix.Algorithm, rule: String) throws(RuleError)
    -> PairwiseMatrix
  {
    guard problem.profile.projectCount == problem.instance.projectCount else {
      throw RuleError.invalidInput(rule: rule, message: "the profile and the instance disagree on the number of projects")
    }
    if let m = problem.pairwise {
      guard m.count == problem.profile.projectCount else {
        throw RuleError.invalidInput(rule: rule, message: "the precomputed pairwise matrix and the profile disagree on the number of projects")
      }
      return m
    }
    do { return try PairwiseMatrix(profile: problem.profile, algorithm: algorithm) } catch {
      throw RuleError.invalidInput(rule: rule, message: "\(error)")
    }
  }

  /// A weight-unit integer as a number (exact below 2^53 units).
  static func value(_ x: Int64, scale: Int) -> Double {
    var d = 1.0
    for _ in 0..<scale { d *= 10 }
    return Double(x) / d
  }

  /// Tiers from integer scores (higher first unless `ascending`), ties listed in tie-break order.
  static func tiers(_ scores: [Int64], ascending: Bool = false, tieRank: [Int]) -> [[Int]] {
    let order = scores.indices.sorted { a, b in
      if scores[a] != scores[b] { return ascending ? scores[a] < scores[b] : scores[a] > scores[b] }
      return tieRank[a] < tieRank[b]
    }
    var tiers: [[Int]] = []
    for i in order {
      if let last = tiers.last?.last, scores[last] == scores[i] { tiers[tiers.count - 1].append(i) } else { tiers.append([i]) }
    }
    return tiers
  }
}
