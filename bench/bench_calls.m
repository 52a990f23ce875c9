## bench_calls (TOP, OLD): the fixed cost of a call and of a run, in this tree
## (TOP) and in another build (OLD, e.g. a clone of 0.7.0 built with make), in
## one Octave process (the builds swapped on the path between timings, each
## the best of 2).  At (n, d, m) = (100, 784, 10000) and (1000, 1000, 4096),
## adagrad-norm, primal and kernel form:
##  - call: one call of the C loop (__adagrad_train__) that takes no step,
##    the calls of one run (a run's token), that is the cost a call pays
##    besides its steps, in passes over W (the forward pass X*W', two of
##    which make a primal step) and in passes over W's memory (W + 1);
##  - step: the marginal cost of a step (calls of K1 and K2 steps);
##  - run: adagrad_train of K steps with display "off" and "iter", over K
##    steps' own time.
function bench_calls (top, old, sizes)
  if (nargin < 3)
    ## n, d, m, and the steps of a run in the primal and the kernel form
    ## (about 10 s each at SkylakeX speed on two cores).
    sizes = [100 784 10000 200 2000; 1000 1000 4096 60 100];
  endif
  trees = {top, old};
  names = {"this tree", "other"};
  bench_use (top, old);
  printf ("BLAS: %s; OPENBLAS_CORETYPE=%s\n", version ("-blas"), getenv ("OPENBLAS_CORETYPE"));
  printf ("%-17s %-7s %5s %-10s %9s %9s %9s %10s %10s %10s\n", "n, d, m", "form", "K", "tree",
          "call (s)", "passes", "W + 1", "step (ms)", "run off", "run iter");
  for s = 1:rows (sizes)
    [n, d, m] = deal (sizes(s, 1), sizes(s, 2), sizes(s, 3));
    [X, y] = adagrad_data (n, d, "seed", 1);
    for f = 1:2
      form = {{"primal", "kernel"}{f}};
      K = sizes(s, 3 + f);
      r = Inf (2, 6);
      for rep = 1:2
        for tr = 1:2
          bench_use (trees{tr}, trees{3 - tr});
          r(tr, :) = min (r(tr, :), measure (X, y, m, K, form{1}));
        endfor
      endfor
      for tr = 1:2
        printf ("%-17s %-7s %5d %-10s %9.4f %9.2f %9.2f %10.2f %10.2f %10.2f\n",
                sprintf ("%d, %d, %d", n, d, m), form{1}, K, names{tr}, r(tr, 1),
                r(tr, 1) / r(tr, 5), r(tr, 1) / r(tr, 6), 1e3 * r(tr, 2), r(tr, 3), r(tr, 4));
      endfor
    endfor
  endfor
  printf ("call: a call of the C loop without a step; passes: that in passes over W (the\n");
  printf ("loop's product X*W', a forward pass: a primal step takes two); W + 1: in passes\n");
  printf ("over W's memory (a new array);\n");
  printf ("run off, run iter: adagrad_train of K steps over K steps' own time.\n");
endfunction

## [call, step, run_off, run_iter, pass, mem] in seconds (the runs as ratios).
function v = measure (X, y, m, K, form)
  d = columns (X);
  net = adagrad_init (d, m, "seed", 2, "optimizer", "adagrad-norm");
  [net, h] = adagrad_train (net, X, y, "maxiter", 2, "tol", 0, "form", form, "threads", nproc ());
  W = net.W;
  ## A pass over W: the loop's product X*W' (a forward pass; a primal step
  ## takes two), best of 3; and a pass over W's memory (W + 1, a new array).
  [pass, mem] = deal (Inf);
  for i = 1:3
    tic (); adagrad_forward (W, net.a, X, "threads", nproc ()); pass = min (pass, toc ());
    tic (); Z = W + 1; mem = min (mem, toc ());
  endfor
  ## The calls of one run, as adagrad_train makes them: its token keeps the
  ## workspace and the kernel form's state (K included) in C between calls.
  o = struct ("optimizer", net.optimizer, "eta", net.eta, "params", net.params, "tol", 0,
              "maxiter", 0, "seconds", Inf, "threads", nproc (), "diagnostics", 0, "iter", net.iter,
              "form", form, "reform", 1000, "kernel", net.kernel, "run", 4242,
              ## 0.7.0's names of the same settings (each build reads its own).
              "rule", net.optimizer, "diagevery", 0, "k0", net.iter);
  [W2, s2, rec] = call_loop (X, y, W, net, net.state, o);
  ## (0.7.0 hands the state back in rec.kernel; a run's token keeps it.)
  o.kernel = rec.kernel;
  tic (); call_loop (X, y, W2, net, s2, o); call = toc ();
  K1 = max (1, floor (K / 4));
  o.maxiter = K1;
  tic (); call_loop (X, y, W2, net, s2, o); t1 = toc ();
  o.maxiter = K1 + K;
  tic (); call_loop (X, y, W2, net, s2, o); t2 = toc ();
  try
    __adagrad_train__ ("release", 4242);
  end_try_catch
  step = (t2 - t1) / K;
  ## The threads fixed (not read from the load, which a benchmark changes).
  tic (); adagrad_train (net, X, y, "maxiter", K, "tol", 0, "form", form, "threads", nproc ());
  off = toc ();
  tic ();
  evalc ('adagrad_train (net, X, y, "maxiter", K, "tol", 0, "form", form, "threads", nproc (), "display", "iter");');
  it = toc ();
  v = [call, step, off / (K * step), it / (K * step), pass, mem];
endfunction

## One call of the C loop on the path: __adagrad_train__ (X, y, RUN) of 0.7.4
## on (the run struct: the settings O of this call, its network NET with W
## and STATE), else (X, y, W, a, state, O, NET) of the builds before.
function [W, state, rec] = call_loop (X, y, W, net, state, o)
  try
    version = __adagrad_train__ ("version");
  catch
    version = "";
  end_try_catch
  if (isempty (version))
    [W, state, rec] = __adagrad_train__ (X, y, W, net.a, state, o, net);
    return;
  endif
  [net.W, net.state, net.iter, net.kernel] = deal (W, state, o.iter, o.kernel);
  options = struct ("tol", o.tol, "seconds", o.seconds, "threads", o.threads,
                    "diagnostics", o.diagnostics, "form", o.form, "reform", o.reform);
  call = struct ("maxiter", o.maxiter, "run", o.run);
  run = struct ("version", version, "net", net, "options", options, "call", call);
  [W, state, rec] = __adagrad_train__ (X, y, run);
endfunction
