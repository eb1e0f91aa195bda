import TallyCore

/// An immutable list of rules, looked up by id. Compose catalogs with `+`.
///
/// Adding a rule: write its file, add one line to ``RuleCatalog/standard``, add its test file;
/// `tally rules`, the conformance tests and the benchmarks pick it up from here.
public struct RuleCatalog: Sendable {
  /// One catalog entry.
  public enum Entry: Sendable {
    case ranking(any RankingRule.Type)
    case allocation(any AllocationRule.Type)

    /// The entry's descriptor.
    public var descriptor: RuleDescriptor {
      switch self {
      case .ranking(let t): t.descriptor
      case .allocation(let t): t.descriptor
      }
    }
  }

  /// The entries, in listing order.
  public let entries: [Entry]

  /// Creates a catalog.
  public init(_ entries: [Entry]) { self.entries = entries }

  /// Concatenates two catalogs.
  public static func + (a: RuleCatalog, b: RuleCatalog) -> RuleCatalog { RuleCatalog(a.entries + b.entries) }

  /// The entry with this id.
  public func entry(_ id: String) -> Entry? { entries.first { $0.descriptor.id == id } }

  /// The descriptors.
  public var descriptors: [RuleDescriptor] { entries.map(\.descriptor) }

  /// The ranking rule with this id, built from options.
  public func ranking(_ id: String, options: RuleOptions = RuleOptions()) throws(RuleError) -> (any RankingRule)? {
    guard case .ranking(let t)? = entry(id) else { return nil }
    return try t.init(options: options)
  }

  /// The allocation rule with this id, built from options.
  public func allocation(_ id: String, options: RuleOptions = RuleOptions()) throws(RuleError) -> (any AllocationRule)? {
    guard case .allocation(let t)? = entry(id) else { return nil }
    return try t.init(options: options)
  }
}
