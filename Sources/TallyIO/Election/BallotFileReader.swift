#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
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
  /// Whether a file read in two parts (1 MiB or more, the `memory` voter check) is mapped into
  /// memory rather than copied in (``ReadOptions/mapFiles`` says when that is safe).
  public var mapFiles = false
  /// Files at least this many bytes large (with the `memory` voter check) are read in two parts at
  /// once, smaller ones in one pass over their bytes in place (ordinary rows on the fast path); nil:
  /// neither, every row judged in full as it is read (tests and fuzzers set it to compare the ways).
  @_spi(Testing) public var partsThreshold: Int? = _defaultPartsThreshold
  /// Where the first of the two parts ends, as a fraction of the rows' bytes (then the next line
  /// start); nil where the two threads meet (``_readInTwoParts``). Tests fix it, since the threads'
  /// timing would decide it, and a small input would be read by the first thread alone.
  @_spi(Testing) public var partsCut: Double? = nil

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
    try open(path: path, hasher: hasher).read(hasher: &hasher)
  }

  /// A ballot file opened by ``open(path:hasher:hashing:)``, to be read by ``read(hasher:)``.
  struct Opened {
    /// The reader, with the channel's voter check resolved (`auto` decided by the file's size).
    fileprivate var reader: BallotFileReader
    /// The file.
    let file: _RecordReader
    fileprivate let duplicates: Set<_VoterFingerprint>?

    fileprivate init(reader: BallotFileReader, file: _RecordReader, duplicates: Set<_VoterFingerprint>?) {
      self.reader = reader
      self.file = file
      self.duplicates = duplicates
    }

    /// A file `reader` reads that was opened already, held whole and not hashed (``_BallotsAhead``),
    /// for the `memory` or `off` voter check.
    init(_ reader: BallotFileReader, held file: _RecordReader, path: String) {
      var me = reader
      me.voterCheck = reader.voterCheck(for: path)
      precondition(me.voterCheck != .external)
      self.init(reader: me, file: file, duplicates: nil)
    }

    /// Reads the file; `hasher` becomes its reader's hasher after the file.
    func read(hasher: inout SHA256) throws(InputError) -> ChannelBallots {
      try reader.run(file, hasher: &hasher, duplicates: duplicates)
    }
  }

  /// The voter check used for the file at `path` (`auto` decided by its size).
  func voterCheck(for path: String) -> VoterCheck { Self.voterCheck(voterCheck, for: path) }

  /// The voter check `check` resolves to for the file at `path` (`auto` decided by its size).
  static func voterCheck(_ check: VoterCheck, for path: String) -> VoterCheck {
    check == .auto ? (_fileSize(path) > VoterCheck.autoThreshold ? .external : .memory) : check
  }

  /// Opens a ballot file: the reader's hasher continues `hasher`, or with `hashing` false hashes
  /// nothing (the caller takes the file's digest from ``_RecordReader/whole``).
  func open(path: String, hasher: SHA256 = SHA256(), hashing: Bool = true) throws(InputError) -> Opened {
    let mode = voterCheck(for: path)
    var duplicates: Set<_VoterFingerprint>? = nil
    if mode == .external { duplicates = try _ExternalVoterCheck.repeatedIDs(path: path, policy: policy) }
    var me = self
    me.voterCheck = mode
    let map = mapFiles && mode == .memory ? partsThreshold : nil
    return Opened(reader: me, file: try _RecordReader(path: path, hasher: hasher, mapAtLeast: map, hashing: hashing), duplicates: duplicates)
  }

  private func run(
    _ reader: _RecordReader, hasher: inout SHA256, duplicates: Set<_VoterFingerprint>?
  ) throws(InputError) -> ChannelBallots {
    let src = reader.source
    let inst = instance
    let n = inst.projectCount
    var fields = _FieldSplitter()
    let header = try _BallotHeader.read(reader, fields: &fields)
    guard let header else {
      // An empty ballot file is a channel with no ballots (a header is still required when there are rows).
      hasher = reader.hasher
      return ChannelBallots(
        tally: ChannelTally(channel: channel.id, projectCount: n, groups: channel.groupWeights), report: BallotReport(),
        voterCheck: voterCheck, profiles: keepBallots ? [] : nil, path: src)
    }
    if !channel.groupWeights.isEmpty && header.group == nil {
      throw InputError(
        .invalidElection("channel '\(channel.id)' weights groups but the ballot file has no 'group' column"),
        at: InputLocation(source: src, line: header.line))
    }
    let rules = _BallotRules(channel: channel, instance: inst, header: header)
    let check = voterCheck
    let reject = policy == .reject
    let channel = channel
    let keepBallots = keepBallots
    // The voter table is sized from the bytes (about 30 a ballot) so that it rarely grows.
    func voterSet(bytes: Int, shape: [UInt8]? = nil) -> _VoterSet {
      let capacity = check == .memory ? min(max(bytes / 30, 1 << 10), 1 << 21) : 16
      return shape.map { s in s.withUnsafeBufferPointer { _VoterSet(capacity: capacity, shapeFrom: $0) } } ?? _VoterSet(capacity: capacity)
    }
    func duplicate(_ judge: _BallotJudge, _ rec: UnsafeBufferPointer<UInt8>, _ voter: UnsafeBufferPointer<UInt8>) -> _BallotJudge.Verdict {
      .void(
        .duplicateVoter, judge.fields.column(header.voter, in: rec),
        "voter '\(InputError.clip(String(decoding: voter, as: UTF8.self)))' already voted in this channel")
    }

    /// Reads the rows of `reader` to its end, or to where `cut` closes its part (`reader` then reads
    /// in place); `recordFirsts`: the bytes `reader` reads (at most 4 GiB), to note each voter's first
    /// row in them (for ``revise``). `checkQuotes` (a reader of quote-free bytes in place, not yet
    /// checked): nil as soon as its bytes hold a quote, checked a chunk ahead of the rows.
    func rows(
      _ reader: _RecordReader, voters: _VoterSet, recordFirsts: UnsafeBufferPointer<UInt8>? = nil, cut: _MovingCut? = nil,
      checkQuotes: Bool = false
    ) throws(InputError) -> _ChannelPart? {
      let judge = _BallotJudge(rules)
      var firsts: [_FirstRow] = []
      // One allocation for the usual rows (16 bytes or more each): growing the array by doubling
      // touched ~3 times the memory, and fresh pages are what noting first rows costs most.
      if let all = recordFirsts { firsts.reserveCapacity(all.count / 16 + 1) }
      let firstsBase = recordFirsts?.baseAddress
      var report = BallotReport()
      var tally = ChannelTally(channel: channel.id, projectCount: n, groups: channel.groupWeights)
      var repeatedSeen = Set<_VoterFingerprint>()
      var builders: [ProfileBuilder] =
        keepBallots
        ? Array(repeating: ProfileBuilder(kind: .approval, projectCount: n, weightScale: ChannelTally.weightScale), count: tally.groups.count)
        : []
      // The fast path (``_PlainRows/scanLine(_:)``): ordinary valid rows of quote-free bytes read
      // in place are found and judged in one pass and counted here: those of weight one in group 0
      // in per-project counts added to the tally once at the end, the others (weighted, or of
      // another group) added to it one by one.
      let plain = judge.plainRows != nil && reader.readsLinesInPlace && (check == .memory || check == .auto)
      let plainCounts = UnsafeMutableBufferPointer<Int64>.allocate(capacity: plain ? n : 0)
      plainCounts.initialize(repeating: 0)
      defer { plainCounts.deallocate() }
      var gate = _PartGate(cut: cut, checkQuotes: checkQuotes)
      var block = _MaskBlock()
      var plainRun = _PlainRun(counts: plainCounts.baseAddress, firstsBase: firstsBase, keepBallots: keepBallots)
      rowLoop: while true {
        let step: _PartGate.Step
        if plain, let scanner = judge.plainRows {
          // The plain rows from here on, up to one the general path must judge (then `.row`).
          step = plainRun.take(reader, scanner, voters, &gate, &block, &firsts, &tally, &builders)
          report.read += plainRun.taken
          report.valid += plainRun.taken
          plainRun.taken = 0
        } else {
          step = gate.step(reader)
        }
        switch step {
        case .row: break
        case .end: break rowLoop
        case .quote: return nil
        }
        guard let rec = try reader.next() else { break }
        if _isBlank(rec) { continue }
        report.read += 1
        var verdict: _BallotJudge.Verdict
        switch judge.front(rec) {
        case .void(let p, let col, let detail): verdict = .void(p, col, detail)
        case .voter(let voter):
          switch check {
          case .memory, .auto:
            if let key = voters.insertKeyed(voter) {
              if let firstsBase { firsts.append(_FirstRow(record: rec, in: firstsBase, line: reader.recordLine, key: key)) }
              verdict = judge.back(rec)
            } else {
              verdict = duplicate(judge, rec, voter)
            }
          case .external:
            let fp = _VoterFingerprint(voter)
            verdict = duplicates!.contains(fp) && !repeatedSeen.insert(fp).inserted ? duplicate(judge, rec, voter) : judge.back(rec)
          case .off:
            verdict = judge.back(rec)
          }
        }
        switch verdict {
        case .valid(let units, let group):
          tally.add(judge.picks, weightUnits: units, group: group)
          if keepBallots { builders[group].add(judge.picks, points: UnsafeBufferPointer(start: nil, count: 0), weight: units) }
          report.valid += 1
        case .void(let p, let col, let detail):
          let l = InputLocation(source: src, line: reader.recordLine, column: col)
          if reject { throw InputError(.invalidBallot(p, detail), at: l) }
          report.record(p, at: l, detail: detail, voided: true)
        }
      }
      if plainRun.ballots > 0 {
        tally.add(
          ballots: plainRun.ballots, picks: Int64(plainRun.picks), projectBallots: UnsafeBufferPointer(plainCounts),
          weightUnits: ChannelTally.one, group: 0)
      }
      return _ChannelPart(report: report, tally: tally, builders: builders, voters: voters, lines: reader.nextLine - 1, firsts: firsts)
    }

    /// Part `b` read on its own took the first copy in it of each voter id in `both` (ids part `a` also
    /// holds) as a new voter; read after `a`, that copy is a duplicate. Revises `b` for those rows: takes
    /// back what `b` did with each (its tallies, or its void under another reason) and voids it as a
    /// duplicate. False, with `b` untouched, when that would not be exact (kept ballots, a full example
    /// list, an overflow): the caller then reads `b` again after `a`.
    func revise(_ b: inout _ChannelPart, rows bytes: UnsafeBufferPointer<UInt8>, both: _VoterSet, shape: [UInt8]?) throws(InputError) -> Bool {
      guard !keepBallots, !b.tally.overflow, b.report.examples.count + both.size <= b.report.exampleLimit else { return false }
      var revised = b
      let judge = _BallotJudge(rules)
      let found = voterSet(bytes: 0, shape: shape)
      // Takes back row `rec` (line `line` of the part), the first in `b` of a voter also in `a`.
      func takeBack(_ rec: UnsafeBufferPointer<UInt8>, line: Int, voter: UnsafeBufferPointer<UInt8>) {
        switch judge.back(rec) {
        case .valid(let units, let group):
          revised.tally.remove(judge.picks, weightUnits: units, group: group)
          revised.report.valid -= 1
        case .void(let p, _, _):
          revised.report.withdraw(p, line: line)
        }
        guard case .void(let p, let col, let detail) = duplicate(judge, rec, voter) else { return }
        revised.report.insert(p, at: InputLocation(source: src, line: line, column: col), detail: detail)
      }
      if !b.firsts.isEmpty || b.voters.size == 0, b.voters.keysMatch(both) {
        // The part noted each voter's first row with its key's low 32 bits: only rows whose key passes
        // a bit filter of the common voters' keys (at least 64 bits a key, at most 2^32 bits) are
        // looked at, and checked exactly.
        let keys = both.keys()
        var bits = 4096
        while bits < keys.count * 64 && bits < 1 << 32 { bits *= 2 }
        var filter = [UInt64](repeating: 0, count: bits / 64)
        for k in keys { filter[(Int(truncatingIfNeeded: k) & (bits - 1)) >> 6] |= 1 << (k & 63) }
        // (The rows passing the filter are found in one tight pass over the noted rows, ~44,000 of
        // them on the bundled election: through `b`'s array and the filter's, it took ~0.1 ms.)
        let passing: [Int] = b.firsts.withUnsafeBufferPointer { rows in
          filter.withUnsafeBufferPointer { words in
            var out: [Int] = []
            let mask = bits - 1
            for i in rows.indices {
              let key = rows[i].key
              if words[(Int(truncatingIfNeeded: key) & mask) >> 6] & (1 << (key & 63)) != 0 { out.append(i) }
            }
            return out
          }
        }
        for i in passing {
          let row = b.firsts[i]
          let record = row.record(in: bytes)
          guard let field = _field(header.voter, of: record), both.contains(field.trimmed()),
            case .voter(let voter) = judge.front(record)
          else { continue }
          takeBack(record, line: Int(row.line), voter: voter)
        }
        b = revised
        return true
      }
      var pending = both.size
      // The bytes hold no quote, so rows are lines; only a row whose voter field is in `both` is
      // judged (its field found by counting separators, as the field splitter would).
      guard let base = bytes.baseAddress else { return true }
      let n = bytes.count
      var start = 0
      var line = 0
      while pending > 0 && start < n {
        let end = memchr(base + start, 0x0A, n - start).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? n
        line += 1
        let rec = UnsafeBufferPointer(start: base + start, count: (end > start && base[end - 1] == 0x0D ? end - 1 : end) - start)
        start = end + 1
        guard let field = _field(header.voter, of: rec), both.contains(field.trimmed()) else { continue }
        guard case .voter(let voter) = judge.front(rec), found.insert(voter) else { continue }
        pending -= 1
        takeBack(rec, line: line, voter: voter)
      }
      b = revised
      return true
    }

    var part: _ChannelPart
    if check == .memory, let t = partsThreshold, reader.sizeHint >= t {
      // Large files: the rows in two parts on two threads, cut where they meet, merged to exactly the
      // one-pass result (as `PabulibReader` does). The file's hash is taken on the second thread
      // before it begins its part (unless it was taken ahead: `rest` is then empty). A voter id in
      // both parts: the second is revised (or read again after the first); any error or quote in a
      // part: one pass from memory.
      let (all, firstLine, rest) = try reader.remainder(hashing: false)
      part = try withExtendedLifetime(reader) { () throws(InputError) -> _ChannelPart in
        func onePass() throws(InputError) -> _ChannelPart {
          try rows(_RecordReader(continuing: all, source: src, firstLine: firstLine), voters: voterSet(bytes: all.count))!
        }
        guard all.count >= 2 else {
          reader.hasher.update(bufferPointer: rest)
          return try onePass()
        }
        let shape = _firstField(all, column: header.voter, trim: true)
        // (Each voter table is sized for half the rows. The second part also notes each row, 12 bytes
        // of fresh memory: traced on the bundled election, it takes ~1.2 times as long per byte as the
        // first. In 30 traced runs each, the second part ended 0.04 ms before the first with 1.2,
        // 0.27 ms before it with 1.27 and 0.24 ms after it with 1.13; with 16 bytes a row, 1.27 had
        // balanced the parts.)
        let (first, second, hasher, cut) = _readInTwoParts(
          all, hashing: rest, after: reader.hasher, secondThreadCost: keepBallots ? _MovingCut.secondThreadCost : 1.2,
          fixedCut: partsCut,
          first: { cut in
            (try? rows(
              _RecordReader(continuing: all, source: src, firstLine: 1, quoteFree: true), voters: voterSet(bytes: all.count / 2, shape: shape),
              cut: cut, checkQuotes: true)) ?? nil
          },
          second: { at in
            let part = UnsafeBufferPointer(rebasing: all[at...])
            // (The second part notes its voters' first rows, 16 bytes each, when it is at most 64 MiB.)
            return (try? rows(
              _RecordReader(continuing: part, source: src, firstLine: 1, quoteFree: true), voters: voterSet(bytes: all.count / 2, shape: shape),
              recordFirsts: !keepBallots && part.count <= 1 << 26 ? part : nil, checkQuotes: true)) ?? nil
          })
        reader.hasher = hasher
        let secondPart = UnsafeBufferPointer(rebasing: all[cut...])
        guard let a = first, var b = second else { return try onePass() }
        if a.voters.intersects(b.voters) {
          if reject { return try onePass() }
          // The common voters can be listed only when both sets number ids alike: not so when the first
          // part's first row gave no voter id to fix the shape, and each part took its own.
          var revised = false
          if a.voters.keysMatch(b.voters) {
            revised = try revise(&b, rows: secondPart, both: a.voters.common(with: b.voters), shape: shape)
          }
          if !revised {
            // Read the second half again, after the first: its voters are seen as they are in one pass.
            b = try rows(_RecordReader(continuing: secondPart, source: src, firstLine: 1, quoteFree: true), voters: a.voters)!
          }
        }
        var merged = a
        merged.report = BallotReport()
        merged.report.append(a.report, lineOffset: firstLine - 1)
        merged.report.append(b.report, lineOffset: firstLine - 1 + a.lines)
        merged.tally.append(b.tally)
        for g in merged.builders.indices { merged.builders[g].append(b.builders[g]) }
        // (The second part's noted rows, a megabyte per 65,000 rows, are freed by the other thread.)
        _destroyOnPrestartedThread((consume second, consume b))
        return merged
      }
    } else if check == .memory, let t = partsThreshold, reader.sizeHint > 0, reader.sizeHint < t {
      // A smaller file of known size (`partsThreshold` nil: every row judged in full, as tests
      // compare), in memory: its rows read in place by the fast path when it holds no quote (checked
      // a chunk ahead); any quote or error: one general pass over the same bytes, which reports it as
      // reading from the file would.
      let (all, firstLine, _) = try reader.remainder()
      part = try withExtendedLifetime(reader) { () throws(InputError) -> _ChannelPart in
        if let fast = (try? rows(
          _RecordReader(continuing: all, source: src, firstLine: firstLine, quoteFree: true), voters: voterSet(bytes: all.count),
          checkQuotes: true)) ?? nil
        {
          return fast
        }
        return try rows(_RecordReader(continuing: all, source: src, firstLine: firstLine), voters: voterSet(bytes: all.count))!
      }
    } else {
      part = try rows(reader, voters: voterSet(bytes: reader.sizeHint))!
    }
    if part.tally.overflow {
      throw InputError(.numberOutOfRange(field: "weight", text: "the sum of the weights"), at: InputLocation(source: src, line: 0))
    }
    hasher = reader.hasher
    return ChannelBallots(
      tally: part.tally, report: part.report, voterCheck: check, profiles: keepBallots ? part.builders.map { $0.build() } : nil,
      path: src)
  }
}

/// Field `k` of a quote-free `;`-separated record (nil when it has fewer fields).
@inline(__always)
func _field(_ k: Int, of rec: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
  var lo = 0
  var column = 0
  var i = 0
  let n = rec.count
  while i < n {
    if rec[i] == 0x3B {
      if column == k { return UnsafeBufferPointer(rebasing: rec[lo..<i]) }
      column += 1
      lo = i + 1
    }
    i += 1
  }
  return column == k ? UnsafeBufferPointer(rebasing: rec[lo..<n]) : nil
}

/// Whether a record holds only spaces and tabs (skipped, not a ballot).
@inline(__always)
func _isBlank(_ rec: UnsafeBufferPointer<UInt8>) -> Bool {
  rec.allSatisfy { $0 == 0x20 || $0 == 0x09 }
}

/// What a channel's ballots must satisfy, derived once from the channel, its projects and the header.
struct _BallotRules: @unchecked Sendable {
  let header: _BallotHeader
  let projectCount: Int
  let ids: _IDTable
  /// Group names as bytes, in the channel's order (empty when the channel weights no groups).
  let groupBytes: [[UInt8]]
  let groupNames: [String]
  /// Category limits as slots: one per named limit, then one per category under "*".
  let slotLimit: [(min: Int, max: Int?, name: String)]
  /// Per project, the slots it counts toward.
  let projectSlots: [[Int]]
  let minPicks: Int
  let maxPicks: Int?
  /// Fields a row needs at least.
  let needed: Int

  init(channel: Channel, instance inst: Instance, header: _BallotHeader) {
    self.header = header
    projectCount = inst.projectCount
    ids = _IDTable(ids: inst.projects.map(\.id))
    groupBytes = channel.groupWeights.map { Array($0.group.utf8) }
    groupNames = channel.groupWeights.map(\.group)
    let limits = channel.picks.categoryLimits
    let named = Set(limits.map(\.category).filter { $0 != "*" })
    let star = limits.firstIndex { $0.category == "*" }
    var slots: [(min: Int, max: Int?, name: String)] = limits.filter { $0.category != "*" }.map { ($0.min, $0.max, $0.category) }
    if let star {
      for c in Array(Set(inst.projects.flatMap(\.categories)).subtracting(named)).sorted() {
        slots.append((limits[star].min, limits[star].max, c))
      }
    }
    slotLimit = slots
    let slotIndex = Dictionary(uniqueKeysWithValues: slots.enumerated().map { ($1.name, $0) })
    projectSlots = inst.projects.map { p in p.categories.compactMap { slotIndex[$0] } }
    minPicks = channel.picks.minPicks
    maxPicks = channel.picks.maxPicks
    needed = max(header.voter, header.vote, header.weight ?? 0, header.group ?? 0) + 1
  }
}

/// Judges ballot rows against a channel's rules, in the order of the void reasons, split at the voter
/// check (``front(_:)`` up to it, ``back(_:)`` after it), which depends on the rows before. Holds one
/// reader's scratch space (fields, picks, per-project marks, category counts), so that judging a row
/// allocates nothing.
final class _BallotJudge {
  enum Front {
    /// The row is well formed; its voter id's bytes.
    case voter(UnsafeBufferPointer<UInt8>)
    case void(BallotProblem, Int?, String)
  }

  enum Verdict {
    /// Valid: its weight in units and group index; the picks are in ``picks``.
    case valid(units: Int64, group: Int)
    case void(BallotProblem, Int?, String)
  }

  let rules: _BallotRules
  let fields = _FieldSplitter()
  private let items: UnsafeMutablePointer<Int32>
  private var itemCount = 0
  private let seen: UnsafeMutablePointer<Bool>
  private var slotCounts: [Int]
  /// The fast path, when the channel sets no category limits: a row its ``_PlainRows/scanLine(_:)``
  /// accepts is not blank, and ``front(_:)`` and ``back(_:)`` find the same voter id and the same
  /// picks, in the same order, and judge it valid with the same weight and group, but for the voter
  /// check. Every other row is read with ``_RecordReader/next()`` and judged by them.
  let plainRows: _PlainRows?

  init(_ rules: _BallotRules) {
    self.rules = rules
    let n = max(rules.projectCount, 1)
    items = .allocate(capacity: n)
    seen = .allocate(capacity: n)
    seen.initialize(repeating: false, count: n)
    slotCounts = Array(repeating: 0, count: rules.slotLimit.count)
    let h = rules.header
    plainRows =
      rules.slotLimit.isEmpty
      ? _PlainRows(
        ids: rules.ids, projectCount: rules.projectCount, voterColumn: h.voter, voteColumn: h.vote, fieldCount: h.count,
        minPicks: rules.minPicks, maxPicks: rules.maxPicks, checksVoter: true, weightColumn: h.weight ?? -1,
        groupColumn: h.group ?? -1, groupNames: rules.groupBytes)
      : nil
  }

  deinit {
    items.deallocate()
    seen.deallocate()
  }

  /// The distinct projects of the last row judged valid, in ballot order.
  var picks: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: items, count: itemCount) }

  /// Splits the row and checks its shape (`malformed-row`).
  @inline(__always)
  func front(_ rec: UnsafeBufferPointer<UInt8>) -> Front {
    let h = rules.header
    fields.split(rec, needing: rules.needed)
    let fc = fields.count
    if fc < rules.needed || fc > h.count + 1 || (fc == h.count + 1 && !fields.lastIsEmpty) {
      return .void(.malformedRow, 1, "expected \(h.count) fields, found \(fc)")
    }
    let voter = fields.bytes(h.voter, in: rec).trimmed()
    if voter.isEmpty { return .void(.malformedRow, fields.column(h.voter, in: rec), "empty voter id") }
    return .voter(voter)
  }

  /// The checks after the voter check, on the row last given to ``front(_:)``.
  func back(_ rec: UnsafeBufferPointer<UInt8>) -> Verdict {
    let h = rules.header
    // Weight.
    var units = ChannelTally.one
    if let cw = h.weight {
      let t = fields.bytes(cw, in: rec).trimmed()
      if !t.isEmpty {
        guard let d = ExactDecimal.parse(t), d.units > 0, d.normalized.scale <= 6, let u = d.normalized.rescaled(to: 6),
          u <= 1_000_000 * ChannelTally.one
        else {
          return .void(
            .badWeight, fields.column(cw, in: rec),
            "weight '\(InputError.clip(fields.string(cw, in: rec)))' is not a positive number with at most 6 decimals and at most 1000000")
        }
        units = u
      }
    }
    // Group.
    var group = 0
    if !rules.groupBytes.isEmpty, let cg = h.group {
      let g = fields.bytes(cg, in: rec).trimmed()
      guard let k = rules.groupBytes.firstIndex(where: { $0.count == g.count && $0.elementsEqual(g) }) else {
        return .void(
          .unknownGroup, fields.column(cg, in: rec),
          g.isEmpty
            ? "no group given (the channel weights groups \(_joined(rules.groupNames, by: ", ")))"
            : "group '\(InputError.clip(String(decoding: g, as: UTF8.self)))' is not one of \(_joined(rules.groupNames, by: ", "))")
      }
      group = k
    }
    // Picks.
    itemCount = 0
    let vote = fields.bytes(h.vote, in: rec)
    let voteStart = fields.range(h.vote).lowerBound
    var bad: (BallotProblem, Int, String)? = nil
    var tokens = _Tokens(vote)
    while let (lo, hi) = tokens.next() {
      let tok = UnsafeBufferPointer(rebasing: vote[lo..<hi])
      if let p = rules.ids.lookup(tok) {
        if seen[Int(p)] {
          if bad == nil {
            bad = (
              .repeatedProject, _column(byteOffset: voteStart + lo, in: rec),
              "project '\(InputError.clip(String(decoding: tok, as: UTF8.self)))' is named twice"
            )
          }
        } else {
          seen[Int(p)] = true
          items[itemCount] = p
          itemCount += 1
        }
      } else if bad == nil || bad!.0 == .repeatedProject {
        bad = (
          .unknownProject, _column(byteOffset: voteStart + lo, in: rec),
          tok.isEmpty
            ? "empty project id in the vote list"
            : "unknown project '\(InputError.clip(String(decoding: tok, as: UTF8.self)))'"
        )
      }
    }
    for k in 0..<itemCount { seen[Int(items[k])] = false }
    if let bad { return .void(bad.0, bad.1, bad.2) }
    let picked = itemCount
    let noun = picked == 1 ? "project" : "projects"
    if picked < rules.minPicks {
      return .void(.tooFewPicks, fields.column(h.vote, in: rec), "\(picked) \(noun) picked, at least \(rules.minPicks) required")
    }
    if let maxPicks = rules.maxPicks, picked > maxPicks {
      return .void(.tooManyPicks, fields.column(h.vote, in: rec), "\(picked) \(noun) picked, at most \(maxPicks) allowed")
    }
    if !rules.slotLimit.isEmpty {
      for k in 0..<itemCount { for s in rules.projectSlots[Int(items[k])] { slotCounts[s] += 1 } }
      var broken: String? = nil
      for (s, l) in rules.slotLimit.enumerated() where broken == nil {
        let c = slotCounts[s]
        if c < l.min || (l.max.map { c > $0 } ?? false) {
          let want =
            l.max == l.min ? "exactly \(l.min)" : l.max == nil ? "at least \(l.min)" : l.min == 0 ? "at most \(l.max!)" : "\(l.min) to \(l.max!)"
          broken = "\(c) picks in category '\(l.name)', \(want) allowed"
        }
      }
      for s in slotCounts.indices { slotCounts[s] = 0 }
      if let broken { return .void(.categoryLimit, fields.column(h.vote, in: rec), broken) }
    }
    return .valid(units: units, group: group)
  }
}

/// The rows of a ballot file (or of a part of one) read.
struct _ChannelPart {
  var report: BallotReport
  var tally: ChannelTally
  var builders: [ProfileBuilder]
  var voters: _VoterSet
  /// Lines the part spans.
  var lines: Int
  /// When noted: each voter's first row in the part, in order.
  var firsts: [_FirstRow] = []
}

/// A voter's first row in a part of a ballot file (of at most 4 GiB): where the record starts in the
/// part's bytes, its line within the part and the low 32 bits of the voter's key
/// (``_VoterSet/insertKeyed(_:)``), all a filter of keys needs. 12 bytes: the rows are noted in fresh
/// memory, whose pages cost ~2 us each here (16 bytes a row took ~200 pages on the bundled election).
struct _FirstRow {
  var offset: UInt32
  var line: UInt32
  var key: UInt32

  init(record: UnsafeBufferPointer<UInt8>, in base: UnsafePointer<UInt8>, line: Int, key: UInt64) {
    offset = UInt32(truncatingIfNeeded: record.baseAddress.map { $0 - base } ?? 0)
    self.line = UInt32(truncatingIfNeeded: line)
    self.key = UInt32(truncatingIfNeeded: key)
  }

  /// The record again, from the part's (quote-free) bytes: to its line's end, without a `\r` there.
  func record(in bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    let rest = UnsafeBufferPointer(rebasing: bytes[Int(offset)...])
    var n = rest.firstIndex(of: 0x0A) ?? rest.count
    if n > 0 && rest[n - 1] == 0x0D { n -= 1 }
    return UnsafeBufferPointer(rebasing: rest[..<n])
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
      let names = (0..<fields.count).map { fields.trimmedString($0, in: rec).lowercased() }
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

/// The fast path's loop over a ballot file's ordinary rows (``_PlainRows/scanLine(_:block:)``),
/// apart from the reader's general loop so that the voter set's insertion is compiled into it (in
/// the general loop's body it was a call, and the loop's state was reloaded for every row). It
/// takes the rows at the reader's offset one after another: each plain valid row of a new voter is
/// counted, those of weight one in group 0 in per-project counts (added to the tally once at the
/// end), the others added to the tally one by one, and its voter's first row noted (when the part
/// notes them).
struct _PlainRun {
  /// Per project, the plain rows of weight one in group 0 naming it.
  let counts: UnsafeMutablePointer<Int64>?
  let firstsBase: UnsafePointer<UInt8>?
  let keepBallots: Bool
  /// Those rows and their picks, and the rows taken since the caller last reset `taken`.
  var ballots: Int64 = 0
  var picks = 0
  var taken: Int64 = 0

  init(counts: UnsafeMutablePointer<Int64>?, firstsBase: UnsafePointer<UInt8>?, keepBallots: Bool) {
    self.counts = counts
    self.firstsBase = firstsBase
    self.keepBallots = keepBallots
  }

  /// Takes rows until the gate ends the part or finds a quote ahead (its step), or the row at the
  /// reader's offset is one the general path must judge (`.row`: not plain, or its voter seen).
  @inline(never)
  mutating func take(
    _ reader: _RecordReader, _ scanner: _PlainRows, _ voters: _VoterSet, _ gate: inout _PartGate,
    _ block: inout _MaskBlock, _ firsts: inout [_FirstRow], _ tally: inout ChannelTally, _ builders: inout [ProfileBuilder]
  ) -> _PartGate.Step {
    while true {
      let step = gate.step(reader)
      guard step == .row else { return step }
      guard let row = scanner.scanLine(reader.unread, block: &block),
        let key = voters.insertKeyed(row.voter)
      else { return .row }
      let rec = reader.take(record: row.length, consumed: row.consumed)
      taken &+= 1
      if let firstsBase { firsts.append(_FirstRow(record: rec, in: firstsBase, line: reader.recordLine, key: key)) }
      let picks = row.picks
      if row.weightUnits == ChannelTally.one && row.group == 0, let counts {
        for p in picks { counts[Int(p)] &+= 1 }
        ballots &+= 1
        self.picks &+= picks.count
      } else {
        tally.add(picks, weightUnits: row.weightUnits, group: row.group)
      }
      if keepBallots { builders[row.group].add(picks, points: UnsafeBufferPointer(start: nil, count: 0), weight: row.weightUnits) }
    }
  }
}
