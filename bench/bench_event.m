## bench_event.m: the event form against the kernel and primal forms, end
## to end (adagrad_train: setup, K = X*X', Z0, H, forming W included), GD at
## step 1/||H_inf|| from the same W0, in one run of one Octave process.
## TOP: the source tree. SIZES: rows (n, d, m, steps) (default the three
## of the event form's issue); a form whose run would take more than BUDGET
## seconds (default 60) is timed over fewer steps and its time per step
## scaled to the run's steps (the line says so); the event form always runs
## all of them.
##   octave-cli --eval "addpath bench; bench_event (pwd)"
##   octave-cli --eval "addpath bench; bench_event (pwd, [100 20 2000 1000])"
## Prints, per size: seconds of each form, the ratios, and the event form's
## exact evaluations and flips (per entry of Z) and its loss against the
## primal form's over the iterates both ran.
function bench_event (top, sizes, budget)
addpath (fullfile (top, "build"), fullfile (top, "inst"));
if (nargin < 2 || isempty (sizes))
  sizes = [100 20 2000 1000; 1000 100 16384 1000; 1000 1000 16384 1000];
endif
if (nargin < 3)
  budget = 60;
endif
printf ("OPENBLAS_CORETYPE=%s, %s, %d threads\n", getenv ("OPENBLAS_CORETYPE"),
        version ("-blas"), nproc ());
for row = 1:rows (sizes)
  [n, d, m, K] = deal (sizes(row, 1), sizes(row, 2), sizes(row, 3), sizes(row, 4));
  randn ("state", 7);
  X = randn (n, d);
  X ./= sqrt (sumsq (X, 2));
  y = randn (n, 1);
  eta = 1 / norm (adagrad_gram (X));
  common = {"optimizer", "gd", "eta", eta, "width", m, "seed", 1, "tol", 0, ...
            "display", "off"};
  t = tic ();
  [ne, he] = adagrad_train (X, y, common{:}, "maxiter", K, "form", "event");
  te = toc (t);
  res = struct ();
  for f = {"kernel", "primal"}
    ## A few steps first: the time per step, then the run or its scaled time.
    k0 = min (K, 5);
    t = tic ();
    adagrad_train (X, y, common{:}, "maxiter", k0, "form", f{1});
    t0 = toc (t);
    steps = K;
    if (t0 / k0 * K > budget)
      steps = max (k0, floor (budget / (t0 / k0)));
    endif
    t = tic ();
    [nf, hf] = adagrad_train (X, y, common{:}, "maxiter", steps, "form", f{1});
    tf = toc (t);
    if (steps < K)
      ## Setup and forming W once, the steps scaled.
      t = tic ();
      adagrad_train (X, y, common{:}, "maxiter", 0, "form", f{1});
      ts = toc (t);
      tf = ts + (tf - ts) / steps * K;
    endif
    res.(f{1}) = struct ("t", tf, "steps", steps, "h", hf);
  endfor
  hp = res.primal.h;
  k = numel (hp.loss);
  keep = hp.loss(1:k) > 1e-10 * hp.loss(1);
  rel = max (abs (he.loss(keep) - hp.loss(keep)) ./ hp.loss(keep));
  printf ("(n, d, m) = (%d, %d, %d), %d GD steps:\n", n, d, m, K);
  printf ("  event  %9.2f s  (%.2f evaluations and %.2f flips per entry of Z)\n", te,
          sum (he.evals) / (n * m), sum (he.events) / (n * m));
  for f = {"kernel", "primal"}
    r = res.(f{1});
    note = "";
    if (r.steps < K)
      note = sprintf (" (timed over %d steps, scaled)", r.steps);
    endif
    printf ("  %-6s %9.2f s  = %.1fx the event form%s\n", f{1}, r.t, r.t / te, note);
  endfor
  printf ("  losses, event vs primal, over %d iterates: max relative difference %.2g\n",
          k, rel);
endfor
endfunction
