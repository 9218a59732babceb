#!/usr/bin/env bash
# slurm-cluster.sh - a throwaway one-node Slurm cluster, for testing the Slurm path
# (make test-slurm) and for trying a submission before taking it to a real cluster:
#
#   bash src/tools/slurm-cluster.sh DIR COMMAND [ARG...]
#
# starts munged, slurmctld and slurmd from a slurm.conf generated in DIR (its own munge
# key and socket, state, spool and log directories: nothing under /etc or /var is
# touched), runs COMMAND with SLURM_CONF pointing at that cluster, then stops the
# daemons by their process ids, whatever COMMAND did, and exits with COMMAND's status.
# Needs root (slurmd starts jobs) and slurm-wlm and munge (Debian packages).
#
# Isolation: everything runs in private network, PID and mount namespaces (unshare).
# The daemons listen on the namespace's own loopback only, so their ports collide
# with nothing on the machine; and when this script ends, however it ends, the kernel
# kills whatever of the cluster is still alive (job steps included), so no daemon or
# job outlives it. The directory survives, for its logs (DIR/log/).
set -euo pipefail

usage() { echo "usage: $0 DIR COMMAND [ARG...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
die() { echo "slurm-cluster: $*" >&2; exit 1; }

if [ -z "${NTK_SLURM_NS:-}" ]; then
    [ "$(id -u)" = 0 ] || die "needs root (slurmd runs jobs as their users); run it as root"
    for p in munged slurmctld slurmd sbatch unshare ip; do
        command -v $p >/dev/null || die "'$p' not found: apt-get install slurm-wlm munge iproute2"
    done
    mkdir -p "$1"
    dir=$(cd "$1" && pwd)
    shift
    # PID 1 of the new PID namespace is this script again; --kill-child ends the
    # namespace (and every process in it) if unshare itself is killed.
    NTK_SLURM_NS=1 exec unshare --net --pid --fork --mount-proc --kill-child \
        bash "$0" "$dir" "$@"
fi

dir=$1
shift
# The loopback, plus one address of the documentation range (192.0.2.0/24) on it: with
# loopback addresses alone, glibc's getaddrinfo (AI_ADDRCONFIG) resolves no host name.
ip link set lo up
ip addr add 192.0.2.1/32 dev lo

node=$(hostname -s)
conf=$dir/slurm.conf
rm -rf "$dir/state" "$dir/spool" "$dir/run" "$dir/munge"
mkdir -p "$dir/state" "$dir/spool" "$dir/run" "$dir/log" "$dir/munge"
chmod 700 "$dir/munge"

# munge: a fresh key and socket of this cluster's own.
mungekey --create --keyfile="$dir/munge/munge.key" --force 2>/dev/null ||
    { dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none; }
chmod 600 "$dir/munge/munge.key"
sock=$dir/munge/munge.socket

# The node as slurmd sees it (CPUs, sockets, cores, memory), addressed on loopback.
hw=$(slurmd -C | head -1 | sed 's/^NodeName=[^ ]* //; s/ *UpTime=.*//')
cat > "$conf" <<EOF
# A one-node test cluster written by src/tools/slurm-cluster.sh; not for production.
ClusterName=ntktest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=6817
SlurmdPort=6818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
# Finished jobs stay visible to squeue/scontrol for 30 minutes (no accounting here).
MinJobAge=1800
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$node NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$conf

pids=()
stop() {
    local st=$?
    trap - EXIT INT TERM
    # Jobs first (they would be killed with the namespace anyway, but scancel lets
    # their batch scripts clean up), then the daemons, newest first, by pid.
    scancel --full --user=root >/dev/null 2>&1 || true
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
    for _ in $(seq 50); do
        local alive=0
        for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && break
        sleep 0.2
    done
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    exit $st
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

munged --foreground --force --key-file="$dir/munge/munge.key" --socket="$sock" \
    --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
    --seed-file="$dir/munge/munged.seed" 2>>"$dir/log/munged.log" &
pids+=($!)
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || die "munged did not start: see $dir/log/munged.log"

slurmctld -D -i -f "$conf" 2>>"$dir/log/slurmctld.log" &
pids+=($!)
slurmd -D -f "$conf" -N "$node" 2>>"$dir/log/slurmd.log" &
pids+=($!)

# Ready when the node is idle (a few seconds).
state=
for _ in $(seq 120); do
    state=$(timeout 5 sinfo -h -n "$node" -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.5
done
[ "$state" = idle ] || die "the node did not come up (state '${state:-no answer}'): see $dir/log/"
echo "slurm-cluster: one node ($node: $hw) up; SLURM_CONF=$conf" >&2

set +e
"$@"
st=$?
set -e
exit $st
