## Parity of the C implementation with the plain vectorized reference (ref_train.m)
## and with the hand-written loop of adagrad_gradient and adagrad_step, for
## the eight rules of 0.7.0 (tests/test_tuning_free.m does the same for the
## tuning-free rules, with their own settings).

%!shared X, y, Xb, yb, old
%! old = {"gd", "adagrad-norm", "adaloss", "momentum", "nesterov", "adagrad", "rmsprop", "adam"};
%! [X, y] = adagrad_data (60, 10, "seed", 21);
%! ## Width 1500 takes six blocks of 256 hidden units in the C core (the least
%! ## block; m/16 is smaller), the last one partial.
%! [Xb, yb] = adagrad_data (700, 12, "seed", 22, "labels", "teacher");

%!test
%! ## 100 iterations of every rule agree with the reference to 1e-10 (relative).
%! etas = struct ("gd", 0.5, "adagrad_norm", 0.5, "adaloss", 0.5, "momentum", 0.1,
%!                "nesterov", 0.1, "adagrad", 0.05, "rmsprop", 0.005, "adam", 0.005);
%! for opt = old
%!   eta = etas.(strrep (opt{1}, "-", "_"));
%!   [net, h] = adagrad_train (X, y, "width", 500, "optimizer", opt{1}, "eta", eta,
%!                             "maxiter", 100, "tol", 0, "seed", 1);
%!   [Wr, lr, bsr, ~, sr] = ref_train (X, y, net.W0, net.a, opt{1}, eta, net.params, 100);
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-10, opt{1});
%!   assert (max (abs (h.loss - lr) ./ lr) < 1e-10, opt{1});
%!   assert (max (abs (h.b - bsr) ./ bsr) < 1e-10 || all (isnan ([h.b; bsr])), opt{1});
%!   ## The effective step ||W(k+1) - W(k)|| / ||G(k)||, every rule alike.
%!   assert (isnan ([h.step(1) sr(1)]), opt{1});
%!   assert (max (abs (h.step(2:end) - sr(2:end)) ./ sr(2:end)) < 1e-9, opt{1});
%!   assert (h.loss(end) < h.loss(1), opt{1});
%! endfor

%!test
%! ## 200 steps, full batch and given batches (16 rows with replacement,
%! ## every fifth cut to 9): W to 1e-12 (relative) and the losses to 1e-12 of
%! ## the first (measured: 1.4e-15 and 4.1e-15 at most), as the tuning-free
%! ## rules in tests/test_tuning_free.m.
%! etas = struct ("gd", 0.5, "adagrad_norm", 0.5, "adaloss", 0.5, "momentum", 0.1,
%!                "nesterov", 0.1, "adagrad", 0.05, "rmsprop", 0.005, "adam", 0.005);
%! B = __adagrad_batches__ (60, 16, "replace", 5, 0, 0, 200);
%! B(5:5:end, 10:end) = 0;
%! for opt = old
%!   eta = etas.(strrep (opt{1}, "-", "_"));
%!   args = {"width", 500, "optimizer", opt{1}, "eta", eta, "tol", 0, "seed", 1};
%!   [net, h] = adagrad_train (X, y, args{:}, "maxiter", 200);
%!   [Wr, lr] = ref_train (X, y, net.W0, net.a, opt{1}, eta, net.params, 200);
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-12, opt{1});
%!   assert (max (abs (h.loss - lr)) / lr(1) < 1e-12, opt{1});
%!   [net, h] = adagrad_train (X, y, args{:}, "batches", B);
%!   [Wr, lr] = ref_train (X, y, net.W0, net.a, opt{1}, eta, net.params, 200, B);
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-12, opt{1});
%!   assert (max (abs (h.batchloss(1:end-1) - lr(1:end-1))) / lr(1) < 1e-12, opt{1});
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
%! ## Mini-batches: 100 steps of every rule on a replayed schedule (batches of
%! ## 16 drawn with replacement, every fifth cut to 9 rows) agree with the
%! ## plain mini-batch loop of ref_train to 1e-10 (relative).
%! etas = struct ("gd", 0.2, "adagrad_norm", 0.5, "adaloss", 0.5, "momentum", 0.05,
%!                "nesterov", 0.05, "adagrad", 0.05, "rmsprop", 0.005, "adam", 0.005);
%! B = __adagrad_batches__ (60, 16, "replace", 5, 0, 0, 100);
%! B(5:5:end, 10:end) = 0;
%! for opt = old
%!   eta = etas.(strrep (opt{1}, "-", "_"));
%!   [net, h] = adagrad_train (X, y, "width", 500, "optimizer", opt{1}, "eta", eta,
%!                             "batches", B, "tol", 0, "seed", 1, "recordbatches", true);
%!   [Wr, lr, bsr, ~, sr] = ref_train (X, y, net.W0, net.a, opt{1}, eta, net.params, 100, B);
%!   assert (isequal (h.batches, B) && net.iter == 100, opt{1});
%!   assert (max (abs (h.step(2:end) - sr(2:end)) ./ sr(2:end)) < 1e-9, opt{1});
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-10, opt{1});
%!   assert (max (abs (h.batchloss(1:end-1) - lr(1:end-1)) ./ lr(1:end-1)) < 1e-10, opt{1});
%!   assert (abs (h.loss(end) - lr(end)) / lr(end) < 1e-10, opt{1});
%!   assert (max (abs (h.b - bsr) ./ bsr) < 1e-10 || all (isnan ([h.b; bsr])), opt{1});
%!   assert (h.loss(end) < h.loss(1), opt{1});
%! endfor

%!test
%! ## Batches that hold every row, in a new order each step, follow the
%! ## full-batch trajectory to 1e-12 (every rule; and a function rule).
%! K = 30;
%! P = zeros (K, 60);
%! for k = 1:K
%!   P(k, :) = randperm (60);
%! endfor
%! hb = @(W, G, s, info) deal (W - 0.1 * G, s);
%! for opt = [old, {hb}]
%!   args = {"width", 300, "optimizer", opt{1}, "eta", 0.01, "tol", 0, "seed", 4};
%!   [nf, hf] = adagrad_train (X, y, args{:}, "maxiter", K);
%!   [np, hp] = adagrad_train (X, y, args{:}, "batches", P, "evalevery", 1);
%!   name = func2str (@() opt{1});
%!   assert (norm (np.W - nf.W, "fro") / norm (nf.W, "fro") < 1e-12, name);
%!   assert (max (abs (hp.loss - hf.loss) ./ hf.loss) < 1e-12, name);
%!   assert (max (abs (hp.batchloss(1:K) - hf.loss(1:K)) ./ hf.loss(1:K)) < 1e-12, name);
%!   assert (hp.epoch, (0:K)');
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
%! for opt = old
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

%!test
%! ## The logistic loss (labels +-1): every rule against the reference to
%! ## 1e-10, full batch and the replayed mini-batches; AdaLoss takes sqrt (2 L).
%! c = 2 * (y > median (y)) - 1;
%! etas = struct ("gd", 0.5, "adagrad_norm", 0.5, "adaloss", 0.5, "momentum", 0.1,
%!                "nesterov", 0.1, "adagrad", 0.05, "rmsprop", 0.005, "adam", 0.005);
%! B = __adagrad_batches__ (60, 16, "replace", 5, 0, 0, 40);
%! for opt = old
%!   eta = etas.(strrep (opt{1}, "-", "_"));
%!   [net, h] = adagrad_train (X, c, "width", 300, "optimizer", opt{1}, "eta", eta,
%!                             "maxiter", 40, "tol", 0, "seed", 1, "loss", "logistic");
%!   P = net.params;
%!   P.loss = "logistic";
%!   [Wr, lr, bsr, ~, sr] = ref_train (X, c, net.W0, net.a, opt{1}, eta, P, 40);
%!   assert (h.lossname, "logistic");
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-10, opt{1});
%!   assert (max (abs (h.loss - lr) ./ lr) < 1e-10, opt{1});
%!   assert (max (abs (h.b - bsr) ./ bsr) < 1e-10 || all (isnan ([h.b; bsr])), opt{1});
%!   assert (max (abs (h.step(2:end) - sr(2:end)) ./ sr(2:end)) < 1e-9, opt{1});
%!   assert (h.loss(end) < h.loss(1), opt{1});
%!   [net, h] = adagrad_train (X, c, "width", 300, "optimizer", opt{1}, "eta", eta,
%!                             "batches", B, "tol", 0, "seed", 1, "loss", "logistic");
%!   [Wr, lr] = ref_train (X, c, net.W0, net.a, opt{1}, eta, P, 40, B);
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-10, opt{1});
%!   assert (max (abs (h.batchloss(1:end-1) - lr(1:end-1)) ./ lr(1:end-1)) < 1e-10, opt{1});
%! endfor
%! ## The kernel form takes the loss from the table too.
%! [nk, hk] = adagrad_train (X, c, "width", 300, "optimizer", "adaloss", "maxiter", 40,
%!                           "tol", 0, "seed", 1, "loss", "logistic", "form", "kernel");
%! [np, hp] = adagrad_train (X, c, "width", 300, "optimizer", "adaloss", "maxiter", 40,
%!                           "tol", 0, "seed", 1, "loss", "logistic", "form", "primal");
%! assert (hk.form, "kernel");
%! assert (max (abs (hk.loss - hp.loss) ./ hp.loss) < 1e-10);
%! assert (hk.accuracy, hp.accuracy);
%! assert (all (hp.accuracy >= 0 & hp.accuracy <= 1));
%! out = evalc ('adagrad_train (X, c, "width", 50, "maxiter", 5, "seed", 1, "loss", "logistic", "display", "final");');
%! assert (! isempty (regexp (out, 'at iteration 5 \(accuracy 0\.\d{4}\)')));
%! ## What the run computes outside the loop takes the run's loss too: the
%! ## last iterate's loss (mini-batches, not an evaluation point), gradient
%! ## norm and validation loss; the output function's first loss; the oracle
%! ## of a rule written in Octave.
%! [nm, hm] = adagrad_train (X, c, "width", 50, "maxiter", 7, "tol", 0, "seed", 1,
%!                           "loss", "logistic", "batchsize", 8, "evalevery", 100,
%!                           "validation", {X(1:9, :), c(1:9)});
%! [Gm, Lm] = adagrad_gradient (nm.W, nm.a, X, c, "loss", "logistic");
%! [~, Lv] = adagrad_gradient (nm.W, nm.a, X(1:9, :), c(1:9), "loss", "logistic");
%! assert (hm.loss(end), Lm, 1e-12 * Lm);
%! assert (hm.gnorm(end), norm (Gm, "fro"), 1e-12 * hm.gnorm(end));
%! assert (hm.vloss(end), Lv * rows (X) / 9, 1e-12 * Lv * rows (X) / 9);
%! [n0, h0] = adagrad_train (X, c, "width", 50, "maxiter", 2, "tol", 0, "seed", 1,
%!                           "loss", "logistic", "outputfcn", @(n, i) false);
%! [~, L0] = adagrad_gradient (n0.W0, n0.a, X, c, "loss", "logistic");
%! assert (h0.loss(1), L0, 1e-12 * L0);
%! rule = @(W, G, s, info) deal (W - 0.1 * G, info.oracle (W));
%! [nr, hr] = adagrad_train (X, c, "width", 50, "maxiter", 3, "tol", 0, "seed", 1,
%!                           "loss", "logistic", "optimizer", rule);
%! assert (nr.state, hr.loss(3), 1e-12 * hr.loss(3));
%! ## Labels that are not +-1 are refused, naming the argument.
%! fail ("adagrad_train (X, y, 'loss', 'logistic')", "Y must hold labels \\+1 and -1 for the logistic loss");
%! fail ("adagrad_train (X, c, 'loss', 'logistic', 'validation', {X, y})", "VALIDATION\\{2\\} \\(yv\\) must hold labels");
%! ## The theory's squared-loss tools refuse such a run.
%! fail ("adagrad_linearized (np, hp, X, c)", "the linearized dynamics .* are those of the squared loss");
%! fail ("adagrad_check (np, hp, X, c)", "the theory's checks are those of the squared loss");
%! [u, cl] = adagrad_predict (np, X);
%! assert (cl, 2 * (u >= 0) - 1);
%! assert (mean (cl == c) > 0.6);

%!test
%! ## K = 3 outputs: the squared loss on an n-by-3 Y, on one-hot targets
%! ## ("classes") and the softmax loss on labels, every rule against the
%! ## reference to 1e-10, full batch (200 steps) and the replayed
%! ## mini-batches; single to 1e-4.  With softmax a unit whose output
%! ## weights are all equal has G = 0 in exact arithmetic (softmax does not
%! ## change when every output moves alike): its computed G is rounding,
%! ## which the per-coordinate rules (adagrad, rmsprop, adam) scale up to
%! ## steps of eta's size; there W agrees to 1e-7 (measured: 2e-8) and the
%! ## loss still to 1e-10.
%! etas = struct ("gd", 0.3, "adagrad_norm", 0.3, "adaloss", 0.3, "momentum", 0.1,
%!                "nesterov", 0.1, "adagrad", 0.05, "rmsprop", 0.005, "adam", 0.005);
%! c = 1 + mod ((1:60)', 3);
%! Y = [y, -y, y.^2];
%! B = __adagrad_batches__ (60, 16, "shuffle", 5, 0, 0, 40);
%! cases = {{"squared", Y, false, Y}, {"squared", c, true, double((1:3) == c)}, ...
%!          {"softmax", c, false, c}};
%! for t = 1:numel (cases)
%!   [lossname, targets, classes, yref] = deal (cases{t}{:});
%!   for opt = old
%!     eta = etas.(strrep (opt{1}, "-", "_"));
%!     args = {"width", 300, "optimizer", opt{1}, "eta", eta, "tol", 0, "seed", 1, ...
%!             "loss", lossname, "classes", classes};
%!     [net, h] = adagrad_train (X, targets, args{:}, "maxiter", 200);
%!     P = net.params;
%!     P.loss = lossname;
%!     [Wr, lr, bsr] = ref_train (X, yref, net.W0, net.a, opt{1}, eta, P, 200);
%!     what = sprintf ("%s %s %d", lossname, opt{1}, classes);
%!     wtol = merge (strcmp (lossname, "softmax")
%!                   && __adagrad_optimizer__ ("info", opt{1}).per_coordinate, 1e-7, 1e-10);
%!     assert (size (net.a), [300 3]);
%!     assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < wtol, what);
%!     assert (max (abs (h.loss - lr) ./ lr) < 1e-10, what);
%!     assert (max (abs (h.b - bsr) ./ bsr) < 1e-10 || all (isnan ([h.b; bsr])), what);
%!     assert (h.loss(end) < h.loss(1), what);
%!     [net, h] = adagrad_train (X, targets, args{:}, "batches", B);
%!     [Wr, lr] = ref_train (X, yref, net.W0, net.a, opt{1}, eta, P, 40, B);
%!     assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < wtol, what);
%!     assert (max (abs (h.batchloss(1:end-1) - lr(1:end-1)) ./ lr(1:end-1)) < 1e-10, what);
%!   endfor
%!   [ns, hs] = adagrad_train (single (X), targets, args{:}, "optimizer", "adaloss",
%!                             "eta", 0.3, "maxiter", 50);
%!   [nd, hd] = adagrad_train (X, targets, args{:}, "optimizer", "adaloss", "eta", 0.3,
%!                             "maxiter", 50);
%!   assert (class (ns.W), "single");
%!   assert (max (abs (hs.loss - hd.loss) ./ hd.loss) < 1e-4, lossname);
%! endfor

%!test
%! ## Accuracy with K outputs: the fraction of rows whose largest output is
%! ## the label (softmax; one-hot targets), at every iterate, the last one
%! ## against adagrad_predict's classes; the validation's too.
%! c = 1 + mod ((1:60)', 3);
%! for t = {{"softmax", false}, {"squared", true}}
%!   [net, h] = adagrad_train (X, c, "width", 300, "maxiter", 30, "seed", 2, "loss", t{1}{1},
%!                             "classes", t{1}{2}, "validation", {X(1:20, :), c(1:20)},
%!                             "tol", 0);
%!   [U, cl] = adagrad_predict (net, X);
%!   [~, want] = max (U, [], 2);
%!   assert (size (U), [60 3]);
%!   assert (cl, want);
%!   assert (h.accuracy(end), mean (cl == c));
%!   assert (h.vaccuracy(end), mean (cl(1:20) == c(1:20)));
%!   assert (all (h.accuracy >= 0 & h.accuracy <= 1));
%! endfor

%!test
%! ## K = 1 squared runs are bitwise those of one output (a as m-by-1, the
%! ## default network); the gradient of K outputs against the reference.
%! net = adagrad_init (10, 40, "seed", 5, "outputs", 3);
%! c = 1 + mod ((1:60)', 3);
%! for t = {{"squared", [y, 2 * y, -y]}, {"softmax", c}}
%!   [G, L, U] = adagrad_gradient (net.W, net.a, X, t{1}{2}, "loss", t{1}{1});
%!   [Gr, Lr, Ur] = ref_gradient (net.W, net.a, X, t{1}{2}, t{1}{1});
%!   assert (G, Gr, 1e-12 * norm (Gr, "fro"));
%!   assert (L, Lr, 1e-12 * Lr);
%!   assert (U, Ur, 1e-12 * norm (Ur, "fro"));
%! endfor

%!error <adagrad_train: the softmax loss takes .= 2 outputs; the network has 1> adagrad_train (X, ones (60, 1), "loss", "softmax", "width", 4)
%!error <adagrad_train: the logistic loss takes 1 outputs; the network has 3> adagrad_train (X, ones (60, 1), "loss", "logistic", "width", 4, "outputs", 3)
%!error <adagrad_train: Y must hold class labels, integers from 1 to 3 \(the outputs\), one per row for the softmax loss> adagrad_train (X, [1 + mod((1:59)', 3); 1.5], "loss", "softmax", "width", 4)
%!error <adagrad_train: Y must hold class labels, integers from 1 to 2 \(the outputs\), one per row \(CLASSES\)> adagrad_train (X, [1 + mod((1:59)', 2); 3], "classes", true, "width", 4, "outputs", 2)
%!error <adagrad_train: Y has 2 columns and the network 3 outputs> adagrad_train (X, ones (60, 2), "width", 4, "outputs", 3)
%!error <adagrad_train: Y must be finite> adagrad_train (X, [ones(59, 2); NaN 1], "width", 4)
%!test
%! ## The kernel form with K = 3 outputs (the output weights in its
%! ## coefficients): the primal run of every linear rule, the squared loss
%! ## on Y, one-hot targets and softmax, full batch and mini-batches, to
%! ## 1e-10; "auto" takes it where n < 2d; a continuation goes on from
%! ## net.kernel as one call does.
%! c = 1 + mod ((1:60)', 3);
%! Y = [y, -y, y.^2];
%! R = __adagrad_rules__ ();
%! for rule = {R([R.linear]).name}
%!   for t = {{"squared", Y, false}, {"squared", c, true}, {"softmax", c, false}}
%!     for bs = {{}, {"batchsize", 16}}
%!       args = {"width", 200, "optimizer", rule{1}, "eta", 0.05, "tol", 0, "seed", 1, ...
%!               "loss", t{1}{1}, "classes", t{1}{3}, "maxiter", 40, bs{1}{:}};
%!       [np, hp] = adagrad_train (X, t{1}{2}, args{:}, "form", "primal");
%!       [nk, hk] = adagrad_train (X, t{1}{2}, args{:}, "form", "kernel", "reform", 15);
%!       what = sprintf ("%s %s %d %d", rule{1}, t{1}{1}, t{1}{3}, numel (bs{1}));
%!       assert (hk.form, "kernel", what);
%!       assert (norm (nk.W - np.W, "fro") / norm (np.W, "fro") < 1e-10, what);
%!       ok = isfinite (hp.loss);
%!       assert (max (abs (hk.loss(ok) - hp.loss(ok)) ./ hp.loss(ok)) < 1e-10, what);
%!     endfor
%!   endfor
%! endfor
%! [Xw, yw] = adagrad_data (30, 80, "seed", 2);
%! [~, ha] = adagrad_train (Xw, 1 + mod ((1:30)', 3), "classes", true, "width", 500,
%!                          "maxiter", 50, "form", "auto");
%! assert (ha.form, "kernel");
%! n1 = adagrad_train (Xw, 1 + mod ((1:30)', 3), "classes", true, "width", 500,
%!                     "maxiter", 20, "form", "kernel", "seed", 4);
%! n2 = adagrad_train (n1, Xw, 1 + mod ((1:30)', 3), "classes", true, "maxiter", 30,
%!                     "form", "kernel");
%! n3 = adagrad_train (Xw, 1 + mod ((1:30)', 3), "classes", true, "width", 500,
%!                     "maxiter", 50, "form", "kernel", "seed", 4);
%! assert (isequal (n2.W, n3.W));
%!error <adagrad_train: CLASSES makes one-hot targets for the squared loss> adagrad_train (X, 1 + mod((1:60)', 3), "classes", true, "loss", "softmax", "width", 4)
%!error <adagrad_train: OUTPUTS cannot be given with an initial network> adagrad_train (adagrad_init (10, 4), X, y, "outputs", 2)
