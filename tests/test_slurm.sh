#!/usr/bin/env bash
# The Slurm engine of adagrad_sweep on a real one-node Slurm cluster brought up
# here (tests/slurm_cluster.sh: munged, slurmctld, slurmd; config, state and
# logs in a temporary folder; stopped by their pids on any exit). Needs root
# and the packages of `make deps` (TEST_DEBS); otherwise the part is skipped
# with the reason, never passed.
PART=slurm
. "$(dirname "$0")/lib.sh"
why=""
if [ "$(id -u)" != 0 ]; then
  why="needs root to start munged and slurmd"
else
  for b in slurmctld slurmd munged sbatch squeue scancel; do
    command -v $b >/dev/null || [ -x /usr/sbin/$b ] || { why="$b is not installed (make deps installs it as root)"; break; }
  done
fi
if [ -n "$why" ]; then
  echo "skipped: $why"
  skip=1
  summary
  exit
fi

work=$(mktemp -d)
cleanup () {
  # Tasks held behind the gate of part 1b go on (and end) on any exit.
  touch "$work/release"
  bash "$top/tests/slurm_cluster.sh" down "$work/cluster"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
out=$(bash "$top/tests/slurm_cluster.sh" up "$work/cluster")
rc=$?
check $rc "the one-node Slurm cluster did not come up: $(tail -3 "$work/cluster/slurmctld.log" "$work/cluster/slurmd.log" 2>/dev/null)"
if [ $rc != 0 ]; then summary; exit; fi
export SLURM_CONF=$work/cluster/slurm.conf

# 1. From the source tree: the grid against the local engine; a failing task
# reported with its log; a cancelled task re-run alone.
cd "$work"
$OCTAVE --eval "
  addpath ('$top/inst', '$top/$BUILD');
  [X, y] = adagrad_data (30, 6, 'seed', 2);
  args = {'optimizer', {'adagrad-norm', 'adaloss'}, 'b0', [0.5 5], 'seed', [1 2], ...
          'width', 60, 'maxiter', 200, 'diagnostics', 20};
  strip = @(r) [rmfield(r, {'time', 'hist'}), cellfun(@(h) rmfield (h, {'time', 'threads'}), {r.hist})'];
  same = @(a, b) isequaln (rmfield (a, {'time', 'hist'}), rmfield (b, {'time', 'hist'})) ...
                 && isequaln (cellfun (@(h) rmfield (h, {'time', 'threads'}), {a.hist}), ...
                              cellfun (@(h) rmfield (h, {'time', 'threads'}), {b.hist}));
  rl = adagrad_sweep (X, y, args{:}, 'parallel', 'off');
  rs = adagrad_sweep (X, y, args{:}, 'engine', 'slurm', 'dir', 'grid', 'poll', 0.3, 'verbose', false);
  printf ('grid %d %d\n', numel (rs), same (rs, rl));
  s = load ('grid/slurm/submit_1.mat');
  printf ('tasks %d\n', numel (s.tasks));
  ## Chunks of 3 cells per task: 3 tasks.
  rc = adagrad_sweep (X, y, args{:}, 'engine', 'slurm', 'dir', 'chunks', 'cellspertask', 3, ...
                      'sbatch', {'--time=10'}, 'poll', 0.3, 'verbose', false);
  s = load ('chunks/slurm/submit_1.mat');
  printf ('chunks %d %d %d\n', numel (s.tasks), numel (s.tasks{3}), same (rc, rl));
  ## An Octave that does not exist: every task fails, the sweep says which
  ## and where the log is, and no cell is invented.
  try
    adagrad_sweep (X, y, args{:}, 'b0', 0.5, 'seed', 1, 'engine', 'slurm', 'dir', 'bad', ...
                   'octave', '/nonexistent/octave-cli', 'poll', 0.3, 'verbose', false);
    printf ('bad no error\n');
  catch err
    printf ('bad %s\n', err.identifier);
    printf ('badmsg %d %d\n', ! isempty (strfind (err.message, 'logs/')), ...
            ! isempty (regexp (err.message, 'octave-cli.*(No such file|not found)')));
  end_try_catch
  [r, info] = adagrad_sweep_collect ('bad');
  printf ('badinfo %d %d %d\n', numel (r), numel (info.failed), info.complete);
  ## The same folder with a working Octave: the failed cells run.
  rb = adagrad_sweep (X, y, args{:}, 'b0', 0.5, 'seed', 1, 'engine', 'slurm', 'dir', 'bad', ...
                      'poll', 0.3, 'verbose', false);
  printf ('badfixed %d %d\n', numel (rb), same (rb, rl([1 5])));
  ## Cancel one task: collect says failed; the re-run fills only that cell.
  h = adagrad_sweep (X, y, args{:}, 'engine', 'slurm', 'dir', 'cancel', 'wait', false, 'verbose', false);
  job = h.jobs{1};
  [st, o] = system (sprintf ('scancel %s_8', job));
  printf ('scancel %d\n', st);
  [r, info] = adagrad_sweep_collect ('cancel', 'wait', true, 'poll', 0.3, 'verbose', false);
  printf ('cancelled %d %s %d\n', numel (r), mat2str (info.failed), ! isempty (strfind (info.report, 'cell 8 (adaloss')));
  before = cellfun (@(f) stat (f).mtime, glob ('cancel/cells/*.mat'));
  rr = adagrad_sweep (X, y, args{:}, 'engine', 'slurm', 'dir', 'cancel', 'poll', 0.3, 'verbose', false);
  s = load ('cancel/slurm/submit_2.mat');
  after = cellfun (@(f) stat (f).mtime, glob ('cancel/cells/*.mat'));
  printf ('refill %s %d %d\n', mat2str ([s.tasks{:}]), isequal (before, after(1:7)), same (rr, rl));
  printf ('handle %d %d\n', h.cells, h.submitted);
  printf ('taskm %d\n', ! isempty (strfind (fileread ('grid/slurm/task.m'), 'addpath')));
  printf ('tasksh %d\n', ! isempty (regexp (fileread ('grid/slurm/submit_1.sh'), 'exec sh ''[^'']*/adagrad_blas.sh'' run ''', 'once')));
  ## The paper's reproduction: submitted without waiting, then collected and
  ## drawn by the same command; the numbers of the local engine.
  warning ('off', 'Octave:gnuplot-graphics');
  graphics_toolkit ('gnuplot'); set (0, 'defaultfigurevisible', 'off');
  mkdir ('paper');
  pa = {'quick', 'n', 20, 'd', 8, 'width', 100, 'widths', [50 100], 'maxiter', 100, ...
        'factors', [0.1 1], 'verbose', false};
  p1 = adagrad_paper (pa{:}, 'engine', 'slurm', 'dir', 'paper', 'wait', false, 'poll', 0.3);
  p2 = adagrad_paper (pa{:}, 'engine', 'slurm', 'dir', 'paper', 'poll', 0.3);
  pl = adagrad_paper (pa{:}, 'dir', '');
  same_h = @(a, b) isequaln (rmfield (a, {'time', 'threads'}), rmfield (b, {'time', 'threads'}));
  printf ('paper %d %d %d %d %d %d %d\n', p1.pending, same (p2.robustness, pl.robustness), ...
          same (p2.stochastic, pl.stochastic), same_h (p2.width, pl.width), ...
          same_h (p2.regimes, pl.regimes), same_h (p2.small, pl.small), ...
          numel (glob ('paper/paper_*.png')));
  printf ('paperdirs %d\n', numel (glob ('paper/sweep_*/sweep.mat')));
  ## Any option as a grid axis, and a rule written in Octave (a function
  ## file, which task.m names as code: the folder holds only its name): the
  ## local engine's numbers.
  mkdir ('rules');
  fid = fopen ('rules/armijo_t.m', 'w');
  fputs (fid, sprintf ('function [W, t] = armijo_t (W, G, t, info)\n  t = info.eta;\n  while (info.oracle (W - t * G) > info.loss - info.params.c * t * sumsq (G(:)))\n    t *= info.params.beta;\n  endwhile\n  W -= t * G;\nendfunction\n'));
  fclose (fid);
  addpath ([pwd '/rules']);
  ga = {'optimizer', {@armijo_t, 'gd'}, 'eta', [0.5 2], 'batchsize', [10 Inf], 'width', 30, ...
        'maxiter', 20, 'params', struct('c', 0.5, 'beta', 0.5)};
  gl = adagrad_sweep (X, y, ga{:}, 'parallel', 'off');
  gs = adagrad_sweep (X, y, ga{:}, 'engine', 'slurm', 'dir', 'axes', 'poll', 0.3, 'verbose', false);
  printf ('axes %d %d %d\n', numel (gs), same (gs, gl), ...
          ! isempty (strfind (fileread ('axes/slurm/task.m'), '{@armijo_t}')));
  z = 0.5;
  try
    adagrad_sweep (X, y, 'optimizer', @(W, G, s, i) deal (W - z * G, s), 'width', 30, ...
                   'maxiter', 5, 'engine', 'slurm', 'dir', 'anon', 'verbose', false);
    printf ('anon none\n');
  catch err
    printf ('anon %d\n', ! isempty (strfind (err.message, 'uses variables of its workspace (z)')));
  end_try_catch
  ## The atlas: its grid as one job array, the local engine's numbers.
  aa = {'rules', {'dog', 'adaloss'}, 'scales', [0.1 10], 'width', 30, 'seed', [1 2], ...
        'maxiter', 40, 'tol', 0.1, 'pathpoints', 2};
  al = adagrad_atlas (X, y, aa{:}, 'parallel', 'off');
  as = adagrad_atlas (X, y, aa{:}, 'engine', 'slurm', 'dir', 'atlas', 'poll', 0.3);
  logs = glob ('atlas/logs/*.log');
  jobs = unique (regexprep (logs, '^.*/([0-9]+)_[0-9]+\.log\$', '\$1'));
  printf ('atlas %d %d %d %d\n', isequaln (al.raw, as.raw), isequaln (al.ratio, as.ratio), ...
          numel (logs), numel (jobs));
" > "$work/log1" 2>&1
rc=$?
cat "$work/log1" | grep -vE '^\s*$' | tail -30
check $rc "octave exited with status $rc"
check "$(grep -q '^grid 8 1$' "$work/log1"; echo $?)" "the Slurm grid differs from the local engine"
check "$(grep -q '^tasks 8$' "$work/log1"; echo $?)" "one array task per cell"
check "$(grep -q '^chunks 3 2 1$' "$work/log1"; echo $?)" "cellspertask 3: three tasks, the same numbers"
check "$(grep -q '^bad adagrad:sweep$' "$work/log1" && grep -q '^badmsg 1 1$' "$work/log1"; echo $?)" "failed tasks: an error naming the log and its error line"
check "$(grep -q '^badinfo 0 2 0$' "$work/log1"; echo $?)" "collect: the failed cells, no result invented"
check "$(grep -q '^badfixed 2 1$' "$work/log1"; echo $?)" "the failed cells run again in the same folder"
check "$(grep -q '^scancel 0$' "$work/log1" && grep -q '^cancelled 7 8 1$' "$work/log1"; echo $?)" "a cancelled task: its cell reported failed"
check "$(grep -q '^refill 8 1 1$' "$work/log1"; echo $?)" "the re-run submits only the cancelled cell"
check "$(grep -q '^handle 8 8$' "$work/log1"; echo $?)" "wait false returns a handle"
check "$(grep -q '^taskm 1$' "$work/log1"; echo $?)" "tasks of a source tree add its folders"
check "$(grep -q '^tasksh 1$' "$work/log1"; echo $?)" "task scripts do not start Octave through adagrad_blas.sh run"
check "$(grep -q '^paper 1 1 1 1 1 1 6$' "$work/log1" && grep -q '^paperdirs 6$' "$work/log1"; echo $?)" "adagrad_paper on Slurm (submit, then collect and draw): the local numbers, six figures"
check "$(grep -q '^axes 8 1 1$' "$work/log1"; echo $?)" "a grid over eta, batch size and a rule written in Octave: the local numbers, the rule as task.m's code"
check "$(grep -q '^anon 1$' "$work/log1"; echo $?)" "an anonymous rule with captured variables refused for Slurm tasks"
check "$(grep -q '^atlas 1 1 18 1$' "$work/log1"; echo $?)" "adagrad_atlas on Slurm: one job array of 18 tasks, the local engine's numbers"

# 1b. Ctrl-C while a sweep waits: the waiting stops at once and says so, the
# tasks run on, and adagrad_sweep_collect gathers them later.  The tasks run an
# Octave behind a gate that opens only after the interrupt (the file
# "$work/release"), so that they are still queued or running when SIGINT
# comes, however fast the machine is.
cat > "$work/gated-octave" <<GATE
#!/bin/sh
while [ ! -e "$work/release" ]; do sleep 0.1; done
exec $(command -v octave-cli) "\$@"
GATE
chmod +x "$work/gated-octave"
$OCTAVE --eval "
  addpath ('$top/inst', '$top/$BUILD');
  [X, y] = adagrad_data (20, 5, 'seed', 2);
  adagrad_sweep (X, y, 'b0', [1 2], 'width', 50, 'maxiter', 20, 'tol', 0, ...
                 'engine', 'slurm', 'dir', 'intr', 'poll', 0.3, 'octave', '$work/gated-octave');
  printf ('not interrupted\n');
" > "$work/log3" 2>&1 &
pid=$!
# The sweep's progress line (not the word "running" alone: the BLAS warning of
# Octave's start has it on CPUs OpenBLAS 0.3.21 does not know).
for _ in $(seq 1 300); do grep -qE 'adagrad_sweep: [0-9]+ of 2 cells done' "$work/log3" && break; sleep 0.1; done
queued_before=$(squeue -h -r --me | wc -l)
kill -INT $pid
t0=$(date +%s.%N)
wait $pid
t1=$(date +%s.%N)
dt=$(echo "$t1 - $t0" | bc)
queued=$(squeue -h -r --me | wc -l)
touch "$work/release"
grep -vE '^\s*$' "$work/log3" | tail -3
echo "slurm: the waiting stopped ${dt}s after SIGINT; $queued_before tasks queued before it, $queued after"
check "$(grep -q 'stopped waiting; the submitted tasks keep running' "$work/log3" && ! grep -q 'not interrupted' "$work/log3"; echo $?)" "Ctrl-C while waiting: no message that the tasks run on"
check "$(echo "$dt < 2.0" | bc | grep -q 1; echo $?)" "Ctrl-C while waiting took ${dt}s (limit 2s)"
$OCTAVE --eval "
  addpath ('$top/inst', '$top/$BUILD');
  [r, info] = adagrad_sweep_collect ('intr', 'wait', true, 'poll', 0.3, 'verbose', false);
  printf ('collected %d %d\n', info.complete, numel (r));
" > "$work/log4" 2>&1
check "$( [ "$queued" -ge 1 ] && grep -q '^collected 1 2$' "$work/log4"; echo $?)" "after Ctrl-C the tasks ran on and were collected ($queued still queued after the interrupt)"

# 1c. Another cluster on this machine (tests/slurm_cluster.sh up, then down)
# uses the munged it finds running and never stops it; its own daemons go.
m1=$(cat /run/munge/munged.pid 2>/dev/null)
bash "$top/tests/slurm_cluster.sh" up "$work/cluster2" >/dev/null 2>&1
up2=$?
c2=$(cat "$work/cluster2/slurmctld.pid" 2>/dev/null)
bash "$top/tests/slurm_cluster.sh" down "$work/cluster2"
check "$( [ "$up2" = 0 ] && [ ! -e "$work/cluster2/munged.started" ] && kill -0 "$m1" 2>/dev/null \
          && [ "$(cat /proc/$m1/comm 2>/dev/null)" = munged ] && ! kill -0 "$c2" 2>/dev/null && echo 0 || echo 1)" \
  "a second cluster stopped the munged it did not start (or did not come up: $up2)"
check "$(squeue -h >/dev/null 2>&1; echo $?)" "the first cluster stopped answering after the second went down"

# 2. From the installed package (pkg install -local into a temporary HOME,
# which sbatch passes on): the tasks pkg load it.
MAKE=${MAKE:-make}
(cd "$top" && $MAKE --no-print-directory dist >/dev/null)
tarball=$(cd "$top" && ls -t adagrad-*.tar.gz | head -1)
mkdir -p "$work/home" && cd "$work/home"
HOME=$work/home $OCTAVE --eval "
  pkg ('install', '-local', '$top/$tarball');
  pkg load adagrad
  [X, y] = adagrad_data (20, 5, 'seed', 1);
  args = {'optimizer', 'adaloss', 'b0', [1 3], 'width', 40, 'maxiter', 50};
  rl = adagrad_sweep (X, y, args{:}, 'parallel', 'off');
  rs = adagrad_sweep (X, y, args{:}, 'engine', 'slurm', 'dir', 'inst', 'poll', 0.3, 'verbose', false);
  printf ('installed %d\n', isequaln ([rs.loss], [rl.loss]) && isequaln ([rs.iterations], [rl.iterations]));
  printf ('pkgload %d\n', ! isempty (strfind (fileread ('inst/slurm/task.m'), 'pkg load adagrad')));
" > "$work/log2" 2>&1
rc=$?
grep -vE '^\s*$' "$work/log2" | tail -8
check $rc "octave (installed package) exited with status $rc"
check "$(grep -q '^installed 1$' "$work/log2" && grep -q '^pkgload 1$' "$work/log2"; echo $?)" "tasks of the installed package: pkg load, the same numbers"
summary
