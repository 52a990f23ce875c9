## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{net}, @var{hist}] =} adagrad_train (@var{X}, @var{y})
## @deftypefnx {} {[@var{net}, @var{hist}] =} adagrad_train (@var{X}, @var{y}, @var{name}, @var{value}, @dots{})
## @deftypefnx {} {[@var{net}, @var{hist}] =} adagrad_train (@var{net}, @var{X}, @var{y}, @dots{})
## Train the first layer of a two-layer ReLU network
## @code{f(W, a, x) = sum_r a_r * max (w_r' * x, 0) / sqrt (m)} on the squared
## loss @code{L(W) = 0.5 * norm (f(W, a, X) - y)^2} with gradient descent,
## AdaGrad-Norm or AdaLoss (Wu, Du & Ward, arXiv 1902.07111).
##
## @var{X} is @var{n}-by-@var{d} (one sample per row), @var{y} has @var{n}
## entries.  The theory assumes rows of unit norm, no two parallel; other
## inputs are accepted.  The output weights @code{a} stay fixed.  The whole
## loop runs in C (MEX @code{__adagrad_train__}); the same trajectory follows
## from calling @code{adagrad_gradient} and @code{adagrad_step} in a loop.
##
## With a network @var{net} as first argument (from @code{adagrad_init} or an
## earlier @code{adagrad_train}) training continues from its weights and
## optimizer state: @var{K} iterations and then @var{K} more give the same
## network as 2@var{K} iterations in one call.
##
## Options:
##
## @table @asis
## @item @qcode{"width"} (default 1000)
## Hidden units m of a new network.
## @item @qcode{"optimizer"} (default @qcode{"adaloss"})
## @qcode{"adaloss"}: @code{b^2 += alpha^2 * sqrt (n) * norm (y - u)};
## @qcode{"adagrad-norm"}: @code{b^2 += norm (G, "fro")^2};
## @qcode{"gd"}: constant step @var{eta}.  The adaptive rules update @code{b}
## first and then step @code{W -= (eta / b) * G}.
## @item @qcode{"eta"} (default 1)
## Step-size numerator (the step itself for @qcode{"gd"}); >= 0.
## @item @qcode{"b0"} (default 1)
## Initial b > 0 (unused by @qcode{"gd"}).
## @item @qcode{"alpha"} (default 1)
## AdaLoss scale > 0.
## @item @qcode{"maxiter"} (default 1000)
## Iterations to run (in this call, when resuming).
## @item @qcode{"tol"} (default 1e-12)
## Stop as soon as the loss is <= @var{tol} (0: only at an exact zero).
## @item @qcode{"seed"} (default @code{[]})
## Seed of the initialization of a new network (see @code{adagrad_init});
## empty: the global @code{randn}/@code{rand} generators.
## @item @qcode{"init"} (default @code{[]})
## A network struct to start from, as an alternative to the first argument.
## It needs fields @code{W} (m-by-d) and @code{a}; the other fields of
## @code{adagrad_init}'s struct are filled in when absent.
## @item @qcode{"display"} (default @qcode{"off"})
## @qcode{"off"}; @qcode{"final"}: one summary line; @qcode{"iter"}: a
## progress line, rewritten in place about twice a second, with iteration,
## loss, b, effective step, elapsed time and estimated time left.
## @item @qcode{"outputfcn"} (default @code{[]})
## A function @code{stop = fcn (net, info)} called after every
## @qcode{"outputevery"} iterations, with the current network and a struct
## @code{info} with fields @code{iter}, @code{loss}, @code{b}, @code{step},
## @code{gnorm} (of the last step) and @code{time}.  Returning true stops the
## run (reason @qcode{"stopped"}).
## @item @qcode{"outputevery"} (default 1)
## Iterations between calls of the output function.  Each call ends one pass
## of the C loop and costs about one extra forward pass: use a larger value
## for fast runs.
## @item @qcode{"diagnostics"} (default 0)
## Every that many iterations (0: never), record in @code{hist.diag} the
## quantities of the theory, computed in C at a small fraction of the cost of
## a step: @code{flips}, the fraction of the n*m pairs (i, r) whose activation
## 1@{w_r'x_i >= 0@} differs from that at @code{net.W0}; @code{move},
## max_r ||w_r - w_r(0)||; and @code{dist}, ||W - W0||_F; with their
## iterations in @code{iter}.
## @item @qcode{"gramevery"} (default 0)
## Every that many iterations (0: never), record the smallest eigenvalue of
## the empirical Gram matrix H(W) in @code{hist.diag.lambda_min} (iterations in
## @code{gram_iter}).  This costs O(n^2 m) for H and O(n^3) for the eigenvalue:
## use it sparingly.
## @item @qcode{"history"} (default @code{[]})
## The @var{hist} of the call that produced the network passed in: the
## returned history then covers both calls.
## @item @qcode{"checkpoint"} (default @qcode{""}: none)
## A file to which the whole state (network, optimizer state, history so
## far, settings, a fingerprint of the data) is written every
## @qcode{"checkpointevery"} iterations (default 0: not by count) and every
## @qcode{"checkpointseconds"} seconds (default 60), at the end, and on
## Ctrl-C.  Each write goes to a temporary file that is then renamed over
## @var{file}, so a crash or kill at any moment leaves the last complete
## checkpoint.  @code{adagrad_resume} continues from it to the result the
## uninterrupted run gives.
## @item @qcode{"threads"} (default 0)
## Threads for the elementwise work in C (OpenMP); 0: OpenMP's default
## (@env{OMP_NUM_THREADS}, else all cores).  The results are bitwise the same
## for any number.  The matrix products use the BLAS library's own threads.
## @end table
##
## The run's precision is that of @var{X}: with a single @var{X}, @var{y} and
## the weights are converted to single, the products use single-precision
## BLAS and @code{net.W} is single, while @code{b}, the loss and the history
## are accumulated and returned in double.
##
## @var{net} has fields @code{W}, @code{a}, @code{W0} (the weights at
## iteration 0), @code{b} (current), @code{b0}, @code{iter} (iterations so
## far), @code{optimizer}, @code{eta}, @code{alpha}, @code{loss} (at @code{W})
## and @code{seed}.
##
## @var{hist} has one entry per iterate of this call, the starting one
## included (column vectors of equal length): @code{iter}, @code{loss}
## (at that iterate), @code{b} (after its update at that iteration),
## @code{step} (the effective step @code{eta / b}, or @var{eta} for
## @qcode{"gd"}, that produced the iterate), @code{gnorm} (the Frobenius norm
## of the gradient at the iterate) and @code{time} (seconds since the call
## began); @code{diag}, the diagnostics below (empty unless asked for);
## and @code{stop}, the reason the run ended: @qcode{"converged"},
## @qcode{"maxiter"}, @qcode{"diverged"} or @qcode{"stopped"}, plus the
## settings (@code{optimizer}, @code{eta}, @code{b0}, @code{alpha},
## @code{width}, @code{n}, @code{d}) and a @code{label} for plots.
##
## A loss that becomes NaN or Inf ends the run with reason
## @qcode{"diverged"} and a warning (identifier @code{adagrad:diverged}); the
## last state with a finite loss is returned.  Ctrl-C stops a run within a
## fraction of a second with an error of identifier @code{adagrad:interrupted}.
##
## @example
## [X, y] = adagrad_data (200, 20, "seed", 1);
## [net, hist] = adagrad_train (X, y, "width", 2000, "b0", 0.1);
## adagrad_plot (hist);
## @end example
## @seealso{adagrad_init, adagrad_gradient, adagrad_step, adagrad_plot, adagrad_data}
## @end deftypefn

function [net, hist] = adagrad_train (varargin)
  fname = "adagrad_train";
  if (nargin < 2 || (isstruct (varargin{1}) && nargin < 3))
    __adagrad_usage__ ("adagrad_train");
  endif
  if (isstruct (varargin{1}))
    [net, X, y, args] = deal (varargin{1}, varargin{2}, varargin{3}, varargin(4:end));
  else
    [net, X, y, args] = deal ([], varargin{1}, varargin{2}, varargin(3:end));
  endif
  defaults = struct ("width", 1000, "optimizer", "adaloss", "eta", 1, "b0", 1,
                     "alpha", 1, "maxiter", 1000, "tol", 1e-12, "seed", [],
                     "init", [], "display", "off", "outputfcn", [],
                     "outputevery", 1, "threads", 0, "diagnostics", 0,
                     "gramevery", 0, "history", [], "checkpoint", "",
                     "checkpointevery", 0, "checkpointseconds", 60);
  [opts, given] = __adagrad_options__ (fname, defaults, args{:});

  X = __adagrad_check__ (fname, "X", X, "matrix", [NaN NaN]);
  y = __adagrad_check__ (fname, "Y", y, "vector", rows (X));
  [n, d] = size (X);
  optimizer = __adagrad_check__ (fname, "OPTIMIZER", opts.optimizer, "choice",
                                 {"adaloss", "adagrad-norm", "gd"});
  eta = __adagrad_check__ (fname, "ETA", opts.eta, "nonnegative");
  b0 = __adagrad_check__ (fname, "B0", opts.b0, "positive");
  alpha = __adagrad_check__ (fname, "ALPHA", opts.alpha, "positive");
  maxiter = __adagrad_check__ (fname, "MAXITER", opts.maxiter, "count");
  tol = __adagrad_check__ (fname, "TOL", opts.tol, "nonnegative");
  display = __adagrad_check__ (fname, "DISPLAY", opts.display, "choice",
                               {"off", "final", "iter"});
  every = __adagrad_check__ (fname, "OUTPUTEVERY", opts.outputevery, "posint");
  threads = __adagrad_check__ (fname, "THREADS", opts.threads, "count");
  diag_every = __adagrad_check__ (fname, "DIAGNOSTICS", opts.diagnostics, "count");
  gram_every = __adagrad_check__ (fname, "GRAMEVERY", opts.gramevery, "count");
  opts.seed = __adagrad_check__ (fname, "SEED", opts.seed, "seed");
  outputfcn = opts.outputfcn;
  if (! isempty (outputfcn) && ! is_function_handle (outputfcn))
    error ("adagrad:badinput",
           "%s: OUTPUTFCN must be a function handle or empty", fname);
  endif

  if (! isempty (opts.init))
    if (! isempty (net))
      error ("adagrad:badinput",
             "%s: give the initial network either as first argument or as INIT, not both",
             fname);
    endif
    net = opts.init;
  endif
  if (isempty (net))
    width = __adagrad_check__ (fname, "WIDTH", opts.width, "posint");
    net = adagrad_init (d, width, "seed", opts.seed, "optimizer", optimizer,
                        "eta", eta, "b0", b0, "alpha", alpha);
  else
    net = check_net (fname, net, d);
    for fixed = {"width", "seed"}
      if (isfield (given, fixed{1}))
        error ("adagrad:badinput",
               "%s: %s cannot be given with an initial network (it fixes the weights)",
               fname, toupper (fixed{1}));
      endif
    endfor
    ## Explicit options override the network's stored hyper-parameters.
    for hp = {"optimizer", "eta", "alpha"}
      if (isfield (given, hp{1}))
        net.(hp{1}) = eval (hp{1});
      endif
    endfor
    if (isfield (given, "b0"))
      if (net.iter > 0)
        error ("adagrad:badinput",
               "%s: B0 cannot be changed when resuming a trained network (net.iter = %d)",
               fname, net.iter);
      endif
      [net.b0, net.b] = deal (b0);
    endif
  endif

  ## The run's precision is that of X.
  y = cast (y, class (X));
  [net.W, net.W0, net.a] = deal (cast (net.W, class (X)), cast (net.W0, class (X)),
                                 cast (net.a, class (X)));
  prior = check_history (fname, opts.history, net);
  ckpt = opts.checkpoint;
  if (! ischar (ckpt) || ! (isrow (ckpt) || isempty (ckpt)))
    error ("adagrad:badinput", "%s: CHECKPOINT must be a file name", fname);
  endif
  ck_every = __adagrad_check__ (fname, "CHECKPOINTEVERY", opts.checkpointevery, "count");
  ck_seconds = __adagrad_check__ (fname, "CHECKPOINTSECONDS", opts.checkpointseconds,
                                  "positive");
  s = struct ("tol", tol, "maxiter", maxiter, "display", display,
              "outputfcn", outputfcn, "every", every, "threads", threads,
              "diag_every", diag_every, "gram_every", gram_every, "prior", prior,
              "checkpoint", ckpt, "ck_every", ck_every, "ck_seconds", ck_seconds,
              "target", net.iter + maxiter);
  [net, hist] = run (net, X, y, s);
endfunction

## The loop over calls of the C training loop: each call runs until the next
## output-function call, Gram matrix, checkpoint, display refresh, or the end.
function [net, hist] = run (net, X, y, s)
  rule = net.optimizer;
  seconds = Inf;
  if (strcmp (s.display, "iter"))
    seconds = 0.5;
  endif
  if (! isempty (s.checkpoint))
    seconds = min (seconds, s.ck_seconds);
  endif
  every = s.every;
  if (isempty (s.outputfcn))
    every = max (s.maxiter, 1);
  endif
  t0 = tic ();
  t_ck = 0;
  done_ck = 0;
  parts = struct ("loss", {{}}, "time", {{}}, "gnorm", {{}}, "b", {{}},
                  "step", {{}});
  W = net.W;
  b = net.b;
  done = 0;
  reason = "";
  dg = struct ("iter", zeros (0, 1), "flips", zeros (0, 1), "move", zeros (0, 1),
               "dist", zeros (0, 1), "gram_iter", zeros (0, 1),
               "lambda_min", zeros (0, 1));
  diag_args = {};
  gram_at = @(k) s.gram_every > 0 && mod (k, s.gram_every) == 0;
  if (gram_at (net.iter))
    [dg.gram_iter(end+1, 1), dg.lambda_min(end+1, 1)] = deal (net.iter, lambda_min (X, W));
  endif
  while (isempty (reason))
    ## The C loop takes at most 1e7 iterations a call (its records are
    ## allocated up front).
    chunk = min ([s.maxiter - done, every - mod(done, every), 1e6]);
    if (s.gram_every > 0)
      chunk = min (chunk, s.gram_every - mod (net.iter + done, s.gram_every));
    endif
    if (! isempty (s.checkpoint) && s.ck_every > 0)
      chunk = min (chunk, s.ck_every - mod (net.iter + done, s.ck_every));
    endif
    if (s.diag_every > 0)
      diag_args = {net.W0, s.diag_every, net.iter + done};
    endif
    t_call = toc (t0);
    [W, b, it, stop, loss, tm, gn, bk, st, interrupted, di, fl, mv, ds] = ...
      __adagrad_train__ (X, y, W, net.a, b, rule, net.eta, net.alpha, s.tol,
                         chunk, seconds, s.threads, diag_args{:});
    ## A call records the iterate it starts from again: keep the new ones.
    keep = di > last (dg.iter, -1);
    dg.iter = [dg.iter; di(keep)];
    dg.flips = [dg.flips; fl(keep)];
    dg.move = [dg.move; mv(keep)];
    dg.dist = [dg.dist; ds(keep)];
    if (it > 0 && gram_at (net.iter + done + it))
      [dg.gram_iter(end+1, 1), dg.lambda_min(end+1, 1)] = ...
        deal (net.iter + done + it, lambda_min (X, W));
    endif
    ## Each call starts with the loss of the iterate the last one ended on.
    first = 1 + ! isempty (parts.loss);
    parts.loss{end+1} = loss(first:end);
    parts.time{end+1} = t_call + tm(first:end);
    parts.gnorm{end+1} = gn;
    parts.b{end+1} = bk;
    parts.step{end+1} = st;
    done += it;
    if (interrupted)
      if (strcmp (s.display, "iter"))
        fprintf ("\n");
      endif
      ## The C loop may stop before the loss of the last iterate is known.
      known = parts.loss{end}(isfinite (parts.loss{end}));
      note = "";
      if (! isempty (known))
        note = sprintf (" (last loss %.6g)", known(end));
      endif
      if (! isempty (s.checkpoint))
        [cnet, chist] = snapshot (net, X, W, b, done, parts, dg, "interrupted", s);
        save_checkpoint (s, cnet, chist, X, y);
        note = sprintf ("%s; the state is saved in %s", note, s.checkpoint);
      endif
      error ("adagrad:interrupted",
             "adagrad_train: interrupted by the user at iteration %d%s",
             net.iter + done, note);
    endif
    switch (stop)
      case 1
        reason = "converged";
      case 2
        reason = "diverged";
      otherwise
        if (done >= s.maxiter)
          reason = "maxiter";
        endif
    endswitch
    if (strcmp (s.display, "iter"))
      progress (net, done, s.maxiter, loss(end), b, toc (t0), ! isempty (reason));
    endif
    if (isempty (reason) && ! isempty (s.outputfcn) && mod (done, every) == 0)
      info = struct ("iter", net.iter + done, "loss", loss(end), "b", b,
                     "step", last (st, NaN), "gnorm", last (gn, NaN),
                     "time", toc (t0));
      current = net;
      [current.W, current.b, current.iter, current.loss] = deal (W, b, info.iter, info.loss);
      if (call_outputfcn (s.outputfcn, current, info))
        reason = "stopped";
      endif
    endif
    ## A checkpoint every CHECKPOINTEVERY iterations or CHECKPOINTSECONDS.
    if (isempty (reason) && ! isempty (s.checkpoint) && done > done_ck
        && ((s.ck_every > 0 && mod (net.iter + done, s.ck_every) == 0)
            || toc (t0) - t_ck >= s.ck_seconds))
      [cnet, chist] = snapshot (net, X, W, b, done, parts, dg, "", s);
      save_checkpoint (s, cnet, chist, X, y);
      [t_ck, done_ck] = deal (toc (t0), done);
    endif
  endwhile

  [net, hist] = snapshot (net, X, W, b, done, parts, dg, reason, s);
  ## The gradient norm at the last iterate, which the loop stopped before.
  if (isfinite (hist.loss(end)))
    G = __adagrad_gradient__ (X, y, W, net.a, s.threads);
    hist.gnorm(end) = sqrt (sumsq (double (G(:))));
  endif
  if (! isempty (s.checkpoint))
    save_checkpoint (s, net, hist, X, y);
  endif

  if (strcmp (s.display, "final"))
    printf ("adagrad_train: %s, m = %d: %d iterations, loss %.4e -> %.4e, b = %.4g, %s (%s)\n",
            rule, rows (W), done, hist.loss(end - done), hist.loss(end), b, reason,
            format_time (toc (t0)));
    fflush (stdout);
  endif
  if (strcmp (reason, "diverged"))
    warning ("adagrad:diverged",
             "adagrad_train: the loss became NaN or Inf after iteration %d; returning the last finite state",
             net.iter);
  endif
endfunction

## The network and the history after DONE iterations of this call (the
## gradient norm of the last iterate is NaN: the loop stops before it),
## continuing s.prior when it is given.
function [net, hist] = snapshot (net, X, W, b, done, parts, dg, reason, s)
  rule = net.optimizer;
  if (strcmp (rule, "gd"))
    step0 = net.eta;
  else
    step0 = net.eta / net.b;
  endif
  loss = vertcat (parts.loss{:});
  hist.iter = net.iter + (0:numel (loss) - 1)';
  hist.loss = loss;
  hist.b = [net.b; vertcat(parts.b{:})];
  hist.step = [step0; vertcat(parts.step{:})];
  hist.gnorm = [vertcat(parts.gnorm{:}); NaN];
  hist.time = vertcat (parts.time{:});
  hist.diag = dg;
  if (! isempty (s.prior))
    hist = join_history (s.prior, hist);
  endif
  hist.stop = reason;
  hist.optimizer = rule;
  hist.eta = net.eta;
  hist.b0 = net.b0;
  hist.alpha = net.alpha;
  [hist.n, hist.d] = size (X);
  hist.width = rows (W);
  hist.label = sprintf ("%s, b0 = %g, m = %d", rule, net.b0, rows (W));
  [net.W, net.b, net.loss] = deal (W, b, hist.loss(end));
  net.iter += done;
endfunction

## An earlier history H1 that ends where H2 starts, followed by H2: the shared
## iterate is taken from H2, which knows its gradient norm; times continue.
function h = join_history (h1, h2)
  h = h2;
  for f = {"iter", "loss", "b", "step", "gnorm"}
    h.(f{1}) = [h1.(f{1})(1:end-1); h2.(f{1})];
  endfor
  h.time = [h1.time(1:end-1); h1.time(end) + h2.time];
  g1 = h1.diag;
  g2 = h2.diag;
  new = g2.iter > last (g1.iter, -1);
  for f = {"iter", "flips", "move", "dist"}
    h.diag.(f{1}) = [g1.(f{1}); g2.(f{1})(new)];
  endfor
  new = g2.gram_iter > last (g1.gram_iter, -1);
  h.diag.gram_iter = [g1.gram_iter; g2.gram_iter(new)];
  h.diag.lambda_min = [g1.lambda_min; g2.lambda_min(new)];
endfunction

## The history option: empty, or a history whose last iterate is net's.
function prior = check_history (fname, prior, net)
  if (isempty (prior))
    prior = [];
    return;
  endif
  need = {"iter", "loss", "b", "step", "gnorm", "time", "diag"};
  if (! isstruct (prior) || ! isscalar (prior) || ! all (isfield (prior, need)))
    error ("adagrad:badinput",
           "%s: HISTORY must be a history from adagrad_train", fname);
  endif
  if (prior.iter(end) != net.iter)
    error ("adagrad:badinput",
           "%s: HISTORY ends at iteration %d but the network is at iteration %d",
           fname, prior.iter(end), net.iter);
  endif
endfunction

## Write the whole state to FILE atomically: a temporary file, then a rename.
function save_checkpoint (s, net, hist, X, y)
  checkpoint.version = "adagrad checkpoint 1";
  checkpoint.net = net;
  checkpoint.hist = hist;
  checkpoint.options = rmfield (s, {"prior", "outputfcn"});
  checkpoint.data = __adagrad_fingerprint__ (X, y);
  tmp = sprintf ("%s.tmp%d", s.checkpoint, getpid ());
  try
    save ("-binary", tmp, "checkpoint");
    [ok, msg] = rename (tmp, s.checkpoint);
  catch err
    [ok, msg] = deal (-1, err.message);
  end_try_catch
  if (ok != 0)
    if (exist (tmp, "file"))
      unlink (tmp);
    endif
    error ("adagrad:checkpoint", "adagrad_train: cannot write the checkpoint %s: %s",
           s.checkpoint, msg);
  endif
endfunction

## The user's output function; its failures become adagrad:outputfcn errors.
function stop = call_outputfcn (fcn, net, info)
  try
    stop = fcn (net, info);
  catch err
    error ("adagrad:outputfcn", "adagrad_train: the output function failed: %s",
           err.message);
  end_try_catch
  if (! ((islogical (stop) || isnumeric (stop)) && isscalar (stop) && ! isnan (stop)))
    error ("adagrad:outputfcn",
           "adagrad_train: the output function must return true (stop) or false");
  endif
  stop = logical (stop);
endfunction

## The smallest eigenvalue of the empirical Gram matrix H(W).
function l = lambda_min (X, W)
  [~, l] = adagrad_gram (X, W);
endfunction

function v = last (x, default)
  if (isempty (x))
    v = default;
  else
    v = x(end);
  endif
endfunction

function progress (net, done, maxiter, loss, b, elapsed, final)
  if (done > 0)
    eta_left = format_time (elapsed / done * (maxiter - done));
  else
    eta_left = "?";
  endif
  if (strcmp (net.optimizer, "gd"))
    step = net.eta;
  else
    step = net.eta / b;
  endif
  fprintf ("\radagrad_train [%s] iter %*d/%d  loss %.4e  b %.4e  step %.3e  elapsed %s  ETA %s   ",
           net.optimizer, numel (num2str (maxiter)), done, maxiter, loss, b,
           step, format_time (elapsed), eta_left);
  if (final)
    fprintf ("\n");
  endif
  fflush (stdout);
endfunction

function s = format_time (t)
  if (t < 60)
    s = sprintf ("%.1fs", t);
  elseif (t < 3600)
    s = sprintf ("%dm%02ds", floor (t / 60), floor (mod (t, 60)));
  else
    s = sprintf ("%dh%02dm", floor (t / 3600), floor (mod (t, 3600) / 60));
  endif
endfunction

## A network struct from the caller: W and a are required, the rest is filled.
function net = check_net (fname, net, d)
  if (! isstruct (net) || ! isscalar (net) || ! all (isfield (net, {"W", "a"})))
    error ("adagrad:badinput",
           "%s: the initial network must be a struct with fields W and a (see adagrad_init)",
           fname);
  endif
  net.W = __adagrad_check__ (fname, "NET.W", net.W, "matrix", [NaN d]);
  m = rows (net.W);
  net.a = __adagrad_check__ (fname, "NET.a", net.a, "vector", m);
  defaults = struct ("W0", net.W, "b", 1, "iter", 0, "optimizer", "adaloss",
                     "eta", 1, "alpha", 1, "loss", NaN, "seed", []);
  for f = fieldnames (defaults)'
    if (! isfield (net, f{1}))
      net.(f{1}) = defaults.(f{1});
    endif
  endfor
  if (! isfield (net, "b0"))
    net.b0 = net.b;
  endif
  net.W0 = __adagrad_check__ (fname, "NET.W0", net.W0, "matrix", [m d]);
  net.b = __adagrad_check__ (fname, "NET.b", net.b, "positive");
  net.b0 = __adagrad_check__ (fname, "NET.b0", net.b0, "positive");
  net.iter = __adagrad_check__ (fname, "NET.iter", net.iter, "count");
  net.optimizer = __adagrad_check__ (fname, "NET.optimizer", net.optimizer,
                                     "choice", {"adaloss", "adagrad-norm", "gd"});
  net.eta = __adagrad_check__ (fname, "NET.eta", net.eta, "nonnegative");
  net.alpha = __adagrad_check__ (fname, "NET.alpha", net.alpha, "positive");
endfunction

%!demo
%! ## AdaLoss from a tiny b0 reaches the global minimum; the progress line updates in place.
%! [X, y] = adagrad_data (100, 20, "seed", 1);
%! [net, hist] = adagrad_train (X, y, "width", 1000, "b0", 0.01, "alpha", 0.1,
%!                              "maxiter", 2000, "tol", 1e-10, "display", "iter", "seed", 2);
%! printf ("stopped: %s after %d iterations, loss %.3e\n", hist.stop, net.iter, net.loss);
%! adagrad_plot (hist);

%!shared X, y
%! [X, y] = adagrad_data (40, 5, "seed", 1);

%!test
%! ## The trajectory is that of adagrad_gradient and adagrad_step in a loop
%! ## (tests/test_parity.m compares with the plain reference in tests/).
%! for opt = {"gd", "adagrad-norm", "adaloss"}
%!   [net, h] = adagrad_train (X, y, "width", 300, "optimizer", opt{1}, "eta", 0.2,
%!                             "b0", 0.5, "alpha", 0.7, "maxiter", 30, "tol", 0, "seed", 2);
%!   W = net.W0;
%!   b = 0.5;
%!   for k = 1:30
%!     [G, L, u] = adagrad_gradient (W, net.a, X, y);
%!     assert (L, h.loss(k), 1e-12 * L);
%!     if (strcmp (opt{1}, "adaloss"))
%!       [W, b] = adagrad_step (W, G, b, "adaloss", 0.2, 0.7, norm (u - y), 40);
%!     else
%!       [W, b] = adagrad_step (W, G, b, opt{1}, 0.2);
%!     endif
%!     assert (b, h.b(k + 1), 1e-12 * b);
%!   endfor
%!   assert (net.W, W, 1e-12 * norm (W, "fro"));
%! endfor

%!test
%! ## The history: equal lengths, iterate-aligned, b never decreases, step = eta/b.
%! [net, h] = adagrad_train (X, y, "width", 200, "optimizer", "adagrad-norm",
%!                           "eta", 0.5, "b0", 0.1, "maxiter", 40, "seed", 3);
%! assert (h.iter, (0:40)');
%! assert (size ([h.loss h.b h.step h.gnorm h.time]), [41 5]);
%! assert (all (diff (h.b) >= 0));
%! assert (h.step, 0.5 ./ h.b, eps);
%! assert (h.b(1), 0.1);
%! assert (all (diff (h.time) >= 0));
%! ## b(k)^2 = b(k-1)^2 + ||G(k-1)||^2 for adagrad-norm.
%! assert (h.b(2:end) .^ 2, h.b(1:end-1) .^ 2 + h.gnorm(1:end-1) .^ 2, 1e-10 * h.b(end) ^ 2);
%! assert (h.stop, "maxiter");
%! assert ([net.iter net.b net.loss], [40 h.b(end) h.loss(end)]);
%! [G, L] = adagrad_gradient (net.W, net.a, X, y);
%! assert (L, net.loss, 1e-12 * L);
%! assert (h.gnorm(end), norm (G, "fro"), 1e-12 * norm (G, "fro"));
%! assert (h.label, "adagrad-norm, b0 = 0.1, m = 200");
%! assert ([h.n h.d h.width h.eta h.b0 h.alpha], [40 5 200 0.5 0.1 1]);

%!test
%! ## AdaLoss: b(k)^2 = b(k-1)^2 + alpha^2 sqrt(n) ||y - u(k-1)||.
%! [net, h] = adagrad_train (X, y, "width", 100, "alpha", 0.3, "maxiter", 20, "seed", 3);
%! assert (h.b(2:end) .^ 2, h.b(1:end-1) .^ 2 + 0.09 * sqrt (40) * sqrt (2 * h.loss(1:end-1)),
%!         1e-10 * h.b(end) ^ 2);

%!test
%! ## Resume: K iterations, then K more, equal 2K in one call.
%! for opt = {"gd", "adagrad-norm", "adaloss"}
%!   args = {"width", 150, "optimizer", opt{1}, "eta", 0.3, "b0", 0.2, "tol", 0};
%!   [n1, h1] = adagrad_train (X, y, args{:}, "maxiter", 15, "seed", 4);
%!   [n2, h2] = adagrad_train (n1, X, y, "maxiter", 15);
%!   [n3, h3] = adagrad_train (X, y, args{:}, "maxiter", 30, "seed", 4);
%!   assert (n2.W, n3.W);
%!   assert (n2.b, n3.b);
%!   assert ([n2.iter n2.loss], [30 n3.loss]);
%!   assert (n2.W0, n3.W0);
%!   assert (h2.iter, (15:30)');
%!   assert ([h1.loss; h2.loss(2:end)], h3.loss);
%!   assert ([h1.b; h2.b(2:end)], h3.b);
%! endfor

%!test
%! ## The history option: one history for a run made of two calls.
%! [n1, h1] = adagrad_train (X, y, "width", 100, "maxiter", 10, "seed", 6, "diagnostics", 4);
%! [n2, h2] = adagrad_train (n1, X, y, "maxiter", 10, "history", h1, "diagnostics", 4);
%! [n3, h3] = adagrad_train (X, y, "width", 100, "maxiter", 20, "seed", 6, "diagnostics", 4);
%! assert (isequal (n2.W, n3.W));
%! for f = {"iter", "loss", "b", "step", "gnorm"}
%!   assert (h2.(f{1}), h3.(f{1}));
%! endfor
%! assert (h2.diag.iter, (0:4:20)');
%! assert (h2.diag.dist, h3.diag.dist);
%! assert (all (diff (h2.time) >= 0));

%!test
%! ## Checkpoints: written every K iterations and at the end, atomically.
%! f = [tempname() ".ckpt"];
%! unwind_protect
%!   [net, h] = adagrad_train (X, y, "width", 100, "maxiter", 30, "seed", 6, "checkpoint", f,
%!                             "checkpointevery", 7);
%!   c = load (f).checkpoint;
%!   assert (isequal (c.net.W, net.W) && isequal (c.hist.loss, h.loss));
%!   assert (c.options.target, 30);
%!   ## No temporary file is left behind.
%!   assert (isempty (glob ([f ".tmp*"])));
%!   ## The same result as without checkpoints.
%!   n0 = adagrad_train (X, y, "width", 100, "maxiter", 30, "seed", 6);
%!   assert (isequal (n0.W, net.W));
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect

%!test
%! ## The "init" option is the same as a network first argument.
%! net0 = adagrad_init (5, 60, "seed", 5, "b0", 0.3);
%! n1 = adagrad_train (net0, X, y, "maxiter", 10);
%! n2 = adagrad_train (X, y, "init", net0, "maxiter", 10);
%! assert (n1.W, n2.W);
%! ## A bare struct with W and a is completed with defaults.
%! n3 = adagrad_train (struct ("W", net0.W, "a", net0.a, "b", 0.3), X, y, "maxiter", 10);
%! assert (n3.W, n1.W);
%! ## Options override the stored hyper-parameters.
%! n4 = adagrad_train (net0, X, y, "maxiter", 1, "optimizer", "gd", "eta", 0.1);
%! G = adagrad_gradient (net0.W, net0.a, X, y);
%! assert (n4.W, net0.W - 0.1 * G, 1e-14);
%! assert ([n4.eta n4.b], [0.1 0.3]);
%! assert (n4.optimizer, "gd");
%! n5 = adagrad_train (net0, X, y, "maxiter", 0, "b0", 2);
%! assert ([n5.b n5.b0], [2 2]);

%!test
%! ## Single precision end to end: single W, double records, close to double.
%! [nd, hd] = adagrad_train (X, y, "width", 200, "maxiter", 30, "seed", 3, "tol", 0);
%! [ns, hs] = adagrad_train (single (X), y, "width", 200, "maxiter", 30, "seed", 3, "tol", 0);
%! assert ({class(ns.W), class(ns.W0), class(ns.a), class(ns.b), class(hs.loss)},
%!         {"single", "single", "single", "double", "double"});
%! assert (hs.loss, hd.loss, 1e-4 * hd.loss(1));
%! assert (hs.b, hd.b, 1e-5 * hd.b(end));
%! assert (double (ns.W), nd.W, 1e-4 * norm (nd.W, "fro"));
%! ## Resuming a single network with double data runs in double.
%! n2 = adagrad_train (ns, X, y, "maxiter", 2);
%! assert (class (n2.W), "double");

%!test
%! ## Diagnostics: flips, movement and distance from W0, against Octave.
%! [net, h] = adagrad_train (X, y, "width", 400, "maxiter", 20, "seed", 5, "tol", 0,
%!                           "diagnostics", 5, "gramevery", 10);
%! assert (h.diag.iter, (0:5:20)');
%! assert ([h.diag.flips(1) h.diag.move(1) h.diag.dist(1)], [0 0 0]);
%! D = net.W - net.W0;
%! assert (h.diag.move(end), max (sqrt (sum (D .^ 2, 2))), 1e-12);
%! assert (h.diag.dist(end), norm (D, "fro"), 1e-12);
%! assert (h.diag.flips(end), mean (mean ((X * net.W0' >= 0) != (X * net.W' >= 0))), 1e-15);
%! assert (h.diag.flips(end) > 0);
%! assert (h.diag.gram_iter, [0; 10; 20]);
%! [~, lmin] = adagrad_gram (X, net.W);
%! assert (h.diag.lambda_min(end), lmin, 1e-12);
%! ## The same records when the run is cut into pieces, and on resuming.
%! [~, h2] = adagrad_train (X, y, "width", 400, "maxiter", 20, "seed", 5, "tol", 0,
%!                          "diagnostics", 5, "outputfcn", @(n, i) false, "outputevery", 3);
%! assert (h2.diag.iter, h.diag.iter);
%! assert (h2.diag.flips, h.diag.flips);
%! [n1] = adagrad_train (X, y, "width", 400, "maxiter", 12, "seed", 5, "tol", 0);
%! [~, h3] = adagrad_train (n1, X, y, "maxiter", 8, "tol", 0, "diagnostics", 5);
%! assert (h3.diag.iter, [15; 20]);
%! assert (h3.diag.dist, h.diag.dist(end-1:end), 1e-12);
%! ## Off by default.
%! [~, h4] = adagrad_train (X, y, "width", 40, "maxiter", 3);
%! assert (isempty (h4.diag.iter) && isempty (h4.diag.lambda_min));

%!test
%! ## One and two threads give bitwise the same run.
%! [n1, h1] = adagrad_train (X, y, "width", 300, "maxiter", 20, "seed", 3, "threads", 1);
%! [n2, h2] = adagrad_train (X, y, "width", 300, "maxiter", 20, "seed", 3, "threads", 2);
%! assert (isequal (n1.W, n2.W));
%! assert (isequal (h1.loss, h2.loss) && isequal (h1.b, h2.b) && isequal (h1.gnorm, h2.gnorm));

%!test
%! ## Seeds reproduce; eta = 0 leaves W unchanged.
%! n1 = adagrad_train (X, y, "width", 80, "maxiter", 5, "seed", 9);
%! n2 = adagrad_train (X, y, "width", 80, "maxiter", 5, "seed", 9);
%! assert (n1.W, n2.W);
%! n0 = adagrad_train (X, y, "width", 80, "maxiter", 5, "seed", 9, "eta", 0);
%! assert (n0.W, n0.W0);
%! assert (n0.W0, n1.W0);

%!test
%! ## tol: stops at the first iterate whose loss is <= tol.
%! [~, h] = adagrad_train (X, y, "width", 300, "optimizer", "adagrad-norm", "maxiter", 60, "seed", 1, "tol", 0);
%! tol = h.loss(30);
%! [net, h2] = adagrad_train (X, y, "width", 300, "optimizer", "adagrad-norm", "maxiter", 60, "seed", 1, "tol", tol);
%! assert (h2.stop, "converged");
%! k = find (h.loss <= tol, 1);
%! assert (net.iter, k - 1);
%! assert (h2.loss, h.loss(1:k));

%!test
%! ## Divergence: GD with a huge step ends "diverged", with the last finite state.
%! warning ("on", "adagrad:diverged", "local");
%! lastwarn ("");
%! evalc ('[net, h] = adagrad_train (X, y, "width", 50, "optimizer", "gd", "eta", 1e100, "seed", 1);');
%! [msg, id] = lastwarn ();
%! assert (id, "adagrad:diverged");
%! assert (msg, sprintf ("adagrad_train: the loss became NaN or Inf after iteration %d; returning the last finite state", net.iter));
%! assert (h.stop, "diverged");
%! assert (net.iter < 1000);
%! assert (all (isfinite (net.W(:))));
%! assert (isfinite (net.loss));
%! [~, L] = adagrad_gradient (net.W, net.a, X, y);
%! assert (L, net.loss, 1e-12 * L);
%! assert (net.loss, h.loss(end));

%!test
%! ## The output function: called every OUTPUTEVERY iterations, can stop the run.
%! fcn = @(net, info) (info.iter >= 12);
%! [net, h] = adagrad_train (X, y, "width", 60, "maxiter", 100, "outputfcn", fcn, "outputevery", 4, "seed", 1);
%! assert (h.stop, "stopped");
%! assert (net.iter, 12);
%! ## Without stopping it changes nothing.
%! [n1, h1] = adagrad_train (X, y, "width", 60, "maxiter", 10, "seed", 1,
%!                           "outputfcn", @(net, info) false, "outputevery", 3);
%! [n2, h2] = adagrad_train (X, y, "width", 60, "maxiter", 10, "seed", 1);
%! assert (n1.W, n2.W);
%! assert (h1.loss, h2.loss);

%!test
%! ## The output function sees the current network and iteration.
%! fcn = @(net, info) fprintf ("seen %d %d %.17g\n", info.iter, net.iter, info.loss) < 0;
%! out = evalc ('[net, h] = adagrad_train (X, y, "width", 60, "maxiter", 7, "outputfcn", fcn, "outputevery", 2, "seed", 1);');
%! seen = sscanf (out, "seen %d %d %f\n", [3 Inf])';
%! assert (seen(:, 1:2), [2 2; 4 4; 6 6]);
%! assert (seen(:, 3), h.loss([3 5 7]));

%!test
%! ## display: "final" prints one summary line, "iter" a progress line.
%! out = evalc ('adagrad_train (X, y, "width", 50, "maxiter", 5, "display", "final", "seed", 1);');
%! assert (! isempty (regexp (out, '^adagrad_train: adaloss, m = 50: 5 iterations, loss \S+ -> \S+, b = \S+, maxiter \(\S+s\)\n$', "once")));
%! out = evalc ('adagrad_train (X, y, "width", 50, "maxiter", 5, "display", "iter", "seed", 1);');
%! assert (! isempty (regexp (out, 'iter 5/5  loss \S+  b \S+  step \S+  elapsed \S+s  ETA \S+', "once")));
%! assert (out(1), "\r");
%! out = evalc ('adagrad_train (X, y, "width", 50, "maxiter", 5, "seed", 1);');
%! assert (out, "");

%!error <Invalid call> adagrad_train (1)
%!error <Invalid call> adagrad_train (struct ("W", 1), 1)
%!error <adagrad_train: X must be a real, full, non-empty double or single matrix> adagrad_train ("abc", 1)
%!error <adagrad_train: X must be a real, full, non-empty double or single matrix> adagrad_train (sparse (X), y)
%!error <adagrad_train: X must be a real, full, non-empty double or single matrix> adagrad_train (complex (X), y)
%!error <adagrad_train: X must be finite> adagrad_train ([X(1:end-1, :); NaN(1, 5)], y)
%!error <adagrad_train: Y must be a vector of 40 entries \(got 39\)> adagrad_train (X, y(1:39))
%!error <adagrad_train: Y must be finite> adagrad_train (X, [y(1:39); Inf])
%!error <adagrad_train: options must come in name/value pairs> adagrad_train (X, y, "width")
%!error <adagrad_train: unknown option "stepsize"> adagrad_train (X, y, "stepsize", 1)
%!error <adagrad_train: WIDTH must be a positive integer> adagrad_train (X, y, "width", 0)
%!error <adagrad_train: WIDTH must be a positive integer> adagrad_train (X, y, "width", 10.5)
%!error <adagrad_train: OPTIMIZER must be one of "adaloss", "adagrad-norm", "gd"> adagrad_train (X, y, "optimizer", "adam")
%!error <adagrad_train: ETA must be a nonnegative> adagrad_train (X, y, "eta", -1)
%!error <adagrad_train: B0 must be a positive> adagrad_train (X, y, "b0", 0)
%!error <adagrad_train: ALPHA must be a positive> adagrad_train (X, y, "alpha", -2)
%!error <adagrad_train: MAXITER must be a non-negative integer> adagrad_train (X, y, "maxiter", -1)
%!error <adagrad_train: TOL must be a nonnegative> adagrad_train (X, y, "tol", NaN)
%!error <adagrad_train: SEED must be a non-negative integer> adagrad_train (X, y, "seed", "a")
%!error <adagrad_train: DISPLAY must be one of "off", "final", "iter"> adagrad_train (X, y, "display", "on")
%!error <adagrad_train: OUTPUTEVERY must be a positive integer> adagrad_train (X, y, "outputevery", 0)
%!error <adagrad_train: HISTORY must be a history from adagrad_train> adagrad_train (X, y, "history", struct ("a", 1))
%!error <adagrad_train: HISTORY ends at iteration 2 but the network is at iteration 0> adagrad_train (X, y, "history", nthargout (2, @adagrad_train, X, y, "width", 5, "maxiter", 2))
%!error <adagrad_train: CHECKPOINT must be a file name> adagrad_train (X, y, "checkpoint", 3)
%!error <adagrad_train: CHECKPOINTEVERY must be a non-negative integer> adagrad_train (X, y, "checkpoint", "a", "checkpointevery", -1)
%!error <adagrad_train: CHECKPOINTSECONDS must be a positive> adagrad_train (X, y, "checkpointseconds", 0)
%!error id=adagrad:checkpoint adagrad_train (X, y, "width", 5, "maxiter", 2, "checkpoint", "/nonexistent-dir/x.ckpt")
%!error <adagrad_train: DIAGNOSTICS must be a non-negative integer> adagrad_train (X, y, "diagnostics", 0.5)
%!error <adagrad_train: GRAMEVERY must be a non-negative integer> adagrad_train (X, y, "gramevery", -2)
%!error <adagrad_train: THREADS must be a non-negative integer> adagrad_train (X, y, "threads", -1)
%!error <adagrad_train: the output function failed: > adagrad_train (X, y, "width", 5, "maxiter", 3, "outputfcn", @(n, i) error ("boom"))
%!error <adagrad_train: the output function must return true \(stop\) or false> adagrad_train (X, y, "width", 5, "maxiter", 3, "outputfcn", @(n, i) "yes")
%!error <adagrad_train: OUTPUTFCN must be a function handle or empty> adagrad_train (X, y, "outputfcn", "myfun")
%!error <adagrad_train: give the initial network either as first argument or as INIT> adagrad_train (adagrad_init (5, 3), X, y, "init", adagrad_init (5, 3))
%!error <adagrad_train: the initial network must be a struct with fields W and a> adagrad_train (struct ("W", ones (3, 5)), X, y)
%!error <adagrad_train: NET.W must be any number of rows by 5 columns> adagrad_train (adagrad_init (4, 3), X, y)
%!error <adagrad_train: NET.a must be a vector of 3 entries> adagrad_train (struct ("W", ones (3, 5), "a", 1), X, y)
%!error <adagrad_train: NET.W0 must be 3 rows by 5 columns> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "W0", 1), X, y)
%!error <adagrad_train: NET.b must be a positive> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "b", -1), X, y)
%!error <adagrad_train: NET.b0 must be a positive> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "b0", 0), X, y)
%!error <adagrad_train: NET.iter must be a non-negative integer> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "iter", -1), X, y)
%!error <adagrad_train: NET.optimizer must be one of> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "optimizer", "x"), X, y)
%!error <adagrad_train: NET.eta must be a nonnegative> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "eta", -1), X, y)
%!error <adagrad_train: NET.alpha must be a positive> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "alpha", 0), X, y)
%!error <adagrad_train: WIDTH cannot be given with an initial network> adagrad_train (adagrad_init (5, 3), X, y, "width", 3)
%!error <adagrad_train: SEED cannot be given with an initial network> adagrad_train (adagrad_init (5, 3), X, y, "seed", 3)
%!error <adagrad_train: B0 cannot be changed when resuming a trained network \(net.iter = 2\)> adagrad_train (adagrad_train (X, y, "width", 3, "maxiter", 2), X, y, "b0", 3)
