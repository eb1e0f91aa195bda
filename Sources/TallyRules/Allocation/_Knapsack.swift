import TallyCore

/// An exact 0/1 knapsack solver with sub-envelopes, quotas and forced choices, for `max-welfare`.
///
/// **Method.** Depth-first branch and bound (Horowitz–Sahni style) over the items in a fixed search
/// order. The bound at a node is a Lagrangian relaxation of the problem with an added cardinality
/// constraint `Σx ≤ kmax` (kmax: the most projects that can be funded at once, or `maxProjects`):
/// `λ·(kmax − count) + LP` where `LP` is the Dantzig (fractional) bound of the remaining items with
/// profits `score − λ`, computed in O(log n) from prefix sums. `λ ≥ 0` is chosen once, at the root, to
/// minimise the root bound (λ = 0 gives the classical Dantzig bound; λ > 0 closes the gap on strongly
/// correlated instances, where profit ≈ cost + constant). Items are searched in decreasing order of
/// `(score − λ)/cost`, ties by the tie-break. Every bound is an exact integer upper bound, so the search
/// proves optimality; costs never index an array, so their size does not matter.
///
/// **Which optimal set.** Branches are taken "fund" first (for projects with positive score; "do not
/// fund" first for score 0) and an incumbent is replaced only by a strictly better one, so the result is
/// the first optimal set in this search order: the lexicographically greatest funding vector, in the
/// search order, among the optimal sets. It depends only on the scores, costs, constraints and
/// tie-break.
///
/// **Constraints.** Caps and maximum counts are checked when an item is funded; floors, minimum counts
/// and `minProjects` are checked at every node against what the remaining items could still add (suffix
/// sums per envelope); `mustFund` items are forced, `mustNotFund` removed. The bound above remains valid
/// (it relaxes these constraints).
/// The most items that fit together in `capacity`: the length of the longest prefix of the weights
/// (sorted ascending) whose sum stays within it. Shared by both knapsack solvers' cardinality bounds.
func _mostThatFit(ascending weights: [Int64], capacity: Int64) -> Int {
  var k = 0
  var used: Int64 = 0
  for w in weights {
    if w > capacity - used { break }
    used += w
    k += 1
  }
  return k
}

struct _Knapsack<P: FixedWidthInteger & SignedInteger> {
  // Items in search order.
  let profit: [P]
  let weight: [Int64]
  let original: [Int]
  let capacity: Int64
  let lambda: P
  let kmax: Int
  // Lagrangian prefix sums over the search order (only items with profit − λ > 0 count, and they come
  // first in the order: `positiveEnd` items).
  let prefixW: [Int64]
  let prefixP: [P]
  let positiveEnd: Int
  // Constraints, in search-order indices.
  let forced: [Bool]
  let envelopes: [AllocationConstraints.Envelope]
  let membership: [[Int]]
  let suffixCost: [[Int64]]
  let suffixCount: [[Int]]
  let minProjects: Int
  let maxProjects: Int
  let constrained: Bool
  let feasibilityOnly: Bool
  let nodeLimit: Int

  // Search state.
  var chosen: [Bool]
  var best: P = -1
  var bestSet: [Bool]? = nil
  var nodes = 0
  var limitHit = false
  var envSpent: [Int64]
  var envCount: [Int]

  /// Builds the solver. `items` are indices into the caller's arrays; `priority` orders ties.
  init(
    items: [Int], profits: [P], weights: [Int64], capacity: Int64, priority: [Int],
    constraints: AllocationConstraints, feasibilityOnly: Bool = false, nodeLimit: Int = .max
  ) {
    self.capacity = capacity
    self.feasibilityOnly = feasibilityOnly
    self.nodeLimit = nodeLimit
    constrained = !constraints.isEmpty
    let must = Set(constraints.mustFund)
    // kmax: the most items that fit together.
    var k = _mostThatFit(ascending: items.map { weights[$0] }.sorted(), capacity: capacity)
    if let m = constraints.maxProjects { k = min(k, max(m, 0)) }
    kmax = k
    // Choose λ minimising the root bound (convex in λ): ternary search on integers.
    func order(_ lam: P) -> [Int] {
      items.sorted { a, b in
        let pa = profits[a] - lam
        let pb = profits[b] - lam
        // Classes: zero cost and positive profit first, then positive profit by density, then the
        // rest (non-positive profit) by density, zero cost last.
        let wa = weights[a]
        let wb = weights[b]
        func cls(_ p: P, _ w: Int64) -> Int { w == 0 ? (p > 0 ? 0 : 3) : (p > 0 ? 1 : 2) }
        let ca = cls(pa, wa)
        let cb = cls(pb, wb)
        if ca != cb { return ca < cb }
        if ca == 0 || ca == 3 { return pa != pb ? pa > pb : priority[a] < priority[b] }
        let l = pa.multipliedFullWidth(by: P(wb))
        let r = pb.multipliedFullWidth(by: P(wa))
        if l.high != r.high { return l.high > r.high }
        if l.low != r.low { return l.low > r.low }
        return priority[a] < priority[b]
      }
    }
    // The root bound at λ: zero-cost items of positive profit − λ, then the Dantzig (LP) bound of the
    // others by density. Only the value matters here, and it does not depend on how items of equal
    // density are ordered, so the items are sorted by a floating-point density and the order is then
    // made exact by an insertion pass with exact cross-multiplication (linear when the floating-point
    // order is already right, which it is except between near-equal densities).
    var keyed: [(Double, Int)] = []
    keyed.reserveCapacity(items.count)
    func denser(_ a: Int, _ b: Int, _ lam: P) -> Bool {
      let l = (profits[a] - lam).multipliedFullWidth(by: P(weights[b]))
      let r = (profits[b] - lam).multipliedFullWidth(by: P(weights[a]))
      return l.high != r.high ? l.high > r.high : l.low > r.low
    }
    func rootBound(_ lam: P) -> P {
      var ws: Int64 = 0
      var ps: P = 0
      keyed.removeAll(keepingCapacity: true)
      for i in items {
        let p = profits[i] - lam
        guard p > 0 else { continue }
        if weights[i] == 0 {
          ps += p
        } else {
          keyed.append((Double(p) / Double(weights[i]), i))
        }
      }
      keyed.sort { $0.0 > $1.0 }
      if keyed.count > 1 {
        for x in 1..<keyed.count {
          var y = x
          while y > 0 && denser(keyed[y].1, keyed[y - 1].1, lam) {
            keyed.swapAt(y, y - 1)
            y -= 1
          }
        }
      }
      for (_, i) in keyed {
        let p = profits[i] - lam
        let w = weights[i]
        if w <= capacity - ws {
          ws += w
          ps += p
        } else {
          ps += Self.mulDiv(p, capacity - ws, w)
          break
        }
      }
      return ps + lam * P(k)
    }
    var lo: P = 0
    var hi: P = items.map { profits[$0] }.max() ?? 0
    // The search ends at λ = 0 whenever the LP at λ = 0 funds at most k − 1 items (fractions
    // counted): that LP's solution x gives the bound a support line of slope k − Σx ≥ 1 at 0, so, the
    // LP being convex in λ, the exact bound rises by more than the floor of its last term can take
    // back at each integer step (the comparisons below all go to `hi = m2`, and no λ ≥ 1 beats 0).
    // Taken then without the search: one sort instead of two per step (~50 on Katowice 2020).
    if Self.lpFundsFewerThan(k, items: items, profits: profits, weights: weights, capacity: capacity) { hi = lo }
    while hi - lo > 2 {
      let m1 = lo + (hi - lo) / 3
      let m2 = hi - (hi - lo) / 3
      if rootBound(m1) <= rootBound(m2) { hi = m2 } else { lo = m1 }
    }
    var lam = lo
    var bestB = rootBound(lo)
    var x = lo + 1
    while x <= hi {
      let b = rootBound(x)
      if b < bestB {
        bestB = b
        lam = x
      }
      x += 1
    }
    lambda = lam
    let ord = order(lam)
    original = ord
    profit = ord.map { profits[$0] }
    weight = ord.map { weights[$0] }
    var pw: [Int64] = [0]
    var pp: [P] = [0]
    var end = 0
    for (j, i) in ord.enumerated() {
      let p = profits[i] - lam
      if p <= 0 { break }
      end = j + 1
      pw.append(pw.last! &+ weights[i])
      pp.append(pp.last! + p)
    }
    prefixW = pw
    prefixP = pp
    positiveEnd = end
    forced = ord.map { must.contains($0) }
    envelopes = constraints.envelopes
    var pos = [Int: Int]()
    for (j, i) in ord.enumerated() { pos[i] = j }
    var mem = [[Int]](repeating: [], count: ord.count)
    for (e, env) in constraints.envelopes.enumerated() {
      for i in Set(env.projects) { if let j = pos[i] { mem[j].append(e) } }
    }
    membership = mem
    var sc: [[Int64]] = []
    var sn: [[Int]] = []
    for e in constraints.envelopes.indices {
      var c = [Int64](repeating: 0, count: ord.count + 1)
      var n = [Int](repeating: 0, count: ord.count + 1)
      for j in stride(from: ord.count - 1, through: 0, by: -1) {
        let member = mem[j].contains(e)
        c[j] = c[j + 1] + (member ? weights[ord[j]] : 0)
        n[j] = n[j + 1] + (member ? 1 : 0)
      }
      sc.append(c)
      sn.append(n)
    }
    suffixCost = sc
    suffixCount = sn
    minProjects = constraints.minProjects ?? 0
    maxProjects = constraints.maxProjects ?? Int.max
    chosen = [Bool](repeating: false, count: ord.count)
    envSpent = [Int64](repeating: 0, count: constraints.envelopes.count)
    envCount = [Int](repeating: 0, count: constraints.envelopes.count)
  }

  /// Whether the LP relaxation at λ = 0 (the items of positive profit: zero-cost ones whole, the
  /// others by decreasing density until one does not fit, and that one's fraction) funds at most
  /// `k` − 1 items, fractions counted. Exact.
  static func lpFundsFewerThan(_ k: Int, items: [Int], profits: [P], weights: [Int64], capacity: Int64) -> Bool {
    var whole = 0
    var dense: [Int] = []
    for i in items where profits[i] > 0 {
      if weights[i] == 0 { whole += 1 } else { dense.append(i) }
    }
    dense.sort { a, b in
      let l = profits[a].multipliedFullWidth(by: P(weights[b]))
      let r = profits[b].multipliedFullWidth(by: P(weights[a]))
      return l.high != r.high ? l.high > r.high : l.low > r.low
    }
    var used: Int64 = 0
    for i in dense {
      let w = weights[i]
      if w > capacity - used {
        // whole + (capacity − used)/w ≤ k − 1.
        return (Int128(whole) - Int128(k) + 1) * Int128(w) + Int128(capacity - used) <= 0
      }
      used += w
      whole += 1
    }
    return whole <= k - 1
  }

  /// `floor(a · b / c)` for `a ≥ 0`, `0 ≤ b < c`, without overflow.
  static func mulDiv(_ a: P, _ b: Int64, _ c: Int64) -> P {
    let prod = a.multipliedFullWidth(by: P(b))
    return P(c).dividingFullWidth(prod).quotient
  }

  /// The Lagrangian upper bound on what items `j...` can add with `r` left and `k` already funded.
  func bound(from j: Int, residual r: Int64, count k: Int) -> P {
    let kres = P(max(0, min(kmax - k, weight.count - j)))
    var lp: P = 0
    if j < positiveEnd {
      // Largest t in [j, positiveEnd] with prefixW[t] - prefixW[j] <= r.
      var lo = j
      var hi = positiveEnd
      let base = prefixW[j]
      while lo < hi {
        let mid = (lo + hi + 1) / 2
        if prefixW[mid] - base <= r { lo = mid } else { hi = mid - 1 }
      }
      lp = prefixP[lo] - prefixP[j]
      if lo < positiveEnd {
        let w = weight[lo]
        let rest = r - (prefixW[lo] - base)
        lp += Self.mulDiv(profit[lo] - lambda, rest, w)
      }
    }
    return lp + lambda * kres
  }

  /// Whether floors and minimum counts can still be met from items `j...`.
  func canStillMeet(from j: Int, residual r: Int64, count k: Int) -> Bool {
    if k + (weight.count - j) < minProjects { return false }
    for e in envelopes.indices {
      let env = envelopes[e]
      if let f = env.floor {
        let deficit = f - envSpent[e]
        if deficit > 0 && (deficit > suffixCost[e][j] || deficit > r) { return false }
      }
      if let m = env.minCount, envCount[e] + suffixCount[e][j] < m { return false }
    }
    return true
  }

  /// Whether item `j` may be funded now.
  func fits(_ j: Int, residual r: Int64, count k: Int) -> Bool {
    if weight[j] > r || k >= maxProjects { return false }
    for e in membership[j] {
      let env = envelopes[e]
      if let cap = env.cap, weight[j] > cap - envSpent[e] { return false }
      if let m = env.maxCount, envCount[e] >= m { return false }
    }
    return true
  }

  /// Whether a complete assignment meets every floor and minimum.
  func meetsMinimums(count k: Int) -> Bool {
    if k < minProjects { return false }
    for e in envelopes.indices {
      if let f = envelopes[e].floor, envSpent[e] < f { return false }
      if let m = envelopes[e].minCount, envCount[e] < m { return false }
    }
    return true
  }

  /// Runs the search.
  mutating func solve() {
    search(0, residual: capacity, value: 0, count: 0)
  }

  private mutating func search(_ j: Int, residual r: Int64, value: P, count k: Int) {
    nodes += 1
    if nodes > nodeLimit {
      limitHit = true
      return
    }
    if feasibilityOnly && bestSet != nil { return }
    if j == weight.count {
      if (!constrained || meetsMinimums(count: k)) && value > best {
        best = value
        bestSet = chosen
      }
      return
    }
    if constrained && !canStillMeet(from: j, residual: r, count: k) { return }
    if !feasibilityOnly && value + bound(from: j, residual: r, count: k) <= best { return }
    let includeFirst = profit[j] > 0 || forced[j]
    for take in includeFirst ? [true, false] : [false, true] {
      if take {
        guard fits(j, residual: r, count: k) else { continue }
        chosen[j] = true
        for e in membership[j] {
          envSpent[e] += weight[j]
          envCount[e] += 1
        }
        search(j + 1, residual: r - weight[j], value: value + profit[j], count: k + 1)
        for e in membership[j] {
          envSpent[e] -= weight[j]
          envCount[e] -= 1
        }
        chosen[j] = false
      } else {
        if forced[j] { continue }
        search(j + 1, residual: r, value: value, count: k)
      }
      if limitHit || (feasibilityOnly && bestSet != nil) { return }
    }
  }

  /// The funded items (caller's indices) in search order.
  var solution: [Int]? {
    guard let s = bestSet else { return nil }
    return s.indices.filter { s[$0] }.map { original[$0] }
  }
}
