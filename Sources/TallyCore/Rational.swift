
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
  @usableFromInline static func gcd<T: FixedWidthInteger & UnsignedInteger>(_ x: T, _ y: T) -> T {
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

  /// The least common multiple of the values' denominators (1 for none), with the gcd below.
  public static func commonDenominator(_ values: some Sequence<Rational>) -> BigInt {
    var lcm = BigInt(1)
    for v in values {
      if let (_, d) = v.smallParts, d == 1 { continue }
      let d = v.denominator
      lcm = lcm / BigInt(gcd(lcm.magnitude, d.magnitude)) * d
    }
    return lcm
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
