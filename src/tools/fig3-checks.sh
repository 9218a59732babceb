#!/usr/bin/env bash
# fig3-checks.sh - the Figure 3 measurements beyond `make fig3` that `make claims` and
# REPRODUCE.md cite, each written by bin/fig3-principal-components itself (its header
# records the command, the profile and every parameter) into data/fig3-checks/:
#
#   pca-batchS.dat   S = 1..10: the eigenvalues of Theta(5)/N (analytic limit) on ten
#                    draws of the 512 digits (batch_seed = S): their spread is the
#                    tolerance of the paper's eigenvalues, whose batch is not given
#   pca-beta1.dat    the same on batch 1 with beta = 1.0 (footnote 3)
#   width1000/       the paper profile restricted to widths 100 and 1000 (f2 from the
#                    NTK of a width-10000 network, kernel_seed 100): runs, summary.dat;
#                    width1000/pca.dat holds that width-10000 kernel's eigenvalues
#
#   bash src/tools/fig3-checks.sh light    # the pca runs (analytic kernel): seconds
#   flock /tmp/ntk-heavy.lock bash src/tools/fig3-checks.sh heavy   # width 1000: ~22 min on 2 idle cores, 2.5 GB
#
# Needs `make programs data` first.
set -euo pipefail
cd "$(dirname "$0")/../.."
prog=bin/fig3-principal-components
out=data/fig3-checks
mkdir -p "$out"
case "${1:-}" in
light)
    for s in 1 2 3 4 5 6 7 8 9 10; do
        $prog run pca profile=default batch_seed=$s out=build/fig3-checks/batch$s
        cp build/fig3-checks/batch$s/runs/pca.dat "$out/pca-batch$s.dat"
    done
    $prog run pca profile=default beta=1.0 out=build/fig3-checks/beta1
    cp build/fig3-checks/beta1/runs/pca.dat "$out/pca-beta1.dat"
    ;;
heavy)
    # a finished run's file is kept (rerun: delete it); an interrupted width-1000 run
    # resumes from its checkpoint (width1000/checkpoints/, saved every 300 s)
    for id in pca w100-s1 w100-s2 w1000-s1 w1000-s2; do
        [ -f $out/width1000/runs/$id.dat ] || $prog run $id profile=paper widths=100,1000 out=$out/width1000
    done
    $prog summarize profile=paper widths=100,1000 out=$out/width1000
    cp $out/width1000/runs/pca.dat $out/width1000/pca.dat
    ;;
*)
    echo "usage: $0 light|heavy" >&2; exit 2 ;;
esac
