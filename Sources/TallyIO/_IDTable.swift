#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Looks project ids up by their UTF-8 bytes without building a `String` per token.
///
/// Ids of at most 8 bytes (the usual case: "P001", "1234") are compared as one zero-padded word and
/// their length, in a table of their own whose slots hold both (one cache line read a probe, load at
/// most 1/3); longer ids by their bytes, in a table of indices (load at most 1/4). Open addressing.
/// Immutable after `init`, so threads reading parts of one file share it.
final class _IDTable: @unchecked Sendable {
  private let bytes: UnsafeMutablePointer<UInt8>
  private let offsets: UnsafeMutablePointer<Int>
  /// Per id: its zero-padded first 8 bytes.
  private let words: UnsafeMutablePointer<UInt64>
  /// Per id: its length in bytes.
  private let lengths: UnsafeMutablePointer<Int>
  private let table: UnsafeMutablePointer<Int32>
  private let mask: Int
  private let count: Int
  /// The short ids' table: slot s is words `2s` (the id's zero-padded word) and `2s + 1` (its
  /// length + 1 in the high half, its index in the low half; 0 for an empty slot).
  private let short: UnsafeMutablePointer<UInt64>
  private let shortShift: UInt64
  private let shortMask: Int

  init(ids: [String]) {
    count = ids.count
    var size = 16
    while size < ids.count * 4 { size *= 2 }
    mask = size - 1
    let all = ids.flatMap { Array($0.utf8) }
    bytes = .allocate(capacity: max(all.count, 1))
    bytes.initialize(from: all, count: all.count)
    offsets = .allocate(capacity: ids.count + 1)
    words = .allocate(capacity: max(ids.count, 1))
    lengths = .allocate(capacity: max(ids.count, 1))
    table = .allocate(capacity: size)
    table.initialize(repeating: -1, count: size)
    var o = 0
    offsets[0] = 0
    for (i, id) in ids.enumerated() {
      o += id.utf8.count
      offsets[i + 1] = o
    }
    var shortSize = 16
    while shortSize < ids.count * 3 { shortSize *= 2 }
    shortMask = shortSize - 1
    shortShift = UInt64(64 - shortSize.trailingZeroBitCount)
    short = .allocate(capacity: 2 * shortSize)
    short.initialize(repeating: 0, count: 2 * shortSize)
    for i in 0..<ids.count {
      let key = UnsafeBufferPointer(start: bytes + offsets[i], count: offsets[i + 1] - offsets[i])
      words[i] = Self.head(key)
      lengths[i] = key.count
      var slot = Self.hash(key) & mask
      while table[slot] >= 0 { slot = (slot + 1) & mask }
      table[slot] = Int32(i)
      if key.count <= 8 {
        var s = Self.shortSlot(words[i], key.count, shift: shortShift)
        while short[2 * s + 1] != 0 { s = (s + 1) & shortMask }
        short[2 * s] = words[i]
        short[2 * s + 1] = UInt64(key.count + 1) << 32 | UInt64(i)
      }
    }
  }

  /// The short-id table's slot for a zero-padded word and length: the top bits of a multiplicative
  /// hash.
  @inline(__always)
  fileprivate static func shortSlot(_ word: UInt64, _ n: Int, shift: UInt64) -> Int {
    Int(truncatingIfNeeded: ((word ^ UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15) &* 0xD6E8_FEB8_6659_FD93) &>> shift)
  }

  /// The index of the id of `n` (at most 8) bytes whose zero-padded little-endian word is `word`, or nil.
  @inline(__always)
  func lookup(word: UInt64, length n: Int) -> Int32? {
    shortIDs.lookup(word: word, length: n)
  }

  /// The short ids' table as a value, for a loop that looks many ids up: its three fields stay in
  /// registers, where the table's own fields would be loaded again for every id.
  var shortIDs: ShortIDs { ShortIDs(short: short, shift: shortShift, mask: shortMask) }

  struct ShortIDs {
    fileprivate let short: UnsafeMutablePointer<UInt64>
    fileprivate let shift: UInt64
    fileprivate let mask: Int

    /// ``_IDTable/lookup(word:length:)``.
    @inline(__always)
    func lookup(word: UInt64, length n: Int) -> Int32? {
      // (Wrapping arithmetic: the slot is below the table's size, and n at most 8.)
      var s = _IDTable.shortSlot(word, n, shift: shift)
      let want = UInt64(truncatingIfNeeded: n &+ 1) &<< 32
      while true {
        let info = short[2 &* s &+ 1]
        if info == 0 { return nil }
        if short[2 &* s] == word && info & 0xFFFF_FFFF_0000_0000 == want { return Int32(truncatingIfNeeded: info) }
        s = (s &+ 1) & mask
      }
    }
  }

  deinit {
    bytes.deallocate()
    offsets.deallocate()
    words.deallocate()
    lengths.deallocate()
    table.deallocate()
    short.deallocate()
  }

  /// The first (up to) 8 bytes as a zero-padded word.
  @inline(__always)
  private static func head(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    guard let p = key.baseAddress else { return 0 }
    return key.count >= 8 ? UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) : _WordHash.tail(p, key.count)
  }

  /// The hash of an id of at most 8 bytes, from its zero-padded word and its length.
  @inline(__always)
  private static func shortHash(_ word: UInt64, _ n: Int) -> Int {
    Int(truncatingIfNeeded: _WordHash.mum(word ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15), 0xa076_1d64_78bd_642f))
  }

  @inline(__always)
  private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
    key.count <= 8 ? shortHash(head(key), key.count) : Int(truncatingIfNeeded: _WordHash.hash(key, seed: 0x9E37_79B9_7F4A_7C15))
  }

  /// The index of the id spelled by these bytes, or nil.
  @inline(__always)
  func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
    let n = key.count
    guard n <= 8, let p = key.baseAddress else { return lookupLong(key) }
    // An id of at most 8 bytes (the usual case), inlined into the readers' loops: its zero-padded
    // word and its length identify it.
    return lookup(word: n == 8 ? UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) : _WordHash.tail(p, n), length: n)
  }

  /// ``lookup(_:)`` for ids longer than 8 bytes (and an empty buffer without storage).
  @inline(never)
  private func lookupLong(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
    let n = key.count
    let w = Self.head(key)
    var slot = Self.hash(key) & mask
    while true {
      let v = table[slot]
      if v < 0 { return nil }
      let i = Int(v)
      if words[i] == w && offsets[i + 1] - offsets[i] == n
        && (n <= 8 || memcmp(bytes + offsets[i], key.baseAddress!, n) == 0)
      {
        return v
      }
      slot = (slot + 1) & mask
    }
  }
}

/// Word-at-a-time hashing of short byte strings (voter ids): each 8-byte word is mixed in with a
/// 64×64→128-bit multiply (the folded product), the length is mixed in last.
enum _WordHash {
  @inline(__always)
  static func mum(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let (hi, lo) = a.multipliedFullWidth(by: b)
    return hi ^ lo
  }

  /// The little-endian word of the `n <= 8` bytes at `p`, zero-padded (0 when `p` is nil or `n` is 0).
  @inline(__always)
  static func word(_ p: UnsafePointer<UInt8>?, _ n: Int) -> UInt64 {
    guard let p, n > 0 else { return 0 }
    return n >= 8 ? UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) : tail(p, n)
  }

  /// The little-endian word of the `n < 8` bytes at `p`, zero-padded.
  @inline(__always)
  static func tail(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    // Two overlapping 4-byte loads (or smaller) instead of a loop over the bytes.
    if n >= 4 {
      let lo = UInt64(UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
      let hi = UInt64(UnsafeRawPointer(p + n - 4).loadUnaligned(as: UInt32.self))
      return lo | hi << (8 * UInt64(n - 4))
    }
    var w: UInt64 = 0
    var k = 0
    while k < n {
      w |= UInt64(p[k]) << (8 * UInt64(k))
      k += 1
    }
    return w
  }

  /// A 64-bit hash of the bytes under `seed`.
  @inline(__always)
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
    var h = seed
    let n = bytes.count
    guard let p = bytes.baseAddress else { return mum(h ^ 0xe703_7ed1_a0b4_28db, 0x8ebc_6af0_9c88_c6e3) }
    var i = 0
    while i + 8 <= n {
      let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
      h = mum(h ^ w ^ 0xa076_1d64_78bd_642f, 0xe703_7ed1_a0b4_28db)
      i += 8
    }
    if i < n { h = mum(h ^ tail(p + i, n - i) ^ 0x8ebc_6af0_9c88_c6e3, 0x5899_65cc_7537_4cc3) }
    return mum(h ^ UInt64(n) ^ 0x1d8e_4e27_c47d_124f, 0xa076_1d64_78bd_642f)
  }
}

/// A voter id's 128-bit fingerprint (two independently seeded 64-bit hashes of its bytes), used by
/// the external (sort-based) duplicate-voter check, which keeps fingerprints instead of ids.
struct _VoterFingerprint: Hashable, Comparable {
  var a: UInt64
  var b: UInt64

  /// The fingerprint of an id's bytes.
  @inline(__always)
  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    a = _WordHash.hash(bytes, seed: 0x243f_6a88_85a3_08d3)
    b = _WordHash.hash(bytes, seed: 0x1319_8a2e_0370_7344)
  }

  init(a: UInt64, b: UInt64) {
    self.a = a
    self.b = b
  }

  static func < (x: Self, y: Self) -> Bool { x.a != y.a ? x.a < y.a : x.b < y.b }
}

/// An exact set of voter ids: the ids' bytes are kept in an arena and indexed by an open-addressing
/// table of 64-bit entries (a 32-bit hash tag and the id's number), load at most 1/2. Two ids are the
/// same voter only when their bytes are equal, so no hash collision can void a ballot. About 16 bytes
/// of table plus the id's bytes and an offset per voter.
final class _VoterSet {
  private var slots: UnsafeMutablePointer<UInt64>
  private var mask: Int
  private var arena: UnsafeMutablePointer<UInt8>
  private var arenaCapacity: Int
  private var arenaCount = 0
  /// offsets[k]..<offsets[k+1] are voter k's bytes.
  private var offsets: UnsafeMutablePointer<Int>
  private var offsetCapacity: Int
  private(set) var count = 0
  private static let seed: UInt64 = 0x4528_21e6_38d0_1377

  /// `capacity` is the expected number of voters; the hash table is sized for at most 4,096 ids
  /// (numbered ids never reach it) and doubles as needed. It takes that size, and the ids' storage
  /// theirs, at the first id that is not numbered: until then they are a few bytes (a reader's set
  /// often never holds such an id, and 64 KiB of table, zeroed, were 16 fresh pages).
  init(capacity: Int = 1 << 12) {
    let capacity = min(capacity, 1 << 12)
    var size = 16
    while size < capacity * 2 { size *= 2 }
    plannedSlots = size
    plannedIDs = max(capacity, 16)
    slots = .allocate(capacity: 16)
    slots.initialize(repeating: 0, count: 16)
    mask = 15
    offsetCapacity = 17
    offsets = .allocate(capacity: offsetCapacity)
    offsets[0] = 0
    arenaCapacity = 16 * 12
    arena = .allocate(capacity: arenaCapacity)
  }

  /// The hash table's size and the number of ids its storage holds from the first id that is not
  /// numbered.
  private let plannedSlots: Int
  private let plannedIDs: Int

  /// Gives the empty hash table and the ids' storage their planned sizes.
  private func takePlannedSizes() {
    let fresh = UnsafeMutablePointer<UInt64>.allocate(capacity: plannedSlots)
    fresh.initialize(repeating: 0, count: plannedSlots)
    slots.deallocate()
    slots = fresh
    mask = plannedSlots - 1
    offsets.deallocate()
    offsetCapacity = plannedIDs + 1
    offsets = .allocate(capacity: offsetCapacity)
    offsets[0] = 0
    arena.deallocate()
    arenaCapacity = plannedIDs * 12
    arena = .allocate(capacity: arenaCapacity)
  }

  deinit {
    bits?.deallocate()
    slots.deallocate()
    arena.deallocate()
    offsets.deallocate()
  }

  // Numbered ids (`1`, `2`, ..., `G0000001`, ... or `1401204197`, ...): the common case gets a bitmap
  // indexed by the number (within 2^26 of the first id's), which stays in cache where a hash table of
  // 10^5 voters does not. The first id fixes the
  // shape: a prefix of non-digits, then digits, either with a fixed width (when it has a leading zero)
  // or without leading zeros. An id of that shape maps to (prefix, width, number) one to one, so the
  // bitmap and the table never hold the same id twice: every id always takes the same path.
  private var shapeKnown = false
  private var prefix: [UInt8]? = nil {
    didSet {
      prefixLength = prefix?.count ?? -1
      prefixWord = prefix.map { p in p.withUnsafeBufferPointer { $0.count <= 8 ? _WordHash.word($0.baseAddress, $0.count) : 0 } } ?? 0
    }
  }
  /// The prefix's length (-1 when numbered ids are off) and, when it is at most 8 bytes long, its
  /// zero-padded word: what ``number(_:)`` compares.
  private var prefixLength = -1
  private var prefixWord: UInt64 = 0
  private var fixedWidth = 0  // 0: no leading zeros allowed
  /// The bitmap covers the numbers origin ..< origin + bitLimit (fixed by the first id, which sits in
  /// its middle unless it is near 0); words lo ..< lo + bitWords of it are allocated, growing either way.
  private var origin: UInt64 = 0
  private var bits: UnsafeMutablePointer<UInt64>? = nil
  private var lo = 0
  private var bitWords = 0
  /// The largest number the bitmap covers (2^26 ids, 8 MiB).
  private static let bitLimit: UInt64 = 1 << 26

  /// The id's number when it has the shape fixed by the first id and fits the bitmap.
  @inline(always)
  private func number(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
    if !shapeKnown { learnShape(bytes) }
    let pn = prefixLength
    guard pn >= 0, let base = bytes.baseAddress else { return nil }
    let n = bytes.count
    let dn = n - pn
    guard dn >= 1, dn <= 18 else { return nil }
    if fixedWidth > 0 ? dn != fixedWidth : (dn > 1 && base[pn] == 0x30) { return nil }
    if n <= 8 {
      // The usual case ("G0000001", "1401204197" is longer): the whole id in one word, its prefix
      // in the low bytes and its digits above.
      let w = _WordHash.word(base, n)
      let prefixBits = UInt64(8 * pn)
      guard w & ((1 &<< prefixBits) &- 1) == prefixWord, let d = _VoterSet.digits(word: w &>> prefixBits, dn) else { return nil }
      return d >= origin && d - origin < _VoterSet.bitLimit ? d - origin : nil
    }
    if pn <= 8 {
      if _WordHash.word(base, pn) != prefixWord { return nil }
    } else {
      guard let prefix, prefix.withUnsafeBufferPointer({ memcmp(base, $0.baseAddress!, pn) == 0 }) else { return nil }
    }
    var v: UInt64 = 0
    if dn <= 8 {
      guard let d = _VoterSet.digits(base + pn, dn) else { return nil }
      v = d
    } else if dn <= 16 {
      guard let high = _VoterSet.digits(base + pn, dn - 8), let low = _VoterSet.digits(base + n - 8, 8) else { return nil }
      v = high * 100_000_000 + low
    } else {
      var k = pn
      while k < n {
        let d = base[k] &- 0x30
        if d > 9 { return nil }
        v = v * 10 + UInt64(d)
        k += 1
      }
    }
    return v >= origin && v - origin < _VoterSet.bitLimit ? v - origin : nil
  }

  /// The value of the `n` (1 to 8) decimal digits at `p`, nil when one is not a digit: eight bytes
  /// at once (the digits are padded with leading '0's to a word, checked bytewise, then summed in
  /// lanes of 2, 4 and 8 digits; no lane overflows).
  @inline(__always)
  static func digits(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64? {
    digits(word: _WordHash.word(p, n), n)
  }

  /// ``digits(_:_:)`` of the `n` (1 to 8) bytes of a zero-padded little-endian word.
  @inline(__always)
  static func digits(word: UInt64, _ n: Int) -> UInt64? {
    var w = word
    let pad = UInt64(8 * (8 - n))
    if pad > 0 { w = w << pad | 0x3030_3030_3030_3030 >> (64 - pad) }
    let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
    let zeros: UInt64 = 0x3030_3030_3030_3030
    guard w & high == zeros, (w &+ 0x0606_0606_0606_0606) & high == zeros else { return nil }
    var x = w &- zeros
    x = (x &* 10 &+ x >> 8) & 0x00FF_00FF_00FF_00FF
    x = (x &* 100 &+ x >> 16) & 0x0000_FFFF_0000_FFFF
    x = (x &* 10000 &+ x >> 32) & 0x0000_0000_FFFF_FFFF
    return x
  }

  private func learnShape(_ bytes: UnsafeBufferPointer<UInt8>) {
    shapeKnown = true
    var k = bytes.count
    while k > 0 && bytes[k - 1] >= 0x30 && bytes[k - 1] <= 0x39 { k -= 1 }
    let dn = bytes.count - k
    guard dn >= 1, dn <= 18 else { return }
    for i in 0..<k where bytes[i] >= 0x30 && bytes[i] <= 0x39 { return }
    prefix = Array(bytes[0..<k])
    fixedWidth = dn > 1 && bytes[k] == 0x30 ? dn : 0
    var v: UInt64 = 0
    for i in k..<bytes.count { v = v * 10 + UInt64(bytes[i] - 0x30) }
    origin = v > _VoterSet.bitLimit / 2 ? v - _VoterSet.bitLimit / 2 : 0
  }

  /// A set whose numbered-id shape is fixed by `shapeFrom` (so that sets filled from parts of one
  /// file can be compared with ``intersects(_:)``).
  convenience init(capacity: Int, shapeFrom first: UnsafeBufferPointer<UInt8>) {
    self.init(capacity: capacity)
    learnShape(first)
  }

  /// Whether the id is in the set.
  func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    if let v = number(bytes) {
      let w = Int(v >> 6)
      return w >= lo && w < lo + bitWords && bits![w - lo] & (1 << (v & 63)) != 0
    }
    return find(bytes, _WordHash.hash(bytes, seed: _VoterSet.seed)).found
  }

  /// Whether the two sets share an id. Conservatively true when their numbered-id shapes differ.
  func intersects(_ other: _VoterSet) -> Bool {
    if shapeKnown != other.shapeKnown || prefix != other.prefix || fixedWidth != other.fixedWidth || origin != other.origin {
      return true
    }
    if let a = bits, let b = other.bits {
      for w in max(lo, other.lo)..<max(max(lo, other.lo), min(lo + bitWords, other.lo + other.bitWords))
      where a[w - lo] & b[w - other.lo] != 0 { return true }
    }
    for k in 0..<other.count {
      let id = UnsafeBufferPointer(start: other.arena + other.offsets[k], count: other.offsets[k + 1] - other.offsets[k])
      if contains(id) { return true }
    }
    return false
  }

  /// The ids in both sets, as a set of the same numbered-id shape.
  /// - Precondition: both sets have the same shape (``intersects(_:)`` compares them).
  func common(with other: _VoterSet) -> _VoterSet {
    let out = _VoterSet(capacity: 16)
    out.shapeKnown = shapeKnown
    out.prefix = prefix
    out.fixedWidth = fixedWidth
    out.origin = origin
    if let a = bits, let b = other.bits {
      for w in max(lo, other.lo)..<max(max(lo, other.lo), min(lo + bitWords, other.lo + other.bitWords)) {
        let both = a[w - lo] & b[w - other.lo]
        if both == 0 { continue }
        if out.bits == nil || w >= out.lo + out.bitWords { out.growBits(to: w) }
        out.bits![w - out.lo] = both
        out.bitCount += both.nonzeroBitCount
      }
    }
    for k in 0..<other.count {
      let id = UnsafeBufferPointer(start: other.arena + other.offsets[k], count: other.offsets[k + 1] - other.offsets[k])
      if contains(id) { _ = out.insert(id) }
    }
    return out
  }

  /// The number of numbered ids held (in the bitmap).
  private var bitCount = 0

  /// The number of ids held.
  var size: Int { bitCount + count }

  /// The slot holding the id (found) or the empty slot where it would go.
  @inline(__always)
  private func find(_ bytes: UnsafeBufferPointer<UInt8>, _ h: UInt64) -> (found: Bool, slot: Int) {
    let tag = h >> 32
    let n = bytes.count
    var slot = Int(truncatingIfNeeded: h) & mask
    while true {
      let e = slots[slot]
      if e == 0 { return (false, slot) }
      if e >> 32 == tag {
        let k = Int(e & 0xFFFF_FFFF) - 1
        let lo = offsets[k]
        if offsets[k + 1] - lo == n && (n == 0 || memcmp(arena + lo, bytes.baseAddress!, n) == 0) { return (true, slot) }
      }
      slot = (slot + 1) & mask
    }
  }

  /// Inserts the id; false when it was already there.
  @inline(always)
  func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { insertKeyed(bytes) != nil }

  /// A 64-bit key of an id under this set's shape: its bitmap position (top bit set) when it is
  /// numbered, else its hash (top bit clear). Equal ids have equal keys; different ids may share one.
  @inline(__always)
  private static func key(number v: UInt64?, hash h: @autoclosure () -> UInt64) -> UInt64 {
    v.map { $0 | 1 << 63 } ?? h() & ~(1 << 63)
  }

  /// Inserts the id: its key (see ``keys()``) when it was not there yet, nil when it was. A numbered
  /// id is set in the bitmap here, inlined into the readers' loops (`@inline(always)`, as
  /// ``number(_:)`` and ``insert(_:)``: with the row scanner inlined there too, `@inline(__always)`
  /// left it a call); any other goes to ``insertHashed(_:)``. (The class names its static members as
  /// `_VoterSet.`, not `Self.`: a method that refers to the dynamic `Self` cannot be inlined.)
  @inline(always)
  func insertKeyed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
    if let v = number(bytes) {
      let w = Int(v >> 6)
      if bits == nil || w < lo || w >= lo + bitWords { growBits(to: w) }
      let m: UInt64 = 1 << (v & 63)
      let word = bits! + (w - lo)
      if word.pointee & m != 0 { return nil }
      word.pointee |= m
      bitCount += 1
      return _VoterSet.key(number: v, hash: 0)
    }
    return insertHashed(bytes)
  }

  /// ``insertKeyed(_:)`` for an id that is not numbered: in the hash table.
  @inline(never)
  private func insertHashed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
    if count == 0 && mask + 1 < plannedSlots { takePlannedSizes() }
    let h = _WordHash.hash(bytes, seed: _VoterSet.seed)
    let tag = h >> 32
    let n = bytes.count
    let (found, slot) = find(bytes, h)
    if found { return nil }
    // New id: store its bytes, then its entry.
    if count + 2 > offsetCapacity {
      let bigger = UnsafeMutablePointer<Int>.allocate(capacity: offsetCapacity * 2)
      bigger.update(from: offsets, count: count + 1)
      offsets.deallocate()
      offsets = bigger
      offsetCapacity *= 2
    }
    if arenaCount + n > arenaCapacity {
      var c = arenaCapacity * 2
      while arenaCount + n > c { c *= 2 }
      let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
      bigger.update(from: arena, count: arenaCount)
      arena.deallocate()
      arena = bigger
      arenaCapacity = c
    }
    if n > 0 { (arena + arenaCount).update(from: bytes.baseAddress!, count: n) }
    arenaCount += n
    count += 1
    offsets[count] = arenaCount
    slots[slot] = tag << 32 | UInt64(count)
    if count * 2 > mask + 1 { grow() }
    return _VoterSet.key(number: nil, hash: h)
  }

  /// The keys of every id held (as ``insertKeyed(_:)`` gives them).
  func keys() -> [UInt64] {
    var out: [UInt64] = []
    out.reserveCapacity(size)
    if let bits {
      for i in 0..<bitWords {
        var word = bits[i]
        while word != 0 {
          out.append(_VoterSet.key(number: UInt64(lo + i) << 6 | UInt64(word.trailingZeroBitCount), hash: 0))
          word &= word - 1
        }
      }
    }
    for k in 0..<count {
      let id = UnsafeBufferPointer(start: arena + offsets[k], count: offsets[k + 1] - offsets[k])
      out.append(_VoterSet.key(number: nil, hash: _WordHash.hash(id, seed: _VoterSet.seed)))
    }
    return out
  }

  /// Whether an id maps to the same key here and in `other` (the same numbered-id shape and origin).
  func keysMatch(_ other: _VoterSet) -> Bool {
    shapeKnown == other.shapeKnown && prefix == other.prefix && fixedWidth == other.fixedWidth && origin == other.origin
  }

  /// Allocates bitmap words so that word w is covered (at least doubling, within the fixed range).
  private func growBits(to w: Int) {
    let limit = Int(_VoterSet.bitLimit >> 6)
    var newLo = bits == nil ? w : min(lo, w)
    var newHi = bits == nil ? w + 1 : max(lo + bitWords, w + 1)
    let size = max(newHi - newLo, bitWords * 2, 1024)
    if bits == nil {
      newLo = max(0, w - size / 2)
      newHi = min(limit, newLo + size)
      newLo = max(0, newHi - size)
    } else if w < lo {
      newLo = max(0, newHi - size)
    } else {
      newHi = min(limit, newLo + size)
    }
    let fresh = UnsafeMutablePointer<UInt64>.allocate(capacity: newHi - newLo)
    fresh.initialize(repeating: 0, count: newHi - newLo)
    if let old = bits {
      (fresh + (lo - newLo)).update(from: old, count: bitWords)
      old.deallocate()
    }
    bits = fresh
    lo = newLo
    bitWords = newHi - newLo
  }

  private func grow() {
    let size = (mask + 1) * 2
    let fresh = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
    fresh.initialize(repeating: 0, count: size)
    let m = size - 1
    for k in 0..<count {
      let h = _WordHash.hash(UnsafeBufferPointer(start: arena + offsets[k], count: offsets[k + 1] - offsets[k]), seed: _VoterSet.seed)
      var slot = Int(truncatingIfNeeded: h) & m
      while fresh[slot] != 0 { slot = (slot + 1) & m }
      fresh[slot] = (h >> 32) << 32 | UInt64(k + 1)
    }
    slots.deallocate()
    slots = fresh
    mask = m
  }
}
