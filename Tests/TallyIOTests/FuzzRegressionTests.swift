import Testing
import TallyCore
import TallyIO
import TallyTestSupport

/// Inputs the fuzzer found (Tests/Fuzz), kept as regression tests: each must read (or fail with an
/// input error) without crashing, and whatever reads must write back to a file that reads the same.
@Suite struct FuzzRegressionTests {
  static let cases = ["quoted-header-newline.pb"]

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
