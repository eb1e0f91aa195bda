import TallyCore
import TallyRules

/// How the funded set of a multi-channel election moves as one channel's weight goes from 0 to 1.
///
/// The swept channel gets weight t; the other channels share 1 − t in proportion to their own weights
/// (equally when those are all 0). Each project's combined score is `Σ_c w_c(t) · share_c(p)`, exact.
/// The allocation rule runs at t = 0, 1/G, ..., 1 (G = `steps`); between two grid points whose funded
/// sets differ, the change is located by bisection on exact t down to a width of 2⁻²⁰ of the step,
/// so a change is reported as a small interval [low, high]: the set at `low` is the one before, at
/// `high` the one after. Two changes within one grid step that cancel out are not seen.
///
/// The sweep runs twice: with the election's normalisation (shares), and with `raw` sums (counts,
/// no normalisation), the counterexample that shows why normalising matters: under raw sums a large
/// channel outweighs a small one whatever their nominal weights.
public struct WeightSweep: Sendable, Hashable {
  /// One place where the funded set changes.
  public struct Change: Sendable, Hashable {
    /// The change happens for t in (low, high].
    public var low: Double
    public var high: Double
    /// Projects funded after the change and not before (indices), and the reverse.
    public var entering: [Int]
    public var leaving: [Int]
  }

  /// One run of the sweep (one normalisation).
  public struct Curve: Sendable, Hashable {
    /// `share-of-voters`, `raw`, ...
    public var normalisation: String
    /// The funded set at t = 0 (indices, sorted).
    public var fundedAtZero: [Int]
    /// The funded set at the election's own weight of the channel (indices, sorted).
    public var fundedAtElectionWeight: [Int]
    /// The changes, by increasing t.
    public var changes: [Change]
    /// Per grid point t = k/G: the number of funded projects and the channel's part of the total combined
    /// score (its influence).
    public var fundedCount: [Int]
    public var influence: [Double]
  }

  /// The swept channel.
  public var channel: String
  /// The channel's weight in the election, as a share of all weights.
  public var electionWeight: Double
  /// The grid size G.
  public var steps: Int
  /// The sweep with the election's normalisation, then with raw sums.
  public var curves: [Curve]

  /// Sweeps channel `channel`.
  /// - Parameters:
  ///   - channels: channel ids; `weights` their weights; `shares[c][p]` channel c's share (or count) of
  ///     project p under each normalisation in `normalisations` (`shares[k]` for normalisation k).
  ///   - base: the allocation problem (instance, constraints, tie-break; its scores are replaced).
  ///   - rule: the allocation rule.
  /// - Throws: the rule's error.
  /// - Complexity: O((G + 20 · changes) · rule cost).
  public static func run(
    channels: [String], weights: [Rational], channel: Int, normalisations: [(name: String, shares: [[Rational]])],
    base: AllocationProblem, rule: any AllocationRule, steps: Int = 100
  ) throws(RuleError) -> WeightSweep {
    precondition(channels.count == weights.count && channels.indices.contains(channel) && steps > 0)
    let others = weights.indices.filter { $0 != channel }
    let otherTotal = others.reduce(Rational.zero) { $0 + weights[$1] }
    let allWeight = weights.reduce(Rational.zero) { $0 + $1 }
    let own = allWeight.isZero ? Rational.zero : weights[channel] / allWeight
    var curves: [Curve] = []
    for (name, shares) in normalisations {
      let n = base.instance.projectCount
      // S(t) = t · a + (1 − t) · b, with a the channel's shares and b the others' weighted mix.
      let a = shares[channel]
      var b = [Rational](repeating: .zero, count: n)
      for o in others {
        let f = otherTotal.isZero ? Rational(1) / Rational(others.count) : weights[o] / otherTotal
        for p in 0..<n { b[p] += f * shares[o][p] }
      }
      let sumA = a.reduce(Rational.zero, +)
      let sumB = b.reduce(Rational.zero, +)
      // The tie-break priorities do not depend on the scores: computed once. Scores are
      // t·a + (1 − t)·b = (tn·A + (td − tn)·B) / (td·D) over a common denominator D of a and b
      // (A = D·a, B = D·b integers): one product sum and one reduction per project, the same
      // canonical rationals as the term-by-term sum.
      var problemBase = base
      problemBase.knownTieRanks = base.tieRanks
      let common = Rational.commonDenominator(a + b)
      let intA = a.map { $0.numerator * (common / $0.denominator) }
      let intB = b.map { $0.numerator * (common / $0.denominator) }
      func funded(_ t: Rational) throws(RuleError) -> [Int] {
        var problem = problemBase
        let tn = t.numerator
        let td = t.denominator
        let un = td - tn
        let den = td * common
        problem.scores = (0..<n).map { Rational(tn * intA[$0] + un * intB[$0], den) }
        return try rule.allocate(problem).selected.sorted()
      }
      var grid: [[Int]] = []
      var influence: [Double] = []
      for k in 0...steps {
        let t = Rational(k) / Rational(steps)
        grid.append(try funded(t))
        let ta = t * sumA
        let tot = ta + (Rational(1) - t) * sumB
        influence.append(tot.isZero ? 0 : (ta / tot).doubleValue)
      }
      var changes: [Change] = []
      for k in 0..<steps where grid[k] != grid[k + 1] {
        var lo = Rational(k) / Rational(steps)
        var hi = Rational(k + 1) / Rational(steps)
        var before = grid[k]
        var after = grid[k + 1]
        for _ in 0..<20 {
          let mid = (lo + hi) / Rational(2)
          let f = try funded(mid)
          if f == grid[k] {
            lo = mid
            before = f
          } else {
            hi = mid
            after = f
          }
        }
        let bs = Set(before)
        let af = Set(after)
        changes.append(
          Change(
            low: lo.doubleValue, high: hi.doubleValue, entering: after.filter { !bs.contains($0) },
            leaving: before.filter { !af.contains($0) }))
      }
      curves.append(
        Curve(
          normalisation: name, fundedAtZero: grid[0], fundedAtElectionWeight: try funded(own),
          changes: changes, fundedCount: grid.map(\.count), influence: influence))
    }
    return WeightSweep(channel: channels[channel], electionWeight: own.doubleValue, steps: steps, curves: curves)
  }

  /// The sweep as JSON (project ids for indices).
  public func json(ids: [String]) -> JSONValue {
    [
      "channel": .string(channel), "electionWeight": .double(electionWeight), "steps": .int(steps),
      "curves": .array(
        curves.map { c in
          [
            "normalisation": .string(c.normalisation),
            "fundedAtZero": .array(c.fundedAtZero.map { .string(ids[$0]) }),
            "fundedAtElectionWeight": .array(c.fundedAtElectionWeight.map { .string(ids[$0]) }),
            "fundedCount": .array(c.fundedCount.map { .int($0) }),
            "influence": .array(c.influence.map { .double($0) }),
            "changes": .array(
              c.changes.map { ch in
                [
                  "low": .double(ch.low), "high": .double(ch.high),
                  "entering": .array(ch.entering.map { .string(ids[$0]) }),
                  "leaving": .array(ch.leaving.map { .string(ids[$0]) }),
                ]
              }),
          ]
        }),
    ]
  }

  /// The sweep as text for people.
  public func table(ids: [String]) -> String {
    var t = "Weight sweep of channel '\(channel)' from 0 to 1 (others share the rest; election weight \(fixed(electionWeight, 3)))\n"
    for c in curves {
      t += "  \(c.normalisation): \(c.changes.count) changes of the funded set\n"
      var rows = [["t from", "t to", "enter", "leave"]]
      for ch in c.changes {
        rows.append([fixed(ch.low, 6), fixed(ch.high, 6), ch.entering.map { ids[$0] }.joined(separator: ","), ch.leaving.map { ids[$0] }.joined(separator: ",")])
      }
      if c.changes.count > 0 { t += alignedTable(rows, rightAligned: [0, 1]).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n" }
      let mid = c.influence.count / 2
      t += "    channel's part of the combined score at t = 0.5: \(pct(c.influence[mid]))\n"
    }
    return t
  }
}
