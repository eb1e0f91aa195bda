import TallyCore

/// Ranks projects by an exact Kemeny–Young optimal order.
///
/// **Definition.** The agreement of a strict order with the ballots is the total pairwise support it
/// respects, `Σ_{a above b} S[a][b]`. A Kemeny order maximises it (equivalently, minimises the weighted
/// Kendall-tau distance to the ballots). The optimum is found exactly by dynamic programming over
/// subsets: `f(X)`, the best agreement within a set `X` ordered on its own, is
/// `max_{c ∈ X} f(X \ c) + Σ_{x ∈ X \ c} S[c][x]` (c on top of X). Among several optimal orders the
/// one chosen is the first under the tie-break, position by position from the top (the tie-break's
/// favourite goes as high as any optimal order allows); `optimalOrderUnique` in the details says
/// whether there was a choice.
///
/// **Limit.** Exact up to ``maxProjects`` (22) projects (2^22 states, 36 MB, well under a second);
/// larger inputs give ``RuleError/instanceTooLarge(rule:size:limit:)``.
///
/// - Complexity: O(2^n · n) time (row sums over a subset come from two half-width tables), O(2^n)
///   memory, plus one pairwise matrix.
///
/// **Properties:** anonymous, neutral, Condorcet- and Smith-consistent, reinforcing (consistent)
/// as a social welfare function, satisfies the Condorcet loser criterion; not clone-independent;
/// NP-hard in general.
///
/// **Reference:** J. G. Kemeny, "Mathematics without numbers", Daedalus 88 (1959); H. P. Young &
/// A. Levenglick, SIAM J. Appl. Math. 35 (1978).
///
/// **Example:** a>b>c ×2, b>c>a ×1: the order a>b>c (agreement 2+2+3 = 7) beats b>c>a (3+1+1 = 5) and
/// every other order: a, b, c.
public struct KemenyRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "kemeny", kind: .ranking, accepts: allBallotKinds,
    summary: "an order maximising the total pairwise support agreeing with it (exact, up to 22 projects)",
    reference: "Kemeny (1959); Young & Levenglick (1978)",
    options: [_PairwiseRule.pairwiseOption: _PairwiseRule.pairwiseOptionHelp])

  /// The largest number of projects solved exactly.
  public static let maxProjects = 22

  let algorithm: PairwiseMatrix.Algorithm

  public init(options: RuleOptions) throws(RuleError) {
    try options.check(known: [_PairwiseRule.pairwiseOption], rule: Self.descriptor.id)
    algorithm = try _PairwiseRule.algorithm(options, rule: Self.descriptor.id)
  }

  public var recordedOptions: [String: String] { [_PairwiseRule.pairwiseOption: algorithm.rawValue] }

  public func rank(_ problem: RankingProblem) throws(RuleError) -> RankingOutcome {
    let n = problem.instance.projectCount
    if n > Self.maxProjects {
      throw RuleError.instanceTooLarge(rule: Self.descriptor.id, size: n, limit: Self.maxProjects)
    }
    let m = try _PairwiseRule.matrix(problem, algorithm: algorithm, rule: Self.descriptor.id)
    let tie = problem.tieRanks
    let ids = problem.instance.projects.map(\.id)
    if n == 0 { return RankingOutcome(tiers: [], scores: nil, details: m.condorcetDetails(ids: ids)) }
    // gain(c, X) = Σ_{x ∈ X} S[c][x] from two tables over the low and high halves of the bits.
    let lowBits = n / 2
    let highBits = n - lowBits
    let lowSize = 1 << lowBits
    let highSize = 1 << highBits
    var low = [Int64](repeating: 0, count: n * lowSize)
    var high = [Int64](repeating: 0, count: n * highSize)
    for c in 0..<n {
      for mask in 1..<lowSize {
        let bit = mask.trailingZeroBitCount
        low[c * lowSize + mask] = low[c * lowSize + (mask & (mask - 1))] + m[c, bit]
      }
      for mask in 1..<highSize {
        let bit = mask.trailingZeroBitCount
        high[c * highSize + mask] = high[c * highSize + (mask & (mask - 1))] + m[c, lowBits + bit]
      }
    }
    let states = 1 << n
    var f = [Int64](repeating: 0, count: states)
    var ways = [UInt8](repeating: 0, count: states)  // number of optimal orders, saturated at 2
    ways[0] = 1
    low.withUnsafeBufferPointer { low in
      high.withUnsafeBufferPointer { high in
        f.withUnsafeMutableBufferPointer { f in
          ways.withUnsafeMutableBufferPointer { ways in
            for x in 1..<states {
              var best = Int64.min
              var count: UInt8 = 0
              var rest = x
              while rest != 0 {
                let c = rest.trailingZeroBitCount
                rest &= rest - 1
                let without = x & ~(1 << c)
                let v = f[without] &+ low[c &* lowSize &+ (without & (lowSize - 1))]
                  &+ high[c &* highSize &+ (without >> lowBits)]
                if v > best {
                  best = v
                  count = ways[without]
                } else if v == best {
                  count = min(2, count &+ ways[without])
                }
              }
              f[x] = best
              ways[x] = count
            }
          }
        }
      }
    }
    // Reconstruct from the top: the tie-break's favourite among the optimal choices at each step.
    var order: [Int] = []
    var x = states - 1
    while x != 0 {
      var pick = -1
      var rest = x
      while rest != 0 {
        let c = rest.trailingZeroBitCount
        rest &= rest - 1
        let without = x & ~(1 << c)
        let v = f[without] + low[c * lowSize + (without & (lowSize - 1))] + high[c * highSize + (without >> lowBits)]
        if v == f[x] && (pick < 0 || tie[c] < tie[pick]) { pick = c }
      }
      order.append(pick)
      x &= ~(1 << pick)
    }
    var details = m.condorcetDetails(ids: ids)
    details["pairwiseAlgorithm"] = .string(m.algorithmUsed.rawValue)
    details["agreement"] = .double(_PairwiseRule.value(f[states - 1], scale: m.weightScale))
    details["optimalOrderUnique"] = .bool(ways[states - 1] == 1)
    details["exactUpTo"] = .int(Self.maxProjects)
    return RankingOutcome(tiers: order.map { [$0] }, scores: nil, details: details)
  }
}
