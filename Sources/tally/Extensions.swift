import ArgumentParser
import TallyCore
import TallyIO
import TallyRules

// Hooks through which later inputs (PrefLib, elections) and commands (run, compare, generate) join
// the CLI without touching the commands above.

extension Tally {
  /// Subcommands beyond validate, allocate, rank and rules.
  static var extraSubcommands: [any ParsableCommand.Type] { [RunCommand.self, GenerateCommand.self] }
}

extension RuleCatalog {
  /// Every rule the CLI offers.
  static var all: RuleCatalog { .standard }
}

func validateOtherFormats(_ input: String, format: InputFormat, options: ReadOptions) throws -> ValidationSummary {
  if format == .election { return try validateElection(input, options: options) }
  throw CLIError(message: "\(input): error: \(format.rawValue) input is not supported by this command yet", exitCode: CLIError.dataError)
}

func allocateOtherFormats(
  _ input: String, format: InputFormat, rule: any AllocationRule, tieBreak: TieBreak, outputFormat: OutputFormat,
  inputOptions: InputOptions
) throws {
  if format == .election {
    return try allocateElection(input, rule: rule, tieBreak: tieBreak, outputFormat: outputFormat, inputOptions: inputOptions)
  }
  throw CLIError(message: "\(input): error: \(format.rawValue) input is not supported by this command yet", exitCode: CLIError.dataError)
}

func rankOtherFormats(
  _ input: String, format: InputFormat, rule: any RankingRule, tieBreak: TieBreak, outputFormat: OutputFormat,
  inputOptions: InputOptions
) throws {
  if format == .election {
    return try rankElection(input, rule: rule, tieBreak: tieBreak, outputFormat: outputFormat, inputOptions: inputOptions)
  }
  throw CLIError(message: "\(input): error: \(format.rawValue) input is not supported by this command yet", exitCode: CLIError.dataError)
}
