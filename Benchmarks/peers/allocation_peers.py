#!/usr/bin/env python3
"""Side-by-side timing of pabutools 1.2.3 and `tally allocate` for the allocation rules.

Usage: python allocation_peers.py <pabulib dir> <tally executable> [timeout seconds] > results.json
Each (file, rule) runs as a separate process (the whole process is timed: start, parse, rule, exit).
pabutools runs once (with the timeout); tally runs 5 times and the median is reported.
pabutools rules: mes = method_of_equal_shares (Cost_Sat for approval, Additive_Cardinal_Sat for
cumulative), mes-add1 = the same with voter_budget_increment=1, phragmen = sequential_phragmen,
max-welfare = max_additive_utilitarian_welfare (Cardinality_Sat / Additive_Cardinal_Sat: the score).
"""
import json
import statistics
import subprocess
import sys
import time

FILES = ["Poland_Lodz_2022.pb", "Poland_Wroclaw_2015_150_-_500.pb", "Poland_Katowice_2020.pb"]
RULES = ["mes", "phragmen", "max-welfare", "mes-add1"]

PEER = r'''
import sys
import pabutools.fractions
pabutools.fractions.FRACTION = "gmpy2"
from pabutools.election import parse_pabulib, Cost_Sat, Cardinality_Sat, Additive_Cardinal_Sat
from pabutools.election.profile import AbstractApprovalProfile
from pabutools.rules import method_of_equal_shares, sequential_phragmen, max_additive_utilitarian_welfare
inst, prof = parse_pabulib(sys.argv[1])
rule = sys.argv[2]
approval = isinstance(prof, AbstractApprovalProfile)
if rule == "mes":
    out = method_of_equal_shares(inst, prof, sat_class=Cost_Sat if approval else Additive_Cardinal_Sat)
elif rule == "mes-add1":
    out = method_of_equal_shares(inst, prof, sat_class=Cost_Sat if approval else Additive_Cardinal_Sat, voter_budget_increment=1)
elif rule == "phragmen":
    out = sequential_phragmen(inst, prof)
else:
    out = max_additive_utilitarian_welfare(inst, prof, sat_class=Cardinality_Sat if approval else Additive_Cardinal_Sat)
print(sorted(p.name for p in out))
'''


def timed(cmd, timeout):
    t = time.perf_counter()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return time.perf_counter() - t, r.returncode, r.stdout
    except subprocess.TimeoutExpired:
        return None, None, None


def main():
    folder, tally = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 600
    results = []
    for f in FILES:
        path = f"{folder}/{f}"
        for rule in RULES:
            if rule == "phragmen" and "Katowice" in f:
                continue  # cumulative ballots: Phragmén is for approval ballots
            tally_times = []
            selected = None
            for _ in range(5):
                s, rc, out = timed([tally, "allocate", path, "--rule", rule, "--format", "json"], timeout)
                tally_times.append(s)
                selected = sorted(json.loads(out)["selected"]) if rc == 0 else f"exit {rc}"
            peer_s, rc, out = timed([sys.executable, "-c", PEER, path, rule], timeout)
            row = {"file": f, "rule": rule, "tallyMedianSeconds": statistics.median(tally_times),
                   "pabutoolsSeconds": peer_s, "timeoutSeconds": timeout}
            if peer_s is not None:
                row["sameOutcome"] = (out.strip() == str(selected))
                row["ratio"] = peer_s / row["tallyMedianSeconds"]
            else:
                row["ratioAtLeast"] = timeout / row["tallyMedianSeconds"]
            results.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    json.dump(results, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
