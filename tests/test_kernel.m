## The kernel form of the step ("form", "kernel"): the same trajectories as
## the primal form and the plain reference (ref_train.m), bitwise the same
## across calls, resumes and thread counts, and everything a run does.

%!shared X, y, Xw, yw, linear
%! [X, y] = adagrad_data (30, 40, "seed", 31);
%! ## n > 2d: the primal form is cheaper; the kernel form must still agree.
%! [Xw, yw] = adagrad_data (80, 12, "seed", 32);
%! T = __adagrad_rules__ ();
%! linear = {T([T.linear]).name};
%! assert (numel (linear) >= 1);

%!function [net, h] = both (X, y, form, varargin)
%!  [net, h] = adagrad_train (X, y, "tol", 0, "seed", 5, "form", form, varargin{:});
%!endfunction

%!function r = resid (h)
%!  r = sqrt (2 * h.loss);
%!endfunction

%!test
%! ## 1000 steps of each eligible rule, double: W to 1e-10 relative of the
%! ## primal run, the residual norm ||u - y|| to 1e-10 of its start (the
%! ## loss falls to 1e-30 for gd, far below the round-off of u), b to 1e-10.
%! etas = struct ("gd", 0.5, "adagrad_norm", 0.5, "adaloss", 0.5, "momentum", 0.1,
%!                "nesterov", 0.1, "wngrad", 0.5, "polyak", 0.5);
%! ## On the second data set a pre-activation of gd's run passes within
%! ## round-off of zero at step 865 (seen with OpenBLAS's Zen kernels: the
%! ## primal run then splits from the kernel run, and from the primal run on
%! ## Haswell kernels, by 2.5e-10 in the gradient norm); any two orders of
%! ## summation may differ past such a step, so it is compared over 800.
%! for data = {{X, y, 1000}, {Xw, yw, 800}}
%!   [A, b, steps] = deal (data{1}{:});
%!   for r = linear
%!     args = {"width", 300, "optimizer", r{1}, "eta", etas.(strrep (r{1}, "-", "_")), ...
%!             "maxiter", steps};
%!     [np, hp] = both (A, b, "primal", args{:});
%!     [nk, hk] = both (A, b, "kernel", args{:});
%!     assert ({hp.form, hk.form}, {"primal", "kernel"});
%!     assert (norm (nk.W - np.W, "fro") / norm (np.W, "fro") < 1e-10, r{1});
%!     assert (max (abs (resid (hk) - resid (hp))) < 1e-10 * resid (hp)(1), r{1});
%!     assert (max (abs (hk.b - hp.b) ./ hp.b) < 1e-10 || all (isnan ([hk.b; hp.b])), r{1});
%!     assert (max (abs (hk.gnorm - hp.gnorm)) < 1e-10 * max (hp.gnorm), r{1});
%!     if (isfield (np.state, "v"))
%!       assert (norm (nk.state.v - np.state.v, "fro") < 1e-10 * max (hp.gnorm), r{1});
%!     endif
%!   endfor
%! endfor

%!test
%! ## Against the plain vectorized reference, independently of the primal C loop.
%! for r = linear
%!   [net, h] = both (X, y, "kernel", "width", 200, "optimizer", r{1}, "eta", 0.2,
%!                    "maxiter", 100);
%!   [Wr, lr, ~, ~, sr] = ref_train (X, y, net.W0, net.a, r{1}, 0.2, net.params, 100);
%!   assert (norm (net.W - Wr, "fro") / norm (Wr, "fro") < 1e-10, r{1});
%!   assert (max (abs (sqrt (lr) - sqrt (h.loss))) < 1e-10 * sqrt (lr(1)), r{1});
%!   ## The effective step from the kernel state, never forming W.
%!   assert (max (abs (h.step(2:end) - sr(2:end)) ./ sr(2:end)) < 1e-8, r{1});
%! endfor
%! ## Re-formed every 7 steps, from a velocity that is not zero (the terms
%! ## of ||dW|| through X*Sa'), continued in a second call.
%! [n1, h1] = adagrad_train (X, y, "width", 200, "optimizer", "momentum", "eta", 0.2,
%!                           "maxiter", 20, "tol", 0, "seed", 3, "form", "primal");
%! [np, hp] = adagrad_train (n1, X, y, "maxiter", 30, "tol", 0, "form", "primal");
%! [nk, hk] = adagrad_train (n1, X, y, "maxiter", 30, "tol", 0, "form", "kernel", "reform", 7);
%! assert (hk.form, "kernel");
%! assert (max (abs (hk.step(2:end) - hp.step(2:end)) ./ hp.step(2:end)) < 1e-8);
%! assert (hp.step(end) > 1.5 * 0.2);

%!test
%! ## Single precision: to its own round-off. Over 1000 steps the two forms
%! ## differ by less than 1e-3 relative in W (measured: 2e-5 to 1e-4 after
%! ## 20000 steps), about what single and double differ by.
%! [A, b] = deal (single (X), single (y));
%! for r = {"adagrad-norm", "momentum"}
%!   args = {"width", 300, "optimizer", r{1}, "eta", 0.1, "maxiter", 1000};
%!   [np, hp] = both (A, b, "primal", args{:});
%!   [nk, hk] = both (A, b, "kernel", args{:});
%!   [nd, hd] = both (X, y, "primal", args{:});
%!   assert (class (nk.W), "single");
%!   ek = norm (double (nk.W - np.W), "fro") / norm (double (np.W), "fro");
%!   ed = norm (double (np.W) - nd.W, "fro") / norm (nd.W, "fro");
%!   assert (ek < 1e-3 && ek < 20 * ed + 1e-5, r{1});
%!   assert (max (abs (resid (hk) - resid (hp))) < 1e-3 * resid (hp)(1), r{1});
%! endfor

%!test
%! ## The drift of the updated Z from X*W' without re-forming, 5000 steps:
%! ## measured 7e-15 relative after 20000 steps (n = 100, d = 20, m = 1000).
%! o = __adagrad_optimizer__ ("resolve", "f", "adagrad-norm", 0.3, struct (), []);
%! net = adagrad_init (40, 300, "seed", 1);
%! st = __adagrad_optimizer__ ("state", o, 300, 40, "double");
%! opts = struct ("optimizer", "adagrad-norm", "eta", 0.3, "params", o.params, "tol", 0,
%!                "maxiter", 5000, "seconds", Inf, "threads", 1, "diagnostics", 0, "iter", 0,
%!                "form", "kernel", "reform", 0);
%! [W, ~, rec] = __adagrad_train__ (X, y, mex_run (net.W, net.a, st, opts));
%! Z = reshape (rec.kernel.A(1:30 * 300), 30, 300);
%! assert (norm (Z - X * W', "fro") / norm (X * W', "fro") < 1e-12);
%! assert (rec.kernel.A(end), 0);
%! assert (rec.kernel.fresh);

%!test
%! ## A run cut into calls anywhere (mid-way between re-formings) is bitwise
%! ## the run in one call, state included; so is a run on 1 or 2 threads.
%! for r = {"adaloss", "nesterov"}
%!   args = {"width", 250, "optimizer", r{1}, "eta", 0.2, "reform", 40, "threads", 1};
%!   [n1, h1] = both (X, y, "kernel", args{:}, "maxiter", 150);
%!   [n2, h2] = both (X, y, "kernel", args{:}, "maxiter", 57);
%!   [n2, h2] = adagrad_train (n2, X, y, "tol", 0, "form", "kernel", args{5:end},
%!                             "maxiter", 93, "history", h2);
%!   assert (isequal (n1.W, n2.W) && isequal (n1.state, n2.state), r{1});
%!   assert (isequal (h1.loss, h2.loss) && isequaln (h1.b, h2.b), r{1});
%!   [n3, h3] = both (X, y, "kernel", args{1:end-1}, 2, "maxiter", 150);
%!   assert (isequal (n1.W, n3.W) && isequal (h1.loss, h3.loss), r{1});
%! endfor

%!test
%! ## A kernel state that no longer fits the network (W changed by hand) is
%! ## not used: the call forms a new one from net.W.
%! [n1, h1] = both (X, y, "kernel", "width", 200, "maxiter", 30);
%! n1.W(1) += 1e-3;
%! [n2, h2] = adagrad_train (n1, X, y, "tol", 0, "form", "kernel", "maxiter", 20);
%! n3 = rmfield (n1, "kernel");
%! [n3, h3] = adagrad_train (n3, X, y, "tol", 0, "form", "kernel", "maxiter", 20);
%! assert (isequal (n2.W, n3.W));
%! ## The primal form drops it.
%! [n4, h4] = adagrad_train (n2, X, y, "tol", 0, "form", "primal", "maxiter", 2);
%! assert (isempty (n4.kernel));

%!test
%! ## Checkpoint and resume: the run stopped by its output function at
%! ## iteration 33, resumed, is bitwise the uninterrupted one.
%! file = [tempname() ".ckpt"];
%! unwind_protect
%!   args = {"width", 200, "eta", 0.3, "maxiter", 80, "reform", 25};
%!   [nref, href] = both (X, y, "kernel", args{:});
%!   adagrad_train (X, y, "tol", 0, "seed", 5, "form", "kernel", args{:},
%!                  "checkpoint", file, "outputfcn", @(n, i) i.iter >= 33);
%!   c = load (file).checkpoint;
%!   assert ([c.net.iter, c.options.target], [33 80]);
%!   assert (! isempty (c.net.kernel));
%!   c.hist.stop = "";
%!   digest = __adagrad_fingerprint__ (c);
%!   checkpoint = c;
%!   save ("-binary", file, "checkpoint", "digest");
%!   [net, hist] = adagrad_resume (file, X, y);
%!   assert (hist.form, "kernel");
%!   assert (isequal (net.W, nref.W) && isequal (hist.loss, href.loss));
%! unwind_protect_cleanup
%!   unlink (file);
%! end_unwind_protect

%!test
%! ## The output function sees W formed at its iterate: the W of a run that
%! ## stops there.
%! dir = tempname ();
%! mkdir (dir);
%! fid = fopen (fullfile (dir, "kernel_record_w.m"), "w");
%! fputs (fid, ["function stop = kernel_record_w (net, info)\n" ...
%!              "  global kernel_Ws\n  kernel_Ws{end+1} = net.W;\n  stop = false;\n" ...
%!              "endfunction\n"]);
%! fclose (fid);
%! addpath (dir);
%! global kernel_Ws
%! unwind_protect
%!   kernel_Ws = {};
%!   both (X, y, "kernel", "width", 150, "maxiter", 12, "outputevery", 4,
%!         "outputfcn", @kernel_record_w);
%!   ## "init" at 0, "iter" at 4 and 8, "done" at 12.
%!   assert (numel (kernel_Ws), 4);
%!   [n2, h2] = both (X, y, "kernel", "width", 150, "maxiter", 8);
%!   assert (isequal (kernel_Ws{3}, n2.W));
%!   [n3, h3] = both (X, y, "primal", "width", 150, "maxiter", 8);
%!   assert (norm (kernel_Ws{3} - n3.W, "fro") < 1e-12 * norm (n3.W, "fro"));
%! unwind_protect_cleanup
%!   rmpath (dir);
%!   confirm_recursive_rmdir (false, "local");
%!   rmdir (dir, "s");
%!   clear -global kernel_Ws
%! end_unwind_protect

%!test
%! ## Diagnostics (flips from Z, movement from W formed), mini-batches with
%! ## validation and gtol: the primal form's records to 1e-10.
%! [Xv, yv] = adagrad_data (15, 40, "seed", 33);
%! args = {"width", 200, "eta", 0.3, "maxiter", 60, "diagnostics", 7, "batchsize", 8, ...
%!         "validation", {Xv, yv}, "evalevery", 5};
%! [np, hp] = both (X, y, "primal", args{:});
%! [nk, hk] = both (X, y, "kernel", args{:});
%! assert (norm (nk.W - np.W, "fro") / norm (np.W, "fro") < 1e-10);
%! assert (hk.diag.flips, hp.diag.flips);
%! assert (hk.diag.move, hp.diag.move, 1e-10 * max (hp.diag.move));
%! assert (hk.vloss, hp.vloss, 1e-10 * max (hp.vloss));
%! assert (hk.batchloss, hp.batchloss, 1e-10 * max (hp.batchloss));
%! assert (isequaln (isnan (hk.loss), isnan (hp.loss)));
%! for s = {"replace"}
%!   [np, hp] = both (X, y, "primal", args{:}, "sampling", s{1}, "optimizer", "momentum",
%!                    "eta", 0.05);
%!   [nk, hk] = both (X, y, "kernel", args{:}, "sampling", s{1}, "optimizer", "momentum",
%!                    "eta", 0.05);
%!   assert (norm (nk.W - np.W, "fro") / norm (np.W, "fro") < 1e-10);
%! endfor
%! [nk, hk] = both (X, y, "kernel", args{1:6}, "gtol", 1e9);
%! assert (hk.stop, "gtol");

%!test
%! ## Divergence: the last finite state, as in the primal form.
%! warning ("off", "adagrad:diverged", "local");
%! [np, hp] = both (X, y, "primal", "width", 100, "optimizer", "gd", "eta", 1e12,
%!                  "maxiter", 100);
%! [nk, hk] = both (X, y, "kernel", "width", 100, "optimizer", "gd", "eta", 1e12,
%!                  "maxiter", 100);
%! assert ({hk.stop, hp.stop}, {"diverged", "diverged"});
%! assert (nk.iter, np.iter);
%! assert (all (isfinite (nk.W(:))));
%! assert (norm (nk.W - np.W, "fro") < 1e-8 * norm (np.W, "fro"));

%!test
%! ## "auto": the kernel form where it costs fewer flops (n = 30 < 2d = 80),
%! ## the primal form where not (n = 80 > 2d = 24) and for other rules.
%! [~, h] = adagrad_train (X, y, "width", 100, "maxiter", 20);
%! assert (h.form, "kernel");
%! [~, h] = adagrad_train (Xw, yw, "width", 100, "maxiter", 20);
%! assert (h.form, "primal");
%! [~, h] = adagrad_train (X, y, "width", 100, "maxiter", 20, "optimizer", "adam");
%! assert (h.form, "primal");
%! [~, h] = adagrad_train (X, y, "width", 100, "maxiter", 20, "optimizer",
%!                         @(W, G, s, i) deal (W - 0.1 * G, s));
%! assert (h.form, "primal");

%!error <FORM "kernel" needs a rule whose steps are combinations of gradients .* adam is not one> adagrad_train (X, y, "width", 10, "optimizer", "adam", "form", "kernel")
%!error <FORM must be one of> adagrad_train (X, y, "width", 10, "form", "dual")
%!error <REFORM must be a non-negative integer> adagrad_train (X, y, "width", 10, "reform", -1)
