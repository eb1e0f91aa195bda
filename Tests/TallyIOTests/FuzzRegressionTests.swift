import Testing
import TallyCore
import TallyIO
import TallyTestSupport

/// Inputs the fuzzer found (Tests/Fuzz), kept as regression tests: each must read (or fail with an
/// input error) without crashing, and whatever reads must write back to a file that reads the same.
@Suite struct FuzzRegressionTests {
  static let cases = [
    "quoted-header-newline.pb",
    // A META value holding "\r\n" was written unquoted: Swift compares Characters, and "\r\n" is
    // one Character, neither "\r" nor "\n" (found by FuzzPabulib).
    "crlf-in-meta-value.pb",
    // A quote followed by a combining mark is one Character too: it was neither quoted nor doubled.
    "quote-with-combining-mark.pb",
    // A META key "VOTES" (read from `"VOTES";`) with an empty value was written `VOTES;`, which
    // reads as the VOTES section (found by FuzzPabulib).
    "meta-key-with-quote-after-nul.pb",
  ]

  @Test("Fuzzer findings read, write back and read the same", arguments: cases)
  func regression(name: String) throws {
    let path = Datasets.path("Tests/TallyIOTests/FuzzRegressions/" + name)
    guard let text = Datasets.readText(path) else {
      Issue.record("missing \(path)")
      return
    }
    guard let f = try? PabulibReader().read(string: text, source: name) else { return }
    let written = PabulibWriter.write(instance: f.instance, profile: f.profile)
    let g = try PabulibReader().read(string: written, source: "rt-" + name)
    #expect(g.profile.items == f.profile.items)
    #expect(g.profile.multiplicities == f.profile.multiplicities)
    #expect(g.instance.projects.map(\.id) == f.instance.projects.map(\.id))
  }

  @Test("A PrefLib header declaring 16 million alternatives is refused, not allocated (the fuzzer's run peaked at 509 MB)")
  func manyAlternatives() {
    let path = Datasets.path("Tests/TallyIOTests/FuzzRegressions/preflib-many-alternatives.soi")
    do {
      _ = try PrefLibReader().read(path: path)
      Issue.record("no error")
    } catch {
      #expect(error.location.line == 2 && error.location.column == 1)
      #expect(error.message == "META 'NUMBER ALTERNATIVES': 16000000 alternatives are more than the 100000 Tally reads")
    }
    // The limit itself reads.
    let f = try? PrefLibReader().read(string: "# NUMBER ALTERNATIVES: 100000\n1: 100000\n", dataType: "soi")
    #expect(f?.instance.projects.count == 100_000)
  }

  @Test("A comma followed by a combining mark is still a comma: such a project id is rejected") func combiningComma() {
    let text = "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n\"a,\u{301}b\";1\n"
    do {
      _ = try PabulibReader().read(string: text, source: "c.pb")
      Issue.record("no error")
    } catch {
      #expect(error.description == "c.pb:7:1: error: project id 'a,\u{301}b' contains ',', which separates ids in vote lists")
    }
    let csv = "project_id;cost\n\"a,\u{301}b\";1\n"
    do {
      _ = try ElectionReader.read(
        bytes: Array(#"{"projects": "p.csv", "budget": 1, "channels": [{"id": "c", "ballots": "b", "weight": 1}]}"#.utf8),
        path: "e.json", projects: Array(csv.utf8))
      Issue.record("no error")
    } catch {
      #expect(error.description == "p.csv:2:1: error: project id 'a,\u{301}b' contains ',' (ballots join ids with ',')")
    }
  }

  @Test("An id with a leading space and a combining mark matches its votes") func combiningSpace() throws {
    let text = "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n \u{301}a;1\nVOTES\nvoter_id;vote\n1; \u{301}a\n"
    let f = try PabulibReader().read(string: text, source: "s.pb")
    #expect(f.report.valid == 1)
  }

  @Test("A META key or project id named like a section is written quoted, and reads back") func sectionNames() throws {
    let text = "META\nkey;value\nbudget;1\nvote_type;approval\n\"votes\";\nPROJECTS\nproject_id;cost\n\" Meta \";1\nVOTES\nvoter_id;vote\n1; Meta \n"
    let f = try PabulibReader().read(string: text, source: "s.pb")
    let written = PabulibWriter.write(instance: f.instance, profile: f.profile)
    #expect(written.contains("\n\"votes\";\n") && written.contains("\n\"Meta\";1\n"))
    let g = try PabulibReader().read(string: written, source: "rt.pb")
    #expect(g.instance.metaValue("votes") == "" && g.instance.projects.map(\.id) == ["Meta"] && g.report.valid == 1)
  }

  @Test("A project id with a comma is rejected: commas separate ids in vote lists") func commaID() {
    let text = "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n\"a,b\";1\n"
    do {
      _ = try PabulibReader().read(string: text, source: "c.pb")
      Issue.record("no error")
    } catch {
      #expect(error.description == "c.pb:7:1: error: project id 'a,b' contains ',', which separates ids in vote lists")
    }
  }
}
