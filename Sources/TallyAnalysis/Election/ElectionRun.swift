import TallyCore
import TallyIO
import TallyRules

/// The multi-channel election job behind `tally run`: tally every channel, combine the shares with the
/// channel weights into one exact score per project, rank, and cut the ranking to the budget with the
/// election's allocation rule, respecting its sub-envelopes.
///
/// 1. Each channel's valid ballots give `share_c(p)` under the channel's ``Normalisation`` (exact).
/// 2. `S(p) = Σ_c w_c · share_c(p)` (exact rationals, so equal scores are real ties).
/// 3. The ranking orders projects by `S`, highest first; tied projects share a rank and are listed in
///    tie-break order (`share:<channel>` keys compare that channel's share, higher first).
/// 4. The allocation rule (`greedy` by default, the Seoul practice; `max-welfare` for the exact
///    knapsack) runs on an ``AllocationProblem`` whose scores are `S` and whose constraints are the
///    election's envelopes (``AllocationConstraints/Envelope``, caps and floors in cost units).
public struct ElectionRun: Sendable {
  /// The election as read.
  public var definition: ElectionDefinition
  /// Each channel's ballots, tallies and void counts.
  public var ballots: ElectionBallots
  /// Shares and combined scores.
  public var scores: ElectionScores
  /// The tie-break used.
  public var tieBreak: TieBreak
  /// Tiers of equal combined score, best first (project indices, tie-break order within a tier).
  public var tiers: [[Int]]
  /// The allocation problem given to the rule.
  public var problem: AllocationProblem
  /// The rule's outcome.
  public var outcome: AllocationOutcome
  /// The allocation rule's id and arithmetic.
  public var rule: RuleDescriptor
  /// Per envelope, its projects' indices (``ElectionDefinition/envelopeMembers``, taken once).
  public var envelopeMembers: [[Int]]

  /// Runs an election that is already read.
  /// - Parameters:
  ///   - definition: the election.
  ///   - ballots: its ballots (``ElectionDefinition/readBallots(policy:voterCheck:keepBallots:)``).
  ///   - rule: the allocation rule (look it up by `definition.election.allocation` in a catalog).
  ///   - tieBreak: overrides the election's tie-break when given.
  public init(
    definition: ElectionDefinition, ballots: ElectionBallots, rule: any AllocationRule, tieBreak: TieBreak? = nil
  ) throws(RuleError) {
    self.definition = definition
    self.ballots = ballots
    let tb = tieBreak ?? definition.tieBreak
    self.tieBreak = tb
    let sc = ElectionScores(election: definition.election, tallies: ballots.channels.map(\.tally))
    self.scores = sc
    let inst = definition.instance
    let aux = sc.tieBreakAuxiliary
    for case .priority(let key) in tb.keys where aux[key] == nil {
      throw RuleError.invalidOption(
        rule: "tie-break",
        message: "'\(key)' names no channel (channels: \(definition.election.channels.map(\.id).joined(separator: ", ")))")
    }
    let tieRank = tb.ranks(ids: inst.projects.map(\.id), costs: inst.costs, auxiliary: aux)
    self.tiers = Self.tiers(scores: sc.combined, tieRank: tieRank)
    let members = definition.envelopeMembers
    self.envelopeMembers = members
    var problem = AllocationProblem(
      instance: inst, profile: nil, scores: sc.combined, constraints: Self.constraints(definition, members: members),
      tieBreak: tb, auxiliary: aux)
    problem.knownTieRanks = tieRank
    self.problem = problem
    self.rule = type(of: rule).descriptor
    self.outcome = try rule.allocate(problem)
  }

  /// Projects grouped by equal exact score, best first; within a tier, by tie-break rank.
  public static func tiers(scores: [Rational], tieRank: [Int]) -> [[Int]] {
    let order = _IndexSort.sortedIndices(scores.count) { a, b in
      if scores[a] != scores[b] { return scores[a] > scores[b] }
      return tieRank[a] < tieRank[b]
    }
    var tiers: [[Int]] = []
    for i in order {
      if let last = tiers.last?.last, scores[last] == scores[i] {
        tiers[tiers.count - 1].append(i)
      } else {
        tiers.append([i])
      }
    }
    return tiers
  }

  /// The election's envelopes as allocation constraints (amounts in the instance's cost units).
  public static func constraints(_ d: ElectionDefinition) -> AllocationConstraints {
    constraints(d, members: d.envelopeMembers)
  }

  /// ``constraints(_:)`` with the envelopes' members already found.
  static func constraints(_ d: ElectionDefinition, members: [[Int]]) -> AllocationConstraints {
    let scale = d.instance.costScale
    let envs = zip(d.election.envelopes, members).map { spec, m in
      AllocationConstraints.Envelope(
        name: spec.name, projects: m, cap: spec.cap.flatMap { $0.normalized.rescaled(to: scale) },
        floor: spec.floor.flatMap { $0.normalized.rescaled(to: scale) }, minCount: spec.minCount, maxCount: spec.maxCount)
    }
    return AllocationConstraints(envelopes: envs)
  }

  /// Each project's rank (1-based; tied projects share the lowest: 1, 2, 2, 4).
  public var ranks: [Int] {
    var r = [Int](repeating: 0, count: definition.instance.projectCount)
    var next = 1
    for t in tiers {
      for i in t { r[i] = next }
      next += t.count
    }
    return r
  }

  /// The ranking, best first.
  public var order: [Int] { tiers.flatMap { $0 } }

  /// Per envelope: its members funded (in selection order) and the money they took.
  public var envelopeResults: [(spec: EnvelopeSpec, selected: [Int], spent: Int64)] {
    let funded = outcome.selected
    var member = [Bool](repeating: false, count: definition.instance.projectCount)
    return zip(definition.election.envelopes, envelopeMembers).map { spec, m in
      for i in m { member[i] = true }
      defer { for i in m { member[i] = false } }
      let sel = funded.filter { member[$0] }
      return (spec, sel, sel.reduce(Int64(0)) { $0 + definition.instance.projects[$1].cost })
    }
  }

  /// The provenance record.
  public var provenance: Provenance {
    var counts = BallotCounts(read: 0, valid: 0)
    for c in ballots.channels {
      counts.read += c.report.read
      counts.valid += c.report.valid
      for (k, v) in c.report.voided { counts.voidByReason[k.rawValue, default: 0] += v }
      for (k, v) in c.report.warnings { counts.warnings[k.rawValue, default: 0] += v }
    }
    var extra: [String: JSONValue] = [
      "files": .array(
        ([definition.path, definition.projectsPath] + definition.ballotPaths).map { .string($0) }),
      "voterCheck": .object(
        Dictionary(uniqueKeysWithValues: zip(definition.election.channels, ballots.channels).map { ($0.id, .string($1.voterCheck.rawValue)) })),
      "combinedScore": "sum over channels of weight x share (exact rationals)",
    ]
    if !definition.ignoredKeys.isEmpty { extra["ignoredKeys"] = .array(definition.ignoredKeys.map { .string($0) }) }
    return Provenance(
      rule: rule.id, options: [:], tieBreak: tieBreak.description,
      arithmetic: rule.arithmetic == "double" ? "double" : "exact-rational", inputSHA256: ballots.inputSHA256,
      source: definition.path, format: "election", ballots: counts, extra: extra)
  }
}
