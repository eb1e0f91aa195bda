import TallyCore

/// What an allocation gives the voters: satisfaction, its spread, and spending by project group.
///
/// A voter *supports* a project when the ballot names it (approves it, ranks it, gives it points).
/// - **satisfaction by cost**: the total cost of the funded projects the voter supports (pabutools'
///   `Cost_Sat`); reported as an amount and as a share of the budget;
/// - **satisfaction by count**: how many funded projects the voter supports (`Cardinality_Sat`);
/// - **non-empty-handed**: the share of voters who support at least one funded project;
/// - **Gini**: the Gini coefficient of each satisfaction over voters (0 equal, towards 1 concentrated);
///   `G = Σᵢ Σⱼ wᵢ wⱼ |xᵢ − xⱼ| / (2 W Σᵢ wᵢ xᵢ)`, with voter weights w, total W (0 when nobody is
///   satisfied).
///
/// Voters count with their weight (multiplicity × ballot weight). Repeated approval entries count once.
public struct OutcomeMeasures: Sendable, Hashable {
  /// Average satisfaction by cost, in the instance's currency.
  public var averageCostSatisfaction: Double
  /// Average satisfaction by cost divided by the budget.
  public var averageCostSatisfactionShare: Double
  /// Average satisfaction by count (funded projects a voter supports).
  public var averageCountSatisfaction: Double
  /// Share of voters (by weight) who support at least one funded project.
  public var nonEmptyHanded: Double
  /// Gini coefficient of satisfaction by cost.
  public var giniCost: Double
  /// Gini coefficient of satisfaction by count.
  public var giniCount: Double

  /// Computes the measures of a funded set.
  /// - Parameters:
  ///   - funded: funded project indices.
  ///   - instance: the projects and budget (costs in units of `10^-costScale`).
  ///   - profile: the ballots.
  ///   - useWeights: weigh voters by their ballot weights (else every voter counts 1).
  /// - Complexity: O(total length of the unique ballots + m log m), m unique ballots.
  public init(funded: [Int], instance: Instance, profile: Profile, useWeights: Bool = true) {
    var isFunded = [Bool](repeating: false, count: instance.projectCount)
    for p in funded { isFunded[p] = true }
    let scale = pow10(instance.costScale)
    let costs = instance.projects.map { Double($0.cost) / scale }
    let m = profile.uniqueBallotCount
    var costSat = [Double](repeating: 0, count: m)
    var countSat = [Double](repeating: 0, count: m)
    var weights = [Double](repeating: 0, count: m)
    var seen = [Int](repeating: -1, count: instance.projectCount)
    for b in 0..<m {
      weights[b] = Double(useWeights ? profile.totalWeight(b) : profile.multiplicities[b])
      var c = 0.0
      var k = 0.0
      for p32 in profile.ballot(b) {
        let p = Int(p32)
        guard p < isFunded.count, isFunded[p], seen[p] != b else { continue }
        seen[p] = b
        c += costs[p]
        k += 1
      }
      costSat[b] = c
      countSat[b] = k
    }
    let w = weights.reduce(0, +)
    let budget = Double(instance.budget) / scale
    averageCostSatisfaction = w == 0 ? 0 : zip(costSat, weights).reduce(0) { $0 + $1.0 * $1.1 } / w
    averageCostSatisfactionShare = budget == 0 ? 0 : averageCostSatisfaction / budget
    averageCountSatisfaction = w == 0 ? 0 : zip(countSat, weights).reduce(0) { $0 + $1.0 * $1.1 } / w
    nonEmptyHanded = w == 0 ? 0 : zip(countSat, weights).reduce(0) { $0 + ($1.0 > 0 ? $1.1 : 0) } / w
    giniCost = Self.gini(values: costSat, weights: weights)
    giniCount = Self.gini(values: countSat, weights: weights)
  }

  /// The weighted Gini coefficient `Σᵢ Σⱼ wᵢ wⱼ |xᵢ − xⱼ| / (2 W Σ wᵢ xᵢ)` of non-negative values.
  ///
  /// Computed in one pass over the values in ascending order: value i contributes
  /// `wᵢ xᵢ (2 Cᵢ + wᵢ − W)`, Cᵢ the weight of the values before it. Returns 0 when all values are 0.
  /// Example: values (0, 1), weights (1, 1) give 0.5; (1, 1, 1) give 0.
  /// - Complexity: O(n log n).
  public static func gini(values: [Double], weights: [Double]) -> Double {
    precondition(values.count == weights.count)
    let order = values.indices.sorted { values[$0] < values[$1] }
    let total = weights.reduce(0, +)
    var before = 0.0
    var num = 0.0
    var mass = 0.0
    for i in order {
      let w = weights[i]
      let x = values[i]
      num += w * x * (2 * before + w - total)
      mass += w * x
      before += w
    }
    return mass == 0 || total == 0 ? 0 : num / (total * mass)
  }
}

/// Spending on a group of projects (a category or a target group) against the group's share of the votes.
///
/// A project in several groups counts in each with an equal part of its cost and score (1/k each), so
/// that the shares over all groups add up to 1. Projects in no group form the group `(none)`.
public struct GroupSpending: Sendable, Hashable {
  /// The group's name.
  public var group: String
  /// Money spent on the group's funded projects (in the instance's units).
  public var spent: Double
  /// `spent` divided by the total spent.
  public var spentShare: Double
  /// The group's share of all projects' scores.
  public var voteShare: Double
  /// The group's share of the cost of all projects (what was on offer).
  public var costShare: Double

  /// Spending by group, for groups read from each project by `groups` (e.g. `\.categories`).
  ///
  /// Returns an empty list when no project belongs to any group.
  /// - Complexity: O(n · groups per project + g log g).
  public static func compute(
    funded: [Int], instance: Instance, scores: [Double], groups: (Project) -> [String]
  ) -> [GroupSpending] {
    let projectGroups = instance.projects.map { p -> [String] in
      var seen = Set<String>()
      return groups(p).filter { !$0.isEmpty && seen.insert($0).inserted }
    }
    guard projectGroups.contains(where: { !$0.isEmpty }) else { return [] }
    let isFunded = Set(funded)
    var spent: [String: Double] = [:]
    var vote: [String: Double] = [:]
    var cost: [String: Double] = [:]
    var totalSpent = 0.0
    var totalVote = 0.0
    var totalCost = 0.0
    for (i, p) in instance.projects.enumerated() {
      let gs = projectGroups[i].isEmpty ? ["(none)"] : projectGroups[i]
      let part = 1 / Double(gs.count)
      let c = Double(p.cost)
      for g in gs {
        vote[g, default: 0] += part * scores[i]
        cost[g, default: 0] += part * c
        if isFunded.contains(i) { spent[g, default: 0] += part * c }
      }
      totalVote += scores[i]
      totalCost += c
      if isFunded.contains(i) { totalSpent += c }
    }
    let scale = pow10(instance.costScale)
    return vote.keys.sorted { TieBreak.idPrecedes($0, $1) }.map { g in
      GroupSpending(
        group: g, spent: (spent[g] ?? 0) / scale,
        spentShare: totalSpent == 0 ? 0 : (spent[g] ?? 0) / totalSpent,
        voteShare: totalVote == 0 ? 0 : vote[g]! / totalVote,
        costShare: totalCost == 0 ? 0 : cost[g]! / totalCost)
    }
  }
}

/// 10^k as a Double.
func pow10(_ k: Int) -> Double {
  var v = 1.0
  for _ in 0..<max(0, k) { v *= 10 }
  return v
}
