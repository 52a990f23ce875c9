## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {@var{r} =} __adagrad_sweep_one__ (@var{X}, @var{y}, @var{job}, @var{common})
## Internal: one grid point of @code{adagrad_sweep} (a function file of its
## own, so that octave-parallel's worker processes can call it).  @var{job}
## has fields optimizer, b0, width and seed; @var{common} eta, alpha, maxiter,
## tol, diagnostics, threads and keephist.
## @end deftypefn

function r = __adagrad_sweep_one__ (X, y, job, c)
  eta = c.eta;
  if (strcmp (job.optimizer, "gd"))
    eta = c.eta / job.b0;
  endif
  warning ("off", "adagrad:diverged", "local");
  t = tic ();
  [net, h] = adagrad_train (X, y, "width", job.width, "optimizer", job.optimizer,
                            "eta", eta, "b0", job.b0, "alpha", c.alpha,
                            "maxiter", c.maxiter, "tol", c.tol, "seed", job.seed,
                            "threads", c.threads, "diagnostics", c.diagnostics);
  iterations = NaN;
  step = h.step(1);
  if (strcmp (h.stop, "converged"))
    iterations = net.iter;
  endif
  r = struct ("optimizer", job.optimizer, "b0", job.b0, "width", job.width,
              "seed", job.seed, "eta", eta, "step", step, "iterations", iterations,
              "loss", net.loss, "stop", h.stop, "time", toc (t), "hist", h);
  if (! c.keephist)
    r.hist = [];
  endif
endfunction

%!test
%! [X, y] = adagrad_data (20, 4, "seed", 1);
%! c = struct ("eta", 1, "alpha", 1, "maxiter", 10, "tol", 0, "diagnostics", 0,
%!             "threads", 0, "keephist", false);
%! r = __adagrad_sweep_one__ (X, y, struct ("optimizer", "gd", "b0", 4, "width", 30, "seed", 2), c);
%! assert ([r.eta r.step], [0.25 0.25]);
%! assert (r.stop, "maxiter");
%! assert (isnan (r.iterations));
%! assert (isempty (r.hist));

%!error __adagrad_sweep_one__ (1, 2, struct (), struct ())
