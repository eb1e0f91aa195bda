import ArgumentParser
import Testing

@testable import tally

/// `QuickCommandLine` must build exactly the job swift-argument-parser builds from the same command
/// line, and leave everything outside its subset to the full parser.
@Suite struct QuickCommandLineTests {
  /// The job the full parser builds (nil when it does not build one of these commands).
  private func parsedJob(_ arguments: [String]) -> QuickCommandLine.Job? {
    guard let command = try? Tally.parseAsRoot(arguments) else { return nil }
    switch command {
    case let c as ValidateCommand: return .validate(c.job)
    case let c as AllocateCommand: return .allocate(c.job)
    case let c as RankCommand: return .rank(c.job)
    case let c as RunCommand: return .run(c.job)
    default: return nil
    }
  }

  @Test(
    "a recognised command line gives the job the full parser gives",
    arguments: [
      ["allocate", "x.pb", "--rule", "greedy"],
      ["allocate", "--rule=mes", "x.pb", "--format=json"],
      [
        "allocate", "x.pb", "--rule", "mes", "--option", "a=1", "--option", "b=2", "--tie-break", "lower-cost",
        "--invalid-ballots", "reject", "--no-meta-limits", "--format", "table",
      ],
      ["rank", "x.pb", "--rule", "borda", "--format", "json"],
      ["rank", "election", "--rule", "score", "--tie-break=seeded:3", "--invalid-ballots=void"],
      ["validate", "x.pb"],
      ["validate", "x.pb", "--format", "json", "--no-meta-limits", "--invalid-ballots=reject"],
      ["run", "folder"],
      [
        "run", "folder", "--format", "json", "--rule", "max-welfare", "--tie-break", "share:committee,lower-cost",
        "--export-pb", "out.pb", "--voter-check", "external", "--invalid-ballots", "reject",
      ],
      ["run", "--voter-check=off", "folder"],
    ])
  func same(arguments: [String]) throws {
    let quick = QuickCommandLine.job(arguments)
    #expect(quick != nil)
    #expect(quick == parsedJob(arguments))
  }

  @Test(
    "anything else is left to the full parser",
    arguments: [
      [], ["--version"], ["--help"], ["help", "run"], ["rules"], ["compare", "x.pb"], ["generate", "korea-national"],
      ["allocate", "x.pb"], ["allocate", "--rule", "greedy"], ["allocate", "x.pb", "y.pb", "--rule", "greedy"],
      ["allocate", "x.pb", "--rule", "greedy", "--rule", "mes"], ["allocate", "x.pb", "--rule", "greedy", "--format", "xml"],
      ["allocate", "x.pb", "--rule", "greedy", "-h"], ["allocate", "x.pb", "--rule", "greedy", "--help"],
      ["allocate", "x.pb", "--rule"], ["allocate", "x.pb", "--rule", ""], ["allocate", "x.pb", "--rule", "--format"],
      ["allocate", "x.pb", "--rule", "greedy", "--jobs", "2"], ["allocate", "-x.pb", "--rule", "greedy"],
      ["allocate", "--", "x.pb", "--rule", "greedy"], ["allocate", "help", "--rule", "greedy"],
      ["validate", "help"], ["validate", "x.pb", "--rule", "greedy"], ["validate", "x.pb", "--no-meta-limits=yes"],
      ["validate", "x.pb", "--no-meta-limits", "--no-meta-limits"], ["run", "folder", "--no-meta-limits"],
      ["run", "folder", "--voter-check", "bogus"], ["run", "folder", "--option", "a=1"], ["run", "folder", "--format", "-json"],
    ])
  func refused(arguments: [String]) {
    #expect(QuickCommandLine.job(arguments) == nil)
  }

  @Test("Amounts are grouped by thousands before the point, sign and decimals kept")
  func groupedAmounts() {
    let cases = [
      ("0", "0"), ("999", "999"), ("1000", "1,000"), ("-100", "-100"), ("-1000", "-1,000"), ("1234567.89", "1,234,567.89"),
      ("12345.6789", "12,345.6789"), ("110000000000", "110,000,000,000"), ("-9223372036854.775808", "-9,223,372,036,854.775808"),
      (".5", ".5"), ("", ""),
    ]
    for (text, grouped) in cases { #expect(groupedAmount(text) == grouped, "\(text)") }
  }
}
