import Dispatch
#if canImport(Glibc)
  import Glibc
#endif

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

/// `body(0) ... body(count - 1)` run at once on the machine's cores (Dispatch's thread pool); their
/// results in order. `body` must only read what it captures (each call builds its own state).
/// For work repeated many times in one process (the pool's threads stay up between calls).
package func _inParallel<T>(_ count: Int, _ body: @escaping (Int) -> T) -> [T] {
  let slots = _Slots(count: count, body: body)
  DispatchQueue.concurrentPerform(iterations: count) { i in slots.values[i] = slots.body(i) }
  return (0..<count).map { slots.values[$0]! }
}

/// ``_inParallel(_:_:)`` for one call early in a process, such as reading a large file in parts:
/// `body(0)` runs on the calling thread and every other call on a thread of its own, started here and
/// joined before returning (a thread that cannot be started runs its call on the caller). Starting
/// Dispatch's pool in a fresh process took up to 3 ms before the second call began, against ~0.1 ms
/// here; for calls repeated many times the pool is faster (mes-add1 ran ~25% longer on fresh
/// threads).
package func _inFreshThreads<T>(_ count: Int, _ body: @escaping (Int) -> T) -> [T] {
  #if canImport(Glibc)
    let slots = _Slots(count: count, body: body)
    var threads: [pthread_t] = []
    for i in 1..<max(count, 1) {
      let job = Unmanaged.passRetained(_Job { slots.values[i] = slots.body(i) }).toOpaque()
      var thread = pthread_t()
      let started = pthread_create(
        &thread, nil,
        { context in
          Unmanaged<_Job>.fromOpaque(context!).takeRetainedValue().run()
          return nil
        }, job)
      if started == 0 {
        threads.append(thread)
      } else {
        Unmanaged<_Job>.fromOpaque(job).release()
        slots.values[i] = slots.body(i)
      }
    }
    if count > 0 { slots.values[0] = slots.body(0) }
    for thread in threads { pthread_join(thread, nil) }
    return (0..<count).map { slots.values[$0]! }
  #else
    return _inParallel(count, body)
  #endif
}

/// One call of ``_inFreshThreads(_:_:)`` handed to a thread.
private final class _Job: @unchecked Sendable {
  let run: () -> Void
  init(_ run: @escaping () -> Void) { self.run = run }
}
