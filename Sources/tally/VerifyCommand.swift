import ArgumentParser
import TallyCore
import TallyIO

/// `tally verify result.json`: recompute a result from the inputs its provenance names and say whether
/// it matches, byte for byte.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Recompute a JSON result from the inputs named in its provenance and check that it matches.")

  @Argument(help: "A result written by `tally ... --format json`.") var result: String
  @Option(help: "Read the input from this path instead of the one recorded (e.g. after moving it).")
  var input: String?
  @Option(help: "Output format: table or json.") var format: OutputFormat = .table

  func run() throws {
    let bytes = try readWholeFile(result)
    var text = String(decoding: bytes, as: UTF8.self)
    while text.hasSuffix("\n") { text.removeLast() }
    guard case .object(let object) = try JSONValue.parse(bytes, source: result) else {
      throw CLIError(InputError(.invalidJSON("the result is not a JSON object"), at: InputLocation(source: result, line: 1, column: 1)))
    }
    guard case .object(let prov)? = object["provenance"], case .string(let command)? = prov["command"],
      case .string(let source)? = prov["source"], case .string(let recordedSHA)? = prov["inputSHA256"]
    else {
      throw CLIError(InputError(.invalidJSON("no provenance with command, source and inputSHA256"), at: InputLocation(source: result, line: 1)))
    }
    let path = input ?? source
    var args = [path, "--format", "json"]
    if case .string(let rule)? = prov["rule"] { args += ["--rule", rule] }
    if case .string(let tb)? = prov["tieBreak"] { args += ["--tie-break", tb] }
    if case .object(let options)? = prov["options"] {
      for (k, v) in options.sorted(by: { $0.key < $1.key }) { args += ["--option", "\(k)=\(Self.plain(v))"] }
    }
    if case .object(let ro)? = prov["readOptions"], command != "run" {
      if case .string(let p)? = ro["invalidBallots"] { args += ["--invalid-ballots", p] }
      if case .bool(false)? = ro["metaLimits"] { args.append("--no-meta-limits") }
    }
    let fresh: String
    do {
      fresh = try recompute(command: command, arguments: args)
    } catch let e as CLIError {
      throw e
    } catch {
      throw CLIError(message: "tally: error: cannot recompute: \(Tally.message(for: error))", exitCode: CLIError.usage)
    }
    var freshText = fresh
    while freshText.hasSuffix("\n") { freshText.removeLast() }
    var freshObject: [String: JSONValue] = [:]
    if case .object(let o)? = try? JSONValue.parse(Array(freshText.utf8), source: "recomputed result") { freshObject = o }
    var freshSHA = ""
    if case .object(let p)? = freshObject["provenance"], case .string(let s)? = p["inputSHA256"] { freshSHA = s }
    let inputMatches = freshSHA == recordedSHA
    // Equal texts, or equal values: key order and whitespace do not matter (numbers compare as written).
    let matches = inputMatches && (freshText == text || JSONValue.object(freshObject) == JSONValue.object(object))
    var differing: [String] = []
    if !matches {
      for key in Set(object.keys).union(freshObject.keys).sorted() where object[key] != freshObject[key] {
        differing.append(key)
      }
    }
    switch format {
    case .json:
      emit(
        JSONValue.object([
          "result": .string(result), "command": .string(command), "input": .string(path),
          "inputSHA256": .string(freshSHA), "recordedInputSHA256": .string(recordedSHA),
          "inputMatches": .bool(inputMatches), "matches": .bool(matches),
          "differingKeys": .array(differing.map { .string($0) }),
        ]).rendered())
    case .table:
      if matches {
        emit("verified: \(result) matches a fresh `tally \(command)` on \(path) (input SHA-256 \(freshSHA))")
      } else if !inputMatches {
        emit("MISMATCH: \(path) has SHA-256 \(freshSHA), the result was computed from \(recordedSHA)")
      } else {
        emit("MISMATCH: \(result) differs from a fresh `tally \(command)` on \(path) in: \(differing.joined(separator: ", "))")
      }
    }
    if !matches { throw ExitCode(CLIError.dataError) }
  }

  /// A JSON scalar as command-line text (strings without quotes).
  private static func plain(_ v: JSONValue) -> String {
    if case .string(let s) = v { return s }
    return v.rendered()
  }
}

/// Recomputes the output of a recorded command.
func recompute(command: String, arguments: [String]) throws -> String {
  switch command {
  case "allocate": return try AllocateCommand.parse(arguments).output()
  case "rank": return try RankCommand.parse(arguments).output()
  default: return try recomputeOtherCommands(command: command, arguments: arguments)
  }
}
