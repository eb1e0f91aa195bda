import TallyCore

/// Ranks projects by Instant-Runoff elimination (IRV, alternative vote) run to the end.
///
/// **Definition.** Every ballot counts, with its weight, for its highest-ranked project still in the
/// race (its current first preference); a ballot with no remaining ranked project is exhausted and
/// drops out. Each round eliminates exactly one project: the one with the fewest current first
/// preferences among the remaining ones. The ranking is the reverse of the elimination order (the last
/// project standing first). There is no majority stop: every round is run, so every project is ranked.
///
/// **Ties.** When several remaining projects share the fewest first preferences, the one the
/// tie-break ranks *last* is eliminated (the tie-break's favourite survives); each such round records
/// `tiedForFewest`. Every rank is therefore distinct; the rounds show where the tie-break decided.
/// Ballots with tied ranks (PrefLib `.toc`/`.toi`) are refused: a tied first preference has no
/// single current choice.
///
/// - Complexity: O(total ballot length + n²): each unique ballot's pointer only moves forward, and a
///   ballot is re-examined only when its current choice is eliminated.
///
/// **Properties:** anonymous, neutral, satisfies majority and mutual majority, Condorcet loser,
/// later-no-harm; not monotone, not Condorcet-consistent, fails participation.
///
/// **Reference:** T. Hare (1859), W. R. Ware (1871); Tally contract "Ranking"; rounds as in
/// timrcv/ranked_voting's round statistics.
///
/// **Example:** a>b ×4, b>c ×3, c>b ×2: round 1 eliminates c (2); its ballots go to b (5 vs 4);
/// round 2 eliminates a: b, a, c.
public struct InstantRunoffRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "instant-runoff", kind: .ranking, accepts: [.ordinal, .choose1],
    summary: "eliminate the project with fewest first preferences among remaining ones, one a round; reverse order",
    reference: "Hare (1859); Ware (1871); Tally contract, Rule ids")

  public init(options: RuleOptions) throws(RuleError) { try options.check(known: [], rule: Self.descriptor.id) }

  public func rank(_ problem: RankingProblem) throws(RuleError) -> RankingOutcome {
    let p = problem.profile
    let rule = Self.descriptor.id
    try Self.check(p.kind)
    if let g = p.tieGroups {
      for b in 0..<p.uniqueBallotCount {
        let lo = p.offsets[b]
        for k in lo..<p.offsets[b + 1] where g[k] != Int32(k - lo) {
          throw RuleError.invalidInput(
            rule: rule, message: "instant-runoff needs strict rankings; a ballot ranks projects as tied")
        }
      }
    }
    let n = p.projectCount
    let ids = problem.instance.projects.map(\.id)
    let tie = problem.tieRanks
    var remaining = [Bool](repeating: true, count: n)
    var tally = [Int64](repeating: 0, count: n)
    var pointer = p.offsets.dropLast().map { $0 }  // current position in each unique ballot
    var holders = [[Int32]](repeating: [], count: n)  // unique ballots whose current choice is the project
    var weights = [Int64](repeating: 0, count: p.uniqueBallotCount)
    for b in 0..<p.uniqueBallotCount {
      weights[b] = p.totalWeight(b)
      if pointer[b] < p.offsets[b + 1] {
        let x = Int(p.items[pointer[b]])
        tally[x] &+= weights[b]
        holders[x].append(Int32(b))
      }
    }
    var exhausted: Int64 = 0
    var eliminated: [Int] = []
    var score = [Double](repeating: 0, count: n)
    var rounds: [JSONValue] = []
    for round in 1...max(n, 1) where n > 0 {
      let alive = (0..<n).filter { remaining[$0] }
      let fewest = alive.map { tally[$0] }.min()!
      let tied = alive.filter { tally[$0] == fewest }
      let out = tied.max { tie[$0] < tie[$1] }!
      var r: [String: JSONValue] = [
        "round": .int(round),
        "tally": .object(Dictionary(uniqueKeysWithValues: alive.map { (ids[$0], JSONValue.double(_PairwiseRule.value(tally[$0], scale: p.weightScale))) })),
        "exhausted": .double(_PairwiseRule.value(exhausted, scale: p.weightScale)),
        "eliminated": .string(ids[out]),
      ]
      if tied.count > 1 { r["tiedForFewest"] = .array(tied.sorted { tie[$0] < tie[$1] }.map { .string(ids[$0]) }) }
      rounds.append(.object(r))
      score[out] = _PairwiseRule.value(tally[out], scale: p.weightScale)
      remaining[out] = false
      eliminated.append(out)
      // Transfer the eliminated project's ballots to their next remaining choice.
      for b32 in holders[out] {
        let b = Int(b32)
        var k = pointer[b] + 1
        let end = p.offsets[b + 1]
        while k < end && !remaining[Int(p.items[k])] { k += 1 }
        pointer[b] = k
        if k < end {
          let x = Int(p.items[k])
          tally[x] &+= weights[b]
          holders[x].append(b32)
        } else {
          exhausted &+= weights[b]
        }
      }
      holders[out] = []
      tally[out] = 0
    }
    return RankingOutcome(
      tiers: eliminated.reversed().map { [$0] }, scores: score,
      details: [
        "rounds": .array(rounds),
        "scoreMeaning": "current first preferences in the round the project was eliminated (the winner: the last round)",
        "eliminationTieBreak": "among the fewest, the project the tie-break ranks last is eliminated",
      ])
  }
}
