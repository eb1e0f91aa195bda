/// A JSON value with a deterministic writer: object keys sorted, numbers written exactly as given.
///
/// Tally writes its own JSON so that equal results are byte-identical and exact numbers (costs with
/// decimals, big integers, rationals rendered as decimals) are never rounded through `Double`.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  /// A number written verbatim; must be a valid JSON number literal.
  case number(String)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// An integer number.
  public static func int<I: BinaryInteger>(_ v: I) -> JSONValue { .number(String(v)) }

  /// A floating-point number; NaN and infinities (which JSON cannot hold) become `null`.
  public static func double(_ v: Double) -> JSONValue {
    guard v.isFinite else { return .null }
    if v == v.rounded(), abs(v) < 1e15 { return .number(String(Int64(v))) }
    return .number("\(v)")
  }

  /// An exact decimal.
  public static func decimal(_ v: ExactDecimal) -> JSONValue { .number(v.normalized.description) }

  /// Renders compact JSON with sorted keys (`pretty` adds two-space indentation).
  public func rendered(pretty: Bool = false) -> String {
    var out = ""
    write(to: &out, indent: pretty ? 0 : nil)
    return out
  }

  private func write(to out: inout String, indent: Int?) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += n
    case .string(let s): Self.writeString(s, to: &out)
    case .array(let a):
      if a.isEmpty {
        out += "[]"
        return
      }
      out += "["
      for (i, v) in a.enumerated() {
        if i > 0 { out += "," }
        if let indent { out += "\n" + String(repeating: "  ", count: indent + 1) }
        v.write(to: &out, indent: indent.map { $0 + 1 })
      }
      if let indent { out += "\n" + String(repeating: "  ", count: indent) }
      out += "]"
    case .object(let o):
      if o.isEmpty {
        out += "{}"
        return
      }
      out += "{"
      let keys = o.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      for (i, k) in keys.enumerated() {
        if i > 0 { out += "," }
        if let indent { out += "\n" + String(repeating: "  ", count: indent + 1) }
        Self.writeString(k, to: &out)
        out += indent == nil ? ":" : ": "
        o[k]!.write(to: &out, indent: indent.map { $0 + 1 })
      }
      if let indent { out += "\n" + String(repeating: "  ", count: indent) }
      out += "}"
    }
  }

  private static func writeString(_ s: String, to out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          let h = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    out += "\""
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, b in b }))
  }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .number(String(value)) }
}

extension JSONValue {
  /// Member access for objects (nil for other values or a missing key).
  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }
}

extension Rational {
  /// The value as JSON: an integer when whole, else a decimal with 12 significant fractional digits
  /// (the exact value is in `exact` fields where it matters).
  public var json: JSONValue {
    if denominator == 1 { return .number(numerator.description) }
    return .double(doubleValue)
  }
}
