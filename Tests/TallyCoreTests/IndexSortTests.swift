import Testing
@testable import TallyCore

/// ``_IndexSort``: the same order as a stable sort, equal elements in their first order, on sizes
/// around its run length and merge widths.
@Suite struct IndexSortTests {
  /// Random keys with many ties, sorted by key only: the result must be the stable order, which
  /// (key, original position) gives without ties.
  @Test(arguments: [0, 1, 2, 15, 16, 17, 31, 32, 33, 63, 64, 65, 150, 1000, 4097])
  func stableByKey(n: Int) {
    for seed in 0..<8 as Range<UInt64> {
      var rng = SplitMix64(seed: seed &* 977 &+ UInt64(n))
      let distinct = UInt64(max(1, n / 4))
      let keys = (0..<n).map { _ in Int(rng.next() % distinct) }
      var got = (0..<n).map { $0 }
      _IndexSort.stableSort(&got) { keys[$0] < keys[$1] }
      let want = (0..<n).map { $0 }.sorted { (keys[$0], $0) < (keys[$1], $1) }
      #expect(got == want, "n \(n), seed \(seed)")
      #expect(_IndexSort.sortedIndices(n) { keys[$0] < keys[$1] } == want)
    }
  }

  /// A permutation of other values (not indices 0..<n) is sorted too, descending by a key.
  @Test func arbitraryValues() {
    var rng = SplitMix64(seed: 42)
    var values = (0..<300).map { _ in Int(rng.next() % 10_000) - 5_000 }
    let want = values.sorted(by: >)
    _IndexSort.stableSort(&values) { $0 > $1 }
    #expect(values == want)
  }
}
