#!/usr/bin/env bash
# Checkpoints on a full disk and on a read-only folder (tmpfs mounts: needs
# root; where the machine refuses the mount the test says "skipped").
# 1. A 1 MB tmpfs holds one checkpoint but not a second beside it: the run
#    returns its result with a warning adagrad:checkpoint, and the file on disk
#    is the last good checkpoint (it reads back, digest and all).
# 2. A read-only folder is refused before the first iteration.
PART=disk
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d)
full=$dir/full ro=$dir/ro
mkdir -p "$full" "$ro"
cleanup () { umount "$full" 2>/dev/null; umount "$ro" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
if ! mount -t tmpfs -o size=1m tmpfs "$full" 2>"$dir/err" || ! mount -t tmpfs -o size=1m,ro tmpfs "$ro" 2>>"$dir/err"; then
  echo "disk: skipped: cannot mount a tmpfs here ($(head -1 "$dir/err"))"
  skip=2
  summary
  exit
fi

cd "$dir"
$OCTAVE --eval "
  addpath ('$top/$BUILD', '$top/inst');
  [X, y] = adagrad_data (100, 20, 'seed', 1);
  args = {'width', 2000, 'maxiter', 30, 'tol', 0, 'seed', 2};
  ref = adagrad_train (X, y, args{:});
  lastwarn ('');
  [net, h] = adagrad_train (X, y, args{:}, 'checkpoint', '$full/run.ckpt', 'checkpointevery', 10);
  [msg, id] = lastwarn ();
  printf ('returned %d %d\n', net.iter == 30, isequal (net.W, ref.W));
  printf ('warning %s\n', id);
  c = __adagrad_checkpoint__ ('read', 'test', '$full/run.ckpt', X, y);
  printf ('kept %d\n', c.net.iter);
  printf ('temporaries %d\n', numel (glob ('$full/run.ckpt.tmp*')));
  try
    adagrad_train (X, y, args{:}, 'checkpoint', '$ro/run.ckpt', 'outputfcn', @(n, i) error ('ran'));
    printf ('readonly accepted\n');
  catch err
    printf ('readonly %s\n', err.identifier);
  end_try_catch
" >"$dir/log" 2>&1
rc=$?
cat "$dir/log" | tail -6
check "$rc" "octave exited with status $rc"
check "$(grep -q '^returned 1 1' "$dir/log"; echo $?)" "the run's result did not reach the caller whole"
check "$(grep -q '^warning adagrad:checkpoint' "$dir/log"; echo $?)" "no adagrad:checkpoint warning for the failed write"
check "$(grep -qE '^kept (10|20)$' "$dir/log"; echo $?)" "the checkpoint on disk is not a good earlier one"
check "$(grep -q '^temporaries 0' "$dir/log"; echo $?)" "a temporary file was left on the full disk"
check "$(grep -q '^readonly adagrad:checkpoint' "$dir/log"; echo $?)" "a read-only folder was not refused before the first iteration"
summary
