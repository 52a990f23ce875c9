## The event form of the step ("form", "event"; doc/theory.md, "The event
## form"): the same trajectories as the primal form and the plain reference
## (ref_train.m), every activation flip found and handled, bitwise the same
## across calls, resumes and thread counts, and the refusals.

%!shared X, y, H
%! [X, y] = adagrad_data (40, 8, "seed", 41);
%! H = norm (adagrad_gram (X));

%!function [net, h] = run (X, y, form, varargin)
%!  [net, h] = adagrad_train (X, y, "tol", 0, "seed", 5, "form", form, "display", "off",
%!                            varargin{:});
%!endfunction

## While the loss is above 1e-10 of its start: the largest relative
## difference of the two loss histories.
%!function r = lossgap (ha, hb)
%!  keep = hb.loss > 1e-10 * hb.loss(1);
%!  r = max (abs (ha.loss(keep) - hb.loss(keep)) ./ hb.loss(keep));
%!endfunction

%!test
%! ## 2000 steps of gd, adagrad-norm and adaloss, b0 below and above the
%! ## critical eta*||H_inf||, against the primal form from the same W0:
%! ## losses to 1e-10 (relative, while above 1e-10 of the start), W to 1e-9,
%! ## b and the effective step to 1e-10, the diagnostics (flips since W0,
%! ## movement) alike, the final pattern equal but for entries at round-off.
%! eta = 1 / H;
%! for c = {{"gd", NaN}, {"adagrad-norm", 0.1 * eta * H}, {"adagrad-norm", 10 * eta * H}, ...
%!          {"adaloss", 0.1 * eta * H}, {"adaloss", 10 * eta * H}}
%!   [rule, b0] = deal (c{1}{:});
%!   args = {"width", 400, "optimizer", rule, "eta", eta, "maxiter", 2000, "diagnostics", 250};
%!   if (! isnan (b0))
%!     args = [args, {"b0", b0}];
%!   endif
%!   [np, hp] = run (X, y, "primal", args{:});
%!   [ne, he] = run (X, y, "event", args{:});
%!   msg = sprintf ("%s, b0 %g", rule, b0);
%!   assert ({hp.form, he.form}, {"primal", "event"});
%!   assert (numel (he.loss), 2001);
%!   assert (lossgap (he, hp) < 1e-10, msg);
%!   assert (norm (ne.W - np.W, "fro") / norm (np.W, "fro") < 1e-9, msg);
%!   assert (he.b, hp.b, 1e-10 * max (abs (hp.b)));
%!   ## The event form's step is |s| itself (the primal one measures it on
%!   ## the rounded iterates): the rule's rate.
%!   assert (he.step, hp.rate, 1e-10 * max (hp.rate));
%!   assert (he.rate, hp.rate, 1e-10 * max (hp.rate));
%!   assert (he.diag.iter, hp.diag.iter);
%!   assert (abs (he.diag.flips - hp.diag.flips) <= 2 / (40 * 400), msg);
%!   assert (he.diag.move, hp.diag.move, 1e-9 * max (hp.diag.move) + 1e-15);
%!   Zp = X * np.W';
%!   Ze = X * ne.W';
%!   differ = (Zp >= 0) != (Ze >= 0);
%!   assert (all (abs (Zp(differ)) < 1e-9), msg);
%!   ## The work it counted: the anchor's n*m evaluations and more; flips.
%!   assert (sum (he.evals) >= 40 * 400 && sum (he.events) > 0);
%!   assert (all (hp.evals == 0 & hp.events == 0));
%! endfor

%!test
%! ## Against the plain reference, for every rule the event form runs.
%! [n0, h0] = adagrad_train (X, y, "width", 300, "seed", 9, "maxiter", 0);
%! R = __adagrad_rules__ ();
%! ok = [R.linear] & [R.along_gradient] & cellfun (@isempty, {R.arrays});
%! assert (sort ({R(ok).name}), sort ({"adagrad-norm", "adaloss", "gd", "polyak", "wngrad"}));
%! P = struct ("b0", 0.5, "alpha", 1, "epsilon", 0, "stepmax", 0.5, "fmin", 0);
%! for r = {R(ok).name}
%!   eta = 0.5;
%!   args = {"optimizer", r{1}, "eta", eta};
%!   if (any (strcmp (r{1}, {"adagrad-norm", "adaloss", "wngrad"})))
%!     args = [args, {"b0", P.b0}];
%!   endif
%!   if (strcmp (r{1}, "polyak"))
%!     args = [args, {"stepmax", P.stepmax}];
%!   endif
%!   if (any (strcmp (r{1}, {"polyak", "wngrad"})))
%!     args = [args, {"epsilon", P.epsilon}];
%!   endif
%!   [ne, he] = adagrad_train (n0, X, y, args{:}, "maxiter", 300, "tol", 0, "form", "event");
%!   [Wr, lr, br] = ref_train (X, y, n0.W, n0.a, r{1}, eta, P, 300);
%!   assert (norm (ne.W - Wr, "fro") / norm (Wr, "fro") < 1e-9, r{1});
%!   keep = lr > 1e-10 * lr(1);
%!   assert (max (abs (he.loss(keep) - lr(keep)) ./ lr(keep)) < 1e-10, r{1});
%! endfor

%!test
%! ## Many flips early: a narrow network at a large step, every flip
%! ## counted as the primal iterates show them.
%! [A, b] = adagrad_data (30, 5, "seed", 43);
%! eta = 1.5 / norm (adagrad_gram (A));
%! args = {"width", 40, "eta", eta, "maxiter", 200, "optimizer", "gd"};
%! [ne, he] = run (A, b, "event", args{:});
%! [np, hp] = run (A, b, "primal", args{:});
%! assert (lossgap (he, hp) < 1e-10);
%! ## The flips between consecutive iterates, by hand.
%! W = adagrad_train (A, b, args{:}, "seed", 5, "maxiter", 0).W;
%! a = np.a;
%! D = A * W' >= 0;
%! flips = 0;
%! for k = 1:200
%!   Z = A * W';
%!   e = max (Z, 0) * a / sqrt (40) - b;
%!   W -= eta * ((Z >= 0) .* e .* a')' * A / sqrt (40);
%!   Dn = A * W' >= 0;
%!   flips += nnz (Dn != D);
%!   D = Dn;
%! endfor
%! assert (flips > 100);
%! assert (sum (he.events), flips);
%! assert (norm (ne.W - W, "fro") / norm (W, "fro") < 1e-9);

%!test
%! ## Entries sitting on the kink: x_i'w_r = 0 exactly at W0 (Z = 0 counts
%! ## as active, as in the primal form).
%! A = [eye(4); 0.5 * ones(4, 4)];
%! A ./= sqrt (sumsq (A, 2));
%! b = [1; -1; 0.5; 0.2; 0.3; -0.4; 0.1; 0.6];
%! n0 = adagrad_train (A, b, "width", 50, "seed", 3, "maxiter", 0);
%! n0.W(1:10, 1) = 0;    # rows 1..10 orthogonal to x_1
%! n0.W(11:20, :) = 0;   # every entry of these units on the kink
%! n0.W0 = n0.W;
%! args = {"optimizer", "gd", "eta", 0.5, "maxiter", 300, "tol", 0};
%! [ne, he] = adagrad_train (n0, A, b, args{:}, "form", "event");
%! [np, hp] = adagrad_train (n0, A, b, args{:}, "form", "primal");
%! assert (lossgap (he, hp) < 1e-10);
%! assert (norm (ne.W - np.W, "fro") / norm (np.W, "fro") < 1e-9);

%!test
%! ## Calls, resume and threads: 120 steps as one call, as 50 + 70 (the
%! ## state in net.kernel), and on 1 or 2 threads: bitwise the same; a
%! ## re-forming every 30 steps inside.
%! args = {"width", 200, "eta", 0.4, "reform", 30, "optimizer", "adagrad-norm"};
%! [n1, h1] = run (X, y, "event", args{:}, "maxiter", 120, "threads", 1);
%! [n2, h2] = run (X, y, "event", args{:}, "maxiter", 120, "threads", 2);
%! assert (isequal (n1.W, n2.W) && isequal (h1.loss, h2.loss) && isequal (h1.evals, h2.evals));
%! [na, ha] = run (X, y, "event", args{:}, "maxiter", 50, "threads", 2);
%! assert (! isempty (na.kernel));
%! [nb, hb] = adagrad_train (na, X, y, "tol", 0, "form", "event", "reform", 30, "maxiter", 70,
%!                           "threads", 1);
%! assert (isequal (nb.W, n1.W) && isequal (nb.state, n1.state));
%! assert (isequal ([ha.loss; hb.loss(2:end)], h1.loss));
%! ## The primal form from the same network drops the state.
%! [np, hp] = adagrad_train (na, X, y, "tol", 0, "form", "primal", "maxiter", 2);
%! assert (isempty (np.kernel));

%!test
%! ## Checkpoint and resume: a run stopped by its output function at
%! ## iteration 33, resumed, is bitwise the uninterrupted one; the output
%! ## function sees W formed at its iterate.
%! file = [tempname() ".ckpt"];
%! unwind_protect
%!   args = {"width", 200, "eta", 0.3, "maxiter", 80, "reform", 25, "optimizer", "gd"};
%!   [nref, href] = run (X, y, "event", args{:});
%!   [n33, h33] = run (X, y, "primal", args{:}, "outputfcn", @(n, i) i.iter >= 33);
%!   adagrad_train (X, y, "tol", 0, "seed", 5, "form", "event", args{:},
%!                  "checkpoint", file, "outputfcn", @(n, i) i.iter >= 33);
%!   c = load (file).checkpoint;
%!   assert ([c.net.iter, c.options.target], [33 80]);
%!   assert (! isempty (c.net.kernel));
%!   assert (norm (c.net.W - n33.W, "fro") / norm (n33.W, "fro") < 1e-12);
%!   c.hist.stop = "";
%!   digest = __adagrad_fingerprint__ (c);
%!   checkpoint = c;
%!   save ("-binary", file, "checkpoint", "digest");
%!   [net, hist] = adagrad_resume (file, X, y);
%!   assert (hist.form, "event");
%!   assert (isequal (net.W, nref.W) && isequal (hist.loss, href.loss));
%! unwind_protect_cleanup
%!   unlink (file);
%! end_unwind_protect

%!test
%! ## Single: within the single-precision round-off of the double run.
%! args = {"width", 300, "eta", 0.5, "maxiter", 300, "optimizer", "gd"};
%! [nd, hd] = run (X, y, "event", args{:});
%! [ns, hs] = run (single (X), single (y), "event", args{:});
%! assert (class (ns.W), "single");
%! assert (norm (double (ns.W) - nd.W, "fro") / norm (nd.W, "fro") < 1e-4);
%! assert (hs.loss(1:100), hd.loss(1:100), 1e-4 * hd.loss(1));

%!test
%! ## Divergence: a step far too large stops "diverged" with the last
%! ## iterate whose loss is finite, as in the primal form.
%! args = {"width", 100, "eta", 1e3, "maxiter", 500, "optimizer", "gd"};
%! warning ("off", "adagrad:diverged", "local");
%! [ne, he] = run (X, y, "event", args{:});
%! assert (he.stop, "diverged");
%! assert (all (isfinite (ne.W(:))) && isfinite (he.loss(end)));
%! Z = X * ne.W';
%! u = max (Z, 0) * ne.a / sqrt (100);
%! assert (0.5 * sumsq (u - y), he.loss(end), 1e-6 * he.loss(end));

%!test
%! ## "auto" takes the event form where its cost model says it pays by at
%! ## least half (many steps, few rows, wide inputs), the kernel form for a
%! ## short run on the same data and for what it cannot run.
%! [A, b] = adagrad_data (200, 400, "seed", 44);
%! args = {"width", 4000, "optimizer", "gd", "eta", 0.5, "display", "off", "tol", 0, "seed", 5};
%! [ne, h] = adagrad_train (A, b, args{:}, "maxiter", 200);
%! assert (h.form, "event");
%! [np, hp] = adagrad_train (A, b, args{:}, "maxiter", 200, "form", "primal");
%! assert (lossgap (h, hp) < 1e-10);
%! [~, h] = adagrad_train (A, b, args{:}, "maxiter", 5);
%! assert (h.form, "kernel");
%! [~, h] = adagrad_train (A, b, args{:}, "maxiter", 200, "optimizer", "momentum");
%! assert (h.form, "kernel");
%! [~, h] = adagrad_train (A, b, args{:}, "maxiter", 200, "batchsize", 50);
%! assert (h.form, "kernel");

%!test
%! ## adagrad_linearized replays an event-form run in its form, bitwise.
%! [ne, he] = run (X, y, "event", "width", 300, "eta", 0.5, "maxiter", 30, "optimizer", "gd");
%! lin = adagrad_linearized (ne, he, X, y);
%! assert (lin.maxrelgap < 0.5);

%!test
%! ## The progress line shows the run's evaluations and flips: those of
%! ## its last call, which hist has too, over calls of 20 steps (checkpoints).
%! file = [tempname() ".ckpt"];
%! unwind_protect
%!   out = evalc ('[ne, he] = adagrad_train (X, y, "width", 100, "eta", 0.5, "maxiter", 60, "tol", 0, "form", "event", "display", "iter", "checkpoint", file, "checkpointevery", 20);');
%!   assert (numel (he.evals), 3);
%!   lines = strsplit (strtrim (out), "\r");
%!   want = sprintf ("evals %.3g flips %.3g", sum (he.evals), sum (he.events));
%!   assert (! isempty (strfind (lines{end}, want)), lines{end});
%! unwind_protect_cleanup
%!   unlink (file);
%! end_unwind_protect

%!error <FORM "event" needs a rule whose step is W -= s\*G with no state array \(.*gd.*\); momentum is not one>
%! adagrad_train (X, y, "optimizer", "momentum", "form", "event", "maxiter", 1, "width", 20);
%!error <FORM "event" needs full batch>
%! adagrad_train (X, y, "batchsize", 8, "form", "event", "maxiter", 1, "width", 20);
%!error <FORM "event" needs the squared loss>
%! adagrad_train (X, sign (y) + (y == 0), "loss", "logistic", "form", "event", "maxiter", 1,
%!                "width", 20);
%!error <FORM "event" needs one output>
%! adagrad_train (X, [y, y], "form", "event", "maxiter", 1, "width", 20);
%!error <FORM must be one of "auto", "primal", "kernel", "event">
%! adagrad_train (X, y, "form", "events", "maxiter", 1, "width", 20);
%!error id=adagrad:nomemory
%! ## 4 n*m numbers at n = 20000, m = 1e6: 640 GB, refused before any work.
%! A = ones (20000, 1, "single") / 1;
%! adagrad_train (A, ones (20000, 1, "single"), "width", 1e6, "form", "event", "maxiter", 1);
