## bench_memory (TOP): train a network of width m = 1,000,000 on n = 1000
## samples in R^100 for a few iterations and report the peak resident memory
## (VmHWM of this Octave process) next to the sizes of W, W0 and the gradient.
function bench_memory (top)
  addpath (fullfile (top, "build"), fullfile (top, "inst"));
  [n, d, m, K] = deal (1000, 100, 1e6, 3);
  [X, y] = adagrad_data (n, d, "seed", 1);
  t = tic ();
  [net, hist] = adagrad_train (X, y, "width", m, "maxiter", K, "tol", 0, "seed", 2);
  elapsed = toc (t);
  status = fileread ("/proc/self/status");
  hwm = sscanf (regexp (status, 'VmHWM:\s*(\d+)', "tokens", "once"){1}, "%d") * 1024;
  W = m * d * 8;
  printf ("n = %d, d = %d, m = %d: %d iterations in %.1f s, loss %.4g -> %.4g\n",
          n, d, m, net.iter, elapsed, hist.loss(1), hist.loss(end));
  printf ("W, W0 and the gradient: %.2f GiB each; activation pattern n*m/8: %.2f GiB\n",
          W / 2^30, n * m / 8 / 2^30);
  printf ("an n-by-m double matrix would be %.2f GiB\n", n * m * 8 / 2^30);
  printf ("peak resident memory (VmHWM): %.2f GiB\n", hwm / 2^30);
endfunction
