## The exact statements of doc/theory.md, checked on real training runs.

%!shared X, y, runs
%! [X, y] = adagrad_data (50, 8, "seed", 31);
%! runs = {};
%! for opt = {"gd", "adagrad-norm", "adaloss"}
%!   args = {};
%!   if (! strcmp (opt{1}, "gd"))
%!     args = {"b0", 0.2};
%!   endif
%!   if (strcmp (opt{1}, "adaloss"))
%!     args(end+1:end+2) = {"alpha", 0.6};
%!   endif
%!   [net, h] = adagrad_train (X, y, "width", 400, "optimizer", opt{1}, "eta", 0.3,
%!                             args{:}, "maxiter", 60, "tol", 0, "seed", 5);
%!   runs{end+1} = {net, h};
%! endfor

%!test
%! ## ||G||_F^2 = e' H(W) e at the start and at the end of every run.
%! for i = 1:3
%!   net = runs{i}{1};
%!   for W = {net.W0, net.W}
%!     [G, ~, u] = adagrad_gradient (W{1}, net.a, X, y);
%!     e = u - y;
%!     q = e' * ref_gram (W{1}, X) * e;
%!     assert (abs (norm (G, "fro") ^ 2 - q) <= 1e-12 * q);
%!   endfor
%! endfor

%!test
%! ## b never decreases, and the recorded gradient norms are those of the iterates.
%! for i = 2:3
%!   h = runs{i}{2};
%!   assert (all (diff (h.b) >= 0));
%! endfor
%! h = runs{2}{2};
%! assert (h.b(2:end) .^ 2, h.b(1:end-1) .^ 2 + h.gnorm(1:end-1) .^ 2, 1e-10 * h.b(end) ^ 2);

%!test
%! ## AdaLoss weight movement: ||w_r(k) - w_r(0)|| <= 2 eta (b(k) - b0) / (alpha^2 sqrt(m)).
%! [net, h] = deal (runs{3}{:});
%! move = sqrt (sum ((net.W - net.W0) .^ 2, 2));
%! bound = 2 * 0.3 * (net.state.b - 0.2) / (0.6 ^ 2 * sqrt (400));
%! assert (max (move) <= bound);
%! assert (max (move) > 0);

%!test
%! ## With no activation flips between k and k+1: u(k+1) - u(k) = -step H(W(k)) e(k).
%! net0 = adagrad_init (8, 2000, "seed", 6);
%! [G, ~, u0] = adagrad_gradient (net0.W, net0.a, X, y);
%! [net1, h] = adagrad_train (net0, X, y, "maxiter", 1, "eta", 1e-4, "optimizer", "gd");
%! assert (isequal (X * net0.W' >= 0, X * net1.W' >= 0));
%! u1 = adagrad_predict (net1, X);
%! pred = -1e-4 * ref_gram (net0.W, X) * (u0 - y);
%! ## Round-off of u itself (|u| ~ 1) bounds the error of the difference.
%! assert (u1 - u0, pred, 1e-13 * norm (u0, Inf) * rows (X));
%! assert (norm (pred) > 1e-5);

%!test
%! ## E||y - u(0)||^2 = ||y||^2 + n/2 over random initializations (prediction 7):
%! ## a Monte Carlo mean over 400 networks, within 4 standard errors.
%! [X, y] = adagrad_data (20, 8, "seed", 41);
%! S = 400;
%! v = zeros (S, 1);
%! for s = 1:S
%!   net = adagrad_init (8, 200, "seed", 1000 + s);
%!   v(s) = sumsq (y - adagrad_predict (net, X)) - sumsq (y);
%! endfor
%! assert (abs (mean (v) - 20 / 2) < 4 * std (v) / sqrt (S));
%! assert (std (v) / sqrt (S) < 1);

%!test
%! ## adagrad_check finds every statement true on real runs of each rule.
%! for opt = {"gd", "adagrad-norm", "adaloss"}
%!   args = {};
%!   if (! strcmp (opt{1}, "gd"))
%!     args = {"b0", 0.1};
%!   endif
%!   [net, h] = adagrad_train (X, y, "width", 800, "optimizer", opt{1}, "eta", 0.3,
%!                             args{:}, "maxiter", 200, "seed", 7);
%!   r = adagrad_check (net, h, X, y, "verbose", false);
%!   assert (r.identity.holds && r.flips.holds && r.rate.holds);
%!   assert (isempty (r.b.holds) || r.b.holds);
%!   assert (isempty (r.movement.holds) || r.movement.holds);
%! endfor
