import CTallySystem
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
///
/// Each thread is created on a CPU other than the caller's (`tally_place_on_another_cpu`) and may run
/// anywhere once it has started. Left to itself, Linux first queues a new thread on its creator's
/// CPU, where it waits behind the busy creator until the idle CPU takes it over: traced over 30 runs
/// of `tally run` on the bundled election, the second part began a median 2.1 ms after the first (as
/// early as 0.03 ms, as late as 4 ms), so most of its work ran after the first part had ended.
package func _inFreshThreads<T>(_ count: Int, _ body: @escaping (Int) -> T) -> [T] {
  #if canImport(Glibc)
    let slots = _Slots(count: count, body: body)
    var threads: [pthread_t] = []
    // Call 1 goes to the thread started ahead (``_prestartThread()``) when one is waiting.
    let early = count > 1 ? _EarlyThread.take({ slots.values[1] = slots.body(1) }) : nil
    for i in (early == nil ? 1 : 2)..<max(count, 1) {
      let job = Unmanaged.passRetained(_Job { slots.values[i] = slots.body(i) }).toOpaque()
      var thread = pthread_t()
      var attributes = pthread_attr_t()
      pthread_attr_init(&attributes)
      defer { pthread_attr_destroy(&attributes) }
      _ = tally_place_on_another_cpu(&attributes)
      let started = pthread_create(
        &thread, &attributes,
        { context in
          tally_release_placement()
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
    early?.wait()
    for thread in threads { pthread_join(thread, nil) }
    return (0..<count).map { slots.values[$0]! }
  #else
    return _inParallel(count, body)
  #endif
}

/// Starts a thread ahead of a call of ``_inFreshThreads(_:_:)`` that will need one (reading a large
/// file in parts), unless one is already waiting. On the 2-core virtual machines Tally runs on, a
/// thread created when it is needed began its work a median 1.2 ms later (0.13 to 2.3 ms), while the
/// reading thread had already begun its part, so the second part ended late. A thread started while
/// the caller still reads the smaller inputs is ready by then: it sleeps until its call is posted (at
/// most 25 ms, then ends; a later call then starts its own thread), placed on a CPU other than its
/// creator's (see ``_inFreshThreads(_:_:)``). Traced over 30 runs of `tally run` on the bundled
/// election, its part then began a median 8 µs after the caller's. No effect where threads are not
/// POSIX threads.
package func _prestartThread() {
  #if canImport(Glibc)
    _EarlyThread.start()
  #endif
}

#if canImport(Glibc)
  /// The thread ``_prestartThread()`` starts: one call, handed over under one process-wide lock.
  private final class _EarlyThread: @unchecked Sendable {
    private enum State { case waiting, posted, running, done, gone }
    /// Guards `waitingThread` and every thread's `state` and `job`.
    nonisolated(unsafe) private static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
      let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
      pthread_mutex_init(m, nil)
      return m
    }()
    /// The thread waiting for a call, if any.
    nonisolated(unsafe) private static var waitingThread: _EarlyThread? = nil
    /// How long a thread waits for its call (seconds).
    private static let patience = 0.025

    private var state = State.waiting
    private var job: (() -> Void)? = nil
    private let finished: UnsafeMutablePointer<pthread_cond_t>
    private let posted: UnsafeMutablePointer<pthread_cond_t>

    private init() {
      finished = .allocate(capacity: 1)
      pthread_cond_init(finished, nil)
      posted = .allocate(capacity: 1)
      pthread_cond_init(posted, nil)
    }

    deinit {
      pthread_cond_destroy(finished)
      finished.deallocate()
      pthread_cond_destroy(posted)
      posted.deallocate()
    }

    static func start() {
      pthread_mutex_lock(lock)
      defer { pthread_mutex_unlock(lock) }
      guard waitingThread == nil else { return }
      let t = _EarlyThread()
      let context = Unmanaged.passRetained(t).toOpaque()
      var thread = pthread_t()
      var attributes = pthread_attr_t()
      pthread_attr_init(&attributes)
      defer { pthread_attr_destroy(&attributes) }
      _ = tally_place_on_another_cpu(&attributes)
      guard
        pthread_create(
          &thread, &attributes,
          { context in
            Unmanaged<_EarlyThread>.fromOpaque(context!).takeRetainedValue().run()
            return nil
          }, context) == 0
      else {
        Unmanaged<_EarlyThread>.fromOpaque(context).release()
        return
      }
      pthread_detach(thread)
      waitingThread = t
    }

    /// Hands `job` to the waiting thread and returns it (``wait()`` for the job), or nil when no
    /// thread is waiting.
    static func take(_ job: @escaping () -> Void) -> _EarlyThread? {
      pthread_mutex_lock(lock)
      defer { pthread_mutex_unlock(lock) }
      guard let t = waitingThread, t.state == .waiting else { return nil }
      waitingThread = nil
      t.job = job
      t.state = .posted
      pthread_cond_signal(t.posted)
      return t
    }

    /// Waits until the job handed over has run.
    func wait() {
      pthread_mutex_lock(Self.lock)
      while state != .done { pthread_cond_wait(finished, Self.lock) }
      pthread_mutex_unlock(Self.lock)
    }

    private func run() {
      var deadline = timespec()
      clock_gettime(CLOCK_REALTIME, &deadline)
      deadline.tv_nsec += Int(Self.patience * 1e9)
      if deadline.tv_nsec >= 1_000_000_000 {
        deadline.tv_sec += 1
        deadline.tv_nsec -= 1_000_000_000
      }
      pthread_mutex_lock(Self.lock)
      while state == .waiting {
        if pthread_cond_timedwait(posted, Self.lock, &deadline) == ETIMEDOUT && state == .waiting {
          state = .gone
          if Self.waitingThread === self { Self.waitingThread = nil }
          pthread_mutex_unlock(Self.lock)
          return
        }
      }
      let job = self.job!
      state = .running
      pthread_mutex_unlock(Self.lock)
      tally_release_placement()
      job()
      pthread_mutex_lock(Self.lock)
      self.job = nil
      state = .done
      pthread_cond_signal(finished)
      pthread_mutex_unlock(Self.lock)
    }
  }
#endif

/// One call of ``_inFreshThreads(_:_:)`` handed to a thread.
private final class _Job: @unchecked Sendable {
  let run: () -> Void
  init(_ run: @escaping () -> Void) { self.run = run }
}
