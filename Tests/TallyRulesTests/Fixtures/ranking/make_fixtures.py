#!/usr/bin/env python3
"""Expected ranking outputs for Tally's ranking rules, from independent implementations.

Run with a venv holding pref_voting 1.18.2 and preflibtools 2.0.33:
    python3 -m venv /work/venv-rank && /work/venv-rank/bin/pip install pref_voting preflibtools
    /work/venv-rank/bin/python make_fixtures.py /path/to/shared/datasets/pabulib
Writes <file>.json next to this script, one per Pabulib file, and <file>.soi (the same ballots as a
PrefLib file, parsed back with preflibtools for the reader's cross-check).

Conventions (Tally contract, "Ranking"): unranked projects are tied at the bottom, so the
pref_voting profile is a ProfileWithTies of truncated rankings with use_extended_strict_preference();
Borda is the symmetric variant (symmetric_borda_scores). Instant-runoff follows the contract (one
elimination a round, fewest current first preferences, exhausted ballots drop, ties eliminate the id
that sorts last), which no peer does exactly, so it is re-implemented here (a small independent
reference, written from the contract's words).
"""
import csv
import io
import json
import os
import sys

from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.scoring_methods import symmetric_borda_scores
from pref_voting.c1_methods import smith_set
from pref_voting.margin_based_methods import minimax_scores, beat_path_defeat, ranked_pairs
import itertools
from preflibtools.instances import OrdinalInstance

FILES = [
    "Poland_Krakow_2018_Swoszowice.pb",
    "Poland_Krakow_2022_Lagiewniki-Borek_Falecki.pb",
    "Poland_Krakow_2024_Swoszowice.pb",
    "Poland_Krakow_2019_Nowa_Huta.pb",
    "US_Stanford_Dataset_PB_Chicago_39th_Ward_2020_vote_rankings.pb",
    "Worldwide_Mechanical_Turk_Ranking_value_3.pb",
    "US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings.pb",
    "US_Stanford_Dataset_Saratoga_NY_2022_vote_rankings.pb",
]
KEMENY_MAX = 9  # brute force over all m! orders of the pref_voting support matrix
# (pref_voting's own kemeny_young_rankings accepts linear profiles only, not truncated ballots)


def read_pabulib(path):
    """META, project ids in file order, valid ordinal ballots (lists of ids), as Tally's reader keeps them."""
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    sections = {}
    current = None
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        if not row:
            continue
        head = row[0].strip().upper()
        if head in ("META", "PROJECTS", "VOTES") and len(row) == 1:
            current = head
            sections[current] = []
            continue
        sections[current].append(row)
    meta = {r[0].strip(): r[1].strip() for r in sections["META"][1:]}
    phead = [h.strip() for h in sections["PROJECTS"][0]]
    pid = phead.index("project_id")
    projects = [r[pid].strip() for r in sections["PROJECTS"][1:]]
    vhead = [h.strip() for h in sections["VOTES"][0]]
    vid, vv = vhead.index("voter_id"), vhead.index("vote")
    known = set(projects)
    max_len = int(meta["max_length"]) if "max_length" in meta else None
    min_len = int(meta["min_length"]) if "min_length" in meta else None
    ballots, seen_voters = [], set()
    for r in sections["VOTES"][1:]:
        voter = r[vid]
        if voter in seen_voters:
            continue
        seen_voters.add(voter)
        toks = [t.strip() for t in r[vv].split(",")] if r[vv].strip() else []
        if any(t not in known for t in toks) or len(set(toks)) != len(toks):
            continue
        if max_len is not None and len(toks) > max_len:
            continue
        if min_len is not None and len(toks) < min_len:
            continue
        ballots.append(toks)
    return meta, projects, ballots


def irv(projects, ballots):
    """The contract's instant-runoff: returns the order (best first) and the elimination rounds."""
    remaining = set(projects)
    order_out, rounds = [], []
    while remaining:
        tally = {p: 0 for p in remaining}
        for b in ballots:
            for p in b:
                if p in remaining:
                    tally[p] += 1
                    break
        fewest = min(tally.values())
        tied = sorted([p for p in remaining if tally[p] == fewest], key=lambda s: s.encode())
        out = tied[-1]
        rounds.append({"eliminated": out, "tally": tally})
        order_out.append(out)
        remaining.remove(out)
    return list(reversed(order_out)), rounds


def main(directory):
    here = os.path.dirname(os.path.abspath(__file__))
    for name in FILES:
        meta, projects, ballots = read_pabulib(os.path.join(directory, name))
        m = len(projects)
        idx = {p: i for i, p in enumerate(projects)}
        # Anonymise: identical ballots merged with counts.
        counts = {}
        for b in ballots:
            counts[tuple(b)] = counts.get(tuple(b), 0) + 1
        types = list(counts)
        rankings = [{idx[p]: pos + 1 for pos, p in enumerate(t)} for t in types]
        prof = ProfileWithTies(rankings, rcounts=[counts[t] for t in types], candidates=list(range(m)))
        prof.use_extended_strict_preference()
        cands = list(range(m))
        support = [[int(prof.support(a, b)) if a != b else 0 for b in cands] for a in cands]
        borda = symmetric_borda_scores(prof)
        copeland = prof.copeland_scores()
        minimax = minimax_scores(prof)
        cw = prof.condorcet_winner()
        smith = sorted(smith_set(prof))
        defeat = beat_path_defeat(prof)
        schulze_beats = {a: sum(1 for b in cands if defeat.has_edge(a, b)) for a in cands}
        rp_winners = sorted(ranked_pairs(prof))
        out = {
            "file": name,
            "source": "pref_voting 1.18.2 (ProfileWithTies, extended strict preference); preflibtools 2.0.33",
            "projects": projects,
            "voters": len(ballots),
            "support": support,
            "borda": [int(borda[c]) for c in cands],
            "copeland": [int(copeland[c]) for c in cands],
            "minimaxWorstDefeat": [int(-minimax[c]) if minimax[c] < 0 else 0 for c in cands],
            "condorcetWinner": projects[cw] if cw is not None else None,
            "smithSet": [projects[c] for c in smith],
            "schulzeBeats": [schulze_beats[c] for c in cands],
            "rankedPairsWinners": [projects[c] for c in rp_winners],
        }
        if m <= KEMENY_MAX:
            best, orders = None, []
            pairs = [(i, j) for i in range(m) for j in range(i + 1, m)]
            for perm in itertools.permutations(cands):
                v = sum(support[perm[i]][perm[j]] for i, j in pairs)
                if best is None or v > best:
                    best, orders = v, [perm]
                elif v == best:
                    orders.append(perm)
            out["kemenyOptimalOrders"] = [[projects[c] for c in r] for r in orders]
            out["kemenyAgreement"] = best
        order, rounds = irv(projects, ballots)
        out["instantRunoff"] = order
        out["instantRunoffTallies"] = [[r["tally"][p] for p in projects if p in r["tally"]] for r in rounds]
        # The same ballots as a PrefLib .soi file, read back by preflibtools.
        base = name[:-3]
        soi = os.path.join(here, base + ".soi")
        with open(soi, "w") as f:
            f.write(f"# FILE NAME: {base}.soi\n# TITLE: {base}\n# DATA TYPE: soi\n")
            f.write(f"# NUMBER ALTERNATIVES: {m}\n# NUMBER VOTERS: {len(ballots)}\n")
            f.write(f"# NUMBER UNIQUE ORDERS: {len(types)}\n")
            for i, p in enumerate(projects):
                f.write(f"# ALTERNATIVE NAME {i + 1}: project {p}\n")
            for t in sorted(types, key=lambda t: (-counts[t], [idx[p] for p in t])):
                f.write(f"{counts[t]}: " + ",".join(str(idx[p] + 1) for p in t) + "\n")
        inst = OrdinalInstance()
        inst.parse_file(soi)
        out["preflib"] = {
            "alternatives": inst.num_alternatives,
            "voters": inst.num_voters,
            "uniqueOrders": inst.num_unique_orders,
            # preflibtools' pairwise counts on soi compare ranked alternatives only.
            "rankedPairCounts": [[0] * m for _ in range(m)],
        }
        for order_, mult in inst.multiplicity.items():
            flat = [c[0] for c in order_]
            for i, a in enumerate(flat):
                for b in flat[i + 1:]:
                    out["preflib"]["rankedPairCounts"][a - 1][b - 1] += mult
        with open(os.path.join(here, base + ".json"), "w") as f:
            json.dump(out, f, indent=1, sort_keys=True)
        print(name, m, len(ballots), "CW", out["condorcetWinner"])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../../../../../shared/datasets/pabulib")
