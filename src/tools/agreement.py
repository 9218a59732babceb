#!/usr/bin/python3
"""agreement.py - how far a change of method (a precision, a time step) moves an
experiment's result, beside how far a change of seed moves it.

    agreement.py REF_DIR NEW_DIR COLUMN[,COLUMN...] [SHARE]

REF_DIR and NEW_DIR are two data directories (their runs/ or the run files themselves) of the same experiment and runs, made
with the reference method and the new one (every other parameter equal: for example
precision=double and precision=single, or lr=1 steps=4000 and lr=8 steps=500). Their
runs/*.dat files are matched by name, and rows by the value of the first column (t),
so runs of different step counts are compared at the points they share. Runs named
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
import os
import re
import sys


def fail(msg):
    sys.exit(f"agreement: {msg}")


def read(path):
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
    return cols, {r[0]: r for r in rows}


def maxdiff(a, b, col):
    """largest |a - b| in column col over the first-column values a and b share"""
    (ca, ra), (cb, rb) = a, b
    if col not in ca or col not in cb:
        fail(f"no column '{col}' in both runs (have {', '.join(ca)})")
    shared = ra.keys() & rb.keys()
    if not shared:
        fail("two runs share no value of their first column")
    i, j = ca.index(col), cb.index(col)
    return max(abs(ra[t][i] - rb[t][j]) for t in shared), len(shared)


def main():
    if len(sys.argv) not in (4, 5):
        fail(__doc__.split("\n\n")[1].strip())
    ref_dir, new_dir, columns = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    try:
        share = float(sys.argv[4]) if len(sys.argv) == 5 else 0.1
    except ValueError:
        fail(f"SHARE must be a number, not '{sys.argv[4]}'")
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
    ref = {r: read(os.path.join(ref_dir, r)) for r in runs}
    new = {r: read(os.path.join(new_dir, r)) for r in runs}
    groups = {}
    for r in runs:
        m = re.fullmatch(r"(.*)-s\d+\.dat", r)
        groups.setdefault(m.group(1) if m else "", []).append(r)
    for g, members in groups.items():
        print(f"{g or 'runs'}: {', '.join(m[:-4] for m in members)}")
        for c in columns:
            per_run = {r: maxdiff(ref[r], new[r], c) for r in members}
            change = max(v for v, _ in per_run.values())
            seeds = max((maxdiff(ref[a], ref[b], c)[0] for a, b in itertools.combinations(members, 2)),
                        default=float("nan"))
            detail = ", ".join(f"{r[:-4]} {v:.3g} ({n} rows)" for r, (v, n) in per_run.items())
            ratio = change / seeds if seeds > 0 else float("nan")
            verdict = "accepted" if ratio < share else "not accepted"
            print(f"  {c}: change {change:.3g} ({detail}); seeds {seeds:.3g}; ratio {ratio:.3g} "
                  f"-> {verdict} (share {share:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
