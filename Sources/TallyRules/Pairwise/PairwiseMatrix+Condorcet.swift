import TallyCore

extension PairwiseMatrix {
  /// The Condorcet winner: the project that beats every other one head to head (positive margin),
  /// if there is one.
  ///
  /// - Complexity: O(n²).
  public var condorcetWinner: Int? {
    outer: for a in 0..<count {
      for b in 0..<count where b != a && !beats(a, b) { continue outer }
      return a
    }
    return nil
  }

  /// The Smith set: the smallest non-empty set of projects every member of which beats (positive
  /// margin) every non-member. Returned sorted by project index.
  ///
  /// Computed from Copeland order: a member `a` of a dominant set of size k has Copeland score
  /// (wins − losses) at least `(n-k) - (k-1)`, an outsider at most `n - 2k - 1`, so every dominant set
  /// is a prefix of the Copeland order and never splits a Copeland tie; the shortest dominant prefix
  /// is the Smith set.
  ///
  /// - Complexity: O(n³) in the worst case (O(n²) per prefix checked).
  public var smithSet: [Int] {
    let n = count
    if n == 0 { return [] }
    var copeland = [Int](repeating: 0, count: n)
    for a in 0..<n {
      for b in 0..<n where a != b {
        let m = margin(a, b)
        if m > 0 { copeland[a] += 1 } else if m < 0 { copeland[a] -= 1 }
      }
    }
    let order = (0..<n).sorted { copeland[$0] != copeland[$1] ? copeland[$0] > copeland[$1] : $0 < $1 }
    var inSet = [Bool](repeating: false, count: n)
    // A dominant set is a prefix; grow k until every member beats every outsider.
    var k = 0
    while k < n {
      inSet[order[k]] = true
      k += 1
      var ok = true
      check: for i in 0..<k {
        for j in k..<n where !beats(order[i], order[j]) {
          ok = false
          break check
        }
      }
      if ok { break }
    }
    return order.prefix(k).sorted()
  }

  /// Condorcet winner and Smith set as rule details (`condorcetWinner`: id or null; `smithSet`: ids
  /// in input order).
  public func condorcetDetails(ids: [ProjectID]) -> [String: JSONValue] {
    [
      "condorcetWinner": condorcetWinner.map { .string(ids[$0]) } ?? .null,
      "smithSet": .array(smithSet.map { .string(ids[$0]) }),
    ]
  }
}

extension PairwiseMatrix {
  /// A topological order of the majority graph (edges `a → b` with a positive margin), or nil when the
  /// graph has a cycle. Kahn's algorithm, smallest index first among the ready projects.
  ///
  /// When the majority graph is acyclic, no positive-margin pair can close a cycle (Ranked Pairs locks
  /// them all) and the widest-path strength from a to b is positive iff b is reachable from a (and
  /// then the strength from b to a is 0), which the pairwise rules use as a shortcut. Approval ballots
  /// always give an acyclic graph: the margin of a over b is their score difference.
  ///
  /// - Complexity: O(n²).
  public var majorityTopologicalOrder: [Int]? {
    let n = count
    var indegree = [Int](repeating: 0, count: n)
    for a in 0..<n { for b in 0..<n where a != b && margin(a, b) > 0 { indegree[b] += 1 } }
    var ready = (0..<n).filter { indegree[$0] == 0 }.reversed() as [Int]
    var order: [Int] = []
    order.reserveCapacity(n)
    while let a = ready.popLast() {
      order.append(a)
      for b in 0..<n where a != b && margin(a, b) > 0 {
        indegree[b] -= 1
        if indegree[b] == 0 { ready.append(b) }
      }
    }
    return order.count == n ? order : nil
  }

  /// For an acyclic majority graph given in topological order: per project, the bit set (64-bit words,
  /// `(n + 63) / 64` per project) of the projects it reaches through positive margins, itself included.
  ///
  /// - Complexity: O(n² · n / 64).
  func majorityReach(order: [Int]) -> [UInt64] {
    let n = count
    let words = (n + 63) / 64
    var reach = [UInt64](repeating: 0, count: n * words)
    reach.withUnsafeMutableBufferPointer { r in
      for a in order.reversed() {
        r[a * words + a / 64] |= 1 << UInt64(a % 64)
        for b in 0..<n where a != b && margin(a, b) > 0 {
          for w in 0..<words { r[a * words + w] |= r[b * words + w] }
        }
      }
    }
    return reach
  }
}
