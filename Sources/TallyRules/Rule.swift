import TallyCore

/// Whether a rule ranks projects or allocates the budget.
public enum RuleKind: String, Sendable, Hashable, Codable {
  case ranking
  case allocation
}

/// What the catalog and `tally rules` say about a rule.
public struct RuleDescriptor: Sendable, Hashable {
  /// The stable kebab-case id.
  public var id: String
  /// Ranking or allocation.
  public var kind: RuleKind
  /// The ballot kinds the rule accepts.
  public var accepts: Set<BallotKind>
  /// One line for people.
  public var summary: String
  /// A reference (paper or web page).
  public var reference: String
  /// Options the rule understands, with a short description each.
  public var options: [String: String]
  /// `exact-integer`, `exact-rational` or `double`.
  public var arithmetic: String
  /// Whether the rule reads the ballots (the problem's profile). An allocation rule that reads only
  /// the problem's scores, costs, META and constraints (the greedy family, `max-welfare`) says
  /// `false`, so that a caller holding only new scores (a bootstrap resample) need not rebuild the
  /// profile for it.
  public var readsBallots: Bool

  /// Creates a descriptor.
  public init(
    id: String, kind: RuleKind, accepts: Set<BallotKind>, summary: String, reference: String,
    options: [String: String] = [:], arithmetic: String = "exact-integer", readsBallots: Bool = true
  ) {
    self.readsBallots = readsBallots
    self.id = id
    self.kind = kind
    self.accepts = accepts
    self.summary = summary
    self.reference = reference
    self.options = options
    self.arithmetic = arithmetic
  }

  /// The descriptor as JSON (for `tally rules --format json`).
  public var json: JSONValue {
    [
      "id": .string(id), "kind": .string(kind.rawValue),
      "accepts": .array(BallotKind.allCases.filter { accepts.contains($0) }.map { .string($0.rawValue) }),
      "summary": .string(summary), "reference": .string(reference),
      "options": .object(options.mapValues { .string($0) }), "arithmetic": .string(arithmetic),
    ]
  }
}

/// Rule options as given on the command line (`--option key=value`) or by a caller.
public struct RuleOptions: Sendable, Hashable {
  /// The raw values by key.
  public var values: [String: String]

  /// Creates options.
  public init(_ values: [String: String] = [:]) { self.values = values }

  /// An integer option, or the default.
  public func int(_ key: String, rule: String, default d: Int) throws(RuleError) -> Int {
    guard let v = values[key] else { return d }
    guard let i = Int(v) else { throw RuleError.invalidOption(rule: rule, message: "option '\(key)' must be an integer, not '\(v)'") }
    return i
  }

  /// A string option restricted to a set of values, or the default.
  public func choice(_ key: String, rule: String, among allowed: [String], default d: String) throws(RuleError) -> String {
    guard let v = values[key] else { return d }
    guard allowed.contains(v) else {
      throw RuleError.invalidOption(rule: rule, message: "option '\(key)' must be one of \(allowed.joined(separator: ", ")), not '\(v)'")
    }
    return v
  }

  /// Throws when an option is not one the rule understands.
  public func check(known: some Collection<String>, rule: String) throws(RuleError) {
    for k in values.keys.sorted() where !known.contains(k) {
      throw RuleError.invalidOption(rule: rule, message: "unknown option '\(k)'")
    }
  }
}

/// What an allocation rule works on.
///
/// `scores` are the projects' scores under the contract (from the profile, or an election's combined
/// scores); `profile` is present for rules that need the ballots themselves (MES, Phragmén).
public struct AllocationProblem: Sendable {
  /// Projects, budget, META.
  public var instance: Instance
  /// The ballots, when the rule needs them.
  public var profile: Profile?
  /// Each project's score (exact).
  public var scores: [Rational]
  /// Sub-envelopes, quotas and forced choices.
  public var constraints: AllocationConstraints
  /// How ties are broken.
  public var tieBreak: TieBreak
  /// Auxiliary values for `priority:` tie-break keys.
  public var auxiliary: [String: [Rational]]

  /// Creates a problem from explicit scores.
  public init(
    instance: Instance, profile: Profile?, scores: [Rational], constraints: AllocationConstraints = .none,
    tieBreak: TieBreak = .lexicographic, auxiliary: [String: [Rational]] = [:]
  ) {
    self.instance = instance
    self.profile = profile
    self.scores = scores
    self.constraints = constraints
    self.tieBreak = tieBreak
    self.auxiliary = auxiliary
  }

  /// Creates a problem whose scores come from the profile (the contract's score definition).
  public init(
    instance: Instance, profile: Profile, constraints: AllocationConstraints = .none,
    tieBreak: TieBreak = .lexicographic
  ) throws(RuleError) {
    guard let s = profile.scores(maxLength: instance.maxLength) else { throw Self.scoreOverflow }
    self.init(instance: instance, profile: profile, scores: s, constraints: constraints, tieBreak: tieBreak)
  }

  /// Creates a problem without ballots, for a rule that reads only the scores
  /// (``RuleDescriptor/readsBallots`` false), from scores computed as the profile's would be
  /// (`PabulibReader.readScores`); nil scores (one overflows 64 bits) throw what the profile's do.
  public init(
    instance: Instance, scoresWithoutProfile scores: [Rational]?, constraints: AllocationConstraints = .none,
    tieBreak: TieBreak = .lexicographic
  ) throws(RuleError) {
    guard let scores else { throw Self.scoreOverflow }
    self.init(instance: instance, profile: nil, scores: scores, constraints: constraints, tieBreak: tieBreak)
  }

  private static let scoreOverflow = RuleError.invalidInput(rule: "score", message: "a project's score overflows 64 bits")

  /// Threads a rule may use for work it can split (`mes-add1` computes the next runs of its loop ahead,
  /// at once); 1 by default. The outcome never depends on it. Callers that already run rules in
  /// parallel (the bootstrap, `compare`) leave it at 1.
  public var threads = 1

  /// Tie-break priorities computed once by a caller that runs many rules on the same projects, tie-break
  /// and auxiliary values (the bootstrap); when set, ``tieRanks`` returns it as is. It must be what
  /// ``tieRanks`` would compute.
  public var knownTieRanks: [Int]? = nil

  /// Tie-break priority per project (0 wins every tie).
  public var tieRanks: [Int] {
    knownTieRanks ?? tieBreak.ranks(ids: instance.projects.map(\.id), costs: instance.costs, auxiliary: auxiliary)
  }
}

/// Sub-envelopes, quotas and forced choices an allocation must respect.
public struct AllocationConstraints: Sendable, Hashable {
  /// A group of projects with a spending cap and/or floor, and count limits.
  public struct Envelope: Sendable, Hashable {
    /// A name for messages and output.
    public var name: String
    /// The project indices in the group.
    public var projects: [Int]
    /// At most this much may be spent on the group.
    public var cap: Int64?
    /// At least this much must be spent on the group.
    public var floor: Int64?
    /// At least this many of the group's projects must be funded.
    public var minCount: Int?
    /// At most this many of the group's projects may be funded.
    public var maxCount: Int?

    /// Creates an envelope.
    public init(name: String, projects: [Int], cap: Int64? = nil, floor: Int64? = nil, minCount: Int? = nil, maxCount: Int? = nil) {
      self.name = name
      self.projects = projects
      self.cap = cap
      self.floor = floor
      self.minCount = minCount
      self.maxCount = maxCount
    }
  }

  /// Groups with caps and floors.
  public var envelopes: [Envelope]
  /// At least this many projects funded in all.
  public var minProjects: Int?
  /// At most this many projects funded in all.
  public var maxProjects: Int?
  /// Projects that must be funded.
  public var mustFund: [Int]
  /// Projects that must not be funded.
  public var mustNotFund: [Int]

  /// Creates constraints.
  public init(
    envelopes: [Envelope] = [], minProjects: Int? = nil, maxProjects: Int? = nil, mustFund: [Int] = [],
    mustNotFund: [Int] = []
  ) {
    self.envelopes = envelopes
    self.minProjects = minProjects
    self.maxProjects = maxProjects
    self.mustFund = mustFund
    self.mustNotFund = mustNotFund
  }

  /// No constraints beyond the budget.
  public static let none = AllocationConstraints()

  /// Whether there is no constraint beyond the budget.
  public var isEmpty: Bool {
    envelopes.isEmpty && minProjects == nil && maxProjects == nil && mustFund.isEmpty && mustNotFund.isEmpty
  }
}

/// A rule that funds projects within the budget.
public protocol AllocationRule: Sendable {
  /// The rule's id, ballots, reference.
  static var descriptor: RuleDescriptor { get }
  /// Creates the rule from options; throws for unknown or malformed options.
  init(options: RuleOptions) throws(RuleError)
  /// The options as recorded in provenance (after defaults).
  var recordedOptions: [String: String] { get }
  /// Runs the rule.
  func allocate(_ problem: AllocationProblem) throws(RuleError) -> AllocationOutcome
}

/// What a ranking rule works on.
public struct RankingProblem: Sendable {
  /// Projects (and META, e.g. `max_length`).
  public var instance: Instance
  /// The ballots.
  public var profile: Profile
  /// How projects are listed within a tier (ranks themselves stay tied).
  public var tieBreak: TieBreak
  /// The pairwise matrix of `profile`, when the caller already has it (the bootstrap builds it once per
  /// resample for all the pairwise and statistical rules); those rules use it instead of building their
  /// own. It must be the matrix of `profile` (any ``PairwiseMatrix/Algorithm``: all give the same matrix).
  public var pairwise: PairwiseMatrix? = nil
  /// Tie-break priorities computed once by the caller; when set, ``tieRanks`` returns it as is. It must
  /// be what ``tieRanks`` would compute.
  public var knownTieRanks: [Int]? = nil
  /// The projects' scores in units of `10^-weightScale`, when the caller already has them (the
  /// bootstrap computes them once per resample): what `profile.scoreUnits(maxLength:
  /// instance.maxLength)` gives. `score` ranks from them instead of recounting the ballots.
  public var scoreUnits: [Int64]? = nil
  /// The caller reads only the tiers (the bootstrap): a rule may leave out details that cost extra to
  /// compute (Bradley–Terry's standard errors). The tiers are the same.
  public var ranksOnly = false
  /// Scores of the same rule's outcome on a nearby profile (the full sample, for a bootstrap resample),
  /// from which an iterative rule may start (Bradley–Terry's Newton method); the estimate it converges
  /// to is the same, to the rule's convergence tolerance. Other rules ignore it.
  public var warmStart: [Double]? = nil

  /// Creates a problem.
  public init(instance: Instance, profile: Profile, tieBreak: TieBreak = .lexicographic) {
    self.instance = instance
    self.profile = profile
    self.tieBreak = tieBreak
  }

  /// Tie-break priority per project (0 first).
  public var tieRanks: [Int] { knownTieRanks ?? tieBreak.ranks(ids: instance.projects.map(\.id), costs: instance.costs) }
}

/// A rule that orders all projects, ties as equal ranks.
public protocol RankingRule: Sendable {
  /// The rule's id, ballots, reference.
  static var descriptor: RuleDescriptor { get }
  /// Creates the rule from options; throws for unknown or malformed options.
  init(options: RuleOptions) throws(RuleError)
  /// The options as recorded in provenance (after defaults).
  var recordedOptions: [String: String] { get }
  /// Runs the rule.
  func rank(_ problem: RankingProblem) throws(RuleError) -> RankingOutcome
}

extension AllocationRule {
  public var recordedOptions: [String: String] { [:] }

  /// Throws unless the rule accepts the ballot kind.
  public static func check(_ kind: BallotKind) throws(RuleError) {
    if !descriptor.accepts.contains(kind) { throw RuleError.unsupportedBallotKind(rule: descriptor.id, kind: kind) }
  }
}

extension RankingRule {
  public var recordedOptions: [String: String] { [:] }

  /// Throws unless the rule accepts the ballot kind.
  public static func check(_ kind: BallotKind) throws(RuleError) {
    if !descriptor.accepts.contains(kind) { throw RuleError.unsupportedBallotKind(rule: descriptor.id, kind: kind) }
  }
}

/// Every ballot kind.
public let allBallotKinds = Set(BallotKind.allCases)
