#!/usr/bin/env python3
"""Expected outcomes of mes, mes-add1 and phragmen from pabutools 1.2.3 (exact gmpy2 fractions,
lexicographic tie-breaking), for Tally's allocation tests.

Usage: python make_fixtures.py <pabulib dir> > pabutools_1.2.3.json
(pip install pabutools==1.2.3). Cost utilities (Cost_Sat) for approval and choose-1 ballots, points
(Additive_Cardinal_Sat) for cumulative and scoring ballots; mes-add1 is
method_of_equal_shares(..., voter_budget_increment=1).
"""
import json
import sys
import time

import pabutools.fractions
pabutools.fractions.FRACTION = "gmpy2"
from pabutools.election import parse_pabulib, Cost_Sat, Additive_Cardinal_Sat
from pabutools.election.profile import AbstractApprovalProfile
from pabutools.rules import method_of_equal_shares, sequential_phragmen
from pabutools.tiebreaking import lexico_tie_breaking

FILES = [
    "Netherlands_Assen_2024.pb",
    "Poland_Swiecie_2023.pb",
    "Netherlands_Amsterdam_643.pb",
    "Netherlands_Amsterdam_523.pb",
    "Netherlands_Amsterdam_179.pb",
    "France_Toulouse_2022_17_-_Mirail-Universite_Reynerie_Bellefontaine.pb",
    "France_Toulouse_2022_7_-_Sept_Deniers_Ginestous-Sesquieres_Lalande.pb",
    "Poland_Czestochowa_2020_Grabowka.pb",
    "Poland_Czestochowa_2020_Podjasnogorska.pb",
    "Poland_Czestochowa_2024_Mirow.pb",
]


def names(alloc):
    return [p.name for p in alloc]


def main():
    folder = sys.argv[1]
    out = {"generator": "pabutools 1.2.3, gmpy2 fractions, lexico_tie_breaking", "files": {}}
    for f in FILES:
        inst, prof = parse_pabulib(f"{folder}/{f}")
        approval = isinstance(prof, AbstractApprovalProfile)
        sat = Cost_Sat if approval else Additive_Cardinal_Sat
        entry = {"voteType": inst.meta.get("vote_type"), "ballots": prof.num_ballots()}
        t = time.perf_counter()
        entry["mes"] = names(method_of_equal_shares(inst, prof, sat_class=sat, tie_breaking=lexico_tie_breaking))
        entry["mesSeconds"] = time.perf_counter() - t
        t = time.perf_counter()
        entry["mes-add1"] = names(method_of_equal_shares(
            inst, prof, sat_class=sat, tie_breaking=lexico_tie_breaking, voter_budget_increment=1))
        entry["mesAdd1Seconds"] = time.perf_counter() - t
        if approval:
            t = time.perf_counter()
            entry["phragmen"] = sorted(names(sequential_phragmen(inst, prof, tie_breaking=lexico_tie_breaking)))
            entry["phragmenSeconds"] = time.perf_counter() - t
        out["files"][f] = entry
        print(f, {k: v for k, v in entry.items() if k.endswith("Seconds")}, file=sys.stderr)
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
