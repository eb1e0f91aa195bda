import CLAPACK

extension LinearAlgebra {
  /// `alpha · op(A) · op(B)` with BLAS `dgemm`, where `op` transposes when asked.
  ///
  /// - Throws: `.dimensionMismatch` when the inner dimensions differ, `.dimensionTooLarge` past 2^31 - 1.
  /// - Complexity: O(m·n·k) flops.
  public static func gemm(
    _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false, alpha: Double = 1
  ) throws(LinearAlgebraError) -> Matrix {
    let m = transposeA ? a.columns : a.rows
    let n = transposeB ? b.rows : b.columns
    var c = Matrix(rows: m, columns: n)
    try gemm(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: 0)
    return c
  }

  /// `C ← alpha · op(A) · op(B) + beta · C` with BLAS `dgemm` (accumulates into `c`).
  public static func gemm(
    _ a: Matrix, _ b: Matrix, into c: inout Matrix, transposeA: Bool = false, transposeB: Bool = false,
    alpha: Double = 1, beta: Double = 1
  ) throws(LinearAlgebraError) {
    let r = "dgemm"
    let m = transposeA ? a.columns : a.rows
    let k = transposeA ? a.rows : a.columns
    let kb = transposeB ? b.columns : b.rows
    let n = transposeB ? b.rows : b.columns
    guard k == kb else {
      throw .dimensionMismatch("gemm: op(A) is \(m)×\(k) but op(B) is \(kb)×\(n)")
    }
    guard c.rows == m, c.columns == n else {
      throw .dimensionMismatch("gemm: the product is \(m)×\(n) but C is \(c.rows)×\(c.columns)")
    }
    let (m32, n32, k32) = (try _Check.int32(m, r), try _Check.int32(n, r), try _Check.int32(k, r))
    let (lda, ldb, ldc) = (try _Check.lead(a.rows, r), try _Check.lead(b.rows, r), try _Check.lead(m, r))
    if m == 0 || n == 0 { return }
    if k == 0 {
      for i in c.storage.indices { c.storage[i] *= beta }
      return
    }
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        c.storage.withUnsafeMutableBufferPointer { pc in
          cblas_dgemm(
            CblasColMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            m32, n32, k32, alpha, pa.baseAddress, lda, pb.baseAddress, ldb, beta, pc.baseAddress, ldc)
        }
      }
    }
  }

  /// The symmetric product `alpha · Aᵀ·A` (when `transpose`, the Gram matrix of A's columns) or
  /// `alpha · A·Aᵀ`, with BLAS `dsyrk` (half the flops of `gemm`); both triangles are filled.
  /// - Complexity: O(n²·k) flops, n the order of the result.
  public static func syrk(_ a: Matrix, transpose: Bool = true, alpha: Double = 1) throws(LinearAlgebraError) -> Matrix {
    let r = "dsyrk"
    let n = transpose ? a.columns : a.rows
    let k = transpose ? a.rows : a.columns
    var c = Matrix(rows: n, columns: n)
    let (n32, k32) = (try _Check.int32(n, r), try _Check.int32(k, r))
    let (lda, ldc) = (try _Check.lead(a.rows, r), try _Check.lead(n, r))
    if n == 0 || k == 0 { return c }
    a.storage.withUnsafeBufferPointer { pa in
      c.storage.withUnsafeMutableBufferPointer { pc in
        cblas_dsyrk(
          CblasColMajor, CblasUpper, transpose ? CblasTrans : CblasNoTrans, n32, k32, alpha, pa.baseAddress, lda, 0,
          pc.baseAddress, ldc)
      }
    }
    c.symmetrizeFromUpper()
    return c
  }

  /// `alpha · op(A) · x` with BLAS `dgemv`.
  public static func gemv(_ a: Matrix, _ x: [Double], transpose: Bool = false, alpha: Double = 1)
    throws(LinearAlgebraError) -> [Double]
  {
    let r = "dgemv"
    let (outCount, inCount) = transpose ? (a.columns, a.rows) : (a.rows, a.columns)
    guard x.count == inCount else {
      throw .dimensionMismatch("gemv: op(A) is \(outCount)×\(inCount) but x has \(x.count) entries")
    }
    var y = [Double](repeating: 0, count: outCount)
    let (m32, n32, lda) = (try _Check.int32(a.rows, r), try _Check.int32(a.columns, r), try _Check.lead(a.rows, r))
    if outCount == 0 || inCount == 0 { return y }
    a.storage.withUnsafeBufferPointer { pa in
      x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
          cblas_dgemv(
            CblasColMajor, transpose ? CblasTrans : CblasNoTrans, m32, n32, alpha, pa.baseAddress, lda, px.baseAddress,
            1, 0, py.baseAddress, 1)
        }
      }
    }
    return y
  }
}
