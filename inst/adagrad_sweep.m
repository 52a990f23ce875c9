## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{results} =} adagrad_sweep (@var{X}, @var{y}, @var{name}, @var{value}, @dots{})
## Train on one data set for every combination of a grid of settings and
## collect, for each, the iterations to the tolerance, the final loss, the
## reason the run stopped and (optionally) its history.
##
## Grid options (each a list; the grid is their Cartesian product, the last
## varying fastest, in the order optimizer, b0, width, seed, then any other
## option below given with several values, in the order eta, the rule
## parameters, batchsize, sampling, maxiter, tol, gtol, diagnostics,
## evalevery, reform, historyevery, loss, form; an option with one value is
## a setting of every run):
##
## @table @asis
## @item @qcode{"optimizer"} (default @qcode{"adaloss"})
## A rule name of @code{adagrad_train} (@qcode{"gd"}, @qcode{"adagrad-norm"},
## @qcode{"adaloss"}, @qcode{"momentum"}, @qcode{"nesterov"},
## @qcode{"adagrad"}, @qcode{"rmsprop"}, @qcode{"adam"}, and the tuning-free @qcode{"wngrad"}, @qcode{"dog"}, @qcode{"dowg"}, @qcode{"polyak"}, @qcode{"dadapt-sgd"}, @qcode{"prodigy"}, @qcode{"schedule-free"}, @qcode{"cocob"}), a function handle
## (a rule written in Octave, named @qcode{"@@name"} in the results: they are
## data, and a sweep folder keeps the name and the digest of its file, never
## code), or a cell array of them.  The rules with a parameter b0 (AdaGrad-Norm, AdaLoss, AdaGrad)
## start from it; the others (GD, momentum, Nesterov, RMSprop, Adam) take
## @code{eta/b0} as their
## learning rate, so that the b0 axis compares every method at the same
## initial knob @code{eta/b0}: GD's step, and the adaptive rules' step before
## b absorbs the first gradient (they update b before they step, so their
## first step is @code{eta/b1 < eta/b0}).  Note the difference from
## @code{adagrad_train}, where GD's step is @code{"eta"} itself: the sweep's
## GD at b0 is @code{adagrad_train}'s GD with @code{"eta"} @code{eta/b0} (the
## results' field @code{eta} is the value given to @code{adagrad_train},
## @code{step} the first step taken).
## @item @qcode{"b0"} (default 1), @qcode{"width"} (default 1000), @qcode{"seed"} (default 1)
## Vectors; the seed sets the network's initialization.
## @end table
##
## Training options, a value (the same for every run) or a list (a grid
## axis): @qcode{"eta"} (1), @qcode{"maxiter"} (1000), @qcode{"tol"}
## (1e-8), @qcode{"diagnostics"} (0), @qcode{"batchsize"} (empty: the full
## batch; Inf in a list: the full batch as a value of the axis),
## @qcode{"sampling"} (@qcode{"shuffle"}; each run's batches come from its
## seed), @qcode{"gtol"}, @qcode{"evalevery"}, @qcode{"reform"},
## @qcode{"historyevery"}, @qcode{"loss"} and @qcode{"form"} (default
## @code{adagrad_train}'s), and the rule parameters @qcode{"alpha"},
## @qcode{"momentum"}, @qcode{"epsilon"}, @qcode{"rho"}, @qcode{"beta1"},
## @qcode{"beta2"}, @qcode{"reps"}, @qcode{"stepmax"}, @qcode{"fmin"}, @qcode{"d0"}, @qcode{"growth"}, @qcode{"beta3"}, @qcode{"dcoef"}, @qcode{"warmup"}, @qcode{"r"}, @qcode{"weightpower"} (default: each rule's own), each given to the rules that
## have it; names as a name or a cell array of them, numbers as a vector.
## The same for every run: @qcode{"validation"} (@code{@{Xv, yv@}}) and
## @qcode{"params"} (a struct: the parameters of the rules written in
## Octave).  See @code{adagrad_train}.  On the Slurm engine a rule written in
## Octave goes to the tasks as code that the submission writes into
## @file{slurm/task.m} (a named function: its folder on the path; an
## anonymous function: its text, refused when it uses variables of its
## workspace).
##
## @qcode{"parallel"}: @qcode{"auto"} (default) runs the grid on several local
## cores with @code{parcellfun} from the octave-parallel package when it is
## installed and there are several cores; @qcode{"on"} insists (an error
## without the package); @qcode{"off"} runs sequentially.  Each run is
## deterministic given its settings, so the numbers are identical either way.
## @qcode{"nproc"} (default @code{nproc ()}) caps the processes;
## @qcode{"keephist"} (default true) keeps each run's history.
##
## @strong{A sweep that survives a kill}: with @qcode{"dir"} the local engine
## keeps the sweep in that folder, the same sweep folder as the Slurm
## engine's below (@file{data.mat}, @file{sweep.mat}, @file{cells/}, the
## @file{lock} while it runs): each cell's result is written there as soon
## as it is known, so that calling again with the same settings and folder
## runs only the cells without a result (a damaged one is moved aside and
## run again) and returns the same results; other data or settings in that
## folder are an error.  The results are read back from the folder.
##
## @strong{On a Slurm cluster} (@qcode{"engine"}, @qcode{"slurm"}; the
## default @qcode{"local"} is this machine): the sweep lives in the folder
## @qcode{"dir"} (required), which gets the data and its fingerprint
## (@file{data.mat}), the grid and settings (@file{sweep.mat}), one result
## file per cell (@file{cells/}, each written to a temporary file and
## renamed), the batch scripts (@file{slurm/}) and one log per array task
## (@file{logs/JOBID_TASK.log}).  One job array is submitted with
## @code{sbatch}: one task per cell, or @qcode{"cellspertask"} (default 1)
## cells per task; each task runs @qcode{"octave"} (default: the
## @code{octave-cli} beside this Octave) on its cells with
## @env{SLURM_CPUS_PER_TASK} threads (1 if unset), loading the package with
## @code{pkg load} when it is installed, else adding this source tree's
## folders.  @qcode{"sbatch"}: a cell array of extra sbatch arguments
## (partition, time, memory, account, @code{--cpus-per-task}).  With
## @qcode{"wait"}, true (default) it polls the queue every @qcode{"poll"}
## seconds (default 10; progress lines when @qcode{"verbose"}, default
## true) and returns the same results as the local engines, with the same
## numbers; a cell without a result (a task failed or was cancelled) is an
## error that lists each one with its log and last error line, never a
## silently missing cell.  Ctrl-C stops the waiting, not the tasks.  With
## @qcode{"wait"}, false it returns at once a handle: a struct with fields
## @code{dir}, @code{cells}, @code{done}, @code{submitted} (cells sent now)
## and @code{jobs} (Slurm job ids); @code{adagrad_sweep_collect} gathers the
## results.  Called again with the same settings and folder, it submits only
## the cells that have no result and are not queued or running (and returns
## at once when all are done); other data or settings in that folder are an
## error.  A damaged result file (each carries the digest of its contents) is
## moved aside (@file{NNNNNN.mat.damaged}) and its cell submitted again.  The
## folder is data, never code: a file in it that could run code when loaded,
## settings that are not a sweep's, or a job id that is not digits is refused
## (the folder may come from someone else).  While a call submits, the file
## @file{lock} in the folder keeps a second call from submitting the same
## cells.  @qcode{"dir"} must not contain @code{%}, @code{\} or control
## characters (Slurm reads them as patterns in its log names);
## @qcode{"sbatch"} must not set the array, the logs or @code{--parsable}, nor
## any prefix of those options (@code{--arr=}, which sbatch takes for
## @code{--array=}).  In a parallel local sweep, SIGTERM or SIGHUP ends the
## workers at once, so that Octave ends (its own answer) without waiting for
## their cells.
##
## @strong{The knob axis} (as @code{adagrad_atlas} uses it):
## @qcode{"scale"}, a vector, with @qcode{"knobs"}, a struct array with
## fields @code{rule}, @code{param} and @code{unit}, one per rule of the
## sweep: each cell sets its rule's parameter @code{param} (or
## @qcode{"eta"}) to @code{scale * unit}, the other parameters the rule's
## defaults (eta, when it is not the knob, the sweep's or the rule's
## default); the results get fields @code{scale} and @code{knob} (the value
## set).  @qcode{"reltol"} (default 0): when positive, each run's tolerance
## is @code{reltol} times the loss of its own initial network (drawn from
## its seed and width), instead of @qcode{"tol"}.
##
## @var{results} is a struct array with one element per grid point and fields
## @code{optimizer}, @code{b0}, @code{width}, @code{seed}, one for each further
## axis of the grid (its value), @code{eta} (the
## value given to @code{adagrad_train}), @code{step} (the first step taken,
## @code{hist.step(2)}, @code{||W(1) - W(0)|| / ||G(0)||}: @code{eta/b1}
## for the rules with b; NaN when the run took none), @code{iterations} (to the tolerance; NaN if it was not reached),
## @code{loss} (final), @code{stop}, @code{time} and @code{hist}.
## @seealso{adagrad_train, adagrad_sweep_collect, adagrad_plot_heatmap, adagrad_paper}
## @end deftypefn

function results = adagrad_sweep (X, y, varargin)
  fname = "adagrad_sweep";
  __adagrad_built__ (fname);
  if (nargin < 2)
    __adagrad_usage__ ("adagrad_sweep");
  endif
  defaults = struct ("optimizer", __adagrad_optimizer__ ("default"), "b0", 1, "width", 1000,
                     "seed", 1, "scale", [], "knobs", [], "reltol", 0,
                     "eta", [], "maxiter", 1000, "tol", 1e-8,
                     "diagnostics", 0, "batchsize", [], "sampling", "shuffle",
                     "loss", [], "form", [], "gtol", [], "evalevery", [], "reform", [],
                     "historyevery", [], "validation", [], "params", [],
                     "parallel", "auto", "nproc", nproc (),
                     "keephist", true, "engine", "local", "dir", "", "wait", true,
                     "cellspertask", 1, "sbatch", {{}}, "octave", __adagrad_slurm__ ("octave"),
                     "poll", 10, "verbose", true);
  pnames = setdiff (__adagrad_optimizer__ ("paramnames"), {"b0"}, "stable");
  for p = pnames
    defaults.(p{1}) = [];
  endfor
  o = __adagrad_options__ (fname, defaults, varargin{:});
  X = __adagrad_check__ (fname, "X", X, "matrix", [NaN NaN]);
  y = __adagrad_check__ (fname, "Y", y, "targets", size (X));
  engine = __adagrad_check__ (fname, "ENGINE", o.engine, "choice", {"local", "slurm"});
  ## The rules: names of the table, or function handles (rules written in
  ## Octave, named "@name" in the grid and the results, their handles kept
  ## in memory only: a sweep folder holds their names, never code).
  opt = o.optimizer;
  if (ischar (opt) || is_function_handle (opt))
    opt = {opt};
  endif
  if (! iscell (opt) || isempty (opt)
      || ! all (cellfun (@(r) ischar (r) || is_function_handle (r), opt)))
    error ("adagrad:badinput",
           "%s: OPTIMIZER must be a name, a function handle or a cell array of them", fname);
  endif
  fcns = struct ("name", {}, "fcn", {}, "source", {});
  for k = 1:numel (opt)
    if (is_function_handle (opt{k}))
      rule = __adagrad_checkpoint__ ("rule", opt{k});
      name = merge (strncmp (rule.name, "@", 1), rule.name, ["@" rule.name]);
      if (any (strcmp (name, {fcns.name})))
        error ("adagrad:badinput", "%s: OPTIMIZER has two rules named %s", fname, name);
      endif
      fcns(end+1) = struct ("name", name, "fcn", opt{k}, "source", rule.source);
      opt{k} = name;
    else
      opt{k} = __adagrad_check__ (fname, "OPTIMIZER", opt{k}, "choice",
                                  __adagrad_optimizer__ ("names"));
    endif
  endfor
  b0 = list (fname, "B0", o.b0, "positive");
  width = list (fname, "WIDTH", o.width, "posint");
  seed = list (fname, "SEED", o.seed, "seed");
  ## The knob axis: each rule's own parameter at SCALE times its unit.
  scale = {};
  knobs = [];
  if (! isempty (o.scale) || ! isempty (o.knobs))
    if (isempty (o.scale) || isempty (o.knobs))
      error ("adagrad:badinput", "%s: SCALE and KNOBS go together (the knob axis)", fname);
    endif
    scale = num2cell (list (fname, "SCALE", o.scale, "positive"));
    knobs = check_knobs (fname, o.knobs, opt);
  endif
  ## Any other option of adagrad_train that takes a number or a name is a
  ## grid axis when it has several values, else a setting of every run.
  kinds = [{"eta", "positive"; "maxiter", "count"; "tol", "nonnegative";
            "diagnostics", "count"; "batchsize", "batchsize"; "gtol", "nonnegative";
            "evalevery", "posint"; "reform", "count"; "historyevery", "posint"}; ...
           [pnames(:), repmat({"param"}, numel (pnames), 1)]];
  names = {"sampling", {"shuffle", "replace"}; "loss", __adagrad_optimizer__("losses");
           "form", {"auto", "primal", "kernel", "event"}};
  vals = struct ();
  for k = 1:rows (kinds)
    [f, kind] = deal (kinds{k, :});
    v = o.(f);
    if (isempty (v))
      continue;
    endif
    if (strcmp (kind, "batchsize"))
      ## Inf: the full batch, as a value of the axis.
      if (! isnumeric (v) || ! isvector (v))
        error ("adagrad:badinput", "%s: BATCHSIZE must be a non-empty numeric vector", fname);
      endif
      v = double (v(:)');
      full = isinf (v) & v > 0;
      if (any (! full))
        v(! full) = list (fname, "BATCHSIZE", v(! full), "batchsize", rows (X));
      endif
    elseif (strcmp (kind, "param"))
      if (! isnumeric (v) || ! isvector (v) || ! isreal (v))
        error ("adagrad:badinput", "%s: %s must be a non-empty numeric vector", fname,
               toupper (f));
      endif
      v = double (v(:)');
      for r = opt
        info = __adagrad_optimizer__ ("info", merge (strncmp (r{1}, "@", 1), @(varargin) 0, r{1}));
        if (any (strcmp ({info.params.name}, f)))
          for x = v
            __adagrad_optimizer__ ("resolve", fname, r{1}, 1, struct (f, x), []);
          endfor
        endif
      endfor
    else
      v = list (fname, toupper (f), v, kind);
    endif
    vals.(f) = num2cell (v);
  endfor
  for k = 1:rows (names)
    [f, choices] = deal (names{k, :});
    v = o.(f);
    if (isempty (v))
      continue;
    endif
    if (ischar (v))
      v = {v};
    endif
    if (! iscellstr (v))
      error ("adagrad:badinput", "%s: %s must be a name or a cell array of names", fname,
             toupper (f));
    endif
    vals.(f) = cellfun (@(x) __adagrad_check__ (fname, toupper (f), x, "choice", choices),
                        v(:)', "uniformoutput", false);
  endfor
  ## The axes' order: eta, the rule parameters, the batches, the others.
  order = [{"eta"}, pnames(:)', {"batchsize", "sampling", "maxiter", "tol", "gtol", ...
           "diagnostics", "evalevery", "reform", "historyevery", "loss", "form"}];
  vals = orderfields (vals, order(ismember (order, fieldnames (vals))));
  ## Sampling is a setting of mini-batches only.
  if (isfield (vals, "sampling") && ! isfield (vals, "batchsize"))
    vals = rmfield (vals, "sampling");
  endif
  ## The settings of every run (one value), under the names the cells read.
  common.eta = [];
  common.params = struct ();
  [common.maxiter, common.tol, common.diagnostics] = deal (1000, 1e-8, 0);
  common.batch = {};
  common.options = struct ();
  single = {};
  for f = fieldnames (vals)'
    if (numel (vals.(f{1})) == 1)
      single{end+1} = f{1};
      v = vals.(f{1}){1};
      if (any (strcmp (f{1}, {"eta", "maxiter", "tol", "diagnostics"})))
        common.(f{1}) = v;
      elseif (any (strcmp (f{1}, pnames)))
        common.params.(f{1}) = v;
      elseif (! any (strcmp (f{1}, {"batchsize", "sampling"})))
        common.options.(f{1}) = v;
      endif
    endif
  endfor
  ## The sampling of every run's batches (unless it is an axis), and with
  ## one batch size the batch settings of every run (Inf: full batch).
  common.sampling = "shuffle";
  if (isfield (vals, "sampling") && numel (vals.sampling) == 1)
    common.sampling = vals.sampling{1};
  endif
  if (any (strcmp ("batchsize", single)) && isfinite (vals.batchsize{1}))
    common.batch = {"batchsize", vals.batchsize{1}, "sampling", common.sampling};
  endif
  vals = rmfield (vals, unique (single));
  common.keephist = __adagrad_check__ (fname, "KEEPHIST", o.keephist, "logical");
  reltol = __adagrad_check__ (fname, "RELTOL", o.reltol, "nonnegative");
  if (reltol > 0)
    common.reltol = reltol;
  endif
  common.validation = {};
  if (! isempty (o.validation))
    v = o.validation;
    if (! (iscell (v) && numel (v) == 2 && isnumeric (v{1}) && isnumeric (v{2})
           && isreal (v{1}) && isreal (v{2}) && columns (v{1}) == columns (X)
           && rows (v{2}) * columns (v{2}) == numel (v{2}) && rows (v{1}) > 0
           && (numel (v{2}) == rows (v{1})
               || (rows (v{2}) == rows (v{1}) && columns (v{2}) == columns (y)))))
      error ("adagrad:badinput",
             "%s: VALIDATION must be {Xv, yv}, Xv with %d columns and yv one entry per row (or a row per row of Xv, as Y has columns)",
             fname, columns (X));
    endif
    yv = double (v{2});
    if (isvector (yv))
      yv = yv(:);
    endif
    common.validation = {double(v{1}), yv};
  endif
  common.ruleparams = [];
  if (! isempty (o.params))
    if (isempty (fcns))
      error ("adagrad:badinput",
             "%s: PARAMS is for rules written in Octave; give a built-in rule's parameters as options",
             fname);
    endif
    common.ruleparams = __adagrad_optimizer__ ("resolve", fname, fcns(1).fcn, 1,
                                               struct ("params", o.params), []).params;
  endif
  ## The rules written in Octave by name and source digest (the settings
  ## that tell a sweep folder's rules apart); their handles in memory.
  if (! isempty (knobs))
    common.knobs = knobs;
  endif
  common.rules = rmfield (fcns, "fcn");
  common.fcns = fcns;
  mode = __adagrad_check__ (fname, "PARALLEL", o.parallel, "choice", {"auto", "on", "off"});
  np = __adagrad_check__ (fname, "NPROC", o.nproc, "posint");
  if (strcmp (engine, "slurm"))
    so = __adagrad_slurm__ ("options", fname, o);
  endif

  ## The grid: optimizer, b0, width, seed, then the other axes in the order
  ## of the help; the last varies fastest.
  axes = [{"optimizer", opt; "b0", num2cell(b0); "width", num2cell(width);
           "seed", num2cell(seed)}; [fieldnames(vals), struct2cell(vals)]];
  if (! isempty (scale))
    axes = [axes(1:4, :); {"scale", scale}; axes(5:end, :)];
  endif
  sz = cellfun (@numel, axes(:, 2))';
  subs = cell (1, numel (sz));
  [subs{:}] = ind2sub (fliplr (sz), (1:prod (sz))');
  subs = fliplr (subs);
  args = {};
  for a = 1:rows (axes)
    args(end+1:end+2) = {axes{a, 1}, reshape(axes{a, 2}(subs{a}), [], 1)};
  endfor
  jobs = struct (args{:});
  if (strcmp (engine, "slurm"))
    so.fcns = common.fcns;
    results = slurm (fname, X, y, jobs, common, so);
    return;
  endif
  use_parallel = false;
  if (! strcmp (mode, "off") && (numel (jobs) > 1 || strcmp (mode, "on")))
    have = ! isempty (pkg ("list", "parallel"));
    if (have && (np > 1 || strcmp (mode, "on")))
      pkg ("load", "parallel");
      use_parallel = exist ("parcellfun") > 0;
    endif
    if (strcmp (mode, "on") && ! use_parallel)
      error ("adagrad:noparallel",
             "%s: PARALLEL is 'on' but the octave-parallel package is not installed",
             fname);
    endif
  endif
  ## One BLAS/OpenMP thread per process when processes share the cores.
  common.threads = merge (use_parallel, 1, 0);
  if (isempty (o.dir))
    out = run_cells (fname, @(j) __adagrad_sweep_one__ (X, y, j, common), num2cell (jobs),
                     use_parallel, np);
    results = reshape ([out{:}], [], 1);
  else
    results = local_folder (fname, X, y, jobs, common, o.dir, use_parallel, np);
  endif
endfunction

## The local engine with a folder: the sweep folder of DIR (the same as the
## Slurm engine's), each cell's result written there as soon as it is
## known, the cells that already have one not run again (a damaged one is
## moved aside and run again); the results read back from the folder.
function results = local_folder (fname, X, y, jobs, common, dir, use_parallel, np)
  if (! ischar (dir) || ! isrow (dir))
    error ("adagrad:badinput", "%s: DIR must name a folder for the sweep", fname);
  endif
  dir = make_absolute_filename (tilde_expand (dir));
  L = __adagrad_sweepdir__ ("lock", fname, dir);
  unwind_protect
    s = __adagrad_sweepdir__ ("create", fname, dir, X, y, jobs, common);
    st = __adagrad_sweepdir__ ("cells", fname, dir);
    __adagrad_sweepdir__ ("refill", fname, st);
    todo = find (! strcmp (st.state, "done"))';
    if (! isempty (todo))
      run_cells (fname, @(k) __adagrad_sweep_one__ (X, y, jobs(k), common, dir, s, k),
                 num2cell (todo), use_parallel, np);
    endif
  unwind_protect_cleanup
    __adagrad_sweepdir__ ("unlock", L);
  end_unwind_protect
  st = __adagrad_sweepdir__ ("cells", fname, dir);
  if (! all (strcmp (st.state, "done")))
    error ("adagrad:sweep", "%s: %d of %d cells have no result in %s", fname,
           sum (! strcmp (st.state, "done")), numel (jobs), dir);
  endif
  results = reshape ([st.results{:}], [], 1);
endfunction

## FN of each element of the cell array ITEMS, in parallel processes
## (octave-parallel) when USE_PARALLEL, else in turn; a cell array of the
## results, in order.
function out = run_cells (fname, fn, items, use_parallel, np)
  if (! use_parallel)
    out = cellfun (fn, items, "UniformOutput", false);
    return;
  endif
  ## A worker's error comes back as a value and is raised here again.  The
  ## workers are separate processes, where Octave's out-of-memory error is
  ## not always turned into adagrad:nomemory: that is done here.
  ## Ctrl-C in parcellfun comes back as its own error ("could not receive
  ## result"), or as Octave's interrupt: either way the sweep stops, its
  ## workers are ended, and it is an adagrad:interrupted error, never a
  ## reason to start the grid again sequentially.  SIGTERM or SIGHUP
  ## ends the workers at once too (__adagrad_signal__ "watch"), so that
  ## Octave ends as it should, not when the workers finish their cells.
  __adagrad_signal__ ("seen");
  done = false;
  unwind_protect
    __adagrad_signal__ ("watch");
    try
      out = parcellfun (min (np, numel (items)), fn, items, "UniformOutput", false,
                        "VerboseLevel", 0,
                        "ErrorHandler", @(err, varargin) struct ("sweep_error", err));
    catch err
      [interrupts, signalled] = __adagrad_signal__ ("seen");
      if (interrupts > 0 || strcmp (err.identifier, "adagrad:interrupted"))
        end_workers ();
        error ("adagrad:interrupted",
               "adagrad_sweep: interrupted by the user; the parallel workers are ended");
      elseif (signalled)
        ## SIGTERM, SIGHUP or another signal from outside: Octave answers it
        ## (and ends, for those two) now that parcellfun has returned.
        end_workers ();
        error ("adagrad:sweep",
               "adagrad_sweep: a signal came while the parallel workers ran; they are ended");
      endif
      ## The worker processes themselves failed (not a job's error, which
      ## comes back as a value): the same numbers, one process.
      warning ("adagrad:sweep",
               "adagrad_sweep: the parallel workers failed (%s); running sequentially",
               err.message);
      out = cellfun (fn, items, "UniformOutput", false);
    end_try_catch
    done = true;
  unwind_protect_cleanup
    __adagrad_signal__ ("unwatch");
    if (! done)
      end_workers ();
    endif
  end_unwind_protect
  for k = 1:numel (out)
    if (isfield (out{k}, "sweep_error"))
      err = out{k}.sweep_error;
      id = err.identifier;
      if (strcmp (id, "Octave:bad-alloc"))
        id = "adagrad:nomemory";
      elseif (! strncmp (id, "adagrad:", 8))
        id = "adagrad:sweep";
      endif
      error (id, "%s", err.message);
    endif
  endfor
endfunction

## The Slurm engine: the sweep folder, one job array for the cells without a
## result (and not queued or running), then (WAIT) the results or an error
## that lists what failed; else a handle.
function results = slurm (fname, X, y, jobs, common, o)
  ## One submitter at a time per folder.
  L = __adagrad_sweepdir__ ("lock", fname, o.dir);
  unwind_protect
    __adagrad_sweepdir__ ("create", fname, o.dir, X, y, jobs, common);
    st = __adagrad_slurm__ ("status", fname, o.dir);
    __adagrad_sweepdir__ ("refill", fname, st);
    todo = find (strcmp (st.state, "failed") | strcmp (st.state, "missing")
                 | strcmp (st.state, "damaged"));
    if (! isempty (todo))
      k = __adagrad_slurm__ ("submit", fname, o.dir, todo, o);
      if (o.verbose)
        printf ("%s: submitted %d cells of %d in %d array tasks (job %s); results in %s\n",
                fname, numel (todo), numel (jobs), ceil (numel (todo) / o.cellspertask),
                strtrim (fileread (fullfile (o.dir, "slurm", sprintf ("submit_%d.job", k)))),
                o.dir);
      endif
    endif
  unwind_protect_cleanup
    __adagrad_sweepdir__ ("unlock", L);
  end_unwind_protect
  if (! o.wait)
    ## The handle: where the sweep is and the jobs its cells are in.
    if (! isempty (todo))
      st = __adagrad_slurm__ ("status", fname, o.dir, [], false);
    endif
    jobids = regexprep (st.job(! cellfun (@isempty, st.job)), '_\d+$', '');
    results = struct ("dir", o.dir, "cells", numel (jobs),
                      "done", sum (strcmp (st.state, "done")), "submitted", numel (todo),
                      "jobs", {unique(jobids)(:)'});
    return;
  elseif (all (strcmp (st.state, "done")))
    results = reshape ([st.results{:}], [], 1);
    return;
  endif
  if (o.verbose)
    printf ("%s: waiting for the tasks (Ctrl-C stops the waiting, not the tasks; adagrad_sweep_collect (\"%s\") gathers them later)\n",
            fname, o.dir);
  endif
  st = __adagrad_slurm__ ("wait", fname, {o.dir}, o.poll, o.verbose);
  if (! all (strcmp (st.state, "done")))
    error ("adagrad:sweep",
           "%s: %d of %d cells have no result:\n%sthe results that exist stay in %s; call adagrad_sweep again with the same DIR to run only the missing cells",
           fname, sum (! strcmp (st.state, "done")), numel (jobs),
           __adagrad_slurm__ ("report", st), o.dir);
  endif
  results = reshape ([st.results{:}], [], 1);
endfunction

## End parcellfun's worker processes (children of this Octave running
## __rfeval_slave__), busy or not, and let octave-parallel start new ones next
## time.
function end_workers ()
  __adagrad_signal__ ("endworkers");
  try
    parcellfun_set_nproc (0);
  catch
  end_try_catch
endfunction

## The knobs: a struct array with fields rule, param and unit, one for each
## rule of the sweep (a built-in rule; param "eta" or one of its parameters;
## unit a positive number), in the order of the rules.
function K = check_knobs (fname, knobs, rules)
  if (! isstruct (knobs) || ! all (isfield (knobs, {"rule", "param", "unit"})))
    error ("adagrad:badinput", "%s: KNOBS must be a struct array with fields rule, param and unit",
           fname);
  endif
  K = struct ("rule", {}, "param", {}, "unit", {});
  for r = rules
    k = find (arrayfun (@(x) ischar (x.rule) && strcmp (x.rule, r{1}), knobs(:)'), 1);
    if (isempty (k))
      error ("adagrad:badinput", "%s: KNOBS has no knob for the rule %s", fname, r{1});
    endif
    x = knobs(k);
    info = __adagrad_optimizer__ ("info", merge (strncmp (r{1}, "@", 1), @(varargin) 0, r{1}));
    if (! ischar (x.param) || ! any (strcmp (x.param, [{"eta"}, {info.params.name}])))
      error ("adagrad:badinput", "%s: the knob of %s must be ETA or one of its parameters", fname,
             r{1});
    endif
    u = __adagrad_check__ (fname, sprintf ("the unit of %s's knob", r{1}), x.unit, "positive");
    K(end+1) = struct ("rule", r{1}, "param", x.param, "unit", u);
  endfor
endfunction

function v = list (fname, name, v, kind, varargin)
  if (! isnumeric (v) || ! isvector (v) || isempty (v))
    error ("adagrad:badinput", "%s: %s must be a non-empty numeric vector", fname, name);
  endif
  v = arrayfun (@(x) __adagrad_check__ (fname, name, x, kind, varargin{:}), v(:)');
endfunction

%!demo
%! [X, y] = adagrad_data (100, 20, "seed", 1);
%! r = adagrad_sweep (X, y, "optimizer", {"gd", "adagrad-norm", "adaloss"},
%!                    "b0", [0.1 1 10], "width", 1000, "alpha", 0.1, "maxiter", 3000);
%! ## GD gets eta/b0 as its fixed learning rate (its "eta" below); AdaGrad-Norm
%! ## and AdaLoss start from b0 but update b before they step, so the first
%! ## step they take ("step") is eta/b1, smaller than eta/b0.
%! printf ("%-13s %6s %6s %6s %10s  %s\n", "optimizer", "b0", "eta", "step", "iterations", "stop");
%! for k = 1:numel (r)
%!   printf ("%-13s %6g %6.3g %6.3g %10g  %s\n", r(k).optimizer, r(k).b0, r(k).eta,
%!           r(k).step, r(k).iterations, r(k).stop);
%! endfor

%!shared X, y
%! [X, y] = adagrad_data (30, 10, "seed", 1);

%!test
%! r = adagrad_sweep (X, y, "optimizer", {"gd", "adaloss"}, "b0", [0.05 2],
%!                    "width", [100 300], "seed", [1 2], "maxiter", 400, "parallel", "off");
%! assert (size (r), [16 1]);
%! assert ({r(1:2).optimizer}, {"gd", "gd"});
%! assert ([r(1:4).seed], [1 2 1 2]);
%! assert ([r(1:4).width], [100 100 300 300]);
%! assert ([r(1:8).b0], [0.05 * ones(1, 4), 2 * ones(1, 4)]);
%! ## GD runs with step eta/b0; the first is far too large and diverges.
%! assert (r(1).eta, 20);
%! assert (r(1).step, 20, -1e-12);
%! assert (r(1).stop, "diverged");
%! assert (isnan (r(1).iterations));
%! ## Each point is the run adagrad_train gives for it.
%! k = 12;
%! [net, h] = adagrad_train (X, y, "width", r(k).width, "optimizer", r(k).optimizer,
%!                           "b0", r(k).b0, "maxiter", 400, "tol", 1e-8, "seed", r(k).seed);
%! assert (r(k).loss, net.loss);
%! assert (r(k).hist.loss, h.loss);
%! if (strcmp (h.stop, "converged"))
%!   assert (r(k).iterations, net.iter);
%! endif
%! ## Its step: the first one taken, eta/b1, below eta/b0 (b absorbed the
%! ## first loss before the step); no step produced iteration 0.
%! assert (r(k).optimizer, "adaloss");
%! assert ([r(k).step, isnan(h.step(1))], [h.step(2), true]);
%! assert (r(k).step, r(k).eta / h.b(2), -1e-12);
%! assert (r(k).step < r(k).eta / r(k).b0);

%!test
%! ## Mini-batches: each point is adagrad_train's run with the batch size.
%! r = adagrad_sweep (X, y, "optimizer", {"gd", "adagrad-norm"}, "b0", [1 10], "width", 60,
%!                    "maxiter", 30, "batchsize", 5, "sampling", "replace", "parallel", "off");
%! [net, h] = adagrad_train (X, y, "width", 60, "optimizer", "adagrad-norm", "b0", 10,
%!                           "maxiter", 30, "tol", 1e-8, "seed", 1, "batchsize", 5,
%!                           "sampling", "replace");
%! assert (isequaln (r(4).hist.loss, h.loss) && r(4).loss == net.loss);
%! assert ({r(4).hist.sampling, r(4).hist.batchsize}, {"replace", 5});

%!test
%! ## The course's rules in one sweep: eta/b0 is their learning rate.
%! r = adagrad_sweep (X, y, "optimizer", {"momentum", "adam", "adagrad"}, "b0", [10 100],
%!                    "width", 50, "maxiter", 20, "momentum", 0.5, "parallel", "off");
%! assert ({r.optimizer}, {"momentum", "momentum", "adam", "adam", "adagrad", "adagrad"});
%! assert ([r.eta], [0.1 0.01 0.1 0.01 1 1]);
%! assert (r(1).hist.params.momentum, 0.5);
%! assert (r(5).hist.params.b0, 10);

## In parallel (octave-parallel) and sequentially: the same numbers.  Without
## octave-parallel the test is skipped (counted as skipped by make check).
%!testif ; ! isempty (pkg ("list", "parallel"))
%! args = {"optimizer", {"adagrad-norm", "adaloss"}, "b0", [0.1 10], "width", [200 400], ...
%!         "maxiter", 300, "diagnostics", 50};
%! rp = adagrad_sweep (X, y, args{:}, "parallel", "on", "nproc", 2);
%! rs = adagrad_sweep (X, y, args{:}, "parallel", "off");
%! assert ({rp.stop}, {rs.stop});
%! assert ([rp.iterations], [rs.iterations]);
%! assert ([rp.loss], [rs.loss]);
%! for k = 1:numel (rs)
%!   assert (rp(k).hist.loss, rs(k).hist.loss);
%!   assert (rp(k).hist.diag.flips, rs(k).hist.diag.flips);
%! endfor

%!function [W, t] = armijo_s (W, G, t, info)
%!  t = info.eta;
%!  while (info.oracle (W - t * G) > info.loss - info.params.c * t * sumsq (G(:)))
%!    t *= info.params.beta;
%!  endwhile
%!  W -= t * G;
%!endfunction

%!test
%! ## Any option with several values is an axis (after optimizer, b0, width,
%! ## seed, in the help's order, the last fastest); a batch size of Inf is the
%! ## full batch; each cell is adagrad_train's run with those settings.
%! r = adagrad_sweep (X, y, "optimizer", "adam", "eta", [0.01 0.05], "batchsize", [5 Inf],
%!                    "sampling", {"shuffle", "replace"}, "beta1", [0.8 0.9], "width", 20,
%!                    "maxiter", 15, "tol", 0, "parallel", "off");
%! assert (numel (r), 16);
%! assert ([r.eta], kron ([0.01 0.05], ones (1, 8)));
%! assert ([r.beta1], repmat (kron ([0.8 0.9], ones (1, 4)), 1, 2));
%! assert ([r.batchsize], repmat (kron ([5 Inf], ones (1, 2)), 1, 4));
%! assert ({r.sampling}, repmat ({"shuffle", "replace"}, 1, 8));
%! [~, h] = adagrad_train (X, y, "optimizer", "adam", "eta", 0.05, "beta1", 0.8,
%!                         "batchsize", 5, "sampling", "replace", "width", 20,
%!                         "maxiter", 15, "tol", 0, "seed", 1);
%! assert (isequaln (r(10).hist.loss, h.loss) && isequaln (r(10).hist.batchloss, h.batchloss));
%! [~, h] = adagrad_train (X, y, "optimizer", "adam", "eta", 0.01, "beta1", 0.9, "width", 20,
%!                         "maxiter", 15, "tol", 0, "seed", 1);
%! assert (isequal (r(7).hist.loss, h.loss) && strcmp (r(7).hist.sampling, "full"));
%! ## The heatmap takes any two axes, the others fixed.
%! hm = adagrad_plot_heatmap (r, "eta", "beta1", "fix", {"batchsize", Inf, "sampling", "shuffle"});
%! assert (size (hm.data), [2 2]);
%! close all;

%!test
%! ## Rules written in Octave by handle (named "@name" in the results, which
%! ## are data), with their PARAMS; other options (loss, form, gtol,
%! ## validation) as settings of every run.
%! P = struct ("c", 0.5, "beta", 0.5);
%! hb = @(W, G, s, info) deal (W - info.eta * G, s);
%! r = adagrad_sweep (X, y, "optimizer", {@armijo_s, hb, "gd"}, "eta", [2 8], "width", 20,
%!                    "maxiter", 10, "tol", 0, "params", P, "form", "primal", "gtol", 1e-9,
%!                    "validation", {X(1:5, :), y(1:5)}, "parallel", "off");
%! assert ({r.optimizer}, {"@armijo_s", "@armijo_s", func2str(hb), func2str(hb), "gd", "gd"});
%! assert (! any (cellfun (@is_function_handle, {r.optimizer})));
%! assert (all (cellfun (@(h) ischar (h.optimizer), {r.hist})));
%! [~, h] = adagrad_train (X, y, "optimizer", @armijo_s, "eta", 8, "params", P, "width", 20,
%!                         "maxiter", 10, "tol", 0, "seed", 1, "validation", {X(1:5, :), y(1:5)});
%! assert (isequal (r(2).hist.loss, h.loss) && isequaln (r(2).hist.vloss, h.vloss));
%! assert (r(2).hist.params, P);
%! ## A folder: the same results again, nothing run twice; it holds names only.
%! d = tempname ();
%! unwind_protect
%!   a = adagrad_sweep (X, y, "optimizer", {@armijo_s, "gd"}, "b0", [1 2], "width", 20,
%!                      "maxiter", 10, "params", P, "dir", d, "parallel", "off");
%!   t0 = cellfun (@(f) stat (f).mtime, glob (fullfile (d, "cells", "*.mat")));
%!   b = adagrad_sweep (X, y, "optimizer", {@armijo_s, "gd"}, "b0", [1 2], "width", 20,
%!                      "maxiter", 10, "params", P, "dir", d, "parallel", "off");
%!   assert (isequaln (rmfield (a, "time"), rmfield (b, "time")));
%!   assert (isequal (t0, cellfun (@(f) stat (f).mtime, glob (fullfile (d, "cells", "*.mat")))));
%!   s = load (fullfile (d, "sweep.mat"));
%!   assert ({s.sweep.jobs.optimizer}, {"@armijo_s", "@armijo_s", "gd", "gd"});
%!   assert (! isfield (s.sweep.common, "fcns"));
%!   fail ("adagrad_sweep (X, y, 'optimizer', {@armijo_s, 'gd'}, 'b0', [1 2], 'width', 20, 'maxiter', 10, 'params', struct ('c', 0.1, 'beta', 0.5), 'dir', d, 'parallel', 'off')",
%!         "other settings \\(RULEPARAMS differ\\)");
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   rmdir (d, "s");
%! end_unwind_protect

%!test
%! ## K outputs: Y n-by-3 (and the validation's), each run that of
%! ## adagrad_train with the same settings.
%! [X3, y3] = adagrad_data (30, 6, "seed", 2);
%! Y3 = [y3, -y3, y3.^2];
%! r = adagrad_sweep (X3, Y3, "b0", [0.1 1], "width", 40, "maxiter", 20,
%!                    "validation", {X3(1:10, :), Y3(1:10, :)}, "parallel", "off");
%! [~, h] = adagrad_train (X3, Y3, "b0", 1, "width", 40, "maxiter", 20, "seed", 1,
%!                         "validation", {X3(1:10, :), Y3(1:10, :)});
%! q = r([r.b0] == 1);
%! assert (q.hist.loss, h.loss);
%! assert (q.hist.vloss, h.vloss);
%!error <adagrad_sweep: VALIDATION must be \{Xv, yv\}> adagrad_sweep (ones (4, 2), ones (4, 3), "validation", {ones(4, 2), ones(4, 2)})
%!error <adagrad_sweep: OPTIMIZER has two rules named @\(W, G, s, i\) deal \(W, s\)> adagrad_sweep (X, y, "optimizer", {@(W, G, s, i) deal (W, s), @(W, G, s, i) deal (W, s)})
%!error <adagrad_sweep: PARAMS is for rules written in Octave> adagrad_sweep (X, y, "params", struct ("c", 1))
%!error <adagrad_sweep: VALIDATION must be \{Xv, yv\}> adagrad_sweep (X, y, "validation", {X, 1})
%!error <adagrad_sweep: FORM must be one of> adagrad_sweep (X, y, "form", {"primal", "dual"})
%!error <adagrad_sweep: GTOL must be a nonnegative> adagrad_sweep (X, y, "gtol", [0 -1])
%!error <adagrad_sweep: BATCHSIZE must be a non-empty numeric vector> adagrad_sweep (X, y, "batchsize", "all")
%!error <Invalid call> adagrad_sweep (X)
%!error <adagrad_sweep: OPTIMIZER must be a name, a function handle or a cell array of them> adagrad_sweep (X, y, "optimizer", 3)
%!error <adagrad_sweep: OPTIMIZER must be one of> adagrad_sweep (X, y, "optimizer", {"sgd"})
%!error <adagrad_sweep: B0 must be a non-empty numeric vector> adagrad_sweep (X, y, "b0", [])
%!error <adagrad_sweep: B0 must be a positive> adagrad_sweep (X, y, "b0", [1 -1])
%!error <adagrad_sweep: WIDTH must be a positive integer> adagrad_sweep (X, y, "width", 0.5)
%!error <adagrad_sweep: SEED must be a non-negative integer> adagrad_sweep (X, y, "seed", -1)
%!error <adagrad_sweep: ETA must be a positive> adagrad_sweep (X, y, "eta", 0)
%!error <adagrad_sweep: ALPHA must be a finite real scalar in \(0, Inf\)> adagrad_sweep (X, y, "alpha", 0)
%!error <adagrad_sweep: BETA1 must be a finite real scalar in \[0, 1\)> adagrad_sweep (X, y, "optimizer", "adam", "beta1", 2)
%!error <adagrad_sweep: MAXITER must be a non-negative integer> adagrad_sweep (X, y, "maxiter", -1)
%!error <adagrad_sweep: TOL must be a nonnegative> adagrad_sweep (X, y, "tol", -1)
%!error <adagrad_sweep: DIAGNOSTICS must be a non-negative integer> adagrad_sweep (X, y, "diagnostics", 0.5)
%!error <adagrad_sweep: BATCHSIZE must be at most the number of samples> adagrad_sweep (X, y, "batchsize", 1e6)
%!error <adagrad_sweep: SAMPLING must be one of> adagrad_sweep (X, y, "batchsize", 2, "sampling", "x")
%!error <adagrad_sweep: PARALLEL must be one of "auto", "on", "off"> adagrad_sweep (X, y, "parallel", "yes")
%!error <adagrad_sweep: NPROC must be a positive integer> adagrad_sweep (X, y, "nproc", 0)
%!error <adagrad_sweep: KEEPHIST must be true or false> adagrad_sweep (X, y, "keephist", [1 2])
%!test
%! ## The local engine with a folder: the results of the plain sweep; called
%! ## again it runs only the cells without a result (here the one removed;
%! ## the other files stay as they were) and returns the same results.
%! d = tempname ();
%! unwind_protect
%!   args = {"optimizer", {"gd", "adaloss"}, "b0", [1 4], "width", 20, "maxiter", 20, ...
%!           "parallel", "off"};
%!   r0 = adagrad_sweep (X, y, args{:});
%!   r1 = adagrad_sweep (X, y, args{:}, "dir", d);
%!   ## Everything but the wall-clock times and the threads the runs used.
%!   strip = @(r) arrayfun (@(x) rmfield (setfield (x, "hist", rmfield (x.hist, {"time", "threads"})), "time"), r);
%!   assert (isequaln (strip (r1), strip (r0)));
%!   f2 = __adagrad_sweepdir__ ("cellfile", d, 2);
%!   f3 = __adagrad_sweepdir__ ("cellfile", d, 3);
%!   b3 = fileread (f3);
%!   unlink (f2);
%!   r2 = adagrad_sweep (X, y, args{:}, "dir", d);
%!   assert (isequaln (strip (r2), strip (r0)) && exist (f2, "file") > 0);
%!   assert (strcmp (fileread (f3), b3));
%!   assert (isequal ([r2([1 3 4]).time], [r1([1 3 4]).time]));
%!   fail ("adagrad_sweep (X, y, args{:}, 'maxiter', 21, 'dir', d)", "other settings \\(MAXITER differ\\)");
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   rmdir (d, "s");
%! end_unwind_protect

%!error <adagrad_sweep: ENGINE must be one of "local", "slurm"> adagrad_sweep (X, y, "engine", "cloud")
%!error <adagrad_sweep: DIR must name a folder for the sweep> adagrad_sweep (X, y, "engine", "slurm")
%!error <adagrad_sweep: WAIT must be true or false> adagrad_sweep (X, y, "engine", "slurm", "dir", "d", "wait", "x")
%!error <adagrad_sweep: CELLSPERTASK must be a positive integer> adagrad_sweep (X, y, "engine", "slurm", "dir", "d", "cellspertask", 0)
%!error <adagrad_sweep: POLL must be a positive> adagrad_sweep (X, y, "engine", "slurm", "dir", "d", "poll", 0)
%!error <adagrad_sweep: SBATCH must be a cell array of sbatch arguments> adagrad_sweep (X, y, "engine", "slurm", "dir", "d", "sbatch", 3)
%!error <adagrad_sweep: SBATCH must not set --array=1-3> adagrad_sweep (X, y, "engine", "slurm", "dir", "d", "sbatch", {"--array=1-3"})
%!error <adagrad_sweep: SBATCH must not set --arr=1-3> adagrad_sweep (X, y, "engine", "slurm", "dir", "d", "sbatch", {"--time=5", "--arr=1-3"})
%!error <adagrad_sweep: SBATCH must not set --outp=x> adagrad_sweep (X, y, "engine", "slurm", "dir", "d", "sbatch", {"--outp=x"})
%!error <adagrad_sweep: SBATCH must not set --pars> adagrad_sweep (X, y, "engine", "slurm", "dir", "d", "sbatch", {"--pars"})
%!error <adagrad_sweep: SBATCH must not set -ofile> adagrad_sweep (X, y, "engine", "slurm", "dir", "d", "sbatch", {"-ofile"})
%!error <adagrad_sweep: DIR must not contain %, \\ or control characters> adagrad_sweep (X, y, "engine", "slurm", "dir", "a%b")
%!error <adagrad_sweep: DIR must not contain %, \\ or control characters> adagrad_sweep (X, y, "engine", "slurm", "dir", "a\\b")
%!error <adagrad_sweep: DIR must not contain %, \\ or control characters> adagrad_sweep (X, y, "engine", "slurm", "dir", "a\nb")
%!test
%! ## A folder whose name glob would read as a pattern: the engine's files
%! ## are still found (literal lookups).
%! d = [tempname() "[x]"];
%! unwind_protect
%!   c = struct ("eta", 1, "params", struct (), "maxiter", 5, "tol", 0,
%!               "diagnostics", 0, "keephist", false, "batch", {{}}, "threads", 0);
%!   jobs = struct ("optimizer", "gd", "b0", {1, 2}, "width", 4, "seed", 1)(:);
%!   __adagrad_sweepdir__ ("create", "t", d, X, y, jobs, c);
%!   tasks = {1, 2};
%!   mkdir (fullfile (d, "slurm"));
%!   save ("-binary", fullfile (d, "slurm", "submit_1.mat"), "tasks");
%!   __adagrad_sweep_task__ (d, 1, 2);
%!   st = __adagrad_slurm__ ("status", "t", d, struct ("id", {{}}, "state", {{}}));
%!   ## Cell 1 was submitted (a job file without an id: sbatch never answered).
%!   assert (st.state, {"missing"; "done"});
%!   assert (st.why{1}, "sbatch gave no job id");
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   if (isfolder (d))
%!     rmdir (d, "s");
%!   endif
%! end_unwind_protect
%!test
%! ## One submitter per folder: a lock held by a live process is refused, one
%! ## whose process is gone is taken over.
%! d = tempname ();
%! unwind_protect
%!   L = __adagrad_sweepdir__ ("lock", "t", d);
%!   assert (strtrim (fileread (L)), sprintf ("%d %s", getpid (), gethostname ()));
%!   fail ("__adagrad_sweepdir__ ('lock', 't', d)", "another adagrad_sweep \\(pid [0-9]+ .*\\) is submitting to");
%!   fail ("adagrad_sweep (X, y, 'engine', 'slurm', 'dir', d)", "another adagrad_sweep");
%!   __adagrad_sweepdir__ ("unlock", L);
%!   fid = fopen (L, "w"); fprintf (fid, "4194303 %s\n", gethostname ()); fclose (fid);
%!   L2 = __adagrad_sweepdir__ ("lock", "t", d);
%!   assert (strtrim (fileread (L2)), sprintf ("%d %s", getpid (), gethostname ()));
%!   __adagrad_sweepdir__ ("unlock", L2);
%!   assert (! exist (L, "file"));
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   if (isfolder (d))
%!     rmdir (d, "s");
%!   endif
%! end_unwind_protect
%!error <adagrad_sweep: OCTAVE must name the Octave binary> adagrad_sweep (X, y, "engine", "slurm", "dir", "d", "octave", "")
%!error <adagrad_sweep: X must be finite> adagrad_sweep ([X(1:end-1, :); NaN(1, 10)], y)
