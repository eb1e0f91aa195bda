import TallyCore
import TallyRules

/// A self-contained HTML page about a comparison: no scripts, no network, inline CSS and SVG.
///
/// The page is XHTML (well-formed XML served as HTML), so any XML parser can check it. It holds:
/// the rules side by side; scores by project with each allocation rule's funded projects marked and the
/// cumulative cost against the budget envelope; agreement heatmaps; bootstrap stability bars and rank
/// intervals (when a bootstrap ran); spending by category and target group against the votes.
public enum Report {
  /// Renders the page.
  public static func html(_ c: Comparison, title: String) -> String {
    var b = _HTML()
    b.raw("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
    b.raw("<meta charset=\"utf-8\"/>\n<title>")
    b.text("Tally comparison: " + title)
    b.raw("</title>\n<style>\n\(css)</style>\n</head>\n<body>\n")
    b.element("h1", "Rule comparison")
    let inst = c.input.instance
    var sub = "\(title): \(c.input.ballotKind) ballots, \(inst.projectCount) projects, budget \(inst.format(amount: inst.budget))"
    if let p = c.input.profile { sub += ", \(p.voterCount) voters" }
    sub += "; tie-break \(c.input.tieBreak)."
    b.element("p", sub, cls: "sub")

    rulesTable(&b, c)
    scoresChart(&b, c)
    heatmaps(&b, c)
    if let boot = c.bootstrap { stability(&b, c, boot) }
    for sw in c.sweeps { sweep(&b, c, sw) }
    spending(&b, c)
    b.element("p", "Made by tally \(Provenance.engineVersion). Shares and satisfaction are rounded for display; the JSON output holds the full values.", cls: "sub")
    b.raw("</body>\n</html>\n")
    return b.out
  }

  // MARK: - Sections

  static func rulesTable(_ b: inout _HTML, _ c: Comparison) {
    let inst = c.input.instance
    b.element("h2", "Rules side by side")
    b.raw("<table>\n<thead><tr>")
    for h in ["rule", "kind", "status", "funded", "spent", "left", "avg satisfaction (cost share)", "avg satisfaction (count)", "voters with ≥ 1 funded", "Gini (cost)"] {
      b.element("th", h)
    }
    b.raw("</tr></thead>\n<tbody>\n")
    for r in c.results {
      b.raw("<tr>")
      b.element("td", r.rule, cls: "id")
      b.element("td", r.kind.rawValue)
      if let reason = r.skipped {
        b.raw("<td colspan=\"8\" class=\"skip\">")
        b.text("skipped: " + reason)
        b.raw("</td>")
      } else if let a = r.allocation {
        b.element("td", "ok")
        b.element("td", String(a.selected.count), cls: "n")
        b.element("td", inst.format(amount: a.spent), cls: "n")
        b.element("td", inst.format(amount: inst.budget - a.spent), cls: "n")
        let m = r.measures
        b.element("td", m.map { pct($0.averageCostSatisfactionShare) } ?? "–", cls: "n")
        b.element("td", m.map { fixed($0.averageCountSatisfaction, 3) } ?? "–", cls: "n")
        b.element("td", m.map { pct($0.nonEmptyHanded) } ?? "–", cls: "n")
        b.element("td", m.map { fixed($0.giniCost, 3) } ?? "–", cls: "n")
      } else {
        b.element("td", "ok")
        let top = r.ranking!.tiers.first!.map { inst.projects[$0].id }.joined(separator: ", ")
        b.raw("<td colspan=\"7\">")
        b.text("ranks every project; first: " + top)
        b.raw("</td>")
      }
      b.raw("</tr>\n")
    }
    b.raw("</tbody>\n</table>\n")
  }

  /// Bars of scores (projects by score), the cumulative cost line against the budget envelope, and one
  /// row of marks per allocation rule for the projects it funds.
  static func scoresChart(_ b: inout _HTML, _ c: Comparison) {
    let inst = c.input.instance
    let n = inst.projectCount
    guard n > 0 else { return }
    let scores = c.input.scoreValues
    let order = (0..<n).sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : TieBreak.idPrecedes(inst.projects[$0].id, inst.projects[$1].id) }
    let allocs = c.results.filter { $0.allocation != nil }
    b.element("h2", "Scores, funded projects and the budget envelope")
    b.element(
      "p",
      "Projects by score, highest first. The line is the cumulative cost of the projects in this order; the dashed line is the budget. Below, one row per allocation rule marks the projects it funds (filled bars: funded by \(allocs.first?.rule ?? "no rule")).",
      cls: "sub")
    let left = max(70.0, Double(allocs.map(\.rule.count).max() ?? 0) * 6.5 + 14)
    let labelW = 130.0
    let barW = max(3.0, min(16.0, 900.0 / Double(n)))
    let plotW = barW * Double(n)
    let plotH = 220.0
    let rowH = 14.0
    let width = left + plotW + labelW
    let height = 20 + plotH + 30 + rowH * Double(allocs.count) + 20
    var s = _SVG(width: width, height: height, label: "scores chart")
    let maxScore = max(scores.max() ?? 1, 1e-9)
    let costs = inst.projects.map { Double($0.cost) }
    let totalCost = costs.reduce(0, +)
    let budget = Double(inst.budget)
    let maxMoney = max(totalCost, budget) * 1.02
    let top = 20.0
    let y0 = top + plotH
    // Axes.
    s.line(left, top, left, y0, cls: "axis")
    s.line(left, y0, left + plotW, y0, cls: "axis")
    s.text(left - 6, top + 4, short(maxScore), anchor: "end", cls: "tick")
    s.text(left - 6, y0, "0", anchor: "end", cls: "tick")
    s.text(left - 50, top - 6, "score", anchor: "start", cls: "tick")
    let funded0 = allocs.first.map { Set($0.allocation!.selected) } ?? []
    for (k, i) in order.enumerated() {
      let h = scores[i] / maxScore * plotH
      s.rect(left + Double(k) * barW, y0 - h, max(1, barW - 1), h, cls: funded0.contains(i) ? "bar funded" : "bar",
             title: "\(inst.projects[i].id): score \(short(scores[i])), cost \(inst.format(amount: inst.projects[i].cost))")
    }
    // Cumulative cost and envelope on the money axis (right).
    var pts: [(Double, Double)] = [(left, y0)]
    var cum = 0.0
    for (k, i) in order.enumerated() {
      cum += costs[i]
      pts.append((left + Double(k + 1) * barW, y0 - cum / maxMoney * plotH))
    }
    s.polyline(pts, cls: "cum")
    let by = y0 - budget / maxMoney * plotH
    s.line(left, by, left + plotW, by, cls: "envelope")
    s.text(left + plotW + 4, by + 4, "budget " + inst.format(amount: inst.budget), anchor: "start", cls: "tick")
    s.text(left + plotW + 4, pts.last!.1 + 4, "all projects " + short(totalCost), anchor: "start", cls: "tick")
    // Funded marks.
    for (r, res) in allocs.enumerated() {
      let y = y0 + 30 + Double(r) * rowH
      s.text(left - 6, y + rowH - 4, res.rule, anchor: "end", cls: "tick")
      let f = Set(res.allocation!.selected)
      for (k, i) in order.enumerated() where f.contains(i) {
        s.rect(left + Double(k) * barW, y + 2, max(1, barW - 1), rowH - 4, cls: "mark", title: "\(res.rule) funds \(inst.projects[i].id)")
      }
    }
    b.raw(s.rendered)
  }

  static func heatmaps(_ b: inout _HTML, _ c: Comparison) {
    let rank = c.results.filter { $0.ranking != nil }.map(\.rule)
    let alloc = c.results.filter { $0.allocation != nil }.map(\.rule)
    guard rank.count > 1 || alloc.count > 1 else { return }
    b.element("h2", "Agreement between rules")
    if rank.count > 1 {
      b.element("p", "Ranking rules: Kendall τ-b (1 = same order, −1 = reversed). Hover a cell for Spearman ρ.", cls: "sub")
      b.raw(heatmap(rank, minValue: -1) { a, x in
        guard let p = c.rankingAgreement.first(where: { ($0.a == a && $0.b == x) || ($0.a == x && $0.b == a) }) else { return (nil, "") }
        return (p.kendallTau, "τ-b \(p.kendallTau.map { fixed($0, 3) } ?? "–"), ρ \(p.spearmanRho.map { fixed($0, 3) } ?? "–")")
      })
    }
    if alloc.count > 1 {
      b.element("p", "Allocation rules: Jaccard overlap of the funded sets (1 = same set). Hover a cell for the money in common.", cls: "sub")
      let inst = c.input.instance
      b.raw(heatmap(alloc, minValue: 0) { a, x in
        guard let p = c.allocationAgreement.first(where: { ($0.a == a && $0.b == x) || ($0.a == x && $0.b == a) }) else { return (nil, "") }
        return (p.jaccard, "Jaccard \(fixed(p.jaccard, 3)), \(p.projectsInCommon) projects and \(inst.format(amount: p.moneyInCommon)) in common")
      })
    }
  }

  static func heatmap(_ ids: [String], minValue: Double, value: (String, String) -> (Double?, String)) -> String {
    let cell = 44.0
    let label = Double((ids.map(\.count).max() ?? 4) * 7 + 12)
    let width = label + cell * Double(ids.count) + 10
    let height = label + cell * Double(ids.count) + 10
    var s = _SVG(width: width, height: height, label: "agreement heatmap")
    for (j, id) in ids.enumerated() {
      let x = label + cell * Double(j) + cell / 2
      s.text(x, label - 6, id, anchor: "start", cls: "tick", rotate: -45)
      s.text(label - 6, label + cell * Double(j) + cell / 2 + 4, id, anchor: "end", cls: "tick")
    }
    for (i, a) in ids.enumerated() {
      for (j, x) in ids.enumerated() {
        let (v, tip): (Double?, String) = i == j ? (1, "\(a)") : value(a, x)
        let px = label + cell * Double(j)
        let py = label + cell * Double(i)
        s.rect(px, py, cell - 2, cell - 2, fill: v.map { color($0, min: minValue) } ?? "#dddddd", title: "\(a) vs \(x): \(tip)")
        s.text(px + cell / 2 - 1, py + cell / 2 + 3, v.map { fixed($0, 3) } ?? "–", anchor: "middle", cls: (v ?? 0) > 0.6 ? "cell light" : "cell")
      }
    }
    return s.rendered
  }

  static func stability(_ b: inout _HTML, _ c: Comparison, _ boot: BootstrapResult) {
    let inst = c.input.instance
    let ids = inst.projects.map(\.id)
    b.element("h2", "Stability under resampling")
    b.element(
      "p",
      "\(boot.resamples) bootstrap resamples of the voters (seed \(boot.seed)). Allocation rules: the probability that each project is funded. Ranking rules: the \(Int(boot.lowerQuantile * 100))%–\(Int(boot.upperQuantile * 100))% interval of its rank, with the median marked.",
      cls: "sub")
    for s in boot.rules where s.runs > 0 {
      b.element("h3", s.rule)
      if let f = s.fundedProbability {
        let always = ids.indices.filter { f[$0] == 1 }.count
        let shown = ids.indices.filter { f[$0] > 0 && f[$0] < 1 }.sorted {
          f[$0] != f[$1] ? f[$0] > f[$1] : TieBreak.idPrecedes(ids[$0], ids[$1])
        }
        let list = Array(shown.prefix(40))
        b.element(
          "p", "\(always) projects funded in every resample; \(shown.count) funded in some but not all\(shown.count > list.count ? " (the \(list.count) most often funded shown)" : "").",
          cls: "sub")
        let rowH = 14.0
        let label = Double((list.map { ids[$0].count }.max() ?? 4) * 7 + 10)
        let barMax = 400.0
        if !list.isEmpty {
          var svg = _SVG(width: label + barMax + 60, height: rowH * Double(list.count) + 30, label: "\(s.rule) stability")
          for (k, i) in list.enumerated() {
            let y = 10 + rowH * Double(k)
            svg.text(label - 6, y + rowH - 3, ids[i], anchor: "end", cls: "tick")
            svg.rect(label, y + 1, barMax * f[i], rowH - 3, cls: f[i] >= 0.5 ? "bar funded" : "bar", title: "\(ids[i]): funded in \(pct(f[i])) of resamples")
            svg.text(label + barMax * f[i] + 4, y + rowH - 3, fixed(f[i], 2), anchor: "start", cls: "tick")
          }
          svg.line(label + barMax * 0.5, 6, label + barMax * 0.5, 14 + rowH * Double(list.count), cls: "envelope")
          b.raw(svg.rendered)
        }
      } else if let lo = s.rankLow, let md = s.rankMedian, let hi = s.rankHigh {
        let list = Array(ids.indices.sorted { md[$0] != md[$1] ? md[$0] < md[$1] : TieBreak.idPrecedes(ids[$0], ids[$1]) }.prefix(40))
        let rowH = 14.0
        let label = Double((list.map { ids[$0].count }.max() ?? 4) * 7 + 10)
        let maxRank = Double(max(1, list.map { hi[$0] }.max() ?? 1))
        let w = 400.0
        var svg = _SVG(width: label + w + 80, height: rowH * Double(list.count) + 30, label: "\(s.rule) rank intervals")
        for (k, i) in list.enumerated() {
          let y = 10 + rowH * Double(k)
          let x = { (r: Int) in label + (Double(r) - 1) / max(1, maxRank - 1) * w }
          svg.text(label - 6, y + rowH - 3, ids[i], anchor: "end", cls: "tick")
          svg.rect(x(lo[i]), y + 3, max(2, x(hi[i]) - x(lo[i])), rowH - 7, cls: "bar", title: "\(ids[i]): rank \(lo[i])–\(hi[i]), median \(md[i])")
          svg.circle(x(md[i]), y + rowH / 2 + 1, 3, cls: "median")
          svg.text(label + w + 8, y + rowH - 3, "\(lo[i])–\(hi[i])", anchor: "start", cls: "tick")
        }
        b.raw(svg.rendered)
      }
    }
    let failed = boot.rules.filter { $0.runs == 0 }
    if !failed.isEmpty {
      b.element("p", "Not resampled: " + failed.map { "\($0.rule) (\($0.firstError ?? "no run"))" }.joined(separator: "; "), cls: "sub")
    }
  }

  /// Funded-set size and the channel's influence along the sweep, with the changes marked.
  static func sweep(_ b: inout _HTML, _ c: Comparison, _ sw: WeightSweep) {
    let ids = c.input.instance.projects.map(\.id)
    b.element("h2", "Channel-weight sweep: \(sw.channel)")
    b.element(
      "p",
      "The weight of channel \(sw.channel) moves from 0 to 1 (the other channels share the rest). Ticks mark where the funded set changes; the line is the channel's part of the combined score. The dashed line is the election's own weight (\(fixed(sw.electionWeight, 3))). Left: with the election's normalisation; right: raw sums, without normalisation.",
      cls: "sub")
    let w = 420.0
    let h = 160.0
    let left = 50.0
    let gap = 60.0
    var svg = _SVG(width: left + 2 * w + gap + 20, height: h + 60, label: "weight sweep of \(sw.channel)")
    for (k, curve) in sw.curves.enumerated() {
      let x0 = left + Double(k) * (w + gap)
      let top = 20.0
      svg.text(x0, 12, curve.normalisation + ": \(curve.changes.count) changes", anchor: "start", cls: "tick")
      svg.line(x0, top, x0, top + h, cls: "axis")
      svg.line(x0, top + h, x0 + w, top + h, cls: "axis")
      svg.text(x0 - 4, top + 4, "100%", anchor: "end", cls: "tick")
      svg.text(x0 - 4, top + h, "0", anchor: "end", cls: "tick")
      svg.text(x0, top + h + 14, "t = 0", anchor: "middle", cls: "tick")
      svg.text(x0 + w, top + h + 14, "1", anchor: "middle", cls: "tick")
      let n = curve.influence.count - 1
      svg.polyline(curve.influence.enumerated().map { (x0 + w * Double($0.offset) / Double(max(1, n)), top + h - h * $0.element) }, cls: "cum")
      let ex = x0 + w * sw.electionWeight
      svg.line(ex, top, ex, top + h, cls: "envelope")
      for ch in curve.changes {
        let x = x0 + w * ch.high
        let tip = "t ≈ \(fixed(ch.high, 4)): enter \(ch.entering.map { ids[$0] }.joined(separator: ", ")); leave \(ch.leaving.map { ids[$0] }.joined(separator: ", "))"
        svg.rect(x - 1, top + h - 12, 2, 12, cls: "mark", title: tip)
      }
      let atOwn = curve.fundedAtElectionWeight.count
      svg.text(x0 + w / 2, top + h + 30, "funded at the election weight: \(atOwn) projects", anchor: "middle", cls: "tick")
    }
    b.raw(svg.rendered)
    for curve in sw.curves where !curve.changes.isEmpty {
      b.element("h3", "\(sw.channel), \(curve.normalisation): projects that flip")
      b.raw("<table>\n<thead><tr>")
      for hd in ["t from", "t to", "enter", "leave"] { b.element("th", hd) }
      b.raw("</tr></thead>\n<tbody>\n")
      for ch in curve.changes {
        b.raw("<tr>")
        b.element("td", fixed(ch.low, 6), cls: "n")
        b.element("td", fixed(ch.high, 6), cls: "n")
        b.element("td", ch.entering.map { ids[$0] }.joined(separator: ", "), cls: "id")
        b.element("td", ch.leaving.map { ids[$0] }.joined(separator: ", "), cls: "id")
        b.raw("</tr>\n")
      }
      b.raw("</tbody>\n</table>\n")
    }
  }

  static func spending(_ b: inout _HTML, _ c: Comparison) {
    for (title, key) in [("category", \RuleResult.categorySpending), ("target group", \RuleResult.targetSpending)] {
      let allocs = c.results.filter { $0.allocation != nil && !$0[keyPath: key].isEmpty }
      guard let first = allocs.first else { continue }
      b.element("h2", "Spending by \(title)")
      b.element("p", "For each \(title), its share of the votes (grey) and its share of the money each allocation rule spends.", cls: "sub")
      let groups = first[keyPath: key]
      let barH = 9.0
      let groupH = barH * Double(allocs.count + 1) + 10
      let label = Double((groups.map(\.group.count).max() ?? 6) * 7 + 10)
      let w = 420.0
      let maxShare = max(0.01, groups.indices.map { g in max(groups[g].voteShare, allocs.map { $0[keyPath: key][g].spentShare }.max() ?? 0) }.max() ?? 0.01)
      let legendH = 16.0 * Double(allocs.count + 1) + 10
      var svg = _SVG(width: label + w + 70, height: groupH * Double(groups.count) + legendH + 10, label: "spending by \(title)")
      for (k, name) in (["votes"] + allocs.map(\.rule)).enumerated() {
        let y = 8 + 16 * Double(k)
        svg.rect(label, y, 12, 10, cls: k == 0 ? "vote" : "s\(k % 8)")
        svg.text(label + 18, y + 9, name, anchor: "start", cls: "tick")
      }
      for (g, grp) in groups.enumerated() {
        let y = legendH + groupH * Double(g)
        svg.text(label - 6, y + groupH / 2, grp.group, anchor: "end", cls: "tick")
        svg.rect(label, y, w * grp.voteShare / maxShare, barH - 1, cls: "vote", title: "\(grp.group): \(pct(grp.voteShare)) of the votes")
        for (k, a) in allocs.enumerated() {
          let v = a[keyPath: key][g].spentShare
          svg.rect(label, y + barH * Double(k + 1), w * v / maxShare, barH - 1, cls: "s\((k + 1) % 8)",
                   title: "\(a.rule): \(pct(v)) of the money on \(grp.group)")
        }
        svg.text(label + w + 6, y + barH, pct(grp.voteShare), anchor: "start", cls: "tick")
      }
      b.raw(svg.rendered)
    }
  }

  // MARK: - Helpers

  /// A colour from a diverging scale: red at `min`, white in the middle, blue at 1.
  static func color(_ v: Double, min lo: Double) -> String {
    let t = Swift.max(0, Swift.min(1, (v - lo) / (1 - lo)))
    let (r, g, bl): (Double, Double, Double) =
      t < 0.5
      ? (230 + 25 * t * 2, 120 + 135 * t * 2, 100 + 155 * t * 2)
      : (255 - 215 * (t - 0.5) * 2, 255 - 155 * (t - 0.5) * 2, 255 - 65 * (t - 0.5) * 2)
    return "rgb(\(Int(r)),\(Int(g)),\(Int(bl)))"
  }

  static func short(_ x: Double) -> String {
    if abs(x) >= 1e9 { return fixed(x / 1e9, 1) + "B" }
    if abs(x) >= 1e6 { return fixed(x / 1e6, 1) + "M" }
    if abs(x) >= 1e4 { return fixed(x / 1e3, 1) + "k" }
    return x == x.rounded() ? String(Int64(x)) : fixed(x, 2)
  }

  static let css = """
    body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px 32px; color: #222; max-width: 1400px; }
    h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 4px; border-bottom: 1px solid #ddd; }
    h3 { font-size: 14px; margin: 14px 0 2px; font-family: ui-monospace, monospace; }
    .sub { color: #555; margin: 2px 0 8px; }
    table { border-collapse: collapse; font-size: 13px; }
    th, td { border-bottom: 1px solid #e4e4e4; padding: 3px 8px; text-align: left; }
    th { background: #f4f4f4; font-weight: 600; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
    td.id { font-family: ui-monospace, monospace; } td.skip { color: #a33; }
    svg { display: block; margin: 6px 0 10px; overflow: visible; }
    .axis { stroke: #444; stroke-width: 1; } .bar { fill: #b9c7d8; } .bar.funded { fill: #2f6db3; }
    .cum { fill: none; stroke: #d08020; stroke-width: 1.5; } .envelope { stroke: #c02020; stroke-width: 1.2; stroke-dasharray: 5 3; }
    .mark { fill: #2f6db3; } .median { fill: #c02020; }
    .tick { font-size: 10px; fill: #333; font-family: ui-monospace, monospace; }
    .cell { font-size: 10px; fill: #222; } .cell.light { fill: #fff; }
    .vote { fill: #999; } .s1 { fill: #2f6db3; } .s2 { fill: #d08020; } .s3 { fill: #3a9a4a; } .s4 { fill: #a04aa0; }
    .s5 { fill: #c03030; } .s6 { fill: #20a0a0; } .s7 { fill: #807020; } .s0 { fill: #505050; }

    """
}

/// An XHTML builder that escapes text.
struct _HTML {
  var out = ""
  mutating func raw(_ s: String) { out += s }
  mutating func text(_ s: String) { out += xmlEscape(s) }
  mutating func element(_ tag: String, _ text: String, cls: String? = nil) {
    out += "<\(tag)" + (cls.map { " class=\"\($0)\"" } ?? "") + ">" + xmlEscape(text) + "</\(tag)>"
    if ["h1", "h2", "h3", "p"].contains(tag) { out += "\n" }
  }
}

/// A small SVG builder (numbers rounded to 0.1 px).
struct _SVG {
  var width: Double
  var height: Double
  var body = ""
  var label: String

  init(width: Double, height: Double, label: String) {
    self.width = width
    self.height = height
    self.label = label
  }

  mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, cls: String? = nil, fill: String? = nil, title: String? = nil) {
    body += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\""
    if let cls { body += " class=\"\(cls)\"" }
    if let fill { body += " fill=\"\(fill)\"" }
    if let title { body += "><title>\(xmlEscape(title))</title></rect>\n" } else { body += "/>\n" }
  }

  mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, cls: String) {
    body += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" class=\"\(cls)\"/>\n"
  }

  mutating func circle(_ x: Double, _ y: Double, _ r: Double, cls: String) {
    body += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" class=\"\(cls)\"/>\n"
  }

  mutating func polyline(_ pts: [(Double, Double)], cls: String) {
    body += "<polyline class=\"\(cls)\" points=\"" + pts.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ") + "\"/>\n"
  }

  mutating func text(_ x: Double, _ y: Double, _ s: String, anchor: String, cls: String, rotate: Double? = nil) {
    body += "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" class=\"\(cls)\""
    if let rotate { body += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" }
    body += ">\(xmlEscape(s))</text>\n"
  }

  var rendered: String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(xmlEscape(label))\">\n"
      + body + "</svg>\n"
  }

  private func n(_ v: Double) -> String {
    let r = (v * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) : "\(r)"
  }
}

/// Escapes text for XML content and attribute values.
func xmlEscape(_ s: String) -> String {
  var o = ""
  for ch in s.unicodeScalars {
    switch ch {
    case "&": o += "&amp;"
    case "<": o += "&lt;"
    case ">": o += "&gt;"
    case "\"": o += "&quot;"
    case "'": o += "&#39;"
    default:
      if ch.value < 0x20 && ch != "\n" && ch != "\t" { o += " " } else { o.unicodeScalars.append(ch) }
    }
  }
  return o
}
