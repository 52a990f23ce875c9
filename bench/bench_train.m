## bench_train (TOP, QUICK): time adagrad_train per iteration, for AdaGrad-Norm
## (a scalar state) and Adam (per-coordinate state), against (a) the plain
## vectorized Octave implementation of the same algorithm (tests/ref_train.m)
## and (b) the GEMM bound, the two products X*W' and D'*X that every
## full-batch step needs, done by Octave's BLAS alone; in double and single.
## Then the cost of a rule written in Octave (heavy ball as a function handle)
## against the built-in momentum; then mini-batches (n = 10000, d = 100,
## m = 4096, |B| = 32 and 256) against the plain mini-batch loop of
## tests/ref_train.m; then the forms of the step (bench_forms).  Prints
## tables of times (ms per iteration, best of 3) and ratios.  QUICK (default
## false) runs only the two smallest sizes of the first tables.
function bench_train (top, quick)
  if (nargin < 2)
    quick = false;
  endif
  addpath (fullfile (top, "build"), fullfile (top, "inst"), fullfile (top, "tests"));
  sizes = [100 10 1000; 256 64 4096; 1000 100 16384; 1000 1000 4096];
  if (quick)
    sizes = sizes(1:2, :);
  endif
  blas = version ("-blas");
  core = regexp (blas, '(\w+) MAX_THREADS', "tokens", "once");
  if (isempty (core))
    core = {"?"};
  endif
  printf ("BLAS: %s\n", blas);
  printf ("BLAS core in use: %s (OPENBLAS_CORETYPE=%s), %d CPU cores, OMP_NUM_THREADS=%s\n\n",
          core{1}, getenv ("OPENBLAS_CORETYPE"), nproc (), getenv ("OMP_NUM_THREADS"));
  printf ("%-18s %-13s %-6s %10s %10s %10s %9s %9s\n", "n, d, m", "rule", "class",
          "adagrad", "plain", "GEMMs", "/GEMMs", "plain/");
  for s = 1:rows (sizes)
    [n, d, m] = deal (sizes(s, 1), sizes(s, 2), sizes(s, 3));
    for rule = {"adagrad-norm", "adam"}
      tdouble = NaN;
      for cls = {"double", "single"}
        [X, y] = adagrad_data (n, d, "seed", 1);
        params = {"b0", 10};
        if (strcmp (rule{1}, "adam"))
          params = {"eta", 1e-3};
        endif
        net = adagrad_init (d, m, "seed", 2, "optimizer", rule{1}, params{:});
        [X, y, W, a] = deal (cast (X, cls{1}), cast (y, cls{1}), cast (net.W, cls{1}),
                             cast (net.a, cls{1}));
        [net.W, net.W0, net.a] = deal (W, W, a);
        ## Enough iterations for about a second per measurement.
        [~, h] = adagrad_train (net, X, y, "maxiter", 2, "tol", 0);
        K = max (3, min (2000, ceil (1 / max (h.time(end) / 2, 1e-6))));
        t_ours = best_of (3, @() ours (net, X, y, K)) / K;
        Kref = max (2, ceil (K / 4));
        t_ref = best_of (3, @() plain (X, y, W, a, rule{1}, net.eta, net.params, Kref));
        t_gemm = best_of (3, @() gemms (X, W, K)) / K;
        printf ("%-18s %-13s %-6s %10.3f %10.3f %10.3f %9.2f %9.1f\n",
                sprintf ("%d, %d, %d", n, d, m), rule{1}, cls{1}, 1e3 * t_ours, 1e3 * t_ref,
                1e3 * t_gemm, t_ours / t_gemm, t_ref / t_ours);
        if (strcmp (cls{1}, "double"))
          tdouble = t_ours;
        else
          printf ("%-18s %-13s %-6s double/single time: %.2f\n", "", "", "", tdouble / t_ours);
        endif
        fflush (stdout);
      endfor
    endfor
  endfor
  printf ("\nadagrad: adagrad_train per iteration; plain: tests/ref_train.m;\n");
  printf ("GEMMs: Z = X*W' and G = D'*X (D n-by-m) by Octave's BLAS; times in ms, best of 3.\n");

  ## A rule written in Octave: heavy ball as a function handle against the
  ## built-in momentum (the same trajectory).
  printf ("\n%-18s %12s %12s %9s\n", "n, d, m", "momentum", "@heavy_ball", "ratio");
  hb = @(W, G, s, info) deal (W - info.eta * (0.9 * s + G), 0.9 * s + G);
  for s = 1:rows (sizes)
    [n, d, m] = deal (sizes(s, 1), sizes(s, 2), sizes(s, 3));
    [X, y] = adagrad_data (n, d, "seed", 1);
    net = adagrad_init (d, m, "seed", 2, "optimizer", "momentum", "eta", 1e-3);
    fnet = adagrad_init (d, m, "seed", 2, "optimizer", hb, "eta", 1e-3);
    fnet.state = zeros (m, d);
    [~, h] = adagrad_train (net, X, y, "maxiter", 2, "tol", 0);
    K = max (3, min (500, ceil (1 / max (h.time(end) / 2, 1e-6))));
    t_c = best_of (3, @() ours (net, X, y, K)) / K;
    t_f = best_of (3, @() ours (fnet, X, y, K)) / K;
    printf ("%-18s %12.3f %12.3f %9.2f\n", sprintf ("%d, %d, %d", n, d, m), 1e3 * t_c,
            1e3 * t_f, t_f / t_c);
    fflush (stdout);
  endfor
  printf ("ms per iteration, best of 3; @heavy_ball: optimizer = a function handle.\n");
  bench_minibatch ();
  bench_forms (quick);
endfunction

## The forms of the step: AdaGrad-Norm per iteration with "form" "primal",
## "kernel" and "auto" (the form it took in brackets), against the two
## products of the primal step done by Octave's BLAS (GEMMs), in double and
## single, at the sizes above plus (100, 784, 10000) and (1000, 1000, 16384).
## Each time is a whole call's (the kernel form's setup, K = X*X' and
## Z = X*W', and its forming W at the end included) over about a second of
## steps.  GFLOPS: the products' flops of the form per second (primal
## 4*n*d*m, kernel 2*n^2*m per step); the machine's rate is that of a square
## product of 2000 by Octave's BLAS.
function bench_forms (quick)
  sizes = [100 10 1000; 256 64 4096; 1000 100 16384; 1000 1000 4096; 100 784 10000;
           1000 1000 16384];
  if (quick)
    sizes = sizes([1 2 5], :);
  endif
  rate = struct ();
  for cls = {"double", "single"}
    A = cast (randn (2000), cls{1});
    t = best_of (3, @() timed (@() A * A));
    rate.(cls{1}) = 2 * 2000^3 / t / 1e9;
  endfor
  printf ("\nForms of the step (adagrad-norm, ms per iteration, best of 3); square GEMM of\n");
  printf ("2000 by Octave's BLAS: %.1f GFLOPS double, %.1f single\n", rate.double, rate.single);
  printf ("%-18s %-6s %9s %9s %15s %9s %8s %8s %8s %7s %7s\n", "n, d, m", "class", "primal",
          "kernel", "auto", "GEMMs", "prim/G", "kern/G", "auto/G", "GF(p)", "GF(k)");
  for s = 1:rows (sizes)
    [n, d, m] = deal (sizes(s, 1), sizes(s, 2), sizes(s, 3));
    for cls = {"double", "single"}
      [X, y] = adagrad_data (n, d, "seed", 1);
      net = adagrad_init (d, m, "seed", 2, "optimizer", "adagrad-norm", "b0", 10);
      [X, y, W, a] = deal (cast (X, cls{1}), cast (y, cls{1}), cast (net.W, cls{1}),
                           cast (net.a, cls{1}));
      [net.W, net.W0, net.a] = deal (W, W, a);
      ## About 3 s of primal steps and at least 30: a run long enough that the
      ## kernel form's setup (about two primal steps) is a small part, as in
      ## any real run.
      [~, h] = adagrad_train (net, X, y, "maxiter", 2, "tol", 0, "form", "primal");
      K = max (30, min (2000, ceil (3 / max (h.time(end) / 2, 1e-6))));
      t = struct ();
      for form = {"primal", "kernel", "auto"}
        t.(form{1}) = best_of (3, @() ours_form (net, X, y, K, form{1})) / K;
      endfor
      [~, chosen] = ours_form (net, X, y, 1, "auto", K);
      tg = best_of (3, @() gemms (X, W, K)) / K;
      printf ("%-18s %-6s %9.3f %9.3f %9.3f %-5s %9.3f %8.2f %8.2f %8.2f %7.1f %7.1f\n",
              sprintf ("%d, %d, %d", n, d, m), cls{1}, 1e3 * t.primal, 1e3 * t.kernel,
              1e3 * t.auto, ["(" chosen(1) ")"], 1e3 * tg, t.primal / tg, t.kernel / tg,
              t.auto / tg, 4 * n * d * m / t.primal / 1e9, 2 * n^2 * m / t.kernel / 1e9);
      fflush (stdout);
    endfor
  endfor
  printf ("auto: (p) primal, (k) kernel, as \"auto\" chose; GEMMs: X*W' and D'*X by Octave's\n");
  printf ("BLAS; GF: the form's product flops per second.\n");
endfunction

## The time of a run of K steps in FORM and the form it took; with PLAN, the
## form "auto" takes for a run of PLAN steps (the run itself stopped at once
## by its output function).
function [t, chosen] = ours_form (net, X, y, K, form, plan)
  opts = {"maxiter", K, "tol", 0, "form", form};
  if (nargin > 5)
    opts = {"maxiter", plan, "tol", 0, "form", form, "outputfcn", @(varargin) true};
  endif
  [~, h] = adagrad_train (net, X, y, opts{:});
  [t, chosen] = deal (h.time(end), h.form);
endfunction

function t = timed (f)
  tic ();
  f ();
  t = toc ();
endfunction

## Mini-batches at n = 10000, d = 100, m = 4096: adagrad_train per step
## against the plain vectorized mini-batch loop of tests/ref_train.m on the
## same batches (double; the full-batch evaluations left out of both).
function bench_minibatch ()
  [n, d, m] = deal (10000, 100, 4096);
  [X, y] = adagrad_data (n, d, "seed", 1);
  printf ("\nMini-batches, n, d, m = %d, %d, %d (double, ms per step, best of 3)\n", n, d, m);
  printf ("%-6s %-13s %10s %10s %10s %9s %9s\n", "|B|", "rule", "adagrad", "plain", "GEMMs",
          "/GEMMs", "plain/");
  for B = [32 256]
    for rule = {"adagrad-norm", "adam"}
      params = {"b0", 10};
      if (strcmp (rule{1}, "adam"))
        params = {"eta", 1e-3};
      endif
      net = adagrad_init (d, m, "seed", 2, "optimizer", rule{1}, params{:});
      K = 200;
      batches = __adagrad_batches__ (n, B, "shuffle", 3, 0, 0, K);
      t_ours = best_of (3, @() ours_batches (net, X, y, batches));
      Kref = 50;
      t_ref = best_of (3, @() plain (X, y, net.W, net.a, rule{1}, net.eta, net.params, Kref,
                                     batches(1:Kref, :)));
      t_gemm = best_of (3, @() gemms (X(batches(1, :), :), net.W, K)) / K;
      printf ("%-6d %-13s %10.3f %10.3f %10.3f %9.2f %9.1f\n", B, rule{1}, 1e3 * t_ours,
              1e3 * t_ref, 1e3 * t_gemm, t_ours / t_gemm, t_ref / t_ours);
      fflush (stdout);
    endfor
  endfor
  printf ("adagrad: adagrad_train with \"batches\" (evaluations only at the first and last\n");
  printf ("iterate, whose time is left out); plain: tests/ref_train.m on the same batches;\n");
  printf ("GEMMs: the batch's two products X_B*W' and Z'*X_B by Octave's BLAS.\n");
endfunction

## Per step: from the first iterate's time to that of the last but one (no
## evaluation between them).
function t = ours_batches (net, X, y, batches)
  K = rows (batches);
  [~, h] = adagrad_train (net, X, y, "batches", batches, "tol", 0, "evalevery", K + 1);
  t = (h.time(K) - h.time(1)) / (K - 1);
endfunction

function t = best_of (k, f)
  t = Inf;
  for i = 1:k
    t = min (t, f ());
  endfor
endfunction

function t = ours (net, X, y, K)
  [~, h] = adagrad_train (net, X, y, "maxiter", K, "tol", 0);
  t = h.time(end);
endfunction

## Per iteration: the steps alone (ref_train without the loss after its
## last step), on the full batch or on BATCHES.
function t = plain (X, y, W, a, rule, eta, params, K, batches)
  if (nargin < 9)
    batches = [];
  endif
  tic ();
  ref_train (X, y, W, a, rule, eta, params, K, batches, false);
  t = toc () / K;
endfunction

function t = gemms (X, W, K)
  tic ();
  for k = 1:K
    Z = X * W';
    G = Z' * X;
  endfor
  t = toc ();
endfunction
