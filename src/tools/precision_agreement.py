#!/usr/bin/python3
"""precision_agreement.py - how far single precision moves an experiment's result,
beside how far a change of seed moves it.

    precision_agreement.py DOUBLE_DIR SINGLE_DIR COLUMN[,COLUMN...]

DOUBLE_DIR and SINGLE_DIR are two data directories of the same experiment and runs,
made with precision=double and precision=single (every other parameter equal); their
runs/*.dat files are matched by name. For each column it prints
  precision: the largest |single - double| over the rows of each run, and the largest
             over the runs;
  seeds:     the largest |run_i - run_j| over the rows, for every pair of runs of the
             double directory (the runs are the seeds of one width);
  ratio:     precision / seeds. Single precision is taken where this is below 0.1.
Standard library only; reads the '# columns:' header of each file.
"""
import itertools
import os
import sys


def read(path):
    cols, rows = None, []
    with open(path) as f:
        for line in f:
            if line.startswith("# columns:"):
                cols = line.split(":", 1)[1].split()
            elif line.strip() and not line.startswith("#"):
                rows.append([float(v) for v in line.split()])
    if cols is None:
        sys.exit(f"precision_agreement: {path}: no '# columns:' header")
    return {c: [r[i] for r in rows] for i, c in enumerate(cols)}


def maxdiff(a, b):
    if len(a) != len(b):
        sys.exit("precision_agreement: runs of different lengths")
    return max(abs(x - y) for x, y in zip(a, b))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    ddir, sdir, columns = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    runs = sorted(f for f in os.listdir(os.path.join(ddir, "runs")) if f.endswith(".dat"))
    runs = [r for r in runs if os.path.exists(os.path.join(sdir, "runs", r))]
    if not runs:
        sys.exit("precision_agreement: no run present in both directories")
    dbl = {r: read(os.path.join(ddir, "runs", r)) for r in runs}
    sgl = {r: read(os.path.join(sdir, "runs", r)) for r in runs}
    print(f"runs: {', '.join(runs)}")
    for c in columns:
        if c not in dbl[runs[0]]:
            sys.exit(f"precision_agreement: no column '{c}' (have {', '.join(dbl[runs[0]])})")
        per_run = {r: maxdiff(dbl[r][c], sgl[r][c]) for r in runs}
        prec = max(per_run.values())
        seeds = max((maxdiff(dbl[a][c], dbl[b][c]) for a, b in itertools.combinations(runs, 2)), default=float("nan"))
        detail = ", ".join(f"{r[:-4]} {v:.3g}" for r, v in per_run.items())
        print(f"{c}: precision {prec:.3g} ({detail}); seeds {seeds:.3g}; ratio {prec / seeds:.3g} "
              f"-> {'single' if prec < 0.1 * seeds else 'double'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
