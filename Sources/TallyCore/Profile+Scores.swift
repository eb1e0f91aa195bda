
extension Profile {
  /// Each project's score under the contract's definition, in units of `10^-weightScale`.
  ///
  /// - approval and choose-1: the weighted number of ballots naming it, each repeated entry counted;
  /// - cumulative and scoring: the weighted sum of its points;
  /// - ordinal: the weighted sum of `L - position` over ballots (first position 0), where `L` is
  ///   `maxLength` when given (META `max_length`), else the longest ballot. With indifference classes
  ///   (PrefLib `.toc`/`.toi`), a project's position is the number of projects ranked strictly above it.
  ///
  /// - Returns: the scores, or nil when a sum overflows 64 bits.
  /// - Complexity: O(total length of the unique ballots).
  public func scoreUnits(maxLength: Int? = nil) -> [Int64]? {
    var s = [Int64](repeating: 0, count: projectCount)
    var overflow = false
    switch kind {
    case .approval, .choose1:
      s.withUnsafeMutableBufferPointer { s in
        items.withUnsafeBufferPointer { items in
          offsets.withUnsafeBufferPointer { offsets in
            multiplicities.withUnsafeBufferPointer { mult in
              for b in 0..<mult.count {
                // (A weight too large counts only when the ballot names a project.)
                let (w, ow) = weights.map { mult[b].multipliedReportingOverflow(by: $0[b]) } ?? (mult[b], false)
                overflow = overflow || (ow && offsets[b + 1] > offsets[b])
                for k in offsets[b]..<offsets[b + 1] {
                  let p = Int(items[k])
                  let (v, o) = s[p].addingReportingOverflow(w)
                  s[p] = v
                  overflow = overflow || o
                }
              }
            }
          }
        }
      }
      for p in 0..<projectCount {
        let (v, o) = s[p].addingReportingOverflow(duplicateEntries[p])
        s[p] = v
        overflow = overflow || o
      }
    case .cumulative, .scoring:
      for b in 0..<uniqueBallotCount {
        for k in offsets[b]..<offsets[b + 1] {
          let (m, o1) = term(points[k], b)
          let (v, o2) = s[Int(items[k])].addingReportingOverflow(m)
          s[Int(items[k])] = v
          overflow = overflow || o1 || o2
        }
      }
    case .ordinal:
      var L = maxLength ?? 0
      if maxLength == nil {
        for b in 0..<uniqueBallotCount { L = Swift.max(L, offsets[b + 1] - offsets[b]) }
      }
      for b in 0..<uniqueBallotCount {
        var classStart = 0
        for (pos, k) in (offsets[b]..<offsets[b + 1]).enumerated() {
          // With indifference classes, a project's position is the number ranked strictly above it.
          if let g = tieGroups, pos > 0, g[k] != g[k - 1] { classStart = pos }
          let position = tieGroups == nil ? pos : classStart
          let (m, o1) = term(Int64(L - position), b)
          let (v, o2) = s[Int(items[k])].addingReportingOverflow(m)
          s[Int(items[k])] = v
          overflow = overflow || o1 || o2
        }
      }
    }
    return overflow ? nil : s
  }

  /// `value` times ballot `b`'s total weight (``totalWeight(_:)``), and whether that does not fit 64
  /// bits: the value times the weight first, so that a value of 0 never reports an overflow of the
  /// weight alone (which ``totalWeight(_:)`` would wrap).
  @inline(__always)
  private func term(_ value: Int64, _ b: Int) -> (Int64, Bool) {
    guard let weights else { return value.multipliedReportingOverflow(by: multiplicities[b]) }
    let (m, o1) = value.multipliedReportingOverflow(by: weights[b])
    let (t, o2) = m.multipliedReportingOverflow(by: multiplicities[b])
    return (t, o1 || o2)
  }

  /// The scores as exact rationals (score units divided by `10^weightScale`).
  public func scores(maxLength: Int? = nil) -> [Rational]? {
    guard let u = scoreUnits(maxLength: maxLength) else { return nil }
    var den: Int64 = 1
    for _ in 0..<weightScale { den *= 10 }
    return u.map { Rational(BigInt($0), BigInt(den)) }
  }
}

extension Instance {
  /// META `max_length` as an integer, when present and valid.
  public var maxLength: Int? { metaValue("max_length").flatMap { Int($0.trimmingCharacters()) } }
}

extension String {
  func trimmingCharacters() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
    return String(s)
  }
}
