import Testing
@testable import TallyIO
import TallyCore

/// The duplicate-voter set must be exact: an id is "already seen" exactly when the same bytes were
/// inserted before, whichever path (numbered bitmap or hash table) an id takes.
@Suite struct VoterSetTests {
  /// Inserts every id and returns the answers, next to what a plain `Set` of byte strings says.
  private func answers(_ ids: [String]) -> (got: [Bool], want: [Bool]) {
    let set = _VoterSet(capacity: 4)
    var plain = Set<[UInt8]>()
    var got: [Bool] = []
    var want: [Bool] = []
    for id in ids {
      let b = Array(id.utf8)
      got.append(b.withUnsafeBufferPointer { set.insert($0) })
      want.append(plain.insert(b).inserted)
    }
    return (got, want)
  }

  @Test("one to eight digits read eight bytes at a time: the same value as one at a time, nil for a non-digit")
  func digitWords() {
    var rng = SplitMix64(seed: 17)
    let alphabet = Array("0123456789".utf8) + Array("/:a \u{0}".utf8) + [0x80, 0xFF, 0x3A, 0x2F]
    for _ in 0..<20000 {
      let n = 1 + Int(rng.next() % 8)
      let allDigits = rng.next() % 3 != 0
      let bytes = (0..<n).map { _ in allDigits ? UInt8(0x30 + rng.next() % 10) : alphabet[Int(rng.next() % UInt64(alphabet.count))] }
      var want: UInt64? = 0
      for b in bytes {
        guard let w = want, b >= 0x30, b <= 0x39 else { want = nil; break }
        want = w * 10 + UInt64(b - 0x30)
      }
      let got = bytes.withUnsafeBufferPointer { _VoterSet.digits($0.baseAddress!, n) }
      #expect(got == want, "\(bytes)")
    }
  }

  @Test("numbered ids with leading zeros, other widths and other prefixes stay distinct")
  func shapes() {
    let ids = [
      "G0000001", "G0000002", "G0000001", "G1", "G01", "G00000001", "H0000001", "0000001", "G0000002",
      "G1", "g0000001", "G000000A", "", "", "G 0000001", "G00000000000000000000001", "G0000001",
    ]
    let (got, want) = answers(ids)
    #expect(got == want)
  }

  @Test("plain numbers: no leading zeros on the bitmap, the rest in the table")
  func numbers() {
    let ids = ["1", "2", "01", "1", "0", "00", "0", "999999999999999999999", "999999999999999999999", "67108864", "67108863", "67108864", "2"]
    let (got, want) = answers(ids)
    #expect(got == want)
  }

  @Test("ten-digit ids (as in Łódź and Katowice) around the first one, far below and far above it")
  func largeNumbers() {
    var rng = SplitMix64(seed: 9)
    var ids = ["1401204197"]
    for _ in 0..<30_000 {
      switch rng.next() % 4 {
      case 0: ids.append(String(1_401_204_197 - Int(rng.next() % 40_000_000)))
      case 1: ids.append(String(1_401_204_197 + Int(rng.next() % 40_000_000)))
      case 2: ids.append(String(rng.next() % 1000))
      default: ids.append(String(1_401_204_000 + Int(rng.next() % 2000)))
      }
    }
    let (got, want) = answers(ids)
    #expect(got == want)
    #expect(want.contains(false))
  }

  @Test("two sets with the same shape: intersects finds a shared id on either path")
  func intersects() {
    func set(_ ids: [String]) -> _VoterSet {
      let s = Array("1401204197".utf8).withUnsafeBufferPointer { _VoterSet(capacity: 16, shapeFrom: $0) }
      for id in ids { _ = Array(id.utf8).withUnsafeBufferPointer { s.insert($0) } }
      return s
    }
    let a = set(["1401204197", "1401204198", "x1", "7"])
    #expect(!a.intersects(set(["1401204199", "x2", "8", "999999999999"])))
    #expect(a.intersects(set(["1401204198"])))
    #expect(a.intersects(set(["x1"])))
    #expect(a.intersects(set(["7"])))
    #expect(set(["5", "1401204197"]).intersects(a))
  }

  @Test("random ids of mixed shapes agree with a Set", arguments: [1, 2, 3, 4, 5] as [UInt64])
  func random(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var ids: [String] = []
    for _ in 0..<20_000 {
      let r = rng.next() % 6
      let n = rng.next() % 3000
      switch r {
      case 0: ids.append(String(n))
      case 1: ids.append("V" + String(n))
      case 2:
        let s = String(n)
        ids.append("V" + String(repeating: "0", count: max(0, 5 - s.count)) + s)
      case 3: ids.append("x\(n)-\(rng.next() % 3)")
      case 4: ids.append(String(repeating: "0", count: Int(rng.next() % 3)) + String(n))
      default: ids.append(String(rng.next() % 100_000_000))
      }
    }
    let (got, want) = answers(ids)
    #expect(got == want)
    #expect(want.contains(false))
  }

  @Test("fingerprints depend on every byte and on the length")
  func fingerprints() {
    func fp(_ s: [UInt8]) -> _VoterFingerprint { s.withUnsafeBufferPointer { _VoterFingerprint($0) } }
    #expect(fp([]) != fp([0]))
    #expect(fp([0]) != fp([0, 0]))
    #expect(fp(Array("voter-00000001".utf8)) != fp(Array("voter-00000002".utf8)))
    #expect(fp(Array("abcdefgh1".utf8)) != fp(Array("abcdefgh2".utf8)))
    #expect(fp(Array("same".utf8)) == fp(Array("same".utf8)))
  }
}

/// Project-id lookup by bytes: short ids are compared as a padded word plus length, long ones by bytes.
@Suite struct IDTableTests {
  @Test("every id is found, near misses are not")
  func lookups() {
    let ids = ["", "1", "10", "P001", "P0010", "abcdefgh", "abcdefghi", "abcdefgh-long-id-0001", "abcdefgh-long-id-0002", "ł", "\u{0}"]
    let table = _IDTable(ids: ids)
    func find(_ s: [UInt8]) -> Int32? { s.withUnsafeBufferPointer { table.lookup($0) } }
    for (i, id) in ids.enumerated() { #expect(find(Array(id.utf8)) == Int32(i), "\(id)") }
    for miss in ["2", "01", "P01", "P00100", "abcdefg", "abcdefgh\u{0}", "abcdefgh-long-id-0003", "abcdefgh-long-id-000", "l", "\u{0}\u{0}"] {
      #expect(find(Array(miss.utf8)) == nil, "\(miss)")
    }
  }

  @Test("random ids of every length up to 24 bytes")
  func random() {
    var rng = SplitMix64(seed: 7)
    var ids = Set<String>()
    while ids.count < 500 {
      let n = Int(rng.next() % 25)
      ids.insert(String((0..<n).map { _ in Character(Unicode.Scalar(UInt8(0x30 + rng.next() % 40))) }))
    }
    let list = ids.sorted()
    let table = _IDTable(ids: list)
    for (i, id) in list.enumerated() {
      #expect(Array(id.utf8).withUnsafeBufferPointer { table.lookup($0) } == Int32(i))
      let longer = Array((id + "x").utf8)
      if !ids.contains(id + "x") { #expect(longer.withUnsafeBufferPointer { table.lookup($0) } == nil) }
    }
  }
}
