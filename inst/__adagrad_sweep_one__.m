## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{r} =} __adagrad_sweep_one__ (@var{X}, @var{y}, @var{job}, @var{common})
## @deftypefnx {} {@var{r} =} __adagrad_sweep_one__ (@var{X}, @var{y}, @var{job}, @var{common}, @var{dir}, @var{s}, @var{k})
## Internal: one grid point of @code{adagrad_sweep} (a function file of its
## own, so that octave-parallel's worker processes can call it).  @var{job}
## has fields optimizer, b0, width and seed, and one for each further axis
## of the grid (an option of adagrad_train, or a rule parameter, passed to
## the rules that have it; batchsize Inf: full batch); @var{common} eta,
## params (the rule parameters given to the sweep, each passed to the rules
## that have it), maxiter, tol, diagnostics, threads, keephist, batch
## (options of adagrad_train for mini-batches, or empty), and optionally
## sampling, options (further options of adagrad_train), validation,
## ruleparams (PARAMS of the rules written in Octave) and fcns (their
## handles by name, "@name": the rule of a job whose optimizer is such a
## name).  Given the sweep folder
## @var{dir}, its sweep @var{s} and the cell @var{k}, the result is written
## there as cell @var{k} as soon as it is known (the local engine with a
## folder: what is done survives a kill).
## @end deftypefn

function r = __adagrad_sweep_one__ (X, y, job, c, dir, s, k)
  if (! isstruct (job) || ! all (isfield (job, {"optimizer", "b0", "width", "seed"})))
    error ("adagrad:internal",
           "__adagrad_sweep_one__: JOB must have fields optimizer, b0, width and seed");
  endif
  ## The settings of the cell: the sweep's, with the job's axes over them.
  extra = setdiff (fieldnames (job), {"optimizer", "b0", "width", "seed", "scale"}, "stable")';
  set = struct ("eta", c.eta, "maxiter", c.maxiter, "tol", c.tol,
                "diagnostics", c.diagnostics);
  if (isfield (c, "options"))
    for f = fieldnames (c.options)'
      set.(f{1}) = c.options.(f{1});
    endfor
  endif
  params = c.params;
  batch = {};
  if (isfield (c, "batch"))
    batch = c.batch;
  endif
  sampling = "shuffle";
  if (isfield (c, "sampling"))
    sampling = c.sampling;
  elseif (numel (batch) == 4)
    sampling = batch{4};
  endif
  pnames = __adagrad_optimizer__ ("paramnames");
  for f = extra
    v = job.(f{1});
    if (any (strcmp (f{1}, pnames)))
      params.(f{1}) = v;
    elseif (strcmp (f{1}, "batchsize"))
      batch = merge (isinf (v), {}, {"batchsize", v});
    elseif (! strcmp (f{1}, "sampling"))
      set.(f{1}) = v;
    endif
  endfor
  if (isfield (job, "sampling"))
    sampling = job.sampling;
  endif
  if (! isempty (batch))
    batch = {"batchsize", batch{2}, "sampling", sampling};
  endif
  ## A rule written in Octave: its handle, which the caller keeps (a sweep
  ## folder holds its name only).
  rule = job.optimizer;
  own = {};
  if (strncmp (rule, "@", 1))
    fcns = struct ("name", {});
    if (isfield (c, "fcns"))
      fcns = c.fcns;
    endif
    h = find (strcmp ({fcns.name}, rule), 1);
    if (isempty (h))
      error ("adagrad:sweep", "adagrad_sweep: the rule %s of this cell was not given", rule);
    endif
    rule = fcns(h).fcn;
    if (isfield (c, "ruleparams") && ! isempty (c.ruleparams))
      own = {"params", c.ruleparams};
    endif
  endif
  ## A rule with a b0 gets it; the others take eta/b0 as their learning rate
  ## (eta: the sweep's, else the rule's default).  On the knob axis (SCALE)
  ## the rule's knob is SCALE times its unit instead.
  info = __adagrad_optimizer__ ("info", rule);
  rnames = {info.params.name};
  args = {};
  eta = set.eta;
  if (isempty (eta))
    eta = info.eta_default;
  endif
  knob = NaN;
  if (isfield (job, "scale"))
    K = c.knobs(strcmp ({c.knobs.rule}, job.optimizer));
    knob = job.scale * K.unit;
    if (strcmp (K.param, "eta"))
      eta = knob;
    else
      params.(K.param) = knob;
    endif
    if (any (strcmp (rnames, "b0")) && ! strcmp (K.param, "b0"))
      args = {"b0", job.b0};
    endif
  elseif (any (strcmp (rnames, "b0")))
    args = {"b0", job.b0};
  else
    eta = eta / job.b0;
  endif
  for p = rnames
    if (isfield (params, p{1}) && (! strcmp (p{1}, "b0") || isfield (job, "scale")))
      args(end+1:end+2) = {p{1}, params.(p{1})};
    endif
  endfor
  for f = setdiff (fieldnames (set), {"eta"})'
    args(end+1:end+2) = {f{1}, set.(f{1})};
  endfor
  if (isfield (c, "validation") && ! isempty (c.validation))
    args(end+1:end+2) = {"validation", c.validation};
  endif
  warning ("off", "adagrad:diverged", "local");
  warning ("off", "adagrad:undefined", "local");
  ## A tolerance relative to the loss of the cell's own initial network.
  if (isfield (c, "reltol") && c.reltol > 0)
    keep = ! ismember (args(1:2:end), {"tol", "maxiter", "validation"});
    a0 = reshape (args, 2, [])(:, keep)(:)';
    [~, h0] = adagrad_train (X, y, "width", job.width, "optimizer", rule, "eta", eta, a0{:},
                             own{:}, "seed", job.seed, "maxiter", 0, "tol", 0);
    it = find (strcmp (args(1:2:end), "tol"));
    args{2 * it} = c.reltol * h0.loss(1);
  endif
  t = tic ();
  [net, h] = adagrad_train (X, y, "width", job.width, "optimizer", rule, "eta", eta, args{:},
                            own{:}, "seed", job.seed, "threads", c.threads, batch{:});
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
              "seed", job.seed);
  if (isfield (job, "scale"))
    [r.scale, r.knob] = deal (job.scale, knob);
  endif
  for f = extra
    r.(f{1}) = job.(f{1});
  endfor
  r.eta = eta;
  [r.step, r.iterations, r.loss, r.stop, r.time, r.hist] = deal (step, iterations, net.loss,
                                                                 h.stop, toc (t), h);
  ## The result is data: a rule written in Octave by its name.
  r.hist.optimizer = job.optimizer;
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
