## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{atlas} =} adagrad_atlas (@var{X}, @var{y}, @var{name}, @var{value}, @dots{})
## The tuning-free atlas: how every step rule depends on its initial knob.
## For each rule, a grid of its knob over many decades (@qcode{"scales"}
## times the knob's natural unit), at one or more widths and seeds, records
## the iterations to the target loss @code{tol * L(W0)} (each run's own
## W0) or why the run stopped, normalized by tuned gradient descent (GD at
## the theory's step @code{1/||H_inf||}, the same data, width and seed);
## with @qcode{"value", "vaccuracy"} the test accuracy after a fixed number
## of steps instead.
##
## The knob of each rule and its unit (@code{||H_inf||} from
## @code{adagrad_gram (X)}; @code{atlas.knobs} has the table):
##
## @multitable @columnfractions 0.3 0.2 0.5
## @headitem rule @tab knob @tab unit (the knob at scale 1)
## @item @qcode{"gd"}, @qcode{"schedule-free"} @tab eta @tab @code{1/||H_inf||}, the theory's step
## @item @qcode{"momentum"}, @qcode{"nesterov"} @tab eta @tab @code{(1 - mu)/||H_inf||} (mu = 0.9)
## @item @qcode{"polyak"} @tab stepmax @tab @code{1/||H_inf||}
## @item @qcode{"adagrad-norm"}, @qcode{"adaloss"} @tab b0 @tab @code{eta*||H_inf||} (eta = 1), the critical b0
## @item @qcode{"wngrad"} @tab b0 @tab @code{eta*||H_inf||} (eta = 1e-2)
## @item @qcode{"dog"} @tab reps @tab 1e-6, its authors' default
## @item @qcode{"dowg"} @tab epsilon @tab 1e-4, its authors' default
## @item @qcode{"dadapt-sgd"}, @qcode{"prodigy"} @tab d0 @tab 1e-6, their authors' default
## @item @qcode{"cocob"} @tab alpha @tab 100, its authors' default
## @item @qcode{"adam"} @tab eta @tab 1e-3, PyTorch's default
## @item @qcode{"rmsprop"}, @qcode{"adagrad"} @tab eta @tab 1e-2, PyTorch's default
## @end multitable
##
## Every other parameter is the rule's default.  Options:
## @table @asis
## @item @qcode{"rules"} (default: all rules of the table)
## A name or a cell array of names; GD is run in any case (the reference).
## @item @qcode{"scales"} (default @code{10.^(-4:5)}, nine decades)
## The knob values, in units of the table above; 1 is always added (tuned
## GD is GD at scale 1).
## @item @qcode{"width"} (1000), @qcode{"seed"} (1)
## Vectors: every rule and scale at each.
## @item @qcode{"maxiter"} (1000), @qcode{"tol"} (1e-4)
## The steps of each run and the target, relative to the run's first loss.
## @item @qcode{"value"} (@qcode{"iterations"})
## Or @qcode{"vaccuracy"}: each run's test accuracy on @qcode{"validation"}
## (@code{@{Xv, yv@}}, required then) after @qcode{"maxiter"} steps, the
## runs then compared by their error rate, @code{(1 - acc) / (1 - acc_GD)}.
## @item @qcode{"batchsize"}, @qcode{"validation"}, @qcode{"loss"}
## As in @code{adagrad_sweep} (mini-batches: the target is checked at the
## evaluation points).
## @item @qcode{"hinf"} (default: from @code{adagrad_gram (X)})
## ||H_inf||, for data whose Gram matrix is too large to form here.
## @item @qcode{"pathscale"} (1), @qcode{"pathiter"} (@qcode{"maxiter"}), @qcode{"pathpoints"} (20)
## The effective-step paths: every rule at this knob scale on the first
## width and seed, its effective step @code{hist.step} over the iterations
## and, at @qcode{"pathpoints"} iterates, the stability edge
## @code{2/lambda_max(H(W(k)))} of its own iterate (@code{adagrad_gram},
## at the point where the gradient is taken).  @qcode{"pathpoints"}, 0: none.
## @item @qcode{"engine"}, @qcode{"dir"}, @qcode{"parallel"}, @qcode{"nproc"}, @qcode{"sbatch"}, @qcode{"cellspertask"}, @qcode{"octave"}, @qcode{"wait"}, @qcode{"poll"}, @qcode{"verbose"}
## As in @code{adagrad_sweep}: the grid is one sweep (rules x scales x
## widths x seeds, the knob axis of @code{adagrad_sweep}), on this machine
## or as one Slurm job array, and with @qcode{"dir"} resumable like every
## sweep (called again it runs only the cells without a result).
## @end table
##
## @var{atlas} has fields @code{rules}, @code{scales}, @code{widths},
## @code{seeds}, @code{knobs} (rule, param, unit), @code{hinf},
## @code{value}, @code{tol}, @code{raw} (iterations, or accuracy;
## rules x scales x widths x seeds, NaN where the target was not reached),
## @code{stop} (the stop reasons), @code{gd} (tuned GD's raw value, widths x
## seeds), @code{ratio} (raw over GD's, or the error ratio; Inf where the
## run failed), @code{median} (the median ratio over the seeds, rules x
## scales x widths), @code{thresholds} ([2 10] for iterations; [1.1 1.5]
## for the error rate, which cannot exceed 1/(1 - acc_GD) times GD's),
## @code{robust} (rules x 2 x widths: the fraction of the scales whose
## median ratio is at most each threshold, the robustness profile),
## @code{paths} (per rule: @code{iter}, @code{step},
## @code{edgeiter}, @code{edge}), @code{results} (the sweep's) and
## @code{time} (seconds).  @code{adagrad_plot_atlas} draws it.
## @seealso{adagrad_plot_atlas, adagrad_sweep, adagrad_gram, adagrad_train}
## @end deftypefn

function atlas = adagrad_atlas (X, y, varargin)
  fname = "adagrad_atlas";
  __adagrad_built__ (fname);
  if (nargin < 2)
    __adagrad_usage__ (fname);
  endif
  t0 = tic ();
  defaults = struct ("rules", {__adagrad_optimizer__("names")}, "scales", 10 .^ (-4:5),
                     "width", 1000, "seed", 1, "maxiter", 1000, "tol", 1e-4,
                     "value", "iterations", "batchsize", [], "validation", [], "loss", [],
                     "hinf", [], "pathscale", 1, "pathiter", [], "pathpoints", 20,
                     "engine", "local", "dir", "", "parallel", "auto", "nproc", nproc (),
                     "sbatch", {{}}, "cellspertask", 1, "octave", [], "wait", true,
                     "poll", 10, "verbose", false);
  o = __adagrad_options__ (fname, defaults, varargin{:});
  X = __adagrad_check__ (fname, "X", X, "matrix", [NaN NaN]);
  rules = o.rules;
  if (ischar (rules))
    rules = {rules};
  endif
  names = __adagrad_optimizer__ ("names");
  if (! iscellstr (rules) || isempty (rules))
    error ("adagrad:badinput", "%s: RULES must be a rule name or a cell array of them", fname);
  endif
  rules = cellfun (@(r) __adagrad_check__ (fname, "RULES", r, "choice", names), rules(:)',
                   "uniformoutput", false);
  rules = unique ([{"gd"}, rules], "stable");
  scales = double (o.scales(:)');
  if (! isnumeric (o.scales) || isempty (scales) || any (! isfinite (scales) | scales <= 0))
    error ("adagrad:badinput", "%s: SCALES must be a vector of positive numbers", fname);
  endif
  scales = unique ([scales, 1]);
  value = __adagrad_check__ (fname, "VALUE", o.value, "choice", {"iterations", "vaccuracy"});
  tol = __adagrad_check__ (fname, "TOL", o.tol, "nonnegative");
  maxiter = __adagrad_check__ (fname, "MAXITER", o.maxiter, "posint");
  npath = __adagrad_check__ (fname, "PATHPOINTS", o.pathpoints, "count");
  pscale = __adagrad_check__ (fname, "PATHSCALE", o.pathscale, "positive");
  piter = maxiter;
  if (! isempty (o.pathiter))
    piter = __adagrad_check__ (fname, "PATHITER", o.pathiter, "posint");
  endif
  if (strcmp (value, "vaccuracy") && isempty (o.validation))
    error ("adagrad:badinput", "%s: VALUE \"vaccuracy\" needs VALIDATION, {Xv, yv}", fname);
  endif
  if (isempty (o.hinf))
    [~, ~, normH] = adagrad_gram (X);
  else
    normH = __adagrad_check__ (fname, "HINF", o.hinf, "positive");
  endif
  knobs = knob_table (rules, normH);

  ## The grid: one sweep on the knob axis.
  args = {"optimizer", rules, "scale", scales, "knobs", knobs, "width", o.width, ...
          "seed", o.seed, "maxiter", maxiter, "engine", o.engine, "dir", o.dir, ...
          "parallel", o.parallel, "nproc", o.nproc, "verbose", o.verbose};
  if (strcmp (value, "iterations"))
    args(end+1:end+4) = {"reltol", tol, "keephist", false};
  else
    args(end+1:end+6) = {"tol", 0, "historyevery", maxiter, "validation", o.validation};
  endif
  args = with_batches (args, o);
  if (strcmp (o.engine, "slurm"))
    args(end+1:end+6) = {"cellspertask", o.cellspertask, "wait", o.wait, "poll", o.poll};
    args(end+1:end+2) = {"sbatch", o.sbatch};
    if (! isempty (o.octave))
      args(end+1:end+2) = {"octave", o.octave};
    endif
  endif
  results = adagrad_sweep (X, y, args{:});
  if (isstruct (results) && isfield (results, "submitted"))
    atlas = results;   # Slurm without waiting: the handle
    return;
  endif
  atlas = summarize (results, rules, scales, knobs, normH, value, tol);

  ## The effective-step paths against the stability edge.
  widths = atlas.widths;
  seeds = atlas.seeds;
  paths = struct ("rule", rules, "iter", [], "step", [], "edgeiter", [], "edge", []);
  for r = 1:numel (rules) * (npath > 0)
    paths(r) = step_path (X, y, rules{r}, knobs(r), pscale, widths(1), seeds(1), piter,
                          npath, o);
  endfor
  atlas.paths = paths;
  atlas.pathscale = pscale;
  atlas.results = results;
  atlas.time = toc (t0);
endfunction

## ARGS with the options BATCHSIZE and LOSS of O that were given.
function args = with_batches (args, o)
  for f = {"batchsize", "loss"}
    if (! isempty (o.(f{1})))
      args(end+1:end+2) = {f{1}, o.(f{1})};
    endif
  endfor
endfunction

## Each rule's knob and its unit (the help's table).
function K = knob_table (rules, normH)
  K = struct ("rule", {}, "param", {}, "unit", {});
  for r = rules
    info = __adagrad_optimizer__ ("info", r{1});
    p = {info.params.name};
    def = @(name) info.params(strcmp (p, name)).default;
    switch (r{1})
      case {"gd", "schedule-free"}
        k = {"eta", 1 / normH};
      case {"momentum", "nesterov"}
        k = {"eta", (1 - def ("momentum")) / normH};
      case "polyak"
        k = {"stepmax", 1 / normH};
      case {"adagrad-norm", "adaloss", "wngrad"}
        k = {"b0", info.eta_default * normH};
      case "dog"
        k = {"reps", def("reps")};
      case "dowg"
        k = {"epsilon", def("epsilon")};
      case {"dadapt-sgd", "prodigy"}
        k = {"d0", def("d0")};
      case "cocob"
        k = {"alpha", def("alpha")};
      case "adam"
        k = {"eta", 1e-3};
      case {"rmsprop", "adagrad"}
        k = {"eta", 1e-2};
      otherwise
        error ("adagrad:internal", "adagrad_atlas: no knob for the rule %s", r{1});
    endswitch
    K(end+1) = struct ("rule", r{1}, "param", k{1}, "unit", k{2});
  endfor
endfunction

## The sweep's results as arrays, normalized by tuned GD (GD at scale 1).
function A = summarize (results, rules, scales, knobs, normH, value, tol)
  widths = unique ([results.width]);
  seeds = unique ([results.seed]);
  sz = [numel(rules), numel(scales), numel(widths), numel(seeds)];
  raw = NaN (sz);
  stop = cell (sz);
  for k = 1:numel (results)
    r = results(k);
    idx = {find(strcmp (rules, r.optimizer)), find(scales == r.scale), ...
           find(widths == r.width), find(seeds == r.seed)};
    stop{idx{:}} = r.stop;
    if (strcmp (value, "iterations"))
      raw(idx{:}) = r.iterations;
    elseif (! isempty (r.hist) && ! strcmp (r.stop, "diverged"))
      a = r.hist.vaccuracy(isfinite (r.hist.vaccuracy));
      if (! isempty (a))
        raw(idx{:}) = a(end);
      endif
    endif
  endfor
  gd = squeeze (raw(1, scales == 1, :, :));
  gd = reshape (gd, numel (widths), numel (seeds));
  ratio = Inf (sz);
  for w = 1:numel (widths)
    for s = 1:numel (seeds)
      v = raw(:, :, w, s);
      if (strcmp (value, "iterations"))
        q = max (v, 1) / max (gd(w, s), 1);
      else
        q = (1 - v) / max (1 - gd(w, s), eps);
      endif
      q(isnan (v)) = Inf;
      ratio(:, :, w, s) = q;
    endfor
  endfor
  med = median (ratio, 4);
  ## The profile's thresholds: 2x and 10x of GD's iterations; for the
  ## accuracy, whose error rate is at most 1/(1 - acc_GD) times GD's at
  ## chance, an error rate 10% and 50% above GD's.
  thr = merge (strcmp (value, "iterations"), [2 10], [1.1 1.5]);
  robust = zeros (numel (rules), 2, numel (widths));
  for t = 1:2
    robust(:, t, :) = reshape (mean (med <= thr(t), 2), numel (rules), 1, numel (widths));
  endfor
  A = struct ("rules", {rules}, "scales", scales, "widths", widths, "seeds", seeds,
              "knobs", knobs, "hinf", normH, "value", value, "tol", tol, "raw", raw,
              "stop", {stop}, "gd", gd, "ratio", ratio, "median", med,
              "thresholds", thr, "robust", robust);
endfunction

## One rule at knob scale PS: its effective steps, and the stability edge
## 2/lambda_max(H(W(k))) at NPATH iterates (the run continued in pieces,
## which is bitwise the run in one call).
function p = step_path (X, y, rule, K, ps, width, seed, piter, npath, o)
  args = {"optimizer", rule, "width", width, "seed", seed, "tol", 0};
  val = ps * K.unit;
  if (strcmp (K.param, "eta"))
    args(end+1:end+2) = {"eta", val};
  else
    args(end+1:end+2) = {K.param, val};
  endif
  args = with_batches (args, o);
  warning ("off", "adagrad:diverged", "local");
  warning ("off", "adagrad:undefined", "local");
  at = unique (round (linspace (0, piter, npath)));
  [net, hist] = adagrad_train (X, y, args{:}, "maxiter", 0);
  edge = NaN (size (at));
  done = 0;
  for j = 1:numel (at)
    if (at(j) > done)
      [net, hist] = adagrad_train (net, X, y, "maxiter", at(j) - done, "tol", 0,
                                   "history", hist);
      if (! strcmp (hist.stop, "maxiter"))
        break;
      endif
      done = at(j);
    endif
    W = net.W;
    if (strcmp (rule, "schedule-free") && net.iter > 0)
      W = net.state.y;   # the point of the gradient
    endif
    [~, ~, lmax] = adagrad_gram (X, W);
    edge(j) = 2 / lmax;
  endfor
  p = struct ("rule", rule, "iter", (0:numel (hist.step) - 1)', "step", hist.step(:),
              "edgeiter", at, "edge", edge);
endfunction

%!shared X, y
%! [X, y] = adagrad_data (30, 5, "seed", 3);

%!test
%! ## The normalization against runs made by hand: GD at 1/||H_inf||, DoG at
%! ## 10*reps, AdaLoss at b0 = 0.1*||H_inf||.
%! A = adagrad_atlas (X, y, "rules", {"dog", "adaloss"}, "scales", [0.1 10], "width", 60,
%!                    "seed", [1 2], "maxiter", 300, "tol", 0.1, "pathpoints", 3,
%!                    "parallel", "off");
%! [~, ~, nH] = adagrad_gram (X);
%! assert (A.hinf, nH);
%! assert (A.rules, {"gd", "dog", "adaloss"});
%! assert (A.scales, [0.1 1 10]);
%! assert ({A.knobs.param}, {"eta", "reps", "b0"});
%! assert ([A.knobs.unit], [1 / nH, 1e-6, nH]);
%! for s = 1:2
%!   [n0, h0] = adagrad_train (X, y, "optimizer", "gd", "eta", 1 / nH, "width", 60, "seed", s,
%!                             "maxiter", 300, "tol", 0.1 * adagrad_train (X, y, "width", 60, "seed", s, "maxiter", 0).loss);
%!   assert (h0.stop, "converged");
%!   assert (A.gd(1, s), n0.iter);
%!   [n1, h1] = adagrad_train (X, y, "optimizer", "dog", "reps", 1e-5, "width", 60, "seed", s,
%!                             "maxiter", 300, "tol", 0.1 * h0.loss(1));
%!   it = merge (strcmp (h1.stop, "converged"), n1.iter, NaN);
%!   assert (A.raw(2, 3, 1, s), it);
%!   assert (A.ratio(2, 3, 1, s), merge (isnan (it), Inf, max (it, 1) / n0.iter));
%!   [n2, h2] = adagrad_train (X, y, "optimizer", "adaloss", "b0", 0.1 * nH, "width", 60,
%!                             "seed", s, "maxiter", 300, "tol", 0.1 * h0.loss(1));
%!   it2 = merge (strcmp (h2.stop, "converged"), n2.iter, NaN);
%!   assert (A.raw(3, 1, 1, s), it2);
%! endfor
%! assert (A.ratio(1, 2, 1, :)(:), [1; 1]);
%! assert (A.median, median (A.ratio, 4));
%! assert (A.thresholds, [2 10]);
%! assert (A.robust, [mean(A.median <= 2, 2), mean(A.median <= 10, 2)]);
%! ## The paths: the effective steps of the run at scale 1 and the edge.
%! p = A.paths(1);
%! [~, hg] = adagrad_train (X, y, "optimizer", "gd", "eta", 1 / nH, "width", 60, "seed", 1,
%!                          "maxiter", 300, "tol", 0);
%! assert (p.step, hg.step, 1e-15);
%! assert (p.edgeiter, [0 150 300]);
%! [~, ~, l0] = adagrad_gram (X, adagrad_init (5, 60, "seed", 1).W);
%! assert (p.edge(1), 2 / l0, 1e-12);

%!error <RULES must be one of> adagrad_atlas (X, y, "rules", "sgd")
%!error <SCALES must be a vector of positive numbers> adagrad_atlas (X, y, "scales", [1 -1])
%!error <VALUE "vaccuracy" needs VALIDATION> adagrad_atlas (X, y, "value", "vaccuracy")
