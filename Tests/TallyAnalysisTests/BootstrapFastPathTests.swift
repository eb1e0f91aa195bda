import Testing
import TallyAnalysis
import TallyCore
import TallyRules

/// The bootstrap's shared work (one pairwise matrix per resample, cached tie-break priorities, ranks-only
/// rules, warm-started Bradley–Terry, the acyclic-majority shortcuts) against the straightforward
/// computation: rebuild each resampled profile and run every rule on it as `tally rank`/`allocate` do.
@Suite struct BootstrapFastPathTests {
  /// Weighted approval ballots (the combined-election shape) over 7 projects.
  static func weightedApproval() -> (Instance, Profile) {
    let projects = (0..<7).map { Project(id: "q\($0)", cost: 10 + Int64($0 % 4) * 5) }
    let inst = Instance(meta: [], projects: projects, budget: 40, ballotKind: .approval)
    var b = ProfileBuilder(kind: .approval, projectCount: 7, weightScale: 2)
    let ballots: [([Int32], Int64, Int64)] = [
      ([0, 1], 150, 9), ([1, 2, 3], 75, 11), ([0, 4], 120, 6), ([5], 100, 8), ([2, 6], 90, 7), ([3, 5, 6], 110, 5),
      ([4], 100, 4), ([0, 6], 85, 3),
    ]
    for (ballot, w, n) in ballots { b.add(ballot, weight: w, count: n) }
    return (inst, b.build())
  }

  /// Ordinal ballots with a Condorcet cycle among p0, p1, p2 (so the majority graph is cyclic).
  static func cyclicOrdinal() -> (Instance, Profile) {
    let projects = (0..<5).map { Project(id: "r\($0)", cost: 10) }
    let inst = Instance(meta: [], projects: projects, budget: 20, ballotKind: .ordinal)
    var b = ProfileBuilder(kind: .ordinal, projectCount: 5)
    let ballots: [([Int32], Int64)] = [([0, 1, 2, 3], 8), ([1, 2, 0, 4], 7), ([2, 0, 1], 6), ([3, 4, 0], 3), ([4, 2], 2)]
    for (ballot, n) in ballots { b.add(ballot, count: n) }
    return (inst, b.build())
  }

  static let cases: [String] = ["blocks", "weighted", "cyclic"]

  static func input(_ name: String) throws -> ComparisonInput {
    let (inst, profile) =
      switch name {
      case "blocks": Tiny.blocks()
      case "weighted": weightedApproval()
      default: cyclicOrdinal()
      }
    return try ComparisonInput(instance: inst, profile: profile)
  }

  /// The reference: per resample, the resampled profile and every rule run on it the ordinary way.
  struct Reference {
    var rule: String
    var runs: Int
    var failures: Int
    var fundedProbability: [Double]?
    var rankLow: [Int]?
    var rankMedian: [Int]?
    var rankHigh: [Int]?
    var firstProbability: [Double]?
  }

  static func reference(_ x: ComparisonInput, rules: [RuleCatalog.Entry], resamples: Int, seed: UInt64) -> [Reference] {
    let r = BootstrapResampler(x)
    let n = x.instance.projectCount
    var funded = [[Int]](repeating: [Int](repeating: 0, count: n), count: rules.count)
    var ranks = [[[Int]]](repeating: [[Int]](repeating: [], count: n), count: rules.count)
    var runs = [Int](repeating: 0, count: rules.count)
    var failures = runs
    for b in 0..<resamples {
      let counts = r.counts(resample: b, seed: seed)
      let profile = r.profile(counts: counts)
      let scores = r.rationalScores(r.scoreUnitsSparse(counts))
      for (k, e) in rules.enumerated() {
        do throws(RuleError) {
          switch e {
          case .allocation(let t):
            let outcome = try t.init(options: RuleOptions()).allocate(
              AllocationProblem(
                instance: x.instance, profile: profile, scores: scores, constraints: x.constraints, tieBreak: x.tieBreak,
                auxiliary: x.auxiliary))
            for p in outcome.selected { funded[k][p] += 1 }
          case .ranking(let t):
            let outcome = try t.init(options: RuleOptions()).rank(
              RankingProblem(instance: x.instance, profile: profile, tieBreak: x.tieBreak))
            for p in 0..<n { ranks[k][p].append(outcome.ranks[p]) }
          }
          runs[k] += 1
        } catch {
          failures[k] += 1
        }
      }
    }
    return rules.enumerated().map { k, e in
      let d = e.descriptor
      var s = Reference(rule: d.id, runs: runs[k], failures: failures[k])
      if d.kind == .allocation {
        s.fundedProbability = funded[k].map { runs[k] == 0 ? 0 : Double($0) / Double(runs[k]) }
      } else if runs[k] > 0 {
        let sorted = ranks[k].map { $0.sorted() }
        s.rankLow = sorted.map { $0[Bootstrap.quantileIndex(0.05, count: $0.count)] }
        s.rankMedian = sorted.map { $0[Bootstrap.quantileIndex(0.5, count: $0.count)] }
        s.rankHigh = sorted.map { $0[Bootstrap.quantileIndex(0.95, count: $0.count)] }
        s.firstProbability = sorted.map { Double($0.prefix { $0 == 1 }.count) / Double($0.count) }
      }
      return s
    }
  }

  @Test("Every default rule's funded probabilities and rank intervals equal the reference computation", arguments: cases)
  func sameAsReference(_ name: String) async throws {
    let x = try Self.input(name)
    let rules = Compare.defaultRules(for: x.ballotKind, in: RuleCatalog.standard)
    #expect(rules.contains { $0.descriptor.id == "bradley-terry" } && rules.contains { $0.descriptor.id == "ranked-pairs" })
    let expected = Self.reference(x, rules: rules, resamples: 60, seed: 21)
    let sequential = Bootstrap.runSequentially(x, rules: rules, options: BootstrapOptions(resamples: 60, seed: 21))
    let parallel = await Bootstrap.run(x, rules: rules, options: BootstrapOptions(resamples: 60, seed: 21, workers: 2))
    #expect(sequential == parallel)
    for (got, want) in zip(sequential.rules, expected) {
      #expect(got.rule == want.rule)
      #expect(got.runs == want.runs, "\(got.rule)")
      #expect(got.failures == want.failures, "\(got.rule)")
      #expect(got.fundedProbability == want.fundedProbability, "\(got.rule)")
      #expect(got.rankLow == want.rankLow, "\(got.rule)")
      #expect(got.rankMedian == want.rankMedian, "\(got.rule)")
      #expect(got.rankHigh == want.rankHigh, "\(got.rule)")
      #expect(got.firstProbability == want.firstProbability, "\(got.rule)")
    }
  }

  @Test("The reweighted pairwise matrix equals the matrix of the rebuilt resampled profile", arguments: cases)
  func reweightedMatrix(_ name: String) throws {
    let x = try Self.input(name)
    let r = BootstrapResampler(x)
    let rw = PairwiseMatrix.Reweighting(profile: x.profile!)
    for b in 0..<10 {
      let counts = r.counts(resample: b, seed: 3)
      let direct = try PairwiseMatrix(profile: r.profile(counts: counts), algorithm: .sparse)
      #expect(try rw.matrix(multiplicities: counts) == direct)
    }
    #expect(try rw.matrix(multiplicities: x.profile!.multiplicities) == PairwiseMatrix(profile: x.profile!))
  }

  @Test("The majority graph is acyclic for approval ballots and cyclic for a Condorcet cycle") func acyclic() throws {
    let approval = try PairwiseMatrix(profile: Self.weightedApproval().1)
    #expect(approval.majorityTopologicalOrder != nil)
    let cyclic = try PairwiseMatrix(profile: Self.cyclicOrdinal().1)
    #expect(cyclic.majorityTopologicalOrder == nil)
  }

  @Test("Rational fast paths give the canonical form and the order of the general path") func rationalFastPaths() {
    #expect(Rational(6, -4) == Rational(-3, 2))
    #expect(Rational(6, -4).denominator == 2 && Rational(6, -4).numerator == -3)
    #expect(Rational(0, 7).denominator == 1)
    let big = Rational(Int64.max) * Rational(10) / Rational(3)
    #expect(Rational(1, 3) < Rational(1, 2) && !(Rational(1, 2) < Rational(1, 3)))
    #expect(Rational(-1, 2) < Rational(-1, 3))
    #expect(Rational(Int64.max) < big && !(big < Rational(Int64.max)))
  }

  /// The bootstrap hands rules that declare `readsBallots == false` the full-sample profile with the
  /// resample's scores; that is sound only if they never look at the ballots. Here they get no
  /// profile at all, so a rule that read it would fail or differ.
  @Test("Allocation rules that declare they do not read ballots give the same outcome without them", arguments: cases)
  func scoresOnlyRules(_ name: String) throws {
    let x = try Self.input(name)
    let entries = RuleCatalog.standard.entries.filter { $0.descriptor.kind == .allocation && !$0.descriptor.readsBallots }
    #expect(Set(entries.map(\.descriptor.id)).isSuperset(of: ["greedy", "greedy-no-skip", "max-welfare"]))
    guard let profile = x.profile else { Issue.record("no profile"); return }
    let scores = try AllocationProblem(instance: x.instance, profile: profile).scores
    for e in entries {
      guard let rule = try RuleCatalog.standard.allocation(e.descriptor.id) else { continue }
      let with = Result { () throws(RuleError) in try rule.allocate(AllocationProblem(instance: x.instance, profile: profile, scores: scores)) }
      let without = Result { () throws(RuleError) in try rule.allocate(AllocationProblem(instance: x.instance, profile: nil, scores: scores)) }
      switch (with, without) {
      case (.success(let a), .success(let b)):
        #expect(a.selected == b.selected && a.spent == b.spent, "\(e.descriptor.id) on \(name)")
      case (.failure(let a), .failure(let b)):
        #expect(a.description == b.description, "\(e.descriptor.id) on \(name)")
      default:
        Issue.record("\(e.descriptor.id) on \(name): with ballots \(with), without \(without)")
      }
    }
  }

  @Test("score ranks from precomputed score units exactly as from the ballots, and a resample's units are its profile's",
        arguments: cases)
  func scoreUnits(_ name: String) throws {
    let x = try Self.input(name)
    guard let profile = x.profile else { Issue.record("no profile"); return }
    let rule = ScoreRanking.self
    let plain = try rule.init(options: RuleOptions()).rank(RankingProblem(instance: x.instance, profile: profile))
    var given = RankingProblem(instance: x.instance, profile: profile)
    given.scoreUnits = profile.scoreUnits(maxLength: x.instance.maxLength)
    let fromUnits = try rule.init(options: RuleOptions()).rank(given)
    #expect(plain.ranks == fromUnits.ranks && plain.scores == fromUnits.scores)
    let r = BootstrapResampler(x)
    for b in 0..<20 {
      let counts = r.counts(resample: b, seed: 3)
      let resampled = r.profile(counts: counts)
      // The resampler's L is the full sample's longest ballot (or META max_length); so is the
      // resample's whenever that ballot was drawn, which it is in these resamples.
      let longest = (0..<profile.uniqueBallotCount).map { profile.offsets[$0 + 1] - profile.offsets[$0] }.max() ?? 0
      let drawnLongest = (0..<resampled.uniqueBallotCount).map { resampled.offsets[$0 + 1] - resampled.offsets[$0] }.max() ?? 0
      #expect(drawnLongest == longest)
      #expect(r.scoreUnitsSparse(counts) == resampled.scoreUnits(maxLength: x.instance.maxLength))
    }
  }
}
