#!/usr/bin/env bash
# tests/slurm/checks.sh REF OUT - the checks of make test-slurm, run inside a test
# cluster (tests/slurm/run.sh): REF is the local smoke pipeline's output root
# (build/smoke), OUT a fresh output root for the Slurm path.
#
#  1. `make figures PROFILE=smoke SLURM=1` submits every experiment: every job
#     completes within the time limit;
#  2. the data files equal the local pipeline's (tests/check_identical.sh: apart from
#     the header lines that record when, where and from which build, and timings);
#  3. submitting again submits nothing;
#  4. a run made to fail (its file's place taken by a directory) fails its task, leaves
#     no partial file, keeps its summary from running, and make slurm-status names
#     it and its log; once the cause is gone, resubmitting runs just that run and the
#     summary, and the outputs are again those of the local pipeline.
set -uo pipefail
ref=$1 out=$2
WAIT=${WAIT:-240}
fails=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
make_slurm() { make --no-print-directory -j2 "$@" PROFILE=smoke SLURM=1 OUTROOT="$out/" RUN_CPUS=1; }

# Wait until none of this user's jobs is pending or running, at most $1 seconds;
# jobs held by a dependency that can never be met do not count.
wait_queue() {
    local t0=$SECONDS
    while [ $((SECONDS - t0)) -lt "$1" ]; do
        [ -z "$(squeue -h --me -t PD,R,CG,CF -o '%i %r' | grep -v DependencyNeverSatisfied)" ] && return 0
        sleep 2
    done
    return 1
}

# Job states as "ID STATE" lines (finished jobs stay listed: MinJobAge in slurm.conf).
states() { squeue -h --me -t all -o '%i %T'; }

# The data of experiment $1 through Slurm are those of the local pipeline: every data
# file (runs included) the same results (tests/check_identical.sh: byte for byte apart
# from the provenance header lines and the measured *seconds values), and every figure
# there.
same_data() {
    local n=$1 f bad=0
    bash tests/check_identical.sh "$ref/data/$n" "$out/data/$n" | sed 's/^/  /' || bad=1
    for f in "$ref/figures/$n"*.png "$ref/figures/$n"*.pdf; do
        [ -f "$out/figures/${f##*/}" ] || { echo "  $n: no figure ${f##*/}"; bad=1; }
    done
    return $bad
}

# The experiments: the data directories the pipeline made figures from (not bench/ or
# claims/).
names=$(cd "$ref/data" && for d in */; do [ -f "$d.figures" ] && echo "${d%/}"; done)
t0=$SECONDS

# 1. Submit everything; wait; every job completed.
log=$(make_slurm figures 2>&1) || { echo "$log"; fail "make figures SLURM=1 failed"; exit 1; }
echo "$log" | grep -E '^[a-z0-9-]+: submitted|^watch' | sed 's/^/  /'
nsub=$(echo "$log" | grep -c ': submitted job')
if wait_queue "$WAIT"; then pass "submission: $nsub jobs, all finished in $((SECONDS - t0)) s"
else fail "jobs still queued after $WAIT s:"; squeue --me; fi
notdone=$(states | awk '$2 != "COMPLETED"')
ntasks=$(states | wc -l)
[ -z "$notdone" ] && pass "all $ntasks jobs and array tasks COMPLETED" || { fail "jobs not COMPLETED:"; echo "$notdone" | head; }

# 2. The same data as the local pipeline.
for n in $names; do
    same_data "$n" && pass "$n: data files equal the local smoke pipeline's" || fail "$n: data differ from the local pipeline's"
done

# 3. Submitting again submits nothing.
before=$(states | wc -l)
log=$(make_slurm figures 2>&1) || fail "resubmission failed: $log"
after=$(states | wc -l)
nup=$(echo "$log" | grep -c ': up to date: nothing submitted')
[ "$after" = "$before" ] && [ "$nup" = "$(echo "$names" | wc -w)" ] &&
    pass "resubmission: every experiment up to date, no job submitted" ||
    { fail "resubmission submitted jobs ($before -> $after) or not every experiment up to date:"; echo "$log"; }

# 4. A failing run: its run file's place taken by a directory (so the run computes,
# then cannot rename its temporary file into place), older than the program so that
# make takes it as stale.
victim=w20-s2 vdat=$out/data/fig1/runs/w20-s2.dat
summary_before=$(date -r "$out/data/fig1/.summary" +%s.%N)
rm -f "$vdat"
mkdir "$vdat" && touch -d '2000-01-01' "$vdat"
log=$(make_slurm fig1 2>&1) || fail "submission of fig1 failed: $log"
echo "$log" | grep -E 'submitted' | sed 's/^/  /'
echo "$log" | grep -q 'submitted job [0-9]*: 1 run' && pass "fig1: only the stale run resubmitted" || fail "fig1: expected one run submitted"
wait_queue 120 || fail "fig1 jobs still queued after 120 s"
array=$(awk '$1 == "array" { j = $2 } END { print j }' "$out/data/fig1/slurm/jobs")
sjob=$(awk '$1 == "summary" { j = $2 } END { print j }' "$out/data/fig1/slurm/jobs")
tstate=$(states | awk -v j="${array}_1" '$1 == j || $1 == "'"$array"'" { print $2 }')
[ "$tstate" = FAILED ] && pass "the failing run's task is FAILED" || fail "the failing run's task is '$tstate', not FAILED"
sreason=$(squeue -h -j "$sjob" -o '%T %r' 2>/dev/null)
[ "$sreason" = "PENDING DependencyNeverSatisfied" ] && [ ! -e "$out/data/fig1/slurm/logs/summary-$sjob.log" ] &&
    [ "$(date -r "$out/data/fig1/.summary" +%s.%N)" = "$summary_before" ] &&
    pass "its summary job $sjob never ran ($sreason)" || fail "summary job $sjob: '$sreason', or it ran"
tmps=$(find "$out/data/fig1/runs" -name '*.tmp.*')
[ -z "$tmps" ] && pass "no partial file left" || fail "partial files left: $tmps"
st=0; report=$(make --no-print-directory slurm-status PROFILE=smoke OUTROOT="$out/" 2>&1) || st=$?
echo "$report" | grep -E '^fig1|failed:' | sed 's/^/  /'
[ $st != 0 ] && echo "$report" | grep -q "failed: $victim .*logs/$victim.log: run $victim: failed with exit status" &&
    grep -q 'Is a directory' "$out/data/fig1/slurm/logs/$victim.log" &&
    pass "make slurm-status fails, naming $victim, its log, and the log says why" ||
    fail "make slurm-status did not report $victim properly (status $st)"

# ... and once the cause is gone, resubmission runs that run and the summary only.
rmdir "$vdat"
log=$(make_slurm fig1 2>&1) || fail "resubmission of fig1 failed: $log"
echo "$log" | grep -E 'submitted|cancelled' | sed 's/^/  /'
echo "$log" | grep -q "cancelled the summary job $sjob" && echo "$log" | grep -q 'submitted job [0-9]*: 1 run' &&
    pass "resubmission cancelled the stuck summary and submitted the one run" || fail "resubmission after the fix"
wait_queue 120 || fail "fig1 jobs still queued after 120 s"
make --no-print-directory slurm-status PROFILE=smoke OUTROOT="$out/" 2>&1 | grep '^fig1' | sed 's/^/  /'
same_data fig1 && pass "fig1: data equal the local pipeline's again" || fail "fig1: data differ after the rerun"

echo "checks: $fails failed, $((SECONDS - t0)) s"
[ $fails = 0 ]
