import TallyCore
import TallyLinearAlgebra

/// Draws bootstrap resamples of a profile and their scores.
///
/// A resample is a multinomial draw of counts over the unique ballots: n voters drawn uniformly with
/// replacement (SplitMix64, Lemire's multiply-high reduction), each adding 1 to its ballot's count.
/// Scores are `counts × incidence`, by sparse counting over the ballots drawn.
public struct BootstrapResampler: Sendable {
  /// The original profile.
  public let profile: Profile
  /// The unique-ballot index of every voter.
  let voterBallot: [Int32]
  /// What one copy of a unique ballot adds to each named project's score, aligned with `profile.items`,
  /// in units of `10^-weightScale`.
  let incidence: [Int64]

  /// Prepares resampling of the input's profile.
  /// - Precondition: the input has a profile.
  public init(_ input: ComparisonInput) {
    guard let profile = input.profile else { preconditionFailure("bootstrap needs ballots") }
    self.profile = profile
    var vb: [Int32] = []
    vb.reserveCapacity(Int(profile.voterCount))
    for b in 0..<profile.uniqueBallotCount {
      for _ in 0..<profile.multiplicities[b] { vb.append(Int32(b)) }
    }
    voterBallot = vb
    var inc = [Int64](repeating: 0, count: profile.items.count)
    var longest = 0
    for b in 0..<profile.uniqueBallotCount { longest = max(longest, profile.offsets[b + 1] - profile.offsets[b]) }
    let L = Int64(input.instance.maxLength ?? longest)
    for b in 0..<profile.uniqueBallotCount {
      let w = profile.weights?[b] ?? 1
      var classStart = 0
      for k in profile.offsets[b]..<profile.offsets[b + 1] {
        let pos = k - profile.offsets[b]
        switch profile.kind {
        case .approval, .choose1: inc[k] = w
        case .cumulative, .scoring: inc[k] = profile.points[k] &* w
        case .ordinal:
          // With indifference classes, a project's position is the number ranked strictly above it.
          if let g = profile.tieGroups, pos > 0, g[k] != g[k - 1] { classStart = pos }
          inc[k] = (L - Int64(profile.tieGroups == nil ? pos : classStart)) &* w
        }
      }
    }
    incidence = inc
  }

  /// The number of voters n (each resample draws n).
  public var voterCount: Int { voterBallot.count }

  /// The counts over unique ballots of resample `b` drawn with `seed`.
  /// - Complexity: O(n + m).
  public func counts(resample b: Int, seed: UInt64) -> [Int64] {
    var rng = SplitMix64(seed: seed ^ ((UInt64(b) &+ 1) &* 0xD1B5_4A32_D192_ED03))
    var c = [Int64](repeating: 0, count: profile.uniqueBallotCount)
    let n = UInt64(voterBallot.count)
    voterBallot.withUnsafeBufferPointer { vb in
      c.withUnsafeMutableBufferPointer { cb in
        for _ in 0..<n {
          let i = Int(rng.next().multipliedFullWidth(by: n).high)
          cb[Int(vb[i])] &+= 1
        }
      }
    }
    return c
  }

  /// The score units of a resample by sparse counting: for each ballot drawn c > 0 times, add c × its
  /// incidence to each project it names.
  /// - Complexity: O(m + total length of the ballots drawn).
  public func scoreUnitsSparse(_ counts: [Int64]) -> [Int64] {
    var s = [Int64](repeating: 0, count: profile.projectCount)
    profile.items.withUnsafeBufferPointer { items in
      incidence.withUnsafeBufferPointer { inc in
        s.withUnsafeMutableBufferPointer { sb in
          for b in 0..<counts.count where counts[b] > 0 {
            let c = counts[b]
            for k in profile.offsets[b]..<profile.offsets[b + 1] { sb[Int(items[k])] &+= c &* inc[k] }
          }
        }
      }
    }
    return s
  }

  /// Score units as exact rationals.
  public func rationalScores(_ units: [Int64]) -> [Rational] {
    units.map { Rational(ExactDecimal(units: $0, scale: profile.weightScale)) }
  }

  /// The resampled profile: the ballots drawn at least once, with their counts as multiplicities.
  /// - Complexity: O(m + total length of the ballots drawn).
  public func profile(counts: [Int64]) -> Profile {
    let src = profile
    var kept = 0
    var total = 0
    src.offsets.withUnsafeBufferPointer { off in
      for b in 0..<counts.count where counts[b] > 0 {
        kept += 1
        total += off[b + 1] - off[b]
      }
    }
    let hasPoints = !src.points.isEmpty
    var offsets = [Int](repeating: 0, count: kept + 1)
    var items = [Int32](repeating: 0, count: total)
    var points = [Int64](repeating: 0, count: hasPoints ? total : 0)
    var mult = [Int64](repeating: 0, count: kept)
    var weights: [Int64]? = src.weights == nil ? nil : [Int64](repeating: 0, count: kept)
    src.offsets.withUnsafeBufferPointer { off in
      src.items.withUnsafeBufferPointer { it in
        src.points.withUnsafeBufferPointer { pt in
          offsets.withUnsafeMutableBufferPointer { o in
            items.withUnsafeMutableBufferPointer { dst in
              points.withUnsafeMutableBufferPointer { dpt in
                mult.withUnsafeMutableBufferPointer { m in
                  var k = 0
                  var pos = 0
                  for b in 0..<counts.count where counts[b] > 0 {
                    let lo = off[b]
                    let len = off[b + 1] - lo
                    for j in 0..<len { dst[pos + j] = it[lo + j] }
                    if hasPoints { for j in 0..<len { dpt[pos + j] = pt[lo + j] } }
                    pos += len
                    m[k] = counts[b]
                    k += 1
                    o[k] = pos
                  }
                }
              }
            }
          }
        }
      }
    }
    if let w = src.weights {
      var k = 0
      for b in 0..<counts.count where counts[b] > 0 {
        weights![k] = w[b]
        k += 1
      }
    }
    var groups: [Int32]? = nil
    if let g = src.tieGroups {
      var out: [Int32] = []
      out.reserveCapacity(total)
      for b in 0..<counts.count where counts[b] > 0 { out.append(contentsOf: g[src.offsets[b]..<src.offsets[b + 1]]) }
      groups = out
    }
    return Profile(
      kind: src.kind, projectCount: src.projectCount, offsets: offsets, items: items, points: points,
      multiplicities: mult, weights: weights, weightScale: src.weightScale, tieGroups: groups)
  }

  /// Resamples per GEMM block.
  public static let gemmBlock = 64

  /// The dense incidence matrix X (unique ballots × projects), or nil when it would exceed 256 MB.
  public func denseIncidence() -> Matrix? {
    let m = profile.uniqueBallotCount
    let p = profile.projectCount
    guard m * p <= 32_000_000 else { return nil }
    var x = Matrix(rows: m, columns: p)
    for b in 0..<m {
      for k in profile.offsets[b]..<profile.offsets[b + 1] { x[b, Int(profile.items[k])] += Double(incidence[k]) }
    }
    return x
  }

  /// Score units of a block of resamples as one GEMM, `W · X` with W the counts (block × unique
  /// ballots); nil when X is too large or a value could lose exactness (≥ 2^53) or BLAS fails.
  /// Integer-valued doubles below 2^53 are exact, so the result equals sparse counting's.
  public func scoreUnitsGEMM(_ counts: [[Int64]], incidence x: Matrix? = nil) -> [[Int64]]? {
    guard let x = x ?? denseIncidence() else { return nil }
    let m = profile.uniqueBallotCount
    var w = Matrix(rows: counts.count, columns: m)
    for (r, c) in counts.enumerated() { for b in 0..<m where c[b] != 0 { w[r, b] = Double(c[b]) } }
    guard let s = try? LinearAlgebra.gemm(w, x) else { return nil }
    var out: [[Int64]] = []
    for r in 0..<counts.count {
      var row = [Int64](repeating: 0, count: profile.projectCount)
      for p in 0..<profile.projectCount {
        let v = s[r, p]
        guard abs(v) < 9_007_199_254_740_992 else { return nil }
        row[p] = Int64(v)
      }
      out.append(row)
    }
    return out
  }

  /// The share of non-zero cells of the incidence matrix.
  public var density: Double {
    let cells = Double(profile.uniqueBallotCount) * Double(profile.projectCount)
    return cells == 0 ? 0 : Double(profile.items.count) / cells
  }

  /// The score method to use (`automatic` resolved by the cost model).
  ///
  /// Sparse counting costs about one add per ballot entry (≈ 1 ns); GEMM costs 2 · m · p flops per
  /// resample, about 0.1 ns each with OpenBLAS and 0.7 ns with the reference BLAS (measured on this
  /// machine, `Benchmarks` and `BootstrapTests`). GEMM is chosen only when the incidence matrix is
  /// dense enough for it to win: density above 0.2 with OpenBLAS, never with the reference BLAS, and
  /// only while X fits in memory. Real ballots (a handful of approvals among many projects) always
  /// pick sparse counting.
  public func resolve(_ method: ScoreMethod, resamples: Int) -> ScoreMethod {
    guard method == .automatic else { return method }
    let openBLAS = BLASBackend.current.vendor.lowercased().contains("openblas")
    let fits = profile.uniqueBallotCount * profile.projectCount <= 32_000_000
    return openBLAS && fits && density > 0.2 && resamples >= Self.gemmBlock ? .gemm : .sparse
  }
}
