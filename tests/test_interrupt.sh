#!/usr/bin/env bash
# Ctrl-C (SIGINT) during a long adagrad_train: the run stops within a second
# with a catchable error adagrad:interrupted, and Octave carries on; without a
# checkpoint the run goes to a recovery file that resumes.
PART=interrupt
. "$(dirname "$0")/lib.sh"
log=$(mktemp)
# stopped_after PID LOG T0: the seconds from T0 until the loop of the run in
# PID had stopped: LOG shows the error, or the notice that it writes the run
# to a recovery file (a write that takes what the disk takes), or PID ended.
stopped_after () {
  while kill -0 "$1" 2>/dev/null \
        && ! grep -qE 'caught id=|interrupted at iteration [0-9]+; writing the run' "$2"; do
    sleep 0.02
  done
  echo "$(date +%s.%N) - $3" | bc
}
# Recovery files (Ctrl-C without a checkpoint) go to tempdir: one of ours.
export TMPDIR=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$TMPDIR"' EXIT

$OCTAVE --eval "
  addpath ('$top/$BUILD', '$top/inst');
  [X, y] = adagrad_data (400, 40, 'seed', 1);
  printf ('ready\n'); fflush (stdout);
  try
    adagrad_train (X, y, 'width', 4000, 'maxiter', 1e6, 'tol', 0, 'display', 'iter', 'seed', 3);
    printf ('finished without interruption\n');
  catch err
    printf ('\ncaught id=%s msg=%s\n', err.identifier, err.message);
    ## Without a checkpoint the run went to a recovery file, which resumes to
    ## the uninterrupted run.
    f = regexp (err.message, 'saved in (\\S+\\.ckpt) \\([0-9.]+ MB', 'tokens', 'once');
    k = sscanf (regexp (err.message, 'iteration (\\d+)', 'tokens', 'once'){1}, '%d');
    if (! isempty (f))
      printf ('recovery %d\n', strncmp (f{1}, '$TMPDIR', numel ('$TMPDIR')));
      n1 = adagrad_resume (f{1}, X, y, 'maxiter', k + 5, 'display', 'off');
      n2 = adagrad_train (X, y, 'width', 4000, 'maxiter', k + 5, 'tol', 0, 'seed', 3);
      printf ('resumed %d\n', isequal (n1.W, n2.W) && n1.iter == k + 5);
    end
  end_try_catch
  x = sum (1:10);
  printf ('alive %d\n', x);
" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do grep -q ready "$log" && break; sleep 0.1; done
sleep 2    # well inside the training loop
t0=$(date +%s.%N)
kill -INT "$pid"
dt=$(stopped_after "$pid" "$log" "$t0")
wait "$pid"
rc=$?
cat "$log" | tr '\r' '\n' | tail -4
echo "interrupt: exit status $rc, stopped ${dt}s after SIGINT"
check "$( [ "$rc" = 0 ] && echo 0 || echo 1)" "octave exited with status $rc"
check "$(grep -q 'caught id=adagrad:interrupted msg=adagrad_train: interrupted by the user at iteration [0-9]' "$log"; echo $?)" "no catchable adagrad:interrupted error"
check "$(grep -q 'alive 55' "$log"; echo $?)" "Octave did not carry on after the error"
check "$(echo "$dt < 1.0" | bc | grep -q 1; echo $?)" "took ${dt}s (limit 1s)"
check "$(grep -q 'no checkpoint was asked for): adagrad_resume' "$log" && grep -q '^recovery 1' "$log"; echo $?)" "no recovery file named in the message"
check "$(grep -q '^resumed 1' "$log"; echo $?)" "the recovery file does not resume to the uninterrupted run"
# With checkpoints on, the state up to the interrupt is on disk.
ck=$(mktemp -u).ckpt
$OCTAVE --eval "
  addpath ('$top/$BUILD', '$top/inst');
  [X, y] = adagrad_data (400, 40, 'seed', 1);
  printf ('ready\n'); fflush (stdout);
  try
    adagrad_train (X, y, 'width', 4000, 'maxiter', 1e6, 'tol', 0, 'checkpoint', '$ck');
  catch err
    printf ('caught id=%s msg=%s\n', err.identifier, err.message);
    k = sscanf (regexp (err.message, 'iteration (\\d+)', 'tokens', 'once'){1}, '%d');
    c = load ('$ck').checkpoint;
    printf ('saved %d %d %s\n', c.net.iter == k, numel (c.hist.loss) == k + 1, c.hist.stop);
  end_try_catch
" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do grep -q ready "$log" && break; sleep 0.1; done
sleep 2
kill -INT "$pid"
wait "$pid"
cat "$log" | tail -2
check "$(grep -q "caught id=adagrad:interrupted .*the state is saved in $ck" "$log"; echo $?)" \
  "no adagrad:interrupted error naming the checkpoint"
check "$(grep -q '^saved 1 1 interrupted' "$log"; echo $?)" "the checkpoint does not hold the state at the interrupt"
rm -f "$ck"

# interrupt_late NAME LIMIT SETUP CALL: run SETUP, then CALL in a new
# octave-cli, SIGINT it 2 s after it is ready, and check that it ends with a
# caught adagrad:interrupted within LIMIT seconds.
interrupt_late () {
  local name=$1 limit=$2 setup=$3 call=$4
  $OCTAVE --eval "
    addpath ('$top/$BUILD', '$top/inst');
    $setup
    printf ('ready\n'); fflush (stdout);
    try
      $call
      printf ('finished\n');
    catch err
      printf ('caught id=%s\n', err.identifier); fflush (stdout);
    end_try_catch
  " >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do grep -q ready "$log" && break; sleep 0.1; done
  sleep 2
  local t0 dt
  t0=$(date +%s.%N)
  kill -INT "$pid"
  dt=$(stopped_after "$pid" "$log" "$t0")
  wait "$pid"
  tail -1 "$log"
  # Work the run must do after it stops, measured in the same process on
  # this machine ("after T" from SETUP), is added to the limit.
  local after
  after=$(sed -n 's/^after //p' "$log" | head -1)
  [ -n "$after" ] && limit=$(echo "$limit + $after" | bc -l)
  echo "interrupt: $name stopped ${dt}s after SIGINT (limit ${limit}s)"
  check "$(grep -q 'caught id=adagrad:interrupted' "$log"; echo $?)" "$name: no catchable adagrad:interrupted error"
  check "$(echo "$dt < $limit" | bc | grep -q 1; echo $?)" "$name: took ${dt}s (limit ${limit}s)"
}

# Wide inputs (n = 500, d = 20000, m = 1024: one block of units whose two
# products are 20 GFLOP each): the products are cut into pieces of at most
# 2^29 flops with a look at the flag between them, so the bound holds here too.
interrupt_late "wide inputs" 1.0 \
  "[X, y] = adagrad_data (500, 20000, 'seed', 1); net = adagrad_init (20000, 1024, 'seed', 2);" \
  "adagrad_train (net, X, y, 'maxiter', 1e6, 'tol', 0, 'threads', 1, 'form', 'primal');"
# The kernel form on the same data: its setup (K = X*X' and Z = X*W', 30
# GFLOP) is cut into pieces like the products, but then W must be formed
# from the state (2*n*d*m = 20 GFLOP) and the state's anchors handed back
# (fresh arrays of W's size, whose first touch is slow on these machines),
# which is not cut: 1.3 to 1.7 s in all on 2026-12-03, where the product
# alone took 0.5 to 1.1 s. So the limit is 1 s plus twice what the same
# process takes, just before, for that product on one thread
# (OPENBLAS_NUM_THREADS=1 for Octave's own) and two fresh copies of W.
OPENBLAS_NUM_THREADS=1 interrupt_late "kernel form" 1.0 \
  "[X, y] = adagrad_data (500, 20000, 'seed', 1); net = adagrad_init (20000, 1024, 'seed', 2);
   C = randn (500, 1024); t = tic; Wt = C' * X; Z1 = Wt + 0; Z2 = Z1 + 0;
   printf ('after %.3f\\n', 2 * toc (t)); clear C Wt Z1 Z2;" \
  "adagrad_train (net, X, y, 'maxiter', 1e6, 'tol', 0, 'threads', 1, 'form', 'kernel');"
# The event form (n = 500, d = 2000, m = 4000): its setup (Z0 = X*W', 8
# GFLOP, and H, 2 GFLOP) is cut between blocks, its steps look at the flag,
# and W is formed once at the end (2*n*d*m, not cut): the limit is 1 s plus
# twice what the same process takes for that product.
OPENBLAS_NUM_THREADS=1 interrupt_late "event form" 1.0 \
  "[X, y] = adagrad_data (500, 2000, 'seed', 1); net = adagrad_init (2000, 4000, 'seed', 2);
   C = randn (500, 4000); t = tic; Wt = C' * X; Z1 = Wt + 0;
   printf ('after %.3f\\n', 2 * toc (t)); clear C Wt Z1;" \
  "adagrad_train (net, X, y, 'maxiter', 1e6, 'tol', 0, 'threads', 1, 'form', 'event');"
# A mini-batch run (batches of 64 of 20000 rows, a full-batch evaluation
# every 50 steps over all rows): the loop looks at the flag in the batch's
# passes and in the evaluation's pieces.
interrupt_late "mini-batches" 1.0 \
  "[X, y] = adagrad_data (20000, 100, 'seed', 1);" \
  "adagrad_train (X, y, 'width', 4000, 'maxiter', 1e6, 'tol', 0, 'batchsize', 64, 'evalevery', 50);"
# adagrad_gram is cancellable too (n = 3000, m = 200000: 1.8e12 flops, ten
# times what the fastest single core does in the 2 s before the signal; with
# m = 20000 a faster machine than this one had finished the blocks when the
# signal came, and Octave ended on an interrupt no try/catch takes).
interrupt_late "adagrad_gram" 1.5 \
  "X = adagrad_data (3000, 20, 'seed', 1); net = adagrad_init (20, 200000, 'seed', 2);" \
  "H = adagrad_gram (X, net);"
# The extreme eigenvalues (LAPACK's dsyev, n = 4000) do not look at the flag:
# a Ctrl-C during them ends the call with the catchable error as soon as they
# are done (before, Octave ended on its own interrupt after the call). The
# limit is 1 s plus the whole call's time, measured just before in the same
# process.
interrupt_late "adagrad_gram's eigenvalues" 1.0 \
  "X = adagrad_data (4000, 20, 'seed', 1); t = tic; [H, l0, l1] = adagrad_gram (X);
   printf ('after %.3f\\n', toc (t)); clear H;" \
  "[H, l0, l1] = adagrad_gram (X);"

summary
