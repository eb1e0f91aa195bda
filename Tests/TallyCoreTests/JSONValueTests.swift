import Testing
@testable import TallyCore

/// ``JSONValue/rendered(pretty:)``: strings escaped as RFC 8259 requires (quote, backslash and the
/// control characters; `\n`, `\r`, `\t` by name, the others as `\u00xx`), everything else as is.
@Suite struct JSONValueTests {
  /// The escaping, scalar by scalar, as the renderer did before it worked on UTF-8 bytes.
  static func reference(_ s: String) -> String {
    let named: [Unicode.Scalar: String] = ["\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"]
    var out = "\""
    for u in s.unicodeScalars {
      if let e = named[u] {
        out += e
      } else if u.value < 0x20 {
        let h = String(u.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
      } else {
        out.unicodeScalars.append(u)
      }
    }
    return out + "\""
  }

  @Test func fixedCases() {
    #expect(JSONValue.string("plain").rendered() == "\"plain\"")
    #expect(JSONValue.string("a\"b\\c").rendered() == #""a\"b\\c""#)
    #expect(JSONValue.string("l1\nl2\r\t\u{0}\u{1f}\u{7f}").rendered() == #""l1\nl2\r\t\u0000\u001f"# + "\u{7f}\"")
    #expect(JSONValue.string("Tężnia „Bezpieczne” 서울 🗳️").rendered() == "\"Tężnia „Bezpieczne” 서울 🗳️\"")
    #expect(JSONValue.object(["k\"ey": .string("v\n")]).rendered() == #"{"k\"ey":"v\n"}"#)
  }

  /// Random strings over quotes, backslashes, every control character, ASCII and multi-byte
  /// scalars: the same text as the reference, in keys and values, compact and pretty.
  @Test func randomStrings() {
    var rng = SplitMix64(seed: 8259)
    let pool: [Unicode.Scalar] =
      (0..<0x20).map { Unicode.Scalar($0)! } + ["\"", "\\", "a", "Z", " ", "/", "\u{7f}", "é", "ł", "„", "서", "\u{200b}", "🗳"]
    for _ in 0..<500 {
      var s = ""
      for _ in 0..<Int(rng.next() % 24) { s.unicodeScalars.append(pool[Int(rng.next() % UInt64(pool.count))]) }
      #expect(JSONValue.string(s).rendered() == Self.reference(s))
      #expect(JSONValue.object([s: .string(s)]).rendered() == "{" + Self.reference(s) + ":" + Self.reference(s) + "}")
      #expect(JSONValue.array([.string(s)]).rendered(pretty: true) == "[\n  " + Self.reference(s) + "\n]")
    }
  }
}
