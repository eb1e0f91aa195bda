import CLAPACK
import TallyCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The dense pairwise count through BLAS: `C = Σ_rows Eᵀ H` by `cblas_dgemm`, in blocks of rows.
///
/// For each unique ballot and each of its classes `j` there is one row: `E` holds the ballot's weight
/// on the projects of class `j`, `H` holds 1 on the projects of classes `0...j`. Then
/// `(Σ Eᵀ H)[a][b]` is the weight of ballots naming `a` and naming `b` at least as high as `a`:
/// exactly the sparse path's `C`. All values are integer-valued doubles; every partial sum is at most
/// the total weight, so the result is exact below 2^53 (the caller guarantees it).
///
/// This talks to CBLAS directly (the `CLAPACK` system module); it is the only BLAS call in TallyRules.
enum _DensePairwise {
  /// Rows per `dgemm` call (two `n × rows` buffers of doubles).
  static let blockRows = 2048

  /// Whether the BLAS loaded at run time is OpenBLAS (it exports `openblas_get_config`).
  static let isOpenBLAS: Bool = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "openblas_get_config") != nil

  static func countAtLeastAsHigh(_ g: _GroupedBallots, projectCount n: Int) -> ([Int64], [Int64]) {
    let t = g.namedWeight()
    guard n > 0 else { return ([], t) }
    let rowsPerBlock = blockRows
    var acc = [Double](repeating: 0, count: n * n)  // column-major n × n
    var e = [Double](repeating: 0, count: n * rowsPerBlock)  // column r = row r of E
    var h = [Double](repeating: 0, count: n * rowsPerBlock)
    var filled = 0

    func flush() {
      guard filled > 0 else { return }
      let nn = Int32(n)
      let k = Int32(filled)
      e.withUnsafeBufferPointer { eb in
        h.withUnsafeBufferPointer { hb in
          acc.withUnsafeMutableBufferPointer { cb in
            // acc (n×n) += E (n×k) · H(n×k)ᵀ
            cblas_dgemm(
              CblasColMajor, CblasNoTrans, CblasTrans, nn, nn, k, 1.0, eb.baseAddress, nn, hb.baseAddress, nn,
              1.0, cb.baseAddress, nn)
          }
        }
      }
      // Clear only what was written: the first `filled` columns.
      e.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: 0, count: filled * n) }
      h.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: 0, count: filled * n) }
      filled = 0
    }

    for b in 0..<g.ballotCount {
      let lo = g.offsets[b]
      let hi = g.offsets[b + 1]
      if lo == hi { continue }
      let w = Double(g.weights[b])
      var k = lo
      var previousColumn = -1
      while k < hi {
        // One class: items k..<end.
        var end = k + 1
        switch g.shape {
        case .oneClass: end = hi
        case .strict: end = k + 1
        case .grouped: while end < hi && g.groups[end] == g.groups[k] { end += 1 }
        }
        if filled == rowsPerBlock {
          // Carry the cumulative H row of this ballot into the new block.
          var carry = [Double](repeating: 0, count: n)
          if previousColumn >= 0 { for a in 0..<n { carry[a] = h[previousColumn * n + a] } }
          flush()
          if previousColumn >= 0 {
            for a in 0..<n { h[a] = carry[a] }
            previousColumn = -2  // the carry sits in column 0 of the new block, copied below
          }
        }
        let col = filled
        let base = col * n
        if previousColumn >= 0 {
          for a in 0..<n { h[base + a] = h[previousColumn * n + a] }
        } else if previousColumn == -2 {
          // already in place (column 0)
        }
        for q in k..<end {
          let a = Int(g.items[q])
          e[base + a] = w
          h[base + a] = 1
        }
        previousColumn = col
        filled += 1
        k = end
      }
    }
    flush()
    // Column-major acc(a, b) at a + b*n  →  row-major C[a][b].
    var c = [Int64](repeating: 0, count: n * n)
    for a in 0..<n { for b in 0..<n { c[a * n + b] = Int64(acc[a + b * n]) } }
    return (c, t)
  }
}
