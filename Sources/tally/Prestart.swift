import TallyCore
import TallyIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Starts the second reading thread at once (``_prestartThread()``) when the job's input will be read
/// in two parts, so that the thread is running when the readers need it rather than starting then:
/// a Pabulib file of 1 MiB or more, or an election (a folder, or its `election.json`) whose folder
/// holds such a file that is checked for duplicate voters in memory (`voterCheck` `memory`, or `auto`
/// up to ``VoterCheck/autoThreshold``). A guess from sizes alone: when it is wrong the thread waits
/// 25 ms for nothing on the other core, then ends.
func prestartReadingThread(input: String, voterCheck: VoterCheck = .auto) {
  var st = stat()
  guard stat(input, &st) == 0 else { return }
  let isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
  if !isDirectory && input.hasSuffix(".pb") {
    if Int(st.st_size) >= _defaultPartsThreshold { _prestartThread() }
    return
  }
  let folder: String
  if isDirectory {
    folder = input
  } else if input.hasSuffix("election.json") {
    folder = input.contains("/") ? String(input[..<input.lastIndex(of: "/")!]) : "."
  } else {
    return
  }
  let most: Int
  switch voterCheck {
  case .memory: most = Int.max
  case .auto: most = Int(VoterCheck.autoThreshold)
  case .external, .off: return
  }
  guard let dir = opendir(folder) else { return }
  defer { closedir(dir) }
  while let entry = readdir(dir) {
    let name = _direntName(entry)
    var f = stat()
    guard stat(folder + "/" + name, &f) == 0, (f.st_mode & S_IFMT) == S_IFREG else { continue }
    let size = Int(f.st_size)
    if size >= _defaultPartsThreshold && size <= most {
      _prestartThread()
      return
    }
  }
}
