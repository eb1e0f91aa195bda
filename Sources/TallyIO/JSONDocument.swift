import TallyCore

extension JSONValue {
  /// Parses one JSON document (RFC 8259, strict) into a value; numbers keep their literal text.
  /// Errors carry the line and column of the problem; a repeated key in an object is an error.
  public static func parse(_ bytes: [UInt8], source: String) throws(InputError) -> JSONValue {
    try _JSONParser.parse(bytes, source: source).jsonValue
  }
}

extension _JSONNode {
  /// The value without positions.
  var jsonValue: JSONValue {
    switch value {
    case .null: .null
    case .bool(let b): .bool(b)
    case .number(let n): .number(n)
    case .string(let s): .string(s)
    case .array(let a): .array(a.map(\.jsonValue))
    case .object(let members): .object(Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value.jsonValue) }))
    }
  }
}

/// The whole content of a file, with the readers' messages for a missing, unreadable or
/// directory path.
public func readWholeFile(_ path: String) throws(InputError) -> [UInt8] {
  try ElectionReader.readFile(path)
}
