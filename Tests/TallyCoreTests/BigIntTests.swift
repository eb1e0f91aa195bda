import Testing
import TallyCore
import TallyTestSupport

/// TallyCore's `BigInt` and `BigUInt` against attaswift/BigInt (`_Oracle`), on random operands of up
/// to 8 words drawn to hit the edge cases of schoolbook multiplication and Knuth's division: words
/// 0, 1, 2^63 and 2^64 - 1, shared factors, and dividends just above multiples of the divisor.
@Suite struct BigIntTests {
  struct Operands {
    var rng: SplitMix64

    mutating func word() -> UInt {
      switch rng.next() % 8 {
      case 0: return 0
      case 1: return .max
      case 2: return 1 << 63
      case 3: return UInt(rng.next() % 10)
      case 4: return .max - UInt(rng.next() % 3)
      default: return UInt(rng.next())
      }
    }

    mutating func value(maxWords: Int = 8) -> BigInt {
      let n = Int(rng.next() % UInt64(maxWords + 1))
      return BigInt(magnitude: BigUInt(words: (0..<n).map { _ in word() }), negative: rng.next() % 2 == 0)
    }
  }

  static func oracle(_ v: BigInt) -> _OracleValue { _OracleValue(words: v.magnitude.words, negative: v.isNegative) }

  @Test("Sums, differences, products, quotients and remainders equal the oracle's on 20,000 random pairs")
  func arithmetic() {
    var ops = Operands(rng: SplitMix64(seed: 2026))
    for round in 0..<20_000 {
      let a: BigInt
      var b = ops.value()
      if round % 4 == 0, !b.isZero {
        // A dividend just above (or below) a multiple of the divisor.
        a = b * ops.value(maxWords: 3) + ops.value(maxWords: 1)
      } else {
        a = ops.value()
      }
      if round % 7 == 0 { b = a }
      let (x, y) = (Self.oracle(a), Self.oracle(b))
      #expect(Self.oracle(a + b) == _Oracle.apply("+", x, y), "\(a) + \(b)")
      #expect(Self.oracle(a - b) == _Oracle.apply("-", x, y), "\(a) - \(b)")
      #expect(Self.oracle(a * b) == _Oracle.apply("*", x, y), "\(a) * \(b)")
      if !b.isZero {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        #expect(Self.oracle(q) == _Oracle.apply("/", x, y), "\(a) / \(b)")
        #expect(Self.oracle(r) == _Oracle.apply("%", x, y), "\(a) % \(b)")
        #expect(q * b + r == a)
      }
      #expect((a < b) == _Oracle.less(x, y) && (a == b) == (x == y), "\(a) < \(b)")
      #expect(a.bitWidth == _Oracle.bitWidth(x))
    }
  }

  @Test("Knuth's add-back step (D6), whose trigger random operands almost never hit")
  func addBack() {
    // (2^192) / (2^191 + 2^64 - 1): the quotient digit estimated from the top two divisor words is 2,
    // one too large, so the multiply-and-subtract goes negative and the divisor is added back.
    let b = BigUInt(words: [.max, 0, 1 << 63])
    for extra in [BigUInt(0), 1, 12345, BigUInt(words: [0, 5])] {
      for shift in [0, 1, 17, 63] {
        let a = (BigUInt(words: [0, 0, 0, 1]) + extra) >> shift
        let d = b >> shift
        let (q, r) = a.quotientAndRemainder(dividingBy: d)
        let (x, y) = (_OracleValue(words: a.words, negative: false), _OracleValue(words: d.words, negative: false))
        #expect(_OracleValue(words: q.words, negative: false) == _Oracle.apply("/", x, y), "\(a) / \(d)")
        #expect(_OracleValue(words: r.words, negative: false) == _Oracle.apply("%", x, y), "\(a) % \(d)")
      }
    }
    #expect(BigUInt(words: [0, 0, 0, 1]) / b == 1)
    #expect(BigUInt(words: [0, 0, 0, 1]) % b == BigUInt(words: [1, .max, (1 << 63) - 1]))
  }

  @Test("Shifts, powers, decimal text, parsing and Double conversion equal the oracle's")
  func conversions() {
    var ops = Operands(rng: SplitMix64(seed: 7))
    for _ in 0..<3_000 {
      let a = ops.value()
      let x = Self.oracle(a)
      let k = Int(ops.rng.next() % 200)
      #expect(Self.oracle(a << k) == _Oracle.shiftedLeft(x, k))
      #expect(Self.oracle(a >> k) == _Oracle.shiftedRight(x, k))
      #expect(a.description == _Oracle.text(x))
      #expect(BigInt(a.description) == a)
      if a.magnitude.bitWidth <= 53 {
        #expect(Double(a) == _Oracle.double(x), "Double(\(a))")
      } else {
        // attaswift truncates beyond 53 bits; the conversion must round to nearest, ties to even.
        #expect(Self.isNearest(Double(a), to: a), "Double(\(a))")
        #expect(!Self.isNearest(Double(a).nextUp, to: a) && !Self.isNearest(Double(a).nextDown, to: a))
      }
      let small = BigInt(magnitude: BigUInt(words: a.magnitude.words.prefix(2)), negative: a.isNegative)
      let e = Int(ops.rng.next() % 9)
      #expect(Self.oracle(small.power(e)) == _Oracle.power(Self.oracle(small), e))
    }
    #expect(BigInt("") == nil && BigInt("-") == nil && BigInt("1 2") == nil && BigInt("+12") == 12)
    #expect(BigInt("-0") == 0 && !(BigInt("-0")!.isNegative))
    #expect(BigInt("-340282366920938463463374607431768211456")! == -(BigInt(1) << 128))
    #expect(BigInt(Int64.min).int64 == Int64.min && BigInt(Int64.max).int64 == Int64.max)
    #expect(BigInt(Int64.max) + 1 == BigInt(1) << 63 && (BigInt(1) << 63).int64 == nil)
    #expect(Int64(clamping: -(BigInt(1) << 70)) == .min && Int64(clamping: BigInt(1) << 70) == .max)
  }

  /// The exact integer value of a finite Double of magnitude at least 2^52.
  static func exact(_ d: Double) -> BigInt {
    let m = BigInt(d.significandBitPattern | 1 << 52) << (Int(d.exponent) - 52)
    return d < 0 ? -m : m
  }

  /// Whether `d` is `a` rounded to the nearest Double, ties to even (|a| > 2^53).
  static func isNearest(_ d: Double, to a: BigInt) -> Bool {
    guard d.isFinite else { return false }
    func distance(_ e: Double) -> BigInt {
      let v = exact(e) - a
      return v.isNegative ? -v : v
    }
    let (here, up, down) = (distance(d), distance(d.nextUp), distance(d.nextDown))
    if here > up || here > down { return false }
    if here == up || here == down { return d.significandBitPattern & 1 == 0 }
    return true
  }

  @Test("Rational's gcd (Lehmer's) equals the oracle's, operands up to 38 words")
  func gcd() {
    var ops = Operands(rng: SplitMix64(seed: 5))
    for round in 0..<3_000 {
      // Up to 38 words, so that Lehmer's rounds, its full division steps and its 128-bit finish all run.
      let f = ops.value(maxWords: round % 10 == 0 ? 8 : 3).magnitude + 1
      let size = round % 3 == 0 ? 30 : 8
      let (a, b) = (ops.value(maxWords: size).magnitude * f, ops.value(maxWords: size).magnitude * f)
      #expect(
        _OracleValue(words: Rational.gcd(a, b).words, negative: false)
          == _Oracle.gcd(_OracleValue(words: a.words, negative: false), _OracleValue(words: b.words, negative: false)))
    }
  }
}
