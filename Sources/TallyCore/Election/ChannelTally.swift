
/// The exact per-project tallies of one channel's valid ballots, accumulated while streaming.
///
/// Weights are integers in units of 10^-6 (``ChannelTally/weightScale``); ballots are bucketed by voter
/// group, so that group weights are applied exactly once, at the end. Memory is O(groups × projects),
/// whatever the number of ballots.
public struct ChannelTally: Sendable, Hashable {
  /// Decimal digits of the per-ballot weight units.
  public static let weightScale = 6
  /// One ballot of weight 1, in units.
  public static let one: Int64 = 1_000_000

  /// The channel id.
  public let channel: String
  /// The number of projects.
  public let projectCount: Int
  /// Group names (one unnamed group when the channel weights no groups).
  public let groups: [String]
  /// Group weights, aligned with `groups`.
  public let groupWeights: [ExactDecimal]
  /// Valid ballots per group.
  public private(set) var validBallots: [Int64]
  /// Σ ballot weight per group, in units.
  public private(set) var validUnits: [Int64]
  /// Σ ballot weight × picks per group, in units.
  public private(set) var pickUnits: [Int64]
  /// Σ ballot weight of ballots naming the project, per group (`groups.count × projectCount`, row-major).
  public private(set) var projectUnits: [Int64]
  /// Unweighted number of valid ballots naming each project.
  public private(set) var projectVotes: [Int64]
  /// Whether some sum overflowed 64 bits (the reader reports it as an error).
  public private(set) var overflow = false

  /// Creates an empty tally.
  public init(channel: String, projectCount: Int, groups: [GroupWeight]) {
    self.channel = channel
    self.projectCount = projectCount
    if groups.isEmpty {
      self.groups = [""]
      self.groupWeights = [ExactDecimal(units: 1, scale: 0)]
    } else {
      self.groups = groups.map(\.group)
      self.groupWeights = groups.map(\.weight)
    }
    let g = self.groups.count
    validBallots = Array(repeating: 0, count: g)
    validUnits = Array(repeating: 0, count: g)
    pickUnits = Array(repeating: 0, count: g)
    projectUnits = Array(repeating: 0, count: g * projectCount)
    projectVotes = Array(repeating: 0, count: projectCount)
  }

  /// Adds one valid ballot: its distinct project indices, its weight in units, its group index.
  public mutating func add(_ picks: [Int32], weightUnits w: Int64, group g: Int) {
    picks.withUnsafeBufferPointer { add($0, weightUnits: w, group: g) }
  }

  /// Adds one valid ballot whose distinct project indices are in a buffer.
  public mutating func add(_ picks: UnsafeBufferPointer<Int32>, weightUnits w: Int64, group g: Int) {
    validBallots[g] += 1
    let (v, o1) = validUnits[g].addingReportingOverflow(w)
    validUnits[g] = v
    let (m, o2) = w.multipliedReportingOverflow(by: Int64(picks.count))
    let (s, o3) = pickUnits[g].addingReportingOverflow(m)
    pickUnits[g] = s
    var o = o1 || o2 || o3
    let base = g * projectCount
    projectUnits.withUnsafeMutableBufferPointer { units in
      projectVotes.withUnsafeMutableBufferPointer { votes in
        for p in picks {
          let k = base + Int(p)
          let (t, ov) = units[k].addingReportingOverflow(w)
          units[k] = t
          o = o || ov
          votes[Int(p)] += 1
        }
      }
    }
    if o { overflow = true }
  }

  /// Adds `ballots` valid ballots of one weight and group at once: `picks` is the number of picks
  /// they make in all, and `projectBallots[p]` how many of them name project `p`. The tallies, the
  /// overflow flag included, are those of adding each ballot with ``add(_:weightUnits:group:)``: every
  /// term is non-negative, so a sum overflows exactly when one of its partial sums would.
  /// - Precondition: `w > 0`, and the counts are non-negative and consistent.
  public mutating func add(
    ballots: Int64, picks: Int64, projectBallots: UnsafeBufferPointer<Int64>, weightUnits w: Int64, group g: Int
  ) {
    precondition(w > 0 && ballots >= 0 && picks >= 0 && projectBallots.count == projectCount)
    if ballots == 0 { return }
    var o = false
    @inline(__always) func accumulate(_ total: inout Int64, _ count: Int64) {
      let (m, o1) = count.multipliedReportingOverflow(by: w)
      let (s, o2) = total.addingReportingOverflow(m)
      total = s
      o = o || o1 || o2
    }
    validBallots[g] += ballots
    accumulate(&validUnits[g], ballots)
    accumulate(&pickUnits[g], picks)
    let base = g * projectCount
    for p in 0..<projectCount where projectBallots[p] != 0 {
      accumulate(&projectUnits[base + p], projectBallots[p])
      projectVotes[p] += projectBallots[p]
    }
    if o { overflow = true }
  }

  /// Takes back a ballot added before (the same picks, weight and group): the tallies are as if it had
  /// never been added.
  /// - Precondition: the ballot was added and the tally has not overflowed.
  public mutating func remove(_ picks: UnsafeBufferPointer<Int32>, weightUnits w: Int64, group g: Int) {
    precondition(!overflow && validBallots[g] > 0)
    validBallots[g] -= 1
    validUnits[g] -= w
    pickUnits[g] -= w * Int64(picks.count)
    let base = g * projectCount
    for p in picks {
      projectUnits[base + Int(p)] -= w
      projectVotes[Int(p)] -= 1
    }
  }

  /// Adds the tallies of more ballots of the same channel (e.g. a later part of the same file).
  public mutating func append(_ other: ChannelTally) {
    precondition(other.projectCount == projectCount && other.groups == groups)
    var o = other.overflow
    func add(_ a: inout [Int64], _ b: [Int64]) {
      for i in a.indices {
        let (s, v) = a[i].addingReportingOverflow(b[i])
        a[i] = s
        o = o || v
      }
    }
    add(&validBallots, other.validBallots)
    add(&validUnits, other.validUnits)
    add(&pickUnits, other.pickUnits)
    add(&projectUnits, other.projectUnits)
    add(&projectVotes, other.projectVotes)
    if o { overflow = true }
  }

  /// The number of valid ballots.
  public var validCount: Int64 { validBallots.reduce(0, +) }

  private func groupFactor(_ g: Int) -> Rational {
    Rational(groupWeights[g]) / Rational(BigInt(Self.one))
  }

  /// `Σ_v x_v`: the channel's total valid weight, exact.
  public var totalWeight: Rational {
    var t = Rational.zero
    for g in groups.indices where validUnits[g] != 0 { t += Rational(validUnits[g]) * groupFactor(g) }
    return t
  }

  /// `Σ_v x_v·|B_v|`: the weighted number of picks, exact.
  public var totalPickWeight: Rational {
    var t = Rational.zero
    for g in groups.indices where pickUnits[g] != 0 { t += Rational(pickUnits[g]) * groupFactor(g) }
    return t
  }

  /// `n(p)`: the weighted number of valid ballots naming each project, exact.
  public var weightedCounts: [Rational] {
    var out = [Rational](repeating: .zero, count: projectCount)
    for g in groups.indices {
      let f = groupFactor(g)
      let base = g * projectCount
      for p in 0..<projectCount where projectUnits[base + p] != 0 {
        out[p] += Rational(projectUnits[base + p]) * f
      }
    }
    return out
  }

  /// Each project's share under a normalisation (see ``Normalisation``), exact.
  public func shares(_ normalisation: Normalisation) -> [Rational] {
    let n = weightedCounts
    let zeros = [Rational](repeating: .zero, count: projectCount)
    switch normalisation {
    case .raw:
      return n
    case .shareOfVoters:
      let t = totalWeight
      return t.isZero ? zeros : n.map { $0 / t }
    case .shareOfApprovals:
      let t = totalPickWeight
      return t.isZero ? zeros : n.map { $0 / t }
    case .max100:
      guard let m = n.max(), !m.isZero else { return zeros }
      let hundred = Rational(100)
      return n.map { hundred * $0 / m }
    }
  }
}

/// The combined result of an election's channels: shares per channel and combined scores, all exact.
public struct ElectionScores: Sendable, Hashable {
  /// Channel ids, in election order.
  public var channels: [String]
  /// `share_c(p)` per channel (aligned with `channels`), by project index.
  public var shares: [[Rational]]
  /// `S(p) = Σ_c w_c · share_c(p)`, by project index.
  public var combined: [Rational]

  /// Combines channel tallies: each channel's shares under its normalisation, times its weight, summed.
  /// - Precondition: `tallies` aligned with `election.channels`.
  public init(election: Election, tallies: [ChannelTally]) {
    precondition(tallies.count == election.channels.count)
    let n = tallies.first?.projectCount ?? 0
    channels = election.channels.map(\.id)
    shares = zip(election.channels, tallies).map { c, t in t.shares(c.normalisation) }
    var s = [Rational](repeating: .zero, count: n)
    for (c, sh) in zip(election.channels, shares) {
      let w = c.weightRational
      if w.isZero { continue }
      for p in 0..<n where !sh[p].isZero { s[p] += w * sh[p] }
    }
    combined = s
  }

  /// The `share:<channel>` auxiliary values for ``TieBreak`` `priority:` keys.
  public var tieBreakAuxiliary: [String: [Rational]] {
    var out: [String: [Rational]] = [:]
    for (c, sh) in zip(channels, shares) { out["share:" + c] = sh }
    return out
  }
}
