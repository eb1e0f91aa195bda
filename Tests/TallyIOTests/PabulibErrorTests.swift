import Testing
import TallyCore
import TallyIO

/// A malformed Pabulib snippet and the exact error it must give.
struct PabulibErrorCase: Sendable, CustomTestStringConvertible {
  var id: String
  var text: String
  var expected: String  // the full rendered error, source "t.pb"
  var testDescription: String { id }
}

let header = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10\n2;20\nVOTES\nvoter_id;vote\n"

let pabulibErrorCases: [PabulibErrorCase] = [
  .init(id: "empty", text: "", expected: "t.pb: error: the input is empty"),
  .init(id: "junk before META", text: "hello\nMETA\n", expected: "t.pb:1:1: error: unexpected line 'hello'"),
  .init(id: "no vote_type", text: "META\nkey;value\nbudget;1\nPROJECTS\n", expected: "t.pb:1: error: META has no 'vote_type' entry"),
  .init(id: "no budget", text: "META\nkey;value\nvote_type;approval\nPROJECTS\n", expected: "t.pb:1: error: META has no 'budget' entry"),
  .init(
    id: "bad vote type", text: "META\nkey;value\nbudget;1\nvote_type;knapsack\nPROJECTS\n",
    expected: "t.pb:4:11: error: unsupported vote_type 'knapsack' (expected approval, choose-1, ordinal, cumulative or scoring)"),
  .init(
    id: "bad budget", text: "META\nkey;value\nbudget;lots\nvote_type;approval\n",
    expected: "t.pb:3:8: error: field 'budget': 'lots' is not a number"),
  .init(
    id: "negative budget", text: "META\nkey;value\nbudget;-5\nvote_type;approval\n",
    expected: "t.pb:3:8: error: field 'budget': '-5' must not be negative"),
  .init(
    id: "NaN budget", text: "META\nkey;value\nbudget;NaN\nvote_type;approval\n",
    expected: "t.pb:3:8: error: field 'budget': 'NaN' is not a number"),
  .init(
    id: "bad max_length", text: "META\nkey;value\nbudget;1\nvote_type;approval\nmax_length;2.5\n",
    expected: "t.pb:5:12: error: META 'max_length': '2.5' is not a non-negative integer"),
  .init(
    id: "missing PROJECTS", text: "META\nkey;value\nbudget;1\nvote_type;approval\nVOTES\n",
    expected: "t.pb:5: error: missing section PROJECTS (found VOTES instead)"),
  .init(
    id: "PROJECTS without cost", text: "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;name\n1;a\n",
    expected: "t.pb:6: error: section PROJECTS has no 'cost' column"),
  .init(
    id: "bad cost", text: "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;12x\n",
    expected: "t.pb:7:3: error: field 'cost': '12x' is not a number"),
  .init(
    id: "negative cost", text: "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;-3\n",
    expected: "t.pb:7:3: error: field 'cost': '-3' must not be negative"),
  .init(
    id: "overflowing cost", text: "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;99999999999999999999\n",
    expected: "t.pb:7:3: error: field 'cost': '99999999999999999999' is out of range"),
  .init(
    id: "duplicate project",
    text: "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;3\n1;4\n",
    expected: "t.pb:8:1: error: project id '1 (first on line 7)' appears twice"),
  .init(
    id: "empty project id", text: "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n;3\n",
    expected: "t.pb:7:1: error: field 'project_id' is empty"),
  .init(
    id: "wrong field count in PROJECTS",
    text: "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n1;3\n",
    expected: "t.pb:7:1: error: expected 3 fields, found 2"),
  .init(
    id: "duplicate column", text: "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost;cost\n",
    expected: "t.pb:6:17: error: column 'cost' appears twice in the header"),
  .init(
    id: "missing VOTES", text: "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;3\n",
    expected: "t.pb:8: error: missing section VOTES"),
  .init(
    id: "VOTES without vote column", text: header.replacingOccurrences("voter_id;vote\n", "voter_id;ballot\n"),
    expected: "t.pb:10: error: section VOTES has no 'vote' column"),
  .init(
    id: "cumulative without points",
    text: header.replacingOccurrences("vote_type;approval", "vote_type;cumulative"),
    expected: "t.pb:10: error: section VOTES has no 'points' column"),
  .init(
    id: "unterminated quote", text: header + "1;\"1,2\n",
    expected: "t.pb:11: error: unterminated quoted field"),
  .init(
    id: "META row with one field", text: "META\nkey;value\nbudget\n",
    expected: "t.pb:3:1: error: expected 2 fields, found 1"),
  .init(
    id: "section twice", text: header + "1;1\nPROJECTS\n",
    expected: "t.pb:12:1: error: unexpected line 'PROJECTS'"),
]

@Suite struct PabulibErrorTests {
  @Test("Malformed Pabulib input gives the exact message and place", arguments: pabulibErrorCases)
  func errorCase(_ c: PabulibErrorCase) {
    do {
      _ = try PabulibReader().read(string: c.text, source: "t.pb")
      Issue.record("no error for \(c.id)")
    } catch {
      #expect(error.description == c.expected)
    }
  }

  @Test("A missing file and a directory are input errors") func missingFile() {
    #expect(throws: InputError.self) { try PabulibReader().read(path: "/nonexistent/x.pb") }
    do {
      _ = try PabulibReader().read(path: "/tmp")
      Issue.record("no error")
    } catch {
      #expect(error.description == "/tmp: error: cannot read: is a directory")
    }
  }
}

/// A ballot-level problem: the ballot line, the reason it is void (or warned) under, and the column.
struct BallotCase: Sendable, CustomTestStringConvertible {
  var id: String
  var text: String
  var problem: BallotProblem
  var column: Int?
  var voided: Bool
  var testDescription: String { id }
}

let ballotCases: [BallotCase] = [
  .init(id: "unknown project", text: header + "7;1,9\n", problem: .unknownProject, column: 5, voided: true),
  .init(id: "empty id in list", text: header + "7;1,,2\n", problem: .unknownProject, column: 5, voided: true),
  .init(id: "repeated approval entry", text: header + "7;1,1\n", problem: .repeatedProject, column: 3, voided: false),
  .init(
    id: "repeated ordinal entry", text: header.replacingOccurrences("approval", "ordinal") + "7;1,1\n",
    problem: .repeatedProject, column: 3, voided: true),
  .init(
    id: "too many picks",
    text: header.replacingOccurrences("vote_type;approval", "vote_type;approval\nmax_length;1") + "7;1,2\n",
    problem: .tooManyPicks, column: 3, voided: true),
  .init(
    id: "too few picks",
    text: header.replacingOccurrences("vote_type;approval", "vote_type;approval\nmin_length;2") + "7;1\n",
    problem: .tooFewPicks, column: 3, voided: true),
  .init(
    id: "choose-1 with two picks", text: header.replacingOccurrences("approval", "choose-1") + "7;1,2\n",
    problem: .tooManyPicks, column: 3, voided: true),
  .init(id: "duplicate voter", text: header + "7;1\n7;2\n", problem: .duplicateVoter, column: 1, voided: true),
  .init(
    id: "points mismatch",
    text: header.replacingOccurrences("approval", "cumulative").replacingOccurrences("voter_id;vote\n", "voter_id;vote;points\n")
      + "7;1,2;3\n", problem: .pointsMismatch, column: 7, voided: true),
  .init(
    id: "bad points",
    text: header.replacingOccurrences("approval", "cumulative").replacingOccurrences("voter_id;vote\n", "voter_id;vote;points\n")
      + "7;1,2;3,x\n", problem: .badPoints, column: 7, voided: true),
  .init(
    id: "negative points",
    text: header.replacingOccurrences("approval", "scoring").replacingOccurrences("voter_id;vote\n", "voter_id;vote;points\n")
      + "7;1;-3\n", problem: .badPoints, column: 5, voided: true),
  .init(
    id: "points over max_sum_points",
    text: header.replacingOccurrences("vote_type;approval", "vote_type;cumulative\nmax_sum_points;5")
      .replacingOccurrences("voter_id;vote\n", "voter_id;vote;points\n") + "7;1,2;3,3\n",
    problem: .pointsOutOfLimits, column: 7, voided: true),
  .init(id: "too many fields", text: header + "7;1;x\n", problem: .malformedRow, column: 1, voided: true),
  .init(
    id: "bad weight", text: header.replacingOccurrences("voter_id;vote\n", "voter_id;vote;weight\n") + "7;1;-2\n",
    problem: .badWeight, column: 5, voided: true),
  .init(id: "empty ballot", text: header + "7;\n", problem: .emptyBallot, column: 3, voided: false),
]

@Suite struct BallotProblemTests {
  @Test("Each ballot problem is counted under its reason with line and column", arguments: ballotCases)
  func ballot(_ c: BallotCase) throws {
    let f = try PabulibReader().read(string: c.text, source: "t.pb")
    let lastLine = c.text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
    let ex = try #require(f.report.examples.first { $0.problem == c.problem })
    #expect(ex.location.line == lastLine)
    #expect(ex.location.column == c.column)
    #expect(ex.voided == c.voided)
    if c.voided {
      #expect(f.report.voided[c.problem] == 1)
      #expect(f.report.valid == f.report.read - 1)
    } else {
      #expect(f.report.warnings[c.problem] == 1)
      #expect(f.report.valid == f.report.read)
    }
  }

  @Test("Under the reject policy a bad ballot stops the read with its place") func reject() {
    do {
      _ = try PabulibReader(options: ReadOptions(invalidBallots: .reject)).read(string: header + "7;1,9\n", source: "t.pb")
      Issue.record("no error")
    } catch {
      #expect(error.description == "t.pb:11:5: error: invalid ballot (unknown-project): unknown project '9'")
    }
  }

  @Test("A repeated approval entry counts toward the score, as the cities counted") func repeatedCounts() throws {
    let f = try PabulibReader().read(string: header + "7;1,1\n8;1\n", source: "t.pb")
    #expect(f.profile.scoreUnits() == [3, 0])
  }
}

extension String {
  fileprivate func replacingOccurrences(_ a: String, _ b: String) -> String {
    split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
  }
}
