import ArgumentParser
import TallyAnalysis
import TallyCore
import TallyIO
import TallyRules

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `tally run <election>`: the multi-channel election job.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a multi-channel election: per-channel tallies, combined scores, ranking, funded projects.",
    discussion: """
      <election> is an election.json or a folder holding one. Each channel's ballots are normalised \
      (share-of-voters by default) and combined with the channel weights into one exact score per \
      project; the ranking is then cut to the budget by the election's allocation rule (greedy unless \
      the file or --rule says otherwise), respecting its sub-envelopes.
      """)

  @Argument(help: "An election.json or a folder holding one.") var election: String
  @Option(help: "Output format: table or json.") var format: OutputFormat = .table
  @Option(help: "Allocation rule id, overriding the election's 'allocation' (see `tally rules`).") var rule: String?
  @Option(name: .customLong("tie-break"), help: "Tie-break, overriding the election's 'tieBreak' (e.g. share:committee,lower-cost).")
  var tieBreak: String?
  @Option(name: .customLong("export-pb"), help: "Also write the combined election as a Pabulib .pb file.") var exportPB: String?
  @Option(
    name: .customLong("voter-check"),
    help: "Duplicate voter ids: auto (default), memory (fast), external (bounded memory, two passes), off.")
  var voterCheck: VoterCheckArgument = .auto
  @Option(name: .customLong("invalid-ballots"), help: "void (count and skip, default) or reject (stop at the first).")
  var invalidBallots: InvalidBallotPolicyArgument = .void

  var job: RunJob {
    RunJob(
      election: election, format: format, rule: rule, tieBreak: tieBreak, exportPB: exportPB, voterCheck: voterCheck,
      invalidBallots: invalidBallots)
  }
  func run() throws { emit(try output()) }
  /// The command's output (JSON or table), so that `tally verify` can recompute it.
  func output() throws -> String { try job.output() }
}

/// What `tally run` does, from its options.
struct RunJob: Equatable {
  var election: String
  var format: OutputFormat = .table
  var rule: String? = nil
  var tieBreak: String? = nil
  var exportPB: String? = nil
  var voterCheck: VoterCheckArgument = .auto
  var invalidBallots: InvalidBallotPolicyArgument = .void

  func output() throws -> String {
    let r = try runElection(
      election, ruleOverride: rule, tieBreakOverride: tieBreak, keepBallots: exportPB != nil,
      voterCheck: VoterCheck(rawValue: voterCheck.rawValue)!, policy: invalidBallots == .reject ? .reject : .void)
    if let exportPB {
      try writeTextFile(exportPB, r.pabulibExport())
    }
    let text: String
    switch format {
    case .json:
      // Record the command and read options so that `tally verify` can recompute the result.
      if case .object(var o) = r.json, case .object(var prov)? = o["provenance"] {
        prov["command"] = "run"
        prov["readOptions"] = ["invalidBallots": .string(invalidBallots.rawValue), "metaLimits": true]
        o["provenance"] = .object(prov)
        text = JSONValue.object(o).rendered()
      } else {
        text = r.json.rendered()
      }
    case .table: text = electionTable(r, exported: exportPB)
    }
    // The run (the projects, the ballots' tallies and reports) goes with the process, which ends
    // after the output.
    leaveToProcessExit(consume r)
    return text
  }
}

enum VoterCheckArgument: String, ExpressibleByArgument, CaseIterable {
  case auto, memory, external, off
}

/// Reads an election and its ballots and runs it; every error is a CLIError with the right exit code.
func runElection(
  _ path: String, ruleOverride: String?, tieBreakOverride: String?, keepBallots: Bool = false,
  voterCheck: VoterCheck = .auto, policy: InvalidBallotPolicy = .void, rule given: (any AllocationRule)? = nil
) throws -> ElectionRun {
  let def: ElectionDefinition
  // (The ballot files are read mapped below: opened and hashed ahead while the projects are parsed.)
  do { def = try ElectionReader.read(path: path, openingBallotsAhead: voterCheck) } catch { throw CLIError(error) }
  var tb: TieBreak? = nil
  if let tieBreakOverride {
    do { tb = try TieBreak(parsing: tieBreakOverride) } catch { throw CLIError(error) }
  }
  let rule: any AllocationRule
  if let given {
    rule = given
  } else if let ruleOverride {
    guard case .allocation? = RuleCatalog.all.entry(ruleOverride) else {
      throw CLIError(message: "tally: error: unknown allocation rule '\(ruleOverride)' (see `tally rules`)", exitCode: CLIError.usage)
    }
    do { rule = try RuleCatalog.all.allocation(ruleOverride)! } catch { throw CLIError(error) }
  } else {
    let id = def.election.allocation
    guard case .allocation? = RuleCatalog.all.entry(id) else {
      let known = RuleCatalog.all.descriptors.filter { $0.kind == .allocation }.map(\.id).joined(separator: ", ")
      throw CLIError(
        message: InputError(.invalidElection("unknown allocation rule '\(id)' (available: \(known))"), at: def.allocationLocation)
          .description,
        exitCode: CLIError.dataError)
    }
    do { rule = try RuleCatalog.all.allocation(id)! } catch {
      throw CLIError(message: InputError(.invalidElection(error.description), at: def.allocationLocation).description, exitCode: CLIError.dataError)
    }
  }
  let ballots: ElectionBallots
  do { ballots = try def.readBallots(policy: policy, voterCheck: voterCheck, keepBallots: keepBallots, mapFiles: true) } catch {
    throw CLIError(error)
  }
  do { return try ElectionRun(definition: def, ballots: ballots, rule: rule, tieBreak: tb) } catch {
    throw CLIError(error, source: path)
  }
}

/// Groups digits by thousands: 110000000000 → 110,000,000,000 (decimals kept as they are).
func groupedAmount(_ s: String) -> String {
  var s = s
  return s.withUTF8 { u in
    let dot = u.firstIndex(of: UInt8(ascii: ".")) ?? u.count
    let lo = u.first == UInt8(ascii: "-") ? 1 : 0
    if dot - lo <= 3 { return String(decoding: u, as: UTF8.self) }
    let commas = (dot - lo - 1) / 3
    return String(unsafeUninitializedCapacity: u.count + commas) { out in
      var j = 0
      for k in 0..<u.count {
        // A comma before each digit that has a multiple of three digits after it (itself included).
        if k > lo && k < dot && (dot - k) % 3 == 0 {
          out[j] = UInt8(ascii: ",")
          j += 1
        }
        out[j] = u[k]
        j += 1
      }
      return j
    }
  }
}

/// A share or score for people: 4 decimals (6 when small), from the exact value.
func shareText(_ r: Rational, raw: Bool = false) -> String {
  if let (n, d) = r.smallParts {
    if d == 1 { return groupedAmount(String(n)) }
  } else if r.denominator == 1 {
    return groupedAmount(r.numerator.description)
  }
  let d = r.doubleValue
  if raw { return formatScore(d) }
  let digits = abs(d) < 0.01 ? 6 : 4
  return ElectionRun.decimal(r, digits: digits, keepZeros: true)
}


/// The first `n` characters of `s` (all of it when shorter). An ASCII string without carriage
/// returns has one character per byte, so it is cut by bytes; any other by characters.
func clipped(_ s: String, to n: Int) -> String {
  var bytes = s
  let byBytes: String? = bytes.withUTF8 { u in
    guard u.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
    return u.count <= n ? s : String(decoding: UnsafeBufferPointer(rebasing: u[..<n]), as: UTF8.self)
  }
  return byBytes ?? String(s.prefix(n))
}

/// Every ballot problem, by name (the order of the table's void counts).
private let problemsByName = BallotProblem.allCases.sorted { $0.rawValue < $1.rawValue }

/// The table for people.
func electionTable(_ r: ElectionRun, exported: String?) -> String {
  let inst = r.definition.instance
  let e = r.definition.election
  let cur = e.currency.isEmpty ? "" : " " + e.currency
  func money(_ units: Int64) -> String { groupedAmount(inst.format(amount: units)) + cur }
  var t = "\(e.name)\n"
  if let p = e.preset { t += "preset \(p.rawValue): \(p.note)\n" }
  t += "\(inst.projectCount) projects, budget \(money(inst.budget)), rule \(r.rule.id), tie-break \(r.tieBreak.description)\n\n"

  // Channels.
  var rows: [[String]] = [["channel", "weight", "normalisation", "picks", "read", "valid", "void", "valid weight"]]
  for (c, b) in zip(e.channels, r.ballots.channels) {
    let p = c.picks
    var picks = p.exactPicks.map { "exactly \($0)" } ?? (p.maxPicks.map { "\(p.minPicks)-\($0)" } ?? "\(p.minPicks)+")
    if !p.categoryLimits.isEmpty {
      picks += "; " + _joined(p.categoryLimits.map { l in "\(l.category) " + (l.max == l.min ? "=\(l.min)" : l.max.map { "\(l.min)-\($0)" } ?? ">=\(l.min)") }, by: ", ")
    }
    rows.append([
      c.id, c.weight.normalized.description, c.normalisation.rawValue, picks, groupedAmount(String(b.report.read)),
      groupedAmount(String(b.report.valid)), groupedAmount(String(b.report.voidCount)), shareText(b.tally.totalWeight, raw: true),
    ])
  }
  t += renderTable(rows, rightAligned: [1, 4, 5, 6, 7])
  for (c, b) in zip(e.channels, r.ballots.channels) {
    if !b.report.voided.isEmpty {
      // (By reason name, looked up in the counts: sorting the dictionary itself cost ~0.02 ms of
      // first-use type lookups.)
      var line = "  \(c.id) void: "
      var first = true
      for problem in problemsByName {
        guard let count = b.report.voided[problem] else { continue }
        line += (first ? "" : ", ") + problem.rawValue + " " + String(count)
        first = false
      }
      t += line + "\n"
    }
    if !c.groupWeights.isEmpty {
      let tl = b.tally
      t += "  \(c.id) groups: " + _joined(tl.groups.indices.map { "\(tl.groups[$0]) ×\(tl.groupWeights[$0].normalized) (\(tl.validBallots[$0]) ballots)" }, by: ", ") + "\n"
    }
    if b.voterCheck == .off { t += "  \(c.id): duplicate voter ids not checked (--voter-check off)\n" }
  }
  if e.weightSum != .one { t += "  note: channel weights add up to \(shareText(e.weightSum, raw: true)), not 1 (used as given)\n" }

  // Ranking.
  // (`_joined` rather than `joined(separator:)`, generic code that made the runtime scan every
  // protocol conformance of the binary on first use, ~0.03 ms after the ballots are read.)
  t += "\nranking (score = " + _joined(e.channels.map { "\($0.weight.normalized)×\($0.id)" }, by: " + ") + ")\n"
  // (Marks by project rather than sets: each first use of a generic type in a process costs the
  // runtime a lookup, which `tally run` pays after the ballots are read.)
  var funded = [Bool](repeating: false, count: inst.projectCount)
  for i in r.outcome.selected { funded[i] = true }
  let ranks = r.ranks
  var header = ["rank", "project", "score"] + e.channels.map(\.id) + ["cost", "funded", "category", "name"]
  if inst.projects.allSatisfy({ $0.categories.isEmpty }) { header.removeAll { $0 == "category" } }
  rows = [header]
  var tied = [Bool](repeating: false, count: inst.projectCount)
  for t in r.tiers where t.count > 1 { for i in t { tied[i] = true } }
  let anyRaw = e.channels.contains { $0.normalisation == .raw }
  let categories = header.contains("category")
  rows.reserveCapacity(r.order.count + 1)
  let projects = inst.projects
  for i in r.order {
    var row = [String(ranks[i]) + (tied[i] ? "=" : ""), projects[i].id, shareText(r.scores.combined[i], raw: anyRaw)]
    row.reserveCapacity(header.count)
    for k in e.channels.indices { row.append(shareText(r.scores.shares[k][i], raw: e.channels[k].normalisation == .raw)) }
    row.append(groupedAmount(inst.format(amount: projects[i].cost)))
    row.append(funded[i] ? "yes" : "")
    if categories {
      // Categories, then targets in brackets, space-separated (appended: two arrays joined per row
      // cost more than the rest of the row).
      var text = ""
      for c in projects[i].categories {
        if !text.isEmpty { text += " " }
        text += c
      }
      for g in projects[i].targets {
        if !text.isEmpty { text += " " }
        text += "[" + g + "]"
      }
      row.append(text)
    }
    row.append(clipped(projects[i].name ?? "", to: 40))
    rows.append(row)
  }
  t += renderTable(rows, rightAligned: [0, 2] + e.channels.indices.map { $0 + 3 } + [e.channels.count + 3])
  if tied.contains(true) { t += "  = tied on the exact combined score; listed in tie-break order (\(r.tieBreak.description))\n" }

  // Allocation by envelope.
  t += "\nfunded (\(r.rule.id)): \(r.outcome.selected.count) projects, spent \(money(r.outcome.spent)) of \(money(inst.budget)), left \(money(inst.budget - r.outcome.spent))\n"
  let envs = r.envelopeResults
  if !envs.isEmpty {
    rows = [["envelope", "members", "funded", "spent", "cap", "floor", "left in cap"]]
    var inEnvelope = [Bool](repeating: false, count: inst.projectCount)
    for (k, env) in envs.enumerated() {
      let members = r.envelopeMembers[k]
      for i in members { inEnvelope[i] = true }
      let scale = inst.costScale
      let cap = env.spec.cap.flatMap { $0.normalized.rescaled(to: scale) }
      let floor = env.spec.floor.flatMap { $0.normalized.rescaled(to: scale) }
      var floorText = floor.map { money($0) } ?? "-"
      if let floor, env.spent < floor { floorText += " (unmet)" }
      rows.append([
        env.spec.name, String(members.count), String(env.selected.count), money(env.spent), cap.map { money($0) } ?? "-",
        floorText, cap.map { money($0 - env.spent) } ?? "-",
      ])
    }
    let rest = r.outcome.selected.filter { !inEnvelope[$0] }
    if !rest.isEmpty {
      rows.append([
        "(in no envelope)", String(inEnvelope.reduce(0) { $1 ? $0 : $0 + 1 }), String(rest.count),
        money(rest.reduce(Int64(0)) { $0 + inst.projects[$1].cost }), "-", "-", "-",
      ])
    }
    t += renderTable(rows, rightAligned: [1, 2, 3, 4, 5, 6])
  }
  rows = [["#", "project", "cost", "score", "name"]]
  for (k, i) in r.outcome.selected.enumerated() {
    rows.append([
      String(k + 1), projects[i].id, groupedAmount(inst.format(amount: projects[i].cost)), shareText(r.scores.combined[i], raw: anyRaw),
      clipped(projects[i].name ?? "", to: 50),
    ])
  }
  t += renderTable(rows, rightAligned: [0, 2, 3])

  // Places of void ballots.
  let examples = r.ballots.channels.flatMap(\.report.examples).filter(\.voided)
  if !examples.isEmpty {
    t += "\nvoid ballots (first places; all counts above, all places in --format json):\n"
    for ex in examples.prefix(12) { t += "  \(ex.location): \(ex.problem.rawValue): \(ex.detail)\n" }
    if examples.count > 12 { t += "  ... \(examples.count - 12) more in --format json\n" }
  }
  t += "\ninput SHA-256 \(r.ballots.inputSHA256)\n"
  if let exported { t += "combined election written to \(exported) (Pabulib)\n" }
  return t
}
