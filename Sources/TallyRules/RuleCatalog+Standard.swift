extension RuleCatalog {
  /// Every rule Tally ships, in the order `tally rules` lists them.
  public static let standard = RuleCatalog([
    // Allocation
    .allocation(GreedyAllocation.self),
    .allocation(GreedyNoSkipAllocation.self),
    .allocation(GreedyThresholdAllocation.self),
    .allocation(OfficialAllocation.self),
    // Ranking
    .ranking(ScoreRanking.self),
    .ranking(BordaRanking.self),
    .ranking(CopelandRanking.self),
    .ranking(MinimaxRanking.self),
    .ranking(SchulzeRanking.self),
    .ranking(RankedPairsRanking.self),
    .ranking(InstantRunoffRanking.self),
    .ranking(KemenyRanking.self),
    .ranking(BradleyTerryRanking.self),
    .ranking(PlackettLuceRanking.self),
    .ranking(RankCentralityRanking.self),
    .ranking(HodgeRankRanking.self),
    .ranking(ColleyRanking.self),
  ])
}
