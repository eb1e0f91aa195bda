#if canImport(Glibc)
  import Glibc
#endif
import Testing
import TallyCore
import TallyTestSupport
@testable import tally

@Suite struct PrefLibCLITests {
  @Test("validate reads a PrefLib file through the format hook") func validate() throws {
    let path = "/tmp/tally-preflib-cli-ok-\(getpid()).soi"
    let f = fopen(path, "w")!
    fputs("# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 10\n# NUMBER VOTERS: 844\n# NUMBER UNIQUE ORDERS: 3\n", f)
    fputs("800: 1,2,3\n40: 10\n4: 3,1\n", f)
    fclose(f)
    defer { unlink(path) }
    let s = try validateInput(path, format: .preflib, options: .init())
    guard case .object(let o) = s.json else { Issue.record("not an object"); return }
    #expect(o["format"] == "preflib")
    #expect(o["dataType"] == "soi")
    #expect(o["projects"] == .int(10))
    #expect(o["ballots"] == ["read": 844, "valid": 844, "void": 0])
  }

  @Test("a malformed PrefLib file is a data error with its place") func malformed() throws {
    let path = "/tmp/tally-preflib-cli-\(getpid()).soi"
    let f = fopen(path, "w")!
    fputs("# NUMBER ALTERNATIVES: 2\n1: 1,3\n", f)
    fclose(f)
    defer { unlink(path) }
    do {
      _ = try validateInput(path, format: .preflib, options: .init())
      Issue.record("accepted")
    } catch let e as CLIError {
      #expect(e.exitCode == CLIError.dataError)
      #expect(e.message.hasPrefix(path + ":2:6: error:"))
    }
  }

  @Test("scores print as integers when whole") func wholeScores() {
    #expect(formatScore(12) == "12")
    #expect(formatScore(-3) == "-3")
  }
}
