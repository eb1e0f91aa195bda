/// One key and value of an instance's META section, kept in input order.
public struct MetaEntry: Sendable, Hashable, Codable {
  /// The key.
  public var key: String
  /// The value as written.
  public var value: String

  /// Creates an entry.
  public init(key: String, value: String) {
    self.key = key
    self.value = value
  }
}

/// A participatory-budgeting instance: the projects, the budget envelope and every META entry.
///
/// Amounts (costs and budget) are integers in units of `10^-costScale` of the currency; for the usual
/// whole-currency inputs `costScale` is 0 and the integers are the amounts themselves.
public struct Instance: Sendable, Hashable {
  /// Every META entry, in input order, unknown keys included.
  public var meta: [MetaEntry]
  /// The projects in input order.
  public var projects: [Project]
  /// The budget envelope in units of `10^-costScale`.
  public var budget: Int64
  /// The number of decimal digits of every amount.
  public var costScale: Int
  /// The ballot kind of the instance's votes.
  public var ballotKind: BallotKind
  /// The PROJECTS columns in input order (for writing back); empty means the standard ones.
  public var projectColumns: [String] = []

  private var indexByID: [ProjectID: Int]

  /// Creates an instance; project ids must be unique (checked by readers, trapped here).
  public init(meta: [MetaEntry], projects: [Project], budget: Int64, costScale: Int = 0, ballotKind: BallotKind) {
    self.meta = meta
    self.projects = projects
    self.budget = budget
    self.costScale = costScale
    self.ballotKind = ballotKind
    var index: [ProjectID: Int] = [:]
    index.reserveCapacity(projects.count)
    for (i, p) in projects.enumerated() {
      precondition(index[p.id] == nil, "duplicate project id \(p.id)")
      index[p.id] = i
    }
    self.indexByID = index
  }

  /// The index of the project with this id, if any.
  public func index(of id: ProjectID) -> Int? { indexByID[id] }

  /// The value of a META key (the first entry with that key), if present.
  public func metaValue(_ key: String) -> String? { meta.first { $0.key == key }?.value }

  /// The number of projects.
  public var projectCount: Int { projects.count }

  /// The costs, by project index.
  public var costs: [Int64] { projects.map(\.cost) }

  /// Renders an amount in this instance's units as an exact decimal string ("1500", "12.50").
  public func format(amount: Int64) -> String { ExactDecimal(units: amount, scale: costScale).description }
}
