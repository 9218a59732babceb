#!/usr/bin/env bash
# slurm.sh - the Slurm path of the experiment pipeline (REPRODUCE.md, "The paper
# profiles on a cluster"). Called by src/tools/slurm.mk and the top Makefile:
#
#   slurm.sh submit NAME=.. DIR=.. PROG=.. PROFILE=.. OUTROOT=.. DATA=.. ARGS=..
#       submit the runs listed in DATA/slurm/pending (the ones make found missing or
#       stale) as array jobs, and the summary and plot as a job that runs only if
#       every one of them succeeds (--dependency=afterok); print what was submitted
#   slurm.sh status DATA...
#       the state of each experiment's last submission: runs done, queued, failed (with
#       the log that says why), and whether its summary ran; exit 1 if anything failed
#   slurm.sh task IDS DATA PROG RUN_ARG...           (inside an array task)
#   slurm.sh summary NAME DIR PROG PROFILE OUTROOT ARG...  (inside the summary job)
#
# What each task asks for comes from the program's own estimate (`PROG estimate`,
# one line per run: id, seconds on this suite's reference machine, peak memory and
# disk in bytes): CPUs RUN_CPUS (default 2, the reference machine's cores), memory
# the estimate x 1.25 + 256 MiB, time limit the estimate x TIME_MARGIN (default
# 2) + 5 minutes. Runs that ask for the same go into one array job. Extra sbatch
# options (partition, account, QOS...) come from SBATCH_ARGS.
#
# Compute nodes need only the shared checkout: the programs are built and the data
# fetched by make on the submitting node before this runs.
set -euo pipefail

die() { echo "slurm: $*" >&2; exit 1; }

RUN_CPUS=${RUN_CPUS:-2}
TIME_MARGIN=${TIME_MARGIN:-2}

# Queue state of this user's jobs: "ARRAY_JOB_ID JOB_ID STATE REASON" lines.
queue() { squeue -h --me -o '%F %i %T %r' 2>/dev/null || die "squeue failed: is this a Slurm cluster (SLURM_CONF)?"; }

# The request of run ID ("summary": the summary step) from the estimate lines EST:
# "TIME MEMORY" as sbatch takes them. The time limit is the estimate x
# TIME_MARGIN + 5 minutes, in 5-minute steps; the memory the estimate x 1.25 +
# 256 MiB, in 256 MiB steps (so that runs alike share one array job).
request() {
    local id=$1 est=$2 secs mem
    read -r secs mem < <(awk -v id="$id" '$1 == id { print $2, $3 }' <<< "$est")
    # The summary (reading the run files back, writing a few, plotting) is not in the
    # estimate: minutes at most, under 1 GB.
    [ "$id" != summary ] || [ -n "${secs:-}" ] || secs=600 mem=1e9
    if [ -z "${secs:-}" ] && { [ -z "${RUN_TIME:-}" ] || [ -z "${RUN_MEM:-}" ]; }; then return 1; fi
    awk -v s="${secs:-0}" -v m="${mem:-0}" -v f="$TIME_MARGIN" -v T="${RUN_TIME:-}" -v M="${RUN_MEM:-}" 'BEGIN {
        t = s * f + 300; t = int((t + 299) / 300) * 300
        mb = m * 1.25 / 1048576 + 256; mb = int((mb + 255) / 256) * 256
        if (T == "") T = sprintf("%d:%02d:00", int(t / 3600), int(t % 3600 / 60))
        if (M == "") M = mb "M"
        print T, M }'
}

# The last submission recorded in DATA/slurm/jobs: sets sub_stamp, sub_arrays (job
# ids), sub_summary (job id) and sub_ids (files of run ids, one per array).
last_submission() {
    local jobs=$1/slurm/jobs
    sub_stamp= sub_arrays=() sub_summary= sub_ids=()
    [ -f "$jobs" ] || return 1
    local kind a b c
    while read -r kind a b c; do
        case $kind in
        submission) sub_stamp=$a sub_arrays=() sub_summary= sub_ids=() ;;
        array) sub_arrays+=("$a") sub_ids+=("$c") ;;
        summary) sub_summary=$a ;;
        esac
    done < "$jobs"
    [ -n "$sub_stamp" ]
}

submit() {
    local NAME DIR PROG PROFILE OUTROOT DATA ARGS kv
    for kv in "$@"; do
        case $kv in
        NAME=* | DIR=* | PROG=* | PROFILE=* | OUTROOT=* | DATA=* | ARGS=*) printf -v "${kv%%=*}" '%s' "${kv#*=}" ;;
        *) die "submit: unknown argument '$kv'" ;;
        esac
    done
    command -v sbatch >/dev/null || die "$NAME: sbatch not found: SLURM=1 submits from a node of a Slurm cluster"
    local sdir=$DATA/slurm
    local run_args=(profile="$PROFILE" out="$DATA" $ARGS)
    mkdir -p "$sdir/logs" "$sdir/batches"

    # The runs make found missing or stale, in the program's order.
    local pending=()
    if [ -s "$sdir/pending" ]; then
        mapfile -t pending < <("$PROG" runs "${run_args[@]}" 2>/dev/null | grep -Fxf "$sdir/pending")
    fi
    rm -f "$sdir/pending"

    # Never two submissions of the same experiment in flight: runs already queued would
    # be submitted twice. A summary whose runs are gone from the queue but that still
    # waits can never start (one of its runs failed): cancel it, this submission
    # replaces it.
    if last_submission "$DATA"; then
        local q live=0 j
        q=$(queue)
        for j in "${sub_arrays[@]}"; do
            if awk -v j="$j" '$1 == j { f = 1 } END { exit !f }' <<< "$q"; then live=1; fi
        done
        if [ $live = 1 ]; then
            echo "$NAME: runs of job ${sub_arrays[*]} are still queued or running: nothing submitted" \
                 "(wait for them, or scancel ${sub_arrays[*]} ${sub_summary})"
            return 0
        fi
        if [ -n "$sub_summary" ] && awk -v j="$sub_summary" '$2 == j { f = 1 } END { exit !f }' <<< "$q"; then
            if [ ${#pending[@]} = 0 ]; then
                echo "$NAME: its summary (job $sub_summary) is queued already: nothing submitted"
                return 0
            fi
            scancel "$sub_summary"
            echo "$NAME: cancelled the summary job $sub_summary of the last submission (one of its runs failed)"
        fi
    fi

    # Up to date? Missing runs, or a summary or figure older than what it is made from.
    if [ ${#pending[@]} = 0 ]; then
        local stamp=$DATA/.figures newer
        newer=$(find "$PROG" "$DATA/.config" "$DATA/runs" "experiments/$DIR/plot.gp" -newer "$stamp" -print -quit 2>/dev/null || echo missing)
        if [ -f "$stamp" ] && [ -f "$DATA/.summary" ] && [ -z "$newer" ]; then
            echo "$NAME: up to date: nothing submitted"
            return 0
        fi
    fi

    # Each run's request from the program's estimate: "ID SECONDS MEMORY DISK" lines
    # (RUN_TIME and RUN_MEM, when set, replace it for every run).
    local est=
    if [ -z "${RUN_TIME:-}" ] || [ -z "${RUN_MEM:-}" ]; then
        est=$("$PROG" estimate "${run_args[@]}" 2>/dev/null) || die "$NAME: '$PROG estimate' failed"
    fi
    local stamp_s id
    stamp_s=$(date +%s)
    declare -A group_of=()
    local -a order=()
    local summary_key
    for id in "${pending[@]}" summary; do
        local key
        key=$(request "$id" "$est") || die "$NAME: '$PROG estimate' gives no estimate for run $id"
        if [ "$id" = summary ]; then summary_key=$key; continue; fi
        [ -n "${group_of[$key]:-}" ] || order+=("$key")
        group_of[$key]+="$id "
    done

    local -a jobs=() desc=()
    local tag=$stamp_s-$$ k=0 t mb ids job n
    {
        echo "submission $stamp_s $PROFILE"
    } >> "$sdir/jobs"
    for key in "${order[@]}"; do
        read -r t mb <<< "$key"
        k=$((k + 1))
        ids=$sdir/batches/$tag-$k.ids
        tr ' ' '\n' <<< "${group_of[$key]}" | sed '/^$/d' > "$ids"
        n=$(wc -l < "$ids")
        # shellcheck disable=SC2086 # SBATCH_ARGS: options, split into words
        job=$(sbatch --parsable --job-name="ntk-$NAME" --array="1-$n" --cpus-per-task="$RUN_CPUS" \
            --mem="$mb" --time="$t" --chdir="$PWD" --output="$sdir/logs/%A_%a.log" \
            ${SBATCH_ARGS:-} src/tools/slurm.sh task "$ids" "$DATA" "$PROG" "${run_args[@]}") ||
            die "$NAME: sbatch refused the runs (the message above says why); nothing else submitted"
        job=${job%%;*}
        echo "array $job $n $ids" >> "$sdir/jobs"
        jobs+=("$job")
        desc+=("job $job: $n run(s), each ${RUN_CPUS} CPUs, memory $mb, time limit $t")
    done

    # The summary and plot: after every array job succeeded (afterok), else never.
    local dep=() sjob
    [ ${#jobs[@]} = 0 ] || dep=(--dependency="afterok:$(IFS=:; echo "${jobs[*]}")")
    read -r t mb <<< "$summary_key"
    # shellcheck disable=SC2086
    sjob=$(sbatch --parsable --job-name="ntk-$NAME-summary" "${dep[@]}" --cpus-per-task="$RUN_CPUS" \
        --mem="$mb" --time="$t" --chdir="$PWD" --output="$sdir/logs/summary-%j.log" \
        ${SBATCH_ARGS:-} src/tools/slurm.sh summary "$NAME" "$DIR" "$PROG" "$PROFILE" "$OUTROOT" $ARGS) ||
        die "$NAME: sbatch refused the summary job (the message above says why); runs ${jobs[*]} are queued"
    sjob=${sjob%%;*}
    echo "summary $sjob" >> "$sdir/jobs"
    local i
    for i in "${desc[@]}"; do echo "$NAME: submitted $i"; done
    echo "$NAME: submitted job $sjob: summary and plot${jobs[*]:+, after job(s) ${jobs[*]} succeed}; logs in $sdir/logs/"
}

# One array task: the run on line SLURM_ARRAY_TASK_ID of the ids file.
task() {
    local ids=$1 data=$2 prog=$3
    shift 3
    # sbatch exports the submitting make's environment: no make settings here.
    unset MAKEFLAGS MAKELEVEL MFLAGS MAKEOVERRIDES
    local id
    id=$(sed -n "${SLURM_ARRAY_TASK_ID}p" "$ids")
    [ -n "$id" ] || die "no run on line $SLURM_ARRAY_TASK_ID of $ids"
    ln -sfn "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}.log" "$data/slurm/logs/$id.log"
    echo "# run $id: job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on $(hostname), $(date -u +%FT%TZ)," \
         "${SLURM_CPUS_PER_TASK:-1} CPUs"
    echo "# $prog run $id $*"
    export OPENBLAS_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
    local child st start=$SECONDS
    # A finished run's file is complete (written to a temporary name, renamed); a run
    # stopped by a signal (time limit, scancel) or failing leaves no temporary behind.
    trap 'kill -TERM $child 2>/dev/null || true; wait $child || true; rm -f "$data/runs/$id.dat.tmp."* "$data/runs/$id-"*.dat.tmp.*;
          echo "run $id: stopped by a signal after $((SECONDS - start)) s (time limit or scancel)"; exit 143' TERM INT
    "$prog" run "$id" "$@" &
    child=$!
    st=0
    wait $child || st=$?
    trap - TERM INT
    if [ $st != 0 ]; then
        rm -f "$data/runs/$id.dat.tmp."* "$data/runs/$id-"*.dat.tmp.*
        echo "run $id: failed with exit status $st after $((SECONDS - start)) s (the messages above say why)"
        exit $st
    fi
    [ -f "$data/runs/$id.dat" ] || { echo "run $id: exited 0 but wrote no $data/runs/$id.dat"; exit 1; }
    echo "run $id: done in $((SECONDS - start)) s"
}

# The summary job: the local pipeline's summary and plot (experiment.mk, which also
# removes the outputs of other settings), with every run file taken as it is (make -o:
# a run is never started here). A missing run stops it first, named.
summary() {
    local name=$1 dir=$2 prog=$3 profile=$4 outroot=$5
    shift 5
    unset MAKEFLAGS MAKELEVEL MFLAGS MAKEOVERRIDES
    echo "# summary of $name: job $SLURM_JOB_ID on $(hostname), $(date -u +%FT%TZ)"
    local data=${outroot}data/$name id old=() missing=()
    while read -r id; do
        [ -f "$data/runs/$id.dat" ] || missing+=("$id")
        old+=(-o "$data/runs/$id.dat")
    done < <("$prog" runs profile="$profile" out="$data" "$@" 2>/dev/null)
    [ ${#old[@]} -gt 0 ] || die "summary of $name: '$prog runs' listed no runs"
    [ ${#missing[@]} = 0 ] || die "summary of $name: ${#missing[@]} run(s) missing in $data/runs/: ${missing[*]}"
    rm -f "$data/.summary" # the runs are new: summarise whatever the stamps say
    make --no-print-directory -f src/tools/experiment.mk NAME="$name" DIR="$dir" PROG="$prog" \
        PROFILE="$profile" ARGS="$*" OUTROOT="$outroot" GATHER= SLURM= \
        BLAS_THREADS="${SLURM_CPUS_PER_TASK:-1}" "${old[@]}"
    echo "summary of $name: done"
}

# The state of the last submission of each experiment data directory given.
status() {
    local data bad=0 q
    q=$(queue)
    for data in "$@"; do
        local name=${data##*/}
        if ! last_submission "$data"; then echo "$name: never submitted (SLURM=1)"; continue; fi
        local done=0 queued=0 failed=() i id j state
        for i in "${!sub_arrays[@]}"; do
            j=${sub_arrays[i]}
            local n=0
            while read -r id; do
                n=$((n + 1))
                state=$(awk -v j="${j}_$n" '$2 == j { print $3 }' <<< "$q")
                [ -n "$state" ] || state=$(awk -v j="$j" '$2 == j || $2 ~ "^"j"_\\[" { print $3 }' <<< "$q")
                if [ -f "$data/runs/$id.dat" ] && [ "$(date -r "$data/runs/$id.dat" +%s)" -ge "$sub_stamp" ]; then
                    done=$((done + 1))
                elif [ -n "$state" ]; then
                    queued=$((queued + 1))
                else
                    failed+=("$id")
                fi
            done < "${sub_ids[i]}"
        done
        local s sstate
        sstate=$(awk -v j="$sub_summary" '$2 == j { print $3 " (" $4 ")" }' <<< "$q")
        if [ -n "$sstate" ]; then s="summary job $sub_summary $sstate"
        elif [ -f "$data/.figures" ] && [ "$(date -r "$data/.figures" +%s)" -ge "$sub_stamp" ]; then s="summary and figures done"
        elif [ -f "$data/slurm/logs/summary-$sub_summary.log" ]; then
            s="summary job $sub_summary did not finish (see $data/slurm/logs/summary-$sub_summary.log)"; bad=1
        else s="summary job $sub_summary never ran (cancelled, or held by a failed run)"; bad=1
        fi
        echo "$name: submitted $(date -d "@$sub_stamp" '+%F %T'): $done run(s) done, $queued queued or running," \
             "${#failed[@]} failed; $s"
        for id in "${failed[@]}"; do
            bad=1
            echo "  failed: $id ($data/slurm/logs/$id.log: $(tail -n 1 "$data/slurm/logs/$id.log" 2>/dev/null || echo 'no log: it never started'))"
        done
    done
    return $bad
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
submit) submit "$@" ;;
task) task "$@" ;;
summary) summary "$@" ;;
status) status "$@" ;;
*) echo "usage: $0 submit|status|task|summary ... (see the head of this file)" >&2; exit 2 ;;
esac
