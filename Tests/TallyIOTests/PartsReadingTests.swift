import Testing
@_spi(Testing) @testable import TallyIO
import TallyCore
import TallyTestSupport

/// Reading a large VOTES section in two parts on two threads must give exactly what one pass gives:
/// the same profile (distinct ballots in the same order), report (counts and places), digest and
/// errors, whatever the file holds.
@Suite struct PartsReadingTests {
  /// A reader that reads in two parts cut at `cut`, and one that reads in one pass.
  private func readers(_ options: ReadOptions, cut: Double) -> (parts: PabulibReader, one: PabulibReader) {
    var parts = PabulibReader(options: options)
    parts.partsThreshold = 0
    parts.partsCut = cut
    var one = PabulibReader(options: options)
    one.partsThreshold = nil
    return (parts, one)
  }

  private func both(_ text: String, options: ReadOptions = ReadOptions(), cut: Double) -> (Result<PabulibFile, InputError>, Result<PabulibFile, InputError>) {
    let (parts, one) = readers(options, cut: cut)
    let bytes = Array(text.utf8)
    return (Result { () throws(InputError) in try parts.read(bytes: bytes, source: "t.pb") },
            Result { () throws(InputError) in try one.read(bytes: bytes, source: "t.pb") })
  }

  /// `cut`: where the first part ends, as a fraction of the VOTES rows' bytes. Reading only the
  /// scores (``PabulibReader/readScores(bytes:source:)``), in parts and in one pass, must give the same
  /// instance, report, digest and errors, and the profile's scores.
  private func expectSame(_ text: String, options: ReadOptions = ReadOptions(), cut: Double = 0.5, sourceLocation: SourceLocation = #_sourceLocation) {
    let (a, b) = both(text, options: options, cut: cut)
    expectSameOutcome(a, b, sourceLocation: sourceLocation) { x, y in
      #expect(x.profile == y.profile, sourceLocation: sourceLocation)
      #expect(x.report == y.report, sourceLocation: sourceLocation)
      #expect(x.sha256 == y.sha256, sourceLocation: sourceLocation)
      #expect(x.instance == y.instance, sourceLocation: sourceLocation)
    }
    expectSameScores(text, options: options, cut: cut, sourceLocation: sourceLocation)
  }

  private func expectSameScores(_ text: String, options: ReadOptions, cut: Double, sourceLocation: SourceLocation) {
    let (parts, one) = readers(options, cut: cut)
    let bytes = Array(text.utf8)
    let file = Result { () throws(InputError) in try one.read(bytes: bytes, source: "t.pb") }
    for reader in [parts, one] {
      let scored = Result { () throws(InputError) in try reader.readScores(bytes: bytes, source: "t.pb") }
      expectSameOutcome(scored, file, sourceLocation: sourceLocation) { s, f in
        #expect(s.scores == f.profile.scores(maxLength: f.instance.maxLength), sourceLocation: sourceLocation)
        #expect(s.report == f.report, sourceLocation: sourceLocation)
        #expect(s.sha256 == f.sha256, sourceLocation: sourceLocation)
        #expect(s.instance == f.instance, sourceLocation: sourceLocation)
      }
    }
  }

  private func file(kind: String = "approval", extraMeta: String = "", votesHeader: String = "voter_id;vote", rows: [String]) -> String {
    var s = "META\nkey;value\nnum_projects;4\nnum_votes;\(rows.count)\nbudget;100\nvote_type;\(kind)\n\(extraMeta)PROJECTS\nproject_id;cost\n1;10\n2;20\n3;30\n4;40\nVOTES\n\(votesHeader)\n"
    for r in rows { s += r + "\n" }
    return s
  }

  @Test("random approval files: valid, void, repeated entries, blank lines, weights")
  func random() {
    var rng = SplitMix64(seed: 11)
    for round in 0..<40 {
      var rows: [String] = []
      let n = 1 + Int(rng.next() % 60)
      for v in 0..<n {
        let k = Int(rng.next() % 4)
        var picks = (0..<k).map { _ in String(1 + rng.next() % 5) }  // 5 is an unknown project
        if rng.next() % 10 == 0 { picks.append(picks.first ?? "1") }
        let id = rng.next() % 8 == 0 ? String(rng.next() % UInt64(n)) : String(v)
        rows.append("\(id);\(picks.joined(separator: ","))")
        if rng.next() % 15 == 0 { rows.append("") }
      }
      expectSame(file(rows: rows), cut: cuts[round % cuts.count])
      expectSame(file(rows: rows), options: ReadOptions(checkDuplicateVoters: false), cut: cuts[round % cuts.count])
      if round % 4 == 0 { expectSame(file(rows: rows), options: ReadOptions(invalidBallots: .reject)) }
    }
  }

  @Test("a voter in both halves, an error in the second half, quotes, CRLF, named voter ids")
  func edges() {
    let rows = (0..<20).map { "v\($0);1,2" }
    expectSame(file(rows: rows + ["v0;3"]))  // the repeat is in the second half
    expectSame(file(rows: rows + ["VOTES"]))  // a section line inside VOTES: an error at its line
    expectSame(file(rows: rows + ["\"v99\";1"]))  // a quote: one pass
    expectSame(file(rows: ["\"v\n98\";1"] + rows))  // a quoted line break in the first part
    expectSame(file(rows: rows + ["\"v\n98\";1"] + rows.map { "w" + $0 }), cut: 0.3)
    // Quotes past the first 64 KiB checked, in either part, and none at all.
    let many = (0..<9_000).map { "v\($0);1,2" }
    for cut in [0.2, 0.5, 0.9] {
      expectSame(file(rows: many + ["\"q\";3"] + many.map { "u" + $0 }), cut: cut)
      expectSame(file(rows: many.map { "u" + $0 } + many), cut: cut)
    }
    expectSame(file(rows: rows).replacingOccurrences(of: "\n", with: "\r\n"))
    expectSame(file(rows: (0..<30).map { "\(String(repeating: "0", count: $0 % 3))\($0);2" }))
    expectSame(file(votesHeader: "voter_id;vote;", rows: rows.map { $0 + ";" }))
    expectSame(file(votesHeader: "voter_id;vote;weight", rows: (0..<30).map { "\($0);1,2;\($0 % 3 + 1)" }))
  }

  @Test("plain rows (the fast path in parts) and unusual ones: blanks to trim, empty entries, extra fields, limits, kinds")
  func plainRows() {
    var rng = SplitMix64(seed: 23)
    for round in 0..<48 {
      let kind = ["approval", "ordinal", "choose-1"][round % 3]
      let meta = ["", "min_length;2\n", "max_length;2\n", "min_length;1\nmax_length;3\n"][(round / 3) % 4]
      let extra = round % 2 == 1
      var rows: [String] = []
      let n = 1 + Int(rng.next() % 80)
      for v in 0..<n {
        var picks = (0..<Int(1 + rng.next() % 3)).map { _ in ["1", "2", "3", "4", "5", " 1", "2 ", "", "\t3"][Int(rng.next() % 9)] }
        if rng.next() % 10 == 0, let f = picks.first { picks.append(f) }
        let id = rng.next() % 9 == 0 ? String(rng.next() % UInt64(n)) : String(v)
        var row = "\(id);\(picks.joined(separator: ","))" + (extra ? ";x" : "")
        switch rng.next() % 25 {
        case 0: row += ";"
        case 1: row += ";y;z"
        case 2: row = " \(row)"
        default: break
        }
        rows.append(row)
      }
      let text = file(kind: kind, extraMeta: meta, votesHeader: extra ? "voter_id;vote;age" : "voter_id;vote", rows: rows)
      expectSame(text, cut: cuts[round % cuts.count])
      expectSame(text, options: ReadOptions(checkDuplicateVoters: false), cut: cuts[round % cuts.count])
      if round % 4 == 0 { expectSame(text, options: ReadOptions(invalidBallots: .reject)) }
    }
  }

  @Test("cumulative and scoring rows (points on the fast path in parts) and unusual point values, limits and columns")
  func pointRows() {
    var rng = SplitMix64(seed: 29)
    let values = ["3", "0", "1", "2", "007", "3.0", " 3", "3 ", "+3", "-1", "", "x", "99999999999999999999", "1e2", "4\r"]
    for round in 0..<60 {
      let kind = ["cumulative", "scoring"][round % 2]
      let meta = [
        "", "max_sum_points;5\n", "min_sum_points;2\n", "max_points;3\n", "min_points;1\n",
        "min_points;1\nmax_points;3\nmin_sum_points;2\nmax_sum_points;6\n", "min_points;4\nmax_points;2\n", "min_length;2\n",
      ][(round / 2) % 8]
      let pointsFirst = round % 5 == 4
      var rows: [String] = []
      let n = 1 + Int(rng.next() % 80)
      for v in 0..<n {
        let k = Int(1 + rng.next() % 3)
        var picks = (0..<k).map { _ in ["1", "2", "3", "4", "5", " 1"][Int(rng.next() % 6)] }
        if rng.next() % 12 == 0, let f = picks.first { picks.append(f) }
        var pts = picks.map { _ in rng.next() % 5 == 0 ? values[Int(rng.next() % UInt64(values.count))] : String(rng.next() % 4) }
        if rng.next() % 12 == 0 { pts.removeLast() }
        if rng.next() % 12 == 0 { pts.append("1") }
        let id = rng.next() % 9 == 0 ? String(rng.next() % UInt64(n)) : String(v)
        let vote = picks.joined(separator: ","), points = pts.joined(separator: ",")
        var row = pointsFirst ? "\(id);\(points);\(vote)" : "\(id);\(vote);\(points)"
        switch rng.next() % 25 {
        case 0: row += ";"
        case 1: row += ";y"
        case 2: row += "\r"
        default: break
        }
        rows.append(row)
      }
      let header = pointsFirst ? "voter_id;points;vote" : "voter_id;vote;points"
      let text = file(kind: kind, extraMeta: meta, votesHeader: header, rows: rows)
      expectSame(text, cut: cuts[round % cuts.count])
      expectSame(text, options: ReadOptions(checkDuplicateVoters: false), cut: cuts[round % cuts.count])
      expectSame(text, options: ReadOptions(enforceMetaLimits: false), cut: cuts[round % cuts.count])
      if round % 4 == 0 { expectSame(text, options: ReadOptions(invalidBallots: .reject)) }
    }
  }

  @Test("scores without the profile: weights, points and overflow, as the profile's")
  func scoresOnly() throws {
    let w = "voter_id;vote;weight", pw = "voter_id;vote;points;weight"
    let huge = "9000000000000"  // 9 * 10^18 millionths: two overflow 64 bits
    let cases = [
      (file(votesHeader: w, rows: ["1;1,2;\(huge)", "2;1;\(huge)", "3;;\(huge)", "4;3;1"]), true),
      // An empty ballot's weight scores nothing, however often it comes.
      (file(votesHeader: w, rows: ["1;;\(huge)", "2;;\(huge)", "3;1;\(huge)", "4;2;1"]), false),
      (file(votesHeader: w, rows: ["1;1;1", "2;1;1.000000", "3;2;1", "4;2,1"]), false),
      // Two identical ballots whose total weight overflows (the profile once wrapped it silently).
      (file(kind: "cumulative", votesHeader: pw, rows: ["1;1;1;\(huge)", "2;1;1;\(huge)"]), true),
      // ... and with no points, nothing to score.
      (file(kind: "cumulative", votesHeader: pw, rows: ["1;1,2;0,0;\(huge)", "2;1,2;0,0;\(huge)", "3;3;1;0.5"]), false),
      (file(kind: "cumulative", votesHeader: "voter_id;vote;points", rows: ["1;1;9000000000000000000", "2;1;300000000000000000"]), true),
      (file(kind: "scoring", votesHeader: pw, rows: ["1;1,2;4,5;2.5", "2;1;3;1", "3;2,3;1,1;0.000001"]), false),
      (file(kind: "choose-1", votesHeader: w, rows: ["1;1;2", "2;1;2", "3;4;"]), false),
    ]
    for (text, overflows) in cases {
      expectSame(text)
      let scored = try PabulibReader().readScores(bytes: Array(text.utf8))
      #expect((scored.scores == nil) == overflows, "\(text)")
    }
  }

  @Test("ordinal and cumulative ballots with META limits")
  func kinds() {
    let ord = (0..<40).map { "\($0);\([["1", "2", "3"], ["3", "1"], ["2"], ["4", "4"]][$0 % 4].joined(separator: ","))" }
    expectSame(file(kind: "ordinal", extraMeta: "max_length;2\n", rows: ord))
    let cum = (0..<40).map { "\($0);1,2;\($0 % 5),\(3 - $0 % 3)" }
    expectSame(file(kind: "cumulative", extraMeta: "max_sum_points;5\n", votesHeader: "voter_id;vote;points", rows: cum))
  }

  @Test("the largest shared files read the same in parts (copied in or mapped) and in one pass", arguments: [
    "Poland_Wroclaw_2015_150_-_500.pb", "Poland_Lodz_2022.pb", "Poland_Krakow_2024.pb", "Poland_Katowice_2020.pb",
  ])
  func shared(name: String) throws {
    guard let path = Datasets.pabulib(name) else { return }
    let a = try PabulibReader().read(path: path)
    var one = PabulibReader()
    one.partsThreshold = nil
    let b = try one.read(path: path)
    let mapped = try PabulibReader(options: ReadOptions(mapFiles: true)).read(path: path)
    _prestartThread()
    let hashedAhead = try PabulibReader(options: ReadOptions(mapFiles: true)).read(path: path)
    for x in [a, mapped, hashedAhead] {
      #expect(x.profile == b.profile)
      #expect(x.report == b.report)
      #expect(x.sha256 == b.sha256)
    }
  }

  @Test("a mapped file of 1 MiB or more hashed on the thread started ahead: the same file and digest as one pass")
  func hashedAhead() throws {
    var rng = SplitMix64(seed: 3)
    var rows: [String] = []
    while rows.count < 120_000 {
      let v = rows.count
      rows.append("\(rng.next() % 40 == 0 ? Int(rng.next() % UInt64(v + 1)) : v);\((0..<Int(1 + rng.next() % 3)).map { _ in String(1 + rng.next() % 4) }.joined(separator: ","))")
    }
    let text = file(rows: rows)
    try #require(text.utf8.count >= 1 << 20)
    let dir = TempFiles.folder(["big.pb": text])
    defer { TempFiles.remove(dir) }
    let path = dir + "/big.pb"
    var one = PabulibReader()
    one.partsThreshold = nil
    let expected = try one.read(path: path)
    for cut in [nil, 0.5] {
      _prestartThread()
      var r = PabulibReader(options: ReadOptions(mapFiles: true))
      r.partsCut = cut
      let x = try r.read(path: path)
      #expect(x.profile == expected.profile)
      #expect(x.report == expected.report)
      #expect(x.sha256 == expected.sha256)
    }
  }
}

/// The same for channel ballot files (`tally run`): tallies, reports and kept ballots of a file read
/// in two parts at once equal those of one pass.
@Suite struct BallotFilePartsTests {
  private static let instance = Instance(
    meta: [], projects: ["a", "b", "c", "d"].enumerated().map { Project(id: $1, cost: 10, categories: [$0 < 2 ? "x" : "y"]) },
    budget: 100, ballotKind: .approval)

  private func expectSame(
    _ text: String, channel: Channel, policy: InvalidBallotPolicy = .void, keepBallots: Bool = true, cut: Double = 0.5,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var parts = BallotFileReader(channel: channel, instance: Self.instance, policy: policy, voterCheck: .memory, keepBallots: keepBallots)
    parts.partsThreshold = 0
    parts.partsCut = cut
    var one = parts
    one.partsThreshold = nil
    // (Below the threshold: one pass over the bytes in place, ordinary rows on the fast path.)
    var inPlace = parts
    inPlace.partsThreshold = Int.max
    let bytes = Array(text.utf8)
    let a = Result { () throws(InputError) in try parts.read(bytes: bytes, source: "b.csv") }
    let b = Result { () throws(InputError) in try one.read(bytes: bytes, source: "b.csv") }
    let c = Result { () throws(InputError) in try inPlace.read(bytes: bytes, source: "b.csv") }
    for x in [a, c] {
      expectSameOutcome(x, b, sourceLocation: sourceLocation) { x, y in
        #expect(x.tally == y.tally, sourceLocation: sourceLocation)
        #expect(x.report == y.report, sourceLocation: sourceLocation)
        #expect(x.profiles == y.profiles, sourceLocation: sourceLocation)
      }
    }
  }

  @Test("random ballot files with weights, groups, pick limits, repeats and bad rows")
  func random() {
    let groups = [GroupWeight(group: "g1", weight: ExactDecimal(units: 1, scale: 0)), GroupWeight(group: "g2", weight: ExactDecimal(units: 15, scale: 1))]
    let channels = [
      Channel(id: "p", ballots: "b.csv", weight: ExactDecimal(units: 1, scale: 0), picks: PickRules(minPicks: 1, maxPicks: 3)),
      Channel(
        id: "c", ballots: "b.csv", weight: ExactDecimal(units: 1, scale: 0),
        picks: PickRules(minPicks: 0, maxPicks: nil, categoryLimits: [CategoryLimit(category: "x", max: 1)]), groupWeights: groups),
    ]
    var rng = SplitMix64(seed: 5)
    for round in 0..<60 {
      var text = "voter_id;vote;weight;group\n"
      let n = 1 + Int(rng.next() % (round < 30 ? 50 : 400))
      for v in 0..<n {
        let picks = (0..<Int(rng.next() % 4)).map { _ in ["a", "b", "c", "d", "e", ""][Int(rng.next() % 6)] }
        let id = rng.next() % 7 == 0 ? "V\(rng.next() % UInt64(n))" : "V\(v)"
        let weight = ["", "1", "0.5", "2.25", "-1", "x"][Int(rng.next() % 6)]
        let group = ["g1", "g2", "g3"][Int(rng.next() % 3)]
        text += rng.next() % 20 == 0 ? "broken\n" : "\(id);\(picks.joined(separator: ","));\(weight);\(group)\n"
      }
      for channel in channels {
        expectSame(text, channel: channel, cut: cuts[round % cuts.count])
        // Without kept ballots, a voter id in both halves revises the second half instead of reading it again.
        expectSame(text, channel: channel, keepBallots: false, cut: cuts[round % cuts.count])
        if round % 5 == 0 { expectSame(text, channel: channel, policy: .reject) }
      }
      expectSame(text.replacingOccurrences(of: "\n", with: "\r\n"), channel: channels[0], cut: cuts[round % cuts.count])
      expectSame(text.replacingOccurrences(of: "\n", with: "\r\n"), channel: channels[0], keepBallots: false, cut: cuts[round % cuts.count])
    }
  }

  @Test("random files without weights (read in parts by the fast path): the same as one pass by the general judge")
  func randomPlain() {
    let channels = [
      Channel(id: "p", ballots: "b.csv", weight: ExactDecimal(units: 1, scale: 0), picks: PickRules(minPicks: 1, maxPicks: 3)),
      Channel(id: "q", ballots: "b.csv", weight: ExactDecimal(units: 1, scale: 0), picks: PickRules(minPicks: 0)),
    ]
    var rng = SplitMix64(seed: 9)
    for round in 0..<60 {
      let swapped = round % 3 == 1
      var text = swapped ? "vote;voter_id;note\n" : "voter_id;vote\n"
      let n = 1 + Int(rng.next() % (round < 30 ? 60 : 500))
      for v in 0..<n {
        var picks = (0..<Int(rng.next() % 4)).map { _ in ["a", "b", "c", "d", "e", "", " a", "b "][Int(rng.next() % 8)] }
        if rng.next() % 12 == 0, let f = picks.first { picks.append(f) }
        let id = rng.next() % 6 == 0 ? "G\(sevenDigits(Int(rng.next() % UInt64(n))))" : "G\(sevenDigits(v))"
        let vote = picks.joined(separator: ",")
        var row = swapped ? "\(vote);\(id);x" : "\(id);\(vote)"
        switch rng.next() % 30 {
        case 0: row += ";"
        case 1: row = "  "
        case 2: row = id
        default: break
        }
        text += row + "\n"
      }
      for channel in channels {
        expectSame(text, channel: channel, keepBallots: false, cut: cuts[round % cuts.count])
        if round % 4 == 0 { expectSame(text, channel: channel) }
        if round % 5 == 0 { expectSame(text, channel: channel, policy: .reject, keepBallots: false) }
      }
      expectSame(text.replacingOccurrences(of: "\n", with: "\r\n"), channel: channels[0], keepBallots: false, cut: cuts[round % cuts.count])
    }
  }

  @Test("a voter in both halves and a quoted field fall back to one pass with the same result")
  func edges() {
    let channel = Channel(id: "p", ballots: "b.csv", weight: ExactDecimal(units: 1, scale: 0))
    let rows = (0..<30).map { "G\(sevenDigits($0));a,b\n" }.joined()
    expectSame("voter_id;vote\n" + rows + "G0000001;c\n", channel: channel)
    expectSame("voter_id;vote\n" + rows + "\"G0000099\";c\n", channel: channel)
    expectSame("voter_id;vote\n\"G00\n00098\";c\n" + rows, channel: channel)
    // Quotes past the first 64 KiB checked, in either part, and none at all.
    let many = (0..<6_000).map { "G\(sevenDigits($0));a,b\n" }.joined()
    let later = (6_000..<12_000).map { "G\(sevenDigits($0));c\n" }.joined()
    for cut in [0.2, 0.5, 0.9] {
      expectSame("voter_id;vote\n" + many + "\"Q\";d\n" + later, channel: channel, keepBallots: false, cut: cut)
      expectSame("voter_id;vote\n" + many + later, channel: channel, keepBallots: false, cut: cut)
    }
    expectSame("voter_id;vote\n" + rows + "G0000099;z\n", channel: channel, policy: .reject)
  }

  @Test("halves whose voter sets number ids differently (the first row gives no voter id) merge exactly")
  func shapesDiffer() {
    // The first row has no voter field, so each half's voter set takes its numbered-id shape from its
    // own first id ("A…" and "B…"); their common voters cannot be listed, and the second half is read
    // again after the first (found by FuzzBallots: the revision had listed them anyway).
    let channel = Channel(id: "p", ballots: "b.csv", weight: ExactDecimal(units: 1, scale: 0), picks: PickRules(minPicks: 0))
    var rows = ["a"]
    rows += (0..<10).map { "a,b;A\($0)" }
    rows += (0..<60).map { "c;B\($0)" }
    rows += ["b;A3", "zz;A4", "d;A5", "a;B7"]
    let text = "vote;voter_id\n" + rows.joined(separator: "\n") + "\n"
    expectSame(text, channel: channel, keepBallots: false)
    expectSame(text, channel: channel, keepBallots: true)
  }

  @Test("the second half's first copies of first-half voters become duplicates, whatever they were")
  func revisedSecondHalf() {
    let groups = [GroupWeight(group: "g1", weight: ExactDecimal(units: 1, scale: 0))]
    let channel = Channel(
      id: "c", ballots: "b.csv", weight: ExactDecimal(units: 1, scale: 0), picks: PickRules(minPicks: 1, maxPicks: 2), groupWeights: groups)
    // The first half: voters 0..<40; the second half repeats some of them first as a valid ballot, a bad
    // weight, an unknown group, too many picks, an unknown project, then again.
    var rows = (0..<40).map { "G\(sevenDigits($0));a;1;g1\n" }
    let repeats = ["G0000003;b;2;g1", "G0000005;b;x;g1", "G0000007;b;1;g9", "G0000009;a,b,c;1;g1", "G0000011;zz;1;g1", "G0000003;c;1;g1", "N1;a;1;g1",
      "G0000013;a;1;g1;x", "  ", "G0000013;b;1;g1"]
    rows += (40..<80).map { "G\(sevenDigits($0));b,c;0.5;g1\n" }
    for (k, r) in repeats.enumerated() { rows.insert(r + "\n", at: 46 + 3 * k) }
    rows.insert("N2;a;1;g1\n", at: 2)
    let text = "voter_id;vote;weight;group\n" + rows.joined() + "N1;d;1;g1\nN2;b;1;g1\n"
    expectSame(text, channel: channel, keepBallots: false)
    expectSame(text, channel: channel, keepBallots: true)
    expectSame(text, channel: channel, policy: .reject, keepBallots: false)
    // More problems than the report lists: the second half is read again instead.
    let noisy = "voter_id;vote;weight;group\n" + (0..<120).map { "G\(sevenDigits($0));a;-1;g1\n" }.joined()
      + (0..<120).map { "G\(sevenDigits($0));b;1;g1\n" }.joined()
    expectSame(noisy, channel: channel, keepBallots: false)
  }
}

/// Seven digits with leading zeros.
private func sevenDigits(_ v: Int) -> String {
  let s = String(v)
  return String(repeating: "0", count: max(0, 7 - s.count)) + s
}

/// Where the tests end the first part (a fraction of the rows' bytes), round by round: the middle,
/// near either end, and each end (an empty part).
private let cuts: [Double] = [0.5, 0.15, 0.85, 0, 1, 0.4]
