import BigInt

/// An exact rational number with arbitrary-precision numerator and denominator, always reduced and
/// with a positive denominator.
///
/// Used where a rule is defined with fractions (Method of Equal Shares, Phragmén, channel shares), so
/// that the outcome is the exact-arithmetic one on every input.
public struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The numerator.
  public let numerator: BigInt
  /// The denominator, always positive.
  public let denominator: BigInt

  /// Creates `numerator / denominator`, reduced. Traps when the denominator is zero.
  public init(_ numerator: BigInt, _ denominator: BigInt = 1) {
    precondition(!denominator.isZero, "zero denominator")
    if denominator == 1 {
      self.numerator = numerator
      self.denominator = 1
      return
    }
    // Fast path: both fit in 64 bits; a machine-word binary gcd gives the same canonical form.
    if let nm = UInt64(exactly: numerator.magnitude), let dm = UInt64(exactly: denominator.magnitude) {
      let g = Self.gcd(nm, dm)
      let negative = (numerator.signum() < 0) != (denominator.signum() < 0)
      let r = BigInt(nm / g)
      self.numerator = negative ? -r : r
      self.denominator = BigInt(dm / g)
      return
    }
    // Fast path: both fit in 128 bits (the exact MES prices and shares of large files mostly do).
    if numerator.magnitude.bitWidth <= 128 && denominator.magnitude.bitWidth <= 128 {
      let nm = Self.uint128(numerator.magnitude)
      let dm = Self.uint128(denominator.magnitude)
      let g = Self.gcd(nm, dm)
      let negative = (numerator.signum() < 0) != (denominator.signum() < 0)
      let r = BigInt(nm / g)
      self.numerator = negative ? -r : r
      self.denominator = BigInt(dm / g)
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
    self.numerator = n
    self.denominator = d
  }

  /// Creates an integer value.
  /// Stein's binary gcd (gcd(0, d) = d).
  @usableFromInline static func gcd(_ x: UInt64, _ y: UInt64) -> UInt64 {
    var a = x
    var b = y
    if a == 0 { return b }
    if b == 0 { return a }
    let shift = (a | b).trailingZeroBitCount
    a >>= UInt64(a.trailingZeroBitCount)
    repeat {
      b >>= UInt64(b.trailingZeroBitCount)
      if a > b { swap(&a, &b) }
      b -= a
    } while b != 0
    return a << UInt64(shift)
  }

  /// Stein's binary gcd in 128 bits (gcd(0, d) = d).
  @usableFromInline static func gcd(_ x: UInt128, _ y: UInt128) -> UInt128 {
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

  /// The gcd of two magnitudes of any size: Stein's binary gcd on word arrays modified in place (no
  /// allocation per step, unlike `BigUInt`'s), finished in 128 bits once both operands fit.
  /// Equal to `x.greatestCommonDivisor(with: y)` (a test compares them on random operands).
  public static func gcd(_ x: BigUInt, _ y: BigUInt) -> BigUInt {
    if x.isZero { return y }
    if y.isZero { return x }
    var a = Array(x.words)
    var b = Array(y.words)
    var an = Self.trim(a, a.count)
    var bn = Self.trim(b, b.count)
    let shift = min(Self.trailingZeros(a, an), Self.trailingZeros(b, bn))
    an = Self.shiftRight(&a, an, by: Self.trailingZeros(a, an))
    while true {
      // a is odd, b is non-zero.
      bn = Self.shiftRight(&b, bn, by: Self.trailingZeros(b, bn))
      if an * UInt.bitWidth <= 128 && bn * UInt.bitWidth <= 128 {
        let g = gcd(Self.uint128(a, an), Self.uint128(b, bn))
        return BigUInt(g) << shift
      }
      if Self.compare(a, an, b, bn) > 0 {
        swap(&a, &b)
        swap(&an, &bn)
      }
      bn = Self.subtract(&b, bn, a, an)
      if bn == 0 { return BigUInt(words: a[0..<an]) << shift }
    }
  }

  /// The number of words of `w[0..<n]` without leading zero words.
  @inline(__always) private static func trim(_ w: [UInt], _ n: Int) -> Int {
    var n = n
    while n > 0 && w[n - 1] == 0 { n -= 1 }
    return n
  }

  /// Trailing zero bits of a non-zero `w[0..<n]`.
  @inline(__always) private static func trailingZeros(_ w: [UInt], _ n: Int) -> Int {
    var i = 0
    while w[i] == 0 { i += 1 }
    return i * UInt.bitWidth + w[i].trailingZeroBitCount
  }

  /// `w[0..<n] >>= k` in place; the new word count.
  private static func shiftRight(_ w: inout [UInt], _ n: Int, by k: Int) -> Int {
    if k == 0 { return n }
    let words = k / UInt.bitWidth
    let bits = k % UInt.bitWidth
    let m = n - words
    for i in 0..<m {
      let lo = w[i + words] >> bits
      let hi = bits == 0 || i + words + 1 >= n ? 0 : w[i + words + 1] << (UInt.bitWidth - bits)
      w[i] = lo | hi
    }
    for i in m..<n { w[i] = 0 }
    return trim(w, m)
  }

  /// Compares `a[0..<an]` and `b[0..<bn]` (both trimmed): -1, 0 or 1.
  private static func compare(_ a: [UInt], _ an: Int, _ b: [UInt], _ bn: Int) -> Int {
    if an != bn { return an < bn ? -1 : 1 }
    var i = an - 1
    while i >= 0 {
      if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
      i -= 1
    }
    return 0
  }

  /// `b[0..<bn] -= a[0..<an]` in place (b ≥ a); the new word count.
  private static func subtract(_ b: inout [UInt], _ bn: Int, _ a: [UInt], _ an: Int) -> Int {
    var borrow = false
    for i in 0..<bn {
      let (d1, o1) = b[i].subtractingReportingOverflow(i < an ? a[i] : 0)
      let (d2, o2) = d1.subtractingReportingOverflow(borrow ? 1 : 0)
      b[i] = d2
      borrow = o1 || o2
    }
    return trim(b, bn)
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

  public init(_ value: Int64) { self.init(BigInt(value), 1) }

  /// Creates an integer value.
  public init(_ value: Int) { self.init(BigInt(value), 1) }

  /// Creates the value of an exact decimal.
  public init(_ value: ExactDecimal) { self.init(BigInt(value.units), BigInt(10).power(value.scale)) }

  /// Zero.
  public static let zero = Rational(0)
  /// One.
  public static let one = Rational(1)

  /// Whether the value is zero.
  public var isZero: Bool { numerator.isZero }

  /// The sign: -1, 0 or 1.
  public var signum: Int { Int(numerator.signum()) }

  public static func + (a: Rational, b: Rational) -> Rational {
    if a.denominator == b.denominator { return Rational(a.numerator + b.numerator, a.denominator) }
    return Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
  }

  public static func - (a: Rational, b: Rational) -> Rational {
    if a.denominator == b.denominator { return Rational(a.numerator - b.numerator, a.denominator) }
    return Rational(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator)
  }

  public static func * (a: Rational, b: Rational) -> Rational {
    Rational(a.numerator * b.numerator, a.denominator * b.denominator)
  }

  /// Division; traps when `b` is zero.
  public static func / (a: Rational, b: Rational) -> Rational {
    Rational(a.numerator * b.denominator, a.denominator * b.numerator)
  }

  public static prefix func - (a: Rational) -> Rational { Rational(-a.numerator, a.denominator) }

  public static func += (a: inout Rational, b: Rational) { a = a + b }
  public static func -= (a: inout Rational, b: Rational) { a = a - b }

  public static func < (a: Rational, b: Rational) -> Bool {
    if a.denominator == b.denominator { return a.numerator < b.numerator }
    // Fast path: cross products in 128 bits (denominators are positive).
    if let an = Int64(exactly: a.numerator), let ad = Int64(exactly: a.denominator), let bn = Int64(exactly: b.numerator),
      let bd = Int64(exactly: b.denominator)
    {
      let l = an.multipliedFullWidth(by: bd)
      let r = bn.multipliedFullWidth(by: ad)
      return l.high != r.high ? l.high < r.high : l.low < r.low
    }
    return a.numerator * b.denominator < b.numerator * a.denominator
  }

  /// The nearest `Double` (for display and statistics only).
  public var doubleValue: Double {
    if let n = Int64(exactly: numerator), let d = Int64(exactly: denominator),
      n.magnitude < (1 << 53), d < (1 << 53)
    {
      return Double(n) / Double(d)
    }
    // Scale so that the quotient keeps 60 significant bits.
    let shift = max(0, denominator.bitWidth - numerator.magnitude.bitWidth + 64)
    let q = (numerator << shift) / denominator
    return Double(q) / pow2(shift)
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
    denominator == 1 ? numerator.description : "\(numerator)/\(denominator)"
  }
}
