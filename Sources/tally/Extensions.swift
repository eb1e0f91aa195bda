import ArgumentParser
import TallyCore
import TallyIO
import TallyRules

// Hooks through which later inputs (PrefLib, elections) and commands (run, compare, generate) join
// the CLI without touching the commands above.

extension Tally {
  /// Subcommands beyond validate, allocate, rank and rules.
  static var extraSubcommands: [any ParsableCommand.Type] {
    [RunCommand.self, GenerateCommand.self, VerifyCommand.self,
     CompareCommand.self]
  }
}

extension RuleCatalog {
  /// Every rule the CLI offers.
  static var all: RuleCatalog { .standard }
}

/// `validate` on inputs other than Pabulib.
func validateOtherFormats(_ input: String, format: InputFormat, options: ReadOptions) throws -> ValidationSummary {
  if format == .preflib { return try validatePrefLib(input) }
  if format == .election { return try validateElection(input, options: options) }
  throw CLIError(message: "\(input): error: \(format.rawValue) input is not supported by this command yet", exitCode: CLIError.dataError)
}

/// `allocate` on inputs other than Pabulib; returns the output text.
func allocateOtherFormats(
  _ input: String, format: InputFormat, rule: any AllocationRule, ruleID: String, tieBreak: TieBreak,
  tieBreakOverride: String?, outputFormat: OutputFormat, inputOptions: InputSettings
) throws -> String {
  if format == .election {
    return try allocateElection(
      input, rule: rule, tieBreakOverride: tieBreakOverride, outputFormat: outputFormat, inputOptions: inputOptions)
  }
  throw CLIError(message: "\(input): error: \(format.rawValue) input is not supported by this command yet", exitCode: CLIError.dataError)
}

/// `rank` on inputs other than Pabulib; returns the output text.
func rankOtherFormats(
  _ input: String, format: InputFormat, rule: any RankingRule, ruleID: String, tieBreak: TieBreak,
  tieBreakOverride: String?, outputFormat: OutputFormat, inputOptions: InputSettings
) throws -> String {
  if format == .preflib {
    return try rankPrefLib(input, rule: rule, ruleID: ruleID, tieBreak: tieBreak, outputFormat: outputFormat, inputOptions: inputOptions)
  }
  if format == .election {
    return try rankElection(input, rule: rule, tieBreakOverride: tieBreakOverride, outputFormat: outputFormat, inputOptions: inputOptions)
  }
  throw CLIError(message: "\(input): error: \(format.rawValue) input is not supported by this command yet", exitCode: CLIError.dataError)
}

/// Recomputes the output of commands other than allocate and rank, for `tally verify`.
func recomputeOtherCommands(command: String, arguments: [String]) throws -> String {
  if command == "run" { return try RunCommand.parse(arguments).output() }
  throw CLIError(message: "tally: error: cannot verify results of `tally \(command)`", exitCode: CLIError.usage)
}
