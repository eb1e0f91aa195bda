import Testing
import TallyCore
import TallyTestSupport
@testable import TallyIO

@Suite struct ElectionReaderTests {
  static func r(_ n: Int, _ d: Int = 1) -> Rational { Rational(BigInt(n), BigInt(d)) }

  @Test("The fixture election reads: exact weights, pick rules, category limits, groups, paths") func reads() throws {
    let dir = ElectionFixtures.folder()
    defer { TempFiles.remove(dir) }
    let def = try ElectionReader.read(path: dir)
    #expect(def.path == dir + "/election.json")
    #expect(def.instance.projects.map(\.id) == ["a", "b", "c", "d"])
    #expect(def.instance.budget == 60)
    let e = def.election
    #expect(e.channels.map(\.id) == ["public", "committee"])
    #expect(e.channels[0].weightRational == Self.r(1, 2))
    #expect(e.channels[0].picks == PickRules(minPicks: 1, maxPicks: 2))
    #expect(e.channels[1].picks.exactPicks == 2)
    #expect(e.channels[1].picks.categoryLimits == [CategoryLimit(category: "city", min: 1, max: 1), CategoryLimit(category: "gov", min: 1, max: 1)])
    #expect(e.channels[1].groupWeights.map(\.group) == ["g1", "g2"])
    #expect(def.ballotPaths == [dir + "/public.csv", dir + "/committee.csv"])
    #expect(e.tieBreak == "lexicographic" && e.allocation == "greedy")
  }

  @Test("Every void reason is counted with its file and line") func voidReasons() throws {
    let dir = ElectionFixtures.folder()
    defer { TempFiles.remove(dir) }
    let def = try ElectionReader.read(path: dir)
    let b = try def.readBallots()
    let pub = b.channels[0].report
    #expect(pub.read == 10 && pub.valid == 4 && pub.voidCount == 6)
    let expected: [(BallotProblem, Int)] = [
      (.unknownProject, 6), (.repeatedProject, 7), (.tooManyPicks, 8), (.tooFewPicks, 9), (.duplicateVoter, 10),
      (.malformedRow, 11),
    ]
    #expect(pub.examples.map(\.problem) == expected.map(\.0))
    #expect(pub.examples.map(\.location.line) == expected.map(\.1))
    #expect(pub.examples.allSatisfy { $0.location.source == dir + "/public.csv" && $0.voided })
    #expect(pub.examples[0].location.column == 3)
    let com = b.channels[1].report
    #expect(com.read == 7 && com.valid == 3)
    #expect(com.examples.map(\.problem) == [.categoryLimit, .tooFewPicks, .badWeight, .unknownGroup])
    #expect(com.examples.map(\.location.line) == [5, 6, 7, 8])
    #expect(com.examples[0].detail == "2 picks in category 'city', exactly 1 allowed")
  }

  @Test("Shares are exact under every normalisation, with per-ballot and group weights") func normalisations() throws {
    let dir = ElectionFixtures.folder()
    defer { TempFiles.remove(dir) }
    let def = try ElectionReader.read(path: dir)
    let b = try def.readBallots()
    let pub = b.channels[0].tally
    let com = b.channels[1].tally
    #expect(pub.shares(.shareOfVoters) == [Self.r(3, 4), Self.r(1, 2), Self.r(1, 2), .zero])
    #expect(pub.shares(.shareOfApprovals) == [Self.r(3, 7), Self.r(2, 7), Self.r(2, 7), .zero])
    #expect(pub.shares(.max100) == [Self.r(100), Self.r(200, 3), Self.r(200, 3), .zero])
    #expect(pub.shares(.raw) == [Self.r(3), Self.r(2), Self.r(2), .zero])
    #expect(com.totalWeight == Self.r(3))
    #expect(com.shares(.shareOfVoters) == [Self.r(2, 3), Self.r(1, 3), Self.r(1, 3), Self.r(2, 3)])
    #expect(com.shares(.shareOfApprovals) == [Self.r(1, 3), Self.r(1, 6), Self.r(1, 6), Self.r(1, 3)])
    #expect(com.projectVotes == [2, 1, 1, 2])
    let s = ElectionScores(election: def.election, tallies: [pub, com])
    #expect(s.combined == [Self.r(17, 24), Self.r(5, 12), Self.r(5, 12), Self.r(1, 3)])
    #expect(s.tieBreakAuxiliary["share:committee"] == com.shares(.shareOfVoters))
  }

  @Test("The digest covers the election file and every file it names, in order") func digest() throws {
    let dir = ElectionFixtures.folder()
    defer { TempFiles.remove(dir) }
    let a = try ElectionReader.read(path: dir).readBallots().inputSHA256
    #expect(a.count == 64)
    TempFiles.write(dir + "/committee.csv", ElectionFixtures.committeeBallots + "k8;a,c;1;g1\n")
    let b = try ElectionReader.read(path: dir).readBallots().inputSHA256
    #expect(a != b)
  }

  #if canImport(Glibc)
  @Test("Hashed on the thread started ahead, while read: the same digest, tallies and reports as hashed in turn")
  func hashedAhead() throws {
    for dir in [Datasets.path("datasets/korea-national-2020"), ElectionFixtures.folder()] {
      defer { if !dir.hasPrefix(Datasets.path("")) { TempFiles.remove(dir) } }
      let def = try ElectionReader.read(path: dir)
      let inTurn = try def.readBallots()
      _prestartThread()
      let ahead = try #require(try def.readHashingAhead(def.ballotReaders(policy: .void, voterCheck: .auto, keepBallots: false, mapFiles: true)))
      #expect(ahead.inputSHA256 == inTurn.inputSHA256)
      #expect(ahead.channels.map(\.tally) == inTurn.channels.map(\.tally))
      #expect(ahead.channels.map(\.report) == inTurn.channels.map(\.report))
      // Opened and hashed as soon as the election file is parsed, before the projects are.
      _prestartThread()
      let early = try ElectionReader.read(path: dir, openingBallotsAhead: .auto)
      #expect(early.ballotsAhead != nil)
      #expect(early.hasher.finalize() == def.hasher.finalize())
      #expect(early.instance == def.instance)
      let fromEarly = try early.readBallots(mapFiles: true)
      #expect(fromEarly.inputSHA256 == inTurn.inputSHA256)
      #expect(fromEarly.channels.map(\.tally) == inTurn.channels.map(\.tally))
      #expect(fromEarly.channels.map(\.report) == inTurn.channels.map(\.report))
      // The held files are read once; a second read opens them again.
      #expect(try early.readBallots(mapFiles: true).inputSHA256 == inTurn.inputSHA256)
      #expect(try early.readBallots(voterCheck: .memory, mapFiles: true).channels.map(\.report) == inTurn.channels.map(\.report))
    }
    // A large file read without the duplicate check streams (bounded memory): it is not held ahead.
    _prestartThread()
    #expect(try ElectionReader.read(path: Datasets.path("datasets/korea-national-2020"), openingBallotsAhead: .off).ballotsAhead == nil)
  }
  #endif

  @Test("The external voter check voids exactly what the in-memory check voids", arguments: [1, 2, 3, 1 << 20])
  func externalVoterCheck(buffer: Int) throws {
    var text = "voter_id;vote\n"
    for v in 0..<40 { text += "v\(v % 13);a\n" }
    text += "bad\n;a\n"
    let dir = TempFiles.folder(["b.csv": text])
    defer { TempFiles.remove(dir) }
    let repeated = try _ExternalVoterCheck.repeatedIDs(path: dir + "/b.csv", policy: .void, bufferEntries: buffer)
    #expect(repeated.count == 13)
    let inst = Instance(meta: [], projects: [Project(id: "a", cost: 1)], budget: 1, ballotKind: .approval)
    let channel = Channel(id: "c", ballots: "b.csv", weight: ExactDecimal(units: 1, scale: 0))
    let mem = try BallotFileReader(channel: channel, instance: inst, voterCheck: .memory).read(path: dir + "/b.csv")
    let ext = try BallotFileReader(channel: channel, instance: inst, voterCheck: .external).read(path: dir + "/b.csv")
    #expect(ext.voterCheck == .external)
    #expect(mem.report.voided == ext.report.voided)
    #expect(mem.report.examples.map(\.location.line) == ext.report.examples.map(\.location.line))
    #expect(mem.report.valid == 13 && mem.report.voided[.duplicateVoter] == 27 && mem.report.voided[.malformedRow] == 2)
    let off = try BallotFileReader(channel: channel, instance: inst, voterCheck: .off).read(path: dir + "/b.csv")
    #expect(off.report.valid == 40)
  }

  @Test("Presets supply weights and ballot rules; explicit values win") func presets() throws {
    let json = """
      {"preset": "seoul-2019", "projects": "projects.csv", "budget": 100, "channels": [
        {"id": "public", "ballots": "p.csv"}, {"id": "proposers", "ballots": "p.csv"},
        {"id": "committee", "ballots": "p.csv", "maxPicks": 12, "minPicks": 3}, {"id": "budget-school", "ballots": "p.csv", "weight": 0.2}]}
      """
    let dir = TempFiles.folder(["election.json": json, "projects.csv": ElectionFixtures.projects])
    defer { TempFiles.remove(dir) }
    let e = try ElectionReader.read(path: dir).election
    #expect(e.channels.map(\.weightRational) == [Self.r(1, 2), Self.r(1, 10), Self.r(3, 10), Self.r(1, 5)])
    #expect(e.channels[0].picks.exactPicks == 10)
    #expect(e.channels[2].picks == PickRules(minPicks: 3, maxPicks: 12))
    #expect(e.preset == .seoul2019)
    #expect(ElectionPreset.national.weightsAreAssumed)
    #expect(ElectionPreset.seoul2015.defaultPicks(channel: "e-vote")?.categoryLimits == [CategoryLimit(category: "*", max: 1)])
  }

  @Test("One pick per area (Seoul 2015) voids a second pick in the same category") func onePerArea() throws {
    let json = """
      {"preset": "seoul-2015", "projects": "projects.csv", "budget": 100, "channels": [
        {"id": "committee", "ballots": "b.csv"}, {"id": "e-vote", "ballots": "b.csv"}, {"id": "survey", "ballots": "b.csv"}]}
      """
    let dir = TempFiles.folder([
      "election.json": json, "projects.csv": ElectionFixtures.projects, "b.csv": "voter_id;vote\n1;a,c\n2;a,b\n3;d\n",
    ])
    defer { TempFiles.remove(dir) }
    let b = try ElectionReader.read(path: dir).readBallots()
    #expect(b.channels[1].report.valid == 2)
    #expect(b.channels[1].report.examples.map(\.problem) == [.categoryLimit])
    #expect(b.channels[1].report.examples.first?.location.line == 3)
    #expect(b.channels[0].report.valid == 3)
  }

  struct ErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var json: String
    var line: Int
    var column: Int?
    var message: String
    var testDescription: String { name }
  }

  static let base = #"{"projects": "projects.csv", "budget": 100, "channels": [{"id": "p", "ballots": "b.csv", "weight": 1}]"#

  static let errorCases: [ErrorCase] = [
    ErrorCase(name: "invalid JSON", json: "{\n  \"budget\": 1,\n}", line: 3, column: 1, message: "invalid JSON: expected a member name in double quotes"),
    ErrorCase(
      name: "misspelt key", json: base.replacingOccurrences(of: "\"weight\": 1", with: "\"weight\": 1,\n \"maxPick\": 2") + "}",
      line: 2, column: 2, message: "unknown key 'maxPick' in channel 'p' (did you mean 'maxPicks'?)"),
    ErrorCase(
      name: "negative weight", json: base.replacingOccurrences(of: "\"weight\": 1", with: "\"weight\":\n -0.5") + "}", line: 2,
      column: 2, message: "channel 'p': 'weight' must not be negative"),
    ErrorCase(
      name: "weight not a number", json: base.replacingOccurrences(of: "\"weight\": 1", with: "\"weight\": \"NaN\"") + "}",
      line: 1, column: 100, message: "'weight': 'NaN' is not a finite number with at most 18 decimals that fits in 64 bits"),
    ErrorCase(
      name: "all weights zero", json: base.replacingOccurrences(of: "\"weight\": 1", with: "\"weight\": 0") + "}", line: 1,
      column: 57, message: "every channel weight is 0: at least one must be positive"),
    ErrorCase(
      name: "unknown normalisation", json: base + ",\n\"normalisation\": \"share\"}", line: 2, column: 18,
      message: "unknown normalisation 'share' (expected share-of-voters, share-of-approvals, max-100, raw)"),
    ErrorCase(
      name: "tie-break names no channel", json: base + ",\n\"tieBreak\": \"share:nobody\"}", line: 2, column: 13,
      message: "tie-break key 'share:nobody' names no channel (use share:<channel id>; channels: p)"),
    ErrorCase(
      name: "missing projects file", json: base.replacingOccurrences(of: "projects.csv", with: "nope.csv") + "}", line: 1,
      column: 14, message: "projects file '<dir>/nope.csv': no such file"),
    ErrorCase(
      name: "preset channel missing", json: base.replacingOccurrences(of: "{\"projects\"", with: "{\"preset\": \"national\", \"projects\"").replacingOccurrences(of: "\"p\"", with: "\"public\"") + "}",
      line: 1, column: 79, message: "preset 'national' needs a channel 'committee' (channels: committee, public)"),
    ErrorCase(
      name: "exactPicks with maxPicks",
      json: base.replacingOccurrences(of: "\"weight\": 1", with: "\"weight\": 1, \"exactPicks\": 2, \"maxPicks\": 3") + "}", line: 1,
      column: 132, message: "channel 'p': give either 'exactPicks' or 'minPicks'/'maxPicks', not both"),
    ErrorCase(
      name: "unknown category in limits",
      json: base.replacingOccurrences(of: "\"weight\": 1", with: "\"weight\": 1, \"categoryLimits\": {\"nope\": {\"max\": 1}}") + "}",
      line: 1, column: 121, message: "channel 'p': category 'nope' of 'categoryLimits' is not a category of any project"),
    ErrorCase(
      name: "envelope floor above cap",
      json: base + ",\n\"envelopes\": [{\"target\": \"marginalised\", \"cap\": 10, \"floor\": 20}]}", line: 2, column: 62,
      message: "envelope 'envelope 1': floor 20 is more than cap 10"),
    ErrorCase(name: "duplicate key", json: "{\"budget\": 1, \"budget\": 2}", line: 1, column: 15, message: "invalid JSON: key 'budget' appears twice"),
  ]

  @Test("Election file errors name the file, line and column of the offending value", arguments: errorCases)
  func errors(_ c: ErrorCase) throws {
    let dir = TempFiles.folder(["election.json": c.json, "projects.csv": ElectionFixtures.projects, "b.csv": "voter_id;vote\n"])
    defer { TempFiles.remove(dir) }
    do {
      _ = try ElectionReader.read(path: dir)
      Issue.record("accepted")
    } catch {
      #expect(error.location.source == dir + "/election.json")
      #expect(error.location.line == c.line)
      #expect(error.location.column == c.column)
      #expect(error.message == c.message.replacingOccurrences(of: "<dir>", with: dir))
    }
  }

  @Test("A missing ballot file or a groups channel without a group column is an error at its place") func ballotFileErrors() throws {
    let dir = ElectionFixtures.folder()
    defer { TempFiles.remove(dir) }
    TempFiles.write(dir + "/committee.csv", "voter_id;vote\nk1;a,c\n")
    let def = try ElectionReader.read(path: dir)
    #expect(throws: InputError.self) { try def.readBallots() }
    do { _ = try def.readBallots() } catch {
      #expect(error.location.source == dir + "/committee.csv" && error.location.line == 1)
    }
    unlink(dir + "/public.csv")
    do { _ = try def.readBallots() } catch {
      #expect(error.reason == .fileNotFound && error.location.source == dir + "/public.csv")
    }
  }

  @Test("JSON numbers are exact, exponents included") func exactNumbers() {
    #expect(_ElectionParser.exactDecimal("0.1") == ExactDecimal(units: 1, scale: 1))
    #expect(_ElectionParser.exactDecimal("5e-1").map { Rational($0) } == Rational(BigInt(1), BigInt(2)))
    #expect(_ElectionParser.exactDecimal("1.1e10").map { Rational($0) } == Rational(11_000_000_000))
    #expect(_ElectionParser.exactDecimal("1e400") == nil)
  }
}

#if canImport(Glibc)
  import Glibc
#endif

extension String {
  func replacingOccurrences(of a: String, with b: String) -> String {
    split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
  }
}
