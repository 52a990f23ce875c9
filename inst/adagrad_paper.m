## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{out} =} adagrad_paper ()
## @deftypefnx {} {@var{out} =} adagrad_paper (@var{size})
## @deftypefnx {} {@var{out} =} adagrad_paper (@var{size}, @var{name}, @var{value}, @dots{})
## Reproduce the claims of Wu, Du & Ward (and the set-up of Du et al.,
## Sec. 5) as figures and printed tables, on inputs uniform on the unit
## sphere with N(0, 1) labels:
##
## @table @asis
## @item (a) robustness
## gradient descent (step eta/b0), AdaGrad-Norm and AdaLoss for b0 from
## 1e-3 to 1e3 times the critical eta*||H_inf||: iterations to the
## tolerance, or divergence (a heatmap, @file{paper_robustness.png}, and a
## table).  The adaptive methods reach the tolerance from every b0; gradient
## descent only from steps below about 2/||H_inf||.
## @item (b) width
## gradient descent with step 1/||H_inf|| for several widths m: the loss
## (@file{paper_width_loss.png}) and the diagnostics (fraction of flipped
## activation patterns, weight movement; @file{paper_width_diag.png}), which
## shrink as m grows.
## @item (c) regimes
## b(k) and eta/b(k) of AdaGrad-Norm and AdaLoss from b0 far below and far
## above the critical value, with the line 2/||H_inf||
## (@file{paper_regimes.png}).
## @item (d) mini-batches
## the b0 grid of (a) with each step on a batch (@qcode{"batchsize"},
## default n/2, shuffled each epoch): steps to the tolerance of the
## full-batch loss (evaluated once per epoch) or divergence
## (@file{paper_stochastic.png} and a table); SGD diverges from a large
## first step and crawls from a small one, while AdaGrad-Norm and AdaLoss
## reach the tolerance without tuning.  Then one pair of runs on batches of
## n/10: AdaLoss, whose increment shrinks with the batch loss, still
## converges quickly; AdaGrad-Norm's b keeps growing with the gradient noise
## and it slows down.
## @item (e) the kernel regime
## the runs of (b) against their linearized dynamics
## @code{e(k+1) = (I - eta H_inf) e(k)} (@code{adagrad_linearized}): the
## largest distance ||u(k) - u_lin(k)|| / ||u(0) - y|| per width with the
## log-log slope against m (the theory's -1/2), and at the middle width for
## the steps 0.5, 1 and 1.9 over ||H_inf||
## (@file{paper_linearized.png} and a table).
## @item (f) real data
## is @code{adagrad_paper_real}: the claims on Fashion-MNIST's ten classes
## (it needs the Debian package dataset-fashion-mnist, so it runs apart).
## @end table
##
## @var{size} is @qcode{"quick"} (default: n = 100, d = 20, widths 250 to
## 16000; under two minutes on two cores), @qcode{"medium"} (the papers'
## n = d = 1000, widths 1000, 4000 and 16000 for 200 steps in part (b),
## m = 1000 for the other parts, b0 from 0.01 to 10 times the critical
## value, 1500 steps, also on mini-batches; about half an hour on two cores)
## or @qcode{"full"}
## (n = d = 1000, m = 16000, b0 from 1e-3 to 1e3 times the critical value,
## 20000 steps; days on one machine: a job for a cluster).  Options override the size's
## settings: @qcode{"n"}, @qcode{"d"}, @qcode{"width"} (of part (a)),
## @qcode{"widths"} (of part (b)), @qcode{"maxiter"}, @qcode{"tol"},
## @qcode{"factors"} (the b0 grid, in units of eta*||H_inf||), @qcode{"alpha"}
## (AdaLoss, default 0.1), @qcode{"batchsize"} and @qcode{"batchiter"} (the
## steps of part (d), default 3 * @qcode{"maxiter"}), @qcode{"widthiter"}
## (the steps of part (b), default the smaller of @qcode{"maxiter"} and
## 1000), @qcode{"seed"}, @qcode{"dir"} (where the PNG files
## go, default the current folder; empty: no files), @qcode{"verbose"}
## (print the tables, default true).
##
## Every part is a sweep (@code{adagrad_sweep}), so the whole reproduction
## runs on the engine @qcode{"engine"}: @qcode{"local"} (default; the cores
## of this machine) or @qcode{"slurm"}: each part's sweep goes to a job array
## with its folder @file{@var{dir}/sweep_robustness}, @file{sweep_width},
## @file{sweep_regimes}, @file{sweep_stochastic}, @file{sweep_small} and
## @file{sweep_steps}; all
## are submitted before any is waited for, and the figures land in
## @var{dir}.  @qcode{"sbatch"}, @qcode{"octave"}, @qcode{"cellspertask"}
## and @qcode{"poll"} are passed to @code{adagrad_sweep}.  With
## @qcode{"wait"}, false it returns once the arrays are submitted (@var{out}
## then has only @code{lambda0}, @code{normH}, @code{dir} and
## @code{pending}); the same command later submits only the cells without a
## result, waits for them and draws.
##
## @var{out} has fields @code{lambda0}, @code{normH}, @code{robustness} (the
## sweep results), @code{width} (histories of part (b)), @code{regimes}
## (histories of part (c)), @code{stochastic} (the sweep results of part
## (d)), @code{small} (the two runs on batches of n/10), @code{linearized}
## (part (e): @code{width} and @code{steps}, results of
## @code{adagrad_linearized}, and @code{slope}) and @code{files}.
## @seealso{adagrad_paper_real, adagrad_sweep, adagrad_plot_heatmap, adagrad_plot_diagnostics, adagrad_plot_step}
## @end deftypefn

function out = adagrad_paper (size_name, varargin)
  fname = "adagrad_paper";
  __adagrad_built__ (fname);
  if (nargin < 1)
    size_name = "quick";
  endif
  size_name = __adagrad_check__ (fname, "SIZE", size_name, "choice",
                                 {"quick", "medium", "full"});
  switch (size_name)
    case "quick"
      defaults = struct ("n", 100, "d", 20, "width", 2000, "widths", [250 1000 4000 16000],
                         "maxiter", 5000, "factors", 10 .^ (-3:3));
    case "medium"
      defaults = struct ("n", 1000, "d", 1000, "width", 1000, "widths", [1000 4000 16000],
                         "maxiter", 1500, "factors", 10 .^ (-2:1), "batchiter", 1500,
                         "widthiter", 200);
    otherwise
      defaults = struct ("n", 1000, "d", 1000, "width", 16000, "widths", [1000 4000 16000],
                         "maxiter", 20000, "factors", 10 .^ (-3:3));
  endswitch
  defaults = setfield (defaults, "tol", 1e-6);
  for f = {"alpha", 0.1; "seed", 1; "dir", "."; "verbose", true; "batchsize", []; ...
           "batchiter", []; "widthiter", []; "engine", "local"; "wait", true; "sbatch", {};
           "octave", []; "cellspertask", 1; "poll", 10}'
    if (! isfield (defaults, f{1}))
      defaults.(f{1}) = f{2};
    endif
  endfor
  o = __adagrad_options__ (fname, defaults, varargin{:});
  n = __adagrad_check__ (fname, "N", o.n, "posint");
  d = __adagrad_check__ (fname, "D", o.d, "posint");
  width = __adagrad_check__ (fname, "WIDTH", o.width, "posint");
  if (! isnumeric (o.widths) || isempty (o.widths))
    error ("adagrad:badinput", "%s: WIDTHS must be a vector of positive integers", fname);
  endif
  widths = arrayfun (@(m) __adagrad_check__ (fname, "WIDTHS", m, "posint"), o.widths(:)');
  maxiter = __adagrad_check__ (fname, "MAXITER", o.maxiter, "posint");
  tol = __adagrad_check__ (fname, "TOL", o.tol, "positive");
  if (! isnumeric (o.factors) || isempty (o.factors) || any (! (o.factors(:) > 0)))
    error ("adagrad:badinput", "%s: FACTORS must be a vector of positive numbers", fname);
  endif
  alpha = __adagrad_check__ (fname, "ALPHA", o.alpha, "positive");
  seed = __adagrad_check__ (fname, "SEED", o.seed, "count");
  if (! ischar (o.dir) || (! isempty (o.dir) && ! isfolder (o.dir)))
    error ("adagrad:badinput", "%s: DIR must be an existing folder (empty: no files)",
           fname);
  endif
  o.verbose = __adagrad_check__ (fname, "VERBOSE", o.verbose, "logical");
  bsize = max (1, round (n / 2));
  if (! isempty (o.batchsize))
    bsize = __adagrad_check__ (fname, "BATCHSIZE", o.batchsize, "posint");
    if (bsize > n)
      error ("adagrad:badinput", "%s: BATCHSIZE must be at most N = %d", fname, n);
    endif
  endif
  witer = min (maxiter, 1000);
  if (! isempty (o.widthiter))
    witer = __adagrad_check__ (fname, "WIDTHITER", o.widthiter, "posint");
  endif
  biter = 3 * maxiter;
  if (! isempty (o.batchiter))
    biter = __adagrad_check__ (fname, "BATCHITER", o.batchiter, "posint");
  endif
  file = @(name) merge (isempty (o.dir), "", fullfile (o.dir, name));
  engine.name = __adagrad_check__ (fname, "ENGINE", o.engine, "choice", {"local", "slurm"});
  engine.args = {};
  if (strcmp (engine.name, "slurm"))
    if (isempty (o.dir))
      error ("adagrad:badinput",
             "%s: the Slurm engine needs DIR, the folder for the sweeps and the figures",
             fname);
    endif
    __adagrad_check__ (fname, "CELLSPERTASK", o.cellspertask, "posint");
    if (! iscellstr (o.sbatch))
      error ("adagrad:badinput", "%s: SBATCH must be a cell array of sbatch arguments", fname);
    endif
    engine.wait = __adagrad_check__ (fname, "WAIT", o.wait, "logical");
    engine.poll = __adagrad_check__ (fname, "POLL", o.poll, "positive");
    engine.verbose = o.verbose;
    engine.args = {"engine", "slurm", "sbatch", o.sbatch, "cellspertask", o.cellspertask, ...
                   "poll", engine.poll, "verbose", o.verbose};
    if (! isempty (o.octave))
      engine.args(end+1:end+2) = {"octave", o.octave};
    endif
  endif

  [X, y] = adagrad_data (n, d, "seed", seed);
  [~, lambda0, normH] = adagrad_gram (X);
  eta = 1;
  crit = eta * normH;
  out = struct ("lambda0", lambda0, "normH", normH);
  out.files = {};
  say = @(varargin) o.verbose && printf (varargin{:});
  say ("adagrad_paper (%s): n = %d, d = %d; lambda0 = %.4g, ||H_inf|| = %.4g, ", size_name,
       n, d, lambda0, normH);
  say ("critical b0 = eta*||H_inf|| = %.4g (eta = %g)\n\n", crit, eta);

  ## Every part is a sweep, so that every engine runs the whole reproduction.
  b0 = crit * o.factors(:)';
  small = max (1, round (n / 10));
  three = {"optimizer", {"gd", "adagrad-norm", "adaloss"}, "b0", b0, "width", width, ...
           "seed", seed + 1, "eta", eta, "alpha", alpha, "tol", tol};
  ada = {"optimizer", {"adagrad-norm", "adaloss"}, "width", width, "seed", seed + 1, ...
         "eta", eta, "alpha", alpha, "maxiter", maxiter, "tol", tol};
  ## (b) is GD with the step eta/b0 = 1/||H_inf|| (Du et al.).
  args = {[three, {"maxiter", maxiter}], ...
          {"optimizer", "gd", "b0", normH, "eta", 1, "width", widths, "seed", seed + 2, ...
           "maxiter", witer, "tol", 0, "diagnostics", 10}, ...
          [ada, {"b0", [1e-2 1e2] * crit}], ...
          [three, {"maxiter", biter, "batchsize", bsize}], ...
          [ada, {"b0", 0.1 * crit, "batchsize", small}], ...
          ## (e) GD at one width and three steps, for the linearization.
          {"optimizer", "gd", "b0", normH ./ [0.5 1 1.9], "eta", 1, ...
           "width", widths(ceil (end / 2)), "seed", seed + 2, "maxiter", witer, "tol", 0}};
  parts = struct ("name", {"robustness", "width", "regimes", "stochastic", "small", "steps"},
                  "args", args);
  if (strcmp (engine.name, "slurm"))
    res = slurm_parts (fname, X, y, parts, engine, o.dir, say);
    if (isempty (res))
      out.dir = o.dir;
      out.pending = true;
      return;
    endif
  else
    res = cell (1, numel (parts));
  endif
  run = @(k) part (k, res, X, y, parts, engine);

  ## (a) Robustness to b0.
  r = run (1);
  out.robustness = r;
  say ("(a) iterations to loss <= %g with m = %d (div: diverged, max: not within %d)\n",
       tol, width, maxiter);
  grid_table (say, r, "gd (eta/b0)", o.factors, eta, b0);
  f = file ("paper_robustness.png");
  __adagrad_with_figure__ (@(fig) adagrad_plot_heatmap (r, "b0", "optimizer", "parent", fig,
                           "file", f, "title",
                           sprintf ("iterations to loss <= %g (m = %d)", tol, width)));
  out.files{end+1} = f;

  ## (b) Width, on the set-up of Du et al.: gradient descent with step 1/||H_inf||.
  say ("\n(b) gradient descent, step 1/||H_inf|| = %.4g, %d iterations\n", 1 / normH,
       witer);
  say ("  %8s %12s %14s %16s\n", "m", "final loss", "flipped (%)", "max ||w_r-w_r(0)||");
  rb = run (2);
  hw = labelled (rb, @(r) sprintf ("m = %d", r.width));
  for h = hw
    say ("  %8d %12.4g %14.4f %16.4g\n", h.width, h.loss(end), 100 * h.diag.flips(end),
         h.diag.move(end));
  endfor
  out.width = hw;
  f1 = file ("paper_width_loss.png");
  __adagrad_with_figure__ (@(fig) adagrad_plot (hw, "parent", fig, "file", f1));
  f2 = file ("paper_width_diag.png");
  __adagrad_with_figure__ (@(fig) adagrad_plot_diagnostics (hw, "parent", fig, "file", f2));
  out.files(end+1:end+2) = {f1, f2};

  ## (c) b(k) in the two regimes.
  say ("\n(c) b(k) from b0 below and above eta*||H_inf|| (m = %d)\n", width);
  hr = labelled (run (3), @(r) sprintf ("%s, b0 = %g eta|H|", r.optimizer, r.b0 / crit));
  for h = hr
    say ("  %-30s b: %9.4g -> %9.4g   eta/b: %9.4g -> %9.4g   %s after %d\n", h.label,
         h.b(1), h.b(end), h.eta / h.b(1), h.step(end), h.stop, h.iter(end));
  endfor
  out.regimes = hr;
  f = file ("paper_regimes.png");
  __adagrad_with_figure__ (@(fig) adagrad_plot_step (hr, "normH", normH, "parent", fig, "file", f));
  out.files{end+1} = f;

  ## (d) The grid of (a) on mini-batches.
  say ("\n(d) mini-batches of %d of the %d rows (shuffled each epoch): steps to full-batch loss <= %g\n",
       bsize, n, tol);
  say ("    (evaluated once per epoch; div: diverged, max: not within %d steps), m = %d\n",
       biter, width);
  rs = run (4);
  out.stochastic = rs;
  grid_table (say, rs, "sgd (eta/b0)", o.factors, eta, b0);
  f = file ("paper_stochastic.png");
  __adagrad_with_figure__ (@(fig) adagrad_plot_heatmap (rs, "b0", "optimizer", "parent", fig,
                           "file", f, "title",
                           sprintf ("steps to loss <= %g, batches of %d of %d", tol, bsize, n)));
  out.files{end+1} = f;
  ## Small batches: the noise in the batch gradients keeps AdaGrad-Norm's b
  ## growing; AdaLoss's increment goes to zero with the batch loss.
  say ("  batches of %d, b0 = 0.1 eta|H|, %d steps:\n", small, maxiter);
  rsm = run (5);
  hs = labelled (rsm, @(r) r.hist.label);
  for k = 1:numel (hs)
    h = hs(k);
    say ("  %-14s loss %9.3g after %5d steps (%s), b %9.4g, eta/b %9.3g (2/||H_inf|| = %.3g)\n",
         rsm(k).optimizer, h.loss(end), h.iter(end), h.stop, h.b(end), h.step(end), 2 / normH);
  endfor
  out.small = hs;

  ## (e) The kernel regime: the runs of (b), and GD at one width with three
  ## steps, against their linearized dynamics e(k+1) = (I - eta H_inf) e(k).
  say ("\n(e) gradient descent against its linearization e(k+1) = (I - eta H_inf) e(k), %d iterations\n",
       witer);
  say ("  %8s %10s %26s\n", "m", "eta|H|", "max_k ||u - u_lin||/||e(0)||");
  lw = cellfun (@(r) linearize (r, X, y), num2cell (rb), "UniformOutput", false);
  gw = cellfun (@(l) l.maxrelgap, lw);
  for k = 1:numel (lw)
    say ("  %8d %10.3g %26.4g\n", lw{k}.width, 1, gw(k));
  endfor
  slope = NaN;
  if (numel (widths) > 1)
    p = polyfit (log (widths), log (gw(:)'), 1);
    slope = p(1);
    say ("  log-log slope of the distance against m: %.3f (the theory: -0.5)\n", slope);
  endif
  rt = run (6);
  lt = cellfun (@(r) linearize (r, X, y), num2cell (rt), "UniformOutput", false);
  for k = 1:numel (lt)
    say ("  %8d %10.3g %26.4g\n", lt{k}.width, normH / rt(k).b0, lt{k}.maxrelgap);
  endfor
  out.linearized = struct ("width", [lw{:}], "steps", [lt{:}], "slope", slope);
  f = file ("paper_linearized.png");
  __adagrad_with_figure__ (@(fig) adagrad_plot_linearized (lw, "parent", fig, "file", f));
  out.files{end+1} = f;
  out.files = out.files(! cellfun (@isempty, out.files));
  if (! isempty (out.files))
    say ("\nwrote %s\n", strjoin (out.files, ", "));
  endif
endfunction

## A sweep result of gradient descent against its linearization: the
## network is the one the sweep's seed draws.
function lin = linearize (r, X, y)
  net = adagrad_init (columns (X), r.width, "seed", r.seed);
  lin = adagrad_linearized (struct ("W0", net.W, "a", net.a), r.hist, X, y, "every", 5);
endfunction

## The results of part K: from the Slurm engine, or the local sweep now.
function r = part (k, res, X, y, parts, engine)
  if (isempty (res{k}))
    r = adagrad_sweep (X, y, parts(k).args{:}, engine.args{:});
  else
    r = res{k};
  endif
endfunction

## The histories of sweep results R, each with the label LABEL (r) and the
## width it ran at.
function h = labelled (r, label)
  h = cell (1, numel (r));
  for k = 1:numel (r)
    h{k} = r(k).hist;
    h{k}.label = label (r(k));
    h{k}.width = r(k).width;
  endfor
  h = [h{:}];
endfunction

## The Slurm engine: every part's sweep in a folder of its own under DIR,
## all submitted before any is waited for; then (unless "wait" is false)
## their results.  Empty when the run was only submitted.
function res = slurm_parts (fname, X, y, parts, engine, dir, say)
  dirs = cellfun (@(p) fullfile (dir, ["sweep_" p]), {parts.name}, "UniformOutput", false);
  for k = 1:numel (parts)
    adagrad_sweep (X, y, parts(k).args{:}, engine.args{:}, "dir", dirs{k}, "wait", false);
  endfor
  if (! engine.wait)
    say ("%s: submitted; run the same command again to collect the results and draw the figures\n",
         fname);
    res = {};
    return;
  endif
  st = __adagrad_slurm__ ("wait", fname, dirs, engine.poll, engine.verbose);
  if (! all (strcmp (vertcat (st.state), "done")))
    error ("adagrad:sweep",
           "%s: some cells have no result:\n%sthe results that exist stay in %s; run the same command again to run only the missing cells",
           fname, __adagrad_slurm__ ("report", st), dir);
  endif
  res = arrayfun (@(s) reshape ([s.results{:}], [], 1), st, "UniformOutput", false);
endfunction

## The table of a sweep over B0 (FACTORS times eta||H_inf||) of gd (named
## GDNAME), adagrad-norm and adaloss: iterations to the tolerance, "div" or
## "max".
function grid_table (say, r, gdname, factors, eta, b0)
  say ("  %12s %10s %14s %14s %14s\n", "b0/(eta|H|)", "eta/b0", gdname, "adagrad-norm",
       "adaloss");
  for k = 1:numel (b0)
    cells = cell (1, 3);
    for j = 1:3
      q = r([r.b0] == b0(k))(j);
      cells{j} = merge (isnan (q.iterations), merge (strcmp (q.stop, "diverged"), "div", "max"),
                        sprintf ("%d", q.iterations));
    endfor
    say ("  %12g %10.3g %14s %14s %14s\n", factors(k), eta / b0(k), cells{:});
  endfor
endfunction

%!demo
%! ## A smaller run than "quick" (about 30 s): the printed tables and six PNG files.
%! adagrad_paper ("quick", "n", 60, "widths", [250 1000 4000], "maxiter", 3000, "dir", tempdir ());

%!test
%! warning ("off", "Octave:gnuplot-graphics");
%! if (isempty (getenv ("DISPLAY")))
%!   graphics_toolkit ("gnuplot");
%! endif
%! folder = tempname ();
%! mkdir (folder);
%! unwind_protect
%!   out = evalc ('r = adagrad_paper ("quick", "n", 30, "d", 20, "width", 500, "widths", [100 1600], "maxiter", 3000, "factors", [1e-3 1e-1 1], "dir", folder);');
%!   ## (a) adaptive methods reach the tolerance from every b0; GD with the
%!   ## step eta/b0 = 1000/(eta|H|) diverges.
%!   rob = r.robustness;
%!   ada = rob(! strcmp ({rob.optimizer}, "gd"));
%!   assert (all (strcmp ({ada.stop}, "converged")));
%!   gd = rob(strcmp ({rob.optimizer}, "gd"));
%!   assert (gd(1).stop, "diverged");
%!   assert (gd(end).stop, "converged");
%!   ## (b) a wider network moves less and flips fewer patterns.
%!   assert (r.width(2).diag.move(end) < r.width(1).diag.move(end));
%!   assert (r.width(2).diag.flips(end) < r.width(1).diag.flips(end));
%!   ## (c) from a small b0, b grows; from a large one it hardly moves.
%!   assert (r.regimes(1).b(end) / r.regimes(1).b(1) > 10);
%!   assert (r.regimes(2).b(end) / r.regimes(2).b(1) < 1.1);
%!   ## (d) on mini-batches: SGD diverges from the largest first step; the
%!   ## adaptive rules reach the tolerance from every b0 of the grid.
%!   st = r.stochastic;
%!   ada = st(! strcmp ({st.optimizer}, "gd"));
%!   assert (all (strcmp ({ada.stop}, "converged")));
%!   gd = st(strcmp ({st.optimizer}, "gd"));
%!   assert (gd(1).stop, "diverged");
%!   assert ({st(1).hist.sampling, st(1).hist.batchsize}, {"shuffle", 15});
%!   assert (numel (r.small), 2);
%!   ## (e) the wider network is closer to its linearization.
%!   lw = r.linearized.width;
%!   assert (lw(2).maxrelgap < lw(1).maxrelgap);
%!   assert (r.linearized.slope < 0);
%!   assert (numel (r.linearized.steps), 3);
%!   assert (numel (r.files), 6);
%!   for k = 1:6
%!     assert (dir (r.files{k}).bytes > 2000);
%!   endfor
%!   assert (! isempty (strfind (out, "(a) iterations to loss <= 1e-06")));
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   rmdir (folder, "s");
%! end_unwind_protect

%!error <adagrad_paper: SIZE must be one of "quick", "medium", "full"> adagrad_paper ("huge")
%!error <adagrad_paper: ENGINE must be one of "local", "slurm"> adagrad_paper ("quick", "engine", "cloud")
%!error <adagrad_paper: the Slurm engine needs DIR> adagrad_paper ("quick", "engine", "slurm", "dir", "")
%!error <adagrad_paper: CELLSPERTASK must be a positive integer> adagrad_paper ("quick", "engine", "slurm", "cellspertask", 0)
%!error <adagrad_paper: SBATCH must be a cell array> adagrad_paper ("quick", "engine", "slurm", "sbatch", 3)
%!error <adagrad_paper: N must be a positive integer> adagrad_paper ("quick", "n", 0)
%!error <adagrad_paper: WIDTHS must be a vector of positive integers> adagrad_paper ("quick", "widths", [])
%!error <adagrad_paper: WIDTHS must be a positive integer> adagrad_paper ("quick", "widths", [10 0.5])
%!error <adagrad_paper: FACTORS must be a vector of positive numbers> adagrad_paper ("quick", "factors", [1 -1])
%!error <adagrad_paper: TOL must be a positive> adagrad_paper ("quick", "tol", 0)
%!error <adagrad_paper: DIR must be an existing folder> adagrad_paper ("quick", "dir", 3)
%!error <adagrad_paper: DIR must be an existing folder> adagrad_paper ("quick", "dir", "/nonexistent-dir")
%!error <adagrad_paper: VERBOSE must be true or false> adagrad_paper ("quick", "verbose", "no")
%!error <adagrad_paper: unknown option "size"> adagrad_paper ("quick", "size", 3)
%!error <adagrad_paper: BATCHSIZE must be at most N = 100> adagrad_paper ("quick", "batchsize", 101)
%!error <adagrad_paper: BATCHITER must be a positive integer> adagrad_paper ("quick", "batchiter", 0)
%!error <adagrad_paper: WIDTHITER must be a positive integer> adagrad_paper ("quick", "widthiter", 1.5)
