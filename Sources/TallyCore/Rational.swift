
/// An exact rational number with arbitrary-precision numerator and denominator, always reduced and
/// with a positive denominator.
///
/// Used where a rule is defined with fractions (Method of Equal Shares, Phragmén, channel shares), so
/// that the outcome is the exact-arithmetic one on every input.
public struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The value, canonical: reduced, denominator positive, and `small` exactly when both parts fit in
  /// 64 bits (numerator above `Int64.min`), so that equal values are equal representations.
  @usableFromInline enum Storage: Sendable, Hashable {
    case small(Int64, Int64)
    case big(BigInt, BigInt)
  }

  @usableFromInline let storage: Storage

  /// The numerator.
  public var numerator: BigInt {
    switch storage {
    case .small(let n, _): BigInt(n)
    case .big(let n, _): n
    }
  }

  /// The denominator, always positive.
  public var denominator: BigInt {
    switch storage {
    case .small(_, let d): BigInt(d)
    case .big(_, let d): d
    }
  }

  /// The numerator and denominator when both fit in 64 bits (then the numerator is above
  /// `Int64.min`), for callers with a fast path; nil otherwise.
  public var smallParts: (numerator: Int64, denominator: Int64)? {
    if case .small(let n, let d) = storage { return (n, d) }
    return nil
  }

  /// A value already reduced, with a positive denominator. (Conversions go through magnitudes:
  /// `BigInt`'s two's-complement words are not reliable for negative values past 64 bits.)
  private init(reduced n: BigInt, _ d: BigInt) {
    if n.magnitude.bitWidth < 64 && d.magnitude.bitWidth < 64 {
      let m = Int64(n.magnitude.words.first ?? 0)
      storage = .small(n.signum() < 0 ? -m : m, Int64(d.magnitude.words.first ?? 0))
    } else {
      storage = .big(n, d)
    }
  }

  /// `n / d` computed in 128 bits (|n| < 2^127, d ≠ 0), reduced.
  @inline(__always)
  private init(_ n: Int128, _ d: Int128) {
    self.init(magnitudes: n.magnitude, d.magnitude, negative: (n < 0) != (d < 0))
  }

  /// `±nm / dm` (dm ≠ 0), reduced.
  private init(magnitudes nm: UInt128, _ dm: UInt128, negative: Bool) {
    precondition(dm != 0, "zero denominator")
    if nm >> 63 == 0 && dm >> 63 == 0 {
      // Both below 2^63 (most shares and scores): the gcd and the divisions in 64 bits, several times
      // faster than in 128.
      let (n, d) = (UInt64(nm), UInt64(dm))
      let g = Self.gcd(n, d)
      storage = .small(negative ? -Int64(n / g) : Int64(n / g), Int64(d / g))
      return
    }
    let g = Self.gcd(nm, dm)
    let rn = nm / g
    let rd = dm / g
    if rn <= UInt128(Int64.max), rd <= UInt128(Int64.max) {
      storage = .small(negative ? -Int64(rn) : Int64(rn), Int64(rd))
    } else {
      let bn = BigInt(rn)
      storage = .big(negative ? -bn : bn, BigInt(rd))
    }
  }

  /// Creates `numerator / denominator`, reduced. Traps when the denominator is zero.
  public init(_ numerator: BigInt, _ denominator: BigInt = 1) {
    precondition(!denominator.isZero, "zero denominator")
    if denominator == 1 {
      self.init(reduced: numerator, 1)
      return
    }
    // Fast path: both fit in 128 bits (the exact MES prices and shares of large files mostly do).
    if numerator.magnitude.bitWidth <= 128 && denominator.magnitude.bitWidth <= 128 {
      self.init(
        magnitudes: Self.uint128(numerator.magnitude), Self.uint128(denominator.magnitude),
        negative: (numerator.signum() < 0) != (denominator.signum() < 0))
      return
    }
    var n = numerator
    var d = denominator
    if d.signum() < 0 {
      n = -n
      d = -d
    }
    let g = Self.gcd(n.magnitude, d.magnitude)
    if g > 1 {
      n /= BigInt(g)
      d /= BigInt(g)
    }
    self.init(reduced: n, d)
  }

  /// Stein's binary gcd of fixed-width unsigned integers (gcd(0, d) = d).
  @inlinable public static func gcd<T: FixedWidthInteger & UnsignedInteger>(_ x: T, _ y: T) -> T {
    var a = x
    var b = y
    if a == 0 { return b }
    if b == 0 { return a }
    let shift = (a | b).trailingZeroBitCount
    a >>= a.trailingZeroBitCount
    repeat {
      b >>= b.trailingZeroBitCount
      if a > b { swap(&a, &b) }
      b -= a
    } while b != 0
    return a << shift
  }

  /// The least common multiple of the values' denominators (1 for none), with the gcd below. (An
  /// array rather than any sequence: a generic sequence from another module is iterated through a
  /// conformance looked up at run time, whose first lookup scans every conformance record.)
  public static func commonDenominator(_ values: [Rational]) -> BigInt {
    var lcm = BigInt(1)
    for v in values {
      if let (_, d) = v.smallParts, d == 1 { continue }
      let d = v.denominator
      lcm = lcm / BigInt(gcd(lcm.magnitude, d.magnitude)) * d
    }
    return lcm
  }

  /// The gcd of two magnitudes of any size: Lehmer's algorithm (Knuth, TAOCP vol. 2, §4.3.1,
  /// Algorithm L). Each round runs Euclid's quotients on the leading 60 bits of both operands in
  /// single precision, for as long as they provably equal the full operands' quotients (Collins'
  /// test), then applies the accumulated 2×2 matrix to the full operands at once; a round that finds
  /// no such quotient does one full division instead. Finished in 128 bits once both operands fit.
  /// Tests compare it with Euclid's gcd and with attaswift/BigInt's on random operands.
  public static func gcd(_ x: BigUInt, _ y: BigUInt) -> BigUInt {
    var a = x.words
    var b = y.words
    if BigUInt.compare(a, b) < 0 { swap(&a, &b) }
    while true {
      if b.isEmpty { return BigUInt(words: a) }
      if a.count <= 2 { return BigUInt(gcd(Self.uint128(a, a.count), Self.uint128(b, b.count))) }
      // The leading 60 bits of a, and b shifted alike.
      let shift = BigUInt(words: a).bitWidth - 60
      // Single precision: u, v < 2^60 and the cosequence stays below u in magnitude (Knuth), so the
      // 64-bit arithmetic below cannot overflow.
      var u = Int64(Self.bits(a, from: shift))
      var v = Int64(Self.bits(b, from: shift))
      var (ca, cb, cc, cd): (Int64, Int64, Int64, Int64) = (1, 0, 0, 1)
      while v + cc != 0 && v + cd != 0 {
        let q = (u + ca) / (v + cc)
        guard q == (u + cb) / (v + cd) else { break }
        (ca, cc) = (cc, ca - q * cc)
        (cb, cd) = (cd, cb - q * cd)
        (u, v) = (v, u - q * v)
      }
      if cb == 0 {
        // No quotient certain from the leading bits: one step of Euclid on the full operands.
        let r = BigUInt.divide(a, b).remainder
        a = b
        b = r
      } else {
        let na = Self.combine(a, Int128(ca), b, Int128(cb))
        b = Self.combine(a, Int128(cc), b, Int128(cd))
        a = na
      }
    }
  }

  /// The 64 bits of `w` from bit `shift` on (bits above the top word are zero).
  @inline(__always) private static func bits(_ w: [UInt], from shift: Int) -> UInt {
    let i = shift / UInt.bitWidth
    let s = shift % UInt.bitWidth
    guard i < w.count else { return 0 }
    let lo = w[i] >> s
    let hi = s == 0 || i + 1 >= w.count ? 0 : w[i + 1] << (UInt.bitWidth - s)
    return lo | hi
  }

  /// `x·a + y·b` for cosequence entries of Lehmer's algorithm (|x|, |y| < 2^60, opposite signs or
  /// zero), whose value is known to be a non-negative number of at most `a.count` words.
  private static func combine(_ a: [UInt], _ x: Int128, _ b: [UInt], _ y: Int128) -> [UInt] {
    var out = [UInt](repeating: 0, count: a.count)
    var carry: Int128 = 0
    for i in 0..<a.count {
      // |x·a[i]| + |y·b[i]| < 2^125, so the sum with the carry stays within Int128.
      let t = x * Int128(a[i]) + y * Int128(i < b.count ? b[i] : 0) + carry
      out[i] = UInt(truncatingIfNeeded: t)
      carry = t >> 64
    }
    precondition(carry == 0, "Lehmer step out of range")
    while let last = out.last, last == 0 { out.removeLast() }
    return out
  }

  /// `w[0..<n]` (at most 128 bits) as a 128-bit value.
  @inline(__always) private static func uint128(_ w: [UInt], _ n: Int) -> UInt128 {
    var out: UInt128 = 0
    for i in 0..<n { out |= UInt128(w[i]) << (i * UInt.bitWidth) }
    return out
  }

  /// A magnitude of at most 128 bits, from its words.
  @inline(__always)
  private static func uint128(_ m: BigUInt) -> UInt128 {
    var out: UInt128 = 0
    var shift = 0
    for w in m.words {
      out |= UInt128(w) << shift
      shift += UInt.bitWidth
    }
    return out
  }

  public init(_ value: Int64) {
    self = value != .min ? Rational(small: value, 1) : Rational(reduced: BigInt(value), 1)
  }

  /// Creates an integer value.
  public init(_ value: Int) { self.init(Int64(value)) }

  /// Creates the value of an exact decimal.
  public init(_ value: ExactDecimal) { self.init(BigInt(value.units), BigInt(10).power(value.scale)) }

  /// Zero.
  public static let zero = Rational(0)
  /// One.
  public static let one = Rational(1)

  /// Whether the value is zero.
  public var isZero: Bool {
    switch storage {
    case .small(let n, _): n == 0
    case .big(let n, _): n.isZero
    }
  }

  /// The sign: -1, 0 or 1.
  public var signum: Int {
    switch storage {
    case .small(let n, _): Int(n.signum())
    case .big(let n, _): Int(n.signum())
    }
  }

  public static func + (a: Rational, b: Rational) -> Rational {
    if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
      if ad == bd { return Rational(Int128(an) + Int128(bn), Int128(ad)) }
      return Rational(Int128(an) * Int128(bd) + Int128(bn) * Int128(ad), Int128(ad) * Int128(bd))
    }
    let (an, ad, bn, bd) = (a.numerator, a.denominator, b.numerator, b.denominator)
    if ad == bd { return Rational(an + bn, ad) }
    return Rational(an * bd + bn * ad, ad * bd)
  }

  public static func - (a: Rational, b: Rational) -> Rational { a + -b }

  public static func * (a: Rational, b: Rational) -> Rational {
    if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
      return Rational(Int128(an) * Int128(bn), Int128(ad) * Int128(bd))
    }
    return Rational(a.numerator * b.numerator, a.denominator * b.denominator)
  }

  /// Division; traps when `b` is zero.
  public static func / (a: Rational, b: Rational) -> Rational {
    if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
      return Rational(Int128(an) * Int128(bd), Int128(ad) * Int128(bn))
    }
    return Rational(a.numerator * b.denominator, a.denominator * b.numerator)
  }

  public static prefix func - (a: Rational) -> Rational {
    switch a.storage {
    case .small(let n, let d): Rational(small: -n, d)
    case .big(let n, let d): Rational(reduced: -n, d)
    }
  }

  /// A canonical small value as it is.
  private init(small n: Int64, _ d: Int64) { storage = .small(n, d) }

  public static func += (a: inout Rational, b: Rational) { a = a + b }
  public static func -= (a: inout Rational, b: Rational) { a = a - b }

  public static func < (a: Rational, b: Rational) -> Bool {
    if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
      // Cross products in 128 bits (denominators are positive).
      return Int128(an) * Int128(bd) < Int128(bn) * Int128(ad)
    }
    let (an, ad, bn, bd) = (a.numerator, a.denominator, b.numerator, b.denominator)
    if ad == bd { return an < bn }
    return an * bd < bn * ad
  }

  /// The nearest `Double`, ties to even (for display and statistics only).
  public var doubleValue: Double {
    if case .small(let n, let d) = storage, n.magnitude < (1 << 53), d < (1 << 53) {
      return Double(n) / Double(d)
    }
    let numerator = numerator
    let denominator = denominator
    // Scale so that the quotient has at least 63 significant bits; a non-zero remainder sets its
    // lowest bit (sticky), so that rounding the quotient to a Double rounds the exact value.
    let shift = max(0, denominator.bitWidth - numerator.magnitude.bitWidth + 64)
    let (q, r) = (numerator.magnitude << shift).quotientAndRemainder(dividingBy: denominator.magnitude)
    var words = q.words
    if !r.isZero { words[0] |= 1 }
    let d = Double(BigInt(magnitude: BigUInt(words: words), negative: numerator.isNegative))
    return d / pow2(shift)
  }

  private func pow2(_ e: Int) -> Double {
    var r = 1.0
    var e = e
    while e > 1000 {
      r *= 0x1p1000
      e -= 1000
    }
    return r * Double(sign: .plus, exponent: e, significand: 1)
  }

  /// `numerator/denominator`, or just the numerator for integers.
  public var description: String {
    switch storage {
    case .small(let n, let d): d == 1 ? String(n) : "\(n)/\(d)"
    case .big(let n, let d): d == 1 ? n.description : "\(n)/\(d)"
    }
  }
}
