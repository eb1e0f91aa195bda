import Testing
import TallyAnalysis
import TallyCore
import TallyIO
import TallyRules
import TallyTestSupport

@Suite struct ElectionRunTests {
  static func r(_ n: Int, _ d: Int = 1) -> Rational { Rational(BigInt(n), BigInt(d)) }

  static func run(
    budget: Int = 60, normalisation: String = "share-of-voters", extra: String = "", rule: String = "greedy",
    tieBreak: String? = nil
  ) throws -> ElectionRun {
    let dir = ElectionFixtures.folder(budget: budget, normalisation: normalisation, extra: extra)
    defer { TempFiles.remove(dir) }
    return try run(dir: dir, rule: rule, tieBreak: tieBreak)
  }

  static func run(dir: String, rule: String = "greedy", tieBreak: String? = nil) throws -> ElectionRun {
    let def = try ElectionReader.read(path: dir)
    let ballots = try def.readBallots(keepBallots: true)
    let r = try RuleCatalog.standard.allocation(rule)!
    return try ElectionRun(definition: def, ballots: ballots, rule: r, tieBreak: tieBreak.map { try TieBreak(parsing: $0) })
  }

  func ids(_ run: ElectionRun, _ xs: [Int]) -> [String] { xs.map { run.definition.instance.projects[$0].id } }

  @Test("Decimals round half up, in 64-bit parts and past them alike; a value that rounds to 0 has no sign")
  func decimals() {
    let big = BigInt(1) << 70  // 1180591620717411303424
    let cases: [(Rational, Int, String)] = [
      (Rational(BigInt(-1), BigInt(3)), 4, "-0.3333"), (Rational(BigInt(2), BigInt(3)), 4, "0.6667"),
      (Rational(BigInt(5), BigInt(2)), 0, "3"), (Rational(BigInt(-1), BigInt(300_000)), 4, "0"),
      (Rational(BigInt(1), BigInt(8)), 2, "0.13"), (Rational(BigInt(7)), 3, "7"), (Rational(BigInt(Int64.max), BigInt(1)), 18, "9223372036854775807"),
      (Rational(big + 1, BigInt(4)), 2, "295147905179352825856.25"), (Rational(-big, BigInt(3)), 1, "-393530540239137101141.3"),
      (Rational(BigInt(1), big), 12, "0"), (Rational(BigInt(123_456_789), BigInt(1_000_000)), 12, "123.456789"),
    ]
    for (r, digits, text) in cases { #expect(ElectionRun.decimal(r, digits: digits) == text, "\(r) to \(digits) decimals") }
    let kept: [(Rational, Int, String)] = [
      (Rational(BigInt(-1), BigInt(3)), 4, "-0.3333"), (Rational(BigInt(-1), BigInt(300_000)), 4, "0.0000"),
      (Rational(BigInt(1), BigInt(8)), 2, "0.13"), (Rational(BigInt(7)), 3, "7.000"), (Rational(BigInt(5), BigInt(2)), 0, "3"),
      (Rational(BigInt(1), BigInt(20)), 6, "0.050000"), (Rational(big + 1, BigInt(4)), 4, "295147905179352825856.2500"),
      (Rational(BigInt(1), big), 3, "0.000"), (Rational(-big, BigInt(3)), 2, "-393530540239137101141.33"),
    ]
    for (r, digits, text) in kept {
      #expect(ElectionRun.decimal(r, digits: digits, keepZeros: true) == text, "\(r) to \(digits) decimals, zeros kept")
    }
  }

  @Test("Decimals of random fractions: within half a unit of the last place, halves rounded away from zero")
  func randomDecimals() {
    var rng = SplitMix64(seed: 41)
    for _ in 0..<2_000 {
      let digits = Int(rng.next() % 19)
      let d = Int64(1 + rng.next() % (rng.next() % 2 == 0 ? 1_000 : UInt64(Int64.max)))
      var n = Int64(bitPattern: rng.next() >> UInt64(1 + rng.next() % 62))
      if rng.next() % 3 == 0 { n = -n }
      let r = Rational(BigInt(n), BigInt(d))
      for keep in [false, true] {
        let text = ElectionRun.decimal(r, digits: digits, keepZeros: keep)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let decimals = parts.count == 2 ? parts[1].count : 0
        if keep { #expect(decimals == digits, "\(text)") } else { #expect(decimals <= digits && (decimals == 0 || parts[1].last != "0"), "\(text)") }
        // The text as an exact fraction: digits without the point over 10^decimals.
        let value = Rational(BigInt(text.replacingOccurrences(of: ".", with: ""))!, BigInt(10).power(decimals))
        let half = Rational(BigInt(1), BigInt(2) * BigInt(10).power(digits))
        let error = value - r
        // |error| ≤ half a unit; a half exactly is rounded away from zero.
        func size(_ x: Rational) -> Rational { x.signum < 0 ? .zero - x : x }
        #expect(size(error) <= half, "\(r) to \(digits): \(text)")
        if size(error) == half { #expect(size(value) > size(r), "\(r) to \(digits): \(text)") }
        if value == .zero { #expect(!text.hasPrefix("-"), "\(text)") }
      }
    }
  }

  @Test("Combined scores, tied ranks (1, 2, 2, 4) and the greedy cut") func ranking() throws {
    let run = try Self.run()
    #expect(run.scores.combined == [Self.r(17, 24), Self.r(5, 12), Self.r(5, 12), Self.r(1, 3)])
    #expect(run.tiers.map { ids(run, $0) } == [["a"], ["b", "c"], ["d"]])
    #expect(run.ranks == [1, 2, 2, 4])
    #expect(ids(run, run.outcome.selected) == ["a", "c"])
    #expect(run.outcome.spent == 60)
  }

  @Test("Tie-breaks: share:committee is tied too, so lower-cost decides; share:public then lexicographic")
  func tieBreaks() throws {
    let a = try Self.run(extra: #""tieBreak": "share:committee,lower-cost","#)
    #expect(a.tiers.map { ids(a, $0) } == [["a"], ["c", "b"], ["d"]])
    #expect(a.tieBreak.description == "share:committee,lower-cost")
    let b = try Self.run(tieBreak: "share:public")
    #expect(b.tiers.map { ids(b, $0) } == [["a"], ["b", "c"], ["d"]])
    #expect(throws: RuleError.self) { try Self.run(tieBreak: "share:nobody") }
  }

  @Test("A floor for marginalised projects is filled first; a category cap is respected") func envelopes() throws {
    let floor = try Self.run(extra: #""envelopes": [{"name": "m", "target": "marginalised", "floor": 30}],"#)
    #expect(ids(floor, floor.outcome.selected) == ["b", "c", "d"])
    #expect(floor.envelopeResults.map(\.spent) == [40])
    let cap = try Self.run(budget: 100, extra: #""envelopes": [{"name": "gov", "category": "gov", "cap": 20}],"#)
    #expect(ids(cap, cap.outcome.selected) == ["a", "b", "c"])
    #expect(cap.envelopeResults.first?.selected.count == 1)
  }

  @Test("raw sums weighted counts; max-100 and share-of-approvals rescale each channel") func normalisations() throws {
    let raw = try Self.run(normalisation: "raw")
    #expect(raw.scores.combined == [Self.r(5, 2), Self.r(3, 2), Self.r(3, 2), Self.r(1)])
    let m = try Self.run(normalisation: "max-100")
    // public: 100, 200/3, 200/3, 0; committee: 100, 50, 50, 100.
    #expect(m.scores.combined == [Self.r(100), Self.r(175, 3), Self.r(175, 3), Self.r(50)])
    let ap = try Self.run(normalisation: "share-of-approvals")
    #expect(ap.scores.combined == [Self.r(3, 14) + Self.r(1, 6), Self.r(1, 7) + Self.r(1, 12), Self.r(1, 7) + Self.r(1, 12), Self.r(1, 6)])
  }

  @Test("max-welfare through the catalog, when it is there, respects the envelopes") func maxWelfare() throws {
    guard RuleCatalog.standard.entry("max-welfare") != nil else {
      print("notice: max-welfare is not in the catalog yet; skipped")
      return
    }
    let run = try Self.run(budget: 60, rule: "max-welfare")
    // Best total within 60: a+c (17/24+10/24 = 27/24) vs b+c+d (28/24) → b, c, d.
    #expect(Set(ids(run, run.outcome.selected)) == ["b", "c", "d"])
  }

  @Test("The run JSON has the contract's shape") func json() throws {
    let dir = ElectionFixtures.folder()
    defer { TempFiles.remove(dir) }
    let run = try Self.run(dir: dir)
    let j = run.json
    guard case .array(let channels)? = j["channels"], case .array(let ranking)? = j["ranking"] else {
      Issue.record("no channels or ranking")
      return
    }
    #expect(channels.count == 2)
    #expect(channels[0]["id"] == "public")
    #expect(channels[0]["weight"] == .number("0.5"))
    #expect(channels[0]["ballots"]?["read"] == 10)
    #expect(channels[0]["ballots"]?["valid"] == 4)
    #expect(channels[0]["ballots"]?["void"] == 6)
    #expect(channels[0]["ballots"]?["voidByReason"]?["duplicate-voter"] == 1)
    #expect(ranking.map { $0["id"] } == ["a", "b", "c", "d"])
    #expect(ranking.map { $0["rank"] } == [1, 2, 2, 4])
    #expect(ranking[1]["exact"]?["score"] == "5/12")
    #expect(ranking[0]["shares"]?["public"] == .number("0.75"))
    #expect(j["allocation"]?["rule"] == "greedy")
    #expect(j["allocation"]?["budget"] == .number("60"))
    #expect(j["allocation"]?["spent"] == .number("60"))
    #expect(j["allocation"]?["selected"] == ["a", "c"])
    #expect(j["provenance"]?["inputSHA256"] == .string(run.ballots.inputSHA256))
    #expect(j["provenance"]?["tieBreak"] == "lexicographic")
    #expect(j.rendered() == (try Self.run(dir: dir)).json.rendered())
  }

  @Test("The Pabulib export reads back with the combined ranking") func export() throws {
    let run = try Self.run()
    let text = run.pabulibExport()
    let file = try PabulibReader().read(string: text)
    #expect(file.profile.voterCount == 7)
    #expect(file.instance.projects.map { $0.fields["score"] } == ["0.708333333333", "0.416666666667", "0.416666666667", "0.333333333333"])
    let scores = file.profile.scores()!
    let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    #expect(order == [0, 1, 2, 3])
    #expect(scores[1] == scores[2])
    #expect(file.instance.metaValue("channel_ranges") == "public:1-4,committee:5-7")
  }
}
