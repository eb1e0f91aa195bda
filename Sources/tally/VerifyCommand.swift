import ArgumentParser
import Foundation
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
    let loc = InputLocation(source: result, line: 0)
    guard let data = FileManager.default.contents(atPath: result) else {
      throw CLIError(InputError(.fileNotFound, at: loc))
    }
    var text = String(decoding: data, as: UTF8.self)
    while text.hasSuffix("\n") { text.removeLast() }
    let object: [String: Any]
    do {
      guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw CLIError(InputError(.invalidJSON("the result is not a JSON object"), at: InputLocation(source: result, line: 1, column: 1)))
      }
      object = o
    } catch let e as CLIError {
      throw e
    } catch {
      throw CLIError(InputError(.invalidJSON("\(error.localizedDescription)"), at: InputLocation(source: result, line: 1)))
    }
    guard let prov = object["provenance"] as? [String: Any], let command = prov["command"] as? String,
      let source = prov["source"] as? String, let recordedSHA = prov["inputSHA256"] as? String
    else {
      throw CLIError(InputError(.invalidJSON("no provenance with command, source and inputSHA256"), at: InputLocation(source: result, line: 1)))
    }
    let path = input ?? source
    var args = [path, "--format", "json"]
    if let rule = prov["rule"] as? String { args += ["--rule", rule] }
    if let tb = prov["tieBreak"] as? String { args += ["--tie-break", tb] }
    for (k, v) in ((prov["options"] as? [String: Any]) ?? [:]).sorted(by: { $0.key < $1.key }) {
      args += ["--option", "\(k)=\(v)"]
    }
    if let ro = prov["readOptions"] as? [String: Any], command != "run" {
      if let p = ro["invalidBallots"] as? String { args += ["--invalid-ballots", p] }
      if let m = ro["metaLimits"] as? Bool, !m { args.append("--no-meta-limits") }
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
    let freshObject = (try? JSONSerialization.jsonObject(with: Data(freshText.utf8)) as? [String: Any]) ?? [:]
    let freshSHA = (freshObject["provenance"] as? [String: Any])?["inputSHA256"] as? String ?? ""
    let inputMatches = freshSHA == recordedSHA
    let matches = inputMatches && (freshText == text || canonical(freshText) == canonical(text))
    var differing: [String] = []
    if !matches {
      for key in Set(object.keys).union(freshObject.keys).sorted() {
        let a = object[key].map { canonicalValue($0) }
        let b = freshObject[key].map { canonicalValue($0) }
        if a != b { differing.append(key) }
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

  private func canonicalValue(_ v: Any) -> String {
    guard let d = try? JSONSerialization.data(withJSONObject: ["v": v], options: [.sortedKeys]) else { return "\(v)" }
    return String(decoding: d, as: UTF8.self)
  }

  /// The JSON re-rendered with sorted keys, so that whitespace and key order do not matter.
  private func canonical(_ text: String) -> String {
    guard let o = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
      let d = try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
    else { return text }
    return String(decoding: d, as: UTF8.self)
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
