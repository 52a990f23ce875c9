## The MEX functions called directly: valid calls agree with the .m layer, and
## every malformed argument list raises an adagrad:* error (no crash).

%!shared X, y, W, a, S, T, B
%! [X, y] = adagrad_data (12, 3, "seed", 1);
%! net = adagrad_init (3, 20, "seed", 2);
%! W = net.W; a = net.a;
%! ## Step options (S), training options (T) and the state of b (B).
%! S = struct ("rule", "adaloss", "eta", 0.5, "params", struct ("b0", 1, "alpha", 1),
%!             "resnorm", 3, "n", 12, "threads", 0);
%! T = struct ("optimizer", "gd", "eta", 0.1, "params", struct (), "tol", 0, "maxiter", 3,
%!             "seconds", Inf, "threads", 0, "diagnostics", 0, "iter", 0);
%! B = struct ("b", 1);

%!test
%! assert (__adagrad_forward__ (X, W, a), adagrad_forward (W, a, X));
%! [G, L, u] = __adagrad_gradient__ (X, y, W, a);
%! [G2, L2, u2] = adagrad_gradient (W, a, X, y);
%! assert ({G, L, u}, {G2, L2, u2});
%! ## "norm": only ||G||_F and the loss.
%! [gn, L3] = __adagrad_gradient__ (X, y, W, a, 1, "norm");
%! assert ([gn L3], [norm(G, "fro") L], 1e-14 * [gn L]);
%! ## One output only: the others are not handed out.
%! G1 = __adagrad_gradient__ (X, y, W, a);
%! assert (G1, G);
%! [W1, b1, r1] = __adagrad_step__ (W, G, struct ("b", 2), S);
%! assert (b1.b, sqrt (4 + sqrt (12) * 3), eps);
%! assert (W1, W - r1.rate * G);
%! assert (r1.step, r1.rate, 1e-15);
%! assert (r1.gnorm, norm (G, "fro"), 1e-14);
%! [W2, s2, r] = __adagrad_train__ (X, y, mex_run (W, a, struct (), T));
%! assert ({r.iters, r.stop, r.interrupted}, {3, "maxiter", false});
%! assert (size (r.loss), [4 1]);
%! assert (size ([r.gnorm r.b r.step r.rate r.ratelo r.ratehi]), [3 6]);
%! assert (isnan (r.b));
%! assert (r.rate, [0.1; 0.1; 0.1]);
%! assert (r.step, [0.1; 0.1; 0.1], 1e-14);
%! ## The table as the Octave layer reads it; initial states from it.
%! R = __adagrad_rules__ ();
%! assert ({R(1:3).name}, {"gd", "adagrad-norm", "adaloss"});
%! assert (R(8).params(1).name, "beta1");
%! assert (__adagrad_state__ (mex_opts (S, "rule", "adam", "params", struct ("beta1", 0.9, "beta2", 0.9, "epsilon", 0)), 2, 1, "single"),
%!         struct ("t", 0, "M", single ([0; 0]), "V", single ([0; 0])));

%!test
%! ## MAXITER = 0: only the loss of W.
%! [W2, b2, r] = __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "optimizer", "adaloss", "params", S.params, "maxiter", 0)));
%! assert ({r.iters, r.stop}, {0, "maxiter"});
%! assert (W2, W);
%! [~, L] = adagrad_gradient (W, a, X, y);
%! assert (r.loss, L, 1e-12 * L);

## Argument counts.
%!error id=adagrad:nargin __adagrad_forward__ (X, W)
%!error <expected 3 to 4 input arguments, got 5> __adagrad_forward__ (X, W, a, 1, 2)
%!error id=adagrad:nargout [u, v] = __adagrad_forward__ (X, W, a)
%!error id=adagrad:nargin __adagrad_gradient__ ()
%!error id=adagrad:nargout [a1, a2, a3, a4] = __adagrad_gradient__ (X, y, W, a)
%!error <MODE must be "grad", "norm" or "loss"> __adagrad_gradient__ (X, y, W, a, 1, "full")
%!error <LOSS must be a name of the loss table> __adagrad_gradient__ (X, y, W, a, 1, "grad", "hinge")
%!test
%! ## Each mode with the logistic loss: the same loss, and ||G|| of the G.
%! c = sign (y) + (y == 0);
%! [G, L] = __adagrad_gradient__ (X, c, W, a, 1, "grad", "logistic");
%! [gn, L2] = __adagrad_gradient__ (X, c, W, a, 1, "norm", "logistic");
%! L3 = __adagrad_gradient__ (X, c, W, a, 1, "loss", "logistic");
%! assert ([L2 L3], [L L], 1e-14 * L);
%! assert (gn, norm (G, "fro"), 1e-12 * gn);
%! [~, Ls] = __adagrad_gradient__ (X, c, W, a, 1, "norm");
%! assert (abs (Ls - L) > 1e-6 * L);
%!error <at most 2 output arguments with "norm"> [a1, a2, a3] = __adagrad_gradient__ (X, y, W, a, 1, "norm")
%!error <at most 1 output argument with "loss"> [a1, a2] = __adagrad_gradient__ (X, y, W, a, 1, "loss")
%!test
%! ## "loss": the loss alone, from one forward pass: the gradient call's in
%! ## double; in single, the loss of the single outputs.
%! [~, L] = __adagrad_gradient__ (X, y, W, a, 1);
%! assert (__adagrad_gradient__ (X, y, W, a, 1, "loss"), L);
%! [Xs, ys, Ws, as] = deal (single (X), single (y), single (W), single (a));
%! u = double (__adagrad_forward__ (Xs, Ws, as, 1));
%! assert (__adagrad_gradient__ (Xs, ys, Ws, as, 1, "loss"), 0.5 * sumsq (u - double (ys)),
%!         1e-12 * 0.5 * sumsq (u - double (ys)));
%!error id=adagrad:nargin __adagrad_step__ (W, W, 1, "gd", 1)
%!error id=adagrad:nargin __adagrad_train__ (X, y)
%!error id=adagrad:nargin __adagrad_train__ (X, y, mex_run (W, a, B, T), T)
## The run struct: versioned, its required fields named by their paths.
%!error <RUN.version must be "adagrad run 1"> __adagrad_train__ (X, y, setfield (mex_run (W, a, B, T), "version", "adagrad run 0"))
%!error <RUN must be a struct with a field net.a> __adagrad_train__ (X, y, setfield (mex_run (W, a, B, T), "net", struct ("W", W)))
%!error <RUN must be a struct with a field call.maxiter> __adagrad_train__ (X, y, rmfield (mex_run (W, a, B, T), "call"))
%!error <RUN must be a scalar struct> __adagrad_train__ (X, y, [mex_run(W, a, B, T), mex_run(W, a, B, T)])
%!error <RUN.net.W must have 3 columns> __adagrad_train__ (X, y, mex_run (W', a, B, T))
%!error <RUN.net.state must be a struct with a field b> __adagrad_train__ (X, y, mex_run (W, a, struct (), mex_opts (T, "optimizer", "adaloss", "params", S.params)))
%!error <RUN.options.batch.batchsize must be in> __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "sampling", "shuffle", "batchsize", 0, "batchseed", 1)))
%!error <RUN must be a struct with a field net.batchseed \(with options.batch.sampling\)> __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "sampling", "shuffle", "batchsize", 2)))
%!error id=adagrad:nargin __adagrad_rules__ (1)
%!error id=adagrad:nargin __adagrad_state__ (S, 1, 1)

## Classes and shapes.
%!error <X must be a real, full, 2-D double or single matrix> __adagrad_forward__ ("abc", W, a)
%!error id=adagrad:badclass __adagrad_forward__ (int32 (X), W, a)
%!error id=adagrad:badclass __adagrad_forward__ (single (X), W, a)
%!error id=adagrad:badclass __adagrad_forward__ (X > 0, W, a)
%!error id=adagrad:badclass __adagrad_forward__ (complex (X), W, a)
%!error id=adagrad:badclass __adagrad_forward__ (sparse (X), W, a)
%!error id=adagrad:badclass __adagrad_forward__ ({X}, W, a)
%!error id=adagrad:badclass __adagrad_forward__ (struct ("X", X), W, a)
%!error id=adagrad:badclass __adagrad_forward__ (ones (2, 3, 2), W, a)
%!error id=adagrad:badsize __adagrad_forward__ (zeros (0, 3), zeros (0, 3), zeros (0, 1))
%!error <W must have 3 columns, got 3-by-20> __adagrad_forward__ (X, W', a)
%!error <A must have 20 rows, got 1-by-20> __adagrad_forward__ (X, W, a')
%!error id=adagrad:badsize __adagrad_forward__ (X, W, a(1:5))
%!error id=adagrad:badsize __adagrad_gradient__ (X, y(1:5), W, a)
%!error <G must be 20-by-3, got 5-by-3> __adagrad_step__ (W, W(1:5, :), B, S)
%!error id=adagrad:badclass __adagrad_step__ (W, W, struct ("b", [1 2]), S)
%!error id=adagrad:badclass __adagrad_step__ (W, W, B, mex_opts (S, "eta", "x"))
%!error id=adagrad:badclass __adagrad_step__ (W, W, B, mex_opts (S, "params", struct ("b0", 1, "alpha", "x")))
%!error <PARAMS must be a struct with a field alpha> __adagrad_step__ (W, W, B, mex_opts (S, "params", struct ("b0", 1)))
%!error <STATE must be a struct with a field b> __adagrad_step__ (W, W, struct (), S)
%!error <STATE must be a scalar struct> __adagrad_step__ (W, W, 1, S)
%!error <v must be 20-by-3> __adagrad_step__ (W, W, struct ("v", 1), mex_opts (S, "rule", "momentum", "params", struct ("momentum", 0.5)))
%!error <OPTS must be a struct with a field threads> __adagrad_step__ (W, W, B, rmfield (S, "threads"))
%!error id=adagrad:badclass __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "maxiter", int8 (3))))

## Precision: all arrays share the class of X.
%!error <W must be a real, full, 2-D single matrix \(the class of X\)> __adagrad_forward__ (single (X), W, a)
%!error <Y must be a real, full, 2-D double matrix \(the class of X\)> __adagrad_gradient__ (X, single (y), W, a)
%!error <G must be a real, full, 2-D single matrix> __adagrad_step__ (single (W), W, B, S)
%!error <W must be a real, full, 2-D double or single matrix> __adagrad_step__ (int8 (W), W, B, S)
%!error id=adagrad:badclass __adagrad_train__ (single (X), single (y), mex_run (single (W), a, struct (), T))
%!error <v must be a real, full, 2-D single matrix> __adagrad_train__ (single (X), single (y), mex_run (single (W), single (a), struct ("v", W), mex_opts (T, "optimizer", "momentum", "params", struct ("momentum", 0.5))))

%!test
%! ## Single precision in, single out; the scalars stay double.
%! [G, L, u] = __adagrad_gradient__ (single (X), single (y), single (W), single (a));
%! assert ({class(G), class(L), class(u)}, {"single", "double", "single"});
%! [Gd, Ld] = __adagrad_gradient__ (X, y, W, a);
%! assert (double (G), Gd, 1e-5 * norm (Gd, "fro"));
%! assert (L, Ld, 1e-5 * Ld);
%! [W1, b] = __adagrad_step__ (single (W), G, B, mex_opts (S, "rule", "adagrad-norm", "params", struct ("b0", 1)));
%! assert ({class(W1), class(b.b)}, {"single", "double"});
%! [W2, b2, r] = __adagrad_train__ (single (X), single (y), mex_run (single (W), single (a), B, mex_opts (T, "optimizer", "adaloss", "params", S.params, "maxiter", 4)));
%! assert ({class(W2), class(b2.b), r.iters}, {"single", "double", 4});

## Gram matrices and diagnostics.
%!test
%! H = __adagrad_gram__ (X);
%! assert (size (H), [12 12]);
%! assert (__adagrad_gram__ (X, W), adagrad_gram (X, W));
%! [~, ~, r] = __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "optimizer", "adaloss", "params", S.params, "maxiter", 4, "diagnostics", 2, "W0", W)));
%! assert (r.diag.iter, [0; 2; 4]);
%! assert (r.diag.flips(1), 0);
%! [~, ~, r] = __adagrad_train__ (X, y, mex_run (W, a, struct (), T));
%! assert (isempty (r.diag.iter));
%!error id=adagrad:nargin __adagrad_gram__ ()
%!error id=adagrad:badclass __adagrad_gram__ (single (X))
%!error <W must have 3 columns> __adagrad_gram__ (X, W')
%!error id=adagrad:nonfinite __adagrad_gram__ ([X(1:end-1, :); NaN 0 0], W)
%!error <RUN must be a struct with a field net.W0 \(with options.diagnostics\)> __adagrad_train__ (X, y, mex_run (W, a, struct (), mex_opts (T, "diagnostics", 2)))
%!error <RUN.options.diagnostics must be a non-negative integer> __adagrad_train__ (X, y, mex_run (W, a, struct (), mex_opts (T, "diagnostics", -1)))
%!error <RUN.net.W0 must be 20-by-3> __adagrad_train__ (X, y, mex_run (W, a, struct (), mex_opts (T, "diagnostics", 1, "W0", W(1:4, :))))

## Sizes that cannot be allocated: adagrad:nomemory, the caller's data intact.
%!test
%! Xbig = ones (3e5, 1);
%! keep = Xbig;
%! try
%!   __adagrad_gram__ (Xbig);
%!   error ("no error");
%! catch err
%!   assert (err.identifier, "adagrad:nomemory");
%! end_try_catch
%! assert (isequal (Xbig, keep));
%!error id=adagrad:nomemory adagrad_gram (ones (3e5, 1))
%!error id=adagrad:nomemory adagrad_init (3, 1e15)
%!error id=adagrad:nomemory adagrad_data (1e15, 2)
%!error id=adagrad:nomemory adagrad_train (X, y, "width", 1e14)

## Threads.
%!test
%! [G1, L1] = __adagrad_gradient__ (X, y, W, a, 1);
%! [G2, L2] = __adagrad_gradient__ (X, y, W, a, 2);
%! assert (isequal (G1, G2) && L1 == L2);
%!error <THREADS must be a non-negative integer> __adagrad_forward__ (X, W, a, -1)
%!error <THREADS must be at most 1024> __adagrad_forward__ (X, W, a, 5000)
%!error id=adagrad:badclass __adagrad_train__ (X, y, mex_run (W, a, struct (), mex_opts (T, "threads", "2")))

## Rules and values.
%!test
%! ## The message lists the rule table, in table order.
%! R = __adagrad_rules__ ();
%! names = {R.name};
%! try
%!   __adagrad_step__ (W, W, B, mex_opts (S, "rule", "sgd"));
%!   error ("no error");
%! catch err
%!   assert (err.message, ["__adagrad_step__: RULE must be one of " strjoin(strcat ('"', names, '"'), ", ")]);
%! end_try_catch
%!error id=adagrad:badrule __adagrad_step__ (W, W, B, mex_opts (S, "rule", 3))
%!error id=adagrad:badrule __adagrad_step__ (W, W, B, mex_opts (S, "rule", ["gd"; "gd"]))
%!error id=adagrad:badrule __adagrad_step__ (W, W, B, mex_opts (S, "rule", "adaloss-and-more-text-that-is-long"))
%!error id=adagrad:badrule __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "optimizer", "sgd")))
## A rule with parameters and OPTS without the field params (fuzz, seed 1,
## call 2067: a crash in 0.7.3), in a run's call too.
%!error <PARAMS must be a struct with a field b0> __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "optimizer", "adaloss")))
%!error <PARAMS must be a struct with a field b0> __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "optimizer", "adaloss", "form", "kernel", "run", 78)))
%!error id=adagrad:badvalue __adagrad_step__ (W, W, B, mex_opts (S, "eta", -1))
%!error id=adagrad:badvalue __adagrad_step__ (W, W, struct ("b", 0), S)
%!error id=adagrad:badvalue __adagrad_step__ (W, W, B, mex_opts (S, "params", struct ("b0", 1, "alpha", 0)))
%!error id=adagrad:badvalue __adagrad_step__ (W, W, B, mex_opts (S, "n", 0))
%!error id=adagrad:badvalue __adagrad_step__ (W, W, B, mex_opts (S, "resnorm", -1))
%!error id=adagrad:badvalue __adagrad_step__ (W, W, B, mex_opts (S, "n", 2.5))
%!error id=adagrad:badvalue __adagrad_step__ (W, W, struct ("t", 0.5, "M", W, "V", W), mex_opts (S, "rule", "adam", "params", struct ("beta1", 0.9, "beta2", 0.9, "epsilon", 1)))
%!error id=adagrad:badvalue __adagrad_step__ (W, W, struct ("v", W), mex_opts (S, "rule", "momentum", "params", struct ("momentum", -1)))
%!error id=adagrad:badvalue __adagrad_state__ (mex_opts (S, "rule", "adam", "params", struct ("beta1", 1, "beta2", 0.9, "epsilon", 1)), 2, 2, "double")
%!error id=adagrad:badvalue __adagrad_state__ (S, 2, 2, "int8")
%!error id=adagrad:badvalue __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "maxiter", -1)))
%!error id=adagrad:badvalue __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "maxiter", 1e7)))
%!error id=adagrad:badvalue __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "seconds", 0)))
%!error id=adagrad:badvalue __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "tol", -1)))
%!error id=adagrad:badvalue __adagrad_train__ (X, y, mex_run (W, a, struct ("b", 0), mex_opts (T, "optimizer", "adaloss", "params", S.params)))

## Non-finite numbers.
%!error <an input holds NaN or Inf> __adagrad_forward__ ([X(1:end-1, :); NaN 0 0], W, a)
%!error id=adagrad:nonfinite __adagrad_forward__ (X, [W(1:end-1, :); Inf 0 0], a)
%!error id=adagrad:nonfinite __adagrad_forward__ (X, W, [a(1:end-1); NaN])
%!error id=adagrad:nonfinite __adagrad_gradient__ (X, [y(1:end-1); -Inf], W, a)
%!error id=adagrad:nonfinite __adagrad_step__ (W, [W(1:end-1, :); NaN 0 0], B, S)
%!error id=adagrad:nonfinite __adagrad_step__ (W, W, struct ("b", NaN), S)
%!error id=adagrad:nonfinite __adagrad_step__ (W, W, B, mex_opts (S, "resnorm", Inf))
%!error id=adagrad:nonfinite __adagrad_step__ (W, W, B, mex_opts (S, "eta", Inf))
%!error id=adagrad:nonfinite __adagrad_step__ (W, W, struct ("v", [W(1:end-1, :); NaN 0 0]), mex_opts (S, "rule", "momentum", "params", struct ("momentum", 0.5)))
%!error id=adagrad:nonfinite __adagrad_train__ (X, y, mex_run (W, a, struct ("b", Inf), mex_opts (T, "optimizer", "adaloss", "params", S.params)))
%!error <RUN.options.tol must be in \[0, inf\], got nan> __adagrad_train__ (X, y, mex_run (W, a, B, mex_opts (T, "tol", NaN)))
%!error id=adagrad:nonfinite __adagrad_train__ ([X(1:end-1, :); NaN 0 0], y, mex_run (W, a, struct (), T))

## Memory over many calls: the gateways copy their inputs into fresh arrays
## (mxDuplicateArray of an input whose data was read leaks about 80 bytes a
## call in Octave 7.3's MEX layer, 1.6 MB per 20000 calls).
%!test
%! rss = @() sscanf (regexp (fileread ("/proc/self/status"), 'VmRSS:\s*(\d+)', "tokens", "once"){1}, "%d");
%! T1 = mex_opts (T, "optimizer", "adaloss", "params", S.params, "maxiter", 2, "threads", 1);
%! S1 = mex_opts (S, "threads", 1);
%! for k = 1:10000
%!   __adagrad_step__ (W, W, B, S1);
%!   __adagrad_train__ (X, y, mex_run (W, a, B, T1));
%! endfor
%! r0 = rss ();
%! for k = 1:20000
%!   __adagrad_step__ (W, W, B, S1);
%! endfor
%! r1 = rss ();
%! for k = 1:20000
%!   __adagrad_train__ (X, y, mex_run (W, a, B, T1));
%! endfor
%! r2 = rss ();
%! assert ([r1 - r0, r2 - r1] < 512, sprintf ("RSS grew by %d and %d kB", r1 - r0, r2 - r1));

## An output function at every iteration (called from inside the C loop):
## what the 40000 calls add to the run is within 4x what the same calls of
## the wrapper cost from an Octave loop (best of two, interleaved, in one
## process: a ratio of like work, not a time; the run itself takes about
## 10 microseconds a step here, the wrapper about 30 per call), and the
## calls leak nothing.
%!test
%! rss = @() sscanf (regexp (fileread ("/proc/self/status"), 'VmRSS:\s*(\d+)', "tokens", "once"){1}, "%d");
%! [X, y] = adagrad_data (20, 5, "seed", 1);
%! run = @(varargin) adagrad_train (X, y, "width", 10, "maxiter", 40000, "tol", 0,
%!                                  "seed", 1, "threads", 1, varargin{:});
%! run ("outputfcn", @(n, i) false, "maxiter", 1000);
%! [plain, with, direct, grew] = deal (Inf);
%! ## The least growth of three runs: a leak grows every run, the allocator's
%! ## reuse of the histories' blocks (4 to 13 MB here, either way) does not.
%! for rep = 1:3
%!   t = tic (); [n1, h1] = run (); plain = min (plain, toc (t));
%!   r0 = rss ();
%!   t = tic (); [n2, h2] = run ("outputfcn", @(n, i) false); with = min (with, toc (t));
%!   grew = min (grew, rss () - r0);
%!   info = struct ("iter", 1, "loss", 1, "b", 1, "step", 1, "gnorm", 1, "time", 1,
%!                  "batchloss", 1, "epoch", 1, "vloss", 1);
%!   t = tic ();
%!   for k = 1:40000
%!     __adagrad_outputfcn__ (@(n, i) false, n1, info, n1.W, n1.state, 0);
%!   endfor
%!   direct = min (direct, toc (t));
%! endfor
%! assert (isequal (n1.W, n2.W) && isequal (h1.loss, h2.loss));
%! assert ((with - plain) / direct < 4,
%!         sprintf ("%.2f s with the output function, %.2f s without, %.2f s for the wrapper",
%!                  with, plain, direct));
%! assert (grew < 512, sprintf ("RSS grew by %d kB over 40000 calls", grew));

## A rule written in Octave runs inside the C loop: 20000 steps on batches
## of 7, 7 and 6 rows (the batch arrays it is shown change size) leak nothing,
## and a second run of as many steps gives the same bits.
%!test
%! rss = @() sscanf (regexp (fileread ("/proc/self/status"), 'VmRSS:\s*(\d+)', "tokens", "once"){1}, "%d");
%! [X, y] = adagrad_data (20, 5, "seed", 1);
%! gd = @(W, G, s, info) deal (W - 0.01 * G, s + numel (info.u));
%! net0 = adagrad_init (5, 10, "seed", 1, "optimizer", gd);
%! net0.state = 0;
%! ## The second of two equal runs: the first grows the heap to the size a
%! ## run of 20000 steps needs (its workspace and records, once).
%! n1 = adagrad_train (net0, X, y, "maxiter", 20000, "tol", 0, "batchsize", 7, "display", "off");
%! r0 = rss ();
%! n2 = adagrad_train (net0, X, y, "maxiter", 20000, "tol", 0, "batchsize", 7, "display", "off");
%! grew = rss () - r0;
%! assert (n1.state, 6666 * 20 + 7 + 7);   # 6666 epochs of 3 steps, and 2 steps
%! assert (isequal (n1.W, n2.W));
%! assert (grew < 512, sprintf ("RSS grew by %d kB over 20000 steps", grew));

%!test
%! ## The last iterate's gradient norm ("norm") goes over the rows in pieces
%! ## of 512 above that many: the same as ||G|| of the one pass to round-off,
%! ## the same bits whatever the thread count; the pieces' split at n = 1300
%! ## (512 + 512 + 276) as in the evaluation points.
%! [Xn, yn] = adagrad_data (1300, 7, "seed", 4);
%! nn = adagrad_init (7, 300, "seed", 5);
%! [G, L] = __adagrad_gradient__ (Xn, yn, nn.W, nn.a, 1, "grad");
%! [g1, L1] = __adagrad_gradient__ (Xn, yn, nn.W, nn.a, 1, "norm");
%! [g2, L2] = __adagrad_gradient__ (Xn, yn, nn.W, nn.a, 2, "norm");
%! assert ([g1 L1], [norm(G, "fro") L], 1e-12 * [g1 L1]);
%! assert (isequal ([g1 L1], [g2 L2]));
