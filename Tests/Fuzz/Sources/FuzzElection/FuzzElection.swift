import FuzzSupport
import TallyCore
import TallyIO

/// One fuzz input: `election.json`, the projects file and a ballot file, separated by NUL bytes.
/// The election is read in memory (the projects part stands for whatever file it names), then every
/// channel's ballots are read from the ballot part under both policies and checked (see
/// `FuzzSupport`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzElection(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let parts = split(Array(UnsafeBufferPointer(start: data, count: size)), parts: 3)
  let def: ElectionDefinition
  do {
    def = try ElectionReader.read(bytes: parts[0], path: "fuzz/election.json", projects: parts[1])
  } catch {
    checkError(error, input: error.location.source.hasSuffix("election.json") ? parts[0] : parts[1])
    return 0
  }
  let inst = def.instance
  if inst.projects.isEmpty { fatalError("an election without projects was accepted") }
  if inst.budget < 0 || inst.projects.contains(where: { $0.cost < 0 }) { fatalError("a negative amount was accepted") }
  if def.ballotPaths.count != def.election.channels.count { fatalError("ballot paths do not match the channels") }
  if !def.election.channels.contains(where: { $0.weight.units > 0 }) { fatalError("no positive channel weight") }
  if Set(def.election.channels.map(\.id)).count != def.election.channels.count { fatalError("duplicate channel ids") }
  for c in def.election.channels {
    if let mx = c.picks.maxPicks, mx < c.picks.minPicks { fatalError("minPicks > maxPicks accepted") }
  }
  _ = def.envelopeMembers
  for c in def.election.channels.prefix(3) {
    readChannel(c, inst, ballots: parts[2], source: "fuzz/ballots.csv")
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

@_cdecl("FuzzElection_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var c = argc
  var v = argv
  return LLVMFuzzerRunDriver(&c, &v, fuzzElection)
}
