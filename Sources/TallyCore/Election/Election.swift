/// A multi-channel election: projects and a budget, several voter channels (a general public e-vote, a
/// citizens' committee, ...), each normalised and weighted, combined into one ranking that is then cut
/// to the budget, possibly with sub-envelopes.
///
/// This is the model behind `election.json` (read by `ElectionReader` in TallyIO). The combined score of
/// a project is `S(p) = Σ_c w_c · share_c(p)`, with `share_c` given by the channel's ``Normalisation``.
/// All weights are exact decimals, so that combined scores are exact rationals and equal scores are
/// real ties.
public struct Election: Sendable, Hashable {
  /// A name for people.
  public var name: String
  /// The preset the file named, if any (its defaults are already applied to the channels).
  public var preset: ElectionPreset?
  /// The channels, in file order.
  public var channels: [Channel]
  /// Sub-envelopes (caps and floors by category, target or explicit projects).
  public var envelopes: [EnvelopeSpec]
  /// The allocation rule id (`greedy` by default).
  public var allocation: String
  /// The tie-break id (`lexicographic` by default); `share:<channel>` keys rank by a channel's share.
  public var tieBreak: String
  /// The currency, for people (e.g. `KRW`); empty when not given.
  public var currency: String

  /// Creates an election.
  public init(
    name: String, preset: ElectionPreset? = nil, channels: [Channel], envelopes: [EnvelopeSpec] = [],
    allocation: String = "greedy", tieBreak: String = "lexicographic", currency: String = ""
  ) {
    self.name = name
    self.preset = preset
    self.channels = channels
    self.envelopes = envelopes
    self.allocation = allocation
    self.tieBreak = tieBreak
    self.currency = currency
  }

  /// The sum of the channel weights (they need not add up to 1; see ``Channel/weight``).
  public var weightSum: Rational { channels.reduce(Rational.zero) { $0 + $1.weightRational } }
}

/// One voter channel of an election.
public struct Channel: Sendable, Hashable {
  /// The channel id (unique within the election), e.g. `public` or `committee`.
  public var id: String
  /// The ballot file, as written in the election file (relative to it).
  public var ballots: String
  /// The channel's weight `w_c` in the combined score: a finite, non-negative exact decimal.
  ///
  /// Weights are used as given, never rescaled: weights that do not add up to 1 multiply every
  /// combined score by the same constant, which changes no ranking and no allocation. At least one
  /// channel must have a positive weight.
  public var weight: ExactDecimal
  /// Which ballots are valid (pick counts, per-category limits).
  public var picks: PickRules
  /// Weights by voter group (the ballot file's `group` column); empty = groups are not weighted.
  ///
  /// When non-empty, every ballot must name one of these groups (else it is void, `unknown-group`),
  /// and its weight is its own `weight` times its group's weight.
  public var groupWeights: [GroupWeight]
  /// How ballots become shares.
  public var normalisation: Normalisation

  /// Creates a channel.
  public init(
    id: String, ballots: String, weight: ExactDecimal, picks: PickRules = PickRules(),
    groupWeights: [GroupWeight] = [], normalisation: Normalisation = .shareOfVoters
  ) {
    self.id = id
    self.ballots = ballots
    self.weight = weight
    self.picks = picks
    self.groupWeights = groupWeights
    self.normalisation = normalisation
  }

  /// The weight as an exact rational.
  public var weightRational: Rational { Rational(weight) }
}

/// A voter group's weight within a channel.
public struct GroupWeight: Sendable, Hashable {
  /// The group name as written in the ballot file's `group` column.
  public var group: String
  /// The multiplier applied to the weight of every ballot of the group (finite, positive).
  public var weight: ExactDecimal

  /// Creates a group weight.
  public init(group: String, weight: ExactDecimal) {
    self.group = group
    self.weight = weight
  }
}

/// The ballot rules of a channel: how many projects a ballot may name, overall and per category.
///
/// A ballot is void (never silently dropped) when it names fewer than ``minPicks`` or more than
/// ``maxPicks`` distinct projects, or breaks a ``CategoryLimit``. `exactPicks: k` in the file sets both
/// bounds to k, Seoul 2014's "a ballot with too many or too few picks is void".
public struct PickRules: Sendable, Hashable {
  /// At least this many picks (default 1).
  public var minPicks: Int
  /// At most this many picks (nil: no limit).
  public var maxPicks: Int?
  /// Per-category limits, checked on the projects' `category` column.
  public var categoryLimits: [CategoryLimit]

  /// Creates rules; the defaults are the contract's (at least one pick, no maximum, no category limit).
  public init(minPicks: Int = 1, maxPicks: Int? = nil, categoryLimits: [CategoryLimit] = []) {
    self.minPicks = minPicks
    self.maxPicks = maxPicks
    self.categoryLimits = categoryLimits
  }

  /// `exactPicks: k`.
  public static func exactly(_ k: Int, categoryLimits: [CategoryLimit] = []) -> PickRules {
    PickRules(minPicks: k, maxPicks: k, categoryLimits: categoryLimits)
  }

  /// The number of picks when min and max agree.
  public var exactPicks: Int? { maxPicks == minPicks ? minPicks : nil }
}

/// A limit on how many of a ballot's picks may (or must) come from one category.
///
/// `category` is a value of the projects' `category` column; `*` means *each* category that has no
/// limit of its own (Seoul 2015's "one per area" is `{"*": {"max": 1}}`; Seoul 2019's 7 + 3 split is
/// `{"city": {"exact": 7}, "governance": {"exact": 3}}`). A project with several categories counts in
/// each of them; a project without one counts in none.
public struct CategoryLimit: Sendable, Hashable {
  /// The category, or `*` for every category not named by another limit.
  public var category: String
  /// At least this many picks from the category (0 = no floor).
  public var min: Int
  /// At most this many picks from the category (nil = no cap).
  public var max: Int?

  /// Creates a limit.
  public init(category: String, min: Int = 0, max: Int? = nil) {
    self.category = category
    self.min = min
    self.max = max
  }
}

/// How a channel turns its valid ballots into a share for each project.
///
/// With `x_v` the weight of valid ballot v (its `weight` × its group's weight), `B_v` its picks,
/// `n(p) = Σ_{v: p ∈ B_v} x_v` the weighted number of ballots naming p:
///
/// | id | `share_c(p)` | note |
/// |---|---|---|
/// | `share-of-voters` (default) | `n(p) / Σ_v x_v` | the fraction of the channel's (weighted) voters who picked p; Busan's "equal vote value" |
/// | `share-of-approvals` | `n(p) / Σ_v x_v·|B_v|` | p's fraction of all picks cast; equals share-of-voters / k when every ballot has exactly k picks |
/// | `max-100` | `100 · n(p) / max_q n(q)` | converted score (환산점수): the channel's top project gets 100 |
/// | `raw` | `n(p)` | counts summed without normalising (Eunpyeong 2012); a big channel swamps a small one |
///
/// A channel with no valid ballots (or no picks) gives every project share 0.
public enum Normalisation: String, Sendable, Hashable, CaseIterable {
  case shareOfVoters = "share-of-voters"
  case shareOfApprovals = "share-of-approvals"
  case max100 = "max-100"
  case raw
}

/// A sub-envelope: a group of projects with a spending cap and/or a floor (reserved amount), and
/// optional count limits. Maps onto `AllocationConstraints.Envelope` in TallyRules.
public struct EnvelopeSpec: Sendable, Hashable {
  /// Which projects belong to the envelope.
  public enum Members: Sendable, Hashable {
    /// Projects whose `category` column holds this value.
    case category(String)
    /// Projects whose `target` column holds this value.
    case target(String)
    /// Projects listed by id.
    case projects([String])
  }

  /// A name for people and output.
  public var name: String
  /// The members.
  public var members: Members
  /// At most this much (in the projects' cost units) is spent on members.
  public var cap: ExactDecimal?
  /// At least this much is spent on members (filled first, from the members in ranking order).
  public var floor: ExactDecimal?
  /// At least this many members funded.
  public var minCount: Int?
  /// At most this many members funded.
  public var maxCount: Int?

  /// Creates an envelope.
  public init(
    name: String, members: Members, cap: ExactDecimal? = nil, floor: ExactDecimal? = nil, minCount: Int? = nil,
    maxCount: Int? = nil
  ) {
    self.name = name
    self.members = members
    self.cap = cap
    self.floor = floor
    self.minCount = minCount
    self.maxCount = maxCount
  }

  /// Whether a project belongs to the envelope.
  public func contains(_ p: Project) -> Bool {
    switch members {
    case .category(let c): p.categories.contains(c)
    case .target(let t): p.targets.contains(t)
    case .projects(let ids): ids.contains(p.id)
    }
  }
}

/// Named defaults from real processes (see `korea-pb.md` §2 and §7).
///
/// A preset supplies each channel's weight (by channel id) and default ballot rules; anything the
/// election file states explicitly wins. The file must have exactly the preset's channel ids.
///
/// | preset | channels and weights | default ballots | source |
/// |---|---|---|---|
/// | `seoul-2019` | public .50, proposers .10, committee .30, budget-school .10 | exactly 10 picks | Seoul 2018–19 |
/// | `seoul-2015` | committee .45, e-vote .45, survey .10 | e-vote: at most 5 picks, at most 1 per category (area) | Seoul 2015 |
/// | `national` | committee .50, public .50 | none | configurable: the ministry publishes no weights |
public enum ElectionPreset: String, Sendable, Hashable, CaseIterable {
  case seoul2019 = "seoul-2019"
  case seoul2015 = "seoul-2015"
  case national

  /// The channel ids and their default weights, in order.
  public var channelWeights: [(id: String, weight: ExactDecimal)] {
    switch self {
    case .seoul2019:
      [("public", .init(units: 50, scale: 2)), ("proposers", .init(units: 10, scale: 2)),
       ("committee", .init(units: 30, scale: 2)), ("budget-school", .init(units: 10, scale: 2))]
    case .seoul2015:
      [("committee", .init(units: 45, scale: 2)), ("e-vote", .init(units: 45, scale: 2)),
       ("survey", .init(units: 10, scale: 2))]
    case .national:
      [("committee", .init(units: 50, scale: 2)), ("public", .init(units: 50, scale: 2))]
    }
  }

  /// The default ballot rules of a channel of the preset (nil: the contract's defaults).
  public func defaultPicks(channel: String) -> PickRules? {
    switch (self, channel) {
    case (.seoul2019, _): .exactly(10)
    case (.seoul2015, "e-vote"): PickRules(minPicks: 1, maxPicks: 5, categoryLimits: [CategoryLimit(category: "*", max: 1)])
    default: nil
    }
  }

  /// A note for the output: where the weights come from, and whether they are documented.
  public var note: String {
    switch self {
    case .seoul2019: "Seoul 2019 (budget 2020): public 50%, proposers 10%, committee 30%, budget school 10%; pick 10"
    case .seoul2015: "Seoul 2015 (budget 2016): committee 45%, citizen e-vote 45%, survey 10%; e-vote 5 picks, 1 per area"
    case .national:
      "national PB: committee and public 50/50 by default; configurable, the ministry publishes no weights"
    }
  }

  /// Whether the weights are an assumption rather than a published rule.
  public var weightsAreAssumed: Bool { self == .national }
}
