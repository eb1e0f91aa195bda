/// A project identifier, kept exactly as written in the input (ids need not be numbers).
public typealias ProjectID = String

/// One project on the ballot: an id, an exact cost and whatever else its input said about it.
///
/// Costs are integers in units of `10^-costScale` of the currency (see ``Instance/costScale``), so that
/// a cost written `400000.0` or `1234.50` is held exactly; no `Double` ever stands for money.
public struct Project: Sendable, Hashable, Codable {
  /// The project's id.
  public var id: ProjectID
  /// The cost in units of `10^-costScale` of the currency.
  public var cost: Int64
  /// The project's name, when given.
  public var name: String?
  /// Categories (areas, types), when given; Pabulib writes them comma-separated.
  public var categories: [String]
  /// Target groups, when given.
  public var targets: [String]
  /// Every column of the project's row, by header name, as written (including `selected`, `votes`...).
  public var fields: [String: String]

  /// Creates a project.
  public init(
    id: ProjectID, cost: Int64, name: String? = nil, categories: [String] = [], targets: [String] = [],
    fields: [String: String] = [:]
  ) {
    self.id = id
    self.cost = cost
    self.name = name
    self.categories = categories
    self.targets = targets
    self.fields = fields
  }
}
