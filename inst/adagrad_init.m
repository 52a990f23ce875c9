## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{net} =} adagrad_init (@var{d}, @var{m})
## @deftypefnx {} {@var{net} =} adagrad_init (@var{d}, @var{m}, @var{name}, @var{value}, @dots{})
## Create a two-layer ReLU network with @var{m} hidden units on inputs in
## R^@var{d}, initialized as in Du et al. and Wu, Du & Ward.
##
## Each row @code{w_r} of the @var{m}-by-@var{d} first-layer matrix @code{W}
## is drawn from N(0, I); the output weights @code{a_r} are drawn uniformly
## from @{-1, +1@} and stay fixed during training.  The network computes
## @code{f(W, a, x) = sum_r a_r * max (w_r' * x, 0) / sqrt (m)}.
##
## Options:
##
## @table @asis
## @item @qcode{"seed"} (default @code{[]})
## An integer from 0 to 2^32-1: draw from a generator seeded with it, leaving
## the global @code{rand}/@code{randn} state as it was (distinct seeds give
## distinct networks; larger seeds are refused, since the generators would
## repeat them).  Empty: draw from the global generators.
## @item @qcode{"optimizer"} (default @qcode{"adaloss"})
## A step rule of @code{adagrad_train} (@qcode{"gd"}, @qcode{"adagrad-norm"},
## @qcode{"adaloss"}, @qcode{"momentum"}, @qcode{"nesterov"},
## @qcode{"adagrad"}, @qcode{"rmsprop"}, @qcode{"adam"}; or a function
## handle), stored with its initial state for @code{adagrad_train} and
## @code{adagrad_step}.
## @item @qcode{"init"} (default @qcode{"random"})
## @qcode{"random"}: as above.  @qcode{"symmetric"} (@var{m} even): the
## first m/2 units are drawn as above (the network of width m/2 that the
## same seed gives), and unit r + m/2 is a copy of unit r with the opposite
## output weight, so that the network's output at W0 is 0 for every input
## (in exact arithmetic; computed, about 1e-16: the residual at the start is
## -y, the first loss 0.5 ||y||^2: the usual trick of the
## NTK literature, which removes the random initial output from the
## function the network learns; H(W0) is then that of the m/2 distinct
## units).
## @item @qcode{"outputs"} (default 1)
## K, the network's outputs: @code{a} is then m-by-K (each entry from
## @{-1, +1@}, drawn after W, column by column) and the network computes
## @code{U = relu (X * W') * a / sqrt (m)}, n-by-K: for one-hot targets
## (@code{adagrad_train}'s @qcode{"classes"}) or the @qcode{"softmax"}
## loss over K classes.  K = 1 is the network above, drawn the same.
## @item @qcode{"eta"} (default: the rule's, 1 for every rule but WNGrad's 1e-2) and the rule's parameters
## (@qcode{"b0"}, @qcode{"alpha"}, @qcode{"momentum"}, @qcode{"epsilon"},
## @qcode{"rho"}, @qcode{"beta1"}, @qcode{"beta2"}, @qcode{"reps"}, @qcode{"stepmax"}, @qcode{"fmin"}, @qcode{"d0"}, @qcode{"growth"}, @qcode{"beta3"}, @qcode{"dcoef"}, @qcode{"warmup"}, @qcode{"r"}, @qcode{"weightpower"}; default: the rule's own; the tuning-free rules @qcode{"wngrad"}, @qcode{"dog"}, @qcode{"dowg"}, @qcode{"polyak"}, @qcode{"dadapt-sgd"}, @qcode{"prodigy"}, @qcode{"schedule-free"}, @qcode{"cocob"} as in @code{adagrad_train})
## Hyper-parameters stored for @code{adagrad_train}.
## @end table
##
## The returned struct has fields @code{W}, @code{a}, @code{W0} (a copy of
## @code{W}), @code{iter} (0), @code{optimizer}, @code{eta}, @code{params}
## (every parameter of the rule), @code{state} (the rule's initial state:
## @code{b = b0} for AdaGrad-Norm and AdaLoss, zero arrays @code{v} for
## momentum and Nesterov, @code{s} (@code{b0^2} everywhere for AdaGrad, 0 for
## RMSprop), @code{t = 0} and zero @code{M}, @code{V} for Adam, nothing for
## GD, @code{[]} for a function rule), @code{loss} (NaN until trained) and
## @code{seed}.  @code{adagrad_train} continues from such a struct.
## @seealso{adagrad_train, adagrad_step, adagrad_predict, adagrad_data}
## @end deftypefn

function net = adagrad_init (d, m, varargin)
  if (nargin < 2)
    __adagrad_usage__ ("adagrad_init");
  endif
  fname = "adagrad_init";
  __adagrad_built__ (fname);
  d = __adagrad_check__ (fname, "D", d, "posint");
  m = __adagrad_check__ (fname, "M", m, "posint");
  defaults = struct ("seed", [], "optimizer", __adagrad_optimizer__ ("default"), "eta", [],
                     "init", "random", "outputs", 1);
  opts = __adagrad_options__ (fname, __adagrad_optimizer__ ("options", defaults),
                              varargin{:});
  eta = [];
  if (! isempty (opts.eta))
    eta = __adagrad_check__ (fname, "ETA", opts.eta, "nonnegative");
  endif
  seed = __adagrad_check__ (fname, "SEED", opts.seed, "seed");
  opt = __adagrad_optimizer__ ("resolve", fname, opts.optimizer, eta,
                               __adagrad_optimizer__ ("given", opts), []);
  K = __adagrad_check__ (fname, "OUTPUTS", opts.outputs, "posint");
  net = __adagrad_net__ ("draw", fname, d, m, opt, seed, opts.init, K);
endfunction

%!test
%! ## K outputs: a is m-by-K of +-1; K = 1 draws the same network as before.
%! net = adagrad_init (4, 6, "seed", 3, "outputs", 3);
%! one = adagrad_init (4, 6, "seed", 3);
%! assert (size (net.a), [6 3]);
%! assert (all (abs (net.a(:)) == 1));
%! assert (net.W, one.W);
%! sym = adagrad_init (4, 6, "seed", 3, "outputs", 2, "init", "symmetric");
%! assert (sym.a(4:6, :), -sym.a(1:3, :));
%! assert (adagrad_forward (sym.W, sym.a, randn (5, 4)), zeros (5, 2), 1e-14);
%!error <adagrad_init: OUTPUTS must be a positive integer> adagrad_init (4, 6, "outputs", 0)

%!demo
%! ## First-layer weights are N(0, 1); output weights are fair signs.
%! net = adagrad_init (10, 2000, "seed", 1);
%! printf ("mean(W) = %.3f, var(W) = %.3f, fraction of a = +1: %.3f\n",
%!         mean (net.W(:)), var (net.W(:)), mean (net.a > 0));
%! hist (net.W(:), 50);
%! title ("adagrad\\_init: entries of W");

%!test
%! net = adagrad_init (3, 50, "seed", 7);
%! assert (size (net.W), [50 3]);
%! assert (size (net.a), [50 1]);
%! assert (all (abs (net.a) == 1));
%! assert (net.W0, net.W);
%! assert ([net.state.b net.params.b0 net.iter net.eta net.params.alpha], [1 1 0 1 1]);
%! assert (net.optimizer, "adaloss");
%! assert (isnan (net.loss));

%!test
%! ## Seeded draws repeat and leave the global generators alone.
%! randn ("state", 3); rand ("state", 3);
%! expect_n = randn (); expect_u = rand ();
%! randn ("state", 3); rand ("state", 3);
%! n1 = adagrad_init (4, 30, "seed", 11);
%! assert (randn (), expect_n);
%! assert (rand (), expect_u);
%! n2 = adagrad_init (4, 30, "seed", 11);
%! assert (n2.W, n1.W);
%! assert (n2.a, n1.a);
%! n3 = adagrad_init (4, 30, "seed", 12);
%! assert (any (n3.W(:) != n1.W(:)));

%!test
%! ## Distinct seeds up to 2^32-1 give distinct networks.
%! n1 = adagrad_init (3, 5, "seed", 2^32 - 1);
%! n2 = adagrad_init (3, 5, "seed", 2^32 - 2);
%! n3 = adagrad_init (3, 5, "seed", 0);
%! assert (! isequal (n1.W, n2.W) && ! isequal (n1.W, n3.W));

%!test
%! ## The draws follow N(0, 1) and a fair sign.
%! net = adagrad_init (20, 5000, "seed", 1);
%! assert (mean (net.W(:)), 0, 0.01);
%! assert (var (net.W(:)), 1, 0.02);
%! assert (mean (net.a), 0, 0.05);

%!test
%! net = adagrad_init (2, 4, "optimizer", "ADALOSS", "eta", 0.5, "b0", 3, "alpha", 2);
%! assert (net.optimizer, "adaloss");
%! assert ([net.eta net.state.b net.params.b0 net.params.alpha], [0.5 3 3 2]);
%! net = adagrad_init (2, 4, "optimizer", "gd");
%! assert ({net.params, net.state}, {struct(), struct()});

%!test
%! ## The state of every rule, from the rule table.
%! net = adagrad_init (2, 3, "optimizer", "adam", "beta1", 0.5, "seed", 1);
%! assert (net.state, struct ("t", 0, "M", zeros (3, 2), "V", zeros (3, 2)));
%! assert (net.params, struct ("beta1", 0.5, "beta2", 0.999, "epsilon", 1e-8));
%! net = adagrad_init (2, 3, "optimizer", "adagrad", "b0", 0.5);
%! assert (net.state.s, 0.25 * ones (3, 2));
%! net = adagrad_init (2, 3, "optimizer", "nesterov");
%! assert ([net.params.momentum; net.state.v(:)], [0.9; zeros(6, 1)]);
%! net = adagrad_init (2, 3, "optimizer", @(W, G, s, i) W);
%! assert (isempty (net.state) && is_function_handle (net.optimizer));

%!error <Invalid call> adagrad_init (3)
%!error <adagrad_init: D must be a positive integer> adagrad_init (0, 10)
%!error <adagrad_init: M must be a positive integer> adagrad_init (3, 2.5)
%!error <adagrad_init: OPTIMIZER must be one of> adagrad_init (3, 10, "optimizer", "sgd")
%!error <adagrad_init: the gd rule has no parameter B0> adagrad_init (3, 10, "optimizer", "gd", "b0", 1)
%!error <adagrad_init: BETA2 must be a finite real scalar in \[0, 1\)> adagrad_init (3, 10, "optimizer", "adam", "beta2", 2)
%!error <adagrad_init: ETA must be a nonnegative> adagrad_init (3, 10, "eta", -1)
%!error <adagrad_init: B0 must be a finite real scalar in \(0, Inf\)> adagrad_init (3, 10, "b0", 0)
%!error <adagrad_init: ALPHA must be a finite real scalar in \(0, Inf\)> adagrad_init (3, 10, "alpha", NaN)
%!error <adagrad_init: SEED must be a non-negative integer> adagrad_init (3, 10, "seed", -1)
%!error <adagrad_init: SEED must be at most 2\^32-1> adagrad_init (3, 10, "seed", 1e10)
%!error <adagrad_init: unknown option "width"> adagrad_init (3, 10, "width", 5)
