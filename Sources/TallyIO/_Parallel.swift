#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Dispatch

/// Result slots filled by concurrent iterations, each slot by one iteration only, read after all
/// have finished (hence the unchecked `Sendable`: the body's captures are read-only while it runs).
private final class _Slots<T>: @unchecked Sendable {
  let values: UnsafeMutablePointer<T?>
  let count: Int
  let body: (Int) -> T

  init(count: Int, body: @escaping (Int) -> T) {
    self.count = count
    self.body = body
    values = .allocate(capacity: count)
    values.initialize(repeating: nil, count: count)
  }

  deinit {
    values.deinitialize(count: count)
    values.deallocate()
  }
}

/// `body(0) ... body(count - 1)` run at once on the machine's cores; their results in order.
/// `body` must only read what it captures (each call builds its own state).
func _inParallel<T>(_ count: Int, _ body: @escaping (Int) -> T) -> [T] {
  let slots = _Slots(count: count, body: body)
  DispatchQueue.concurrentPerform(iterations: count) { i in slots.values[i] = slots.body(i) }
  return (0..<count).map { slots.values[$0]! }
}

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
