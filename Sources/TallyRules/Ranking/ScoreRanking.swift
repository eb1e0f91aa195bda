import TallyCore

/// Ranks projects by their score: approvals, points, or positional points for ordinal ballots.
///
/// **Definition.** A project's score is, per ballot kind: approval and choose-1, the (weighted)
/// number of ballots naming it; cumulative and scoring, the sum of its points; ordinal, the sum over
/// ballots of `L - position` (first position 0), `L` being META `max_length` or else the longest
/// ballot. Projects are ranked by score, highest first; equal scores share a rank.
///
/// - Complexity: O(total ballot length + n log n).
///
/// **Properties:** anonymous, neutral, monotone; for approval ballots it is approval voting, for
/// ordinal ballots a positional (Borda-like, truncated) count; not Condorcet-consistent.
///
/// **Reference:** Tally contract, "Rule ids"; Brams & Fishburn, *Approval Voting* (1983).
///
/// **Example:** approval ballots {a,b}, {a}, {c}: a=2 ranks 1, b and c tie at rank 2.
public struct ScoreRanking: RankingRule {
  public static let descriptor = RuleDescriptor(
    id: "score", kind: .ranking, accepts: allBallotKinds,
    summary: "by score: approvals, points, or L - position for ordinal ballots",
    reference: "Tally contract, Rule ids; Brams & Fishburn, Approval Voting (1983)")

  public init(options: RuleOptions) throws(RuleError) { try options.check(known: [], rule: Self.descriptor.id) }

  public func rank(_ problem: RankingProblem) throws(RuleError) -> RankingOutcome {
    guard let u = problem.scoreUnits ?? problem.profile.scoreUnits(maxLength: problem.instance.maxLength) else {
      throw RuleError.invalidInput(rule: Self.descriptor.id, message: "a project's score overflows 64 bits")
    }
    var den: Int64 = 1
    for _ in 0..<problem.profile.weightScale { den *= 10 }
    // units / 10^scale as a double: one correctly rounded division when both are below 2^53 (exactly
    // the `Rational(units / 10^scale).doubleValue` of the exact scores, which divides the reduced
    // fraction: the same real number, so the same double); else through the exact rational.
    let exact = den < (1 << 53) && u.allSatisfy { $0.magnitude < (1 << 53) }
    let d = exact ? u.map { Double($0) / Double(den) } : u.map { Rational(ExactDecimal(units: $0, scale: problem.profile.weightScale)).doubleValue }
    return RankingOutcome(tiers: RankingOutcome.tiers(byScores: d, tieRank: problem.tieRanks), scores: d)
  }
}
