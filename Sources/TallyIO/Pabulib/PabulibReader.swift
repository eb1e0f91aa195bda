#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import TallyCore

/// A part of a VOTES section read on its own.
struct _VotesPart<S: _PartSink> {
  var report: BallotReport
  var sink: S
  var voters: _VoterSet
  /// Lines the part spans.
  var lines: Int
}

/// A Pabulib file read into memory: the instance, the compact profile and what was wrong with ballots.
public struct PabulibFile: Sendable {
  /// Projects, budget and META.
  public var instance: Instance
  /// The valid ballots, identical ones merged.
  public var profile: Profile
  /// Ballots read, valid, void by reason, with places.
  public var report: BallotReport
  /// Hex SHA-256 of the file's bytes.
  public var sha256: String
  /// The path as given.
  public var source: String
}

/// The per-project tallies of a Pabulib file, computed while streaming (memory independent of ballots).
public struct PabulibTally: Sendable {
  /// Projects, budget and META.
  public var instance: Instance
  /// Each project's score under the contract (in units of `10^-weightScale`).
  public var scoreUnits: [Int64]
  /// Decimal digits of the weights in `scoreUnits`.
  public var weightScale: Int
  /// Ballots read, valid, void by reason.
  public var report: BallotReport
  /// Hex SHA-256 of the file's bytes.
  public var sha256: String
  /// The path as given.
  public var source: String
}

/// A Pabulib file read for a rule that uses only the projects' scores (``RuleDescriptor/readsBallots``
/// false: the greedy family, `max-welfare`): the ballots are checked, counted and voided exactly as
/// ``PabulibReader/read(path:)`` does, but only their sums per project are kept, not the profile.
public struct PabulibScores: Sendable {
  /// Projects, budget and META.
  public var instance: Instance
  /// Each project's score under the contract: what `Profile.scores(maxLength: instance.maxLength)`
  /// gives for the profile ``PabulibReader/read(path:)`` reads. Nil when a score overflows 64 bits
  /// (in the units that profile would use).
  public var scores: [Rational]?
  /// Ballots read, valid, void by reason, with places.
  public var report: BallotReport
  /// Hex SHA-256 of the file's bytes.
  public var sha256: String
  /// The path as given.
  public var source: String
}

/// Options for reading ballots.
public struct ReadOptions: Sendable, Hashable {
  /// What to do with an invalid ballot.
  public var invalidBallots: InvalidBallotPolicy
  /// Whether META length and points limits (`min_length`, `max_length`, `min_sum_points`,
  /// `max_sum_points`, `min_points`, `max_points`) void ballots that break them.
  public var enforceMetaLimits: Bool
  /// Whether a repeated voter id voids the later copies (costs 16 bytes a voter).
  public var checkDuplicateVoters: Bool
  /// Whether a large file (one read in two parts, 1 MiB or more) is mapped into memory rather than
  /// copied in, which saves the copy and its page faults (about 0.5 ms a MiB here). The outcome is
  /// the same. Off by default: if another process truncates a mapped file while it is read, the
  /// process gets `SIGBUS`, so only a program that handles that signal should turn it on (the `tally`
  /// command does, and reports the truncation as an input error).
  public var mapFiles: Bool

  /// Creates options; the defaults void bad ballots, enforce META limits and check voter ids.
  public init(
    invalidBallots: InvalidBallotPolicy = .void, enforceMetaLimits: Bool = true, checkDuplicateVoters: Bool = true,
    mapFiles: Bool = false
  ) {
    self.invalidBallots = invalidBallots
    self.enforceMetaLimits = enforceMetaLimits
    self.checkDuplicateVoters = checkDuplicateVoters
    self.mapFiles = mapFiles
  }
}

/// Reads the Pabulib `.pb` format (<https://pabulib.org/format>): sections `META`, `PROJECTS` and
/// `VOTES`, each a `;`-separated table with a header row.
///
/// Accepts what real files contain: CRLF line ends, a UTF-8 BOM, quoted fields with doubled quotes,
/// amounts written as decimals (`400000.0`, `12,5`), extra columns in any section, ids that are not
/// numbers, and approval ballots that name a project twice (reported as `repeated-project`; each entry
/// still counts toward the score, as the cities' own counts did). Every structural problem is an
/// ``InputError`` with file, line and column; every ballot-level problem is counted by reason in the
/// ``BallotReport`` and, under ``InvalidBallotPolicy/reject``, stops the read.
///
/// - Complexity: one pass, O(bytes). Memory: the instance, the distinct ballots, and a 1 MiB buffer.
public struct PabulibReader: Sendable {
  /// Reading options.
  public var options: ReadOptions

  /// Inputs at least this many bytes large read their VOTES section in two parts at once; nil never
  /// (tests and fuzzers set it to compare both ways).
  @_spi(Testing) public var partsThreshold: Int? = _defaultPartsThreshold
  /// Where the first of the two parts ends, as a fraction of the section's bytes (then the next line
  /// start); nil where the two threads meet (``_readInTwoParts``). Tests fix it, since the threads'
  /// timing would decide it, and a small input would be read by the first thread alone.
  @_spi(Testing) public var partsCut: Double? = nil

  /// Creates a reader.
  public init(options: ReadOptions = ReadOptions()) { self.options = options }

  /// Reads a file into an instance and a compact profile.
  public func read(path: String) throws(InputError) -> PabulibFile {
    // A mapped file is hashed on the thread started ahead, if any, while its sections are parsed;
    // that thread also unmaps it afterwards.
    let opened = try open(path: path)
    let file = try read(opened)
    _destroyOnPrestartedThread(consume opened)
    return file
  }

  /// A file opened ahead of reading it (``open(path:)``).
  public final class Opened {
    fileprivate let reader: _RecordReader
    fileprivate init(_ reader: _RecordReader) { self.reader = reader }
  }

  /// Opens a file to be read by ``read(_:)``, as ``read(path:)`` does, and when it is mapped and a
  /// thread started ahead takes jobs, hands its hashing to that thread now: a caller then checks its
  /// other arguments while the hash runs. The file stays open (mapped) until the last reference to
  /// the result goes (``_destroyOnPrestartedThread(_:)`` lets that thread unmap it).
  public func open(path: String) throws(InputError) -> Opened {
    let reader = try _RecordReader(path: path, mapAtLeast: options.mapFiles ? partsThreshold : nil)
    reader.hashMappedAhead()
    return Opened(reader)
  }

  /// Reads a file opened by ``open(path:)`` (once), with this reader's options.
  public func read(_ opened: Opened) throws(InputError) -> PabulibFile {
    try read(opened.reader)
  }

  /// Reads a file opened by ``open(path:)`` (once) for its projects' scores only (``PabulibScores``):
  /// the same checks, report and digest as ``read(_:)``, without merging the ballots into a profile.
  /// (Ordinal ballots, whose score depends on the longest ballot, are still read into a profile.)
  public func readScores(_ opened: Opened) throws(InputError) -> PabulibScores {
    try readScores(opened.reader)
  }

  /// ``readScores(_:)`` of a file (``open(path:)``, then read).
  public func readScores(path: String) throws(InputError) -> PabulibScores {
    let opened = try open(path: path)
    let scores = try readScores(opened)
    _destroyOnPrestartedThread(consume opened)
    return scores
  }

  /// ``readScores(_:)`` of bytes held in memory; `source` names them in errors.
  public func readScores(bytes: [UInt8], source: String = "<input>") throws(InputError) -> PabulibScores {
    try readScores(_RecordReader(bytes: bytes, source: source))
  }

  private func readScores(_ reader: _RecordReader) throws(InputError) -> PabulibScores {
    var p = _PabulibParser(reader: reader, options: options)
    let header = try p.readHeader()
    let inst = header.instance
    let scores: [Rational]?
    let report: BallotReport
    if inst.ballotKind == .ordinal {
      let (sink, r) = try readVotes(p, header: header, into: ProfileBuilder.self)
      (scores, report) = (sink.build().scores(maxLength: inst.maxLength), r)
    } else {
      let (sink, r) = try readVotes(p, header: header, into: _ScoreSink.self)
      (scores, report) = (sink.scores(), r)
    }
    return PabulibScores(instance: inst, scores: scores, report: report, sha256: reader.digest(), source: reader.source)
  }

  /// Reads bytes held in memory; `source` names them in errors.
  public func read(bytes: [UInt8], source: String = "<input>") throws(InputError) -> PabulibFile {
    try read(_RecordReader(bytes: bytes, source: source))
  }

  /// Reads a string held in memory.
  public func read(string: String, source: String = "<input>") throws(InputError) -> PabulibFile {
    try read(bytes: Array(string.utf8), source: source)
  }

  /// Streams a file and returns only the per-project tallies; memory does not grow with the ballots
  /// (duplicate voter ids are then not checked, and the provenance says so).
  public func tally(path: String) throws(InputError) -> PabulibTally {
    var opts = options
    opts.checkDuplicateVoters = false
    var p = _PabulibParser(reader: try _RecordReader(path: path), options: opts)
    let header = try p.readHeader()
    var sink = _TallySink(
      kind: header.instance.ballotKind, projectCount: header.instance.projectCount,
      one: header.weightScale == 0 ? 1 : 1_000_000)
    try p.readVotes(header: header, into: &sink)
    guard let scores = sink.scores(maxLength: header.instance.maxLength) else {
      throw InputError(
        .numberOutOfRange(field: "vote", text: "score total"), at: InputLocation(source: p.reader.source, line: 0))
    }
    return PabulibTally(
      instance: header.instance, scoreUnits: scores, weightScale: header.weightScale, report: p.report,
      sha256: p.reader.digest(), source: p.reader.source)
  }

  private func read(_ reader: _RecordReader) throws(InputError) -> PabulibFile {
    var p = _PabulibParser(reader: reader, options: options)
    let header = try p.readHeader()
    let (sink, report) = try readVotes(p, header: header, into: ProfileBuilder.self)
    // (Built before the digest is awaited, which the hash running ahead may still hold up.)
    let profile = sink.build()
    return PabulibFile(instance: header.instance, profile: profile, report: report, sha256: reader.digest(), source: reader.source)
  }

  /// Reads the VOTES section that follows the header `p` has read into a new `S`: in two parts at
  /// once when the input is large enough (``readVotesInParts(_:header:into:)``), else in one pass.
  private func readVotes<S: _PartSink>(
    _ p: _PabulibParser, header: _PabulibHeader, into: S.Type
  ) throws(InputError) -> (sink: S, report: BallotReport) {
    if let t = partsThreshold, p.reader.sizeHint >= t { return try readVotesInParts(p, header: header, into: S.self) }
    var p = p
    var sink = S(header: header)
    try p.readVotes(header: header, into: &sink)
    return (sink, p.report)
  }

  /// Reads the VOTES section in two halves on two threads and merges them, when that gives exactly
  /// what one pass would: the section holds no quote (so records are lines and can be cut at a line
  /// break), neither half stops on an error, and no voter id appears in both halves (the copy in the
  /// second half would have been void). Otherwise the section is read in one pass from memory, which
  /// reports the same thing a single pass over the file does.
  private func readVotesInParts<S: _PartSink>(
    _ p: _PabulibParser, header: _PabulibHeader, into: S.Type
  ) throws(InputError) -> (sink: S, report: BallotReport) {
    let reader = p.reader
    // The rest of the file's hash is taken on the second thread, before it begins its part (unless
    // the file is hashed ahead: then there is none).
    let (all, firstLine, rest) = try reader.remainder(hashing: false)
    let ahead = reader.isHashedAhead
    let options = options
    return try withExtendedLifetime(reader) { () throws(InputError) -> (sink: S, report: BallotReport) in
      // One pass over the whole remainder (from memory), with the header's report carried on.
      func onePass(hashing: Bool = true) throws(InputError) -> (sink: S, report: BallotReport) {
        if hashing { reader.hasher.update(bufferPointer: rest) }
        var q = _PabulibParser(reader: _RecordReader(continuing: all, source: reader.source, firstLine: firstLine), options: options)
        q.report = p.report
        var sink = S(header: header)
        try q.readVotes(header: header, into: &sink)
        return (sink, q.report)
      }
      guard all.count >= 2 else { return try onePass() }
      // Both voter sets take their numbered-id shape from the first ballot's voter id.
      let cVoter = header.votesHeader.firstIndex(of: "voter_id")!
      let shape = _firstField(all, column: cVoter, trim: false)
      let source = reader.source
      let (first, second, hasher, _) = _readInTwoParts(
        all, hashing: rest, after: ahead ? SHA256() : reader.hasher, fixedCut: partsCut,
        first: { cut in
          // (The first part's ballots are extended by the second's: room for both.)
          Self.readPart(
            all, into: S.self, sizedFor: all.count / 2, reserving: all.count, source: source, header: header, options: options, shape: shape,
            cut: cut)
        },
        second: { at in
          Self.readPart(
            UnsafeBufferPointer(rebasing: all[at...]), into: S.self, sizedFor: all.count / 2, reserving: all.count - at, source: source,
            header: header, options: options, shape: shape)
        })
      if !ahead { reader.hasher = hasher }
      guard let a = first, let b = second,
        !(options.checkDuplicateVoters && a.voters.intersects(b.voters))
      else { return try onePass(hashing: false) }
      var report = p.report
      report.append(a.report, lineOffset: firstLine - 1)
      report.append(b.report, lineOffset: firstLine - 1 + a.lines)
      // The first part's ballots are extended in place: its other copies are dropped first, so that
      // appending does not copy them (traced on Katowice: ~0.3 ms).
      var sink = a.sink
      let firstVoters = a.voters
      _ = consume first
      _ = consume a
      sink.append(b.sink)
      // (The parts' voter tables and the second part's ballots are freed by the other thread.)
      _destroyOnPrestartedThread((consume second, consume b, firstVoters))
      return (sink, report)
    }
  }

  /// One part of a VOTES section read on its own, to its end or to where `cut` closes it, its voter
  /// table sized for `size` bytes and its sink's room for the rows of `reserving` bytes (nil on any
  /// error or quote: the caller then reads in one pass, which reports the first error in file order).
  private static func readPart<S: _PartSink>(
    _ part: UnsafeBufferPointer<UInt8>, into: S.Type, sizedFor size: Int, reserving: Int, source: String, header: _PabulibHeader,
    options: ReadOptions, shape: [UInt8]?, cut: _MovingCut? = nil
  ) -> _VotesPart<S>? {
    let r = _RecordReader(continuing: part, source: source, firstLine: 1, quoteFree: true)
    var q = _PabulibParser(reader: r, options: options)
    var sink = S(header: header)
    sink.reserve(forBytes: reserving)
    let capacity = min(max(size / 24, 1 << 10), 1 << 21)
    let voters = shape.map { s in s.withUnsafeBufferPointer { _VoterSet(capacity: capacity, shapeFrom: $0) } }
      ?? _VoterSet(capacity: capacity)
    do {
      guard try q.readVotes(header: header, into: &sink, voters: voters, cut: cut, checkQuotes: true) else { return nil }
    } catch { return nil }
    return _VotesPart(report: q.report, sink: sink, voters: voters, lines: r.nextLine - 1)
  }
}

/// Receives valid ballots.
protocol _BallotSink {
  mutating func add(_ items: UnsafeBufferPointer<Int32>, points: UnsafeBufferPointer<Int64>, weight: Int64?)
  mutating func addDuplicateEntries(project: Int, count: Int64, weight: Int64?)
}

extension ProfileBuilder: _BallotSink {
  mutating func add(_ items: UnsafeBufferPointer<Int32>, points: UnsafeBufferPointer<Int64>, weight: Int64?) {
    add(items, points: points, weight: weight, count: 1)
  }
}

/// What a VOTES section is read into, a part at a time: the ballots (``ProfileBuilder``) or only
/// their sums per project (``_ScoreSink``).
protocol _PartSink: _BallotSink {
  /// An empty sink for the VOTES section under `header`.
  init(header: _PabulibHeader)
  /// Adds what a later part of the same section received (after this one's ballots).
  mutating func append(_ other: Self)
  /// Makes room for the ballots of `bytes` bytes of VOTES rows (nothing for sinks of fixed size).
  mutating func reserve(forBytes bytes: Int)
}

extension _PartSink {
  mutating func reserve(forBytes bytes: Int) {}
}

extension ProfileBuilder: _PartSink {
  init(header: _PabulibHeader) {
    self.init(kind: header.instance.ballotKind, projectCount: header.instance.projectCount, weightScale: header.weightScale)
  }

  /// Room for as many distinct ballots as `bytes` can hold rows of 24 bytes or more (two entries
  /// each), at most 2^16 (beyond, the arrays double as they fill): the reserve is only allocated,
  /// so its unwritten pages cost nothing, while growing by doubling had copied the ballots into
  /// fresh pages a few times (~65 page faults of the ~420 in a Katowice 2020 `mes` run).
  mutating func reserve(forBytes bytes: Int) {
    let ballots = min(bytes / 24 + 1, 1 << 16)
    reserveCapacity(ballots: ballots, entries: 2 * ballots)
  }
}

/// The projects' scores of approval, choose-1, cumulative and scoring ballots, summed as they arrive:
/// what `Profile.scoreUnits` gives for the profile ``ProfileBuilder`` would build from the same
/// ballots, without that profile.
///
/// A ballot's weight is nil (one) or in millionths (a file with a weight column). As in the profile,
/// the scores are counts (points) when no ballot carries a weight other than one, else in millionths.
/// Every term is non-negative (points are, weights are positive), so a score overflows exactly when
/// its value does, in whichever order the terms are added: nil then, as from the profile.
struct _ScoreSink: _PartSink {
  private let hasPoints: Bool
  /// Per project: the sum over unweighted ballots (each pick 1, or its points) and over weighted
  /// ones (times the weight, in millionths).
  private var plain: [Int64]
  private var weighted: [Int64]
  private var anyWeighted = false
  private var overflow = false
  /// A weight of one, in millionths.
  private static let one: Int64 = 1_000_000

  init(header: _PabulibHeader) {
    precondition(header.instance.ballotKind != .ordinal, "ordinal scores depend on positions: read a profile")
    hasPoints = header.instance.ballotKind.hasPoints
    plain = Array(repeating: 0, count: header.instance.projectCount)
    weighted = plain
  }

  mutating func add(_ items: UnsafeBufferPointer<Int32>, points: UnsafeBufferPointer<Int64>, weight: Int64?) {
    if let w = weight {
      anyWeighted = true
      for k in 0..<items.count {
        let (m, o1) = (hasPoints ? points[k] : 1).multipliedReportingOverflow(by: w)
        let (v, o2) = weighted[Int(items[k])].addingReportingOverflow(m)
        weighted[Int(items[k])] = v
        overflow = overflow || o1 || o2
      }
    } else {
      for k in 0..<items.count {
        let (v, o) = plain[Int(items[k])].addingReportingOverflow(hasPoints ? points[k] : 1)
        plain[Int(items[k])] = v
        overflow = overflow || o
      }
    }
  }

  mutating func addDuplicateEntries(project: Int, count: Int64, weight: Int64?) {
    if let w = weight {
      anyWeighted = true
      let (m, o1) = count.multipliedReportingOverflow(by: w)
      let (v, o2) = weighted[project].addingReportingOverflow(m)
      weighted[project] = v
      overflow = overflow || o1 || o2
    } else {
      let (v, o) = plain[project].addingReportingOverflow(count)
      plain[project] = v
      overflow = overflow || o
    }
  }

  mutating func append(_ other: _ScoreSink) {
    for p in plain.indices {
      let (a, o1) = plain[p].addingReportingOverflow(other.plain[p])
      let (b, o2) = weighted[p].addingReportingOverflow(other.weighted[p])
      plain[p] = a
      weighted[p] = b
      overflow = overflow || o1 || o2
    }
    anyWeighted = anyWeighted || other.anyWeighted
    overflow = overflow || other.overflow
  }

  /// The scores as exact rationals, or nil when one overflows (in the profile's units).
  func scores() -> [Rational]? {
    if overflow { return nil }
    guard anyWeighted else { return plain.map { Rational(BigInt($0), BigInt(1)) } }
    var out: [Rational] = []
    out.reserveCapacity(plain.count)
    for p in plain.indices {
      let (m, o1) = plain[p].multipliedReportingOverflow(by: Self.one)
      let (v, o2) = m.addingReportingOverflow(weighted[p])
      if o1 || o2 { return nil }
      out.append(Rational(BigInt(v), BigInt(Self.one)))
    }
    return out
  }
}

/// Accumulates scores without keeping ballots.
struct _TallySink: _BallotSink {
  let kind: BallotKind
  var weighted: [Int64]  // approvals/points × weight, or appearances × weight (ordinal)
  var positionSums: [Int64]  // ordinal: Σ position × weight
  var longest = 0
  var overflow = false
  let one: Int64

  init(kind: BallotKind, projectCount: Int, one: Int64) {
    self.kind = kind
    self.one = one
    weighted = Array(repeating: 0, count: projectCount)
    positionSums = Array(repeating: 0, count: projectCount)
  }

  mutating func add(_ items: UnsafeBufferPointer<Int32>, points: UnsafeBufferPointer<Int64>, weight: Int64?) {
    let w = weight ?? one
    longest = max(longest, items.count)
    for (k, p) in items.enumerated() {
      let i = Int(p)
      let v: Int64 = kind.hasPoints ? points[k] : 1
      let (m, o1) = v.multipliedReportingOverflow(by: w)
      let (s, o2) = weighted[i].addingReportingOverflow(m)
      weighted[i] = s
      if kind == .ordinal {
        let (pm, o3) = Int64(k).multipliedReportingOverflow(by: w)
        let (ps, o4) = positionSums[i].addingReportingOverflow(pm)
        positionSums[i] = ps
        overflow = overflow || o3 || o4
      }
      overflow = overflow || o1 || o2
    }
  }

  mutating func addDuplicateEntries(project: Int, count: Int64, weight: Int64?) {
    let (s, o) = weighted[project].addingReportingOverflow(count * (weight ?? one))
    weighted[project] = s
    overflow = overflow || o
  }

  func scores(maxLength: Int?) -> [Int64]? {
    if overflow { return nil }
    guard kind == .ordinal else { return weighted }
    let L = Int64(maxLength ?? longest)
    var out = weighted
    for i in out.indices {
      let (m, o1) = weighted[i].multipliedReportingOverflow(by: L)
      let (s, o2) = m.subtractingReportingOverflow(positionSums[i])
      if o1 || o2 { return nil }
      out[i] = s
    }
    return out
  }
}

struct _PabulibHeader {
  var instance: Instance
  var weightScale: Int
  var votesHeader: [String]
  var votesHeaderLine: Int
}

struct _PabulibParser {
  let reader: _RecordReader
  let options: ReadOptions
  var report = BallotReport()
  private var fields = _FieldSplitter()
  private var pendingSection: String?

  init(reader: _RecordReader, options: ReadOptions) {
    self.reader = reader
    self.options = options
  }

  private func loc(_ line: Int, _ column: Int? = nil) -> InputLocation {
    InputLocation(source: reader.source, line: line, column: column)
  }

  /// Whether the record of `length` bytes at `start` is a section marker (``sectionName(_:)``), asked
  /// only when it starts as one can: with M, P or V (either case), a space or a tab (`| 0x20` makes
  /// these m, p, v, space and 0x29).
  @inline(__always)
  private static func isSectionMarker(_ start: UnsafePointer<UInt8>, _ length: Int) -> Bool {
    guard length > 0 else { return false }
    let c = start[0] | 0x20
    return (c == 0x6D || c == 0x70 || c == 0x76 || c == 0x20 || c == 0x29)
      && sectionName(UnsafeBufferPointer(start: start, count: length)) != nil
  }

  /// The section name when the record is a section marker line.
  private static func sectionName(_ rec: UnsafeBufferPointer<UInt8>) -> String? {
    var lo = 0
    var hi = rec.count
    while lo < hi && (rec[lo] == 0x20 || rec[lo] == 0x09) { lo += 1 }
    // (Most records, ballots included, fail here: a section name starts with M, P or V.)
    guard lo < hi, case let c = rec[lo] | 0x20, c == 0x6D || c == 0x70 || c == 0x76 else { return nil }
    while hi > lo && (rec[hi - 1] == 0x20 || rec[hi - 1] == 0x09 || rec[hi - 1] == 0x3B) { hi -= 1 }
    let n = hi - lo
    guard n == 4 || n == 5 || n == 8 else { return nil }
    var s = ""
    for i in lo..<hi {
      var c = rec[i]
      if c >= 0x61 && c <= 0x7A { c -= 0x20 }
      s.unicodeScalars.append(Unicode.Scalar(c))
    }
    return s == "META" || s == "PROJECTS" || s == "VOTES" ? s : nil
  }

  private static func isBlank(_ rec: UnsafeBufferPointer<UInt8>) -> Bool {
    rec.allSatisfy { $0 == 0x20 || $0 == 0x09 }
  }

  /// Reads a table: the header row and data rows up to the next section marker or the end.
  private mutating func readTable(
    _ section: String, row: (inout _PabulibParser, [String], UnsafeBufferPointer<UInt8>, Int) throws(InputError) -> Void
  ) throws(InputError) -> (header: [String], line: Int) {
    var header: [String] = []
    var headerLine = 0
    while let rec = try reader.next() {
      if Self.isBlank(rec) { continue }
      if let s = Self.sectionName(rec) {
        pendingSection = s
        break
      }
      if header.isEmpty {
        fields.split(rec)
        headerLine = reader.recordLine
        header = (0..<fields.count).map {
          fields.trimmedString($0, in: rec).lowercased()
        }
        var seen = Set<String>()
        for (i, h) in header.enumerated() where !h.isEmpty {
          if !seen.insert(h).inserted {
            throw InputError(.duplicateColumn(h), at: loc(headerLine, fields.column(i, in: rec)))
          }
        }
        continue
      }
      try row(&self, header, rec, reader.recordLine)
    }
    if header.isEmpty {
      throw InputError(.missingSection("\(section) header row"), at: loc(reader.recordLine + 1))
    }
    return (header, headerLine)
  }

  private mutating func expectSection(_ name: String) throws(InputError) {
    if let p = pendingSection {
      pendingSection = nil
      if p == name { return }
      throw InputError(.missingSection("\(name) (found \(p) instead)"), at: loc(reader.recordLine))
    }
    while let rec = try reader.next() {
      if Self.isBlank(rec) { continue }
      if let s = Self.sectionName(rec) {
        if s == name { return }
        throw InputError(.missingSection("\(name) (found \(s) instead)"), at: loc(reader.recordLine))
      }
      let text = String(decoding: rec, as: UTF8.self)
      throw InputError(.unexpectedLine(text), at: loc(reader.recordLine, 1))
    }
    throw InputError(.missingSection(name), at: loc(reader.nextLine))
  }

  mutating func readHeader() throws(InputError) -> _PabulibHeader {
    // META
    do {
      try expectSection("META")
    } catch {
      // Reaching the end before any non-blank line: the file is empty (or blank).
      if case .missingSection("META") = error.reason { throw InputError(.emptyInput, at: loc(0)) }
      throw error
    }
    var meta: [MetaEntry] = []
    // Each entry's line and value column, for errors (a key's first entry is the one used).
    var metaPlaces: [Int] = []
    _ = try readTable("META") { (p: inout _PabulibParser, header, rec, line) throws(InputError) in
      p.fields.split(rec)
      guard p.fields.count >= 2 else {
        throw InputError(.fieldCount(expected: 2, found: p.fields.count), at: p.loc(line, 1))
      }
      let key = p.fields.trimmedString(0, in: rec)
      let value = p.fields.trimmedString(1, in: rec)
      metaPlaces.append(line)
      metaPlaces.append(p.fields.column(1, in: rec))
      meta.append(MetaEntry(key: key, value: value))
    }
    func metaValue(_ k: String) -> String? { meta.first { $0.key == k }?.value }
    func metaLoc(_ k: String) -> InputLocation {
      guard let i = meta.firstIndex(where: { $0.key == k }) else { return loc(0) }
      return loc(metaPlaces[2 * i], metaPlaces[2 * i + 1])
    }
    guard let voteTypeText = metaValue("vote_type") else {
      throw InputError(.missingMeta("vote_type"), at: loc(1))
    }
    guard let kind = BallotKind(rawValue: voteTypeText.lowercased()) else {
      throw InputError(.unsupportedVoteType(voteTypeText), at: metaLoc("vote_type"))
    }
    guard let budgetText = metaValue("budget") else { throw InputError(.missingMeta("budget"), at: loc(1)) }
    guard let budget = ExactDecimal.parse(budgetText) else {
      throw InputError(InputError.badNumber(field: "budget", text: budgetText), at: metaLoc("budget"))
    }
    if budget.units < 0 { throw InputError(.negativeNumber(field: "budget", text: budgetText), at: metaLoc("budget")) }
    for key in ["max_length", "min_length", "max_sum_points", "min_sum_points", "max_points", "min_points"] {
      if let v = metaValue(key), !v.isEmpty {
        guard let d = ExactDecimal.parse(v), d.isInteger, d.units >= 0 else {
          throw InputError(.invalidMeta(key: key, message: "'\(v)' is not a non-negative integer"), at: metaLoc(key))
        }
      }
    }

    // PROJECTS
    try expectSection("PROJECTS")
    var rows: [(fields: [String: String], id: String, cost: ExactDecimal, line: Int)] = []
    var seenIDs: [String: Int] = [:]
    let projectsHeader = try readTable("PROJECTS") {
      (p: inout _PabulibParser, header, rec, line) throws(InputError) in
      p.fields.split(rec)
      if p.fields.count != header.count {
        // Tolerate a trailing empty field; anything else is a shape error.
        let extraEmpty = p.fields.count == header.count + 1 && p.fields.lastIsEmpty
        if !extraEmpty {
          throw InputError(.fieldCount(expected: header.count, found: p.fields.count), at: p.loc(line, 1))
        }
      }
      // (Sized at once: grown from empty, the table was rebuilt three or four times a row.)
      var values = [String: String](minimumCapacity: header.count)
      for (i, h) in header.enumerated() where !h.isEmpty { values[h] = p.fields.trimmedString(i, in: rec) }
      guard let idIndex = header.firstIndex(of: "project_id") else {
        throw InputError(.missingColumn(section: "PROJECTS", column: "project_id"), at: p.loc(line - 1))
      }
      guard let costIndex = header.firstIndex(of: "cost") else {
        throw InputError(.missingColumn(section: "PROJECTS", column: "cost"), at: p.loc(line - 1))
      }
      let id = values["project_id"]!
      if id.isEmpty { throw InputError(.emptyField("project_id"), at: p.loc(line, p.fields.column(idIndex, in: rec))) }
      // Votes are matched byte for byte: an id that is not UTF-8 would never match its own votes.
      if String(validating: p.fields.bytes(idIndex, in: rec), as: UTF8.self) == nil {
        throw InputError(.malformed("project id is not valid UTF-8"), at: p.loc(line, p.fields.column(idIndex, in: rec)))
      }
      if id.utf8.contains(0x2C) {
        throw InputError(.invalidProjectID(id), at: p.loc(line, p.fields.column(idIndex, in: rec)))
      }
      if let first = seenIDs[id] {
        throw InputError(
          .duplicateProject(id + " (first on line \(first))"), at: p.loc(line, p.fields.column(idIndex, in: rec)))
      }
      seenIDs[id] = line
      let costText = values["cost"]!
      guard let cost = ExactDecimal.parse(costText) else {
        throw InputError(
          InputError.badNumber(field: "cost", text: costText), at: p.loc(line, p.fields.column(costIndex, in: rec)))
      }
      if cost.units < 0 {
        throw InputError(
          .negativeNumber(field: "cost", text: costText), at: p.loc(line, p.fields.column(costIndex, in: rec)))
      }
      rows.append((values, id, cost, line))
    }
    if !projectsHeader.header.contains("project_id") {
      throw InputError(.missingColumn(section: "PROJECTS", column: "project_id"), at: loc(projectsHeader.line))
    }
    if !projectsHeader.header.contains("cost") {
      throw InputError(.missingColumn(section: "PROJECTS", column: "cost"), at: loc(projectsHeader.line))
    }
    var scale = budget.normalized.scale
    for r in rows { scale = max(scale, r.cost.normalized.scale) }
    guard let budgetUnits = budget.normalized.rescaled(to: scale) else {
      throw InputError(.numberOutOfRange(field: "budget", text: budgetText), at: metaLoc("budget"))
    }
    var projects: [Project] = []
    projects.reserveCapacity(rows.count)
    var totalCost: Int64 = 0
    for r in rows {
      guard let c = r.cost.normalized.rescaled(to: scale) else {
        throw InputError(.numberOutOfRange(field: "cost", text: r.cost.description), at: loc(r.line))
      }
      let (t, o) = totalCost.addingReportingOverflow(c)
      if o { throw InputError(.numberOutOfRange(field: "cost", text: "sum of costs"), at: loc(r.line)) }
      totalCost = t
      projects.append(
        Project(
          id: r.id, cost: c, name: r.fields["name"],
          categories: Self.list(r.fields["category"]), targets: Self.list(r.fields["target"]),
          fields: r.fields))
    }
    var instance = Instance(meta: meta, projects: projects, budget: budgetUnits, costScale: scale, ballotKind: kind)
    instance.projectColumns = projectsHeader.header

    // VOTES header
    try expectSection("VOTES")
    var votesHeader: [String] = []
    var votesHeaderLine = 0
    while let rec = try reader.next() {
      if Self.isBlank(rec) { continue }
      if let s = Self.sectionName(rec) {
        throw InputError(.unexpectedLine(s), at: loc(reader.recordLine, 1))
      }
      fields.split(rec)
      votesHeaderLine = reader.recordLine
      votesHeader = (0..<fields.count).map { fields.trimmedString($0, in: rec).lowercased() }
      break
    }
    if votesHeader.isEmpty { throw InputError(.missingSection("VOTES header row"), at: loc(reader.nextLine)) }
    for c in ["voter_id", "vote"] where !votesHeader.contains(c) {
      throw InputError(.missingColumn(section: "VOTES", column: c), at: loc(votesHeaderLine))
    }
    if kind.hasPoints && !votesHeader.contains("points") {
      throw InputError(.missingColumn(section: "VOTES", column: "points"), at: loc(votesHeaderLine))
    }
    return _PabulibHeader(
      instance: instance, weightScale: votesHeader.contains("weight") ? 6 : 0, votesHeader: votesHeader, votesHeaderLine: votesHeaderLine)
  }

  private static func list(_ s: String?) -> [String] { s.map(_commaItems) ?? [] }

  /// The fast path's loop (``_PlainRows/scanLine(_:block:)``), apart from the general one so that the
  /// voter set's insertion is compiled into it (and the scanner, a parameter, is not retained for
  /// each row): takes the plain rows at the reader's offset
  /// one after another into `sink`, counting them in `taken`, until the gate ends the part or finds
  /// a quote ahead (its step), or the row there is one the general path must judge (`.row`: not
  /// plain, a section marker, or its voter seen).
  @inline(never)
  private static func takePlainRows<S: _BallotSink>(
    _ reader: _RecordReader, _ scanner: _PlainRows, _ voters: _VoterSet, _ checkVoters: Bool, _ gate: inout _PartGate,
    _ block: inout _MaskBlock, _ sink: inout S, _ taken: inout Int64
  ) -> _PartGate.Step {
    while true {
      let step = gate.step(reader)
      guard step == .row else { return step }
      let unread = reader.unread
      guard let row = scanner.scanLine(unread, block: &block), !isSectionMarker(unread.baseAddress!, row.length),
        !checkVoters || voters.insert(row.voter)
      else { return .row }
      _ = reader.take(record: row.length, consumed: row.consumed)
      taken &+= 1
      sink.add(row.picks, points: row.points, weight: nil)
    }
  }

  /// Reads the VOTES rows into `sink`, to the end of the input or to where `cut` closes the part read.
  /// `checkQuotes` (a reader of quote-free bytes in place, not yet checked): false, stopping, as soon
  /// as its bytes hold a quote, checked a chunk ahead of the rows; true otherwise.
  @discardableResult
  mutating func readVotes<S: _BallotSink>(
    header h: _PabulibHeader, into sink: inout S, voters given: _VoterSet? = nil, cut: _MovingCut? = nil, checkQuotes: Bool = false
  ) throws(InputError) -> Bool {
    let inst = h.instance
    let kind = inst.ballotKind
    let ids = _IDTable(ids: inst.projects.map(\.id))
    let cVoter = h.votesHeader.firstIndex(of: "voter_id")!
    let cVote = h.votesHeader.firstIndex(of: "vote")!
    let cPoints = kind.hasPoints ? h.votesHeader.firstIndex(of: "points") : nil
    let cWeight = h.votesHeader.firstIndex(of: "weight")
    let limits = options.enforceMetaLimits
    func metaInt(_ k: String) -> Int64? {
      inst.metaValue(k).flatMap { ExactDecimal.parse($0) }.map(\.normalized).flatMap { $0.scale == 0 ? $0.units : nil }
    }
    var maxLength = limits ? metaInt("max_length") : nil
    if kind == .choose1 { maxLength = min(maxLength ?? 1, 1) }
    let minLength = limits ? metaInt("min_length") : nil
    let maxSum = limits ? metaInt("max_sum_points") : nil
    let minSum = limits ? metaInt("min_sum_points") : nil
    let maxPoints = limits ? metaInt("max_points") : nil
    let minPoints = limits ? metaInt("min_points") : nil
    let headerCount = h.votesHeader.count
    // (Hoisted: the variadic `max` builds an array, once per ballot if left in the loop.)
    let needed = max(cVote, cVoter, cPoints ?? 0, cWeight ?? 0) + 1
    let weightOne: Int64 = 1_000_000
    // Sized from the file (a ballot line is rarely under 24 bytes) so that the table rarely grows.
    let voters = given ?? _VoterSet(capacity: min(max(reader.sizeHint / 24, 1 << 10), 1 << 21))
    // Scratch space for one ballot, allocated once: its distinct projects and per-project marks.
    let itemBuffer = UnsafeMutablePointer<Int32>.allocate(capacity: max(inst.projectCount, 1))
    let seen = UnsafeMutablePointer<Bool>.allocate(capacity: max(inst.projectCount, 1))
    seen.initialize(repeating: false, count: max(inst.projectCount, 1))
    defer {
      itemBuffer.deallocate()
      seen.deallocate()
    }
    var itemCount = 0
    var items: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: itemBuffer, count: itemCount) }
    var points: [Int64] = []
    points.reserveCapacity(max(inst.projectCount, 16))
    var dupCounts: [Int32] = []
    let reject = options.invalidBallots == .reject
    // The fast path (``_PlainRows``) for rows without weights, on quote-free bytes read in place: a
    // plain ballot (known ids, each named once, within the length limits, not empty; with points, one
    // plain integer per pick within the point limits) is added here; every other row is judged below.
    // Such a row is not blank and not a section marker, and the checks below find the same voter id,
    // picks and points and make it valid, unweighted. (Limits that no value can meet leave every
    // row to the checks below.)
    let pointLimits = (minPoints ?? Int64.min, maxPoints ?? Int64.max)
    let sumLimits = (minSum ?? Int64.min, maxSum ?? Int64.max)
    let plainRows =
      cWeight == nil && reader.readsLinesInPlace && pointLimits.0 <= pointLimits.1 && sumLimits.0 <= sumLimits.1
      ? _PlainRows(
        ids: ids, projectCount: inst.projectCount, voterColumn: cVoter, voteColumn: cVote, fieldCount: headerCount,
        minPicks: Int(clamping: minLength ?? 0), maxPicks: maxLength.map { Int(clamping: $0) }, checksVoter: false,
        pointsColumn: cPoints ?? -1, pointLimits: pointLimits.0...pointLimits.1, sumLimits: sumLimits.0...sumLimits.1)
      : nil
    let checkVoters = options.checkDuplicateVoters
    var gate = _PartGate(cut: cut, checkQuotes: checkQuotes)
    var block = _MaskBlock()

    rowLoop: while true {
      let step: _PartGate.Step
      if let plainRows {
        // The plain rows from here on, up to one the checks below must judge (then `.row`).
        var taken: Int64 = 0
        step = Self.takePlainRows(reader, plainRows, voters, checkVoters, &gate, &block, &sink, &taken)
        report.read += taken
        report.valid += taken
      } else {
        step = gate.step(reader)
      }
      switch step {
      case .row: break
      case .end: break rowLoop
      case .quote: return false
      }
      guard let rec = try reader.next() else { break }
      if Self.isBlank(rec) { continue }
      let line = reader.recordLine
      if Self.sectionName(rec) != nil {
        throw InputError(.unexpectedLine(String(decoding: rec, as: UTF8.self)), at: loc(line, 1))
      }
      report.read += 1
      fields.split(rec, needing: needed)
      func void(_ p: BallotProblem, _ col: Int?, _ detail: String) throws(InputError) {
        if reject { throw InputError(.invalidBallot(p, detail), at: loc(line, col)) }
        report.record(p, at: loc(line, col), detail: detail, voided: true)
      }
      if fields.count < needed || fields.count > headerCount + 1
        || (fields.count == headerCount + 1 && !fields.lastIsEmpty)
      {
        try void(.malformedRow, 1, "expected \(headerCount) fields, found \(fields.count)")
        continue
      }
      // Voter id.
      let voterBytes = fields.bytes(cVoter, in: rec)
      if options.checkDuplicateVoters && !voters.insert(voterBytes) {
        try void(
          .duplicateVoter, fields.column(cVoter, in: rec),
          "voter '\(InputError.clip(fields.string(cVoter, in: rec)))' already voted")
        continue
      }
      // Weight.
      var weight: Int64? = nil
      if let cWeight {
        let t = fields.bytes(cWeight, in: rec)
        guard let d = ExactDecimal.parse(t), d.units > 0, d.normalized.scale <= 6,
          let u = d.normalized.rescaled(to: 6)
        else {
          try void(.badWeight, fields.column(cWeight, in: rec), "weight '\(fields.string(cWeight, in: rec))' is not a positive number with at most 6 decimals")
          continue
        }
        weight = u == weightOne ? nil : u
      }
      // Vote list.
      itemCount = 0
      if !dupCounts.isEmpty { dupCounts.removeAll(keepingCapacity: true) }
      let vote = fields.bytes(cVote, in: rec)
      let voteStart = fields.range(cVote).lowerBound
      var bad: (BallotProblem, Int, String)? = nil
      var repeated = false
      var tokens = _Tokens(vote)
      while let (lo, hi) = tokens.next() {
        let tok = UnsafeBufferPointer(rebasing: vote[lo..<hi])
        if let p = ids.lookup(tok) {
          if seen[Int(p)] {
            repeated = true
            dupCounts.append(p)
          } else {
            seen[Int(p)] = true
            itemBuffer[itemCount] = p
            itemCount += 1
          }
        } else if bad == nil {
          let col = _column(byteOffset: voteStart + lo, in: rec)
          bad = (
            .unknownProject, col,
            tok.isEmpty ? "empty project id in the vote list" : "unknown project '\(InputError.clip(String(decoding: tok, as: UTF8.self)))'"
          )
        }
      }
      for p in items { seen[Int(p)] = false }
      if let bad {
        try void(bad.0, bad.1, bad.2)
        continue
      }
      var voteCol: Int { fields.column(cVote, in: rec) }
      if repeated && !kind.isApproval {
        try void(.repeatedProject, voteCol, "a project is named twice")
        continue
      }
      // Points.
      while !points.isEmpty { points.removeLast() }
      if let cPoints {
        let pb = fields.bytes(cPoints, in: rec)
        var ok = true
        var start = 0
        var sum: Int64 = 0
        if pb.isEmpty && items.isEmpty {
          ok = true
        } else {
          for j in 0...pb.count where j == pb.count || pb[j] == 0x2C {
            let tok = UnsafeBufferPointer(rebasing: pb[start..<j])
            start = j + 1
            guard let d = ExactDecimal.parse(tok.trimmed()), d.isInteger, d.units >= 0 else {
              try void(
                .badPoints, fields.column(cPoints, in: rec),
                "'\(InputError.clip(String(decoding: tok, as: UTF8.self)))' is not a non-negative integer")
              ok = false
              break
            }
            let v = d.normalized.units
            points.append(v)
            let (s, o) = sum.addingReportingOverflow(v)
            if o {
              try void(.badPoints, fields.column(cPoints, in: rec), "points overflow")
              ok = false
              break
            }
            sum = s
          }
        }
        if !ok { continue }
        if points.count != items.count {
          try void(
            .pointsMismatch, fields.column(cPoints, in: rec),
            "\(items.count) projects but \(points.count) point values")
          continue
        }
        if let maxSum, sum > maxSum {
          try void(.pointsOutOfLimits, fields.column(cPoints, in: rec), "points add up to \(sum) > max_sum_points \(maxSum)")
          continue
        }
        if let minSum, sum < minSum, !items.isEmpty {
          try void(.pointsOutOfLimits, fields.column(cPoints, in: rec), "points add up to \(sum) < min_sum_points \(minSum)")
          continue
        }
        if let maxPoints, let m = points.max(), m > maxPoints {
          try void(.pointsOutOfLimits, fields.column(cPoints, in: rec), "a point value \(m) > max_points \(maxPoints)")
          continue
        }
        if let minPoints, let m = points.min(), m < minPoints {
          try void(.pointsOutOfLimits, fields.column(cPoints, in: rec), "a point value \(m) < min_points \(minPoints)")
          continue
        }
      }
      // Length limits (on distinct projects).
      let length = Int64(items.count)
      if let maxLength, length > maxLength {
        try void(.tooManyPicks, voteCol, "\(length) projects named, at most \(maxLength) allowed")
        continue
      }
      if let minLength, length < minLength {
        try void(.tooFewPicks, voteCol, "\(length) projects named, at least \(minLength) required")
        continue
      }
      if repeated {
        report.record(
          .repeatedProject, at: loc(line, voteCol), detail: "a project is named twice; each entry is counted",
          voided: false)
        for p in dupCounts { sink.addDuplicateEntries(project: Int(p), count: 1, weight: weight) }
      }
      if items.isEmpty {
        report.record(.emptyBallot, at: loc(line, voteCol), detail: "the ballot names no project", voided: false)
      }
      points.withUnsafeBufferPointer { sink.add(items, points: $0, weight: weight) }
      report.valid += 1
    }
    try reader.drain()
    return true
  }
}

/// The comma-separated items of a cell (a project's categories or targets), each trimmed of spaces
/// and tabs, empty ones left out. On the UTF-8 bytes: ',', space and tab are single bytes that no
/// longer sequence contains.
func _commaItems(_ s: String) -> [String] {
  var items: [String] = []
  var s = s
  s.withUTF8 { u in
    var start = 0
    for i in 0...u.count where i == u.count || u[i] == 0x2C {
      let item = UnsafeBufferPointer(rebasing: u[start..<i]).trimmed()
      if !item.isEmpty { items.append(String(decoding: item, as: UTF8.self)) }
      start = i + 1
    }
  }
  return items
}

extension UnsafeBufferPointer where Element == UInt8 {
  func trimmed() -> UnsafeBufferPointer<UInt8> {
    var lo = 0
    var hi = count
    while lo < hi && (self[lo] == 0x20 || self[lo] == 0x09) { lo += 1 }
    while hi > lo && (self[hi - 1] == 0x20 || self[hi - 1] == 0x09) { hi -= 1 }
    return UnsafeBufferPointer(rebasing: self[lo..<hi])
  }
}
