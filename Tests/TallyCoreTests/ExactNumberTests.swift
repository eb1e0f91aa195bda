import Testing
import TallyCore

@Suite struct ExactDecimalTests {
  @Test("Parses plain, decimal-point and decimal-comma numbers exactly", arguments: [
    ("400000.0", Int64(4_000_000), 1), ("12,5", 125, 1), ("-3", -3, 0), ("0.001", 1, 3), ("+7", 7, 0),
  ])
  func parses(text: String, units: Int64, scale: Int) {
    #expect(ExactDecimal.parse(text) == ExactDecimal(units: units, scale: scale))
  }

  @Test("Rejects what is not a plain decimal", arguments: ["", "NaN", "inf", "1e5", "1.2.3", "12a", "-", "99999999999999999999", "1,000.5"])
  func rejects(text: String) {
    #expect(ExactDecimal.parse(text) == nil)
  }

  @Test("Renders exactly") func renders() {
    #expect(ExactDecimal(units: 1250, scale: 2).description == "12.50")
    #expect(ExactDecimal(units: -5, scale: 1).description == "-0.5")
    #expect(ExactDecimal(units: 5, scale: 3).description == "0.005")
    #expect(ExactDecimal(units: 1250, scale: 2).normalized.description == "12.5")
    #expect(ExactDecimal(units: 0, scale: 2).description == "0.00")
    #expect(ExactDecimal(units: -42, scale: 0).description == "-42")
    #expect(ExactDecimal(units: 110_000_000_000, scale: 0).description == "110000000000")
    #expect(ExactDecimal(units: Int64.min, scale: 6).description == "-9223372036854.775808")
    #expect(ExactDecimal(units: Int64.max, scale: 18).description == "9.223372036854775807")
    #expect(ExactDecimal(units: -7, scale: 19).description == "-0.0000000000000000007")
  }
}

@Suite struct RationalTests {
  /// Euclid's gcd by remainders (Rational's is Stein's binary one).
  static func euclid(_ x: BigUInt, _ y: BigUInt) -> BigUInt {
    var (a, b) = (x, y)
    while !b.isZero { (a, b) = (b, a % b) }
    return a
  }

  @Test("The multi-word gcd equals Euclid's on random operands of 0 to 6 words, shared factors and powers of two")
  func gcd() {
    var rng = SplitMix64(seed: 11)
    func random(words: Int) -> BigUInt {
      BigUInt(words: (0..<words).map { _ in rng.next() % 4 == 0 ? UInt(rng.next() % 1000) : UInt(rng.next()) })
    }
    for round in 0..<3000 {
      var x = random(words: Int(rng.next() % 7))
      var y = random(words: Int(rng.next() % 7))
      if round % 3 == 0 {
        // A large common factor, so that the gcd itself is several words long.
        let f = random(words: 1 + Int(rng.next() % 3)) + 1
        x *= f
        y *= f
      }
      if round % 5 == 0 {
        x <<= Int(rng.next() % 200)
        y <<= Int(rng.next() % 200)
      }
      #expect(Rational.gcd(x, y) == Self.euclid(x, y), "gcd(\(x), \(y))")
    }
    #expect(Rational.gcd(BigUInt(0), 0) == 0)
    #expect(Rational.gcd(UInt64(0), 0) == 0)
    #expect(Rational.gcd(BigUInt(1) << 300, BigUInt(3) << 299) == BigUInt(1) << 299)
  }

  @Test("Values near the 64-bit limits: exact, reduced and canonical whether held in 64 bits or not")
  func representations() {
    var rng = SplitMix64(seed: 17)
    let edges: [BigInt] = [
      0, 1, -1, 2, 3, 7, 1_000_000, BigInt(Int64.max), BigInt(Int64.max) - 1, BigInt(Int64.min), BigInt(Int64.min) + 1,
      BigInt(1) << 63, BigInt(UInt64.max), BigInt(1) << 64, -(BigInt(1) << 64), BigInt(1) << 127, -(BigInt(1) << 126),
    ]
    func pick() -> BigInt {
      switch rng.next() % 4 {
      case 0: return edges[Int(rng.next() % UInt64(edges.count))]
      case 1: return BigInt(Int64(bitPattern: rng.next()))
      case 2: return BigInt(Int64(bitPattern: rng.next()) >> Int(rng.next() % 60))
      default: return BigInt(Int64(bitPattern: rng.next())) * BigInt(Int64(bitPattern: rng.next() | 1))
      }
    }
    func nonZero() -> BigInt {
      let v = pick()
      return v.isZero ? 5 : v
    }
    /// r is n/d exactly, reduced, with a positive denominator.
    func isExactly(_ r: Rational, _ n: BigInt, _ d: BigInt) -> Bool {
      r.denominator.signum() > 0 && r.numerator * d == n * r.denominator
        && Self.euclid(r.numerator.magnitude, r.denominator.magnitude) == 1
    }
    for _ in 0..<4000 {
      let (an, ad, bn, bd) = (pick(), nonZero(), pick(), nonZero())
      let a = Rational(an, ad)
      let b = Rational(bn, bd)
      #expect(isExactly(a, an, ad) && isExactly(b, bn, bd))
      #expect(isExactly(a + b, an * bd + bn * ad, ad * bd), "\(a) + \(b)")
      #expect(isExactly(a - b, an * bd - bn * ad, ad * bd), "\(a) - \(b)")
      #expect(isExactly(a * b, an * bn, ad * bd), "\(a) * \(b)")
      if !b.isZero { #expect(isExactly(a / b, an * bd, ad * bn), "\(a) / \(b)") }
      #expect(isExactly(-a, -an, ad))
      let less = (an * bd) * (ad.signum() * bd.signum() < 0 ? -1 : 1) < (bn * ad) * (ad.signum() * bd.signum() < 0 ? -1 : 1)
      #expect((a < b) == less, "\(a) < \(b)")
      // The same value reached through large intermediates is the same value, hash included.
      let k = BigInt(1) << 70
      let same = Rational(an * k, ad * k)
      #expect(same == a && same.hashValue == a.hashValue && same.description == a.description)
      #expect(a.signum == Int(an.signum() * ad.signum()) && a.isZero == an.isZero)
    }
  }

  @Test("The common denominator is the lcm of the denominators, small or not")
  func commonDenominator() {
    let big = BigInt(1) << 80
    #expect(Rational.commonDenominator([]) == 1)
    #expect(Rational.commonDenominator([Rational(3), Rational(BigInt(1), BigInt(4)), Rational(BigInt(5), BigInt(6))]) == 12)
    #expect(Rational.commonDenominator([Rational(BigInt(1), big * 3), Rational(BigInt(-1), big * 2)]) == big * 6)
  }

  @Test("Arithmetic is exact and reduced") func arithmetic() {
    let a = Rational(BigInt(1), BigInt(3))
    let b = Rational(BigInt(1), BigInt(6))
    #expect(a + b == Rational(BigInt(1), BigInt(2)))
    #expect(a - b == Rational(BigInt(1), BigInt(6)))
    #expect(a * b == Rational(BigInt(1), BigInt(18)))
    #expect(a / b == Rational(2))
    #expect(Rational(BigInt(-2), BigInt(-4)) == Rational(BigInt(1), BigInt(2)))
    #expect(Rational(BigInt(3), BigInt(-6)).description == "-1/2")
    #expect(Rational(BigInt(1), BigInt(3)) < Rational(BigInt(1), BigInt(2)))
    #expect(abs(Rational(BigInt(1), BigInt(3)).doubleValue - 1.0 / 3.0) < 1e-15)
  }

  /// The exact value of a finite, normal Double.
  static func exact(_ d: Double) -> Rational {
    let m = BigInt(d.significandBitPattern | 1 << 52)
    let e = Int(d.exponent) - 52
    let v = e >= 0 ? Rational(m << e) : Rational(m, BigInt(1) << -e)
    return d < 0 ? -v : v
  }

  @Test("doubleValue rounds the exact value to the nearest Double, ties to even, for large parts too")
  func doubleValue() {
    var rng = SplitMix64(seed: 23)
    func part() -> BigInt {
      let words = 1 + Int(rng.next() % 4)
      return BigInt(magnitude: BigUInt(words: (0..<words).map { _ in UInt(rng.next() >> (rng.next() % 64)) }), negative: false) + 1
    }
    func distance(_ a: Rational, _ b: Rational) -> Rational { a < b ? b - a : a - b }
    for _ in 0..<2_000 {
      let r = Rational(rng.next() % 2 == 0 ? part() : -part(), part())
      let d = r.doubleValue
      guard d.isNormal else { continue }
      let (here, up, down) = (distance(Self.exact(d), r), distance(Self.exact(d.nextUp), r), distance(Self.exact(d.nextDown), r))
      #expect(here <= up && here <= down, "\(r) -> \(d)")
      if here == up || here == down { #expect(d.significandBitPattern & 1 == 0) }
    }
    // A tie: 2^64 + 2^11 is halfway between two Doubles; the even one is 2^64.
    #expect(Rational((BigInt(1) << 64) + (BigInt(1) << 11), 1).doubleValue == 0x1p64)
    #expect(Rational((BigInt(1) << 64) + (BigInt(1) << 11) + 1, 1).doubleValue == 0x1p64.nextUp)
  }
}

@Suite struct TieBreakTests {
  @Test("idPrecedes is the byte order of the UTF-8: prefixes first, accents and other scripts by their bytes")
  func idOrder() {
    var rng = SplitMix64(seed: 163)
    let pieces = ["", "a", "b", "P1", "P10", "P2", "é", "e\u{301}", "한", "Z", "\u{0}", "~", "10", "9"]
    for _ in 0..<3000 {
      let a = (0..<Int(rng.next() % 3)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
      let b = (0..<Int(rng.next() % 3)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
      #expect(TieBreak.idPrecedes(a, b) == Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)), "\(a.debugDescription) vs \(b.debugDescription)")
    }
    #expect(TieBreak.idPrecedes("10", "9") && !TieBreak.idPrecedes("9", "10") && TieBreak.idPrecedes("P1", "P10") && !TieBreak.idPrecedes("P1", "P1"))
  }

  @Test("Lexicographic order is string order: \"10\" before \"9\"") func lexicographic() {
    let r = TieBreak.lexicographic.ranks(ids: ["9", "10", "a"], costs: [1, 1, 1])
    #expect(r == [1, 0, 2])
  }

  @Test("Lower cost, then lexicographic") func lowerCost() throws {
    let t = try TieBreak(parsing: "lower-cost")
    #expect(t.ranks(ids: ["9", "10", "11"], costs: [5, 7, 5]) == [1, 2, 0])
    #expect(t.description == "lower-cost")
  }

  @Test("Seeded permutations are reproducible and differ by seed") func seeded() throws {
    let ids = (0..<20).map { "p\($0)" }
    let costs = [Int64](repeating: 1, count: 20)
    let a = try TieBreak(parsing: "seeded:7").ranks(ids: ids, costs: costs)
    let b = try TieBreak(parsing: "seeded:7").ranks(ids: ids, costs: costs)
    let c = try TieBreak(parsing: "seeded:8").ranks(ids: ids, costs: costs)
    #expect(a == b)
    #expect(a != c)
    #expect(Set(a) == Set(0..<20))
  }

  @Test("A chain of keys: the first key that tells two projects apart decides, then the id (random cases)")
  func chains() throws {
    var rng = SplitMix64(seed: 41)
    for round in 0..<200 {
      let n = 1 + Int(rng.next() % 12)
      let ids = (0..<n).map { "p\(($0 * 7 + round) % 13)-\($0)" }
      let costs = (0..<n).map { _ in Int64(rng.next() % 4) }
      let shares = (0..<n).map { _ in Rational(BigInt(Int(rng.next() % 3)), BigInt(Int(1 + rng.next() % 2))) }
      let chain = [
        "higher-cost", "lower-cost,priority:x", "priority:x,lower-cost", "priority:x,higher-cost,seeded:5",
        "seeded:5,lower-cost", "lower-cost,priority:missing", "lexicographic,lower-cost",
      ][round % 7]
      let tb = try TieBreak(parsing: chain)
      let got = tb.ranks(ids: ids, costs: costs, auxiliary: ["x": shares])
      // The reference: each key compared directly, in order; a seeded key by its own permutation.
      let seededRank = try TieBreak(parsing: "seeded:5").ranks(ids: ids, costs: costs)
      func before(_ a: Int, _ b: Int) -> Bool {
        for key in tb.keys {
          switch key {
          case .lexicographic: if ids[a] != ids[b] { return TieBreak.idPrecedes(ids[a], ids[b]) }
          case .lowerCost: if costs[a] != costs[b] { return costs[a] < costs[b] }
          case .higherCost: if costs[a] != costs[b] { return costs[a] > costs[b] }
          case .seeded: if seededRank[a] != seededRank[b] { return seededRank[a] < seededRank[b] }
          case .priority(let k): if k == "x", shares[a] != shares[b] { return shares[a] > shares[b] }
          }
        }
        return TieBreak.idPrecedes(ids[a], ids[b])
      }
      var want = [Int](repeating: 0, count: n)
      for (r, i) in (0..<n).sorted(by: before).enumerated() { want[i] = r }
      #expect(got == want, "chain \(chain), ids \(ids), costs \(costs), shares \(shares)")
    }
  }

  @Test("Unknown ids are rejected", arguments: ["", "cheapest", "seeded:x", "priority:"])
  func rejects(text: String) {
    #expect(throws: TieBreak.ParseError.self) { try TieBreak(parsing: text) }
  }
}

@Suite struct ProfileTests {
  @Test("Identical ballots merge; scores count weights and repeated entries") func merging() {
    var b = ProfileBuilder(kind: .approval, projectCount: 3)
    b.add([0, 1] as [Int32])
    b.add([0, 1] as [Int32])
    b.add([2] as [Int32])
    b.addDuplicateEntries(project: 2, count: 1, weight: nil)
    let p = b.build()
    #expect(p.uniqueBallotCount == 2)
    #expect(p.voterCount == 3)
    #expect(p.scoreUnits() == [2, 2, 2])
  }

  @Test("Ordinal scores are L - position with L from max_length or the longest ballot") func ordinal() {
    var b = ProfileBuilder(kind: .ordinal, projectCount: 3)
    b.add([0, 1, 2] as [Int32])
    b.add([2] as [Int32])
    let p = b.build()
    #expect(p.scoreUnits() == [3, 2, 1 + 3])
    #expect(p.scoreUnits(maxLength: 5) == [5, 4, 3 + 5])
  }

  @Test("Weighted ballots keep their weights exactly") func weighted() {
    var b = ProfileBuilder(kind: .approval, projectCount: 2, weightScale: 1)
    b.add([0] as [Int32], weight: 15)
    b.add([1] as [Int32])
    let p = b.build()
    #expect(p.isWeighted)
    #expect(p.scores() == [Rational(BigInt(3), BigInt(2)), Rational(1)])
  }
}
