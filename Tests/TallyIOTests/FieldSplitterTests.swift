import Testing
import TallyCore

@testable import TallyIO

/// Splitting only the fields a reader needs (``_FieldSplitter/split(_:needing:)``) must agree with the
/// full split on every stored field, on the number of fields and on whether the last one is empty.
@Suite struct FieldSplitterTests {
  @Test("a prefix split agrees with the full split on random records, quotes and trailing separators")
  func prefixAgreesWithFull() {
    var rng = SplitMix64(seed: 31)
    let pieces = ["", "a", "12", "L010,L011", " x ", "\"q;r\"", "\"a\"\"b\"", "\"", "é", "1234567890abcdef", ";", ";;"]
    let full = _FieldSplitter()
    let prefix = _FieldSplitter()
    for _ in 0..<20_000 {
      let k = Int(rng.next() % 7)
      let text = (0...k).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined(separator: rng.next() % 5 == 0 ? "" : ";")
      let bytes = Array(text.utf8)
      bytes.withUnsafeBufferPointer { rec in
        full.split(rec)
        for needed in 1...4 {
          prefix.split(rec, needing: needed)
          #expect(prefix.count == full.count, "\(text) needing \(needed)")
          #expect(prefix.lastIsEmpty == full.lastIsEmpty, "\(text) needing \(needed)")
          for f in 0..<min(needed, full.count) {
            #expect(prefix.range(f) == full.range(f), "\(text) field \(f)")
            #expect(prefix.column(f, in: rec) == full.column(f, in: rec))
          }
        }
      }
    }
  }

  @Test("counting a byte eight at a time, stopping at another")
  func count() {
    var rng = SplitMix64(seed: 37)
    for _ in 0..<5_000 {
      let bytes = (0..<Int(rng.next() % 40)).map { _ in [UInt8(0x3B), 0x22, 0x61, 0xBB, 0x3A][Int(rng.next() % 5)] }
      let from = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
      let rest = bytes[from...]
      let expected: Int? = rest.contains(0x22) ? nil : rest.filter { $0 == 0x3B }.count
      let got = bytes.withUnsafeBufferPointer { b in
        _count(0x3B, in: b.baseAddress ?? UnsafePointer(bitPattern: 8)!, from: from, to: b.count, unless: 0x22)
      }
      #expect(got == expected, "\(bytes) from \(from)")
    }
  }

  @Test("a quoted field's doubled quotes read as one, as decoding the bytes and then undoubling does")
  func undoubled() {
    // The reference: decode (repairing invalid UTF-8), then replace "" with " from left to right.
    func reference(_ bytes: [UInt8]) -> String {
      var out: [Unicode.Scalar] = []
      let scalars = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
      var i = 0
      while i < scalars.count {
        out.append(scalars[i])
        i += scalars[i] == "\"" && i + 1 < scalars.count && scalars[i + 1] == "\"" ? 2 : 1
      }
      return String(String.UnicodeScalarView(out))
    }
    var rng = SplitMix64(seed: 41)
    let pieces: [[UInt8]] = [[0x22], [0x22, 0x22], [0x61], Array("é".utf8), [0xC3], [0xE2, 0x82], [0xFF], [0x80], Array("„x”".utf8)]
    for _ in 0..<20_000 {
      let bytes = (0..<Int(rng.next() % 9)).flatMap { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }
      let got = bytes.withUnsafeBufferPointer { _FieldSplitter.undoubled($0) }
      #expect(got == reference(bytes), "\(bytes)")
    }
    #expect([UInt8]("a\"\"\"b\"\"\"\"".utf8).withUnsafeBufferPointer { _FieldSplitter.undoubled($0) } == "a\"\"b\"\"")
  }

  @Test("trimmed fields and comma lists from the bytes are the decoded text trimmed of spaces and tabs as scalars")
  func trimmedAsScalars() {
    // The reference: decode the field (undoubling quotes), then trim U+0020 and U+0009 scalars.
    func scalarTrimmed(_ s: Substring.UnicodeScalarView) -> String {
      var s = s
      while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
      while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
      return String(s)
    }
    var rng = SplitMix64(seed: 43)
    let pieces = [" ", "\t", "a", ",", "\"", "\"\"", "é", "e\u{301}", " \u{301}", "\u{FFFD}", "x y", ";"]
    let raw: [[UInt8]] = [[0xC3], [0xE2, 0x82], [0x80], [0xFF]]
    let splitter = _FieldSplitter()
    for _ in 0..<20_000 {
      var bytes: [UInt8] = []
      for _ in 0..<Int(rng.next() % 8) {
        let k = Int(rng.next() % UInt64(pieces.count + raw.count))
        bytes += k < pieces.count ? Array(pieces[k].utf8) : raw[k - pieces.count]
      }
      bytes.withUnsafeBufferPointer { rec in
        splitter.split(rec)
        for f in 0..<splitter.count {
          let expected = scalarTrimmed(Substring(splitter.string(f, in: rec)).unicodeScalars)
          #expect(splitter.trimmedString(f, in: rec) == expected, "\(bytes) field \(f)")
          let list = expected.unicodeScalars.split(separator: ",").map { scalarTrimmed(Substring(String(String.UnicodeScalarView($0))).unicodeScalars) }.filter { !$0.isEmpty }
          #expect(_commaItems(expected) == list, "\(bytes) field \(f)")
        }
      }
    }
  }
}
