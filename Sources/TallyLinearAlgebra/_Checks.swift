/// Argument checks shared by the BLAS and LAPACK wrappers.
enum _Check {
  /// `x` as a LAPACK/CBLAS integer (`int32_t`), or `.dimensionTooLarge`.
  @inline(__always)
  static func int32(_ x: Int, _ routine: String) throws(LinearAlgebraError) -> Int32 {
    guard x >= 0, x <= Int(Int32.max) else { throw .dimensionTooLarge(routine: routine, value: x) }
    return Int32(x)
  }

  /// A leading dimension: at least 1, as LAPACK requires even for empty matrices.
  @inline(__always)
  static func lead(_ x: Int, _ routine: String) throws(LinearAlgebraError) -> Int32 {
    try int32(Swift.max(1, x), routine)
  }

  /// Throws unless every element is finite.
  static func finite(_ m: Matrix, _ routine: String) throws(LinearAlgebraError) {
    for v in m.storage where !v.isFinite { throw .nonFiniteInput(routine: routine) }
  }

  /// Throws unless the matrix is square.
  static func square(_ m: Matrix, _ routine: String) throws(LinearAlgebraError) {
    guard m.rows == m.columns else {
      throw .dimensionMismatch("\(routine) needs a square matrix, got \(m.rows)×\(m.columns)")
    }
  }

  /// Maps a negative `info` (illegal argument) to its error; positive values are left to the caller.
  static func negative(_ info: Int32, _ routine: String) throws(LinearAlgebraError) {
    if info < 0 { throw .illegalArgument(routine: routine, position: Int(-info)) }
  }

  /// A workspace size returned by a LAPACK query (as a double), checked to fit `Int32`.
  static func workspace(_ w: Double, minimum: Int, _ routine: String) throws(LinearAlgebraError) -> Int32 {
    let v = Swift.max(minimum, Int(w.rounded(.up)))
    return try int32(v, routine)
  }
}
