## The MEX functions called directly: valid calls agree with the .m layer, and
## every malformed argument list raises an adagrad:* error (no crash).

%!shared X, y, W, a
%! [X, y] = adagrad_data (12, 3, "seed", 1);
%! net = adagrad_init (3, 20, "seed", 2);
%! W = net.W; a = net.a;

%!test
%! assert (__adagrad_forward__ (X, W, a), adagrad_forward (W, a, X));
%! [G, L, u] = __adagrad_gradient__ (X, y, W, a);
%! [G2, L2, u2] = adagrad_gradient (W, a, X, y);
%! assert ({G, L, u}, {G2, L2, u2});
%! ## One output only: the others are not handed out.
%! G1 = __adagrad_gradient__ (X, y, W, a);
%! assert (G1, G);
%! [W1, b1, s1] = __adagrad_step__ (W, G, 2, "adaloss", 0.5, 1, 3, 12);
%! assert (b1, sqrt (4 + sqrt (12) * 3), eps);
%! assert (W1, W - s1 * G);
%! [W2, b2, it, stop, loss, tm, gn, bk, st, intr] = __adagrad_train__ (X, y, W, a, 1, "gd", 0.1, 1, 0, 3, Inf);
%! assert ([it stop intr], [3 0 0]);
%! assert (size (loss), [4 1]);
%! assert (size ([gn bk st]), [3 3]);
%! assert (bk, [1; 1; 1]);
%! assert (st, [0.1; 0.1; 0.1]);

%!test
%! ## MAXITER = 0: only the loss of W.
%! [W2, b2, it, stop, loss] = __adagrad_train__ (X, y, W, a, 1, "adaloss", 1, 1, 0, 0, Inf);
%! assert ([it stop], [0 0]);
%! assert (W2, W);
%! [~, L] = adagrad_gradient (W, a, X, y);
%! assert (loss, L, 1e-12 * L);

## Argument counts.
%!error id=adagrad:nargin __adagrad_forward__ (X, W)
%!error <expected 3 to 4 input arguments, got 5> __adagrad_forward__ (X, W, a, 1, 2)
%!error id=adagrad:nargout [u, v] = __adagrad_forward__ (X, W, a)
%!error id=adagrad:nargin __adagrad_gradient__ ()
%!error id=adagrad:nargout [a1, a2, a3, a4] = __adagrad_gradient__ (X, y, W, a)
%!error id=adagrad:nargin __adagrad_step__ (W, W, 1, "gd", 1)
%!error id=adagrad:nargin __adagrad_train__ (X, y, W, a)

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
%!error <A must be 20-by-1, got 1-by-20> __adagrad_forward__ (X, W, a')
%!error id=adagrad:badsize __adagrad_forward__ (X, W, a(1:5))
%!error id=adagrad:badsize __adagrad_gradient__ (X, y(1:5), W, a)
%!error <G must be 20-by-3, got 5-by-3> __adagrad_step__ (W, W(1:5, :), 1, "gd", 1, 1, 0, 1)
%!error id=adagrad:badclass __adagrad_step__ (W, W, [1 2], "gd", 1, 1, 0, 1)
%!error id=adagrad:badclass __adagrad_step__ (W, W, 1, "gd", "x", 1, 0, 1)
%!error id=adagrad:badclass __adagrad_step__ (W, W, 1, "gd", 1, {1}, 0, 1)
%!error id=adagrad:badclass __adagrad_train__ (X, y, W, a, 1, "gd", 1, 1, 0, int8 (3), Inf)

## Precision: all arrays share the class of X.
%!error <W must be a real, full, 2-D single matrix \(the class of X\)> __adagrad_forward__ (single (X), W, a)
%!error <Y must be a real, full, 2-D double matrix \(the class of X\)> __adagrad_gradient__ (X, single (y), W, a)
%!error <G must be a real, full, 2-D single matrix> __adagrad_step__ (single (W), W, 1, "gd", 1, 1, 0, 1)
%!error <W must be a real, full, 2-D double or single matrix> __adagrad_step__ (int8 (W), W, 1, "gd", 1, 1, 0, 1)
%!error id=adagrad:badclass __adagrad_train__ (single (X), single (y), single (W), a, 1, "gd", 1, 1, 0, 3, Inf)

%!test
%! ## Single precision in, single out; the scalars stay double.
%! [G, L, u] = __adagrad_gradient__ (single (X), single (y), single (W), single (a));
%! assert ({class(G), class(L), class(u)}, {"single", "double", "single"});
%! [Gd, Ld] = __adagrad_gradient__ (X, y, W, a);
%! assert (double (G), Gd, 1e-5 * norm (Gd, "fro"));
%! assert (L, Ld, 1e-5 * Ld);
%! [W1, b] = __adagrad_step__ (single (W), G, 1, "adagrad-norm", 1, 1, 0, 12);
%! assert ({class(W1), class(b)}, {"single", "double"});
%! [W2, b2, it] = __adagrad_train__ (single (X), single (y), single (W), single (a), 1, "adaloss", 1, 1, 0, 4, Inf);
%! assert ({class(W2), class(b2), it}, {"single", "double", 4});

## Gram matrices and diagnostics.
%!test
%! H = __adagrad_gram__ (X);
%! assert (size (H), [12 12]);
%! assert (__adagrad_gram__ (X, W), adagrad_gram (X, W));
%! [W2, b2, it, stop, loss, tm, gn, bk, st, intr, di, fl, mv, ds] = ...
%!   __adagrad_train__ (X, y, W, a, 1, "adaloss", 1, 1, 0, 4, Inf, 0, W, 2, 0);
%! assert (di, [0; 2; 4]);
%! assert (fl(1), 0);
%! [~, ~, ~, ~, ~, ~, ~, ~, ~, ~, di] = __adagrad_train__ (X, y, W, a, 1, "gd", 1, 1, 0, 4, Inf);
%! assert (isempty (di));
%!error id=adagrad:nargin __adagrad_gram__ ()
%!error id=adagrad:badclass __adagrad_gram__ (single (X))
%!error <W must have 3 columns> __adagrad_gram__ (X, W')
%!error id=adagrad:nonfinite __adagrad_gram__ ([X(1:end-1, :); NaN 0 0], W)
%!error <W0 needs EVERY and K0> __adagrad_train__ (X, y, W, a, 1, "gd", 1, 1, 0, 3, Inf, 0, W)
%!error <EVERY must be a positive integer> __adagrad_train__ (X, y, W, a, 1, "gd", 1, 1, 0, 3, Inf, 0, W, 0, 0)
%!error <W0 must be 20-by-3> __adagrad_train__ (X, y, W, a, 1, "gd", 1, 1, 0, 3, Inf, 0, W(1:4, :), 1, 0)

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
%!error id=adagrad:badclass __adagrad_train__ (X, y, W, a, 1, "gd", 1, 1, 0, 3, Inf, "2")

## Rules and values.
%!error <RULE must be "gd", "adagrad-norm" or "adaloss"> __adagrad_step__ (W, W, 1, "adam", 1, 1, 0, 1)
%!error id=adagrad:badrule __adagrad_step__ (W, W, 1, 3, 1, 1, 0, 1)
%!error id=adagrad:badrule __adagrad_step__ (W, W, 1, ["gd"; "gd"], 1, 1, 0, 1)
%!error id=adagrad:badrule __adagrad_step__ (W, W, 1, "adaloss-and-more-text", 1, 1, 0, 1)
%!error id=adagrad:badrule __adagrad_train__ (X, y, W, a, 1, "sgd", 1, 1, 0, 3, Inf)
%!error id=adagrad:badvalue __adagrad_step__ (W, W, 1, "gd", -1, 1, 0, 1)
%!error id=adagrad:badvalue __adagrad_step__ (W, W, 0, "adagrad-norm", 1, 1, 0, 1)
%!error id=adagrad:badvalue __adagrad_step__ (W, W, 1, "adaloss", 1, 0, 1, 5)
%!error id=adagrad:badvalue __adagrad_step__ (W, W, 1, "adaloss", 1, 1, 1, 0)
%!error id=adagrad:badvalue __adagrad_step__ (W, W, 1, "adaloss", 1, 1, -1, 5)
%!error id=adagrad:badvalue __adagrad_step__ (W, W, 1, "adaloss", 1, 1, 1, -5)
%!error id=adagrad:badvalue __adagrad_step__ (W, W, 1, "adaloss", 1, 1, 1, 2.5)
%!error id=adagrad:badvalue __adagrad_train__ (X, y, W, a, 1, "gd", 1, 1, 0, -1, Inf)
%!error id=adagrad:badvalue __adagrad_train__ (X, y, W, a, 1, "gd", 1, 1, 0, 1e8, Inf)
%!error id=adagrad:badvalue __adagrad_train__ (X, y, W, a, 1, "gd", 1, 1, 0, 3, 0)
%!error id=adagrad:badvalue __adagrad_train__ (X, y, W, a, 1, "gd", 1, 1, -1, 3, Inf)
%!error id=adagrad:badvalue __adagrad_train__ (X, y, W, a, 0, "adaloss", 1, 1, 0, 3, Inf)
%!error id=adagrad:badvalue __adagrad_train__ (X, y, W, a, 1, "adaloss", 1, -1, 0, 3, Inf)

## Non-finite numbers.
%!error <an input holds NaN or Inf> __adagrad_forward__ ([X(1:end-1, :); NaN 0 0], W, a)
%!error id=adagrad:nonfinite __adagrad_forward__ (X, [W(1:end-1, :); Inf 0 0], a)
%!error id=adagrad:nonfinite __adagrad_forward__ (X, W, [a(1:end-1); NaN])
%!error id=adagrad:nonfinite __adagrad_gradient__ (X, [y(1:end-1); -Inf], W, a)
%!error id=adagrad:nonfinite __adagrad_step__ (W, [W(1:end-1, :); NaN 0 0], 1, "gd", 1, 1, 0, 1)
%!error id=adagrad:nonfinite __adagrad_step__ (W, W, NaN, "adagrad-norm", 1, 1, 0, 1)
%!error id=adagrad:nonfinite __adagrad_step__ (W, W, 1, "adaloss", 1, 1, Inf, 5)
%!error id=adagrad:nonfinite __adagrad_step__ (W, W, 1, "gd", Inf, 1, 0, 1)
%!error id=adagrad:nonfinite __adagrad_train__ (X, y, W, a, Inf, "adaloss", 1, 1, 0, 3, Inf)
%!error id=adagrad:nonfinite __adagrad_train__ (X, y, W, a, 1, "adaloss", 1, 1, NaN, 3, Inf)
%!error id=adagrad:nonfinite __adagrad_train__ ([X(1:end-1, :); NaN 0 0], y, W, a, 1, "gd", 1, 1, 0, 3, Inf)
