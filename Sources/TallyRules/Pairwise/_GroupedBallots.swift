import TallyCore

/// The unique ballots of a profile as ordered classes of named projects, the shape both pairwise
/// algorithms work on: per ballot, the named projects best class first, each with its class index.
///
/// - approval, choose-1: one class (all approved projects tied);
/// - ordinal without ties: class = position (stored as is, no copy);
/// - ordinal with ties: the profile's `tieGroups`;
/// - cumulative, scoring: projects sorted by points, highest first, equal points one class; projects
///   with 0 points left out (they are not above an unnamed project).
struct _GroupedBallots {
  enum Shape {
    /// Every named project of a ballot is in class 0.
    case oneClass
    /// Class = position.
    case strict
    /// Classes in `groups`.
    case grouped
  }

  let shape: Shape
  let projectCount: Int
  let offsets: [Int]
  let items: [Int32]
  /// Class index per item (only for `.grouped`).
  let groups: [Int32]
  /// Total weight (multiplicity × weight) per unique ballot.
  let weights: [Int64]

  init(_ p: Profile) {
    projectCount = p.projectCount
    var w = p.multiplicities
    if let pw = p.weights { for b in 0..<w.count { w[b] &*= pw[b] } }
    weights = w
    switch p.kind {
    case .approval, .choose1:
      shape = .oneClass
      offsets = p.offsets
      items = p.items
      groups = []
    case .ordinal:
      offsets = p.offsets
      items = p.items
      if let g = p.tieGroups {
        shape = .grouped
        groups = g
      } else {
        shape = .strict
        groups = []
      }
    case .cumulative, .scoring:
      shape = .grouped
      var off = [0]
      var it: [Int32] = []
      var gr: [Int32] = []
      off.reserveCapacity(p.uniqueBallotCount + 1)
      it.reserveCapacity(p.items.count)
      gr.reserveCapacity(p.items.count)
      var order: [Int] = []
      for b in 0..<p.uniqueBallotCount {
        order.removeAll(keepingCapacity: true)
        for k in p.offsets[b]..<p.offsets[b + 1] where p.points[k] > 0 { order.append(k) }
        order.sort { p.points[$0] != p.points[$1] ? p.points[$0] > p.points[$1] : $0 < $1 }
        var cls: Int32 = -1
        var last: Int64 = -1
        for k in order {
          if p.points[k] != last {
            cls += 1
            last = p.points[k]
          }
          it.append(p.items[k])
          gr.append(cls)
        }
        off.append(it.count)
      }
      offsets = off
      items = it
      groups = gr
    }
  }

  /// The same ballots with other total weights per unique ballot (a bootstrap resample's counts ×
  /// the ballots' own weights); the arrays are shared, not copied.
  init(_ g: _GroupedBallots, weights w: [Int64]) {
    precondition(w.count == g.weights.count)
    shape = g.shape
    projectCount = g.projectCount
    offsets = g.offsets
    items = g.items
    groups = g.groups
    weights = w
  }

  var ballotCount: Int { weights.count }

  /// The number of classes of unique ballot `b`.
  func classCount(_ b: Int) -> Int {
    let lo = offsets[b]
    let hi = offsets[b + 1]
    if lo == hi { return 0 }
    switch shape {
    case .oneClass: return 1
    case .strict: return hi - lo
    case .grouped: return Int(groups[hi - 1]) + 1
    }
  }

  /// `T`: per project, the weight of the ballots naming it.
  func namedWeight() -> [Int64] {
    var t = [Int64](repeating: 0, count: projectCount)
    t.withUnsafeMutableBufferPointer { t in
      items.withUnsafeBufferPointer { items in
        for b in 0..<weights.count {
          let w = weights[b]
          for k in offsets[b]..<offsets[b + 1] { t[Int(items[k])] &+= w }
        }
      }
    }
    return t
  }
}

/// The sparse pairwise count: one increment per pair of named projects of each unique ballot.
enum _SparsePairwise {
  /// `C` (row-major; `C[a][b]` = weight of ballots naming both with `b` at least as high as `a`,
  /// diagonal unspecified) and `T`.
  static func countAtLeastAsHigh(_ g: _GroupedBallots, projectCount n: Int) -> ([Int64], [Int64]) {
    var c = [Int64](repeating: 0, count: n * n)
    let t = g.namedWeight()
    c.withUnsafeMutableBufferPointer { c in
      g.items.withUnsafeBufferPointer { items in
        g.offsets.withUnsafeBufferPointer { offsets in
          g.weights.withUnsafeBufferPointer { weights in
            switch g.shape {
            case .strict:
              for b in 0..<weights.count {
                let w = weights[b]
                let lo = offsets[b]
                let hi = offsets[b + 1]
                var j = lo + 1
                while j < hi {
                  let row = Int(items[j]) &* n
                  var i = lo
                  while i < j {
                    c[row &+ Int(items[i])] &+= w
                    i &+= 1
                  }
                  j &+= 1
                }
              }
            case .oneClass:
              // Symmetric: count each unordered pair once in the upper triangle, mirror below.
              for b in 0..<weights.count {
                let w = weights[b]
                let lo = offsets[b]
                let hi = offsets[b + 1]
                var j = lo + 1
                while j < hi {
                  let y = Int(items[j])
                  var i = lo
                  while i < j {
                    let x = Int(items[i])
                    c[Swift.min(x, y) &* n &+ Swift.max(x, y)] &+= w
                    i &+= 1
                  }
                  j &+= 1
                }
              }
              for a in 0..<n { for b in (a + 1)..<max(n, a + 1) { c[b * n + a] = c[a * n + b] } }
            case .grouped:
              g.groups.withUnsafeBufferPointer { groups in
                for b in 0..<weights.count {
                  let w = weights[b]
                  let lo = offsets[b]
                  let hi = offsets[b + 1]
                  var j = lo + 1
                  while j < hi {
                    let y = Int(items[j])
                    let gy = groups[j]
                    var i = lo
                    while i < j {
                      let x = Int(items[i])
                      c[y &* n &+ x] &+= w
                      if groups[i] == gy { c[x &* n &+ y] &+= w }
                      i &+= 1
                    }
                    j &+= 1
                  }
                }
              }
            }
          }
        }
      }
    }
    return (c, t)
  }
}
