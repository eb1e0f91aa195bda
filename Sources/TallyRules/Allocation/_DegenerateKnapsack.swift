import TallyCore

/// `max-welfare` on a degenerate knapsack: every score is the same affine function of the cost,
/// `score = α·cost + λ` with `α ≥ 0` (Pisinger's strongly correlated, inverse strongly correlated and
/// subset-sum classes; or equal scores). There every set of `k` projects and total cost `W` scores
/// `α·W + λ·k`, so the Lagrangian bound prunes nothing in the dynamic programme (it is the same for
/// every state) and the state list explodes; but the problem is then a question about cardinalities
/// and sums, which `_CardinalitySubsetSum` answers directly.
///
/// **Method.** For each `k`, no `k`-set scores more than `z_k = ⌊α·W_k + λ·k⌋`, where `W_k` is the
/// largest value up to `min(c, U_k)` (`U_k`: the `k` largest costs) that a `k`-set's cost can take
/// modulo the gcd of the costs' differences (`k` at most the number of projects that fit together),
/// so `z = max z_k` bounds the optimum. A set scores at least `z` exactly when its size `k` has
/// `z_k ≥ z` and its cost lies in `[⌈(z − λk)/α⌉, c]`. When no set reaches `z`, the optimum is the
/// best over the sizes of `⌊α·(largest k-set cost within c) + λ·k⌋`, those largest costs found
/// exactly (`_CardinalitySubsetSum.largestSum`), and the windows are drawn for it instead. The
/// lexicographic pass of `MaxWelfare.solveFast` is then run with exact existence queries of that
/// form: in the search order, a project is funded when the current optimal witness funds it, or when
/// a query finds an optimal completion among the projects not yet decided that funds it (speculative
/// runs are confirmed by one query). If a query exhausts the node budget, this path gives up (nil)
/// and the general one decides, so the result is always exact and always the documented set: the
/// lexicographically greatest optimal funding vector in the search order.
@available(macOS 15.0, *)
extension MaxWelfare {
  struct Degenerate {
    var selected: [Int]
    var optimum: Int64
    /// The bound max over k of z_k (the optimum when some set reaches it).
    var bound: Int64
    var queries: Int
    var nodes: Int
  }

  /// `items`: the projects to consider (positive score, cost within the budget); `order`: the search
  /// order of the documented choice. Nil when the instance is not degenerate, or when this path cannot
  /// decide it within its budget.
  static func solveDegenerate(profits: [Int64], costs: [Int64], budget c: Int64, items: [Int], order: [Int], nodeBudget: Int = 50_000_000) -> Degenerate? {
    // Two projects always lie on a line; the general path settles small problems at once anyway.
    guard items.count >= 3 else { return nil }
    let i0 = items[0]
    guard let i1 = items.first(where: { costs[$0] != costs[i0] }) else { return nil }
    // score = (aN·cost + lN) / aD for every item, aD > 0, aN ≥ 0.
    var aN = Int128(profits[i1]) - Int128(profits[i0])
    var aD = Int128(costs[i1]) - Int128(costs[i0])
    if aD < 0 {
      aN = -aN
      aD = -aD
    }
    guard aN >= 0 else { return nil }
    let g = Int128(Rational.gcd(aN.magnitude, aD.magnitude))
    aN /= g
    aD /= g
    let lN = Int128(profits[i0]) * aD - aN * Int128(costs[i0])
    for i in items where Int128(profits[i]) * aD != aN * Int128(costs[i]) + lN { return nil }

    // Costs ascending; the bound z and the sizes k that can reach it, each with its cost window.
    let byCost = items.sorted { costs[$0] != costs[$1] ? costs[$0] < costs[$1] : $0 < $1 }
    let m = byCost.count
    // All the costs, for their prefix sums and gcd here and for `largestSum` below.
    var whole = _CardinalitySubsetSum(ascending: byCost.map { costs[$0] }, nodeLimit: .max)
    let pre = whole.pre
    var kmax = 0
    while kmax < m && pre[kmax + 1] <= c { kmax += 1 }
    // Every k-subset's cost is ≡ k·(lightest cost) modulo the gcd of the costs' differences.
    let modulus = whole.modulus
    var zk = [Int128](repeating: 0, count: kmax + 1)
    for k in 0...kmax {
      var wk = min(Int128(c), Int128(pre[m] - pre[m - k]))
      if modulus > 1 {
        let g = Int128(modulus)
        let off = (wk - Int128(k) * Int128(costs[byCost[0]])) % g
        wk -= off < 0 ? off + g : off
      }
      zk[k] = Self.floorDiv(aN * wk + lN * Int128(k), aD)
    }
    var z = zk.max()!
    var sizes: [Int] = []
    var low: [Int64] = []
    /// The sizes that can score `z` and, for each, the least cost that does.
    func aim(_ target: Int128) {
      z = target
      sizes = (0...kmax).filter { zk[$0] >= target }
      low = sizes.map { k in
        guard aN > 0 else { return 0 }
        return Int64(clamping: max(0, -Self.floorDiv(-(aD * target - lN * Int128(k)), aN)))
      }
    }
    aim(z)
    let bound = z

    enum Answer {
      case found([Int])
      case none
      case unknown
    }
    var alive = [Bool](repeating: false, count: costs.count)
    for i in items { alive[i] = true }
    var nodes = 0
    // Is there a set of undecided projects that, added to `k0` projects costing `w0`, scores z?
    func query(_ k0: Int, _ w0: Int64) -> Answer {
      let list = byCost.filter { alive[$0] }
      var ks = _CardinalitySubsetSum(ascending: list.map { costs[$0] }, nodeLimit: max(0, nodeBudget - nodes))
      defer { nodes += ks.nodes }
      // Sizes whose window lies deepest inside the range of sums come first (witnesses are easiest
      // to find there); the others are still all tried.
      var tries: [(r: Int, lo: Int64, hi: Int64, depth: Int64)] = []
      for (s, k) in sizes.enumerated() where k >= k0 && k - k0 <= list.count {
        let r = k - k0
        let lo = low[s] - w0
        let hi = c - w0
        let depth = min(lo - ks.pre[r], ks.pre[list.count] - ks.pre[list.count - r] - hi)
        tries.append((r, lo, hi, depth))
      }
      tries.sort { $0.depth > $1.depth }
      // Every size without the depth-first search first (settled, or a witness from exchanges),
      // then the search for the sizes that left undecided.
      var open: [(r: Int, lo: Int64, hi: Int64, depth: Int64)] = []
      for q in tries {
        if let idx = ks.find(count: q.r, lo: q.lo, hi: q.hi, mode: .withoutSearch) { return .found(idx.map { list[$0] }) }
        if ks.limitHit { return .unknown }
        if ks.undecided { open.append(q) }
      }
      for q in open {
        if let idx = ks.find(count: q.r, lo: q.lo, hi: q.hi, mode: .searchOnly) { return .found(idx.map { list[$0] }) }
        if ks.limitHit { return .unknown }
      }
      return .none
    }

    var firstAnswer = query(0, 0)
    if case .none = firstAnswer {
      // No set reaches the bound (the budget cannot be filled closely enough): the optimum is the
      // best over the sizes of α·(largest k-set cost within the budget) + λ·k, each largest cost
      // found exactly near the k lightest; sizes are taken by decreasing bound until none can win.
      var best: Int128? = nil
      for k in (0...kmax).sorted(by: { zk[$0] > zk[$1] }) {
        if let b = best, zk[k] <= b { break }
        switch whole.largestSum(count: k, atMost: c) {
        case .value(let w):
          let v = Self.floorDiv(aN * Int128(w) + lN * Int128(k), aD)
          if best == nil || v > best! { best = v }
        case .none:
          continue
        case .unknown:
          return nil
        }
      }
      nodes += whole.nodes
      guard let b = best else { return nil }
      aim(b)
      firstAnswer = query(0, 0)
    }
    guard case .found(let first) = firstAnswer else { return nil }
    var inWitness = [Bool](repeating: false, count: costs.count)
    for i in first { inWitness[i] = true }
    var count = 0
    var spent: Int64 = 0
    var chosen: [Int] = []
    var queries = 1
    func reached() -> Bool { aN * Int128(spent) + lN * Int128(count) >= aD * z }
    // The undecided projects' costs, ascending, for the range checks of speculative runs.
    var open = byCost.map { costs[$0] }
    /// The first position in `open` holding a cost of at least `w`.
    func position(_ w: Int64) -> Int {
      var l = 0
      var h = open.count
      while l < h {
        let mid = (l + h) / 2
        if open[mid] < w { l = mid + 1 } else { h = mid }
      }
      return l
    }
    func remove(_ w: Int64) { open.remove(at: position(w)) }
    func insert(_ w: Int64) { open.insert(w, at: position(w)) }
    /// With `k0` funded costing `w0`: nil when no size's window meets the undecided projects' range
    /// of sums (no completion), else the largest depth of a window inside that range, counted in
    /// average gaps between adjacent costs, and the fewest items on either side of its boundary.
    func depth(_ k0: Int, _ w0: Int64) -> (gaps: Int64, side: Int)? {
      let n = open.count
      var pre = [Int64](repeating: 0, count: n + 1)
      for t in 0..<n { pre[t + 1] = pre[t] + open[t] }
      let gap = n > 1 ? max(1, (open[n - 1] - open[0]) / Int64(n - 1)) : 1
      var best: (gaps: Int64, side: Int)? = nil
      for (s, k) in sizes.enumerated() where k >= k0 && k - k0 <= n {
        let r = k - k0
        let lo = low[s] - w0
        let hi = c - w0
        let minS = pre[r]
        let maxS = pre[n] - pre[n - r]
        if hi < minS || lo > maxS || lo > hi { continue }
        let d = (min(lo - minS, maxS - hi), min(r, n - r))
        let g = d.0 / gap
        if best == nil || g > best!.gaps { best = (g, d.1) }
      }
      return best
    }
    var pos = 0
    var cooldown = 0
    while pos < order.count && !reached() {
      let i = order[pos]
      if inWitness[i] {
        alive[i] = false
        remove(costs[i])
        chosen.append(i)
        count += 1
        spent += costs[i]
        pos += 1
        continue
      }
      // A speculative run: fund projects in order while the rest stays deep inside its range of
      // sums (a completion then exists with overwhelming likelihood), skip those that leave no
      // completion by the range alone (exact), and stop at the first other one. One exact query
      // then confirms the whole run: its completion completes every prefix of the run too.
      if cooldown == 0 {
        var p = pos
        var k = count
        var w = spent
        var runTaken: [Int] = []
        while p < order.count {
          let j = order[p]
          guard alive[j] else { break }
          remove(costs[j])
          let d = costs[j] > c - w ? nil : depth(k + 1, w + costs[j])
          if d == nil {
            alive[j] = false
          } else if let d, d.gaps >= 512, d.side >= 32 {
            alive[j] = false
            runTaken.append(j)
            k += 1
            w += costs[j]
          } else {
            insert(costs[j])
            break
          }
          p += 1
        }
        if p > pos {
          queries += 1
          if case .found(let set) = query(k, w) {
            chosen += runTaken
            count = k
            spent = w
            for j in items where alive[j] { inWitness[j] = false }
            for j in set { inWitness[j] = true }
            pos = p
            continue
          }
          // Not confirmed: undo the run and decide one project at a time for a while.
          for q in pos..<p {
            alive[order[q]] = true
            insert(costs[order[q]])
          }
          cooldown = 64
        }
      } else {
        cooldown -= 1
      }
      alive[i] = false
      remove(costs[i])
      var take = false
      if costs[i] <= c - spent && depth(count + 1, spent + costs[i]) != nil {
        queries += 1
        switch query(count + 1, spent + costs[i]) {
        case .found(let set):
          take = true
          for j in items where alive[j] { inWitness[j] = false }
          for j in set { inWitness[j] = true }
        case .none:
          break
        case .unknown:
          return nil
        }
      }
      if take {
        chosen.append(i)
        count += 1
        spent += costs[i]
      }
      pos += 1
    }
    guard reached(), spent <= c else {
      assertionFailure("max-welfare: the degenerate pass did not reach its bound")
      return nil
    }
    return Degenerate(selected: chosen, optimum: Int64(z), bound: Int64(bound), queries: queries, nodes: nodes)
  }

  /// `⌊x / y⌋` for `y > 0`.
  static func floorDiv(_ x: Int128, _ y: Int128) -> Int128 {
    let q = x / y
    return (x % y != 0 && x < 0) ? q - 1 : q
  }
}
