/// An exact solver for the plain 0/1 knapsack (budget only), after Pisinger's *minknap*: dynamic
/// programming over an expanding core, for `max-welfare`.
///
/// **Method.** Items are sorted by decreasing `profit/weight` (exact cross-multiplication; ties by the
/// caller's priority). The break solution takes the items before the first one that does not fit. The
/// core `[s, t]` starts empty at the break item and grows alternately by one item on each side (`t + 1`
/// may be added, `s − 1` may be removed); outside the core, items before `s` are in and items after
/// `t` are out. The states are a list of undominated `(weight, profit)` pairs (increasing in both), each
/// with its item count and a pointer into a persistent tree of flipped items (for the solution). A state
/// is dropped (fathomed) when its upper bound cannot beat the incumbent `z`; the bound is the smaller of
///
/// - the Dembo–Hammer bound `p + (c − w)·p_{t+1}/w_{t+1}` (or `p − (w − c)·p_{s−1}/w_{s−1}` when the
///   state is over capacity), and
/// - a Lagrangian cardinality bound `p − λk + λ·kmax + r·(c − w) + E(s, t)`, where `kmax` is the most
///   items that fit together, `λ ≥ 0` the root multiplier, `r` the critical ratio of the profits
///   `p − λ`, and `E` the (rounded-up) sum of the gains the outside items could still bring at ratio `r`.
///   It is what makes strongly correlated instances (`p = w + const`) tractable: there `λ` is the
///   constant and the bound is the exact optimum as soon as some set of `kmax` items fills the budget.
///
/// Items whose flip cannot beat the incumbent by the global Dembo–Hammer test are fixed and skipped.
/// The search stops when no state is left (the incumbent is optimal) or when the incumbent reaches
/// `stopAt` (the caller's upper bound, or the target of an existence query). Costs never index an
/// array. Weights and profits are `Int64` with totals below 2^62; products and bounds use `Int128`.
@available(macOS 15.0, *)
struct _MinKnap {
  // Items in density order (positive weight and profit, weight ≤ capacity).
  let p: [Int64]
  let w: [Int64]
  let ident: [Int]
  let c: Int64
  // Always-in items (weight 0).
  let free: [Int]
  let freeProfit: Int64
  // Lagrangian data.
  let lam: Int64
  let kmax: Int
  let rNum: Int128
  let rDen: Int128
  /// `eIn[s]`: the rounded-up gains from removing items `0..<s`; `eOut[t]`: from adding items `t...`.
  let eIn: [Int128]
  let eOut: [Int128]
  let stateLimit: Int

  // Statistics.
  var maxStates = 0
  var coreSize = 0
  var limitHit = false

  /// `items` index `profits`/`weights`/`priority`; all have profit > 0 and 0 ≤ weight ≤ capacity.
  init(items: [Int], profits: [Int64], weights: [Int64], capacity: Int64, priority: [Int], lambda: Int64, stateLimit: Int = 20_000_000) {
    c = capacity
    self.stateLimit = stateLimit
    var fr: [Int] = []
    var fp: Int64 = 0
    var rest: [Int] = []
    for i in items {
      if weights[i] == 0 {
        fr.append(i)
        fp += profits[i]
      } else {
        rest.append(i)
      }
    }
    free = fr
    freeProfit = fp
    rest.sort { (a: Int, b: Int) -> Bool in
      let l: Int128 = Int128(profits[a]) * Int128(weights[b])
      let r: Int128 = Int128(profits[b]) * Int128(weights[a])
      if l != r { return l > r }
      if priority[a] != priority[b] { return priority[a] < priority[b] }
      return a < b
    }
    ident = rest
    p = rest.map { profits[$0] }
    w = rest.map { weights[$0] }
    let n = rest.count
    // kmax: most items that fit.
    var k = 0
    var sum: Int64 = 0
    for x in w.sorted() {
      if x > c - sum { break }
      sum += x
      k += 1
    }
    kmax = k
    lam = max(0, lambda)
    // Critical ratio of the profits p − λ (LP in (p − λ)/w order over the items with p − λ > 0).
    let pv = p
    let wv = w
    let lm = lam
    let pos = (0..<n).filter { pv[$0] > lm }.sorted { (a: Int, b: Int) -> Bool in
      let l: Int128 = Int128(pv[a] - lm) * Int128(wv[b])
      let r: Int128 = Int128(pv[b] - lm) * Int128(wv[a])
      return l > r
    }
    var num: Int128 = 0
    var den: Int128 = 1
    var used: Int64 = 0
    for j in pos {
      if w[j] > c - used {
        num = Int128(p[j] - lam)
        den = Int128(w[j])
        break
      }
      used += w[j]
    }
    rNum = num
    rDen = den
    var ei = [Int128](repeating: 0, count: n + 1)
    for j in 0..<n {
      // ceil(max(0, r·w_j − (p_j − λ)))
      let d = num * Int128(w[j]) - Int128(p[j] - lam) * den
      ei[j + 1] = ei[j] + (d > 0 ? (d + den - 1) / den : 0)
    }
    var eo = [Int128](repeating: 0, count: n + 1)
    for j in stride(from: n - 1, through: 0, by: -1) {
      let d = Int128(p[j] - lam) * den - num * Int128(w[j])
      eo[j] = eo[j + 1] + (d > 0 ? (d + den - 1) / den : 0)
    }
    eIn = ei
    eOut = eo
  }

  /// The best value and one set reaching it (caller's indices), searching only for values above
  /// `incumbent` (pass the target − 1 for an existence query) and stopping as soon as `stopAt` is
  /// reached. Returns nil when no set beats `incumbent` (or when the state limit was hit: see
  /// `limitHit`).
  mutating func solve(incumbent: Int64, stopAt: Int64) -> (value: Int64, set: [Int])? {
    let n = p.count
    let target = incumbent - freeProfit  // search among the weighted items for values > target
    let stop = stopAt - freeProfit
    // Break solution.
    var b = 0
    var wb: Int64 = 0
    var pb: Int64 = 0
    while b < n && w[b] <= c - wb {
      wb += w[b]
      pb += p[b]
      b += 1
    }
    var z = target
    var bestNode: Int32 = -2  // -2: no solution beats the incumbent; -1: the break solution
    if pb > z {
      z = pb
      bestNode = -1
    }
    func result() -> (value: Int64, set: [Int])? {
      guard bestNode != -2 else { return nil }
      var x = [Bool](repeating: false, count: n)
      for j in 0..<b { x[j] = true }
      var nd = bestNode
      while nd >= 0 {
        x[Int(nodeItem[Int(nd)])].toggle()
        nd = nodeParent[Int(nd)]
      }
      let set = free + (0..<n).filter { x[$0] }.map { ident[$0] }
      return (z + freeProfit, set)
    }
    if b == n || z >= stop { return result() }

    // Node arena: flips as a persistent tree.
    nodeItem = []
    nodeParent = []
    nodeItem.reserveCapacity(1 << 16)
    nodeParent.reserveCapacity(1 << 16)
    var sw: [Int64] = [wb]
    var sp: [Int64] = [pb]
    var sk: [Int32] = [Int32(b)]
    var sn: [Int32] = [-1]
    var nw: [Int64] = []
    var np: [Int64] = []
    var nk: [Int32] = []
    var nn: [Int32] = []
    var s = b  // items < s are in (outside the core)
    var t = b - 1  // items > t are out
    let rb = (p: Int128(p[b]), w: Int128(w[b]))
    let lamK = Int128(lam)
    let lamBase = Int128(lam) * Int128(kmax)

    // Whether a state can still beat z with core [s, t].
    @inline(__always) func alive(_ ws: Int64, _ ps: Int64, _ ks: Int32, _ z: Int64) -> Bool {
      let need = Int128(z) - Int128(ps) + 1  // the completion must gain at least this
      let res = Int128(c) - Int128(ws)
      if ws <= c {
        if t + 1 < n {
          if res * Int128(p[t + 1]) < need * Int128(w[t + 1]) { return false }
        } else if need > 0 {
          return false
        }
      } else {
        if s == 0 { return false }
        if res * Int128(p[s - 1]) < need * Int128(w[s - 1]) { return false }
      }
      // Lagrangian: need ≤ −λk + λkmax + E + floor(r·res).
      let lneed = need + lamK * Int128(ks) - lamBase - eIn[s] - eOut[t + 1]
      return rNum * res >= lneed * rDen
    }

    while !sw.isEmpty && z < stop {
      if sw.count > stateLimit {
        limitHit = true
        return nil
      }
      maxStates = max(maxStates, sw.count)
      var progressed = false
      for side in 0..<2 {
        // side 0: add item t + 1; side 1: remove item s − 1.
        let j: Int
        let sign: Int64
        if side == 0 {
          guard t + 1 < n else { continue }
          t += 1
          j = t
          sign = 1
          // Global Dembo–Hammer test: can a set with j in beat z at all?
          let gain = Int128(c - wb - w[j]) * rb.p + Int128(pb + p[j] - z - 1) * rb.w
          if gain < 0 { progressed = true; continue }
        } else {
          guard s > 0 else { continue }
          s -= 1
          j = s
          sign = -1
          let gain = Int128(c - wb + w[j]) * rb.p + Int128(pb - p[j] - z - 1) * rb.w
          if gain < 0 { progressed = true; continue }
        }
        progressed = true
        coreSize += 1
        let dw = sign * w[j]
        let dp = sign * p[j]
        let dk: Int32 = Int32(sign)
        nw.removeAll(keepingCapacity: true)
        np.removeAll(keepingCapacity: true)
        nk.removeAll(keepingCapacity: true)
        nn.removeAll(keepingCapacity: true)
        let m = sw.count
        var a = 0
        var bi = 0
        var lastP = Int64.min
        while a < m || bi < m {
          // Pick the lighter candidate (ties: the more profitable).
          let takeA: Bool
          if a >= m {
            takeA = false
          } else if bi >= m {
            takeA = true
          } else {
            let wa = sw[a]
            let wbb = sw[bi] + dw
            takeA = wa < wbb || (wa == wbb && sp[a] >= sp[bi] + dp)
          }
          let cw: Int64
          let cp: Int64
          let ck: Int32
          var cn: Int32
          if takeA {
            cw = sw[a]
            cp = sp[a]
            ck = sk[a]
            cn = sn[a]
            a += 1
          } else {
            cw = sw[bi] + dw
            cp = sp[bi] + dp
            ck = sk[bi] + dk
            cn = sn[bi]
            bi += 1
          }
          if cp <= lastP { continue }  // dominated
          lastP = cp
          let improves = cw <= c && cp > z
          if improves { z = cp }
          if !improves && !alive(cw, cp, ck, z) { continue }
          if !takeA {
            nodeItem.append(Int32(j))
            nodeParent.append(cn)
            cn = Int32(nodeItem.count - 1)
          }
          if improves { bestNode = cn }
          nw.append(cw)
          np.append(cp)
          nk.append(ck)
          nn.append(cn)
        }
        swap(&sw, &nw)
        swap(&sp, &np)
        swap(&sk, &nk)
        swap(&sn, &nn)
        if z >= stop { break }
        // Re-fathom with the final z (states kept early in the pass saw a smaller z).
        var keep = 0
        for i in 0..<sw.count where alive(sw[i], sp[i], sk[i], z) {
          sw[keep] = sw[i]
          sp[keep] = sp[i]
          sk[keep] = sk[i]
          sn[keep] = sn[i]
          keep += 1
        }
        sw.removeLast(sw.count - keep)
        sp.removeLast(sp.count - keep)
        sk.removeLast(sk.count - keep)
        sn.removeLast(sn.count - keep)
        if nodeItem.count > max(1 << 20, 8 * sw.count) { collect(&sn, &bestNode) }
      }
      if !progressed { break }  // core covers every item
    }
    return result()
  }

  private var nodeItem: [Int32] = []
  private var nodeParent: [Int32] = []

  /// Compacts the node arena to the nodes reachable from the states and the incumbent.
  private mutating func collect(_ sn: inout [Int32], _ bestNode: inout Int32) {
    let count = nodeItem.count
    var live = [Bool](repeating: false, count: count)
    func mark(_ start: Int32) {
      var nd = start
      while nd >= 0 && !live[Int(nd)] {
        live[Int(nd)] = true
        nd = nodeParent[Int(nd)]
      }
    }
    for nd in sn { mark(nd) }
    mark(bestNode)
    var remap = [Int32](repeating: -1, count: count)
    var next: Int32 = 0
    for i in 0..<count where live[i] {
      remap[i] = next
      let par = nodeParent[i]
      nodeParent[Int(next)] = par >= 0 ? remap[Int(par)] : par
      nodeItem[Int(next)] = nodeItem[i]
      next += 1
    }
    nodeItem.removeLast(count - Int(next))
    nodeParent.removeLast(count - Int(next))
    for i in sn.indices where sn[i] >= 0 { sn[i] = remap[Int(sn[i])] }
    if bestNode >= 0 { bestNode = remap[Int(bestNode)] }
  }
}
