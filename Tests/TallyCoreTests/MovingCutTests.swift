import Testing
@testable import TallyCore

#if canImport(Glibc)
  import Glibc
#endif

/// ``_MovingCut``: two threads reading lines from either side of a cut that the second one decides
/// while the first reads. Whatever the timing, the first part ends exactly at the cut, the cut is a
/// line start, and no byte the first thread was allowed to start a row at lies after it.
@Suite struct MovingCutTests {
  /// Lines of 1 to 40 bytes.
  private static func lines(_ seed: UInt64, count: Int) -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    var out: [UInt8] = []
    for _ in 0..<count {
      out += Array(repeating: 0x61, count: Int(rng.next() % 40))
      out.append(0x0A)
    }
    if rng.next() % 2 == 0 { out += [0x62, 0x62] }  // a last line without a line feed
    return out
  }

  /// The line starts the first thread reads from 0 under `cut`, and where it stops.
  private static func readFirst(_ bytes: UnsafeBufferPointer<UInt8>, _ cut: _MovingCut, pause: Int) -> (starts: Int, end: Int) {
    var offset = 0
    var limit = 0
    var starts = 0
    while offset < bytes.count {
      if offset >= limit {
        limit = cut.limit(from: offset)
        if offset >= limit { break }
      }
      starts += 1
      if pause > 0 && starts % 64 == 0 { usleep(UInt32(pause)) }
      offset = _MovingCut.lineStart(in: bytes, atOrAfter: offset + 1)
    }
    return (starts, offset)
  }

  @Test("the first part ends at the cut, a line start, whenever the second thread closes it")
  func threads() {
    for seed in 0..<60 {
      let bytes = Self.lines(UInt64(seed), count: 200 + seed * 40)
      bytes.withUnsafeBufferPointer { all in
        let cut = _MovingCut(count: all.count, step: 1 + seed * 7)
        let delay = [0, 50, 300, 2_000][seed % 4]
        let results = _inFreshThreads(2) { i -> Int in
          if i == 0 { return Self.readFirst(all, cut, pause: seed % 3 == 0 ? 20 : 0).end }
          if delay > 0 { usleep(UInt32(delay)) }
          return cut.close(in: all)
        }
        #expect(results[0] == results[1], "seed \(seed)")
        #expect(results[1] == _MovingCut.lineStart(in: all, atOrAfter: results[1]), "seed \(seed)")
        #expect(cut.close(in: all) == results[1], "closing again gives the same cut")
      }
    }
  }

  @Test("a cut closed before the first thread starts, or after it has claimed everything")
  func edges() {
    let bytes = Self.lines(7, count: 100)
    bytes.withUnsafeBufferPointer { all in
      let atStart = _MovingCut(count: all.count)
      let c = atStart.close(in: all)
      // Nothing was claimed: the cut is the first line start from the first thread's larger share on.
      let share = Int(Double(all.count) * _MovingCut.secondThreadCost / (1 + _MovingCut.secondThreadCost))
      #expect(c == _MovingCut.lineStart(in: all, atOrAfter: share))
      #expect(Self.readFirst(all, atStart, pause: 0).end == c)

      let whole = _MovingCut(count: all.count, step: all.count)
      #expect(Self.readFirst(all, whole, pause: 0).end == all.count)
      #expect(whole.close(in: all) == all.count)

      let fixed = _MovingCut(count: all.count, closedAt: 0)
      let none = Self.readFirst(all, fixed, pause: 0)
      #expect(none.starts == 0 && none.end == 0)
      #expect(fixed.close(in: all) == 0)
    }
    #expect(_MovingCut.lineStart(in: UnsafeBufferPointer(start: nil, count: 0), atOrAfter: 5) == 0)
  }
}
