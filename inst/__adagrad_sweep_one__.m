## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{r} =} __adagrad_sweep_one__ (@var{X}, @var{y}, @var{job}, @var{common})
## @deftypefnx {} {@var{r} =} __adagrad_sweep_one__ (@var{X}, @var{y}, @var{job}, @var{common}, @var{dir}, @var{s}, @var{k})
## Internal: one grid point of @code{adagrad_sweep} (a function file of its
## own, so that octave-parallel's worker processes can call it).  @var{job}
## has fields optimizer, b0, width and seed; @var{common} eta, params (the
## rule parameters given to the sweep, each passed to the rules that have
## it), maxiter, tol, diagnostics, threads, keephist and batch (options of
## adagrad_train for mini-batches, or empty).  Given the sweep folder
## @var{dir}, its sweep @var{s} and the cell @var{k}, the result is written
## there as cell @var{k} as soon as it is known (the local engine with a
## folder: what is done survives a kill).
## @end deftypefn

function r = __adagrad_sweep_one__ (X, y, job, c, dir, s, k)
  if (! isstruct (job) || ! all (isfield (job, {"optimizer", "b0", "width", "seed"})))
    error ("adagrad:internal",
           "__adagrad_sweep_one__: JOB must have fields optimizer, b0, width and seed");
  endif
  ## A rule with a b0 gets it; the others take eta/b0 as their learning rate.
  info = __adagrad_optimizer__ ("info", job.optimizer);
  pnames = {info.params.name};
  params = {};
  eta = c.eta;
  if (any (strcmp (pnames, "b0")))
    params = {"b0", job.b0};
  else
    eta = c.eta / job.b0;
  endif
  for p = pnames
    if (isfield (c.params, p{1}) && ! strcmp (p{1}, "b0"))
      params(end+1:end+2) = {p{1}, c.params.(p{1})};
    endif
  endfor
  batch = {};
  if (isfield (c, "batch"))
    batch = c.batch;
  endif
  warning ("off", "adagrad:diverged", "local");
  t = tic ();
  [net, h] = adagrad_train (X, y, "width", job.width, "optimizer", job.optimizer,
                            "eta", eta, params{:}, "maxiter", c.maxiter, "tol", c.tol,
                            "seed", job.seed, "threads", c.threads,
                            "diagnostics", c.diagnostics, batch{:});
  iterations = NaN;
  ## The first step taken (none produced iteration 0).
  step = NaN;
  if (numel (h.step) > 1)
    step = h.step(2);
  endif
  if (strcmp (h.stop, "converged"))
    iterations = net.iter;
  endif
  r = struct ("optimizer", job.optimizer, "b0", job.b0, "width", job.width,
              "seed", job.seed, "eta", eta, "step", step, "iterations", iterations,
              "loss", net.loss, "stop", h.stop, "time", toc (t), "hist", h);
  if (! c.keephist)
    r.hist = [];
  endif
  if (nargin > 4)
    __adagrad_sweepdir__ ("writecell", dir, s, k, r);
  endif
endfunction

%!test
%! [X, y] = adagrad_data (20, 4, "seed", 1);
%! c = struct ("eta", 1, "params", struct ("alpha", 2), "maxiter", 10, "tol", 0,
%!             "diagnostics", 0, "threads", 0, "keephist", false);
%! r = __adagrad_sweep_one__ (X, y, struct ("optimizer", "gd", "b0", 4, "width", 30, "seed", 2), c);
%! assert ([r.eta r.step], [0.25 0.25]);
%! assert (r.stop, "maxiter");
%! assert (isnan (r.iterations));
%! assert (isempty (r.hist));
%! c.keephist = true;
%! r = __adagrad_sweep_one__ (X, y, struct ("optimizer", "adaloss", "b0", 4, "width", 30, "seed", 2), c);
%! assert ([r.eta r.hist.params.alpha r.hist.b0], [1 2 4]);

%!error <JOB must have fields optimizer, b0, width and seed> __adagrad_sweep_one__ (1, 2, struct (), struct ())
