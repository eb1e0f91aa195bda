import TallyCore

/// Writes an instance and a profile in the Pabulib `.pb` format.
///
/// META keeps every entry of the instance in order, with `budget`, `vote_type`, `num_projects` and
/// `num_votes` set from the data; PROJECTS keeps the instance's columns; VOTES has one row per voter
/// (unique ballots expanded by multiplicity, voter ids 1, 2, ...) and a `weight` column when the
/// profile is weighted. Reading the output back gives the same instance and profile, except for
/// repeated approval entries (``Profile/duplicateEntries``), which a set-based ballot cannot carry.
public enum PabulibWriter {
  /// The file's text.
  public static func write(instance: Instance, profile: Profile) -> String {
    var out = "META\nkey;value\n"
    var meta = instance.meta
    func set(_ k: String, _ v: String) {
      if let i = meta.firstIndex(where: { $0.key == k }) { meta[i].value = v } else { meta.append(MetaEntry(key: k, value: v)) }
    }
    set("num_projects", String(instance.projectCount))
    set("num_votes", String(profile.voterCount))
    set("budget", instance.format(amount: instance.budget))
    set("vote_type", profile.kind.rawValue)
    for e in meta { out += quoteFirst(e.key) + ";" + quote(e.value) + "\n" }
    var columns = instance.projectColumns.filter { !$0.isEmpty }
    if columns.isEmpty {
      columns = ["project_id", "cost"]
      if instance.projects.contains(where: { $0.name != nil }) { columns.append("name") }
      if instance.projects.contains(where: { !$0.categories.isEmpty }) { columns.append("category") }
      if instance.projects.contains(where: { !$0.targets.isEmpty }) { columns.append("target") }
    }
    out += "PROJECTS\n" + _joined(columns.map(quote), by: ";") + "\n"
    for p in instance.projects {
      let row = columns.map { c -> String in
        switch c {
        case "project_id": return quote(p.id)
        case "cost": return instance.format(amount: p.cost)
        case "name": return quote(p.name ?? p.fields["name"] ?? "")
        case "category": return quote(p.fields["category"] ?? _joined(p.categories, by: ","))
        case "target": return quote(p.fields["target"] ?? _joined(p.targets, by: ","))
        default: return quote(p.fields[c] ?? "")
        }
      }
      out += _joined(row.enumerated().map { $0.offset == 0 ? quoteFirst($0.element, quoted: $0.element) : $0.element }, by: ";") + "\n"
    }
    out += "VOTES\nvoter_id;vote"
    if profile.kind.hasPoints { out += ";points" }
    if profile.isWeighted { out += ";weight" }
    out += "\n"
    var voter = 0
    for b in 0..<profile.uniqueBallotCount {
      let vote = _joined(profile.ballot(b).map { quoteInList(instance.projects[Int($0)].id) }, by: ",")
      var suffix = ""
      if profile.kind.hasPoints { suffix += ";" + _joined(profile.ballotPoints(b).map { String($0) }, by: ",") }
      if let w = profile.weights?[b] {
        suffix += ";" + ExactDecimal(units: w, scale: profile.weightScale).normalized.description
      }
      // (The row after the voter id is the same for every copy of the ballot.)
      let rest = ";" + quote(vote) + suffix + "\n"
      for _ in 0..<profile.multiplicities[b] {
        voter += 1
        out += String(voter)
        out += rest
      }
    }
    return out
  }

  private static func quoteInList(_ id: String) -> String { id }

  /// Quotes the first field of a row when it would otherwise read as a section marker (`votes;`
  /// with empty fields after it is the VOTES section, but `"votes";` is a row).
  static func quoteFirst(_ s: String, quoted: String? = nil) -> String {
    let q = quoted ?? quote(s)
    if q.hasPrefix("\"") { return q }
    var t = Substring(s).unicodeScalars
    while let f = t.first, f == " " || f == "\t" { t = t.dropFirst() }
    while let l = t.last, l == " " || l == "\t" { t = t.dropLast() }
    let upper = String(t).uppercased()
    guard upper == "META" || upper == "PROJECTS" || upper == "VOTES" else { return q }
    return "\"" + s + "\""
  }

  /// Quotes a field when it holds a separator, a quote or a line break, doubling its quotes.
  ///
  /// Checked on Unicode scalars, as the reader splits bytes: as Characters, `"\r\n"` and a quote
  /// followed by a combining mark are single graphemes equal to none of these.
  static func quote(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    var out = String.UnicodeScalarView()
    out.append("\"")
    for u in s.unicodeScalars {
      out.append(u)
      if u == "\"" { out.append(u) }
    }
    out.append("\"")
    return String(out)
  }
}
