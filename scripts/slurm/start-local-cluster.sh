#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (Debian's slurm-wlm + munge, run as root), for
# testing `xling ... --executor slurm`. State, spool, logs and pid files go under $XLING_SLURM_DIR
# (default $TMPDIR/xling-slurm, /tmp when TMPDIR is unset); the munge key is /etc/munge/munge.key (made when missing).
# Reuses a cluster this script started when it still answers. Prints the lines to eval:
#   eval "$(scripts/slurm/start-local-cluster.sh)"
# Stop it with scripts/slurm/stop-local-cluster.sh.
set -euo pipefail

dir="${XLING_SLURM_DIR:-${TMPDIR:-/tmp}/xling-slurm}"
conf="$dir/slurm.conf"
node="$(hostname)"
say() { echo "start-local-cluster: $*" >&2; }

for tool in munged slurmctld slurmd sinfo; do
  command -v "$tool" >/dev/null || { say "'$tool' is missing: apt-get install -y slurm-wlm munge"; exit 1; }
done
[ "$(id -u)" = 0 ] || { say "must run as root (munged as user munge, slurmd as root)"; exit 1; }

# munge: a key readable only by munge, and munged running as munge.
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- munged
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if alive "$dir/slurmctld.pid" && alive "$dir/slurmd.pid" && SLURM_CONF="$conf" sinfo -h >/dev/null 2>&1; then
  say "reusing the cluster in $dir"
else
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  cat >"$conf" <<CONF
ClusterName=xling-local
SlurmctldHost=$node
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# Keep finished jobs for 'scontrol show job' (no accounting database here).
MinJobAge=3600
NodeName=$node CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  # -c: a fresh state, no jobs left from an earlier cluster in this folder.
  SLURM_CONF="$conf" slurmctld -c
  SLURM_CONF="$conf" slurmd
fi

for _ in $(seq 120); do
  state="$(SLURM_CONF="$conf" sinfo -h -n "$node" -o %T 2>/dev/null || true)"
  case "$state" in idle | mixed | allocated) break ;; esac
  sleep 0.5
done
case "$state" in
  idle | mixed | allocated) ;;
  *) say "node '$node' is '${state:-not answering}' after 60 s; see $dir/log/"; exit 1 ;;
esac
say "node $node is $state; logs in $dir/log"
echo "export SLURM_CONF='$conf'"
echo "export XLING_SLURM_DIR='$dir'"
