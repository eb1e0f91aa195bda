import Testing
import TallyCore
import TallyTestSupport

@_spi(Testing) @testable import TallyIO

/// A file mapped into memory (``ReadOptions/mapFiles``, ``BallotFileReader/mapFiles``) must read
/// exactly as the same file streamed in chunks: the same profile or tallies, report, digest and errors.
@Suite struct MappedReadingTests {
  /// Writes `text` to a temporary file and reads it mapped (in two parts) and streamed (one pass).
  private func expectSamePabulib(_ text: String, options: ReadOptions = ReadOptions(), sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = TempFiles.directory()
    defer { TempFiles.remove(dir) }
    let path = dir + "/t.pb"
    TempFiles.write(path, text)
    var mappedOptions = options
    mappedOptions.mapFiles = true
    var mapped = PabulibReader(options: mappedOptions)
    mapped.partsThreshold = 0
    var streamed = PabulibReader(options: options)
    streamed.partsThreshold = nil
    let a = Result { () throws(InputError) in try mapped.read(path: path) }
    let b = Result { () throws(InputError) in try streamed.read(path: path) }
    expectSameOutcome(a, b, sourceLocation: sourceLocation) { x, y in
      #expect(x.profile == y.profile, sourceLocation: sourceLocation)
      #expect(x.report == y.report, sourceLocation: sourceLocation)
      #expect(x.sha256 == y.sha256, sourceLocation: sourceLocation)
      #expect(x.instance == y.instance, sourceLocation: sourceLocation)
    }
  }

  private func pabulib(rows: [String], votesHeader: String = "voter_id;vote") -> String {
    "META\nkey;value\nnum_projects;3\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10\n2;20\n3;30\nVOTES\n\(votesHeader)\n"
      + rows.map { $0 + "\n" }.joined()
  }

  @Test("Pabulib files: random ballots, a BOM, CRLF, quotes, errors in either section, no votes")
  func pabulibFiles() {
    var rng = SplitMix64(seed: 23)
    for _ in 0..<20 {
      let n = 1 + Int(rng.next() % 80)
      let rows = (0..<n).map { v in
        let picks = (0..<Int(rng.next() % 4)).map { _ in String(1 + rng.next() % 4) }  // 4 is unknown
        return "\(rng.next() % 9 == 0 ? String(rng.next() % UInt64(n)) : String(v));\(picks.joined(separator: ","))"
      }
      expectSamePabulib(pabulib(rows: rows))
      expectSamePabulib(pabulib(rows: rows), options: ReadOptions(invalidBallots: .reject))
    }
    let rows = (0..<30).map { "\($0);1,2" }
    expectSamePabulib("\u{FEFF}" + pabulib(rows: rows))
    expectSamePabulib(pabulib(rows: rows).replacingOccurrences(of: "\n", with: "\r\n"))
    expectSamePabulib(pabulib(rows: rows + ["\"77\";3"]))
    expectSamePabulib(pabulib(rows: rows + ["VOTES"]))
    expectSamePabulib(pabulib(rows: rows).replacingOccurrences(of: "2;20", with: "2;x"))
    expectSamePabulib(pabulib(rows: []))
    expectSamePabulib(pabulib(rows: rows, votesHeader: "voter_id;vote;weight").replacingOccurrences(of: ";1,2\n", with: ";1,2;2\n"))
  }

  private static let instance = Instance(
    meta: [], projects: ["a", "b", "c"].map { Project(id: $0, cost: 10) }, budget: 100, ballotKind: .approval)

  /// Reads a ballot file mapped (in two parts) and streamed, each continuing a digest begun on `before`.
  private func expectSameBallots(_ text: String, keepBallots: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = TempFiles.directory()
    defer { TempFiles.remove(dir) }
    let path = dir + "/b.csv"
    TempFiles.write(path, text)
    let channel = Channel(id: "p", ballots: "b.csv", weight: ExactDecimal(units: 1, scale: 0), picks: PickRules(minPicks: 1, maxPicks: 2))
    var mapped = BallotFileReader(channel: channel, instance: Self.instance, voterCheck: .memory, keepBallots: keepBallots)
    mapped.mapFiles = true
    mapped.partsThreshold = 0
    var streamed = mapped
    streamed.mapFiles = false
    streamed.partsThreshold = nil
    var before = SHA256()
    before.update(data: Array("election.json".utf8))
    var ha = before
    var hb = before
    let a = Result { () throws(InputError) in try mapped.read(path: path, hasher: &ha) }
    let b = Result { () throws(InputError) in try streamed.read(path: path, hasher: &hb) }
    expectSameOutcome(a, b, sourceLocation: sourceLocation) { x, y in
      #expect(x.tally == y.tally, sourceLocation: sourceLocation)
      #expect(x.report == y.report, sourceLocation: sourceLocation)
      #expect(x.profiles == y.profiles, sourceLocation: sourceLocation)
      #expect(Array(ha.finalize()) == Array(hb.finalize()), sourceLocation: sourceLocation)
    }
  }

  @Test("ballot files: random rows, a BOM, CRLF, quotes, a header only, blank lines only")
  func ballotFiles() {
    var rng = SplitMix64(seed: 29)
    for _ in 0..<20 {
      let n = 1 + Int(rng.next() % 120)
      let rows = (0..<n).map { v in
        let picks = (0..<Int(rng.next() % 4)).map { _ in ["a", "b", "c", "z"][Int(rng.next() % 4)] }
        return "V\(rng.next() % 9 == 0 ? rng.next() % UInt64(n) : UInt64(v));\(picks.joined(separator: ","))\n"
      }
      let text = "voter_id;vote\n" + rows.joined()
      expectSameBallots(text)
      expectSameBallots(text, keepBallots: true)
      expectSameBallots(text.replacingOccurrences(of: "\n", with: "\r\n"))
    }
    expectSameBallots("\u{FEFF}voter_id;vote\nV1;a\nV2;b,c\n")
    expectSameBallots("voter_id;vote\nV1;a\n\"V2\";b\n")
    expectSameBallots("voter_id;vote\n")
    expectSameBallots("  \n\n")
    expectSameBallots("voter;vote\nV1;a\n")
  }
}
