import Testing
@testable import TallyLinearAlgebra

/// Hand-computed results for every wrapper, and every error path that data (not a bug) can reach.
@Suite struct LinearAlgebraTests {
  static func close(_ a: [Double], _ b: [Double], _ tol: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
  }
  static func close(_ a: Matrix, _ b: [[Double]], _ tol: Double = 1e-12) -> Bool {
    let m = Matrix(b)
    return a.rows == m.rows && a.columns == m.columns && close(a.storage, m.storage, tol)
  }

  static let a = Matrix([[1, 2], [3, 4]])
  static let b = Matrix([[5, 6], [7, 8]])

  @Test("gemm: AB, AᵀB, ABᵀ and alpha, by hand") func gemm() throws {
    #expect(Self.close(try LinearAlgebra.gemm(Self.a, Self.b), [[19, 22], [43, 50]]))
    #expect(Self.close(try LinearAlgebra.gemm(Self.a, Self.b, transposeA: true), [[26, 30], [38, 44]]))
    #expect(Self.close(try LinearAlgebra.gemm(Self.a, Self.b, transposeB: true), [[17, 23], [39, 53]]))
    #expect(Self.close(try LinearAlgebra.gemm(Self.a, Self.b, alpha: 2), [[38, 44], [86, 100]]))
    var c = Matrix([[1, 1], [1, 1]])
    try LinearAlgebra.gemm(Self.a, Self.b, into: &c, beta: 1)
    #expect(Self.close(c, [[20, 23], [44, 51]]))
  }

  @Test("gemm rejects mismatched inner dimensions") func gemmMismatch() {
    #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.gemm(Matrix(rows: 2, columns: 3), Self.b) }
    var c = Matrix(rows: 3, columns: 2)
    #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.gemm(Self.a, Self.b, into: &c) }
  }

  @Test("syrk: XᵀX and XXᵀ of a 3×2 matrix, both triangles filled") func syrk() throws {
    let x = Matrix([[1, 4], [2, 5], [3, 6]])
    #expect(Self.close(try LinearAlgebra.syrk(x), [[14, 32], [32, 77]]))
    #expect(Self.close(try LinearAlgebra.syrk(x, transpose: false), [[17, 22, 27], [22, 29, 36], [27, 36, 45]]))
  }

  @Test("gemv: Ax and Aᵀx") func gemv() throws {
    #expect(try LinearAlgebra.gemv(Self.a, [1, 1]) == [3, 7])
    #expect(try LinearAlgebra.gemv(Self.a, [1, 1], transpose: true) == [4, 6])
    #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.gemv(Self.a, [1, 1, 1]) }
  }

  @Test("dsyevd: eigenpairs of [[2,1],[1,2]] and of the 3×3 second-difference matrix") func eigen() throws {
    let (v2, e2) = try LinearAlgebra.symmetricEigen(Matrix([[2, 1], [1, 2]]))
    #expect(Self.close(v2, [1, 3]))
    let s = 1 / 2.0.squareRoot()
    #expect(Self.close(e2!.column(0).map(abs), [s, s]) && e2![0, 0] * e2![1, 0] < 0)
    #expect(Self.close(e2!.column(1).map(abs), [s, s]) && e2![0, 1] * e2![1, 1] > 0)
    let t = Matrix([[2, -1, 0], [-1, 2, -1], [0, -1, 2]])
    let (v3, e3) = try LinearAlgebra.symmetricEigen(t)
    #expect(Self.close(v3, [2 - 2.0.squareRoot(), 2, 2 + 2.0.squareRoot()]))
    for k in 0..<3 {  // A v = λ v
      #expect(Self.close(try LinearAlgebra.gemv(t, e3!.column(k)), e3!.column(k).map { $0 * v3[k] }, 1e-12))
    }
    #expect(try LinearAlgebra.symmetricEigen(t, vectors: false).vectors == nil)
    #expect(throws: LinearAlgebraError.dimensionMismatch("dsyevd needs a square matrix, got 2×3")) {
      try LinearAlgebra.symmetricEigen(Matrix(rows: 2, columns: 3))
    }
  }

  @Test("dgesv: [[2,1],[1,3]] x = [3,5] gives (4/5, 7/5); a singular matrix names its pivot") func solve() throws {
    #expect(Self.close(try LinearAlgebra.solve(Matrix([[2, 1], [1, 3]]), [3, 5]), [0.8, 1.4]))
    let two = try LinearAlgebra.solve(Matrix([[2, 1], [1, 3]]), Matrix([[3, 1], [5, 0]]))
    #expect(Self.close(two, [[0.8, 0.6], [1.4, -0.2]]))
    #expect(throws: LinearAlgebraError.singular(pivot: 1)) { try LinearAlgebra.solve(Matrix([[1, 2], [2, 4]]), [1, 1]) }
    #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dgesv")) {
      try LinearAlgebra.solve(Matrix([[1, 0], [0, .nan]]), [1, 1])
    }
    #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.solve(Self.a, [1, 2, 3]) }
    #expect(try LinearAlgebra.solve(Matrix(rows: 0, columns: 0), []) == [])
  }

  @Test("dposv: the same SPD system; an indefinite matrix is reported with its minor") func solveSPD() throws {
    #expect(Self.close(try LinearAlgebra.solveSPD(Matrix([[2, 1], [1, 3]]), [3, 5]), [0.8, 1.4], 1e-15))
    #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 2)) {
      try LinearAlgebra.solveSPD(Matrix([[1, 2], [2, 1]]), [1, 1])
    }
  }

  @Test("dpotri: the inverse of [[2,1],[1,3]] is [[3,-1],[-1,2]]/5, symmetric") func inverseSPD() throws {
    let inv = try LinearAlgebra.inverseSPD(Matrix([[2, 1], [1, 3]]))
    #expect(Self.close(inv, [[0.6, -0.2], [-0.2, 0.4]]))
    #expect(inv.isSymmetric())
    #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 1)) {
      try LinearAlgebra.inverseSPD(Matrix([[0, 0], [0, 1]]))
    }
  }

  @Test("dgetri: the inverse of [[1,2],[3,4]] is [[-2,1],[1.5,-0.5]]") func inverse() throws {
    #expect(Self.close(try LinearAlgebra.inverse(Self.a), [[-2, 1], [1.5, -0.5]]))
    #expect(throws: LinearAlgebraError.singular(pivot: 1)) { try LinearAlgebra.inverse(Matrix([[1, 2], [2, 4]])) }
  }

  @Test("dgels: the line through (0,1),(1,3),(2,5),(3,6) is 1.2 + 1.7x; a zero column is rank deficient")
  func leastSquares() throws {
    let x = Matrix([[1, 0], [1, 1], [1, 2], [1, 3]])
    let fit = try LinearAlgebra.leastSquares(x, Matrix(column: [1, 3, 5, 6]))
    #expect(Self.close(fit.storage, [1.2, 1.7], 1e-12))
    #expect(throws: LinearAlgebraError.singular(pivot: 1)) {
      try LinearAlgebra.leastSquares(Matrix([[1, 0], [2, 0], [3, 0]]), Matrix(column: [1, 2, 3]))
    }
  }

  @Test("dgelsd: a rank-1 system gets the minimum-norm solution (1, 1), rank 1, singular values (2, 0)")
  func minimumNorm() throws {
    let r = try LinearAlgebra.minimumNormLeastSquares(Matrix([[1, 1], [1, 1]]), Matrix(column: [2, 2]))
    #expect(Self.close(r.solution.storage, [1, 1], 1e-12))
    #expect(r.rank == 1)
    #expect(Self.close(r.singularValues, [2, 0], 1e-12))
  }

  @Test("Dimensions past 2^31 - 1 are refused before any call") func int32() throws {
    #expect(throws: LinearAlgebraError.dimensionTooLarge(routine: "dgesv", value: Int(Int32.max) + 1)) {
      try _Check.int32(Int(Int32.max) + 1, "dgesv")
    }
    #expect(try _Check.int32(Int(Int32.max), "dgesv") == Int32.max)
    #expect(try _Check.lead(0, "dgesv") == 1)
  }

  @Test("The loaded BLAS is identified, with the library file that defines cblas_dgemm") func backend() {
    let b = BLASBackend.current
    #expect(b.vendor == "OpenBLAS" || b.vendor == "reference")
    #expect(b.blasLibrary != nil && b.lapackLibrary != nil)
    #expect((b.vendor == "OpenBLAS") == (b.configuration != nil))
    // The tests are linked dynamically (only `make release` links statically).
    #expect(b.linking == "shared" && b.fields["linking"] == "shared")
    print("BLAS backend: \(b) [\(b.fields)]")
  }
}
