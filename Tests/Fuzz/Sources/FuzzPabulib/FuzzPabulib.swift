import FuzzSupport
import TallyCore
@_spi(Testing) import TallyIO
import TallyRules

/// One fuzz input: read it as a Pabulib file under both ballot policies; when it parses, write it
/// back, read that again (it must parse and give the same profile), and run greedy on it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPabulib(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  _ = try? PabulibReader(options: ReadOptions(invalidBallots: .reject)).read(bytes: bytes, source: "fuzz.pb")
  // The VOTES section read in two parts (where ordinary rows take the fast path) and in one pass:
  // the same file, or the same error, with the duplicate-voter check on and off.
  for check in [true, false] {
    var parts = PabulibReader(options: ReadOptions(checkDuplicateVoters: check))
    parts.partsThreshold = 0
    // (Where the first part ends, fixed from the input: the threads' timing would decide it, and the
    // first thread would read a small input alone.)
    parts.partsCut = Double(size % 11) / 10
    var one = parts
    one.partsThreshold = nil
    let a = Result { () throws(InputError) -> PabulibFile in try parts.read(bytes: bytes, source: "fuzz.pb") }
    let b = Result { () throws(InputError) -> PabulibFile in try one.read(bytes: bytes, source: "fuzz.pb") }
    checkSameRead(a, b) { (x: PabulibFile, y: PabulibFile) -> Bool in
      x.profile == y.profile && x.report == y.report && x.sha256 == y.sha256
    }
    // Only the scores (what `allocate` reads for greedy and max-welfare), in parts and in one pass:
    // the same report, digest and error, and the profile's scores.
    for reader in [parts, one] {
      let s = Result { () throws(InputError) -> PabulibScores in try reader.readScores(bytes: bytes, source: "fuzz.pb") }
      checkSameRead(s, b) { (x: PabulibScores, y: PabulibFile) -> Bool in
        x.scores == y.profile.scores(maxLength: y.instance.maxLength) && x.report == y.report && x.sha256 == y.sha256
          && x.instance == y.instance
      }
    }
  }
  guard let f = try? PabulibReader().read(bytes: bytes, source: "fuzz.pb") else { return 0 }
  let text = PabulibWriter.write(instance: f.instance, profile: f.profile)
  guard let g = try? PabulibReader().read(string: text, source: "fuzz-rt.pb") else {
    fatalError("written file does not read back:\n\(text)")
  }
  if g.profile.items != f.profile.items || g.profile.multiplicities != f.profile.multiplicities {
    fatalError("round trip changed the profile")
  }
  if let p = try? AllocationProblem(instance: f.instance, profile: f.profile),
    let o = try? GreedyAllocation(options: RuleOptions()).allocate(p)
  {
    if o.spent > f.instance.budget { fatalError("greedy overspent") }
  }
  return 0
}

// SwiftPM links an executable's entry point as `<Target>_main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzPabulib_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var c = argc
  var v = argv
  return LLVMFuzzerRunDriver(&c, &v, fuzzPabulib)
}
