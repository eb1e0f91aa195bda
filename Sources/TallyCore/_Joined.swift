/// The strings joined by `separator`, appended one by one. The standard library's
/// `joined(separator:)` is generic code whose first use in a process makes the runtime scan every
/// conformance record of the binary (~0.1 ms); the writers and the election export use this instead.
package func _joined(_ parts: [String], by separator: String) -> String {
  var out = ""
  for k in parts.indices {
    if k > 0 { out += separator }
    out += parts[k]
  }
  return out
}
