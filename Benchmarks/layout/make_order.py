#!/usr/bin/env python3
"""Writes the link order of the release binary's hot code (Benchmarks/layout/tally.order).

    make layout-order          (needs valgrind, perf for the data part, and the shared Pabulib files)

Why: the release binary is 36 MB, ~12.6 MB of it code. A process maps its code page by page on first
use; each first touch of a 64 KB window (the kernel's fault-around) costs a page fault, ~3.3 us
measured here. The code a quick command runs (~200-800 KB) was spread over the whole text: `tally
allocate` took ~70-100 such faults on its main thread, ahead of any work. The release link (lld,
each Swift and C function in its own section) places the sections named in tally.order first, in
that order, so the hot code sits in a few windows.

How: the script runs a set of representative commands under valgrind's callgrind (every function
executed, not a sample), maps each function to the input section that holds it (from the linker's
map of an unordered link), and writes one symbol per section: first the sections the quick
commands share, then the rest, and the standard library's 1.6 MB monolithic `.text` (it cannot be
split) last. A symbol the code no longer has is ignored by the linker (`--no-warn-symbol-ordering`),
so a stale file only lays the code out less well; it never changes what the program does.

The file then names the writable data the same commands write: in .bss and in .data, every input
section of the package's own objects and those perf's page fault tracepoint sees written (with the
small sections sharing their pages), followed by `tally_hot_data_end` in .bss and bracketed by
`tally_hot_rwdata_begin`/`_end` in .data, which the linker therefore places around them. `tally` maps
those ranges in one call each at start (`tally_populate_hot_data`). Without that, each such page took
a read fault, then a copy-on-write fault that had to flush the TLB of the CPU where the reading
thread was running (an interprocessor interrupt: 13-17 of them in `tally allocate` on Katowice 2020).
Without perf only the package's own sections are named.

Arguments: --tally BIN (an lld release binary linked without an order file) --map MAP (its map,
`-Xlinker -Map=MAP`) --out FILE.
"""
import argparse
import bisect
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def workloads(pabulib):
    """(name, argv) pairs: the commands whose code is laid out first, quick ones first."""
    p = lambda f: os.path.join(pabulib, f)
    cumulative = p("Poland_Katowice_2020.pb")
    approval = p("Poland_Krakow_2024_Bienczyce.pb")
    ordinal = p("Poland_Krakow_2018_Bienczyce.pb")
    election = os.path.join(ROOT, "datasets", "korea-national-2020")
    w = []
    for rule in ["greedy", "max-welfare", "mes", "official", "greedy-threshold", "mes-add1"]:
        w.append((f"allocate {rule} cumulative", ["allocate", cumulative, "--rule", rule, "--format", "json"]))
    for rule in ["greedy", "max-welfare", "mes", "phragmen", "mes-add1-greedy"]:
        w.append((f"allocate {rule} approval", ["allocate", approval, "--rule", rule, "--format", "json"]))
    w.append(("allocate greedy table", ["allocate", cumulative, "--rule", "greedy"]))
    w.append(("allocate greedy ordinal", ["allocate", ordinal, "--rule", "greedy", "--format", "json"]))
    w.append(("run json", ["run", election, "--format", "json"]))
    w.append(("run table", ["run", election]))
    w.append(("validate", ["validate", cumulative, "--format", "json"]))
    for rule in ["score", "borda", "schulze"]:
        w.append((f"rank {rule}", ["rank", approval, "--rule", rule, "--format", "json"]))
    w.append(("rank ordinal", ["rank", ordinal, "--rule", "borda", "--format", "json"]))
    return w


def input_sections(map_path, output=".text"):
    """The input sections of the map's output section `output`: [address, size, name, [symbols]], by
    address.

    lld's map indents an output section by 0 after the Align column, an input section by 8 and a
    symbol by 16."""
    sections, current, in_text = [], None, False
    row = re.compile(r"^\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+ (.*)$")
    for line in open(map_path):
        m = row.match(line.rstrip("\n"))
        if not m:
            continue
        rest = m.group(3)
        depth = len(rest) - len(rest.lstrip(" "))
        name = rest.strip()
        if depth == 0:
            in_text, current = name == output, None
        elif depth == 8:
            current = [int(m.group(1), 16), int(m.group(2), 16), name, []] if in_text else None
            if current:
                sections.append(current)
        elif current is not None:
            current[3].append(name)
    sections.sort()
    return sections


def symbol_addresses(binary):
    addresses = {}
    out = subprocess.run(["nm", binary], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwWiI":
            addresses.setdefault(parts[2], int(parts[0], 16))
    return addresses


def executed(binary, argv, scratch):
    """The functions callgrind saw run (names as in the symbol table, or addresses)."""
    out = os.path.join(scratch, "callgrind.out")
    r = subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}", binary] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if not os.path.exists(out):
        sys.exit(f"callgrind failed on {' '.join(argv)}:\n{r.stderr[-2000:]}")
    names = []
    for line in open(out, errors="replace"):
        m = re.match(r"^c?fn=\(\d+\) (.*)$", line)
        if m:
            names.append(re.sub(r"'\d+$", "", m.group(1).strip()))
    os.remove(out)
    return names


def written_addresses(binary, argv, scratch):
    """The addresses of the command's write faults (perf's page fault tracepoint)."""
    data = os.path.join(scratch, "faults.data")
    subprocess.run(["perf", "record", "-q", "-e", "exceptions:page_fault_user", "-o", data, binary] + argv,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = subprocess.run(["perf", "script", "-i", data, "-F", "trace"], capture_output=True, text=True).stdout
    addresses = set()
    for line in out.splitlines():
        m = re.search(r"address=(0x[0-9a-f]+).*error_code=(0x[0-9a-f]+)", line)
        if m and int(m.group(2), 16) & 2:
            addresses.add(int(m.group(1), 16))
    return addresses


def hot_data(sections, written):
    """The sections of writable data to map at start, by address: every one of the package's own
    objects (their metadata caches and once tokens: a page can hold several, and only its first
    write faults), and the one holding each write fault's address, with the small ones (a page or
    less) on the same page."""
    hot = []
    for s in sections:
        address, size, name, symbols = s
        if not symbols or symbols[0].startswith("tally_hot_"):
            continue  # (the markers are placed by the caller)
        ours = not name.startswith(("/usr/", "/lib/", "/opt/"))
        if ours or any(address <= a < address + size or size <= 4096 and address < (a | 4095) + 1 and address + size > a >> 12 << 12
                       for a in written):
            hot.append(s)
    return hot


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tally", required=True)
    ap.add_argument("--map", required=True)
    ap.add_argument("--out", default=os.path.join(HERE, "tally.order"))
    ap.add_argument("--pabulib", default=os.environ.get("TALLY_PABULIB_DIR", os.path.join(ROOT, "..", "shared", "datasets", "pabulib")))
    args = ap.parse_args()
    sections = input_sections(args.map)
    starts = [s[0] for s in sections]
    with tempfile.TemporaryDirectory() as scratch:
        # valgrind cannot read the DWARF 5 of this toolchain; the symbol table is enough.
        binary = os.path.join(scratch, "tally")
        subprocess.run(["llvm-objcopy", "--strip-debug", args.tally, binary], check=True)
        addresses = symbol_addresses(binary)
        seen = collections.OrderedDict()  # section index -> first workload
        unknown = collections.Counter()
        for k, (label, argv) in enumerate(workloads(args.pabulib)):
            missing = [a for a in argv if a.startswith("/") and not os.path.exists(a)]
            if missing:
                sys.exit(f"not found: {missing[0]} (set TALLY_PABULIB_DIR)")
            names = executed(binary, argv, scratch)
            for n in names:
                a = addresses.get(n)
                if a is None and re.fullmatch(r"0x[0-9a-f]+", n):
                    a = int(n, 16)
                i = bisect.bisect_right(starts, a) - 1 if a is not None else -1
                if i < 0 or not sections[i][0] <= a < sections[i][0] + max(sections[i][1], 1):
                    unknown[n] += 1
                    continue
                seen.setdefault(i, k)
            print(f"{label}: {len(set(names))} functions, {len(seen)} sections so far", file=sys.stderr)
        # The writable data the commands write (perf's write faults), in .bss and .data.
        written = set()
        if shutil.which("perf"):
            for label, argv in workloads(args.pabulib):
                written |= written_addresses(binary, argv, scratch)
        else:
            print("perf not found: the order names only the package's own data sections", file=sys.stderr)
    big = 256 * 1024
    order = sorted(seen, key=lambda i: (sections[i][1] >= big, seen[i], sections[i][0]))
    lines, size = [], 0
    for i in order:
        address, length, name, symbols = sections[i]
        if not symbols:
            continue
        lines.append(symbols[0])
        size += length
    data_lines, data_size = [], 0
    for output, begin, end in [(".bss", None, "tally_hot_data_end"),
                               (".data", "tally_hot_rwdata_begin", "tally_hot_rwdata_end")]:
        hot = hot_data(input_sections(args.map, output), written)
        data_lines += ([begin] if begin else []) + [x[3][0] for x in hot] + [end]
        data_size += sum(x[1] for x in hot)
    lines += data_lines
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{len(data_lines)} data sections, {data_size / 1024:.0f} KB", file=sys.stderr)
    print(f"{len(lines)} sections, {size / 1024:.0f} KB, written to {args.out}; "
          f"{sum(unknown.values())} names outside .text ({', '.join(list(unknown)[:5])})", file=sys.stderr)


if __name__ == "__main__":
    main()
