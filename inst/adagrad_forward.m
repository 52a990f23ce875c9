## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{u} =} adagrad_forward (@var{W}, @var{a}, @var{X})
## @deftypefnx {} {@var{u} =} adagrad_forward (@var{W}, @var{a}, @var{X}, @qcode{"threads"}, @var{t})
## Output of the two-layer ReLU network on the rows of @var{X}:
## @code{u = max (X * W', 0) * a / sqrt (m)} (@var{n}-by-1).
##
## @var{W} is @var{m}-by-@var{d} (row r is the weight vector of hidden unit r),
## @var{a} the @var{m} output weights, @var{X} @var{n}-by-@var{d} (rows are
## samples).  If any of them is single, the computation is in single
## precision (single-precision BLAS) and @var{u} is single.  Computed in C (MEX @code{__adagrad_forward__}) with BLAS, in
## blocks of hidden units, without forming the @var{n}-by-@var{m} activations.
## @qcode{"threads"}: the threads of the C core, as in @code{adagrad_train}
## (default 0: @env{OMP_NUM_THREADS} when set, else the cores other running
## tasks leave free; 1 suits a hand-written loop of small steps beside other
## work); the result is bitwise the same for any number.  Options may also
## come as a struct.
## @seealso{adagrad_gradient, adagrad_step, adagrad_predict}
## @end deftypefn

function u = adagrad_forward (W, a, X, varargin)
  if (nargin < 3)
    __adagrad_usage__ ("adagrad_forward");
  endif
  fname = "adagrad_forward";
  __adagrad_built__ (fname);
  o = __adagrad_options__ (fname, struct ("threads", 0), varargin{:});
  threads = __adagrad_check__ (fname, "THREADS", o.threads, "threads");
  W = __adagrad_check__ (fname, "W", W, "matrix", [NaN NaN]);
  a = __adagrad_check__ (fname, "A", a, "outmatrix", size (W));
  X = __adagrad_check__ (fname, "X", X, "matrix", [NaN columns(W)]);
  [X, W, a] = __adagrad_same_class__ (X, W, a);
  u = __adagrad_forward__ (X, W, a, threads);
endfunction

%!demo
%! ## The output is relu(X*W') * a / sqrt(m), computed without the n-by-m matrix.
%! [X, y] = adagrad_data (5, 3, "seed", 1);
%! net = adagrad_init (3, 1000, "seed", 2);
%! u = adagrad_forward (net.W, net.a, X);
%! disp ([u, max(X * net.W', 0) * net.a / sqrt(1000)]);

%!shared X, W, a
%! [X, ~] = adagrad_data (30, 4, "seed", 1);
%! net = adagrad_init (4, 70, "seed", 2);
%! W = net.W; a = net.a;

%!test
%! ## Hand-checked case: z = [1 -2; -1 3].
%! u = adagrad_forward ([1 -1; -2 3], [1; -1], eye (2));
%! assert (u, [1; -3] / sqrt (2), 1e-15);

%!test
%! u = adagrad_forward (W, a, X);
%! assert (u, max (X * W', 0) * a / sqrt (70), 1e-13);

%!test
%! ## A row vector of output weights is accepted.
%! assert (adagrad_forward (W, a', X), adagrad_forward (W, a, X));

%!test
%! ## Any single input gives a single computation, close to double.
%! u = adagrad_forward (single (W), a, X);
%! assert (class (u), "single");
%! assert (double (u), adagrad_forward (W, a, X), 1e-5 * norm (adagrad_forward (W, a, X)));

%!test
%! ## "threads": the same bits for any count; options as a struct too.
%! u0 = adagrad_forward (W, a, X);
%! assert (isequal (adagrad_forward (W, a, X, "threads", 1), u0));
%! assert (isequal (adagrad_forward (W, a, X, "threads", 3), u0));
%! assert (isequal (adagrad_forward (W, a, X, struct ("threads", 2)), u0));

%!error <Invalid call> adagrad_forward (W, a)
%!error <adagrad_forward: THREADS must be a non-negative integer> adagrad_forward (W, a, X, "threads", -1)
%!error <adagrad_forward: unknown option "thread"> adagrad_forward (W, a, X, "thread", 1)
%!error <adagrad_forward: W must be a real, full, non-empty double or single matrix> adagrad_forward ({W}, a, X)
%!error <adagrad_forward: A must be a vector of 70 entries \(got 69\)> adagrad_forward (W, a(1:69), X)
%!error <adagrad_forward: X must be any number of rows by 4 columns \(got 30-by-3\)> adagrad_forward (W, a, X(:, 1:3))
%!error <adagrad_forward: X must be finite> adagrad_forward (W, a, [X(1:end-1, :); NaN 0 0 0])
