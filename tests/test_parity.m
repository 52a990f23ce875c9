## Parity of the C implementation with the plain vectorized reference (ref_train.m)
## and with the hand-written loop of adagrad_gradient and adagrad_step.

%!shared X, y, Xb, yb
%! [X, y] = adagrad_data (60, 10, "seed", 21);
%! ## n = 700 makes the C core work in several blocks of hidden units.
%! [Xb, yb] = adagrad_data (700, 12, "seed", 22, "labels", "teacher");

%!test
%! ## 50 iterations of each rule agree with the reference to 1e-10 (relative).
%! for opt = {"gd", "adagrad-norm", "adaloss"}
%!   [net, h] = adagrad_train (X, y, "width", 500, "optimizer", opt{1}, "eta", 0.5,
%!                             "b0", 0.3, "alpha", 0.5, "maxiter", 50, "tol", 0, "seed", 1);
%!   [Wr, br, lr, bsr] = ref_train (X, y, net.W0, net.a, opt{1}, 0.5, 0.3, 0.5, 50);
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-10);
%!   assert (max (abs (h.loss - lr) ./ lr) < 1e-10);
%!   if (! strcmp (opt{1}, "gd"))
%!     assert (max (abs (h.b - bsr) ./ bsr) < 1e-10);
%!   endif
%!   assert (h.loss(end) < h.loss(1));
%! endfor

%!test
%! ## The same with several blocks of hidden units (n = 700, m = 1500).
%! for opt = {"gd", "adagrad-norm", "adaloss"}
%!   [net, h] = adagrad_train (Xb, yb, "width", 1500, "optimizer", opt{1}, "eta", 0.02,
%!                             "b0", 0.05, "maxiter", 50, "tol", 0, "seed", 2);
%!   [Wr, br, lr] = ref_train (Xb, yb, net.W0, net.a, opt{1}, 0.02, 0.05, 1, 50);
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-10);
%!   assert (max (abs (h.loss - lr) ./ lr) < 1e-10);
%! endfor

%!test
%! ## A student's loop of adagrad_gradient and adagrad_step follows adagrad_train.
%! for opt = {"gd", "adagrad-norm", "adaloss"}
%!   [net, h] = adagrad_train (X, y, "width", 400, "optimizer", opt{1}, "eta", 0.5,
%!                             "b0", 2, "alpha", 0.8, "maxiter", 50, "tol", 0, "seed", 3);
%!   W = net.W0; a = net.a; b = 2;
%!   for k = 1:50
%!     [G, loss, u] = adagrad_gradient (W, a, X, y);
%!     assert (loss, h.loss(k), 1e-12 * loss);
%!     if (strcmp (opt{1}, "adaloss"))
%!       [W, b] = adagrad_step (W, G, b, "adaloss", 0.5, 0.8, norm (u - y), numel (y));
%!     else
%!       [W, b] = adagrad_step (W, G, b, opt{1}, 0.5);
%!     endif
%!   endfor
%!   assert (W, net.W, 1e-12 * norm (W, "fro"));
%!   assert (b, net.b, 1e-12 * b);
%! endfor
