## bench_train (TOP, QUICK, OLD): time adagrad_train per iteration, for
## AdaGrad-Norm (a scalar state) and Adam (per-coordinate state), against (a)
## the plain vectorized Octave implementation of the same algorithm
## (tests/ref_train.m) and (b) the GEMM bound, the two products X*W' and D'*X
## that every full-batch step needs, done by Octave's BLAS alone; in double and
## single.  Then the cost of a rule written in Octave (heavy ball as a function
## handle) against the built-in momentum; then mini-batches (n = 10000,
## d = 100, m = 4096, |B| = 32 and 256) against the plain mini-batch loop of
## tests/ref_train.m; then the forms of the step (bench_forms).  Prints tables
## of times (ms per iteration, best of 3) and ratios.  QUICK (default false)
## runs only the two smallest sizes of the first tables.  OLD (a built clone of
## another version, e.g. 0.7.0) times every adagrad_train entry in that build
## too, in the same process: the builds are swapped on the path between the
## timings (alternating, each the best of 3), and each row gets the old
## build's time and this tree's over it.  Every time of adagrad_train is that
## of the whole call (tic/toc), but for mini-batches (the steps between the
## first and the last iterate, as the run records them).  bench_train (TOP,
## QUICK, OLD, "table") stops after the first table (the one README compares
## across platforms).
function bench_train (top, quick, old, what)
  if (nargin < 2 || isempty (quick))
    quick = false;
  endif
  if (nargin < 4)
    what = "all";
  endif
  trees = {top};
  if (nargin > 2 && ! isempty (old))
    trees = {top, old};
    bench_use (top, old);
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
  printf ("BLAS core in use: %s (OPENBLAS_CORETYPE=%s), %d CPU cores, OMP_NUM_THREADS=%s\n",
          core{1}, getenv ("OPENBLAS_CORETYPE"), nproc (), getenv ("OMP_NUM_THREADS"));
  printf ("this tree: %s\n", tree_version (top));
  if (numel (trees) > 1)
    printf ("old: %s (%s); old/new: its time over this tree's\n", tree_version (old), old);
  endif
  printf ("\n%-18s %-13s %-6s %10s %10s %10s %9s %9s%s\n", "n, d, m", "rule", "class",
          "adagrad", "plain", "GEMMs", "/GEMMs", "plain/", old_head (trees, 10, 8));
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
        [X, y] = deal (cast (X, cls{1}), cast (y, cls{1}));
        new = @() make_net (d, m, cls{1}, "optimizer", rule{1}, params{:});
        net = new ();
        ## Enough iterations for about a second per measurement.
        [~, h] = adagrad_train (net, X, y, "maxiter", 2, "tol", 0);
        K = max (3, min (2000, ceil (1 / max (h.time(end) / 2, 1e-6))));
        t_all = best_trees (trees, @() ours (new (), X, y, K)) / K;
        t_ours = t_all(1);
        Kref = max (2, ceil (K / 4));
        t_ref = best_of (3, @() plain (X, y, net.W, net.a, rule{1}, net.eta, net.params, Kref));
        t_gemm = best_of (3, @() gemms (X, net.W, K)) / K;
        printf ("%-18s %-13s %-6s %10.3f %10.3f %10.3f %9.2f %9.1f%s\n",
                sprintf ("%d, %d, %d", n, d, m), rule{1}, cls{1}, 1e3 * t_ours, 1e3 * t_ref,
                1e3 * t_gemm, t_ours / t_gemm, t_ref / t_ours, old_cols (t_all, 10, 8));
        if (strcmp (cls{1}, "double"))
          tdouble = t_ours;
        else
          printf ("%-18s %-13s %-6s double/single time: %.2f\n", "", "", "", tdouble / t_ours);
        endif
        fflush (stdout);
      endfor
    endfor
  endfor
  printf ("\nadagrad: adagrad_train per iteration (the whole call); plain: tests/ref_train.m;\n");
  printf ("GEMMs: Z = X*W' and G = D'*X (D n-by-m) by Octave's BLAS; times in ms, best of 3.\n");
  if (strcmp (what, "table"))
    return;
  endif

  ## A rule written in Octave: heavy ball as a function handle against the
  ## built-in momentum (the same trajectory).
  printf ("\n%-18s %12s %12s %9s%s\n", "n, d, m", "momentum", "@heavy_ball", "ratio",
          old_head (trees, 12, 8, {"momentum", "@heavy_ball"}));
  hb = @(W, G, s, info) deal (W - info.eta * (0.9 * s + G), 0.9 * s + G);
  for s = 1:rows (sizes)
    [n, d, m] = deal (sizes(s, 1), sizes(s, 2), sizes(s, 3));
    [X, y] = adagrad_data (n, d, "seed", 1);
    cnet = @() make_net (d, m, "double", "optimizer", "momentum", "eta", 1e-3);
    fnet = @() make_net (d, m, "double", "optimizer", hb, "eta", 1e-3);
    ## At least 20 steps: at n = d = 1000 the run takes the kernel form, whose
    ## per-call setup would otherwise be most of the time (2026-12-03: with 3
    ## steps the same build's time moved by 40% between runs).
    [~, h] = adagrad_train (cnet (), X, y, "maxiter", 2, "tol", 0);
    K = max (20, min (500, ceil (1 / max (h.time(end) / 2, 1e-6))));
    t_c = best_trees (trees, @() ours (cnet (), X, y, K)) / K;
    t_f = best_trees (trees, @() ours (fnet (), X, y, K)) / K;
    printf ("%-18s %12.3f %12.3f %9.2f%s\n", sprintf ("%d, %d, %d", n, d, m), 1e3 * t_c(1),
            1e3 * t_f(1), t_f(1) / t_c(1), old_cols ([t_c; t_f], 12, 8));
    fflush (stdout);
  endfor
  printf ("ms per iteration, best of 3; @heavy_ball: optimizer = a function handle.\n");
  bench_minibatch (trees);
  bench_forms (quick, trees);
endfunction

## A network of the current tree's adagrad_init in class CLS (W0 = W); a rule
## given as a function handle gets a zero m-by-d state.
function net = make_net (d, m, cls, varargin)
  net = adagrad_init (d, m, "seed", 2, varargin{:});
  [net.W, net.a] = deal (cast (net.W, cls), cast (net.a, cls));
  net.W0 = net.W;
  if (is_function_handle (net.optimizer))
    net.state = zeros (m, d, cls);
  endif
endfunction

## The best of 3 of F () in each of TREES (one or two source trees), the
## trees alternating; the first tree is on the path again at the end.
function t = best_trees (trees, f)
  t = Inf (1, numel (trees));
  for i = 1:3
    for tr = 1:numel (trees)
      use_tree (trees, tr);
      t(tr) = min (t(tr), f ());
    endfor
  endfor
  use_tree (trees, 1);
endfunction

## Tree TR of TREES on the path (with two trees), its functions loaded by a
## small run so that their parsing is not timed.
function use_tree (trees, tr)
  if (numel (trees) < 2)
    return;
  endif
  bench_use (trees{tr}, trees{3 - tr});
  adagrad_train (adagrad_init (3, 8, "seed", 1), ones (5, 3), ones (5, 1), "maxiter", 2,
                 "tol", 0);
endfunction

## Headings of the old build's columns (WIDTH wide, then a ratio column RW
## wide per name in NAMES), or "" with one tree.
function str = old_head (trees, width, rw, names)
  str = "";
  if (numel (trees) < 2)
    return;
  endif
  if (nargin < 4)
    names = {"adagrad"};
  endif
  for i = 1:numel (names)
    str = [str sprintf("%*s %*s", width + 1, "old", rw + 1, "old/new")];
  endfor
endfunction

## The old build's times (ms) and their ratios to this tree's: one pair per
## row of T, whose columns are the times (s) of this tree and the old build.
function str = old_cols (t, width, rw)
  str = "";
  if (columns (t) < 2)
    return;
  endif
  for i = 1:rows (t)
    str = [str sprintf("%*.3f %*.2f", width + 1, 1e3 * t(i, 2), rw + 1, t(i, 2) / t(i, 1))];
  endfor
endfunction

## "adagrad X.Y.Z" from TOP's DESCRIPTION.
function str = tree_version (top)
  txt = fileread (fullfile (top, "DESCRIPTION"));
  v = regexp (txt, '^Version:\s*(\S+)', "tokens", "once", "lineanchors");
  str = "adagrad ?";
  if (! isempty (v))
    str = ["adagrad " v{1}];
  endif
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
function bench_forms (quick, trees)
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
      [X, y] = deal (cast (X, cls{1}), cast (y, cls{1}));
      new = @() make_net (d, m, cls{1}, "optimizer", "adagrad-norm", "b0", 10);
      net = new ();
      ## About 3 s of primal steps and at least 30: a run long enough that the
      ## kernel form's setup (about two primal steps) is a small part, as in
      ## any real run.
      [~, h] = adagrad_train (net, X, y, "maxiter", 2, "tol", 0, "form", "primal");
      K = max (30, min (2000, ceil (3 / max (h.time(end) / 2, 1e-6))));
      t = struct ();
      for form = {"primal", "kernel", "auto"}
        tt = best_trees (trees, @() ours_form (new (), X, y, K, form{1})) / K;
        t.(form{1}) = tt(1);
        told.(form{1}) = tt(end);
      endfor
      [~, chosen] = ours_form (net, X, y, 1, "auto", K);
      tg = best_of (3, @() gemms (X, net.W, K)) / K;
      printf ("%-18s %-6s %9.3f %9.3f %9.3f %-5s %9.3f %8.2f %8.2f %8.2f %7.1f %7.1f\n",
              sprintf ("%d, %d, %d", n, d, m), cls{1}, 1e3 * t.primal, 1e3 * t.kernel,
              1e3 * t.auto, ["(" chosen(1) ")"], 1e3 * tg, t.primal / tg, t.kernel / tg,
              t.auto / tg, 4 * n * d * m / t.primal / 1e9, 2 * n^2 * m / t.kernel / 1e9);
      if (numel (trees) > 1)
        printf ("%-18s %-6s %9.3f %9.3f %9.3f %-5s   old/new: %.2f %.2f %.2f\n", "  old",
                cls{1}, 1e3 * told.primal, 1e3 * told.kernel, 1e3 * told.auto, "",
                told.primal / t.primal, told.kernel / t.kernel, told.auto / t.auto);
      endif
      fflush (stdout);
    endfor
  endfor
  printf ("auto: (p) primal, (k) kernel, as \"auto\" chose; GEMMs: X*W' and D'*X by Octave's\n");
  printf ("BLAS; GF: the form's product flops per second.\n");
  if (numel (trees) > 1)
    printf ("old: the same calls in the old build, and its times over this tree's.\n");
  endif
endfunction

## The time of a run of K steps in FORM and the form it took; with PLAN, the
## form "auto" takes for a run of PLAN steps (the run itself stopped at once
## by its output function).
function [t, chosen] = ours_form (net, X, y, K, form, plan)
  opts = {"maxiter", K, "tol", 0, "form", form};
  if (nargin > 5)
    opts = {"maxiter", plan, "tol", 0, "form", form, "outputfcn", @(varargin) true};
  endif
  tic ();
  [~, h] = adagrad_train (net, X, y, opts{:});
  t = toc ();
  chosen = h.form;
endfunction

function t = timed (f)
  tic ();
  f ();
  t = toc ();
endfunction

## Mini-batches at n = 10000, d = 100, m = 4096: adagrad_train per step
## against the plain vectorized mini-batch loop of tests/ref_train.m on the
## same batches (double; the full-batch evaluations left out of both).
function bench_minibatch (trees)
  [n, d, m] = deal (10000, 100, 4096);
  [X, y] = adagrad_data (n, d, "seed", 1);
  printf ("\nMini-batches, n, d, m = %d, %d, %d (double, ms per step, best of 3)\n", n, d, m);
  printf ("%-6s %-13s %10s %10s %10s %9s %9s%s\n", "|B|", "rule", "adagrad", "plain", "GEMMs",
          "/GEMMs", "plain/", old_head (trees, 10, 8));
  for B = [32 256]
    for rule = {"adagrad-norm", "adam"}
      params = {"b0", 10};
      if (strcmp (rule{1}, "adam"))
        params = {"eta", 1e-3};
      endif
      new = @() make_net (d, m, "double", "optimizer", rule{1}, params{:});
      net = new ();
      K = 200;
      batches = __adagrad_batches__ (n, B, "shuffle", 3, 0, 0, K);
      t_all = best_trees (trees, @() ours_batches (new (), X, y, batches));
      t_ours = t_all(1);
      Kref = 50;
      t_ref = best_of (3, @() plain (X, y, net.W, net.a, rule{1}, net.eta, net.params, Kref,
                                     batches(1:Kref, :)));
      t_gemm = best_of (3, @() gemms (X(batches(1, :), :), net.W, K)) / K;
      printf ("%-6d %-13s %10.3f %10.3f %10.3f %9.2f %9.1f%s\n", B, rule{1}, 1e3 * t_ours,
              1e3 * t_ref, 1e3 * t_gemm, t_ours / t_gemm, t_ref / t_ours, old_cols (t_all, 10, 8));
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
  tic ();
  adagrad_train (net, X, y, "maxiter", K, "tol", 0);
  t = toc ();
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
