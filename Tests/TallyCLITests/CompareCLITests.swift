import Foundation
import Testing
import TallyRules
import TallyTestSupport

@testable import tally

@Suite struct CompareCLITests {
  @Test("compare is registered as a subcommand") func registered() {
    #expect(Tally.configuration.subcommands.contains { $0.configuration.commandName == "compare" })
  }

  @Test("compare on a Pabulib file: same JSON with one job or two, every default rule listed, report written")
  func pabulib() throws {
    guard let path = Datasets.pabulib("Poland_Lodz_2022.pb") else { return }
    let report = FileManager.default.temporaryDirectory.appendingPathComponent("tally-compare-\(getpid()).html").path
    defer { try? FileManager.default.removeItem(atPath: report) }
    let one = try CompareCommand.parse([path, "--format", "json", "--jobs", "1"]).output()
    let two = try CompareCommand.parse([path, "--format", "json", "--jobs", "2", "--report", report]).output()
    #expect(one == two)
    let o = try JSONSerialization.jsonObject(with: Data(one.utf8)) as! [String: Any]
    let rules = (o["rules"] as! [[String: Any]]).map { $0["rule"] as! String }
    let expected = RuleCatalogAccess.defaultIDs(for: "approval")
    #expect(rules == expected)
    let html = try String(contentsOfFile: report, encoding: .utf8)
    for r in rules { #expect(html.contains(">\(r)<")) }
  }

  @Test("compare rejects an unknown rule with a usage error") func unknownRule() throws {
    guard let path = Datasets.pabulib("Poland_Lodz_2022.pb") else { return }
    #expect(throws: CLIError.self) { try CompareCommand.parse([path, "--rules", "greedy,nonsense"]).output() }
  }
}

/// The default compare rules for a ballot kind, from the CLI's catalog.
enum RuleCatalogAccess {
  static func defaultIDs(for kind: String) -> [String] {
    RuleCatalog.all.descriptors.filter { $0.accepts.contains { $0.rawValue == kind } }.map(\.id)
  }
}
