## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{G}, @var{loss}, @var{u}] =} adagrad_gradient (@var{W}, @var{a}, @var{X}, @var{y})
## @deftypefnx {} {[@var{G}, @var{loss}, @var{u}] =} adagrad_gradient (@var{W}, @var{a}, @var{X}, @var{y}, @qcode{"threads"}, @var{t})
## Gradient of the squared loss @code{L(W) = 0.5 * norm (u - y)^2} of the
## two-layer ReLU network with respect to its first layer @var{W}.
##
## @code{G = ((X * W' >= 0) .* (e * a'))' * X / sqrt (m)} with
## @code{e = u - y}; the ReLU derivative at 0 is taken as 1.  Also returns the
## loss and the network output @var{u}.  @var{W} is @var{m}-by-@var{d},
## @var{a} has @var{m} entries, @var{X} is @var{n}-by-@var{d} and @var{y} has
## @var{n} entries.  Computed in C (MEX @code{__adagrad_gradient__}) with two
## BLAS products; the activation pattern is kept as bits.  If any input is
## single, @var{G} and @var{u} are computed and returned in single precision
## (@var{loss} is always double, summed in double).  @qcode{"threads"}: the
## threads of the C core, as in @code{adagrad_train} (default 0); the result
## is bitwise the same for any number.  @qcode{"loss"} (default
## @qcode{"squared"}): the loss of @code{adagrad_train}'s option of that
## name, e.g. @qcode{"logistic"} (labels +1 and -1), whose residual
## @code{dL/du} takes the place of @code{e}.
##
## With @code{adagrad_step} this is enough to write the training loop by hand;
## it follows @code{adagrad_train} bitwise (the C loop gives AdaLoss
## @code{sqrt (2 * loss)} as the residual norm):
##
## @example
## net = adagrad_init (columns (X), 1000, "b0", 0.1, "seed", 1);
## [W, state] = deal (net.W, net.state);
## for k = 1:100
##   [G, loss] = adagrad_gradient (W, net.a, X, y);
##   [W, state] = adagrad_step (W, G, state, "adaloss", net.params,
##                              "resnorm", sqrt (2 * loss), "n", numel (y));
## endfor
## @end example
## @seealso{adagrad_forward, adagrad_step, adagrad_train}
## @end deftypefn

function [G, loss, u] = adagrad_gradient (W, a, X, y, varargin)
  if (nargin < 4)
    __adagrad_usage__ ("adagrad_gradient");
  endif
  fname = "adagrad_gradient";
  __adagrad_built__ (fname);
  o = __adagrad_options__ (fname, struct ("threads", 0,
                                          "loss", __adagrad_optimizer__ ("defaultloss")),
                           varargin{:});
  threads = __adagrad_check__ (fname, "THREADS", o.threads, "threads");
  lossname = __adagrad_check__ (fname, "LOSS", o.loss, "choice",
                                __adagrad_optimizer__ ("losses"));
  W = __adagrad_check__ (fname, "W", W, "matrix", [NaN NaN]);
  a = __adagrad_check__ (fname, "A", a, "outmatrix", size (W));
  X = __adagrad_check__ (fname, "X", X, "matrix", [NaN columns(W)]);
  y = __adagrad_check__ (fname, "Y", y, "targets", size (X));
  [X, y, W, a] = __adagrad_same_class__ (X, y, W, a);
  __adagrad_optimizer__ ("targets", fname, lossname, "Y", y, columns (a));
  [G, loss, u] = __adagrad_gradient__ (X, y, W, a, threads, "grad", lossname);
endfunction

%!demo
%! ## The gradient against a central finite difference of the loss.
%! [X, y] = adagrad_data (20, 4, "seed", 1);
%! net = adagrad_init (4, 50, "seed", 2);
%! [G, L] = adagrad_gradient (net.W, net.a, X, y);
%! E = zeros (size (net.W)); E(7) = 1e-6;
%! [~, Lp] = adagrad_gradient (net.W + E, net.a, X, y);
%! [~, Lm] = adagrad_gradient (net.W - E, net.a, X, y);
%! printf ("dL/dW(7): %.10f (C), %.10f (finite difference)\n", G(7), (Lp - Lm) / 2e-6);

%!shared X, y, W, a
%! [X, y] = adagrad_data (25, 4, "seed", 3);
%! net = adagrad_init (4, 60, "seed", 4);
%! W = net.W; a = net.a;

%!test
%! ## Against the vectorized formula of doc/theory.md (tests/ref_gradient.m is the same).
%! [G, loss, u] = adagrad_gradient (W, a, X, y);
%! Z = X * W';
%! ur = max (Z, 0) * a / sqrt (60);
%! Gr = ((Z >= 0) .* ((ur - y) * a'))' * X / sqrt (60);
%! assert (G, Gr, 1e-12 * norm (Gr, "fro"));
%! assert (loss, 0.5 * sumsq (ur - y), 1e-12 * loss);
%! assert (u, ur, 1e-13);

%!test
%! ## Central finite differences of the loss.
%! [G, loss] = adagrad_gradient (W, a, X, y);
%! h = 1e-6;
%! for j = [1 17 60 95 180 240]
%!   E = zeros (size (W)); E(j) = h;
%!   [~, lp] = adagrad_gradient (W + E, a, X, y);
%!   [~, lm] = adagrad_gradient (W - E, a, X, y);
%!   assert ((lp - lm) / (2 * h), G(j), 1e-6 * max (1, abs (G(j))));
%! endfor

%!test
%! ## The identity ||G||_F^2 = e' H(W) e (doc/theory.md, statement 1).
%! [G, ~, u] = adagrad_gradient (W, a, X, y);
%! e = u - y;
%! P = double (X * W' >= 0);
%! H = (X * X') .* (P * P') / rows (W);
%! assert (norm (G, "fro") ^ 2, e' * H * e, 1e-12 * (e' * H * e));

%!test
%! ## Single precision: single G and u, double loss, close to double.
%! [G, L] = adagrad_gradient (W, a, single (X), y);
%! [Gd, Ld] = adagrad_gradient (W, a, X, y);
%! assert ({class(G), class(L)}, {"single", "double"});
%! assert (double (G), Gd, 1e-5 * norm (Gd, "fro"));
%! assert (L, Ld, 1e-5 * Ld);

%!test
%! ## The hand loop of the help text follows adagrad_train bitwise.
%! net = adagrad_init (columns (X), 1000, "b0", 0.1, "seed", 1);
%! [W1, state] = deal (net.W, net.state);
%! for k = 1:100
%!   [G, loss] = adagrad_gradient (W1, net.a, X, y);
%!   [W1, state] = adagrad_step (W1, G, state, "adaloss", net.params,
%!                               "resnorm", sqrt (2 * loss), "n", numel (y));
%! endfor
%! t = adagrad_train (net, X, y, "maxiter", 100, "tol", 0);
%! assert (isequal (W1, t.W) && isequal (state, t.state));

%!test
%! ## "threads": the same bits for any count.
%! [G0, l0, u0] = adagrad_gradient (W, a, X, y);
%! [G1, l1, u1] = adagrad_gradient (W, a, X, y, "threads", 1);
%! [G3, l3, u3] = adagrad_gradient (W, a, X, y, "threads", 3);
%! assert (isequal (G0, G1, G3) && isequal (l0, l1, l3) && isequal (u0, u1, u3));

%!error <adagrad_gradient: W is 4-by-60 and A has 60 entries: W must be m-by-d, one row per hidden unit, one entry of A each; is W transposed \(use W'\)\?> adagrad_gradient (W', a, X, y)
%!error <Invalid call> adagrad_gradient (W, a, X)
%!error <adagrad_gradient: THREADS must be a non-negative integer> adagrad_gradient (W, a, X, y, "threads", 0.5)
%!error <adagrad_gradient: Y must be a vector of 25 entries \(got 24\)> adagrad_gradient (W, a, X, y(1:24))
%!error <adagrad_gradient: Y must be finite> adagrad_gradient (W, a, X, [y(1:24); Inf])
%!error <adagrad_gradient: Y must be a real, full double or single vector> adagrad_gradient (W, a, X, complex (y))
%!error <adagrad_gradient: A must be a real, full double or single vector> adagrad_gradient (W, int8 (a), X, y)
%!error <adagrad_gradient: W must be a real, full, non-empty double or single matrix> adagrad_gradient (sparse (W), a, X, y)
%!error <adagrad_gradient: X must be any number of rows by 4 columns> adagrad_gradient (W, a, X', y)

%!test
%! ## The logistic loss: G against central differences of L, and the loop of
%! ## adagrad_gradient and adagrad_step against adagrad_train bitwise.
%! [X, y] = adagrad_data (15, 4, "seed", 3);
%! c = 2 * (y > 0) - 1;
%! net = adagrad_init (4, 30, "seed", 4);
%! [G, L] = adagrad_gradient (net.W, net.a, X, c, "loss", "logistic");
%! u = adagrad_forward (net.W, net.a, X);
%! assert (L, sum (log1p (exp (-c .* u))), 1e-12 * L);
%! h = 1e-6;
%! for k = [1 7 33 90]
%!   [Wp, Wm] = deal (net.W);
%!   Wp(k) += h;
%!   Wm(k) -= h;
%!   [~, Lp] = adagrad_gradient (Wp, net.a, X, c, "loss", "logistic");
%!   [~, Lm] = adagrad_gradient (Wm, net.a, X, c, "loss", "logistic");
%!   assert (G(k), (Lp - Lm) / (2 * h), 1e-6 * max (1, abs (G(k))));
%! endfor
%! [W, st] = deal (net.W, net.state);
%! for k = 1:5
%!   [G, L] = adagrad_gradient (W, net.a, X, c, "loss", "logistic");
%!   [W, st] = adagrad_step (W, G, st, "adaloss", net.params, "resnorm", sqrt (2 * L), "n", 15);
%! endfor
%! n5 = adagrad_train (net, X, c, "maxiter", 5, "tol", 0, "loss", "logistic");
%! assert (isequal (W, n5.W));
%!test
%! ## K = 3 outputs, the squared loss (Y n-by-3) and the softmax loss (labels
%! ## 1..3): G against central differences of L, and the identity
%! ## ||G||_F^2 = sum_pq R(:,p)' T_pq R(:,q) with the tangent kernel's blocks
%! ## T_pq = (X X') .* (D diag (A(:,p) .* A(:,q)) D') / m (doc/theory.md):
%! ## the p = q blocks are H(W), the others are not zero at finite m.
%! [X, y] = adagrad_data (15, 4, "seed", 3);
%! net = adagrad_init (4, 30, "seed", 4, "outputs", 3);
%! c = 1 + mod ((1:15)', 3);
%! D = double (X * net.W' >= 0);
%! for t = {{"squared", [y, -2 * y, y.^2]}, {"softmax", c}}
%!   [G, L, U] = adagrad_gradient (net.W, net.a, X, t{1}{2}, "loss", t{1}{1});
%!   h = 1e-6;
%!   for k = [1 7 33 90 120]
%!     [Wp, Wm] = deal (net.W);
%!     Wp(k) += h;
%!     Wm(k) -= h;
%!     [~, Lp] = adagrad_gradient (Wp, net.a, X, t{1}{2}, "loss", t{1}{1});
%!     [~, Lm] = adagrad_gradient (Wm, net.a, X, t{1}{2}, "loss", t{1}{1});
%!     assert (G(k), (Lp - Lm) / (2 * h), 1e-6 * max (1, abs (G(k))));
%!   endfor
%!   if (strcmp (t{1}{1}, "squared"))
%!     R = U - t{1}{2};
%!   else
%!     P = exp (U - max (U, [], 2));
%!     R = P ./ sum (P, 2) - ((1:3) == c);
%!   endif
%!   g2 = 0;
%!   for p = 1:3
%!     for q = 1:3
%!       T = (X * X') .* (D * diag (net.a(:, p) .* net.a(:, q)) * D') / 30;
%!       g2 += R(:, p)' * T * R(:, q);
%!     endfor
%!   endfor
%!   assert (norm (G, "fro") ^ 2, g2, 1e-12 * g2);
%! endfor
%!error <Y must hold labels \+1 and -1 for the logistic loss> adagrad_gradient (1, 1, 1, 0.5, "loss", "logistic")
%!error <LOSS must be one of> adagrad_gradient (1, 1, 1, 1, "loss", "hinge")
