#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the tests (root only):
#   bash tests/slurm_cluster.sh up DIR     start munged (unless it runs), slurmctld and
#                                         slurmd with config, state and logs in DIR;
#                                         prints "export SLURM_CONF=DIR/slurm.conf"
#   bash tests/slurm_cluster.sh down DIR   stop what "up" started, by the pids in DIR
# Facts: ../shared/CLUSTER-NOTES.md (no systemd, no cgroups, no accounting).
set -u
what=${1:-}
dir=${2:-}
if [ -z "$what" ] || [ -z "$dir" ]; then
  echo "usage: slurm_cluster.sh up|down DIR" >&2
  exit 2
fi

alive () { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
# is PID NAME: PID runs the program NAME (a pid file may be stale, and its
# number taken by another process since).
is () { alive "$1" && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }

down () {
  local f pid
  # Only what "up" started, by the pids it wrote in DIR, and only while that
  # pid still runs the program it started (never another cluster's munged).
  for f in "$dir/slurmd.pid:slurmd" "$dir/slurmctld.pid:slurmctld" "$dir/munged.started:munged"; do
    name=${f##*:}
    f=${f%:*}
    [ -f "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null)
    if is "$pid" "$name"; then
      kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
      alive "$pid" && kill -KILL "$pid" 2>/dev/null
    fi
    rm -f "$f"
  done
  return 0
}

if [ "$what" = down ]; then
  down
  exit 0
fi
[ "$what" = up ] || { echo "slurm_cluster.sh: unknown request $what" >&2; exit 2; }

mkdir -p "$dir/spool" "$dir/state"
host=$(hostname -s)
# Two free ports (not Slurm's 6817/6818, which a real cluster here may use).
used=$(for f in /proc/net/tcp /proc/net/tcp6; do [ -r "$f" ] && tail -n +2 "$f"; done \
       | awk '{ split($2, a, ":"); print a[2] }' | while read -r h; do echo $((16#$h)); done)
port=0
for _ in $(seq 50); do
  p=$((20000 + RANDOM % 20000))
  if ! echo "$used" | grep -qx "$p" && ! echo "$used" | grep -qx "$((p + 1))"; then
    port=$p
    break
  fi
done
[ "$port" != 0 ] || { echo "no free ports" >&2; exit 1; }
cpus=$(nproc)
mem=$(awk '/MemAvailable/ { printf "%d", $2 / 1024 / 2 }' /proc/meminfo)

# munge: the package made /etc/munge/munge.key; start munged unless one runs
# (then it is another's, used and never stopped here). The pid of the one
# started here is the one munged writes after this start, checked to be a
# munged.
if ! is "$(cat /run/munge/munged.pid 2>/dev/null)" munged; then
  [ -f /etc/munge/munge.key ] || mungekey --create >/dev/null 2>&1 || { echo "no munge key" >&2; exit 1; }
  mkdir -p /run/munge && chown munge:munge /run/munge
  rm -f /run/munge/munged.pid
  runuser -u munge -- /usr/sbin/munged || { echo "munged did not start" >&2; exit 1; }
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  if is "$(cat /run/munge/munged.pid 2>/dev/null)" munged; then
    cp /run/munge/munged.pid "$dir/munged.started"
  fi
fi

cat > "$dir/slurm.conf" <<CONF
ClusterName=adagradtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MinJobAge=300
ReturnToService=2
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF=$dir/slurm.conf
/usr/sbin/slurmctld -f "$SLURM_CONF" || { echo "slurmctld did not start" >&2; down; exit 1; }
/usr/sbin/slurmd -f "$SLURM_CONF" || { echo "slurmd did not start" >&2; down; exit 1; }
# Up when the node is idle.
idle () {
  for _ in $(seq 100); do
    sinfo -h -o '%t' 2>/dev/null | grep -q '^idle' && return 0
    sleep 0.1
  done
  return 1
}
# Without a cgroup file system where slurmd looks (a chroot without /sys):
# Slurm 24 (Debian 13) initialises its cgroup plugin whatever the proctrack
# and task plugins, and its slurmd stops (after detaching) unless cgroup.conf
# says "disabled", a value Slurm 22 (Debian 12) refuses; so the file is
# written, and slurmd started again, only when slurmd stopped for that reason.
if ! idle && grep -q "Unable to initialize cgroup plugin" "$dir/slurmd.log" 2>/dev/null \
   && [ ! -f "$dir/cgroup.conf" ]; then
  echo "CgroupPlugin=disabled" > "$dir/cgroup.conf"
  /usr/sbin/slurmd -f "$SLURM_CONF" || { echo "slurmd did not start" >&2; down; exit 1; }
fi
if idle; then
  echo "export SLURM_CONF=$SLURM_CONF"
  exit 0
fi
echo "the node did not come up; see $dir/slurmctld.log and $dir/slurmd.log" >&2
down
exit 1
