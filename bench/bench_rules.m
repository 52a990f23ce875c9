## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## bench_rules (TOP): the cost of every rule's step, in adagrad_train, beside
## the others.  For each rule of the table: ms per iteration of a primal,
## double, full-batch run at (n, d, m) = (256, 64, 4096) and (1000, 100,
## 16384) (a call of K + 1 steps less one of 1, over K, best of 3); the
## step's share, that time less GD's (the forward and gradient passes are
## the same for every rule); and that share over one pass over the arrays
## the step touches (W, G and the rule's state arrays, each read and, but
## x0, written), measured as Octave's W - s*G (two arrays read, one
## written) scaled to that many arrays.  A step within the cost of one pass
## has a ratio near 1 or below.  Run by hand (about two minutes):
##   octave-cli --eval 'addpath ("bench"); bench_rules (pwd)'
function bench_rules (top)
  addpath (fullfile (top, "build"), fullfile (top, "inst"));
  T = __adagrad_rules__ ();
  printf ("BLAS: %s; OPENBLAS_CORETYPE=%s; %d cores\n", version ("-blas"),
          getenv ("OPENBLAS_CORETYPE"), nproc ());
  sizes = [256 64 4096 200; 1000 100 16384 30];
  for s = 1:rows (sizes)
    [n, d, m, K] = deal (sizes(s, 1), sizes(s, 2), sizes(s, 3), sizes(s, 4));
    [X, y] = adagrad_data (n, d, "seed", 1);
    W = randn (m, d);
    G = randn (m, d);
    pass = Inf;
    for rep = 1:5
      t0 = tic ();
      W2 = W - 0.1 * G;
      pass = min (pass, toc (t0));
    endfor
    pass = pass / 3;   # one array's share of a pass (2 read, 1 written)
    printf ("\n%d, %d, %d (%d steps)\n%-14s %9s %9s %8s %10s\n", n, d, m, K, "rule",
            "ms/iter", "step ms", "arrays", "step/pass");
    tgd = NaN;
    for r = 1:numel (T)
      rule = T(r).name;
      args = {"width", m, "optimizer", rule, "tol", 0, "seed", 1, "form", "primal"};
      if (any (strcmp (rule, {"gd", "momentum", "nesterov", "schedule-free"})))
        args(end+1:end+2) = {"eta", 1e-3};
      endif
      t = Inf;
      for rep = 1:3
        t0 = tic (); adagrad_train (X, y, args{:}, "maxiter", 1); t1 = toc (t0);
        t0 = tic (); adagrad_train (X, y, args{:}, "maxiter", K + 1); tK = toc (t0);
        t = min (t, (tK - t1) / K);
      endfor
      if (r == 1)
        tgd = t;
      endif
      ## W and G read, W written; each state array read and written (x0 read).
      narr = 3 + 2 * numel (T(r).arrays) - any (strcmp (T(r).arrays, "x0"));
      step = t - tgd + 3 * pass;   # GD's own step is one pass of 3 arrays
      printf ("%-14s %9.3f %9.3f %8d %10.2f\n", rule, 1e3 * t, 1e3 * step, narr,
              step / (narr * pass));
      fflush (stdout);
    endfor
  endfor
  printf ("\nstep ms: the iteration's time less GD's plus one pass over W, G (GD's own step);\n");
  printf ("step/pass: that over the time of one pass over the arrays the step touches.\n");
endfunction
