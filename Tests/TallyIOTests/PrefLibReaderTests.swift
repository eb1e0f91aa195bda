import Testing
import TallyCore
import TallyIO

@Suite struct PrefLibReaderTests {
  @Test("PrefLib extensions are recognised", arguments: ["a.soc", "b.SOI", "dir/c.toc", "d.toi"])
  func format(path: String) throws {
    #expect(try InputLoader.format(of: path) == .preflib)
  }
}
