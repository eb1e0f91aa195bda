/// A dense column-major matrix of `Double`: element (i, j) is at `storage[i + j * rows]`, the layout
/// BLAS and LAPACK expect.
public struct Matrix: Sendable, Hashable {
  /// Number of rows.
  public let rows: Int
  /// Number of columns.
  public let columns: Int
  /// Column-major elements.
  public var storage: [Double]

  /// A matrix of zeros.
  public init(rows: Int, columns: Int) {
    precondition(rows >= 0 && columns >= 0)
    self.rows = rows
    self.columns = columns
    storage = Array(repeating: 0, count: rows * columns)
  }

  /// A matrix over existing column-major storage (`storage.count == rows * columns`).
  public init(rows: Int, columns: Int, columnMajor storage: [Double]) {
    precondition(rows >= 0 && columns >= 0 && storage.count == rows * columns, "storage does not match the shape")
    self.rows = rows
    self.columns = columns
    self.storage = storage
  }

  /// A matrix from row-major nested arrays (for tests and small inputs).
  public init(_ rowsOfValues: [[Double]]) {
    rows = rowsOfValues.count
    columns = rowsOfValues.first?.count ?? 0
    storage = Array(repeating: 0, count: rows * columns)
    for i in 0..<rows {
      precondition(rowsOfValues[i].count == columns, "ragged rows")
      for j in 0..<columns { storage[i + j * rows] = rowsOfValues[i][j] }
    }
  }

  /// A column vector.
  public init(column: [Double]) { self.init(rows: column.count, columns: 1, columnMajor: column) }

  /// The n × n identity.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m[i, i] = 1 }
    return m
  }

  /// Element (i, j).
  @inlinable public subscript(i: Int, j: Int) -> Double {
    get { storage[i + j * rows] }
    set { storage[i + j * rows] = newValue }
  }

  /// Column `j` as an array.
  public func column(_ j: Int) -> [Double] { Array(storage[(j * rows)..<((j + 1) * rows)]) }

  /// The diagonal (min(rows, columns) entries).
  public var diagonal: [Double] { (0..<Swift.min(rows, columns)).map { self[$0, $0] } }

  /// The transpose.
  public var transposed: Matrix {
    var t = Matrix(rows: columns, columns: rows)
    for j in 0..<columns { for i in 0..<rows { t[j, i] = self[i, j] } }
    return t
  }

  /// Whether the matrix is square and equal to its transpose within `tolerance`.
  public func isSymmetric(tolerance: Double = 0) -> Bool {
    guard rows == columns else { return false }
    for j in 0..<columns { for i in 0..<j where abs(self[i, j] - self[j, i]) > tolerance { return false } }
    return true
  }

  /// Copies the upper triangle onto the lower one (after `syrk`, `dpotri`, which fill one triangle).
  public mutating func symmetrizeFromUpper() {
    precondition(rows == columns)
    for j in 0..<columns { for i in (j + 1)..<Swift.max(j + 1, rows) { self[i, j] = self[j, i] } }
  }
}
