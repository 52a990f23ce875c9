#!/usr/bin/env bash
# Checkpoints on a full disk and on a read-only folder (tmpfs mounts: needs
# root; where the machine refuses the mount the test says "skipped").
# 1. A 1 MB tmpfs holds one checkpoint but not a second beside it: the run
#    returns its result with a warning adagrad:checkpoint, and the file on disk
#    is the last good checkpoint (it reads back, digest and all).
# 2. A read-only folder is refused before the first iteration.
# 3. A sweep folder on a disk that fills up (see below).
PART=disk
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d)
full=$dir/full ro=$dir/ro sw=$dir/sweep
mkdir -p "$full" "$ro" "$sw"
cleanup () { umount "$full" 2>/dev/null; umount "$ro" 2>/dev/null; umount "$sw" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
if ! mount -t tmpfs -o size=1m tmpfs "$full" 2>"$dir/err" || ! mount -t tmpfs -o size=1m,ro tmpfs "$ro" 2>>"$dir/err" \
   || ! mount -t tmpfs -o size=512k tmpfs "$sw" 2>>"$dir/err"; then
  echo "disk: skipped: cannot mount a tmpfs here ($(head -1 "$dir/err"))"
  skip=3
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
  printf ('full %d\n', ! isempty (strfind (msg, 'the disk is full')) && ! isempty (strfind (msg, 'the previous checkpoint is kept')));
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
check "$(grep -q '^full 1' "$dir/log"; echo $?)" "the warning does not say that the disk is full and the previous checkpoint is kept"
check "$(grep -qE '^kept (10|20)$' "$dir/log"; echo $?)" "the checkpoint on disk is not a good earlier one"
check "$(grep -q '^temporaries 0' "$dir/log"; echo $?)" "a temporary file was left on the full disk"
check "$(grep -q '^readonly adagrad:checkpoint' "$dir/log"; echo $?)" "a read-only folder was not refused before the first iteration"
# 3. A sweep folder on a disk that fills up: sweep.mat is never left empty or
# short (an error that says the disk is full), a task that cannot write its
# result says so and leaves the cell missing, and once there is space the
# same folder goes on.
cd "$dir"
$OCTAVE --eval "
  addpath ('$top/$BUILD', '$top/inst');
  [X, y] = adagrad_data (40, 8, 'seed', 1);
  c = struct ('eta', 1, 'params', struct (), 'maxiter', 20, 'tol', 0,
              'diagnostics', 0, 'keephist', true, 'batch', {{}}, 'threads', 0);
  jobs = struct ('optimizer', 'adaloss', 'b0', {1, 2}, 'width', 300, 'seed', 1)(:);
  ## Fill the disk: sweep.mat cannot be written.
  system ('dd if=/dev/zero of=$sw/filler bs=1k count=600 2>/dev/null');
  try
    __adagrad_sweepdir__ ('create', 't', '$sw/s', X, y, jobs, c);
    printf ('create accepted\n');
  catch err
    printf ('create %s %d\n', err.identifier, ! isempty (strfind (err.message, 'the disk is full')));
  end_try_catch
  printf ('nosweep %d\n', ! exist ('$sw/s/sweep.mat', 'file'));
  unlink ('$sw/filler');
  __adagrad_sweepdir__ ('create', 't', '$sw/s', X, y, jobs, c);
  tasks = {[1 2]};
  mkdir ('$sw/s/slurm');
  save ('-binary', '$sw/s/slurm/submit_1.mat', 'tasks');
  ## Full again: the task's results cannot be written.
  system ('dd if=/dev/zero of=$sw/filler bs=1k count=600 2>/dev/null');
  try
    __adagrad_sweep_task__ ('$sw/s', 1, 1);
    printf ('task accepted\n');
  catch err
    printf ('task %s\n', err.identifier);
  end_try_catch
  st = __adagrad_slurm__ ('status', 't', '$sw/s', struct ('id', {{}}, 'state', {{}}));
  printf ('cells %s\n', strjoin (st.state', ','));
  printf ('temporaries %d\n', numel (readdir ('$sw/s/cells')) - 2);
  unlink ('$sw/filler');
  __adagrad_sweep_task__ ('$sw/s', 1, 1);
  [r, info] = adagrad_sweep_collect ('$sw/s');
  printf ('after %d %d\n', info.complete, numel (r));
" >"$dir/log2" 2>&1
rc=$?
grep -v '^\s*$' "$dir/log2" | tail -8
check "$rc" "octave (sweep folder) exited with status $rc"
check "$(grep -q '^create adagrad:badsweep 1' "$dir/log2" && grep -q '^nosweep 1' "$dir/log2"; echo $?)" "sweep.mat on a full disk: no error that says so, or a file left"
check "$(grep -q 'cannot write .*000001.mat: the disk is full' "$dir/log2" && grep -q '^task adagrad:sweep' "$dir/log2"; echo $?)" "a task on a full disk does not say the disk is full"
check "$(grep -q '^cells missing,missing' "$dir/log2" && grep -q '^temporaries 0' "$dir/log2"; echo $?)" "a task on a full disk left a result or a temporary"
check "$(grep -q '^after 1 2' "$dir/log2"; echo $?)" "the folder did not go on once there was space"
summary
