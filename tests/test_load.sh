#!/usr/bin/env bash
# No collapse under load: adagrad_train at (n, d, m) = (100, 10, 1000) and
# (256, 64, 4096) with two busy processes (yes > /dev/null) beside it, with
# the default thread count, stays within 3x of its one-thread time on the
# idle machine (best of 3 each). The default lowers the thread count to the
# cores other running tasks leave free (ag_mex_auto_threads).
PART=load
. "$(dirname "$0")/lib.sh"
log=$(mktemp)
busy=()
cleanup () { [ ${#busy[@]} -gt 0 ] && kill "${busy[@]}" 2>/dev/null; rm -f "$log"; }
trap cleanup EXIT
measure () {  # measure THREADS: "n d m seconds-per-step" lines
  $OCTAVE --eval "
    addpath ('$top/$BUILD', '$top/inst');
    for s = [100 10 1000 2000; 256 64 4096 60]'
      [X, y] = adagrad_data (s(1), s(2), 'seed', 1);
      net = adagrad_init (s(2), s(3), 'seed', 2, 'optimizer', 'adagrad-norm');
      t = Inf;
      for r = 1:3
        [~, h] = adagrad_train (net, X, y, 'maxiter', s(4), 'tol', 0, 'threads', $1);
        t = min (t, h.time(end) / s(4));
      endfor
      printf ('%d %d %d %.6g\n', s(1:3), t);
    endfor"
}
measure 1 >"$log" 2>&1
idle=$(cat "$log")
echo "idle, 1 thread:"; echo "$idle"
yes >/dev/null & busy+=($!)
yes >/dev/null & busy+=($!)
sleep 1
loaded=$(measure 0 2>&1)
kill "${busy[@]}" 2>/dev/null
busy=()
echo "two busy processes, default threads:"; echo "$loaded"
for size in "100 10 1000" "256 64 4096"; do
  t1=$(echo "$idle" | awk -v s="$size" '$1" "$2" "$3 == s { print $4 }')
  t2=$(echo "$loaded" | awk -v s="$size" '$1" "$2" "$3 == s { print $4 }')
  if [ -z "$t1" ] || [ -z "$t2" ]; then
    check 1 "($size): no time measured"
    continue
  fi
  ratio=$(echo "$t2 / $t1" | bc -l)
  printf 'load: (%s) %.3gx the idle one-thread step\n' "$size" "$ratio"
  check "$(echo "$ratio < 3" | bc | grep -q 1; echo $?)" "($size): ${ratio}x the idle one-thread step under load (limit 3x)"
done
summary
