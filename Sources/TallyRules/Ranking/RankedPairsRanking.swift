import TallyCore

/// Ranks projects by Tideman's Ranked Pairs.
///
/// **Definition.** Take the pairs `(a, b)` with a positive margin `M[a][b]`, largest margin first;
/// lock each in turn (`a` above `b`) unless it would close a cycle with the pairs already locked.
/// Pairs with equal margins are taken in the order of the tie-break: the pair whose winner the
/// tie-break prefers first, then the one whose loser it prefers (the "tie-breaking ranking of
/// candidates" of Zavist and Tideman); the order used is recorded. The locked pairs form an acyclic
/// graph; the ranking is its layering: tier 1 holds the projects no locked pair puts below another,
/// tier 2 those only tier-1 projects are locked above, and so on. With no zero margins the locked graph
/// orders every pair and every tier is a single project; a zero margin can leave projects tied.
///
/// - Complexity: one pairwise matrix plus O(n² log n) to sort the pairs and O(n²) per locked pair to
///   keep the reachability (transitive closure) current: O(n⁴) worst case, O(n³) in practice
///   (bit-parallel rows).
///
/// **Properties:** anonymous, neutral (up to the tie-break of equal margins), monotone, Condorcet- and
/// Smith-consistent, independent of clones, satisfies the Condorcet loser criterion.
///
/// **Reference:** T. N. Tideman, "Independence of clones as a criterion for voting rules", Social
/// Choice and Welfare 4 (1987); Zavist & Tideman, SCW 6 (1989).
///
/// **Example:** Wikipedia's Tennessee capital example gives Nashville > Chattanooga > Knoxville > Memphis.
public struct RankedPairsRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "ranked-pairs", kind: .ranking, accepts: allBallotKinds,
    summary: "Tideman: lock positive margins, largest first, skipping any that closes a cycle",
    reference: "Tideman (1987), Social Choice and Welfare 4:185-206",
    options: [_PairwiseRule.pairwiseOption: _PairwiseRule.pairwiseOptionHelp])

  let algorithm: PairwiseMatrix.Algorithm

  public init(options: RuleOptions) throws(RuleError) {
    try options.check(known: [_PairwiseRule.pairwiseOption], rule: Self.descriptor.id)
    algorithm = try _PairwiseRule.algorithm(options, rule: Self.descriptor.id)
  }

  public var recordedOptions: [String: String] { [_PairwiseRule.pairwiseOption: algorithm.rawValue] }

  public func rank(_ problem: RankingProblem) throws(RuleError) -> RankingOutcome {
    let m = try _PairwiseRule.matrix(problem, algorithm: algorithm, rule: Self.descriptor.id)
    let n = m.count
    let tie = problem.tieRanks
    // An acyclic majority graph locks every positive-margin pair, in any order: no sort, no closure.
    let acyclic = m.majorityTopologicalOrder != nil
    let pairs = acyclic ? [] : Self.sortedPairs(m, tie: tie)
    // reach[i]: the bit set of projects reachable from i through locked pairs (i included);
    // back[i]: the projects that reach i (i included). Both stay transitively closed.
    let words = (n + 63) / 64
    var reach = [UInt64](repeating: 0, count: n * words)
    for i in 0..<n { reach[i * words + i / 64] |= 1 << UInt64(i % 64) }
    var back = reach
    var locked = [Bool](repeating: false, count: n * n)
    if acyclic { for a in 0..<n { for b in 0..<n where a != b && m.margin(a, b) > 0 { locked[a * n + b] = true } } }
    var skipped: [JSONValue] = []
    let ids = problem.instance.projects.map(\.id)
    reach.withUnsafeMutableBufferPointer { reach in
      back.withUnsafeMutableBufferPointer { back in
        for (a, b, margin) in pairs {
          // Locking a → b closes a cycle iff b already reaches a.
          if reach[b * words + a / 64] & (1 << UInt64(a % 64)) != 0 {
            if !problem.ranksOnly {
              skipped.append(["winner": .string(ids[a]), "loser": .string(ids[b]), "margin": .double(_PairwiseRule.value(margin, scale: m.weightScale))])
            }
            continue
          }
          locked[a * n + b] = true
          // When a already reaches b, reach[a] ⊇ reach[b]: every set holding a holds reach[b] already.
          if reach[a * words + b / 64] & (1 << UInt64(b % 64)) != 0 { continue }
          // Everyone reaching a now reaches everything b reaches, and conversely. Neither row read
          // (reach[b], back[a]) is written: b does not reach a.
          for w in 0..<words {
            var x = back[a * words + w]
            while x != 0 {
              let i = w * 64 + x.trailingZeroBitCount
              x &= x &- 1
              for v in 0..<words { reach[i * words + v] |= reach[b * words + v] }
            }
          }
          for w in 0..<words {
            var x = reach[b * words + w]
            while x != 0 {
              let j = w * 64 + x.trailingZeroBitCount
              x &= x &- 1
              for v in 0..<words { back[j * words + v] |= back[a * words + v] }
            }
          }
        }
      }
    }
    // Layering of the locked DAG.
    var indegree = [Int](repeating: 0, count: n)
    for a in 0..<n { for b in 0..<n where locked[a * n + b] { indegree[b] += 1 } }
    var placed = [Bool](repeating: false, count: n)
    var tiers: [[Int]] = []
    while tiers.reduce(0, { $0 + $1.count }) < n {
      let tier = (0..<n).filter { !placed[$0] && indegree[$0] == 0 }.sorted { tie[$0] < tie[$1] }
      for a in tier {
        placed[a] = true
        for b in 0..<n where locked[a * n + b] { indegree[b] -= 1 }
      }
      tiers.append(tier)
    }
    if problem.ranksOnly { return RankingOutcome(tiers: tiers, scores: nil) }
    var details = m.condorcetDetails(ids: ids)
    details["pairwiseAlgorithm"] = .string(m.algorithmUsed.rawValue)
    details["skippedPairs"] = .array(skipped)
    details["pairOrder"] = "margin descending; equal margins by the tie-break of the winner, then of the loser"
    return RankingOutcome(tiers: tiers, scores: nil, details: details)
  }

  /// The pairs with a positive margin, largest margin first; equal margins by the tie-break of the
  /// winner, then of the loser; pairs equal in all three stay in (winner, loser) index order.
  ///
  /// When the tie-break ranks are a permutation and the largest margin fits beside them, each pair is
  /// one 64-bit key (margin, winner's rank, loser's rank) and the keys are sorted as integers: the same
  /// order (keys are distinct), several times faster than sorting tuples with a comparator.
  static func sortedPairs(_ m: PairwiseMatrix, tie: [Int]) -> [(a: Int, b: Int, margin: Int64)] {
    let n = m.count
    var pairs: [(a: Int, b: Int, margin: Int64)] = []
    var largest: Int64 = 0
    for a in 0..<n {
      for b in 0..<n where a != b {
        let x = m.margin(a, b)
        if x > 0 {
          pairs.append((a, b, x))
          largest = Swift.max(largest, x)
        }
      }
    }
    let bits = n <= 1 ? 1 : (Int.bitWidth - (n - 1).leadingZeroBitCount)
    var isPermutation = tie.count == n
    if isPermutation {
      var seen = [Bool](repeating: false, count: n)
      for t in tie {
        if t < 0 || t >= n || seen[t] { isPermutation = false; break }
        seen[t] = true
      }
    }
    let marginBits = 64 - 2 * bits
    guard isPermutation, marginBits > 0, marginBits >= 63 || largest < (Int64(1) << Int64(marginBits)) else {
      pairs.sort { x, y in
        if x.margin != y.margin { return x.margin > y.margin }
        if x.a != y.a { return tie[x.a] < tie[y.a] }
        return tie[x.b] < tie[y.b]
      }
      return pairs
    }
    // Key: (largest − margin) ascending = margin descending, then tie[a], then tie[b].
    var byTie = [Int](repeating: 0, count: n)
    for p in 0..<n { byTie[tie[p]] = p }
    var keys = pairs.map { UInt64(largest - $0.margin) << UInt64(2 * bits) | UInt64(tie[$0.a]) << UInt64(bits) | UInt64(tie[$0.b]) }
    keys.sort()
    let mask = (UInt64(1) << UInt64(bits)) - 1
    return keys.map { k in
      let a = byTie[Int((k >> UInt64(bits)) & mask)]
      let b = byTie[Int(k & mask)]
      return (a, b, largest - Int64(k >> UInt64(2 * bits)))
    }
  }
}
