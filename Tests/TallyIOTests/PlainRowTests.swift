import Testing
@testable import TallyIO
import TallyCore

/// The ballot reader's fast path (`_PlainRows.scanLine`, as `_BallotJudge.plainRows`) must accept only rows that the general
/// judge (`front` then `back`) finds valid, with the same voter id and the same picks in the same order,
/// and must cut each row where `_RecordReader.next()` does.
@Suite struct PlainRowTests {
  private static let ids = ["P1", "P22", "P333", "P4444", "P55555", "P666666", "P7777777", "P8888888", "P99999999", "LONG-ID-0010", "é1"]
  private static let instance = Instance(
    meta: [], projects: ids.map { Project(id: $0, cost: 10, categories: ["x"]) }, budget: 100, ballotKind: .approval)

  /// A random row over the given columns, from pieces that the fast path must treat with care.
  private func row(_ rng: inout SplitMix64, columns: [String]) -> String {
    func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
    func token() -> String {
      let id = rng.next() % 12 == 0 ? pick(["P0", "P2", "p1", "P1 ", " P1", "\tP22", "P22\t", "", "P1;", "P\u{0}1", "P333\r"]) : pick(Self.ids)
      return id
    }
    var fields: [String] = []
    for c in columns {
      switch c {
      case "voter_id":
        // (Some ids long enough that the row does not end within 64 bytes, which the fast path
        // reads another way.)
        let padding = rng.next() % 3 == 0 ? String(repeating: "w", count: Int(rng.next() % 70)) : ""
        fields.append(rng.next() % 10 == 0 ? pick(["", " V1", "V1 ", "\t", "V 1", "V\u{0}"]) : "V\(rng.next() % 1000)" + padding)
      case "vote":
        let n = Int(rng.next() % 5)
        var picks = (0..<n).map { _ in token() }
        if rng.next() % 10 == 0, let f = picks.first { picks.append(f) }
        fields.append(picks.joined(separator: rng.next() % 15 == 0 ? ", " : ","))
      case "weight":
        // (Mostly plain weights, which the fast path reads; a third that it leaves to the general path
        // or that are void.)
        fields.append(
          rng.next() % 3 != 0
            ? pick(["", " ", "1", "2", "0.5", " 1.25 ", "007", "0.000001", "1000000", "\t3\t", "999999.999999"])
            : pick([
              "0", "0.0", "-1", "+1", "1.", ".5", "1,5", "1.0000001", "1000000.1", "9999999", "12345678", "1.2.3", "x", "1e3",
              "3.1415926", "1.5000000",
            ]))
      case "group": fields.append(pick(["g1", "g2", " g1", "g2 ", "G1", "", "g3", "g", "g1g2"]))
      default:
        // (Sometimes long text, with commas and blanks, so that a row whose read fields end within
        // 64 bytes ends only in the next 64, or later.)
        fields.append(
          rng.next() % 4 == 0
            ? String(repeating: pick(["Long text, ", "é ", "x"]), count: Int(rng.next() % 30))
            : pick(["", "x", "g1", "1.5", "  "]))
      }
    }
    var r = fields.joined(separator: ";")
    switch rng.next() % 25 {
    case 0: r += ";"
    case 1: r += ";extra"
    case 2: r = fields.dropLast().joined(separator: ";")
    case 3: r = "   "
    case 4: r += "\r"
    case 5: r += ","
    default: break
    }
    return r
  }

  @Test("random rows: every row the fast path takes is valid for the general judge, with the same voter, picks, weight and group",
    arguments: [
      ["voter_id", "vote"], ["vote", "voter_id"], ["voter_id", "note", "vote", "other"], ["x", "voter_id", "vote"],
      ["voter_id", "vote", "weight"], ["weight", "voter_id", "group", "vote"], ["voter_id", "vote", "weight", "group", "note"],
      ["voter_id", "group", "vote"],
    ])
  func agreesWithTheGeneralJudge(columns: [String]) throws {
    let headerLine = Array(columns.joined(separator: ";").utf8)
    var fields = _FieldSplitter()
    let reader = _RecordReader(bytes: headerLine, source: "h.csv")
    let header = try #require(try _BallotHeader.read(reader, fields: &fields))
    var rng = SplitMix64(seed: 21)
    let one = ExactDecimal(units: 1, scale: 0)
    let groups = [GroupWeight(group: "g1", weight: one), GroupWeight(group: "g2", weight: ExactDecimal(units: 15, scale: 1))]
    for (picks, groupWeights) in [
      (PickRules(minPicks: 1, maxPicks: 3), [GroupWeight]()), (PickRules(minPicks: 0), groups), (PickRules(minPicks: 2, maxPicks: 2), []),
      (PickRules(minPicks: 1, maxPicks: 3), groups),
    ] {
      let channel = Channel(id: "c", ballots: "b.csv", weight: one, picks: picks, groupWeights: groupWeights)
      let rules = _BallotRules(channel: channel, instance: Self.instance, header: header)
      let fast = _BallotJudge(rules)
      let general = _BallotJudge(rules)
      #expect(fast.plainRows != nil)
      var taken = 0
      var takenLong = 0
      var takenLongTail = 0
      var valid = 0
      for _ in 0..<6000 {
        let text = row(&rng, columns: columns)
        // The row, its line end (or the end of the input), then a file's next line.
        let end = ["\n", "\r\n", "\r\r\n", ""][Int(rng.next() % 4)]
        // (Half the time more lines after it, so that the row is read in place with 128 bytes or
        // more ahead of it.)
        let more = rng.next() % 2 == 0 ? "\nV8;P1;" + String(repeating: "z", count: 100) : ""
        let bytes = Array((text + end + (end.isEmpty ? "" : "V9;P1,P22;;;;;;;;" + more)).utf8)
        try bytes.withUnsafeBufferPointer { all in
          // The record as the reader cuts it, and where the next one starts.
          let reader = _RecordReader(continuing: all, source: "b.csv", firstLine: 1, quoteFree: true)
          guard let rec = try reader.next() else {
            // (An empty row at the end of the input is no record.)
            #expect(fast.plainRows!.scanLine(all) == nil)
            return
          }
          let next = reader.unread.baseAddress! - all.baseAddress!
          let scanned = fast.plainRows!.scanLine(all)
          let voter = scanned.map { Array($0.voter) }
          var generalValid = false
          if !_isBlank(rec), case .voter(let v) = general.front(rec), case .valid(let units, let group) = general.back(rec) {
            generalValid = true
            valid += 1
            if let voter {
              #expect(voter == Array(v), "row \(text)")
              #expect(units == scanned!.weightUnits && group == scanned!.group, "row \(text)")
              #expect(Array(scanned!.picks) == Array(general.picks), "row \(text)")
            }
          }
          if voter != nil {
            taken += 1
            if rec.count >= 64 { takenLong += 1 }
            if rec.count >= 64 && rec.count < 128, let lastSemicolon = rec.lastIndex(of: 0x3B), lastSemicolon < 60 { takenLongTail += 1 }
            try #require(generalValid, "the fast path took a row the general judge voids: \((text + end).debugDescription)")
            #expect(scanned!.length == rec.count && scanned!.consumed == next, "row \((text + end).debugDescription)")
          }
        }
      }
      // The test means something only if the fast path takes most valid rows (it leaves empty vote
      // lists and ids to trim to the general judge; with a weight or group column also weights not
      // written plainly and unknown groups).
      let weighted = columns.contains("weight") || columns.contains("group")
      #expect(taken > 0 && taken * (weighted ? 5 : 2) >= valid * (weighted ? 2 : 1), "taken \(taken) of \(valid) valid rows")
      // (Rows that do not end within 64 bytes are read from the masks of the next 64 when every
      // field read ends in the first, else one field at a time, weights and groups too.)
      #expect(takenLong > 0, "no row of 64 bytes or more taken")
      if columns.last.map({ !["voter_id", "vote", "weight", "group"].contains($0) }) ?? false {
        #expect(takenLongTail > 0, "no row taken whose last field ends after 64 bytes, the others before")
      }
    }
  }

  @Test("the fast path is on with weights and weighted groups, off when categories are limited")
  func onlyWhenPlain() throws {
    func ready(_ header: String, _ channel: Channel) throws -> Bool {
      var fields = _FieldSplitter()
      let h = try #require(try _BallotHeader.read(_RecordReader(bytes: Array(header.utf8), source: "h.csv"), fields: &fields))
      return _BallotJudge(_BallotRules(channel: channel, instance: Self.instance, header: h)).plainRows != nil
    }
    let one = ExactDecimal(units: 1, scale: 0)
    let plain = Channel(id: "c", ballots: "b.csv", weight: one)
    #expect(try ready("voter_id;vote;group", plain))
    #expect(try ready("voter_id;vote;weight", plain))
    #expect(try ready("voter_id;vote;group", Channel(id: "c", ballots: "b.csv", weight: one, groupWeights: [GroupWeight(group: "g", weight: one)])))
    #expect(try !ready("voter_id;vote", Channel(id: "c", ballots: "b.csv", weight: one, picks: PickRules(categoryLimits: [CategoryLimit(category: "x", max: 1)]))))
  }
}
