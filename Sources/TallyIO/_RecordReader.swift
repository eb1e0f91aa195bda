#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import TallyCore

/// Reads a text input in chunks and hands out records: lines, or several lines when a quoted field
/// spans a line break. Strips a leading UTF-8 BOM and the `\r` of CRLF endings, and hashes every byte
/// it reads (SHA-256). Memory is the chunk plus the longest record, whatever the input's size.
///
/// Mapped (``init(path:hasher:mapAtLeast:)``, a regular file at least that large): the whole file is
/// mapped read-only into memory instead, with its pages filled at once, and nothing is copied. Its
/// bytes are hashed lazily: by ``digest()``, or by ``remainder(hashing:)`` (or its caller).
final class _RecordReader {
  private let fd: Int32
  private var ownsFD: Bool
  /// Whether `buffer` is someone else's memory (``init(continuing:source:firstLine:)``) or a mapping.
  private var borrowed: Bool
  /// The mapped file (start, length), unmapped on `deinit`.
  private var mapped: (UnsafeMutableRawPointer, Int)? = nil
  /// Mapped: the buffer's bytes before this offset are hashed.
  private var hashedUpTo = 0
  /// The bytes ``remainder(hashing:)`` read (when not mapped), freed on `deinit`.
  private var held: UnsafeMutableBufferPointer<UInt8>? = nil
  private var buffer: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private var start = 0
  private var end = 0
  private var eof = false
  /// The running SHA-256 of every byte read (start it from another reader's to hash several files as one).
  /// (While the input is hashed ahead (``hashMappedAhead()``), either use waits for that hashing.)
  var hasher: SHA256 {
    get {
      absorbHashingAhead()
      hashMapped()
      return running
    }
    set {
      absorbHashingAhead()
      running = newValue
    }
  }
  private var running: SHA256
  /// Whether the bytes read are hashed (not when the input's digest is taken elsewhere).
  private var hashes = true
  let source: String
  /// The line on which the next record starts.
  private(set) var nextLine = 1
  /// The line on which the last record started.
  private(set) var recordLine = 0
  /// The maximum record length accepted.
  static let maxRecord = 256 << 20
  private var first = true
  /// Whether the input is known to hold no quote (records are then lines).
  private var quoteFree = false

  /// Whether the reader reads quote-free bytes in place (``init(continuing:source:firstLine:quoteFree:)``):
  /// its records are lines, all of them in ``unread``, so a scanner may find them itself.
  var readsLinesInPlace: Bool { quoteFree && borrowed }

  /// The input's size in bytes when known (0 otherwise), to size tables.
  private(set) var sizeHint = 0
  /// Bytes read from the file so far.
  private var consumedFromFile = 0

  /// Opens a file; `hasher` continues a digest begun on earlier inputs (a fresh one by default), or
  /// with `hashing` false nothing is hashed (the caller takes the file's digest another way).
  /// `mapAtLeast`: map a regular file of at least that many bytes into memory instead of reading it
  /// in chunks (it is read when it cannot be mapped). A mapped file that another process truncates
  /// while it is read raises `SIGBUS`: only a caller that handles that signal should map.
  init(path: String, hasher: SHA256 = SHA256(), mapAtLeast: Int? = nil, hashing: Bool = true) throws(InputError) {
    source = path
    running = hasher
    hashes = hashing
    var st = stat()
    if stat(path, &st) != 0 { throw InputError(.fileNotFound, at: InputLocation(source: path, line: 0)) }
    if (st.st_mode & S_IFMT) == S_IFDIR {
      throw InputError(.unreadable("is a directory"), at: InputLocation(source: path, line: 0))
    }
    let f = open(path, O_RDONLY)
    if f < 0 {
      let why = String(cString: strerror(errno))
      throw InputError(.unreadable(why), at: InputLocation(source: path, line: 0))
    }
    fd = f
    ownsFD = true
    borrowed = false
    sizeHint = Int(st.st_size)
    var opened = stat()
    if let least = mapAtLeast, fstat(f, &opened) == 0, (opened.st_mode & S_IFMT) == S_IFREG,
      opened.st_size >= max(least, 1),
      let m = mmap(nil, Int(opened.st_size), PROT_READ, MAP_PRIVATE, f, 0), m != MAP_FAILED
    {
      let n = Int(opened.st_size)
      sizeHint = n
      mapped = (m, n)
      buffer = m.assumingMemoryBound(to: UInt8.self)
      capacity = n
      end = n
      eof = true
      borrowed = true
      consumedFromFile = n
      close(f)
      ownsFD = false
      return
    }
    // A regular file smaller than the usual 1 MiB gets a buffer its size (the buffer still doubles
    // for a longer record): a 1 MiB allocation is an mmap and an munmap, for a 600-byte election file.
    let small = (st.st_mode & S_IFMT) == S_IFREG && st.st_size < 1 << 20
    capacity = small ? max(Int(st.st_size) + 1, 4096) : 1 << 20
    buffer = .allocate(capacity: capacity)
  }

  /// Reads from bytes in memory.
  init(bytes: [UInt8], source: String, hasher: SHA256 = SHA256()) {
    self.source = source
    running = hasher
    fd = -1
    ownsFD = false
    borrowed = false
    capacity = max(bytes.count, 1)
    buffer = .allocate(capacity: capacity)
    bytes.withUnsafeBufferPointer { b in
      if let base = b.baseAddress { buffer.update(from: base, count: b.count) }
    }
    end = bytes.count
    sizeHint = bytes.count
    eof = true
    running.update(data: bytes)
  }

  /// Reads part of an input already hashed elsewhere: `bytes` start at line `firstLine` (no BOM check,
  /// no hashing). The bytes are read in place: they must outlive the reader. `quoteFree`: the caller
  /// checked that they hold no `"`, so records are lines.
  init(continuing bytes: UnsafeBufferPointer<UInt8>, source: String, firstLine: Int, quoteFree: Bool = false) {
    self.quoteFree = quoteFree
    self.source = source
    running = SHA256()
    fd = -1
    ownsFD = false
    borrowed = bytes.baseAddress != nil
    capacity = max(bytes.count, 1)
    buffer = bytes.baseAddress.map { UnsafeMutablePointer(mutating: $0) } ?? .allocate(capacity: 1)
    end = bytes.count
    sizeHint = bytes.count
    eof = true
    first = false
    nextLine = firstLine
  }

  /// Everything not read yet, to the end of the input (`bytes`, valid while the reader lives), and the
  /// line it starts on. The reader is at the end afterwards. With `hashing` false, `unhashed` are the
  /// input's bytes not hashed yet (the tail of `bytes`, or for a mapped file the whole file): the
  /// caller hashes them into ``hasher``, possibly while it reads `bytes` on another thread.
  func remainder(hashing: Bool = true) throws(InputError) -> (
    bytes: UnsafeBufferPointer<UInt8>, line: Int, unhashed: UnsafeRawBufferPointer
  ) {
    let line = nextLine
    if mapped != nil {
      let bytes = UnsafeBufferPointer(start: buffer + start, count: end - start)
      let unhashed = UnsafeRawBufferPointer(start: buffer + hashedUpTo, count: hashes ? end - hashedUpTo : 0)
      hashedUpTo = end
      start = end
      if hashing {
        running.update(bufferPointer: unhashed)
        return (bytes, line, UnsafeRawBufferPointer(start: nil, count: 0))
      }
      return (bytes, line, unhashed)
    }
    let kept = end - start
    // Read straight into one buffer sized from the file (grown if the file grew meanwhile).
    var size = max(kept + max(sizeHint - consumedFromFile, 0), kept) + 1
    var out = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    if kept > 0 { out.update(from: buffer + start, count: kept) }
    var count = kept
    start = end
    do throws(InputError) {
      while !eof {
        if count == size {
          let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size * 2)
          bigger.update(from: out, count: count)
          out.deallocate()
          out = bigger
          size *= 2
        }
        count += try readSome(into: out + count, size - count)
      }
    } catch {
      out.deallocate()
      throw error
    }
    held?.deallocate()
    held = UnsafeMutableBufferPointer(start: out, count: count)
    let bytes = UnsafeBufferPointer(start: out, count: count)
    let unhashed = UnsafeRawBufferPointer(start: out + kept, count: hashes ? count - kept : 0)
    if hashing {
      running.update(bufferPointer: unhashed)
      return (bytes, line, UnsafeRawBufferPointer(start: nil, count: 0))
    }
    return (bytes, line, unhashed)
  }

  deinit {
    // (A job hashing the mapping ahead reads it: it ends before the mapping does.)
    hashingAhead?.job.wait()
    if let (m, n) = mapped {
      munmap(m, n)
    } else if !borrowed {
      buffer.deallocate()
    }
    held?.deallocate()
    if ownsFD { close(fd) }
  }

  /// The hex SHA-256 of everything read so far (of the whole input once `next` returned nil).
  func digest() -> String {
    absorbHashingAhead()
    hashMapped()
    return _hex(running)
  }


  /// The job hashing the whole mapped input on the thread started ahead, and its result.
  private var hashingAhead: (job: _PrestartedJob, digest: _RunningDigest)? = nil

  /// Whether the input is being hashed ahead (``hashMappedAhead()``): its bytes are then not hashed
  /// here.
  var isHashedAhead: Bool { hashingAhead != nil }

  /// Waits for the hashing ahead, if any, and takes its digest as the running one.
  private func absorbHashingAhead() {
    guard let ahead = hashingAhead else { return }
    ahead.job.wait()
    running = ahead.digest.hasher
    hashingAhead = nil
  }

  /// Hands the hashing of the whole mapped input to the thread started ahead
  /// (``_onPrestartedThread(_:)``), which hashes it while this one parses; ``digest()`` waits for it.
  /// Does nothing (false) unless the input is mapped, nothing of it has been hashed, and that thread
  /// takes jobs. For a single large input, such as a Pabulib file, this starts the hash before the
  /// header is parsed, rather than when the second part of the rows is read (``_readInTwoParts``).
  /// The reader's `deinit` waits for the job: its last reference must not be dropped on that thread
  /// before the job has run there (a job queued after it may drop it, as ``digest()`` has then
  /// waited).
  @discardableResult
  func hashMappedAhead() -> Bool {
    guard hashes, let (m, n) = mapped, hashedUpTo == 0, hashingAhead == nil else { return false }
    let digest = _RunningDigest(running)
    guard let job = _onPrestartedThread({ digest.hasher.update(bufferPointer: UnsafeRawBufferPointer(start: m, count: n)) }) else {
      return false
    }
    hashingAhead = (job, digest)
    hashedUpTo = n
    return true
  }

  /// Mapped: hashes the bytes not hashed yet (the whole file is hashed once anything asks for the hash).
  private func hashMapped() {
    guard hashes, mapped != nil, hashedUpTo < end else { return }
    running.update(bufferPointer: UnsafeRawBufferPointer(start: buffer + hashedUpTo, count: end - hashedUpTo))
    hashedUpTo = end
  }

  /// Reads the whole input into memory now, when nothing has been taken from it yet (a mapped file
  /// already is): records then come from memory, and ``whole`` holds every byte of the input.
  func loadWhole() throws(InputError) {
    precondition(start == 0 && consumedFromFile == end, "loadWhole before any record is taken")
    while !eof { try fill() }
  }

  /// Every byte of the input, once it is all in memory (mapped, or ``loadWhole()``), else nil.
  var whole: UnsafeRawBufferPointer? {
    guard eof, consumedFromFile == end, fd >= 0 || mapped != nil else { return nil }
    return UnsafeRawBufferPointer(start: buffer, count: end)
  }

  /// Reads the rest of the input to the end (for the digest), discarding it.
  func drain() throws(InputError) {
    while !eof {
      start = 0
      end = 0
      try fill()
    }
  }

  private func fill() throws(InputError) {
    if eof { return }
    if start > 0 {
      let n = end - start
      if n > 0 { buffer.update(from: buffer + start, count: n) }
      end = n
      start = 0
    }
    if end == capacity {
      if capacity >= Self.maxRecord {
        throw InputError(.lineTooLong(limit: Self.maxRecord), at: InputLocation(source: source, line: nextLine))
      }
      let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
      bigger.update(from: buffer, count: end)
      buffer.deallocate()
      buffer = bigger
      capacity *= 2
    }
    let got = try readSome(into: buffer + end, capacity - end)
    if got == 0 { return }
    if hashes { running.update(bufferPointer: UnsafeRawBufferPointer(start: buffer + end, count: got)) }
    end += got
    consumedFromFile += got
  }

  /// Reads up to `count` bytes of the file into `to`; 0 at its end (then `eof` is set).
  private func readSome(into to: UnsafeMutablePointer<UInt8>, _ count: Int) throws(InputError) -> Int {
    let got = read(fd, to, count)
    if got < 0 {
      let why = String(cString: strerror(errno))
      throw InputError(.unreadable(why), at: InputLocation(source: source, line: nextLine))
    }
    if got == 0 { eof = true }
    return got
  }

  /// The next record, valid until the following call; nil at the end of the input.
  /// The record excludes its line terminator; a `\r` before `\n` is dropped.
  func next() throws(InputError) -> UnsafeBufferPointer<UInt8>? {
    if first {
      first = false
      while end - start < 3 && !eof { try fill() }
      if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF {
        start += 3
      }
    }
    // Fast path: the next newline, when the record holds no quote.
    var scan = start
    while true {
      if scan >= end {
        if eof {
          if start >= end { return nil }
          return take(upTo: end, lines: 0)
        }
        let offset = scan - start
        try fill()
        scan = start + offset
        continue
      }
      let p = memchr(buffer + scan, 0x0A, end - scan)
      let nl = p.map { UnsafeMutablePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - buffer } ?? end
      if !quoteFree && memchr(buffer + scan, 0x22, nl - scan) != nil { break }
      if nl < end { return take(upTo: nl, lines: 0, skip: 1) }
      scan = end
    }
    // Slow path, from the record's start: a quote opens a quoted field only at the start of a field
    // (as in Python's csv module); inside, "" is a literal quote; line breaks inside quotes belong to
    // the record.
    scan = start
    var inQuote = false
    var fieldStart = true
    var justClosed = false
    var lines = 0
    while true {
      if scan >= end {
        if eof {
          if inQuote {
            throw InputError(.unterminatedQuote, at: InputLocation(source: source, line: nextLine))
          }
          return take(upTo: end, lines: lines)
        }
        let offset = scan - start
        try fill()
        scan = start + offset
        continue
      }
      let c = buffer[scan]
      if inQuote {
        if c == 0x22 {
          inQuote = false
          justClosed = true
        } else if c == 0x0A {
          lines += 1
        }
      } else if c == 0x22 && (fieldStart || justClosed) {
        inQuote = true
        justClosed = false
        fieldStart = false
      } else if c == 0x0A {
        return take(upTo: scan, lines: lines, skip: 1)
      } else {
        fieldStart = c == 0x3B
        justClosed = false
      }
      scan += 1
    }
  }

  /// The bytes from the next record's start to the end of the input, for a scanner that finds the
  /// record's end itself (``_PlainRows/scanLine(_:)``), then takes it with ``take(record:consumed:)``.
  /// - Precondition: the reader reads quote-free bytes in place (``readsLinesInPlace``).
  var unread: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: buffer + start, count: end - start) }

  /// Where the next record starts, as an offset into the bytes read in place
  /// (``init(continuing:source:firstLine:quoteFree:)``).
  var offset: Int { start }

  /// Takes the next record, as ``next()`` would, when a scanner of ``unread`` found its end: its first
  /// `length` bytes, `consumed` bytes with its line terminator.
  /// - Precondition: the reader reads quote-free bytes in place, and `length` and `consumed` are what
  ///   ``next()`` would cut (no line feed before `length`; a line feed at `consumed - 1`, or `consumed`
  ///   reaches the end of the input).
  @inline(__always)
  func take(record length: Int, consumed: Int) -> UnsafeBufferPointer<UInt8> {
    let rec = UnsafeBufferPointer(start: buffer + start, count: length)
    recordLine = nextLine
    nextLine += 1
    start += consumed
    return rec
  }

  private func take(upTo e: Int, lines: Int, skip: Int = 0) -> UnsafeBufferPointer<UInt8> {
    let rec = UnsafeBufferPointer(start: buffer + start, count: trimCR(e) - start)
    recordLine = nextLine
    nextLine += lines + 1
    start = e + skip
    return rec
  }

  private func trimCR(_ e: Int) -> Int {
    e > start && buffer[e - 1] == 0x0D ? e - 1 : e
  }
}

/// Splits a record into `;`-separated fields, honouring double quotes (`""` inside quotes is a quote).
///
/// A reference type over one growable buffer, so that splitting a record (done once per ballot) costs
/// no array bookkeeping: each field is three integers (start of the field, start and end of its
/// content) and a flag for doubled quotes.
final class _FieldSplitter {
  /// Per field: [start of the field, content lower bound, content upper bound, escaped (0/1)].
  private var store: UnsafeMutablePointer<Int>
  private var capacity = 16
  /// The number of fields of the last record split.
  private(set) var count = 0
  /// After a split that stored only some fields: whether the last field is empty.
  private var lastEmpty: Bool? = nil

  init() { store = .allocate(capacity: capacity * 4) }
  deinit { store.deallocate() }

  @inline(__always)
  private func push(start: Int, lo: Int, hi: Int, escaped: Bool) {
    if count == capacity {
      let bigger = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 8)
      bigger.update(from: store, count: capacity * 4)
      store.deallocate()
      store = bigger
      capacity *= 2
    }
    let f = store + count * 4
    f[0] = start
    f[1] = lo
    f[2] = hi
    f[3] = escaped ? 1 : 0
    count += 1
  }

  func split(_ rec: UnsafeBufferPointer<UInt8>, separator: UInt8 = 0x3B) {
    split(rec, separator: separator, storing: Int.max)
  }

  /// Splits as ``split(_:separator:)`` does but stores only the first `needed` fields and counts the
  /// others: ``count`` and ``lastIsEmpty`` are those of the full split, and fields from `needed` on
  /// must not be read. (A quote among the fields not stored: a full split.)
  func split(_ rec: UnsafeBufferPointer<UInt8>, needing needed: Int) {
    split(rec, separator: 0x3B, storing: max(needed, 1))
  }

  private func split(_ rec: UnsafeBufferPointer<UInt8>, separator: UInt8, storing needed: Int) {
    count = 0
    lastEmpty = nil
    let n = rec.count
    guard let base = rec.baseAddress else {
      push(start: 0, lo: 0, hi: 0, escaped: false)
      return
    }
    var i = 0
    while true {
      if count == needed {
        // The rest, base[i..<n], holds fields needed... : count its separators, eight bytes at a time.
        guard let separators = _count(separator, in: base, from: i, to: n, unless: 0x22) else {
          split(rec, separator: separator, storing: Int.max)
          return
        }
        count += separators + 1
        lastEmpty = i == n || base[n - 1] == separator
        return
      }
      if i < n && base[i] == 0x22 {
        var j = i + 1
        var esc = false
        while j < n {
          if base[j] == 0x22 {
            if j + 1 < n && base[j + 1] == 0x22 {
              esc = true
              j += 2
              continue
            }
            break
          }
          j += 1
        }
        push(start: i, lo: i + 1, hi: min(j, n), escaped: esc)
        // Skip to the separator (anything between the closing quote and it is ignored).
        var k = j + 1
        while k < n && base[k] != separator { k += 1 }
        if k >= n { return }
        i = k + 1
      } else {
        let k = _find(separator, in: base, from: i, to: n)
        push(start: i, lo: i, hi: k, escaped: false)
        if k >= n { return }
        i = k + 1
      }
    }
  }

  /// Field f's content byte range within the record (quotes excluded).
  @inline(__always)
  func range(_ f: Int) -> Range<Int> { store[f * 4 + 1]..<store[f * 4 + 2] }

  /// Whether the last field is empty (a trailing separator).
  var lastIsEmpty: Bool { lastEmpty ?? (count > 0 && range(count - 1).isEmpty) }

  func string(_ f: Int, in rec: UnsafeBufferPointer<UInt8>) -> String {
    let b = UnsafeBufferPointer(rebasing: rec[range(f)])
    return store[f * 4 + 3] != 0 ? Self.undoubled(b) : String(decoding: b, as: UTF8.self)
  }

  /// Field f as ``string(_:in:)`` gives it, trimmed of spaces and tabs (decoded once, from the
  /// trimmed bytes: neither byte is ever part of a longer UTF-8 sequence).
  func trimmedString(_ f: Int, in rec: UnsafeBufferPointer<UInt8>) -> String {
    let b = bytes(f, in: rec).trimmed()
    return store[f * 4 + 3] != 0 ? Self.undoubled(b) : String(decoding: b, as: UTF8.self)
  }

  /// The bytes of a quoted field's content with each doubled quote read as one, decoded as UTF-8 (as
  /// `String(decoding:as:)` does: a quote is never part of a longer or invalid sequence, so undoubling
  /// before decoding gives what undoubling the decoded text would). Byte by byte: the standard
  /// library's generic text replacement looks a conformance up at run time, a scan of every
  /// conformance record in the binary (~0.1 ms) on first use.
  static func undoubled(_ b: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: b.count) { out in
      var k = 0
      var i = 0
      while i < b.count {
        out[k] = b[i]
        k += 1
        i += b[i] == 0x22 && i + 1 < b.count && b[i + 1] == 0x22 ? 2 : 1
      }
      return k
    }
  }

  @inline(__always)
  func bytes(_ f: Int, in rec: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: rec.baseAddress.map { $0 + store[f * 4 + 1] }, count: store[f * 4 + 2] - store[f * 4 + 1])
  }

  /// 1-based character column of field f's start.
  func column(_ f: Int, in rec: UnsafeBufferPointer<UInt8>) -> Int {
    _column(byteOffset: store[f * 4], in: rec)
  }
}

/// The offset of the first `byte` in `base[from..<n]`, or `n`: eight bytes at a time (a word's zero
/// bytes after XOR with the pattern; the lowest flagged byte is exact, since a borrow only flags bytes
/// above a true match), then byte by byte.
@inline(__always)
func _find(_ byte: UInt8, in base: UnsafePointer<UInt8>, from: Int, to n: Int) -> Int {
  var i = from
  let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
  while i + 8 <= n {
    let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) ^ pattern
    let t = (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080
    if t != 0 { return i + t.trailingZeroBitCount >> 3 }
    i += 8
  }
  while i < n && base[i] != byte { i += 1 }
  return i
}

/// Flags (the high bit of a byte) where the word `w` holds byte `a` or byte `b`. The lowest flag is
/// exact: a borrow only flags bytes above a true match, for either pattern, so the lowest of the two
/// patterns' lowest flags is a match. Higher flags may be false.
@inline(__always)
func _flags(_ w: UInt64, _ a: UInt8, or b: UInt8) -> UInt64 {
  let x = w ^ (UInt64(a) &* 0x0101_0101_0101_0101)
  let y = w ^ (UInt64(b) &* 0x0101_0101_0101_0101)
  return ((x &- 0x0101_0101_0101_0101) & ~x | (y &- 0x0101_0101_0101_0101) & ~y) & 0x8080_8080_8080_8080
}

/// ``_flags(_:_:or:)`` for three bytes.
@inline(__always)
func _flags(_ w: UInt64, _ a: UInt8, or b: UInt8, or c: UInt8) -> UInt64 {
  let x = w ^ (UInt64(a) &* 0x0101_0101_0101_0101)
  let y = w ^ (UInt64(b) &* 0x0101_0101_0101_0101)
  let z = w ^ (UInt64(c) &* 0x0101_0101_0101_0101)
  return ((x &- 0x0101_0101_0101_0101) & ~x | (y &- 0x0101_0101_0101_0101) & ~y | (z &- 0x0101_0101_0101_0101) & ~z)
    & 0x8080_8080_8080_8080
}

/// The offset of the first `a`, `b` or `c` in `base[from..<n]`, or `n`: eight bytes at a time
/// (``_flags(_:_:or:or:)``), then byte by byte.
@inline(__always)
func _find(_ a: UInt8, or b: UInt8, or c: UInt8, in base: UnsafePointer<UInt8>, from: Int, to n: Int) -> Int {
  var i = from
  while i + 8 <= n {
    let t = _flags(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self), a, or: b, or: c)
    if t != 0 { return i + t.trailingZeroBitCount >> 3 }
    i += 8
  }
  while i < n && base[i] != a && base[i] != b && base[i] != c { i += 1 }
  return i
}

/// The offset of the first `a` or `b` in `base[from..<n]`, or `n`: eight bytes at a time
/// (``_flags(_:_:or:)``), then byte by byte.
@inline(__always)
func _find(_ a: UInt8, or b: UInt8, in base: UnsafePointer<UInt8>, from: Int, to n: Int) -> Int {
  var i = from
  while i + 8 <= n {
    let t = _flags(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self), a, or: b)
    if t != 0 { return i + t.trailingZeroBitCount >> 3 }
    i += 8
  }
  while i < n && base[i] != a && base[i] != b { i += 1 }
  return i
}

/// How many `byte`s `base[from..<n]` holds, or nil when it holds `unless`: eight bytes at a time
/// (exact per-byte zero flags of the word XOR the pattern, counted), then byte by byte.
@inline(__always)
func _count(_ byte: UInt8, in base: UnsafePointer<UInt8>, from: Int, to n: Int, unless stop: UInt8) -> Int? {
  var i = from
  var c = 0
  let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
  let stopPattern = UInt64(stop) &* 0x0101_0101_0101_0101
  let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
  @inline(__always) func zeros(_ x: UInt64) -> UInt64 { ~(((x & low7) &+ low7) | x | low7) }
  while i + 8 <= n {
    let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
    if zeros(w ^ stopPattern) != 0 { return nil }
    c += zeros(w ^ pattern).nonzeroBitCount
    i += 8
  }
  while i < n {
    if base[i] == stop { return nil }
    if base[i] == byte { c += 1 }
    i += 1
  }
  return c
}

/// The comma-separated tokens of a vote list, each the byte range of a token trimmed of spaces and
/// tabs. A blank list has no tokens; otherwise empty tokens are given too (`a,,b` has three).
/// Shared by the Pabulib and ballot-file readers, whose vote lists have the same syntax. An iterator
/// rather than a closure, so that the readers' loops update their own locals directly (captured by a
/// closure the compiler did not inline, they were checked for exclusive access at run time).
struct _Tokens {
  private let base: UnsafePointer<UInt8>?
  private let n: Int
  /// Where the next token starts; -1 after the last.
  private var start: Int

  @inline(__always)
  init(_ field: UnsafeBufferPointer<UInt8>) {
    base = field.baseAddress
    n = field.count
    var first = 0
    if let base { while first < n && (base[first] == 0x20 || base[first] == 0x09) { first += 1 } }
    start = base == nil || first == n ? -1 : 0
  }

  @inline(__always)
  mutating func next() -> (lo: Int, hi: Int)? {
    guard start >= 0, let base else { return nil }
    let end = _find(0x2C, in: base, from: start, to: n)
    var lo = start
    var hi = end
    while lo < hi && (base[lo] == 0x20 || base[lo] == 0x09) { lo += 1 }
    while hi > lo && (base[hi - 1] == 0x20 || base[hi - 1] == 0x09) { hi -= 1 }
    start = end >= n ? -1 : end + 1
    return (lo, hi)
  }
}

/// The 1-based character column of a byte offset (counting UTF-8 lead bytes).
func _column(byteOffset: Int, in rec: UnsafeBufferPointer<UInt8>) -> Int {
  var col = 1
  var i = 0
  while i < byteOffset && i < rec.count {
    if rec[i] & 0xC0 != 0x80 { col += 1 }
    i += 1
  }
  return col
}

/// A digest continued on another thread, read after its job has run.
final class _RunningDigest: @unchecked Sendable {
  var hasher: SHA256
  init(_ hasher: SHA256) { self.hasher = hasher }
}

/// The lowercase hex text of a SHA-256 state's digest (64 characters), written in one go: 32 strings
/// joined cost ~0.1 ms in a fresh process.
func _hex(_ hasher: SHA256) -> String {
  let digest = hasher.finalize()
  return String(unsafeUninitializedCapacity: 64) { out in
    @inline(__always) func digit(_ v: UInt8) -> UInt8 { v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10 }
    var k = 0
    for b in digest {
      out[k] = digit(b >> 4)
      out[k + 1] = digit(b & 0x0F)
      k += 2
    }
    return k
  }
}
