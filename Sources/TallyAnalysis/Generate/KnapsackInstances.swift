import TallyCore

/// Pisinger's classes of synthetic 0/1 knapsack instances, the standard hard cases for exact solvers
/// (costs w in [1, R]; capacity half the total cost), used to test and benchmark `max-welfare`.
///
/// Reference: D. Pisinger, "Where are the hard knapsack problems?", Computers & Operations Research
/// 32 (2005) 2271-2284.
public enum KnapsackClass: String, CaseIterable, Sendable {
  case uncorrelated, weaklyCorrelated, stronglyCorrelated, inverseStronglyCorrelated, almostStronglyCorrelated, subsetSum

  /// A deterministic instance: costs, scores, budget.
  public func instance(n: Int, range r: Int64, seed: UInt64) -> (costs: [Int64], scores: [Int64], budget: Int64) {
    var g = SplitMix64(seed: seed &* 0x9E37_79B9 &+ UInt64(n))
    func uniform(_ lo: Int64, _ hi: Int64) -> Int64 { lo + Int64(g.next() % UInt64(hi - lo + 1)) }
    var costs: [Int64] = []
    var scores: [Int64] = []
    for _ in 0..<n {
      switch self {
      case .uncorrelated:
        costs.append(uniform(1, r))
        scores.append(uniform(1, r))
      case .weaklyCorrelated:
        let w = uniform(1, r)
        costs.append(w)
        scores.append(uniform(max(1, w - r / 10), w + r / 10))
      case .stronglyCorrelated:
        let w = uniform(1, r)
        costs.append(w)
        scores.append(w + r / 10)
      case .inverseStronglyCorrelated:
        let p = uniform(1, r)
        costs.append(p + r / 10)
        scores.append(p)
      case .almostStronglyCorrelated:
        let w = uniform(1, r)
        costs.append(w)
        scores.append(max(1, uniform(w + r / 10 - r / 500, w + r / 10 + r / 500)))
      case .subsetSum:
        let w = uniform(1, r)
        costs.append(w)
        scores.append(w)
      }
    }
    return (costs, scores, costs.reduce(0, +) / 2)
  }
}

