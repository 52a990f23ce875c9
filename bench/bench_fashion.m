## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## bench_fashion (TOP): one epoch of mini-batches on Fashion-MNIST (needs the
## Debian package dataset-fashion-mnist) with one output: the class
## "Trouser" against the rest (+1/-1), the logistic loss, AdaLoss, m = 4096,
## |B| = 128, single precision, the sphere normalization.  Prints the
## loading time, the epoch's time and ms per step against the GEMM bound
## (the batch's two products X_B*W' and D'*X_B by Octave's BLAS, in single),
## and the test accuracy after the epoch.  Run by hand (about a minute):
##   octave-cli --eval 'addpath ("bench"); bench_fashion (pwd)'
function bench_fashion (top)
  addpath (fullfile (top, "build"), fullfile (top, "inst"));
  t0 = tic ();
  [X, y, Xt, yt, info] = adagrad_dataset ("fashion-mnist", "class", "single");
  tload = toc (t0);
  c = single (2 * (y == 2) - 1);
  ct = single (2 * (yt == 2) - 1);
  [n, d] = size (X);
  [m, B] = deal (4096, 128);
  K = ceil (n / B);
  net = adagrad_init (d, m, "seed", 1, "alpha", 0.1);
  t0 = tic ();
  [net, h] = adagrad_train (net, X, c, "batchsize", B, "maxiter", K, "tol", 0,
                            "loss", "logistic", "evalevery", K);
  tall = toc (t0);
  ## The steps alone: from the first iterate's time to that of the last but
  ## one (the evaluations at the first and the last iterate left out).
  tstep = (h.time(K) - h.time(1)) / (K - 1);
  W = net.W;
  XB = X(1:B, :);
  tg = Inf;
  for rep = 1:3
    t0 = tic ();
    for k = 1:20
      Z = XB * W';
      G = Z' * XB;
    endfor
    tg = min (tg, toc (t0) / 20);
  endfor
  [~, p] = adagrad_predict (net, Xt);
  printf ("Fashion-MNIST (%s), n = %d, d = %d, m = %d, |B| = %d, single, OPENBLAS_CORETYPE=%s\n",
          info.note, n, d, m, B, getenv ("OPENBLAS_CORETYPE"));
  printf ("load %.2f s; one epoch (%d steps) %.2f s, %.3f ms a step, GEMMs %.3f ms (%.2fx)\n",
          tload, K, tall, 1e3 * tstep, 1e3 * tg, tstep / tg);
  printf ("Trouser against the rest, logistic loss: loss %.4g -> %.4g, training accuracy %.4f, test accuracy %.4f (constant answer %.4f)\n",
          h.loss(1), h.loss(end), h.accuracy(end), mean (p == ct), mean (ct == -1));
endfunction
