
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
                let w = weights.map { mult[b] &* $0[b] } ?? mult[b]
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
        let w = totalWeight(b)
        for k in offsets[b]..<offsets[b + 1] {
          let (m, o1) = points[k].multipliedReportingOverflow(by: w)
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
        let w = totalWeight(b)
        var classStart = 0
        for (pos, k) in (offsets[b]..<offsets[b + 1]).enumerated() {
          // With indifference classes, a project's position is the number ranked strictly above it.
          if let g = tieGroups, pos > 0, g[k] != g[k - 1] { classStart = pos }
          let position = tieGroups == nil ? pos : classStart
          let (m, o1) = Int64(L - position).multipliedReportingOverflow(by: w)
          let (v, o2) = s[Int(items[k])].addingReportingOverflow(m)
          s[Int(items[k])] = v
          overflow = overflow || o1 || o2
        }
      }
    }
    return overflow ? nil : s
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
