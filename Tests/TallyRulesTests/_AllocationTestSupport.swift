import Foundation
import TallyCore
import TallyIO
import TallyRules
import TallyTestSupport

/// Shared helpers for the allocation-rule tests.
enum AllocationFixtures {
  /// The pabutools fixture file, decoded.
  static let pabutools: [String: [String: [String]]] = {
    let path = Datasets.path("Tests/TallyRulesTests/Fixtures/allocation/pabutools_1.2.3.json")
    guard let text = Datasets.readText(path), let data = text.data(using: .utf8),
      let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let files = obj["files"] as? [String: [String: Any]]
    else { return [:] }
    return files.mapValues { e in e.compactMapValues { $0 as? [String] } }
  }()

  static var fileNames: [String] { pabutools.keys.sorted() }

  /// Runs a rule on a shared Pabulib file; nil when the file is absent.
  static func run(_ rule: String, on name: String, threads: Int = 1) throws -> [String]? {
    guard let path = Datasets.pabulib(name) else { return nil }
    let file = try PabulibReader().read(path: path)
    var problem = try AllocationProblem(instance: file.instance, profile: file.profile)
    problem.threads = threads
    let r = try RuleCatalog.standard.allocation(rule)!
    let out = try r.allocate(problem)
    return out.selected.map { file.instance.projects[$0].id }
  }
}

/// A small deterministic generator for random tests.
struct TestRNG {
  var g: SplitMix64
  init(_ seed: UInt64) { g = SplitMix64(seed: seed) }
  mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(g.next() % UInt64(range.count)) }
}

/// Exact reference MES: one voter at a time, pabutools' "naive_mes" definition, with a starting budget
/// per voter; lexicographic ties by index order of `ids`.
func referenceMES(costs: [Int64], ballots: [[Int]], utilities: [[Int64]], perVoter: Rational, tieRank: [Int]) -> [Int] {
  var budget = Array(repeating: perVoter, count: ballots.count)
  var remaining = Set(costs.indices.filter { p in costs[p] > 0 && ballots.contains { $0.contains(p) } })
  var selected = costs.indices.filter { p in costs[p] == 0 && ballots.contains { $0.contains(p) } }.sorted { tieRank[$0] < tieRank[$1] }
  while true {
    var best: (Rational, Int)? = nil
    for p in remaining.sorted() {
      var sup: [(Rational, Int64)] = []
      for (i, b) in ballots.enumerated() { if let k = b.firstIndex(of: p) { sup.append((budget[i], utilities[i][k])) } }
      var total = Rational.zero
      for s in sup { total += s.0 }
      if total < Rational(costs[p]) {
        remaining.remove(p)
        continue
      }
      // Smallest rho with sum min(b, rho u) = cost: bisection over the sorted breakpoints.
      sup.sort { $0.0 / Rational($0.1) < $1.0 / Rational($1.1) }
      var r = Rational(costs[p])
      var u: Int64 = sup.reduce(0) { $0 + $1.1 }
      var rho: Rational? = nil
      for s in sup {
        let c = r / Rational(u)
        if c * Rational(s.1) <= s.0 {
          rho = c
          break
        }
        r -= s.0
        u -= s.1
      }
      guard let rho else { continue }
      if best == nil || rho < best!.0 || (rho == best!.0 && tieRank[p] < tieRank[best!.1]) { best = (rho, p) }
    }
    guard let found = best else { return selected }
    let rho = found.0
    let p = found.1
    selected.append(p)
    remaining.remove(p)
    for (i, b) in ballots.enumerated() {
      if let k = b.firstIndex(of: p) {
        let pay = rho * Rational(utilities[i][k])
        budget[i] = budget[i] <= pay ? .zero : budget[i] - pay
      }
    }
  }
}
