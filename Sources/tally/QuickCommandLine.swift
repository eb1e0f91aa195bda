import TallyIO

/// The everyday command lines (`validate`, `allocate`, `rank` and `run` with their plain options),
/// recognised without swift-argument-parser.
///
/// The full parser's first use costs about 2 ms in every process (runtime type lookups while it
/// reflects on the commands, twice more to look for a completion-script request): a tenth of a whole
/// `tally allocate` on a 90,000-ballot file. This recogniser accepts only an exact, unambiguous subset:
/// the subcommand first; one positional argument that does not start with `-` and is not `help`;
/// long options as `--name value` or `--name=value`, each known to the subcommand and given at most
/// once (`--option` may repeat), with a non-empty value that does not start with `-` and, for options
/// with a fixed set of values, one of them. Anything else (help, version, short or unknown options, a
/// missing `--rule`, `--`) returns nil and goes to the full parser, which builds the same job from
/// the same options, so the two cannot disagree on what a command line means (tested both ways in
/// `QuickCommandLineTests`).
enum QuickCommandLine {
  /// The options each subcommand takes here: nil for an unknown subcommand or option; else the
  /// option's fixed values, empty when any value goes. (A `switch` over strings, not a table: a
  /// dictionary of dictionaries of optional sets cost ~0.2 ms of runtime type instantiation in every
  /// process.)
  private static func allowedValues(_ command: String, _ option: String) -> [String]? {
    switch (command, option) {
    case ("validate", "format"), ("allocate", "format"), ("rank", "format"), ("run", "format"):
      OutputFormat.allCases.map(\.rawValue)
    case ("validate", "invalid-ballots"), ("allocate", "invalid-ballots"), ("rank", "invalid-ballots"),
      ("run", "invalid-ballots"):
      InvalidBallotPolicyArgument.allCases.map(\.rawValue)
    case ("run", "voter-check"): VoterCheckArgument.allCases.map(\.rawValue)
    case ("allocate", "rule"), ("allocate", "tie-break"), ("allocate", "option"), ("rank", "rule"), ("rank", "tie-break"),
      ("rank", "option"), ("run", "rule"), ("run", "tie-break"), ("run", "export-pb"):
      []
    default: nil
    }
  }

  /// Whether `option` is a flag (an option without a value) of the subcommand.
  private static func isFlag(_ command: String, _ option: String) -> Bool {
    option == "no-meta-limits" && (command == "validate" || command == "allocate" || command == "rank")
  }

  /// The parsed command line: subcommand, positional argument, options with their values (in order),
  /// flags. (Arrays, not a dictionary and a set: their first use cost ~0.1 ms of runtime type
  /// instantiation in every process, for a handful of options.)
  struct Parsed: Equatable {
    var command: String
    var positional: String
    var options: [Option]
    var flags: [String]

    struct Option: Equatable {
      var name: String
      var value: String
    }

    /// The values given to option `name`, in order, or nil when it was not given.
    func values(_ name: String) -> [String]? {
      let v = options.filter { $0.name == name }.map(\.value)
      return v.isEmpty ? nil : v
    }
  }

  /// Parses `arguments` (without the program name), or nil when the full parser must.
  static func parse(_ arguments: [String]) -> Parsed? {
    guard let command = arguments.first, ["validate", "allocate", "rank", "run"].contains(command) else { return nil }
    var positional: String? = nil
    var options: [Parsed.Option] = []
    var seenFlags: [String] = []
    var i = 1
    while i < arguments.count {
      let a = arguments[i]
      i += 1
      guard a.hasPrefix("-") else {
        guard positional == nil, a != "help" else { return nil }
        positional = a
        continue
      }
      guard a.hasPrefix("--") else { return nil }
      var name = String(a.dropFirst(2))
      var value: String? = nil
      if let eq = name.firstIndex(of: "=") {
        value = String(name[name.index(after: eq)...])
        name = String(name[..<eq])
      }
      if isFlag(command, name) {
        guard value == nil, !seenFlags.contains(name) else { return nil }
        seenFlags.append(name)
        continue
      }
      guard let allowed = allowedValues(command, name), name == "option" || !options.contains(where: { $0.name == name }) else { return nil }
      if value == nil {
        guard i < arguments.count else { return nil }
        value = arguments[i]
        i += 1
      }
      guard let v = value, !v.isEmpty, !v.hasPrefix("-"), allowed.isEmpty || allowed.contains(v) else { return nil }
      options.append(Parsed.Option(name: name, value: v))
    }
    guard let positional else { return nil }
    if command != "validate" && command != "run" && !options.contains(where: { $0.name == "rule" }) { return nil }
    return Parsed(command: command, positional: positional, options: options, flags: seenFlags)
  }

  /// What a recognised command line asks for.
  enum Job: Equatable {
    case validate(ValidateJob)
    case allocate(RuleJob)
    case rank(RuleJob)
    case run(RunJob)

    /// The command's output.
    func output() throws -> String {
      switch self {
      case .validate(let j): try j.output()
      case .allocate(let j): try j.allocate()
      case .rank(let j): try j.rank()
      case .run(let j): try j.output()
      }
    }
  }

  /// The job for `arguments`, or nil when the full parser must handle them.
  static func job(_ arguments: [String]) -> Job? {
    guard let p = parse(arguments) else { return nil }
    let format = p.values("format").map { OutputFormat(rawValue: $0[0])! } ?? .table
    let reading = InputSettings(
      invalidBallots: p.values("invalid-ballots").map { InvalidBallotPolicyArgument(rawValue: $0[0])! } ?? .void,
      noMetaLimits: p.flags.contains("no-meta-limits"))
    let rules = RuleSettings(tieBreak: p.values("tie-break")?[0], options: p.values("option") ?? [])
    switch p.command {
    case "validate", "allocate", "rank": prestartReadingThread(input: p.positional)
    case "run": prestartReadingThread(input: p.positional, voterCheck: VoterCheck(rawValue: p.values("voter-check")?[0] ?? "auto") ?? .auto)
    default: break
    }
    switch p.command {
    case "validate":
      return .validate(ValidateJob(input: p.positional, format: format, reading: reading))
    case "allocate":
      return .allocate(RuleJob(input: p.positional, rule: p.values("rule")![0], format: format, ruleArguments: rules, inputOptions: reading))
    case "rank":
      return .rank(RuleJob(input: p.positional, rule: p.values("rule")![0], format: format, ruleArguments: rules, inputOptions: reading))
    case "run":
      return .run(
        RunJob(
          election: p.positional, format: format, rule: p.values("rule")?[0], tieBreak: p.values("tie-break")?[0],
          exportPB: p.values("export-pb")?[0], voterCheck: p.values("voter-check").map { VoterCheckArgument(rawValue: $0[0])! } ?? .auto,
          invalidBallots: reading.invalidBallots))
    default:
      return nil
    }
  }
}
