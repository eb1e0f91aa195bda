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
/// - a Lagrangian cardinality bound `p − λk + λK + r·(c − w) + E(s, t)`: for `λ ≥ 0`, `K = kmax` (the
///   most items that fit together); for `λ < 0`, `K = kmin` (the fewest items whose largest profits beat
///   the incumbent), `r` the critical ratio of the profits `p − λ`, and `E` the (rounded-up) sum of the
///   gains the outside items could still bring at ratio `r`. `λ` minimises the root bound. This is
///   what makes (inverse) strongly correlated instances (`p = w ± const`) tractable: there `λ = ±const`
///   and the bound is the exact optimum as soon as a set of `K` items fills the budget.
///
/// When the state list grows (2,000 states, then each fourfold growth), a pairing heuristic combines
/// every state with the best subset of the 18 items just outside the core (a two-list sweep); reaching
/// the root bound this way ends the search. It only ever raises the incumbent, so exactness does not
/// depend on it.
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
  let stateLimit: Int
  /// Weights ascending and profits descending (for the cardinality bounds).
  let weightsUp: [Int64]
  let profitsDown: [Int64]

  // Statistics.
  var maxStates = 0
  var coreSize = 0
  var limitHit = false
  var pairings = 0
  /// The Lagrangian multiplier used by the last `solve`.
  var lambda: Int64 = 0
  /// The root Lagrangian bound of the last `solve` (when it got that far).
  var rootBound: Int64 = .max

  /// `items` index `profits`/`weights`/`priority`; all have profit > 0 and 0 ≤ weight ≤ capacity.
  init(items: [Int], profits: [Int64], weights: [Int64], capacity: Int64, priority: [Int], stateLimit: Int = 5_000_000) {
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
    weightsUp = w.sorted()
    profitsDown = p.sorted(by: >)
  }

  /// The Lagrangian bound `λ·K + LP(p − λ)` in floating point (only to choose λ).
  static func lagrangian(_ lam: Int64, p: [Int64], w: [Int64], c: Int64, k: Int, keys: inout [Double], idx: inout [Int]) -> Double {
    idx.removeAll(keepingCapacity: true)
    for j in p.indices where p[j] > lam {
      keys[j] = Double(p[j] - lam) / Double(w[j])
      idx.append(j)
    }
    let kk = keys
    idx.sort { kk[$0] > kk[$1] }
    var used: Int64 = 0
    var lp = 0.0
    for j in idx {
      if w[j] > c - used {
        lp += Double(p[j] - lam) * Double(c - used) / Double(w[j])
        break
      }
      used += w[j]
      lp += Double(p[j] - lam)
    }
    return lp + Double(lam) * Double(k)
  }

  /// The multiplier minimising the root Lagrangian bound (`kmax` for λ ≥ 0, `kmin` for λ < 0).
  func chooseLambda(kmax: Int, kmin: Int) -> Int64 {
    let n = p.count
    guard n > 0 else { return 0 }
    // The searches end at λ = 0 whenever the LP at λ = 0 (the items are in exact density order)
    // funds between kmin + 1 and kmax − 1 items, fractions counted: its solution then gives the
    // bound support lines of slope ≥ 1 away from 0 on both sides, so each integer step changes the
    // exact bound by at least 1, and the floating-point values below (errors < 1/4 under the guard
    // on magnitudes) compare as the exact ones do: no λ ≠ 0 is strictly better. Taken then without
    // the searches (two sorts per step, ~50 steps on Katowice 2020).
    var used: Int64 = 0
    var b = 0
    while b < n && w[b] <= c - used {
      used += w[b]
      b += 1
    }
    // The LP funds b + (c − used)/w[b] items (b when all fit): as a fraction over `den`.
    let den = Int128(b < n ? w[b] : 1)
    let funded = Int128(b) * den + (b < n ? Int128(c - used) : 0)
    let magnitude = (Double(p.reduce(0, +)) + Double(n) * Double(profitsDown[0])) * Double(n + 4)
    if funded <= Int128(kmax - 1) * den && funded >= Int128(kmin + 1) * den && magnitude < 0x1p50 { return 0 }
    var keys = [Double](repeating: 0, count: n)
    var idx: [Int] = []
    idx.reserveCapacity(n)
    let pmax = profitsDown[0]
    var best: (Int64, Double) = (0, Self.lagrangian(0, p: p, w: w, c: c, k: kmax, keys: &keys, idx: &idx))
    for (lo0, hi0, k) in [(Int64(0), pmax, kmax), (-pmax, Int64(0), kmin)] {
      var lo = lo0
      var hi = hi0
      func f(_ x: Int64) -> Double { Self.lagrangian(x, p: p, w: w, c: c, k: k, keys: &keys, idx: &idx) }
      while hi - lo > 2 {
        let m1 = lo + (hi - lo) / 3
        let m2 = hi - (hi - lo) / 3
        if f(m1) <= f(m2) { hi = m2 } else { lo = m1 }
      }
      var x = lo
      while x <= hi {
        let v = f(x)
        if v < best.1 { best = (x, v) }
        x += 1
      }
    }
    return best.0
  }

  /// The best value and one set reaching it (caller's indices), searching only for values above
  /// `incumbent` (pass the target − 1 for an existence query) and stopping as soon as `stopAt` is
  /// reached. `lambda`: the Lagrangian multiplier, or nil to choose it. Returns nil when no set beats
  /// `incumbent` (or when the state limit was hit: see `limitHit`).
  mutating func solve(incumbent: Int64, stopAt: Int64, lambda fixedLambda: Int64? = nil) -> (value: Int64, set: [Int])? {
    let n = p.count
    let c = c
    let p = p
    let w = w
    let target = incumbent - freeProfit  // search among the weighted items for values > target
    var stop = stopAt - freeProfit
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
    var bestExtra: [Int] = []  // flips of items outside the core (from pairing)
    if pb > z {
      z = pb
      bestNode = -1
    }
    var nodeItem: [Int32] = []
    var nodeParent: [Int32] = []
    func result() -> (value: Int64, set: [Int])? {
      guard bestNode != -2 else { return nil }
      var x = [Bool](repeating: false, count: n)
      for j in 0..<b { x[j] = true }
      var nd = bestNode
      while nd >= 0 {
        x[Int(nodeItem[Int(nd)])].toggle()
        nd = nodeParent[Int(nd)]
      }
      for j in bestExtra { x[j].toggle() }
      let set = free + (0..<n).filter { x[$0] }.map { ident[$0] }
      return (z + freeProfit, set)
    }
    if b == n || z >= stop { return result() }

    // Cardinality bounds: at most kmax items fit; a set worth more than z has at least kmin items.
    let kmax = _mostThatFit(ascending: weightsUp, capacity: c)
    var kmin = 0
    var pacc: Int64 = 0
    for x in profitsDown {
      if pacc > z { break }
      pacc += x
      kmin += 1
    }
    if pacc <= z { return result() }  // nothing can beat z
    let lam = fixedLambda ?? chooseLambda(kmax: kmax, kmin: kmin)
    lambda = lam
    let kBound = lam >= 0 ? kmax : kmin
    // Critical ratio r = rNum/rDen of the profits p − λ.
    let pos = (0..<n).filter { p[$0] > lam }.sorted { (a: Int, b: Int) -> Bool in
      let l: Int128 = Int128(p[a] - lam) * Int128(w[b])
      let r: Int128 = Int128(p[b] - lam) * Int128(w[a])
      return l > r
    }
    var rNum: Int128 = 0
    var rDen: Int128 = 1
    var used: Int64 = 0
    var lpSum: Int128 = 0
    for j in pos {
      if w[j] > c - used {
        rNum = Int128(p[j] - lam)
        rDen = Int128(w[j])
        break
      }
      used += w[j]
      lpSum += Int128(p[j] - lam)
    }
    // The root Lagrangian bound: reaching it proves optimality.
    let rootL = lpSum + rNum * Int128(c - used) / rDen + Int128(lam) * Int128(kBound)
    if rootL < Int128(stop) { stop = Int64(rootL) }
    rootBound = Int64(clamping: rootL) + freeProfit
    if z >= stop { return result() }
    // eIn[s]: rounded-up gains from removing items 0..<s at ratio r; eOut[t]: from adding items t...
    var eIn = [Int128](repeating: 0, count: n + 1)
    for j in 0..<n {
      let d = rNum * Int128(w[j]) - Int128(p[j] - lam) * rDen
      eIn[j + 1] = eIn[j] + (d > 0 ? (d + rDen - 1) / rDen : 0)
    }
    var eOut = [Int128](repeating: 0, count: n + 1)
    for j in stride(from: n - 1, through: 0, by: -1) {
      let d = Int128(p[j] - lam) * rDen - rNum * Int128(w[j])
      eOut[j] = eOut[j + 1] + (d > 0 ? (d + rDen - 1) / rDen : 0)
    }
    let lamK = Int128(lam)
    let lamBase = Int128(lam) * Int128(kBound)

    /// Whether a state can still beat z with core [s, t]; `lconst` is `−λK − E(s, t)` for that core.
    @inline(__always) func alive(_ ws: Int64, _ ps: Int64, _ ks: Int32, _ z: Int64, _ s: Int, _ t: Int, _ lconst: Int128) -> Bool {
      let need = z &- ps &+ 1  // the completion must gain at least this (z, ps < 2^62)
      // Dembo–Hammer, as exact 128-bit products of non-negative 64-bit factors.
      if ws <= c {
        if t + 1 < n {
          if need > 0 {
            let l = UInt64(c &- ws).multipliedFullWidth(by: UInt64(p[t + 1]))
            let r = UInt64(need).multipliedFullWidth(by: UInt64(w[t + 1]))
            if l.high < r.high || (l.high == r.high && l.low < r.low) { return false }
          }
        } else if need > 0 {
          return false
        }
      } else {
        // Alive only if (c − ws)·p[s−1] ≥ need·w[s−1], i.e. need ≤ 0 and (ws − c)·p ≤ (−need)·w.
        if s == 0 || need > 0 { return false }
        let l = UInt64(ws &- c).multipliedFullWidth(by: UInt64(p[s - 1]))
        let r = UInt64(0 &- need).multipliedFullWidth(by: UInt64(w[s - 1]))
        if l.high > r.high || (l.high == r.high && l.low > r.low) { return false }
      }
      // Lagrangian: need ≤ −λk + λK + E + floor(r·res).
      let lneed = Int128(need) &+ lamK &* Int128(ks) &+ lconst
      return rNum &* Int128(c &- ws) >= lneed &* rDen
    }
    @inline(__always) func lconst(_ s: Int, _ t: Int) -> Int128 { 0 &- lamBase &- eIn[s] &- eOut[t + 1] }

    nodeItem.reserveCapacity(1 << 16)
    nodeParent.reserveCapacity(1 << 16)
    var cur = _KnapStates(capacity: 1 << 12)
    var nxt = _KnapStates(capacity: 1 << 12)
    cur.w[0] = wb
    cur.p[0] = pb
    cur.k[0] = Int32(b)
    cur.node[0] = -1
    cur.count = 1
    var s = b  // items < s are in (outside the core)
    var t = b - 1  // items > t are out
    let rbp = Int128(p[b])
    let rbw = Int128(w[b])
    var nextPairing = 2_000
    let pairScratch = (_KnapStates(capacity: 1 << 10), _KnapStates(capacity: 1 << 10))

    while cur.count > 0 && z < stop {
      if cur.count > stateLimit {
        limitHit = true
        return nil
      }
      maxStates = max(maxStates, cur.count)
      if cur.count >= nextPairing {
        nextPairing = cur.count * 4
        pairings += 1
        if let (value, extra, node) = pair(cur, s: s, t: t, z: z, scratch: pairScratch), value > z {
          z = value
          bestNode = node
          bestExtra = extra
          if z >= stop { break }
        }
      }
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
          let gain = Int128(c - wb - w[j]) * rbp + Int128(pb + p[j] - z - 1) * rbw
          if gain < 0 { progressed = true; continue }
        } else {
          guard s > 0 else { continue }
          s -= 1
          j = s
          sign = -1
          let gain = Int128(c - wb + w[j]) * rbp + Int128(pb - p[j] - z - 1) * rbw
          if gain < 0 { progressed = true; continue }
        }
        progressed = true
        coreSize += 1
        let dw = sign * w[j]
        let dp = sign * p[j]
        let dk: Int32 = Int32(sign)
        let lc = lconst(s, t)
        let m = cur.count
        nxt.reserve(2 * m)
        let (ow, op, ok, on) = (cur.w, cur.p, cur.k, cur.node)
        let (xw, xp, xk, xn) = (nxt.w, nxt.p, nxt.k, nxt.node)
        var out = 0
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
            let wa = ow[a]
            let wbb = ow[bi] &+ dw
            takeA = wa < wbb || (wa == wbb && op[a] >= op[bi] &+ dp)
          }
          let cw: Int64
          let cp: Int64
          let ck: Int32
          var cn: Int32
          if takeA {
            cw = ow[a]
            cp = op[a]
            ck = ok[a]
            cn = on[a]
            a += 1
          } else {
            cw = ow[bi] &+ dw
            cp = op[bi] &+ dp
            ck = ok[bi] &+ dk
            cn = on[bi]
            bi += 1
          }
          if cp <= lastP { continue }  // dominated
          lastP = cp
          let improves = cw <= c && cp > z
          if improves {
            z = cp
            bestExtra = []
          }
          if !improves && !alive(cw, cp, ck, z, s, t, lc) { continue }
          if !takeA {
            nodeItem.append(Int32(j))
            nodeParent.append(cn)
            cn = Int32(nodeItem.count - 1)
          }
          if improves { bestNode = cn }
          xw[out] = cw
          xp[out] = cp
          xk[out] = ck
          xn[out] = cn
          out += 1
        }
        nxt.count = out
        swap(&cur, &nxt)
        if z >= stop { break }
        // Re-fathom with the final z (states kept early in the pass saw a smaller z).
        var keep = 0
        let (cw, cp, ck, cn) = (cur.w, cur.p, cur.k, cur.node)
        for i in 0..<cur.count where alive(cw[i], cp[i], ck[i], z, s, t, lc) {
          cw[keep] = cw[i]
          cp[keep] = cp[i]
          ck[keep] = ck[i]
          cn[keep] = cn[i]
          keep += 1
        }
        cur.count = keep
        if nodeItem.count > max(1 << 20, 8 * keep) { Self.collect(&nodeItem, &nodeParent, cur, &bestNode) }
      }
      if !progressed { break }  // core covers every item
    }
    return result()
  }

  /// Pairing heuristic (lower bound only): combines every state with the best subset of up to 18
  /// items just outside the core (all their undominated subsets, by a two-pointer sweep). Returns the
  /// best value found, the outside items it flips, and the state's node.
  private func pair(_ states: _KnapStates, s: Int, t: Int, z: Int64, scratch: (_KnapStates, _KnapStates)) -> (Int64, [Int], Int32)? {
    let (sw, sp, sn) = (states.w, states.p, states.node)
    var outside: [Int] = []
    var lo = s - 1
    var hi = t + 1
    while outside.count < 18 && (lo >= 0 || hi < p.count) {
      if hi < p.count { outside.append(hi); hi += 1 }
      if lo >= 0 && outside.count < 18 { outside.append(lo); lo -= 1 }
    }
    guard !outside.isEmpty else { return nil }
    // Undominated subsets of the outside items: (weight change, profit change, mask in `node`).
    var a = scratch.0
    var b = scratch.1
    a.w[0] = 0
    a.p[0] = 0
    a.node[0] = 0
    a.count = 1
    for (bit, j) in outside.enumerated() {
      let sign: Int64 = j > t ? 1 : -1
      let dw = sign * w[j]
      let dp = sign * p[j]
      let m = a.count
      b.reserve(2 * m)
      let (aw, ap, am) = (a.w, a.p, a.node)
      let (bw, bp, bm) = (b.w, b.p, b.node)
      let flag = Int32(1) << Int32(bit)
      var x = 0
      var y = 0
      var out = 0
      var lastP = Int64.min
      while x < m || y < m {
        let takeX = y >= m || (x < m && (aw[x] < aw[y] &+ dw || (aw[x] == aw[y] &+ dw && ap[x] >= ap[y] &+ dp)))
        let cw = takeX ? aw[x] : aw[y] &+ dw
        let cp = takeX ? ap[x] : ap[y] &+ dp
        let cm = takeX ? am[x] : am[y] | flag
        if takeX { x += 1 } else { y += 1 }
        if cp <= lastP { continue }
        lastP = cp
        bw[out] = cw
        bp[out] = cp
        bm[out] = cm
        out += 1
      }
      b.count = out
      swap(&a, &b)
    }
    let (aw, ap, am) = (a.w, a.p, a.node)
    // Two-pointer sweep: states by increasing weight, partners by decreasing weight.
    var best: (Int64, Int, Int)? = nil
    var ptr = a.count - 1
    for i in 0..<states.count {
      while ptr >= 0 && aw[ptr] > c - sw[i] { ptr -= 1 }
      if ptr < 0 { break }
      let v = sp[i] + ap[ptr]
      if v > (best?.0 ?? z) { best = (v, i, ptr) }
    }
    guard let (v, i, k) = best else { return nil }
    let extra = outside.indices.filter { am[k] & (Int32(1) << Int32($0)) != 0 }.map { outside[$0] }
    return (v, extra, sn[i])
  }


  /// Compacts the node arena to the nodes reachable from the states and the incumbent.
  private static func collect(_ nodeItem: inout [Int32], _ nodeParent: inout [Int32], _ states: _KnapStates, _ bestNode: inout Int32) {
    let sn = states.node
    let count = nodeItem.count
    var live = [Bool](repeating: false, count: count)
    func mark(_ start: Int32) {
      var nd = start
      while nd >= 0 && !live[Int(nd)] {
        live[Int(nd)] = true
        nd = nodeParent[Int(nd)]
      }
    }
    for i in 0..<states.count { mark(sn[i]) }
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
    for i in 0..<states.count where sn[i] >= 0 { sn[i] = remap[Int(sn[i])] }
    if bestNode >= 0 { bestNode = remap[Int(bestNode)] }
  }
}

/// The DP's state list: weights, profits, item counts and solution-tree nodes, in manually managed
/// buffers (the merge pass writes them without per-element bookkeeping).
final class _KnapStates {
  private(set) var w: UnsafeMutablePointer<Int64>
  private(set) var p: UnsafeMutablePointer<Int64>
  private(set) var k: UnsafeMutablePointer<Int32>
  private(set) var node: UnsafeMutablePointer<Int32>
  private(set) var capacity: Int
  var count = 0

  init(capacity: Int) {
    self.capacity = capacity
    w = .allocate(capacity: capacity)
    p = .allocate(capacity: capacity)
    k = .allocate(capacity: capacity)
    node = .allocate(capacity: capacity)
  }

  deinit {
    w.deallocate()
    p.deallocate()
    k.deallocate()
    node.deallocate()
  }

  /// Makes room for `needed` states, keeping the first `count`.
  func reserve(_ needed: Int) {
    guard needed > capacity else { return }
    let cap = max(needed, 2 * capacity)
    func grow<T>(_ old: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
      let new = UnsafeMutablePointer<T>.allocate(capacity: cap)
      new.moveInitialize(from: old, count: count)
      old.deallocate()
      return new
    }
    w = grow(w)
    p = grow(p)
    k = grow(k)
    node = grow(node)
    capacity = cap
  }
}
