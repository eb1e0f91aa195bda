import ArgumentParser
import TallyAnalysis

/// `tally generate korea-national --seed <n> --out <dir>`: writes a deterministic synthetic election.
struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Write a deterministic synthetic election (korea-national).",
    discussion: """
      korea-national: about 150 projects in the 12 areas of the National Fiscal Management Plan, \
      a general-public survey of 120,000+ ballots (up to 5 picks) and a 450-member citizens' committee \
      (exactly 10 picks, group weights), after korea-pb.md §8. The same seed gives the same bytes.
      """)

  @Argument(help: "What to generate: korea-national.") var kind: String
  @Option(help: "The random seed.") var seed: UInt64 = 2020
  @Option(help: "The output folder (created if missing).") var out: String
  @Option(help: "Number of general-public ballots (default 120,000).") var publicBallots: Int = KoreaNationalGenerator.Parameters().publicVoters
  @Option(help: "Number of projects (default 150).") var projects: Int = KoreaNationalGenerator.Parameters().projects

  func run() throws {
    guard kind == "korea-national" else {
      throw CLIError(message: "tally: error: unknown generator '\(kind)' (available: korea-national)", exitCode: CLIError.usage)
    }
    guard publicBallots >= 1, projects >= 20, projects <= 1000 else {
      throw CLIError(message: "tally: error: --public-ballots must be at least 1 and --projects between 20 and 1000", exitCode: CLIError.usage)
    }
    var p = KoreaNationalGenerator.Parameters()
    p.seed = seed
    p.publicVoters = publicBallots
    p.projects = projects
    do {
      let files = try KoreaNationalGenerator(parameters: p).write(to: out)
      emit(files.map { "wrote \($0)" }.joined(separator: "\n"))
    } catch {
      throw CLIError(message: "\(out): error: \(error)", exitCode: CLIError.dataError)
    }
  }
}
