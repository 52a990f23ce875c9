## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## bench_outputs (TOP): K = 10 outputs, in make bench.
## 1. A full-batch softmax step at (n, d, m, K) = (10000, 784, 4096, 10) in
##    single (the median of the steps of a 4-step run, 2 threads) against its
##    four products X*W', relu(Z)*A, R*A' and D'*X done by Octave's BLAS alone
##    (their operands made beforehand, best of 3): the bound the issue sets is
##    1.3x.
## 2. One epoch of Fashion-MNIST, all ten classes, the softmax loss, m = 4096,
##    |B| = 128, single (needs dataset-fashion-mnist; skipped with the reason
##    otherwise): ms a step (the steps between the first and the last iterate,
##    without the full-batch evaluations there) against the batch's four
##    products by Octave's BLAS, the whole call's time and the test accuracy.
## Run: octave-cli --eval 'addpath ("bench"); bench_outputs (pwd)'
function bench_outputs (top)
  addpath (fullfile (top, "build"), fullfile (top, "inst"));
  printf ("K outputs (OPENBLAS_CORETYPE=%s, %s)\n", getenv ("OPENBLAS_CORETYPE"),
          version ("-blas"));
  [n, d, m, K] = deal (10000, 784, 4096, 10);
  X = randn (n, d, "single");
  X ./= sqrt (sumsq (X, 2));
  c = 1 + mod ((1:n)', K);
  net = adagrad_init (d, m, "seed", 1, "outputs", K);
  net.W = single (net.W);
  [~, h] = adagrad_train (net, X, c, "loss", "softmax", "maxiter", 4, "tol", 0,
                          "threads", 2);
  step = median (diff (h.time(1:end-1)));
  tp = products (X, single (net.W), single (net.a), 3);
  printf ("  full-batch step (n, d, m, K) = (%d, %d, %d, %d), single: %.3f s; the four products by Octave's BLAS %.3f s; ratio %.2f (bound 1.3)\n",
          n, d, m, K, step, tp, step / tp);
  try
    t0 = tic ();
    [X, y, Xt, yt] = adagrad_dataset ("fashion-mnist", "class", "single");
    tload = toc (t0);
  catch err
    printf ("  fashion-mnist: skipped (%s)\n", err.message);
    return;
  end_try_catch
  [n, B] = deal (rows (X), 128);
  E = ceil (n / B);
  t0 = tic ();
  [nf, hf] = adagrad_train (X, y, "loss", "softmax", "width", m, "batchsize", B,
                            "maxiter", E, "evalevery", E, "seed", 1, "threads", 2,
                            "tol", 0);
  tall = toc (t0);
  ## The steps alone: from the first iterate's time to that of the last but
  ## one (the evaluations at the first and the last iterate left out).
  tstep = (hf.time(E) - hf.time(1)) / (E - 1);
  tb = products (X(1:B, :), nf.W, nf.a, 3);
  [~, ct] = adagrad_predict (nf, Xt);
  printf ("  fashion-mnist, 10 classes, softmax, m = %d, |B| = %d, single: loaded in %.1f s; %.2f ms a step, the batch's four products %.2f ms, ratio %.2f (bound 1.3); one epoch %.1f s for the whole call; test accuracy %.4f\n",
          m, B, tload, 1e3 * tstep, 1e3 * tb, tstep / tb, tall, mean (ct == yt));
endfunction

## The best of REPS times of the step's four products by Octave's BLAS, with
## their operands (relu(Z), a residual R, the masked D) made beforehand.
function t = products (X, W, A, reps)
  Z = X * W';
  P = max (Z, 0);
  R = P * A / sqrt (rows (W));
  D = (Z >= 0) .* (R * A');
  t = Inf;
  for r = 1:reps
    t0 = tic ();
    Z = X * W';
    U = P * A;
    S = R * A';
    G = D' * X;
    t = min (t, toc (t0));
  endfor
endfunction
