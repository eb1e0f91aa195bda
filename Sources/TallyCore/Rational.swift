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
    var n = numerator
    var d = denominator
    if d.signum() < 0 {
      n = -n
      d = -d
    }
    let g = n.magnitude.greatestCommonDivisor(with: d.magnitude)
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
