// attaswift/BigInt, an independent implementation, as the oracle for TallyCore's BigInt. This file
// imports only that library, so `BigInt` and `BigUInt` here are its types; values cross over as words
// and a sign.
import BigInt

/// A signed value as words (least significant first, no high zero words) and a sign.
struct _OracleValue: Equatable, CustomStringConvertible {
  var words: [UInt]
  var negative: Bool

  init(words: [UInt], negative: Bool) {
    var w = words
    while let l = w.last, l == 0 { w.removeLast() }
    self.words = w
    self.negative = negative && !w.isEmpty
  }

  var description: String { (negative ? "-" : "") + "\(words)" }
}

/// The oracle's answers.
enum _Oracle {
  private static func big(_ v: _OracleValue) -> BigInt {
    BigInt(sign: v.negative ? .minus : .plus, magnitude: BigUInt(words: v.words))
  }

  private static func value(_ b: BigInt) -> _OracleValue {
    _OracleValue(words: Array(b.magnitude.words), negative: b.sign == .minus)
  }

  /// `a op b` for op in + - * / % (truncating division); nil for a division by zero.
  static func apply(_ op: Character, _ a: _OracleValue, _ b: _OracleValue) -> _OracleValue? {
    let (x, y) = (big(a), big(b))
    switch op {
    case "+": return value(x + y)
    case "-": return value(x - y)
    case "*": return value(x * y)
    case "/": return y.isZero ? nil : value(x / y)
    case "%": return y.isZero ? nil : value(x % y)
    default: fatalError("unknown operator \(op)")
    }
  }

  /// The magnitude shifted left by `k` bits, sign kept.
  static func shiftedLeft(_ a: _OracleValue, _ k: Int) -> _OracleValue {
    _OracleValue(words: Array((BigUInt(words: a.words) << k).words), negative: a.negative)
  }

  /// The magnitude shifted right by `k` bits, sign kept.
  static func shiftedRight(_ a: _OracleValue, _ k: Int) -> _OracleValue {
    _OracleValue(words: Array((BigUInt(words: a.words) >> k).words), negative: a.negative)
  }

  static func less(_ a: _OracleValue, _ b: _OracleValue) -> Bool { big(a) < big(b) }
  static func text(_ a: _OracleValue) -> String { big(a).description }
  static func double(_ a: _OracleValue) -> Double { Double(big(a)) }
  static func power(_ a: _OracleValue, _ e: Int) -> _OracleValue { value(big(a).power(e)) }
  static func gcd(_ a: _OracleValue, _ b: _OracleValue) -> _OracleValue {
    _OracleValue(words: Array(BigUInt(words: a.words).greatestCommonDivisor(with: BigUInt(words: b.words)).words), negative: false)
  }
  static func bitWidth(_ a: _OracleValue) -> Int { big(a).bitWidth }
}
