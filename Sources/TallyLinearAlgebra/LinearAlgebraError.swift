/// Why a linear-algebra routine could not produce a result.
///
/// Every LAPACK `info` code is mapped to one of these cases; BLAS and LAPACK never abort the process
/// because every argument is checked before the call (an `.illegalArgument` therefore signals a bug in
/// Tally, not in the caller's data).
public enum LinearAlgebraError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The matrix is exactly singular: LAPACK found a zero pivot (`dgetrf`/`dgesv`), or a zero diagonal
  /// element in the triangular factor (`dgels`). `pivot` is the 0-based index.
  case singular(pivot: Int)
  /// The symmetric matrix is not positive definite: the leading minor of order `minor` (1-based, as
  /// LAPACK reports it) is not positive (`dpotrf`/`dposv`/`dpotri`).
  case notPositiveDefinite(minor: Int)
  /// An iterative routine did not converge (`dsyevd`, `dgelsd`).
  case noConvergence(routine: String)
  /// LAPACK rejected argument number `position` (1-based) of `routine`: a bug in this module.
  case illegalArgument(routine: String, position: Int)
  /// Operand shapes do not agree; the message gives both.
  case dimensionMismatch(String)
  /// A dimension (or leading dimension, or workspace size) does not fit LAPACK's 32-bit integers.
  case dimensionTooLarge(routine: String, value: Int)
  /// An input holds NaN or an infinity; LAPACK's behaviour would be undefined.
  case nonFiniteInput(routine: String)

  public var description: String {
    switch self {
    case .singular(let pivot): "the matrix is singular (zero pivot at index \(pivot))"
    case .notPositiveDefinite(let minor):
      "the matrix is not positive definite (leading minor of order \(minor) is not positive)"
    case .noConvergence(let routine): "\(routine) did not converge"
    case .illegalArgument(let routine, let position): "\(routine): illegal value in argument \(position)"
    case .dimensionMismatch(let message): "dimension mismatch: \(message)"
    case .dimensionTooLarge(let routine, let value): "\(routine): dimension \(value) exceeds the 32-bit LAPACK interface"
    case .nonFiniteInput(let routine): "\(routine): the input holds NaN or an infinity"
    }
  }
}
