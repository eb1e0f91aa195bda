import FuzzSupport
import TallyCore
import TallyIO

/// One fuzz input: a configuration byte, then a projects file and a ballot file separated by a NUL
/// byte. The configuration picks a channel (pick limits, a `*` category limit, weighted groups); the
/// projects file is read through the election reader in memory, the ballots by
/// `BallotFileReader.read(bytes:)` under both policies, and the counts and places are checked
/// (see `FuzzSupport`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBallots(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let config = data[0]
  let parts = split(Array(UnsafeBufferPointer(start: data + 1, count: size - 1)), parts: 2)
  var channel = #"{"id": "c", "ballots": "ballots.csv", "weight": 1"#
  if config & 1 != 0 { channel += #", "maxPicks": 2"# }
  if config & 2 != 0 { channel += #", "minPicks": 0"# }
  if config & 4 != 0 { channel += #", "categoryLimits": {"*": {"max": 1}}"# }
  if config & 8 != 0 { channel += #", "groups": {"g1": 1, "g2": 1.5}"# }
  let election = #"{"projects": "projects.csv", "budget": 100, "channels": [\#(channel)}]}"#
  let def: ElectionDefinition
  do {
    def = try ElectionReader.read(bytes: Array(election.utf8), path: "fuzz/election.json", projects: parts[0])
  } catch {
    // An error in the generated election.json (e.g. a budget too large for the costs' decimals)
    // is placed in that file, not in the projects file.
    checkError(error, input: error.location.source.hasSuffix("election.json") ? Array(election.utf8) : parts[0])
    return 0
  }
  if def.instance.projects.isEmpty { fatalError("an election without projects was accepted") }
  if def.instance.projects.contains(where: { $0.cost < 0 }) { fatalError("a negative cost was accepted") }
  readChannel(def.election.channels[0], def.instance, ballots: parts[1], source: "fuzz/ballots.csv")
  return 0
}

// SwiftPM links an executable's entry point as `<Target>_main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzBallots_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var c = argc
  var v = argv
  return LLVMFuzzerRunDriver(&c, &v, fuzzBallots)
}
