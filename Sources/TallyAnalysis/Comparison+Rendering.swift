import TallyCore
import TallyRules

extension Comparison {
  /// The comparison as JSON (deterministic: keys sorted, rules in the order asked for, no timings).
  ///
  /// `extra` is merged into the top-level object (the CLI adds `provenance`).
  public func json(extra: [String: JSONValue] = [:]) -> JSONValue {
    let inst = input.instance
    let ids = inst.projects.map(\.id)
    let scores = input.scores
    var rules: [JSONValue] = []
    for r in results {
      var o: [String: JSONValue] = ["rule": .string(r.rule), "kind": .string(r.kind.rawValue)]
      if let reason = r.skipped {
        o["status"] = "skipped"
        o["reason"] = .string(reason)
        rules.append(.object(o))
        continue
      }
      o["status"] = "ok"
      o["options"] = .object(r.options.mapValues { .string($0) })
      if let a = r.allocation {
        o["selected"] = .array(a.selected.map { .string(ids[$0]) })
        o["spent"] = .number(inst.format(amount: a.spent))
        o["leftover"] = .number(inst.format(amount: inst.budget - a.spent))
        if let m = r.measures { o["measures"] = m.json }
        var spending: [String: JSONValue] = [:]
        if !r.categorySpending.isEmpty { spending["category"] = .array(r.categorySpending.map(\.json)) }
        if !r.targetSpending.isEmpty { spending["target"] = .array(r.targetSpending.map(\.json)) }
        o["spending"] = .object(spending)
      }
      if let k = r.ranking {
        let ranks = k.ranks
        o["ranking"] = .array(
          k.tiers.flatMap { $0 }.map { i in
            ["id": .string(ids[i]), "rank": .int(ranks[i]), "score": k.scores.map { JSONValue.double($0[i]) } ?? .null]
          })
      }
      rules.append(.object(o))
    }
    var top: [String: JSONValue] = [
      "budget": .number(inst.format(amount: inst.budget)),
      "voteType": .string(input.ballotKind.rawValue),
      "voters": input.profile.map { .int($0.voterCount) } ?? .null,
      "tieBreak": .string(input.tieBreak.description),
      "projects": .array(
        inst.projects.indices.map { i in
          let p = inst.projects[i]
          return [
            "id": .string(p.id), "cost": .number(inst.format(amount: p.cost)), "score": scores[i].json,
            "category": .array(p.categories.map { .string($0) }), "target": .array(p.targets.map { .string($0) }),
          ]
        }),
      "rules": .array(rules),
      "agreement": [
        "rankings": .array(
          rankingAgreement.map {
            ["a": .string($0.a), "b": .string($0.b), "kendallTau": $0.kendallTau.map(JSONValue.double) ?? .null,
             "spearmanRho": $0.spearmanRho.map(JSONValue.double) ?? .null]
          }),
        "allocations": .array(
          allocationAgreement.map {
            ["a": .string($0.a), "b": .string($0.b), "jaccard": .double($0.jaccard),
             "projectsInCommon": .int($0.projectsInCommon), "moneyInCommon": .number(inst.format(amount: $0.moneyInCommon))]
          }),
      ],
    ]
    if let bootstrap { top["bootstrap"] = bootstrap.json(ids: ids) }
    if !sweeps.isEmpty { top["weightSweeps"] = .array(sweeps.map { $0.json(ids: ids) }) }
    for (k, v) in extra { top[k] = v }
    return .object(top)
  }

  /// The comparison as aligned tables for people.
  public func table(source: String) -> String {
    let inst = input.instance
    let ids = inst.projects.map(\.id)
    var t = "\(source): \(input.ballotKind) ballots, \(inst.projectCount) projects, budget \(inst.format(amount: inst.budget))"
    if let p = input.profile { t += ", \(p.voterCount) voters" }
    t += "   tie-break \(input.tieBreak)\n\n"

    // Rules side by side.
    var rows: [[String]] = [["rule", "kind", "funded", "spent", "left", "sat cost", "sat count", "≥1 funded", "Gini cost", "time s"]]
    for r in results {
      if r.skipped != nil { continue }
      if let a = r.allocation {
        let m = r.measures
        rows.append([
          r.rule, "allocation", String(a.selected.count), inst.format(amount: a.spent),
          inst.format(amount: inst.budget - a.spent), m.map { pct($0.averageCostSatisfactionShare) } ?? "-",
          m.map { fixed($0.averageCountSatisfaction, 3) } ?? "-", m.map { pct($0.nonEmptyHanded) } ?? "-",
          m.map { fixed($0.giniCost, 3) } ?? "-", fixed(r.seconds, 3),
        ])
      } else {
        rows.append([r.rule, "ranking", "", "", "", "", "", "", "", fixed(r.seconds, 3)])
      }
    }
    t += "Rules (sat cost: average satisfaction by cost as a share of the budget; sat count: funded projects a voter supports)\n"
    t += alignedTable(rows, rightAligned: [2, 3, 4, 5, 6, 7, 8, 9])
    for r in results { if let reason = r.skipped { t += "skipped \(r.rule) (\(r.kind.rawValue)): \(reason)\n" } }

    // Projects side by side.
    let ran = results.filter(\.ran)
    var header = ["project", "cost", "score"]
    header += ran.map(\.rule)
    var prows = [header]
    let order = inst.projects.indices.sorted { a, b in
      input.scores[a] != input.scores[b] ? input.scores[b] < input.scores[a] : TieBreak.idPrecedes(ids[a], ids[b])
    }
    let rankTables = ran.map { $0.ranking?.ranks }
    let fundedSets = ran.map { $0.allocation.map { Set($0.selected) } }
    for i in order {
      var row = [ids[i], inst.format(amount: inst.projects[i].cost), input.scores[i].shortDescription]
      for k in ran.indices {
        if let ranks = rankTables[k] {
          row.append(String(ranks[i]))
        } else {
          row.append(fundedSets[k]!.contains(i) ? "funded" : ".")
        }
      }
      prows.append(row)
    }
    t += "\nProjects by score (allocation rules: funded or '.'; ranking rules: rank)\n"
    t += alignedTable(prows, rightAligned: Set(1..<header.count))

    // Agreement.
    let rankRules = ran.filter { $0.ranking != nil }.map(\.rule)
    if rankRules.count > 1 {
      t += "\nRanking agreement (Kendall τ-b above the diagonal, Spearman ρ below)\n"
      var m = [[""] + rankRules]
      for a in rankRules {
        var row = [a]
        for b in rankRules {
          if a == b {
            row.append("1")
          } else if let p = rankingAgreement.first(where: { $0.a == a && $0.b == b }) {
            row.append(p.kendallTau.map { fixed($0, 3) } ?? "-")
          } else if let p = rankingAgreement.first(where: { $0.a == b && $0.b == a }) {
            row.append(p.spearmanRho.map { fixed($0, 3) } ?? "-")
          } else {
            row.append("-")
          }
        }
        m.append(row)
      }
      t += alignedTable(m, rightAligned: Set(1...rankRules.count))
    }
    let allocRules = ran.filter { $0.allocation != nil }.map(\.rule)
    if allocRules.count > 1 {
      t += "\nFunded-set agreement (Jaccard above the diagonal, money in common below)\n"
      var m = [[""] + allocRules]
      for a in allocRules {
        var row = [a]
        for b in allocRules {
          if a == b {
            row.append("1")
          } else if let p = allocationAgreement.first(where: { $0.a == a && $0.b == b }) {
            row.append(fixed(p.jaccard, 3))
          } else if let p = allocationAgreement.first(where: { $0.a == b && $0.b == a }) {
            row.append(inst.format(amount: p.moneyInCommon))
          } else {
            row.append("-")
          }
        }
        m.append(row)
      }
      t += alignedTable(m, rightAligned: Set(1...allocRules.count))
    }

    // Spending by group.
    for (title, key) in [("category", \RuleResult.categorySpending), ("target", \RuleResult.targetSpending)] {
      let allocs = ran.filter { $0.allocation != nil && !$0[keyPath: key].isEmpty }
      guard let first = allocs.first else { continue }
      t += "\nSpending by \(title): share of the money spent under each rule, against the share of the votes\n"
      var m = [[title, "votes"] + allocs.map(\.rule)]
      for (g, row0) in first[keyPath: key].enumerated() {
        var row = [row0.group, pct(row0.voteShare)]
        for a in allocs { row.append(pct(a[keyPath: key][g].spentShare)) }
        m.append(row)
      }
      t += alignedTable(m, rightAligned: Set(1..<(allocs.count + 2)))
    }

    for s in sweeps { t += "\n" + s.table(ids: ids) }
    if let b = bootstrap { t += "\n" + b.table(ids: ids, scores: input.scores) }
    return t
  }
}

extension OutcomeMeasures {
  /// The measures as JSON.
  public var json: JSONValue {
    [
      "averageCostSatisfaction": .double(averageCostSatisfaction),
      "averageCostSatisfactionShare": .double(averageCostSatisfactionShare),
      "averageCountSatisfaction": .double(averageCountSatisfaction),
      "nonEmptyHanded": .double(nonEmptyHanded),
      "giniCost": .double(giniCost), "giniCount": .double(giniCount),
    ]
  }
}

extension GroupSpending {
  /// The group's spending as JSON.
  public var json: JSONValue {
    ["group": .string(group), "spent": .double(spent), "spentShare": .double(spentShare), "voteShare": .double(voteShare),
     "costShare": .double(costShare)]
  }
}

extension BootstrapResult {
  /// The bootstrap as JSON: per rule, per project (in input order), the funded probability or the rank
  /// interval.
  public func json(ids: [String]) -> JSONValue {
    [
      "resamples": .int(resamples), "seed": .int(seed), "scoreMethod": .string(scoreMethod.rawValue),
      "quantiles": [.double(lowerQuantile), .double(upperQuantile)],
      "method": "multinomial resampling of voters (counts over unique ballots), SplitMix64 stream per resample",
      "rules": .array(
        rules.map { s in
          var o: [String: JSONValue] = [
            "rule": .string(s.rule), "kind": .string(s.kind.rawValue), "runs": .int(s.runs), "failures": .int(s.failures),
          ]
          if let e = s.firstError { o["firstError"] = .string(e) }
          if let f = s.fundedProbability {
            o["projects"] = .array(ids.indices.map { ["id": .string(ids[$0]), "funded": .double(f[$0])] })
          } else if let lo = s.rankLow, let md = s.rankMedian, let hi = s.rankHigh, let first = s.firstProbability {
            o["projects"] = .array(
              ids.indices.map {
                ["id": .string(ids[$0]), "rankLow": .int(lo[$0]), "rankMedian": .int(md[$0]), "rankHigh": .int(hi[$0]),
                 "first": .double(first[$0])]
              })
          }
          return .object(o)
        }),
    ]
  }

  /// The bootstrap as tables: projects by score, funded probability per allocation rule, rank
  /// interval per ranking rule.
  public func table(ids: [String], scores: [Rational]) -> String {
    let lo = Int((lowerQuantile * 100).rounded())
    let hi = Int((upperQuantile * 100).rounded())
    var t = "Bootstrap: \(resamples) resamples, seed \(seed), \(scoreMethod.rawValue) scores (P funded; rank \(lo)%–\(hi)% interval [median])\n"
    let order = ids.indices.sorted { a, b in scores[a] != scores[b] ? scores[b] < scores[a] : TieBreak.idPrecedes(ids[a], ids[b]) }
    var rows = [["project"] + rules.map(\.rule)]
    for i in order {
      var row = [ids[i]]
      for s in rules {
        if s.runs == 0 {
          row.append("-")
        } else if let f = s.fundedProbability {
          row.append(fixed(f[i], 3))
        } else if let l = s.rankLow, let m = s.rankMedian, let h = s.rankHigh {
          row.append("\(l[i])–\(h[i]) [\(m[i])]")
        }
      }
      rows.append(row)
    }
    t += alignedTable(rows, rightAligned: Set(1...max(1, rules.count)))
    for s in rules where s.failures > 0 {
      t += "  \(s.rule): failed in \(s.failures) resamples: \(s.firstError ?? "")\n"
    }
    return t
  }
}

extension Rational {
  /// A short decimal for tables: integers in full, others with 6 significant decimals.
  var shortDescription: String {
    let d = doubleValue
    if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
    return fixed(d, 6)
  }
}

/// A number with a fixed number of decimals.
package func fixed(_ x: Double, _ digits: Int) -> String {
  guard x.isFinite else { return "-" }
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let v = (x * scale).rounded() / scale
  var s = "\(v)"
  if s.contains("e") { return s }
  if let dot = s.firstIndex(of: ".") {
    let decimals = s.distance(from: dot, to: s.endIndex) - 1
    if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
  } else if digits > 0 {
    s += "." + String(repeating: "0", count: digits)
  }
  return s
}

/// A share as a percentage with one decimal.
func pct(_ x: Double) -> String { fixed(x * 100, 1) + "%" }

/// Renders rows as aligned columns (width by characters).
func alignedTable(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
  guard !rows.isEmpty else { return "" }
  let cols = rows.map(\.count).max()!
  var widths = [Int](repeating: 0, count: cols)
  for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
  var out = ""
  for r in rows {
    var line = ""
    for (i, c) in r.enumerated() {
      let pad = String(repeating: " ", count: widths[i] - c.count)
      let last = i == r.count - 1
      line += (i > 0 ? "  " : "") + (rightAligned.contains(i) ? pad + c : c + (last ? "" : pad))
    }
    out += line + "\n"
  }
  return out
}
