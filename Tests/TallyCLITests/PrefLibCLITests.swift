import Testing
@testable import tally

@Suite struct PrefLibCLITests {
  @Test("scores print as integers when whole") func wholeScores() {
    #expect(formatScore(12) == "12")
    #expect(formatScore(-3) == "-3")
  }
}
