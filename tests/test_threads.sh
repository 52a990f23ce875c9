#!/usr/bin/env bash
# Every number the package records is bitwise the same whatever the thread
# counts of the environment: runs of every rule (W, state, history, the
# diagnostics and gramevery's lambda_min; mini-batch runs of both samplings
# with their schedule, validation and evaluation points), adagrad_gram (H, lambda0, ||H_inf||)
# and adagrad_check, and kernel-form runs (full batch with diagnostics and
# mini-batches with validation, re-forming between), under OMP_NUM_THREADS and OPENBLAS_NUM_THREADS of 1, 2
# and 8, compared as hexadecimal bit patterns.
PART=threads
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
script="
  addpath ('$top/$BUILD', '$top/inst');
  [X, y] = adagrad_data (300, 20, 'seed', 1);
  h = @(v) hash ('md5', num2hex (double (v(:)))(:)');
  for r = __adagrad_optimizer__ ('names')
    [net, hi] = adagrad_train (X, y, 'width', 1200, 'optimizer', r{1}, 'eta', 0.01, 'maxiter', 12,
                               'tol', 0, 'seed', 2, 'diagnostics', 3, 'gramevery', 6);
    s = cellfun (@(v) double (v(:)), struct2cell (net.state), 'uniformoutput', false);
    printf ('%s W %s state %s loss %s step %s diag %s lambda %s\n', r{1}, h (net.W),
            h (vertcat (zeros (0, 1), s{:})), h (hi.loss), h ([hi.step; hi.rate; hi.ratelo; hi.ratehi]),
            h ([hi.diag.flips; hi.diag.move; hi.diag.dist]), h (hi.diag.lambda_min));
  endfor
  for smp = {'shuffle', 'replace'}
    [net, hi] = adagrad_train (X, y, 'width', 1200, 'maxiter', 15, 'tol', 0, 'seed', 2,
                               'batchsize', 40, 'sampling', smp{1}, 'evalevery', 4,
                               'validation', {X(1:50, :), y(1:50)}, 'recordbatches', true,
                               'gtol', 1e-9, 'diagnostics', 5);
    printf ('%s W %s loss %s batch %s val %s batches %s diag %s\n', smp{1}, h (net.W),
            h (hi.loss), h ([hi.batchloss; hi.gnorm; hi.b; hi.epoch]), h (hi.vloss),
            h (hi.batches), h ([hi.diag.flips; hi.diag.move]));
  endfor
  for r = {'adaloss', 'nesterov'}
    [net, hi] = adagrad_train (X, y, 'width', 1200, 'optimizer', r{1}, 'eta', 0.01, 'maxiter', 12,
                               'tol', 0, 'seed', 2, 'diagnostics', 3, 'form', 'kernel', 'reform', 5);
    printf ('kernel %s W %s loss %s Z %s diag %s\n', r{1}, h (net.W), h ([hi.loss; hi.gnorm]),
            h (net.kernel.A), h ([hi.diag.flips; hi.diag.move]));
  endfor
  [net, hi] = adagrad_train (X, y, 'width', 1200, 'maxiter', 15, 'tol', 0, 'seed', 2,
                             'batchsize', 40, 'sampling', 'replace', 'evalevery', 4,
                             'validation', {X(1:50, :), y(1:50)}, 'form', 'kernel', 'reform', 6);
  printf ('kernel replace W %s loss %s val %s\n', h (net.W), h ([hi.loss; hi.batchloss; hi.gnorm]),
          h (hi.vloss));
  [H, l0, nH] = adagrad_gram (X);
  [Hw, lm, lx] = adagrad_gram (X, net);
  printf ('gram %s %s %s %s\n', h (H), h ([l0 nH]), h (Hw), h ([lm lx]));
  r = adagrad_check (net, hi, X, y, 'verbose', false);
  printf ('check %s\n', h ([r.identity.value r.movement.value r.rate.value r.lambda0 r.normH]));
"
n=0
for t in 1 2 8; do
  for b in 1 2; do
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$b $OCTAVE --eval "$script" >"$dir/run_${t}_${b}.log" 2>&1
    rc=$?
    [ $rc = 0 ] || tail -3 "$dir/run_${t}_${b}.log"
    check $rc "octave with OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$b exited with status $rc"
    n=$((n + 1))
  done
done
first=$(ls "$dir" | head -1)
lines=$(wc -l <"$dir/$first")
check "$( [ "$lines" -ge 15 ] && echo 0 || echo 1)" "the reference run printed $lines lines, expected 15"
for f in $(ls "$dir"); do
  if ! cmp -s "$dir/$first" "$dir/$f"; then
    check 1 "$f differs from $first:"
    diff "$dir/$first" "$dir/$f" | head -5
  else
    check 0 ""
  fi
done
echo "threads: $n environments, $((lines)) fingerprinted records each"
summary
