import TallyCore

/// Every subset of a list of non-negative costs (ascending) whose total is at most `limit`, as a tree
/// (each subset is its parent plus one item), built depth-first; nil when there are more than `cap`.
struct _SubsetTree {
  var sum: [Int64] = [0]
  var size: [Int32] = [0]
  var parent: [Int32] = [-1]
  var item: [Int32] = [-1]
  var count: Int { sum.count }

  init?(costs: [Int64], limit: Int64, cap: Int) {
    // Stack of (node, next item to try).
    var stack: [(node: Int32, next: Int)] = [(0, 0)]
    while let (n, k) = stack.last {
      let s = sum[Int(n)]
      guard k < costs.count, s + costs[k] <= limit else {
        stack.removeLast()
        continue
      }
      stack[stack.count - 1].next = k + 1
      sum.append(s + costs[k])
      size.append(size[Int(n)] + 1)
      parent.append(n)
      item.append(Int32(k))
      if sum.count > cap { return nil }
      stack.append((Int32(sum.count - 1), k + 1))
    }
  }

  /// Node ids grouped by subset size, each group ascending by sum.
  func bySize() -> [[Int]] {
    var groups = [[Int]](repeating: [], count: Int(size.max() ?? 0) + 1)
    for n in 0..<count { groups[Int(size[n])].append(n) }
    for g in groups.indices { groups[g].sort { sum[$0] < sum[$1] } }
    return groups
  }

  /// The items of a node's subset.
  func items(_ node: Int) -> [Int] {
    var out: [Int] = []
    var n = node
    while n > 0 {
      out.append(Int(item[n]))
      n = Int(parent[n])
    }
    return out
  }
}

/// Exact search for exactly `r` items of a weight list whose total weight lies in a window `[lo, hi]`
/// (cardinality-constrained subset sum), the query `max-welfare` asks on degenerate knapsacks.
///
/// **Method.** The weights are sorted ascending; every subproblem is "choose `r` items among the `j`
/// lightest", so its smallest and largest sums are prefix-sum differences (O(1)). A depth-first search
/// decides the heaviest remaining item (fund it or not) and settles a subproblem without branching when
///
/// - the window misses `[min, max]` (no), or contains `min` or `max` (yes: the `r` lightest or heaviest);
/// - every `r`-subset sum is congruent to `r · a₀` modulo the gcd of the weights' differences, and no
///   value in the window is (no);
/// - the window, clipped to `[min, max]`, is at least as wide as the largest gap between two adjacent
///   weights (yes): moving the chosen items up one position at a time from the `r` lightest to the
///   `r` heaviest raises the sum by one gap per step, so such a window cannot be jumped over, and the
///   set is built directly by moving items up (binary search per item);
/// - `r` or `j − r` is 1 or 2 (binary search or a two-pointer sweep over the sorted weights).
///
/// Before that search, a query on the whole list is tried two other ways (`rootAttempt`): near the
/// smallest or largest sum, an exact meet-in-the-middle over the exchanges that lead there from the
/// `r` lightest (or heaviest), which settles "yes" and "no" alike; deeper inside, a witness built
/// from exchanges around a boundary (`exchangeWitness`), which can only say "yes". Exact targets deep
/// inside a range of sums with large weights are the case the depth-first search handles worst (it
/// meets them at its leaves, one chance in about `R/m` each) and the exchanges handle best.
///
/// Every answer is exact. A node budget bounds the work: when it runs out, `limitHit` is set and the
/// caller must decide by other means (it never takes "not found" for "none").
///
/// Complexity: O(m) to build; per query, exponential in the worst case (the problem is NP-hard), with
/// O(1) per search node and O(j) per two-item leaf.
struct _CardinalitySubsetSum {
  /// Weights, ascending (non-negative; totals below 2^62).
  let a: [Int64]
  /// `pre[j]`: the sum of the `j` lightest weights.
  let pre: [Int64]
  /// `gap[j]`: the largest difference between adjacent weights among the `j` lightest (0 when j < 2).
  let gap: [Int64]
  /// The gcd of every weight's difference from the lightest (0 when all weights are equal).
  let modulus: Int64
  /// Search nodes used so far (leaf sweeps count their length).
  var nodes = 0
  let nodeLimit: Int
  var limitHit = false

  init(ascending a: [Int64], nodeLimit: Int) {
    self.a = a
    self.nodeLimit = nodeLimit
    var pre = [Int64](repeating: 0, count: a.count + 1)
    var gap = [Int64](repeating: 0, count: a.count + 1)
    var g: Int64 = 0
    for t in a.indices {
      pre[t + 1] = pre[t] + a[t]
      gap[t + 1] = t == 0 ? 0 : max(gap[t], a[t] - a[t - 1])
      g = Int64(Rational.gcd(g.magnitude, (a[t] - a[0]).magnitude))
    }
    self.pre = pre
    self.gap = gap
    modulus = g
  }

  /// Natural logarithms of the option counts used by `exchangeNearMinimum`.
  static func ln(_ options: Int) -> Double {
    switch options {
    case 2: 0.6931
    case 3: 1.0986
    case 4: 1.3863
    case 6: 1.7918
    case 8: 2.0794
    case 12: 2.4849
    default: 2.7726
    }
  }

  private enum Settled {
    case no
    case yes([Int])
    case branch
  }

  /// How much of the method a call runs: everything; only what settles the whole list without the
  /// depth-first search (then `undecided` tells "none" from "not decided"); or only that search.
  enum Mode {
    case full, withoutSearch, searchOnly
  }

  /// Every pair's sum with its items, ascending (built by `fewItems` when first needed).
  private var pairSums: [(sum: Int64, x: Int32, y: Int32)]? = nil

  /// Set by a `.withoutSearch` call that neither found a set nor proved there is none.
  private(set) var undecided = false

  /// Indices (into `a`, ascending) of `r` items whose weights sum into `[lo, hi]`; nil when there is
  /// none, or when the node budget ran out (then `limitHit` is set).
  mutating func find(count r: Int, lo: Int64, hi: Int64, mode: Mode = .full) -> [Int]? {
    struct Frame {
      var j: Int
      var r: Int
      var lo: Int64
      var hi: Int64
      var stage: UInt8
      var takeFirst: Bool
      var viaTake: Bool
    }
    guard !limitHit else { return nil }
    undecided = false
    var stack = [Frame(j: a.count, r: r, lo: lo, hi: hi, stage: 0, takeFirst: false, viaTake: false)]
    var taken: [Int] = []
    func pop() {
      if stack.removeLast().viaTake { taken.removeLast() }
    }
    while let f = stack.last {
      let top = stack.count - 1
      switch f.stage {
      case 0:
        nodes += 1
        if nodes > nodeLimit {
          limitHit = true
          return nil
        }
        switch settle(j: f.j, r: f.r, lo: f.lo, hi: f.hi) {
        case .no:
          pop()
          continue
        case .yes(let rest):
          return (taken + rest).sorted()
        case .branch:
          if stack.count == 1 && mode != .searchOnly {
            switch rootAttempt(count: f.r, lo: f.lo, hi: f.hi) {
            case .yes(let w): return w
            case .no: return nil
            case .branch: break
            }
            if limitHit { return nil }
            if mode == .withoutSearch {
              undecided = true
              return nil
            }
          }
          // Fund the heaviest first when the window lies nearer the largest sum.
          stack[top].takeFirst = f.lo - pre[f.r] > pre[f.j] - pre[f.j - f.r] - f.hi
          stack[top].stage = 1
        }
      case 1:
        stack[top].stage = 2
      default:
        pop()
        continue
      }
      // Stage 1 tries the first branch, stage 2 the other.
      let g = stack[top]
      let take = g.stage == 1 ? g.takeFirst : !g.takeFirst
      let w = a[g.j - 1]
      if take {
        taken.append(g.j - 1)
        stack.append(Frame(j: g.j - 1, r: g.r - 1, lo: g.lo - w, hi: g.hi - w, stage: 0, takeFirst: false, viaTake: true))
      } else {
        stack.append(Frame(j: g.j - 1, r: g.r, lo: g.lo, hi: g.hi, stage: 0, takeFirst: false, viaTake: false))
      }
    }
    return nil
  }

  /// Decides "r of the j lightest, sum in [lo, hi]" without branching when it can.
  private mutating func settle(j: Int, r: Int, lo: Int64, hi: Int64) -> Settled {
    if r < 0 || r > j || lo > hi { return .no }
    if r == 0 { return lo <= 0 && 0 <= hi ? .yes([]) : .no }
    let minS = pre[r]
    let maxS = pre[j] - pre[j - r]
    if hi < minS || lo > maxS { return .no }
    if lo <= minS { return .yes(Array(0..<r)) }
    if hi >= maxS { return .yes(Array((j - r)..<j)) }
    // Now minS < lo <= hi < maxS.
    if modulus > 1 {
      // Sums are ≡ r·a₀ (mod modulus); is there such a value in [lo, hi]?
      let m = Int128(modulus)
      let want = (Int128(r) * Int128(a[0]) - Int128(lo)) % m
      let first = Int128(lo) + (want < 0 ? want + m : want)
      if first > Int128(hi) { return .no }
    }
    if hi - lo + 1 >= gap[j] { return .yes(chain(j: j, r: r, lo: lo)) }
    if r <= 2 || j - r <= 2 {
      nodes += j
      let total = pre[j]
      // Choose r items, or leave out j − r items whose sum is in [total − hi, total − lo].
      let leaveOut = j - r < r
      let k = leaveOut ? j - r : r
      let (l, h) = leaveOut ? (total - hi, total - lo) : (lo, hi)
      var picked: [Int]? = nil
      if k == 1 {
        let x = firstIndex(atLeast: l, below: j)
        if x < j && a[x] <= h { picked = [x] }
      } else {
        var x = 0
        var y = j - 1
        while x < y {
          let s = a[x] + a[y]
          if s < l {
            x += 1
          } else if s > h {
            y -= 1
          } else {
            picked = [x, y]
            break
          }
        }
      }
      guard let p = picked else { return .no }
      return .yes(leaveOut ? (0..<j).filter { !p.contains($0) } : p)
    }
    return .branch
  }

  /// The whole list's query, before the depth-first search: within about 60 gaps of the smallest or
  /// largest sum, an exact meet-in-the-middle over exchanges (`nearMinimum`); then a witness from
  /// exchanges (`exchangeWitness`). `.branch` when neither concludes.
  private mutating func rootAttempt(count r: Int, lo: Int64, hi: Int64) -> Settled {
    let m = a.count
    let toMin = lo - pre[r]
    let toMax = pre[m] - pre[m - r] - hi
    let nearMax = toMax < toMin
    // The typical gap between adjacent weights around the boundary.
    let pivot = nearMax ? m - r : r
    let x0 = max(0, pivot - 17)
    let x1 = min(m - 1, pivot + 16)
    let spacing = max(1, (a[x1] - a[x0]) / Int64(max(1, x1 - x0)))
    func exact(cap: Int) -> Settled {
      guard nearMax else { return nearMinimum(count: r, lo: lo, hi: hi, cap: cap) }
      // The complement: m − r items whose sum is just above the smallest.
      let complement = nearMinimum(count: m - r, lo: pre[m] - hi, hi: pre[m] - lo, cap: cap)
      guard case .yes(let set) = complement else { return complement }
      let out = Set(set)
      return .yes((0..<m).filter { !out.contains($0) })
    }
    let shallow = min(toMin, toMax) / spacing <= 60
    if shallow {
      let e = exact(cap: 1 << 19)
      if case .branch = e {} else { return e }
    }
    // Few items to choose (or to leave out): sums of pairs; exact for 3 or 4, so tried first then.
    func few() -> Settled {
      guard min(r, m - r) <= 8 && m <= 700 else { return .branch }
      let leaveOut = m - r < r
      let e = leaveOut ? fewItems(count: m - r, lo: pre[m] - hi, hi: pre[m] - lo) : fewItems(count: r, lo: lo, hi: hi)
      guard case .yes(let set) = e, leaveOut else { return e }
      let out = Set(set)
      return .yes((0..<m).filter { !out.contains($0) })
    }
    if min(r, m - r) <= 4 {
      let e = few()
      if case .branch = e {} else { return e }
    }
    if let w = exchangeWitness(count: r, lo: lo, hi: hi) { return .yes(w) }
    if min(r, m - r) > 4 { return few() }
    return .branch
  }

  /// Exact answer, by a meet-in-the-middle over exchanges, for a window just above the smallest sum
  /// (`pre[r] < lo`). A set of `r` differs from the `r` lightest by leaving out a set D of them and
  /// taking a set E of the others, `|D| = |E|`; with `p` the `r`-th lightest weight its sum is
  /// `pre[r] + Σ_D (p − a) + Σ_E (b − p)`, every term non-negative. So only items within `hi − pre[r]`
  /// of `p` matter: the subsets of each side with total at most that are enumerated (sorted costs,
  /// pruned depth-first), grouped by size, and matched by a two-pointer sweep. `.branch` when either
  /// side has more than `cap` subsets.
  private mutating func nearMinimum(count r: Int, lo: Int64, hi: Int64, cap: Int) -> Settled {
    let m = a.count
    guard r >= 1, r < m, lo > pre[r] else { return .branch }
    let slack = hi - pre[r]
    guard let (dItems, dTree, eItems, eTree) = exchangeTrees(count: r, slack: slack, cap: cap) else { return .branch }
    let need = lo - pre[r]
    let dBySize = dTree.bySize()
    let eBySize = eTree.bySize()
    for d in 1..<min(dBySize.count, eBySize.count) {
      let ds = dBySize[d]
      let es = eBySize[d]
      var i = 0
      var k = es.count - 1
      while i < ds.count && k >= 0 {
        let v = dTree.sum[ds[i]] + eTree.sum[es[k]]
        if v < need {
          i += 1
        } else if v > slack {
          k -= 1
        } else {
          let out = Set(dTree.items(ds[i]).map { dItems[$0] })
          let into = eTree.items(es[k]).map { eItems[$0] }
          return .yes((0..<r).filter { !out.contains($0) } + into)
        }
      }
    }
    return .no
  }

  /// `r` of the whole list (3 ≤ r ≤ 8) with a sum in `[lo, hi]`, from the sorted sums of all pairs:
  /// exact for 3 (one sweep per first item) and 4 (every pair against the pairs that complete it);
  /// for 5 to 8, a few fixed sets of `r − 4` items from a chain set near the window, each completed
  /// exactly by 4 others ("yes" only).
  private mutating func fewItems(count r: Int, lo: Int64, hi: Int64) -> Settled {
    let m = a.count
    guard r >= 3, r <= 8 else { return .branch }
    if r == 3 {
      nodes += m * m / 8
      for x in 0..<m {
        var i = 0
        var k = m - 1
        while i < k {
          if i == x { i += 1; continue }
          if k == x { k -= 1; continue }
          let v = a[x] + a[i] + a[k]
          if v < lo { i += 1 } else if v > hi { k -= 1 } else { return .yes([x, i, k].sorted()) }
        }
      }
      return .no
    }
    // Pair sums, ascending, with their items (built once per list).
    if pairSums == nil {
      var list: [(sum: Int64, x: Int32, y: Int32)] = []
      list.reserveCapacity(m * (m - 1) / 2)
      for x in 0..<m { for y in (x + 1)..<m { list.append((a[x] + a[y], Int32(x), Int32(y))) } }
      list.sort { $0.sum < $1.sum }
      nodes += list.count / 4
      pairSums = list
    }
    let pairs = pairSums!
    /// Two disjoint pairs avoiding `banned`, with a sum in [l, h].
    func twoPairs(_ l: Int64, _ h: Int64, banned: Set<Int32>) -> [Int]? {
      var j = pairs.count - 1
      for i in pairs.indices {
        let p = pairs[i]
        if banned.contains(p.x) || banned.contains(p.y) { continue }
        while j > i && pairs[i].sum + pairs[j].sum > h { j -= 1 }
        if j <= i { break }
        var q = j
        while q > i && p.sum + pairs[q].sum >= l {
          let o = pairs[q]
          if o.x != p.x && o.x != p.y && o.y != p.x && o.y != p.y && !banned.contains(o.x) && !banned.contains(o.y) {
            return [Int(p.x), Int(p.y), Int(o.x), Int(o.y)]
          }
          q -= 1
          nodes += 1
          if nodes > nodeLimit { return nil }
        }
      }
      return nil
    }
    if r == 4 {
      if let w = twoPairs(lo, hi, banned: []) { return .yes(w.sorted()) }
      if nodes > nodeLimit {
        limitHit = true
        return .branch
      }
      return .no
    }
    // 5 to 8: fix r − 4 items of a set near the window, then complete exactly.
    guard lo > pre[r], hi < pre[m] - pre[m - r] else { return .branch }
    let near = chain(j: m, r: r, lo: lo)
    for attempt in 0..<min(8, r) {
      var fixed: [Int] = []
      for t in 0..<(r - 4) { fixed.append(near[(attempt + t) % r]) }
      let sum = fixed.reduce(Int64(0)) { $0 + a[$1] }
      if let w = twoPairs(lo - sum, hi - sum, banned: Set(fixed.map { Int32($0) })) { return .yes((fixed + w).sorted()) }
      if nodes > nodeLimit {
        limitHit = true
        return .branch
      }
    }
    return .branch
  }

  /// The exchanges from the `r` lightest whose cost is at most `slack`: the lightest items that may
  /// be left out (cost: the `r`-th lightest weight minus theirs) and the others that may be taken
  /// (cost: theirs minus it), each side with the tree of its subsets costing at most `slack`. Nil
  /// when a tree passes `cap` subsets.
  private mutating func exchangeTrees(count r: Int, slack: Int64, cap: Int)
    -> (out: [Int], outTree: _SubsetTree, into: [Int], intoTree: _SubsetTree)?
  {
    let pivot = a[r - 1]
    var out: [Int] = []
    var x = r - 1
    while x >= 0 && pivot - a[x] <= slack {
      out.append(x)
      x -= 1
    }
    var into: [Int] = []
    var y = r
    while y < a.count && a[y] - pivot <= slack {
      into.append(y)
      y += 1
    }
    guard let outTree = _SubsetTree(costs: out.map { pivot - a[$0] }, limit: slack, cap: cap),
      let intoTree = _SubsetTree(costs: into.map { a[$0] - pivot }, limit: slack, cap: cap)
    else {
      nodes += cap
      return nil
    }
    nodes += outTree.count + intoTree.count
    return (out, outTree, into, intoTree)
  }

  /// The largest sum of `r` items that is at most `hi`: `.none` when even the `r` lightest exceed it;
  /// exact by the near-minimum enumeration of exchanges (`nearMinimum`'s trees), or `.unknown` when
  /// those trees pass `cap` subsets.
  enum Largest: Equatable {
    case none, unknown
    case value(Int64)
  }

  mutating func largestSum(count r: Int, atMost hi: Int64, cap: Int = 1 << 19) -> Largest {
    let m = a.count
    guard r >= 0, r <= m, pre[r] <= hi else { return .none }
    let maxS = pre[m] - pre[m - r]
    if maxS <= hi { return .value(maxS) }
    let slack = hi - pre[r]
    if slack == 0 || r == 0 { return .value(pre[r]) }
    guard let (_, dTree, _, eTree) = exchangeTrees(count: r, slack: slack, cap: cap) else { return .unknown }
    let dBySize = dTree.bySize()
    let eBySize = eTree.bySize()
    var best: Int64 = 0
    for d in 1..<min(dBySize.count, eBySize.count) {
      let ds = dBySize[d]
      let es = eBySize[d]
      var k = es.count - 1
      for i in ds.indices {
        while k >= 0 && dTree.sum[ds[i]] + eTree.sum[es[k]] > slack { k -= 1 }
        if k < 0 { break }
        best = max(best, dTree.sum[ds[i]] + eTree.sum[es[k]])
      }
    }
    return .value(pre[r] + best)
  }

  /// A witness from exchanges. Around the boundary of the lightest `r`, `t` slots each hold one
  /// in-item (the i-th below the boundary) and a few out-items above it that may replace it; every
  /// combination keeps the count and raises the sum by the chosen increments. The slots are split in
  /// two halves whose combinations (about 2^16 each) are listed with their sums, sorted, and matched
  /// by one two-pointer sweep: once the combinations outnumber the spread of their sums by a margin,
  /// an exact target near their middle is hit with high probability. The number of slots and options
  /// is chosen by that estimated density at the target; when the target lies above the middle, outer
  /// swaps (lighter in-items for heavier out-items) first raise the base so that the rest of the
  /// target falls in the middle. A window nearer the largest sum is turned into its complement.
  /// Nil means only "not found this way".
  private mutating func exchangeWitness(count r: Int, lo: Int64, hi: Int64) -> [Int]? {
    let m = a.count
    if pre[m] - pre[m - r] - hi < lo - pre[r] {
      guard let set = exchangeNearMinimum(count: m - r, lo: pre[m] - hi, hi: pre[m] - lo) else { return nil }
      let out = Set(set)
      return (0..<m).filter { !out.contains($0) }
    }
    return exchangeNearMinimum(count: r, lo: lo, hi: hi)
  }

  private mutating func exchangeNearMinimum(count r: Int, lo: Int64, hi: Int64) -> [Int]? {
    let m = a.count
    guard r >= 2, m - r >= 2 else { return nil }
    let xLo = lo - pre[r]
    let xHi = hi - pre[r]
    // Choose the slots and options per slot ("stay" included) by the estimated log-density of the
    // combinations' sums at the target (a normal approximation): the cheapest plan that reaches
    // about 16 combinations per unit there, else the densest.
    var plan: (t: Int, options: Int, mean: Double, sd: Double, score: Double, cost: Int)? = nil
    for (options, perHalf) in [(2, 16), (3, 10), (4, 8), (6, 6), (8, 5), (12, 4), (16, 4)] {
      let tMax = min(2 * perHalf, r, (m - r) / (options - 1))
      var mean = 0.0
      var variance = 0.0
      var most: Int64 = 0
      for t in 1...max(1, tMax) where tMax >= 2 {
        // Slot t − 1's options, given this many slots (its out-items depend on t).
        mean = 0
        variance = 0
        most = 0
        for i in 0..<t {
          var s = 0.0
          var s2 = 0.0
          var top: Int64 = 0
          for k in 1..<options {
            let d = a[r + i + (k - 1) * t] - a[r - 1 - i]
            s += Double(d)
            s2 += Double(d) * Double(d)
            top = max(top, d)
          }
          let mu = s / Double(options)
          mean += mu
          variance += s2 / Double(options) - mu * mu
          most += top
        }
        guard t >= 2, variance > 0 else { continue }
        let centred = Double(xLo) > mean && r > t
        if !centred && xLo > most { continue }
        let off = centred ? 0 : Double(xLo) - mean
        // ln(combinations) − ln σ − off²/2σ² (ln σ from the binary exponent: only comparisons matter).
        let score = Double(t) * Self.ln(options) - 0.3466 * Double(variance.exponent) - off * off / (2 * variance)
        var cost = 2
        for _ in 0..<((t + 1) / 2) { cost *= options }
        let better: Bool
        if let p = plan {
          better = (score >= 2.8 && (p.score < 2.8 || cost < p.cost)) || (p.score < 2.8 && score > p.score)
        } else {
          better = true
        }
        if better { plan = (t, options, mean, variance.squareRoot(), score, cost) }
        if score >= 2.8 { break }
      }
    }
    guard let (t, options, mean, sd, _, _) = plan else { return nil }
    let reach = r + (options - 1) * t  // out-items from here on are outside the slots
    // Outer swaps: large steps take the lightest in-items (the largest increments); the fine steps
    // take the heaviest left, whose increments come closest to what is still wanted.
    var want = xLo - Int64(mean)
    var outerIn: [Int] = []
    var outerOut: [Int] = []
    var used = Set<Int>()
    var light = 0
    var heavy = r - t - 1
    var top = m - 1
    let tolerance = max(1, Int64(sd / 2))
    while want > tolerance && light <= heavy {
      while top >= reach && used.contains(top) { top -= 1 }
      if top < reach { break }
      let x = want > a[top] - a[heavy] ? light : heavy
      var y = firstIndex(atLeast: a[x] + want + 1, below: m) - 1
      while y >= reach && used.contains(y) { y -= 1 }
      if y < reach { break }
      outerIn.append(x)
      outerOut.append(y)
      used.insert(y)
      want -= a[y] - a[x]
      if x == light { light += 1 } else { heavy -= 1 }
    }
    // The two halves' combinations: sums with the option chosen per slot (4 bits each).
    func combinations(_ slots: Range<Int>) -> [(sum: Int64, code: UInt64)] {
      var cur: [(sum: Int64, code: UInt64)] = [(0, 0)]
      for (d, i) in slots.enumerated() {
        var next: [(sum: Int64, code: UInt64)] = []
        next.reserveCapacity(cur.count * options)
        for k in 0..<options {
          let inc = k == 0 ? 0 : a[r + i + (k - 1) * t] - a[r - 1 - i]
          for e in cur { next.append((e.sum + inc, e.code | UInt64(k) << UInt64(4 * d))) }
        }
        cur = next
      }
      cur.sort { $0.sum < $1.sum }
      return cur
    }
    let half = t / 2
    var lists: (left: [(sum: Int64, code: UInt64)], right: [(sum: Int64, code: UInt64)])? = nil
    // Up to four targets: the last outer swap's out-item moved down by 0 to 3 free positions (each
    // move changes the target by about one gap, a fresh chance).
    for attempt in 0..<4 {
      if attempt > 0 {
        guard let last = outerOut.last else { break }
        var y = last - 1
        while y >= reach && used.contains(y) { y -= 1 }
        if y < reach { break }
        outerOut[outerOut.count - 1] = y
        used.insert(y)
      }
      var shift: Int64 = 0
      for y in outerOut { shift += a[y] }
      for x in outerIn { shift -= a[x] }
      let dLo = xLo - shift
      let dHi = xHi - shift
      // A target far from the middle (the outer swaps ran out) is not worth the listing.
      guard dHi >= 0, abs(Double(dLo) - mean) <= 4 * sd + Double(dHi - dLo) else { continue }
      if lists == nil {
        lists = (combinations(0..<half), combinations(half..<t))
        nodes += (lists!.left.count + lists!.right.count) / 2
      }
      let (left, right) = lists!
      nodes += (left.count + right.count) / 8
      var i = 0
      var k = right.count - 1
      while i < left.count && k >= 0 {
        let v = left[i].sum + right[k].sum
        if v < dLo {
          i += 1
        } else if v > dHi {
          k -= 1
        } else {
          let out = Set(outerIn)
          var chosen = (0..<(r - t)).filter { !out.contains($0) } + outerOut
          for slot in 0..<t {
            let code = slot < half ? left[i].code >> UInt64(4 * slot) : right[k].code >> UInt64(4 * (slot - half))
            let option = Int(code & 15)
            chosen.append(option == 0 ? r - 1 - slot : r + slot + (option - 1) * t)
          }
          return chosen.sorted()
        }
      }
    }
    return nil
  }

  /// The first index `x < end` with `a[x] >= value` (or `end`).
  private func firstIndex(atLeast value: Int64, below end: Int) -> Int {
    var l = 0
    var h = end
    while l < h {
      let mid = (l + h) / 2
      if a[mid] < value { l = mid + 1 } else { h = mid }
    }
    return l
  }

  /// `r` of the `j` lightest with a sum in `[lo, lo + gap[j] − 1]`, given `pre[r] < lo` and a larger
  /// largest sum: the chosen items move up from the `r` lightest, the topmost first, each as far as
  /// the sum stays below `lo`; the first move that reaches `lo` overshoots by less than one gap.
  private func chain(j: Int, r: Int, lo: Int64) -> [Int] {
    var pos = Array(0..<r)
    var sum = pre[r]
    for t in stride(from: r - 1, through: 0, by: -1) {
      let top = j - r + t
      if sum + a[top] - a[t] < lo {
        sum += a[top] - a[t]
        pos[t] = top
        continue
      }
      // The smallest q in (t, top] with sum + a[q] − a[t] ≥ lo.
      var l = t + 1
      var h = top
      let need = lo - sum + a[t]
      while l < h {
        let mid = (l + h) / 2
        if a[mid] < need { l = mid + 1 } else { h = mid }
      }
      pos[t] = l
      return pos
    }
    preconditionFailure("chain: the largest sum does not reach the window")
  }
}
