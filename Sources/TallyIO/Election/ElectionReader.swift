#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import TallyCore

/// An election file read and checked: the model, the projects and budget, and where everything is.
public struct ElectionDefinition: Sendable {
  /// The election (presets applied).
  public var election: Election
  /// Projects and budget (the budget and costs share one decimal scale).
  public var instance: Instance
  /// The election file's path.
  public var path: String
  /// The projects file's path (resolved).
  public var projectsPath: String
  /// Each channel's ballot file (resolved), aligned with `election.channels`.
  public var ballotPaths: [String]
  /// Where the allocation rule id was written (for errors about it).
  public var allocationLocation: InputLocation
  /// Where the tie-break was written.
  public var tieBreakLocation: InputLocation
  /// The parsed tie-break.
  public var tieBreak: TieBreak
  /// Keys the file has that Tally does not use (reported, not an error).
  public var ignoredKeys: [String]
  /// SHA-256 state after the election file and the projects file, to be continued by the ballot files
  /// (the provenance digest covers the election file and every file it names, in order).
  var hasher: SHA256
  /// The ballot files opened and being hashed ahead, when the election was read so
  /// (``ElectionReader/read(path:openingBallotsAhead:)``).
  var ballotsAhead: _BallotsAhead? = nil

  /// The envelopes mapped to project indices, amounts in the instance's cost units.
  public var envelopeMembers: [[Int]] {
    // (Through the array's buffer: subscripting the projects copied each one, retaining its strings.)
    instance.projects.withUnsafeBufferPointer { projects in
      election.envelopes.map { e in projects.indices.filter { e.contains(projects[$0]) } }
    }
  }
}

/// Reads `election.json` (or a folder holding one) and its projects file.
///
/// The format is the contract's (section "Elections"), extended:
/// ```json
/// {
///   "name": "…", "preset": "national", "currency": "KRW",
///   "projects": "projects.csv", "budget": 110000000000,
///   "channels": [
///     {"id": "public", "ballots": "public.csv", "weight": 0.5, "maxPicks": 5},
///     {"id": "committee", "ballots": "committee.csv", "weight": 0.5, "exactPicks": 10,
///      "groups": {"stratified": 1, "marginalised": 1.5},
///      "categoryLimits": {"city": {"exact": 7}, "governance": {"exact": 3}},
///      "normalisation": "share-of-voters"}
///   ],
///   "normalisation": "share-of-voters", "allocation": "greedy",
///   "tieBreak": "share:committee,lower-cost",
///   "envelopes": [{"name": "marginalised", "target": "marginalised", "floor": 33000000000},
///                 {"name": "welfare cap", "category": "welfare", "cap": 40000000000}]
/// }
/// ```
/// - Paths are relative to the election file.
/// - `weight`: a finite non-negative number (written exactly: `0.1` is 1/10); weights need not add up
///   to 1 (they are used as given), but at least one must be positive. A channel may omit it only when
///   the preset gives it.
/// - `exactPicks` k, or `minPicks` (default 1) and `maxPicks` (default none): non-negative integers.
/// - `categoryLimits`: per category (or `*` for each other category) an object with `exact`, `min`
///   and/or `max` picks.
/// - `groups`: group name → positive weight multiplier; the ballot file must then have a `group` column.
/// - `normalisation` (election-wide, or per channel): `share-of-voters` (default),
///   `share-of-approvals`, `max-100`, `raw` (see ``Normalisation``).
/// - `envelopes`: each names its members by `category`, `target` or `projects` (a list of ids) and
///   sets `cap` and/or `floor` (amounts) and/or `minCount`/`maxCount`.
/// - Unknown keys are ignored and listed in ``ElectionDefinition/ignoredKeys``, except those that look
///   like a misspelt known key (same letters in another case, or one or two edits away), which are errors.
///
/// Every problem is an ``InputError`` at the offending key's or value's line and column.
public enum ElectionReader {
  /// Reads an election from `election.json` or a folder holding one.
  public static func read(path given: String) throws(InputError) -> ElectionDefinition {
    try read(path: given, openingBallotsAhead: nil)
  }

  /// Reads an election as ``read(path:)`` does; with `voterCheck`, when a thread started ahead
  /// (`_prestartThread`) takes jobs, also opens the projects and ballot files as soon as the election
  /// file is parsed, holds them whole (mapping the large ones, as ``BallotFileReader/mapFiles`` does)
  /// and hands their hashing to that thread: then
  /// ``ElectionDefinition/readBallots(policy:voterCheck:keepBallots:mapFiles:)`` with the same
  /// `voterCheck` and `mapFiles` reads those files (the definition holds them until it is released).
  /// A mapped file that another process truncates raises `SIGBUS`: only a caller that handles that
  /// signal should ask.
  public static func read(path given: String, openingBallotsAhead voterCheck: VoterCheck?) throws(InputError) -> ElectionDefinition {
    let path = isDirectory(given) ? (given.hasSuffix("/") ? given + "election.json" : given + "/election.json") : given
    let bytes = try readFile(path)
    var p = _ElectionParser(path: path)
    p.openingBallotsAhead = voterCheck
    return try p.parse(bytes)
  }

  /// Reads an election from the bytes of its file; `path` locates the files it names.
  public static func read(bytes: [UInt8], path: String) throws(InputError) -> ElectionDefinition {
    var p = _ElectionParser(path: path)
    return try p.parse(bytes)
  }

  /// Reads an election whose projects file is also held in memory (for tests, fuzzing, or inputs
  /// that do not come from disk): `projects` stands for the file the election names, whatever its
  /// name. Ballot files are still named by path; read them in memory with
  /// ``BallotFileReader/read(bytes:source:)``.
  public static func read(bytes: [UInt8], path: String, projects: [UInt8]) throws(InputError) -> ElectionDefinition {
    var p = _ElectionParser(path: path)
    p.projectsBytes = projects
    return try p.parse(bytes)
  }

  /// The whole content of a file.
  static func readFile(_ path: String) throws(InputError) -> [UInt8] {
    let reader = try _RecordReader(path: path)
    _ = reader  // checks existence and kind with the same messages as other readers
    guard let f = fopen(path, "rb") else {
      throw InputError(.unreadable(String(cString: strerror(errno))), at: InputLocation(source: path, line: 0))
    }
    defer { fclose(f) }
    var out: [UInt8] = []
    // Sized from the file when it says its size (a chunk more, to see the end in one read).
    var st = stat()
    let hint = fstat(fileno(f), &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) + 1 : 1 << 16
    var buf = [UInt8](repeating: 0, count: min(max(hint, 4096), 1 << 16))
    while true {
      let n = fread(&buf, 1, buf.count, f)
      if n <= 0 { break }
      out.append(contentsOf: buf[0..<n])
    }
    return out
  }

  /// The directory part of a path ("." when none).
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// A path relative to the election file's directory (absolute paths are kept).
  static func resolve(_ name: String, relativeTo electionPath: String) -> String {
    if name.hasPrefix("/") { return name }
    let dir = directory(of: electionPath)
    return dir == "." ? name : dir + "/" + name
  }
}

struct _ElectionParser {
  let path: String
  var ignored: [String] = []
  /// The projects file's bytes, when read from memory rather than from the named path.
  var projectsBytes: [UInt8]? = nil
  /// Open and hash the files ahead for this voter check (``ElectionReader/read(path:openingBallotsAhead:)``).
  var openingBallotsAhead: VoterCheck? = nil

  init(path: String) { self.path = path }

  func loc(_ n: _JSONNode) -> InputLocation { InputLocation(source: path, line: n.line, column: n.column) }

  func fail(_ message: String, at n: _JSONNode) -> InputError {
    InputError(.invalidElection(message), at: loc(n))
  }

  static let topKeys = [
    "name", "preset", "projects", "budget", "currency", "channels", "normalisation", "allocation", "tieBreak",
    "envelopes", "description",
  ]
  static let channelKeys = [
    "id", "ballots", "weight", "exactPicks", "minPicks", "maxPicks", "categoryLimits", "groups", "normalisation",
    "name", "description",
  ]
  static let envelopeKeys = ["name", "category", "target", "projects", "cap", "floor", "minCount", "maxCount"]

  /// Checks an object's keys: misspellings of known keys are errors, other unknown keys are recorded.
  mutating func checkKeys(_ n: _JSONNode, known: [String], context: String) throws(InputError) {
    guard case .object(let members) = n.value else { return }
    for m in members where !known.contains(m.key) {
      if let near = known.first(where: { Self.looksLike(m.key, $0) }) {
        throw InputError(
          .invalidElection("unknown key '\(m.key)' in \(context) (did you mean '\(near)'?)"),
          at: InputLocation(source: path, line: m.keyLine, column: m.keyColumn))
      }
      ignored.append(context == "the election" ? m.key : "\(context).\(m.key)")
    }
  }

  static func looksLike(_ a: String, _ b: String) -> Bool {
    if a.lowercased() == b.lowercased() { return true }
    let x = Array(a.lowercased().unicodeScalars)
    let y = Array(b.lowercased().unicodeScalars)
    if min(x.count, y.count) < 5 { return false }
    var prev = Array(0...y.count)
    for i in 1...x.count {
      var cur = [i] + Array(repeating: 0, count: y.count)
      for j in 1...y.count {
        cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
      }
      prev = cur
    }
    return prev[y.count] <= 2
  }

  /// The projects file and the channels' ballot files an election names, when every name is where
  /// it belongs and a non-empty string (the same names the checks in ``parse(_:)`` take); nil
  /// otherwise.
  static func fileNames(_ root: _JSONNode) -> (projects: String, ballots: [String])? {
    guard case .string(let projects)? = root["projects"]?.value, case .array(let channels)? = root["channels"]?.value,
      !channels.isEmpty
    else { return nil }
    var ballots: [String] = []
    for c in channels {
      guard case .string(let b)? = c["ballots"]?.value, !b.isEmpty else { return nil }
      ballots.append(b)
    }
    return (projects, ballots)
  }

  func string(_ n: _JSONNode, _ what: String) throws(InputError) -> String {
    guard case .string(let s) = n.value else { throw fail("'\(what)' must be a string, not \(n.typeName)", at: n) }
    return s
  }

  /// A JSON number (or a string holding one) as an exact decimal; exponents are expanded exactly.
  func decimal(_ n: _JSONNode, _ what: String) throws(InputError) -> ExactDecimal {
    let text: String
    switch n.value {
    case .number(let t): text = t
    case .string(let t): text = t
    default: throw fail("'\(what)' must be a number, not \(n.typeName)", at: n)
    }
    guard let d = Self.exactDecimal(text) else {
      throw fail("'\(what)': '\(text)' is not a finite number with at most 18 decimals that fits in 64 bits", at: n)
    }
    return d.normalized
  }

  /// Parses a JSON number literal exactly (mantissa and exponent).
  static func exactDecimal(_ text: String) -> ExactDecimal? {
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      guard let x = Int(String(text[text.index(after: e)...].filter { $0 != "+" })), abs(x) < 40 else { return nil }
      exponent = x
    }
    guard var d = ExactDecimal.parse(String(mantissa)), !mantissa.contains(",") else { return nil }
    if exponent < 0 {
      d.scale -= exponent
      if d.scale > ExactDecimal.maxScale { d = d.normalized }
      if d.scale > ExactDecimal.maxScale { return nil }
    } else {
      for _ in 0..<exponent {
        if d.scale > 0 {
          d.scale -= 1
        } else {
          let (m, o) = d.units.multipliedReportingOverflow(by: 10)
          if o { return nil }
          d.units = m
        }
      }
    }
    return d
  }

  func nonNegativeInt(_ n: _JSONNode, _ what: String) throws(InputError) -> Int {
    let d = try decimal(n, what)
    guard d.isInteger, d.units >= 0, d.units < 1 << 31 else {
      throw fail("'\(what)' must be a non-negative integer, not \(d)", at: n)
    }
    return Int(d.normalized.units)
  }

  func normalisation(_ n: _JSONNode) throws(InputError) -> Normalisation {
    let s = try string(n, "normalisation")
    guard let v = Normalisation(rawValue: s) else {
      throw fail(
        "unknown normalisation '\(s)' (expected \(Normalisation.allCases.map(\.rawValue).joined(separator: ", ")))", at: n)
    }
    return v
  }

  mutating func parse(_ bytes: [UInt8]) throws(InputError) -> ElectionDefinition {
    let root = try _JSONParser.parse(bytes, source: path)
    guard case .object = root.value else { throw fail("the election must be a JSON object, not \(root.typeName)", at: root) }
    // The files to open and hash ahead, as soon as the document names them: the hashing then
    // overlaps the checks below, rather than waiting for them (they report any problem in the
    // election; the files' own problems are reported where they are read).
    var hasher = SHA256()
    hasher.update(data: bytes)
    var ahead: _BallotsAhead? = nil
    if let check = openingBallotsAhead, projectsBytes == nil, let (projects, ballots) = Self.fileNames(root) {
      ahead = _BallotsAhead.start(
        prefix: hasher, projectsPath: ElectionReader.resolve(projects, relativeTo: path),
        ballotPaths: ballots.map { ElectionReader.resolve($0, relativeTo: path) }, voterCheck: check,
        mapAtLeast: _defaultPartsThreshold)
    }
    try checkKeys(root, known: Self.topKeys, context: "the election")
    let whole = InputLocation(source: path, line: 1, column: 1)

    let name = try root["name"].map { n throws(InputError) in try string(n, "name") } ?? path
    let currency = try root["currency"].map { n throws(InputError) in try string(n, "currency") } ?? ""
    var preset: ElectionPreset? = nil
    if let n = root["preset"] {
      let s = try string(n, "preset")
      guard let p = ElectionPreset(rawValue: s) else {
        throw fail("unknown preset '\(s)' (expected \(ElectionPreset.allCases.map(\.rawValue).joined(separator: ", ")))", at: n)
      }
      preset = p
    }
    guard let projectsNode = root["projects"] else {
      throw InputError(.invalidElection("the election has no 'projects' file"), at: whole)
    }
    let projectsName = try string(projectsNode, "projects")
    guard let budgetNode = root["budget"] else {
      throw InputError(.invalidElection("the election has no 'budget'"), at: whole)
    }
    let budget = try decimal(budgetNode, "budget")
    if budget.units < 0 { throw fail("'budget' must not be negative", at: budgetNode) }
    let defaultNormalisation = try root["normalisation"].map { n throws(InputError) in try normalisation(n) } ?? .shareOfVoters

    // Channels.
    guard let channelsNode = root["channels"] else {
      throw InputError(.invalidElection("the election has no 'channels'"), at: whole)
    }
    guard case .array(let channelNodes) = channelsNode.value else {
      throw fail("'channels' must be an array, not \(channelsNode.typeName)", at: channelsNode)
    }
    if channelNodes.isEmpty { throw fail("'channels' is empty: an election needs at least one channel", at: channelsNode) }
    var channels: [Channel] = []
    var channelNodeByID: [String: _JSONNode] = [:]
    var ballotPaths: [String] = []
    for cn in channelNodes {
      guard case .object = cn.value else { throw fail("a channel must be an object, not \(cn.typeName)", at: cn) }
      guard let idNode = cn["id"] else { throw fail("a channel has no 'id'", at: cn) }
      let id = try string(idNode, "id")
      try checkKeys(cn, known: Self.channelKeys, context: "channel '\(id)'")
      if id.isEmpty { throw fail("a channel id must not be empty", at: idNode) }
      if id.unicodeScalars.contains(",") || id.unicodeScalars.contains(" ") {
        throw fail("channel id '\(id)' must not contain ',' or spaces (it is used in tie-break ids)", at: idNode)
      }
      if channelNodeByID[id] != nil { throw fail("channel id '\(id)' appears twice", at: idNode) }
      channelNodeByID[id] = cn
      guard let ballotsNode = cn["ballots"] else { throw fail("channel '\(id)' has no 'ballots' file", at: cn) }
      let ballots = try string(ballotsNode, "ballots")
      if ballots.isEmpty { throw fail("channel '\(id)': 'ballots' is empty", at: ballotsNode) }
      let presetWeight = preset?.channelWeights.first { $0.id == id }?.weight
      if let preset, presetWeight == nil {
        throw fail(
          "channel '\(id)' is not a channel of preset '\(preset.rawValue)' (expected \(preset.channelWeights.map(\.id).joined(separator: ", ")))",
          at: idNode)
      }
      var weight: ExactDecimal
      if let wn = cn["weight"] {
        weight = try decimal(wn, "weight")
        if weight.units < 0 { throw fail("channel '\(id)': 'weight' must not be negative", at: wn) }
      } else if let presetWeight {
        weight = presetWeight
      } else {
        throw fail("channel '\(id)' has no 'weight'", at: cn)
      }
      weight = weight.normalized
      // Picks.
      var picks = preset?.defaultPicks(channel: id) ?? PickRules()
      if let en = cn["exactPicks"] {
        if let other = cn["minPicks"] ?? cn["maxPicks"] {
          throw fail("channel '\(id)': give either 'exactPicks' or 'minPicks'/'maxPicks', not both", at: other)
        }
        let k = try nonNegativeInt(en, "exactPicks")
        picks.minPicks = k
        picks.maxPicks = k
      } else {
        if let mn = cn["minPicks"] {
          picks.minPicks = try nonNegativeInt(mn, "minPicks")
          if cn["maxPicks"] == nil, let m = picks.maxPicks, m < picks.minPicks { picks.maxPicks = nil }
        }
        if let mx = cn["maxPicks"] {
          picks.maxPicks = try nonNegativeInt(mx, "maxPicks")
          if cn["minPicks"] == nil && picks.minPicks > picks.maxPicks! { picks.minPicks = min(1, picks.maxPicks!) }
        }
        if let mx = picks.maxPicks, mx < picks.minPicks {
          throw fail("channel '\(id)': minPicks \(picks.minPicks) is more than maxPicks \(mx)", at: cn["maxPicks"] ?? cn)
        }
      }
      if let ln = cn["categoryLimits"] {
        guard case .object(let members) = ln.value else {
          throw fail("channel '\(id)': 'categoryLimits' must be an object (category → {exact|min|max}), not \(ln.typeName)", at: ln)
        }
        picks.categoryLimits = []
        for m in members {
          let v = m.value
          guard case .object(let limitMembers) = v.value else {
            throw fail("channel '\(id)': the limit for category '\(m.key)' must be an object with exact, min or max", at: v)
          }
          for lm in limitMembers where !["exact", "min", "max"].contains(lm.key) {
            throw InputError(
              .invalidElection("channel '\(id)': unknown key '\(lm.key)' in the limit for '\(m.key)' (expected exact, min or max)"),
              at: InputLocation(source: path, line: lm.keyLine, column: lm.keyColumn))
          }
          var limit = CategoryLimit(category: m.key)
          if let e = v["exact"] {
            if let other = v["min"] ?? v["max"] { throw fail("give either 'exact' or 'min'/'max', not both", at: other) }
            let k = try nonNegativeInt(e, "exact")
            limit.min = k
            limit.max = k
          } else {
            if let mn = v["min"] { limit.min = try nonNegativeInt(mn, "min") }
            if let mx = v["max"] { limit.max = try nonNegativeInt(mx, "max") }
            if let mx = limit.max, mx < limit.min { throw fail("min \(limit.min) is more than max \(mx)", at: v) }
          }
          picks.categoryLimits.append(limit)
        }
      }
      var groups: [GroupWeight] = []
      if let gn = cn["groups"] {
        guard case .object(let members) = gn.value else {
          throw fail("channel '\(id)': 'groups' must be an object (group → weight), not \(gn.typeName)", at: gn)
        }
        if members.isEmpty { throw fail("channel '\(id)': 'groups' is empty", at: gn) }
        for m in members {
          let w = try decimal(m.value, "groups.\(m.key)")
          if w.units <= 0 { throw fail("channel '\(id)': the weight of group '\(m.key)' must be positive", at: m.value) }
          if w.normalized.scale > 6 {
            throw fail("channel '\(id)': the weight of group '\(m.key)' has more than 6 decimals", at: m.value)
          }
          groups.append(GroupWeight(group: m.key, weight: w.normalized))
        }
      }
      let norm = try cn["normalisation"].map { n throws(InputError) in try normalisation(n) } ?? defaultNormalisation
      channels.append(
        Channel(id: id, ballots: ballots, weight: weight, picks: picks, groupWeights: groups, normalisation: norm))
      ballotPaths.append(ElectionReader.resolve(ballots, relativeTo: path))
    }
    if let preset {
      for (id, _) in preset.channelWeights where channelNodeByID[id] == nil {
        throw fail(
          "preset '\(preset.rawValue)' needs a channel '\(id)' (channels: \(preset.channelWeights.map(\.id).joined(separator: ", ")))",
          at: channelsNode)
      }
    }
    if !channels.contains(where: { $0.weight.units > 0 }) {
      throw fail("every channel weight is 0: at least one must be positive", at: channelsNode)
    }

    // Allocation and tie-break.
    var allocation = "greedy"
    var allocationLocation = whole
    if let an = root["allocation"] {
      allocation = try string(an, "allocation")
      allocationLocation = loc(an)
    }
    var tieBreakText = "lexicographic"
    var tieBreakLocation = whole
    if let tn = root["tieBreak"] {
      tieBreakText = try string(tn, "tieBreak")
      tieBreakLocation = loc(tn)
    }
    let tieBreak: TieBreak
    do { tieBreak = try TieBreak(parsing: tieBreakText) } catch {
      throw InputError(.invalidElection(error.description), at: tieBreakLocation)
    }
    for case .priority(let key) in tieBreak.keys {
      guard key.hasPrefix("share:"), channelNodeByID[String(key.dropFirst(6))] != nil else {
        throw InputError(
          .invalidElection(
            "tie-break key '\(key)' names no channel (use share:<channel id>; channels: \(channels.map(\.id).joined(separator: ", ")))"),
          at: tieBreakLocation)
      }
    }

    // Projects (hashed right after the election file).
    let projectsPath = ElectionReader.resolve(projectsName, relativeTo: path)
    let projectsReader: _RecordReader
    do {
      if let held = ahead?.projects {
        // (Held whole and hashed ahead; hashed here too, 10-odd KB, for the definition's own digest.)
        projectsReader = held
        hasher.update(bufferPointer: held.whole!)
      } else if let projectsBytes {
        projectsReader = _RecordReader(bytes: projectsBytes, source: projectsPath, hasher: hasher)
      } else {
        projectsReader = try _RecordReader(path: projectsPath, hasher: hasher)
      }
    } catch {
      throw fail("projects file '\(projectsPath)': \(error.message)", at: projectsNode)
    }
    var projectRows = try _ProjectsParser.read(projectsReader)
    if ahead == nil { hasher = projectsReader.hasher }

    // Envelopes.
    var envelopes: [EnvelopeSpec] = []
    var amountNodes: [(ExactDecimal, _JSONNode)] = []
    if let en = root["envelopes"] {
      guard case .array(let items) = en.value else { throw fail("'envelopes' must be an array, not \(en.typeName)", at: en) }
      for (k, item) in items.enumerated() {
        guard case .object = item.value else { throw fail("an envelope must be an object, not \(item.typeName)", at: item) }
        try checkKeys(item, known: Self.envelopeKeys, context: "envelope \(k + 1)")
        let members: EnvelopeSpec.Members
        let given = ["category", "target", "projects"].filter { item[$0] != nil }
        guard given.count == 1 else {
          throw fail("an envelope names its projects by exactly one of 'category', 'target' or 'projects'", at: item)
        }
        switch given[0] {
        case "category": members = .category(try string(item["category"]!, "category"))
        case "target": members = .target(try string(item["target"]!, "target"))
        default:
          let pn = item["projects"]!
          guard case .array(let ids) = pn.value else { throw fail("'projects' must be an array of project ids", at: pn) }
          var list: [String] = []
          let known = Set(projectRows.projects.map(\.id))
          for idn in ids {
            let s = try string(idn, "projects")
            guard known.contains(s) else {
              throw fail("envelope project '\(s)' is not in \(projectsPath)", at: idn)
            }
            list.append(s)
          }
          members = .projects(list)
        }
        let envName = try item["name"].map { n throws(InputError) in try string(n, "name") } ?? "envelope \(k + 1)"
        var spec = EnvelopeSpec(name: envName, members: members)
        if let c = item["cap"] {
          let d = try decimal(c, "cap")
          if d.units < 0 { throw fail("'cap' must not be negative", at: c) }
          spec.cap = d
          amountNodes.append((d, c))
        }
        if let f = item["floor"] {
          let d = try decimal(f, "floor")
          if d.units < 0 { throw fail("'floor' must not be negative", at: f) }
          spec.floor = d
          amountNodes.append((d, f))
        }
        if let m = item["minCount"] { spec.minCount = try nonNegativeInt(m, "minCount") }
        if let m = item["maxCount"] { spec.maxCount = try nonNegativeInt(m, "maxCount") }
        if spec.cap == nil && spec.floor == nil && spec.minCount == nil && spec.maxCount == nil {
          throw fail("envelope '\(envName)' sets none of cap, floor, minCount, maxCount", at: item)
        }
        if let c = spec.cap, let f = spec.floor, Rational(f) > Rational(c) {
          throw fail("envelope '\(envName)': floor \(f) is more than cap \(c)", at: item["floor"]!)
        }
        if case .projects = members {} else if !projectRows.projects.contains(where: spec.contains) {
          throw fail("envelope '\(envName)' has no project (no project has that \(given[0]))", at: item[given[0]]!)
        }
        envelopes.append(spec)
      }
    }

    // One decimal scale for budget, costs and envelope amounts.
    var scale = budget.normalized.scale
    for r in projectRows.costs { scale = max(scale, r.normalized.scale) }
    for (d, _) in amountNodes { scale = max(scale, d.normalized.scale) }
    guard let budgetUnits = budget.normalized.rescaled(to: scale) else {
      throw fail("'budget' is too large", at: budgetNode)
    }
    for (i, c) in projectRows.costs.enumerated() {
      guard let u = c.normalized.rescaled(to: scale) else {
        throw InputError(.numberOutOfRange(field: "cost", text: c.description), at: InputLocation(source: projectsPath, line: projectRows.lines[i]))
      }
      projectRows.projects[i].cost = u
    }
    for (d, n) in amountNodes where d.normalized.rescaled(to: scale) == nil { throw fail("amount \(d) is too large", at: n) }

    // Category limits must name categories that exist.
    let allCategories = Set(projectRows.projects.flatMap(\.categories))
    for (c, cn) in zip(channels, channelNodes) {
      for l in c.picks.categoryLimits where l.category != "*" && !allCategories.contains(l.category) {
        throw fail(
          "channel '\(c.id)': category '\(l.category)' of 'categoryLimits' is not a category of any project", at: cn["categoryLimits"] ?? cn)
      }
    }

    var instance = Instance(
      meta: [MetaEntry(key: "description", value: name)], projects: projectRows.projects, budget: budgetUnits,
      costScale: scale, ballotKind: .approval)
    instance.projectColumns = projectRows.columns
    let election = Election(
      name: name, preset: preset, channels: channels, envelopes: envelopes, allocation: allocation,
      tieBreak: tieBreak.description, currency: currency)
    return ElectionDefinition(
      election: election, instance: instance, path: path, projectsPath: projectsPath, ballotPaths: ballotPaths,
      allocationLocation: allocationLocation, tieBreakLocation: tieBreakLocation, tieBreak: tieBreak,
      ignoredKeys: ignored, hasher: hasher, ballotsAhead: ahead)
  }
}

/// Reads `projects.csv`: `;`-separated with a header; `project_id;cost` required, `name;category;target`
/// optional (a list in one cell is comma-separated), other columns kept in ``Project/fields``.
enum _ProjectsParser {
  struct Rows {
    var projects: [Project]
    var costs: [ExactDecimal]
    var lines: [Int]
    var columns: [String]
  }

  static func read(_ reader: _RecordReader) throws(InputError) -> Rows {
    let src = reader.source
    let fields = _FieldSplitter()
    var header: [String] = []
    var headerLine = 0
    var rows = Rows(projects: [], costs: [], lines: [], columns: [])
    var seen: [String: Int] = [:]
    // The columns the reader uses, found once (after the header row).
    var idCol = 0
    var costCol = 0
    var nameCol: Int? = nil
    var categoryCol: Int? = nil
    var targetCol: Int? = nil
    func blank(_ r: UnsafeBufferPointer<UInt8>) -> Bool { r.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
    while let rec = try reader.next() {
      if blank(rec) { continue }
      let line = reader.recordLine
      fields.split(rec)
      if header.isEmpty {
        headerLine = line
        header = (0..<fields.count).map { fields.trimmedString($0, in: rec).lowercased() }
        var s = Set<String>()
        for (i, h) in header.enumerated() where !h.isEmpty && !s.insert(h).inserted {
          throw InputError(.duplicateColumn(h), at: InputLocation(source: src, line: line, column: fields.column(i, in: rec)))
        }
        for c in ["project_id", "cost"] where !header.contains(c) {
          throw InputError(.missingColumn(section: "projects", column: c), at: InputLocation(source: src, line: line))
        }
        idCol = header.firstIndex(of: "project_id")!
        costCol = header.firstIndex(of: "cost")!
        nameCol = header.firstIndex(of: "name")
        categoryCol = header.firstIndex(of: "category")
        targetCol = header.firstIndex(of: "target")
        seen.reserveCapacity(64)
        continue
      }
      let extraEmpty = fields.count == header.count + 1 && fields.lastIsEmpty
      if fields.count != header.count && !extraEmpty {
        throw InputError(.fieldCount(expected: header.count, found: fields.count), at: InputLocation(source: src, line: line, column: 1))
      }
      // Each cell decoded once; the row's cells by column name go into the project.
      let cells = (0..<header.count).map { fields.trimmedString($0, in: rec) }
      var values = [String: String](minimumCapacity: header.count)
      for (i, h) in header.enumerated() where !h.isEmpty { values[h] = cells[i] }
      let id = cells[idCol]
      let idLoc = InputLocation(source: src, line: line, column: fields.column(idCol, in: rec))
      if id.isEmpty { throw InputError(.emptyField("project_id"), at: idLoc) }
      // Ballots are matched byte for byte: an id that is not UTF-8 would never match its own votes.
      if String(validating: fields.bytes(idCol, in: rec), as: UTF8.self) == nil { throw InputError(.malformed("project id is not valid UTF-8"), at: idLoc) }
      if id.utf8.contains(UInt8(ascii: ",")) {
        throw InputError(.invalidElection("project id '\(id)' contains ',' (ballots join ids with ',')"), at: idLoc)
      }
      if let first = seen[id] { throw InputError(.duplicateProject(id + " (first on line \(first))"), at: idLoc) }
      seen[id] = line
      let costText = cells[costCol]
      let costLoc = InputLocation(source: src, line: line, column: fields.column(costCol, in: rec))
      guard let cost = ExactDecimal.parse(costText), !costText.utf8.contains(UInt8(ascii: ",")) else {
        throw InputError(InputError.badNumber(field: "cost", text: costText), at: costLoc)
      }
      if cost.units < 0 { throw InputError(.negativeNumber(field: "cost", text: costText), at: costLoc) }
      func list(_ column: Int?) -> [String] { column.map { _commaItems(cells[$0]) } ?? [] }
      let name = nameCol.flatMap { cells[$0].isEmpty ? nil : cells[$0] }
      rows.projects.append(
        Project(id: id, cost: 0, name: name, categories: list(categoryCol), targets: list(targetCol), fields: values))
      rows.costs.append(cost)
      rows.lines.append(line)
    }
    if header.isEmpty { throw InputError(.emptyInput, at: InputLocation(source: src, line: 0)) }
    if rows.projects.isEmpty {
      throw InputError(.invalidElection("the projects file lists no project"), at: InputLocation(source: src, line: headerLine))
    }
    rows.columns = header
    return rows
  }
}

/// Every channel's ballots of an election, read, with the provenance digest.
public struct ElectionBallots: Sendable {
  /// Per channel, aligned with the election's channels.
  public var channels: [ChannelBallots]
  /// Hex SHA-256 of the election file, the projects file and every ballot file, in that order, as one
  /// stream of bytes.
  public var inputSHA256: String
}

extension ElectionDefinition {
  /// Reads every channel's ballot file (streaming), in order.
  /// - Parameters:
  ///   - policy: void invalid ballots (default) or stop at the first.
  ///   - voterCheck: how duplicate voter ids are found.
  ///   - keepBallots: keep the valid ballots (needed for a Pabulib export).
  ///   - mapFiles: map large ballot files into memory (``BallotFileReader/mapFiles``).
  public func readBallots(
    policy: InvalidBallotPolicy = .void, voterCheck: VoterCheck = .auto, keepBallots: Bool = false, mapFiles: Bool = false
  ) throws(InputError) -> ElectionBallots {
    let readers = ballotReaders(policy: policy, voterCheck: voterCheck, keepBallots: keepBallots, mapFiles: mapFiles)
    if mapFiles, let read = try readHashingAhead(readers) { return read }
    var h = hasher
    var out: [ChannelBallots] = []
    for (r, p) in zip(readers, ballotPaths) { out.append(try r.read(path: p, hasher: &h)) }
    return ElectionBallots(channels: out, inputSHA256: _hex(h))
  }

  /// The channels' ballot file readers, in order (``readBallots(policy:voterCheck:keepBallots:mapFiles:)``).
  func ballotReaders(policy: InvalidBallotPolicy, voterCheck: VoterCheck, keepBallots: Bool, mapFiles: Bool) -> [BallotFileReader] {
    election.channels.map { c in
      var r = BallotFileReader(channel: c, instance: instance, policy: policy, voterCheck: voterCheck, keepBallots: keepBallots)
      r.mapFiles = mapFiles
      return r
    }
  }

  /// Reads every ballot file, in order, while the thread started ahead (``_prestartThread()``) takes
  /// their digest (``_BallotsAhead``): the SHA-256 no longer waits for the smaller files to be read,
  /// and a large file's second part begins as soon as the hashing ends (``_readInTwoParts``) rather
  /// than the first part's hashing delaying it. Traced on the bundled election, the hashing (2.2 ms)
  /// began 0.7 ms earlier, and 0.45 ms earlier still when the files were opened before the projects
  /// were parsed (``ElectionReader/read(path:openingBallotsAhead:)``). Taken when that thread is
  /// waiting and every file can be opened and held whole in memory now (mapped, or read at once; not
  /// the `external` voter check, which streams); nil otherwise, and the caller reads the files in
  /// turn, hashing as it goes (which also reports any error in file order). The digest is of the
  /// bytes read.
  func readHashingAhead(_ readers: [BallotFileReader]) throws(InputError) -> ElectionBallots? {
    let voterCheck = readers.first?.voterCheck ?? .auto
    let ahead: _BallotsAhead
    if let a = ballotsAhead, a.voterCheck == voterCheck, a.take() {
      ahead = a
    } else if let a = _BallotsAhead.start(
      prefix: hasher, projectsPath: nil, ballotPaths: ballotPaths, voterCheck: voterCheck,
      mapAtLeast: readers.first?.partsThreshold)
    {
      ahead = a
    } else {
      return nil
    }
    var opened = zip(readers, zip(ahead.ballots, ballotPaths)).map { r, f in BallotFileReader.Opened(r, held: f.0, path: f.1) }
    var ignored = SHA256()
    var out: [ChannelBallots] = []
    for o in opened { out.append(try o.read(hasher: &ignored)) }
    let digest = ahead.digest()
    // (Opened here, the files are unmapped and freed by the thread that hashed them; held by the
    // definition, they go when it does.)
    opened = []
    _destroyOnPrestartedThread(consume ahead)
    return ElectionBallots(channels: out, inputSHA256: _hex(digest))
  }
}
