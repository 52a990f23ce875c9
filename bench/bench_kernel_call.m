## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## bench_kernel_call (TOP, OLD): the kernel form's whole call at
## n = d = 1000, m = 16384 (AdaGrad-Norm), calls of 4 and 14 steps, for the
## build in TOP and the one in OLD (e.g. a built clone of 0.7.0), the two
## alternating in one process, best of 2; prints each time and the fit
## time = fixed cost + steps * per step.  Run by hand (about two minutes):
##   octave-cli --eval 'addpath ("bench"); bench_kernel_call (pwd, "/path/to/0.7.0")'
function bench_kernel_call (top, old)
  trees = {top, old};
  bench_use (top, old);
  [X, y] = adagrad_data (1000, 1000, "seed", 1);
  K = [4 14];
  T = Inf (2, 2);
  for r = 1:2
    for tr = [1 2; 2 1](1 + mod (r, 2), :)
      bench_use (trees{tr}, trees{3 - tr});
      for j = 1:2
        net = adagrad_init (1000, 16384, "seed", 2, "optimizer", "adagrad-norm");
        t0 = tic ();
        adagrad_train (net, X, y, "maxiter", K(j), "tol", 0, "form", "kernel");
        T(j, tr) = min (T(j, tr), toc (t0));
      endfor
    endfor
  endfor
  names = {"this tree", "old"};
  for tr = 1:2
    slope = diff (T(:, tr)) / diff (K);
    printf ("%-9s  %d steps %.2f s, %d steps %.2f s: per step %.0f ms, fixed cost %.2f s\n",
            names{tr}, K(1), T(1, tr), K(2), T(2, tr), 1e3 * slope, T(1, tr) - slope * K(1));
  endfor
endfunction
