#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a rule chooses among projects that it cannot otherwise tell apart.
///
/// A tie-break is a chain of keys tried in turn; the chain always ends with `lexicographic`, so that
/// every tie is resolved and the result is deterministic. It is written as ids joined by `,`:
///
/// | id | the tied project that wins | example: tied ids "9" (cost 5), "10" (cost 7) |
/// |---|---|---|
/// | `lexicographic` (default) | the id that sorts first as a string of Unicode scalars | "10" |
/// | `lower-cost` | the cheaper one | "9" |
/// | `higher-cost` | the dearer one | "10" |
/// | `seeded:<n>` | the first in a permutation drawn from seed n (SplitMix64, Fisher–Yates over the ids in lexicographic order) | depends on n |
/// | `priority:<key>` | the one with the higher auxiliary value `key`, supplied by the caller (elections supply `share:<channel>`) | |
///
/// The id string is recorded in every result's provenance. Lexicographic order is the order of the ids'
/// Unicode scalars, which is Python's string order (pabutools' `lexico_tie_breaking`), so "10" < "9".
public struct TieBreak: Sendable, Hashable, Codable, CustomStringConvertible {
  /// One key of the chain.
  public enum Key: Sendable, Hashable, Codable {
    case lexicographic
    case lowerCost
    case higherCost
    case seeded(UInt64)
    case priority(String)
  }

  /// The keys in the order they are tried (the final lexicographic key is implicit).
  public var keys: [Key]

  /// Creates a tie-break from keys.
  public init(_ keys: [Key]) { self.keys = keys }

  /// The default: lexicographic order of ids.
  public static let lexicographic = TieBreak([.lexicographic])

  /// Parses a tie-break id such as `lower-cost` or `priority:share:committee,lower-cost`.
  /// - Throws: ``TieBreak/ParseError`` naming the unknown part.
  public init(parsing text: String) throws(TieBreak.ParseError) {
    var keys: [Key] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let p = part.trimmingCharacters(in: " ")
      switch p {
      case "lexicographic": keys.append(.lexicographic)
      case "lower-cost": keys.append(.lowerCost)
      case "higher-cost": keys.append(.higherCost)
      default:
        if p.hasPrefix("seeded:"), let n = UInt64(p.dropFirst(7)) {
          keys.append(.seeded(n))
        } else if p.hasPrefix("priority:"), p.count > 9 {
          keys.append(.priority(String(p.dropFirst(9))))
        } else if p.hasPrefix("share:"), p.count > 6 {
          keys.append(.priority(String(p)))
        } else {
          throw ParseError(text: String(p))
        }
      }
    }
    if keys.isEmpty { throw ParseError(text: text) }
    self.keys = keys
  }

  /// An unknown tie-break id.
  public struct ParseError: Error, Sendable, CustomStringConvertible {
    /// The part that was not understood.
    public var text: String
    public var description: String {
      "unknown tie-break '\(text)' (expected lexicographic, lower-cost, higher-cost, seeded:<n>, priority:<key> or share:<channel>, joined by ',')"
    }
  }

  public var description: String {
    // (Appended in a loop: `joined` on the array of names cost ~0.03 ms of runtime type lookups the
    // first time a process called it.)
    var text = ""
    for (k, key) in keys.enumerated() {
      if k > 0 { text += "," }
      switch key {
      case .lexicographic: text += "lexicographic"
      case .lowerCost: text += "lower-cost"
      case .higherCost: text += "higher-cost"
      case .seeded(let n): text += "seeded:\(n)"
      case .priority(let k): text += k.hasPrefix("share:") ? k : "priority:\(k)"
      }
    }
    return text
  }

  /// The priority of every project: `rank[i] < rank[j]` means project i wins a tie against j.
  ///
  /// - Parameters:
  ///   - ids: project ids by index.
  ///   - costs: project costs by index.
  ///   - auxiliary: values for `priority:` keys, by key, by project index (higher wins).
  /// - Returns: a permutation rank, 0 for the project that wins every tie.
  /// - Complexity: O(n log n) comparisons.
  public func ranks(ids: [ProjectID], costs: [Int64], auxiliary: [String: [Rational]] = [:]) -> [Int] {
    let n = ids.count
    var lexRank = [Int](repeating: 0, count: n)
    // (Sorted by ``_IndexSort``: `sorted` on a range, and the standard sort's runs, made the runtime
    // look types up on first use, ~0.03 ms each of `tally run` after the ballots are read.)
    let lexOrder = _IndexSort.sortedIndices(n) { Self.idPrecedes(ids[$0], ids[$1]) }
    for (r, i) in lexOrder.enumerated() { lexRank[i] = r }
    // Each key as a level per project (lower wins; equal levels leave the tie to the next key), so
    // that the sort compares integers rather than looking a share up by name and comparing rationals
    // at every comparison.
    var levels: [[Int]] = []
    for key in keys {
      switch key {
      case .lexicographic:
        levels.append(lexRank)
      case .lowerCost:
        levels.append(Self.denseLevels(n) { costs[$0] < costs[$1] })
      case .higherCost:
        levels.append(Self.denseLevels(n) { costs[$0] > costs[$1] })
      case .seeded(let seed):
        var perm = lexOrder
        var rng = SplitMix64(seed: seed)
        if n > 1 {
          for i in stride(from: n - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            perm.swapAt(i, j)
          }
        }
        var r = [Int](repeating: 0, count: n)
        for (k, i) in perm.enumerated() { r[i] = k }
        levels.append(r)
      case .priority(let k):
        if let v = auxiliary[k] { levels.append(Self.denseLevels(n) { v[$0] > v[$1] }) }
      }
    }
    let order = _IndexSort.sortedIndices(n) { a, b in
      for level in levels where level[a] != level[b] { return level[a] < level[b] }
      return lexRank[a] < lexRank[b]
    }
    var rank = [Int](repeating: 0, count: n)
    for (r, i) in order.enumerated() { rank[i] = r }
    return rank
  }

  /// Per project, its level under a strict weak order `before` (0 for the first; projects that are
  /// equal under it share a level).
  private static func denseLevels(_ n: Int, before: (Int, Int) -> Bool) -> [Int] {
    let order = _IndexSort.sortedIndices(n, by: before)
    var level = [Int](repeating: 0, count: n)
    var current = 0
    for k in order.indices.dropFirst() {
      if before(order[k - 1], order[k]) { current += 1 }
      level[order[k]] = current
    }
    return level
  }

  /// Python's string order: Unicode scalars compared one by one (equivalently, UTF-8 bytes).
  public static func idPrecedes(_ a: String, _ b: String) -> Bool {
    // Byte order of the UTF-8, compared with memcmp (the generic `lexicographicallyPrecedes` over the
    // two UTF-8 views took ~0.06 ms to sort 150 ids); a proper prefix comes first.
    var a = a
    var b = b
    return a.withUTF8 { x in
      b.withUTF8 { y in
        let n = min(x.count, y.count)
        let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
        return c != 0 ? c < 0 : x.count < y.count
      }
    }
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: Character) -> Substring {
    var s = self
    while s.first == set { s = s.dropFirst() }
    while s.last == set { s = s.dropLast() }
    return s
  }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast, seedable generator whose output is the same
/// on every platform, used wherever Tally draws random numbers (seeded tie-breaks, the generator,
/// bootstrap), so that seeded results are reproducible byte for byte.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64
  /// Creates a generator from a seed.
  public init(seed: UInt64) { state = seed }
  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
