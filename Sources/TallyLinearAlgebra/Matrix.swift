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

  /// Element (i, j).
  @inlinable public subscript(i: Int, j: Int) -> Double {
    get { storage[i + j * rows] }
    set { storage[i + j * rows] = newValue }
  }
}
