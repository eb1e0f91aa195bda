import Synchronization
import TallyCore
import TallyRules

/// How a bootstrap is run.
public struct BootstrapOptions: Sendable, Hashable {
  /// The number of resamples B.
  public var resamples: Int
  /// The seed; resample b draws from its own SplitMix64 stream derived from (seed, b), so results do
  /// not depend on how resamples are spread over workers.
  public var seed: UInt64
  /// The lower and upper quantiles of the rank interval (default 5% and 95%).
  public var lowerQuantile: Double
  public var upperQuantile: Double
  /// How many resamples run at once (1 = sequential). Results are the same for every value.
  public var workers: Int
  /// How resampled scores are computed.
  public var scoreMethod: ScoreMethod

  /// Creates options.
  public init(
    resamples: Int, seed: UInt64, lowerQuantile: Double = 0.05, upperQuantile: Double = 0.95, workers: Int = 1,
    scoreMethod: ScoreMethod = .automatic
  ) {
    precondition(resamples > 0 && lowerQuantile >= 0 && lowerQuantile <= upperQuantile && upperQuantile <= 1)
    self.resamples = resamples
    self.seed = seed
    self.lowerQuantile = lowerQuantile
    self.upperQuantile = upperQuantile
    self.workers = max(1, workers)
    self.scoreMethod = scoreMethod
  }
}

/// How the scores of many resamples are computed: `counts × incidence`.
public enum ScoreMethod: String, Sendable, Hashable, CaseIterable {
  /// Sparse counting: for every unique ballot drawn c > 0 times, add c × its entries.
  case sparse
  /// Dense BLAS GEMM of a block of resample counts (resamples × unique ballots) by the dense
  /// ballot-project incidence matrix (unique ballots × projects).
  case gemm
  /// The one the cost model picks (see ``BootstrapResampler/resolve(_:resamples:)``).
  case automatic
}

/// Per rule, how often each project was funded, or where it ranked, over the resamples.
public struct RuleStability: Sendable, Hashable {
  /// The rule id.
  public var rule: String
  /// Ranking or allocation.
  public var kind: RuleKind
  /// Resamples in which the rule ran.
  public var runs: Int
  /// Resamples in which the rule failed (its error is in `firstError`).
  public var failures: Int
  /// The first error met, if any.
  public var firstError: String?
  /// Allocation rules: per project, the share of runs that funded it.
  public var fundedProbability: [Double]?
  /// Ranking rules: per project, the lower quantile, the median and the upper quantile of its rank.
  public var rankLow: [Int]?
  public var rankMedian: [Int]?
  public var rankHigh: [Int]?
  /// Ranking rules: per project, the share of runs that ranked it first (alone or tied).
  public var firstProbability: [Double]?
}

/// The outcome of a bootstrap.
public struct BootstrapResult: Sendable, Hashable {
  /// The options used.
  public var resamples: Int
  public var seed: UInt64
  public var lowerQuantile: Double
  public var upperQuantile: Double
  /// The score method used (`sparse` or `gemm`).
  public var scoreMethod: ScoreMethod
  /// One entry per rule, in the order given.
  public var rules: [RuleStability]
}

/// Bootstrap stability of rule outcomes: resample the voters with replacement B times and rerun the rules.
///
/// A resample draws n voters uniformly with replacement from the n voters (a multinomial draw of counts
/// over the unique ballots); the resampled profile keeps the ballots drawn at least once, with their
/// counts as multiplicities (weights, when present, stay with their ballots). Resampled scores are
/// `counts × incidence`, where the incidence of a unique ballot and a project is what one copy of the
/// ballot adds to the project's score (1, its points, or `L − position`, times its weight; `L` is the
/// original input's). Repeated approval entries are not tied to ballots in the compact profile and are
/// left out of resamples.
///
/// Shared work per resample (the outcome is the same as rebuilding the resampled profile and running
/// every rule on it, `BootstrapFastPathTests`): one pairwise matrix for all the pairwise and statistical
/// rules (``PairwiseMatrix/Reweighting``: resample counts × ballot weights, sparse pair counting, no
/// profile rebuilt for it), the tie-break priorities computed once, ranking rules run with
/// `ranksOnly` (no details nobody reads) and Bradley–Terry started from the full sample's estimate
/// (`warmStart`, Newton–chord steps; same maximum to far below the 1e-9 tier tolerance).
///
/// - Complexity: O(B · (n + total length of the unique ballots + rule costs)).
public enum Bootstrap {
  /// Runs the bootstrap, `options.workers` resamples at a time (task group); `progress` is called with
  /// the number of resamples done so far, from any thread.
  public static func run(
    _ input: ComparisonInput, rules: [RuleCatalog.Entry], options: BootstrapOptions,
    progress: (@Sendable (Int) -> Void)? = nil
  ) async -> BootstrapResult {
    let resampler = BootstrapResampler(input)
    let method = resampler.resolve(options.scoreMethod, resamples: options.resamples)
    let built = instantiate(rules)
    let chunks = chunkRanges(options.resamples, parts: options.workers)
    let counter = ProgressCounter()
    let partials = await withTaskGroup(of: (Int, _Partial).self) { group in
      for (k, range) in chunks.enumerated() {
        group.addTask {
          (k, runChunk(range, resampler: resampler, input: input, rules: built, seed: options.seed, method: method) {
            progress?(counter.add(1))
          })
        }
      }
      var out = [_Partial?](repeating: nil, count: chunks.count)
      for await (k, p) in group { out[k] = p }
      return out.map { $0! }
    }
    return summarise(partials, rules: built, input: input, options: options, method: method)
  }

  /// Runs the bootstrap on the calling thread.
  public static func runSequentially(
    _ input: ComparisonInput, rules: [RuleCatalog.Entry], options: BootstrapOptions,
    progress: ((Int) -> Void)? = nil
  ) -> BootstrapResult {
    let resampler = BootstrapResampler(input)
    let method = resampler.resolve(options.scoreMethod, resamples: options.resamples)
    let built = instantiate(rules)
    var done = 0
    let p = runChunk(0..<options.resamples, resampler: resampler, input: input, rules: built, seed: options.seed, method: method) {
      done += 1
      progress?(done)
    }
    return summarise([p], rules: built, input: input, options: options, method: method)
  }

  /// Splits 0..<n into `parts` contiguous ranges of nearly equal size.
  static func chunkRanges(_ n: Int, parts: Int) -> [Range<Int>] {
    let k = max(1, min(parts, n))
    return (0..<k).map { i in (i * n / k)..<((i + 1) * n / k) }
  }

  static func instantiate(_ rules: [RuleCatalog.Entry]) -> [_BuiltRule] {
    rules.map { e in
      let d = e.descriptor
      do throws(RuleError) {
        switch e {
        case .allocation(let t): return _BuiltRule(id: d.id, kind: d.kind, allocation: try t.init(options: RuleOptions()))
        case .ranking(let t): return _BuiltRule(id: d.id, kind: d.kind, ranking: try t.init(options: RuleOptions()))
        }
      } catch {
        return _BuiltRule(id: d.id, kind: d.kind, error: error.description)
      }
    }
  }

  static func runChunk(
    _ range: Range<Int>, resampler: BootstrapResampler, input: ComparisonInput, rules: [_BuiltRule], seed: UInt64,
    method: ScoreMethod, tick: () -> Void
  ) -> _Partial {
    let n = input.instance.projectCount
    var partial = _Partial(range: range, rules: rules, projects: n)
    let block = method == .gemm ? BootstrapResampler.gemmBlock : 1
    // Shared by every rule of every resample: the tie-break priorities (they depend on the projects,
    // not on the ballots) and, per resample, one pairwise matrix for all the pairwise and statistical
    // rules (each would otherwise build its own from the resampled profile).
    let allocationTies = input.allocationProblem().tieRanks
    let rankingTies = RankingProblem(instance: input.instance, profile: resampler.profile, tieBreak: input.tieBreak).tieRanks
    let reweighting = rules.contains { $0.usesPairwise } ? PairwiseMatrix.Reweighting(profile: resampler.profile) : nil
    // The full sample's scores, from which iterative rules (Bradley–Terry) start each resample.
    let fullPairwise = try? reweighting?.matrix(multiplicities: resampler.profile.multiplicities)
    let warmStarts: [[Double]?] = rules.map { rule in
      guard let rk = rule.ranking, rule.usesPairwise else { return nil }
      var problem = RankingProblem(instance: input.instance, profile: resampler.profile, tieBreak: input.tieBreak)
      problem.knownTieRanks = rankingTies
      problem.ranksOnly = true
      problem.pairwise = fullPairwise
      return try? rk.rank(problem).scores
    }
    let needsProfile = rules.contains { $0.readsBallots }
    var start = range.lowerBound
    while start < range.upperBound {
      let end = min(range.upperBound, start + block)
      let counts = (start..<end).map { resampler.counts(resample: $0, seed: seed) }
      let scoreUnits: [[Int64]] =
        method == .gemm
        ? (resampler.scoreUnitsGEMM(counts) ?? counts.map { resampler.scoreUnitsSparse($0) })
        : counts.map { resampler.scoreUnitsSparse($0) }
      for (k, b) in (start..<end).enumerated() {
        // The resampled ballots, built only when a rule reads them; the others get the scores (and
        // the pairwise matrix) of the resample, and the full-sample profile, which they do not read.
        let profile = needsProfile ? resampler.profile(counts: counts[k]) : resampler.profile
        let scores = resampler.rationalScores(scoreUnits[k])
        // On overflow the rules build their own matrix and report the error themselves.
        let pairwise = try? reweighting?.matrix(multiplicities: counts[k])
        for (r, rule) in rules.enumerated() {
          if let e = rule.error {
            partial.fail(r, e)
            continue
          }
          do throws(RuleError) {
            if let a = rule.allocation {
              var problem = AllocationProblem(
                instance: input.instance, profile: profile, scores: scores, constraints: input.constraints,
                tieBreak: input.tieBreak, auxiliary: input.auxiliary)
              problem.knownTieRanks = allocationTies
              let outcome = try a.allocate(problem)
              for p in outcome.selected { partial.funded[r][p] += 1 }
              partial.runs[r] += 1
            } else if let rk = rule.ranking {
              var problem = RankingProblem(instance: input.instance, profile: profile, tieBreak: input.tieBreak)
              problem.knownTieRanks = rankingTies
              problem.ranksOnly = true
              problem.warmStart = warmStarts[r]
              problem.scoreUnits = scoreUnits[k]
              if rule.usesPairwise { problem.pairwise = pairwise }
              let outcome = try rk.rank(problem)
              let ranks = outcome.ranks
              let base = (b - range.lowerBound) * n
              for p in 0..<n { partial.ranks[r][base + p] = Int32(ranks[p]) }
              partial.runs[r] += 1
            }
          } catch {
            partial.fail(r, error.description)
          }
        }
        tick()
      }
      start = end
    }
    return partial
  }

  static func summarise(
    _ partials: [_Partial], rules: [_BuiltRule], input: ComparisonInput, options: BootstrapOptions, method: ScoreMethod
  ) -> BootstrapResult {
    let n = input.instance.projectCount
    var out: [RuleStability] = []
    for (r, rule) in rules.enumerated() {
      let runs = partials.reduce(0) { $0 + $1.runs[r] }
      let failures = partials.reduce(0) { $0 + $1.failures[r] }
      var s = RuleStability(
        rule: rule.id, kind: rule.kind, runs: runs, failures: failures,
        firstError: partials.lazy.compactMap { $0.errors[r] }.first)
      if rule.kind == .allocation {
        var f = [Double](repeating: 0, count: n)
        for p in 0..<n {
          let c = partials.reduce(0) { $0 + $1.funded[r][p] }
          f[p] = runs == 0 ? 0 : Double(c) / Double(runs)
        }
        s.fundedProbability = f
      } else if runs > 0 {
        var low = [Int](repeating: 0, count: n)
        var mid = low
        var high = low
        var first = [Double](repeating: 0, count: n)
        var column = [Int32]()
        column.reserveCapacity(runs)
        for p in 0..<n {
          column.removeAll(keepingCapacity: true)
          for part in partials {
            for k in 0..<part.range.count where part.ranks[r][k * n + p] > 0 { column.append(part.ranks[r][k * n + p]) }
          }
          column.sort()
          low[p] = Int(column[quantileIndex(options.lowerQuantile, count: column.count)])
          mid[p] = Int(column[quantileIndex(0.5, count: column.count)])
          high[p] = Int(column[quantileIndex(options.upperQuantile, count: column.count)])
          first[p] = Double(column.prefix { $0 == 1 }.count) / Double(column.count)
        }
        s.rankLow = low
        s.rankMedian = mid
        s.rankHigh = high
        s.firstProbability = first
      }
      out.append(s)
    }
    return BootstrapResult(
      resamples: options.resamples, seed: options.seed, lowerQuantile: options.lowerQuantile,
      upperQuantile: options.upperQuantile, scoreMethod: method, rules: out)
  }

  /// The nearest-rank quantile index: the ⌈q·N⌉-th smallest of N values (0-based, at least 0).
  public static func quantileIndex(_ q: Double, count: Int) -> Int {
    min(count - 1, max(0, Int((q * Double(count)).rounded(.up)) - 1))
  }
}

/// A rule built once for all resamples (or the error that kept it from being built).
struct _BuiltRule: Sendable {
  var id: String
  var kind: RuleKind
  var allocation: (any AllocationRule)? = nil
  var ranking: (any RankingRule)? = nil
  var error: String? = nil

  /// Whether the rule ranks from the pairwise matrix (the rules with the `pairwise` option), so that a
  /// matrix built once per resample can be handed to it.
  var usesPairwise: Bool { ranking != nil && type(of: ranking!).descriptor.options.keys.contains("pairwise") }

  /// Whether a resample must hand the rule its resampled ballots: not for allocation rules that read
  /// only scores, nor for rankings served by the resample's precomputed pairwise matrix or score units.
  var readsBallots: Bool {
    if error != nil { return false }
    if let a = allocation { return type(of: a).descriptor.readsBallots }
    if let rk = ranking { return !(usesPairwise || rk is ScoreRanking) }
    return false
  }
}

/// What one worker accumulates over its range of resamples.
struct _Partial: Sendable {
  var range: Range<Int>
  var runs: [Int]
  var failures: [Int]
  var errors: [String?]
  /// Per allocation rule, per project: how many runs funded it.
  var funded: [[Int]]
  /// Per ranking rule: the ranks, resample-major (`(b − lower) · projects + p`); 0 = no run.
  var ranks: [[Int32]]

  init(range: Range<Int>, rules: [_BuiltRule], projects n: Int) {
    self.range = range
    runs = Array(repeating: 0, count: rules.count)
    failures = runs
    errors = Array(repeating: nil, count: rules.count)
    funded = rules.map { $0.kind == .allocation ? Array(repeating: 0, count: n) : [] }
    ranks = rules.map { $0.kind == .ranking ? Array(repeating: 0, count: n * range.count) : [] }
  }

  mutating func fail(_ r: Int, _ e: String) {
    failures[r] += 1
    if errors[r] == nil { errors[r] = e }
  }
}

/// A thread-safe count of finished resamples.
final class ProgressCounter: Sendable {
  private let value = Atomic<Int>(0)
  func add(_ k: Int) -> Int { value.wrappingAdd(k, ordering: .relaxed).newValue }
}
