import TallyCore
@_spi(Testing) import TallyIO

/// Checks that an input error is well formed: a place on a line ≥ 1 (except for the problems that
/// concern a whole file), a column ≥ 1 when given, and a message.
public func checkError(_ e: InputError, input: [UInt8]) {
  let wholeFile: Bool =
    switch e.reason {
    case .emptyInput, .fileNotFound, .unreadable, .missingMeta, .missingSection: true
    case .numberOutOfRange(let field, let text): field == "weight" && text == "the sum of the weights"
    default: false
    }
  if e.location.line < 1 && !wholeFile { fatalError("error without a line: \(e)") }
  if e.location.line > input.count + 1 { fatalError("error on line \(e.location.line), past the input: \(e)") }
  if let c = e.location.column, c < 1 || c > input.count + 2 { fatalError("bad column: \(e)") }
  if e.message.isEmpty { fatalError("empty message") }
}

/// Checks one channel's ballots: the counts add up, the tallies agree with the counts, every
/// example has a place, and the kept ballots are the valid ones.
public func checkBallots(_ b: ChannelBallots, input: [UInt8]) {
  let r = b.report
  if r.read != r.valid + r.voidCount { fatalError("read \(r.read) != valid \(r.valid) + void \(r.voidCount)") }
  if b.tally.validCount != r.valid { fatalError("tally counts \(b.tally.validCount) valid ballots, report \(r.valid)") }
  for v in b.tally.projectVotes where v < 0 || v > r.valid { fatalError("project votes \(v) out of 0...\(r.valid)") }
  for x in r.examples {
    if x.location.line < 1 || x.location.line > input.count + 1 { fatalError("example on line \(x.location.line)") }
    if let c = x.location.column, c < 1 { fatalError("example column \(c)") }
  }
  if r.examples.count != min(Int(r.voidCount + r.warnings.values.reduce(0, +)), r.exampleLimit) {
    fatalError("\(r.examples.count) examples for \(r.voidCount) void ballots")
  }
  if let profiles = b.profiles {
    let kept = profiles.reduce(Int64(0)) { $0 + $1.voterCount }
    if kept != r.valid { fatalError("kept \(kept) ballots, valid \(r.valid)") }
    for p in profiles {
      for k in 0..<p.uniqueBallotCount {
        let ballot = p.ballot(k)
        if Set(ballot).count != ballot.count { fatalError("a kept ballot names a project twice") }
        if ballot.contains(where: { $0 < 0 || Int($0) >= p.projectCount }) { fatalError("project index out of range") }
      }
    }
  }
}

/// Reads a channel's ballots under both policies and checks that they agree: `reject` stops at the
/// first ballot `void` voids, at the same place, and otherwise gives the same tallies.
public func readChannel(_ channel: Channel, _ instance: Instance, ballots: [UInt8], source: String) {
  let void: ChannelBallots
  do {
    void = try BallotFileReader(channel: channel, instance: instance, keepBallots: true).read(bytes: ballots, source: source)
  } catch {
    checkError(error, input: ballots)
    // A file-level error must not depend on the policy.
    do {
      _ = try BallotFileReader(channel: channel, instance: instance, policy: .reject).read(bytes: ballots, source: source)
      fatalError("void policy failed (\(error)) but reject read the file")
    } catch let e2 {
      if case .invalidBallot = e2.reason {} else if e2 != error { fatalError("policies disagree: \(error) vs \(e2)") }
    }
    return
  }
  checkBallots(void, input: ballots)
  // Read in two parts (where ordinary rows take the fast path) and in one pass (every row judged in
  // full): the same result, or the same error.
  var parts = BallotFileReader(channel: channel, instance: instance, keepBallots: true)
  parts.partsThreshold = 0
  // (Where the first part ends, fixed from the input: the threads' timing would decide it, and the
  // first thread would read a small input alone.)
  parts.partsCut = Double(ballots.count % 11) / 10
  var one = parts
  one.partsThreshold = nil
  // (Below the threshold: one pass over the bytes in place, ordinary rows on the fast path.)
  var inPlace = parts
  inPlace.partsThreshold = Int.max
  for keep in [true, false] {
    parts.keepBallots = keep
    one.keepBallots = keep
    inPlace.keepBallots = keep
    let a = Result { () throws(InputError) -> ChannelBallots in try parts.read(bytes: ballots, source: source) }
    let b = Result { () throws(InputError) -> ChannelBallots in try one.read(bytes: ballots, source: source) }
    let c = Result { () throws(InputError) -> ChannelBallots in try inPlace.read(bytes: ballots, source: source) }
    for x in [a, c] {
      checkSameRead(x, b) { (x: ChannelBallots, y: ChannelBallots) -> Bool in
        x.tally == y.tally && x.report == y.report && x.profiles == y.profiles
      }
    }
  }
  do {
    let strict = try BallotFileReader(channel: channel, instance: instance, policy: .reject).read(bytes: ballots, source: source)
    if void.report.voidCount != 0 { fatalError("reject read a file with \(void.report.voidCount) void ballots") }
    if strict.tally != void.tally { fatalError("policies give different tallies") }
  } catch {
    checkError(error, input: ballots)
    guard case .invalidBallot(let p, _) = error.reason, let first = void.report.examples.first(where: \.voided) else {
      fatalError("reject failed with \(error) where void read \(void.report.voidCount) void ballots")
    }
    if first.problem != p || first.location != error.location {
      fatalError("reject stopped at \(error), void's first is \(first.problem) at \(first.location)")
    }
  }
}

/// Checks that an input read in two parts and in one pass gives the same result (`same`), or fails
/// with the same error.
public func checkSameRead<T, U>(_ parts: Result<T, InputError>, _ one: Result<U, InputError>, same: (T, U) -> Bool) {
  switch (parts, one) {
  case (.success(let x), .success(let y)):
    if !same(x, y) { fatalError("parts and one pass disagree") }
  case (.failure(let x), .failure(let y)):
    if x != y { fatalError("parts and one pass fail differently: \(x) vs \(y)") }
  default: fatalError("parts and one pass: one failed")
  }
}

/// Splits bytes at NUL bytes into at most `parts` pieces (the last keeps any further NULs).
public func split(_ bytes: [UInt8], parts: Int) -> [[UInt8]] {
  var out: [[UInt8]] = []
  var rest = bytes[...]
  while out.count < parts - 1, let k = rest.firstIndex(of: 0) {
    out.append(Array(rest[..<k]))
    rest = rest[(k + 1)...]
  }
  out.append(Array(rest))
  while out.count < parts { out.append([]) }
  return out
}
