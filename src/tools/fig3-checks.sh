#!/usr/bin/env bash
# fig3-checks.sh - the Figure 3 measurements beyond `make fig3` that `make claims` and
# REPRODUCE.md cite, each written by bin/fig3-principal-components itself (its header
# records the command, the profile and every parameter) into data/fig3-checks/:
#
#   pca-batchS.dat   S = 1..10: the eigenvalues of Theta(5)/N (analytic limit) on ten
#                    draws of the 512 digits (batch_seed = S): their spread is the
#                    tolerance of the paper's eigenvalues, whose batch is not given
#   pca-beta1.dat    the same on batch 1 with beta = 1.0 (footnote 3)
#   lr/lrLR/         widths 100 and 1000, seeds 1 and 2, t = 4000 at lr 1 (4000 steps),
#                    8 (500) and 16 (250, width 100 only): the choice of the time step
#                    (compare: src/tools/agreement.py lr/lr1 lr/lr8 g,h 0.25)
#   precision/       width 1000 at lr 8 in double and single (agreement.py ... g,h), and
#                    the paper profile's kernel (width-10000 NTK) in both precisions
#   kernel/          the trained nets' own NTK along training (kernel_every): lambda1 and
#                    the rate along f2, width 100 at lr 1, 8, 16 and width 1000 at lr 8
#
#   bash src/tools/fig3-checks.sh light    # the pca runs (analytic kernel): seconds
#   flock /tmp/ntk-heavy.lock bash src/tools/fig3-checks.sh heavy   # ~25 min on 2 idle cores, 2.5 GB
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
    # every run writes into build/fig3-checks first; only finished files are copied
    run() { $prog run "$@" profile=default checkpoint=0; }
    mkdir -p $out/lr/lr1 $out/lr/lr8 $out/lr/lr16 $out/precision/double $out/precision/single $out/kernel
    for s in 1 2; do
        for p in double single; do
            run w1000-s$s widths=1000 precision=$p out=build/fig3-checks/precision-$p
            cp build/fig3-checks/precision-$p/runs/w1000-s$s.dat $out/precision/$p/
        done
        ln -sf ../../precision/single/w1000-s$s.dat $out/lr/lr8/w1000-s$s.dat   # the same run
        run w1000-s$s widths=1000 lr=1 steps=4000 out=build/fig3-checks/lr1
        for lr in 1 8 16; do
            run w100-s$s widths=100 lr=$lr steps=$((4000 / lr)) out=build/fig3-checks/lr$lr
            run w100-s$s widths=100 lr=$lr steps=$((4000 / lr)) kernel_every=$((80 / lr)) out=build/fig3-checks/kernel$lr
            cp build/fig3-checks/kernel$lr/runs/w100-s$s-kernel.dat $out/kernel/lr$lr-w100-s$s-kernel.dat
        done
        cp build/fig3-checks/lr1/runs/w100-s$s.dat build/fig3-checks/lr1/runs/w1000-s$s.dat $out/lr/lr1/
        cp build/fig3-checks/lr8/runs/w100-s$s.dat $out/lr/lr8/
        cp build/fig3-checks/lr16/runs/w100-s$s.dat $out/lr/lr16/
        run w1000-s$s widths=1000 kernel_every=20 out=build/fig3-checks/kernel8
        cp build/fig3-checks/kernel8/runs/w1000-s$s-kernel.dat $out/kernel/lr8-w1000-s$s-kernel.dat
    done
    for p in double single; do
        $prog run pca profile=paper precision=$p out=build/fig3-checks/paper-pca-$p
        cp build/fig3-checks/paper-pca-$p/runs/pca.dat $out/precision/paper-pca-$p.dat
    done
    ;;
*)
    echo "usage: $0 light|heavy" >&2; exit 2 ;;
esac
