import Testing
import TallyCore
import TallyIO
import TallyTestSupport

@Suite struct PabulibReaderTests {
  @Test("CRLF, BOM, quoted fields with doubled quotes, decimal costs, extra columns, text ids")
  func messyInput() throws {
    let text = "\u{FEFF}META\r\nkey;value\r\nbudget;1000,5\r\nvote_type;approval\r\nextra_key;kept\r\n"
      + "PROJECTS\r\nproject_id;cost;name;category;extra\r\nA-1;400.25;\"The \"\"big\"\" one; really\";parks,roads;x\r\n"
      + "B;300;plain;;y\r\nVOTES\r\nvoter_id;vote;age\r\nv1;A-1,B;30\r\nv2;\"B\";40\r\n"
    let f = try PabulibReader().read(string: text, source: "m.pb")
    #expect(f.instance.costScale == 2)
    #expect(f.instance.budget == 100_050)
    #expect(f.instance.projects.map(\.cost) == [40025, 30000])
    #expect(f.instance.projects[0].name == "The \"big\" one; really")
    #expect(f.instance.projects[0].categories == ["parks", "roads"])
    #expect(f.instance.projects[1].fields["extra"] == "y")
    #expect(f.instance.metaValue("extra_key") == "kept")
    #expect(f.instance.format(amount: f.instance.budget) == "1000.50")
    #expect(f.profile.scoreUnits() == [1, 2])
    #expect(f.report.valid == 2)
  }

  @Test("A quote inside a field is literal text (Python csv semantics)") func midFieldQuote() throws {
    let text = "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n1;5;Konkurs \" NA\n"
      + "VOTES\nvoter_id;vote\n1;1\n"
    let f = try PabulibReader().read(string: text, source: "q.pb")
    #expect(f.instance.projects[0].name == "Konkurs \" NA")
    #expect(f.report.valid == 1)
  }

  @Test("Identical ballots are stored once with a multiplicity") func compact() throws {
    var text = "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\n2;5\nVOTES\nvoter_id;vote\n"
    for v in 0..<1000 { text += "\(v);\(v % 2 == 0 ? "1,2" : "2")\n" }
    let f = try PabulibReader().read(string: text, source: "c.pb")
    #expect(f.profile.uniqueBallotCount == 2)
    #expect(f.profile.voterCount == 1000)
  }

  @Test("Writing and reading back gives the same instance and profile", arguments: [
    "Poland_Lodz_2022.pb", "Poland_Katowice_2020.pb", "Poland_Krakow_2024.pb", "France_Toulouse_2022.pb",
    "Poland_Czestochowa_2020_Bleszno.pb",
  ])
  func roundTrip(name: String) throws {
    guard let path = Datasets.pabulib(name) else { return }
    let a = try PabulibReader().read(path: path)
    let text = PabulibWriter.write(instance: a.instance, profile: a.profile)
    let b = try PabulibReader().read(string: text, source: "roundtrip.pb")
    // Costs are written in canonical form ("15000.0" becomes "15000"); every other field is kept as is.
    func canonical(_ p: Project) -> Project {
      var q = p
      q.fields["cost"] = nil
      return q
    }
    #expect(b.instance.projects.map(canonical) == a.instance.projects.map(canonical), "projects differ")
    #expect(b.instance.budget == a.instance.budget)
    #expect(b.instance.costScale == a.instance.costScale)
    #expect(b.profile.offsets == a.profile.offsets)
    #expect(b.profile.items == a.profile.items)
    #expect(b.profile.points == a.profile.points)
    #expect(b.profile.multiplicities == a.profile.multiplicities)
    #expect(b.report.voidCount == 0)
    // Writing again is a fixed point.
    #expect(PabulibWriter.write(instance: b.instance, profile: b.profile) == text)
  }

  @Test("Weighted ballots round-trip with their weights") func weightedRoundTrip() throws {
    let text = "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\n2;5\n"
      + "VOTES\nvoter_id;vote;weight\n1;1;0.5\n2;2;1\n3;1;0.5\n"
    let a = try PabulibReader().read(string: text, source: "w.pb")
    #expect(a.profile.isWeighted)
    let b = try PabulibReader().read(string: PabulibWriter.write(instance: a.instance, profile: a.profile), source: "w2.pb")
    #expect(b.profile.weights == a.profile.weights)
    #expect(b.profile.scores() == a.profile.scores())
  }

  @Test("The streaming tally equals the scores of the full profile", arguments: [
    "Poland_Lodz_2022.pb", "Poland_Katowice_2020.pb", "Poland_Krakow_2024.pb",
  ])
  func streamingTally(name: String) throws {
    guard let path = Datasets.pabulib(name) else { return }
    let full = try PabulibReader().read(path: path)
    let t = try PabulibReader().tally(path: path)
    #expect(t.scoreUnits == full.profile.scoreUnits(maxLength: full.instance.maxLength))
    #expect(t.sha256 == full.sha256)
    #expect(t.report.valid == full.report.valid)
  }

  @Test("The SHA-256 is that of the file's bytes") func digest() throws {
    let f = try PabulibReader().read(string: "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n", source: "d.pb")
    // sha256 of the exact text above, computed with `sha256sum`.
    #expect(f.sha256 == "ab64c97ea23a599752c2b82a72b874d608e1ec90bda1c5f8e8fb403b3dce8c4f")
  }
}
