#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import TallyCore

/// The size of a file in bytes (-1 when it cannot be read).
func _fileSize(_ path: String) -> Int64 {
  var st = stat()
  return stat(path, &st) == 0 ? Int64(st.st_size) : -1
}

/// Finds the voter ids that occur more than once in a ballot file with bounded memory: an external
/// sort of 128-bit fingerprints.
///
/// Pass over the file, collect the fingerprint of every well-formed row's voter id into a buffer of
/// ``bufferEntries``; when full, sort it and write it to a temporary file (a *run*). At the end, merge
/// the runs (k-way, reading each in small blocks) and keep the fingerprints seen twice or more.
/// Memory: the buffer (16 bytes an entry) + one block per run + the repeated fingerprints.
enum _ExternalVoterCheck {
  /// Fingerprints per sort run (16 MiB).
  static let bufferEntries = 1 << 20
  /// Fingerprints read per block while merging.
  static let blockEntries = 1 << 14

  static func repeatedIDs(
    path: String, policy: InvalidBallotPolicy, bufferEntries: Int = bufferEntries
  ) throws(InputError) -> Set<_VoterFingerprint> {
    let reader = try _RecordReader(path: path)
    var fields = _FieldSplitter()
    guard let header = try _BallotHeader.read(reader, fields: &fields) else { return [] }
    let needed = max(header.voter, header.vote, header.weight ?? 0, header.group ?? 0) + 1
    var buffer: [_VoterFingerprint] = []
    buffer.reserveCapacity(min(bufferEntries, 1 << 16))
    var runs: [_RunFile] = []
    defer { for r in runs { r.remove() } }
    var repeated = Set<_VoterFingerprint>()

    func flush() throws(InputError) {
      buffer.sort()
      runs.append(try _RunFile.store(buffer, source: path))
      buffer.removeAll(keepingCapacity: true)
    }
    while let rec = try reader.next() {
      if rec.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      fields.split(rec)
      let fc = fields.count
      // The same well-formedness test as the counting pass: only such rows register their voter.
      if fc < needed || fc > header.count + 1 || (fc == header.count + 1 && !fields.lastIsEmpty) { continue }
      let v = fields.bytes(header.voter, in: rec).trimmed()
      if v.isEmpty { continue }
      buffer.append(_VoterFingerprint(v))
      if buffer.count == bufferEntries { try flush() }
    }
    if runs.isEmpty {
      buffer.sort()
      var k = 1
      while k < buffer.count {
        if buffer[k] == buffer[k - 1] { repeated.insert(buffer[k]) }
        k += 1
      }
      return repeated
    }
    if !buffer.isEmpty { try flush() }
    buffer = []
    // k-way merge.
    var heads: [_RunReader] = []
    for r in runs { heads.append(try r.reader(block: blockEntries, source: path)) }
    var last: _VoterFingerprint? = nil
    while true {
      var best = -1
      for (i, h) in heads.enumerated() where h.current != nil {
        if best < 0 || h.current! < heads[best].current! { best = i }
      }
      if best < 0 { break }
      let v = heads[best].current!
      if v == last { repeated.insert(v) }
      last = v
      try heads[best].advance()
    }
    return repeated
  }
}

/// A sorted run of fingerprints in a temporary file.
struct _RunFile {
  let path: String

  static func store(_ values: [_VoterFingerprint], source: String) throws(InputError) -> _RunFile {
    let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array((dir + "/tally-voters-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    if fd < 0 {
      throw InputError(
        .unreadable("cannot create a temporary file in \(dir) for the voter check: \(String(cString: strerror(errno)))"),
        at: InputLocation(source: source, line: 0))
    }
    let p = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    defer { close(fd) }
    let ok = values.withUnsafeBytes { raw -> Bool in
      var off = 0
      while off < raw.count {
        let n = write(fd, raw.baseAddress! + off, raw.count - off)
        if n <= 0 { return false }
        off += n
      }
      return true
    }
    if !ok {
      unlink(p)
      throw InputError(
        .unreadable("cannot write the temporary file \(p) for the voter check: \(String(cString: strerror(errno)))"),
        at: InputLocation(source: source, line: 0))
    }
    return _RunFile(path: p)
  }

  func reader(block: Int, source: String) throws(InputError) -> _RunReader {
    let fd = open(path, O_RDONLY)
    if fd < 0 {
      throw InputError(.unreadable("cannot reopen \(path): \(String(cString: strerror(errno)))"), at: InputLocation(source: source, line: 0))
    }
    let r = _RunReader(fd: fd, block: block, source: source)
    try r.advance()
    return r
  }

  func remove() { unlink(path) }
}

/// Reads a run back block by block.
final class _RunReader {
  let fd: Int32
  let source: String
  var block: [_VoterFingerprint]
  var count = 0
  var index = 0
  var current: _VoterFingerprint?

  init(fd: Int32, block: Int, source: String) {
    self.fd = fd
    self.source = source
    self.block = Array(repeating: _VoterFingerprint(a: 0, b: 0), count: block)
  }

  deinit { close(fd) }

  func advance() throws(InputError) {
    if index >= count {
      let want = block.count * MemoryLayout<_VoterFingerprint>.stride
      var got = 0
      let fd = self.fd
      block.withUnsafeMutableBytes { raw in
        while got < want {
          let n = read(fd, raw.baseAddress! + got, want - got)
          if n <= 0 { break }
          got += n
        }
      }
      count = got / MemoryLayout<_VoterFingerprint>.stride
      index = 0
      if count == 0 {
        current = nil
        return
      }
    }
    current = block[index]
    index += 1
  }
}
