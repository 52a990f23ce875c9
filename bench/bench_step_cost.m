## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## bench_step_cost (TOP, OLD): ms per step of a K-step call (the time of a
## call of K + 1 steps less that of a call of 1, over K; K = 30 and 300),
## primal form, double,
## adagrad-norm and momentum at (n, d, m) = (1000, 100, 16384) and
## (256, 64, 4096), for the build in TOP and the one in OLD (e.g. a tree
## before a change), the two alternating in one process, best of 3.  What
## README gives for the measured effective step of 0.9.0.  Run by hand
## (about three minutes):
##   octave-cli --eval 'addpath ("bench"); bench_step_cost (pwd, "/path/to/old")'
function bench_step_cost (top, old)
  trees = {top, old};
  bench_use (top, old);
  sizes = [1000 100 16384 30; 256 64 4096 300];
  for s = 1:rows (sizes)
    [n, d, m, K] = deal (sizes(s, 1), sizes(s, 2), sizes(s, 3), sizes(s, 4));
    [X, y] = adagrad_data (n, d, "seed", 1);
    for rule = {"adagrad-norm", "momentum"}
      t = Inf (1, 2);
      for rep = 1:3
        for tr = [1 2; 2 1](1 + mod (rep, 2), :)
          bench_use (trees{tr}, trees{3 - tr});
          args = {"width", m, "optimizer", rule{1}, "eta", 1e-3, "tol", 0, "seed", 1, ...
                  "form", "primal"};
          t0 = tic (); adagrad_train (X, y, args{:}, "maxiter", 1); t1 = toc (t0);
          t0 = tic (); adagrad_train (X, y, args{:}, "maxiter", K + 1); tK = toc (t0);
          t(tr) = min (t(tr), (tK - t1) / K * 1e3);
        endfor
      endfor
      printf ("%5d %4d %6d  %-13s this tree %8.3f ms  old %8.3f ms  old/new %.3f\n",
              n, d, m, rule{1}, t(1), t(2), t(2) / t(1));
    endfor
  endfor
endfunction
