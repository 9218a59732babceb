#!/usr/bin/env bash
# generalization-checks.sh - the measurements behind the generalization experiment's
# choice of time step and precision (its README, "Learning rate" and "Precision"), each
# run file written by bin/generalization itself (its header records the command, the
# profile and every parameter) into data/generalization-checks/:
#
#   lr/lrLR/      width 512, seeds 1 and 2, the default profile's other settings,
#                 t = 6000 at lr 20 (300 steps), 10 (600) and 5 (1200): the choice of
#                 the time step (compare, on the t grid of the larger step, the smaller
#                 one interpolated: src/tools/agreement.py --key t --interp --from 100
#                 lr/lr5 lr/lr10 test_mse,test_acc,dist,train_loss 0.25)
#   precision/    the same at lr 10 in double (the lr 10 runs, copied) and single
#                 (agreement.py --key t precision/double precision/single ... 0.1)
#
#   flock /tmp/ntk-heavy.lock bash src/tools/generalization-checks.sh   # ~6 min on 2 idle cores
#
# Needs `make programs data` first.
set -euo pipefail
cd "$(dirname "$0")/../.."
prog=bin/generalization
out=data/generalization-checks
# every run writes into build/generalization-checks first; only finished files are copied
run() { # DIR SEED key=value...
    local dir=$1 seed=$2
    shift 2
    $prog run w512-s$seed profile=default "$@" out=build/generalization-checks/$dir
    mkdir -p "$out/$dir"
    cp build/generalization-checks/$dir/runs/w512-s$seed.dat "$out/$dir/"
}
for s in 1 2; do
    run lr/lr20 $s lr=20 steps=300 precision=double
    run lr/lr10 $s lr=10 steps=600 precision=double
    run lr/lr5 $s lr=5 steps=1200 precision=double
    mkdir -p $out/precision/double && cp $out/lr/lr10/w512-s$s.dat $out/precision/double/
    run precision/single $s lr=10 steps=600 precision=single
done
