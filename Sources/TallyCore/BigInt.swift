/// Arbitrary-precision integers for ``Rational``'s large values and the exact rules' totals.
///
/// Tally's own, so that the library and the `tally` binary need nothing beyond the standard library
/// for exact arithmetic (no Foundation, which costs several milliseconds at every process start).
///
/// - ``BigUInt`` is a magnitude: little-endian 64-bit words, without high zero words (zero has no
///   words), so equal values have equal representations and the synthesized `Hashable` is right.
/// - ``BigInt`` is a sign and a magnitude (zero is never negative). Division truncates toward zero and
///   the remainder takes the dividend's sign, as for Swift's fixed-width integers.
///
/// Complexity: addition and subtraction O(n), multiplication schoolbook O(n·m), division Knuth's
/// Algorithm D O(n·m) (Knuth, *The Art of Computer Programming* vol. 2, §4.3.1), decimal conversion
/// O(n²). The values Tally meets are a few words long; 128-bit and 64-bit fast paths live in
/// ``Rational``. A test compares every operation with an independent library (attaswift/BigInt) on
/// random operands.
public struct BigUInt: Sendable, Hashable, Comparable, LosslessStringConvertible, ExpressibleByIntegerLiteral {
  /// The words, least significant first, without high zero words.
  public private(set) var words: [UInt]

  /// Zero.
  public init() { words = [] }

  /// The value of these words, least significant first (high zero words are dropped).
  public init(words: some Sequence<UInt>) {
    self.words = Array(words)
    Self.trim(&self.words)
  }

  /// The value of a non-negative integer; traps on a negative one.
  public init<T: BinaryInteger>(_ value: T) {
    precondition(value >= 0, "negative value for BigUInt")
    self.init(words: value.magnitude.words)
  }

  public init(integerLiteral value: UInt) { self.init(value) }

  /// Words `w` already trimmed.
  @inline(__always) init(trimmed w: [UInt]) { words = w }

  @inline(__always) static func trim(_ w: inout [UInt]) {
    while let last = w.last, last == 0 { w.removeLast() }
  }

  public var isZero: Bool { words.isEmpty }

  /// The number of bits up to the highest set bit (0 for zero).
  public var bitWidth: Int {
    guard let last = words.last else { return 0 }
    return words.count * UInt.bitWidth - last.leadingZeroBitCount
  }

  /// The number of trailing zero bits (0 for zero).
  public var trailingZeroBitCount: Int {
    guard let i = words.firstIndex(where: { $0 != 0 }) else { return 0 }
    return i * UInt.bitWidth + words[i].trailingZeroBitCount
  }

  /// The value as a `UInt128` when it fits.
  public var uint128: UInt128? {
    switch words.count {
    case 0: 0
    case 1: UInt128(words[0])
    case 2: UInt128(words[1]) << 64 | UInt128(words[0])
    default: nil
    }
  }

  // MARK: Comparison

  /// -1, 0 or 1 as `a` is below, equal to or above `b` (both trimmed).
  static func compare(_ a: [UInt], _ b: [UInt]) -> Int {
    if a.count != b.count { return a.count < b.count ? -1 : 1 }
    var i = a.count - 1
    while i >= 0 {
      if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
      i -= 1
    }
    return 0
  }

  public static func < (a: BigUInt, b: BigUInt) -> Bool { compare(a.words, b.words) < 0 }

  // MARK: Word-array arithmetic

  static func add(_ a: [UInt], _ b: [UInt]) -> [UInt] {
    let (long, short) = a.count >= b.count ? (a, b) : (b, a)
    var out = [UInt](repeating: 0, count: long.count + 1)
    var carry: UInt = 0
    for i in 0..<long.count {
      let (s1, o1) = long[i].addingReportingOverflow(i < short.count ? short[i] : 0)
      let (s2, o2) = s1.addingReportingOverflow(carry)
      out[i] = s2
      carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
    }
    out[long.count] = carry
    trim(&out)
    return out
  }

  /// `a - b` for `a ≥ b`.
  static func subtract(_ a: [UInt], _ b: [UInt]) -> [UInt] {
    var out = a
    var borrow: UInt = 0
    for i in 0..<a.count {
      let (d1, o1) = a[i].subtractingReportingOverflow(i < b.count ? b[i] : 0)
      let (d2, o2) = d1.subtractingReportingOverflow(borrow)
      out[i] = d2
      borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
    }
    precondition(borrow == 0, "BigUInt subtraction underflow")
    trim(&out)
    return out
  }

  static func multiply(_ a: [UInt], _ b: [UInt]) -> [UInt] {
    if a.isEmpty || b.isEmpty { return [] }
    var out = [UInt](repeating: 0, count: a.count + b.count)
    out.withUnsafeMutableBufferPointer { o in
      for i in 0..<a.count {
        let ai = a[i]
        if ai == 0 { continue }
        var carry: UInt = 0
        for j in 0..<b.count {
          let (hi, lo) = ai.multipliedFullWidth(by: b[j])
          let (s1, c1) = lo.addingReportingOverflow(o[i + j])
          let (s2, c2) = s1.addingReportingOverflow(carry)
          o[i + j] = s2
          // hi ≤ 2^64 - 2, so the carry fits in a word.
          carry = hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
        }
        o[i + b.count] = carry
      }
    }
    trim(&out)
    return out
  }

  static func shiftLeft(_ a: [UInt], _ k: Int) -> [UInt] {
    if a.isEmpty || k == 0 { return a }
    let ws = k / UInt.bitWidth
    let bs = k % UInt.bitWidth
    var out = [UInt](repeating: 0, count: a.count + ws + 1)
    for i in 0..<a.count {
      out[i + ws] |= a[i] << bs
      if bs > 0 { out[i + ws + 1] = a[i] >> (UInt.bitWidth - bs) }
    }
    trim(&out)
    return out
  }

  static func shiftRight(_ a: [UInt], _ k: Int) -> [UInt] {
    let ws = k / UInt.bitWidth
    let bs = k % UInt.bitWidth
    if ws >= a.count { return [] }
    var out = [UInt](repeating: 0, count: a.count - ws)
    for i in 0..<out.count {
      let lo = a[i + ws] >> bs
      let hi = bs == 0 || i + ws + 1 >= a.count ? 0 : a[i + ws + 1] << (UInt.bitWidth - bs)
      out[i] = lo | hi
    }
    trim(&out)
    return out
  }

  /// Quotient and remainder of `a / d` for a one-word `d > 0`.
  static func divide(_ a: [UInt], byWord d: UInt) -> (quotient: [UInt], remainder: UInt) {
    var q = [UInt](repeating: 0, count: a.count)
    var r: UInt = 0
    var i = a.count - 1
    while i >= 0 {
      (q[i], r) = d.dividingFullWidth((r, a[i]))
      i -= 1
    }
    trim(&q)
    return (q, r)
  }

  /// Quotient and remainder of `a / b` (`b` non-zero): Knuth's Algorithm D.
  static func divide(_ a: [UInt], _ b: [UInt]) -> (quotient: [UInt], remainder: [UInt]) {
    precondition(!b.isEmpty, "division by zero")
    if compare(a, b) < 0 { return ([], a) }
    if b.count == 1 {
      let (q, r) = divide(a, byWord: b[0])
      return (q, r == 0 ? [] : [r])
    }
    // Normalise so that the divisor's top bit is set.
    let s = b[b.count - 1].leadingZeroBitCount
    let n = b.count
    let m = a.count - n
    var v = [UInt](repeating: 0, count: n)
    for i in 0..<n { v[i] = b[i] << s | (s > 0 && i > 0 ? b[i - 1] >> (UInt.bitWidth - s) : 0) }
    var u = [UInt](repeating: 0, count: a.count + 1)
    for i in 0..<a.count { u[i] = a[i] << s | (s > 0 && i > 0 ? a[i - 1] >> (UInt.bitWidth - s) : 0) }
    u[a.count] = s > 0 ? a[a.count - 1] >> (UInt.bitWidth - s) : 0
    var q = [UInt](repeating: 0, count: m + 1)
    let vTop = v[n - 1]
    let vNext = v[n - 2]
    var j = m
    while j >= 0 {
      // Estimate the quotient digit from the top two words of the remainder, then correct it with the
      // third (at most two decrements), as in Knuth's step D3.
      var qhat: UInt
      var rhat: UInt
      var rhatOverflow = false
      if u[j + n] >= vTop {
        qhat = .max
        (rhat, rhatOverflow) = u[j + n - 1].addingReportingOverflow(vTop)
      } else {
        (qhat, rhat) = vTop.dividingFullWidth((u[j + n], u[j + n - 1]))
      }
      while !rhatOverflow {
        let (hi, lo) = qhat.multipliedFullWidth(by: vNext)
        guard hi > rhat || (hi == rhat && lo > u[j + n - 2]) else { break }
        qhat -= 1
        (rhat, rhatOverflow) = rhat.addingReportingOverflow(vTop)
      }
      // Multiply and subtract (D4).
      var carry: UInt = 0
      var borrow: UInt = 0
      for i in 0..<n {
        let (ph, pl) = qhat.multipliedFullWidth(by: v[i])
        let (p, c) = pl.addingReportingOverflow(carry)
        carry = ph &+ (c ? 1 : 0)
        let (d1, o1) = u[i + j].subtractingReportingOverflow(p)
        let (d2, o2) = d1.subtractingReportingOverflow(borrow)
        u[i + j] = d2
        borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
      }
      let (d1, o1) = u[j + n].subtractingReportingOverflow(carry)
      let (d2, o2) = d1.subtractingReportingOverflow(borrow)
      u[j + n] = d2
      if o1 || o2 {
        // Add back (D6): the estimate was one too large.
        qhat -= 1
        var c: UInt = 0
        for i in 0..<n {
          let (s1, c1) = u[i + j].addingReportingOverflow(v[i])
          let (s2, c2) = s1.addingReportingOverflow(c)
          u[i + j] = s2
          c = (c1 ? 1 : 0) + (c2 ? 1 : 0)
        }
        u[j + n] &+= c
      }
      q[j] = qhat
      j -= 1
    }
    trim(&q)
    u.removeLast(u.count - n)
    trim(&u)
    return (q, shiftRight(u, s))
  }

  // MARK: Operators

  public static func + (a: BigUInt, b: BigUInt) -> BigUInt { BigUInt(trimmed: add(a.words, b.words)) }
  /// Traps when `b > a`.
  public static func - (a: BigUInt, b: BigUInt) -> BigUInt { BigUInt(trimmed: subtract(a.words, b.words)) }
  public static func * (a: BigUInt, b: BigUInt) -> BigUInt { BigUInt(trimmed: multiply(a.words, b.words)) }
  public static func / (a: BigUInt, b: BigUInt) -> BigUInt { BigUInt(trimmed: divide(a.words, b.words).quotient) }
  public static func % (a: BigUInt, b: BigUInt) -> BigUInt { BigUInt(trimmed: divide(a.words, b.words).remainder) }
  public static func << (a: BigUInt, k: Int) -> BigUInt {
    k >= 0 ? BigUInt(trimmed: shiftLeft(a.words, k)) : BigUInt(trimmed: shiftRight(a.words, -k))
  }
  public static func >> (a: BigUInt, k: Int) -> BigUInt {
    k >= 0 ? BigUInt(trimmed: shiftRight(a.words, k)) : BigUInt(trimmed: shiftLeft(a.words, -k))
  }
  public static func += (a: inout BigUInt, b: BigUInt) { a = a + b }
  public static func -= (a: inout BigUInt, b: BigUInt) { a = a - b }
  public static func *= (a: inout BigUInt, b: BigUInt) { a = a * b }
  public static func /= (a: inout BigUInt, b: BigUInt) { a = a / b }
  public static func <<= (a: inout BigUInt, k: Int) { a = a << k }
  public static func >>= (a: inout BigUInt, k: Int) { a = a >> k }

  /// Quotient and remainder; traps when `d` is zero.
  public func quotientAndRemainder(dividingBy d: BigUInt) -> (quotient: BigUInt, remainder: BigUInt) {
    let (q, r) = Self.divide(words, d.words)
    return (BigUInt(trimmed: q), BigUInt(trimmed: r))
  }

  /// `self` to the power `exponent ≥ 0`.
  public func power(_ exponent: Int) -> BigUInt {
    precondition(exponent >= 0, "negative exponent")
    var result: BigUInt = 1
    var base = self
    var e = exponent
    while e > 0 {
      if e & 1 == 1 { result *= base }
      e >>= 1
      if e > 0 { base *= base }
    }
    return result
  }

  // MARK: Decimal text

  /// 10^19, the largest power of ten in a word.
  static let decimalChunk: UInt = 10_000_000_000_000_000_000

  public var description: String {
    if words.isEmpty { return "0" }
    var chunks: [UInt] = []
    var rest = words
    while !rest.isEmpty {
      let (q, r) = Self.divide(rest, byWord: Self.decimalChunk)
      chunks.append(r)
      rest = q
    }
    var text = String(chunks[chunks.count - 1])
    for c in chunks.dropLast().reversed() {
      let digits = String(c)
      text += String(repeating: "0", count: 19 - digits.count) + digits
    }
    return text
  }

  public init?(_ description: String) { self.init(Substring(description)) }

  /// Parses decimal digits (no sign, no spaces); nil for anything else or for no digits.
  public init?(_ text: some StringProtocol) {
    var w: [UInt] = []
    var chunk: UInt = 0
    var chunkDigits = 0
    var any = false
    func flush(_ w: inout [UInt], _ chunk: UInt, _ digits: Int) {
      var scale: UInt = 1
      for _ in 0..<digits { scale *= 10 }
      var carry = chunk
      for i in 0..<w.count {
        let (hi, lo) = w[i].multipliedFullWidth(by: scale)
        let (s, c) = lo.addingReportingOverflow(carry)
        w[i] = s
        carry = hi &+ (c ? 1 : 0)
      }
      if carry != 0 { w.append(carry) }
    }
    for b in text.utf8 {
      guard b >= 0x30 && b <= 0x39 else { return nil }
      any = true
      chunk = chunk * 10 + UInt(b - 0x30)
      chunkDigits += 1
      if chunkDigits == 19 {
        flush(&w, chunk, 19)
        chunk = 0
        chunkDigits = 0
      }
    }
    guard any else { return nil }
    if chunkDigits > 0 { flush(&w, chunk, chunkDigits) }
    self.init(words: w)
  }
}

/// An arbitrary-precision signed integer: a sign and a ``BigUInt`` magnitude.
public struct BigInt: Sendable, Hashable, Comparable, LosslessStringConvertible, ExpressibleByIntegerLiteral {
  /// The absolute value.
  public private(set) var magnitude: BigUInt
  /// Whether the value is below zero (never for zero).
  public private(set) var isNegative: Bool

  /// `±magnitude` (zero is never negative).
  public init(magnitude: BigUInt, negative: Bool) {
    self.magnitude = magnitude
    isNegative = negative && !magnitude.isZero
  }

  public init(_ magnitude: BigUInt) { self.init(magnitude: magnitude, negative: false) }

  /// The value of any integer.
  public init<T: BinaryInteger>(_ value: T) {
    self.init(magnitude: BigUInt(words: value.magnitude.words), negative: value < 0)
  }

  public init(integerLiteral value: Int) { self.init(value) }

  public init?(_ description: String) { self.init(Substring(description)) }

  /// Parses an optional `-` or `+` followed by decimal digits; nil otherwise.
  public init?(_ text: some StringProtocol) {
    var s = Substring(text)
    var negative = false
    if let f = s.first, f == "-" || f == "+" {
      negative = f == "-"
      s = s.dropFirst()
    }
    guard let m = BigUInt(s) else { return nil }
    self.init(magnitude: m, negative: negative)
  }

  public var isZero: Bool { magnitude.isZero }

  /// -1, 0 or 1.
  public func signum() -> Int { isNegative ? -1 : magnitude.isZero ? 0 : 1 }

  /// Bits of the two's-complement form without redundant sign bits beyond one: the magnitude's bits
  /// plus a sign bit (0 for zero).
  public var bitWidth: Int { magnitude.isZero ? 0 : magnitude.bitWidth + 1 }

  /// The value as an `Int64` when it fits.
  public var int64: Int64? {
    guard let m = magnitude.uint128 else { return nil }
    if isNegative { return m <= UInt128(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- m) : nil }
    return m <= UInt128(Int64.max) ? Int64(m) : nil
  }

  public static func == (a: BigInt, b: BigInt) -> Bool { a.isNegative == b.isNegative && a.magnitude == b.magnitude }

  public static func < (a: BigInt, b: BigInt) -> Bool {
    if a.isNegative != b.isNegative { return a.isNegative }
    let c = BigUInt.compare(a.magnitude.words, b.magnitude.words)
    return a.isNegative ? c > 0 : c < 0
  }

  public static prefix func - (a: BigInt) -> BigInt { BigInt(magnitude: a.magnitude, negative: !a.isNegative) }

  public static func + (a: BigInt, b: BigInt) -> BigInt {
    if a.isNegative == b.isNegative { return BigInt(magnitude: a.magnitude + b.magnitude, negative: a.isNegative) }
    // Opposite signs: the larger magnitude wins.
    if BigUInt.compare(a.magnitude.words, b.magnitude.words) >= 0 {
      return BigInt(magnitude: a.magnitude - b.magnitude, negative: a.isNegative)
    }
    return BigInt(magnitude: b.magnitude - a.magnitude, negative: b.isNegative)
  }

  public static func - (a: BigInt, b: BigInt) -> BigInt { a + -b }

  public static func * (a: BigInt, b: BigInt) -> BigInt {
    BigInt(magnitude: a.magnitude * b.magnitude, negative: a.isNegative != b.isNegative)
  }

  /// Quotient truncated toward zero and remainder with the dividend's sign; traps when `d` is zero.
  public func quotientAndRemainder(dividingBy d: BigInt) -> (quotient: BigInt, remainder: BigInt) {
    let (q, r) = magnitude.quotientAndRemainder(dividingBy: d.magnitude)
    return (BigInt(magnitude: q, negative: isNegative != d.isNegative), BigInt(magnitude: r, negative: isNegative))
  }

  public static func / (a: BigInt, b: BigInt) -> BigInt { a.quotientAndRemainder(dividingBy: b).quotient }
  public static func % (a: BigInt, b: BigInt) -> BigInt { a.quotientAndRemainder(dividingBy: b).remainder }

  /// The magnitude shifted left (right for a negative `k`, truncating toward zero); the sign kept.
  public static func << (a: BigInt, k: Int) -> BigInt { BigInt(magnitude: a.magnitude << k, negative: a.isNegative) }
  /// The magnitude shifted right (truncating toward zero); the sign kept.
  public static func >> (a: BigInt, k: Int) -> BigInt { BigInt(magnitude: a.magnitude >> k, negative: a.isNegative) }

  public static func += (a: inout BigInt, b: BigInt) { a = a + b }
  public static func -= (a: inout BigInt, b: BigInt) { a = a - b }
  public static func *= (a: inout BigInt, b: BigInt) { a = a * b }
  public static func /= (a: inout BigInt, b: BigInt) { a = a / b }

  /// `self` to the power `exponent ≥ 0`.
  public func power(_ exponent: Int) -> BigInt {
    BigInt(magnitude: magnitude.power(exponent), negative: isNegative && exponent & 1 == 1)
  }

  public var description: String { isNegative ? "-" + magnitude.description : magnitude.description }
}

extension Int64 {
  /// The value, or `Int64.min` / `Int64.max` when it is beyond them.
  public init(clamping value: BigInt) {
    self = value.int64 ?? (value.isNegative ? .min : .max)
  }
}

extension Double {
  /// The nearest `Double` to an exact integer (ties to even), like the standard library's conversions
  /// from fixed-width integers.
  public init(_ value: BigInt) {
    let m = value.magnitude
    let bits = m.bitWidth
    var d: Double
    if bits <= 64 {
      d = Double(m.words.first ?? 0)
    } else {
      // The top 64 bits, with a sticky low bit for any bits below them: rounding 64 bits to the 53 of
      // a Double then gives the correctly rounded value of the whole.
      let shift = bits - 64
      let top = (m >> shift).words[0]
      let sticky: UInt = m.trailingZeroBitCount < shift ? 1 : 0
      d = Double(top | sticky)
      d = Double(sign: .plus, exponent: shift, significand: d)
    }
    self = value.isNegative ? -d : d
  }
}
