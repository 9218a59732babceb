#!/usr/bin/env bash
# check_agreement.sh - src/tools/agreement.py, the tool behind every "change of method
# against the seed spread" number in the READMEs (part of `make test`), on synthetic run
# files in a scratch directory:
#  1. rows matched by their first column: the change is the largest |new - ref| over the
#     shared rows, the seed spread the largest |seed 1 - seed 2|, their ratio decides;
#  2. --key t --interp: a curve linear in log t, recorded on two grids, compares with
#     change 0 (interpolation exact on it); --from drops the rows before a key;
#  3. bad input exits 1 naming the problem: an unknown option, a missing column.
# agreement.py is a developer's tool in Python; without /usr/bin/python3 this says so
# and checks nothing (exit 0).
set -euo pipefail
py=/usr/bin/python3
tool=$(realpath src/tools/agreement.py)
[ -x "$py" ] || { echo "check_agreement.sh: no $py, agreement.py not checked"; exit 0; }
CHECK_NAME=check_agreement.sh CHECK_LABEL=agreement
. "$(dirname "$0")/checklib.sh"
runfile() { # path, awk program printing rows "step t y"
    mkdir -p "$(dirname "$1")"
    { echo "# columns: step t y"; awk "BEGIN { $2 }"; } >"$1"
}
# 1: reference seeds differ by 0.2 at step 2; the new method moves seed 1 by 0.01
runfile "$tmp/a/ref/runs/w1-s1.dat" 'for (k = 0; k <= 4; k++) print k, k, k'
runfile "$tmp/a/ref/runs/w1-s2.dat" 'for (k = 0; k <= 4; k++) print k, k, k + (k == 2 ? 0.2 : 0)'
runfile "$tmp/a/new/runs/w1-s1.dat" 'for (k = 0; k <= 4; k++) print k, k, k + (k == 3 ? 0.01 : 0)'
runfile "$tmp/a/new/runs/w1-s2.dat" 'for (k = 0; k <= 4; k++) print k, k, k + (k == 2 ? 0.2 : 0)'
"$py" "$tool" "$tmp/a/ref" "$tmp/a/new" y >"$tmp/out"
check "shared rows: change 0.01, seeds 0.2, ratio 0.05 accepted" grep -q 'y: change 0.01 .*seeds 0.2; ratio 0.05 -> accepted' "$tmp/out"
"$py" "$tool" "$tmp/a/ref" "$tmp/a/new" y 0.04 >"$tmp/out"
check "share 0.04: not accepted" grep -q 'ratio 0.05 -> not accepted (share 0.04)' "$tmp/out"
# 2: y = log10(t) at lr 1 (t = 1..1000, every decade) and at lr 10 (t = 10, 100): exact
runfile "$tmp/b/ref/runs/w1-s1.dat" 'for (k = 0; k <= 3; k++) print k, 10 ^ k, k'
runfile "$tmp/b/ref/runs/w1-s2.dat" 'for (k = 0; k <= 3; k++) print k, 10 ^ k, k + (k == 1 ? 0.5 : 0)'
runfile "$tmp/b/new/runs/w1-s1.dat" 'print 1, 10, 1; print 3, 31.622776601683793, 1.5 + 0.1; print 10, 100, 2'
runfile "$tmp/b/new/runs/w1-s2.dat" 'print 1, 10, 1.5; print 10, 100, 2'
"$py" "$tool" --key t --interp "$tmp/b/ref" "$tmp/b/new" y >"$tmp/out"
check "--interp: the off-grid point (t = 10^1.5) compared with 1.5, change 0.1" grep -q 'y: change 0.1 (w1-s1 0.1 (3 rows), w1-s2 0 (2 rows)); seeds 0.5' "$tmp/out"
"$py" "$tool" --key t --interp --from 50 "$tmp/b/ref" "$tmp/b/new" y >"$tmp/out"
check "--from 50: only t = 100 left, change 0" grep -q 'y: change 0 (w1-s1 0 (1 rows), w1-s2 0 (1 rows))' "$tmp/out"
# 3: bad input
set +e
"$py" "$tool" --bogus "$tmp/a/ref" "$tmp/a/new" y >"$tmp/out" 2>&1; st=$?
set -e
check "unknown option: exit 1" test "$st" = 1
check "unknown option: named" grep -q "unknown option '--bogus'" "$tmp/out"
set +e
"$py" "$tool" "$tmp/a/ref" "$tmp/a/new" z >"$tmp/out" 2>&1; st=$?
set -e
check "missing column: exit 1, named" bash -c "[ $st = 1 ] && grep -q \"no column 'z'\" '$tmp/out'"

checks_done
