#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import TallyCore

/// The voter-id bytes of the first non-blank line of `bytes` (which hold no quote): field `column`
/// of `;`-separated fields, blanks trimmed when `trim`.
func _firstField(_ bytes: UnsafeBufferPointer<UInt8>, column: Int, trim: Bool) -> [UInt8]? {
  guard let base = bytes.baseAddress else { return nil }
  var start = 0
  let fields = _FieldSplitter()
  while start < bytes.count {
    let nl = memchr(base + start, 0x0A, bytes.count - start).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base }
      ?? bytes.count
    var line = UnsafeBufferPointer(rebasing: bytes[start..<nl])
    if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
    start = nl + 1
    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
    fields.split(line)
    guard column < fields.count else { return nil }
    let f = fields.bytes(column, in: line)
    return Array(trim ? f.trimmed() : f)
  }
  return nil
}

/// How many of the bytes at the start of `unread` are checked to hold no quote (`"`): about 64 KiB,
/// to the next line start (or to their end), or nil when those bytes hold a quote. A part read in
/// place takes its rows as lines (``_RecordReader/init(continuing:source:firstLine:quoteFree:)``),
/// which is exact only without quotes: it checks its bytes a chunk ahead of its rows, rather than
/// the caller checking the whole input on one thread first (a 3.4 MB ballot file took ~0.3 ms).
func _quoteFreePrefix(_ unread: UnsafeBufferPointer<UInt8>) -> Int? {
  guard let base = unread.baseAddress else { return 0 }
  var n = min(unread.count, 1 << 16)
  if n < unread.count, base[n - 1] != 0x0A {
    n = memchr(base + n, 0x0A, unread.count - n).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base + 1 } ?? unread.count
  }
  return memchr(base, 0x22, n) == nil ? n : nil
}

/// What a reader of rows checks before each row when it reads part of an input in place: that its
/// part (``_MovingCut``) lets it start a row there, and, with `checkQuotes`, that the bytes ahead hold
/// no quote (``_quoteFreePrefix(_:)``, a chunk at a time). Without a cut or quote check every row
/// may start.
struct _PartGate {
  enum Step { case row, end, quote }
  private let cut: _MovingCut?
  /// The offset before which rows may start, and the one up to which the bytes hold no quote.
  private var limit: Int
  private var checked: Int

  init(cut: _MovingCut?, checkQuotes: Bool) {
    self.cut = cut
    limit = cut == nil ? Int.max : 0
    checked = checkQuotes ? 0 : Int.max
  }

  /// Whether a row may start at `reader`'s offset (`row`), the part ends there (`end`), or the bytes
  /// ahead hold a quote (`quote`).
  @inline(__always)
  mutating func step(_ reader: _RecordReader) -> Step {
    let offset = reader.offset
    if offset >= limit {
      limit = cut!.limit(from: offset)
      if offset >= limit { return .end }
    }
    if offset >= checked {
      guard let n = _quoteFreePrefix(reader.unread) else { return .quote }
      checked = offset + n
    }
    return .row
  }
}

/// The size from which the readers read a file in two parts on two threads (their `partsThreshold`).
package let _defaultPartsThreshold = 1 << 20

/// Reads `all` in two parts on two threads, cut where they meet (``_MovingCut``): `first(cut)` runs
/// on the calling thread and reads from the start until `cut` closes its part; the other thread first
/// hashes `rest` on from `hasher` (so that the input's SHA-256 costs no wall time), then closes the
/// first part and calls `second(at)` for the bytes from `at` on. The parts end together however long
/// the hashing takes and whenever the other thread starts. Returns both results, the hasher after
/// `rest`, and where the second part begins. `secondThreadCost`: how much longer the second part
/// takes per byte (``_MovingCut/close(in:secondThreadCost:)``). `fixedCut` (tests): the first part
/// ends at the first line start at or after that fraction of the bytes instead.
func _readInTwoParts<T>(
  _ all: UnsafeBufferPointer<UInt8>, hashing rest: UnsafeRawBufferPointer, after hasher: SHA256,
  secondThreadCost: Double = _MovingCut.secondThreadCost, fixedCut: Double? = nil,
  first: @escaping (_MovingCut) -> T, second: @escaping (Int) -> T
) -> (first: T, second: T, hasher: SHA256, cut: Int) {
  let cut = _MovingCut(
    count: all.count,
    closedAt: fixedCut.map { _MovingCut.lineStart(in: all, atOrAfter: Int((Double(all.count) * min(max($0, 0), 1)).rounded(.up))) })
  let results = _inFreshThreads(2) { i -> (T, SHA256?, Int) in
    if i == 0 { return (first(cut), nil, 0) }
    var h = hasher
    h.update(bufferPointer: rest)
    let at = cut.close(in: all, secondThreadCost: secondThreadCost)
    return (second(at), h, at)
  }
  return (results[0].0, results[1].0, results[1].1!, results[1].2)
}
