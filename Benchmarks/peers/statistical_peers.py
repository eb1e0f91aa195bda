#!/usr/bin/env python3
"""choix timings for Tally's statistical rankings (issue 5), from parsed ballots to fitted strengths.

Usage: statistical_peers.py <file.pb> [--replicate N] [--models bt,rc,pl] [--runs R]

Each timed run starts from the parsed ballots (lists of project indices, parse time reported
separately) and includes building choix's input, as Tally's timing includes building the pairwise
matrix / choice events:
* bt: dense win matrix S (contract convention, unnamed projects at the bottom), built with numpy row
  updates per ballot, then choix.ilsr_pairwise_dense (the fastest choix path for Bradley–Terry).
* rc: choix.rank_centrality needs one (winner, loser) pair per unit of support (no dense variant).
* pl: choix.ilsr_top1 on three choice events per top-3 ballot (winner, all projects still available).
--replicate N cycles through the ballots until N ballots (Kraków 2024 -> 1,000,000).
Prints one JSON line per model with the median and all run times (seconds, wall clock).
"""
import argparse, csv, json, statistics, sys, time
import numpy as np
import choix


def read(path):
    ids, votes, section, header, meta = [], [], None, None, {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f, delimiter=";"):
            if not row:
                continue
            if row[0].strip().upper() in ("META", "PROJECTS", "VOTES") and len(row) == 1:
                section, header = row[0].strip().upper(), None
                continue
            if header is None:
                header = row
                continue
            rec = dict(zip(header, row))
            if section == "META":
                meta[rec["key"]] = rec["value"]
            elif section == "PROJECTS":
                ids.append(rec["project_id"])
            else:
                votes.append(rec["vote"])
    index = {p: i for i, p in enumerate(ids)}
    ballots = [[index[v] for v in vote.split(",") if v] for vote in votes]
    return meta, ids, ballots


def support(n, ballots):
    S = np.zeros((n, n))
    for b in ballots:
        named = np.zeros(n, dtype=bool)
        for a in b:
            named[a] = True
            S[a, ~named] += 1  # a beats everything not yet ranked above or equal
    return S


def bt(n, ballots):
    return choix.ilsr_pairwise_dense(support(n, ballots), alpha=0.0, max_iter=10000, tol=1e-10)


def rc(n, ballots):
    S = support(n, ballots)
    pairs = [(a, b) for a in range(n) for b in range(n) for _ in range(int(S[a, b]))]
    return choix.rank_centrality(n, pairs, alpha=0.0)


def pl(n, ballots):
    events = []
    for b in ballots:
        rest = set(range(n))
        for a in b:
            rest.discard(a)
            events.append((a, list(rest)))
    return choix.ilsr_top1(n, events, alpha=0.0, max_iter=10000, tol=1e-10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--replicate", type=int, default=0)
    ap.add_argument("--models", default="bt,rc,pl")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    t = time.perf_counter()
    meta, ids, ballots = read(args.path)
    parse = time.perf_counter() - t
    if args.replicate:
        ballots = [ballots[i % len(ballots)] for i in range(args.replicate)]
    n = len(ids)
    for name in args.models.split(","):
        fn = {"bt": bt, "rc": rc, "pl": pl}[name]
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            params = fn(n, ballots)
            times.append(time.perf_counter() - t)
        top = [ids[i] for i in np.argsort(-params)[:3]]
        print(json.dumps({"model": name, "ballots": len(ballots), "projects": n, "parse_s": round(parse, 3),
                          "median_s": statistics.median(times), "runs_s": times, "top3": top, "choix": "0.4.1"}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
