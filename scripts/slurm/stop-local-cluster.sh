#!/usr/bin/env bash
# Stops the daemons that start-local-cluster.sh started, by their pid files in $XLING_SLURM_DIR
# (default $TMPDIR/xling-slurm, /tmp when TMPDIR is unset). munged is left running: other programs may use it.
set -uo pipefail
dir="${XLING_SLURM_DIR:-${TMPDIR:-/tmp}/xling-slurm}"
for daemon in slurmd slurmctld; do
  pidfile="$dir/$daemon.pid"
  [ -s "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$pidfile"
done
