import ArgumentParser
import TallyAnalysis
import TallyCore
import TallyIO
import TallyRules

// `validate`, `allocate` and `rank` on an election (election.json or its folder).

/// `tally validate <election>`: parse everything, count void ballots by reason per channel.
func validateElection(_ input: String, options: ReadOptions) throws -> ValidationSummary {
  let def: ElectionDefinition
  let ballots: ElectionBallots
  do {
    let check: VoterCheck = options.checkDuplicateVoters ? .auto : .off
    def = try ElectionReader.read(path: input, openingBallotsAhead: options.mapFiles ? check : nil)
    ballots = try def.readBallots(policy: options.invalidBallots, voterCheck: check, mapFiles: options.mapFiles)
  } catch { throw CLIError(error) }
  let inst = def.instance
  var channels: [JSONValue] = []
  var t = "\(def.path): election '\(def.election.name)', \(inst.projectCount) projects, budget \(inst.format(amount: inst.budget)), \(def.election.channels.count) channels\n"
  for (c, b) in zip(def.election.channels, ballots.channels) {
    channels.append(["id": .string(c.id), "file": .string(b.path), "ballots": b.report.json, "voterCheck": .string(b.voterCheck.rawValue)])
    t += "channel \(c.id) (\(b.path)): ballots read \(b.report.read), valid \(b.report.valid), void \(b.report.voidCount)\n"
    t += reportTable(b.report)
  }
  var json: [String: JSONValue] = [
    "input": .string(input), "format": "election", "valid": .bool(true), "projects": .int(inst.projectCount),
    "budget": .number(inst.format(amount: inst.budget)), "channels": .array(channels),
    "inputSHA256": .string(ballots.inputSHA256),
  ]
  if !def.ignoredKeys.isEmpty {
    json["ignoredKeys"] = .array(def.ignoredKeys.map { .string($0) })
    t += "ignored keys: \(def.ignoredKeys.joined(separator: ", "))\n"
  }
  return ValidationSummary(json: .object(json), table: t)
}

/// `tally allocate <election> --rule <id>`: the election's combined scores cut by the given rule.
/// The election's own tie-break applies unless `--tie-break` is given (any, `lexicographic` included).
func allocateElection(
  _ input: String, rule: any AllocationRule, tieBreakOverride: String?, outputFormat: OutputFormat, inputOptions: InputSettings
) throws -> String {
  let r = try runElection(
    input, ruleOverride: nil, tieBreakOverride: tieBreakOverride,
    policy: inputOptions.readOptions.invalidBallots, rule: rule)
  var provenance = r.provenance
  for (k, v) in inputOptions.provenance(command: "allocate") { provenance.extra[k] = v }
  switch outputFormat {
  case .json:
    return allocationJSON(rule: r.rule.id, problem: r.problem, outcome: r.outcome, provenance: provenance).rendered()
  case .table:
    return allocationTable(rule: r.rule.id, problem: r.problem, outcome: r.outcome, provenance: provenance)
  }
}

/// `tally rank <election> --rule <id>`: `score` ranks by the exact combined score; other rules rank the
/// combined weighted approval profile (the one `run --export-pb` writes, weights rounded to 6 decimals).
func rankElection(
  _ input: String, rule: any RankingRule, tieBreakOverride: String?, outputFormat: OutputFormat, inputOptions: InputSettings
) throws -> String {
  let id = type(of: rule).descriptor.id
  let r = try runElection(
    input, ruleOverride: "greedy", tieBreakOverride: tieBreakOverride,
    keepBallots: id != "score", policy: inputOptions.readOptions.invalidBallots)
  var provenance = r.provenance
  provenance.rule = id
  provenance.arithmetic = type(of: rule).descriptor.arithmetic
  let ids = r.definition.instance.projects.map(\.id)
  let outcome: RankingOutcome
  if id == "score" {
    outcome = RankingOutcome(tiers: r.tiers, scores: r.scores.combined.map(\.doubleValue))
    provenance.arithmetic = "exact-rational"
  } else {
    let profile = r.combinedProfile()
    let problem = RankingProblem(instance: r.definition.instance, profile: profile, tieBreak: r.tieBreak)
    do {
      try type(of: rule).check(.approval)
      outcome = try rule.rank(problem)
    } catch { throw CLIError(error, source: input) }
    provenance.extra["profile"] = "combined weighted approval ballots (weights rounded to 6 decimals), as in run --export-pb"
  }
  for (k, v) in inputOptions.provenance(command: "rank") { provenance.extra[k] = v }
  return renderRanking(rule: id, ids: ids, outcome: outcome, provenance: provenance, format: outputFormat)
}
