import ArgumentParser
import CTallySystem
import TallyCore
import TallyIO
import TallyRules

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `tally`: count participatory-budgeting votes, rank projects and fit the winners into the budget.
@main
struct Tally: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tally",
    abstract: "Count participatory-budgeting votes, rank projects and fit the winners into the budget.",
    version: Provenance.engineVersion,
    subcommands: [
      ValidateCommand.self, AllocateCommand.self, RankCommand.self, RulesCommand.self,
    ] + extraSubcommands
  )

  /// Runs the command, rendering every error in one place with a sysexits code.
  static func main() {
    // Before any other thread starts (see tally_populate_hot_data and tally_keep_freed_memory).
    _ = tally_populate_hot_data()
    _ = tally_keep_freed_memory()
    watchForTruncatedInputs()
    if let job = QuickCommandLine.job(Array(CommandLine.arguments.dropFirst())) {
      // The same job the full parser would build; any error but ours goes through it again, so that
      // it is rendered exactly as it would be.
      do {
        let text = try job.output()
        // The reading thread, if any, ends while the output is written, so that the exit need not
        // wake it to end it.
        _retirePrestartedThread()
        emit(text)
        return
      } catch {
        exitOnOwnError(error)
      }
    }
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      exitOnOwnError(error)
      let full = fullMessage(for: error)
      let code = exitCode(for: error).rawValue
      if !full.isEmpty {
        if code == 0 { emit(full) } else { writeError(full) }
      }
      // argument-parser's validation failures are EX_USAGE (64) on Linux; map any other failure there too.
      terminate(code == 0 ? 0 : (code == 1 ? 64 : code))
    }
  }
}

/// Renders an error of the commands' own (``CLIError``, ``InputError``) and ends the process with its
/// status; returns for any other error.
func exitOnOwnError(_ error: any Error) {
  let e: CLIError
  switch error {
  case let c as CLIError: e = c
  case let i as InputError: e = CLIError(i)
  default: return
  }
  writeError(e.message)
  terminate(e.exitCode)
}

/// An error with its rendering and exit code, thrown by commands.
struct CLIError: Error {
  var message: String
  var exitCode: Int32

  static let usage: Int32 = 64
  static let dataError: Int32 = 65
  static let software: Int32 = 70

  init(message: String, exitCode: Int32) {
    self.message = message
    self.exitCode = exitCode
  }

  /// Renders a library error: input errors as `file:line:column: error: message` (65); rule errors
  /// as `tally: error: ...` with 64 for usage problems and 65 for data problems.
  init(_ error: any Error, source: String? = nil) {
    switch error {
    case let e as InputError:
      self.init(message: e.description, exitCode: Self.dataError)
    case let e as RuleError:
      let prefix = source.map { "\($0): error: " } ?? "tally: error: "
      let usage: Bool =
        switch e {
        case .invalidOption, .unsupportedBallotKind: true
        default: false
        }
      self.init(message: prefix + e.description, exitCode: usage ? Self.usage : Self.dataError)
    case let e as TieBreak.ParseError:
      self.init(message: "tally: error: \(e.description)", exitCode: Self.usage)
    case let e as CLIError:
      self = e
    default:
      self.init(message: "tally: internal error: \(error)", exitCode: Self.software)
    }
  }
}

/// Writes a text file (created or truncated); a failure is a `CLIError` naming the path.
func writeTextFile(_ path: String, _ text: String) throws(CLIError) {
  guard let f = fopen(path, "wb") else {
    throw CLIError(message: "\(path): error: cannot write: \(String(cString: strerror(errno)))", exitCode: CLIError.dataError)
  }
  let bytes = Array(text.utf8)
  let n = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
  if fclose(f) != 0 || n != bytes.count {
    throw CLIError(message: "\(path): error: write failed", exitCode: CLIError.dataError)
  }
}

/// Writes a line to stdout.
func emit(_ s: String) {
  writeAll(1, s.hasSuffix("\n") ? s : s + "\n")
}

/// Writes a line to stderr.
func writeError(_ s: String) {
  writeAll(2, s.hasSuffix("\n") ? s : s + "\n")
}

/// Writes every byte of a string to a file descriptor.
func writeAll(_ fd: Int32, _ s: String) {
  var bytes = Array(s.utf8)
  var off = 0
  while off < bytes.count {
    let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + off, $0.count - off) }
    if n <= 0 { return }
    off += n
  }
}

/// Makes `SIGBUS` an input error. The readers map large input files into memory; if another process
/// truncates one while it is read, touching the lost pages raises `SIGBUS`. The handler says so and
/// exits with 65 (bad input data), having written nothing to stdout (output is written at the end).
func watchForTruncatedInputs() {
  var action = sigaction()
  action.__sigaction_handler.sa_handler = { _ in
    let message: StaticString = "tally: error: an input file was truncated while it was being read\n"
    _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
    _exit(65)
  }
  sigemptyset(&action.sa_mask)
  sigaction(SIGBUS, &action, nil)
}

/// Ends the process with a status.
func terminate(_ code: Int32) -> Never {
  exit(code)
}

/// Leaves `value`, a command's last large values (the mapped input, the profile or the tallies), to
/// be reclaimed with the whole process, whose exit follows the command's output: the kernel takes
/// back the address space at exit in one pass anyway. Handing them to the reading thread to free
/// while this one printed (``_destroyOnPrestartedThread(_:)``) made the exit wait for that thread's
/// unmapping: 40 alternating runs, `allocate --rule greedy` on Katowice 2020 4.75 -> 4.29 ms median,
/// `run` on the bundled election 9.67 -> 9.08 ms. For what a command holds until it ends the process
/// (tests that call a command's `output()` in their own process keep those values too).
func leaveToProcessExit(_ value: consuming Any) {
  _ = Unmanaged.passRetained(LeftToProcessExit(value))
}

/// A value never released (``leaveToProcessExit(_:)``).
private final class LeftToProcessExit {
  let value: Any
  init(_ value: consuming Any) { self.value = value }
}

/// Output formats.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case table
  case json
}

/// Options shared by commands that read ballots (parsed by ``InputOptions`` or ``QuickCommandLine``).
struct InputSettings: Equatable {
  var invalidBallots: InvalidBallotPolicyArgument = .void
  var noMetaLimits = false

  /// What the provenance records so that `tally verify` can read the input the same way.
  func provenance(command: String) -> [String: JSONValue] {
    [
      "command": .string(command),
      "readOptions": ["invalidBallots": .string(invalidBallots.rawValue), "metaLimits": .bool(!noMetaLimits)],
    ]
  }

  /// The library's read options (large files mapped: ``watchForTruncatedInputs()`` handles `SIGBUS`).
  var readOptions: ReadOptions {
    ReadOptions(
      invalidBallots: invalidBallots == .reject ? .reject : .void, enforceMetaLimits: !noMetaLimits, mapFiles: true)
  }
}

/// ``InputSettings`` as command-line options.
struct InputOptions: ParsableArguments {
  @Option(name: .customLong("invalid-ballots"), help: "What to do with an invalid ballot: void (count and skip) or reject (stop with an error).")
  var invalidBallots: InvalidBallotPolicyArgument = .void

  @Flag(name: .customLong("no-meta-limits"), help: "Do not void ballots that break META length and points limits.")
  var noMetaLimits = false

  var settings: InputSettings { InputSettings(invalidBallots: invalidBallots, noMetaLimits: noMetaLimits) }
  var readOptions: ReadOptions { settings.readOptions }
  func provenance(command: String) -> [String: JSONValue] { settings.provenance(command: command) }
}

enum InvalidBallotPolicyArgument: String, ExpressibleByArgument, CaseIterable {
  case void
  case reject
}

/// ``RuleSettings`` as command-line options.
struct RuleArguments: ParsableArguments {
  @Option(
    name: .customLong("tie-break"),
    help: "Tie-break: lexicographic (the default; an election's own 'tieBreak' when it has one), lower-cost, higher-cost, seeded:<n>; chain with ','.")
  var tieBreak: String?

  @Option(name: .customLong("option"), help: "A rule option key=value (repeatable).")
  var options: [String] = []

  var settings: RuleSettings { RuleSettings(tieBreak: tieBreak, options: options) }
}

/// Options shared by rule-running commands (parsed by ``RuleArguments`` or ``QuickCommandLine``).
struct RuleSettings: Equatable {
  var tieBreak: String?
  var options: [String] = []

  func ruleOptions() throws -> RuleOptions {
    var d: [String: String] = [:]
    for o in options {
      guard let eq = o.firstIndex(of: "="), eq != o.startIndex else {
        throw CLIError(message: "tally: error: option '\(o)' is not key=value", exitCode: CLIError.usage)
      }
      d[String(o[..<eq])] = String(o[o.index(after: eq)...])
    }
    return RuleOptions(d)
  }

  func parsedTieBreak() throws -> TieBreak {
    do { return try TieBreak(parsing: tieBreak ?? "lexicographic") } catch { throw CLIError(error) }
  }
}
