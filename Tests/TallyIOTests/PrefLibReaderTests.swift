import Testing
import TallyCore
import TallyIO

@Suite struct PrefLibReaderTests {
  static let toi = """
    # FILE NAME: example.toi
    # DATA TYPE: toi
    # NUMBER ALTERNATIVES: 4
    # NUMBER VOTERS: 6
    # ALTERNATIVE NAME 1: Alpha
    # ALTERNATIVE NAME 2: Beta
    # ALTERNATIVE NAME 3: Gamma
    # ALTERNATIVE NAME 4: Delta
    3: 1,{2,3},4
    2: 3
    1: {4}, 2

    """

  @Test("PrefLib extensions are recognised", arguments: ["a.soc", "b.SOI", "dir/c.toc", "d.toi"])
  func format(path: String) throws {
    #expect(try InputLoader.format(of: path) == .preflib)
  }

  @Test("a toi file: alternatives, names, counts and indifference classes") func toiFile() throws {
    let f = try PrefLibReader().read(string: Self.toi, dataType: "toi")
    #expect(f.instance.projects.map(\.id) == ["1", "2", "3", "4"])
    #expect(f.instance.projects.map(\.name) == ["Alpha", "Beta", "Gamma", "Delta"])
    #expect(f.instance.ballotKind == .ordinal)
    #expect(f.voters == 6)
    #expect(f.profile.uniqueBallotCount == 3)
    #expect(f.profile.multiplicities == [3, 2, 1])
    #expect(Array(f.profile.ballot(0)) == [0, 1, 2, 3])
    #expect(f.profile.ballotGroups(0) == [0, 1, 1, 2])
    #expect(f.profile.ballotGroups(2) == [0, 1])  // {4} is an ordinary position
    #expect(f.instance.metaValue("DATA TYPE") == "toi")
  }

  @Test("strict files are stored without tie groups") func strict() throws {
    let f = try PrefLibReader().read(string: "# NUMBER ALTERNATIVES: 3\n2: 1,2,3\n1: 3,1,2\n", dataType: "soc")
    #expect(f.profile.tieGroups == nil)
    #expect(f.voters == 3)
  }

  struct Bad: Sendable, CustomTestStringConvertible {
    var text: String
    var dataType: String
    var location: String
    var testDescription: String { location }
  }

  @Test(
    "malformed input is an error at its line and column",
    arguments: [
      Bad(text: "# NUMBER ALTERNATIVES: 3\n2: 1,4\n", dataType: "soi", location: "<input>:2:6"),
      Bad(text: "# NUMBER ALTERNATIVES: 3\n2: 1,1\n", dataType: "soi", location: "<input>:2:6"),
      Bad(text: "# NUMBER ALTERNATIVES: 3\nx: 1\n", dataType: "soi", location: "<input>:2:1"),
      Bad(text: "# NUMBER ALTERNATIVES: 3\n2 1,2\n", dataType: "soi", location: "<input>:2:3"),
      Bad(text: "# NUMBER ALTERNATIVES: 3\n2: {1,2\n", dataType: "toi", location: "<input>:2:4"),
      Bad(text: "# NUMBER ALTERNATIVES: 3\n2: {1,2},3\n", dataType: "soc", location: "<input>:2:1"),
      Bad(text: "# NUMBER ALTERNATIVES: 3\n2: 1,2\n", dataType: "soc", location: "<input>:2:1"),
      Bad(text: "# NUMBER ALTERNATIVES: 3\n2: 1,,2\n", dataType: "soi", location: "<input>:2:6"),
      Bad(text: "# NUMBER ALTERNATIVES: 3\n2: 1 2\n", dataType: "soi", location: "<input>:2:6"),
      Bad(text: "2: 1\n", dataType: "soi", location: "<input>:1:1"),
      Bad(text: "# NUMBER ALTERNATIVES: 3\n1: 1\n# TITLE: late\n", dataType: "soi", location: "<input>:3:1"),
      Bad(text: "", dataType: "soi", location: "<input>"),
    ])
  func malformed(bad: Bad) {
    do {
      _ = try PrefLibReader().read(string: bad.text, dataType: bad.dataType)
      Issue.record("accepted malformed input")
    } catch {
      #expect(error.location.description == bad.location, "\(error.description)")
    }
  }
}
