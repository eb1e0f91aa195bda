/// A stable sort of integer arrays (project indices) by a caller's order, for the steps that run once
/// per process after the ballots are read (tie-break ranks, ranking tiers, greedy order).
///
/// The standard library's `sort` keeps its runs in an array of `Range<Int>`, whose type the runtime
/// builds on first use in a process: it checks `Int: Comparable` by scanning every protocol
/// conformance record of the binary (~4,000 in `tally`), ~0.03 ms that `tally run` paid after the
/// parts of its largest file were read. This sort uses only `[Int]`, whose type needs no lookup.
///
/// Bottom-up merge sort over runs of 16 sorted by insertion: stable (equal elements keep their
/// order), O(n log n) comparisons, one scratch array of n.
package enum _IndexSort {
  /// Sorts `a` in place so that `areInIncreasingOrder` never holds for a later element against an
  /// earlier one; elements equal under it keep their order. `areInIncreasingOrder` must be a strict
  /// weak order.
  package static func stableSort(_ a: inout [Int], by areInIncreasingOrder: (Int, Int) -> Bool) {
    let n = a.count
    if n < 2 { return }
    let run = 16
    a.withUnsafeMutableBufferPointer { p in
      // Insertion sort of each run (a later element moves before an earlier one only when strictly less).
      var lo = 0
      while lo < n {
        let hi = min(lo + run, n)
        var i = lo + 1
        while i < hi {
          let x = p[i]
          var j = i
          while j > lo && areInIncreasingOrder(x, p[j - 1]) {
            p[j] = p[j - 1]
            j -= 1
          }
          p[j] = x
          i += 1
        }
        lo = hi
      }
    }
    if n <= run { return }
    var scratch = [Int](repeating: 0, count: n)
    var width = run
    // Merges pairs of sorted runs from `src` into `dst`; the left element wins ties (stability).
    func mergePass(_ src: UnsafeMutableBufferPointer<Int>, _ dst: UnsafeMutableBufferPointer<Int>) {
      var lo = 0
      while lo < n {
        let mid = min(lo + width, n)
        let hi = min(lo + 2 * width, n)
        var i = lo
        var j = mid
        var k = lo
        while i < mid && j < hi {
          if areInIncreasingOrder(src[j], src[i]) {
            dst[k] = src[j]
            j += 1
          } else {
            dst[k] = src[i]
            i += 1
          }
          k += 1
        }
        while i < mid {
          dst[k] = src[i]
          i += 1
          k += 1
        }
        while j < hi {
          dst[k] = src[j]
          j += 1
          k += 1
        }
        lo = hi
      }
    }
    var inScratch = false
    a.withUnsafeMutableBufferPointer { pa in
      scratch.withUnsafeMutableBufferPointer { ps in
        while width < n {
          if inScratch { mergePass(ps, pa) } else { mergePass(pa, ps) }
          inScratch.toggle()
          width *= 2
        }
        if inScratch { pa.baseAddress!.update(from: ps.baseAddress!, count: n) }
      }
    }
  }

  /// `0 ..< n` sorted stably by `areInIncreasingOrder` (``stableSort(_:by:)``).
  package static func sortedIndices(_ n: Int, by areInIncreasingOrder: (Int, Int) -> Bool) -> [Int] {
    var a = [Int](repeating: 0, count: n)
    for i in 0..<n { a[i] = i }
    stableSort(&a, by: areInIncreasingOrder)
    return a
  }
}
