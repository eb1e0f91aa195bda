import Testing
@testable import TallyIO
import TallyCore
import TallyTestSupport

/// Reading a large VOTES section in two parts on two threads must give exactly what one pass gives:
/// the same profile (distinct ballots in the same order), report (counts and places), digest and
/// errors, whatever the file holds.
@Suite struct PartsReadingTests {
  private func both(_ text: String, options: ReadOptions = ReadOptions()) -> (Result<PabulibFile, InputError>, Result<PabulibFile, InputError>) {
    var parts = PabulibReader(options: options)
    parts.partsThreshold = 0
    var one = PabulibReader(options: options)
    one.partsThreshold = nil
    let bytes = Array(text.utf8)
    return (Result { () throws(InputError) in try parts.read(bytes: bytes, source: "t.pb") },
            Result { () throws(InputError) in try one.read(bytes: bytes, source: "t.pb") })
  }

  private func expectSame(_ text: String, options: ReadOptions = ReadOptions(), sourceLocation: SourceLocation = #_sourceLocation) {
    let (a, b) = both(text, options: options)
    switch (a, b) {
    case (.success(let x), .success(let y)):
      #expect(x.profile == y.profile, sourceLocation: sourceLocation)
      #expect(x.report == y.report, sourceLocation: sourceLocation)
      #expect(x.sha256 == y.sha256, sourceLocation: sourceLocation)
      #expect(x.instance == y.instance, sourceLocation: sourceLocation)
    case (.failure(let x), .failure(let y)):
      #expect(x.description == y.description, sourceLocation: sourceLocation)
    default:
      Issue.record("one way failed, the other did not: \(a) vs \(b)", sourceLocation: sourceLocation)
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
      expectSame(file(rows: rows))
      expectSame(file(rows: rows), options: ReadOptions(checkDuplicateVoters: false))
      if round % 4 == 0 { expectSame(file(rows: rows), options: ReadOptions(invalidBallots: .reject)) }
    }
  }

  @Test("a voter in both halves, an error in the second half, quotes, CRLF, named voter ids")
  func edges() {
    let rows = (0..<20).map { "v\($0);1,2" }
    expectSame(file(rows: rows + ["v0;3"]))  // the repeat is in the second half
    expectSame(file(rows: rows + ["VOTES"]))  // a section line inside VOTES: an error at its line
    expectSame(file(rows: rows + ["\"v99\";1"]))  // a quote: one pass
    expectSame(file(rows: rows).replacingOccurrences(of: "\n", with: "\r\n"))
    expectSame(file(rows: (0..<30).map { "\(String(repeating: "0", count: $0 % 3))\($0);2" }))
    expectSame(file(votesHeader: "voter_id;vote;", rows: rows.map { $0 + ";" }))
    expectSame(file(votesHeader: "voter_id;vote;weight", rows: (0..<30).map { "\($0);1,2;\($0 % 3 + 1)" }))
  }

  @Test("ordinal and cumulative ballots with META limits")
  func kinds() {
    let ord = (0..<40).map { "\($0);\([["1", "2", "3"], ["3", "1"], ["2"], ["4", "4"]][$0 % 4].joined(separator: ","))" }
    expectSame(file(kind: "ordinal", extraMeta: "max_length;2\n", rows: ord))
    let cum = (0..<40).map { "\($0);1,2;\($0 % 5),\(3 - $0 % 3)" }
    expectSame(file(kind: "cumulative", extraMeta: "max_sum_points;5\n", votesHeader: "voter_id;vote;points", rows: cum))
  }

  @Test("the largest shared files read the same both ways", arguments: [
    "Poland_Wroclaw_2015_150_-_500.pb", "Poland_Lodz_2022.pb", "Poland_Krakow_2024.pb", "Poland_Katowice_2020.pb",
  ])
  func shared(name: String) throws {
    guard let path = Datasets.pabulib(name) else { return }
    let a = try PabulibReader().read(path: path)
    var one = PabulibReader()
    one.partsThreshold = nil
    let b = try one.read(path: path)
    #expect(a.profile == b.profile)
    #expect(a.report == b.report)
    #expect(a.sha256 == b.sha256)
  }
}
