## Parity of the C implementation with the plain vectorized reference (ref_train.m)
## and with the hand-written loop of adagrad_gradient and adagrad_step.

%!shared X, y, Xb, yb
%! [X, y] = adagrad_data (60, 10, "seed", 21);
%! ## Width 1500 takes six blocks of 256 hidden units in the C core (the least
%! ## block; m/16 is smaller), the last one partial.
%! [Xb, yb] = adagrad_data (700, 12, "seed", 22, "labels", "teacher");

%!test
%! ## 100 iterations of every rule agree with the reference to 1e-10 (relative).
%! etas = struct ("gd", 0.5, "adagrad_norm", 0.5, "adaloss", 0.5, "momentum", 0.1,
%!                "nesterov", 0.1, "adagrad", 0.05, "rmsprop", 0.005, "adam", 0.005);
%! for opt = __adagrad_optimizer__ ("names")
%!   eta = etas.(strrep (opt{1}, "-", "_"));
%!   [net, h] = adagrad_train (X, y, "width", 500, "optimizer", opt{1}, "eta", eta,
%!                             "maxiter", 100, "tol", 0, "seed", 1);
%!   [Wr, lr, bsr] = ref_train (X, y, net.W0, net.a, opt{1}, eta, net.params, 100);
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-10, opt{1});
%!   assert (max (abs (h.loss - lr) ./ lr) < 1e-10, opt{1});
%!   assert (max (abs (h.b - bsr) ./ bsr) < 1e-10 || all (isnan ([h.b; bsr])), opt{1});
%!   assert (h.loss(end) < h.loss(1), opt{1});
%! endfor

%!test
%! ## The same with several blocks of hidden units (n = 700, m = 1500).
%! for opt = {"gd", "adagrad-norm", "adaloss", "nesterov", "adam"}
%!   eta = 0.02 / (1 + 9 * strcmp (opt{1}, "adam"));
%!   [net, h] = adagrad_train (Xb, yb, "width", 1500, "optimizer", opt{1}, "eta", eta,
%!                             "maxiter", 50, "tol", 0, "seed", 2);
%!   [Wr, lr] = ref_train (Xb, yb, net.W0, net.a, opt{1}, eta, net.params, 50);
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-10, opt{1});
%!   assert (max (abs (h.loss - lr) ./ lr) < 1e-10, opt{1});
%! endfor

%!test
%! ## PyTorch's defaults: Adagrad starts its accumulator at 0 (b0 = 0 here),
%! ## RMSprop's smoothing constant is 0.99, Adam's betas (0.9, 0.999).
%! net = adagrad_init (10, 50, "optimizer", "adagrad");
%! assert ([net.params.b0 net.params.epsilon], [0 1e-10]);
%! net = adagrad_init (10, 50, "optimizer", "rmsprop");
%! assert ([net.params.rho net.params.epsilon], [0.99 1e-8]);
%! net = adagrad_init (10, 50, "optimizer", "adam");
%! assert ([net.params.beta1 net.params.beta2 net.params.epsilon], [0.9 0.999 1e-8]);

%!test
%! ## A student's loop of adagrad_gradient and adagrad_step follows adagrad_train.
%! for opt = __adagrad_optimizer__ ("names")
%!   [net, h] = adagrad_train (X, y, "width", 400, "optimizer", opt{1}, "eta", 0.02,
%!                             "maxiter", 50, "tol", 0, "seed", 3);
%!   W = net.W0; a = net.a; state = [];
%!   for k = 1:50
%!     [G, loss] = adagrad_gradient (W, a, X, y);
%!     assert (loss, h.loss(k), 1e-12 * loss);
%!     [W, state] = adagrad_step (W, G, state, opt{1}, net.params, "eta", 0.02,
%!                                "resnorm", sqrt (2 * loss), "n", numel (y));
%!   endfor
%!   assert (W, net.W, 1e-12 * norm (W, "fro"));
%!   assert (isequal (W, net.W), opt{1});
%! endfor
