import Testing
import TallyAnalysis

@Suite struct RankAgreementTests {
  @Test("Kendall tau-b: identical 1, reversed -1, with ties by hand") func kendall() {
    #expect(RankAgreement.kendallTau([1, 2, 3, 4], [1, 2, 3, 4]) == 1)
    #expect(RankAgreement.kendallTau([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
    // a = [1,2,2], b = [1,2,3]: pairs (0,1) C, (0,2) C, (1,2) tied in a only. (2-0)/sqrt(2*3)
    let t = RankAgreement.kendallTau([1, 2, 2], [1, 2, 3])!
    #expect(abs(t - 2 / (6.0).squareRoot()) < 1e-12)
    #expect(RankAgreement.kendallTau([1, 1], [1, 2]) == nil)
  }

  @Test("Jaccard overlap") func jaccard() {
    #expect(RankAgreement.jaccard([1, 2, 3], [2, 3, 4]) == 0.5)
    #expect(RankAgreement.jaccard([], []) == 1)
  }
}
