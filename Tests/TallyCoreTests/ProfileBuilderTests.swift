import Testing
@testable import TallyCore

/// ``ProfileBuilder`` merges identical ballots: distinct ballots in order of first appearance, their
/// multiplicities summed, whichever way a probe compares them (the packed word for short strict
/// ballots, the stored arrays otherwise). Checked against a dictionary-based reference on ballots
/// around the packing limits: 1-6 picks, project indices below and above 2^12 and 2^15, points
/// below and above 255, several weights, and tied ballots.
@Suite struct ProfileBuilderTests {
  /// One ballot as the reference keys it.
  private struct Key: Hashable {
    var items: [Int32]
    var points: [Int64]
    var ties: [Int32]
    var weight: Int64
  }

  /// The reference: distinct ballots in first-appearance order, with summed counts.
  private static func reference(_ ballots: [(Key, Int64)]) -> [(Key, Int64)] {
    var order: [Key] = []
    var counts: [Key: Int64] = [:]
    for (k, c) in ballots {
      if counts[k] == nil { order.append(k) }
      counts[k, default: 0] += c
    }
    return order.map { ($0, counts[$0]!) }
  }

  @Test(arguments: [BallotKind.approval, .cumulative, .ordinal])
  func mergesLikeTheReference(kind: BallotKind) {
    let projectCount = 40_000
    for seed in 0..<6 as Range<UInt64> {
      var rng = SplitMix64(seed: seed &* 31 &+ (kind == .approval ? 1 : kind == .cumulative ? 2 : 3))
      // A small pool of ballots drawn again and again, so that most adds merge.
      var pool: [Key] = []
      for _ in 0..<60 {
        let n = 1 + Int(rng.next() % 6)
        let wide = rng.next() % 4
        let limit: UInt64 = wide == 0 ? 4_096 : wide == 1 ? 32_768 : wide == 2 ? 40_000 : 64
        var items: [Int32] = []
        while items.count < n {
          let p = Int32(rng.next() % limit)
          if !items.contains(p) { items.append(p) }
        }
        let points: [Int64] = kind.hasPoints ? items.map { _ in Int64(rng.next() % (rng.next() % 3 == 0 ? 300 : 4)) } : []
        var ties = (0..<Int32(n)).map { $0 }
        if kind == .ordinal && n > 1 && rng.next() % 4 == 0 {
          // Two neighbours tied (classes stay non-decreasing).
          let k = 1 + Int(rng.next() % UInt64(n - 1))
          for j in k..<n { ties[j] -= 1 }
        }
        let weight: Int64 = [1_000_000, 1_000_000, 2_500_000, 1][Int(rng.next() % 4)]
        pool.append(Key(items: items, points: points, ties: ties, weight: weight))
      }
      // Near-copies: the same projects with other points or another weight must stay apart.
      for k in pool.indices.prefix(20) {
        var c = pool[k]
        if kind.hasPoints { c.points[0] += 1 } else { c.weight += 1 }
        pool.append(c)
      }
      var builder = ProfileBuilder(kind: kind, projectCount: projectCount, weightScale: 6)
      var added: [(Key, Int64)] = []
      for _ in 0..<3_000 {
        let key = pool[Int(rng.next() % UInt64(pool.count))]
        let count = Int64(1 + rng.next() % 3)
        let strict = key.ties == (0..<Int32(key.items.count)).map { $0 }
        if strict {
          builder.add(key.items, points: key.points, weight: key.weight, count: count)
        } else {
          builder.add(key.items, tieGroups: key.ties, weight: key.weight, count: count)
        }
        added.append((key, count))
      }
      let profile = builder.build()
      let want = Self.reference(added)
      #expect(profile.multiplicities.count == want.count, "seed \(seed)")
      guard profile.multiplicities.count == want.count else { continue }
      for (u, (key, count)) in want.enumerated() {
        let r = profile.offsets[u]..<profile.offsets[u + 1]
        #expect(Array(profile.items[r]) == key.items, "seed \(seed), ballot \(u)")
        if kind.hasPoints { #expect(Array(profile.points[r]) == key.points, "seed \(seed), ballot \(u)") }
        #expect(profile.multiplicities[u] == count, "seed \(seed), ballot \(u)")
        #expect((profile.weights?[u] ?? 1_000_000) == key.weight, "seed \(seed), ballot \(u)")
        #expect(profile.tieGroups.map { Array($0[r]) } ?? (0..<Int32(key.items.count)).map { $0 } == key.ties, "seed \(seed), ballot \(u)")
      }
    }
  }

  /// The packed word is one to one on the ballots that fit, 0 on the others.
  @Test func packsOneToOne() {
    var rng = SplitMix64(seed: 77)
    for hasPoints in [false, true] {
      var seen: [UInt64: ([Int32], [Int64])] = [:]
      for _ in 0..<20_000 {
        let n = 1 + Int(rng.next() % 5)
        let items = (0..<n).map { _ in Int32(rng.next() % (rng.next() % 2 == 0 ? 8 : 40_000)) }
        let points = hasPoints ? (0..<n).map { _ in Int64(rng.next() % (rng.next() % 2 == 0 ? 3 : 300)) } : []
        let word = items.withUnsafeBufferPointer { b in
          points.withUnsafeBufferPointer { p in ProfileBuilder.pack(b, p, hasPoints: hasPoints) }
        }
        let fits =
          hasPoints
          ? n <= 3 && items.allSatisfy { $0 < 1 << 12 } && points.allSatisfy { $0 < 256 }
          : n <= 4 && items.allSatisfy { $0 < 1 << 15 }
        #expect((word != 0) == fits, "\(items) \(points)")
        guard word != 0 else { continue }
        if let other = seen[word] {
          #expect(other.0 == items && other.1 == points, "\(items) \(points) and \(other) pack alike")
        }
        seen[word] = (items, points)
      }
      #expect(seen.count > 1_000)
    }
  }
}
