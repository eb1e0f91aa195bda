import Testing
@testable import TallyIO

/// The election file's JSON parser: duplicate keys are found whatever the object's size (a linear
/// search while it is small, a set from 16 keys on).
@Suite struct JSONParserTests {
  private func object(_ keys: [String]) -> [UInt8] {
    Array(("{" + keys.enumerated().map { "\"\($1)\": \($0)" }.joined(separator: ", ") + "}").utf8)
  }

  @Test("objects of 1 to 40 distinct keys parse; a repeated key at any position is an error at its place")
  func duplicateKeys() throws {
    for n in 1...40 {
      let keys = (0..<n).map { "k\($0)" }
      let node = try _JSONParser.parse(object(keys), source: "e.json")
      guard case .object(let members) = node.value else { Issue.record("not an object"); return }
      #expect(members.map(\.key) == keys)
      for repeatAt in [0, n / 2, n - 1] {
        let bad = object(keys + [keys[repeatAt]])
        // The repeated key's column: after the n members before it, each `"kI": I, `.
        let column = 1 + 1 + keys.enumerated().map { "\"\($1)\": \($0), ".utf8.count }.reduce(0, +)
        #expect(throws: InputError.self) { try _JSONParser.parse(bad, source: "e.json") }
        do {
          _ = try _JSONParser.parse(bad, source: "e.json")
        } catch {
          #expect(error.location.column == column, "n \(n), repeated \(repeatAt)")
          #expect(error.reason == .invalidJSON("key '\(keys[repeatAt])' appears twice"))
        }
      }
    }
  }
}
