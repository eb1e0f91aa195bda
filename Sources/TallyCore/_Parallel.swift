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
package func _inParallel<T>(_ count: Int, _ body: @escaping (Int) -> T) -> [T] {
  let slots = _Slots(count: count, body: body)
  DispatchQueue.concurrentPerform(iterations: count) { i in slots.values[i] = slots.body(i) }
  return (0..<count).map { slots.values[$0]! }
}

