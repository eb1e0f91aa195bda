import TallyCore
import TallyIO

extension ElectionRun {
  /// The decimal digits of the exported ballot weights.
  public static let exportWeightScale = 6

  /// The combined weighted profile, the factor K and the voter-id ranges per channel.
  func combined() -> (profile: Profile, k: Rational, ranges: [String], contiguous: Bool) {
    let inst = definition.instance
    let election = definition.election
    let tallies = ballots.channels.map(\.tally)
    // Per-channel factor f_c.
    var factors: [Rational] = []
    for (c, t) in zip(election.channels, tallies) {
      let w = c.weightRational
      let f: Rational
      switch c.normalisation {
      case .raw: f = w
      case .shareOfVoters: f = t.totalWeight.isZero ? .zero : w / t.totalWeight
      case .shareOfApprovals: f = t.totalPickWeight.isZero ? .zero : w / t.totalPickWeight
      case .max100:
        let m = t.weightedCounts.max() ?? .zero
        f = m.isZero ? .zero : Rational(100) * w / m
      }
      factors.append(f)
    }
    let totalBallots = tallies.reduce(Int64(0)) { $0 + $1.validCount }
    var mass = Rational.zero
    for (f, t) in zip(factors, tallies) { mass += f * t.totalWeight }
    let k = mass.isZero ? Rational.one : Rational(totalBallots) / mass
    let unit = BigInt(10).power(Self.exportWeightScale)
    let perWeightUnit = Rational(BigInt(1), BigInt(ChannelTally.one))
    var builder = ProfileBuilder(kind: .approval, projectCount: inst.projectCount, weightScale: Self.exportWeightScale)
    var uniqueTotal = 0
    var ranges: [String] = []
    var nextVoter: Int64 = 1
    for (ci, b) in ballots.channels.enumerated() {
      guard let profiles = b.profiles else { continue }
      let t = b.tally
      let start = nextVoter
      for (g, prof) in profiles.enumerated() {
        let gw = Rational(t.groupWeights[g])
        var cache: [Int64: Int64] = [:]
        uniqueTotal += prof.uniqueBallotCount
        for u in 0..<prof.uniqueBallotCount {
          let wu = prof.weights?[u] ?? ChannelTally.one
          let scaled: Int64
          if let s = cache[wu] {
            scaled = s
          } else {
            let exact = Rational(wu) * perWeightUnit * gw * factors[ci] * k * Rational(unit)
            // Round half up to an integer number of 10^-9.
            let q = (exact.numerator * 2 + exact.denominator) / (exact.denominator * 2)
            scaled = Int64(clamping: q)
            cache[wu] = scaled
          }
          // (From the stored items in place: the generic `add` copies a slice into an array, whose
          // first use makes the runtime scan every conformance record.)
          prof.items.withUnsafeBufferPointer { items in
            let ballot = UnsafeBufferPointer(rebasing: items[prof.offsets[u]..<prof.offsets[u + 1]])
            builder.add(ballot, points: UnsafeBufferPointer(start: nil, count: 0), weight: max(scaled, 1), count: prof.multiplicities[u])
          }
          nextVoter += prof.multiplicities[u]
        }
      }
      ranges.append("\(election.channels[ci].id):\(start)-\(nextVoter - 1)")
    }
    let profile = builder.build()
    return (profile, k, ranges, uniqueTotal == profile.uniqueBallotCount)
  }

  /// Every valid ballot of every channel as one weighted approval profile whose weighted approval
  /// counts are the combined scores times a constant (see ``pabulibExport()``).
  /// - Precondition: the ballots were read with `keepBallots: true`.
  public func combinedProfile() -> Profile { combined().profile }

  /// The combined election as one Pabulib approval instance, for other tools (written by `PabulibWriter`).
  ///
  /// What the file carries:
  /// - META: `description` (the election's name), `budget`, `vote_type` approval, `rule` (the
  ///   allocation rule), `max_length` (the largest channel `maxPicks`, when every channel has one),
  ///   `channels` (`id:weight:normalisation:valid ballots`, `,`-joined), `channel_ranges` (which voter ids
  ///   came from which channel, when the ranges are contiguous), `tie_break`, `weight_note`.
  /// - PROJECTS: the projects file's columns, plus `score` (the exact combined score rounded to 12
  ///   decimals), `share_<channel>` (each channel's share, rounded likewise) and `selected` (1 when funded).
  /// - VOTES: every *valid* ballot of every channel, channel by channel, with a `weight` chosen so that
  ///   a weighted approval count is the combined score up to a constant: a ballot of channel c with
  ///   weight `x_v` (its own weight × its group's) gets `x_v · f_c · K`, where `f_c` is the channel's
  ///   factor (`w_c / Σ x` for share-of-voters, `w_c / Σ x·|B|` for share-of-approvals,
  ///   `100·w_c / max n` for max-100, `w_c` for raw) and `K` scales the weights to average 1. Weights are
  ///   rounded to 6 decimals (the most Pabulib readers accept), so a tool that sums them reproduces
  ///   the combined scores to about 6 significant digits; exact ties across channels may become
  ///   near-ties, and the `score` column is the reference. Void ballots are not exported.
  ///
  /// - Precondition: the ballots were read with `keepBallots: true`.
  public func pabulibExport() -> String {
    let inst = definition.instance
    let election = definition.election
    let tallies = ballots.channels.map(\.tally)
    let (profile, k, ranges, contiguous) = combined()
    var out = inst
    var meta: [MetaEntry] = [
      MetaEntry(key: "description", value: election.name),
      MetaEntry(key: "country", value: election.currency == "KRW" ? "South Korea" : ""),
      MetaEntry(key: "unit", value: "election"),
      MetaEntry(key: "rule", value: rule.id),
      MetaEntry(key: "tie_break", value: tieBreak.description),
      MetaEntry(
        key: "channels",
        value: _joined(zip(election.channels, tallies).map { c, t in "\(c.id):\(c.weight.normalized):\(c.normalisation.rawValue):\(t.validCount)" }, by: ",")),
      MetaEntry(
        key: "weight_note",
        value: "weight = ballot weight x group weight x channel factor x K (rounded to 6 decimals); weighted approval counts are the combined scores times K = \(Self.decimal(k, digits: 12))"),
    ]
    meta.removeAll { $0.value.isEmpty }
    if contiguous { meta.append(MetaEntry(key: "channel_ranges", value: _joined(ranges, by: ","))) }
    let maxes = election.channels.map(\.picks.maxPicks)
    if !maxes.contains(where: { $0 == nil }), let m = maxes.compactMap({ $0 }).max() {
      meta.append(MetaEntry(key: "max_length", value: String(m)))
    }
    out.meta = meta
    let funded = Set(outcome.selected)
    var columns = inst.projectColumns.filter { !$0.isEmpty }
    if columns.isEmpty { columns = ["project_id", "cost"] }
    columns.append("score")
    for c in election.channels { columns.append("share_" + c.id) }
    columns.append("selected")
    for i in out.projects.indices {
      out.projects[i].fields["score"] = Self.decimal(scores.combined[i], digits: 12)
      for (k, c) in election.channels.enumerated() {
        out.projects[i].fields["share_" + c.id] = Self.decimal(scores.shares[k][i], digits: 12)
      }
      out.projects[i].fields["selected"] = funded.contains(i) ? "1" : "0"
    }
    out.projectColumns = columns
    return PabulibWriter.write(instance: out, profile: profile)
  }

  /// A rational rounded half up (half away from zero) to `digits` decimals, as text: trailing zeros
  /// removed, or with `keepZeros` exactly `digits` decimals. A value that rounds to 0 has no sign.
  public static func decimal(_ r: Rational, digits: Int, keepZeros: Bool = false) -> String {
    precondition(digits >= 0)
    let neg = r.signum < 0
    if let (n, d) = r.smallParts, digits <= 18 {
      // In 128 bits: |n|·10^digits·2 + d < 2^63·2^60·2 + 2^63 < 2^127. The whole part is then below
      // 2^63 and the fraction below 10^18: both fit 64 bits.
      var scale: UInt64 = 1
      for _ in 0..<digits { scale *= 10 }
      let q = (Int128(n.magnitude) * Int128(scale) * 2 + Int128(d)) / (Int128(d) * 2)
      let whole = UInt64(q / Int128(scale))
      let fraction = UInt64(q % Int128(scale))
      return String(unsafeUninitializedCapacity: 48) { out in
        var k = 0
        if neg && q != 0 {
          out[0] = UInt8(ascii: "-")
          k = 1
        }
        k += Self.writeDigits(whole, into: out, at: k, width: 1)
        var shown = digits
        if !keepZeros {
          var f = fraction
          while shown > 0 && f % 10 == 0 {
            f /= 10
            shown -= 1
          }
        }
        if shown > 0 {
          out[k] = UInt8(ascii: ".")
          var f = fraction
          for _ in shown..<digits { f /= 10 }
          k += 1 + Self.writeDigits(f, into: out, at: k + 1, width: shown)
        }
        return k
      }
    }
    let scale = BigInt(10).power(digits)
    let n = neg ? -r.numerator : r.numerator
    let q = (n * scale * 2 + r.denominator) / (r.denominator * 2)
    // The quotient's decimal digits (ASCII), worked on as bytes.
    var u = Array(String(q).utf8)
    if u.count <= digits { u.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits - u.count + 1), at: 0) }
    var end = u.count
    if !keepZeros {
      while end > u.count - digits && u[end - 1] == UInt8(ascii: "0") { end -= 1 }
    }
    var out: [UInt8] = neg && q != 0 ? [UInt8(ascii: "-")] : []
    out.append(contentsOf: u[0..<(u.count - digits)])
    if end > u.count - digits {
      out.append(UInt8(ascii: "."))
      out.append(contentsOf: u[(u.count - digits)..<end])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Writes `v` in decimal, zero-padded to at least `width` digits, at `out[at...]`; the digit count.
  private static func writeDigits(_ v: UInt64, into out: UnsafeMutableBufferPointer<UInt8>, at: Int, width: Int) -> Int {
    var count = 1
    var t = v / 10
    while t > 0 {
      count += 1
      t /= 10
    }
    count = max(count, width)
    var x = v
    for i in stride(from: at + count - 1, through: at, by: -1) {
      out[i] = UInt8(ascii: "0") + UInt8(x % 10)
      x /= 10
    }
    return count
  }
}
