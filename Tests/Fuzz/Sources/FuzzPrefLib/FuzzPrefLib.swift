import FuzzSupport
import TallyCore
import TallyIO

/// One fuzz input: a byte choosing the data type (soc, soi, toc, toi), then the file. When it reads,
/// the profile must agree with the header and the data type: every alternative in 1...m, none twice
/// in an order, complete orders in soc/toc, no ties in soc/soi, and the voter count equal to the sum
/// of the multiplicities. Errors must carry a place (see `FuzzSupport`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrefLib(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let type = ["soc", "soi", "toc", "toi"][Int(data[0] & 3)]
  let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
  let f: PrefLibFile
  do {
    f = try PrefLibReader().read(bytes: bytes, dataType: type, source: "fuzz." + type)
  } catch {
    checkError(error, input: bytes)
    return 0
  }
  let p = f.profile
  let m = f.instance.projects.count
  if p.projectCount != m { fatalError("profile has \(p.projectCount) projects, instance \(m)") }
  if p.voterCount != f.voters { fatalError("voters \(f.voters) != multiplicities \(p.voterCount)") }
  if p.multiplicities.contains(where: { $0 <= 0 }) { fatalError("a non-positive multiplicity") }
  for b in 0..<p.uniqueBallotCount {
    let order = p.ballot(b)
    if order.contains(where: { $0 < 0 || Int($0) >= m }) { fatalError("alternative out of range") }
    if Set(order).count != order.count { fatalError("an alternative twice in an order") }
    if (type == "soc" || type == "toc") && order.count != m { fatalError("incomplete order in a \(type) file") }
    let groups = p.ballotGroups(b)
    if groups.count != order.count { fatalError("tie groups do not match the order") }
    if zip(groups, groups.dropFirst()).contains(where: { $0 > $1 }) { fatalError("tie groups out of order") }
    if (type == "soc" || type == "soi") && Set(groups).count != groups.count { fatalError("ties in a \(type) file") }
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

@_cdecl("FuzzPrefLib_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var c = argc
  var v = argv
  return LLVMFuzzerRunDriver(&c, &v, fuzzPrefLib)
}
