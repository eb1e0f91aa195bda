import CTallySystem
import TallyCore

/// The readers' fast path for ordinary ballot rows: from the unread bytes of a quote-free
/// `;`-separated input, finds where the row ends and its fields and entries lie (from separator masks
/// of its first 64 or 128 bytes, or one field at a time for a longer row), then checks the voter id and looks
/// the vote list's ids up, when the row is a plain valid ballot. Shared by ballot files
/// (``BallotFileReader``) and Pabulib VOTES sections (``PabulibReader``); each reader takes a row only
/// when this scanner accepts it and judges every other row its own general way (from
/// ``_RecordReader/next()``), so the scanner only ever decides faster, never differently.
///
/// The row is what ``_RecordReader/next()`` would cut: the bytes up to the first line feed, or to the
/// end of the input, without one carriage return before that end. It is accepted when it has exactly
/// the header's number of fields; its vote list is non-empty and every entry is a known project id
/// with no spaces or tabs to trim, none named twice; the number of picks is within the limits; and,
/// when ``checksVoter``, the voter id is non-empty with no spaces or tabs at either end. With a
/// ``pointsColumn`` (Pabulib cumulative and scoring ballots), that field must also be one point value
/// per pick, each 1 to 18 decimal digits and nothing else, within the per-value and sum limits. With a
/// ``weightColumn`` or ``groupColumn`` (ballot files), its weight (trimmed) must be blank (one) or
/// plain digits, at most 7 before a '.' and 6 after it, above 0 and at most 1,000,000, and its group
/// (trimmed) one of ``groupNames``. The voter id, the picks in ballot order (and their points), the
/// weight in millionths, the group's index, the row's length and the bytes it takes with its line feed
/// are then in the ``_PlainRow`` returned.
///
/// Holds one reader's scratch space (per-project marks, the picks, a 72-byte window for the input's
/// last bytes), so scanning allocates nothing.
///
/// - Complexity: O(bytes of the row).
final class _PlainRows {
  let ids: _IDTable
  let voterColumn: Int
  let voteColumn: Int
  let fieldCount: Int
  let minPicks: Int
  let maxPicks: Int
  /// Whether the voter id must be non-empty and need no trimming (ballot files trim voter ids;
  /// Pabulib takes them as they are).
  let checksVoter: Bool
  /// The column of a ballot file's per-row weight (-1: none) and of its group (-1: not read), with
  /// the channel's weighted group names (a row's group must be one of them; none: group 0).
  let weightColumn: Int
  let groupColumn: Int
  let groupNames: [[UInt8]]
  /// The column of the picks' points (-1: none) and the limits on each value and on their sum.
  let pointsColumn: Int
  let pointLimits: ClosedRange<Int64>
  let sumLimits: ClosedRange<Int64>
  private let projectCount: Int
  /// Per project, the number of the last row that named it (rows are numbered from 1; the numbers
  /// start again from 1, with every mark cleared, when they would wrap).
  private let marks: UnsafeMutablePointer<UInt32>
  private var row: UInt32 = 0
  private let items: UnsafeMutablePointer<Int32>
  private var itemCount = 0
  private let pointValues: UnsafeMutablePointer<Int64>
  private var pointCount = 0
  /// The last bytes of the input, padded with line feeds to ``reach``, when fewer than that are left.
  private let window: UnsafeMutablePointer<UInt8>
  /// The bytes ``scanLine(_:)`` may read from a row's start: the 64 of its masks, and 8 more for a
  /// word loaded at an entry that starts within them.
  private static let reach = 72
  /// The last column holding a field that is read (every column after it is only counted).
  private let lastNeeded: Int
  /// Per column, the field it holds (``Role``, -1: none), and the bounds of each role's field in the
  /// row last read (lo at 2r, hi at 2r + 1).
  private let roles: UnsafeMutablePointer<Int8>
  private let bounds: UnsafeMutablePointer<Int>
  /// The fields a row's bounds are noted for.
  private enum Role: Int8 {
    case voter, vote, points, weight, group
  }
  private static let roleCount = 5

  /// Marks column `column` (when there is one) as holding `role`.
  private static func note(_ role: Role, at column: Int, in roles: UnsafeMutablePointer<Int8>, _ fieldCount: Int) {
    if column >= 0 && column < fieldCount { roles[column] = role.rawValue }
  }

  init(
    ids: _IDTable, projectCount: Int, voterColumn: Int, voteColumn: Int, fieldCount: Int, minPicks: Int, maxPicks: Int?,
    checksVoter: Bool, pointsColumn: Int = -1, pointLimits: ClosedRange<Int64> = Int64.min...Int64.max,
    sumLimits: ClosedRange<Int64> = Int64.min...Int64.max, weightColumn: Int = -1, groupColumn: Int = -1,
    groupNames: [[UInt8]] = []
  ) {
    self.weightColumn = weightColumn
    self.groupColumn = groupNames.isEmpty ? -1 : groupColumn
    self.groupNames = groupNames
    self.ids = ids
    self.projectCount = max(projectCount, 1)
    self.voterColumn = voterColumn
    self.voteColumn = voteColumn
    self.fieldCount = fieldCount
    self.minPicks = minPicks
    self.maxPicks = maxPicks ?? Int.max
    self.checksVoter = checksVoter
    self.pointsColumn = pointsColumn
    self.pointLimits = pointLimits
    self.sumLimits = sumLimits
    marks = .allocate(capacity: self.projectCount)
    marks.initialize(repeating: 0, count: self.projectCount)
    items = .allocate(capacity: self.projectCount)
    pointValues = .allocate(capacity: self.projectCount)
    window = .allocate(capacity: Self.reach)
    lastNeeded = max(voteColumn, voterColumn, pointsColumn, weightColumn, self.groupColumn)
    roles = .allocate(capacity: max(fieldCount, 1))
    roles.initialize(repeating: -1, count: max(fieldCount, 1))
    // (Column by column rather than from an array of pairs, whose type the runtime would build on
    // first use.)
    Self.note(.voter, at: voterColumn, in: roles, fieldCount)
    Self.note(.vote, at: voteColumn, in: roles, fieldCount)
    Self.note(.points, at: pointsColumn, in: roles, fieldCount)
    Self.note(.weight, at: weightColumn, in: roles, fieldCount)
    Self.note(.group, at: self.groupColumn, in: roles, fieldCount)
    bounds = .allocate(capacity: 2 * Self.roleCount)
    bounds.initialize(repeating: 0, count: 2 * Self.roleCount)
  }

  deinit {
    marks.deallocate()
    items.deallocate()
    pointValues.deallocate()
    window.deallocate()
    roles.deallocate()
    bounds.deallocate()
  }

  /// A new row number for the per-project marks (all cleared when the numbers would wrap).
  @inline(__always)
  private func nextMark() -> UInt32 {
    if row == .max {
      marks.update(repeating: 0, count: projectCount)
      row = 0
    }
    row += 1
    return row
  }

  /// The weight in millionths written in `base[lo ..< hi]`, trimmed of spaces and tabs: blank is one;
  /// otherwise plain digits, at most 7 before a '.' and 6 after it, above 0 and at most 1,000,000.
  /// Nil for any other spelling (left to the general path, which reads every decimal form).
  @inline(__always)
  private static func weight(_ base: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> Int64? {
    @inline(__always) func blank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
    var lo = lo
    var hi = hi
    while lo < hi && blank(base[lo]) { lo += 1 }
    while hi > lo && blank(base[hi - 1]) { hi -= 1 }
    if hi == lo { return ChannelTally.one }
    var whole: Int64 = 0
    var fraction: Int64 = 0
    var wholeDigits = 0
    var fractionDigits = -1
    for x in lo..<hi {
      let c = base[x]
      if c == 0x2E && fractionDigits < 0 {
        fractionDigits = 0
      } else if c &- 0x30 <= 9 {
        if fractionDigits < 0 {
          whole = whole &* 10 &+ Int64(c &- 0x30)
          wholeDigits += 1
        } else {
          fraction = fraction &* 10 &+ Int64(c &- 0x30)
          fractionDigits += 1
        }
      } else {
        return nil
      }
    }
    guard wholeDigits >= 1, wholeDigits <= 7, fractionDigits != 0, fractionDigits <= 6 else { return nil }
    var scale: Int64 = 1
    for _ in 0..<(6 - max(fractionDigits, 0)) { scale &*= 10 }
    let units = whole &* ChannelTally.one &+ fraction &* scale
    guard units > 0, units <= 1_000_000 * ChannelTally.one else { return nil }
    return units
  }

  /// The index in ``groupNames`` of the group written in `base[lo ..< hi]`, trimmed of spaces and
  /// tabs; nil when it is none of them.
  @inline(__always)
  private func groupIndex(_ base: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> Int? {
    @inline(__always) func blank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
    var lo = lo
    var hi = hi
    while lo < hi && blank(base[lo]) { lo += 1 }
    while hi > lo && blank(base[hi - 1]) { hi -= 1 }
    let name = UnsafeBufferPointer(start: base + lo, count: hi - lo)
    return groupNames.firstIndex { $0.count == name.count && $0.elementsEqual(name) }
  }

  /// The picks of the row last accepted, in ballot order.
  var picks: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: items, count: itemCount) }

  /// The points of the row last accepted, one per pick (empty without a points column).
  var points: UnsafeBufferPointer<Int64> { UnsafeBufferPointer(start: pointValues, count: pointCount) }

  /// The row at the start of `bytes` when it is accepted, else nil. Reads whole words up to the end
  /// of `bytes`.
  ///
  /// A row that ends within 64 bytes (most do) is read from where the 64 bytes at its start hold
  /// commas, semicolons, line feeds and blanks (``tally_separators64``, a few vector compares): its
  /// end, its number of fields, each field's and entry's bounds, and whether an entry is empty or
  /// starts or ends with a blank all come from those masks, so the entries are looked up without a
  /// byte-by-byte search between them, whose steps each waited for the one before. A row that ends
  /// within 128 bytes, every field it reads ending within the first 64, is read the same way, its
  /// end and the separators before it from the masks of the next 64 bytes. Other rows are read by
  /// ``scanLongLine(_:)``, one field and entry at a time. All accept exactly the rows described above,
  /// with the same result.
  ///
  /// `block` holds the masks of the 64 bytes where an earlier row of the same input started: a row
  /// that starts and ends within them (rows are often under 32 bytes) is read from them, shifted,
  /// rather than from masks of its own. A reader's loop keeps one ``_MaskBlock`` for the one input
  /// it reads in place (whose bytes do not change), starting empty.
  ///
  /// Inlined into the readers' fast-path loops (`@inline(always)`: `@inline(__always)` left it a
  /// call, ~70 instructions a row). It names its type's static members as `_PlainRows.`, not
  /// `Self.`: a method that refers to the dynamic `Self` cannot be inlined.
  @inline(always)
  func scanLine(_ bytes: UnsafeBufferPointer<UInt8>, block: inout _MaskBlock) -> _PlainRow? {
    guard let base = bytes.baseAddress else { return nil }
    let n = bytes.count
    // The row's bytes are read from the input when at least `reach` bytes are left, else from a copy
    // padded with line feeds, so that no load below needs a bound of its own. (What is returned
    // points into the input.)
    let src: UnsafePointer<UInt8>
    let m: tally_separators
    if n >= _PlainRows.reach {
      src = base
      if let from = block.start, base > from, case let o = UInt64(truncatingIfNeeded: base - from), o < 64,
        case let lineFeed = block.masks.lineFeed &>> o, lineFeed != 0
      {
        // (The bytes from the row's start to the end of the block, its end among them.)
        let b = block.masks
        m = tally_separators(comma: b.comma &>> o, semicolon: b.semicolon &>> o, lineFeed: lineFeed, blank: b.blank &>> o)
      } else {
        m = tally_separators64(src)
        block = _MaskBlock(start: base, masks: m)
      }
    } else {
      window.update(from: base, count: n)
      (window + n).update(repeating: 0x0A, count: _PlainRows.reach - n)
      src = UnsafePointer(window)
      m = tally_separators64(src)
    }
    // The row ends at its first line feed (or the input's end), `k`; without one carriage return
    // before that end.
    let k: Int
    let inRow: UInt64
    if m.lineFeed != 0 {
      // (Within the 64 bytes: most rows.)
      k = m.lineFeed.trailingZeroBitCount
      inRow = (1 &<< UInt64(k)) &- 1
      guard _PlainRows.has(m.semicolon & inRow, bits: fieldCount - 1) else { return nil }
    } else {
      // Within the next 64 bytes, with every field that is read (not only counted) ending in the
      // first 64 (a row whose last columns are long text, such as a district's name): its end
      // and the separators before it from masks of those bytes too. Other long rows: one field at
      // a time.
      guard n >= 128, case let next = tally_separators64(base + 64), next.lineFeed != 0 else { return scanLongLine(bytes) }
      k = 64 &+ next.lineFeed.trailingZeroBitCount
      inRow = UInt64.max
      let first = m.semicolon.nonzeroBitCount
      guard first > lastNeeded else { return scanLongLine(bytes) }
      guard first &+ (next.semicolon & ((1 &<< UInt64(k &- 64)) &- 1)).nonzeroBitCount == fieldCount - 1 else { return nil }
    }
    let end = k > 0 && base[k - 1] == 0x0D ? k - 1 : k
    var semicolons = m.semicolon & inRow
    let commas = m.comma & inRow
    let mark = nextMark()
    // Field f spans lo ..< hi, hi its ';' or the row's end (the last field); the bounds of the
    // fields read are noted by role. (Every role in use has a column at most `lastNeeded`, so each
    // is noted for every row.)
    let roles = roles
    let bounds = bounds
    var lo = 0
    var f = 0
    let lastNeeded = lastNeeded
    while f <= lastNeeded {
      let hi = semicolons == 0 ? end : semicolons.trailingZeroBitCount
      semicolons &= semicolons &- 1
      let r = Int(roles[f])
      if r >= 0 {
        bounds[2 * r] = lo
        bounds[2 * r + 1] = hi
      }
      lo = hi + 1
      f += 1
    }
    @inline(__always) func field(_ role: Role) -> (lo: Int, hi: Int) {
      (bounds[2 * Int(role.rawValue)], bounds[2 * Int(role.rawValue) + 1])
    }
    @inline(__always) func bit(_ i: Int) -> UInt64 { 1 &<< UInt64(i) }
    let (voterLo, voterHi) = field(.voter)
    let (voteLo, voteHi) = field(.vote)
    let (pointsLo, pointsHi) = field(.points)
    var weightUnits = ChannelTally.one
    if weightColumn >= 0 {
      let (lo, hi) = field(.weight)
      guard let w = _PlainRows.weight(base, lo, hi) else { return nil }
      weightUnits = w
    }
    var group = 0
    if groupColumn >= 0 {
      let (lo, hi) = field(.group)
      guard let g = groupIndex(base, lo, hi) else { return nil }
      group = g
    }
    if checksVoter {
      guard voterHi > voterLo, m.blank & (bit(voterLo) | bit(voterHi - 1)) == 0 else { return nil }
    }
    // The vote list: its entries end at its commas, the last at the field's end (< 64). An empty
    // entry (one starting where an entry ends) or one with a blank at either end is left to the
    // general path, as is an empty list.
    @inline(__always) func between(_ lo: Int, _ hi: Int) -> UInt64 {
      ((1 &<< UInt64(hi)) &- 1) & ~((1 &<< UInt64(lo)) &- 1)
    }
    guard voteHi > voteLo else { return nil }
    var entryEnds = commas & between(voteLo, voteHi)
    let ends = entryEnds | bit(voteHi)
    let starts = entryEnds &<< 1 | bit(voteLo)
    guard starts & ends == 0, m.blank & (starts | ends &>> 1) == 0 else { return nil }
    let marks = marks
    let items = items
    let short = ids.shortIDs
    var count = 0
    var j = voteLo
    // (Wrapping arithmetic: every position is below 64. Each project once: at most `projectCount`
    // picks, the capacity of `items`; their number is checked against the limits after.)
    while true {
      let e = entryEnds == 0 ? voteHi : entryEnds.trailingZeroBitCount
      let length = e &- j
      let p: Int32?
      if length <= 8 {
        // (1 to 8 bytes: the word at j, read within `reach`, cut to them.)
        let w = UnsafeRawPointer(src + j).loadUnaligned(as: UInt64.self)
        p = short.lookup(word: w & (UInt64.max &>> UInt64(truncatingIfNeeded: 64 &- 8 &* length)), length: length)
      } else {
        p = ids.lookup(UnsafeBufferPointer(start: base + j, count: length))
      }
      guard let p, marks[Int(p)] != mark else { return nil }
      marks[Int(p)] = mark
      items[count] = p
      count &+= 1
      if entryEnds == 0 { break }
      entryEnds &= entryEnds &- 1
      j = e &+ 1
    }
    guard count >= minPicks, count <= maxPicks else { return nil }
    var pointsSeen = 0
    if pointsColumn >= 0 {
      // One value per pick: digits only, each 1 to 18 of them.
      var valueEnds = commas & between(pointsLo, pointsHi)
      let values = pointValues
      var sum: Int64 = 0
      var j = pointsLo
      while true {
        let e = valueEnds == 0 ? pointsHi : valueEnds.trailingZeroBitCount
        guard e > j, e - j <= 18, pointsSeen < count else { return nil }
        var v: Int64 = 0
        for x in j..<e {
          let d = src[x] &- 0x30
          if d > 9 { return nil }
          v = v &* 10 &+ Int64(d)
        }
        guard pointLimits.contains(v) else { return nil }
        let (t, o) = sum.addingReportingOverflow(v)
        guard !o else { return nil }
        sum = t
        values[pointsSeen] = v
        pointsSeen += 1
        if valueEnds == 0 { break }
        valueEnds &= valueEnds &- 1
        j = e + 1
      }
      guard pointsSeen == count, sumLimits.contains(sum) else { return nil }
    }
    itemCount = count
    pointCount = pointsSeen
    return _PlainRow(
      voter: UnsafeBufferPointer(start: base + voterLo, count: voterHi - voterLo), picks: picks, points: points,
      length: end, consumed: k < n ? k + 1 : n, weightUnits: weightUnits, group: group)
  }

  /// ``scanLine(_:block:)`` for a row read on its own.
  func scanLine(_ bytes: UnsafeBufferPointer<UInt8>) -> _PlainRow? {
    var block = _MaskBlock()
    return scanLine(bytes, block: &block)
  }

  /// Whether `x` has exactly `c` bits set (without a population count for 0 or 1: the baseline
  /// x86-64 target has no instruction for it).
  @inline(__always)
  private static func has(_ x: UInt64, bits c: Int) -> Bool {
    switch c {
    case 0: return x == 0
    case 1: return x != 0 && x & (x &- 1) == 0
    default: return x.nonzeroBitCount == c
    }
  }

  /// ``scanLine(_:)`` for a row that does not end within 64 bytes: one field and entry at a time,
  /// each found eight bytes at a time.
  @inline(never)
  func scanLongLine(_ bytes: UnsafeBufferPointer<UInt8>) -> _PlainRow? {
    guard let base = bytes.baseAddress else { return nil }
    let n = bytes.count
    @inline(__always) func blank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
    // Where a field or entry ending at the row's end `k` (a line feed, or the end of the input) ends:
    // one carriage return before it is not part of the row (`lo`: the field's start).
    @inline(__always) func trimmed(_ k: Int, from lo: Int) -> Int {
      k > lo && base[k - 1] == 0x0D ? k - 1 : k
    }
    let mark = nextMark()
    let most = maxPicks
    // (In locals, so that they stay in registers rather than being loaded again for every entry.)
    let marks = marks
    let items = items
    let short = ids.shortIDs
    let voteColumn = voteColumn
    let voterColumn = voterColumn
    let fieldCount = fieldCount
    let pointsColumn = pointsColumn
    let weightColumn = weightColumn
    let groupColumn = groupColumn
    let lastNeeded = lastNeeded
    var weightUnits = ChannelTally.one
    var group = 0
    var pointsSeen = 0
    var sum: Int64 = 0
    var count = 0
    var voterLo = 0
    var voterHi = -1
    var f = 0
    var i = 0
    var k: Int
    // The byte that ended the last field or entry (a line feed also for the end of the input).
    var sep: UInt8
    while true {
      if f == voteColumn {
        var j = i
        while true {
          // The entry from j: its first eight bytes are read once, to find where it ends and, when it
          // is at most 8 bytes long, to look it up.
          var p: Int32?
          if j + 8 <= n {
            let w = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
            let t = _flags(w, 0x2C, or: 0x3B, or: 0x0A)
            k = t != 0 ? j + t.trailingZeroBitCount >> 3 : _find(0x2C, or: 0x3B, or: 0x0A, in: base, from: j + 8, to: n)
            sep = k < n ? base[k] : 0x0A
            let e = sep == 0x0A ? trimmed(k, from: j) : k
            let length = e - j
            guard length > 0, !blank(base[j]), !blank(base[e - 1]), count < most else { return nil }
            p =
              length < 8
              ? short.lookup(word: w & ((1 &<< UInt64(8 * length)) &- 1), length: length)
              : length == 8 ? short.lookup(word: w, length: 8) : ids.lookup(UnsafeBufferPointer(start: base + j, count: length))
          } else {
            k = _find(0x2C, or: 0x3B, or: 0x0A, in: base, from: j, to: n)
            sep = k < n ? base[k] : 0x0A
            let e = sep == 0x0A ? trimmed(k, from: j) : k
            guard e > j, !blank(base[j]), !blank(base[e - 1]), count < most else { return nil }
            p = ids.lookup(UnsafeBufferPointer(start: base + j, count: e - j))
          }
          guard let p, marks[Int(p)] != mark else { return nil }
          marks[Int(p)] = mark
          items[count] = p
          count += 1
          if sep != 0x2C { break }
          j = k + 1
        }
      } else if f == pointsColumn {
        // Point values: digits only, each ended by ',' (another follows), ';' or the row's end (one
        // carriage return before a line feed, or before the end of the input, is not part of it).
        let values = pointValues
        let capacity = projectCount
        var j = i
        while true {
          var v: Int64 = 0
          var digits = 0
          k = j
          while k < n {
            let d = base[k] &- 0x30
            if d > 9 { break }
            v = v &* 10 &+ Int64(d)
            digits += 1
            k += 1
          }
          guard digits > 0, digits <= 18, pointLimits.contains(v), pointsSeen < capacity else { return nil }
          if k < n && base[k] == 0x0D && (k + 1 == n || base[k + 1] == 0x0A) { k += 1 }
          sep = k < n ? base[k] : 0x0A
          guard sep == 0x2C || sep == 0x3B || sep == 0x0A else { return nil }
          let (t, o) = sum.addingReportingOverflow(v)
          guard !o else { return nil }
          sum = t
          values[pointsSeen] = v
          pointsSeen += 1
          if sep != 0x2C { break }
          j = k + 1
        }
      } else {
        k = _find(0x3B, or: 0x0A, in: base, from: i, to: n)
        sep = k < n ? base[k] : 0x0A
        let end = sep == 0x0A ? trimmed(k, from: i) : k
        if f == voterColumn {
          voterLo = i
          voterHi = end
        } else if f == weightColumn {
          guard let w = Self.weight(base, i, end) else { return nil }
          weightUnits = w
        } else if f == groupColumn {
          guard let g = groupIndex(base, i, end) else { return nil }
          group = g
        }
      }
      f += 1
      if sep == 0x0A { break }
      if f == fieldCount { return nil }
      i = k + 1
      if f > lastNeeded {
        // The fields left are only counted: the row's end, then the separators before it.
        k = _find(0x0A, in: base, from: i, to: n)
        guard let more = _count(0x3B, in: base, from: i, to: k, unless: 0x0A) else { return nil }
        f += more + 1
        break
      }
    }
    guard f == fieldCount, voterHi >= voterLo, count >= minPicks else { return nil }
    if pointsColumn >= 0 {
      guard pointsSeen == count, sumLimits.contains(sum) else { return nil }
    }
    if checksVoter {
      guard voterHi > voterLo, !blank(base[voterLo]), !blank(base[voterHi - 1]) else { return nil }
    }
    itemCount = count
    pointCount = pointsSeen
    return _PlainRow(
      voter: UnsafeBufferPointer(start: base + voterLo, count: voterHi - voterLo), picks: picks, points: points,
      length: trimmed(k, from: 0), consumed: k < n ? k + 1 : n, weightUnits: weightUnits, group: group)
  }
}

/// The separator masks of 64 bytes of a reader's input and where they start (nil: none yet), kept
/// by the reader's loop for ``_PlainRows/scanLine(_:block:)``.
struct _MaskBlock {
  var start: UnsafePointer<UInt8>? = nil
  var masks = tally_separators()
}

/// A row ``_PlainRows/scanLine(_:)`` accepted (a value, so that a reader's loop holds no reference to
/// the scanner while it uses the row).
struct _PlainRow {
  /// The voter id's bytes.
  let voter: UnsafeBufferPointer<UInt8>
  /// The picks, in ballot order (valid until the scanner's next row).
  let picks: UnsafeBufferPointer<Int32>
  /// Their points, in the same order (empty without a points column; valid until the next row).
  let points: UnsafeBufferPointer<Int64>
  /// The row's length, its line terminator excluded (what ``_RecordReader/next()`` would return).
  let length: Int
  /// The bytes the row takes up to and including its line feed (its length when it ends the input).
  let consumed: Int
  /// Its weight in millionths (one without a weight column) and its group's index (0 without groups).
  var weightUnits: Int64 = ChannelTally.one
  var group = 0
}
