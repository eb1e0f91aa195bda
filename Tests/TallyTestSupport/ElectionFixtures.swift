/// A small hand-computed election used by the reader, run and CLI tests.
///
/// Public (share-of-voters, at most 2 picks): valid ballots 1:{a,b} 2:{a} 3:{b,c} 4:{a,c}, so
/// n = a 3, b 2, c 2, d 0 over 4 voters; six void rows, one per reason.
/// Committee (exactly 2 picks, one `city` + one `gov`, groups g1 ×1, g2 ×2): valid k1 {a,c} (x 1),
/// k2 {b,d} (x 0.5·2 = 1), k3 {a,d} (x 1), so n = a 2, b 1, c 1, d 2 over 3; four void rows.
/// Combined (0.5/0.5): a 17/24, b 10/24, c 10/24 (tied with b), d 8/24.
public enum ElectionFixtures {
  public static let projects = """
    project_id;cost;name;category;target
    a;40;Alpha;city;
    b;30;Beta;city;marginalised
    c;20;Gamma;gov;
    d;10;Delta;gov;marginalised

    """

  public static let publicBallots = """
    voter_id;vote
    1;a,b
    2;a
    3;b,c
    4;a,c
    5;x
    6;a,a
    7;a,b,c
    8;
    1;d
    9

    """

  public static let committeeBallots = """
    voter_id;vote;weight;group
    k1;a,c;1;g1
    k2;b,d;0.5;g2
    k3;a,d;;g1
    k4;a,b;1;g1
    k5;c;1;g1
    k6;a,c;-1;g1
    k7;a,c;1;g9

    """

  /// The election file, with optional extra top-level members (JSON text ending with a comma).
  public static func election(budget: Int = 60, normalisation: String = "share-of-voters", extra: String = "") -> String {
    """
    {
      "name": "fixture",
      "projects": "projects.csv",
      "budget": \(budget),
      "channels": [
        {"id": "public", "ballots": "public.csv", "weight": 0.5, "maxPicks": 2},
        {"id": "committee", "ballots": "committee.csv", "weight": 0.5, "exactPicks": 2,
         "categoryLimits": {"city": {"exact": 1}, "gov": {"exact": 1}},
         "groups": {"g1": 1, "g2": 2}}
      ],
      \(extra)
      "normalisation": "\(normalisation)"
    }

    """
  }

  /// A folder with the fixture election.
  public static func folder(budget: Int = 60, normalisation: String = "share-of-voters", extra: String = "") -> String {
    TempFiles.folder([
      "election.json": election(budget: budget, normalisation: normalisation, extra: extra), "projects.csv": projects,
      "public.csv": publicBallots, "committee.csv": committeeBallots,
    ])
  }
}
