## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{W}, @var{state}, @var{step}, @var{info}] =} adagrad_step (@var{W}, @var{G}, @var{state}, @var{rule})
## @deftypefnx {} {[@dots{}] =} adagrad_step (@var{W}, @var{G}, @var{state}, @var{rule}, @var{name}, @var{value}, @dots{})
## @deftypefnx {} {[@dots{}] =} adagrad_step (@var{W}, @var{G}, @var{state}, @var{rule}, @var{params}, @dots{})
## One step of a rule of @code{adagrad_train} from the gradient @var{G} at
## @var{W}: the optimizer state is updated first, then @var{W}.
##
## @var{rule} is a rule name (@qcode{"gd"}, @qcode{"adagrad-norm"},
## @qcode{"adaloss"}, @qcode{"momentum"}, @qcode{"nesterov"},
## @qcode{"adagrad"}, @qcode{"rmsprop"}, @qcode{"adam"}; the updates are in
## @code{help adagrad_train}).  @var{state} is the rule's state, as
## @code{adagrad_init} creates it (@code{net.state}) or as the previous call
## returned it; @code{[]} starts from the initial state the parameters give.
## The hyper-parameters come as name/value pairs or as a struct @var{params}
## with those fields (pairs after it override it):
##
## @table @asis
## @item @qcode{"eta"} (default: the rule's, 1 for every rule but WNGrad's 1e-2)
## The learning rate (>= 0).
## @item the rule's parameters
## @qcode{"b0"}, @qcode{"alpha"}, @qcode{"momentum"}, @qcode{"epsilon"},
## @qcode{"rho"}, @qcode{"beta1"}, @qcode{"beta2"} and those of the
## tuning-free rules @qcode{"wngrad"}, @qcode{"dog"}, @qcode{"dowg"}, @qcode{"polyak"}, @qcode{"dadapt-sgd"}, @qcode{"prodigy"}, @qcode{"schedule-free"}, @qcode{"cocob"}: @qcode{"reps"}, @qcode{"stepmax"}, @qcode{"fmin"}, @qcode{"d0"}, @qcode{"growth"}, @qcode{"beta3"}, @qcode{"dcoef"}, @qcode{"warmup"}, @qcode{"r"}, @qcode{"weightpower"} (see @code{adagrad_train}; default: the rule's own).
## @item @qcode{"resnorm"}, @qcode{"n"}
## For @qcode{"adaloss"} and @qcode{"polyak"} (required there): @code{norm
## (y - u)} at @var{W} and the number of samples (Polyak's step reads the
## loss @code{0.5 * resnorm^2}, the squared loss).  Schedule-free takes its
## gradient at @code{state.y} once it has stepped (at @var{W} the first
## time): @var{W} is its evaluation point x.  @code{adagrad_train} uses
## @code{sqrt (2 * loss)} with the loss @code{adagrad_gradient} returns: give
## that to follow its trajectory bitwise.
## @item @qcode{"threads"} (default 0)
## Threads of the C core (0: OpenMP's default).
## @end table
##
## @var{step} is the effective step
## @code{norm (W_new - W, "fro") / norm (G, "fro")} (NaN when G is 0), as in
## @code{hist.step} of @code{adagrad_train}; @var{info} has fields
## @code{step}, @code{rate} (the rule's own scalar: @code{eta / b},
## @var{eta}, or the median of the per-coordinate steps), @code{ratelo} and
## @code{ratehi} (its 10% and 90% quantiles) and @code{gnorm}
## (@code{norm (G, "fro")}).  Computed in C (MEX @code{__adagrad_step__});
## a single @var{W} or @var{G} gives a single @var{W} and state arrays (each
## entry updated in double, then rounded), while scalars stay double.  A loop
## of @code{adagrad_gradient} and @code{adagrad_step} follows the same
## trajectory as @code{adagrad_train}:
##
## @example
## net = adagrad_init (columns (X), 500, "optimizer", "adam", "seed", 1);
## [W, state] = deal (net.W, net.state);
## for k = 1:100
##   G = adagrad_gradient (W, net.a, X, y);
##   [W, state] = adagrad_step (W, G, state, "adam", "eta", 0.01);
## endfor
## @end example
## @seealso{adagrad_gradient, adagrad_train, adagrad_init}
## @end deftypefn

function [W, state, step, info] = adagrad_step (W, G, state, rule, varargin)
  fname = "adagrad_step";
  __adagrad_built__ (fname);
  if (nargin < 4)
    __adagrad_usage__ (fname);
  endif
  args = varargin;
  if (! isempty (args) && isstruct (args{1}))
    p = args{1};
    if (! isscalar (p))
      error ("adagrad:badinput", "%s: PARAMS must be a scalar struct", fname);
    endif
    args = [reshape([fieldnames(p)'; struct2cell(p)'], 1, []), args(2:end)];
  endif
  defaults = struct ("eta", [], "resnorm", [], "n", [], "threads", 0);
  o = __adagrad_options__ (fname, __adagrad_optimizer__ ("options", defaults), args{:});
  eta = [];
  if (! isempty (o.eta))
    eta = __adagrad_check__ (fname, "ETA", o.eta, "nonnegative");
  endif
  threads = __adagrad_check__ (fname, "THREADS", o.threads, "threads");
  given = __adagrad_optimizer__ ("given", o);
  if (! ischar (rule))
    error ("adagrad:badinput", "%s: RULE must be the name of a built-in rule", fname);
  endif
  opt = __adagrad_optimizer__ ("resolve", fname, rule, eta, given, []);
  W = __adagrad_check__ (fname, "W", W, "matrix", [NaN NaN]);
  G = __adagrad_check__ (fname, "G", G, "matrix", size (W));
  [W, G] = __adagrad_same_class__ (W, G);
  [resnorm, n] = deal (0, 1);
  if (__adagrad_optimizer__ ("info", opt.rule).uses_residual)
    if (isempty (o.resnorm) || isempty (o.n))
      error ("adagrad:badinput", "%s: the %s rule needs RESNORM and N", fname, opt.rule);
    endif
    resnorm = __adagrad_check__ (fname, "RESNORM", o.resnorm, "nonnegative");
    n = __adagrad_check__ (fname, "N", o.n, "posint");
  endif
  if (isempty (state))
    state = __adagrad_optimizer__ ("state", opt, rows (W), columns (W), class (W));
  else
    state = __adagrad_optimizer__ ("checkstate", fname, opt, state, rows (W), columns (W));
    state = __adagrad_optimizer__ ("cast", opt.rule, state, class (W));
  endif
  c = struct ("rule", opt.rule, "eta", opt.eta, "params", opt.params, "resnorm", resnorm,
              "n", n, "threads", threads);
  [W, state, info] = __adagrad_step__ (W, G, state, c);
  step = info.step;
endfunction

%!demo
%! ## AdaLoss by hand: b grows while the loss is large, then settles.
%! [X, y] = adagrad_data (50, 10, "seed", 1);
%! net = adagrad_init (10, 500, "seed", 2, "b0", 0.1, "alpha", 0.1);
%! [W, state] = deal (net.W, net.state);
%! for k = 1:200
%!   [G, L] = adagrad_gradient (W, net.a, X, y);
%!   [W, state, step] = adagrad_step (W, G, state, "adaloss", net.params,
%!                                    "resnorm", sqrt (2 * L), "n", numel (y));
%!   if (any (k == [1 10 50 200]))
%!     printf ("k = %3d  loss %.3e  b %.4f  step %.4f\n", k, L, state.b, step);
%!   endif
%! endfor

%!shared W, G
%! W = [1 2; 3 4]; G = [0.5 -1; 2 0];

%!test
%! [W1, s, step] = adagrad_step (W, G, [], "gd", "eta", 0.3);
%! assert (W1, W - 0.3 * G, eps);
%! assert (s, struct ());
%! assert (step, 0.3, 1e-15);

%!test
%! [W1, s, step, info] = adagrad_step (W, G, struct ("b", 2), "adagrad-norm", "eta", 0.3);
%! assert (s.b, sqrt (4 + 5.25), eps);
%! assert (info.rate, 0.3 / sqrt (9.25), eps);
%! assert (W1, W - info.rate * G, 4 * eps);
%! assert ([info.ratelo info.ratehi info.gnorm], [info.rate info.rate sqrt(5.25)], eps);
%! assert (step, norm (W1 - W, "fro") / norm (G, "fro"), eps);
%! assert (step, info.rate, 1e-15);

%!test
%! [W1, s] = adagrad_step (W, G, struct ("b", 2), "adaloss", "eta", 0.3, "alpha", 0.5,
%!                         "resnorm", 3, "n", 4);
%! assert (s.b, sqrt (4 + 0.25 * 2 * 3), eps);
%! assert (W1, W - 0.3 / sqrt (5.5) * G, 4 * eps);
%! ## A struct of parameters, later pairs winning; [] state from b0.
%! [W2, s2] = adagrad_step (W, G, [], "adaloss", struct ("eta", 0.3, "alpha", 9, "b0", 2),
%!                          "alpha", 0.5, "resnorm", 3, "n", 4);
%! assert ({W2, s2}, {W1, s});

%!test
%! ## Momentum and Nesterov: v = mu v + G, then the step.
%! v = [1 0; 0 1];
%! [W1, s] = adagrad_step (W, G, struct ("v", v), "momentum", "eta", 0.1, "momentum", 0.5);
%! assert (s.v, 0.5 * v + G, eps);
%! assert (W1, W - 0.1 * (0.5 * v + G), 4 * eps);
%! [W2, s2] = adagrad_step (W, G, struct ("v", v), "nesterov", "eta", 0.1, "momentum", 0.5);
%! assert (s2.v, s.v);
%! assert (W2, W - 0.1 * (G + 0.5 * s.v), 4 * eps);
%! ## The effective step ||W_new - W|| / ||G||, not the rate eta.
%! [~, ~, step, info] = adagrad_step (W, G, struct ("v", v), "momentum", "eta", 0.1,
%!                                    "momentum", 0.5);
%! assert (step, 0.1 * norm (0.5 * v + G, "fro") / norm (G, "fro"), 1e-15);
%! assert (info.rate, 0.1);
%! ## A zero gradient moves W here, but has no effective step.
%! [W3, ~, step] = adagrad_step (W, zeros (2), struct ("v", v), "momentum", "eta", 0.1);
%! assert (! isequal (W3, W) && isnan (step));

%!test
%! ## AdaGrad, RMSprop and Adam per coordinate, against their formulas.
%! [W1, s, step, info] = adagrad_step (W, G, [], "adagrad", "eta", 0.1, "b0", 0.5);
%! assert (s.s, 0.25 + G .^ 2, eps);
%! assert (W1, W - 0.1 * G ./ (sqrt (0.25 + G .^ 2) + 1e-10), 4 * eps);
%! q = sort (0.1 ./ (sqrt (s.s(:)) + 1e-10));
%! assert ([info.ratelo info.rate info.ratehi], q([1 2 4])', 2 ^ -9 * max (q));
%! assert (step, norm (W1 - W, "fro") / norm (G, "fro"), 4 * eps);
%! [W1, s] = adagrad_step (W, G, struct ("s", ones (2)), "rmsprop", "eta", 0.1, "rho", 0.9);
%! assert (s.s, 0.9 + 0.1 * G .^ 2, eps);
%! assert (W1, W - 0.1 * G ./ (sqrt (s.s) + 1e-8), 4 * eps);
%! st = struct ("t", 1, "M", ones (2), "V", ones (2));
%! [W1, s] = adagrad_step (W, G, st, "adam", "eta", 0.1);
%! M = 0.9 + 0.1 * G; V = 0.999 + 0.001 * G .^ 2;
%! assert ([s.t; s.M(:); s.V(:)], [2; M(:); V(:)], eps);
%! assert (W1, W - 0.1 * (M / (1 - 0.9 ^ 2)) ./ (sqrt (V / (1 - 0.999 ^ 2)) + 1e-8), 8 * eps);

%!test
%! ## eta = 0 leaves W unchanged; b never decreases.
%! [W1, s] = adagrad_step (W, G, struct ("b", 2), "adagrad-norm", "eta", 0);
%! assert (W1, W);
%! assert (s.b >= 2);
%! [W1, s] = adagrad_step (W, zeros (2), struct ("b", 2), "adaloss", "resnorm", 0, "n", 5);
%! assert (W1, W);
%! assert (s.b, 2);

%!test
%! ## Single W: single result and state arrays (updated in double, then rounded), double b.
%! [W1, s, step] = adagrad_step (single (W), G, struct ("b", 2), "adagrad-norm", "eta", 0.3);
%! assert ({class(W1), class(s.b)}, {"single", "double"});
%! assert (W1, single (W - step * G));
%! [W1, s] = adagrad_step (single (W), G, [], "momentum");
%! assert ({class(W1), class(s.v)}, {"single", "single"});

%!error <Invalid call> adagrad_step (W, G, [])
%!error <adagrad_step: OPTIMIZER must be one of "gd"> adagrad_step (W, G, [], "sgd")
%!error <adagrad_step: RULE must be the name of a built-in rule> adagrad_step (W, G, [], @sin)
%!error <adagrad_step: the adaloss rule needs RESNORM and N> adagrad_step (W, G, [], "adaloss")
%!error <adagrad_step: the gd rule has no parameter ALPHA> adagrad_step (W, G, [], "gd", "alpha", 2)
%!error <adagrad_step: ALPHA must be a finite real scalar in \(0, Inf\)> adagrad_step (W, G, [], "adaloss", "alpha", 0, "resnorm", 1, "n", 2)
%!error <adagrad_step: RESNORM must be a nonnegative> adagrad_step (W, G, [], "adaloss", "resnorm", -1, "n", 2)
%!error <adagrad_step: N must be a positive integer> adagrad_step (W, G, [], "adaloss", "resnorm", 1, "n", 0)
%!error <adagrad_step: G must be 2 rows by 2 columns \(got 2-by-3\)> adagrad_step (W, [G G(:,1)], [], "gd")
%!error <adagrad_step: ETA must be a nonnegative> adagrad_step (W, G, [], "gd", "eta", -1)
%!error <adagrad_step: STATE.b must be positive> adagrad_step (W, G, struct ("b", 0), "adagrad-norm")
%!error <adagrad_step: STATE.b must be a finite real scalar> adagrad_step (W, G, struct ("b", NaN), "adagrad-norm")
%!error <adagrad_step: the state of the adam rule must be a struct with fields t, M, V> adagrad_step (W, G, struct ("b", 1), "adam")
%!error <adagrad_step: STATE.v must be 2 rows by 2 columns> adagrad_step (W, G, struct ("v", 1), "momentum")
%!error <adagrad_step: PARAMS must be a scalar struct> adagrad_step (W, G, [], "gd", struct ("eta", {1, 2}))
%!error <adagrad_step: unknown option "beta"> adagrad_step (W, G, [], "adam", "beta", 1)
