import TallyCore

/// Agreement measures between two rankings or two funded sets.
public enum RankAgreement {
  /// Kendall's τ-b between two rank vectors (lower rank = better; ties allowed).
  ///
  /// τ-b = (C − D) / √((C + D + T_a)(C + D + T_b)), C and D the concordant and discordant pairs, T_a and
  /// T_b the pairs tied in only one ranking. Returns nil when either ranking ties everything.
  /// - Complexity: O(n²).
  public static func kendallTau(_ a: [Int], _ b: [Int]) -> Double? {
    precondition(a.count == b.count)
    var c = 0
    var d = 0
    var ta = 0
    var tb = 0
    for i in 0..<a.count {
      for j in (i + 1)..<a.count {
        let x = (a[i] - a[j]).signum()
        let y = (b[i] - b[j]).signum()
        if x == 0 && y == 0 { continue }
        if x == 0 {
          ta += 1
        } else if y == 0 {
          tb += 1
        } else if x == y {
          c += 1
        } else {
          d += 1
        }
      }
    }
    let den = (Double(c + d + ta) * Double(c + d + tb)).squareRoot()
    return den == 0 ? nil : Double(c - d) / den
  }

  /// Jaccard overlap |A ∩ B| / |A ∪ B| of two sets (1 when both are empty).
  public static func jaccard(_ a: Set<Int>, _ b: Set<Int>) -> Double {
    let u = a.union(b).count
    return u == 0 ? 1 : Double(a.intersection(b).count) / Double(u)
  }

  /// Spearman's ρ between two rank vectors (lower rank = better; ties allowed).
  ///
  /// Ties get mid-ranks (the average of the positions they occupy), and ρ is the Pearson correlation of
  /// the mid-ranks, the usual tie correction. Returns nil when either ranking ties everything.
  /// - Complexity: O(n log n).
  public static func spearmanRho(_ a: [Int], _ b: [Int]) -> Double? {
    precondition(a.count == b.count)
    let x = midRanks(a)
    let y = midRanks(b)
    let n = Double(a.count)
    guard a.count > 1 else { return nil }
    let mx = x.reduce(0, +) / n
    let my = y.reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for i in 0..<a.count {
      let dx = x[i] - mx
      let dy = y[i] - my
      sxy += dx * dy
      sxx += dx * dx
      syy += dy * dy
    }
    let den = (sxx * syy).squareRoot()
    return den == 0 ? nil : sxy / den
  }

  /// Mid-ranks of a vector: position in ascending order (1-based), ties sharing the average position.
  ///
  /// `[10, 20, 20, 30]` gives `[1, 2.5, 2.5, 4]`.
  public static func midRanks(_ v: [Int]) -> [Double] {
    let order = v.indices.sorted { v[$0] < v[$1] }
    var out = [Double](repeating: 0, count: v.count)
    var k = 0
    while k < order.count {
      var e = k
      while e + 1 < order.count && v[order[e + 1]] == v[order[k]] { e += 1 }
      let mid = Double(k + e + 2) / 2
      for j in k...e { out[order[j]] = mid }
      k = e + 1
    }
    return out
  }

  /// The money two funded sets have in common: the total cost of the projects funded by both.
  public static func moneyInCommon(_ a: Set<Int>, _ b: Set<Int>, costs: [Int64]) -> Int64 {
    a.intersection(b).reduce(0) { $0 + costs[$1] }
  }
}
