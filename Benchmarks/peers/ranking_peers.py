#!/usr/bin/env python3
"""Side-by-side timing: pref_voting against `tally rank` on an ordinal Pabulib file and on its ballots
replicated to 1,000,000.

    /work/venv-rank/bin/python Benchmarks/peers/ranking_peers.py PB_FILE TALLY_BINARY [--runs 5] [--timeout 600]

For each rule: the median wall time of `tally rank <file> --rule <id> --format json` (whole process:
parse, pairwise matrix, rule, JSON), and the time pref_voting takes for the same job from the parsed
ballots: building the ProfileWithTies with extended strict preference (timed once per input, since
every rule needs it; it takes minutes) plus the rule itself. pref_voting is run once. The replicated input is written as a Pabulib file with every voter
copied (voter ids suffixed) so that Tally parses 1,000,000 ballot lines; pref_voting gets the same
ballots as counts. Rules without a pref_voting counterpart on truncated ballots are marked.
Prints one JSON object.
"""
import json
import os
import statistics
import subprocess
import sys
import time
import multiprocessing as mp

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "TallyRulesTests", "Fixtures", "ranking"))
from make_fixtures import read_pabulib  # noqa: E402

RULES = ["score", "borda", "copeland", "minimax", "schulze", "ranked-pairs", "instant-runoff", "kemeny"]


def pv_job(projects, types, counts, out):
    """Builds the pref_voting profile once, then runs every rule on it; reports each time."""
    from pref_voting.profiles_with_ties import ProfileWithTies
    from pref_voting.scoring_methods import symmetric_borda_scores
    from pref_voting.margin_based_methods import minimax_scores, beat_path, ranked_pairs
    from pref_voting.iterative_methods import instant_runoff_for_truncated_linear_orders
    t0 = time.perf_counter()
    idx = {p: i for i, p in enumerate(projects)}
    prof = ProfileWithTies([{idx[p]: k + 1 for k, p in enumerate(t)} for t in types], rcounts=counts,
                           candidates=list(range(len(projects))))
    prof.use_extended_strict_preference()
    times = {"profile": time.perf_counter() - t0}
    out.put(dict(times))
    jobs = {
        "borda": lambda: symmetric_borda_scores(prof),
        "copeland": lambda: prof.copeland_scores(),
        "minimax": lambda: minimax_scores(prof),
        "schulze": lambda: beat_path(prof),
        "ranked-pairs": lambda: ranked_pairs(prof),
        "instant-runoff": lambda: instant_runoff_for_truncated_linear_orders(prof),
    }
    for rule, job in jobs.items():
        t = time.perf_counter()
        job()
        times[rule] = time.perf_counter() - t
        out.put(dict(times))


def time_pref_voting(projects, types, counts, timeout):
    """pref_voting seconds per rule: profile construction (shared) plus the rule; None past the timeout."""
    q = mp.Queue()
    p = mp.Process(target=pv_job, args=(projects, types, counts, q))
    p.start()
    deadline = time.perf_counter() + timeout
    times = {}
    while p.is_alive() or not q.empty():
        try:
            times = q.get(timeout=max(0.1, min(5, deadline - time.perf_counter())))
        except Exception:
            pass
        if time.perf_counter() > deadline:
            p.kill()
            break
    p.join()
    return times


def time_tally(binary, path, rule, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run([binary, "rank", path, "--rule", rule, "--format", "json"], capture_output=True)
        times.append(time.perf_counter() - t)
        if r.returncode != 0:
            return {"error": r.stderr.decode()[:200]}
    return {"median": statistics.median(times), "runs": runs}


def replicate(path, target, out_path):
    """Writes the file with its VOTES rows repeated until `target` ballots (voter ids suffixed)."""
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().splitlines()
    v = next(i for i, l in enumerate(lines) if l.strip().upper() == "VOTES")
    head, header, rows = lines[:v + 1], lines[v + 1], lines[v + 2:]
    rows = [r for r in rows if r.strip()]
    with open(out_path, "w") as f:
        for l in head:
            if l.startswith("num_votes;"):
                l = f"num_votes;{target}"
            f.write(l + "\n")
        f.write(header + "\n")
        k = 0
        while k < target:
            for r in rows:
                if k == target:
                    break
                vid, rest = r.split(";", 1)
                f.write(f"{vid}x{k // len(rows)};{rest}\n")
                k += 1


def main():
    args = sys.argv[1:]
    path, binary = args[0], args[1]
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 5
    timeout = int(args[args.index("--timeout") + 1]) if "--timeout" in args else 600
    meta, projects, ballots = read_pabulib(path)
    counts = {}
    for b in ballots:
        counts[tuple(b)] = counts.get(tuple(b), 0) + 1
    types = list(counts)
    base = [counts[t] for t in types]
    big = "/tmp/tally-ranking-1M.pb"
    replicate(path, 1_000_000, big)
    _, _, big_ballots = read_pabulib(big)
    big_counts = {}
    for b in big_ballots:
        big_counts[tuple(b)] = big_counts.get(tuple(b), 0) + 1
    result = {"file": os.path.basename(path), "ballots": len(ballots), "projects": len(projects),
              "uniqueBallots": len(types), "replicatedBallots": len(big_ballots), "rules": {}}
    pv = time_pref_voting(projects, types, base, timeout)
    print("pref_voting 65k", pv, file=sys.stderr, flush=True)
    pv1m = time_pref_voting(projects, list(big_counts), list(big_counts.values()), timeout)
    print("pref_voting 1M", pv1m, file=sys.stderr, flush=True)
    result["prefVotingProfileSeconds"] = {"base": pv.get("profile"), "replicated": pv1m.get("profile")}
    for rule in RULES:
        row = {"tally": time_tally(binary, path, rule, runs), "tally1M": time_tally(binary, big, rule, runs)}
        if rule in ("score", "kemeny"):
            row["prefVoting"] = "no counterpart (score: Pabulib positional points; kemeny: pref_voting brute force over m! orders, Tally refuses past 22)"
        else:
            for key, t in (("prefVoting", pv), ("prefVoting1M", pv1m)):
                row[key] = t["profile"] + t[rule] if rule in t else None
            for k, pk in (("tally", "prefVoting"), ("tally1M", "prefVoting1M")):
                if row[pk] and "median" in row[k]:
                    row["ratio" + k[5:]] = row[pk] / row[k]["median"]
        result["rules"][rule] = row
        print(rule, json.dumps(row), file=sys.stderr, flush=True)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
