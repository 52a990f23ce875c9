## The tuning-free rules (wngrad, dog, dowg, polyak, dadapt-sgd, prodigy,
## schedule-free, cocob; ../shared/TUNING-FREE.md): the C table against the
## plain reference (ref_train.m), their first two steps written out, their
## state through resumes and thread counts, their parameters' ranges, the
## kernel form where they move along the gradient, and the stop when the
## arithmetic divides by zero.

%!shared X, y, rules, P
%! [X, y] = adagrad_data (60, 10, "seed", 21);
%! rules = {"wngrad", "dog", "dowg", "polyak", "dadapt-sgd", "prodigy", "schedule-free", "cocob"};
%! ## The parity settings: the defaults, but for Polyak's cap and D-Adaptation's
%! ## eta: with stepmax = 1 the Polyak step on this set jumps between the cap
%! ## and the Polyak value, and D-Adaptation at eta = 1 diverges (its d never
%! ## decreases); both amplify round-off (1e-16 to 1e-1 in 200 steps), so
%! ## their parity is shown where the trajectory is stable.
%! P = struct ("polyak", {{"stepmax", 0.5}}, "dadapt_sgd", {{"eta", 0.3}});

## The options of rule R in the settings P (none when P has no field for it).
%!function extra = settings (P, r)
%!  extra = {};
%!  if (isfield (P, strrep (r, "-", "_")))
%!    extra = P.(strrep (r, "-", "_"));
%!  endif
%!endfunction

%!test
%! ## 200 full-batch steps of every rule equal the reference: W to 1e-12
%! ## (relative, Frobenius), the losses to 1e-12 of the first, b (WNGrad)
%! ## and the effective steps to 1e-12 and 1e-10 (relative).
%! for r = rules
%!   extra = settings (P, r{1});
%!   [net, h] = adagrad_train (X, y, "width", 500, "optimizer", r{1}, extra{:},
%!                             "maxiter", 200, "tol", 0, "seed", 1);
%!   [Wr, lr, bsr, ~, sr] = ref_train (X, y, net.W0, net.a, r{1}, net.eta, net.params, 200);
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-12, r{1});
%!   assert (max (abs (h.loss - lr)) / lr(1) < 1e-12, r{1});
%!   assert (max (abs (h.b - bsr) ./ bsr) < 1e-12 || all (isnan ([h.b; bsr])), r{1});
%!   ok = isfinite (sr) & sr > 0;
%!   assert (max (abs (h.step(ok) - sr(ok)) ./ sr(ok)) < 1e-10, r{1});
%!   assert (h.loss(end) < h.loss(1), r{1});
%! endfor

%!test
%! ## Given batches (16 rows drawn with replacement, every fifth cut to 9):
%! ## 200 steps equal the plain mini-batch loop of ref_train; the loss at the
%! ## end is at the evaluation point (schedule-free's x).
%! B = __adagrad_batches__ (60, 16, "replace", 5, 0, 0, 200);
%! B(5:5:end, 10:end) = 0;
%! for r = rules
%!   extra = settings (P, r{1});
%!   [net, h] = adagrad_train (X, y, "width", 500, "optimizer", r{1}, extra{:},
%!                             "batches", B, "tol", 0, "seed", 1);
%!   [Wr, lr] = ref_train (X, y, net.W0, net.a, r{1}, net.eta, net.params, 200, B);
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-12, r{1});
%!   assert (max (abs (h.batchloss(1:end-1) - lr(1:end-1))) / lr(1) < 1e-12, r{1});
%!   [~, lend] = ref_gradient (Wr, net.a, X, y, "squared");
%!   assert (abs (h.loss(end) - lend) / lr(1) < 1e-12, r{1});
%! endfor

%!test
%! ## Single precision: 100 steps within 1e-3 of the double reference (W,
%! ## relative; losses relative to the first; measured: 4e-4 at most, DoWG).
%! ## Prodigy at d0 = 1e-4: at its default 1e-6 its first steps move W's
%! ## entries (of order 1) by about 1e-6, within a few ulps of single
%! ## precision, and the rounding of those steps alone leaves W 5% off.
%! ## COCOB over 50 steps: its per-entry bets turn the single-precision
%! ## round-off of the gradient into moves of their own; on this set W
%! ## follows the double reference to 2e-7 for 50 steps, then 40 entries
%! ## part by over 1e-4 at step 60 and W by 0.4% at 100 under OpenBLAS's Cooperlake
%! ## single products (Debian 12's 0.3.21 and Debian 13's 0.3.29 alike),
%! ## 5e-7 under its Haswell ones: the products' summation order decides.
%! Q = setfield (P, "prodigy", {"d0", 1e-4});
%! for r = rules
%!   extra = settings (Q, r{1});
%!   k = 100 - 50 * strcmp (r{1}, "cocob");
%!   [net, h] = adagrad_train (single (X), single (y), "width", 500, "optimizer", r{1},
%!                             extra{:}, "maxiter", k, "tol", 0, "seed", 1);
%!   assert (class (net.W), "single");
%!   [Wr, lr] = ref_train (X, y, double (net.W0), double (net.a), r{1}, net.eta, net.params, k);
%!   assert (norm (double (net.W) - Wr, "fro") / norm (Wr, "fro") < 1e-3, r{1});
%!   assert (max (abs (h.loss - lr)) / lr(1) < 1e-3, r{1});
%! endfor

%!test
%! ## The first two steps of each rule written out on a tiny problem
%! ## (n = 3, d = 2, m = 4), with the closed forms of the first step the
%! ## sources note.
%! Xs = [0.6 0.8; -1 0; 0.28 -0.96];
%! ys = [0.5; -0.3; 0.2];
%! net0 = adagrad_init (2, 4, "seed", 5);
%! [W0, a] = deal (net0.W, net0.a);
%! nrm = @(A) norm (A(:));
%! for r = rules
%!   net = adagrad_init (2, 4, "seed", 5, "optimizer", r{1});
%!   p = net.params;
%!   eta = net.eta;
%!   [G0, L0] = ref_gradient (W0, a, Xs, ys, "squared");
%!   switch (r{1})
%!     case "wngrad"
%!       b1 = p.b0 + eta ^ 2 * nrm (G0) ^ 2 / p.b0 + p.epsilon;
%!       W1 = W0 - eta / b1 * G0;
%!     case "dog"
%!       rbar = p.reps * (1 + nrm (W0));
%!       S = nrm (G0) ^ 2 + p.epsilon;
%!       W1 = W0 - eta * rbar / sqrt (S) * G0;
%!     case "dowg"
%!       v = p.epsilon * nrm (G0) ^ 2;
%!       W1 = W0 - eta * p.epsilon / (sqrt (v) + p.epsilon) * G0;
%!     case "polyak"
%!       W1 = W0 - eta * min (L0 / (eta ^ 2 * nrm (G0) ^ 2), p.stepmax) * G0;
%!     case "dadapt-sgd"
%!       W1 = W0 - p.d0 * eta / nrm (G0) * G0;   # a first move of norm d0*eta
%!       d1 = p.d0;                               # <g0, s0> = 0: d stays d0
%!       s1 = p.d0 * eta / nrm (G0) * G0;
%!     case "prodigy"
%!       b3 = sqrt (p.beta2);
%!       W1 = W0 - p.d0 * eta * (p.d0 * (1 - p.beta1) * G0) ...
%!                 ./ (sqrt (p.d0 ^ 2 * (1 - p.beta2) * G0 .^ 2) + p.d0 * p.epsilon);
%!     case "schedule-free"
%!       W1 = W0 - eta * G0;                      # x1 = y1 = z1
%!     case "cocob"
%!       W1 = W0 - sign (G0) / p.alpha;           # every entry with |g| > eps
%!   endswitch
%!   [n1, h1] = adagrad_train (net, Xs, ys, "maxiter", 1, "tol", 0);
%!   assert (n1.W, W1, 1e-14 * max (1, nrm (W1)));
%!   ## The second step, from the state after the first.
%!   [G1, L1] = ref_gradient (W1, a, Xs, ys, "squared");
%!   switch (r{1})
%!     case "wngrad"
%!       b2 = b1 + eta ^ 2 * nrm (G1) ^ 2 / b1 + p.epsilon;
%!       W2 = W1 - eta / b2 * G1;
%!     case "dog"
%!       rbar = max (rbar, nrm (W1 - W0));
%!       S += nrm (G1) ^ 2;
%!       W2 = W1 - eta * rbar / sqrt (S) * G1;
%!     case "dowg"
%!       r2 = max (p.epsilon, nrm (W1 - W0) ^ 2);
%!       v += r2 * nrm (G1) ^ 2;
%!       W2 = W1 - eta * r2 / (sqrt (v) + p.epsilon) * G1;
%!     case "polyak"
%!       W2 = W1 - eta * min (L1 / (eta ^ 2 * nrm (G1) ^ 2), p.stepmax) * G1;
%!     case "dadapt-sgd"
%!       dlr = d1 * eta / nrm (G0);
%!       W2 = W0 - (s1 + dlr * G1);
%!     case "prodigy"
%!       M1 = p.d0 * (1 - p.beta1) * G0;
%!       V1 = p.d0 ^ 2 * (1 - p.beta2) * G0 .^ 2;
%!       s1 = p.d0 * G0;
%!       dnum = p.d0 * (G1(:)' * (W0(:) - W1(:)));
%!       s2 = b3 * s1 + p.d0 * G1;
%!       d2 = max (p.d0, dnum / sum (abs (s2(:))));
%!       M2 = p.beta1 * M1 + p.d0 * (1 - p.beta1) * G1;
%!       V2 = p.beta2 * V1 + p.d0 ^ 2 * (1 - p.beta2) * G1 .^ 2;
%!       W2 = W1 - p.d0 * eta * M2 ./ (sqrt (V2) + d2 * p.epsilon);
%!     case "schedule-free"
%!       ## Weights lr^2 both times: c = 1/2; z2 = z1 - lr g(y1), x2 the mean.
%!       z2 = W1 - eta * G1;
%!       W2 = (W1 + z2) / 2;   # x2 (the network's W); y2 = 0.9 x2 + 0.1 z2
%!     case "cocob"
%!       c0 = eta * G0;
%!       c1 = eta * G1;
%!       L = max (abs (c0), abs (c1));
%!       Ga = abs (c0) + abs (c1);
%!       R = max (0 - c1 .* (W1 - W0), 0);
%!       C = -c0 - c1;
%!       W2 = W0 + C ./ (L .* max (Ga + L, p.alpha * L)) .* (L + R);
%!   endswitch
%!   [n2, h2] = adagrad_train (net, Xs, ys, "maxiter", 2, "tol", 0);
%!   assert (n2.W, W2, 1e-13 * max (1, nrm (W2)));
%! endfor

%!test
%! ## With the defaults on the synthetic set (n = 100, d = 20, m = 1000):
%! ## every rule brings the loss down within 300 steps, all but WNGrad (whose
%! ## default eta = 1e-2 is slow here) below a tenth of its start;
%! ## D-Adaptation, whose d never decreases, then diverges (its step freezes
%! ## at d/||g0|| above the stability edge), as its source has no safeguard.
%! [Xs, ys] = adagrad_data (100, 20, "seed", 1);
%! for r = rules
%!   [net, h] = adagrad_train (Xs, ys, "optimizer", r{1}, "width", 1000, "maxiter", 300,
%!                             "tol", 0, "seed", 1);
%!   assert (min (h.loss) < h.loss(1) / merge (strcmp (r{1}, "wngrad"), 2, 10), r{1});
%!   if (! strcmp (r{1}, "dadapt-sgd"))
%!     assert (h.loss(end) < h.loss(1) / merge (strcmp (r{1}, "wngrad"), 2, 10), r{1});
%!   else
%!     assert (h.loss(end) > h.loss(1), r{1});
%!   endif
%! endfor

%!test
%! ## Resumed: 40 steps and 40 more equal 80 in one call, bitwise (W and every
%! ## part of the state); 1 and 2 threads give the same bits.
%! for r = rules
%!   [n80, h80] = adagrad_train (X, y, "width", 300, "optimizer", r{1}, "maxiter", 80,
%!                               "tol", 0, "seed", 3, "threads", 1);
%!   n40 = adagrad_train (X, y, "width", 300, "optimizer", r{1}, "maxiter", 40, "tol", 0,
%!                        "seed", 3, "threads", 2);
%!   [n2, h2] = adagrad_train (n40, X, y, "maxiter", 40, "tol", 0, "threads", 2);
%!   assert (isequal (n2.W, n80.W) && isequal (n2.state, n80.state), r{1});
%!   assert (isequal (h2.loss(end), h80.loss(end)), r{1});
%! endfor

%!test
%! ## The state: the table's fields, x0 the first W, schedule-free's y and z.
%! n = adagrad_train (X, y, "width", 50, "optimizer", "dog", "maxiter", 3, "tol", 0, "seed", 2);
%! assert (fieldnames (n.state)', {"t", "rbar", "S", "x0"});
%! assert (n.state.x0, n.W0);
%! assert (n.state.t, 3);
%! n = adagrad_train (X, y, "width", 50, "optimizer", "schedule-free", "maxiter", 5,
%!                    "tol", 0, "seed", 2);
%! assert (fieldnames (n.state)', {"k", "wsum", "lrmax", "z", "y"});
%! assert (n.W, (n.state.y - 0.1 * n.state.z) / 0.9, 1e-12);   # y = 0.9 x + 0.1 z
%! n = adagrad_train (X, y, "width", 50, "optimizer", "cocob", "maxiter", 2, "tol", 0, "seed", 2);
%! assert (fieldnames (n.state)', {"t", "L", "Gabs", "R", "C", "x0"});
%! assert (adagrad_init (3, 4, "optimizer", "wngrad").eta, 1e-2);
%! assert (adagrad_init (3, 4, "optimizer", "prodigy").params.beta3, NaN);
%! assert (adagrad_init (3, 4, "optimizer", "dadapt-sgd").params.growth, Inf);

%!test
%! ## The kernel form runs the rules whose step is a multiple of G with
%! ## scalar state (wngrad, polyak): equal to the primal form to 1e-10.
%! for c = {{"wngrad", "eta", 0.5}, {"polyak", "stepmax", 0.5}}
%!   c = c{1};
%!   [np, hp] = adagrad_train (X, y, "optimizer", c{1}, c{2}, c{3}, "width", 400,
%!                             "maxiter", 100, "tol", 0, "seed", 4, "form", "primal");
%!   [nk, hk] = adagrad_train (X, y, "optimizer", c{1}, c{2}, c{3}, "width", 400,
%!                             "maxiter", 100, "tol", 0, "seed", 4, "form", "kernel");
%!   assert (hk.form, "kernel");
%!   assert (norm (nk.W - np.W, "fro") / norm (np.W, "fro") < 1e-10, c{1});
%!   assert (max (abs (hk.loss - hp.loss)) / hp.loss(1) < 1e-10, c{1});
%! endfor

%!error <FORM "kernel" needs a rule whose steps are combinations of gradients \(.*wngrad, polyak\); dog is not one> adagrad_train (X, y, "optimizer", "dog", "width", 20, "maxiter", 2, "form", "kernel")

%!test
%! ## A division by zero stops the run with the reason "undefined" and a
%! ## warning, W(k) kept: D-Adaptation whose first batch has a zero gradient
%! ## (targets equal to the network's outputs on the batch's rows).
%! net = adagrad_init (10, 50, "seed", 6, "optimizer", "dadapt-sgd");
%! yz = y;
%! yz(1:5) = adagrad_predict (net, X(1:5, :));
%! B = [1:5; 6:10];
%! lastwarn ("");
%! [n1, h1] = adagrad_train (net, X, yz, "batches", B, "tol", 0);
%! [~, id] = lastwarn ();
%! assert ({h1.stop, n1.iter, id}, {"undefined", 0, "adagrad:undefined"});
%! assert (isequal (n1.W, net.W));

%!error <BETA3 must be a finite real scalar in \[0, 1\) or NaN> adagrad_init (2, 3, "optimizer", "prodigy", "beta3", 1)
%!error <D0 must be a finite real scalar in \(0, Inf\)> adagrad_init (2, 3, "optimizer", "prodigy", "d0", -1)
%!error <GROWTH must be a finite real scalar in \(0, Inf\] or Inf> adagrad_init (2, 3, "optimizer", "dadapt-sgd", "growth", 0)
%!error <ALPHA must be a finite real scalar in \(0, Inf\)> adagrad_init (2, 3, "optimizer", "cocob", "alpha", 0)
%!error <MOMENTUM must be a finite real scalar in \[0, 1\]> adagrad_init (2, 3, "optimizer", "schedule-free", "momentum", 1.5)
%!error <EPSILON must be a finite real scalar in \(0, Inf\)> adagrad_init (2, 3, "optimizer", "dowg", "epsilon", 0)
%!error <STEPMAX must be a finite real scalar in \(0, Inf\)> adagrad_init (2, 3, "optimizer", "polyak", "stepmax", 0)
%!error <REPS must be a finite real scalar in \(0, Inf\)> adagrad_init (2, 3, "optimizer", "dog", "reps", 0)
%!error <B0 must be a finite real scalar in \(0, Inf\)> adagrad_init (2, 3, "optimizer", "wngrad", "b0", 0)
%!error <WARMUP must be a finite real scalar in \[0, Inf\)> adagrad_init (2, 3, "optimizer", "schedule-free", "warmup", -1)
%!error <the dog rule has no parameter ALPHA> adagrad_init (2, 3, "optimizer", "dog", "alpha", 1)

## The checkpoint FILE as a run cut short there (the state a kill leaves),
## with its digest.
%!function checkpoint = as_cut (file)
%!  checkpoint = load (file).checkpoint;
%!  checkpoint.hist.stop = "";
%!  digest = __adagrad_fingerprint__ (checkpoint);
%!  save ("-binary", file, "checkpoint", "digest");
%!endfunction

%!test
%! ## A checkpoint cut at iteration 17 by an output function and resumed
%! ## with adagrad_resume: bitwise the run of 40 without the cut, for the
%! ## rules with arrays (x0, schedule-free's y and z, Prodigy's four, COCOB's
%! ## five), on mini-batches.
%! for r = {"schedule-free", "prodigy", "cocob", "dadapt-sgd"}
%!   f = [tempname() ".ckpt"];
%!   unwind_protect
%!     args = {"width", 80, "optimizer", r{1}, "maxiter", 40, "tol", 0, "seed", 5, ...
%!             "batchsize", 16};
%!     [nref, href] = adagrad_train (X, y, args{:});
%!     adagrad_train (X, y, args{:}, "checkpoint", f, "checkpointevery", 5,
%!                    "outputfcn", @(n, i) i.iter >= 17, "outputevery", 1);
%!     c = as_cut (f);
%!     assert (c.net.iter, 17);
%!     [net, hist] = adagrad_resume (f, X, y);
%!     assert (isequal (net.W, nref.W) && isequal (net.state, nref.state), r{1});
%!     known = isfinite (href.loss);   # the cut adds an evaluation at 17
%!     assert (isequal (hist.loss(known), href.loss(known)), r{1});
%!     assert (isequaln (hist.rate, href.rate) && isequaln (hist.batchloss, href.batchloss), r{1});
%!   unwind_protect_cleanup
%!     unlink (f);
%!   end_unwind_protect
%! endfor
