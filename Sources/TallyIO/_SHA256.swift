import CTallySystem

/// SHA-256 (FIPS 180-4) of bytes given in pieces: the input digest every command records. A value:
/// a copy goes on from where the original was (the readers hash a file's head on one thread and hand
/// the state to another). The compression is C (`tally_sha256_blocks`: the x86 SHA extensions when
/// the CPU has them, else portable code); this type buffers partial blocks and pads.
///
/// (It replaced swift-crypto, used for nothing else: the first use of its generic digest types cost
/// ~0.1 ms of the runtime's type lookups in every process, and its BoringSSL build most of a clean
/// build's time.)
struct SHA256: Sendable {
  private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
  )
  /// The bytes of a block not yet complete (the first `buffered`).
  private var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
  private var buffered = 0
  /// Bytes hashed so far.
  private var length: UInt64 = 0

  init() {}

  mutating func update(bufferPointer data: UnsafeRawBufferPointer) {
    guard var p = data.baseAddress, data.count > 0 else { return }
    var n = data.count
    length &+= UInt64(n)
    let buffered = buffered
    var left = 0
    withUnsafeMutableBytes(of: &block) { blockBytes in
      let b = blockBytes.baseAddress!
      withUnsafeMutableBytes(of: &state) { stateBytes in
        let s = stateBytes.baseAddress!.assumingMemoryBound(to: UInt32.self)
        var have = buffered
        if have > 0 {
          let take = min(64 - have, n)
          (b + have).copyMemory(from: p, byteCount: take)
          have += take
          p += take
          n -= take
          if have < 64 {
            left = have
            return
          }
          tally_sha256_blocks(s, b.assumingMemoryBound(to: UInt8.self), 1)
        }
        let blocks = n / 64
        if blocks > 0 {
          tally_sha256_blocks(s, p.assumingMemoryBound(to: UInt8.self), blocks)
          p += blocks * 64
          n -= blocks * 64
        }
        if n > 0 { b.copyMemory(from: p, byteCount: n) }
        left = n
      }
    }
    self.buffered = left
  }

  mutating func update(data: [UInt8]) {
    data.withUnsafeBytes { update(bufferPointer: $0) }
  }

  /// The digest of everything given so far (32 bytes); the state is left as it was.
  func finalize() -> [UInt8] {
    var last = self
    let bits = length &* 8
    // 0x80, zeros up to 56 bytes into a block, then the length in bits, big-endian.
    var tail = [UInt8](repeating: 0, count: (buffered < 56 ? 56 : 120) - buffered + 8)
    tail[0] = 0x80
    for k in 0..<8 { tail[tail.count - 1 - k] = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k))) }
    last.update(data: tail)
    var out = [UInt8](repeating: 0, count: 32)
    withUnsafeBytes(of: last.state) { raw in
      for i in 0..<8 {
        let w = raw.load(fromByteOffset: 4 * i, as: UInt32.self)
        out[4 * i] = UInt8(truncatingIfNeeded: w >> 24)
        out[4 * i + 1] = UInt8(truncatingIfNeeded: w >> 16)
        out[4 * i + 2] = UInt8(truncatingIfNeeded: w >> 8)
        out[4 * i + 3] = UInt8(truncatingIfNeeded: w)
      }
    }
    return out
  }
}
