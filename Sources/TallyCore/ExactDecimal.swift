/// An exact decimal number: an integer count of units of `10^-scale`.
///
/// Used for amounts, weights and points read from text, so that `400000.0`, `0,5` and `12.25` are held
/// exactly. Parsing accepts an optional sign, digits, and one `.` or `,` decimal separator; exponents,
/// `NaN`, infinities, thousands separators and empty strings are rejected.
public struct ExactDecimal: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The value in units of `10^-scale`.
  public var units: Int64
  /// The number of decimal digits.
  public var scale: Int

  /// Creates a decimal from units and a scale.
  public init(units: Int64, scale: Int) {
    self.units = units
    self.scale = scale
  }

  /// The largest scale accepted (18 digits).
  public static let maxScale = 18

  /// Parses UTF-8 bytes; nil when the text is not a plain decimal number or overflows 64 bits.
  /// (Inlinable, so that the readers' calls on byte buffers are specialised: ballots' points and weights.)
  @inlinable public static func parse<C: Collection>(_ bytes: C) -> ExactDecimal? where C.Element == UInt8 {
    var it = bytes.makeIterator()
    var negative = false
    var units: Int64 = 0
    var scale = 0
    var digits = 0
    var seenPoint = false
    var first = true
    while let b = it.next() {
      if first, b == UInt8(ascii: "-") || b == UInt8(ascii: "+") {
        negative = b == UInt8(ascii: "-")
        first = false
        continue
      }
      first = false
      if b >= 48 && b <= 57 {
        let (m, o1) = units.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int64(b - 48))
        if o1 || o2 { return nil }
        units = a
        digits += 1
        if seenPoint {
          scale += 1
          if scale > maxScale { return nil }
        }
      } else if (b == UInt8(ascii: ".") || b == UInt8(ascii: ",")) && !seenPoint {
        seenPoint = true
      } else {
        return nil
      }
    }
    if digits == 0 { return nil }
    return ExactDecimal(units: negative ? -units : units, scale: scale)
  }

  /// Parses a string; nil when it is not a plain decimal number.
  public static func parse(_ text: String) -> ExactDecimal? { parse(Array(text.utf8)) }

  /// The same value with trailing fractional zeros removed.
  public var normalized: ExactDecimal {
    var u = units
    var s = scale
    while s > 0 && u % 10 == 0 {
      u /= 10
      s -= 1
    }
    return ExactDecimal(units: u, scale: s)
  }

  /// The value expressed with a larger scale; nil on overflow.
  public func rescaled(to newScale: Int) -> Int64? {
    precondition(newScale >= scale)
    var u = units
    for _ in scale..<newScale {
      let (m, o) = u.multipliedReportingOverflow(by: 10)
      if o { return nil }
      u = m
    }
    return u
  }

  /// Whether the value is a whole number.
  public var isInteger: Bool { normalized.scale == 0 }

  /// The value as a `Double` (for display and statistics only).
  public var doubleValue: Double {
    var d = Double(units)
    for _ in 0..<scale { d /= 10 }
    return d
  }

  /// The exact decimal text, e.g. "12.50" for units 1250 at scale 2, "-0.5" for -5 at scale 1.
  public var description: String {
    if scale == 0 { return String(units) }
    // Written right to left into the string's storage: the scale's digits (zero-padded), the point,
    // then the whole part (at least "0") and the sign.
    var magnitude = units.magnitude
    let negative = units < 0
    var digits = 1
    var t = magnitude / 10
    while t > 0 {
      digits += 1
      t /= 10
    }
    let length = (negative ? 1 : 0) + max(digits, scale + 1) + 1
    return String(unsafeUninitializedCapacity: length) { out in
      var k = length
      for _ in 0..<scale {
        k -= 1
        out[k] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
      }
      k -= 1
      out[k] = UInt8(ascii: ".")
      repeat {
        k -= 1
        out[k] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
      } while magnitude > 0
      if negative { out[0] = UInt8(ascii: "-") }
      return length
    }
  }
}
