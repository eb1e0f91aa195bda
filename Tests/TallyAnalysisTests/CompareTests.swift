import Foundation
import Testing
import TallyAnalysis
import TallyCore
import TallyRules

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct CompareTests {
  func comparison(bootstrap: Int = 0) async throws -> Comparison {
    let (inst, profile) = Tiny.blocks()
    let input = try ComparisonInput(instance: inst, profile: profile)
    let rules = Compare.defaultRules(for: .approval, in: .standard)
    var c = await Compare.run(input, rules: rules)
    if bootstrap > 0 {
      c.bootstrap = await Bootstrap.run(input, rules: rules, options: BootstrapOptions(resamples: bootstrap, seed: 3, workers: 2))
    }
    return c
  }

  @Test("Every catalog rule accepting the ballots is compared; concurrent and sequential runs give the same JSON")
  func concurrentEqualsSequential() async throws {
    let (inst, profile) = Tiny.blocks()
    let input = try ComparisonInput(instance: inst, profile: profile)
    let rules = Compare.defaultRules(for: .approval, in: .standard)
    #expect(rules.count == RuleCatalog.standard.entries.filter { $0.descriptor.accepts.contains(.approval) }.count)
    let a = await Compare.run(input, rules: rules).json().rendered()
    let b = Compare.runSequentially(input, rules: rules).json().rendered()
    #expect(a == b)
    for r in rules { #expect(a.contains("\"rule\":\"\(r.descriptor.id)\"")) }
  }

  @Test("Agreement pairs: identical allocations have Jaccard 1 and all money in common") func agreement() async throws {
    let c = try await comparison()
    let pair = c.allocationAgreement.first { $0.a == "greedy" && $0.b == "official" }!
    #expect(pair.jaccard == 1)
    let spent = c.result("greedy")!.allocation!.spent
    #expect(pair.moneyInCommon == spent)
    let n = c.results.filter { $0.allocation != nil }.count
    #expect(c.allocationAgreement.count == n * (n - 1) / 2)
  }

  @Test("A rule that cannot run is listed as skipped with its reason") func skipped() async throws {
    let (inst0, profile) = Tiny.blocks()
    var inst = inst0
    inst.meta = []
    let input = try ComparisonInput(instance: inst, profile: profile)
    let c = Compare.runSequentially(input, rules: [RuleCatalog.standard.entry("official")!, RuleCatalog.standard.entry("greedy")!])
    #expect(c.result("official")!.skipped != nil)
    #expect(c.result("greedy")!.ran)
    #expect(c.json().rendered().contains("\"status\":\"skipped\""))
  }

  @Test("The HTML report is well-formed XML and names every rule") func reportWellFormed() async throws {
    let c = try await comparison(bootstrap: 20)
    let html = Report.html(c, title: "blocks <test> & co")
    let parser = XMLParser(data: Data(html.utf8))
    let ok = parser.parse()
    #expect(ok, "XML error: \(String(describing: parser.parserError)) at line \(parser.lineNumber)")
    for r in c.results { #expect(html.contains(">\(r.rule)<")) }
    #expect(html.contains("<svg"))
    #expect(!html.contains("http://") || !html.contains("src=\"http"))
    #expect(!html.contains("<script"))
  }

  @Test("The report renders in headless Chromium (skipped when chromium is absent)") func chromium() async throws {
    let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    guard let exe = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
      print("notice: no chromium found; report rendering test skipped")
      return
    }
    let c = try await comparison(bootstrap: 50)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tally-report-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    // (A PNG asked for with TALLY_REPORT_PNG is written outside the folder and kept.)
    defer { try? FileManager.default.removeItem(at: dir) }
    let page = dir.appendingPathComponent("report.html")
    let png = ProcessInfo.processInfo.environment["TALLY_REPORT_PNG"] ?? dir.appendingPathComponent("report.png").path
    try Report.html(c, title: "blocks").write(to: page, atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1300,2400",
      "--screenshot=\(png)", page.absoluteString,
    ]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    let data = FileManager.default.contents(atPath: png) ?? Data()
    #expect(data.count > 10_000)
    #expect(data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
  }
}
