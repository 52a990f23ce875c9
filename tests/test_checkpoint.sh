#!/usr/bin/env bash
# A run with checkpoints is killed with SIGKILL mid-way; a new octave-cli
# resumes it from the last checkpoint with adagrad_resume and must end with
# the same network, optimizer state and history, bitwise, as the same run left
# alone: once for AdaLoss (a scalar state), once for Adam (per-coordinate
# state arrays and a step count) and once for AdaGrad-Norm on shuffled
# mini-batches (the place in the schedule, mid-epoch, and the validation
# loss at the evaluation points), and once for Nesterov in the kernel form
# (its state, net.kernel, in the checkpoint; re-forming every 300 steps).
PART=checkpoint
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
for rule in ${RULES:-adaloss adam minibatch kernel}; do
iters=4000
width=4000
data="200, 30"
if [ $rule = adaloss ]; then
  ruleargs="'b0', 0.1, 'alpha', 0.2"
elif [ $rule = kernel ]; then
  ruleargs="'optimizer', 'nesterov', 'eta', 0.002, 'form', 'kernel', 'reform', 300"
  width=1500
  data="60, 100"
  iters=3000
elif [ $rule = adam ]; then
  ruleargs="'optimizer', 'adam', 'eta', 0.002"
else
  ruleargs="'optimizer', 'adagrad-norm', 'batchsize', 32, 'evalevery', 50, 'recordbatches', true, 'validation', {X(1:40, :), y(1:40)}"
  iters=20000
fi
rm -f run.ckpt
setup="addpath ('$top/$BUILD', '$top/inst'); [X, y] = adagrad_data ($data, 'seed', 1);
  args = {'width', $width, $ruleargs, 'maxiter', $iters, 'tol', 0, 'seed', 2, 'diagnostics', 50};"

$OCTAVE --eval "$setup adagrad_train (X, y, args{:}, 'checkpoint', 'run.ckpt', 'checkpointevery', 25);" \
  >"$dir/a.log" 2>&1 &
pid=$!
# Kill it once a checkpoint past the first one is on disk, well before the end.
for _ in $(seq 1 300); do
  [ -s run.ckpt ] && [ "$(stat -c %Y run.ckpt)" ] && sleep 1.5 && break
  sleep 0.1
done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "$( [ -s run.ckpt ] && echo 0 || echo 1)" "$rule: no checkpoint file before the kill"

$OCTAVE --eval "$setup
  c = load ('run.ckpt').checkpoint;
  printf ('killed at %d of %d\n', c.net.iter, c.options.target);
  [net, hist] = adagrad_resume ('run.ckpt', X, y);
  [ref, href] = adagrad_train (X, y, args{:});
  printf ('same W %d\n', isequal (net.W, ref.W));
  printf ('same state %d\n', isequal (net.state, ref.state) && net.iter == ref.iter);
  same = isequaln (hist.loss, href.loss) && isequaln (hist.b, href.b) && isequal (hist.gnorm, href.gnorm);
  same = same && isequaln (hist.batchloss, href.batchloss) && isequaln (hist.vloss, href.vloss);
  same = same && isequal (hist.epoch, href.epoch) && net.seen == ref.seen;
  if (isfield (href, 'batches'))
    same = same && isequal (hist.batches, href.batches);
  endif
  same = same && isequaln (hist.step, href.step) && isequaln ([hist.rate hist.ratehi], [href.rate href.ratehi]);
  same = same && isequal (hist.iter, href.iter) && isequal (hist.diag.flips, href.diag.flips);
  printf ('same history %d\n', same);
  printf ('form %s\n', hist.form);
" >"$dir/b.log" 2>&1
rc=$?
cat "$dir/b.log"
check "$rc" "$rule: the resuming octave exited with status $rc"
check "$(awk '/^killed at/ { exit !($3 > 0 && $3 < $5) } END { if (NR == 0) exit 1 }' "$dir/b.log"; grep -q '^killed at' "$dir/b.log"; echo $?)" \
  "$rule: the kill did not land mid-run"
check "$(grep -q '^same W 1' "$dir/b.log"; echo $?)" "$rule: resumed W differs from the uninterrupted run"
check "$(grep -q '^same state 1' "$dir/b.log"; echo $?)" "$rule: resumed state or iteration count differs"
check "$(grep -q '^same history 1' "$dir/b.log"; echo $?)" "$rule: resumed history differs"
check "$(ls "$dir" | grep -c 'tmp' | grep -q '^0$'; echo $?)" "$rule: a temporary checkpoint file was left behind"
if [ $rule = kernel ]; then
  check "$(grep -q '^form kernel' "$dir/b.log"; echo $?)" "$rule: the resumed run was not in the kernel form"
fi
done
summary
