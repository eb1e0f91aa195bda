import Testing
import TallyLinearAlgebra

@Suite struct MatrixTests {
  @Test("Nested rows become column-major storage") func layout() {
    let m = Matrix([[1, 2, 3], [4, 5, 6]])
    #expect(m.rows == 2 && m.columns == 3)
    #expect(m.storage == [1, 4, 2, 5, 3, 6])
    #expect(m[1, 2] == 6)
  }
}
