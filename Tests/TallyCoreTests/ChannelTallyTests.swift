import Testing
@testable import TallyCore

/// Adding many ballots of one weight at once must leave exactly the tallies of adding them one by one.
@Suite struct ChannelTallyTests {
  private let groups = [GroupWeight(group: "g1", weight: ExactDecimal(units: 1, scale: 0)), GroupWeight(group: "g2", weight: ExactDecimal(units: 3, scale: 1))]

  @Test("bulk and one-by-one adds agree on random ballots, per group")
  func bulkEqualsOneByOne() {
    var rng = SplitMix64(seed: 3)
    for _ in 0..<50 {
      let projects = 1 + Int(rng.next() % 9)
      var single = ChannelTally(channel: "c", projectCount: projects, groups: groups)
      var bulk = single
      for g in 0..<2 {
        let w = Int64(1 + rng.next() % 3_000_000)
        var counts = [Int64](repeating: 0, count: projects)
        var picks: Int64 = 0
        let ballots = Int(rng.next() % 40)
        for _ in 0..<ballots {
          let chosen = (0..<projects).filter { _ in rng.next() % 3 == 0 }.map(Int32.init)
          single.add(chosen, weightUnits: w, group: g)
          for p in chosen { counts[Int(p)] += 1 }
          picks += Int64(chosen.count)
        }
        counts.withUnsafeBufferPointer { bulk.add(ballots: Int64(ballots), picks: picks, projectBallots: $0, weightUnits: w, group: g) }
      }
      #expect(bulk == single)
    }
  }

  @Test("an overflowing sum is flagged by both")
  func overflow() {
    var single = ChannelTally(channel: "c", projectCount: 1, groups: [])
    var bulk = single
    let w = Int64.max / 2 + 1
    single.add([0], weightUnits: w, group: 0)
    single.add([0], weightUnits: w, group: 0)
    [Int64(2)].withUnsafeBufferPointer { bulk.add(ballots: 2, picks: 2, projectBallots: $0, weightUnits: w, group: 0) }
    #expect(single.overflow && bulk.overflow)
    var none = ChannelTally(channel: "c", projectCount: 1, groups: [])
    [Int64(0)].withUnsafeBufferPointer { none.add(ballots: 0, picks: 0, projectBallots: $0, weightUnits: 1, group: 0) }
    #expect(none == ChannelTally(channel: "c", projectCount: 1, groups: []))
  }
}

/// `_inParallel` and `_inFreshThreads` run every call once and return the results in order.
@Suite struct InParallelTests {
  @Test("results in order, each call once", arguments: [1, 2, 5])
  func ordered(count: Int) {
    for results in [_inParallel(count) { i in (i, i * i) }, _inFreshThreads(count) { i in (i, i * i) }] {
      #expect(results.map(\.0) == Array(0..<count))
      #expect(results.map(\.1) == (0..<count).map { $0 * $0 })
    }
  }
}

#if canImport(Glibc)
  import Glibc

  /// A thread started ahead (`_prestartThread`) takes call 1 of the next `_inFreshThreads`; one whose
  /// wait ran out leaves the calls to fresh threads. Either way every call runs once, call 0 on the
  /// caller and call 1 on another thread.
  @Suite struct EarlyThreadTests {
    private func check(_ count: Int) {
      let caller = pthread_self()
      let results = _inFreshThreads(count) { i in (i, i * 3, pthread_equal(pthread_self(), caller) != 0) }
      #expect(results.map(\.0) == Array(0..<count))
      #expect(results.map(\.1) == (0..<count).map { $0 * 3 })
      #expect(results.map(\.2) == (0..<count).map { $0 == 0 })
    }

    @Test("a prestarted thread takes the second call; a second prestart while one waits adds none")
    func prestarted() {
      for count in [2, 3, 1] {
        _prestartThread()
        _prestartThread()
        check(count)
      }
    }

    @Test("jobs handed to the prestarted thread run in turn, on it, and the call after them too")
    func jobsInTurn() {
      final class Log: @unchecked Sendable {
        var entries: [(Int, pthread_t)] = []
      }
      let log = Log()
      _prestartThread()
      let tickets = (0..<3).compactMap { k in
        _onPrestartedThread {
          usleep(UInt32(300 * (3 - k)))
          log.entries.append((k, pthread_self()))
        }
      }
      // (Another test may have taken the thread's last moments; then no job was handed over.)
      guard tickets.count == 3 else { return }
      let caller = pthread_self()
      let calls = _inFreshThreads(2) { i in pthread_self() }
      for t in tickets { t.wait() }
      #expect(log.entries.map(\.0) == [0, 1, 2])
      #expect(log.entries.allSatisfy { pthread_equal($0.1, caller) == 0 && pthread_equal($0.1, log.entries[0].1) != 0 })
      #expect(pthread_equal(calls[0], caller) != 0 && pthread_equal(calls[1], caller) == 0)
    }

    @Test("waiting for a job returns once it has run, whether it ends while the waiter checks or after it sleeps")
    func waitSeesTheJob() {
      final class Box: @unchecked Sendable { var value = 0 }
      // (The waiter checks for 1 ms before it sleeps on the condition.)
      for micros in [0, 200, 900, 1_500, 3_000] {
        _prestartThread()
        let box = Box()
        guard let ticket = _onPrestartedThread({
          usleep(UInt32(micros))
          box.value = micros + 1
        }) else { continue }
        ticket.wait()
        #expect(box.value == micros + 1, "job of \(micros) µs")
      }
    }

    @Test("a retired prestarted thread runs the jobs it holds, in turn, and takes no more")
    func retired() {
      final class Log: @unchecked Sendable {
        var done: [Int] = []
        var threads: [pthread_t] = []
        var late: pthread_t? = nil
      }
      let log = Log()
      _prestartThread()
      let tickets = (0..<2).compactMap { k in
        _onPrestartedThread {
          usleep(500)
          log.done.append(k)
          log.threads.append(pthread_self())
        }
      }
      // (Another test may have taken the thread's last moments; then no job was handed over.)
      guard tickets.count == 2 else { return }
      _retirePrestartedThread()
      // A job handed over now is refused (its caller would run it), or, when another test has
      // started a thread since, goes to that one: never to the retired thread.
      let late = _onPrestartedThread { log.late = pthread_self() }
      for t in tickets { t.wait() }
      #expect(log.done == [0, 1])
      if let late {
        late.wait()
        #expect(pthread_equal(log.late!, log.threads[0]) == 0)
      }
    }

    @Test("a prestarted thread that waited too long ends, and calls go to fresh threads")
    func expired() {
      _prestartThread()
      usleep(60_000)
      check(2)
      check(2)
    }
  }
#endif
