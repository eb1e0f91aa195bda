import TallyCore
import TallyRules

/// What rules are compared on: the projects and budget, the ballots when there are any, and each
/// project's score.
///
/// One entry point for every input: a Pabulib file gives its profile and the contract's scores; an
/// election gives its combined (channel-weighted) scores and, when it has one, a profile for the rules
/// that need ballots. Ranking rules and the outcome measures need the profile; without it they are
/// skipped with a reason.
public struct ComparisonInput: Sendable {
  /// Projects, budget, META.
  public var instance: Instance
  /// The ballots, when there are any.
  public var profile: Profile?
  /// Each project's score (exact), by project index.
  public var scores: [Rational]
  /// How ties are broken.
  public var tieBreak: TieBreak
  /// Auxiliary values for `priority:` tie-break keys (elections supply `share:<channel>`).
  public var auxiliary: [String: [Rational]]
  /// Sub-envelopes and quotas every allocation rule must respect (an election's envelopes).
  public var constraints: AllocationConstraints
  /// Whether the outcome measures weigh voters by their ballot weights (true for weighted Pabulib
  /// files; false for an election's combined profile, whose weights carry the channel weighting, so
  /// that "share of voters" counts people).
  public var measuresUseWeights: Bool

  /// Creates an input from explicit scores.
  public init(
    instance: Instance, profile: Profile?, scores: [Rational], tieBreak: TieBreak = .lexicographic,
    auxiliary: [String: [Rational]] = [:], constraints: AllocationConstraints = .none, measuresUseWeights: Bool = true
  ) {
    precondition(scores.count == instance.projectCount)
    self.instance = instance
    self.profile = profile
    self.scores = scores
    self.tieBreak = tieBreak
    self.auxiliary = auxiliary
    self.constraints = constraints
    self.measuresUseWeights = measuresUseWeights
  }

  /// Creates an input whose scores come from the profile (the contract's score definition).
  public init(instance: Instance, profile: Profile, tieBreak: TieBreak = .lexicographic) throws(RuleError) {
    guard let s = profile.scores(maxLength: instance.maxLength) else {
      throw RuleError.invalidInput(rule: "score", message: "a project's score overflows 64 bits")
    }
    self.init(instance: instance, profile: profile, scores: s, tieBreak: tieBreak)
  }

  /// The ballot kind (the profile's, else the instance's).
  public var ballotKind: BallotKind { profile?.kind ?? instance.ballotKind }

  /// The scores as doubles (for shares and charts).
  public var scoreValues: [Double] { scores.map(\.doubleValue) }

  /// The allocation problem for rule runs.
  func allocationProblem(scores: [Rational]? = nil, profile: Profile? = nil) -> AllocationProblem {
    AllocationProblem(
      instance: instance, profile: profile ?? self.profile, scores: scores ?? self.scores, constraints: constraints,
      tieBreak: tieBreak, auxiliary: auxiliary)
  }
}

/// One rule's part of a comparison: its outcome, or why it was skipped.
public struct RuleResult: Sendable {
  /// The rule id.
  public var rule: String
  /// Ranking or allocation.
  public var kind: RuleKind
  /// The ranking, for ranking rules that ran.
  public var ranking: RankingOutcome?
  /// The funded set, for allocation rules that ran.
  public var allocation: AllocationOutcome?
  /// Why the rule did not run (unsupported ballots, past an exact rule's size limit, ...).
  public var skipped: String?
  /// Outcome measures of the funded set (allocation rules, when there are ballots).
  public var measures: OutcomeMeasures?
  /// Spending by the projects' `category` field against its share of the votes.
  public var categorySpending: [GroupSpending] = []
  /// Spending by the projects' `target` field against its share of the votes.
  public var targetSpending: [GroupSpending] = []
  /// Wall-clock seconds the rule took (for people; never in JSON).
  public var seconds: Double = 0

  /// Whether the rule produced an outcome.
  public var ran: Bool { skipped == nil }

  /// The rule's options as recorded (after defaults).
  public var options: [String: String] = [:]
}

/// Agreement between two ranking rules.
public struct RankingAgreement: Sendable, Hashable {
  /// The two rule ids, in listing order.
  public var a: String
  public var b: String
  /// Kendall's τ-b (nil when a ranking ties everything).
  public var kendallTau: Double?
  /// Spearman's ρ on mid-ranks (nil when a ranking ties everything).
  public var spearmanRho: Double?
}

/// Agreement between two allocation rules.
public struct AllocationAgreement: Sendable, Hashable {
  /// The two rule ids, in listing order.
  public var a: String
  public var b: String
  /// |A ∩ B| / |A ∪ B| of the funded sets.
  public var jaccard: Double
  /// Projects funded by both.
  public var projectsInCommon: Int
  /// Total cost of the projects funded by both (instance units).
  public var moneyInCommon: Int64
}

/// Rules run side by side on one input, with their agreement and, optionally, their stability.
public struct Comparison: Sendable {
  /// The input.
  public var input: ComparisonInput
  /// One result per rule, in the order asked for.
  public var results: [RuleResult]
  /// Every pair of ranking rules that ran.
  public var rankingAgreement: [RankingAgreement]
  /// Every pair of allocation rules that ran.
  public var allocationAgreement: [AllocationAgreement]
  /// Bootstrap stability, when asked for.
  public var bootstrap: BootstrapResult?
  /// Channel-weight sweeps, for elections.
  public var sweeps: [WeightSweep] = []

  /// The rank of every project under ranking rule `id`.
  public func result(_ id: String) -> RuleResult? { results.first { $0.rule == id } }
}

/// Runs rules side by side.
public enum Compare {
  /// The default rules for a ballot kind: every allocation rule and every ranking rule of the catalog
  /// that accepts it, in catalog order (rules past an exact size limit are skipped at run time, with
  /// the reason recorded).
  public static func defaultRules(for kind: BallotKind, in catalog: RuleCatalog) -> [RuleCatalog.Entry] {
    catalog.entries.filter { $0.descriptor.accepts.contains(kind) }
  }

  /// Runs every rule, concurrently (one task per rule), and compares the outcomes.
  ///
  /// Rules are pure functions of the shared read-only input, and results are placed by rule index, so
  /// the comparison is the same as ``runSequentially(_:rules:)`` whatever the scheduling.
  public static func run(_ input: ComparisonInput, rules: [RuleCatalog.Entry]) async -> Comparison {
    let results = await withTaskGroup(of: (Int, RuleResult).self) { group in
      for (i, e) in rules.enumerated() {
        group.addTask { (i, runRule(e, on: input)) }
      }
      var out = [RuleResult?](repeating: nil, count: rules.count)
      for await (i, r) in group { out[i] = r }
      return out.map { $0! }
    }
    return assemble(input, results)
  }

  /// Runs every rule one after the other and compares the outcomes.
  public static func runSequentially(_ input: ComparisonInput, rules: [RuleCatalog.Entry]) -> Comparison {
    assemble(input, rules.map { runRule($0, on: input) })
  }

  /// Runs one rule; a rule that cannot run on this input is recorded as skipped with the reason.
  public static func runRule(_ entry: RuleCatalog.Entry, on input: ComparisonInput) -> RuleResult {
    let clock = ContinuousClock()
    let start = clock.now
    var r = timedRule(entry, on: input)
    r.seconds = seconds(clock.now - start)
    return r
  }

  static func timedRule(_ entry: RuleCatalog.Entry, on input: ComparisonInput) -> RuleResult {
    let d = entry.descriptor
    var r = RuleResult(rule: d.id, kind: d.kind)
    guard d.accepts.contains(input.ballotKind) else {
      r.skipped = "does not accept \(input.ballotKind) ballots"
      return r
    }
    do throws(RuleError) {
      switch entry {
      case .allocation(let t):
        let rule = try t.init(options: RuleOptions())
        r.options = rule.recordedOptions
        let outcome = try rule.allocate(input.allocationProblem())
        r.allocation = outcome
        if let profile = input.profile {
          r.measures = OutcomeMeasures(
            funded: outcome.selected, instance: input.instance, profile: profile, useWeights: input.measuresUseWeights)
        }
        let sv = input.scoreValues
        r.categorySpending = GroupSpending.compute(
          funded: outcome.selected, instance: input.instance, scores: sv, groups: \.categories)
        r.targetSpending = GroupSpending.compute(
          funded: outcome.selected, instance: input.instance, scores: sv, groups: \.targets)
      case .ranking(let t):
        guard let profile = input.profile else {
          r.skipped = "needs ballots, and this input has only scores"
          return r
        }
        let rule = try t.init(options: RuleOptions())
        r.options = rule.recordedOptions
        r.ranking = try rule.rank(RankingProblem(instance: input.instance, profile: profile, tieBreak: input.tieBreak))
      }
    } catch {
      r.skipped = error.description
    }
    return r
  }

  /// Pairs up the results that ran.
  static func assemble(_ input: ComparisonInput, _ results: [RuleResult]) -> Comparison {
    let rankings = results.filter { $0.ranking != nil }
    let allocations = results.filter { $0.allocation != nil }
    var ra: [RankingAgreement] = []
    for i in rankings.indices {
      for j in rankings.indices where j > i {
        let a = rankings[i].ranking!.ranks
        let b = rankings[j].ranking!.ranks
        ra.append(
          RankingAgreement(
            a: rankings[i].rule, b: rankings[j].rule, kendallTau: RankAgreement.kendallTau(a, b),
            spearmanRho: RankAgreement.spearmanRho(a, b)))
      }
    }
    var aa: [AllocationAgreement] = []
    let costs = input.instance.costs
    for i in allocations.indices {
      for j in allocations.indices where j > i {
        let a = Set(allocations[i].allocation!.selected)
        let b = Set(allocations[j].allocation!.selected)
        aa.append(
          AllocationAgreement(
            a: allocations[i].rule, b: allocations[j].rule, jaccard: RankAgreement.jaccard(a, b),
            projectsInCommon: a.intersection(b).count, moneyInCommon: RankAgreement.moneyInCommon(a, b, costs: costs)))
      }
    }
    return Comparison(input: input, results: results, rankingAgreement: ra, allocationAgreement: aa)
  }
}

/// A duration in seconds.
func seconds(_ d: Duration) -> Double {
  let c = d.components
  return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}
