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
    let early = count > 1 ? _onPrestartedThread({ slots.values[1] = slots.body(1) }) : nil
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
    // (A loop: `map` over a range of Ints made the runtime look up that range's conformances when
    // first called, ~0.04-0.08 ms in `tally run`, on the main thread after the parts.)
    var results: [T] = []
    results.reserveCapacity(count)
    var i = 0
    while i < count {
      results.append(slots.values[i]!)
      i += 1
    }
    return results
  #else
    return _inParallel(count, body)
  #endif
}

/// Starts a thread ahead of a call of ``_inFreshThreads(_:_:)`` that will need one (reading a large
/// file in parts), unless one is already waiting. On the 2-core virtual machines Tally runs on, a
/// thread created when it is needed began its work a median 1.2 ms later (0.13 to 2.3 ms), while the
/// reading thread had already begun its part, so the second part ended late. A thread started while
/// the caller still reads the smaller inputs is ready by then: it runs the jobs handed to it in turn
/// (``_onPrestartedThread(_:)``, and call 1 of ``_inFreshThreads(_:_:)``), and ends once it has
/// waited 25 ms for one (a later call then starts its own thread). It is placed on a CPU other than
/// its creator's (see ``_inFreshThreads(_:_:)``). Traced over 30 runs of `tally run` on the bundled
/// election, its part then began a median 8 µs after the caller's. No effect where threads are not
/// POSIX threads.
package func _prestartThread() {
  #if canImport(Glibc)
    _EarlyThread.start()
  #endif
}

/// Runs `job` on the thread ``_prestartThread()`` started, after the jobs handed to it before, and
/// returns at once: a ticket to wait for it, or nil (with `job` not run) when no such thread is
/// waiting for work.
package func _onPrestartedThread(_ job: @escaping () -> Void) -> _PrestartedJob? {
  #if canImport(Glibc)
    return _EarlyThread.take(job)
  #else
    return nil
  #endif
}

/// Whether a thread ``_prestartThread()`` started takes jobs (its wait may still run out before
/// ``_onPrestartedThread(_:)`` hands it one).
package func _hasPrestartedThread() -> Bool {
  #if canImport(Glibc)
    return _EarlyThread.isWaiting
  #else
    return false
  #endif
}

/// Lets the thread started ahead end as soon as the jobs handed to it have run, rather than after
/// waiting out its patience; later jobs run on their caller. For a process about to exit: the exit
/// is over only once every thread has ended, and a thread asleep on the other CPU has to be woken to
/// end, which took 0.04-0.2 ms on this virtual machine. Ended while the caller writes its output, it
/// is gone by then. No effect where threads are not POSIX threads.
package func _retirePrestartedThread() {
  #if canImport(Glibc)
    _EarlyThread.retire()
  #endif
}

/// Destroys `value` on the thread started ahead when one takes jobs, else here: the last references
/// to large buffers (a mapped input, the tables of a part read), whose freeing would otherwise hold
/// up the calling thread. Traced on the bundled election, unmapping its 3.4 MB ballot file took
/// ~0.15 ms of the main thread. The caller passes its last references (`consume`).
package func _destroyOnPrestartedThread<T>(_ value: consuming T) {
  let parcel = _Parcel(value)
  _ = _onPrestartedThread { parcel.value = nil }
}

/// A value handed to another thread to be destroyed there.
private final class _Parcel<T>: @unchecked Sendable {
  var value: T?
  init(_ value: consuming T) { self.value = value }
}

/// A job handed to the thread started ahead (``_onPrestartedThread(_:)``).
package final class _PrestartedJob: @unchecked Sendable {
  fileprivate let job: () -> Void
  /// Set under ``_EarlyThread``'s lock.
  fileprivate var done = false
  /// 1 once the job has run (set atomically before `done`, read without the lock by ``wait()``).
  fileprivate let ran = UnsafeMutablePointer<Int>.allocate(capacity: 1)

  fileprivate init(_ job: @escaping () -> Void) {
    self.job = job
    ran.initialize(to: 0)
  }

  deinit { ran.deallocate() }

  /// How long ``wait()`` checks the job before it sleeps (seconds), when the process may use more
  /// than one CPU.
  private static let spinTime = 0.001
  private static let mayUseAnotherCPU = tally_usable_cpus() > 1

  /// Waits until the job has run. It first checks for up to a millisecond, then sleeps until the
  /// other thread signals. The two parts of a file read on two threads end within a fraction of a
  /// millisecond of each other, and traced on this 2-core virtual machine a thread sleeping on the
  /// condition woke 0.04-0.2 ms after it was signalled.
  package func wait() {
    #if canImport(Glibc)
      if Self.mayUseAnotherCPU && !_spin(until: { tally_atomic_load(ran) != 0 }, for: Self.spinTime) {
        _EarlyThread.wait(for: self)
      }
    #endif
  }
}

/// Checks `condition` until it holds or `seconds` have passed; whether it held.
private func _spin(until condition: () -> Bool, for seconds: Double) -> Bool {
  #if canImport(Glibc)
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    while true {
      for _ in 0..<64 {
        if condition() { return true }
        tally_cpu_relax()
      }
      var now = timespec()
      clock_gettime(CLOCK_MONOTONIC, &now)
      if Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) * 1e-9 >= seconds { return condition() }
    }
  #else
    return condition()
  #endif
}

#if canImport(Glibc)
  /// The thread ``_prestartThread()`` starts: jobs handed over under one process-wide lock, run in
  /// turn.
  private final class _EarlyThread: @unchecked Sendable {
    /// Guards `waitingThread`, every thread's `queue` and every job's `done`.
    nonisolated(unsafe) private static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
      let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
      pthread_mutex_init(m, nil)
      return m
    }()
    /// Signalled whenever a job is done.
    nonisolated(unsafe) private static let finished: UnsafeMutablePointer<pthread_cond_t> = {
      let c = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
      pthread_cond_init(c, nil)
      return c
    }()
    /// The thread that takes jobs, if any.
    nonisolated(unsafe) private static var waitingThread: _EarlyThread? = nil
    /// How long a thread waits for a job (seconds).
    private static let patience = 0.025

    /// Jobs handed over and not begun, in order.
    private var queue: [_PrestartedJob] = []
    /// Set (under the lock) when the thread is to end once its queue is empty (``retire()``).
    private var retiring = false
    private let posted: UnsafeMutablePointer<pthread_cond_t>

    private init() {
      posted = .allocate(capacity: 1)
      pthread_cond_init(posted, nil)
    }

    deinit {
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

    static var isWaiting: Bool {
      pthread_mutex_lock(lock)
      defer { pthread_mutex_unlock(lock) }
      return waitingThread != nil
    }

    /// Queues `job` on the thread taking jobs and returns its ticket, or nil when there is none.
    static func take(_ job: @escaping () -> Void) -> _PrestartedJob? {
      pthread_mutex_lock(lock)
      defer { pthread_mutex_unlock(lock) }
      guard let t = waitingThread else { return nil }
      let ticket = _PrestartedJob(job)
      t.queue.append(ticket)
      pthread_cond_signal(t.posted)
      return ticket
    }

    /// Takes no more jobs, and lets the thread end once those queued have run.
    static func retire() {
      pthread_mutex_lock(lock)
      defer { pthread_mutex_unlock(lock) }
      guard let t = waitingThread else { return }
      waitingThread = nil
      t.retiring = true
      pthread_cond_signal(t.posted)
    }

    /// Waits until `ticket`'s job has run.
    static func wait(for ticket: _PrestartedJob) {
      pthread_mutex_lock(lock)
      while !ticket.done { pthread_cond_wait(finished, lock) }
      pthread_mutex_unlock(lock)
    }

    private func run() {
      var placed = true
      pthread_mutex_lock(Self.lock)
      while true {
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        deadline.tv_nsec += Int(Self.patience * 1e9)
        if deadline.tv_nsec >= 1_000_000_000 {
          deadline.tv_sec += 1
          deadline.tv_nsec -= 1_000_000_000
        }
        while queue.isEmpty {
          if retiring {
            pthread_mutex_unlock(Self.lock)
            return
          }
          if pthread_cond_timedwait(posted, Self.lock, &deadline) == ETIMEDOUT && queue.isEmpty {
            // No job came: take no more (a job handed over before this point is in the queue).
            if Self.waitingThread === self { Self.waitingThread = nil }
            pthread_mutex_unlock(Self.lock)
            return
          }
        }
        let ticket = queue.removeFirst()
        pthread_mutex_unlock(Self.lock)
        if placed {
          tally_release_placement()
          placed = false
        }
        ticket.job()
        _ = tally_atomic_exchange_if(ticket.ran, 0, 1)
        pthread_mutex_lock(Self.lock)
        ticket.done = true
        pthread_cond_broadcast(Self.finished)
      }
    }
  }
#endif

/// One call of ``_inFreshThreads(_:_:)`` handed to a thread.
private final class _Job: @unchecked Sendable {
  let run: () -> Void
  init(_ run: @escaping () -> Void) { self.run = run }
}

/// Where bytes read in two parts on two threads are cut, decided while they are read: the first
/// thread reads from the start, claiming the bytes ahead of it a step at a time
/// (``limit(from:)``); the second, once it is free (it may have other work first, or start late),
/// closes the first part at a line break past everything claimed (``close(in:)``) and reads from
/// there. Neither waits for the other, and each part holds whole lines: the first thread starts a
/// row only before its limit, the rows are lines, and the cut is a line start at or after every
/// limit handed out. When the first thread has claimed every byte first, the second part is empty.
package final class _MovingCut: @unchecked Sendable {
  /// At least 0: the first thread may start rows before this offset; below 0: the first part was
  /// closed at offset −(value + 1).
  private let frontier: UnsafeMutablePointer<Int>
  /// The bytes' count.
  package let count: Int
  /// How far ahead the first thread claims (32 KiB by default; the second thread reads the frontier
  /// once).
  let step: Int

  /// A cut of `count` bytes; `closedAt`: the first part is closed already, at that line start (tests
  /// fix the cut this way, as the threads' timing would otherwise decide it).
  package init(count: Int, step: Int = 1 << 15, closedAt: Int? = nil) {
    self.count = count
    self.step = max(step, 1)
    frontier = .allocate(capacity: 1)
    frontier.initialize(to: closedAt.map { -($0 + 1) } ?? 0)
  }

  deinit { frontier.deallocate() }

  /// For the first thread at `offset` (a line start): the offset before which it may start rows,
  /// claiming more when it can; at most `offset` when its part ends there.
  package func limit(from offset: Int) -> Int {
    var f = tally_atomic_load(frontier)
    while true {
      if f < 0 { return -(f + 1) }
      let wanted = min(offset + step, count)
      if f >= wanted { return f }
      let seen = tally_atomic_exchange_if(frontier, f, wanted)
      if seen == f { return wanted }
      f = seen
    }
  }

  /// How much longer the second thread takes per byte than the first, by default. Traced over 40
  /// runs of `tally allocate` on Katowice's file, with the bytes shared evenly the second part ended
  /// 0.5 ms after the first: per byte it took 1.16 times as long (it starts with caches that hashing
  /// filled with other bytes). A reader whose second part also does more per row says so
  /// (``close(in:secondThreadCost:)``).
  package static let secondThreadCost = 1.15

  /// For the second thread: closes the first part at the first line start at or after the point
  /// where what the first thread has not yet claimed splits so that both end together (the second
  /// thread's share smaller by `secondThreadCost`, its time per byte over the first's; never before
  /// what the first has claimed), and returns that offset (the one it was closed at already, if it
  /// was).
  package func close(in bytes: UnsafeBufferPointer<UInt8>, secondThreadCost: Double = secondThreadCost) -> Int {
    precondition(bytes.count == count)
    var f = tally_atomic_load(frontier)
    while true {
      if f < 0 { return -(f + 1) }
      // The first thread is somewhere in the step before `f`.
      let reading = max(0, f - step / 2)
      let firstShare = Int(Double(count - reading) * secondThreadCost / (1 + secondThreadCost))
      let cut = Self.lineStart(in: bytes, atOrAfter: max(f, reading + firstShare))
      let seen = tally_atomic_exchange_if(frontier, f, -(cut + 1))
      if seen == f { return cut }
      f = seen
    }
  }

  /// The first offset at or after `from` that starts a line (follows a line feed, or is 0), or `count`.
  package static func lineStart(in bytes: UnsafeBufferPointer<UInt8>, atOrAfter from: Int) -> Int {
    guard let base = bytes.baseAddress, from > 0 else { return 0 }
    if from >= bytes.count { return bytes.count }
    if base[from - 1] == 0x0A { return from }
    guard let nl = memchr(base + from, 0x0A, bytes.count - from) else { return bytes.count }
    return UnsafePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - base + 1
  }
}

/// A flag that one caller, of any number on any threads, claims.
package final class _ClaimFlag: @unchecked Sendable {
  private let flag: UnsafeMutablePointer<Int>

  package init() {
    flag = .allocate(capacity: 1)
    flag.initialize(to: 0)
  }

  deinit { flag.deallocate() }

  /// True for the first call only.
  package func claim() -> Bool { tally_atomic_exchange_if(flag, 0, 1) == 0 }
}
