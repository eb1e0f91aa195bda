#!/usr/bin/env python3
"""Expected outputs for Tally's statistical rules, from choix 0.4.1 (and numpy for HodgeRank/Colley).

Usage: python make_fixtures.py <pabulib dir>   (writes <file stem>.json beside this script)

Conventions matched to Tally (see each rule's doc comment):
* Pairwise support S[a][b] is the contract's: a ballot puts every project it ranks (approves) above
  the ones it ranks lower or does not name. choix gets it as a dense win matrix (BT) or as one
  (winner, loser) pair per unit of support (rank centrality).
* bradley-terry: choix.ilsr_pairwise_dense(S, alpha=0) -> params with mean 0 = Tally's log-strengths.
* rank-centrality: choix.rank_centrality(n, pairs, alpha) -> log(pi) - mean = Tally's score; choix's
  alpha is Tally's `prior` (pseudo-count each way on every pair), checked with alpha 0 and 0.5.
* plackett-luce (ordinal only): a ballot a>b>c is three choice events for choix.ilsr_top1:
  (a, all others), (b, all but a, b), (c, all but a, b, c).
* hodgerank: numpy least squares on the edge-incidence matrix (independent of Tally's normal equations).
* colley: numpy solve of the Colley system.
When the MLE does not exist (graph not strongly connected) the model's entry is {"error": true}.
"""
import csv, json, os, sys
import numpy as np
import choix

FILES = [
    "Poland_Krakow_2018_Zwierzyniec.pb",
    "Poland_Krakow_2021_Bienczyce.pb",
    "Poland_Krakow_2019_Swoszowice.pb",
    "Poland_Warszawa_2023_Wesola.pb",
    "Poland_Gdynia_2023_Leszczynki__small.pb",
]


def read_pabulib(path):
    meta, projects, votes = {}, [], []
    section, header = None, None
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f, delimiter=";"):
            if not row:
                continue
            key = row[0].strip().upper()
            if key in ("META", "PROJECTS", "VOTES") and len(row) == 1:
                section, header = key, None
                continue
            if header is None:
                header = [h.strip() for h in row]
                continue
            rec = dict(zip(header, [c.strip() for c in row]))
            if section == "META":
                meta[rec["key"]] = rec["value"]
            elif section == "PROJECTS":
                projects.append(rec["project_id"])
            else:
                votes.append([v.strip() for v in rec["vote"].split(",") if v.strip()])
    return meta, projects, votes


def strongly_connected(w):
    n = len(w)
    for mat in (w, w.T):
        seen, stack = {0}, [0]
        while stack:
            i = stack.pop()
            for j in np.nonzero(mat[i] > 0)[0]:
                if j not in seen:
                    seen.add(j)
                    stack.append(j)
        if len(seen) != n:
            return False
    return True


def main(directory):
    out_dir = os.path.dirname(os.path.abspath(__file__))
    for name in FILES:
        meta, ids, votes = read_pabulib(os.path.join(directory, name))
        n = len(ids)
        index = {p: i for i, p in enumerate(ids)}
        kind = meta["vote_type"]
        S = np.zeros((n, n))
        events = []
        for ballot in votes:
            items = []
            for p in ballot:  # approval ballots naming a project twice count it once in S
                if index[p] not in items:
                    items.append(index[p])
            named = set(items)
            unnamed = [j for j in range(n) if j not in named]
            if kind == "ordinal":
                for t, a in enumerate(items):
                    for b in items[t + 1:] + unnamed:
                        S[a, b] += 1
                rest = set(range(n))
                for a in items:
                    rest.discard(a)
                    if rest:
                        events.append((a, sorted(rest)))
            else:
                for a in items:
                    for b in unnamed:
                        S[a, b] += 1
        result = {"file": name, "kind": kind, "projects": ids, "ballots": len(votes)}
        ok = strongly_connected(S)
        pairs = [(a, b) for a in range(n) for b in range(n) for _ in range(int(S[a, b]))]
        if ok:
            bt = choix.ilsr_pairwise_dense(S, alpha=0.0, max_iter=100000, tol=1e-13)
            result["bradley-terry"] = dict(zip(ids, bt.tolist()))
            rc = choix.rank_centrality(n, pairs, alpha=0.0)
            result["rank-centrality"] = dict(zip(ids, rc.tolist()))
            if kind == "ordinal":
                pl = choix.ilsr_top1(n, events, alpha=0.0, max_iter=100000, tol=1e-13)
                result["plackett-luce"] = dict(zip(ids, pl.tolist()))
        else:
            result["bradley-terry"] = {"error": True}
            result["rank-centrality"] = {"error": True}
            if kind == "ordinal":
                result["plackett-luce"] = {"error": True}
        rc5 = choix.rank_centrality(n, pairs, alpha=0.5)
        result["rank-centrality-prior-0.5"] = dict(zip(ids, rc5.tolist()))
        # HodgeRank: rows = compared pairs, sqrt(weight)-scaled incidence, flows Y = (S_ij - S_ji)/n_ij.
        rows, rhs = [], []
        for i in range(n):
            for j in range(i + 1, n):
                nij = S[i, j] + S[j, i]
                if nij > 0:
                    r = np.zeros(n)
                    r[i], r[j] = np.sqrt(nij), -np.sqrt(nij)
                    rows.append(r)
                    rhs.append(np.sqrt(nij) * (S[i, j] - S[j, i]) / nij)
        A, y = np.array(rows), np.array(rhs)
        s = np.linalg.lstsq(A, y, rcond=None)[0]
        s -= s.mean()
        res = y - A @ s
        result["hodgerank"] = dict(zip(ids, s.tolist()))
        result["hodgerank-cyclic-share"] = float(res @ res / (y @ y)) if y @ y > 0 else 0.0
        N = S + S.T
        C = 2 * np.eye(n) + np.diag(N.sum(axis=1)) - N
        b = 1 + (S.sum(axis=1) - S.sum(axis=0)) / 2
        result["colley"] = dict(zip(ids, np.linalg.solve(C, b).tolist()))
        stem = os.path.splitext(name)[0]
        with open(os.path.join(out_dir, stem + ".json"), "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
        print(name, kind, n, "projects", len(votes), "ballots", "MLE exists" if ok else "no MLE")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../../../../../shared/datasets/pabulib")
