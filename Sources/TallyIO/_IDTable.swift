/// Looks project ids up by their UTF-8 bytes without building a `String` per token.
struct _IDTable: Sendable {
  private var keys: [[UInt8]] = []
  private var table: [Int32]
  private let mask: Int

  init(ids: [String]) {
    var size = 16
    while size < ids.count * 4 { size *= 2 }
    table = Array(repeating: -1, count: size)
    mask = size - 1
    keys = ids.map { Array($0.utf8) }
    for (i, k) in keys.enumerated() {
      var slot = Self.hash(k) & mask
      while table[slot] >= 0 { slot = (slot + 1) & mask }
      table[slot] = Int32(i)
    }
  }

  @inline(__always)
  static func hash<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return Int(truncatingIfNeeded: h ^ (h >> 32))
  }

  /// The index of the id spelled by these bytes, or nil.
  func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
    var slot = Self.hash(bytes) & mask
    while true {
      let v = table[slot]
      if v < 0 { return nil }
      let k = keys[Int(v)]
      if k.count == bytes.count && k.withUnsafeBufferPointer({ memeq($0, bytes) }) { return v }
      slot = (slot + 1) & mask
    }
  }

  private func memeq(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
  }
}

/// A voter id's 128-bit fingerprint (two independent 64-bit hashes of its bytes).
struct _VoterFingerprint: Hashable, Comparable {
  var a: UInt64
  var b: UInt64

  /// The fingerprint of an id's bytes.
  @inline(__always)
  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    var a: UInt64 = 0xcbf2_9ce4_8422_2325
    var b: UInt64 = 0x9E37_79B9_7F4A_7C15
    for x in bytes {
      a = (a ^ UInt64(x)) &* 0x100_0000_01b3
      b = (b &+ UInt64(x)) &* 0xBF58_476D_1CE4_E5B9
      b ^= b >> 31
    }
    self.a = a
    self.b = b ^ UInt64(bytes.count)
  }

  init(a: UInt64, b: UInt64) {
    self.a = a
    self.b = b
  }

  static func < (x: Self, y: Self) -> Bool { x.a != y.a ? x.a < y.a : x.b < y.b }
}

/// A set of voter ids held as 128-bit fingerprints (two independent 64-bit hashes), 16 bytes a voter.
/// A false "duplicate" needs a 128-bit collision (probability below 10^-24 for 10^7 voters).
/// Open addressing over the two 64-bit halves (no per-insert hashing through `Hasher`).
struct _VoterSet {
  private var a: [UInt64]
  private var b: [UInt64]
  private var used: [Bool]
  private var mask: Int
  private var count = 0

  init() {
    a = Array(repeating: 0, count: 1024)
    b = a
    used = Array(repeating: false, count: 1024)
    mask = 1023
  }

  /// Inserts the id; false when it was already there.
  mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let f = _VoterFingerprint(bytes)
    let x = f.a
    let y = f.b
    var slot = Int(truncatingIfNeeded: x ^ (x >> 29)) & mask
    while used[slot] {
      if a[slot] == x && b[slot] == y { return false }
      slot = (slot + 1) & mask
    }
    used[slot] = true
    a[slot] = x
    b[slot] = y
    count += 1
    if count * 2 > used.count { grow() }
    return true
  }

  private mutating func grow() {
    let oldA = a
    let oldB = b
    let oldUsed = used
    let size = used.count * 2
    a = Array(repeating: 0, count: size)
    b = a
    used = Array(repeating: false, count: size)
    mask = size - 1
    for i in oldUsed.indices where oldUsed[i] {
      var slot = Int(truncatingIfNeeded: oldA[i] ^ (oldA[i] >> 29)) & mask
      while used[slot] { slot = (slot + 1) & mask }
      used[slot] = true
      a[slot] = oldA[i]
      b[slot] = oldB[i]
    }
  }
}
