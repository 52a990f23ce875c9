## fuzz (TOP, COUNT, SEED): call every public function and every MEX function
## of the package COUNT times in all with generated malformed argument lists
## (wrong classes, shapes, empty, NaN/Inf, mismatched sizes, zero, negative
## and huge sizes and hyper-parameters, unknown options), starting from small
## valid calls and breaking one to three arguments.  Each call must return or
## raise an error whose identifier starts with "adagrad:"; a crash ends the
## process, so the closing line never comes.  The call about to run is written
## to fuzz.log in the current folder first, so a crash names its call.
## Prints "fuzz: N passed, M failed".
function fuzz (top, count, seed)
  addpath (fullfile (top, "build"), fullfile (top, "inst"));
  warning ("off", "all");
  graphics_toolkit ("gnuplot");
  set (0, "defaultfigurevisible", "off");
  rand ("state", seed);
  randn ("state", seed);
  base = baselines ();
  names = fieldnames (base);
  ## Cheap targets often, the ones that plot or train several networks rarely.
  weight = cellfun (@(f) base.(f).weight, names);
  cw = cumsum (weight) / sum (weight);
  log = fopen ("fuzz.log", "w");
  [npass, nfail, bad] = deal (0, 0, {});
  t0 = tic ();
  for k = 1:count
    name = names{find (rand () <= cw, 1)};
    b = base.(name);
    args = mutate (b.args, b.counts);
    fprintf (log, "%d %s %s\n", k, name, describe (args));
    fflush (log);
    try
      b.fn (args{:});
      npass += 1;
    catch err
      if (strncmp (err.identifier, "adagrad:", 8))
        npass += 1;
      else
        nfail += 1;
        if (numel (bad) < 20)
          bad{end+1} = sprintf ("%s %s -> [%s] %s", name, describe (args),
                                err.identifier, err.message);
        endif
      endif
    end_try_catch
    if (mod (k, 200) == 0)
      close all;
    endif
  endfor
  fclose (log);
  for i = 1:numel (bad)
    printf ("FAIL fuzz: %s\n", bad{i});
  endfor
  printf ("fuzz: %d calls over %d functions in %.1f s\n", count, numel (names), toc (t0));
  printf ("fuzz: %d passed, %d failed\n", npass, nfail);
endfunction

## One small valid call per function: the arguments, the positions whose
## value is an iteration count (never given a huge valid value, which would
## only make the call long) and a weight.
function base = baselines ()
  [X, y] = adagrad_data (6, 3, "seed", 1);
  net = adagrad_init (3, 5, "seed", 2);
  [W, a] = deal (net.W, net.a);
  G = adagrad_gradient (W, a, X, y);
  [tnet, thist] = adagrad_train (X, y, "width", 5, "maxiter", 3, "seed", 2,
                                 "diagnostics", 1);
  file = [tempname() ".ckpt"];
  adagrad_train (X, y, "width", 5, "maxiter", 3, "seed", 2, "checkpoint", file);
  sweep = adagrad_sweep (X, y, "b0", [0.5 1], "width", 5, "maxiter", 3, "parallel", "off");
  ## A finished sweep folder of the Slurm engine, filled here (no Slurm):
  ## the engine and adagrad_sweep_collect read it; a broken call that would
  ## submit meets an sbatch without a cluster (SLURM_CONF names no file).
  setenv ("SLURM_CONF", "/nonexistent/adagrad-fuzz/slurm.conf");
  sdir = tempname ();
  jobs = struct ("optimizer", "adaloss", "b0", {0.5; 1}, "width", 5, "seed", 1);
  ## The settings of every run, as adagrad_sweep builds them for this call.
  common = struct ("eta", [], "params", struct (), "maxiter", 3, "tol", 1e-8,
                   "diagnostics", 0, "batch", {{}}, "options", struct (),
                   "sampling", "shuffle", "keephist", true, "validation", {{}},
                   "ruleparams", [], "rules", struct ("name", {}, "source", {}));
  s = __adagrad_sweepdir__ ("create", "fuzz", sdir, X, y, jobs, common);
  for k = 1:2
    __adagrad_sweepdir__ ("writecell", sdir, s, k, sweep(k));
  endfor
  adagrad_sweep (X, y, "b0", [0.5 1], "width", 5, "maxiter", 3, "engine", "slurm",
                 "dir", sdir, "verbose", false);
  fig = figure ("visible", "off");
  c = @(fn, w, cnt, varargin) struct ("fn", fn, "weight", w, "counts", cnt,
                                      "args", {varargin});
  base.mex_forward = c (@__adagrad_forward__, 8, [4], X, W, a, 1);
  base.mex_gradient = c (@__adagrad_gradient__, 8, [5], X, y, W, a, 1);
  so = struct ("rule", "adaloss", "eta", 1, "params", struct ("b0", 1, "alpha", 1),
                "resnorm", 2, "n", 6, "threads", 1);
  to = struct ("optimizer", "adaloss", "eta", 1, "params", struct ("b0", 1, "alpha", 1),
               "tol", 0, "maxiter", 5, "seconds", Inf, "threads", 1, "diagnostics", 2,
               "iter", 0, "W0", W);
  ao = struct ("rule", "adam", "eta", 0.01,
               "params", struct ("beta1", 0.9, "beta2", 0.999, "epsilon", 1e-8),
               "resnorm", 2, "n", 6, "threads", 1, "tol", 0, "maxiter", 5, "seconds", Inf,
               "diagnostics", 0, "iter", 0);
  adam = adagrad_init (3, 5, "optimizer", "adam", "seed", 2);
  base.mex_step = c (@__adagrad_step__, 6, [], W, G, struct ("b", 1), so);
  base.mex_step_adam = c (@__adagrad_step__, 4, [], W, G, adam.state, ao);
  ## The C loop's calls take the run struct (tests/mex_run.m builds it from
  ## the settings); the mutations reach into its nested structs.
  tr = @(state, o) mex_run (W, a, state, o);
  base.mex_train = c (@__adagrad_train__, 8, [], X, y, tr (struct ("b", 1), to));
  adam_o = struct ("optimizer", "adam", "eta", 0.01, "params", ao.params, "tol", 0,
                   "maxiter", 5, "seconds", Inf, "threads", 1, "outputfcn", @(varargin) false,
                   "outputevery", 2);
  base.mex_train_adam = c (@__adagrad_train__, 6, [], X, y, tr (adam.state, adam_o));
  bo = setfield (to, "sampling", "shuffle");
  [bo.batchsize, bo.batchseed, bo.seen, bo.evalevery, bo.target, bo.gtol] = deal (2, 1, 3, 2, 5, 1e-3);
  [bo.Xv, bo.yv] = deal (X(1:4, :), y(1:4));
  go = setfield (setfield (bo, "sampling", "given"), "batches", uint32 ([1 2; 3 0; 6 6; 5 4; 2 1]'));
  base.mex_train_batch = c (@__adagrad_train__, 6, [], X, y, tr (struct ("b", 1), bo));
  base.mex_train_given = c (@__adagrad_train__, 4, [], X, y, tr (struct ("b", 1), go));
  ko = setfield (setfield (to, "form", "kernel"), "reform", 2);
  [~, ~, krec] = __adagrad_train__ (X, y, tr (struct ("b", 1), ko));
  ko.kernel = krec.kernel;
  base.mex_train_kernel = c (@__adagrad_train__, 6, [], X, y, tr (struct ("b", 1), ko));
  ## A run's calls (its token): the slot kept between them sees every
  ## mutation of the arguments too.
  base.mex_train_run = c (@__adagrad_train__, 4, [], X, y,
                          tr (struct ("b", 1), setfield (ko, "run", 77)));
  ## The event form, and its state handed back with the data's hash but
  ## garbage in every entry (a hostile file's): the core must run on it
  ## without reading or writing outside its arrays.
  eo = setfield (setfield (to, "form", "event"), "reform", 3);
  [~, ~, erec] = __adagrad_train__ (X, y, tr (struct ("b", 1), eo));
  eo.kernel = erec.kernel;
  base.mex_train_event = c (@__adagrad_train__, 6, [], X, y, tr (struct ("b", 1), eo));
  for g = {NaN, Inf, -1e300, 3e9}
    bad = eo;
    bad.kernel.A(:) = g{1};
    bad.kernel.A(1:2:end) = -1;
    [~, ~, brec] = __adagrad_train__ (X, y, tr (struct ("b", 1), bad));
    assert (ischar (brec.stop));
  endfor
  kb = setfield (setfield (bo, "form", "kernel"), "kernel", setfield (krec.kernel, "A", 1));
  base.mex_train_kernel_batch = c (@__adagrad_train__, 4, [], X, y, tr (struct ("b", 1), kb));
  ## N too is never given a huge valid value: a permutation of 3e9 rows
  ## takes 12 GB and minutes.
  base.mex_batches = c (@__adagrad_batches__, 3, [1 7], 6, 2, "shuffle", 1, 0, 0, 4);
  base.mex_state = c (@__adagrad_state__, 3, [2 3], ao, 5, 3, "double");
  base.mex_rules = c (@__adagrad_rules__, 1, []);
  base.mex_gram = c (@__adagrad_gram__, 4, [], X, W);
  base.forward = c (@adagrad_forward, 5, [], W, a, X);
  base.gradient = c (@adagrad_gradient, 5, [], W, a, X, y);
  base.step = c (@adagrad_step, 5, [], W, G, struct ("b", 1), "adaloss", "eta", 1, "alpha", 1,
                 "resnorm", 2, "n", 6);
  base.step_rules = c (@adagrad_step, 4, [], W, G, [], "rmsprop", struct ("eta", 0.1, "rho", 0.9),
                       "epsilon", 1e-8, "threads", 1);
  base.predict = c (@adagrad_predict, 4, [], net, X);
  ## K = 3 outputs: A m-by-3, labels 1..3 (softmax), one-hot targets.
  A3 = [a, -a, a];
  lab = 1 + mod ((1:rows (X))', 3);
  base.forward_k = c (@adagrad_forward, 4, [], W, A3, X);
  base.gradient_softmax = c (@adagrad_gradient, 4, [], W, A3, X, lab, "loss", "softmax");
  base.mex_train_k = c (@__adagrad_train__, 5, [], X, lab,
                        mex_run (W, A3, struct ("b", 1), setfield (bo, "loss", "softmax")));
  base.mex_train_k_sq = c (@__adagrad_train__, 3, [], X, [y, -y, y],
                           mex_run (W, A3, struct ("b", 1), to));
  base.train_k = c (@adagrad_train, 5, [], X, lab, "width", 4, "maxiter", 3, "classes", true,
                    "outputs", 3, "seed", 1, "batchsize", 2, "validation", {X(1:2, :), lab(1:2)});
  base.predict_k = c (@adagrad_predict, 2, [], adagrad_init (3, 5, "seed", 2, "outputs", 3), X);
  ## The kernel form with K = 3 (its coefficients carry A), and the theory's
  ## checks of a K-output run.
  k3o = setfield (setfield (setfield (to, "form", "kernel"), "reform", 2), "loss", "softmax");
  base.mex_train_kernel_k = c (@__adagrad_train__, 5, [], X, lab,
                               mex_run (W, A3, struct ("b", 1), k3o));
  [n3, h3] = adagrad_train (X, lab, "width", 5, "maxiter", 3, "classes", true, "seed", 1,
                            "display", "off");
  base.check_k = c (@adagrad_check, 4, [], n3, h3, X, lab, "classes", true, "verbose", false);
  base.linearized_k = c (@adagrad_linearized, 4, [], n3, h3, X, lab, "classes", true,
                         "kernel", "init", "test", X(1:2, :));
  base.init = c (@adagrad_init, 4, [], 3, 5, "seed", 1, "optimizer", "adaloss", "eta", 1,
                 "b0", 1, "alpha", 1);
  base.init_rules = c (@adagrad_init, 3, [], 3, 5, "optimizer", "adam", "beta1", 0.5,
                       "beta2", 0.9, "epsilon", 1e-6);
  base.data = c (@adagrad_data, 4, [], 6, 3, "labels", "teacher", "teacherwidth", 4,
                 "noise", 0.1, "seed", 1);
  ## Small data files in the layouts adagrad_dataset and the readers take,
  ## written here (the fuzz folder is the current one).
  ddir = fullfile (pwd (), "fuzz-data");
  if (exist (ddir, "dir"))
    confirm_recursive_rmdir (false, "local");
    rmdir (ddir, "s");
  endif
  mkdir (ddir);
  idxfile = fullfile (ddir, "a.idx");
  f = fopen (idxfile, "w", "ieee-be");
  fwrite (f, [0 0 8 2], "uint8"); fwrite (f, [4 3], "uint32"); fwrite (f, 1:12, "uint8");
  fclose (f);
  svmfile = fullfile (ddir, "a.svm");
  f = fopen (svmfile, "w"); fprintf (f, "+1 1:0.5 3:1\n-1 2:2 # c\n+1 4:1\n"); fclose (f);
  f = fopen (fullfile (ddir, "digits.csv"), "w");
  fprintf (f, [repmat("%d,", 1, 64) "%d\n"], [mod((1:40)' * (1:64), 17), mod((0:39)', 10)]');
  fclose (f);
  gzip (fullfile (ddir, "digits.csv"));
  base.read_idx = c (@adagrad_read_idx, 2, [], idxfile);
  base.read_libsvm = c (@adagrad_read_libsvm, 2, [], svmfile, 4);
  base.mex_read = c (@__adagrad_read__, 2, [], "idx", idxfile);
  base.mex_gunzip = c (@__adagrad_read__, 1, [], "gunzip", fullfile (ddir, "digits.csv.gz"));
  base.dataset = c (@adagrad_dataset, 1, [], "digits", "dir", ddir, "n", 20, "test", 0.25,
                    "seed", 1, "normalize", "zscore", "class", "single");
  base.train = c (@adagrad_train, 12, [10 22 24 26 28], X, y, "width", 5, "optimizer",
                  "adaloss", "eta", 1, "maxiter", 5, "b0", 1, "alpha", 1, "tol", 0,
                  "seed", 1, "display", "off", "threads", 1, "outputevery", 2,
                  "diagnostics", 2, "gramevery", 3);
  base.train_net = c (@adagrad_train, 5, [5], tnet, X, y, "maxiter", 4, "history", thist,
                      "optimizer", "gd", "eta", 0.1);
  base.train_rules = c (@adagrad_train, 6, [10], X, y, "width", 5, "optimizer", "nesterov",
                        "maxiter", 4, "momentum", 0.5, "eta", 0.1, "seed", 1, "diagnostics", 1);
  base.train_batch = c (@adagrad_train, 6, [6 8], X, y, "maxiter", 4, "batchsize", 2, "sampling",
                        "replace", "evalevery", 2, "validation", {X(1:3, :), y(1:3)},
                        "gtol", 1e-3, "recordbatches", true, "seed", 1, "width", 5);
  base.train_batches = c (@adagrad_train, 4, [], X, y, "batches", [1 2; 3 0; 6 5], "width", 5,
                          "seed", 1, "optimizer", "adagrad-norm");
  base.train_kernel = c (@adagrad_train, 4, [8], X, y, "width", 5, "form", "kernel",
                         "maxiter", 4, "reform", 2, "optimizer", "momentum", "seed", 1);
  base.train_event = c (@adagrad_train, 4, [8], X, y, "width", 5, "form", "event",
                        "maxiter", 4, "reform", 2, "optimizer", "adagrad-norm", "seed", 1);
  hb = @(W, G, s, i) deal (W - i.eta * G, s);
  base.train_fcn = c (@adagrad_train, 3, [6], X, y, "optimizer", hb, "maxiter", 3,
                      "width", 5, "eta", 0.1, "seed", 1);
  base.gram = c (@adagrad_gram, 3, [], X, W);
  base.check = c (@adagrad_check, 2, [], tnet, thist, X, y, "verbose", false);
  base.check_scaled = c (@adagrad_check, 1, [], tnet, thist, 1e200 * X, y, "verbose", false);
  base.gram_scaled = c (@adagrad_gram, 1, [], 1e200 * X, W);
  base.resume = c (@adagrad_resume, 2, [5], file, X, y, "maxiter", 4, "threads", 1);
  base.sweep = c (@adagrad_sweep, 1, [12], X, y, "optimizer", {"gd", "adaloss"}, "b0",
                  [0.5 1], "width", 5, "seed", 1, "maxiter", 3, "parallel", "off");
  base.sweep_slurm = c (@adagrad_sweep, 1, [8], X, y, "b0", [0.5 1], "width", 5, "maxiter", 3,
                        "engine", "slurm", "dir", sdir, "verbose", false, "cellspertask", 2,
                        "sbatch", {"--time=5"}, "poll", 1, "wait", true);
  base.collect = c (@adagrad_sweep_collect, 1, [], sdir, "wait", false, "poll", 1,
                    "verbose", false);
  base.plot = c (@adagrad_plot, 1, [], thist, "parent", fig, "labels", {"a"});
  base.plot_sweep = c (@adagrad_plot, 0.5, [], sweep, "parent", fig);
  base.linearized = c (@adagrad_linearized, 1, [], tnet, thist, X, y, "every", 2,
                       "kernel", "init", "test", X(1:2, :));
  lin = adagrad_linearized (tnet, thist, X, y);
  base.plot_linearized = c (@adagrad_plot_linearized, 0.5, [], lin, "parent", fig,
                            "labels", {"a"});
  base.plot_step = c (@adagrad_plot_step, 1, [], thist, "parent", fig, "normH", 2);
  base.plot_diag = c (@adagrad_plot_diagnostics, 1, [], thist, "parent", fig);
  base.heatmap = c (@adagrad_plot_heatmap, 1, [], sweep, "b0", "width", "parent", fig);
  base.demo = c (@adagrad_demo, 0.3, [16], "n", 5, "d", 3, "width", 5, "verbose", false,
                 "b0", 0.5, "eta", 1, "alpha", 0.5, "maxiter", 3, "tol", 0);
  base.paper = c (@adagrad_paper, 0.3, [11], "quick", "n", 5, "d", 3, "width", 5,
                  "widths", [4 6], "maxiter", 3, "factors", 1, "dir", "", "verbose", false);
endfunction

## One field of the struct S broken or removed; a field that is a scalar
## struct itself (the run struct's net, options, call, options.batch) is
## entered instead half of the time.
function S = mutate_field (S)
  f = fieldnames (S);
  k = randi (numel (f));
  v = S.(f{k});
  if (isstruct (v) && isscalar (v) && numfields (v) > 0 && rand () < 0.5)
    S.(f{k}) = mutate_field (v);
  elseif (rand () < 0.2)
    S = rmfield (S, f{k});
  else
    counts = {"maxiter", "iter", "diagnostics", "evalevery", "done", "total"};
    S.(f{k}) = bad_value (any (strcmp (f{k}, counts)));
  endif
endfunction

## Break one to three arguments, or drop or add one; a struct argument may
## instead get one of its fields broken or removed.
function args = mutate (args, counts)
  if (isempty (args))
    args = {bad_value(false)};
    return;
  endif
  r = rand ();
  structs = find (cellfun (@(v) isstruct (v) && isscalar (v) && numfields (v) > 0, args));
  if (r < 0.25 && ! isempty (structs))
    i = structs(randi (numel (structs)));
    args{i} = mutate_field (args{i});
    return;
  endif
  r = rand ();
  if (r < 0.08 && ! isempty (args))
    args(end) = [];
  elseif (r < 0.14)
    args{end+1} = bad_value (false);
  elseif (r < 0.2 && numel (args) >= 2)
    ## An unknown option name, or a name where a value belongs.
    args{randi (numel (args))} = pick ({"bogus", "", "WIDTH", "maxiter", "x y"});
  else
    for k = 1:randi (3)
      i = randi (numel (args));
      args{i} = bad_value (any (i == counts));
    endfor
  endif
endfunction

## A malformed value; for an iteration count, no huge valid integer.
function v = bad_value (is_count)
  pool = {int8(3), uint16([1 2]), int32(zeros(2)), true, [true false], "abc", "", ...
          {1, 2}, {}, struct("a", 1), struct([]), 1+2i, complex(ones(2)), ...
          sparse(eye(3)), single(ones(3, 2)), single(3), [], zeros(0, 3), zeros(3, 0), ...
          NaN, Inf, -Inf, [1 NaN; 2 3], [Inf 1], 0, -1, -1e300, 0.5, ones(2, 2, 2), ...
          @sin, randn(3, 2), randn(2, 3), randn(6, 3), randn(5, 3), randn(7, 1), ...
          ones(5, 1), 2, 3, "gd", "adaloss", "adagrad-norm", "gd2", 1e-300, ...
          realmin, -0, [1; 2], struct("W", {1, 2}), struct("iter", {}), ...
          complex([1; 2]), "adam", @(W, G, s, i) W, {[]}, ...
          [0 1; 2 3], [1 7], [NaN 2], [1 0 2], 7, 2.5, uint32([1 0; 2 3]), "replace", ...
          "shuffle", "given", {randn(3, 3), ones(3, 1)}, {randn(2, 3)}, uint32([1 2]), ...
          "kernel", "primal", "auto", "event", uint64([1; 2]), struct("A", 1, "Wa", 2, "hash", 3)};
  huge = {1e300, 1e200, 2^53, 1e15, 1e12, realmax, intmax("int64"), 3e9};
  if (! is_count)
    pool = [pool, huge];
  endif
  v = pool{randi (numel (pool))};
endfunction

function v = pick (c)
  v = c{randi (numel (c))};
endfunction

function s = describe (args)
  parts = cellfun (@one, args, "uniformoutput", false);
  s = ["(" strjoin(parts, ", ") ")"];
endfunction

function s = one (v)
  if (ischar (v) && rows (v) <= 1)
    s = ["\"" v "\""];
  elseif (isnumeric (v) && isscalar (v) && isreal (v))
    s = sprintf ("%s %g", class (v), v);
  else
    s = sprintf ("%s %s", class (v), mat2str (size (v)));
  endif
endfunction
