/// The readers' fast path for ordinary ballot rows: one left-to-right pass over a row of quote-free
/// `;`-separated fields that finds the voter id and looks the vote list's ids up as it goes, when the
/// row is a plain valid ballot. Shared by ballot files (``BallotFileReader``) and Pabulib VOTES
/// sections (``PabulibReader``); each reader takes a row only when this scanner accepts it and
/// judges every other row its own general way, so the scanner only ever decides faster, never
/// differently.
///
/// A row is accepted when it has exactly the header's number of fields; its vote list is non-empty
/// and every entry is a known project id with no spaces or tabs to trim, none named twice; the number
/// of picks is within the limits; and, when ``checksVoter``, the voter id is non-empty with no spaces
/// or tabs at either end. The picks are then in ``picks``, in ballot order.
///
/// The row's bytes may be read past its end, up to a given `readable` address, eight at a time.
/// Holds one reader's scratch space (per-project marks and the picks), so scanning allocates nothing.
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
  private let projectCount: Int
  /// Per project, the number of the last row that named it (rows are numbered from 1; the numbers
  /// start again from 1, with every mark cleared, when they would wrap).
  private let marks: UnsafeMutablePointer<UInt32>
  private var row: UInt32 = 0
  private let items: UnsafeMutablePointer<Int32>
  private var itemCount = 0

  init(
    ids: _IDTable, projectCount: Int, voterColumn: Int, voteColumn: Int, fieldCount: Int, minPicks: Int, maxPicks: Int?,
    checksVoter: Bool
  ) {
    self.ids = ids
    self.projectCount = max(projectCount, 1)
    self.voterColumn = voterColumn
    self.voteColumn = voteColumn
    self.fieldCount = fieldCount
    self.minPicks = minPicks
    self.maxPicks = maxPicks ?? Int.max
    self.checksVoter = checksVoter
    marks = .allocate(capacity: self.projectCount)
    marks.initialize(repeating: 0, count: self.projectCount)
    items = .allocate(capacity: self.projectCount)
  }

  deinit {
    marks.deallocate()
    items.deallocate()
  }

  /// The picks of the row last accepted, in ballot order.
  var picks: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: items, count: itemCount) }

  /// The voter id's bytes when the row is accepted (its picks are then in ``picks``), else nil.
  @inline(__always)
  func scan(_ rec: UnsafeBufferPointer<UInt8>, readable: UnsafePointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
    guard let base = rec.baseAddress else { return nil }
    let n = rec.count
    let room = readable - base
    @inline(__always) func blank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
    if row == .max {
      marks.update(repeating: 0, count: projectCount)
      row = 0
    }
    row += 1
    let mark = row
    let most = maxPicks
    var count = 0
    var voterLo = 0
    var voterHi = -1
    var f = 0
    var i = 0
    while true {
      var k: Int
      if f == voteColumn {
        var j = i
        while true {
          // The entry from j: its first eight bytes are read once, to find where it ends and, when it
          // is at most 8 bytes long, to look it up.
          var p: Int32?
          if j + 8 <= room {
            let w = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
            let t = _flags(w, 0x2C, or: 0x3B)
            k = t != 0 ? min(j + t.trailingZeroBitCount >> 3, n) : _find(0x2C, or: 0x3B, in: base, from: j + 8, to: n, readable: room)
            let length = k - j
            guard length > 0, !blank(base[j]), !blank(base[k - 1]), count < most else { return nil }
            p =
              length < 8
              ? ids.lookup(word: w & ((1 &<< UInt64(8 * length)) &- 1), length: length)
              : length == 8 ? ids.lookup(word: w, length: 8) : ids.lookup(UnsafeBufferPointer(start: base + j, count: length))
          } else {
            k = _find(0x2C, or: 0x3B, in: base, from: j, to: n, readable: room)
            guard k > j, !blank(base[j]), !blank(base[k - 1]), count < most else { return nil }
            p = ids.lookup(UnsafeBufferPointer(start: base + j, count: k - j))
          }
          guard let p, marks[Int(p)] != mark else { return nil }
          marks[Int(p)] = mark
          items[count] = p
          count += 1
          if k >= n || base[k] == 0x3B { break }
          j = k + 1
        }
      } else {
        k = _find(0x3B, in: base, from: i, to: n, readable: room)
        if f == voterColumn {
          voterLo = i
          voterHi = k
        }
      }
      f += 1
      if k >= n { break }
      if f == fieldCount { return nil }
      i = k + 1
    }
    guard f == fieldCount, voterHi >= voterLo, count >= minPicks else { return nil }
    if checksVoter {
      guard voterHi > voterLo, !blank(base[voterLo]), !blank(base[voterHi - 1]) else { return nil }
    }
    itemCount = count
    return UnsafeBufferPointer(start: base + voterLo, count: voterHi - voterLo)
  }
}
