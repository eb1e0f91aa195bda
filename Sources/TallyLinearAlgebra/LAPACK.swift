import CLAPACK

/// The BLAS and LAPACK routines Tally uses, as checked Swift functions over ``Matrix``.
///
/// Every function copies its inputs (LAPACK overwrites them), checks shapes and converts every
/// dimension to LAPACK's `Int32` before calling, and maps LAPACK's `info` to ``LinearAlgebraError``.
/// The functions are reentrant: they can be called from several threads at once.
public enum LinearAlgebra {
  /// Eigenvalues (ascending) and, when asked, orthonormal eigenvectors (as columns, in the same order)
  /// of a symmetric matrix, with LAPACK `dsyevd` (divide and conquer). Only the upper triangle is read.
  ///
  /// - Throws: `.noConvergence(routine: "dsyevd")`, `.nonFiniteInput`, `.dimensionMismatch` if not square.
  /// - Complexity: O(n³).
  public static func symmetricEigen(_ a: Matrix, vectors: Bool = true) throws(LinearAlgebraError)
    -> (values: [Double], vectors: Matrix?)
  {
    let r = "dsyevd"
    try _Check.square(a, r)
    try _Check.finite(a, r)
    let n = a.rows
    if n == 0 { return ([], vectors ? Matrix(rows: 0, columns: 0) : nil) }
    var n32 = try _Check.int32(n, r)
    var m = a.storage
    var w = [Double](repeating: 0, count: n)
    var info: Int32 = 0
    let jobz = vectors ? "V" : "N"
    // Workspace query.
    var wq = 0.0
    var iwq: Int32 = 0
    var lwork: Int32 = -1
    var liwork: Int32 = -1
    dsyevd_(jobz, "U", &n32, &m, &n32, &w, &wq, &lwork, &iwq, &liwork, &info, 1, 1)
    try _Check.negative(info, r)
    lwork = try _Check.workspace(wq, minimum: vectors ? 1 + 6 * n + 2 * n * n : 2 * n + 1, r)
    liwork = try _Check.workspace(Double(iwq), minimum: vectors ? 3 + 5 * n : 1, r)
    var work = [Double](repeating: 0, count: Int(lwork))
    var iwork = [Int32](repeating: 0, count: Int(liwork))
    dsyevd_(jobz, "U", &n32, &m, &n32, &w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
    try _Check.negative(info, r)
    if info > 0 { throw .noConvergence(routine: r) }
    return (w, vectors ? Matrix(rows: n, columns: n, columnMajor: m) : nil)
  }

  /// Solves `A·X = B` for a general square `A` with LAPACK `dgesv` (LU with partial pivoting).
  ///
  /// - Throws: `.singular(pivot:)` when `A` is exactly singular, `.dimensionMismatch`, `.nonFiniteInput`.
  /// - Complexity: O(n³ + n²·nrhs).
  public static func solve(_ a: Matrix, _ b: Matrix) throws(LinearAlgebraError) -> Matrix {
    let r = "dgesv"
    try _Check.square(a, r)
    guard b.rows == a.rows else { throw .dimensionMismatch("dgesv: A is \(a.rows)×\(a.columns) but B has \(b.rows) rows") }
    try _Check.finite(a, r)
    try _Check.finite(b, r)
    let n = a.rows
    if n == 0 || b.columns == 0 { return b }
    let n32 = try _Check.int32(n, r)
    let nrhs = try _Check.int32(b.columns, r)
    var m = a.storage
    var x = b.storage
    var ipiv = [Int32](repeating: 0, count: n)
    var info: Int32 = 0
    var nn = n32
    var nr = nrhs
    dgesv_(&nn, &nr, &m, &nn, &ipiv, &x, &nn, &info)
    try _Check.negative(info, r)
    if info > 0 { throw .singular(pivot: Int(info) - 1) }
    return Matrix(rows: n, columns: b.columns, columnMajor: x)
  }

  /// Solves `A·x = b` for one right-hand side (``solve(_:_:)-(Matrix,Matrix)``).
  public static func solve(_ a: Matrix, _ b: [Double]) throws(LinearAlgebraError) -> [Double] {
    try solve(a, Matrix(column: b)).storage
  }

  /// Solves `A·X = B` for a symmetric positive definite `A` with LAPACK `dposv` (Cholesky); only the
  /// upper triangle of `A` is read.
  ///
  /// - Throws: `.notPositiveDefinite(minor:)`, `.dimensionMismatch`, `.nonFiniteInput`.
  /// - Complexity: O(n³/3 + n²·nrhs).
  public static func solveSPD(_ a: Matrix, _ b: Matrix) throws(LinearAlgebraError) -> Matrix {
    let r = "dposv"
    try _Check.square(a, r)
    guard b.rows == a.rows else { throw .dimensionMismatch("dposv: A is \(a.rows)×\(a.columns) but B has \(b.rows) rows") }
    try _Check.finite(a, r)
    try _Check.finite(b, r)
    let n = a.rows
    if n == 0 || b.columns == 0 { return b }
    var nn = try _Check.int32(n, r)
    var nr = try _Check.int32(b.columns, r)
    var m = a.storage
    var x = b.storage
    var info: Int32 = 0
    dposv_("U", &nn, &nr, &m, &nn, &x, &nn, &info, 1)
    try _Check.negative(info, r)
    if info > 0 { throw .notPositiveDefinite(minor: Int(info)) }
    return Matrix(rows: n, columns: b.columns, columnMajor: x)
  }

  /// The upper Cholesky factor `U` of a symmetric positive definite `A = UᵀU` (LAPACK `dpotrf`; only
  /// the upper triangle of `A` is read; the strict lower triangle of the result is 0), for solving
  /// many systems with one matrix (``solveCholesky(upper:_:)``).
  ///
  /// - Throws: `.notPositiveDefinite(minor:)`, `.dimensionMismatch`, `.nonFiniteInput`.
  /// - Complexity: O(n³/3).
  public static func choleskyUpper(_ a: Matrix) throws(LinearAlgebraError) -> Matrix {
    let r = "dpotrf"
    try _Check.square(a, r)
    try _Check.finite(a, r)
    let n = a.rows
    if n == 0 { return a }
    var nn = try _Check.int32(n, r)
    var m = a.storage
    var info: Int32 = 0
    dpotrf_("U", &nn, &m, &nn, &info, 1)
    try _Check.negative(info, r)
    if info > 0 { throw .notPositiveDefinite(minor: Int(info)) }
    for j in 0..<n { for i in (j + 1)..<max(n, j + 1) { m[i + j * n] = 0 } }
    return Matrix(rows: n, columns: n, columnMajor: m)
  }

  /// Solves `UᵀU x = b` for an upper Cholesky factor `U` (``choleskyUpper(_:)``) by forward and back
  /// substitution.
  ///
  /// - Complexity: O(n²).
  public static func solveCholesky(upper u: Matrix, _ b: [Double]) -> [Double] {
    let n = u.rows
    precondition(u.columns == n && b.count == n)
    var x = b
    u.storage.withUnsafeBufferPointer { s in
      // Uᵀ y = b: y_i = (b_i − Σ_{k<i} U[k,i] y_k) / U[i,i]; column i of U is contiguous.
      for i in 0..<n {
        var t = x[i]
        for k in 0..<i { t -= s[k + i * n] * x[k] }
        x[i] = t / s[i + i * n]
      }
      // U x = y: x_i = (y_i − Σ_{k>i} U[i,k] x_k) / U[i,i].
      for i in stride(from: n - 1, through: 0, by: -1) {
        var t = x[i]
        for k in (i + 1)..<max(n, i + 1) { t -= s[i + k * n] * x[k] }
        x[i] = t / s[i + i * n]
      }
    }
    return x
  }

  /// Solves `A·x = b` for one right-hand side (``solveSPD(_:_:)-(Matrix,Matrix)``).
  public static func solveSPD(_ a: Matrix, _ b: [Double]) throws(LinearAlgebraError) -> [Double] {
    try solveSPD(a, Matrix(column: b)).storage
  }

  /// The inverse of a symmetric positive definite matrix (e.g. a Fisher information, giving a
  /// covariance), with LAPACK `dpotrf` then `dpotri`; only the upper triangle of `A` is read, and the
  /// result is symmetric.
  ///
  /// - Throws: `.notPositiveDefinite(minor:)` (from the factorisation), `.singular(pivot:)` (a zero
  ///   diagonal in the factor, from `dpotri`), `.dimensionMismatch`, `.nonFiniteInput`.
  /// - Complexity: O(n³).
  public static func inverseSPD(_ a: Matrix) throws(LinearAlgebraError) -> Matrix {
    try _Check.square(a, "dpotrf")
    try _Check.finite(a, "dpotrf")
    let n = a.rows
    if n == 0 { return a }
    var nn = try _Check.int32(n, "dpotrf")
    var m = a.storage
    var info: Int32 = 0
    dpotrf_("U", &nn, &m, &nn, &info, 1)
    try _Check.negative(info, "dpotrf")
    if info > 0 { throw .notPositiveDefinite(minor: Int(info)) }
    dpotri_("U", &nn, &m, &nn, &info, 1)
    try _Check.negative(info, "dpotri")
    if info > 0 { throw .singular(pivot: Int(info) - 1) }
    var out = Matrix(rows: n, columns: n, columnMajor: m)
    out.symmetrizeFromUpper()
    return out
  }

  /// The inverse of a general square matrix, with LAPACK `dgetrf` then `dgetri`.
  ///
  /// - Throws: `.singular(pivot:)`, `.dimensionMismatch`, `.nonFiniteInput`.
  /// - Complexity: O(n³).
  public static func inverse(_ a: Matrix) throws(LinearAlgebraError) -> Matrix {
    try _Check.square(a, "dgetrf")
    try _Check.finite(a, "dgetrf")
    let n = a.rows
    if n == 0 { return a }
    var nn = try _Check.int32(n, "dgetrf")
    var m = a.storage
    var ipiv = [Int32](repeating: 0, count: n)
    var info: Int32 = 0
    dgetrf_(&nn, &nn, &m, &nn, &ipiv, &info)
    try _Check.negative(info, "dgetrf")
    if info > 0 { throw .singular(pivot: Int(info) - 1) }
    var wq = 0.0
    var lwork: Int32 = -1
    dgetri_(&nn, &m, &nn, &ipiv, &wq, &lwork, &info)
    try _Check.negative(info, "dgetri")
    lwork = try _Check.workspace(wq, minimum: n, "dgetri")
    var work = [Double](repeating: 0, count: Int(lwork))
    dgetri_(&nn, &m, &nn, &ipiv, &work, &lwork, &info)
    try _Check.negative(info, "dgetri")
    if info > 0 { throw .singular(pivot: Int(info) - 1) }
    return Matrix(rows: n, columns: n, columnMajor: m)
  }

  /// The least-squares solution of `A·X ≈ B` for a full-column-rank `A` (rows ≥ columns), or the
  /// minimum-norm solution of an underdetermined full-row-rank system, with LAPACK `dgels` (QR/LQ).
  ///
  /// - Returns: X, `A.columns × B.columns`.
  /// - Throws: `.singular(pivot:)` when `A` is rank deficient (a zero diagonal in the triangular
  ///   factor), `.dimensionMismatch`, `.nonFiniteInput`.
  /// - Complexity: O(m·n²).
  public static func leastSquares(_ a: Matrix, _ b: Matrix) throws(LinearAlgebraError) -> Matrix {
    let r = "dgels"
    guard b.rows == a.rows else { throw .dimensionMismatch("dgels: A is \(a.rows)×\(a.columns) but B has \(b.rows) rows") }
    try _Check.finite(a, r)
    try _Check.finite(b, r)
    let (m, n, nrhs) = (a.rows, a.columns, b.columns)
    if n == 0 || nrhs == 0 { return Matrix(rows: n, columns: nrhs) }
    if m == 0 { return Matrix(rows: n, columns: nrhs) }
    var m32 = try _Check.int32(m, r)
    var n32 = try _Check.int32(n, r)
    var nr = try _Check.int32(nrhs, r)
    var lda = try _Check.lead(m, r)
    let ldbInt = Swift.max(1, m, n)
    var ldb = try _Check.int32(ldbInt, r)
    var am = a.storage
    var x = [Double](repeating: 0, count: ldbInt * nrhs)
    for j in 0..<nrhs { for i in 0..<m { x[i + j * ldbInt] = b[i, j] } }
    var info: Int32 = 0
    var wq = 0.0
    var lwork: Int32 = -1
    dgels_("N", &m32, &n32, &nr, &am, &lda, &x, &ldb, &wq, &lwork, &info, 1)
    try _Check.negative(info, r)
    lwork = try _Check.workspace(wq, minimum: Swift.max(1, Swift.min(m, n) + Swift.max(m, n, nrhs)), r)
    var work = [Double](repeating: 0, count: Int(lwork))
    dgels_("N", &m32, &n32, &nr, &am, &lda, &x, &ldb, &work, &lwork, &info, 1)
    try _Check.negative(info, r)
    if info > 0 { throw .singular(pivot: Int(info) - 1) }
    var out = Matrix(rows: n, columns: nrhs)
    for j in 0..<nrhs { for i in 0..<n { out[i, j] = x[i + j * ldbInt] } }
    return out
  }

  /// The minimum-norm least-squares solution of `A·X ≈ B` for any `A` (rank deficient allowed),
  /// with LAPACK `dgelsd` (SVD, divide and conquer). Singular values `s[i] <= rcond · s[0]` count as
  /// zero (`rcond < 0`: machine precision).
  ///
  /// - Returns: the solution (`A.columns × B.columns`), the effective rank, the singular values (descending).
  /// - Throws: `.noConvergence(routine: "dgelsd")`, `.dimensionMismatch`, `.nonFiniteInput`.
  /// - Complexity: O(m·n·min(m, n)).
  public static func minimumNormLeastSquares(_ a: Matrix, _ b: Matrix, rcond: Double = -1)
    throws(LinearAlgebraError) -> (solution: Matrix, rank: Int, singularValues: [Double])
  {
    let r = "dgelsd"
    guard b.rows == a.rows else { throw .dimensionMismatch("dgelsd: A is \(a.rows)×\(a.columns) but B has \(b.rows) rows") }
    try _Check.finite(a, r)
    try _Check.finite(b, r)
    let (m, n, nrhs) = (a.rows, a.columns, b.columns)
    if m == 0 || n == 0 || nrhs == 0 { return (Matrix(rows: n, columns: nrhs), 0, []) }
    var m32 = try _Check.int32(m, r)
    var n32 = try _Check.int32(n, r)
    var nr = try _Check.int32(nrhs, r)
    var lda = try _Check.lead(m, r)
    let ldbInt = Swift.max(1, m, n)
    var ldb = try _Check.int32(ldbInt, r)
    var am = a.storage
    var x = [Double](repeating: 0, count: ldbInt * nrhs)
    for j in 0..<nrhs { for i in 0..<m { x[i + j * ldbInt] = b[i, j] } }
    var s = [Double](repeating: 0, count: Swift.min(m, n))
    var rc = rcond
    var rank: Int32 = 0
    var info: Int32 = 0
    var wq = 0.0
    var iwq: Int32 = 0
    var lwork: Int32 = -1
    dgelsd_(&m32, &n32, &nr, &am, &lda, &x, &ldb, &s, &rc, &rank, &wq, &lwork, &iwq, &info)
    try _Check.negative(info, r)
    lwork = try _Check.workspace(wq, minimum: 1, r)
    var work = [Double](repeating: 0, count: Int(lwork))
    var iwork = [Int32](repeating: 0, count: Swift.max(1, Int(iwq)))
    dgelsd_(&m32, &n32, &nr, &am, &lda, &x, &ldb, &s, &rc, &rank, &work, &lwork, &iwork, &info)
    try _Check.negative(info, r)
    if info > 0 { throw .noConvergence(routine: r) }
    var out = Matrix(rows: n, columns: nrhs)
    for j in 0..<nrhs { for i in 0..<n { out[i, j] = x[i + j * ldbInt] } }
    return (out, Int(rank), s)
  }
}
