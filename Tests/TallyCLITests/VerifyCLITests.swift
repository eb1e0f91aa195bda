import Testing
import TallyCore
import TallyIO
import TallyTestSupport

/// End to end: `tally verify` on results of `allocate` and `run` (skipped with a notice when the binary
/// is not built).
@Suite struct VerifyCLITests {
  @Test("A result verifies, also re-indented; a changed value, a changed input and broken JSON do not")
  func verify() throws {
    let dir = ElectionFixtures.folder()
    defer { TempFiles.remove(dir) }
    guard let run = CLIRunner.run(["run", dir, "--format", "json"]) else { return }
    #expect(run.status == 0, "\(run.stderr)")
    TempFiles.write(dir + "/run.json", run.stdout)
    let ok = CLIRunner.run(["verify", dir + "/run.json"])!
    #expect(ok.status == 0 && ok.stdout.hasPrefix("verified: "), "\(ok.stdout)\(ok.stderr)")

    // The same values with other whitespace and key order still verify.
    let value = try JSONValue.parse(Array(run.stdout.utf8), source: "run.json")
    TempFiles.write(dir + "/pretty.json", value.rendered(pretty: true))
    let pretty = CLIRunner.run(["verify", dir + "/pretty.json", "--format", "json"])!
    #expect(pretty.status == 0 && pretty.stdout.contains(#""matches":true"#), "\(pretty.stdout)\(pretty.stderr)")

    // A changed value: exit 65, the differing key named.
    guard case .object(var o) = value else { Issue.record("not an object"); return }
    o["ranking"] = .array([])
    TempFiles.write(dir + "/changed.json", JSONValue.object(o).rendered())
    let changed = CLIRunner.run(["verify", dir + "/changed.json", "--format", "json"])!
    #expect(changed.status == 65 && changed.stdout.contains(#""differingKeys":["ranking"]"#), "\(changed.stdout)")

    // A changed input: the SHA-256 differs.
    let ballots = Datasets.readText(dir + "/public.csv") ?? ""
    TempFiles.write(dir + "/public.csv", ballots + "\n")
    let moved = CLIRunner.run(["verify", dir + "/run.json"])!
    #expect(moved.status == 65 && moved.stdout.hasPrefix("MISMATCH: "), "\(moved.stdout)")

    // Broken JSON and a missing file: file:line:column errors, exit 65.
    TempFiles.write(dir + "/broken.json", "{\"a\": 1,\n  \"b\": [1,,2]}")
    let broken = CLIRunner.run(["verify", dir + "/broken.json"])!
    #expect(broken.status == 65 && broken.stderr.contains("broken.json:2:11: error: invalid JSON"), "\(broken.stderr)")
    let missing = CLIRunner.run(["verify", dir + "/none.json"])!
    #expect(missing.status == 65 && missing.stderr.contains("none.json: error: no such file"), "\(missing.stderr)")
    TempFiles.write(dir + "/array.json", "[1]")
    let array = CLIRunner.run(["verify", dir + "/array.json"])!
    #expect(array.status == 65 && array.stderr.contains("not a JSON object"), "\(array.stderr)")
  }
}
