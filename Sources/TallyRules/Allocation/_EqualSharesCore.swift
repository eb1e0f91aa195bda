import TallyCore

/// The engine behind `mes`, `mes-add1` and `mes-add1-greedy`: the Method of Equal Shares with exact
/// outcomes and a certified floating-point fast path.
///
/// **Model.** Voters are the profile's unique ballots, each standing for `multiplicity` identical voters
/// (identical voters always hold identical budgets, so they are handled as one group). Voter `i` starts
/// with `(B + k·N·unit) · w_i / W`, where `B` is the budget, `N` the number of voters (empty ballots
/// included), `W` the total weight, `unit` one currency unit and `k` the add-one increment (0 for plain
/// MES); with unit weights this is `B/N + k`. A project's supporters are the voters with positive utility:
/// approval and choose-1 ballots use cost utilities (`u = cost`), cumulative and scoring ballots use their
/// points. Each round, every remaining project `p` gets the smallest `ρ` with
/// `Σ_i min(budget_i, ρ·u_ip) = cost_p` (if its supporters can pay at all); the project with the smallest
/// `ρ` is funded (ties by the tie-break), each supporter pays `min(budget_i, ρ·u_ip)`, and the rounds go on
/// until no project is affordable. Supported projects of cost 0 are funded first (pabutools does the same).
///
/// **Exactness.** Budgets are kept as *classes*: every group of voters whose budgets are equal shares one
/// class, and a class is created from a parent class by one round's payment. Each class carries a
/// `Double` value and a rigorous bound on its error; every `ρ` is computed in `Double` with an error
/// bound. A decision (which project has the smallest `ρ`, whether a project is affordable, whether a
/// supporter pays all it has) is taken in floating point only when the error intervals separate; every
/// other decision is re-taken in exact rational arithmetic, computing exact class values lazily from the
/// recorded rounds (`exactValue`). The outcome is therefore the exact-arithmetic outcome.
struct _EqualSharesEngine {
  // MARK: Input
  let projectCount: Int
  let costs: [Int64]
  /// Per project, supporters in CSR form: ballot index and utility (points; 1 under cost utility).
  let supStart: [Int]
  let supBallot: [Int32]
  let supUtil: [Int64]
  /// Per supporter entry, its ballot's multiplicity (read in order by ``_EqualSharesState/groups(_:withMembers:)``).
  let supMult: [Int64]
  /// Per unique ballot: the projects it supports (for marking projects dirty).
  let ballotStart: [Int]
  let ballotProjects: [Int32]
  let multiplicity: [Int64]
  let weight: [Int64]
  /// The distinct weights in order of first appearance, and per ballot the starting class of its
  /// weight (1 + its index there).
  let distinctWeights: [Int64]
  let weightClass: [Int32]
  let totalWeight: BigInt
  let voterCount: Int64
  let costUtility: Bool
  let budget: Int64
  let unit: Int64
  let tieRank: [Int]
  /// Supported projects of positive cost (the candidates) and supported projects of cost 0.
  let candidates: [Int]
  let zeroCost: [Int]
  let maxUtil: Int64
  /// Per project, the total utility of its supporters with multiplicity (for `ρ` lower bounds).
  let totalUtil: [Double]
  /// Per project, its supporters' groups before anyone has paid (every voter in the starting class of
  /// its weight): class, utility and voter count in order of first appearance, as
  /// ``_EqualSharesState/groups(_:withMembers:)`` finds them then; CSR by `startGroupStart`. They are
  /// the same in every run whatever the increment, so a run evaluates a project no supporter of which
  /// has paid yet (every project, in its first round) from these few groups rather than from its
  /// supporters: most of a `mes-add1` loop's evaluations. Built for many runs only (nil otherwise).
  private(set) var startGroupStart: [Int]? = nil
  private(set) var startGroupClass: [Int32] = []
  private(set) var startGroupUtil: [Int64] = []
  private(set) var startGroupCount: [Int64] = []
  /// Per project, the other projects that share a supporter with it (CSR by `neighbourStart`), for
  /// many runs when listing them takes at most ``neighbourBudget`` steps (Σ over ballots of their
  /// length squared): a round then marks these as changed rather than every project of every ballot
  /// that paid. Marking a project whose sharing supporters had no money left costs one evaluation,
  /// never a wrong one.
  let neighbourStart: [Int]?
  private(set) var neighbours: [Int32] = []
  static let neighbourBudget = 20_000_000

  /// `manyRuns`: the engine will run MES many times (`mes-add1`), so the neighbour lists are worth
  /// building (a single run would spend more building them than they save); ``make(_:rule:manyRuns:)``
  /// then also records the starting groups.
  init(problem: AllocationProblem, profile: Profile, rule: String, manyRuns: Bool = false) throws(RuleError) {
    let inst = problem.instance
    let n = inst.projectCount
    guard profile.projectCount == n else {
      throw RuleError.invalidInput(rule: rule, message: "the profile has \(profile.projectCount) projects, the instance \(n)")
    }
    switch profile.kind {
    case .approval, .choose1: costUtility = true
    case .cumulative, .scoring: costUtility = false
    case .ordinal: throw RuleError.unsupportedBallotKind(rule: rule, kind: profile.kind)
    }
    projectCount = n
    costs = inst.costs
    budget = inst.budget
    var u: Int64 = 1
    for _ in 0..<inst.costScale { u *= 10 }
    unit = u
    let ranks = problem.tieRanks
    tieRank = ranks
    multiplicity = profile.multiplicities
    weight = profile.weights ?? Array(repeating: 1, count: profile.uniqueBallotCount)
    voterCount = profile.voterCount
    if profile.weights == nil {
      // Every ballot weighs 1: one starting class (a table of weights cost ~0.1 ms on Katowice 2020).
      distinctWeights = weight.isEmpty ? [] : [1]
      weightClass = [Int32](repeating: 1, count: weight.count)
    } else {
      var byWeight: [Int64: Int32] = [:]
      var distinct: [Int64] = []
      var wc = [Int32](repeating: 0, count: weight.count)
      for b in weight.indices {
        if let c = byWeight[weight[b]] {
          wc[b] = c
        } else {
          distinct.append(weight[b])
          byWeight[weight[b]] = Int32(distinct.count)
          wc[b] = Int32(distinct.count)
        }
      }
      distinctWeights = distinct
      weightClass = wc
    }
    // Total weight: in 64 bits while it fits, else exactly in a BigInt.
    var small: Int64 = 0
    var big: BigInt? = nil
    for b in 0..<profile.uniqueBallotCount {
      if big == nil {
        let (m, o1) = multiplicity[b].multipliedReportingOverflow(by: weight[b])
        let (t, o2) = small.addingReportingOverflow(m)
        if !o1 && !o2 {
          small = t
          continue
        }
        big = BigInt(small)
      }
      big! += BigInt(multiplicity[b]) * BigInt(weight[b])
    }
    totalWeight = big ?? BigInt(small)
    // Transpose ballots into per-project supporter lists (positive utility only; a project named twice
    // in a ballot counts once, as a set): one pass keeps each ballot's distinct supported projects
    // (bProjects, ballot order), a counting pass places them per project. Over buffers: ~20,000
    // unique ballots are transposed for every MES run.
    let ballots = profile.uniqueBallotCount
    var count = [Int](repeating: 0, count: n + 1)
    var bStart = [Int](repeating: 0, count: ballots + 1)
    var bProjects = [Int32]()
    bProjects.reserveCapacity(profile.items.count)
    var bUtil = [Int64]()
    bUtil.reserveCapacity(profile.items.count)
    var maxU: Int64 = 1
    let costUtility = costUtility
    profile.offsets.withUnsafeBufferPointer { offsets in
      profile.items.withUnsafeBufferPointer { items in
        profile.points.withUnsafeBufferPointer { points in
          count.withUnsafeMutableBufferPointer { count in
            bStart.withUnsafeMutableBufferPointer { bStart in
              var seenIn = [Int](repeating: -1, count: n)  // the last ballot that named each project
              seenIn.withUnsafeMutableBufferPointer { seenIn in
                for b in 0..<ballots {
                  for e in offsets[b]..<offsets[b + 1] {
                    let p = Int(items[e])
                    let util: Int64 = costUtility ? 1 : points[e]
                    guard util > 0, seenIn[p] != b else { continue }
                    seenIn[p] = b
                    bProjects.append(Int32(p))
                    bUtil.append(util)
                    count[p + 1] += 1
                    if util > maxU { maxU = util }
                  }
                  bStart[b + 1] = bProjects.count
                }
              }
            }
          }
        }
      }
    }
    for p in 0..<n { count[p + 1] += count[p] }
    var fill = count
    var sb = [Int32](repeating: 0, count: bProjects.count)
    var su = [Int64](repeating: 0, count: bProjects.count)
    sb.withUnsafeMutableBufferPointer { sb in
      su.withUnsafeMutableBufferPointer { su in
        fill.withUnsafeMutableBufferPointer { fill in
          bStart.withUnsafeBufferPointer { bStart in
            bProjects.withUnsafeBufferPointer { bProjects in
              bUtil.withUnsafeBufferPointer { bUtil in
                for b in 0..<ballots {
                  for e in bStart[b]..<bStart[b + 1] {
                    let p = Int(bProjects[e])
                    sb[fill[p]] = Int32(b)
                    su[fill[p]] = bUtil[e]
                    fill[p] += 1
                  }
                }
              }
            }
          }
        }
      }
    }
    supStart = count
    supBallot = sb
    supUtil = su
    supMult = sb.map { profile.multiplicities[Int($0)] }
    ballotStart = bStart
    ballotProjects = bProjects
    maxUtil = maxU
    var cands: [Int] = []
    var zero: [Int] = []
    var tu = [Double](repeating: 0, count: n)
    for p in 0..<n where count[p + 1] > count[p] {
      var t = 0.0
      for e in count[p]..<count[p + 1] { t += Double(su[e]) * Double(profile.multiplicities[Int(sb[e])]) }
      tu[p] = t
      if costs[p] > 0 { cands.append(p) } else if costs[p] == 0 { zero.append(p) }
    }
    totalUtil = tu
    neighbourStart = manyRuns ? Self.neighbourLists(n, count, sb, bStart, bProjects, into: &neighbours) : nil
    candidates = cands
    zeroCost = zero.sorted { ranks[$0] < ranks[$1] }
  }

  /// Per project, the other projects sharing a supporter with it, appended to `list` (CSR starts
  /// returned); nil, with `list` left empty, when that would take more than ``neighbourBudget`` steps.
  private static func neighbourLists(
    _ n: Int, _ supStart: [Int], _ supBallot: [Int32], _ ballotStart: [Int], _ ballotProjects: [Int32],
    into list: inout [Int32]
  ) -> [Int]? {
    var steps = 0
    for b in 0..<(ballotStart.count - 1) {
      let l = ballotStart[b + 1] - ballotStart[b]
      steps += l * l
      if steps > neighbourBudget { return nil }
    }
    var start = [0]
    var mark = [Int](repeating: -1, count: n)
    for p in 0..<n {
      mark[p] = p
      for k in supStart[p]..<supStart[p + 1] {
        let b = Int(supBallot[k])
        for e in ballotStart[b]..<ballotStart[b + 1] where mark[Int(ballotProjects[e])] != p {
          mark[Int(ballotProjects[e])] = p
          list.append(ballotProjects[e])
        }
      }
      start.append(list.count)
    }
    return start
  }

  /// The outcome of one run.
  struct Run {
    var selected: [Int]
    var spent: Int64
    /// Stopped early because the running cost exceeded `stopAbove`.
    var exceeded: Bool
    var state: _EqualSharesState
  }

  /// Runs MES with increment `k`; stops early (marking `exceeded`) once spending passes `stopAbove`.
  func run(increment k: Int64, stopAbove: Int64? = nil, exactEverywhere: Bool = false) -> Run {
    var st = _EqualSharesState(engine: self, increment: k)
    var selected = zeroCost
    var spent: Int64 = 0
    var remaining = candidates
    var lowKey = [Double](repeating: 0, count: projectCount)
    var keyT = [Double](repeating: 0, count: projectCount)
    var keyE = [Double](repeating: 0, count: projectCount)
    var dirty = [Bool](repeating: true, count: projectCount)
    // Projects a supporter of which has paid in this run (the others keep their starting groups).
    var paidFor = [Bool](repeating: false, count: projectCount)
    var removed = [Bool](repeating: false, count: projectCount)
    for p in remaining {
      // ρ can never be below cost / (total budget-independent utility × max budget); 0 is a safe start.
      lowKey[p] = 0
    }
    while !remaining.isEmpty {
      remaining.sort { lowKey[$0] != lowKey[$1] ? lowKey[$0] < lowKey[$1] : $0 < $1 }
      var bestHigh = Double.infinity
      var evaluated: [Int] = []
      for p in remaining {
        if lowKey[p] > bestHigh { break }
        if dirty[p] {
          let ev = st.evaluate(p, unpaid: !paidFor[p])
          var affordable = ev.affordable
          if affordable == nil || exactEverywhere { affordable = st.exactAffordable(p) }
          if affordable == false {
            removed[p] = true
            continue
          }
          let scale = costUtility ? Double(costs[p]) : 1
          keyT[p] = ev.rho / scale
          keyE[p] = ev.err / scale + ev.rho / scale * 4 * Double.ulpOfOne
          lowKey[p] = max(lowKey[p], keyT[p] - keyE[p])
          dirty[p] = false
        }
        evaluated.append(p)
        bestHigh = min(bestHigh, keyT[p] + keyE[p])
      }
      remaining.removeAll { removed[$0] }
      let close = evaluated.filter { exactEverywhere || keyT[$0] - keyE[$0] <= bestHigh }
      if close.isEmpty { break }
      var chosen = close[0]
      var exactRho: Rational? = nil
      if close.count > 1 {
        var bestKey: Rational? = nil
        for p in close {
          let rho = st.exactRho(p)!
          let key = costUtility ? rho / Rational(costs[p]) : rho
          if let b = bestKey, !(key < b || (key == b && tieRank[p] < tieRank[chosen])) { continue }
          bestKey = key
          chosen = p
          exactRho = rho
        }
      }
      st.pay(chosen, rhoTilde: keyT[chosen] * (costUtility ? Double(costs[chosen]) : 1),
             rhoErr: keyE[chosen] * (costUtility ? Double(costs[chosen]) : 1), exactRho: exactRho)
      selected.append(chosen)
      spent += costs[chosen]
      remaining.removeAll { $0 == chosen }
      if let neighbourStart {
        for e in neighbourStart[chosen]..<neighbourStart[chosen + 1] {
          dirty[Int(neighbours[e])] = true
          paidFor[Int(neighbours[e])] = true
        }
      } else {
        for b in st.lastPayers {
          for e in ballotStart[b]..<ballotStart[b + 1] {
            dirty[Int(ballotProjects[e])] = true
            paidFor[Int(ballotProjects[e])] = true
          }
        }
      }
      if let stopAbove, spent > stopAbove { return Run(selected: selected, spent: spent, exceeded: true, state: st) }
    }
    return Run(selected: selected, spent: spent, exceeded: false, state: st)
  }

  /// Whether an outcome is exhaustive over the supported projects: none left out fits in the leftover.
  func isExhaustive(_ selected: [Int], spent: Int64) -> Bool {
    let chosen = Set(selected)
    for p in candidates where !chosen.contains(p) && costs[p] <= budget - spent { return false }
    return true
  }
}

/// A (budget class, utility) pair, the key of a group of supporters.
struct _GroupKey: Hashable {
  var cls: Int32
  var util: Int64
}

/// Where ``_EqualSharesState`` groups a project's supporters: per group its class, utility and voter
/// count (the first `groups` entries), and when asked the paying ballots and their groups (the first
/// `memberCount`); `key` and `order` sort the groups. Grown, never shrunk, so a run allocates it a few
/// times only.
struct _GroupScratch {
  var cls: [Int32] = []
  var util: [Int64] = []
  var count: [Int64] = []
  var key: [Double] = []
  var order: [Int] = []
  var members: [Int] = []
  var memberGroup: [Int32] = []
  var memberCount = 0

  /// Room for `supporters` supporters (at most one group each), and their ballots when `members`.
  /// The room is not cleared (every entry is written before it is read).
  mutating func reserve(_ supporters: Int, members withMembers: Bool) {
    if cls.count < supporters {
      let size = max(supporters, 2 * cls.count, 16)
      cls = Self.room(size)
      util = Self.room(size)
      count = Self.room(size)
      key = Self.room(size)
      order = Self.room(size)
    }
    if withMembers && members.count < supporters {
      let size = max(supporters, 2 * members.count, 16)
      members = Self.room(size)
      memberGroup = Self.room(size)
    }
  }

  /// An array of `size` numbers left as the allocator gives them.
  private static func room<T: BinaryInteger>(_ size: Int) -> [T] {
    [T](unsafeUninitializedCapacity: size) { _, n in n = size }
  }
  private static func room(_ size: Int) -> [Double] {
    [Double](unsafeUninitializedCapacity: size) { _, n in n = size }
  }
}

/// Budgets during one MES run: classes of equal budgets with `Double` values, error bounds and lazily
/// computed exact values; the rounds taken so far.
struct _EqualSharesState {
  let engine: _EqualSharesEngine
  let increment: Int64
  /// Per unique ballot, its budget class (0 = no money left).
  var classOf: [Int32]
  var approx: [Double]
  var err: [Double]
  var exact: [Rational?]
  var parent: [Int32]
  var createdBy: [Int32]  // round index, -1 for initial classes
  var createdUtil: [Int64]
  /// Rounds: the chosen project, its payment groups, `ρ` (approximate, bound, exact when known).
  struct Round {
    var project: Int
    var groupClass: [Int32]
    var groupUtil: [Int64]
    var groupCount: [Int64]
    var rhoTilde: Double
    var rhoErr: Double
    var exactRho: Rational?
  }
  var rounds: [Round] = []
  var lastPayers: [Int] = []
  var exactRedecisions = 0
  // Scratch for grouping.
  private var slot: [Int32] = []
  private var slotDict: [_GroupKey: Int32] = [:]
  private var scratch = _GroupScratch()

  init(engine: _EqualSharesEngine, increment k: Int64) {
    self.engine = engine
    self.increment = k
    approx = [0]
    err = [0]
    exact = [Rational.zero]
    parent = [-1]
    createdBy = [-1]
    createdUtil = [0]
    let total = BigInt(engine.budget) + BigInt(k) * BigInt(engine.voterCount) * BigInt(engine.unit)
    // One starting class per distinct weight, numbered in order of first appearance.
    for w in engine.distinctWeights {
      let v = Rational(total * BigInt(w), engine.totalWeight)
      approx.append(v.doubleValue)
      err.append(abs(v.doubleValue) * 2 * Double.ulpOfOne)
      exact.append(v)
      parent.append(-1)
      createdBy.append(-1)
      createdUtil.append(0)
    }
    classOf = engine.weightClass
  }

  /// The supporters of `p` with money left, grouped by (class, utility) in order of first appearance;
  /// `members` (the ballots themselves) only when `withMembers` (paying needs them, evaluating does not).
  mutating func groups(_ p: Int, withMembers: Bool = false) -> (
    cls: [Int32], util: [Int64], count: [Int64], members: [Int], memberGroup: [Int32]
  ) {
    let n = collect(p, withMembers: withMembers)
    let s = scratch
    let m = withMembers ? s.memberCount : 0
    return (Array(s.cls[..<n]), Array(s.util[..<n]), Array(s.count[..<n]), Array(s.members[..<m]),
            Array(s.memberGroup[..<m]))
  }

  /// Groups `p`'s supporters with money left into `scratch` (see ``groups(_:withMembers:)``) and
  /// returns the number of groups. Nothing is allocated once the scratch has grown to the longest
  /// supporter list: this is run for most remaining projects every round, so it is most of a
  /// `mes-add1` run.
  private mutating func collect(_ p: Int, withMembers: Bool, unpaid: Bool = false) -> Int {
    if unpaid && !withMembers, let starts = engine.startGroupStart {
      let e = engine
      let lo = starts[p]
      let n = starts[p + 1] - lo
      scratch.reserve(n, members: false)
      for i in 0..<n {
        scratch.cls[i] = e.startGroupClass[lo + i]
        scratch.util[i] = e.startGroupUtil[lo + i]
        scratch.count[i] = e.startGroupCount[lo + i]
      }
      return n
    }
    let range = engine.supStart[p]..<engine.supStart[p + 1]
    scratch.reserve(range.count, members: withMembers)
    if engine.maxUtil <= 64 { return collectBySlot(range, withMembers: withMembers) }
    return collectByDictionary(range, withMembers: withMembers)
  }

  /// ``collect(_:withMembers:)`` when utilities are at most 64 (always under cost utilities, where each
  /// is 1): a (class, utility) key indexes `slot` directly, and the loop runs over buffers.
  private mutating func collectBySlot(_ range: Range<Int>, withMembers: Bool) -> Int {
    let width = Int(engine.maxUtil) + 1
    if slot.count < approx.count * width {
      slot = [Int32](repeating: -1, count: max(approx.count * width * 2, 64))
    }
    // Moved out of `self` while written, so that each is its array's only reference (no copy on write).
    var slot = self.slot
    self.slot = []
    var s = scratch
    scratch = _GroupScratch()
    var groups = 0
    var m = 0
    slot.withUnsafeMutableBufferPointer { slot in
      s.cls.withUnsafeMutableBufferPointer { cls in
        s.util.withUnsafeMutableBufferPointer { util in
          s.count.withUnsafeMutableBufferPointer { count in
            s.members.withUnsafeMutableBufferPointer { members in
              s.memberGroup.withUnsafeMutableBufferPointer { memberGroup in
                classOf.withUnsafeBufferPointer { classOf in
                  engine.supBallot.withUnsafeBufferPointer { supBallot in
                    engine.supUtil.withUnsafeBufferPointer { supUtil in
                      engine.supMult.withUnsafeBufferPointer { supMult in
                        // The count of the current group is kept in `run` while consecutive supporters
                        // fall in it (as they mostly do): adding each to memory made every iteration
                        // wait for the last.
                        var current: Int32 = -1
                        var run: Int64 = 0
                        for k in range {
                          let b = Int(supBallot[k])
                          let c = classOf[b]
                          if c == 0 { continue }
                          let u = supUtil[k]
                          let key = Int(c) * width + Int(u)
                          var g = slot[key]
                          if g < 0 {
                            g = Int32(groups)
                            slot[key] = g
                            cls[groups] = c
                            util[groups] = u
                            count[groups] = 0
                            groups += 1
                          }
                          if g == current {
                            run += supMult[k]
                          } else {
                            if current >= 0 { count[Int(current)] += run }
                            current = g
                            run = supMult[k]
                          }
                          if withMembers {
                            members[m] = b
                            memberGroup[m] = g
                            m += 1
                          }
                        }
                        if current >= 0 { count[Int(current)] += run }
                        for i in 0..<groups { slot[Int(cls[i]) * width + Int(util[i])] = -1 }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    s.memberCount = m
    self.slot = slot
    scratch = s
    return groups
  }

  /// ``collect(_:withMembers:)`` for utilities above 64: the groups are found through a dictionary.
  private mutating func collectByDictionary(_ range: Range<Int>, withMembers: Bool) -> Int {
    var s = scratch
    scratch = _GroupScratch()
    var groups = 0
    var m = 0
    for k in range {
      let b = Int(engine.supBallot[k])
      let c = classOf[b]
      if c == 0 { continue }
      let u = engine.supUtil[k]
      let key = _GroupKey(cls: c, util: u)
      let g: Int32
      if let found = slotDict[key] {
        g = found
      } else {
        g = Int32(groups)
        slotDict[key] = g
        s.cls[groups] = c
        s.util[groups] = u
        s.count[groups] = 0
        groups += 1
      }
      s.count[Int(g)] += engine.supMult[k]
      if withMembers {
        s.members[m] = b
        s.memberGroup[m] = g
        m += 1
      }
    }
    slotDict.removeAll(keepingCapacity: true)
    s.memberCount = m
    scratch = s
    return groups
  }

  /// `ρ` of `p` in floating point with an error bound; `affordable` is nil when too close to call.
  /// `unpaid`: no supporter of `p` has paid yet in this run (its groups are then the engine's
  /// starting groups).
  mutating func evaluate(_ p: Int, unpaid: Bool = false) -> (rho: Double, err: Double, affordable: Bool?) {
    let n = collect(p, withMembers: false, unpaid: unpaid)
    let (cls, util, count) = (scratch.cls, scratch.util, scratch.count)
    let cost = Double(engine.costs[p])
    let eps = Double.ulpOfOne
    var sum = 0.0
    var sumErr = 0.0
    for i in 0..<n {
      let m = Double(count[i])
      sum += m * approx[Int(cls[i])]
      sumErr += m * err[Int(cls[i])]
    }
    let slack = sumErr + Double(n + 2) * 2 * eps * (sum + cost)
    if sum + slack < cost { return (.infinity, 0, false) }
    let affordable: Bool? = sum - slack >= cost ? true : nil
    // Groups by increasing money per unit of utility (ties by index), the keys computed once.
    var key = scratch.key
    var order = scratch.order
    scratch.key = []
    scratch.order = []
    defer {
      scratch.key = key
      scratch.order = order
    }
    for i in 0..<n {
      key[i] = approx[Int(cls[i])] / Double(util[i])
      order[i] = i
    }
    key.withUnsafeBufferPointer { key in
      order.withUnsafeMutableBufferPointer { order in
        var head = UnsafeMutableBufferPointer(rebasing: order[..<n])
        head.sort { a, b in key[a] != key[b] ? key[a] < key[b] : a < b }
      }
    }
    var r = cost
    var uTotal = 0.0
    for i in 0..<n { uTotal += Double(count[i]) * Double(util[i]) }
    var poorErr = 0.0
    var poorSum = 0.0
    var rho = Double.infinity
    var steps = 0
    for j in 0..<n {
      let i = order[j]
      let beta = approx[Int(cls[i])]
      let u = Double(util[i])
      let m = Double(count[i])
      let candidate = r / uTotal
      if candidate * u <= beta {
        rho = candidate
        break
      }
      r -= m * beta
      uTotal -= m * u
      poorErr += m * err[Int(cls[i])]
      poorSum += m * beta
      steps += 1
      if uTotal <= 0 { break }
    }
    if !rho.isFinite {
      // Floating point ran out of supporters: only possible when affordability is borderline.
      return (Double.greatestFiniteMagnitude, .infinity, affordable)
    }
    let e = 2 * (poorErr + Double(steps + 3) * 4 * eps * (cost + poorSum)) / uTotal + 4 * eps * rho
    return (rho, e, affordable)
  }

  /// The exact value of class `c`, computed from the recorded rounds when not yet known.
  mutating func exactValue(_ c: Int32) -> Rational {
    if let v = exact[Int(c)] { return v }
    let r = Int(createdBy[Int(c)])
    let rho = exactRoundRho(r)
    let v = exactValue(parent[Int(c)]) - rho * Rational(createdUtil[Int(c)])
    let result = v.signum > 0 ? v : Rational.zero
    exact[Int(c)] = result
    return result
  }

  /// The exact `ρ` of round `r`, from its recorded payment groups.
  mutating func exactRoundRho(_ r: Int) -> Rational {
    if let v = rounds[r].exactRho { return v }
    let round = rounds[r]
    // (A funded round's supporters could pay: the affordability sum is not taken again.)
    let v = exactRho(
      cost: engine.costs[round.project], cls: round.groupClass, util: round.groupUtil, count: round.groupCount, affordable: true)!
    rounds[r].exactRho = v
    return v
  }

  /// Exact `ρ` for a cost and payment groups; nil when the groups cannot pay.
  mutating func exactRho(cost: Int64, cls: [Int32], util: [Int64], count: [Int64], affordable: Bool = false) -> Rational? {
    var beta: [Rational] = []
    for i in cls.indices { beta.append(exactValue(cls[i])) }
    // Σ β·count over some groups, exactly: numerators are added per denominator (budgets share few
    // denominators), and only the per-denominator sums are reduced.
    func paid(_ groups: some Sequence<Int>) -> Rational {
      var byDenominator: [BigInt: BigInt] = [:]
      for i in groups { byDenominator[beta[i].denominator, default: 0] += beta[i].numerator * BigInt(count[i]) }
      var sum = Rational.zero
      for (d, n) in byDenominator { sum += Rational(n, d) }
      return sum
    }
    if !affordable && paid(cls.indices) < Rational(cost) { return nil }
    // Groups by increasing budget per unit of utility (ties by index): sorted by a floating-point
    // key, then made exact by an insertion pass comparing cross products (no reduction needed).
    let betaD = beta.map(\.doubleValue)
    let key = cls.indices.map { betaD[$0] / Double(util[$0]) }
    func below(_ a: Int, _ b: Int) -> Bool {
      // Keys of positive normal values are within 3 ulps of the exact ratios (doubleValue rounds
      // correctly): keys 2^-40 apart compare as the ratios do, without the products.
      let ka = key[a]
      let kb = key[b]
      if ka.isNormal && kb.isNormal && ka > 0 && kb > 0 {
        if ka > kb * (1 + 0x1p-40) { return false }
        if kb > ka * (1 + 0x1p-40) { return true }
      }
      let l = beta[a].numerator * beta[b].denominator * BigInt(util[b])
      let rr = beta[b].numerator * beta[a].denominator * BigInt(util[a])
      return l != rr ? l < rr : a < b
    }
    var order = cls.indices.sorted { key[$0] != key[$1] ? key[$0] < key[$1] : $0 < $1 }
    if order.count > 1 {
      for x in 1..<order.count {
        var y = x
        while y > 0 && below(order[y], order[y - 1]) {
          order.swapAt(y, y - 1)
          y -= 1
        }
      }
    }
    var uTotal: Int64 = 0
    for i in cls.indices { uTotal += count[i] * util[i] }
    // ρ is the unique root of Σ min(β, ρ·util)·count = cost. A split k of the order (the groups
    // before k pay all they have, the others ρ·util) gives it as ρ = (cost − paid(before k)) / (their
    // utility) when it is consistent: β/util ≤ ρ for the group before k and ρ ≤ β/util for group k.
    // The split is guessed in floating point and checked exactly; failing that, the exact walk below.
    var guessR = Double(cost)
    var guessU = Double(uTotal)
    var k = 0
    while k < order.count {
      let i = order[k]
      if guessR * Double(util[i]) <= betaD[i] * guessU { break }
      guessR -= betaD[i] * Double(count[i])
      guessU -= Double(count[i] * util[i])
      k += 1
    }
    if k < order.count {
      let rk = Rational(cost) - paid(order[..<k])
      var uk: Int64 = 0
      for i in order[k...] { uk += count[i] * util[i] }
      let i = order[k]
      let fits = uk > 0 && rk.numerator * BigInt(util[i]) * beta[i].denominator <= beta[i].numerator * BigInt(uk) * rk.denominator
      var consistent = true
      if k > 0 {
        let j = order[k - 1]
        consistent = beta[j].numerator * BigInt(uk) * rk.denominator <= rk.numerator * BigInt(util[j]) * beta[j].denominator
      }
      if fits && consistent { return rk / Rational(uk) }
    }
    // ρ = r / uTotal for the first group (in that order) that can pay ρ·util in full, where r is
    // the cost left after the poorer groups paid everything; tested as r·util ≤ β·uTotal.
    var r = Rational(cost)
    for i in order {
      if r.numerator * BigInt(util[i]) * beta[i].denominator <= beta[i].numerator * BigInt(uTotal) * r.denominator {
        return r / Rational(uTotal)
      }
      r -= beta[i] * Rational(count[i])
      uTotal -= count[i] * util[i]
    }
    return nil
  }

  /// Exact `ρ` of project `p` now; nil when unaffordable.
  mutating func exactRho(_ p: Int) -> Rational? {
    exactRedecisions += 1
    let g = groups(p)
    return exactRho(cost: engine.costs[p], cls: g.cls, util: g.util, count: g.count)
  }

  /// Whether `p`'s supporters can pay for it, decided exactly.
  mutating func exactAffordable(_ p: Int) -> Bool {
    exactRedecisions += 1
    let g = groups(p)
    var total = Rational.zero
    for i in g.cls.indices { total += exactValue(g.cls[i]) * Rational(g.count[i]) }
    return total >= Rational(engine.costs[p])
  }

  /// Charges `p`'s supporters and records the round.
  mutating func pay(_ p: Int, rhoTilde: Double, rhoErr: Double, exactRho: Rational?) {
    let g = groups(p, withMembers: true)
    let r = Int32(rounds.count)
    rounds.append(Round(project: p, groupClass: g.cls, groupUtil: g.util, groupCount: g.count,
                        rhoTilde: rhoTilde, rhoErr: rhoErr, exactRho: exactRho))
    var newClass = [Int32](repeating: 0, count: g.cls.count)
    let eps = Double.ulpOfOne
    for i in g.cls.indices {
      let c = Int(g.cls[i])
      let u = Double(g.util[i])
      let pay = rhoTilde * u
      let payErr = rhoErr * u + 2 * eps * pay
      if approx[c] + err[c] < pay - payErr { continue }  // certainly pays everything: class 0
      var value = approx[c] - pay
      var bound = err[c] + payErr + 2 * eps * abs(approx[c])
      var ex: Rational? = nil
      if !(approx[c] - err[c] > pay + payErr), let rho = exactRho {
        // Too close to call in floating point, and the exact price is known: decide exactly.
        let v = exactValue(g.cls[i]) - rho * Rational(g.util[i])
        if v.signum <= 0 { continue }
        ex = v
        value = v.doubleValue
        bound = abs(value) * 2 * eps
      }
      if value < 0 { value = 0 }
      newClass[i] = Int32(approx.count)
      approx.append(value)
      err.append(bound)
      exact.append(ex)
      parent.append(g.cls[i])
      createdBy.append(r)
      createdUtil.append(g.util[i])
    }
    // Each paying ballot moves to its group's new class.
    lastPayers = g.members
    for (j, b) in g.members.enumerated() { classOf[b] = newClass[Int(g.memberGroup[j])] }
  }
}

extension _EqualSharesEngine {
  /// Builds the engine for a rule, checking the ballot kind and the profile.
  static func make(_ problem: AllocationProblem, rule: String, manyRuns: Bool = false) throws(RuleError) -> _EqualSharesEngine {
    guard let profile = problem.profile else {
      throw RuleError.invalidInput(rule: rule, message: "the rule needs the ballots, not only scores")
    }
    guard problem.constraints.isEmpty else {
      throw RuleError.invalidInput(rule: rule, message: "the Method of Equal Shares does not take envelopes or quotas")
    }
    var engine = try _EqualSharesEngine(problem: problem, profile: profile, rule: rule, manyRuns: manyRuns)
    if manyRuns { engine.recordStartGroups() }
    return engine
  }

  /// Records ``startGroupStart`` and its arrays: each project's groups as a fresh run finds them.
  mutating func recordStartGroups() {
    var fresh = _EqualSharesState(engine: self, increment: 0)
    var start = [0]
    for p in 0..<projectCount {
      let g = fresh.groups(p)
      startGroupClass += g.cls
      startGroupUtil += g.util
      startGroupCount += g.count
      start.append(startGroupClass.count)
    }
    startGroupStart = start
  }

  /// The per-round trace of a run, with exact prices.
  func trace(_ run: inout Run, instance: Instance) -> JSONValue {
    var out: [JSONValue] = []
    let total = BigInt(budget) + BigInt(run.state.increment) * BigInt(voterCount) * BigInt(unit)
    var spent = BigInt(0)
    for p in zeroCost {
      out.append([
        "project": .string(instance.projects[p].id), "rho": "0", "rhoValue": .int(0), "pricePerVoter": "0",
        "pricePerVoterValue": .int(0), "supporters": .int(supporterCount(p)), "payers": .int(0), "paidAll": .int(0),
        "moneyLeft": .number(Self.decimal(Rational(total), scale: instance.costScale)),
      ])
    }
    for r in run.state.rounds.indices {
      let round = run.state.rounds[r]
      // Under cost utilities the engine prices in money per voter (utility 1); ρ is that over the cost.
      let raw = run.state.exactRoundRho(r)
      let rho = costUtility ? raw / Rational(costs[round.project]) : raw
      var payers: Int64 = 0
      var paidAll: Int64 = 0
      for i in round.groupClass.indices {
        payers += round.groupCount[i]
        if run.state.exactValue(round.groupClass[i]) <= raw * Rational(round.groupUtil[i]) { paidAll += round.groupCount[i] }
      }
      spent += BigInt(costs[round.project])
      var entry: [String: JSONValue] = [
        "project": .string(instance.projects[round.project].id),
        "rho": .string(rho.description), "rhoValue": .double(rho.doubleValue),
        "supporters": .int(supporterCount(round.project)), "payers": .int(payers), "paidAll": .int(paidAll),
        "moneyLeft": .number(Self.decimal(Rational(total - spent), scale: instance.costScale)),
      ]
      if costUtility {
        let price = rho * Rational(costs[round.project])
        entry["pricePerVoter"] = .string(Self.scaled(price, scale: instance.costScale).description)
        entry["pricePerVoterValue"] = .double(Self.scaled(price, scale: instance.costScale).doubleValue)
      }
      out.append(.object(entry))
    }
    return .array(out)
  }

  /// The number of voters supporting `p` (multiplicities summed).
  func supporterCount(_ p: Int) -> Int64 {
    var t: Int64 = 0
    for k in supStart[p]..<supStart[p + 1] { t += multiplicity[Int(supBallot[k])] }
    return t
  }

  /// An amount in cost units as a currency value.
  static func scaled(_ v: Rational, scale: Int) -> Rational {
    scale == 0 ? v : v / Rational(BigInt(10).power(scale))
  }

  /// An integer amount in cost units as a JSON decimal literal.
  static func decimal(_ v: Rational, scale: Int) -> String {
    let s = scaled(v, scale: scale)
    if s.denominator == 1 { return s.numerator.description }
    return String(s.doubleValue)
  }

  /// Details shared by the MES rules.
  func details(_ run: inout Run, instance: Instance) -> [String: JSONValue] {
    let total = Rational(BigInt(budget) + BigInt(run.state.increment) * BigInt(voterCount) * BigInt(unit), 1)
    let perVoter = Self.scaled(total / Rational(voterCount), scale: instance.costScale)
    var d: [String: JSONValue] = [
      "rounds": trace(&run, instance: instance),
      "voters": .int(voterCount),
      "utilities": .string(costUtility ? "cost" : "points"),
      "exactRedecisions": .int(run.state.exactRedecisions),
      "arithmetic": "double with exact re-decision (exact outcome)",
    ]
    if weight.allSatisfy({ $0 == weight.first }) {
      d["initialVoterBudget"] = .string(perVoter.description)
      d["initialVoterBudgetValue"] = .double(perVoter.doubleValue)
    }
    return d
  }
}
