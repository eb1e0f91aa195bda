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
}
