import TallyCore

extension PairwiseMatrix {
  /// The pairwise matrices of one profile's unique ballots under other multiplicities, e.g. the counts
  /// of bootstrap resamples, without building a profile per set of multiplicities.
  ///
  /// ``matrix(multiplicities:)`` with counts `c` is exactly `PairwiseMatrix(profile: p′)` for the profile
  /// `p′` that keeps the ballots with `c[b] > 0`, with multiplicities `c[b]` (weights and points stay
  /// with their ballots): the ballots are grouped once (``_GroupedBallots``) and each call runs the
  /// sparse pair count with weights `c[b] × weight[b]`. Integer sums do not depend on the order, so
  /// the matrix is the same entry for entry (only ``algorithmUsed`` is always `.sparse`).
  ///
  /// - Complexity: O(m + Σ len²) per matrix (m unique ballots), plus O(n²).
  public struct Reweighting: Sendable {
    let grouped: _GroupedBallots
    /// Each unique ballot's own weight (1 when the profile is unweighted).
    let unitWeights: [Int64]
    let weightScale: Int

    /// Prepares the profile's ballots.
    public init(profile: Profile) {
      grouped = _GroupedBallots(profile)
      unitWeights = profile.weights ?? Array(repeating: 1, count: profile.uniqueBallotCount)
      weightScale = profile.weightScale
    }

    /// The number of unique ballots.
    public var ballotCount: Int { unitWeights.count }

    /// The matrix of the ballots with multiplicities `counts` (one per unique ballot, ≥ 0).
    /// - Throws: ``RuleError/invalidInput(rule:message:)`` when the total weight overflows 64 bits,
    ///   as ``PairwiseMatrix/init(profile:algorithm:)`` does.
    public func matrix(multiplicities counts: [Int64]) throws(RuleError) -> PairwiseMatrix {
      precondition(counts.count == unitWeights.count)
      var w = [Int64](repeating: 0, count: counts.count)
      var total: Int64 = 0
      for b in 0..<counts.count where counts[b] > 0 {
        let (m, o1) = counts[b].multipliedReportingOverflow(by: unitWeights[b])
        let (t, o2) = total.addingReportingOverflow(m)
        if o1 || o2 || m < 0 {
          throw RuleError.invalidInput(rule: "pairwise", message: "the total ballot weight overflows 64 bits")
        }
        total = t
        w[b] = m
      }
      let n = grouped.projectCount
      var (c, named) = _SparsePairwise.countAtLeastAsHigh(_GroupedBallots(grouped, weights: w), projectCount: n)
      PairwiseMatrix.finish(&c, named: named, n: n)
      return PairwiseMatrix(
        count: n, support: c, namedWeight: named, totalWeight: total, weightScale: weightScale, algorithmUsed: .sparse)
    }
  }
}
