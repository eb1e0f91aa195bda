import Crypto
import TallyCore

/// How a channel reader finds voter ids already seen (the `duplicate-voter` check).
///
/// | mode | memory | passes | note |
/// |---|---|---|---|
/// | `memory` | ~40 bytes a voter (a hash set of 128-bit fingerprints) | 1 | fastest |
/// | `external` | bounded (a 16 MiB sort buffer + one fingerprint per *repeated* id) | 2 | fingerprints are sorted in runs on disk (`TMPDIR`), then merged to find the repeated ids; the second pass voids every copy after the first |
/// | `off` | none | 1 | duplicate voter ids are not detected (the output says so) |
/// | `auto` (default) | | | `memory` for files up to 16 MiB (about 500,000 ballots), `external` above |
///
/// Both checking modes void exactly the same ballots; `external` trades a second read of the file and
/// temporary disk space (16 bytes a ballot) for memory that does not grow with the number of voters.
public enum VoterCheck: String, Sendable, Hashable, CaseIterable {
  case auto
  case memory
  case external
  case off

  /// The file size above which `auto` switches to `external`.
  public static let autoThreshold: Int64 = 16 << 20
}

/// One channel's ballots read: exact tallies, the void ballots by reason with places, and what the
/// export needs.
public struct ChannelBallots: Sendable {
  /// The tallies of the valid ballots.
  public var tally: ChannelTally
  /// Ballots read, valid, void by reason (with the first places).
  public var report: BallotReport
  /// The voter check actually used (`memory`, `external` or `off`).
  public var voterCheck: VoterCheck
  /// The valid ballots per group (weights in units of 10^-6), when asked for (`keepBallots`).
  public var profiles: [Profile]?
  /// The ballot file's path.
  public var path: String
}

/// Reads a channel's ballot file, streaming: `;`-separated with a header; `voter_id;vote` required,
/// `vote` the project ids joined by `,`; optional `weight` (a positive number with at most 6 decimals,
/// at most 1,000,000; an empty cell means 1) and `group`; other columns are ignored.
///
/// A ballot is void, counted under the first reason that applies, in this order: `malformed-row`
/// (wrong number of fields, empty voter id), `duplicate-voter` (every copy of a voter id after the first
/// well-formed row), `bad-weight`, `unknown-group` (the channel weights groups and the ballot's group
/// is not one of them), `unknown-project` (including an empty id, as in `1,,2`), `repeated-project`,
/// `too-few-picks` / `too-many-picks`, `category-limit`.
///
/// - Complexity: one pass over the file (two with ``VoterCheck/external``), O(bytes); memory
///   O(groups × projects) plus what the voter check needs, plus the distinct ballots when kept.
public struct BallotFileReader: Sendable {
  /// The channel.
  public var channel: Channel
  /// The projects (their ids and categories).
  public var instance: Instance
  /// What to do with invalid ballots (void or stop).
  public var policy: InvalidBallotPolicy
  /// How duplicate voter ids are found.
  public var voterCheck: VoterCheck
  /// Whether to keep the valid ballots (for an export).
  public var keepBallots: Bool

  /// Creates a reader.
  public init(
    channel: Channel, instance: Instance, policy: InvalidBallotPolicy = .void, voterCheck: VoterCheck = .auto,
    keepBallots: Bool = false
  ) {
    self.channel = channel
    self.instance = instance
    self.policy = policy
    self.voterCheck = voterCheck
    self.keepBallots = keepBallots
  }

  /// Reads a ballot file.
  public func read(path: String) throws(InputError) -> ChannelBallots {
    var hasher = SHA256()
    return try read(path: path, hasher: &hasher)
  }

  /// Reads ballots held in memory (`voterCheck` `external` is treated as `memory`).
  public func read(bytes: [UInt8], source: String) throws(InputError) -> ChannelBallots {
    var hasher = SHA256()
    var me = self
    if me.voterCheck == .external || me.voterCheck == .auto { me.voterCheck = .memory }
    return try me.run(_RecordReader(bytes: bytes, source: source, hasher: hasher), hasher: &hasher, duplicates: nil)
  }

  /// Reads a ballot file, continuing `hasher` over its bytes.
  func read(path: String, hasher: inout SHA256) throws(InputError) -> ChannelBallots {
    var mode = voterCheck
    if mode == .auto { mode = _fileSize(path) > VoterCheck.autoThreshold ? .external : .memory }
    var duplicates: Set<_VoterFingerprint>? = nil
    if mode == .external { duplicates = try _ExternalVoterCheck.repeatedIDs(path: path, policy: policy) }
    var me = self
    me.voterCheck = mode
    return try me.run(_RecordReader(path: path, hasher: hasher), hasher: &hasher, duplicates: duplicates)
  }

  private func run(
    _ reader: _RecordReader, hasher: inout SHA256, duplicates: Set<_VoterFingerprint>?
  ) throws(InputError) -> ChannelBallots {
    let src = reader.source
    let inst = instance
    let n = inst.projectCount
    var fields = _FieldSplitter()
    var report = BallotReport()
    var tally = ChannelTally(channel: channel.id, projectCount: n, groups: channel.groupWeights)
    let header = try _BallotHeader.read(reader, fields: &fields)
    guard let header else {
      // An empty ballot file is a channel with no ballots (a header is still required when there are rows).
      hasher = reader.hasher
      return ChannelBallots(tally: tally, report: report, voterCheck: voterCheck, profiles: keepBallots ? [] : nil, path: src)
    }
    if !channel.groupWeights.isEmpty && header.group == nil {
      throw InputError(
        .invalidElection("channel '\(channel.id)' weights groups but the ballot file has no 'group' column"),
        at: InputLocation(source: src, line: header.line))
    }
    let ids = _IDTable(ids: inst.projects.map(\.id))
    let groupBytes = channel.groupWeights.map { Array($0.group.utf8) }
    // Category limits: per project, the indices of the limits it counts toward.
    let limits = channel.picks.categoryLimits
    let named = Set(limits.map(\.category).filter { $0 != "*" })
    let star = limits.firstIndex { $0.category == "*" }
    var starCategories: [String] = []
    if star != nil {
      starCategories = Array(Set(inst.projects.flatMap(\.categories)).subtracting(named)).sorted()
    }
    // Slots: one per named limit, then one per category under "*".
    var slotLimit: [(min: Int, max: Int?, name: String)] = limits.filter { $0.category != "*" }.map { ($0.min, $0.max, $0.category) }
    if let star { for c in starCategories { slotLimit.append((limits[star].min, limits[star].max, c)) } }
    let slotIndex = Dictionary(uniqueKeysWithValues: slotLimit.enumerated().map { ($1.name, $0) })
    let projectSlots: [[Int]] = inst.projects.map { p in p.categories.compactMap { slotIndex[$0] } }
    var slotCounts = [Int](repeating: 0, count: slotLimit.count)
    let minPicks = channel.picks.minPicks
    let maxPicks = channel.picks.maxPicks

    // Size the voter table from the file (about 30 bytes a ballot) so that it rarely grows.
    let check = voterCheck
    let voters = _VoterSet(capacity: check == .memory ? min(max(reader.sizeHint / 30, 1 << 10), 1 << 21) : 16)
    var repeatedSeen = Set<_VoterFingerprint>()
    var builders: [ProfileBuilder] =
      keepBallots
      ? Array(repeating: ProfileBuilder(kind: .approval, projectCount: n, weightScale: ChannelTally.weightScale), count: tally.groups.count)
      : []
    var items: [Int32] = []
    items.reserveCapacity(64)
    var seen = [Bool](repeating: false, count: n)
    let reject = policy == .reject
    let needed = max(header.voter, header.vote, header.weight ?? 0, header.group ?? 0) + 1
    let headerCount = header.count

    while let rec = try reader.next() {
      if rec.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      let line = reader.recordLine
      report.read += 1
      fields.split(rec)
      func void(_ p: BallotProblem, _ col: Int?, _ detail: String) throws(InputError) {
        let l = InputLocation(source: src, line: line, column: col)
        if reject { throw InputError(.invalidBallot(p, detail), at: l) }
        report.record(p, at: l, detail: detail, voided: true)
      }
      let fc = fields.count
      if fc < needed || fc > headerCount + 1 || (fc == headerCount + 1 && !fields.lastIsEmpty) {
        try void(.malformedRow, 1, "expected \(headerCount) fields, found \(fc)")
        continue
      }
      let voterBytes = fields.bytes(header.voter, in: rec).trimmed()
      if voterBytes.isEmpty {
        try void(.malformedRow, fields.column(header.voter, in: rec), "empty voter id")
        continue
      }
      switch check {
      case .memory, .auto:
        if !voters.insert(voterBytes) {
          try void(
            .duplicateVoter, fields.column(header.voter, in: rec),
            "voter '\(InputError.clip(String(decoding: voterBytes, as: UTF8.self)))' already voted in this channel")
          continue
        }
      case .external:
        let fp = _VoterFingerprint(voterBytes)
        if duplicates!.contains(fp) && !repeatedSeen.insert(fp).inserted {
          try void(
            .duplicateVoter, fields.column(header.voter, in: rec),
            "voter '\(InputError.clip(String(decoding: voterBytes, as: UTF8.self)))' already voted in this channel")
          continue
        }
      case .off: break
      }
      // Weight.
      var units = ChannelTally.one
      if let cw = header.weight {
        let t = fields.bytes(cw, in: rec).trimmed()
        if !t.isEmpty {
          guard let d = ExactDecimal.parse(t), d.units > 0, d.normalized.scale <= 6, let u = d.normalized.rescaled(to: 6),
            u <= 1_000_000 * ChannelTally.one
          else {
            try void(
              .badWeight, fields.column(cw, in: rec),
              "weight '\(InputError.clip(fields.string(cw, in: rec)))' is not a positive number with at most 6 decimals and at most 1000000")
            continue
          }
          units = u
        }
      }
      // Group.
      var group = 0
      if !groupBytes.isEmpty, let cg = header.group {
        let g = fields.bytes(cg, in: rec).trimmed()
        guard let k = groupBytes.firstIndex(where: { $0.count == g.count && $0.elementsEqual(g) }) else {
          try void(
            .unknownGroup, fields.column(cg, in: rec),
            g.isEmpty
              ? "no group given (the channel weights groups \(channel.groupWeights.map(\.group).joined(separator: ", ")))"
              : "group '\(InputError.clip(String(decoding: g, as: UTF8.self)))' is not one of \(channel.groupWeights.map(\.group).joined(separator: ", "))")
          continue
        }
        group = k
      }
      // Picks.
      items.removeAll(keepingCapacity: true)
      let vote = fields.bytes(header.vote, in: rec)
      let voteStart = fields.range(header.vote).lowerBound
      var bad: (BallotProblem, Int, String)? = nil
      var tokenStart = 0
      let vn = vote.count
      let wholeEmpty = vote.trimmed().isEmpty
      if !wholeEmpty {
        var i = 0
        while i <= vn {
          if i == vn || vote[i] == 0x2C {
            var lo = tokenStart
            var hi = i
            while lo < hi && (vote[lo] == 0x20 || vote[lo] == 0x09) { lo += 1 }
            while hi > lo && (vote[hi - 1] == 0x20 || vote[hi - 1] == 0x09) { hi -= 1 }
            let tok = UnsafeBufferPointer(rebasing: vote[lo..<hi])
            if let p = ids.lookup(tok) {
              if seen[Int(p)] {
                if bad == nil {
                  bad = (
                    .repeatedProject, _column(byteOffset: voteStart + lo, in: rec),
                    "project '\(InputError.clip(String(decoding: tok, as: UTF8.self)))' is named twice"
                  )
                }
              } else {
                seen[Int(p)] = true
                items.append(p)
              }
            } else if bad == nil || bad!.0 == .repeatedProject {
              bad = (
                .unknownProject, _column(byteOffset: voteStart + lo, in: rec),
                tok.isEmpty
                  ? "empty project id in the vote list"
                  : "unknown project '\(InputError.clip(String(decoding: tok, as: UTF8.self)))'"
              )
            }
            tokenStart = i + 1
          }
          i += 1
        }
      }
      for p in items { seen[Int(p)] = false }
      if let bad {
        try void(bad.0, bad.1, bad.2)
        continue
      }
      var voteCol: Int { fields.column(header.vote, in: rec) }
      if items.count < minPicks {
        try void(.tooFewPicks, voteCol, "\(items.count) projects picked, at least \(minPicks) required")
        continue
      }
      if let maxPicks, items.count > maxPicks {
        try void(.tooManyPicks, voteCol, "\(items.count) projects picked, at most \(maxPicks) allowed")
        continue
      }
      if !slotLimit.isEmpty {
        for p in items { for s in projectSlots[Int(p)] { slotCounts[s] += 1 } }
        var broken: String? = nil
        for (s, l) in slotLimit.enumerated() where broken == nil {
          let c = slotCounts[s]
          if c < l.min || (l.max.map { c > $0 } ?? false) {
            let want =
              l.max == l.min ? "exactly \(l.min)" : l.max == nil ? "at least \(l.min)" : l.min == 0 ? "at most \(l.max!)" : "\(l.min) to \(l.max!)"
            broken = "\(c) picks in category '\(l.name)', \(want) allowed"
          }
        }
        for s in slotCounts.indices { slotCounts[s] = 0 }
        if let broken {
          try void(.categoryLimit, voteCol, broken)
          continue
        }
      }
      tally.add(items, weightUnits: units, group: group)
      if keepBallots { builders[group].add(items, weight: units) }
      report.valid += 1
    }
    if tally.overflow {
      throw InputError(.numberOutOfRange(field: "weight", text: "the sum of the weights"), at: InputLocation(source: src, line: 0))
    }
    hasher = reader.hasher
    return ChannelBallots(
      tally: tally, report: report, voterCheck: check, profiles: keepBallots ? builders.map { $0.build() } : nil, path: src)
  }
}

/// The columns of a ballot file.
struct _BallotHeader {
  var voter: Int
  var vote: Int
  var weight: Int?
  var group: Int?
  var count: Int
  var line: Int

  /// Reads the header row (nil for a file without any non-blank line).
  static func read(_ reader: _RecordReader, fields: inout _FieldSplitter) throws(InputError) -> _BallotHeader? {
    while let rec = try reader.next() {
      if rec.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      let line = reader.recordLine
      fields.split(rec)
      let names = (0..<fields.count).map { fields.string($0, in: rec).trimmingSpaces().lowercased() }
      var s = Set<String>()
      for (i, h) in names.enumerated() where !h.isEmpty && !s.insert(h).inserted {
        throw InputError(.duplicateColumn(h), at: InputLocation(source: reader.source, line: line, column: fields.column(i, in: rec)))
      }
      for c in ["voter_id", "vote"] where !names.contains(c) {
        throw InputError(.missingColumn(section: "ballots", column: c), at: InputLocation(source: reader.source, line: line))
      }
      return _BallotHeader(
        voter: names.firstIndex(of: "voter_id")!, vote: names.firstIndex(of: "vote")!, weight: names.firstIndex(of: "weight"),
        group: names.firstIndex(of: "group"), count: names.count, line: line)
    }
    return nil
  }
}
