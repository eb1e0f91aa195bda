#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Crypto
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

/// Where to cut quote-free bytes in two at the first line break from `at` on (the middle by default)
/// (nil when they hold a quote or no such line break).
func _cutInTwo(_ all: UnsafeBufferPointer<UInt8>, at: Int? = nil) -> Int? {
  let from = at ?? all.count / 2
  guard let base = all.baseAddress, all.count >= 2, from < all.count, memchr(base, 0x22, all.count) == nil,
    let nl = memchr(base + from, 0x0A, all.count - from)
  else { return nil }
  let cut = UnsafePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - base + 1
  return cut < all.count ? cut : nil
}

/// The size from which the readers read a file in two parts on two threads (their `partsThreshold`).
package let _defaultPartsThreshold = 1 << 20

/// Where to cut `count` bytes read on two threads, the first of which also hashes `hashing` bytes:
/// hashing a byte costs about 0.15 of reading one, so the first part is made that much smaller.
func _firstPartSize(_ count: Int, hashing: Int) -> Int {
  max(0, count - hashing / 100 * 15) / 2
}

/// Runs `read(0)` and `read(1)` (the two parts of a file) on two threads, the first also hashing
/// `rest` on from `hasher`, so that the SHA-256 of the input costs no wall time: the two results and
/// the hasher after `rest`.
func _readTwoPartsHashing<T>(
  _ rest: UnsafeRawBufferPointer, after hasher: SHA256, _ read: @escaping (Int) -> T
) -> (T, T, SHA256) {
  let results = _inFreshThreads(2) { i -> (T, SHA256?) in
    var h: SHA256? = nil
    if i == 0 {
      h = hasher
      h!.update(bufferPointer: rest)
    }
    return (read(i), h)
  }
  return (results[0].0, results[1].0, results[0].1!)
}
