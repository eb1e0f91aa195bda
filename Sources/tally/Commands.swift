#if canImport(Glibc)
  import Glibc
#endif
import ArgumentParser
import TallyCore
import TallyIO
import TallyRules

/// Loads a Pabulib file, turning library errors into CLI errors.
func loadPabulib(_ path: String, options: ReadOptions) throws -> PabulibFile {
  // As `PabulibReader.read(path:)`, but the opened (mapped) input is left to the process's exit
  // (``leaveToProcessExit(_:)``) rather than unmapped on the reading thread, which the exit then
  // waited for.
  let reader = PabulibReader(options: options)
  do {
    let opened = try reader.open(path: path)
    let file = try reader.read(opened)
    leaveToProcessExit(opened)
    return file
  } catch { throw CLIError(error) }
}

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Parse and check an input; report invalid ballots by reason.")

  @Argument(help: "A Pabulib .pb file, a PrefLib file or an election (election.json or its folder).")
  var input: String

  @Option(help: "Output format: table or json.") var format: OutputFormat = .table
  @OptionGroup var inputOptions: InputOptions

  var job: ValidateJob { ValidateJob(input: input, format: format, reading: inputOptions.settings) }
  func run() throws { emit(try job.output()) }
}

/// What `tally validate` does, from its options.
struct ValidateJob: Equatable {
  var input: String
  var format: OutputFormat = .table
  var reading = InputSettings()

  func output() throws -> String {
    let fmt: InputFormat
    do { fmt = try InputLoader.format(of: input) } catch { throw CLIError(error) }
    let summary = try validateInput(input, format: fmt, options: reading.readOptions)
    switch format {
    case .json: return summary.json.rendered()
    case .table: return summary.table
    }
  }
}

/// What `validate` reports.
struct ValidationSummary {
  var json: JSONValue
  var table: String
}

func validateInput(_ input: String, format: InputFormat, options: ReadOptions) throws -> ValidationSummary {
  switch format {
  case .pabulib:
    let file = try loadPabulib(input, options: options)
    let r = file.report
    let inst = file.instance
    var json: [String: JSONValue] = [
      "input": .string(input), "format": "pabulib", "valid": .bool(true),
      "voteType": .string(inst.ballotKind.rawValue),
      "projects": .int(inst.projectCount), "budget": .number(inst.format(amount: inst.budget)),
      "ballots": r.json, "uniqueBallots": .int(file.profile.uniqueBallotCount),
      "inputSHA256": .string(file.sha256),
    ]
    if let declared = inst.metaValue("num_votes"), let d = Int64(declared), d != r.read {
      json["numVotesMismatch"] = ["declared": .int(d), "read": .int(r.read)]
    }
    var t = "\(input): \(inst.ballotKind) ballots, \(inst.projectCount) projects, budget \(inst.format(amount: inst.budget))\n"
    t += "ballots read \(r.read), valid \(r.valid), void \(r.voidCount) (\(file.profile.uniqueBallotCount) distinct)\n"
    t += reportTable(r)
    return ValidationSummary(json: .object(json), table: t)
  default:
    return try validateOtherFormats(input, format: format, options: options)
  }
}

/// Lines for people: void and warning counts by reason, then the first places.
func reportTable(_ r: BallotReport) -> String {
  var t = ""
  for (p, n) in r.voided.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { t += "  void    \(p.rawValue): \(n)\n" }
  for (p, n) in r.warnings.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { t += "  warning \(p.rawValue): \(n)\n" }
  for e in r.examples.prefix(10) {
    t += "  \(e.location): \(e.voided ? "void" : "warning"): \(e.problem.rawValue): \(e.detail)\n"
  }
  if r.examples.count > 10 { t += "  ... (\(r.examples.count - 10) more places in --format json)\n" }
  return t
}

struct AllocateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "allocate", abstract: "Fund projects within the budget under an allocation rule.")

  @Argument(help: "A Pabulib .pb file or an election.") var input: String
  @Option(help: "The allocation rule id (see `tally rules`).") var rule: String
  @Option(help: "Output format: table or json.") var format: OutputFormat = .table
  @OptionGroup var ruleArguments: RuleArguments
  @OptionGroup var inputOptions: InputOptions

  var job: RuleJob {
    RuleJob(input: input, rule: rule, format: format, ruleArguments: ruleArguments.settings, inputOptions: inputOptions.settings)
  }
  func run() throws { emit(try output()) }
  /// The command's output (JSON or table), so that `tally verify` can recompute it.
  func output() throws -> String { try job.allocate() }
}

/// What `tally allocate` and `tally rank` do, from their options.
struct RuleJob: Equatable {
  var input: String
  var rule: String
  var format: OutputFormat = .table
  var ruleArguments = RuleSettings()
  var inputOptions = InputSettings()

  /// `tally allocate`'s output.
  func allocate() throws -> String {
    // A Pabulib file is opened first, and hashed on the thread started ahead while the rule and its
    // options are checked (~0.2 ms on a large file); an error opening it is reported after theirs.
    let reader = PabulibReader(options: inputOptions.readOptions)
    // (The file or the error opening it, rather than a `Result`, whose generic metadata is built at
    // run time on first use.)
    var opened: PabulibReader.Opened? = nil
    var openError: InputError? = nil
    if (try? InputLoader.format(of: input)) == .pabulib {
      do { opened = try reader.open(path: input) } catch { openError = error }
    }
    guard case .allocation? = RuleCatalog.all.entry(rule) else {
      throw CLIError(message: "tally: error: unknown allocation rule '\(rule)' (see `tally rules`)", exitCode: CLIError.usage)
    }
    let tieBreak = try ruleArguments.parsedTieBreak()
    let options = try ruleArguments.ruleOptions()
    let r: any AllocationRule
    do { r = try RuleCatalog.all.allocation(rule, options: options)! } catch { throw CLIError(error) }
    let fmt: InputFormat
    do { fmt = try InputLoader.format(of: input) } catch { throw CLIError(error) }
    guard fmt == .pabulib else {
      return try allocateOtherFormats(
        input, format: fmt, rule: r, ruleID: rule, tieBreak: tieBreak, tieBreakOverride: ruleArguments.tieBreak,
        outputFormat: format, inputOptions: inputOptions)
    }
    // A rule that reads only the scores gets them summed as the ballots are read, without the
    // profile (traced on Katowice 2020: merging 38,903 ballots into 3,614 distinct ones, and building
    // the profile, took ~0.8 ms of 5.3).
    let loaded: LoadedPabulib
    if let openError { throw CLIError(openError) }
    if let opened {
      do {
        loaded = type(of: r).descriptor.readsBallots ? .ballots(try reader.read(opened)) : .scores(try reader.readScores(opened))
      } catch { throw CLIError(error) }
    } else {
      loaded = .ballots(try loadPabulib(input, options: inputOptions.readOptions))
    }
    let problem: AllocationProblem
    let outcome: AllocationOutcome
    do {
      try type(of: r).check(loaded.instance.ballotKind)
      var p =
        switch loaded {
        case .ballots(let file): try AllocationProblem(instance: file.instance, profile: file.profile, tieBreak: tieBreak)
        case .scores(let s): try AllocationProblem(instance: s.instance, scoresWithoutProfile: s.scores, tieBreak: tieBreak)
        }
      p.threads = machineThreads
      problem = p
      outcome = try r.allocate(problem)
    } catch { throw CLIError(error, source: input) }
    let provenance = Provenance(
      rule: rule, options: r.recordedOptions, tieBreak: tieBreak.description,
      arithmetic: type(of: r).descriptor.arithmetic, inputSHA256: loaded.sha256, source: input, format: "pabulib",
      ballots: loaded.report.counts, extra: inputOptions.provenance(command: "allocate"))
    let text: String
    switch format {
    case .json: text = allocationJSON(rule: rule, problem: problem, outcome: outcome, provenance: provenance).rendered()
    case .table: text = allocationTable(rule: rule, problem: problem, outcome: outcome, provenance: provenance)
    }
    // The input, the profile and the problem go with the process, which ends after the output.
    leaveToProcessExit((consume loaded, consume problem, consume opened))
    return text
  }
}

/// A Pabulib file as `allocate` reads it: with its ballots, or only its scores for a rule that
/// reads no ballots (``RuleDescriptor/readsBallots``).
enum LoadedPabulib {
  case ballots(PabulibFile)
  case scores(PabulibScores)

  var instance: Instance {
    switch self {
    case .ballots(let f): f.instance
    case .scores(let s): s.instance
    }
  }

  var sha256: String {
    switch self {
    case .ballots(let f): f.sha256
    case .scores(let s): s.sha256
    }
  }

  var report: BallotReport {
    switch self {
    case .ballots(let f): f.report
    case .scores(let s): s.report
    }
  }
}

/// The machine's online processors: the threads `allocate` lets a rule use (``AllocationProblem/threads``).
let machineThreads: Int = {
  #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  #else
    return 1
  #endif
}()

/// The contract's `allocate` JSON.
func allocationJSON(rule: String, problem: AllocationProblem, outcome: AllocationOutcome, provenance: Provenance) -> JSONValue {
  let inst = problem.instance
  return [
    "rule": .string(rule),
    "budget": .number(inst.format(amount: inst.budget)),
    "spent": .number(inst.format(amount: outcome.spent)),
    "leftover": .number(inst.format(amount: inst.budget - outcome.spent)),
    "selected": .array(outcome.selected.map { .string(inst.projects[$0].id) }),
    "details": .object(outcome.details),
    "provenance": provenance.json,
  ]
}

/// The table for people.
func allocationTable(rule: String, problem: AllocationProblem, outcome: AllocationOutcome, provenance: Provenance) -> String {
  let inst = problem.instance
  var t = "rule \(rule)   budget \(inst.format(amount: inst.budget))   spent \(inst.format(amount: outcome.spent))   left \(inst.format(amount: inst.budget - outcome.spent))\n"
  if let b = provenance.ballots {
    t += "ballots read \(b.read), valid \(b.valid), void \(b.void)   tie-break \(provenance.tieBreak)\n"
  }
  var rows: [[String]] = [["#", "project", "cost", "score", "name"]]
  for (k, i) in outcome.selected.enumerated() {
    let p = inst.projects[i]
    rows.append([String(k + 1), p.id, inst.format(amount: p.cost), problem.scores[i].description, String((p.name ?? "").prefix(50))])
  }
  t += renderTable(rows, rightAligned: [0, 2, 3])
  t += "\(outcome.selected.count) of \(inst.projectCount) projects funded\n"
  return t
}

/// Renders rows as aligned columns: two spaces between cells, each padded to its column's width in
/// characters (right-aligned columns on the left), no padding after a row's last cell.
func renderTable(_ rows: [[String]], rightAligned: [Int] = []) -> String {
  guard let first = rows.first else { return "" }
  let columns = first.count
  var right = [Bool](repeating: false, count: columns)
  for c in rightAligned where c >= 0 && c < columns { right[c] = true }
  // Each cell's width in characters (its UTF-8 length when it is ASCII, the usual case).
  var cellWidths = [Int](repeating: 0, count: rows.count * columns)
  var widths = [Int](repeating: 0, count: columns)
  var bytes = 0
  for (r, row) in rows.enumerated() {
    for i in 0..<min(columns, row.count) {
      var cell = row[i]
      let (count, ascii) = cell.withUTF8 { u in (u.count, u.allSatisfy { $0 < 0x80 }) }
      let w = ascii ? count : cell.count
      cellWidths[r * columns + i] = w
      widths[i] = max(widths[i], w)
      bytes += count
    }
  }
  // Written once into the string's own storage (appending to a String a space at a time, then to
  // an array through a nested function, cost more than the rest of `tally run`'s table).
  let capacity = bytes + rows.count * (widths.reduce(0, +) + 2 * columns + 1)
  return String(unsafeUninitializedCapacity: max(capacity, 1)) { out in
    let base = out.baseAddress!
    var k = 0
    for (r, row) in rows.enumerated() {
      let last = min(columns, row.count) - 1
      for i in 0...max(last, 0) where i <= last {
        let pad = widths[i] - cellWidths[r * columns + i]
        if i > 0 {
          (base + k).initialize(repeating: 0x20, count: 2)
          k += 2
        }
        if right[i] {
          (base + k).initialize(repeating: 0x20, count: pad)
          k += pad
        }
        var cell = row[i]
        cell.withUTF8 { u in
          if let p = u.baseAddress, u.count > 0 { (base + k).initialize(from: p, count: u.count) }
          k += u.count
        }
        if !right[i] && i != row.count - 1 {
          (base + k).initialize(repeating: 0x20, count: pad)
          k += pad
        }
      }
      base[k] = 0x0A
      k += 1
    }
    return k
  }
}

struct RankCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "rank", abstract: "Rank every project under a ranking rule.")

  @Argument(help: "A Pabulib .pb file, a PrefLib file or an election.") var input: String
  @Option(help: "The ranking rule id (see `tally rules`).") var rule: String
  @Option(help: "Output format: table or json.") var format: OutputFormat = .table
  @OptionGroup var ruleArguments: RuleArguments
  @OptionGroup var inputOptions: InputOptions

  var job: RuleJob {
    RuleJob(input: input, rule: rule, format: format, ruleArguments: ruleArguments.settings, inputOptions: inputOptions.settings)
  }
  func run() throws { emit(try output()) }
  /// The command's output (JSON or table), so that `tally verify` can recompute it.
  func output() throws -> String { try job.rank() }
}

extension RuleJob {
  /// `tally rank`'s output.
  func rank() throws -> String {
    guard case .ranking? = RuleCatalog.all.entry(rule) else {
      throw CLIError(message: "tally: error: unknown ranking rule '\(rule)' (see `tally rules`)", exitCode: CLIError.usage)
    }
    let tieBreak = try ruleArguments.parsedTieBreak()
    let r: any RankingRule
    do { r = try RuleCatalog.all.ranking(rule, options: try ruleArguments.ruleOptions())! } catch { throw CLIError(error) }
    let fmt: InputFormat
    do { fmt = try InputLoader.format(of: input) } catch { throw CLIError(error) }
    guard fmt == .pabulib else {
      return try rankOtherFormats(
        input, format: fmt, rule: r, ruleID: rule, tieBreak: tieBreak, tieBreakOverride: ruleArguments.tieBreak,
        outputFormat: format, inputOptions: inputOptions)
    }
    let file = try loadPabulib(input, options: inputOptions.readOptions)
    let problem = RankingProblem(instance: file.instance, profile: file.profile, tieBreak: tieBreak)
    let outcome: RankingOutcome
    do {
      try type(of: r).check(file.instance.ballotKind)
      outcome = try r.rank(problem)
    } catch { throw CLIError(error, source: input) }
    let provenance = Provenance(
      rule: rule, options: r.recordedOptions, tieBreak: tieBreak.description,
      arithmetic: type(of: r).descriptor.arithmetic, inputSHA256: file.sha256, source: input, format: "pabulib",
      ballots: file.report.counts, extra: inputOptions.provenance(command: "rank"))
    return renderRanking(rule: rule, ids: file.instance.projects.map(\.id), outcome: outcome, provenance: provenance, format: format)
  }
}

/// A ranking as the contract's JSON or as a table.
func renderRanking(rule: String, ids: [String], outcome: RankingOutcome, provenance: Provenance, format: OutputFormat) -> String {
  let ranks = outcome.ranks
  let order = outcome.tiers.flatMap { $0 }
  switch format {
  case .json:
    let json: JSONValue = [
      "rule": .string(rule),
      "ranking": .array(
        order.map { i -> JSONValue in
          ["id": .string(ids[i]), "rank": .int(ranks[i]), "score": outcome.scores.map { s in JSONValue.double(s[i]) } ?? .null]
        }),
      "details": .object(outcome.details),
      "provenance": provenance.json,
    ]
    return json.rendered()
  case .table:
    // Statistical models (bradley-terry, plackett-luce) add a standard-error column.
    var errors: [String: JSONValue]? = nil
    if case .object(let o)? = outcome.details["standardErrors"] { errors = o }
    var rows: [[String]] = [errors == nil ? ["rank", "project", "score"] : ["rank", "project", "score", "std. error"]]
    for i in order {
      var row = [String(ranks[i]), ids[i], outcome.scores.map { formatScore($0[i]) } ?? "-"]
      if let errors {
        if case .number(let se)? = errors[ids[i]], let v = Double(se) { row.append(formatScore(v)) } else { row.append("-") }
      }
      rows.append(row)
    }
    return "rule \(rule)   tie-break \(provenance.tieBreak)\n" + renderTable(rows, rightAligned: errors == nil ? [0, 2] : [0, 2, 3])
  }
}

/// A score for people: integers without decimals, others with up to 6 significant decimals.
func formatScore(_ x: Double) -> String {
  if !x.isFinite { return "-" }
  if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
  var s = String(format6(x))
  while s.hasSuffix("0") { s.removeLast() }
  return s
}

private func format6(_ x: Double) -> String {
  let scaled = (x * 1_000_000).rounded() / 1_000_000
  return "\(scaled)"
}

struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "rules", abstract: "List the rule catalog.")

  @Option(help: "Output format: table or json.") var format: OutputFormat = .table

  func run() throws {
    let ds = RuleCatalog.all.descriptors
    switch format {
    case .json: emit(JSONValue.array(ds.map(\.json)).rendered())
    case .table:
      var rows: [[String]] = [["id", "kind", "ballots", "summary"]]
      for d in ds {
        rows.append([d.id, d.kind.rawValue, BallotKind.allCases.filter { d.accepts.contains($0) }.map(\.rawValue).joined(separator: ","), d.summary])
      }
      emit(renderTable(rows))
    }
  }
}
