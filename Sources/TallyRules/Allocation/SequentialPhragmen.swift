import TallyCore

/// Sequential Phragmén on approval ballots, exact, stopping at the first round that does not fit.
///
/// **Definition.** Voters earn virtual money continuously at rate 1 (their weight, when weighted). A
/// project is bought at the first moment `t` its supporters together have earned its cost since each of
/// them last spent: `t_p = (cost_p + Σ_{i supports p} w_i·τ_i) / Σ_{i supports p} w_i`, where `τ_i` is the
/// time voter `i` last paid (0 at the start). Each round the project with the smallest `t_p` is bought,
/// its supporters' `τ` become `t_p`, and the rule goes on. Projects costing more than the budget are
/// removed first. The rule **stops** at the first round in which some project tied for the smallest `t_p`
/// (exactly equal) does not fit in what is left of the budget; otherwise the tie-break picks among the
/// tied projects. Projects without supporters are tied at `t = ∞` once every supported one is bought: they
/// are added one at a time (tie-break order) while all of them still fit. This is exactly pabutools 1.2.3
/// `sequential_phragmen`, whose "stop if any tied project does not fit" and `∞` ties are kept so that
/// outcomes match it.
///
/// - Parameters: option `exact-trace=true` writes every round's load as an exact fraction too (the
///   decisions are exact either way).
/// - Returns: the projects in the order bought; `details.rounds` gives each round's project and its load
///   `t` (`loadValue`, and `load` as an exact fraction when computed); `details.stoppedAt` the tied projects that did not fit, if any.
/// - Throws: `unsupportedBallotKind` for non-approval ballots; `invalidInput` when constraints are given.
/// - Complexity: O(R · (n·R + Σ_{funded p} Σ_{b ∋ p} |b|)) for R rounds and n projects, in `Double` with
///   rigorous error bounds; near-ties are re-decided in exact rationals, so the outcome is exact.
///
/// **Properties:** budget-feasible; satisfies PJR-like proportionality for unit costs (Brill et al.
/// 2017); not exhaustive; priceable (Peters and Skowron 2020).
///
/// **Reference:** Los, Christoff, Grossi, "Proportional Budget Allocations: Towards a Systematization",
/// IJCAI 2022; pabutools `sequential_phragmen`.
///
/// **Example:** budget 10, ballots {a}, {a}, {b}; costs a 4, b 3, c 5 (unsupported). a at t = 2, then b at
/// t = 3; then c (t = ∞) does not fit in 3 → stop. Outcome a, b.
public struct SequentialPhragmen: AllocationRule {
  public static let descriptor = RuleDescriptor(
    id: "phragmen", kind: .allocation, accepts: [.approval, .choose1],
    summary: "sequential Phragmén, exact; stops at the first round whose (tied) best project does not fit",
    reference: "Los, Christoff, Grossi, IJCAI 2022; pabutools sequential_phragmen",
    options: ["exact-trace": "true: give every round's load as an exact fraction (default false: as a number)"],
    arithmetic: "exact-rational")

  /// Whether the trace gives each round's load as an exact fraction (costs an exact replay).
  public var exactTrace: Bool

  public init(options: RuleOptions) throws(RuleError) {
    try options.check(known: ["exact-trace"], rule: Self.descriptor.id)
    exactTrace = try options.choice("exact-trace", rule: Self.descriptor.id, among: ["true", "false"], default: "false") == "true"
  }

  public var recordedOptions: [String: String] { ["exact-trace": exactTrace ? "true" : "false"] }

  public func allocate(_ problem: AllocationProblem) throws(RuleError) -> AllocationOutcome {
    let rule = Self.descriptor.id
    guard let profile = problem.profile else {
      throw RuleError.invalidInput(rule: rule, message: "the rule needs the ballots, not only scores")
    }
    try Self.check(profile.kind)
    guard problem.constraints.isEmpty else {
      throw RuleError.invalidInput(rule: rule, message: "sequential Phragmén does not take envelopes or quotas")
    }
    let inst = problem.instance
    let n = inst.projectCount
    let costs = inst.costs
    let tie = problem.tieRanks
    let nb = profile.uniqueBallotCount
    // Per ballot: total weight (multiplicity × weight) and its distinct projects, flat: ballot b's are
    // bItems[bStart[b]..<bStart[b + 1]]. Per project: its supporting ballots, flat likewise.
    var bw = [Int64](repeating: 0, count: nb)
    var bStart = [Int](repeating: 0, count: nb + 1)
    var bItems: [Int] = []
    bItems.reserveCapacity(profile.items.count)
    var W = [Int64](repeating: 0, count: n)
    var supporterCount = [Int](repeating: 0, count: n)
    var lastBallot = [Int](repeating: -1, count: n)
    for b in 0..<nb {
      bw[b] = profile.totalWeight(b)
      for p32 in profile.ballot(b) {
        let p = Int(p32)
        if lastBallot[p] == b { continue }
        lastBallot[p] = b
        bItems.append(p)
        supporterCount[p] += 1
        W[p] += bw[b]
      }
      bStart[b + 1] = bItems.count
    }
    var sStart = [Int](repeating: 0, count: n + 1)
    for p in 0..<n { sStart[p + 1] = sStart[p] + supporterCount[p] }
    var sFill = sStart
    var sItems = [Int](repeating: 0, count: bItems.count)
    for b in 0..<nb {
      for k in bStart[b]..<bStart[b + 1] {
        let p = bItems[k]
        sItems[sFill[p]] = b
        sFill[p] += 1
      }
    }
    // A[p][r]: weight of p's supporters whose last payment was at round r (slot 0 = time 0).
    let slots = n + 1
    var A = [Int64](repeating: 0, count: n * slots)
    for p in 0..<n { A[p * slots] = W[p] }
    var roundOf = [Int](repeating: 0, count: nb)
    // Round times: approximate value, error bound, exact value (computed lazily from the snapshot of
    // the chosen project's supporters at that round).
    var T: [Rational?] = [.zero]
    var Tt: [Double] = [0]
    var Terr: [Double] = [0]
    var snapshot: [(project: Int, terms: [(Int, Int64)])] = [(0, [])]
    var remaining = (0..<n).filter { costs[$0] <= inst.budget }
    var selected: [Int] = []
    var spent: Int64 = 0
    var trace: [JSONValue] = []
    var stoppedAt: [JSONValue] = []
    var exactRedecisions = 0
    let eps = Double.ulpOfOne

    func exactT(_ r: Int) -> Rational {
      if let v = T[r] { return v }
      let snap = snapshot[r]
      var s = Rational(costs[snap.project])
      for (r2, a) in snap.terms { s += exactT(r2) * Rational(a) }
      let v = s / Rational(W[snap.project])
      T[r] = v
      return v
    }
    func exactLoad(_ p: Int) -> Rational {
      var s = Rational(costs[p])
      for r in 0..<T.count where A[p * slots + r] != 0 { s += exactT(r) * Rational(A[p * slots + r]) }
      return s / Rational(W[p])
    }

    while !remaining.isEmpty {
      let supported = remaining.filter { W[$0] > 0 }
      var tied: [Int]
      var load: Rational? = nil
      var approx = [Double](repeating: 0, count: n)
      var bound = [Double](repeating: 0, count: n)
      if supported.isEmpty {
        tied = remaining
      } else {
        var bestHigh = Double.infinity
        for p in supported {
          var s = Double(costs[p])
          var mag = s
          var inherited = 0.0
          for r in 0..<T.count where A[p * slots + r] != 0 {
            let a = Double(A[p * slots + r])
            let term = Tt[r] * a
            s += term
            mag += abs(term)
            inherited += Terr[r] * a
          }
          let w = Double(W[p])
          approx[p] = s / w
          bound[p] = 2 * (inherited + Double(T.count + 4) * 4 * eps * mag) / w + 4 * eps * approx[p]
          bestHigh = min(bestHigh, approx[p] + bound[p])
        }
        let close = supported.filter { approx[$0] - bound[$0] <= bestHigh }
        if close.count == 1 {
          tied = close
        } else {
          exactRedecisions += 1
          var best: Rational? = nil
          tied = []
          for p in close {
            let v = exactLoad(p)
            if best == nil || v < best! {
              best = v
              tied = [p]
            } else if v == best! {
              tied.append(p)
            }
          }
          load = best
        }
      }
      if tied.contains(where: { costs[$0] > inst.budget - spent }) {
        stoppedAt = tied.sorted { tie[$0] < tie[$1] }.map { .string(inst.projects[$0].id) }
        break
      }
      let chosen = tied.min { tie[$0] < tie[$1] }!
      let approxChosen = approx[chosen]
      let boundChosen = bound[chosen]
      selected.append(chosen)
      spent += costs[chosen]
      remaining.removeAll { $0 == chosen }
      if W[chosen] > 0 {
        let r = T.count
        var terms: [(Int, Int64)] = []
        for r2 in 0..<T.count where A[chosen * slots + r2] != 0 { terms.append((r2, A[chosen * slots + r2])) }
        snapshot.append((chosen, terms))
        T.append(load)
        if let load {
          Tt.append(load.doubleValue)
          Terr.append(abs(load.doubleValue) * 2 * eps)
        } else {
          Tt.append(approxChosen)
          Terr.append(boundChosen)
        }
        for k in sStart[chosen]..<sStart[chosen + 1] {
          let b = sItems[k]
          let old = roundOf[b]
          roundOf[b] = r
          for j in bStart[b]..<bStart[b + 1] {
            let p = bItems[j]
            A[p * slots + old] -= bw[b]
            A[p * slots + r] += bw[b]
          }
        }
        trace.append(["project": .string(inst.projects[chosen].id), "round": .int(r)])
      } else {
        trace.append(["project": .string(inst.projects[chosen].id), "load": "infinity", "loadValue": .null])
      }
    }
    trace = trace.map { entry in
      guard case .object(var o) = entry, case .number(let rs)? = o["round"], let r = Int(rs) else { return entry }
      o["round"] = nil
      if exactTrace || T[r] != nil {
        let t = exactT(r)
        o["load"] = .string(t.description)
        o["loadValue"] = .double(t.doubleValue)
      } else {
        o["loadValue"] = .double(Tt[r])
      }
      return .object(o)
    }
    var details: [String: JSONValue] = ["rounds": .array(trace), "exactRedecisions": .int(exactRedecisions)]
    if !stoppedAt.isEmpty { details["stoppedAt"] = .array(stoppedAt) }
    return AllocationOutcome(selected: selected, spent: spent, details: details)
  }
}
