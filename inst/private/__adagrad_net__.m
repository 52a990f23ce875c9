## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{net} =} __adagrad_net__ ("new", @var{W}, @var{a}, @var{opt}, @var{seed})
## @deftypefnx {} {@var{net} =} __adagrad_net__ ("check", @var{fname}, @var{net}, @var{d})
## @deftypefnx {} {[@var{W}, @var{a}] =} __adagrad_net__ ("model", @var{fname}, @var{net})
## @deftypefnx {} {@var{net} =} __adagrad_net__ ("draw", @var{fname}, @var{d}, @var{m}, @var{opt}, @var{seed}, @var{init}, @var{K})
## Internal: the network struct, its defaults and its validation, for
## @code{adagrad_init}, @code{adagrad_train}, @code{adagrad_predict} and
## @code{adagrad_check}.
##
## A network has fields @code{W} (m-by-d), @code{a} (m-by-K, fixed: one
## column per output; m-by-1 for one output),
## @code{W0}, @code{iter}, @code{optimizer} (a rule name or a function
## handle), @code{eta}, @code{params} (the rule's parameters), @code{state}
## (the optimizer state), @code{loss}, @code{seed}, @code{seen} (the rows
## the steps so far used: the position in the mini-batch schedule) and
## @code{batchseed} (the schedule's seed; empty until a mini-batch run sets it).
##
## @qcode{"new"}: a network at iteration 0 with the initial state of the
## optimizer struct @var{opt} (from @code{__adagrad_optimizer__}).
## @qcode{"check"}: @var{net} validated for inputs in R^@var{d}; missing
## fields get their defaults (the state from the parameters), and the fields
## of version 0.1 networks (@code{b}, @code{b0}, @code{alpha}) are taken
## over.  @qcode{"model"}: the checked @code{W} and @code{a} only.
## @qcode{"draw"}: a new network of width @var{m} on R^@var{d}, drawn with
## @var{seed}, with @var{K} outputs (default 1): @var{init} @qcode{"random"}:
## rows of W from N(0, I), then the entries of a (m-by-K, column by column)
## from +-1; @qcode{"symmetric"} (@var{m} even): the first m/2 units so
## drawn (from the same seed, a network of width m/2), unit r + m/2 a copy
## of unit r with the opposite output weights, so that f(W0, a, x) = 0 (up
## to rounding).
## @end deftypefn

function varargout = __adagrad_net__ (what, varargin)
  switch (what)
    case "new"
      [W, a, opt, seed] = deal (varargin{:});
      state = __adagrad_optimizer__ ("state", opt, rows (W), columns (W), class (W));
      varargout{1} = struct ("W", W, "a", a, "W0", W, "iter", 0, "optimizer", opt.rule,
                             "eta", opt.eta, "params", opt.params, "state", state,
                             "loss", NaN, "seed", seed, "seen", 0, "batchseed", seed);
    case "check"
      varargout{1} = check (varargin{:});
    case "model"
      [fname, net] = deal (varargin{:});
      [varargout{1}, varargout{2}] = model (fname, net, NaN);
    case "draw"
      varargout{1} = draw (varargin{:});
    otherwise
      error ("adagrad:internal", "__adagrad_net__: unknown request \"%s\"", what);
  endswitch
endfunction

function net = draw (fname, d, m, opt, seed, init, K = 1)
  init = __adagrad_check__ (fname, "INIT", init, "choice", {"random", "symmetric"});
  h = m;
  if (strcmp (init, "symmetric"))
    if (mod (m, 2) != 0)
      error ("adagrad:badinput",
             "%s: INIT \"symmetric\" pairs the hidden units: the width must be even (got %d)",
             fname, m);
    endif
    h = m / 2;
  endif
  try
    [W, a] = __adagrad_draw__ (seed, @() randn (h, d), @() 2 * (rand (h, K) < 0.5) - 1);
    if (h < m)
      [W, a] = deal ([W; W], [a; -a]);
    endif
    net = __adagrad_net__ ("new", W, a, opt, seed);
  catch err
    __adagrad_nomemory__ (err, fname, "a %d-by-%d network", m, d);
  end_try_catch
endfunction

function [W, a] = model (fname, net, d)
  if (! isstruct (net) || ! isscalar (net) || ! all (isfield (net, {"W", "a"})))
    error ("adagrad:badinput",
           "%s: NET must be a network struct with fields W and a (see adagrad_init)", fname);
  endif
  W = __adagrad_check__ (fname, "NET.W", net.W, "matrix", [NaN d]);
  a = __adagrad_check__ (fname, "NET.a", net.a, "outmatrix", [rows(W) NaN]);
endfunction

function net = check (fname, net, d)
  [W, a] = model (fname, net, d);
  [net.W, net.a] = deal (W, a);
  [m, d] = size (net.W);
  defaults = struct ("W0", net.W, "iter", 0, "optimizer", __adagrad_optimizer__ ("default"),
                     "eta", 1,
                     "params", [], "loss", NaN, "seed", []);
  for f = fieldnames (defaults)'
    if (! isfield (net, f{1}))
      net.(f{1}) = defaults.(f{1});
    endif
  endfor
  ## Networks of version 0.2 and earlier trained on full batches only: the
  ## rows they used are iter * n, which adagrad_train fills in (empty here).
  if (! isfield (net, "seen"))
    net.seen = [];
  elseif (! isempty (net.seen))
    net.seen = __adagrad_check__ (fname, "NET.seen", net.seen, "count");
  endif
  if (! isfield (net, "batchseed"))
    net.batchseed = net.seed;
  endif
  if (! isempty (net.batchseed))
    net.batchseed = __adagrad_check__ (fname, "NET.batchseed", net.batchseed, "seed");
  endif
  net.W0 = __adagrad_check__ (fname, "NET.W0", net.W0, "matrix", [m d]);
  net.iter = __adagrad_check__ (fname, "NET.iter", net.iter, "count");
  net.eta = __adagrad_check__ (fname, "NET.eta", net.eta, "nonnegative");
  ## Version 0.1 kept b0 and alpha at the top and the state in b.
  base = net.params;
  if (! isempty (base) && ! (isstruct (base) && isscalar (base)))
    error ("adagrad:badinput", "%s: NET.params must be a struct", fname);
  endif
  legacy = struct ();
  for f = {"b0", "alpha"}
    if (isfield (net, f{1}))
      legacy.(f{1}) = net.(f{1});
    endif
  endfor
  if (isfield (net, "b") && ! isfield (legacy, "b0"))
    legacy.b0 = net.b;
  endif
  if (isempty (base))
    base = legacy;
  endif
  try
    opt = __adagrad_optimizer__ ("resolve", fname, net.optimizer, net.eta, struct (), base);
  catch err
    error (err.identifier, "%s", strrep (err.message, "OPTIMIZER", "NET.optimizer"));
  end_try_catch
  net.optimizer = opt.rule;
  net.params = opt.params;
  if (! isfield (net, "state") || (isempty (net.state) && ! is_function_handle (opt.rule)))
    net.state = __adagrad_optimizer__ ("state", opt, m, d, class (net.W));
    if (isfield (net, "b") && isfield (net.state, "b"))
      net.state.b = __adagrad_check__ (fname, "NET.b", net.b, "positive");
    endif
  endif
  net.state = __adagrad_optimizer__ ("checkstate", fname, opt, net.state, m, d);
  net = rmfield (net, intersect (fieldnames (net), {"b", "b0", "alpha"}));
endfunction

%!test
%! opt = __adagrad_optimizer__ ("resolve", "f", "adaloss", 0.5, struct ("b0", 2), []);
%! net = __adagrad_net__ ("new", ones (3, 2), [1; -1; 1], opt, 4);
%! assert (net.state, struct ("b", 2));
%! assert (net.params, struct ("b0", 2, "alpha", 1));
%! assert ([net.iter net.eta net.seed], [0 0.5 4]);
%! assert (isequaln (net, __adagrad_net__ ("check", "f", net, 2)));

%!test
%! ## A bare struct is completed; a version 0.1 network is taken over.
%! net = __adagrad_net__ ("check", "f", struct ("W", ones (3, 2), "a", [1 1 1]), 2);
%! assert ({net.optimizer, net.state.b, net.W0}, {"adaloss", 1, ones(3, 2)});
%! old = struct ("W", ones (3, 2), "a", [1; 1; 1], "b", 0.7, "b0", 0.2, "alpha", 3,
%!               "optimizer", "adagrad-norm", "eta", 2, "iter", 5);
%! net = __adagrad_net__ ("check", "f", old, 2);
%! assert ({net.state.b, net.params.b0, net.iter}, {0.7, 0.2, 5});
%! assert (! any (isfield (net, {"b", "b0", "alpha"})));
%! net = __adagrad_net__ ("check", "f", setfield (old, "optimizer", "momentum"), 2);
%! assert (net.state.v, zeros (3, 2));
%! [W, a] = __adagrad_net__ ("model", "f", old);
%! assert (a, ones (3, 1));

%!error <f: NET must be a network struct with fields W and a> __adagrad_net__ ("model", "f", 3)
%!error <f: NET must be a network struct> __adagrad_net__ ("check", "f", struct ("W", {1, 2}, "a", 1), 1)
%!error <f: NET.W must be any number of rows by 2 columns> __adagrad_net__ ("check", "f", struct ("W", 1, "a", 1), 2)
%!error <f: NET.W0 must be 1 rows by 1 columns> __adagrad_net__ ("check", "f", struct ("W", 1, "a", 1, "W0", [1 2]), 1)
%!error <f: NET.optimizer must be one of> __adagrad_net__ ("check", "f", struct ("W", 1, "a", 1, "optimizer", "x"), 1)
%!error <f: NET.eta must be a nonnegative> __adagrad_net__ ("check", "f", struct ("W", 1, "a", 1, "eta", -1), 1)
%!error <f: NET.iter must be a non-negative integer> __adagrad_net__ ("check", "f", struct ("W", 1, "a", 1, "iter", 0.5), 1)
%!error <f: NET.params must be a struct> __adagrad_net__ ("check", "f", struct ("W", 1, "a", 1, "params", 3), 1)
%!error <f: NET.b must be a positive> __adagrad_net__ ("check", "f", struct ("W", 1, "a", 1, "b", -1, "b0", 1), 1)
%!error <f: the state of the adam rule must be a struct> __adagrad_net__ ("check", "f", struct ("W", 1, "a", 1, "optimizer", "adam", "state", 1), 1)
%!error id=adagrad:internal __adagrad_net__ ("x")
