#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import TallyCore

/// A deterministic synthetic Korean national participatory-budgeting election (korea-pb.md §8).
///
/// **Projects.** `projects` candidates (default 150) in the 12 areas of the National Fiscal Management
/// Plan, in the proposal mix of §8 (welfare 30%, environment 12%, SOC 10%, ...); costs lognormal with
/// median 1.5 billion KRW and σ = 1.1, ×0.7 for marginalised projects, clipped to [0.1, 49.9] billion
/// (the legal cap is 50 billion) and rounded to a million; a `marginalised` target with probability
/// 0.38; each area belongs to one of the committee's four sub-committees.
///
/// **Preferences.** Voter v's utility for project p is
/// `q_p(channel) + β·[area_p ∈ v's favourites] + γ·marginalised_p·[v marginalised] − λ·ln(cost_p in 100M) + s·ε`,
/// with `q_p ~ N(0, 0.7²)` shared by both channels plus a channel-specific N(0, 0.3²) part (§8 has
/// N(0,1); the smaller spread keeps the top project's share under about a third, as in real votes),
/// γ = 0.8, λ = 0.3, ε Gumbel(0,1), s = 1.0 for the public and 0.7 for the deliberating committee.
/// Three "viral" projects get +1.6 with the public and −1.2 with the committee. Voters approve their
/// top k.
///
/// **Channels.** `public.csv`: `publicVoters` general-survey ballots (default 120,000), up to 5 picks
/// (5 with probability 0.55, else 1–4 uniformly). `committee.csv`: 450 members, exactly 10 picks: 400
/// drawn by sex × 5 age bands × 17 regions with an age-dependent response rate and post-stratified by
/// sex × age (weights in [0.5, 2], 4 decimals), plus 50 from marginalised groups (weight 1); each in one
/// of 4 sub-committees (own sub-committee's areas +0.6); group weights stratified 1, marginalised 1.5.
/// A few dozen realistic void ballots (revotes, typos, too many picks, ...) are mixed in.
///
/// **Determinism.** Randomness is ``SplitMix64`` only; transcendental functions are computed here
/// with IEEE basic operations (no platform `log`/`exp`), noise comes from a fixed quantile table, and
/// every number written is an integer (weights are integers of 10^-4 written as decimals). The same
/// parameters give the same bytes on every run.
public struct KoreaNationalGenerator: Sendable {
  /// What to generate.
  public struct Parameters: Sendable, Hashable {
    public var seed: UInt64 = 2020
    public var projects = 150
    public var publicVoters = 120_000
    public var publicMaxPicks = 5
    public var stratifiedMembers = 400
    public var marginalisedMembers = 50
    public var committeePicks = 10
    /// Envelope in KRW.
    public var budget: Int64 = 110_000_000_000
    /// Amount reserved for marginalised projects (floor), KRW.
    public var marginalisedFloor: Int64 = 33_000_000_000
    /// Whether to mix in void ballots.
    public var voidBallots = true
    public init() {}
  }

  public var parameters: Parameters

  public init(parameters: Parameters = Parameters()) { self.parameters = parameters }

  /// The 12 areas: slug, weight in the proposal mix (percent), sub-committee, names for projects.
  static let areas: [(slug: String, mix: Int, sub: Int, stems: [String])] = [
    ("health-welfare-employment", 30, 0, ["Community care", "Youth job", "Elderly living", "Disability support", "Childcare"]),
    ("environment", 12, 2, ["Fine dust", "River restoration", "Recycling", "Urban forest"]),
    ("soc", 10, 1, ["Rural bus", "Safe crossing", "Bicycle road", "Bridge repair"]),
    ("public-order-safety", 10, 2, ["Disaster alert", "Crime prevention", "Fire safety", "Digital sex crime"]),
    ("industry-sme-energy", 8, 1, ["Small business", "Market revival", "Solar village", "Start-up"]),
    ("culture-sports-tourism", 8, 2, ["Local library", "Community sports", "Heritage trail", "Arts access"]),
    ("education", 7, 0, ["After-school", "Digital literacy", "Lifelong learning", "School meals"]),
    ("agriculture-fisheries-food", 5, 1, ["Farmer welfare", "Fishing village", "Local food", "Smart farm"]),
    ("general-local-administration", 5, 3, ["Civil service", "Open data", "Local autonomy"]),
    ("r-and-d", 3, 1, ["Applied research", "Public AI"]),
    ("foreign-affairs-unification", 1, 3, ["Refugee support", "Inter-Korean exchange"]),
    ("defence", 1, 3, ["Soldier welfare", "Reserve forces"]),
  ]
  static let subcommittees = ["welfare", "economy", "society", "administration"]
  /// 17 regions with population in 10,000s (2020, rounded).
  static let regions: [(String, Int)] = [
    ("seoul", 967), ("busan", 339), ("daegu", 242), ("incheon", 294), ("gwangju", 145), ("daejeon", 146),
    ("ulsan", 114), ("sejong", 36), ("gyeonggi", 1343), ("gangwon", 154), ("chungbuk", 160), ("chungnam", 212),
    ("jeonbuk", 180), ("jeonnam", 185), ("gyeongbuk", 264), ("gyeongnam", 334), ("jeju", 67),
  ]
  /// Adult population share by age band (per mille) and relative response rate (percent).
  static let ages: [(band: String, share: Int, response: Int)] = [
    ("19-29", 170, 60), ("30-39", 160, 75), ("40-49", 190, 95), ("50-59", 200, 110), ("60+", 280, 120),
  ]

  struct Project {
    var id: String
    var area: Int
    var marginalised: Bool
    var cost: Int64
    var name: String
    var qPublic: Double
    var qCommittee: Double
    var logCost: Double
  }

  /// The files' contents by name, in writing order.
  public func files() -> [(name: String, bytes: [UInt8])] {
    let P = parameters
    var rng = SplitMix64(seed: P.seed)
    let gumbel = Self.gumbelTable()
    // Projects: areas by largest remainder over the mix.
    let n = P.projects
    var counts = Self.areas.map { $0.mix * n / 100 }
    var rema = Self.areas.enumerated().map { ($0.offset, $0.element.mix * n % 100) }
    rema.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    var k = 0
    while counts.reduce(0, +) < n {
      counts[rema[k % rema.count].0] += 1
      k += 1
    }
    for a in counts.indices where counts[a] == 0 {
      counts[a] = 1
      let biggest = counts.indices.max { counts[$0] < counts[$1] }!
      counts[biggest] -= 1
    }
    var areaOf: [Int] = []
    for (a, c) in counts.enumerated() { areaOf += Array(repeating: a, count: c) }
    Self.shuffle(&areaOf, &rng)
    var projects: [Project] = []
    var stemUse = [Int](repeating: 0, count: Self.areas.count)
    for i in 0..<n {
      let a = areaOf[i]
      let marg = Self.uniform(&rng) < 0.38
      var c = 1.5e9 * DMath.exp(1.1 * Self.normal(&rng))
      if marg { c *= 0.7 }
      c = min(max(c, 1e8), 4.99e10)
      let cost = Int64((c / 1e6).rounded()) * 1_000_000
      let q = 0.7 * Self.normal(&rng)
      let qp = q + 0.3 * Self.normal(&rng)
      let qc = q + 0.3 * Self.normal(&rng)
      let stems = Self.areas[a].stems
      let stem = stems[stemUse[a] % stems.count]
      stemUse[a] += 1
      let name = "\(stem) \(marg ? "support" : "programme") \(stemUse[a])"
      projects.append(
        Project(
          id: "P" + Self.pad(i + 1, 3), area: a, marginalised: marg, cost: cost, name: name, qPublic: qp,
          qCommittee: qc, logCost: DMath.log(Double(cost) / 1e8)))
    }
    // Viral projects: popular with the public, not with the committee (the 3 with the best public q
    // among non-marginalised projects outside welfare).
    let viral = projects.indices.filter { !projects[$0].marginalised && projects[$0].area != 0 }
      .sorted { projects[$0].qPublic != projects[$1].qPublic ? projects[$0].qPublic > projects[$1].qPublic : $0 < $1 }
      .prefix(3)
    for v in viral {
      projects[v].qPublic += 1.6
      projects[v].qCommittee -= 1.2
    }

    // projects.csv
    var pcsv = "project_id;cost;name;category;target;subcommittee\n"
    for p in projects {
      pcsv += "\(p.id);\(p.cost);\(p.name);\(Self.areas[p.area].slug);\(p.marginalised ? "marginalised" : "");\(Self.subcommittees[Self.areas[p.area].sub])\n"
    }

    // Shared utility pieces.
    let lambda = 0.3
    let gamma = 0.8
    let beta = 1.0
    let basePublic = projects.map { $0.qPublic - lambda * $0.logCost }
    let baseCommittee = projects.map { $0.qCommittee - lambda * $0.logCost }
    let areaCDF = Self.cdf(Self.areas.map(\.mix))

    // public.csv
    var pub: [UInt8] = []
    pub.reserveCapacity(P.publicVoters * 36)
    pub += Array("voter_id;vote\n".utf8)
    var top: [(Double, Int32)] = []
    var util = [Double](repeating: 0, count: n)
    var earlier: [Int] = []
    let voidEvery = P.voidBallots ? max(P.publicVoters / 60, 1) : Int.max
    for v in 1...P.publicVoters {
      let fav = Self.pick(areaCDF, &rng)
      let marg = Self.uniform(&rng) < 0.15
      Self.utilities(&util, base: basePublic, projects: projects, fav: fav, fav2: -1, marg: marg, beta: beta, gamma: gamma, scale: 1.0, gumbel: gumbel, rng: &rng)
      let r = Self.uniform(&rng)
      let len = r < 0.55 ? P.publicMaxPicks : 1 + Int(rng.next() % UInt64(max(P.publicMaxPicks - 1, 1)))
      Self.topK(util, min(len, n), into: &top)
      let id = "G" + Self.pad(v, 7)
      Self.row(&pub, id, top.map { projects[Int($0.1)].id })
      if v % 997 == 0 { earlier.append(v) }
      // Void ballots, mixed in deterministically.
      if v % voidEvery == 0 {
        let kind = (v / voidEvery) % 6
        let other = top.map { projects[Int($0.1)].id }
        switch kind {
        case 0:  // a revote with the same id (duplicate-voter)
          let old = earlier.isEmpty ? v : earlier[Int(rng.next() % UInt64(earlier.count))]
          Self.row(&pub, "G" + Self.pad(old, 7), Array(other.reversed()))
        case 1:  // a typo in a project id (unknown-project)
          Self.row(&pub, "G" + Self.pad(P.publicVoters + v, 7), [other[0], "P" + Self.pad(n + 1 + (v / voidEvery) % 50, 3)])
        case 2:  // six picks (too-many-picks)
          let extra = projects.map(\.id).filter { !other.contains($0) }.prefix(P.publicMaxPicks + 1 - other.count)
          Self.row(&pub, "G" + Self.pad(P.publicVoters + v, 7), other + extra)
        case 3:  // the same project twice (repeated-project)
          Self.row(&pub, "G" + Self.pad(P.publicVoters + v, 7), [other[0], other[0]])
        case 4:  // an empty ballot (too-few-picks)
          Self.row(&pub, "G" + Self.pad(P.publicVoters + v, 7), [])
        default:  // a row cut short (malformed-row)
          pub += Array(("G" + Self.pad(P.publicVoters + v, 7) + "\n").utf8)
        }
      }
    }

    // committee.csv: 400 stratified members with response bias, then post-stratification by sex × age.
    let regionCDF = Self.cdf(Self.regions.map(\.1))
    let ageCDF = Self.cdf(Self.ages.map { $0.share * $0.response })
    var members: [(sex: Int, age: Int, region: Int, marg: Bool)] = []
    for _ in 0..<P.stratifiedMembers {
      members.append((Int(rng.next() % 2), Self.pick(ageCDF, &rng), Self.pick(regionCDF, &rng), false))
    }
    for _ in 0..<P.marginalisedMembers {
      members.append((Int(rng.next() % 2), 3 + Int(rng.next() % 2), Self.pick(regionCDF, &rng), true))
    }
    // Post-stratification weight (in 10^-4) per sex × age cell: target / sample, clipped to [0.5, 2].
    var cell = [Int](repeating: 0, count: 2 * Self.ages.count)
    for m in members where !m.marg { cell[m.sex * Self.ages.count + m.age] += 1 }
    let ageTotal = Self.ages.reduce(0) { $0 + $1.share }
    func weight(_ m: (sex: Int, age: Int, region: Int, marg: Bool)) -> Int {
      if m.marg { return 10_000 }
      let c = cell[m.sex * Self.ages.count + m.age]
      // target = stratified × share / ageTotal / 2; weight = target / c, in 10^-4, rounded half up.
      let num = 2 * P.stratifiedMembers * Self.ages[m.age].share * 10_000
      let den = 2 * ageTotal * 2 * c
      let w = (num + den / 2) / den
      return min(max(w, 5_000), 20_000)
    }
    var sub = (0..<members.count).map { $0 % 4 }
    Self.shuffle(&sub, &rng)
    var com = Array("voter_id;vote;weight;group;subcommittee;sex;age;region\n".utf8)
    for (i, m) in members.enumerated() {
      let fav = Self.pick(areaCDF, &rng)
      let s = sub[i]
      Self.utilities(
        &util, base: baseCommittee, projects: projects, fav: fav, fav2: s, marg: m.marg, beta: 0.6, gamma: gamma,
        scale: 0.7, gumbel: gumbel, rng: &rng)
      var picks = P.committeePicks
      if P.voidBallots && (i == 137 || i == 311) { picks -= 1 }  // too-few-picks
      if P.voidBallots && i == 402 { picks += 1 }  // too-many-picks
      Self.topK(util, min(picks, n), into: &top)
      let w = weight(m)
      var line = "C" + Self.pad(i + 1, 3) + ";" + top.map { projects[Int($0.1)].id }.joined(separator: ",")
      line += ";" + String(w / 10_000) + "." + Self.pad(w % 10_000, 4)
      line += ";" + (m.marg ? "marginalised" : "stratified") + ";" + Self.subcommittees[s]
      line += ";" + (m.sex == 0 ? "F" : "M") + ";" + Self.ages[m.age].band + ";" + Self.regions[m.region].0 + "\n"
      com += Array(line.utf8)
    }

    let election = """
      {
        "name": "Korea national participatory budget 2020 (synthetic, seed \(P.seed))",
        "preset": "national",
        "currency": "KRW",
        "projects": "projects.csv",
        "budget": \(P.budget),
        "channels": [
          {"id": "committee", "ballots": "committee.csv", "weight": 0.5, "exactPicks": \(P.committeePicks),
           "groups": {"stratified": 1, "marginalised": 1.5}},
          {"id": "public", "ballots": "public.csv", "weight": 0.5, "maxPicks": \(P.publicMaxPicks)}
        ],
        "normalisation": "share-of-voters",
        "allocation": "greedy",
        "tieBreak": "share:committee,lower-cost",
        "envelopes": [
          {"name": "marginalised (reserved)", "target": "marginalised", "floor": \(P.marginalisedFloor)}
        ]
      }

      """
    return [
      ("election.json", Array(election.utf8)), ("projects.csv", Array(pcsv.utf8)), ("committee.csv", com),
      ("public.csv", pub),
    ]
  }

  /// Writes the files into a folder (created if missing); returns their paths.
  public func write(to directory: String) throws(GeneratorError) -> [String] {
    mkdir(directory, 0o755)
    var paths: [String] = []
    for (name, bytes) in files() {
      let path = directory + "/" + name
      guard let f = fopen(path, "wb") else { throw GeneratorError(message: "cannot write \(path)") }
      let w = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
      fclose(f)
      if w != bytes.count { throw GeneratorError(message: "cannot write \(path)") }
      paths.append(path)
    }
    return paths
  }

  // MARK: - Sampling (SplitMix64 and basic IEEE operations only)

  static func uniform(_ rng: inout SplitMix64) -> Double { Double(rng.next() >> 11) * 0x1p-53 }

  /// Irwin–Hall: the sum of 12 uniforms minus 6, an approximately standard normal variate.
  static func normal(_ rng: inout SplitMix64) -> Double {
    var s = 0.0
    for _ in 0..<12 { s += uniform(&rng) }
    return s - 6
  }

  /// Gumbel(0,1) quantiles at the midpoints of 4,096 equal-probability bins.
  static func gumbelTable() -> [Double] {
    (0..<4096).map { i in -DMath.log(-DMath.log((Double(i) + 0.5) / 4096)) }
  }

  static func cdf(_ weights: [Int]) -> [Int] {
    var c: [Int] = []
    var t = 0
    for w in weights {
      t += w
      c.append(t)
    }
    return c
  }

  /// An index drawn with probability proportional to the weights behind `cdf`.
  static func pick(_ cdf: [Int], _ rng: inout SplitMix64) -> Int {
    let r = Int(rng.next() % UInt64(cdf.last!))
    var k = 0
    while cdf[k] <= r { k += 1 }
    return k
  }

  static func shuffle<T>(_ a: inout [T], _ rng: inout SplitMix64) {
    guard a.count > 1 else { return }
    for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
  }

  static func utilities(
    _ u: inout [Double], base: [Double], projects: [Project], fav: Int, fav2: Int, marg: Bool, beta: Double,
    gamma: Double, scale: Double, gumbel: [Double], rng: inout SplitMix64
  ) {
    var bits: UInt64 = 0
    var left = 0
    for p in 0..<base.count {
      if left == 0 {
        bits = rng.next()
        left = 5
      }
      var x = base[p] + scale * gumbel[Int(bits & 4095)]
      bits >>= 12
      left -= 1
      let a = projects[p].area
      if a == fav { x += beta }
      if fav2 >= 0 && areas[a].sub == fav2 { x += beta }
      if marg && projects[p].marginalised { x += gamma }
      u[p] = x
    }
  }

  /// The k highest utilities (ties: lower index first), best first.
  static func topK(_ u: [Double], _ k: Int, into top: inout [(Double, Int32)]) {
    top.removeAll(keepingCapacity: true)
    for p in 0..<u.count {
      let x = u[p]
      if top.count == k {
        if x <= top[k - 1].0 { continue }
        top.removeLast()
      }
      var j = top.count
      while j > 0 && top[j - 1].0 < x { j -= 1 }
      top.insert((x, Int32(p)), at: j)
    }
  }

  static func row(_ out: inout [UInt8], _ id: String, _ picks: [String]) {
    out += Array(id.utf8)
    out.append(UInt8(ascii: ";"))
    for (k, p) in picks.enumerated() {
      if k > 0 { out.append(UInt8(ascii: ",")) }
      out += Array(p.utf8)
    }
    out.append(UInt8(ascii: "\n"))
  }

  static func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
  }
}

/// A generator failure (writing files).
public struct GeneratorError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}

/// `exp` and `log` from IEEE basic operations only, so that results do not depend on the platform's
/// libm (used by the generator, whose output must be the same bytes everywhere).
enum DMath {
  static let ln2 = 0.693147180559945309417232121458176568

  /// Natural logarithm for x > 0: x = m·2^e with m in [1, 2), ln m = 2·atanh((m−1)/(m+1)).
  static func log(_ x: Double) -> Double {
    precondition(x > 0 && x.isFinite)
    let e = Double(x.exponent)
    let m = x.significand
    let s = (m - 1) / (m + 1)
    let s2 = s * s
    var term = s
    var sum = 0.0
    var k = 1.0
    for _ in 0..<30 {
      sum += term / k
      term *= s2
      k += 2
    }
    return e * ln2 + 2 * sum
  }

  /// Exponential: x = k·ln 2 + r, |r| ≤ ln 2 / 2, e^r by its Taylor series, scaled by 2^k exactly.
  static func exp(_ x: Double) -> Double {
    let k = (x / ln2).rounded()
    let r = x - k * ln2
    var term = 1.0
    var sum = 1.0
    for i in 1..<25 {
      term *= r / Double(i)
      sum += term
    }
    return Double(sign: .plus, exponent: Int(k), significand: sum)
  }
}
