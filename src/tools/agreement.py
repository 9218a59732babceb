#!/usr/bin/python3
"""agreement.py - how far a change of method (a precision, a time step) moves an
experiment's result, beside how far a change of seed moves it.

    agreement.py [--key COLUMN] [--interp] [--from K] REF_DIR NEW_DIR COLUMN[,COLUMN...] [SHARE]

REF_DIR and NEW_DIR are two data directories (their runs/ or the run files themselves) of the same experiment and runs, made
with the reference method and the new one (every other parameter equal: for example
precision=double and precision=single, or lr=1 steps=4000 and lr=8 steps=500). Their
runs/*.dat files are matched by name, and rows by the value of the first column (t),
so runs of different step counts are compared at the points they share; --key COLUMN
matches by that column instead (t, where the first column counts steps). --interp
compares each NEW row with REF interpolated there, linearly in log(key), for keys
above 0 inside REF's range: for runs whose grids share few points (a log grid of
steps at two learning rates); the interpolation's own error then counts as change,
so the comparison errs against the new method. --from K: only keys >= K (leave out a
transient the comparison is not about). Runs named
GROUP-sSEED (w1000-s1) are the seeds of GROUP. For each column and group it prints
  change: the largest |new - ref| over the shared rows of each run, and its maximum;
  seeds:  the largest |ref_i - ref_j| over the rows, for every pair of seeds of the
          group in REF_DIR;
  ratio:  change / seeds, and the verdict: the new method is accepted where the ratio
          is below SHARE (default 0.1, the precision rule; the time-step rule is 0.25).
Exit status 0 whether or not it is accepted; 1 on bad input. Standard library only;
reads the '# columns:' header of each file.
"""
import itertools
import math
import os
import re
import sys


def fail(msg):
    sys.exit(f"agreement: {msg}")


def read(path, key):
    cols, rows = None, []
    with open(path) as f:
        for line in f:
            if line.startswith("# columns:"):
                cols = line.split(":", 1)[1].split()
            elif line.strip() and not line.startswith("#"):
                rows.append([float(v) for v in line.split()])
    if cols is None:
        fail(f"{path}: no '# columns:' header")
    if not rows:
        fail(f"{path}: no data rows")
    if key is None:
        k = 0
    elif key in cols:
        k = cols.index(key)
    else:
        fail(f"{path}: no column '{key}' (have {', '.join(cols)})")
    return cols, {r[k]: r for r in rows}


def at(rows, t, i):
    """column i of rows (by key) at t, linearly in log(key) between the neighbours;
    None outside their range or at keys <= 0"""
    if t in rows:
        return rows[t][i]
    keys = sorted(k for k in rows if k > 0)
    for lo, hi in zip(keys, keys[1:]):
        if lo < t < hi:
            w = (math.log(t) - math.log(lo)) / (math.log(hi) - math.log(lo))
            return (1 - w) * rows[lo][i] + w * rows[hi][i]
    return None


def maxdiff(a, b, col, interp=False, start=-math.inf):
    """largest |a - b| in column col over the keys a and b share (interp: over b's keys,
    with a interpolated there)"""
    (ca, ra), (cb, rb) = a, b
    if col not in ca or col not in cb:
        fail(f"no column '{col}' in both runs (have {', '.join(ca)})")
    i, j = ca.index(col), cb.index(col)
    if interp:
        pairs = [(at(ra, t, i), rb[t][j]) for t in rb if t > 0 and t >= start]
        pairs = [(x, y) for x, y in pairs if x is not None]
    else:
        pairs = [(ra[t][i], rb[t][j]) for t in ra.keys() & rb.keys() if t >= start]
    if not pairs:
        fail("two runs share no value of their key column")
    return max(abs(x - y) for x, y in pairs), len(pairs)


def main():
    args, key, interp, start = sys.argv[1:], None, False, -math.inf
    while args and args[0].startswith("--"):
        if args[0] == "--interp":
            interp, args = True, args[1:]
        elif args[0] == "--from" and len(args) > 1:
            try:
                start = float(args[1])
            except ValueError:
                fail(f"--from needs a number, not '{args[1]}'")
            args = args[2:]
        elif args[0] == "--key" and len(args) > 1:
            key, args = args[1], args[2:]
        else:
            fail(f"unknown option '{args[0]}' ({__doc__.split(chr(10) * 2)[1].strip()})")
    if len(args) not in (3, 4):
        fail(__doc__.split("\n\n")[1].strip())
    ref_dir, new_dir, columns = args[0], args[1], args[2].split(",")
    try:
        share = float(args[3]) if len(args) == 4 else 0.1
    except ValueError:
        fail(f"SHARE must be a number, not '{args[3]}'")
    # the run files: DIR/runs/*.dat (an experiment's out=DIR), or DIR/*.dat (copied out)
    ref_dir, new_dir = (os.path.join(d, "runs") if os.path.isdir(os.path.join(d, "runs")) else d
                        for d in (ref_dir, new_dir))
    for d in (ref_dir, new_dir):
        if not os.path.isdir(d):
            fail(f"{d}: not a directory")
    runs = sorted(f for f in os.listdir(ref_dir) if f.endswith(".dat"))
    runs = [r for r in runs if os.path.exists(os.path.join(new_dir, r))]
    if not runs:
        fail("no run present in both directories")
    ref = {r: read(os.path.join(ref_dir, r), key) for r in runs}
    new = {r: read(os.path.join(new_dir, r), key) for r in runs}
    groups = {}
    for r in runs:
        m = re.fullmatch(r"(.*)-s\d+\.dat", r)
        groups.setdefault(m.group(1) if m else "", []).append(r)
    for g, members in groups.items():
        print(f"{g or 'runs'}: {', '.join(m[:-4] for m in members)}")
        for c in columns:
            per_run = {r: maxdiff(ref[r], new[r], c, interp, start) for r in members}
            change = max(v for v, _ in per_run.values())
            seeds = max((maxdiff(ref[a], ref[b], c, False, start)[0] for a, b in itertools.combinations(members, 2)),
                        default=float("nan"))
            detail = ", ".join(f"{r[:-4]} {v:.3g} ({n} rows)" for r, (v, n) in per_run.items())
            ratio = change / seeds if seeds > 0 else float("nan")
            verdict = "accepted" if ratio < share else "not accepted"
            print(f"  {c}: change {change:.3g} ({detail}); seeds {seeds:.3g}; ratio {ratio:.3g} "
                  f"-> {verdict} (share {share:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
