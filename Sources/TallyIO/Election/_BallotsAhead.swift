import TallyCore

/// An election's files held whole in memory and hashed on the thread started ahead
/// (``_onPrestartedThread(_:)``) while the main thread parses them: the election file's bytes, the
/// projects file, then every ballot file, in order, as one SHA-256 stream (the provenance digest).
///
/// Opened right after the election file is parsed, before the projects file is (when
/// ``ElectionReader/read(path:openingBallotsAhead:)`` asks), the hashing of the large ballot file
/// begins ~0.45 ms sooner on the bundled election than when the ballots are opened after the
/// projects, so the second part of that file (``_readInTwoParts``) does too. Taken by the first
/// ``ElectionDefinition/readBallots(policy:voterCheck:keepBallots:mapFiles:)`` that reads the files
/// the same way (the same voter check, mapped), which parses the files it holds.
final class _BallotsAhead: @unchecked Sendable {
  /// The voter check the ballot files were opened for (`auto` resolved per file, never `external`).
  let voterCheck: VoterCheck
  /// The projects file (nil when only ballot files are held), then each ballot file, held whole.
  let projects: _RecordReader?
  let ballots: [_RecordReader]
  /// The running digest (written by the hashing jobs, read after the last one).
  private let running: _RunningDigest
  /// The last hashing job handed over (nil once waited for), and whether the files were taken.
  private var last: _PrestartedJob?
  private let taken = _ClaimFlag()

  private init(voterCheck: VoterCheck, projects: _RecordReader?, ballots: [_RecordReader], running: _RunningDigest) {
    self.voterCheck = voterCheck
    self.projects = projects
    self.ballots = ballots
    self.running = running
  }


  /// Opens the files and hands their hashing to the thread started ahead, after `prefix` (the hash of
  /// the election file, or of the election and projects files when `projectsPath` is nil) and the
  /// election file's `bytes` when given. Nil, with nothing handed over, unless that thread takes jobs
  /// and every file is a regular file that can be opened and held whole now (a ballot file of the
  /// `external` voter check, or a large one read without the check, streams instead); the caller then
  /// reads them in turn, which also reports any error in file order.
  /// `mapAtLeast`: ballot files at least that large checked in memory are mapped (as
  /// ``BallotFileReader/mapFiles`` does).
  static func start(
    prefix: SHA256, projectsPath: String?, ballotPaths: [String], voterCheck: VoterCheck, mapAtLeast: Int?
  ) -> _BallotsAhead? {
    guard _hasPrestartedThread(), voterCheck != .external else { return nil }
    func whole(_ path: String, mapping: Bool) -> _RecordReader? {
      guard let r = try? _RecordReader(path: path, mapAtLeast: mapping ? mapAtLeast : nil, hashing: false),
        (try? r.loadWhole()) != nil, r.whole != nil
      else { return nil }
      return r
    }
    var projects: _RecordReader? = nil
    if let projectsPath {
      guard let p = whole(projectsPath, mapping: false) else { return nil }
      projects = p
    }
    var files: [_RecordReader] = []
    for path in ballotPaths {
      // Held whole: a file checked in memory (mapped when large), or a small one. A large file read
      // without the check (`off`) streams, in bounded memory, as does one of the `external` check.
      let mode = BallotFileReader.voterCheck(voterCheck, for: path)
      guard mode == .memory || (mode == .off && _fileSize(path) < _defaultPartsThreshold),
        let f = whole(path, mapping: mode == .memory)
      else { return nil }
      files.append(f)
    }
    let running = _RunningDigest(prefix)
    let ahead = _BallotsAhead(voterCheck: voterCheck, projects: projects, ballots: files, running: running)
    // Each job holds its file, whose bytes it reads. If the thread stops taking jobs midway, the rest
    // are hashed here, after the ones it took.
    var here = false
    for (k, file) in ((projects.map { [$0] } ?? []) + files).enumerated() {
      let hash = { running.hasher.update(bufferPointer: file.whole!) }
      if !here, let job = _onPrestartedThread(hash) {
        ahead.last = job
      } else if k == 0 {
        return nil
      } else {
        ahead.last?.wait()
        here = true
        hash()
      }
    }
    return ahead
  }

  /// True for the first caller only: the files are then theirs to parse.
  func take() -> Bool { taken.claim() }

  /// Waits for the hashing and returns the digest of every file, in order.
  func digest() -> SHA256 {
    last?.wait()
    last = nil
    return running.hasher
  }
}
