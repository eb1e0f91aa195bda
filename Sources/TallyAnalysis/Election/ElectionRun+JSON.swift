import TallyCore
import TallyIO

extension ElectionRun {
  /// The contract's `run` JSON, with extras.
  ///
  /// - `channels[]`: `id`, `weight`, `ballots {read, valid, void, voidByReason, warnings, examples[]}`
  ///   (examples: the first 100 void ballots with `file`, `line`, `column`, `problem`, `detail`), plus
  ///   `normalisation`, `file`, `validWeight`, `picks`, `groups[]`, `voterCheck`.
  /// - `ranking[]`: every project once, best first: `id`, `rank` (ties share it), `score` (combined,
  ///   as a JSON number), `shares {channel: number}`, plus `exact {score, shares}` (exact rationals as
  ///   `"n/d"` strings), `votes {channel: ballots naming it}`, `cost`, `funded`, `name`, `category`, `target`.
  /// - `allocation`: `rule`, `budget`, `spent`, `selected` (in the rule's order), plus `leftover`,
  ///   `envelopes[] {name, cap, floor, minCount, maxCount, spent, left, selected}`, `details`.
  /// - `election`: name, preset and its note, `weightsAssumed`, `weightSum`, `currency`.
  /// - `provenance`: `inputSHA256` (election file, projects file, ballot files, in order), `tieBreak`, ...
  public var json: JSONValue {
    let inst = definition.instance
    let election = definition.election
    let ranks = self.ranks
    let funded = Set(outcome.selected)
    var channels: [JSONValue] = []
    for (k, (c, b)) in zip(election.channels, ballots.channels).enumerated() {
      var ballotsJSON = b.report.json
      if case .object(var o) = ballotsJSON {
        o["void"] = .int(b.report.voidCount)
        ballotsJSON = .object(o)
      }
      var picks: [String: JSONValue] = ["min": .int(c.picks.minPicks), "max": c.picks.maxPicks.map { .int($0) } ?? .null]
      if !c.picks.categoryLimits.isEmpty {
        picks["categoryLimits"] = .object(
          Dictionary(
            c.picks.categoryLimits.map { l in
              (l.category, JSONValue.object(["min": .int(l.min), "max": l.max.map { .int($0) } ?? .null]))
            }, uniquingKeysWith: { a, _ in a }))
      }
      let t = b.tally
      var groups: [JSONValue] = []
      if !c.groupWeights.isEmpty {
        for g in t.groups.indices {
          groups.append([
            "group": .string(t.groups[g]), "weight": .decimal(t.groupWeights[g]), "ballots": .int(t.validBallots[g]),
            "validWeight": ExactDecimal(units: t.validUnits[g], scale: ChannelTally.weightScale).normalized.json,
          ])
        }
      }
      channels.append([
        "id": .string(c.id), "weight": .decimal(c.weight), "normalisation": .string(c.normalisation.rawValue),
        "file": .string(definition.ballotPaths[k]), "ballots": ballotsJSON, "validWeight": t.totalWeight.json,
        "picks": .object(picks), "groups": .array(groups), "voterCheck": .string(b.voterCheck.rawValue),
      ])
    }
    var ranking: [JSONValue] = []
    for i in order {
      let p = inst.projects[i]
      var shares: [String: JSONValue] = [:]
      var exactShares: [String: JSONValue] = [:]
      var votes: [String: JSONValue] = [:]
      for (k, c) in election.channels.enumerated() {
        shares[c.id] = scores.shares[k][i].json
        exactShares[c.id] = .string(scores.shares[k][i].description)
        votes[c.id] = .int(ballots.channels[k].tally.projectVotes[i])
      }
      var row: [String: JSONValue] = [
        "id": .string(p.id), "rank": .int(ranks[i]), "score": scores.combined[i].json, "shares": .object(shares),
        "exact": ["score": .string(scores.combined[i].description), "shares": .object(exactShares)],
        "votes": .object(votes), "cost": .number(inst.format(amount: p.cost)), "funded": .bool(funded.contains(i)),
      ]
      if let n = p.name { row["name"] = .string(n) }
      if !p.categories.isEmpty { row["category"] = .array(p.categories.map { .string($0) }) }
      if !p.targets.isEmpty { row["target"] = .array(p.targets.map { .string($0) }) }
      ranking.append(.object(row))
    }
    var envelopes: [JSONValue] = []
    for e in envelopeResults {
      let scale = inst.costScale
      let cap = e.spec.cap.flatMap { $0.normalized.rescaled(to: scale) }
      var o: [String: JSONValue] = [
        "name": .string(e.spec.name), "spent": .number(inst.format(amount: e.spent)),
        "selected": .array(e.selected.map { .string(inst.projects[$0].id) }),
        "cap": cap.map { .number(inst.format(amount: $0)) } ?? .null,
        "floor": e.spec.floor.flatMap { $0.normalized.rescaled(to: scale) }.map { .number(inst.format(amount: $0)) } ?? .null,
        "left": cap.map { .number(inst.format(amount: $0 - e.spent)) } ?? .null,
        "minCount": e.spec.minCount.map { .int($0) } ?? .null, "maxCount": e.spec.maxCount.map { .int($0) } ?? .null,
      ]
      switch e.spec.members {
      case .category(let c): o["category"] = .string(c)
      case .target(let t): o["target"] = .string(t)
      case .projects(let ids): o["projects"] = .array(ids.map { .string($0) })
      }
      envelopes.append(.object(o))
    }
    let allocation: JSONValue = [
      "rule": .string(rule.id), "budget": .number(inst.format(amount: inst.budget)),
      "spent": .number(inst.format(amount: outcome.spent)),
      "leftover": .number(inst.format(amount: inst.budget - outcome.spent)),
      "selected": .array(outcome.selected.map { .string(inst.projects[$0].id) }),
      "envelopes": .array(envelopes), "details": .object(outcome.details),
    ]
    var electionJSON: [String: JSONValue] = [
      "name": .string(election.name), "weightSum": election.weightSum.json, "currency": .string(election.currency),
      "projects": .int(inst.projectCount),
    ]
    if let p = election.preset {
      electionJSON["preset"] = .string(p.rawValue)
      electionJSON["presetNote"] = .string(p.note)
      electionJSON["weightsAssumed"] = .bool(p.weightsAreAssumed)
    }
    return [
      "election": .object(electionJSON), "channels": .array(channels), "ranking": .array(ranking),
      "allocation": allocation, "provenance": provenance.json,
    ]
  }
}

extension ExactDecimal {
  /// The value as a JSON number.
  var json: JSONValue { .decimal(self) }
}
