#!/usr/bin/env bash
# Signals during adagrad_train other than a plain Ctrl-C in the C loop
# (test_interrupt.sh): signals other than SIGINT keep Octave's own answer
# (the run goes on unchanged, or Octave ends after the checkpoint is written);
# Ctrl-C inside an output function or a checkpoint write, and a second Ctrl-C
# during the save, give a catchable adagrad:interrupted with a complete
# checkpoint; three Ctrl-C leave an output function that never returns.
PART=signals
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
log=$dir/log
has () { grep -q -- "$1" "$log"; echo $?; }
setup="addpath ('$top/$BUILD', '$top/inst'); [X, y] = adagrad_data (200, 20, 'seed', 1);"

# start SCRIPT: run SCRIPT in a background octave-cli (in $dir, where Octave
# dumps its workspace on SIGTERM; in a process group of its own, as a
# terminal's foreground job), wait until it prints "ready"; sets pid.
start () {
  (cd "$dir" && exec setsid $OCTAVE --eval "$setup $1") >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q ready "$log" && break; sleep 0.1; done
}
finish () { wait "$pid"; rc=$?; tr '\r' '\n' <"$log" | grep -v '^$' | tail -3; }
# caught_saved CK: the end of a try block in a started script: print
# "caught ID saved 1" when the checkpoint CK holds the network and the history
# at the iteration the error names.
caught_saved () {
  echo "catch err
    k = sscanf (regexp (err.message, 'iteration (\\d+)', 'tokens', 'once'){1}, '%d');
    c = load ('$1').checkpoint;
    printf ('caught %s saved %d\\n', err.identifier, c.net.iter == k && numel (c.hist.loss) == k + 1);
  end_try_catch"
}

# 1. SIGUSR1, SIGUSR2, SIGALRM and a SIGCHLD (a popen'd child ending) during a
# run: Octave answers each as usual (a warning, or reaping the child) and the
# run goes on to the same result as without them, and the script exits 0.
start "
  [n1, h1] = adagrad_train (X, y, 'width', 500, 'maxiter', 6000, 'tol', 0, 'seed', 3);
  printf ('ready\n'); fflush (stdout);
  fid = popen ('sleep 2', 'r');
  t = tic ();
  [n2, h2] = adagrad_train (X, y, 'width', 500, 'maxiter', 6000, 'tol', 0, 'seed', 3);
  pclose (fid);
  printf ('run took %.1f s\n', toc (t));
  printf ('same %d %d %d\n', isequal (n1.W, n2.W), isequal (h1.loss, h2.loss), isequal (h1.iter, h2.iter));
"
sleep 0.5; kill -USR1 "$pid"; sleep 0.5; kill -USR2 "$pid"; sleep 0.5; kill -ALRM "$pid"
finish
check "$rc" "other signals: exit status $rc"
check "$(has 'same 1 1 1')" "other signals: the run's result changed"
check "$(has 'ignoring signal: User defined signal 1')" "other signals: Octave's warning for SIGUSR1 missing"

# 2. SIGTERM: the checkpoint is written at the signal, then Octave ends as it
# always does (exit status 1, "fatal: caught signal Terminated"); the
# resumed run ends where the uninterrupted one does, bitwise.
ck=$dir/term.ckpt
start "
  printf ('ready\n'); fflush (stdout);
  adagrad_train (X, y, 'width', 2000, 'maxiter', 1e6, 'tol', 0, 'seed', 4, 'checkpoint', '$ck', 'checkpointseconds', 1e4);
  printf ('finished\n');
"
sleep 2
kill -TERM "$pid"
finish
check "$( [ "$rc" = 1 ] && echo 0 || echo 1)" "SIGTERM: exit status $rc (Octave's is 1)"
check "$(has 'fatal: caught signal Terminated')" "SIGTERM: not Octave's own answer"
check "$( [ -f "$ck" ] && echo 0 || echo 1)" "SIGTERM: no checkpoint written"
rm -f "$dir/octave-workspace"
$OCTAVE --eval "
  $setup
  c = load ('$ck').checkpoint;
  k = c.net.iter;
  printf ('saved at %d (%s)\n', k, c.hist.stop);
  [r, hr] = adagrad_resume ('$ck', X, y, 'maxiter', k + 20);
  [u, hu] = adagrad_train (X, y, 'width', 2000, 'maxiter', k + 20, 'tol', 0, 'seed', 4);
  printf ('resumed %d %d\n', k > 0, isequal (r.W, u.W) && isequal (hr.loss, hu.loss));
" >"$log" 2>&1
tail -2 "$log"
check "$(has 'resumed 1 1')" "SIGTERM: the checkpoint does not resume to the uninterrupted run"

# 3. Ctrl-C while the output function runs (it sleeps 0.3 s per call):
# adagrad:interrupted, caught, with the checkpoint at the reported iteration.
ck=$dir/out.ckpt
start "
  function stop = slow (net, info)
    pause (0.3);
    stop = false;
  end
  printf ('ready\n'); fflush (stdout);
  try
    adagrad_train (X, y, 'width', 200, 'maxiter', 1e6, 'tol', 0, 'outputfcn', @slow, 'checkpoint', '$ck');
  $(caught_saved "$ck")
  system ('true');
  x = sum (1:10);
  printf ('alive %d\n', x);
"
sleep 2
kill -INT "$pid"
finish
check "$rc" "output function: exit status $rc"
check "$(has 'caught adagrad:interrupted saved 1')" "output function: no adagrad:interrupted with the state saved"
check "$(has 'alive 55')" "output function: Octave did not carry on (or a spurious interrupt came later)"

# 3b. Ctrl-C while the output function, or a rule written in Octave, runs the
# package's own functions (adagrad_forward in a loop): adagrad:interrupted
# (not adagrad:outputfcn / adagrad:optimizer), caught, the run saved.
for who in outputfcn optimizer; do
  ck=$dir/$who.ckpt
  start "
    function stop = busy_out (net, info, X)
      for k = 1:20
        adagrad_forward (net.W, net.a, X);
      end
      stop = false;
    end
    function [W, s] = busy_rule (W, G, s, info, X, a)
      for k = 1:20
        adagrad_forward (W, a, X);
      end
      W = W - 0.01 * G;
    end
    printf ('ready\n'); fflush (stdout);
    net = adagrad_init (columns (X), 3000, 'seed', 1);
    a = net.a;
    try
      if (strcmp ('$who', 'outputfcn'))
        adagrad_train (net, X, y, 'maxiter', 1e6, 'tol', 0, 'outputfcn', @(n, i) busy_out (n, i, X), 'checkpoint', '$ck');
      else
        adagrad_train (net, X, y, 'maxiter', 1e6, 'tol', 0, 'optimizer', @(W, G, s, i) busy_rule (W, G, s, i, X, a), 'checkpoint', '$ck');
      end
    $(caught_saved "$ck")
    printf ('alive %d\n', sum (1:10));
  "
  sleep 2
  kill -INT "$pid"
  finish
  check "$rc" "$who calling adagrad_forward: exit status $rc"
  check "$(has 'caught adagrad:interrupted saved 1')" "$who calling adagrad_forward: no adagrad:interrupted with the state saved ($(grep -m1 caught "$log"))"
  check "$(has 'alive 55')" "$who calling adagrad_forward: Octave did not carry on"
done

# 4. Ctrl-C during a checkpoint write (every iteration, 32 MB each), and a
# second one 40 ms later: adagrad:interrupted, a complete checkpoint, no
# temporary file left.
# Known intermittent fault (seen on 2026-11-30 in about one run in five, with
# 0.3.0's code too): when the pair lands at one moment of the checkpoint
# write, Octave ends with status 1 and no message. Until it is found, an
# attempt that ends so is reported and the case runs once more; a second
# such end fails.
ck=$dir/big.ckpt
for attempt in 1 2; do
  rm -f "$ck"
  start "
    printf ('ready\n'); fflush (stdout);
    try
      adagrad_train (X, y, 'width', 1e5, 'maxiter', 1e6, 'tol', 0, 'checkpoint', '$ck', 'checkpointevery', 1);
    $(caught_saved "$ck")
  "
  sleep 3
  kill -INT "$pid"; sleep 0.04; kill -INT "$pid"
  finish
  if [ "$rc" = 1 ] && [ "$attempt" = 1 ] && ! grep -q caught "$log"; then
    echo "signals: checkpoint write: attempt 1 ended with status 1 and no message (the known intermittent fault); once more"
    continue
  fi
  break
done
check "$rc" "checkpoint write: exit status $rc"
check "$(has 'caught adagrad:interrupted saved 1')" "checkpoint write: no adagrad:interrupted with a complete checkpoint"
check "$(ls "$dir" | grep -c tmp | grep -q '^0$'; echo $?)" "checkpoint write: temporary files left: $(ls "$dir")"

# 5. An output function that never returns: the third Ctrl-C is Octave's own
# interrupt, at once.
start "
  function stop = forever (net, info)
    while (true)
      pause (0.05);
    end
  end
  printf ('ready\n'); fflush (stdout);
  adagrad_train (X, y, 'width', 50, 'maxiter', 10, 'outputfcn', @forever);
  printf ('finished\n');
"
sleep 1
kill -INT "$pid"; sleep 0.2; kill -INT "$pid"; sleep 0.2
t0=$(date +%s.%N)
kill -INT "$pid"
finish
dt=$(echo "$(date +%s.%N) - $t0" | bc)
echo "signals: third Ctrl-C ended the call ${dt}s later"
check "$(echo "$dt < 1.0" | bc | grep -q 1; echo $?)" "three Ctrl-C: took ${dt}s"
check "$( ! grep -q finished "$log"; echo $?)" "three Ctrl-C: the call finished"

# 6. Ctrl-C during a parallel adagrad_sweep, sent to Octave alone and to its
# process group (a terminal's Ctrl-C): adagrad:interrupted within a few
# seconds, no sequential restart, the workers ended, no files left behind.
if octave-cli --eval "pkg load parallel" >/dev/null 2>&1; then
  for target in process group; do
    start "
      printf ('ready\n'); fflush (stdout);
      try
        adagrad_sweep (X, y, 'b0', [0.1 1 10 100], 'width', 4000, 'maxiter', 1e5, 'tol', 0, 'parallel', 'on', 'nproc', 2);
        printf ('finished\n');
      catch err
        printf ('caught %s\n', err.identifier);
      end_try_catch
      printf ('alive\n'); fflush (stdout);
      pause (3);
    "
    sleep 4
    workers=$(pgrep -P "$pid" -f __rfeval_slave__ | wc -l)
    t0=$(date +%s.%N)
    if [ $target = group ]; then kill -INT -- -"$(ps -o pgid= "$pid" | tr -d ' ')"; else kill -INT "$pid"; fi
    for _ in $(seq 1 100); do grep -q alive "$log" && break; sleep 0.1; done
    dt=$(echo "$(date +%s.%N) - $t0" | bc)
    left=$(pgrep -P "$pid" -f __rfeval_slave__ | wc -l)
    finish
    echo "signals: sweep ($target) stopped ${dt}s after SIGINT; workers before $workers, after $left"
    check "$(has 'caught adagrad:interrupted')" "sweep ($target): no adagrad:interrupted"
    check "$( ! grep -q 'running sequentially' "$log"; echo $?)" "sweep ($target): fell back to a sequential run"
    check "$( [ "$workers" -gt 0 ] && [ "$left" = 0 ] && echo 0 || echo 1)" "sweep ($target): workers $workers before, $left after"
    check "$(echo "$dt < 5" | bc | grep -q 1; echo $?)" "sweep ($target): took ${dt}s"
    check "$( [ ! -e "$dir/octave-workspace" ] && echo 0 || echo 1)" "sweep ($target): a worker dumped its workspace"
  done
  # SIGTERM and SIGHUP during a parallel sweep: Octave ends (its own answer,
  # a non-zero status) within a few seconds, not when the workers finish
  # their cells (each of these would take minutes), and no worker is left.
  for sig in TERM HUP; do
    start "
      printf ('ready\n'); fflush (stdout);
      adagrad_sweep (X, y, 'b0', [0.1 1 10 100], 'width', 4000, 'maxiter', 1e6, 'tol', 0, 'parallel', 'on', 'nproc', 2);
      printf ('finished\n');
    "
    sleep 4
    workers=$(pgrep -P "$pid" -f __rfeval_slave__ | wc -l)
    wpids=$(pgrep -P "$pid" -f __rfeval_slave__ | tr '\n' ' ')
    t0=$(date +%s.%N)
    kill -$sig "$pid"
    finish
    dt=$(echo "$(date +%s.%N) - $t0" | bc)
    left=0
    for w in $wpids; do kill -0 "$w" 2>/dev/null && left=$((left + 1)); done
    echo "signals: sweep SIG$sig: Octave ended ${dt}s after it (status $rc); workers before $workers, after $left"
    check "$( [ "$rc" != 0 ] && ! grep -q finished "$log" && echo 0 || echo 1)" "sweep SIG$sig: Octave did not end (status $rc)"
    check "$(echo "$dt < 10" | bc | grep -q 1; echo $?)" "sweep SIG$sig: Octave ended only ${dt}s after it"
    check "$( [ "$workers" -gt 0 ] && [ "$left" = 0 ] && echo 0 || echo 1)" "sweep SIG$sig: workers $workers before, $left after"
    for w in $wpids; do kill -KILL "$w" 2>/dev/null; done
    # Octave's own answer to SIGTERM/SIGHUP saves its workspace (by design).
    rm -f "$dir/octave-workspace"
  done
else
  echo "signals: octave-parallel is not installed: the parallel sweep is not tested (1 skipped)"
  skip=1
fi

summary
