## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{lin} =} adagrad_linearized (@var{net}, @var{hist}, @var{X}, @var{y})
## @deftypefnx {} {@var{lin} =} adagrad_linearized (@dots{}, @var{name}, @var{value}, @dots{})
## A finished run against its linearized dynamics: the kernel regime of
## the theory, measured.
##
## A wide network trains like its linearization: the residual
## @code{e(k) = u(k) - y} follows
## @code{e(k+1) = (I - s_k H) e(k)} with H the infinite-width Gram matrix
## H_inf (@code{adagrad_gram (X)}) or, with @qcode{"kernel", "init"}, the
## empirical one at the start, H(W(0)), and s_k the effective step the run
## took from iterate k (@code{hist.rate} of iterate k+1, the rule's own
## scalar: eta for gradient descent, eta/b(k+1) for AdaGrad-Norm and
## AdaLoss; @code{hist.step}, measured on the stored W, equals it up to
## their rounding).  This holds for the
## rules whose update is a multiple of the gradient (gd, adagrad-norm,
## adaloss); momentum and Nesterov (which add earlier gradients), the
## per-coordinate rules (adagrad, rmsprop, adam), rules written in Octave
## and mini-batch runs are refused.
##
## The run is replayed from @code{net.W0} with its own settings (the C loop
## is deterministic: the replay's losses must equal @code{hist.loss}
## bitwise, else it is an error), recording the network's outputs u(k)
## every @qcode{"every"} iterations (default 1) and at the last iterate.
## The linearized residuals come from one eigendecomposition
## H = Q diag(lambda) Q': @code{e_lin(k) = Q diag (prod_j (1 - s_j lambda)) Q' e(0)},
## a product per mode, so the cost is O(n^3) once plus O(n) per iteration
## and O(n^2) per recorded iterate, besides the replay.  For gradient
## descent the modes decay at the rates @code{1 - eta * lambda_i}
## (@code{lin.rates}).
##
## A network of K outputs (the squared loss; Y n-by-K, or class labels
## 1..K with @qcode{"classes", true} as @code{adagrad_train} took them):
## with @qcode{"kernel", "inf"} each output column follows its own
## linearization with H_inf, @code{E(k+1) = (I - s_k H_inf) E(k)}, the limit
## in which the kernel's blocks between outputs vanish; with
## @qcode{"kernel", "init"} the residuals follow the whole tangent kernel at
## W(0), nK-by-nK with the blocks @code{T_pq = (X X') .* (D diag (A(:,p) .*
## A(:,q)) D') / m} (doc/theory.md), the exact linearization at
## initialization, so @code{lambda} has nK entries.
##
## @var{lin} has fields @code{iter} (the recorded iterates), @code{loss}
## (the run's loss there), @code{losslin} (0.5 ||e_lin(k)||^2), @code{gap}
## (||u(k) - u_lin(k)||), @code{relgap} (@code{gap / ||u(0) - y||}; Frobenius norms with K outputs) and
## @code{maxrelgap}; @code{kernel} ("inf" or "init"), @code{lambda} (the
## eigenvalues of H, ascending), @code{steps} (s_0, s_1, ...), @code{rates}
## (gradient descent only; else empty), @code{u} and @code{ulin} (the final
## outputs, n-by-K), @code{width}, @code{optimizer}.
##
## With @qcode{"test", @var{Xt}}: @code{lin.test} has @code{kernel}, the
## kernel regression @code{H_inf(Xt, X) * (H_inf(X, X) \ y)}, column by
## column with K outputs (the cross
## kernel has the same closed form, @code{t * (pi - acos (t)) / (2*pi)} of the
## inner products t, clamped to [-1, 1], as for unit-norm rows), what the
## linearized dynamics of a network whose initial output is zero converge
## to; @code{network}, @code{adagrad_predict (net, Xt)} of the trained
## network; and @code{gap}, the norm of their difference.  (A network whose
## initial output u0 is not zero converges, linearized, to
## @code{f0(Xt) + H_inf(Xt, X) * (H_inf \ (y - u0))}: @code{lin.test.shifted}.)
## With the kernel @qcode{"inf"}, @code{lin.test.linearized} is the
## linearized model's output on @var{Xt} at the run's last iterate,
## @code{f0(Xt) - H_inf(Xt, X) * sum_k s_k e_lin(k)}: the network against
## its linearization on new inputs after as many steps (empty with
## @qcode{"init"}).
## @seealso{adagrad_gram, adagrad_plot_linearized, adagrad_train, adagrad_paper}
## @end deftypefn

function lin = adagrad_linearized (net, hist, X, y, varargin)
  fname = "adagrad_linearized";
  __adagrad_built__ (fname);
  if (nargin < 4)
    __adagrad_usage__ (fname);
  endif
  o = __adagrad_options__ (fname, struct ("kernel", "inf", "every", 1, "test", [],
                                         "classes", false), varargin{:});
  classes = __adagrad_check__ (fname, "CLASSES", o.classes, "logical");
  kernel = __adagrad_check__ (fname, "KERNEL", o.kernel, "choice", {"inf", "init"});
  every = __adagrad_check__ (fname, "EVERY", o.every, "posint");
  X = double (__adagrad_check__ (fname, "X", X, "matrix", [NaN NaN]));
  y = double (__adagrad_check__ (fname, "Y", y, "targets", size (X)));
  if (! isstruct (net) || ! isscalar (net) || ! all (isfield (net, {"W0", "a"})))
    error ("adagrad:badinput", "%s: NET must be a network struct with fields W0 and a",
           fname);
  endif
  need = {"iter", "loss", "rate", "optimizer", "eta", "params", "sampling", "width"};
  if (isstruct (hist) && isscalar (hist))
    ## A history of 0.9 or earlier: its step was the rate (the rules this
    ## function takes step along G).
    hist = __adagrad_history__ ("upgrade", hist, "along");
  endif
  if (! isstruct (hist) || ! isscalar (hist) || ! all (isfield (hist, need)))
    error ("adagrad:badinput", "%s: HIST must be the history of adagrad_train (fields %s)",
           fname, strjoin (need, ", "));
  endif
  __adagrad_optimizer__ ("squaredonly", fname, hist,
                         "the linearized dynamics e(k+1) = (I - s_k H) e(k) are");
  nk = numel (hist.loss);
  histvec (fname, "HIST.loss", hist.loss, nk);
  histvec (fname, "HIST.iter", hist.iter, nk);
  if (nk == 0 || any (hist.iter != fix (hist.iter)))
    error ("adagrad:badinput", "%s: HIST.iter must be a non-empty vector of iteration counts",
           fname);
  endif
  histvec (fname, "HIST.rate", hist.rate, nk);
  __adagrad_check__ (fname, "HIST.width", hist.width, "posint");
  __adagrad_check__ (fname, "HIST.eta", hist.eta, "positive");
  if (! isstruct (hist.params) || ! isscalar (hist.params))
    error ("adagrad:badinput", "%s: HIST.params must be a scalar struct of the rule's parameters",
           fname);
  endif
  if (! ischar (hist.sampling))
    error ("adagrad:badinput", "%s: HIST.sampling must be a string", fname);
  endif
  __adagrad_check__ (fname, "NET.W0", net.W0, "matrix", [NaN columns(X)]);
  __adagrad_check__ (fname, "NET.a", net.a, "outmatrix", size (net.W0));
  y = __adagrad_optimizer__ ("targets", fname, "squared", "Y", y, columns (net.a), classes);
  if (is_function_handle (hist.optimizer))
    error ("adagrad:badinput", "%s: a rule written in Octave has no linearization here",
           fname);
  endif
  names = __adagrad_optimizer__ ("names");
  if (! ischar (hist.optimizer) || ! any (strcmp (hist.optimizer, names)))
    error ("adagrad:badinput", "%s: HIST.optimizer must be one of %s", fname,
           strjoin (strcat ('"', names, '"'), ", "));
  endif
  info = __adagrad_optimizer__ ("info", hist.optimizer);
  if (! info.along_gradient || info.per_coordinate)
    error ("adagrad:badinput",
           "%s: the linearization e(k+1) = (I - s_k H) e(k) holds for rules whose update is a multiple of the gradient (gd, adagrad-norm, adaloss); %s is not one",
           fname, hist.optimizer);
  endif
  if (! strcmp (hist.sampling, "full"))
    error ("adagrad:badinput", "%s: the run took mini-batches; the linearization here is of full-batch runs",
           fname);
  endif
  if (hist.iter(1) != 0 || numel (hist.iter) < 2 || any (diff (hist.iter) != 1))
    error ("adagrad:badinput",
           "%s: HIST must record a run from iteration 0, every iteration (got iterations %d to %d)",
           fname, hist.iter(1), hist.iter(end));
  endif
  W0 = double (net.W0);
  a = double (net.a);
  if (isvector (a))
    a = a(:);
  endif
  [n, m, nout] = deal (rows (X), rows (W0), columns (a));
  if (columns (W0) != columns (X) || rows (a) != m || m != hist.width)
    error ("adagrad:badinput",
           "%s: NET (%d-by-%d, %d output weights) does not fit X (%d columns) and the history (width %d)",
           fname, rows (W0), columns (W0), numel (a), columns (X), hist.width);
  endif
  K = hist.iter(end);

  ## The replay: the run's settings from W0, u recorded by the output function.
  keep = @(k) mod (k, every) == 0 || k == K;
  fcn = @(n, i, st) record (n, i, X, keep);
  record ("reset");
  params = {};
  for f = fieldnames (hist.params)'
    params(end+1:end+2) = {f{1}, hist.params.(f{1})};
  endfor
  form = "auto";
  if (isfield (hist, "form") && any (strcmp (hist.form, {"primal", "kernel", "event"})))
    form = hist.form;
  endif
  start = struct ("W", W0, "a", a);
  warning ("off", "adagrad:diverged", "local");
  [net2, h2] = adagrad_train (start, X, y, "optimizer", hist.optimizer, "eta", hist.eta,
                           params{:}, "maxiter", K, "tol", 0, "outputfcn", fcn,
                           "outputevery", every, "form", form);
  [ks, U] = record ("get");
  if (! isequaln (h2.loss(:), hist.loss(:)))
    error ("adagrad:badinput",
           "%s: replaying the run from NET.W0 with its settings does not give HIST's losses (another network, other data, or a history of several calls with other settings)",
           fname);
  endif
  [ks, i] = unique (ks);
  U = U(:, i);

  ## H and its eigendecomposition: H_inf acts on each output's column of
  ## E0 (n-by-K); the tangent kernel at W(0) of K outputs on E0(:) (nK).
  E0 = reshape (U(:, 1), n, nout) - y;
  if (strcmp (kernel, "inf"))
    H = adagrad_gram (X);
  elseif (nout == 1)
    H = adagrad_gram (X, W0);
  else
    ## The kernel, its eigenvectors and eig's workspace: sized first.
    __adagrad_fits__ (fname, 8 * 3 * (n * nout)^2,
                      "the tangent kernel of %d outputs on %d samples (%d-by-%d)", nout, n,
                      n * nout, n * nout);
    H = zeros (n * nout);
    for p = 1:nout
      for q = p:nout
        T = __adagrad_ntkblock__ (X, W0, a(:, p) .* a(:, q));
        H((p-1)*n + (1:n), (q-1)*n + (1:n)) = T;
        H((q-1)*n + (1:n), (p-1)*n + (1:n)) = T';
      endfor
    endfor
    E0 = E0(:);
  endif
  H = (H + H') / 2;
  [Q, L] = eig (H);
  lambda = diag (L);
  ## The exact s_k of the rule (eta/b(k+1), eta), not the step measured on
  ## the rounded iterates.
  steps = hist.rate(2:end);
  steps = steps(:);
  c = Q' * E0;
  f = ones (size (lambda));
  g = zeros (size (lambda));   # sum_k s_k f_k: the linear model's path on new inputs
  losslin = zeros (numel (ks), 1);
  gap = zeros (numel (ks), 1);
  j = 1;
  for k = 0:K
    if (j <= numel (ks) && ks(j) == k)
      elin = Q * (f .* c);
      losslin(j) = 0.5 * sumsq (elin(:));
      ulin = y + reshape (elin, n, nout);
      gap(j) = norm (U(:, j) - ulin(:));
      j++;
    endif
    if (k < K)
      g += steps(k + 1) * f;
      f .*= (1 - steps(k + 1) * lambda);
    endif
  endfor
  rates = [];
  if (strcmp (hist.optimizer, "gd"))
    rates = 1 - hist.eta * lambda;
  endif
  lin = struct ("iter", ks(:), "loss", hist.loss(ks + 1)(:), "losslin", losslin, "gap", gap,
                "relgap", gap / norm (E0(:)), "maxrelgap", max (gap / norm (E0(:))),
                "kernel", kernel, "lambda", lambda, "steps", steps, "rates", rates,
                "u", reshape (U(:, end), n, nout), "ulin", ulin, "width", m,
                "optimizer", hist.optimizer);
  if (! isempty (o.test))
    Xt = double (__adagrad_check__ (fname, "TEST", o.test, "matrix", [NaN columns(X)]));
    Hx = cross_kernel (Xt, X);
    Hinf = H;
    if (! strcmp (kernel, "inf"))
      Hinf = adagrad_gram (X);
    endif
    kr = Hx * (Hinf \ y);
    f0 = adagrad_forward (W0, a, Xt);
    pred = adagrad_forward (net2.W, net2.a, Xt);   # the replay ends at the run's W
    lin.test = struct ("kernel", kr, "network", double (pred), "gap", norm (double (pred) - kr),
                       "shifted", f0 + Hx * (Hinf \ (y - reshape (U(:, 1), n, nout))),
                       "linearized", []);
    if (strcmp (kernel, "inf"))
      ## u_lin(Xt) moves by -s_k H_inf(Xt, X) e_lin(k) each step.
      lin.test.linearized = f0 - Hx * (Q * (g .* c));
    endif
  endif
endfunction

## The output function's memory: the outputs at the kept iterates.
function varargout = record (varargin)
  persistent ks U
  if (ischar (varargin{1}))
    switch (varargin{1})
      case "reset"
        [ks, U] = deal ([], []);
      case "get"
        varargout = {ks, U};
    endswitch
    return;
  endif
  [net, info, X, keep] = deal (varargin{:});
  if (keep (info.iter) || strcmp (info.state, "init"))
    ks(end+1) = info.iter;
    U(:, end+1) = double (adagrad_forward (net.W, net.a, X))(:);
  endif
  varargout{1} = false;
endfunction

## H_inf between the rows of A and of B: t (pi - acos (t)) / (2 pi) of the
## inner products, clamped to [-1, 1].
## A recorded column of the history: a real vector of N entries (NaN allowed:
## the step of iteration 0, a diverged loss).
function histvec (fname, name, v, n)
  if (! isfloat (v) || ! isreal (v) || issparse (v) || ! (isvector (v) || isempty (v))
      || numel (v) != n)
    error ("adagrad:badinput", "%s: %s must be a real vector of %d entries, one per recorded iteration",
           fname, name, n);
  endif
endfunction

function K = cross_kernel (A, B)
  T = A * B';
  K = T .* (pi - acos (max (-1, min (1, T)))) / (2 * pi);
endfunction

%!shared X, y, Xt, yt
%! [X, y, ~, Xt, yt] = adagrad_data (40, 10, "seed", 3, "test", 15);

%!test
%! ## Gradient descent: the eigen closed form equals the plain iteration
%! ## e(k+1) = (I - eta H) e(k); the recorded outputs are the run's.
%! [~, ~, normH] = adagrad_gram (X);
%! [net, h] = adagrad_train (X, y, "width", 2000, "optimizer", "gd", "eta", 1 / normH,
%!                           "maxiter", 60, "tol", 0, "seed", 4);
%! lin = adagrad_linearized (net, h, X, y);
%! assert (lin.iter', 0:60);
%! assert (lin.loss, h.loss);
%! assert (lin.u, double (adagrad_forward (net.W, net.a, X)));
%! H = adagrad_gram (X);
%! e = lin.u - y;
%! e = double (adagrad_forward (net.W0, net.a, X)) - y;
%! for k = 1:60
%!   e = e - (1 / normH) * (H * e);
%! endfor
%! assert (lin.ulin, y + e, 1e-10 * norm (e));
%! assert (lin.losslin(end), 0.5 * sumsq (e), 1e-9 * sumsq (e));
%! assert (lin.rates, 1 - lin.lambda / normH, 1e-15);
%! ## A wide network stays close to its linearization.
%! assert (lin.maxrelgap < 0.05);

%!test
%! ## AdaLoss: the steps are the run's (||W(k+1) - W(k)|| / ||G(k)||), and the
%! ## iteration with them is the plain one; H(W(0)) as the kernel.
%! [net, h] = adagrad_train (X, y, "width", 500, "optimizer", "adaloss", "b0", 0.5,
%!                           "maxiter", 5, "tol", 0, "seed", 4);
%! lin = adagrad_linearized (net, h, X, y, "kernel", "init", "every", 2);
%! assert (lin.iter', [0 2 4 5]);
%! n1 = adagrad_train (struct ("W", net.W0, "a", net.a), X, y, "optimizer", "adaloss",
%!                     "b0", 0.5, "maxiter", 1, "tol", 0);
%! G = adagrad_gradient (net.W0, net.a, X, y);
%! assert (lin.steps(1), norm (n1.W - net.W0, "fro") / norm (G, "fro"), 1e-12);
%! H = adagrad_gram (X, net.W0);
%! e = double (adagrad_forward (net.W0, net.a, X)) - y;
%! for k = 1:5
%!   e = e - lin.steps(k) * (H * e);
%! endfor
%! assert (lin.ulin, y + e, 1e-10 * norm (e));
%! assert (isempty (lin.rates));

%!test
%! ## Kernel regression on new inputs against a plain computation.
%! [net, h] = adagrad_train (X, y, "width", 300, "optimizer", "gd", "eta", 0.5,
%!                           "maxiter", 10, "tol", 0, "seed", 4);
%! lin = adagrad_linearized (net, h, X, y, "test", Xt);
%! G = X * X';
%! Hinf = G .* (pi - acos (min (1, max (-1, G)))) / (2 * pi);
%! C = Xt * X';
%! Hx = C .* (pi - acos (min (1, max (-1, C)))) / (2 * pi);
%! kr = Hx * inv (Hinf) * y;
%! assert (lin.test.kernel, kr, 1e-10 * norm (kr));
%! assert (lin.test.network, adagrad_predict (net, Xt));
%! assert (lin.test.gap, norm (lin.test.network - kr), 1e-12);

%!error <Invalid call> adagrad_linearized (1, 2, 3)
%!error <NET must be a network struct with fields W0 and a> adagrad_linearized (struct (), struct (), X, y)
%!test
%! ## The rules and runs it refuses, and a replay that does not match.
%! [net, h] = adagrad_train (X, y, "width", 20, "optimizer", "momentum", "maxiter", 3);
%! fail ("adagrad_linearized (net, h, X, y)", "holds for rules whose update is a multiple of the gradient \\(gd, adagrad-norm, adaloss\\); momentum is not one");
%! [net, h] = adagrad_train (X, y, "width", 20, "maxiter", 3, "batchsize", 5);
%! fail ("adagrad_linearized (net, h, X, y)", "the run took mini-batches");
%! [net, h] = adagrad_train (X, y, "width", 20, "maxiter", 3);
%! fail ("adagrad_linearized (net, h, X, 2 * y)", "replaying the run from NET.W0 with its settings does not give HIST's losses");
%! fail ("adagrad_linearized (net, h, X, y, 'kernel', 'h')", "KERNEL must be one of \"inf\", \"init\"");
%! fail ("adagrad_linearized (net, h, X', y)", "is X transposed");
%! ## A history with a name that is no rule (fuzz, seed 1: an Octave error before).
%! fail ("adagrad_linearized (net, setfield (h, 'optimizer', 'primal'), X, y)", "HIST.optimizer must be one of \"gd\", ");
%! fail ("adagrad_linearized (net, setfield (h, 'optimizer', {1}), X, y)", "HIST.optimizer must be one of");
%! ## Broken recorded columns (fuzz, seed 2: Octave errors on '!=' before).
%! fail ("adagrad_linearized (net, setfield (h, 'iter', struct ('a', 1)), X, y)", "HIST.iter must be a real vector of 4 entries");
%! fail ("adagrad_linearized (net, setfield (setfield (h, 'iter', []), 'loss', []), X, y)", "HIST.iter must be a non-empty vector");
%! fail ("adagrad_linearized (net, setfield (h, 'rate', {1}), X, y)", "HIST.rate must be a real vector of 4 entries");
%! fail ("adagrad_linearized (net, setfield (h, 'rate', 1), X, y)", "HIST.rate must be a real vector of 4 entries");
%! fail ("adagrad_linearized (net, setfield (h, 'loss', h.loss(1:2)), X, y)", "HIST.iter must be a real vector of 2 entries");
%! fail ("adagrad_linearized (net, setfield (h, 'loss', 'abcd'), X, y)", "HIST.loss must be a real vector of 4 entries");
%! fail ("adagrad_linearized (net, setfield (h, 'width', {1}), X, y)", "HIST.width must be a positive integer");
%! fail ("adagrad_linearized (net, setfield (h, 'params', 1), X, y)", "HIST.params must be a scalar struct");
%! fail ("adagrad_linearized (setfield (net, 'W0', {1}), h, X, y)", "NET.W0 must be a real, full, non-empty");
%! fail ("adagrad_linearized (setfield (net, 'a', struct ()), h, X, y)", "NET.a must be a real, full double or single vector");
%!test
%! ## K = 3 outputs against the linear recursions written out: "inf" runs
%! ## E(k+1) = (I - s_k H_inf) E(k) on each column; "init" runs it on E(:)
%! ## with the whole tangent kernel at W(0), its blocks
%! ## (X X') .* (D diag (A(:,p) .* A(:,q)) D') / m built here by hand.
%! [X, y] = adagrad_data (20, 5, "seed", 4);
%! c = 1 + mod ((1:20)', 3);
%! Y = double ((1:3) == c);
%! [net, h] = adagrad_train (X, c, "classes", true, "width", 200, "optimizer", "gd",
%!                           "eta", 0.3, "maxiter", 30, "tol", 0, "seed", 2);
%! D = double (X * net.W0' >= 0);
%! T = zeros (60);
%! for p = 1:3
%!   for q = 1:3
%!     T((p-1)*20 + (1:20), (q-1)*20 + (1:20)) = ...
%!       (X * X') .* (D * diag (net.a(:, p) .* net.a(:, q)) * D') / 200;
%!   endfor
%! endfor
%! Hinf = adagrad_gram (X);
%! E0 = adagrad_forward (net.W0, net.a, X) - Y;
%! [Ei, Et] = deal (E0, E0(:));
%! for k = 1:30
%!   Ei -= 0.3 * Hinf * Ei;
%!   Et -= 0.3 * T * Et;
%! endfor
%! li = adagrad_linearized (net, h, X, c, "classes", true);
%! lt = adagrad_linearized (net, h, X, Y, "kernel", "init");
%! assert (size (li.u), [20 3]);
%! assert (numel (li.lambda), 20);
%! assert (numel (lt.lambda), 60);
%! assert (lt.lambda, sort (eig ((T + T') / 2)), 1e-12);
%! assert (li.ulin, Y + Ei, 1e-12);
%! assert (lt.ulin, Y + reshape (Et, 20, 3), 1e-12);
%! assert (li.losslin(end), 0.5 * sumsq (Ei(:)), 1e-12 * li.losslin(end));
%! assert (li.u, adagrad_forward (net.W, net.a, X), 1e-13);
%! ## The run is closer to its linearization at W(0) than to H_inf's.
%! assert (lt.maxrelgap < li.maxrelgap);
%! ## Kernel regression on new inputs, column by column.
%! Xt = adagrad_data (7, 5, "seed", 9);
%! l2 = adagrad_linearized (net, h, X, Y, "test", Xt);
%! Hx = Xt * X';
%! Hx = Hx .* (pi - acos (max (-1, min (1, Hx)))) / (2 * pi);
%! assert (l2.test.kernel, Hx * (Hinf \ Y), 1e-10);
%! ## The linear model on Xt after the 30 steps, written out.
%! [Ui, Ut] = deal (adagrad_forward (net.W0, net.a, Xt), adagrad_forward (net.W0, net.a, X));
%! for k = 1:30
%!   Ui -= 0.3 * Hx * (Ut - Y);
%!   Ut -= 0.3 * Hinf * (Ut - Y);
%! endfor
%! assert (l2.test.linearized, Ui, 1e-10);
%! assert (size (l2.test.network), [7 3]);
%!error <adagrad_linearized: Y has 1 columns and the network 2 outputs> adagrad_linearized (adagrad_init (3, 5, "outputs", 2), nthargout (2, @adagrad_train, ones (4, 3) / sqrt (3), ones (4, 2), "width", 5, "maxiter", 1), ones (4, 3) / sqrt (3), ones (4, 1))
%!error <adagrad_linearized: .*the tangent kernel of 20 outputs on 4000 samples \(80000-by-80000\)>
%! ## 150 GB for the kernel at W(0): refused before any of it is made.
%! X = adagrad_data (4000, 2, "seed", 1);
%! c = 1 + mod ((1:4000)', 20);
%! [net, h] = adagrad_train (X, c, "classes", true, "width", 4, "optimizer", "gd",
%!                           "eta", 0.01, "maxiter", 1, "display", "off");
%! adagrad_linearized (net, h, X, c, "classes", true, "kernel", "init");
%!error <adagrad_linearized: CLASSES must be true or false> adagrad_linearized (1, 2, 3, 4, "classes", [1 2])
