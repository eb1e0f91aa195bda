import TallyCore

/// The pairwise support matrix of a profile: how much (weighted) ballot mass puts each project strictly
/// above each other project.
///
/// **Definition** (Tally contract, "Ranking"). `S[a][b]` is the weighted number of ballots that put
/// `a` strictly above `b`. A ballot puts every project it ranks (approves, gives more points) above
/// those it ranks lower or does not name; unnamed projects are tied at the bottom. Per ballot kind:
/// - approval and choose-1: every approved project is above every unapproved one; approved projects
///   are tied with each other;
/// - ordinal: position order (indifference classes of PrefLib `.toc`/`.toi` ballots are tied), every
///   ranked project above every unranked one;
/// - cumulative and scoring: more points is above; equal points are tied; a project named with 0
///   points counts as not named (it is given no more points than an unnamed one).
///
/// The margin is `M[a][b] = S[a][b] - S[b][a]`. Entries are integers in units of
/// `10^-weightScale` (the profile's weight units), held exactly in `Int64`; the diagonal is 0.
///
/// **Algorithms.** Both compute `C[a][b]`, the weight of ballots naming both `a` and `b` with `b`
/// ranked at least as high as `a`, and the weight `T[a]` of ballots naming `a`; then
/// `S[a][b] = T[a] - C[a][b]` (a ballot naming `a` puts it above `b` unless it names `b` at least
/// as high). So unnamed projects never have to be enumerated.
/// - ``Algorithm/sparse``: per unique ballot, one increment per pair of named projects:
///   O(Σ len²) in all, independent of the number of projects (plus O(n²) to finish).
/// - ``Algorithm/dense``: for each ballot and each of its classes `j`, a row `E` (the ballot's weight
///   on the projects of class `j`) and a row `H` (1 on the projects of classes `0...j`); then
///   `C = Σ Eᵀ H`, one BLAS `dgemm` per block of 2,048 rows: O(rows · n²) flops. Products are of
///   integer-valued doubles whose partial sums never exceed the total weight, so the result is
///   exact whenever the total weight is below 2^53 (the dense path is refused otherwise).
/// - ``Algorithm/automatic`` picks by a cost model (pair increments against flops), see
///   ``PairwiseMatrix/preferredAlgorithm(for:)``.
///
/// - Complexity: sparse O(Σ len² + n²); dense O(rows · n²) with rows = Σ classes per unique ballot.
///
/// **Example.** Ballots a>b (×2) and c over {a, b, c}: `S[a][b] = 2`, `S[b][a] = 0`, `S[a][c] = 2`,
/// `S[c][a] = 1`, `S[b][c] = 2`, `S[c][b] = 1`; margins `M[a][b] = 2`, `M[a][c] = 1`, `M[b][c] = 1`.
public struct PairwiseMatrix: Sendable, Hashable {
  /// How the matrix is computed.
  public enum Algorithm: String, Sendable, Hashable, CaseIterable {
    /// Choose by the profile's density (cost model).
    case automatic
    /// Pair counting over the named projects of each ballot.
    case sparse
    /// BLAS `dgemm` over per-class indicator rows.
    case dense
  }

  /// The number of projects.
  public let count: Int
  /// `S` in row-major order: `support[a * count + b]` = weight putting `a` strictly above `b`.
  public let support: [Int64]
  /// `T`: per project, the weight of the ballots naming it.
  public let namedWeight: [Int64]
  /// The total weight of all ballots.
  public let totalWeight: Int64
  /// Decimal digits of the weights (entries are in units of `10^-weightScale`).
  public let weightScale: Int
  /// The algorithm that computed the matrix (not part of equality: both give the same matrix).
  public let algorithmUsed: Algorithm

  /// Creates a matrix from explicit supports (row-major, `count × count`), e.g. a textbook example.
  public init(count: Int, support: [Int64], namedWeight: [Int64]? = nil, totalWeight: Int64? = nil, weightScale: Int = 0) {
    precondition(support.count == count * count)
    self.count = count
    var s = support
    for a in 0..<count { s[a * count + a] = 0 }
    self.support = s
    self.namedWeight = namedWeight ?? Array(repeating: 0, count: count)
    self.totalWeight = totalWeight ?? 0
    self.weightScale = weightScale
    self.algorithmUsed = .sparse
  }

  /// Builds the matrix of a profile in one pass over its unique ballots.
  ///
  /// - Parameters:
  ///   - profile: any ballot kind, weighted or not.
  ///   - algorithm: `.automatic` (default), `.sparse` or `.dense`. `.dense` falls back to `.sparse`
  ///     when the total weight reaches 2^53 (doubles would no longer be exact).
  /// - Throws: ``RuleError/invalidInput(rule:message:)`` when the total weight overflows 64 bits.
  public init(profile: Profile, algorithm: Algorithm = .automatic) throws(RuleError) {
    let n = profile.projectCount
    var total: Int64 = 0
    for b in 0..<profile.uniqueBallotCount {
      let (m, o1) = profile.multiplicities[b].multipliedReportingOverflow(by: profile.weights?[b] ?? 1)
      let (t, o2) = total.addingReportingOverflow(m)
      if o1 || o2 || m < 0 {
        throw RuleError.invalidInput(rule: "pairwise", message: "the total ballot weight overflows 64 bits")
      }
      total = t
    }
    let ballots = _GroupedBallots(profile)
    var algo = algorithm == .automatic ? Self.preferredAlgorithm(ballots) : algorithm
    if algo == .dense && total >= (1 << 53) { algo = .sparse }
    var c: [Int64]
    var named: [Int64]
    if algo == .dense {
      (c, named) = _DensePairwise.countAtLeastAsHigh(ballots, projectCount: n)
    } else {
      (c, named) = _SparsePairwise.countAtLeastAsHigh(ballots, projectCount: n)
    }
    Self.finish(&c, named: named, n: n)
    self.count = n
    self.support = c
    self.namedWeight = named
    self.totalWeight = total
    self.weightScale = profile.weightScale
    self.algorithmUsed = algo
  }

  /// A matrix from parts already computed (``Reweighting``).
  init(count: Int, support: [Int64], namedWeight: [Int64], totalWeight: Int64, weightScale: Int, algorithmUsed: Algorithm) {
    self.count = count
    self.support = support
    self.namedWeight = namedWeight
    self.totalWeight = totalWeight
    self.weightScale = weightScale
    self.algorithmUsed = algorithmUsed
  }

  /// `S[a][b] = T[a] - C[a][b]` in place (diagonal 0).
  static func finish(_ c: inout [Int64], named: [Int64], n: Int) {
    c.withUnsafeMutableBufferPointer { s in
      for a in 0..<n {
        let t = named[a]
        for b in 0..<n { s[a * n + b] = a == b ? 0 : t &- s[a * n + b] }
      }
    }
  }

  public static func == (x: PairwiseMatrix, y: PairwiseMatrix) -> Bool {
    x.count == y.count && x.support == y.support && x.namedWeight == y.namedWeight && x.totalWeight == y.totalWeight
      && x.weightScale == y.weightScale
  }

  public func hash(into h: inout Hasher) {
    h.combine(count)
    h.combine(support)
    h.combine(namedWeight)
    h.combine(totalWeight)
    h.combine(weightScale)
  }

  /// `S[a][b]`: the weight putting `a` strictly above `b`.
  @inlinable public subscript(a: Int, b: Int) -> Int64 { support[a * count + b] }

  /// `M[a][b] = S[a][b] - S[b][a]`.
  @inlinable public func margin(_ a: Int, _ b: Int) -> Int64 { support[a * count + b] - support[b * count + a] }

  /// The margin matrix `M = S - Sᵀ`, row-major.
  public var margins: [Int64] {
    var m = [Int64](repeating: 0, count: count * count)
    for a in 0..<count { for b in 0..<count { m[a * count + b] = margin(a, b) } }
    return m
  }

  /// Whether `a` beats `b` head to head (positive margin).
  @inlinable public func beats(_ a: Int, _ b: Int) -> Bool { margin(a, b) > 0 }

  /// The algorithm ``Algorithm/automatic`` picks for a profile.
  ///
  /// The cost model compares the sparse path's pair increments, Σ over unique ballots of
  /// `len·(len-1)/2 + len`, with the dense path's `rows · n² · 2` flops divided by
  /// ``denseFlopsPerIncrement`` and its `rows · n` fills. With netlib BLAS (Debian's libblas3) the
  /// measured ratio means the sparse path is always picked; with OpenBLAS, approval (and few-class
  /// points) ballots naming more than about 37% of the projects go dense. See
  /// ``denseFlopsPerIncrement``.
  public static func preferredAlgorithm(for profile: Profile) -> Algorithm {
    preferredAlgorithm(_GroupedBallots(profile))
  }

  static func preferredAlgorithm(_ ballots: _GroupedBallots) -> Algorithm {
    let n = Double(ballots.projectCount)
    var pairs = 0.0
    var rows = 0.0
    for b in 0..<ballots.ballotCount {
      let len = Double(ballots.offsets[b + 1] - ballots.offsets[b])
      pairs += len * (len - 1) / 2 + len
      rows += Double(ballots.classCount(b))
    }
    let dense = rows * (2 * n * n / denseFlopsPerIncrement() + n)
    return dense < pairs ? .dense : .sparse
  }

  /// How many BLAS `dgemm` flops cost as much time as one sparse pair increment.
  ///
  /// Measured on the development machine (AMD EPYC Zen 1, Debian netlib BLAS, release build,
  /// `RankingPerformanceTests` "crossover", 20,000 random approval ballots over 120 projects at
  /// densities 5-90%): a sparse increment costs 1.1-2.4 ns, a netlib `dgemm` flop 0.70-1.07 ns, so
  /// about 2.5 flops per increment. Dense costs `2n²/2.5 ≈ 0.8 n²` per ballot against the sparse
  /// path's `len²/2`, so with netlib the dense path never wins, not even at 100% density (at 90%:
  /// sparse 0.27 s, dense 0.52 s); on ordinal ballots (one dense row per position) it loses by far
  /// more (Krakow 2024 replicated to 1 M ballots: sparse 0.02 s, dense 85 s). OpenBLAS runs `dgemm`
  /// at about 16 GFLOP/s on this CPU (research notes, swift-blas.md §3; not installed here), i.e.
  /// about 30 flops per increment, which makes approval ballots naming more than ~37% of the
  /// projects go dense.
  public static func denseFlopsPerIncrement() -> Double { _DensePairwise.isOpenBLAS ? 30 : 2.5 }
}
