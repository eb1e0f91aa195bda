#!/usr/bin/env python3
"""Tally against its Python peers (pabutools, pref_voting, choix) on the same files, in one run.

Usage (from the repository root, after `make release`):

    python3 Benchmarks/peers/compare_peers.py [--runs 5] [--timeout 900] [--once-after 60]
        [--families allocation,statistical,ranking] [--rules ID,...] [--files NAME,...]
        [--pabulib DIR] [--tally .build/release/tally]
        [--million] [--json out.json]

The first run creates a virtual environment in `Benchmarks/peers/.venv` (not committed) and installs
the peers from PyPI at fixed versions; later runs reuse it.

What is timed, for both sides: the whole process, from start to exit, on the same input file:
start-up, reading and parsing the file, building the rule's input (profile, comparisons), the rule.
`tally` runs `tally allocate|rank <file> --rule <id> --format json`. Each peer runs a small Python
program (below) in a fresh interpreter. Runs alternate (tally, peer, tally, peer, ...) so that load
on the machine falls on both alike; the table gives the median of `--runs` runs of each. A peer whose
first run takes longer than `--once-after` seconds runs only once; one that passes `--timeout` is
killed and reported as "> timeout" (the ratio is then a lower bound). Both sides' outputs are kept
only to check that the run succeeded; correctness is checked by the fixtures in Tests/.

Peers and the rule each runs (semantics in ../shared/research/peers.md):
- pabutools 1.2.3 (exact fractions via gmpy2): greedy = greedy_utilitarian_welfare, mes =
  method_of_equal_shares (Cost_Sat for approval, Additive_Cardinal_Sat for cumulative), mes-add1 = the
  same with voter_budget_increment=1, phragmen = sequential_phragmen, max-welfare =
  max_additive_utilitarian_welfare (Cardinality_Sat / Additive_Cardinal_Sat: the score).
- choix 0.4.1 on the dense support matrix S (contract convention): bradley-terry =
  ilsr_pairwise_dense, rank-centrality = rank_centrality (one pair per unit of support),
  plackett-luce = ilsr_top1 on the choice events of each ballot (each pick chosen from every project
  not yet picked).
- pref_voting 1.18.2: the ProfileWithTies with extended strict preference, then borda
  (symmetric_borda_scores), copeland, schulze (beat_path).
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv")
PEERS = ["pabutools==1.2.3", "gmpy2", "choix==0.4.1", "numpy", "scipy", "pref-voting==1.18.2"]

PABUTOOLS = r'''
import sys
import pabutools.fractions
pabutools.fractions.FRACTION = "gmpy2"
from pabutools.election import parse_pabulib, Cost_Sat, Cardinality_Sat, Additive_Cardinal_Sat
from pabutools.election.profile import AbstractApprovalProfile
from pabutools.rules import (method_of_equal_shares, sequential_phragmen, max_additive_utilitarian_welfare,
                             greedy_utilitarian_welfare)
inst, prof = parse_pabulib(sys.argv[1])
rule = sys.argv[2]
approval = isinstance(prof, AbstractApprovalProfile)
sat = Cost_Sat if approval else Additive_Cardinal_Sat
card = Cardinality_Sat if approval else Additive_Cardinal_Sat
if rule == "mes":
    out = method_of_equal_shares(inst, prof, sat_class=sat)
elif rule == "mes-add1":
    out = method_of_equal_shares(inst, prof, sat_class=sat, voter_budget_increment=1)
elif rule == "phragmen":
    out = sequential_phragmen(inst, prof)
elif rule == "greedy":
    out = greedy_utilitarian_welfare(inst, prof, sat_class=card)
else:
    out = max_additive_utilitarian_welfare(inst, prof, sat_class=card)
print(len(out))
'''

# The peers' own reading of a Pabulib file (project ids and vote lists), part of what is timed.
READ_PABULIB = r'''
import csv, sys
ids, votes, section, header = [], [], None, None
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for row in csv.reader(f, delimiter=";"):
        if not row:
            continue
        if len(row) == 1 and row[0].strip().upper() in ("META", "PROJECTS", "VOTES"):
            section, header = row[0].strip().upper(), None
            continue
        if header is None:
            header = row
            continue
        if section == "PROJECTS":
            ids.append(row[header.index("project_id")])
        elif section == "VOTES":
            votes.append(row[header.index("vote")])
'''

CHOIX = READ_PABULIB + r'''
PAIR_LIMIT = 150_000_000
import numpy as np
import choix
index = {p: i for i, p in enumerate(ids)}
n = len(ids)
ballots = [[index[v] for v in vote.split(",") if v] for vote in votes]
def support():
    S = np.zeros((n, n))
    for b in ballots:
        named = np.zeros(n, dtype=bool)
        for a in b:
            named[a] = True
            S[a, ~named] += 1
    return S
rule = sys.argv[2]
if rule == "bradley-terry":
    p = choix.ilsr_pairwise_dense(support(), alpha=0.0, max_iter=10000, tol=1e-10)
elif rule == "rank-centrality":
    S = support()
    # choix takes one (winner, loser) tuple per unit of support; past PAIR_LIMIT tuples the list
    # alone would not fit in this machine's memory, so the peer cannot run (reported, not timed).
    total = int(S.sum())
    if total > PAIR_LIMIT:
        print(f"infeasible: choix.rank_centrality needs {total:,} Python tuples (~{total * 72 / 2**30:.0f} GiB)", file=sys.stderr)
        sys.exit(3)
    pairs = [(a, b) for a in range(n) for b in range(n) for _ in range(int(S[a, b]))]
    p = choix.rank_centrality(n, pairs, alpha=0.0)
else:
    events = []
    for b in ballots:
        rest = set(range(n))
        for a in b:
            rest.discard(a)
            events.append((a, list(rest)))
    p = choix.ilsr_top1(n, events, alpha=0.0, max_iter=10000, tol=1e-10)
print(ids[int(np.argmax(p))])
'''

PREF_VOTING = READ_PABULIB + r'''
from collections import Counter
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.scoring_methods import symmetric_borda_scores
from pref_voting.margin_based_methods import beat_path
idx = {p: i for i, p in enumerate(ids)}
counts = Counter(tuple(v for v in vote.split(",") if v) for vote in votes)
types = list(counts)
prof = ProfileWithTies([{idx[p]: k + 1 for k, p in enumerate(t)} for t in types], rcounts=[counts[t] for t in types],
                       candidates=list(range(len(ids))))
prof.use_extended_strict_preference()
rule = sys.argv[2]
if rule == "borda":
    out = symmetric_borda_scores(prof)
elif rule == "copeland":
    out = prof.copeland_scores()
else:
    out = beat_path(prof)
print(len(out))
'''

# (family, file, rule, tally command, peer name, peer program)
CASES = []
for f in ["Poland_Lodz_2022.pb", "Poland_Wroclaw_2015_150_-_500.pb", "Poland_Katowice_2020.pb"]:
    for r in ["greedy", "max-welfare", "mes", "mes-add1", "phragmen"]:
        if r == "phragmen" and "Katowice" in f:
            continue  # cumulative ballots: Phragmén is defined for approval ballots
        CASES.append(("allocation", f, r, "allocate", "pabutools", PABUTOOLS))
for r in ["bradley-terry", "rank-centrality", "plackett-luce"]:
    CASES.append(("statistical", "Poland_Krakow_2024.pb", r, "rank", "choix", CHOIX))
for r in ["borda", "copeland", "schulze"]:
    CASES.append(("ranking", "Poland_Krakow_2024.pb", r, "rank", "pref_voting", PREF_VOTING))


def ensure_venv():
    py = os.path.join(VENV, "bin", "python")
    stamp = os.path.join(VENV, "peers.txt")
    if os.path.exists(stamp) and open(stamp).read() == "\n".join(PEERS):
        return py
    subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([py, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run([py, "-m", "pip", "install", "-q"] + PEERS, check=True)
    open(stamp, "w").write("\n".join(PEERS))
    return py


def timed(cmd, timeout):
    t = time.perf_counter()
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    dt = time.perf_counter() - t
    if r.returncode != 0:
        return None, r.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["failed"]
    return dt, None


def replicate(path, target, out_path):
    """The file with its VOTES rows repeated until `target` ballots (voter ids suffixed)."""
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().splitlines()
    v = next(i for i, l in enumerate(lines) if l.strip().upper() == "VOTES")
    head, header, rows = lines[:v + 1], lines[v + 1], [r for r in lines[v + 2:] if r.strip()]
    with open(out_path, "w") as f:
        for l in head:
            f.write((f"num_votes;{target}" if l.startswith("num_votes;") else l) + "\n")
        f.write(header + "\n")
        for k in range(target):
            vid, rest = rows[k % len(rows)].split(";", 1)
            f.write(f"{vid}x{k // len(rows)};{rest}\n")


def fmt(x):
    if x is None:
        return "—"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--once-after", type=float, default=60)
    ap.add_argument("--families", default="allocation,statistical,ranking")
    ap.add_argument("--rules", default="", help="only these rule ids (comma-separated)")
    ap.add_argument("--files", default="", help="only files whose name contains one of these (comma-separated)")
    ap.add_argument("--pabulib", default=os.environ.get("TALLY_PABULIB_DIR", "../shared/datasets/pabulib"))
    ap.add_argument("--tally", default=".build/release/tally")
    ap.add_argument("--million", action="store_true",
                    help="also the statistical models on Kraków 2024 replicated to 1,000,000 ballots")
    ap.add_argument("--json", default="")
    args = ap.parse_args()
    py = ensure_venv()
    families = set(args.families.split(","))
    only = set(filter(None, args.rules.split(",")))
    files = list(filter(None, args.files.split(",")))
    cases = [c for c in CASES if c[0] in families and (not only or c[2] in only)
             and (not files or any(x in os.path.basename(c[1]) for x in files))]
    if args.million and "statistical" in families:
        big = "/tmp/tally-peers-Krakow_2024-1M.pb"
        src = os.path.join(args.pabulib, "Poland_Krakow_2024.pb")
        if os.path.exists(src) and not os.path.exists(big):
            replicate(src, 1_000_000, big)
        for r in ["bradley-terry", "rank-centrality", "plackett-luce"]:
            if not only or r in only:
                cases.append(("statistical", big, r, "rank", "choix", CHOIX))
    rows = []
    for family, f, rule, verb, peer, program in cases:
        path = f if os.path.isabs(f) else os.path.join(args.pabulib, f)
        if not os.path.exists(path):
            print(f"skip {f}: not found under {args.pabulib}", file=sys.stderr)
            continue
        tally_cmd = [args.tally, verb, path, "--rule", rule, "--format", "json"]
        peer_cmd = [py, "-c", program, path, rule]
        t_times, p_times, p_note, t_note = [], [], None, None
        for k in range(args.runs):
            t, err = timed(tally_cmd, args.timeout)
            if err:
                t_note = err
                break
            t_times.append(t)
            if p_note is None and (k == 0 or (p_times and p_times[0] <= args.once_after)):
                p, err = timed(peer_cmd, args.timeout)
                if err:
                    p_note = err
                else:
                    p_times.append(p)
        tm = statistics.median(t_times) if t_times else None
        pm = statistics.median(p_times) if p_times else None
        ratio = (pm / tm) if (tm and pm) else (args.timeout / tm if (tm and p_note == "timeout") else None)
        row = {"family": family, "file": os.path.basename(path), "rule": rule, "peer": peer,
               "tally_median_s": tm, "tally_runs": len(t_times), "peer_median_s": pm, "peer_runs": len(p_times),
               "peer_note": p_note, "tally_note": t_note, "ratio": ratio,
               "ratio_is_lower_bound": p_note == "timeout"}
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    load = os.getloadavg()
    print(f"Machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs; load average at the end "
          f"{load[0]:.1f}; {time.strftime('%Y-%m-%d')}; runs={args.runs}, peer once after {args.once_after:.0f} s, "
          f"timeout {args.timeout:.0f} s.\n")
    print("| file | rule | tally (median) | peer | peer (median, runs) | ratio |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        peer = fmt(r["peer_median_s"]) + f" ({r['peer_runs']})" if r["peer_median_s"] else (
            f"> {args.timeout:.0f} s" if r["peer_note"] == "timeout" else f"failed: {r['peer_note']}")
        ratio = "—" if r["ratio"] is None else ((">" if r["ratio_is_lower_bound"] else "") + f"{r['ratio']:,.0f}×")
        name = r["file"].replace("tally-peers-", "").replace(".pb", "")
        print(f"| {name} | {r['rule']} | {fmt(r['tally_median_s'])} ({r['tally_runs']}) | {r['peer']} | {peer} | {ratio} |")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"date": time.strftime("%Y-%m-%d"), "load_average_end": load, "rows": rows}, out, indent=1)


if __name__ == "__main__":
    sys.exit(main())
