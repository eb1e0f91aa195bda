import TallyCore

/// The rule a Pabulib file says its city used (META `rule`).
///
/// **Definition.** `greedy`, `greedy-no-skip` or `greedy-threshold` as named by META `rule`; any other
/// value (e.g. `equalshares/add1`, `greedy-custom`, `unknown`) is an error naming the value, so that
/// no outcome is ever attributed to the wrong rule.
///
/// - Complexity: that of the named rule.
///
/// **Reference:** Pabulib format (<https://pabulib.org/format>), META key `rule`.
public struct OfficialAllocation: AllocationRule {
  public static let descriptor = RuleDescriptor(
    id: "official", kind: .allocation, accepts: allBallotKinds,
    summary: "the greedy variant named by the file's META rule",
    reference: "Pabulib format, META 'rule' (https://pabulib.org/format)", readsBallots: false)

  /// The META `rule` values this rule can run, and the rule each stands for.
  public static let supported: [String: String] = [
    "greedy": "greedy", "greedy-no-skip": "greedy-no-skip", "greedy-threshold": "greedy-threshold",
  ]

  public init(options: RuleOptions) throws(RuleError) { try options.check(known: [], rule: Self.descriptor.id) }

  /// The rule id META names, or an error.
  public static func resolve(_ instance: Instance) throws(RuleError) -> String {
    guard let r = instance.metaValue("rule"), !r.isEmpty else {
      throw RuleError.invalidInput(rule: descriptor.id, message: "the input has no META 'rule'")
    }
    guard let id = supported[r] else {
      throw RuleError.invalidInput(
        rule: descriptor.id,
        message: "META rule '\(r)' is not one of \(supported.keys.sorted().joined(separator: ", ")); choose a rule with --rule")
    }
    return id
  }

  public func allocate(_ problem: AllocationProblem) throws(RuleError) -> AllocationOutcome {
    let id = try Self.resolve(problem.instance)
    let rule: any AllocationRule =
      switch id {
      case "greedy": try GreedyAllocation(options: RuleOptions())
      case "greedy-no-skip": try GreedyNoSkipAllocation(options: RuleOptions())
      default: try GreedyThresholdAllocation(options: RuleOptions())
      }
    var out = try rule.allocate(problem)
    out.details["officialRule"] = .string(id)
    return out
  }
}
