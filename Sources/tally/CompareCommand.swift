import ArgumentParser
import Dispatch
import TallyAnalysis
import TallyCore
import TallyIO
import TallyRules

/// `tally compare`: run many rules on one input side by side, with their agreement, outcome measures,
/// optional bootstrap stability and an HTML report.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Run rules side by side: outcomes, agreement, satisfaction, spending by group, stability.",
    discussion: """
      Default rules: every allocation and ranking rule of the catalog that accepts the input's ballots.
      A rule that cannot run (e.g. exact Kemeny past its size limit) is listed as skipped with the reason.
      --bootstrap B resamples the voters B times (seeded by --seed) and reruns the rules (those named by
      --bootstrap-rules, else all compared rules that ran) to give each project's probability of being
      funded and its rank interval; progress goes to stderr.
      """)

  @Argument(help: "A Pabulib .pb file, a PrefLib file (.soc .soi .toc .toi) or an election (election.json or its folder).")
  var input: String
  @Option(help: "Comma-separated rule ids (default: every rule that accepts the ballots).") var rules: String?
  @Option(help: "Output format: table or json.") var format: OutputFormat = .table
  @Option(help: "Also write a self-contained HTML report to this file.") var report: String?
  @Option(help: "Bootstrap resamples B (0 = none).") var bootstrap: Int = 0
  @Option(help: "Bootstrap seed.") var seed: UInt64 = 1
  @Option(name: .customLong("bootstrap-rules"), help: "Comma-separated rule ids to resample (default: every compared rule that ran).")
  var bootstrapRules: String?
  @Option(name: .customLong("sweep-steps"), help: "Elections: grid steps of the channel-weight sweep (0 = no sweep).")
  var sweepSteps: Int = 100
  @Option(name: .customLong("sweep-channel"), help: "Elections: the channel whose weight is swept (default: every channel).")
  var sweepChannels: [String] = []
  @Option(name: .customLong("score-method"), help: "Bootstrap scores: sparse, gemm or automatic (the cost model's choice).")
  var scoreMethod: ScoreMethodArgument = .automatic
  @Option(help: "Rules (and resamples) run at once; 1 runs them one after the other. Output is the same either way.")
  var jobs: Int = 2
  @Option(
    name: .customLong("tie-break"),
    help: "Tie-break: lexicographic (the default; an election's own 'tieBreak' when it has one), lower-cost, higher-cost, seeded:<n>; chain with ','.")
  var tieBreak: String?
  @OptionGroup var inputOptions: InputOptions

  func validate() throws {
    if bootstrap < 0 { throw ValidationError("--bootstrap must be at least 0") }
    if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if sweepSteps < 0 { throw ValidationError("--sweep-steps must be at least 0") }
  }

  func run() throws { emit(try output()) }

  /// The command's output; writes the report as a side effect.
  func output() throws -> String {
    let tb: TieBreak
    do { tb = try TieBreak(parsing: tieBreak ?? "lexicographic") } catch { throw CLIError(error) }
    let loaded = try loadComparisonInput(input, tieBreak: tb, tieBreakOverride: tieBreak, options: inputOptions.readOptions)
    let catalog = RuleCatalog.all
    let entries = try selectRules(rules, catalog: catalog, kind: loaded.input.ballotKind)
    var comparison =
      jobs > 1
      ? blocking { await Compare.run(loaded.input, rules: entries) }
      : Compare.runSequentially(loaded.input, rules: entries)
    if let run = loaded.election, sweepSteps > 0 {
      comparison.sweeps = try sweeps(run)
    }
    if bootstrap > 0 {
      guard loaded.input.profile != nil else {
        throw CLIError(message: "\(input): error: a bootstrap needs ballots, and this input has only scores", exitCode: CLIError.usage)
      }
      let chosen: [RuleCatalog.Entry]
      if let bootstrapRules {
        chosen = try selectRules(bootstrapRules, catalog: catalog, kind: loaded.input.ballotKind)
      } else {
        chosen = entries.filter { e in comparison.result(e.descriptor.id)?.ran == true }
      }
      let options = BootstrapOptions(
        resamples: bootstrap, seed: seed, workers: jobs, scoreMethod: ScoreMethod(rawValue: scoreMethod.rawValue)!)
      let meter = ProgressMeter(total: bootstrap, label: "bootstrap")
      comparison.bootstrap =
        jobs > 1
        ? blocking { await Bootstrap.run(loaded.input, rules: chosen, options: options) { meter.update($0) } }
        : Bootstrap.runSequentially(loaded.input, rules: chosen, options: options) { meter.update($0) }
      meter.finish()
    }
    if let report {
      try writeTextFile(report, Report.html(comparison, title: input))
    }
    switch format {
    case .json:
      var options: [String: String] = ["rules": entries.map(\.descriptor.id).joined(separator: ",")]
      if bootstrap > 0 {
        options["bootstrap"] = String(bootstrap)
        options["seed"] = String(seed)
        if let bootstrapRules { options["bootstrapRules"] = bootstrapRules }
      }
      let provenance = Provenance(
        rule: "compare", options: options, tieBreak: tb.description, arithmetic: "per rule",
        inputSHA256: loaded.sha256, source: input, format: loaded.format, ballots: loaded.ballots,
        extra: inputOptions.provenance(command: "compare"))
      return comparison.json(extra: ["provenance": provenance.json]).rendered()
    case .table:
      return comparison.table(source: input)
    }
  }

  /// The channel-weight sweeps of an election under its own allocation rule.
  func sweeps(_ run: ElectionRun) throws -> [WeightSweep] {
    let channels = run.definition.election.channels
    let ids = channels.map(\.id)
    for c in sweepChannels where !ids.contains(c) {
      throw CLIError(message: "tally: error: --sweep-channel '\(c)' names no channel (channels: \(ids.joined(separator: ", ")))", exitCode: CLIError.usage)
    }
    let chosen = sweepChannels.isEmpty ? Array(ids.indices) : ids.indices.filter { sweepChannels.contains(ids[$0]) }
    guard let rule = try? RuleCatalog.all.allocation(run.rule.id) else { return [] }
    let tallies = run.ballots.channels.map(\.tally)
    let own = zip(channels, tallies).map { c, t in t.shares(c.normalisation) }
    let raw = tallies.map { $0.shares(.raw) }
    let ownName = Set(channels.map(\.normalisation.rawValue)).sorted().joined(separator: "+")
    var out: [WeightSweep] = []
    for c in chosen {
      do {
        out.append(
          try WeightSweep.run(
            channels: ids, weights: channels.map(\.weightRational), channel: c,
            normalisations: [(ownName, own), ("raw", raw)], base: run.problem, rule: rule, steps: sweepSteps))
      } catch { throw CLIError(error, source: input) }
    }
    return out
  }

  /// The catalog entries named by a comma-separated list, or the defaults for the ballot kind.
  func selectRules(_ list: String?, catalog: RuleCatalog, kind: BallotKind) throws -> [RuleCatalog.Entry] {
    guard let list else { return Compare.defaultRules(for: kind, in: catalog) }
    var out: [RuleCatalog.Entry] = []
    for id in list.split(separator: ",").map(trimmedBlanks) where !id.isEmpty {
      guard let e = catalog.entry(id) else {
        throw CLIError(message: "tally: error: unknown rule '\(id)' (see `tally rules`)", exitCode: CLIError.usage)
      }
      if !out.contains(where: { $0.descriptor.id == id }) { out.append(e) }
    }
    if out.isEmpty { throw CLIError(message: "tally: error: --rules names no rule", exitCode: CLIError.usage) }
    return out
  }
}

/// `--score-method` values.
enum ScoreMethodArgument: String, ExpressibleByArgument, CaseIterable {
  case sparse, gemm, automatic
}

/// A comparison input read from a file, with what the provenance records about it.
struct LoadedComparisonInput {
  var input: ComparisonInput
  var sha256: String
  var format: String
  var ballots: BallotCounts?
  /// The election run, for elections.
  var election: ElectionRun? = nil
}

/// Reads any supported input into a comparison input.
func loadComparisonInput(
  _ path: String, tieBreak: TieBreak, tieBreakOverride: String?, options: ReadOptions
) throws -> LoadedComparisonInput {
  let fmt: InputFormat
  do { fmt = try InputLoader.format(of: path) } catch { throw CLIError(error) }
  switch fmt {
  case .pabulib:
    let file = try loadPabulib(path, options: options)
    let input: ComparisonInput
    do { input = try ComparisonInput(instance: file.instance, profile: file.profile, tieBreak: tieBreak) } catch {
      throw CLIError(error, source: path)
    }
    return LoadedComparisonInput(input: input, sha256: file.sha256, format: "pabulib", ballots: file.report.counts)
  case .preflib:
    let file = try loadPrefLib(path)
    let input: ComparisonInput
    do { input = try ComparisonInput(instance: file.instance, profile: file.profile, tieBreak: tieBreak) } catch {
      throw CLIError(error, source: path)
    }
    return LoadedComparisonInput(
      input: input, sha256: file.sha256, format: "preflib", ballots: BallotCounts(read: file.voters, valid: file.voters))
  case .election:
    let run = try runElection(
      path, ruleOverride: nil, tieBreakOverride: tieBreakOverride, keepBallots: true,
      policy: options.invalidBallots)
    let input = ComparisonInput(
      instance: run.definition.instance, profile: run.combinedProfile(), scores: run.scores.combined, tieBreak: run.tieBreak,
      auxiliary: run.scores.tieBreakAuxiliary, constraints: run.problem.constraints, measuresUseWeights: false)
    return LoadedComparisonInput(
      input: input, sha256: run.ballots.inputSHA256, format: "election", ballots: run.provenance.ballots, election: run)
  }
}

/// Runs async work to completion from synchronous code (the CLI's main thread waits; the work runs on
/// the concurrency pool).
func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
  let box = _BlockingBox<T>()
  let done = DispatchSemaphore(value: 0)
  Task.detached {
    box.value = await work()
    done.signal()
  }
  done.wait()
  return box.value!
}

/// Where `blocking` leaves its result (written once before the semaphore is signalled).
private final class _BlockingBox<T>: @unchecked Sendable { var value: T? }

/// Progress on stderr: a line every 10% (or about every 2 s), with the rate and the time left.
final class ProgressMeter: @unchecked Sendable {
  private let total: Int
  private let label: String
  private let start = ContinuousClock.now
  private let lock = DispatchSemaphore(value: 1)
  private var lastShown = 0
  private var lastTime = ContinuousClock.now

  init(total: Int, label: String) {
    self.total = total
    self.label = label
  }

  func update(_ done: Int) {
    lock.wait()
    defer { lock.signal() }
    let now = ContinuousClock.now
    let step = max(1, total / 10)
    guard done >= lastShown + step || now - lastTime > .seconds(2) || done == total, done > lastShown else { return }
    lastShown = done
    lastTime = now
    let elapsed = seconds(now - start)
    let left = done == 0 ? 0 : elapsed / Double(done) * Double(total - done)
    writeError("\(label): \(done)/\(total) resamples, \(fixed(elapsed, 1)) s elapsed, about \(fixed(left, 1)) s left")
  }

  func finish() {
    let elapsed = seconds(ContinuousClock.now - start)
    writeError("\(label): done in \(fixed(elapsed, 2)) s")
  }
}

/// The text without leading and trailing blanks (spaces of any kind and tabs; not line breaks).
func trimmedBlanks(_ s: Substring) -> String {
  let blank: (Character) -> Bool = { $0.isWhitespace && !$0.isNewline }
  guard let first = s.firstIndex(where: { !blank($0) }), let last = s.lastIndex(where: { !blank($0) }) else { return "" }
  return String(s[first...last])
}

/// A duration in seconds.
private func seconds(_ d: Duration) -> Double {
  let c = d.components
  return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}
