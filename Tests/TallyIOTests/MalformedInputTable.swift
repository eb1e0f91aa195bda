#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Testing
import TallyCore
import TallyTestSupport
@testable import TallyIO

/// Which reader a malformed input goes to.
enum MalformedReader: Sendable, Hashable {
  /// `PabulibReader` (source `t.pb`), ballots rejected (so that ballot problems are errors too).
  case pabulib
  /// `BallotFileReader` of channel `plain` (at most 2 picks) or `grouped` (groups g1, g2) over the
  /// projects a, b, c; source `e/b.csv`; ballots rejected.
  case ballots(grouped: Bool)
  /// The projects file of an election read in memory (source `e/projects.csv`).
  case projects
  /// `election.json` read in memory (source `e/election.json`) with a good projects file.
  case election
  /// `PrefLibReader` with a data type (source `t.<type>`).
  case preflib(String)
}

/// One malformed input and the exact error: message, line and column (nil: none; line 0: whole file).
struct MalformedCase: Sendable, CustomTestStringConvertible {
  var id: String
  var reader: MalformedReader
  var input: [UInt8]
  var line: Int
  var column: Int?
  var message: String
  var testDescription: String { id }

  init(_ id: String, _ reader: MalformedReader, _ text: String, _ line: Int, _ column: Int?, _ message: String) {
    self.init(id, reader, bytes: Array(text.utf8), line, column, message)
  }

  init(_ id: String, _ reader: MalformedReader, bytes: [UInt8], _ line: Int, _ column: Int?, _ message: String) {
    self.id = id
    self.reader = reader
    self.input = bytes
    self.line = line
    self.column = column
    self.message = message
  }

  var source: String {
    switch reader {
    case .pabulib: "t.pb"
    case .ballots: "e/b.csv"
    case .projects: "e/projects.csv"
    case .election: "e/election.json"
    case .preflib(let t): "t." + t
    }
  }
}

enum MalformedFixtures {
  static let meta = "META\nkey;value\nbudget;100\nvote_type;approval\n"
  static let pb = meta + "PROJECTS\nproject_id;cost\n1;10\n2;20\nVOTES\nvoter_id;vote\n"
  static let pbWeighted = pb.replacingOccurrences(of: "voter_id;vote\n", with: "voter_id;vote;weight\n")
  static let pbCumulative = pb.replacingOccurrences(of: "approval", with: "cumulative")
    .replacingOccurrences(of: "voter_id;vote\n", with: "voter_id;vote;points\n")
  static let projects = "project_id;cost;category\na;10;x\nb;20;x\nc;30;y\n"
  static let election = #"""
    {
      "projects": "projects.csv", "budget": 60,
      "channels": [
        {"id": "plain", "ballots": "b.csv", "weight": 1, "maxPicks": 2},
        {"id": "grouped", "ballots": "b.csv", "weight": 1, "groups": {"g1": 1, "g2": 2}}
      ]
    }
    """#
  /// An election with one channel, the given JSON members added to the top level.
  static func electionWith(_ members: String) -> String {
    #"{"projects": "projects.csv", "budget": 60, "channels": [{"id": "c", "ballots": "b.csv", "weight": 1}], "#
      + members + "}"
  }
  /// An election with one channel whose members are given.
  static func channelWith(_ members: String) -> String {
    #"{"projects": "projects.csv", "budget": 60, "channels": [{"id": "c", "ballots": "b.csv", "#
      + members + "}]}"
  }
  static let junk: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0xFF, 0xFE, 0x0A, 0xC3, 0x28, 0x0A]
}

private typealias F = MalformedFixtures

let malformedCases: [MalformedCase] = [
  // MARK: Pabulib
  .init("pb: truncated in META", .pabulib, "META\nkey;value\nbudget;10\n", 1, nil, "META has no 'vote_type' entry"),
  .init("pb: truncated in a PROJECTS row", .pabulib, F.meta + "PROJECTS\nproject_id;cost\n1;1", 8, nil, "missing section VOTES"),
  .init("pb: truncated in a quoted name", .pabulib, F.meta + "PROJECTS\nproject_id;cost;name\n1;1;\"Par", 7, nil, "unterminated quoted field"),
  .init("pb: truncated in a vote row", .pabulib, F.pb + "7;1,", 11, 5, "invalid ballot (unknown-project): empty project id in the vote list"),
  .init("pb: only a byte-order mark", .pabulib, bytes: [0xEF, 0xBB, 0xBF], 0, nil, "the input is empty"),
  .init("pb: only blank lines", .pabulib, "\n \n\t\n", 0, nil, "the input is empty"),
  .init("pb: binary junk", .pabulib, bytes: F.junk, 1, 1, "unexpected line '\\u{7F}ELF\\u{2}\\u{1}\\u{1}\\u{0}\u{FFFD}\u{FFFD}'"),
  .init("pb: invalid UTF-8 in a section name", .pabulib, bytes: Array("META\nkey;value\n".utf8) + [0x50, 0xC3, 0x28, 0x0A], 3, 1, "expected 2 fields, found 1"),
  .init("pb: NUL byte in a number", .pabulib, bytes: Array("META\nkey;value\nbudget;1".utf8) + [0] + Array("\nvote_type;approval\n".utf8), 3, 8, "field 'budget': '1\\u{0}' is not a number"),
  .init("pb: invalid UTF-8 project id", .pabulib, bytes: Array((F.meta + "PROJECTS\nproject_id;cost\n1;1\n").utf8) + [0xFF, 0x3B, 0x31, 0x0A], 8, 1, "project id is not valid UTF-8"),
  .init("pb: lowercase meta without vote_type", .pabulib, "meta\nkey;value\n", 1, nil, "META has no 'vote_type' entry"),
  .init("pb: PROJECTS first", .pabulib, "PROJECTS\nproject_id;cost\n1;1\n", 1, nil, "missing section META (found PROJECTS instead)"),
  .init("pb: unknown section", .pabulib, F.meta + "BUDGETS\n", 5, 1, "expected 2 fields, found 1"),
  .init("pb: empty vote_type", .pabulib, "META\nkey;value\nbudget;1\nvote_type;\n", 4, 11, "unsupported vote_type '' (expected approval, choose-1, ordinal, cumulative or scoring)"),
  .init("pb: budget overflows Int64", .pabulib, "META\nkey;value\nbudget;9223372036854775808\nvote_type;approval\n", 3, 8, "field 'budget': '9223372036854775808' is out of range"),
  .init("pb: budget Int64 max", .pabulib, "META\nkey;value\nbudget;9223372036854775807\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;0.5\n", 3, 8, "field 'budget': '9223372036854775807' is out of range"),
  .init("pb: budget inf", .pabulib, "META\nkey;value\nbudget;inf\nvote_type;approval\n", 3, 8, "field 'budget': 'inf' is not a number"),
  .init("pb: budget with exponent", .pabulib, "META\nkey;value\nbudget;1e6\nvote_type;approval\n", 3, 8, "field 'budget': '1e6' is not a number"),
  .init("pb: budget with 19 decimals", .pabulib, "META\nkey;value\nbudget;0.0000000000000000001\nvote_type;approval\n", 3, 8, "field 'budget': '0.0000000000000000001' is out of range"),
  .init("pb: max_length negative", .pabulib, "META\nkey;value\nbudget;1\nvote_type;approval\nmax_length;-1\n", 5, 12, "META 'max_length': '-1' is not a non-negative integer"),
  .init("pb: cost NaN", .pabulib, F.meta + "PROJECTS\nproject_id;cost\n1;NaN\n", 7, 3, "field 'cost': 'NaN' is not a number"),
  .init("pb: cost Infinity", .pabulib, F.meta + "PROJECTS\nproject_id;cost\n1;Infinity\n", 7, 3, "field 'cost': 'Infinity' is not a number"),
  .init("pb: cost Int64 min", .pabulib, F.meta + "PROJECTS\nproject_id;cost\n1;-9223372036854775808\n", 7, 3, "field 'cost': '-9223372036854775808' is out of range"),
  .init("pb: duplicate project id after trimming", .pabulib, F.meta + "PROJECTS\nproject_id;cost\n1;3\n 1 ;4\n", 8, 1, "project id '1 (first on line 7)' appears twice"),
  .init("pb: unterminated quote in META", .pabulib, "META\nkey;value\nbudget;\"1\nvote_type;approval\n", 3, nil, "unterminated quoted field"),
  .init("pb: points overflow Int64", .pabulib, F.pbCumulative + "7;1;99999999999999999999\n", 11, 5, "invalid ballot (bad-points): '99999999999999999999' is not a non-negative integer"),
  .init("pb: points NaN", .pabulib, F.pbCumulative + "7;1;NaN\n", 11, 5, "invalid ballot (bad-points): 'NaN' is not a non-negative integer"),
  .init("pb: weight NaN", .pabulib, F.pbWeighted + "7;1;NaN\n", 11, 5, "invalid ballot (bad-weight): weight 'NaN' is not a positive number with at most 6 decimals"),
  .init("pb: weight inf", .pabulib, F.pbWeighted + "7;1;inf\n", 11, 5, "invalid ballot (bad-weight): weight 'inf' is not a positive number with at most 6 decimals"),
  .init("pb: weight overflows Int64", .pabulib, F.pbWeighted + "7;1;99999999999999999999\n", 11, 5, "invalid ballot (bad-weight): weight '99999999999999999999' is not a positive number with at most 6 decimals"),
  .init("pb: weight zero", .pabulib, F.pbWeighted + "7;1;0\n", 11, 5, "invalid ballot (bad-weight): weight '0' is not a positive number with at most 6 decimals"),
  .init("pb: unknown project in a vote", .pabulib, F.pb + "7;2,3\n", 11, 5, "invalid ballot (unknown-project): unknown project '3'"),

  // MARK: Ballot files
  .init("ballots: no voter_id column", .ballots(grouped: false), "vote\na\n", 1, nil, "section ballots has no 'voter_id' column"),
  .init("ballots: no vote column", .ballots(grouped: false), "voter_id;votes\n1;a\n", 1, nil, "section ballots has no 'vote' column"),
  .init("ballots: duplicate column", .ballots(grouped: false), "voter_id;vote;VOTE\n", 1, 15, "column 'vote' appears twice in the header"),
  .init("ballots: binary junk", .ballots(grouped: false), bytes: F.junk, 1, nil, "section ballots has no 'voter_id' column"),
  .init("ballots: unterminated quote", .ballots(grouped: false), "voter_id;vote\n1;a\n2;\"a,b\n3;c\n", 3, nil, "unterminated quoted field"),
  .init("ballots: truncated row", .ballots(grouped: false), "voter_id;vote\n1;a\n2", 3, 1, "invalid ballot (malformed-row): expected 2 fields, found 1"),
  .init("ballots: too many fields", .ballots(grouped: false), "voter_id;vote\n1;a;b;c\n", 2, 1, "invalid ballot (malformed-row): expected 2 fields, found 4"),
  .init("ballots: empty voter id", .ballots(grouped: false), "voter_id;vote\n  ;a\n", 2, 1, "invalid ballot (malformed-row): empty voter id"),
  .init("ballots: duplicate voter", .ballots(grouped: false), "voter_id;vote\nv;a\nv;b\n", 3, 1, "invalid ballot (duplicate-voter): voter 'v' already voted in this channel"),
  .init("ballots: unknown project", .ballots(grouped: false), "voter_id;vote\n1;a, zz\n", 2, 6, "invalid ballot (unknown-project): unknown project 'zz'"),
  .init("ballots: empty id in the list", .ballots(grouped: false), "voter_id;vote\n1;a,,b\n", 2, 5, "invalid ballot (unknown-project): empty project id in the vote list"),
  .init("ballots: invalid UTF-8 project id", .ballots(grouped: false), bytes: Array("voter_id;vote\n1;a,".utf8) + [0xC3, 0x28, 0x0A], 2, 5, "invalid ballot (unknown-project): unknown project '\u{FFFD}('"),
  .init("ballots: repeated project", .ballots(grouped: false), "voter_id;vote\n1;b,b\n", 2, 5, "invalid ballot (repeated-project): project 'b' is named twice"),
  .init("ballots: too many picks", .ballots(grouped: false), "voter_id;vote\n1;a,b,c\n", 2, 3, "invalid ballot (too-many-picks): 3 projects picked, at most 2 allowed"),
  .init("ballots: empty vote", .ballots(grouped: false), "voter_id;vote\n1;\n", 2, 3, "invalid ballot (too-few-picks): 0 projects picked, at least 1 required"),
  .init("ballots: weight NaN", .ballots(grouped: false), "voter_id;vote;weight\n1;a;NaN\n", 2, 5, "invalid ballot (bad-weight): weight 'NaN' is not a positive number with at most 6 decimals and at most 1000000"),
  .init("ballots: weight inf", .ballots(grouped: false), "voter_id;vote;weight\n1;a;inf\n", 2, 5, "invalid ballot (bad-weight): weight 'inf' is not a positive number with at most 6 decimals and at most 1000000"),
  .init("ballots: weight negative", .ballots(grouped: false), "voter_id;vote;weight\n1;a;-1\n", 2, 5, "invalid ballot (bad-weight): weight '-1' is not a positive number with at most 6 decimals and at most 1000000"),
  .init("ballots: weight zero", .ballots(grouped: false), "voter_id;vote;weight\n1;a;0\n", 2, 5, "invalid ballot (bad-weight): weight '0' is not a positive number with at most 6 decimals and at most 1000000"),
  .init("ballots: weight overflows Int64", .ballots(grouped: false), "voter_id;vote;weight\n1;a;99999999999999999999\n", 2, 5, "invalid ballot (bad-weight): weight '99999999999999999999' is not a positive number with at most 6 decimals and at most 1000000"),
  .init("ballots: weight over 1000000", .ballots(grouped: false), "voter_id;vote;weight\n1;a;1000000.5\n", 2, 5, "invalid ballot (bad-weight): weight '1000000.5' is not a positive number with at most 6 decimals and at most 1000000"),
  .init("ballots: weight with 7 decimals", .ballots(grouped: false), "voter_id;vote;weight\n1;a;0.0000001\n", 2, 5, "invalid ballot (bad-weight): weight '0.0000001' is not a positive number with at most 6 decimals and at most 1000000"),
  .init("ballots: weight with exponent", .ballots(grouped: false), "voter_id;vote;weight\n1;a;1e3\n", 2, 5, "invalid ballot (bad-weight): weight '1e3' is not a positive number with at most 6 decimals and at most 1000000"),
  .init("ballots: no group column", .ballots(grouped: true), "voter_id;vote\n1;a\n", 1, nil, "channel 'grouped' weights groups but the ballot file has no 'group' column"),
  .init("ballots: unknown group", .ballots(grouped: true), "voter_id;vote;group\n1;a;g3\n", 2, 5, "invalid ballot (unknown-group): group 'g3' is not one of g1, g2"),
  .init("ballots: empty group", .ballots(grouped: true), "voter_id;vote;group\n1;a;\n", 2, 5, "invalid ballot (unknown-group): no group given (the channel weights groups g1, g2)"),

  // MARK: Projects files
  .init("projects: empty", .projects, "", 0, nil, "the input is empty"),
  .init("projects: header only", .projects, "project_id;cost\n", 1, nil, "the projects file lists no project"),
  .init("projects: binary junk", .projects, bytes: F.junk, 1, nil, "section projects has no 'project_id' column"),
  .init("projects: no cost column", .projects, "project_id;price\na;1\n", 1, nil, "section projects has no 'cost' column"),
  .init("projects: no project_id column", .projects, "id;cost\na;1\n", 1, nil, "section projects has no 'project_id' column"),
  .init("projects: duplicate column", .projects, "project_id;cost;Cost\n", 1, 17, "column 'cost' appears twice in the header"),
  .init("projects: truncated row", .projects, "project_id;cost;name\na;1;A\nb;2", 3, 1, "expected 3 fields, found 2"),
  .init("projects: unterminated quote", .projects, "project_id;cost;name\na;1;\"A\n", 2, nil, "unterminated quoted field"),
  .init("projects: cost not a number", .projects, "project_id;cost\na;ten\n", 2, 3, "field 'cost': 'ten' is not a number"),
  .init("projects: cost NaN", .projects, "project_id;cost\na;NaN\n", 2, 3, "field 'cost': 'NaN' is not a number"),
  .init("projects: cost inf", .projects, "project_id;cost\na;inf\n", 2, 3, "field 'cost': 'inf' is not a number"),
  .init("projects: cost negative", .projects, "project_id;cost\na;-1\n", 2, 3, "field 'cost': '-1' must not be negative"),
  .init("projects: cost overflows Int64", .projects, "project_id;cost\na;9223372036854775808\n", 2, 3, "field 'cost': '9223372036854775808' is out of range"),
  .init("projects: cost with decimal comma", .projects, "project_id;cost\na;1,5\n", 2, 3, "field 'cost': '1,5' is not a number"),
  .init("projects: cost with exponent", .projects, "project_id;cost\na;1e3\n", 2, 3, "field 'cost': '1e3' is not a number"),
  .init("projects: costs too far apart in scale", .projects, "project_id;cost\na;9000000000000000000\nb;0.5\n", 2, nil, "field 'cost': '9000000000000000000' is out of range"),
  .init("projects: duplicate id", .projects, "project_id;cost\na;1\nb;2\na;3\n", 4, 1, "project id 'a (first on line 2)' appears twice"),
  .init("projects: empty id", .projects, "project_id;cost\n\"\";1\n", 2, 1, "field 'project_id' is empty"),
  .init("projects: invalid UTF-8 id", .projects, bytes: Array("project_id;cost\na;1\n".utf8) + [0x62, 0xFF, 0x3B, 0x32, 0x0A], 3, 1, "project id is not valid UTF-8"),
  .init("projects: id with a comma", .projects, "project_id;cost\n\"a,b\";1\n", 2, 1, "project id 'a,b' contains ',' (ballots join ids with ',')"),

  // MARK: election.json
  .init("json: empty", .election, "", 0, nil, "the input is empty"),
  .init("json: only spaces", .election, "  \n\t\n", 0, nil, "the input is empty"),
  .init("json: binary junk", .election, bytes: F.junk, 1, 1, "invalid JSON: unexpected character byte 0x7F"),
  .init("json: root is an array", .election, "[]", 1, 1, "the election must be a JSON object, not an array"),
  .init("json: truncated", .election, "{\n  \"projects\": \"projects.csv\",\n  \"budget\": 6", 3, 14, "invalid JSON: unexpected end of input in an object"),
  .init("json: truncated in a string", .election, "{\n  \"projects\": \"proj", 2, 20, "invalid JSON: unterminated string"),
  .init("json: trailing comma", .election, "{\n  \"budget\": 1,\n}", 3, 1, "invalid JSON: expected a member name in double quotes"),
  .init("json: missing colon", .election, "{\n  \"budget\" 1\n}", 2, 12, "invalid JSON: expected ':' after 'budget'"),
  .init("json: missing comma", .election, "{\"budget\": 1\n \"projects\": \"p\"}", 2, 2, "invalid JSON: expected ',' or '}' in an object"),
  .init("json: single quotes", .election, "{'budget': 1}", 1, 2, "invalid JSON: expected a member name in double quotes"),
  .init("json: comment", .election, "{\n  // the budget\n  \"budget\": 1\n}", 2, 3, "invalid JSON: expected a member name in double quotes"),
  .init("json: NaN", .election, "{\"budget\": NaN}", 1, 12, "invalid JSON: unexpected character 'N'"),
  .init("json: Infinity", .election, "{\"budget\": -Infinity}", 1, 13, "invalid JSON: invalid number"),
  .init("json: leading zero", .election, "{\"budget\": 012}", 1, 13, "invalid JSON: expected ',' or '}' in an object"),
  .init("json: bad literal", .election, "{\"budget\": tru}", 1, 12, "invalid JSON: invalid literal (expected true)"),
  .init("json: text after the value", .election, "{}\n{}", 2, 1, "invalid JSON: unexpected text after the JSON value"),
  .init("json: duplicate key", .election, "{\"budget\": 1,\n \"budget\": 2}", 2, 2, "invalid JSON: key 'budget' appears twice"),
  .init("json: control character in a string", .election, "{\"name\": \"a\tb\"}", 1, 12, "invalid JSON: control character in a string (escape it)"),
  .init("json: invalid escape", .election, #"{"name": "a\xb"}"#, 1, 14, "invalid JSON: invalid escape '\\x'"),
  .init("json: lone surrogate", .election, #"{"name": "\udc00"}"#, 1, 17, "invalid JSON: unpaired surrogate in \\u escape"),
  .init("json: invalid UTF-8 in a string", .election, bytes: Array(#"{"name": "a"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8), 1, 15, "invalid JSON: string is not valid UTF-8"),
  .init("json: nesting 201 deep", .election, String(repeating: "[", count: 201) + String(repeating: "]", count: 201), 1, 201, "invalid JSON: nesting deeper than 200 levels"),
  .init("json: column counts characters", .election, "{\"name\": \"é\", \"budget\": x}", 1, 25, "invalid JSON: unexpected character 'x'"),
  .init("json: no projects", .election, #"{"budget": 1, "channels": []}"#, 1, 1, "the election has no 'projects' file"),
  .init("json: no budget", .election, #"{"projects": "p.csv", "channels": []}"#, 1, 1, "the election has no 'budget'"),
  .init("json: no channels", .election, #"{"projects": "projects.csv", "budget": 1}"#, 1, 1, "the election has no 'channels'"),
  .init("json: projects is a number", .election, #"{"projects": 7, "budget": 1}"#, 1, 14, "'projects' must be a string, not a number"),
  .init("json: budget is a word", .election, #"{"projects": "projects.csv", "budget": "lots"}"#, 1, 40, "'budget': 'lots' is not a finite number with at most 18 decimals that fits in 64 bits"),
  .init("json: budget is an array", .election, #"{"projects": "projects.csv", "budget": [1]}"#, 1, 40, "'budget' must be a number, not an array"),
  .init("json: budget negative", .election, #"{"projects": "projects.csv", "budget": -1}"#, 1, 40, "'budget' must not be negative"),
  .init("json: budget 1e40", .election, #"{"projects": "projects.csv", "budget": 1e40}"#, 1, 40, "'budget': '1e40' is not a finite number with at most 18 decimals that fits in 64 bits"),
  .init("json: budget overflows Int64", .election, #"{"projects": "projects.csv", "budget": 9223372036854775808}"#, 1, 40, "'budget': '9223372036854775808' is not a finite number with at most 18 decimals that fits in 64 bits"),
  .init("json: budget NaN in a string", .election, #"{"projects": "projects.csv", "budget": "NaN"}"#, 1, 40, "'budget': 'NaN' is not a finite number with at most 18 decimals that fits in 64 bits"),
  .init("json: budget too large for the cost scale", .election, #"{"projects": "projects.csv", "budget": 9223372036854775807, "channels": [{"id": "c", "ballots": "b", "weight": 1}], "envelopes": [{"category": "x", "cap": 0.5}]}"#, 1, 40, "'budget' is too large"),
  .init("json: channels is an object", .election, #"{"projects": "projects.csv", "budget": 1, "channels": {}}"#, 1, 55, "'channels' must be an array, not an object"),
  .init("json: channels empty", .election, #"{"projects": "projects.csv", "budget": 1, "channels": []}"#, 1, 55, "'channels' is empty: an election needs at least one channel"),
  .init("json: channel is a string", .election, #"{"projects": "projects.csv", "budget": 1, "channels": ["c"]}"#, 1, 56, "a channel must be an object, not a string"),
  .init("json: channel without id", .election, F.channelWith(#""weight": 1"#).replacingOccurrences(of: #""id": "c", "#, with: ""), 1, 57, "a channel has no 'id'"),
  .init("json: channel without ballots", .election, #"{"projects": "projects.csv", "budget": 1, "channels": [{"id": "c", "weight": 1}]}"#, 1, 56, "channel 'c' has no 'ballots' file"),
  .init("json: channel without weight", .election, F.channelWith(#""maxPicks": 1"#), 1, 57, "channel 'c' has no 'weight'"),
  .init("json: weight is a word", .election, F.channelWith(#""weight": "heavy""#), 1, 99, "'weight': 'heavy' is not a finite number with at most 18 decimals that fits in 64 bits"),
  .init("json: weight negative", .election, F.channelWith(#""weight": -0.5"#), 1, 99, "channel 'c': 'weight' must not be negative"),
  .init("json: weight with 19 decimals", .election, F.channelWith(#""weight": 1e-19"#), 1, 99, "'weight': '1e-19' is not a finite number with at most 18 decimals that fits in 64 bits"),
  .init("json: every weight 0", .election, F.channelWith(#""weight": 0"#), 1, 56, "every channel weight is 0: at least one must be positive"),
  .init("json: maxPicks fractional", .election, F.channelWith(#""weight": 1, "maxPicks": 2.5"#), 1, 114, "'maxPicks' must be a non-negative integer, not 2.5"),
  .init("json: maxPicks negative", .election, F.channelWith(#""weight": 1, "maxPicks": -1"#), 1, 114, "'maxPicks' must be a non-negative integer, not -1"),
  .init("json: maxPicks huge", .election, F.channelWith(#""weight": 1, "maxPicks": 99999999999999999999"#), 1, 114, "'maxPicks': '99999999999999999999' is not a finite number with at most 18 decimals that fits in 64 bits"),
  .init("json: exactPicks and maxPicks", .election, F.channelWith(#""weight": 1, "exactPicks": 2, "maxPicks": 3"#), 1, 131, "channel 'c': give either 'exactPicks' or 'minPicks'/'maxPicks', not both"),
  .init("json: minPicks over maxPicks", .election, F.channelWith(#""weight": 1, "minPicks": 3, "maxPicks": 2"#), 1, 129, "channel 'c': minPicks 3 is more than maxPicks 2"),
  .init("json: group weight 0", .election, F.channelWith(#""weight": 1, "groups": {"g": 0}"#), 1, 118, "channel 'c': the weight of group 'g' must be positive"),
  .init("json: category limit on no category", .election, F.channelWith(#""weight": 1, "categoryLimits": {"z": {"max": 1}}"#), 1, 120, "channel 'c': category 'z' of 'categoryLimits' is not a category of any project"),
  .init("json: category limit with an unknown key", .election, F.channelWith(#""weight": 1, "categoryLimits": {"x": {"most": 1}}"#), 1, 127, "channel 'c': unknown key 'most' in the limit for 'x' (expected exact, min or max)"),
  .init("json: duplicate channel id", .election, #"{"projects": "projects.csv", "budget": 1, "channels": [{"id": "c", "ballots": "b", "weight": 1}, {"id": "c", "ballots": "d", "weight": 1}]}"#, 1, 105, "channel id 'c' appears twice"),
  .init("json: channel id with a comma", .election, F.channelWith(#""weight": 1"#).replacingOccurrences(of: #""id": "c""#, with: #""id": "c,d""#), 1, 64, "channel id 'c,d' must not contain ',' or spaces (it is used in tie-break ids)"),
  .init("json: misspelt key", .election, F.electionWith(#""tieBrake": "lexicographic""#), 1, 104, "unknown key 'tieBrake' in the election (did you mean 'tieBreak'?)"),
  .init("json: key in the wrong case", .election, F.electionWith(#""Allocation": "greedy""#), 1, 104, "unknown key 'Allocation' in the election (did you mean 'allocation'?)"),
  .init("json: name is a number", .election, F.electionWith(#""name": 5"#), 1, 112, "'name' must be a string, not a number"),
  .init("json: unknown preset", .election, F.electionWith(#""preset": "city""#), 1, 114, "unknown preset 'city' (expected seoul-2019, seoul-2015, national)"),
  .init("json: unknown normalisation", .election, F.electionWith(#""normalisation": "sum""#), 1, 121, "unknown normalisation 'sum' (expected share-of-voters, share-of-approvals, max-100, raw)"),
  .init("json: bad tie-break", .election, F.electionWith(#""tieBreak": "coin""#), 1, 116, "unknown tie-break 'coin' (expected lexicographic, lower-cost, higher-cost, seeded:<n>, priority:<key> or share:<channel>, joined by ',')"),
  .init("json: tie-break names no channel", .election, F.electionWith(#""tieBreak": "share:zz""#), 1, 116, "tie-break key 'share:zz' names no channel (use share:<channel id>; channels: c)"),
  .init("json: envelopes is an object", .election, F.electionWith(#""envelopes": {}"#), 1, 117, "'envelopes' must be an array, not an object"),
  .init("json: envelope with two selectors", .election, F.electionWith(#""envelopes": [{"category": "x", "target": "t", "cap": 1}]"#), 1, 118, "an envelope names its projects by exactly one of 'category', 'target' or 'projects'"),
  .init("json: envelope floor over cap", .election, F.electionWith(#""envelopes": [{"category": "x", "cap": 1, "floor": 2}]"#), 1, 155, "envelope 'envelope 1': floor 2 is more than cap 1"),
  .init("json: envelope names an unknown project", .election, F.electionWith(#""envelopes": [{"projects": ["a", "q"], "cap": 1}]"#), 1, 137, "envelope project 'q' is not in e/projects.csv"),
  .init("json: envelope cap overflows", .election, F.electionWith(#""envelopes": [{"category": "x", "cap": 1e19}]"#), 1, 143, "'cap': '1e19' is not a finite number with at most 18 decimals that fits in 64 bits"),

  // MARK: PrefLib
  .init("preflib: empty", .preflib("soi"), "", 0, nil, "the input is empty"),
  .init("preflib: comments only", .preflib("soi"), "# just a comment\n", 0, nil, "META has no 'NUMBER ALTERNATIVES' entry"),
  .init("preflib: binary junk", .preflib("soi"), bytes: F.junk, 1, 1, "META has no 'NUMBER ALTERNATIVES' entry"),
  .init("preflib: no NUMBER ALTERNATIVES", .preflib("soi"), "# TITLE: t\n1: 1\n", 2, 1, "META has no 'NUMBER ALTERNATIVES' entry"),
  .init("preflib: NUMBER ALTERNATIVES negative", .preflib("soi"), "# NUMBER ALTERNATIVES: -3\n", 1, 1, "META 'NUMBER ALTERNATIVES': '-3' is not a number of alternatives"),
  .init("preflib: more alternatives than Tally reads", .preflib("soi"), "# NUMBER ALTERNATIVES: 100001\n", 1, 1, "META 'NUMBER ALTERNATIVES': 100001 alternatives are more than the 100000 Tally reads"),
  .init("preflib: NUMBER ALTERNATIVES huge", .preflib("soi"), "# NUMBER ALTERNATIVES: 99999999999\n", 1, 1, "META 'NUMBER ALTERNATIVES': 99999999999 alternatives are more than the 100000 Tally reads"),
  .init("preflib: ALTERNATIVE NAME not a number", .preflib("soi"), "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME x: A\n", 2, 1, "META 'ALTERNATIVE NAME x': the alternative is not a number"),
  .init("preflib: count overflows Int64", .preflib("soi"), "# NUMBER ALTERNATIVES: 2\n99999999999999999999: 1\n", 2, 1, "field 'count': '99999999999999999999' is out of range"),
  .init("preflib: voters overflow Int64", .preflib("soi"), "# NUMBER ALTERNATIVES: 2\n9223372036854775807: 1\n1: 2\n", 3, 1, "the counts add up to more than 9223372036854775807 voters"),
  .init("preflib: negative count", .preflib("soi"), "# NUMBER ALTERNATIVES: 2\n-1: 1\n", 2, 1, "field 'count': '-1' must not be negative"),
  .init("preflib: alternative 0", .preflib("soi"), "# NUMBER ALTERNATIVES: 2\n1: 0\n", 2, 4, "invalid ballot (unknown-project): alternative 0 is not in 1...2"),
  .init("preflib: alternative huge", .preflib("soi"), "# NUMBER ALTERNATIVES: 2\n1: 99999999999999999999\n", 2, 4, "invalid ballot (unknown-project): alternative 99999999999999999999 is not in 1...2"),
  .init("preflib: letter in an order", .preflib("soi"), "# NUMBER ALTERNATIVES: 2\n1: 1,b\n", 2, 6, "unexpected character 'b' in an order"),
  .init("preflib: order ends with a comma", .preflib("soi"), "# NUMBER ALTERNATIVES: 2\n1: 1,\n", 2, 6, "the order ends with ','"),
  .init("preflib: ties in a soi file", .preflib("soi"), "# NUMBER ALTERNATIVES: 2\n1: {1,2}\n", 2, 1, "invalid ballot (malformed-row): a soi file cannot rank alternatives as tied"),
  .init("preflib: nested brace", .preflib("toi"), "# NUMBER ALTERNATIVES: 3\n1: {1,{2}}\n", 2, 7, "unexpected '{'"),
  .init("preflib: invalid UTF-8 in an order", .preflib("toi"), bytes: Array("# NUMBER ALTERNATIVES: 2\n1: 1,".utf8) + [0xC3, 0x28, 0x0A], 2, 6, "unexpected byte 0xC3 in an order"),
]

@Suite struct MalformedInputTable {
  /// Reads a case with its reader; nil when it reads without an error.
  static func error(_ c: MalformedCase) -> InputError? {
    do {
      switch c.reader {
      case .pabulib:
        _ = try PabulibReader(options: ReadOptions(invalidBallots: .reject)).read(bytes: c.input, source: c.source)
      case .ballots(let grouped):
        let def = try ElectionReader.read(bytes: Array(F.election.utf8), path: "e/election.json", projects: Array(F.projects.utf8))
        let channel = def.election.channels[grouped ? 1 : 0]
        let reject = BallotFileReader(channel: channel, instance: def.instance, policy: .reject)
        do { _ = try reject.read(bytes: c.input, source: c.source) } catch {
          // Under the void policy a ballot problem is counted at the same place, and reading goes on.
          if case .invalidBallot(let p, let detail) = error.reason {
            let v = try BallotFileReader(channel: channel, instance: def.instance).read(bytes: c.input, source: c.source)
            #expect(v.report.read == v.report.valid + v.report.voidCount)
            #expect(v.report.examples.first?.problem == p && v.report.examples.first?.detail == detail)
            #expect(v.report.examples.first?.location == error.location)
          }
          throw error
        }
      case .projects:
        _ = try ElectionReader.read(bytes: Array(F.election.utf8), path: "e/election.json", projects: c.input)
      case .election:
        _ = try ElectionReader.read(bytes: c.input, path: "e/election.json", projects: Array(F.projects.utf8))
      case .preflib(let t):
        _ = try PrefLibReader().read(bytes: c.input, dataType: t, source: c.source)
      }
      return nil
    } catch {
      return error as? InputError
    }
  }

  @Test("Malformed input gives the exact message, line and column", arguments: malformedCases)
  func malformed(_ c: MalformedCase) {
    guard let e = Self.error(c) else {
      Issue.record("\(c.id): no error")
      return
    }
    if getenv("TALLY_PRINT_TABLE") != nil {
      print("TABLE\t\(c.id)\t\(e.location.line)\t\(e.location.column.map(String.init) ?? "nil")\t\(e.location.source)\t\(e.message)")
    }
    #expect(e.location.source == c.source)
    #expect(e.message == c.message)
    #expect(e.location.line == c.line)
    #expect(e.location.column == c.column)
  }

  @Test("The table has well over 50 distinct cases") func size() {
    #expect(malformedCases.count >= 100)
    #expect(Set(malformedCases.map(\.id)).count == malformedCases.count)
  }
}

/// Files that are missing or are not files: each reader's error, with the path and no line.
struct MissingFileCase: Sendable, CustomTestStringConvertible {
  var id: String
  /// Reads from the folder `dir` (which holds the fixture election, without `projects.csv` when
  /// `dropProjects`), and returns the error.
  var read: @Sendable (String) -> InputError?
  /// The expected rendering, `$D` standing for the folder.
  var expected: String
  var testDescription: String { id }

  static func catching(_ body: () throws -> Void) -> InputError? {
    do { try body() } catch { return error as? InputError }
    return nil
  }
}

let missingFileCases: [MissingFileCase] = [
  .init(id: "pabulib file", read: { d in MissingFileCase.catching { _ = try PabulibReader().read(path: d + "/x.pb") } }, expected: "$D/x.pb: error: no such file"),
  .init(id: "pabulib path is a folder", read: { d in MissingFileCase.catching { _ = try PabulibReader().read(path: d) } }, expected: "$D: error: cannot read: is a directory"),
  .init(id: "preflib file", read: { d in MissingFileCase.catching { _ = try PrefLibReader().read(path: d + "/x.soi") } }, expected: "$D/x.soi: error: no such file"),
  .init(id: "election file", read: { d in MissingFileCase.catching { _ = try ElectionReader.read(path: d + "/nope.json") } }, expected: "$D/nope.json: error: no such file"),
  .init(
    id: "folder without election.json", read: { d in MissingFileCase.catching { _ = try ElectionReader.read(path: d + "/sub") } },
    expected: "$D/sub/election.json: error: no such file"),
  .init(
    id: "projects file named by the election",
    read: { d in MissingFileCase.catching { _ = try ElectionReader.read(path: d + "/noprojects.json") } },
    expected: "$D/noprojects.json:1:14: error: projects file '$D/missing.csv': no such file"),
  .init(
    id: "ballot file named by the election",
    read: { d in MissingFileCase.catching { _ = try ElectionReader.read(path: d + "/noballots.json").readBallots() } },
    expected: "$D/missing-ballots.csv: error: no such file"),
  .init(
    id: "ballot file is a folder",
    read: { d in MissingFileCase.catching { _ = try ElectionReader.read(path: d + "/dirballots.json").readBallots() } },
    expected: "$D/sub: error: cannot read: is a directory"),
]

@Suite struct MissingFileTable {
  @Test("Missing files and folders are errors naming the path", arguments: missingFileCases)
  func missing(_ c: MissingFileCase) {
    let dir = TempFiles.folder([
      "projects.csv": MalformedFixtures.projects,
      "noprojects.json": #"{"projects": "missing.csv", "budget": 1, "channels": [{"id": "c", "ballots": "b.csv", "weight": 1}]}"#,
      "noballots.json": #"{"projects": "projects.csv", "budget": 1, "channels": [{"id": "c", "ballots": "missing-ballots.csv", "weight": 1}]}"#,
      "dirballots.json": #"{"projects": "projects.csv", "budget": 1, "channels": [{"id": "c", "ballots": "sub", "weight": 1}]}"#,
    ])
    mkdir(dir + "/sub", 0o700)
    defer {
      rmdir(dir + "/sub")
      TempFiles.remove(dir)
    }
    guard let e = c.read(dir) else {
      Issue.record("no error")
      return
    }
    #expect(e.description == c.expected.replacingOccurrences(of: "$D", with: dir))
  }
}

/// Very long lines: a 50 MB line is read (or refused) with memory bounded by a small multiple of the
/// line, and a line over the reader's limit (256 MiB) is an error at its line, not an allocation
/// that grows with the input. Slow (hundreds of MB of I/O): run with TALLY_SLOW_TESTS=1.
@Suite(.enabled(if: getenv("TALLY_SLOW_TESTS") != nil)) struct LongLineTests {
  static func maxRSSMB() -> Int {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Int(u.ru_maxrss) / 1024
  }

  /// Writes `prefix`, `count` bytes of `fill`, then `suffix` to a file, in chunks.
  static func write(_ path: String, _ prefix: String, fill: UInt8, count: Int, _ suffix: String) {
    let f = fopen(path, "wb")!
    fputs(prefix, f)
    let chunk = [UInt8](repeating: fill, count: 1 << 20)
    var left = count
    while left > 0 {
      let n = min(left, chunk.count)
      _ = chunk.withUnsafeBytes { fwrite($0.baseAddress!, 1, n, f) }
      left -= n
    }
    fputs(suffix, f)
    fclose(f)
  }

  static let fifty = 50 << 20

  @Test("A 50 MB line in each reader: read or refused, memory bounded") func fiftyMB() throws {
    let dir = TempFiles.directory()
    defer { TempFiles.remove(dir) }
    let before = Self.maxRSSMB()
    // Pabulib: a 50 MB voter id.
    Self.write(dir + "/a.pb", MalformedFixtures.pb, fill: 0x41, count: Self.fifty, ";1\n")
    let pb = try PabulibReader().read(path: dir + "/a.pb")
    #expect(pb.report.read == 1 && pb.report.valid == 1)
    // Ballots: a 50 MB vote list of unknown ids (one ballot, void).
    TempFiles.write(dir + "/projects.csv", MalformedFixtures.projects)
    TempFiles.write(dir + "/election.json", MalformedFixtures.election)
    Self.write(dir + "/b.csv", "voter_id;vote\n1;", fill: 0x2C, count: Self.fifty, "\n")
    let def = try ElectionReader.read(path: dir)
    let ballots = try BallotFileReader(channel: def.election.channels[0], instance: def.instance).read(path: dir + "/b.csv")
    #expect(ballots.report.voided[.unknownProject] == 1)
    // PrefLib: a 50 MB order of commas is an error on line 2.
    Self.write(dir + "/c.soi", "# NUMBER ALTERNATIVES: 2\n1: 1", fill: 0x2C, count: Self.fifty, "\n")
    #expect(throws: InputError.self) { try PrefLibReader().read(path: dir + "/c.soi") }
    // election.json: a 50 MB name.
    Self.write(dir + "/d.json", #"{"name": ""#, fill: 0x61, count: Self.fifty, #"", "budget": 1}"#)
    do {
      _ = try ElectionReader.read(path: dir + "/d.json")
      Issue.record("no error")
    } catch {
      #expect(error.description == dir + "/d.json:1:1: error: the election has no 'projects' file")
    }
    let grown = Self.maxRSSMB() - before
    print("LongLineTests: peak RSS grew by \(grown) MB reading four 50 MB lines")
    #expect(grown < 600, "peak RSS grew by \(grown) MB")
  }

  @Test("A line over 256 MiB is an error at its line") func overLimit() throws {
    let dir = TempFiles.directory()
    defer { TempFiles.remove(dir) }
    // A sparse file: 300 MiB of NUL bytes after one short line, written without writing them.
    let path = dir + "/huge.pb"
    let f = fopen(path, "wb")!
    fputs("META\n", f)
    fclose(f)
    truncate(path, 300 << 20)
    do {
      _ = try PabulibReader().read(path: path)
      Issue.record("no error")
    } catch {
      #expect(error.description == path + ":2: error: line longer than 268435456 bytes")
    }
    let b = dir + "/b.csv"
    TempFiles.write(b, "voter_id;vote\n1;")
    truncate(b, 300 << 20)
    TempFiles.write(dir + "/projects.csv", MalformedFixtures.projects)
    TempFiles.write(dir + "/election.json", MalformedFixtures.election)
    do {
      _ = try ElectionReader.read(path: dir).readBallots()
      Issue.record("no error")
    } catch {
      #expect(error.description == b + ":2: error: line longer than 268435456 bytes")
    }
  }
}

@Suite struct LongJSONLineTests {
  @Test("A one-line election.json of 300,000 values parses in linear time, errors at the right column")
  func oneLine() {
    let values = String(repeating: "0,", count: 300_000)
    let text = #"{"x": ["# + values + #"0], "budget": x}"#
    let start = ContinuousClock.now
    do {
      _ = try ElectionReader.read(bytes: Array(text.utf8), path: "e.json", projects: [])
      Issue.record("no error")
    } catch {
      #expect(error.description == "e.json:1:\(600_022): error: invalid JSON: unexpected character 'x'")
    }
    // Column lookups used to rescan the line from its start for every value: O(n²), minutes here.
    #expect(ContinuousClock.now - start < .seconds(10))
  }
}

extension LongJSONLineTests {
  @Test("An election.json object with 200,000 keys parses in linear time; a repeated key is found")
  func manyKeys() {
    var text = "{"
    for k in 0..<200_000 { text += "\"k\(k)\": 0, " }
    text += "\"k7\": 1}"
    let start = ContinuousClock.now
    do {
      _ = try ElectionReader.read(bytes: Array(text.utf8), path: "e.json", projects: [])
      Issue.record("no error")
    } catch {
      #expect(error.message == "invalid JSON: key 'k7' appears twice")
      #expect(error.location.line == 1)
    }
    // Keys used to be checked against every earlier key: O(n²), minutes here.
    #expect(ContinuousClock.now - start < .seconds(10))
  }
}

@Suite struct InMemoryElectionTests {
  @Test("Reading an election and its projects from memory gives what reading the files gives")
  func sameAsFiles() throws {
    let dir = ElectionFixtures.folder()
    defer { TempFiles.remove(dir) }
    let fromFiles = try ElectionReader.read(path: dir)
    let fromMemory = try ElectionReader.read(
      bytes: Array(ElectionFixtures.election().utf8), path: dir + "/election.json",
      projects: Array(ElectionFixtures.projects.utf8))
    #expect(fromMemory.instance == fromFiles.instance)
    #expect(fromMemory.election == fromFiles.election)
    #expect(fromMemory.projectsPath == fromFiles.projectsPath)
    // The digest covers the same bytes, so the ballots read from the files give the same provenance.
    #expect(try fromMemory.readBallots().inputSHA256 == fromFiles.readBallots().inputSHA256)
  }
}
