import TallyCore
import TallyIO
import TallyRules

// PrefLib input (.soc .soi .toc .toi) for `tally validate` and `tally rank`, reached through the hooks
// in Extensions.swift.

/// Loads a PrefLib file, turning library errors into CLI errors.
func loadPrefLib(_ path: String) throws -> PrefLibFile {
  do { return try PrefLibReader().read(path: path) } catch { throw CLIError(error) }
}

/// `tally validate` on a PrefLib file.
func validatePrefLib(_ input: String) throws -> ValidationSummary {
  let file = try loadPrefLib(input)
  let inst = file.instance
  let json: JSONValue = [
    "input": .string(input), "format": "preflib", "valid": .bool(true), "dataType": .string(file.dataType),
    "voteType": "ordinal", "projects": .int(inst.projectCount),
    "ballots": ["read": .int(file.voters), "valid": .int(file.voters), "void": .int(0)],
    "uniqueBallots": .int(file.profile.uniqueBallotCount), "withTies": .bool(file.profile.tieGroups != nil),
    "inputSHA256": .string(file.sha256),
  ]
  let table =
    "\(input): PrefLib \(file.dataType), \(inst.projectCount) alternatives, \(file.voters) orders (\(file.profile.uniqueBallotCount) distinct)\n"
  return ValidationSummary(json: json, table: table)
}

/// `tally rank` on a PrefLib file: the output text.
func rankPrefLib(
  _ input: String, rule: any RankingRule, ruleID: String, tieBreak: TieBreak, outputFormat: OutputFormat,
  inputOptions: InputSettings
) throws -> String {
  let file = try loadPrefLib(input)
  let problem = RankingProblem(instance: file.instance, profile: file.profile, tieBreak: tieBreak)
  let outcome: RankingOutcome
  do {
    try type(of: rule).check(file.instance.ballotKind)
    outcome = try rule.rank(problem)
  } catch { throw CLIError(error, source: input) }
  let provenance = Provenance(
    rule: ruleID, options: rule.recordedOptions, tieBreak: tieBreak.description,
    arithmetic: type(of: rule).descriptor.arithmetic, inputSHA256: file.sha256, source: input, format: "preflib",
    ballots: BallotCounts(read: file.voters, valid: file.voters), extra: inputOptions.provenance(command: "rank"))
  return renderRanking(
    rule: ruleID, ids: file.instance.projects.map(\.id), outcome: outcome, provenance: provenance, format: outputFormat)
}
