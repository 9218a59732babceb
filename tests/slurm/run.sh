#!/usr/bin/env bash
# tests/slurm/run.sh - make test-slurm: the Slurm path (SLURM=1) against a real Slurm.
#
# Installs slurm-wlm and munge when missing (Debian packages; needs root, as CI has),
# makes the local smoke pipeline's outputs (build/smoke/, up to date already after
# `make figures PROFILE=smoke`), then starts a one-node cluster in build/slurm-test/
# (src/tools/slurm-cluster.sh: its own slurm.conf, munge key, state, spool and logs,
# in private namespaces) and runs tests/slurm/checks.sh inside it. The cluster's
# daemons are stopped by their process ids whatever the outcome. Exit 0 if every
# check passed.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)

missing=()
command -v sbatch >/dev/null && command -v slurmctld >/dev/null && command -v slurmd >/dev/null || missing+=(slurm-wlm)
command -v munged >/dev/null || missing+=(munge)
command -v ip >/dev/null || missing+=(iproute2)
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { echo "test-slurm: needs ${missing[*]} (as root: apt-get install ${missing[*]})" >&2; exit 1; }
    echo "test-slurm: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null ||
        { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; } ||
        { echo "test-slurm: apt-get install ${missing[*]} failed" >&2; exit 1; }
fi
[ "$(id -u)" = 0 ] || { echo "test-slurm: needs root (the test cluster's slurmd runs jobs)" >&2; exit 1; }

# The reference: the local smoke pipeline (nothing to do if it is up to date).
make --no-print-directory -j2 figures PROFILE=smoke >/dev/null

scratch=build/slurm-test
rm -rf "$scratch/out"
mkdir -p "$scratch"
st=0
bash src/tools/slurm-cluster.sh "$scratch/cluster" bash tests/slurm/checks.sh build/smoke "$scratch/out" || st=$?
echo "test-slurm: $([ $st = 0 ] && echo passed || echo FAILED) in $(($(date +%s) - start)) s" \
     "(cluster logs: $scratch/cluster/log/, job logs: $scratch/out/data/*/slurm/logs/)"
exit $st
