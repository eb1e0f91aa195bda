import Testing

@testable import tally

@Suite struct CompareCLITests {
  @Test("compare is registered as a subcommand") func registered() {
    #expect(Tally.configuration.subcommands.contains { $0.configuration.commandName == "compare" })
  }
}
