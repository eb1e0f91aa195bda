import TallyCore

/// A JSON value with the line and column where it starts, so that every problem in an election file
/// can be reported at its place.
///
/// Numbers are kept as their literal text, so that a weight written `0.1` is read as exactly 1/10
/// (through ``ExactDecimal``) and never passes through `Double`. This is why elections are not parsed
/// with Foundation's `JSONSerialization`: it gives neither exact numbers nor the place of a value.
struct _JSONNode: Sendable {
  enum Value: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([_JSONNode])
    /// Members in file order (keys are unique: a repeated key is an error).
    case object([(key: String, keyLine: Int, keyColumn: Int, value: _JSONNode)])
  }

  var value: Value
  var line: Int
  var column: Int

  /// The member with this key, for objects.
  subscript(key: String) -> _JSONNode? {
    if case .object(let members) = value { return members.first { $0.key == key }?.value }
    return nil
  }

  /// The name of the value's JSON type, for messages.
  var typeName: String {
    switch value {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }
}

/// A small strict JSON parser (RFC 8259) that records positions and keeps number literals as text.
struct _JSONParser {
  private let bytes: [UInt8]
  private let source: String
  private var i = 0
  private var line = 1
  private var lineStart = 0
  private var depth = 0

  init(bytes: [UInt8], source: String) {
    self.bytes = bytes
    self.source = source
  }

  /// Parses one JSON document (a leading UTF-8 BOM is skipped).
  static func parse(_ bytes: [UInt8], source: String) throws(InputError) -> _JSONNode {
    var p = _JSONParser(bytes: bytes, source: source)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      p.i = 3
      p.lineStart = 3
    }
    p.skipSpace()
    if p.i >= bytes.count { throw InputError(.emptyInput, at: InputLocation(source: source, line: 0)) }
    let v = try p.value()
    p.skipSpace()
    if p.i < bytes.count { throw p.error("unexpected text after the JSON value") }
    return v
  }

  /// The last column computed and its byte offset, so that a long line is scanned once, not once
  /// per value (a one-line document of n values would otherwise take O(n²)).
  private var columnCache = (offset: 0, column: 1)

  /// The 1-based character column of the current position.
  private var column: Int {
    mutating get {
      var col = 1
      var k = lineStart
      if columnCache.offset > lineStart && columnCache.offset <= i {
        k = columnCache.offset
        col = columnCache.column
      }
      while k < i && k < bytes.count {
        if bytes[k] & 0xC0 != 0x80 { col += 1 }
        k += 1
      }
      columnCache = (k, col)
      return col
    }
  }

  private mutating func error(_ message: String) -> InputError {
    InputError(.invalidJSON(message), at: InputLocation(source: source, line: line, column: column))
  }

  private mutating func skipSpace() {
    while i < bytes.count {
      switch bytes[i] {
      case 0x20, 0x09, 0x0D: i += 1
      case 0x0A:
        i += 1
        line += 1
        lineStart = i
      default: return
      }
    }
  }

  private mutating func value() throws(InputError) -> _JSONNode {
    skipSpace()
    guard i < bytes.count else { throw error("unexpected end of input") }
    let l = line
    let c = column
    switch bytes[i] {
    case UInt8(ascii: "{"):
      depth += 1
      if depth > 200 { throw error("nesting deeper than 200 levels") }
      i += 1
      var members: [(key: String, keyLine: Int, keyColumn: Int, value: _JSONNode)] = []
      // Duplicate keys: a linear search while the object is small (an election file's objects have
      // a dozen keys; a set's first use cost ~0.04 ms of runtime type lookups before the files were
      // opened), a set from 16 keys on (a linear search alone would make n keys O(n²)).
      var keys: Set<String>? = nil
      skipSpace()
      if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
        i += 1
        depth -= 1
        return _JSONNode(value: .object(members), line: l, column: c)
      }
      while true {
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes") }
        let kl = line
        let kc = column
        let key = try string()
        let repeated: Bool
        if keys == nil && members.count < 16 {
          repeated = members.contains { $0.key == key }
        } else {
          if keys == nil { keys = Set(members.map(\.key)) }
          repeated = !keys!.insert(key).inserted
        }
        if repeated {
          throw InputError(.invalidJSON("key '\(key)' appears twice"), at: InputLocation(source: source, line: kl, column: kc))
        }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after '\(key)'") }
        i += 1
        let v = try value()
        members.append((key, kl, kc, v))
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end of input in an object") }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if bytes[i] == UInt8(ascii: "}") {
          i += 1
          break
        }
        throw error("expected ',' or '}' in an object")
      }
      depth -= 1
      return _JSONNode(value: .object(members), line: l, column: c)
    case UInt8(ascii: "["):
      depth += 1
      if depth > 200 { throw error("nesting deeper than 200 levels") }
      i += 1
      var items: [_JSONNode] = []
      skipSpace()
      if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
        i += 1
        depth -= 1
        return _JSONNode(value: .array(items), line: l, column: c)
      }
      while true {
        items.append(try value())
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end of input in an array") }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if bytes[i] == UInt8(ascii: "]") {
          i += 1
          break
        }
        throw error("expected ',' or ']' in an array")
      }
      depth -= 1
      return _JSONNode(value: .array(items), line: l, column: c)
    case UInt8(ascii: "\""):
      return _JSONNode(value: .string(try string()), line: l, column: c)
    case UInt8(ascii: "t"):
      try literal("true")
      return _JSONNode(value: .bool(true), line: l, column: c)
    case UInt8(ascii: "f"):
      try literal("false")
      return _JSONNode(value: .bool(false), line: l, column: c)
    case UInt8(ascii: "n"):
      try literal("null")
      return _JSONNode(value: .null, line: l, column: c)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return _JSONNode(value: .number(try number()), line: l, column: c)
    default:
      let b = bytes[i]
      let shown = b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x" + String(b, radix: 16, uppercase: true)
      throw error("unexpected character \(shown)")
    }
  }

  private mutating func literal(_ word: String) throws(InputError) {
    let w = Array(word.utf8)
    guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else {
      throw error("invalid literal (expected \(word))")
    }
    i += w.count
  }

  private mutating func number() throws(InputError) -> String {
    let start = i
    func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    guard i < bytes.count, digit(bytes[i]) else { throw error("invalid number") }
    if bytes[i] == 0x30 {
      i += 1
    } else {
      while i < bytes.count && digit(bytes[i]) { i += 1 }
    }
    if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
      i += 1
      guard i < bytes.count, digit(bytes[i]) else { throw error("invalid number: digits expected after '.'") }
      while i < bytes.count && digit(bytes[i]) { i += 1 }
    }
    if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
      i += 1
      if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
      guard i < bytes.count, digit(bytes[i]) else { throw error("invalid number: digits expected in the exponent") }
      while i < bytes.count && digit(bytes[i]) { i += 1 }
    }
    return String(decoding: bytes[start..<i], as: UTF8.self)
  }

  private mutating func string() throws(InputError) -> String {
    i += 1  // opening quote
    var out: [UInt8] = []
    while true {
      guard i < bytes.count else { throw error("unterminated string") }
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        i += 1
        break
      }
      if b < 0x20 { throw error("control character in a string (escape it)") }
      if b != UInt8(ascii: "\\") {
        out.append(b)
        i += 1
        continue
      }
      i += 1
      guard i < bytes.count else { throw error("unterminated escape") }
      let e = bytes[i]
      i += 1
      switch e {
      case UInt8(ascii: "\""): out.append(0x22)
      case UInt8(ascii: "\\"): out.append(0x5C)
      case UInt8(ascii: "/"): out.append(0x2F)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var code = try hex4()
        if code >= 0xD800 && code < 0xDC00 {
          guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
            throw error("unpaired surrogate in \\u escape")
          }
          i += 2
          let low = try hex4()
          guard low >= 0xDC00 && low < 0xE000 else { throw error("unpaired surrogate in \\u escape") }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if code >= 0xDC00 && code < 0xE000 {
          throw error("unpaired surrogate in \\u escape")
        }
        out.append(contentsOf: String(Character(Unicode.Scalar(code)!)).utf8)
      default: throw error("invalid escape '\\\(String(decoding: [e], as: UTF8.self))'")
      }
    }
    guard let s = String(validating: out, as: UTF8.self) else {
      throw error("string is not valid UTF-8")
    }
    return s
  }

  private mutating func hex4() throws(InputError) -> UInt32 {
    guard i + 4 <= bytes.count else { throw error("incomplete \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[i]
      let d: UInt32
      switch b {
      case 0x30...0x39: d = UInt32(b - 0x30)
      case 0x41...0x46: d = UInt32(b - 0x41 + 10)
      case 0x61...0x66: d = UInt32(b - 0x61 + 10)
      default: throw error("invalid \\u escape")
      }
      v = v * 16 + d
      i += 1
    }
    return v
  }
}
