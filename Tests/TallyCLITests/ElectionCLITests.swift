import Testing
import TallyCore
import TallyTestSupport

/// End to end: the built `tally` binary on elections (skipped with a notice when it is not built).
@Suite struct ElectionCLITests {
  @Test("tally run on the fixture: exit 0, the contract's JSON keys, byte-identical reruns") func runJSON() throws {
    let dir = ElectionFixtures.folder()
    defer { TempFiles.remove(dir) }
    guard let a = CLIRunner.run(["run", dir, "--format", "json"]) else { return }
    #expect(a.status == 0, "\(a.stderr)")
    for key in [
      #""channels":["#, #""ranking":["#, #""allocation":{"#, #""provenance":{"#, #""inputSHA256":"#, #""tieBreak":"lexicographic""#,
      #""selected":["a","c"]"#, #""ballots":{"#, #""read":10"#, #""valid":4"#, #""void":6"#, #""shares":{"committee":"#,
    ] {
      #expect(a.stdout.contains(key), "missing \(key)")
    }
    let b = CLIRunner.run(["run", dir + "/election.json", "--format", "json"])!
    #expect(a.stdout == b.stdout)
  }

  @Test("tally run table, --rule, --tie-break and --export-pb") func runTable() throws {
    let dir = ElectionFixtures.folder()
    defer { TempFiles.remove(dir) }
    guard let t = CLIRunner.run(["run", dir, "--tie-break", "share:committee,lower-cost", "--export-pb", dir + "/out.pb"]) else {
      return
    }
    #expect(t.status == 0, "\(t.stderr)")
    #expect(t.stdout.contains("ranking (score = 0.5×public + 0.5×committee)"))
    #expect(t.stdout.contains("public.csv:10:1: duplicate-voter"))
    #expect(Datasets.readText(dir + "/out.pb")?.hasPrefix("META\n") == true)
    let v = CLIRunner.run(["validate", dir + "/out.pb"])!
    #expect(v.status == 0 && v.stdout.contains("ballots read 7, valid 7, void 0"))
    let unknown = CLIRunner.run(["run", dir, "--rule", "nope"])!
    #expect(unknown.status == 64)
  }

  @Test("validate, allocate and rank accept an election") func otherCommands() throws {
    let dir = ElectionFixtures.folder()
    defer { TempFiles.remove(dir) }
    guard let v = CLIRunner.run(["validate", dir, "--format", "json"]) else { return }
    #expect(v.status == 0 && v.stdout.contains(#""format":"election""#))
    let a = CLIRunner.run(["allocate", dir, "--rule", "greedy", "--format", "json"])!
    #expect(a.status == 0 && a.stdout.contains(#""selected":["a","c"]"#), "\(a.stderr)")
    let r = CLIRunner.run(["rank", dir, "--rule", "score", "--format", "json"])!
    #expect(r.status == 0 && r.stdout.contains(#""rank":2"#), "\(r.stderr)")
  }

  @Test("--tie-break overrides the election's own tie-break, lexicographic included")
  func tieBreakOverride() throws {
    let dir = ElectionFixtures.folder(extra: #""tieBreak": "higher-cost","#)
    defer { TempFiles.remove(dir) }
    guard let own = CLIRunner.run(["allocate", dir, "--rule", "greedy", "--format", "json"]) else { return }
    #expect(own.status == 0 && own.stdout.contains(#""tieBreak":"higher-cost""#), "\(own.stdout)\(own.stderr)")
    for command in ["allocate", "rank"] {
      let rule = command == "allocate" ? "greedy" : "score"
      let lex = CLIRunner.run([command, dir, "--rule", rule, "--tie-break", "lexicographic", "--format", "json"])!
      #expect(lex.status == 0 && lex.stdout.contains(#""tieBreak":"lexicographic""#), "\(command): \(lex.stdout)\(lex.stderr)")
    }
    let cmp = CLIRunner.run(["compare", dir, "--rules", "greedy", "--sweep-steps", "0", "--tie-break", "lexicographic", "--format", "json"])!
    #expect(cmp.status == 0 && cmp.stdout.contains(#""tieBreak":"lexicographic""#), "\(cmp.stderr)")
  }

  @Test("Bad elections exit 65 with file:line:column on stderr") func errors() throws {
    let dir = ElectionFixtures.folder(extra: #""allocation": "no-such-rule","#)
    defer { TempFiles.remove(dir) }
    guard let e = CLIRunner.run(["run", dir]) else { return }
    #expect(e.status == 65)
    #expect(e.stderr.hasPrefix(dir + "/election.json:11:17: error: unknown allocation rule 'no-such-rule'"), "\(e.stderr)")
    TempFiles.write(dir + "/election.json", "{\"budget\": 1,,}")
    let j = CLIRunner.run(["run", dir])!
    #expect(j.status == 65 && j.stderr.hasPrefix(dir + "/election.json:1:14: error: invalid JSON"), "\(j.stderr)")
    let missing = CLIRunner.run(["run", dir + "/nowhere"])!
    #expect(missing.status == 65, "\(missing.stderr)")
  }

  @Test("tally generate writes the bundled election's files") func generate() throws {
    let dir = TempFiles.directory()
    defer { TempFiles.remove(dir) }
    guard let g = CLIRunner.run(["generate", "korea-national", "--seed", "3", "--out", dir, "--public-ballots", "500", "--projects", "30"]) else {
      return
    }
    #expect(g.status == 0, "\(g.stderr)")
    let r = CLIRunner.run(["run", dir, "--format", "json"])!
    #expect(r.status == 0 && r.stdout.contains(#""valid":500"#), "\(r.stderr)")
    let bad = CLIRunner.run(["generate", "nowhere-land", "--out", dir])!
    #expect(bad.status == 64)
  }
}
