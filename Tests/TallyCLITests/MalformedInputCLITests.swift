#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Testing
import TallyCore
import TallyTestSupport

/// One malformed input given to the `tally` binary: the files written into a fresh folder, the
/// arguments (`$D` is the folder), the exit status and the exact stderr.
struct CLIErrorCase: Sendable, CustomTestStringConvertible {
  var id: String
  var files: [String: String]
  var arguments: [String]
  var status: Int32
  /// The first line of stderr (the whole of it for input errors; argument-parser adds usage lines).
  var stderr: String
  var testDescription: String { id }
}

private let projects = "project_id;cost;category\na;10;x\nb;20;x\nc;30;y\n"
private let election = #"""
  {
    "projects": "projects.csv", "budget": 60,
    "channels": [{"id": "c", "ballots": "b.csv", "weight": 1, "maxPicks": 2}]
  }
  """#
private let pb = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10\n2;20\nVOTES\nvoter_id;vote\n"

private let overflowing = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10\n2;20\nVOTES\nvoter_id;vote;weight\n1;1;9000000000000\n2;1;9000000000000\n3;2;1\n"

let cliErrorCases: [CLIErrorCase] = [
  .init(id: "empty .pb", files: ["a.pb": ""], arguments: ["validate", "$D/a.pb"], status: 65, stderr: "$D/a.pb: error: the input is empty"),
  .init(id: "missing .pb", files: [:], arguments: ["validate", "$D/a.pb"], status: 65, stderr: "$D/a.pb: error: no such file"),
  .init(id: "folder named .pb", files: [:], arguments: ["validate", "$D/sub.pb"], status: 65, stderr: "$D/sub.pb: error: cannot read: is a directory"),
  .init(id: ".pb bad cost", files: ["a.pb": pb.replacingOccurrences(of: "1;10", with: "1;1O")], arguments: ["validate", "$D/a.pb"], status: 65, stderr: "$D/a.pb:7:3: error: field 'cost': '1O' is not a number"),
  // Two voters with the same ballot and a weight of 9e12 (9e18 millionths): the score overflows 64
  // bits, whether it is summed while reading (greedy) or from the profile (mes), which once wrapped
  // it into a negative score.
  .init(id: ".pb score overflow, scores only", files: ["a.pb": overflowing], arguments: ["allocate", "$D/a.pb", "--rule", "greedy"], status: 65, stderr: "$D/a.pb: error: rule 'score': a project's score overflows 64 bits"),
  .init(id: ".pb score overflow, profile", files: ["a.pb": overflowing], arguments: ["allocate", "$D/a.pb", "--rule", "mes"], status: 65, stderr: "$D/a.pb: error: rule 'score': a project's score overflows 64 bits"),
  .init(id: ".pb NaN budget", files: ["a.pb": pb.replacingOccurrences(of: "budget;100", with: "budget;NaN")], arguments: ["allocate", "$D/a.pb", "--rule", "greedy"], status: 65, stderr: "$D/a.pb:3:8: error: field 'budget': 'NaN' is not a number"),
  .init(id: ".pb unterminated quote", files: ["a.pb": pb + "1;\"1,2\n"], arguments: ["validate", "$D/a.pb"], status: 65, stderr: "$D/a.pb:11: error: unterminated quoted field"),
  .init(id: ".pb truncated", files: ["a.pb": "META\nkey;value\nbudget;100\n"], arguments: ["validate", "$D/a.pb"], status: 65, stderr: "$D/a.pb:1: error: META has no 'vote_type' entry"),
  .init(id: ".pb rejected ballot", files: ["a.pb": pb + "1;1,9\n"], arguments: ["validate", "$D/a.pb", "--invalid-ballots", "reject"], status: 65, stderr: "$D/a.pb:11:5: error: invalid ballot (unknown-project): unknown project '9'"),
  .init(id: ".pb unknown rule", files: ["a.pb": pb + "1;1\n"], arguments: ["allocate", "$D/a.pb", "--rule", "nope"], status: 64, stderr: "tally: error: unknown allocation rule 'nope' (see `tally rules`)"),
  .init(id: "bad --format", files: ["a.pb": pb + "1;1\n"], arguments: ["validate", "$D/a.pb", "--format", "xml"], status: 64, stderr: "Error: The value 'xml' is invalid for '--format <format>'. Please provide one of 'table' and 'json'."),
  .init(id: "bad --invalid-ballots", files: ["a.pb": pb + "1;1\n"], arguments: ["validate", "$D/a.pb", "--invalid-ballots", "maybe"], status: 64, stderr: "Error: The value 'maybe' is invalid for '--invalid-ballots <invalid-ballots>'. Please provide one of 'void' and 'reject'."),
  .init(id: "unknown extension", files: ["a.txt": "hello\n"], arguments: ["validate", "$D/a.txt"], status: 65, stderr: "$D/a.txt: error: cannot read: unknown input format (expected .pb, .soc, .soi, .toc, .toi, election.json or a folder)"),
  .init(id: "missing .soi", files: [:], arguments: ["validate", "$D/a.soi"], status: 65, stderr: "$D/a.soi: error: no such file"),
  .init(id: ".soi alternative out of range", files: ["a.soi": "# NUMBER ALTERNATIVES: 2\n1: 1,3\n"], arguments: ["validate", "$D/a.soi"], status: 65, stderr: "$D/a.soi:2:6: error: invalid ballot (unknown-project): alternative 3 is not in 1...2"),
  .init(id: ".soc incomplete order", files: ["a.soc": "# NUMBER ALTERNATIVES: 2\n1: 1\n"], arguments: ["rank", "$D/a.soc", "--rule", "borda"], status: 65, stderr: "$D/a.soc:2:1: error: invalid ballot (too-few-picks): a soc order must rank all 2 alternatives; it ranks 1"),
  .init(id: "missing election folder", files: [:], arguments: ["run", "$D/nope"], status: 65, stderr: "$D/nope: error: no such file"),
  .init(id: "election.json syntax error", files: ["election.json": "{\n  \"budget\": 1,\n}\n"], arguments: ["run", "$D"], status: 65, stderr: "$D/election.json:3:1: error: invalid JSON: expected a member name in double quotes"),
  .init(id: "election.json misspelt key", files: ["election.json": election.replacingOccurrences(of: "\"budget\"", with: "\"budgte\"")], arguments: ["validate", "$D/election.json"], status: 65, stderr: "$D/election.json:2:31: error: unknown key 'budgte' in the election (did you mean 'budget'?)"),
  .init(id: "election.json wrong type", files: ["election.json": election.replacingOccurrences(of: "\"weight\": 1", with: "\"weight\": true")], arguments: ["run", "$D"], status: 65, stderr: "$D/election.json:3:58: error: 'weight' must be a number, not a boolean"),
  .init(id: "election without its projects file", files: ["election.json": election], arguments: ["run", "$D"], status: 65, stderr: "$D/election.json:2:15: error: projects file '$D/projects.csv': no such file"),
  .init(id: "projects file with a bad cost", files: ["election.json": election, "projects.csv": projects.replacingOccurrences(of: "b;20", with: "b;-20"), "b.csv": ""], arguments: ["run", "$D"], status: 65, stderr: "$D/projects.csv:3:3: error: field 'cost': '-20' must not be negative"),
  .init(id: "election without its ballot file", files: ["election.json": election, "projects.csv": projects], arguments: ["run", "$D"], status: 65, stderr: "$D/b.csv: error: no such file"),
  .init(id: "ballot file without a vote column", files: ["election.json": election, "projects.csv": projects, "b.csv": "voter_id;votes\n1;a\n"], arguments: ["validate", "$D"], status: 65, stderr: "$D/b.csv:1: error: section ballots has no 'vote' column"),
  .init(id: "ballot file rejected ballot", files: ["election.json": election, "projects.csv": projects, "b.csv": "voter_id;vote\n1;a\n2;a,b,c\n"], arguments: ["run", "$D", "--invalid-ballots", "reject"], status: 65, stderr: "$D/b.csv:3:3: error: invalid ballot (too-many-picks): 3 projects picked, at most 2 allowed"),
  .init(id: "ballot file unterminated quote", files: ["election.json": election, "projects.csv": projects, "b.csv": "voter_id;vote\n1;\"a\n"], arguments: ["run", "$D"], status: 65, stderr: "$D/b.csv:2: error: unterminated quoted field"),
]

@Suite struct MalformedInputCLITests {
  @Test("Malformed input: the exit status and `path:line:column: error: message` on stderr", arguments: cliErrorCases)
  func cliError(_ c: CLIErrorCase) throws {
    let dir = TempFiles.folder(c.files, prefix: "tally-cli-bad")
    mkdir(dir + "/sub.pb", 0o700)
    defer {
      rmdir(dir + "/sub.pb")
      TempFiles.remove(dir)
    }
    guard let r = CLIRunner.run(c.arguments.map { $0.replacingOccurrences(of: "$D", with: dir) }) else { return }
    let stderr = r.stderr.replacingOccurrences(of: dir, with: "$D")
    if getenv("TALLY_PRINT_TABLE") != nil { print("CLITABLE\t\(c.id)\t\(r.status)\t\(stderr.debugDescription)") }
    #expect(r.status == c.status)
    #expect(stderr.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) == c.stderr)
    if c.status == 65 { #expect(stderr == c.stderr + "\n") }
    #expect(r.stdout.isEmpty)
  }
}

extension String {
  fileprivate func replacingOccurrences(of a: String, with b: String) -> String {
    split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
  }
}
