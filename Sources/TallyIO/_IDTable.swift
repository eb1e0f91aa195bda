#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Looks project ids up by their UTF-8 bytes without building a `String` per token.
struct _IDTable: Sendable {
  private var bytes: [UInt8] = []
  private var offsets: [Int] = [0]
  private var table: [Int32]
  private let mask: Int

  init(ids: [String]) {
    var size = 16
    while size < ids.count * 4 { size *= 2 }
    table = Array(repeating: -1, count: size)
    mask = size - 1
    for id in ids {
      bytes.append(contentsOf: id.utf8)
      offsets.append(bytes.count)
    }
    for i in ids.indices {
      var slot = Self.hash(bytes[offsets[i]..<offsets[i + 1]]) & mask
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
  func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
    var slot = Self.hash(key) & mask
    return bytes.withUnsafeBufferPointer { all -> Int32? in
      table.withUnsafeBufferPointer { t -> Int32? in
        offsets.withUnsafeBufferPointer { o -> Int32? in
          while true {
            let v = t[slot]
            if v < 0 { return nil }
            let lo = o[Int(v)]
            let n = o[Int(v) + 1] - lo
            if n == key.count && (n == 0 || memcmp(all.baseAddress! + lo, key.baseAddress!, n) == 0) { return v }
            slot = (slot + 1) & mask
          }
        }
      }
    }
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

/// A set of voter ids held as 128-bit fingerprints (two independent 64-bit hashes) in an open-addressing
/// table (load at most 1/2, so 16–64 bytes a voter). A false "duplicate" needs a 128-bit collision
/// (probability below 10^-24 for 10^7 voters). The fingerprint is already well mixed, so it indexes
/// the table directly (no second hash, unlike `Set`, whose SipHash dominated reading time).
struct _VoterSet {
  private var keys: [_VoterFingerprint]
  private var mask: Int
  private var count = 0

  init(capacity: Int = 1 << 12) {
    var size = 16
    while size < capacity * 2 { size *= 2 }
    keys = Array(repeating: _VoterFingerprint(a: 0, b: 0), count: size)
    mask = size - 1
  }

  /// Inserts the id; false when it was already there.
  mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var f = _VoterFingerprint(bytes)
    if f.a == 0 && f.b == 0 { f.b = 1 }  // (0, 0) marks an empty slot
    if (count + 1) * 2 > keys.count { grow() }
    return keys.withUnsafeMutableBufferPointer { k in
      var slot = Int(truncatingIfNeeded: f.a ^ (f.a >> 29)) & mask
      while true {
        let e = k[slot]
        if e.a == 0 && e.b == 0 {
          k[slot] = f
          count += 1
          return true
        }
        if e == f { return false }
        slot = (slot + 1) & mask
      }
    }
  }

  private mutating func grow() {
    let old = keys
    keys = Array(repeating: _VoterFingerprint(a: 0, b: 0), count: old.count * 2)
    mask = keys.count - 1
    for f in old where f.a != 0 || f.b != 0 {
      var slot = Int(truncatingIfNeeded: f.a ^ (f.a >> 29)) & mask
      while keys[slot].a != 0 || keys[slot].b != 0 { slot = (slot + 1) & mask }
      keys[slot] = f
    }
  }
}
