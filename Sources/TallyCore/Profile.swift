/// The ballots of an instance, stored compactly: identical ballots are merged with a multiplicity.
///
/// Storage is compressed sparse rows over *unique* ballots: ballot `b` names the project indices
/// `items[offsets[b]..<offsets[b+1]]` (in preference order for ordinal ballots), with `points` aligned
/// to `items` for cumulative and scoring ballots. `multiplicities[b]` voters cast ballot `b`; each of
/// them has weight `weights[b]` in units of `10^-weightScale` (all 1 when `weights` is nil).
///
/// An approval ballot that named a project twice (some real Pabulib files have them) is stored as a
/// set; the extra entries are kept, weighted, in ``duplicateEntries`` so that the contract's score
/// ("each entry counts") is reproduced without distorting set-based rules.
///
/// Ordinal ballots may hold indifference classes (PrefLib `.toc`/`.toi`): `tieGroups`, when present,
/// gives every item the 0-based index of its class within its ballot (non-decreasing along the ballot;
/// items sharing an index are tied). When `tieGroups` is nil every ordinal ballot is a strict order
/// and an item's class is its position. Pabulib input never has ties.
///
/// - Complexity: memory O(m + total length of the unique ballots), m = unique ballots.
public struct Profile: Sendable, Hashable {
  /// The ballot kind.
  public let kind: BallotKind
  /// The number of projects (indices run over `0..<projectCount`).
  public let projectCount: Int
  /// Row offsets into `items`, `uniqueBallotCount + 1` entries.
  public let offsets: [Int]
  /// Project indices of every unique ballot, concatenated.
  public let items: [Int32]
  /// Points aligned with `items` (empty unless the kind has points).
  public let points: [Int64]
  /// How many voters cast each unique ballot.
  public let multiplicities: [Int64]
  /// Per-voter weight of each unique ballot in units of `10^-weightScale`; nil when all weights are 1.
  public let weights: [Int64]?
  /// Decimal digits of `weights`.
  public let weightScale: Int
  /// Per project, the extra (repeated) approval entries, weighted, that the score counts.
  public let duplicateEntries: [Int64]
  /// For ordinal ballots with ties: each item's indifference-class index within its ballot, aligned
  /// with `items`; nil when every ballot is a strict order.
  public let tieGroups: [Int32]?

  /// Creates a profile from its storage. Prefer ``ProfileBuilder``.
  public init(
    kind: BallotKind, projectCount: Int, offsets: [Int], items: [Int32], points: [Int64],
    multiplicities: [Int64], weights: [Int64]?, weightScale: Int, duplicateEntries: [Int64]? = nil,
    tieGroups: [Int32]? = nil
  ) {
    precondition(offsets.count == multiplicities.count + 1)
    precondition(tieGroups == nil || tieGroups!.count == items.count)
    precondition(weights == nil || weights!.count == multiplicities.count)
    self.kind = kind
    self.projectCount = projectCount
    self.offsets = offsets
    self.items = items
    self.points = points
    self.multiplicities = multiplicities
    self.weights = weights
    self.weightScale = weightScale
    self.duplicateEntries = duplicateEntries ?? Array(repeating: 0, count: projectCount)
    self.tieGroups = tieGroups
  }

  /// The indifference-class index of every item of unique ballot `b` (its position when strict).
  public func ballotGroups(_ b: Int) -> [Int32] {
    if let tieGroups { return Array(tieGroups[offsets[b]..<offsets[b + 1]]) }
    return (0..<Int32(offsets[b + 1] - offsets[b])).map { $0 }
  }

  /// The number of distinct ballots.
  public var uniqueBallotCount: Int { multiplicities.count }

  /// The number of voters (valid ballots), the sum of the multiplicities.
  public var voterCount: Int64 { multiplicities.reduce(0, +) }

  /// The project indices of unique ballot `b`.
  @inlinable public func ballot(_ b: Int) -> ArraySlice<Int32> { items[offsets[b]..<offsets[b + 1]] }

  /// The points of unique ballot `b` (empty for kinds without points).
  @inlinable public func ballotPoints(_ b: Int) -> ArraySlice<Int64> {
    points.isEmpty ? [] : points[offsets[b]..<offsets[b + 1]]
  }

  /// The total weight of unique ballot `b` (multiplicity × per-voter weight) in units of `10^-weightScale`.
  @inlinable public func totalWeight(_ b: Int) -> Int64 {
    guard let weights else { return multiplicities[b] }
    return multiplicities[b] &* weights[b]
  }

  /// The total weight of all ballots in units of `10^-weightScale`.
  public var totalWeight: Int64 {
    var t: Int64 = 0
    for b in 0..<uniqueBallotCount { t &+= totalWeight(b) }
    return t
  }

  /// Whether any ballot carries a weight other than 1.
  public var isWeighted: Bool { weights != nil }

  /// Every voter's ballot expanded (unique ballots repeated by multiplicity); for tests and small inputs.
  public func expandedBallots() -> [[Int32]] {
    var out: [[Int32]] = []
    for b in 0..<uniqueBallotCount {
      for _ in 0..<multiplicities[b] { out.append(Array(ballot(b))) }
    }
    return out
  }
}

/// Builds a ``Profile`` one ballot at a time, merging identical ballots as they arrive.
///
/// Ballots are identical when they name the same projects in the same order with the same points and
/// the same weight. Memory grows with the number of *distinct* ballots only.
public struct ProfileBuilder: Sendable {
  public let kind: BallotKind
  public let projectCount: Int
  /// `kind.hasPoints`, looked up once.
  private let hasPoints: Bool
  private var offsets: [Int] = [0]
  private var items: [Int32] = []
  private var points: [Int64] = []
  private var groups: [Int32] = []
  private var anyTied = false
  private var multiplicities: [Int64] = []
  private var weights: [Int64] = []
  private var anyWeighted = false
  private var weightScale: Int
  private var duplicateEntries: [Int64]
  private var duplicateWeighted: [Int64]
  /// Open addressing, load at most 1/2: per slot 0 (empty) or the ballot's hash tag (its top 32
  /// bits) and its index + 1, so that a probe reads another ballot's data only when the tags match.
  private var table: [UInt64]
  private var hashes: [UInt64] = []
  /// Per distinct ballot, ``pack(_:_:hasPoints:)`` of its projects and points when it is strict and
  /// they fit one word, else 0: a probe for a packed ballot compares that word (and the weight)
  /// rather than the ballot's stored arrays, one load instead of four to six. (On Katowice 2020,
  /// whose 38,903 ballots hold 3,614 distinct ones, most probes find their ballot.)
  private var packed: [UInt64] = []
  private var mask: Int
  /// A weight of 1 in the builder's units.
  private let unit: Int64
  /// Per project: the index of the ballot naming it alone (strict, weight 1, no points) when one is
  /// held, else -1; such ballots (all of a choose-1 profile's) merge without a probe of the table.
  private var singles: [Int32]

  /// Creates an empty builder; `weightScale` fixes the units of the weights passed to `add`.
  public init(kind: BallotKind, projectCount: Int, weightScale: Int = 0) {
    self.kind = kind
    self.hasPoints = kind.hasPoints
    self.projectCount = projectCount
    self.weightScale = weightScale
    self.duplicateEntries = Array(repeating: 0, count: projectCount)
    self.duplicateWeighted = Array(repeating: 0, count: projectCount)
    self.table = Array(repeating: 0, count: 1024)
    self.mask = 1023
    self.unit = Self.one(weightScale)
    self.singles = Array(repeating: -1, count: projectCount)
  }

  /// The number of ballots added so far (with multiplicity).
  public private(set) var ballotCount: Int64 = 0

  /// Reserves room for `ballots` distinct ballots naming `entries` projects in all, so that adding
  /// up to that many does not move the ballots held (each move copies them into fresh pages, and
  /// growing by doubling touches about twice the memory finally held). The reserved memory is only
  /// allocated: pages not written are not touched. The merge table still grows with the ballots held.
  public mutating func reserveCapacity(ballots: Int, entries: Int) {
    offsets.reserveCapacity(ballots + 1)
    items.reserveCapacity(entries)
    if hasPoints { points.reserveCapacity(entries) }
    multiplicities.reserveCapacity(ballots)
    weights.reserveCapacity(ballots)
    hashes.reserveCapacity(ballots)
    packed.reserveCapacity(ballots)
  }

  /// Adds one voter's ballot.
  /// - Parameters:
  ///   - ballot: project indices (preference order for ordinal ballots).
  ///   - points: points aligned with `ballot` (empty for kinds without points).
  ///   - weight: the voter's weight in units of `10^-weightScale` (default: 1).
  ///   - count: how many identical voters to add.
  /// - Complexity: O(ballot length) expected.
  public mutating func add<B: Collection, P: Collection>(
    _ ballot: B, points ballotPoints: P, weight: Int64? = nil, count: Int64 = 1
  ) where B.Element == Int32, P.Element == Int64 {
    add(Array(ballot), points: Array(ballotPoints), weight: weight, count: count)
  }

  /// Adds one voter's ballot (the concrete fast path readers use).
  public mutating func add(_ ballot: [Int32], points ballotPoints: [Int64], weight: Int64?, count: Int64) {
    add(ballot, points: ballotPoints, tieGroups: nil, weight: weight, count: count)
  }

  /// Adds one voter's ordinal ballot with indifference classes: `tieGroups[k]` is the 0-based class
  /// of `ballot[k]` (non-decreasing; equal indices are tied). A strictly increasing 0, 1, 2, ... is a
  /// strict order and stored as one.
  public mutating func add<B: Collection>(
    _ ballot: B, tieGroups ballotGroups: [Int32], weight: Int64? = nil, count: Int64 = 1
  ) where B.Element == Int32 {
    precondition(ballotGroups.count == ballot.count)
    add(Array(ballot), points: [], tieGroups: ballotGroups, weight: weight, count: count)
  }

  private mutating func add(
    _ ballot: [Int32], points ballotPoints: [Int64], tieGroups ballotGroups: [Int32]?, weight: Int64?, count: Int64
  ) {
    var strict = true
    if let g = ballotGroups {
      for k in 0..<g.count where g[k] != Int32(k) {
        strict = false
        break
      }
    }
    let w = weight ?? unit
    ballot.withUnsafeBufferPointer { b in
      ballotPoints.withUnsafeBufferPointer { p in
        if strict {
          let pk = Self.pack(b, p, hasPoints: hasPoints)
          insert(b, points: p, ties: nil, weight: w, count: count, hash: Self.hash(b, p, packed: pk, weight: w), packed: pk)
        } else {
          ballotGroups!.withUnsafeBufferPointer { g in
            insert(b, points: p, ties: g, weight: w, count: count, hash: Self.hash(b, p, g, weight: w), packed: 0)
          }
        }
      }
    }
  }

  /// Adds one voter's ballot from buffers, without copying them (the readers' path).
  /// - Parameters: as ``add(_:points:weight:count:)``; `points` empty for kinds without points.
  public mutating func add(
    _ ballot: UnsafeBufferPointer<Int32>, points ballotPoints: UnsafeBufferPointer<Int64>, weight: Int64?, count: Int64 = 1
  ) {
    let w = weight ?? unit
    let pk = Self.pack(ballot, ballotPoints, hasPoints: hasPoints)
    insert(ballot, points: ballotPoints, ties: nil, weight: w, count: count, hash: Self.hash(ballot, ballotPoints, packed: pk, weight: w), packed: pk)
  }

  /// The hash under which a strict ballot is merged: from its packed word (``pack(_:_:hasPoints:)``)
  /// and weight when it packs (two multiplies rather than one per project and point), else
  /// ``hash(_:_:_:weight:)``. The same ballot always takes the same way, so its hash is always the same.
  @inline(__always)
  private static func hash(
    _ ballot: UnsafeBufferPointer<Int32>, _ ballotPoints: UnsafeBufferPointer<Int64>, packed pk: UInt64, weight w: Int64
  ) -> UInt64 {
    if pk == 0 { return hash(ballot, ballotPoints, nil, weight: w) }
    var h = (pk ^ UInt64(bitPattern: w) &* 0x9E37_79B9_7F4A_7C15) &* 0xD6E8_FEB8_6659_FD93
    h ^= h >> 29
    return h
  }

  /// The hash under which a ballot is merged: its weight, projects, points and, for a ballot with ties
  /// (`ties` non-nil; a strict ballot passes nil), its indifference classes.
  @inline(__always)
  private static func hash(
    _ ballot: UnsafeBufferPointer<Int32>, _ ballotPoints: UnsafeBufferPointer<Int64>, _ ties: UnsafeBufferPointer<Int32>?,
    weight w: Int64
  ) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bitPattern: w)
    for x in ballot { h = (h ^ UInt64(UInt32(bitPattern: x))) &* 0x100_0000_01b3 }
    for p in ballotPoints { h = (h ^ UInt64(bitPattern: p)) &* 0x100_0000_01b3 }
    if let ties {
      for g in ties { h = (h ^ UInt64(UInt32(bitPattern: g)) ^ 0x5bd1_e995) &* 0x100_0000_01b3 }
    }
    h ^= h >> 29
    return h
  }

  /// A strict ballot's projects (and, for kinds with points, its points) in one word: the top bit
  /// set, the number of picks in bits 60-62, then each pick in 15 bits (at most 4 picks, each below
  /// 2^15), or with points each pick in 12 bits and its points in the next 8 (at most 3 picks, each
  /// below 2^12, points 0 to 255). 0 when the ballot does not fit. Two ballots of one builder
  /// pack to the same non-zero word exactly when their projects (and points) are the same.
  @inline(__always)
  static func pack(_ ballot: UnsafeBufferPointer<Int32>, _ ballotPoints: UnsafeBufferPointer<Int64>, hasPoints: Bool) -> UInt64 {
    let n = ballot.count
    var word: UInt64 = 1 << 63 | UInt64(truncatingIfNeeded: n) << 60
    if !hasPoints {
      guard n >= 1, n <= 4 else { return 0 }
      for k in 0..<n {
        let p = ballot[k]
        guard p >= 0, p < 1 << 15 else { return 0 }
        word |= UInt64(p) << UInt64(15 * k)
      }
    } else {
      guard n >= 1, n <= 3, ballotPoints.count == n else { return 0 }
      for k in 0..<n {
        let p = ballot[k]
        let v = ballotPoints[k]
        guard p >= 0, p < 1 << 12, v >= 0, v < 256 else { return 0 }
        word |= (UInt64(p) | UInt64(v) << 12) << UInt64(20 * k)
      }
    }
    return word
  }

  /// Merges a ballot into an identical one already held, or stores it. `ties` is nil for a strict
  /// ballot (its classes are its positions); `pk` is its ``pack(_:_:hasPoints:)`` word (0 for a
  /// ballot with ties), and `h` its hash (``hash(_:_:packed:weight:)``; ``hash(_:_:_:weight:)`` with
  /// ties).
  private mutating func insert(
    _ ballot: UnsafeBufferPointer<Int32>, points ballotPoints: UnsafeBufferPointer<Int64>, ties: UnsafeBufferPointer<Int32>?,
    weight w: Int64, count: Int64, hash h: UInt64, packed pk: UInt64
  ) {
    let strictGroups = ties == nil
    if w != unit { anyWeighted = true }
    let n = ballot.count
    // A single project, strict, weight 1, no points: the ballot held for it, if any, is this one.
    let single = n == 1 && strictGroups && ballotPoints.isEmpty && w == unit && ballot[0] >= 0 && Int(ballot[0]) < singles.count
    if single, case let ui = Int(singles[Int(ballot[0])]), ui >= 0 {
      multiplicities[ui] += count
      ballotCount += count
      return
    }
    var slot = Int(truncatingIfNeeded: h) & mask
    let tag = h & 0xFFFF_FFFF_0000_0000
    // (A packed ballot equals a held one exactly when their words and weights do: a held ballot
    // with ties, or one that does not fit, holds 0.)
    while true {
      let e = table[slot]
      if e == 0 { break }
      let ui = Int(truncatingIfNeeded: e & 0xFFFF_FFFF) - 1
      if pk != 0 {
        if e & 0xFFFF_FFFF_0000_0000 == tag && packed[ui] == pk && weights[ui] == w {
          multiplicities[ui] += count
          ballotCount += count
          return
        }
      } else if e & 0xFFFF_FFFF_0000_0000 == tag && hashes[ui] == h && weights[ui] == w && offsets[ui + 1] - offsets[ui] == n {
        let o = offsets[ui]
        var same = true
        for k in 0..<n where items[o + k] != ballot[k] {
          same = false
          break
        }
        if same && !points.isEmpty {
          for k in 0..<n where points[o + k] != ballotPoints[k] {
            same = false
            break
          }
        }
        if same && (anyTied || !strictGroups) {
          // Tie groups must match too (a strict ballot's groups are its positions).
          if !anyTied {
            same = false
          } else {
            for k in 0..<n where groups[o + k] != (strictGroups ? Int32(k) : ties![k]) {
              same = false
              break
            }
          }
        }
        if same {
          multiplicities[ui] += count
          ballotCount += count
          return
        }
      }
      slot = (slot + 1) & mask
    }
    let index = multiplicities.count
    if single { singles[Int(ballot[0])] = Int32(index) }
    table[slot] = tag | UInt64(index + 1)
    items.append(contentsOf: ballot)
    if hasPoints { points.append(contentsOf: ballotPoints) }
    if !strictGroups && !anyTied {
      // First tied ballot: materialise the positions of every earlier (strict) ballot.
      anyTied = true
      groups.reserveCapacity(items.count)
      for u in 0..<multiplicities.count { groups.append(contentsOf: Self.positions(offsets[u + 1] - offsets[u])) }
    }
    if anyTied {
      if let ties { groups.append(contentsOf: ties) } else { groups.append(contentsOf: Self.positions(n)) }
    }
    offsets.append(items.count)
    multiplicities.append(count)
    weights.append(w)
    hashes.append(h)
    packed.append(pk)
    ballotCount += count
    if multiplicities.count * 2 > table.count { grow(toHold: multiplicities.count) }
  }

  /// Adds one voter's ballot without points.
  public mutating func add<B: Collection>(_ ballot: B, weight: Int64? = nil, count: Int64 = 1)
  where B.Element == Int32 {
    add(ballot, points: EmptyCollection<Int64>(), weight: weight, count: count)
  }

  /// Records `count` repeated approval entries for project `project` by voters of weight `weight`
  /// (in units of `10^-weightScale`; nil = 1).
  public mutating func addDuplicateEntries(project: Int, count: Int64, weight: Int64?) {
    if let weight, weight != unit {
      anyWeighted = true
      duplicateWeighted[project] += count * weight
    } else {
      duplicateEntries[project] += count
    }
  }

  /// Adds every ballot of `other` (built with the same kind, projects and weight scale) after this
  /// builder's: the result is the builder that adding `other`'s ballots here one by one would give
  /// (distinct ballots in order of first appearance, multiplicities summed), so a file can be read
  /// in parts and merged.
  public mutating func append(_ other: ProfileBuilder) {
    precondition(other.kind == kind && other.projectCount == projectCount && other.weightScale == weightScale)
    // Room for both at once (at most this many distinct ballots), rather than doubling on the way.
    // (The merge table grows as ballots arrive: sized for `most` up front, it was often twice the
    // size the distinct ballots of both need, 32 fresh pages rather than 16 on Katowice 2020.)
    let most = multiplicities.count + other.multiplicities.count
    items.reserveCapacity(items.count + other.items.count)
    points.reserveCapacity(points.count + other.points.count)
    offsets.reserveCapacity(most + 1)
    multiplicities.reserveCapacity(most)
    weights.reserveCapacity(most)
    hashes.reserveCapacity(most)
    packed.reserveCapacity(most)
    // In place from the other builder's storage, with the hashes it computed (the same function).
    other.items.withUnsafeBufferPointer { oi in
      other.points.withUnsafeBufferPointer { op in
        other.groups.withUnsafeBufferPointer { og in
          for u in other.multiplicities.indices {
            let r = other.offsets[u]..<other.offsets[u + 1]
            let ballot = UnsafeBufferPointer(rebasing: oi[r])
            let pts = other.points.isEmpty ? UnsafeBufferPointer(rebasing: op[0..<0]) : UnsafeBufferPointer(rebasing: op[r])
            var ties: UnsafeBufferPointer<Int32>? = nil
            if other.anyTied {
              let g = UnsafeBufferPointer(rebasing: og[r])
              for k in 0..<g.count where g[k] != Int32(k) {
                ties = g
                break
              }
            }
            insert(
              ballot, points: pts, ties: ties, weight: other.weights[u], count: other.multiplicities[u], hash: other.hashes[u],
              packed: other.packed[u])
          }
        }
      }
    }
    for p in 0..<projectCount {
      duplicateEntries[p] += other.duplicateEntries[p]
      duplicateWeighted[p] += other.duplicateWeighted[p]
    }
    if other.anyWeighted { anyWeighted = true }
  }

  /// The finished profile.
  public func build() -> Profile {
    let one = Self.one(weightScale)
    let dups = anyWeighted
      ? zip(duplicateEntries, duplicateWeighted).map { $0 * one + $1 } : duplicateEntries
    return Profile(
      kind: kind, projectCount: projectCount, offsets: offsets, items: items, points: points,
      multiplicities: multiplicities, weights: anyWeighted ? weights : nil,
      weightScale: anyWeighted ? weightScale : 0, duplicateEntries: dups, tieGroups: anyTied ? groups : nil)
  }

  private static func positions(_ n: Int) -> [Int32] { (0..<Int32(n)).map { $0 } }

  private static func one(_ scale: Int) -> Int64 {
    var v: Int64 = 1
    for _ in 0..<scale { v *= 10 }
    return v
  }

  /// Doubles the table until `count` ballots fit at load 1/2, and re-inserts the ballots held.
  private mutating func grow(toHold count: Int) {
    var size = table.count * 2
    while count * 2 > size { size *= 2 }
    table = Array(repeating: 0, count: size)
    mask = size - 1
    table.withUnsafeMutableBufferPointer { t in
      for (i, h) in hashes.enumerated() {
        var slot = Int(truncatingIfNeeded: h) & mask
        while t[slot] != 0 { slot = (slot + 1) & mask }
        t[slot] = h & 0xFFFF_FFFF_0000_0000 | UInt64(i + 1)
      }
    }
  }
}
