#!/usr/bin/env python3
"""Random small multi-channel elections and their expected results, from an independent reference.

No peer library runs `election.json`, so this script re-implements the contract's election semantics
(`CONTRACT.md`, "Elections", and Tally's documented extensions) directly from their words, in exact
`Fraction` arithmetic, without any of Tally's code:
  - void reasons, first that applies, in this order: malformed-row (wrong number of fields, empty voter
    id), duplicate-voter (every copy of an id after its first well-formed row), bad-weight (not a
    positive decimal with at most 6 decimals and at most 1,000,000; empty means 1), unknown-group (the
    channel weights groups and the ballot's is not one of them), unknown-project (an empty id too),
    repeated-project, too-few-picks / too-many-picks;
  - a ballot's weight is its `weight` times its group's weight; shares by the channel's normalisation
    (share-of-voters, share-of-approvals, max-100, raw); combined score = sum of weight x share;
  - ranking by combined score, ties by project id as a string; `greedy` funds each in that order that
    fits in what is left.

    python3 make_reference.py        # rewrites elections.json next to this script (seeds 0-47)

Each entry holds the election's files (their exact text) and the expected per-channel counts, exact
combined scores (as "n/d"), order and funded projects. `ElectionReferenceTests` writes the files to a
temporary folder, runs them through `ElectionReader` and `ElectionRun`, and compares.
"""
import json, os, random, sys
from fractions import Fraction as F
from decimal import Decimal

REASONS = ["malformed-row", "duplicate-voter", "bad-weight", "unknown-group", "unknown-project",
           "repeated-project", "too-few-picks", "too-many-picks"]

def gen(seed, out):
    rnd = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    n = rnd.randint(3, 12)
    ids = [f"P{i}" for i in rnd.sample(range(1, 30), n)]
    costs = {p: rnd.choice([rnd.randint(1, 20) * 100, rnd.randint(1, 2000)]) for p in ids}
    budget = rnd.randint(max(costs.values()), sum(costs.values()))
    with open(f"{out}/projects.csv", "w") as f:
        f.write("project_id;cost;name\n")
        for p in ids: f.write(f"{p};{costs[p]};Project {p}\n")
    chans = []
    for c in range(rnd.randint(1, 3)):
        cid = ["public", "committee", "school"][c]
        ch = {"id": cid, "ballots": f"{cid}.csv", "weight": float(rnd.choice(["0.5", "0.3", "1", "0.25", "2", "0.1"]))}
        mode = rnd.random()
        lo, hi = 1, None
        if mode < 0.3:
            k = rnd.randint(1, min(3, n)); ch["exactPicks"] = k; lo = hi = k
        elif mode < 0.7:
            hi = rnd.randint(1, n); ch["maxPicks"] = hi
            if rnd.random() < 0.5:
                lo = rnd.randint(1, hi); ch["minPicks"] = lo
        useW = rnd.random() < 0.4
        groups = None
        if rnd.random() < 0.3:
            groups = {"a": float(rnd.choice(["1", "1.5", "0.5", "2"])), "b": float(rnd.choice(["1", "3", "0.2"]))}
            ch["groups"] = groups
        useG = groups is not None or rnd.random() < 0.2
        cols = ["voter_id", "vote"] + (["weight"] if useW else []) + (["group"] if useG else [])
        rows = []
        nv = rnd.randint(0, 40)
        voters = [f"v{rnd.randint(1, nv + 3)}" for _ in range(nv)]
        for v in voters:
            k = rnd.randint(0, min(n, (hi or 4) + 1))
            picks = rnd.sample(ids, k)
            r = rnd.random()
            if r < 0.05 and picks: picks.append(rnd.choice(picks))          # repeated
            elif r < 0.1: picks.append("P99")                              # unknown
            elif r < 0.13 and len(picks) >= 2: picks.insert(1, "")        # empty id
            row = [v, ",".join(picks)]
            if useW:
                row.append(rnd.choice(["1", "2", "0.5", "", "1.25", "0", "-1", "x", "0.0000001", "3.000001", "1000001"]) if rnd.random() < 0.5 else rnd.choice(["1", "2", "0.75"]))
            if useG:
                row.append(rnd.choice(["a", "b", "a", "b", "c", ""]))
            line = ";".join(row)
            r2 = rnd.random()
            if r2 < 0.04: line = ";" + line.split(";", 1)[1]                 # empty voter id
            elif r2 < 0.07: line = line + ";x;y"                            # too many fields
            rows.append(line)
        with open(f"{out}/{cid}.csv", "w") as f:
            f.write(";".join(cols) + "\n")
            for l in rows: f.write(l + "\n")
        chans.append(ch)
    el = {"name": f"random {seed}", "projects": "projects.csv", "budget": budget, "channels": chans,
          "normalisation": rnd.choice(["share-of-voters", "share-of-approvals", "max-100", "raw"]),
          "allocation": "greedy"}
    with open(f"{out}/election.json", "w") as f: json.dump(el, f, indent=1)

def parse_weight(t):
    t = t.strip()
    if t == "": return F(1)
    try:
        d = Decimal(t)
    except Exception:
        return None
    if not d.is_finite() or d <= 0: return None
    if -d.as_tuple().exponent > 6 and d.as_tuple().exponent < 0:
        # more than 6 decimals (trailing zeros would be normalised)
        if d != d.quantize(Decimal("0.000001")): return None
    if d > 1000000: return None
    return F(d)

def reference(d):
    el = json.load(open(f"{d}/election.json"))
    lines = open(f"{d}/projects.csv").read().splitlines()
    ids, costs = [], {}
    for l in lines[1:]:
        p, c, _ = l.split(";"); ids.append(p); costs[p] = int(c)
    out = {"channels": [], "scores": {}}
    total = {p: F(0) for p in ids}
    for ch in el["channels"]:
        rows = open(f"{d}/{ch['ballots']}").read().splitlines()
        header = rows[0].split(";")
        lo = ch.get("exactPicks", ch.get("minPicks", 1)); hi = ch.get("exactPicks", ch.get("maxPicks"))
        groups = {g: F(Decimal(str(w))) for g, w in ch.get("groups", {}).items()}
        seen = set(); counts = {r: 0 for r in REASONS}; valid = []
        for row in rows[1:]:
            f = row.split(";")
            if len(f) != len(header) or f[0].strip() == "":
                counts["malformed-row"] += 1; continue
            v = f[0].strip()
            if v in seen: counts["duplicate-voter"] += 1; continue
            seen.add(v)
            rec = dict(zip(header, f))
            w = F(1)
            if "weight" in rec:
                w = parse_weight(rec["weight"])
                if w is None: counts["bad-weight"] += 1; continue
            if groups:
                g = rec.get("group", "").strip()
                if g not in groups: counts["unknown-group"] += 1; continue
                w *= groups[g]
            toks = rec["vote"].split(",") if rec["vote"].strip() != "" else []
            toks = [t.strip() for t in toks]
            if any(t not in costs for t in toks): counts["unknown-project"] += 1; continue
            if len(set(toks)) != len(toks): counts["repeated-project"] += 1; continue
            if len(toks) < lo: counts["too-few-picks"] += 1; continue
            if hi is not None and len(toks) > hi: counts["too-many-picks"] += 1; continue
            valid.append((w, toks))
        npick = {p: F(0) for p in ids}
        for w, toks in valid:
            for t in toks: npick[t] += w
        norm = el.get("normalisation", "share-of-voters")
        W = sum((w for w, _ in valid), F(0)); A = sum((w * len(t) for w, t in valid), F(0))
        share = {}
        for p in ids:
            if norm == "share-of-voters": share[p] = npick[p] / W if W else F(0)
            elif norm == "share-of-approvals": share[p] = npick[p] / A if A else F(0)
            elif norm == "max-100":
                m = max(npick.values()); share[p] = 100 * npick[p] / m if m else F(0)
            else: share[p] = npick[p]
        cw = F(Decimal(str(ch["weight"])))
        for p in ids: total[p] += cw * share[p]
        out["channels"].append({"id": ch["id"], "read": len(rows) - 1, "valid": len(valid),
                                "void": len(rows) - 1 - len(valid), "voidByReason": {k: v for k, v in counts.items() if v}})
    order = sorted(ids, key=lambda p: (-total[p], p))
    left = el["budget"]; sel = []
    for p in order:
        if costs[p] <= left: sel.append(p); left -= costs[p]
    out["order"] = order
    out["scores"] = {p: str(total[p]) for p in ids}
    out["selected"] = sel
    return out

def entry(seed):
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        gen(seed, d)
        files = {name: open(os.path.join(d, name)).read() for name in sorted(os.listdir(d))}
        return {"seed": seed, "files": files, "expected": reference(d)}

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "elections.json"), "w") as f:
        json.dump([entry(s) for s in range(48)], f, indent=0, sort_keys=True)
        f.write("\n")
