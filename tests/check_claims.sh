#!/usr/bin/env bash
# check_claims.sh - `make claims` (src/cmd/claims.c) run as a reviewer would, on copies
# of data files in a scratch directory (part of `make test`):
#  1. Figure 1's committed files decide fig1-variance as a pass; the same files with the
#     wide network's distance at t = 0 raised above the narrow one's (far beyond 3
#     standard errors) make it FAIL by name, in the output and in verdict.dat, and the
#     exit status 1.
#  2. The rate fit, on a synthetic width-scaling summary whose means follow n^-1/2
#     exactly: slope -0.5 and a pass; the same with n^-0.8: FAIL.
#  3. Bad input exits 2 with a message naming the problem: a malformed row (naming the
#     file and line), an unknown argument.
#  4. Generalization: the committed files (the paper profile: five seeds, five widths to
#     2048, t = 20000) decide gen-width as a pass and leave gen-rate (five widths: the
#     residuals' 3 degrees of freedom) and gen-infinity (the limit not converged at the
#     networks' t) not decided; read as two seeds, gen-width is not decided either; it
#     FAILs by name once the widest network's distance is raised above the narrowest's;
#     once the limit at the networks' t is made its t = infinity value, gen-infinity
#     FAILs at the committed test MSE and passes at that value; gen-rate passes on
#     distances following n^-1/2 and FAILs on n^-0.2.
set -euo pipefail
bin=$(realpath "${NTK_BIN:-bin}")/claims
CHECK_NAME=check_claims.sh CHECK_LABEL=claims
. "$(dirname "$0")/checklib.sh"
run() { # dir -> status in $tmp/status, output in $tmp/out, $tmp/err
    set +e; "$bin" data="$1" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/status"; set -e
}
status() { [ "$(cat "$tmp/status")" = "$1" ]; }

# 1. Figure 1: intact, then damaged
mkdir -p "$tmp/good" && cp -r data/fig1 "$tmp/good/"
run "$tmp/good"
check "committed fig1 data: fig1-variance passes" grep -Eq '^pass +fig1-variance ' "$tmp/out"
check "committed fig1 data: exit 0" status 0
cp -r "$tmp/good" "$tmp/bad"
awk 'BEGIN { w = -1 }
     /^#/ || NF == 0 { lines[++n] = $0; next }
     { lines[++n] = $0; if ($2 == 0 && $1 > w) { w = $1; wi = n } if ($2 == 0 && (nw == 0 || $1 < nw)) { nw = $1; ni = n } }
     END { split(lines[ni], a, " "); split(lines[wi], b, " "); b[3] = 2 * a[3];
           lines[wi] = b[1] " " b[2] " " b[3] " " b[4] " " b[5];
           for (i = 1; i <= n; i++) print lines[i] }' "$tmp/good/fig1/summary.dat" >"$tmp/bad/fig1/summary.dat"
check "damage changed summary.dat" bash -c "! cmp -s '$tmp/good/fig1/summary.dat' '$tmp/bad/fig1/summary.dat'"
run "$tmp/bad"
check "damaged fig1 data: fig1-variance named as FAIL" grep -Eq '^FAIL +fig1-variance ' "$tmp/out"
check "damaged fig1 data: the count says 1 FAIL" grep -q ' 1 FAIL,' "$tmp/out"
check "damaged fig1 data: exit 1" status 1
check "damaged fig1 data: verdict.dat row -1" grep -Eq '^fig1-variance .* -1$' "$tmp/bad/claims/verdict.dat"

# 2. the rate fit on exact power laws
powerlaw() { # exponent, file (under $tmp), header lines, columns, an awk statement printing a row of
             # width w and mean m = 2.385 w^exponent: five widths 64 to 1024
    mkdir -p "$(dirname "$tmp/$2")"
    { printf '# produced by a test\n# profile = test\n%b' "$3"; printf '# columns: %s\n' "$4"
      for w in 64 128 256 512 1024; do awk -v w="$w" -v e="$1" "BEGIN { m = 2.385 * w ^ e; $5 }"; done; } >"$tmp/$2"
}
synth() { # exponent -> $tmp/rate$1/width-scaling/summary.dat
    powerlaw "$1" "rate$1/width-scaling/summary.dat" '# seeds = 10\n# init_draws = 10\n# some new provenance line\n' \
        'nonlin width init_dist_mean init_dist_std move_mean move_std' \
        'printf "relu %d %.17g %.17g %.17g %.17g\n", w, m, 0.5 * m, 7 / w, 2 / w'
}
synth -0.5; synth -0.8
run "$tmp/rate-0.5"
check "n^-1/2 means: rate-init-relu passes with slope -0.5" grep -Eq '^pass +rate-init-relu .*this run \(test\) -0\.5 ' "$tmp/out"
check "n^-1 movement: rate-move-relu passes with slope -1" grep -Eq '^pass +rate-move-relu .*this run \(test\) -1 ' "$tmp/out"
check "no erf rows: rate-init-erf not decided" grep -Eq '^not decided +rate-init-erf ' "$tmp/out"
check "n^-1/2 means: exit 0" status 0
run "$tmp/rate-0.8"
check "n^-0.8 means: rate-init-relu FAILs" grep -Eq '^FAIL +rate-init-relu .*this run \(test\) -0\.8 ' "$tmp/out"
check "n^-0.8 means: exit 1" status 1

# 3. bad input
mkdir -p "$tmp/malformed/fig1" && cp "$tmp/good/fig1/"*.dat "$tmp/malformed/fig1/"
echo "500 0 0.1" >>"$tmp/malformed/fig1/summary.dat"
run "$tmp/malformed"
check "malformed row: exit 2" status 2
check "malformed row: the file and line named" grep -q "malformed/fig1/summary.dat:[0-9]*: too few values" "$tmp/err"
set +e; "$bin" dta=x >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/status"; set -e
check "unknown argument: exit 2, named" bash -c "[ \$(cat '$tmp/status') = 2 ] && grep -q \"unknown argument 'dta=x'\" '$tmp/err'"

# 4. generalization
gen() { # dir -> a copy of the committed data/generalization under it
    mkdir -p "$tmp/$1" && cp -r data/generalization "$tmp/$1/"
}
setcol() { # file, model (or - for every row), width (or -), column, value: rewrites one column
    awk -v m="$2" -v w="$3" -v col="$4" -v val="$5" '
        /^# columns:/ { for (i = 3; i <= NF; i++) if ($i == col) c = i - 2; print; next }
        /^#/ || NF == 0 { print; next }
        { o = $1 ~ /^[a-z]/ ? 1 : 0; if ((m == "-" || $1 == m) && (w == "-" || $(1 + o) == w)) $(c) = val; print }' \
        "$1" >"$1.new" && mv "$1.new" "$1"
}
gen gen5
run "$tmp/gen5"
check "committed generalization data (5 seeds): gen-width passes" grep -Eq '^pass +gen-width .*5 seeds' "$tmp/out"
check "committed generalization data (5 widths): gen-rate not decided" grep -Eq '^not decided +gen-rate .*4 seeds or points' "$tmp/out"
check "committed generalization data, limit not converged at t = 20000: gen-infinity not decided" \
    grep -Eq '^not decided +gen-infinity .*the networks stop at t = 20000' "$tmp/out"
check "committed generalization data: exit 0" status 0
gen gen2
sed -i 's/^# seeds = 5$/# seeds = 2/' "$tmp/gen2/generalization/"*.dat
setcol "$tmp/gen2/generalization/summary.dat" net - seeds 2
run "$tmp/gen2"
check "generalization read as 2 seeds: gen-width not decided" grep -Eq '^not decided +gen-width .*2 seeds' "$tmp/out"
check "generalization read as 2 seeds: exit 0" status 0
cp -r "$tmp/gen5" "$tmp/gen5bad"
setcol "$tmp/gen5bad/generalization/distance.dat" - 2048 dist 0.25
run "$tmp/gen5bad"
check "widest network's distance raised: gen-width named as FAIL" grep -Eq '^FAIL +gen-width ' "$tmp/out"
check "widest network's distance raised: exit 1" status 1
check "widest network's distance raised: verdict.dat row -1" grep -Eq '^gen-width .* -1$' "$tmp/gen5bad/claims/verdict.dat"
einf=$(awk '$1 == "ntk" && $3 == 512 { print $9 }' data/generalization/summary.dat)
setcol "$tmp/gen5/generalization/summary.dat" net 2048 ntk_expected_mse_same_t "$einf"
run "$tmp/gen5"
check "limit converged at the networks' t, committed test MSE: gen-infinity FAILs" grep -Eq '^FAIL +gen-infinity ' "$tmp/out"
setcol "$tmp/gen5/generalization/summary.dat" net 2048 test_mse "$einf"
run "$tmp/gen5"
check "limit converged, test MSE at the limit's: gen-infinity passes" grep -Eq '^pass +gen-infinity ' "$tmp/out"
gsynth() { # exponent -> $tmp/gsynth$1/generalization/distance.dat, five widths, five seeds
    powerlaw "$1" "gsynth$1/generalization/distance.dat" '# seeds = 5\n# t = 6000\n' \
        'width dist dist_std dist_mean dist_mean_std fit' \
        'printf "%d %.17g %.17g %.17g %.17g %.17g\n", w, m, 0.1 * m, m, 0.1 * m, m'
}
gsynth -0.5; gsynth -0.2
run "$tmp/gsynth-0.5"
check "distances following n^-1/2: gen-rate passes with slope -0.5" grep -Eq '^pass +gen-rate .*this run \(test\) -0\.5 ' "$tmp/out"
run "$tmp/gsynth-0.2"
check "distances following n^-0.2: gen-rate FAILs" grep -Eq '^FAIL +gen-rate .*this run \(test\) -0\.2 ' "$tmp/out"

checks_done
