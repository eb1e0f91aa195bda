import CTallySystem
import TallyCore
import Testing
@testable import TallyIO

/// The input digest's SHA-256 (`TallyIO.SHA256` over `tally_sha256_blocks`) against FIPS 180-4's
/// examples and against digests computed independently (Python's hashlib, `sha256sum`).
@Suite struct SHA256Tests {
  private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
  }

  private func digest(_ bytes: [UInt8]) -> String {
    var h = SHA256()
    h.update(data: bytes)
    return hex(h.finalize())
  }

  @Test("FIPS 180-4 examples: empty, abc, the two-block message, a million a's")
  func fipsExamples() {
    #expect(digest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(digest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(digest([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  /// Bytes `(31 i + 7) mod 256`; the digests are Python's `hashlib.sha256` of the same bytes. The
  /// lengths sit on either side of the padding's edges (55, 56, 64, 119, 120 bytes).
  static let lengths: [(Int, String)] = [
    (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    (1, "ca358758f6d27e6cf45272937977a748fd88391db679ceda7dc7bf1f005ee879"),
    (3, "647674a296197442f518bcca323ec605dd8d098b2d4f22ee1fdcdd2bb753a189"),
    (55, "8aa994584139d128848eeebc4e815639ba5ab6e6e39574195a63ac4f14f7c43b"),
    (56, "ad574708f75c044c9b85de64cb568ee7711ff4f36448c6242f053ba8f6cc2b63"),
    (57, "5b46e502092be01b1100193e089fdda95638c12e19a1d24f308eb2c3d3ae849d"),
    (63, "280ed3e8ff1df845b2e7dfe6ac6cee817bef20e783cc65abc41b818b4d2fe076"),
    (64, "c6ab9724ade5b6a7a1edfffb12f3aa9181351355af8fd08c919952ad211339dd"),
    (65, "788367c73c7ddf4c53f65e68cc0d943e6227ab55b0e78ba63ace822b1c6301c0"),
    (119, "3d610547d68216dedf7435a4fb6260353911f6b3fd3f18805ddb8be285d726fe"),
    (120, "1f80156a804cb7862ad113e8200e9d74499723e7c7854d5f48776d3148e09656"),
    (127, "192409cd280e14b743642ad1343fbd3e82d9305de72c078117745a679210cc3d"),
    (128, "cc548ca2dec1f6fe4f58b2e27aa9c7521607df1130d140b55a4dad0665302356"),
    (1000, "5097e7d587352f5097062ae679f37bda5802d9f875aba14c8cb4d1a188ada179"),
    (100003, "2a1683cff214df29e77df156a515258190a1bc11526d41cd2b34e72a23b6b7d6"),
  ]

  private static func pattern(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) } }

  @Test("hashlib's digests at every padding edge, in one piece and in random pieces")
  func lengthsAndPieces() {
    var rng = SplitMix64(seed: 256)
    for (n, expected) in Self.lengths {
      let bytes = Self.pattern(n)
      #expect(digest(bytes) == expected, "length \(n)")
      for _ in 0..<8 {
        var h = SHA256()
        var at = 0
        while at < n {
          let piece = min(n - at, Int(rng.next() % 150))
          bytes.withUnsafeBytes { h.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[at..<at + piece])) }
          at += piece
        }
        #expect(hex(h.finalize()) == expected, "length \(n) in pieces")
      }
    }
  }

  @Test("a copy goes on from where the original was; finalize leaves the state as it was")
  func valueSemantics() {
    var a = SHA256()
    a.update(data: Array("hello ".utf8))
    var b = a
    b.update(data: Array("world".utf8))
    _ = a.finalize()
    a.update(data: Array("world".utf8))
    #expect(hex(a.finalize()) == hex(b.finalize()))
    #expect(hex(b.finalize()) == "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
  }

  @Test("the SHA extensions (when this CPU has them) and the portable code agree on random blocks")
  func extensionsAgreeWithPortable() {
    var rng = SplitMix64(seed: 180)
    for blocks in [1, 2, 3, 7, 16] {
      let data = (0..<64 * blocks).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      var s1: [UInt32] = (0..<8).map { _ in UInt32(truncatingIfNeeded: rng.next()) }
      var s2 = s1
      data.withUnsafeBufferPointer { d in
        tally_sha256_blocks(&s1, d.baseAddress!, blocks)
        tally_sha256_blocks_portable(&s2, d.baseAddress!, blocks)
      }
      #expect(s1 == s2, "\(blocks) blocks (extensions used: \(tally_sha256_uses_extensions() != 0))")
    }
  }
}
