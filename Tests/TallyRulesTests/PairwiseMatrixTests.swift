import Testing
import TallyCore
import TallyIO
import TallyRules
import TallyTestSupport

/// Random profiles of every ballot kind, for cross-checking the pairwise algorithms.
enum RandomProfiles {
  /// A profile of `kind` over `n` projects with `voters` ballots (some weighted when `weighted`).
  static func make(kind: BallotKind, n: Int, voters: Int, seed: UInt64, weighted: Bool = false, ties: Bool = false)
    -> Profile
  {
    var rng = SplitMix64(seed: seed)
    var b = ProfileBuilder(kind: kind, projectCount: n, weightScale: weighted ? 2 : 0)
    for _ in 0..<voters {
      var perm = Array(0..<Int32(n))
      perm.shuffle(using: &rng)
      let len = kind == .choose1 ? 1 : Int(rng.next() % UInt64(n + 1))
      let ballot = Array(perm.prefix(len))
      let w: Int64? = weighted ? Int64(1 + rng.next() % 300) : nil
      switch kind {
      case .approval, .choose1: b.add(ballot, weight: w)
      case .ordinal:
        if ties {
          var g: [Int32] = []
          var cls: Int32 = 0
          for k in 0..<ballot.count {
            if k > 0 && rng.next() % 3 != 0 { cls += 1 }
            g.append(cls)
          }
          b.add(ballot, tieGroups: g, weight: w)
        } else {
          b.add(ballot, weight: w)
        }
      case .cumulative, .scoring:
        b.add(ballot, points: ballot.map { _ in Int64(rng.next() % 4) }, weight: w)
      }
    }
    return b.build()
  }

  /// The support matrix straight from the definition, voter by voter (slow reference).
  static func referenceSupport(_ p: Profile) -> [Int64] {
    let n = p.projectCount
    var s = [Int64](repeating: 0, count: n * n)
    for b in 0..<p.uniqueBallotCount {
      // level[a]: higher is better; unnamed = 0.
      var level = [Int64](repeating: 0, count: n)
      let items = Array(p.ballot(b))
      let groups = p.ballotGroups(b)
      for (k, x) in items.enumerated() {
        switch p.kind {
        case .approval, .choose1: level[Int(x)] = 1
        case .ordinal: level[Int(x)] = Int64(n + 1) - Int64(groups[k])
        case .cumulative, .scoring: level[Int(x)] = Array(p.ballotPoints(b))[k]
        }
      }
      let w = p.totalWeight(b)
      for a in 0..<n { for c in 0..<n where level[a] > level[c] { s[a * n + c] += w } }
    }
    return s
  }
}

@Suite struct PairwiseMatrixTests {
  @Test("the documented example: a>b twice, c once") func example() throws {
    var b = ProfileBuilder(kind: .ordinal, projectCount: 3)
    b.add([0, 1] as [Int32], count: 2)
    b.add([2] as [Int32])
    let m = try PairwiseMatrix(profile: b.build())
    #expect(m.support == [0, 2, 2, 0, 0, 2, 1, 1, 0])
    #expect(m.margin(0, 2) == 1 && m.margin(1, 2) == 1 && m.margin(0, 1) == 2)
    #expect(m.namedWeight == [2, 2, 1])
    #expect(m.totalWeight == 3)
  }

  @Test(
    "sparse and dense agree with the definition on every ballot kind",
    arguments: [
      (BallotKind.approval, false, false), (.choose1, false, false), (.ordinal, false, false), (.ordinal, true, true),
      (.cumulative, false, false), (.scoring, true, false), (.approval, true, false), (.ordinal, false, true),
    ])
  func agree(kind: BallotKind, weighted: Bool, ties: Bool) throws {
    for seed in 1...5 as ClosedRange<UInt64> {
      let n = Int(3 + seed * 3)
      let p = RandomProfiles.make(kind: kind, n: n, voters: 400, seed: seed, weighted: weighted, ties: ties)
      let ref = RandomProfiles.referenceSupport(p)
      let sparse = try PairwiseMatrix(profile: p, algorithm: .sparse)
      let dense = try PairwiseMatrix(profile: p, algorithm: .dense)
      #expect(sparse.support == ref)
      #expect(dense == sparse)
    }
  }

  @Test("dense crosses block boundaries in the middle of a ballot") func blocks() throws {
    // 700 complete rankings of 7 projects = 4,900 dense rows: three blocks of 2,048, split mid-ballot.
    var b = ProfileBuilder(kind: .ordinal, projectCount: 7)
    var rng = SplitMix64(seed: 42)
    for _ in 0..<700 {
      var perm = Array(0..<Int32(7))
      perm.shuffle(using: &rng)
      b.add(perm, weight: nil, count: 1 + Int64(rng.next() % 3))
    }
    let p = b.build()
    #expect(try PairwiseMatrix(profile: p, algorithm: .dense) == PairwiseMatrix(profile: p, algorithm: .sparse))
    #expect(try PairwiseMatrix(profile: p, algorithm: .sparse).support == RandomProfiles.referenceSupport(p))
  }

  @Test("automatic picks sparse for short ballots; dense only for near-complete approval under a fast BLAS")
  func automatic() {
    let short = RandomProfiles.make(kind: .ordinal, n: 60, voters: 200, seed: 3)
    #expect(PairwiseMatrix.preferredAlgorithm(for: short) == .sparse)
    var b = ProfileBuilder(kind: .approval, projectCount: 200)
    var rng = SplitMix64(seed: 9)
    for _ in 0..<300 {
      b.add((0..<Int32(200)).filter { _ in rng.next() % 50 != 0 })
    }
    // 98% dense: sparse ≈ 19,000 increments a ballot, dense 80,000 flops a ballot.
    let expected: PairwiseMatrix.Algorithm = PairwiseMatrix.denseFlopsPerIncrement() > 4.2 ? .dense : .sparse
    #expect(PairwiseMatrix.preferredAlgorithm(for: b.build()) == expected)
  }

  @Test("margins are antisymmetric and Condorcet details follow them") func condorcet() throws {
    // a>b>c ×3, b>c>a ×2, c>a>b ×2: a beats b 5-2, b beats c 5-2, c beats a 4-3: a cycle.
    var b = ProfileBuilder(kind: .ordinal, projectCount: 4)
    b.add([0, 1, 2, 3] as [Int32], count: 3)
    b.add([1, 2, 0, 3] as [Int32], count: 2)
    b.add([2, 0, 1, 3] as [Int32], count: 2)
    let m = try PairwiseMatrix(profile: b.build())
    for x in 0..<4 { for y in 0..<4 { #expect(m.margin(x, y) == -m.margin(y, x)) } }
    #expect(m.condorcetWinner == nil)
    #expect(m.smithSet == [0, 1, 2])
    b.add([0, 3] as [Int32], count: 3)
    let m2 = try PairwiseMatrix(profile: b.build())
    #expect(m2.condorcetWinner == 0)
    #expect(m2.smithSet == [0])
  }

  @Test("Krakow 2019 Nowa Huta: sparse and dense give the same matrix") func realFile() throws {
    guard let path = Datasets.pabulib("Poland_Krakow_2019_Nowa_Huta.pb") else { return }
    let file = try PabulibReader().read(path: path)
    let sparse = try PairwiseMatrix(profile: file.profile, algorithm: .sparse)
    #expect(try PairwiseMatrix(profile: file.profile, algorithm: .dense) == sparse)
    #expect(sparse.totalWeight == file.profile.voterCount)
  }
}
