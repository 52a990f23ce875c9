## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{H}, @var{lambda0}, @var{normH}] =} adagrad_gram (@var{X})
## @deftypefnx {} {[@var{H}, @var{lambdamin}, @var{normH}] =} adagrad_gram (@var{X}, @var{W})
## @deftypefnx {} {[@var{H}, @var{lambdamin}, @var{normH}] =} adagrad_gram (@var{X}, @var{net})
## The Gram matrices of the theory (Du et al.; Wu, Du & Ward).
##
## With one argument, the closed form of the infinite-width Gram matrix of the
## data:
## @code{H_inf(i,j) = x_i'x_j * (pi - acos (x_i'x_j)) / (2*pi)} (the inner
## product clamped to [-1, 1]).  @var{lambda0} = lambda_min(H_inf), which is
## positive when no two inputs are parallel, and @var{normH} = ||H_inf||
## (its largest eigenvalue); gradient descent is stable for steps below about
## 2/||H_inf||.  For unit-norm rows, @code{diag (H_inf) = 1/2}.  When
## @var{lambda0} is asked for and is below 1e-12 of ||H_inf||, a warning
## (identifier @code{adagrad:singular}) names two parallel rows of X (for
## example a duplicated row, which the iris data set has) or says that
## H_inf is singular to working precision.
##
## With a weight matrix @var{W} (m-by-d) or a network struct, the empirical
## Gram matrix at @var{W}:
## @code{H(i,j) = x_i'x_j * #@{r : w_r'x_i >= 0 and w_r'x_j >= 0@} / m},
## for which @code{norm (G, "fro")^2 = e' * H * e} exactly.  Its expectation
## at initialization is H_inf, and the deviation shrinks like 1/sqrt(m).
## Computed in C with BLAS from one block of units at a time (never an n-by-m
## matrix); O(n^2 m) work.
##
## Single inputs are converted to double.  H and the eigenvalues are
## computed in C (the eigenvalues by LAPACK with single-threaded BLAS), so
## that every number is bitwise the same for any thread count.
## @seealso{adagrad_check, adagrad_train}
## @end deftypefn

function [H, lmin, lmax] = adagrad_gram (X, W, varargin)
  fname = "adagrad_gram";
  __adagrad_built__ (fname);
  if (nargin < 1 || nargin > 2)
    __adagrad_usage__ ("adagrad_gram");
  endif
  X = double (__adagrad_check__ (fname, "X", X, "matrix", [NaN NaN]));
  args = {X};
  if (nargin > 1)
    if (isstruct (W))
      if (! isscalar (W) || ! isfield (W, "W"))
        error ("adagrad:badinput", "%s: NET must be a network struct with a field W",
               fname);
      endif
      W = W.W;
    endif
    args{2} = double (__adagrad_check__ (fname, "W", W, "matrix", [NaN columns(X)]));
  endif
  ## The eigenvalues come from C too: LAPACK with single-threaded BLAS, so
  ## that they are bitwise the same for any thread count (Octave's eig uses
  ## the BLAS library's threads).
  [H, lmin, lmax] = __adagrad_gram__ (args{:});
  if (! all (isfinite (H(:))))
    error ("adagrad:nonfinite",
           "%s: the Gram matrix has entries that are NaN or Inf (the inner products of the rows of X overflow: scale X down)",
           fname);
  endif
  if (nargin == 1 && nargout > 1 && rows (X) > 1 && ! (lmin > 1e-12 * lmax))
    ## H_inf is positive definite when no two rows of X are parallel (Du et
    ## al., the theory's assumption): say which are.
    nx = sqrt (sumsq (X, 2));
    C = (X ./ max (nx, realmin)) * (X ./ max (nx, realmin))';
    [i, j] = find (triu (C, 1) > 1 - 1e-10);
    if (! isempty (i))
      warning ("adagrad:singular",
               "%s: lambda0 = %.3g is about 0 (%.3g of ||H_inf||): rows %d and %d of X are parallel (%d such pairs; duplicated rows, as in the iris set, are); the theory assumes no two rows are parallel: drop the duplicates, e.g. X = unique (X, \"rows\") with the labels that go with them",
               fname, lmin, lmin / lmax, i(1), j(1), numel (i));
    else
      warning ("adagrad:singular",
               "%s: lambda0 = %.3g is about 0 (%.3g of ||H_inf||): H_inf is singular to working precision, so the theory's rate (1 - eta*lambda0/2)^k says nothing",
               fname, lmin, lmin / lmax);
    endif
  endif
endfunction

%!demo
%! ## lambda0 and ||H_inf|| of the synthetic data, and the stable GD step.
%! X = adagrad_data (200, 20, "seed", 1);
%! [H, lambda0, normH] = adagrad_gram (X);
%! printf ("lambda0 = %.4f, ||H_inf|| = %.4f, GD stable for steps < %.4f\n",
%!         lambda0, normH, 2 / normH);

%!shared X
%! X = adagrad_data (30, 6, "seed", 1);

%!test
%! ## The closed form, entry by entry, and its properties.
%! [H, l0, nH] = adagrad_gram (X);
%! t = max (min (X * X', 1), -1);
%! assert (H, t .* (pi - acos (t)) / (2 * pi), 1e-14);
%! assert (diag (H), 0.5 * ones (30, 1), 1e-7);
%! assert (H, H');
%! assert (l0 > 0);
%! assert (nH, max (eig (H)), 1e-12);
%! assert (l0, min (eig (H)), 1e-12);

%!test
%! ## H(W): the count formula, and ||G||^2 = e'He.
%! net = adagrad_init (6, 500, "seed", 2);
%! [X2, y] = adagrad_data (30, 6, "seed", 1);
%! H = adagrad_gram (X2, net);
%! P = double (X2 * net.W' >= 0);
%! assert (H, (X2 * X2') .* (P * P') / 500, 1e-13);
%! [G, ~, u] = adagrad_gradient (net.W, net.a, X2, y);
%! e = u - y;
%! assert (norm (G, "fro") ^ 2, e' * H * e, 1e-12 * (e' * H * e));
%! assert (adagrad_gram (single (X2), single (net.W)), H, 1e-6);

%!test
%! ## Monte Carlo: H(W(0)) approaches H_inf like 1/sqrt(m) (doc/theory.md).
%! Hinf = adagrad_gram (X);
%! ms = [250 1000 4000 16000];
%! err = zeros (size (ms));
%! for k = 1:numel (ms)
%!   for s = 1:4
%!     net = adagrad_init (6, ms(k), "seed", 100 * k + s);
%!     err(k) += norm (adagrad_gram (X, net.W) - Hinf, "fro") / 4;
%!   endfor
%! endfor
%! ## Each 4x wider network halves the error, within sampling noise.
%! ratio = err(1:end-1) ./ err(2:end);
%! assert (all (ratio > 1.5 & ratio < 2.7), sprintf ("%g ", ratio));
%! assert (err(end) * sqrt (ms(end)), err(1) * sqrt (ms(1)), 0.3 * err(1) * sqrt (ms(1)));

%!test
%! ## A duplicated row (iris has one): lambda0 is about 0, and the warning
%! ## names the rows; a parallel row (a multiple) too.  No warning otherwise.
%! Xd = [X; X(2, :)];
%! lastwarn ("");
%! warning ("on", "adagrad:singular", "local");
%! [~, l0, nh] = adagrad_gram (Xd);
%! assert (l0 < 1e-12 * nh);
%! [msg, id] = lastwarn ();
%! assert (id, "adagrad:singular");
%! assert (! isempty (strfind (msg, sprintf ("rows 2 and %d of X are parallel", rows (Xd)))));
%! lastwarn ("");
%! [~, l0] = adagrad_gram ([X; 3 * X(1, :)]);
%! assert (strfind (lastwarn (), "rows 1 and") > 0);
%! lastwarn ("");
%! [~, l0] = adagrad_gram (X);
%! assert (l0 > 0);
%! assert (lastwarn (), "");
%!error <Invalid call> adagrad_gram ()
%!error <adagrad_gram: X must be finite> adagrad_gram ([1 NaN; 0 1])
%!error <adagrad_gram: X must be a real, full> adagrad_gram ({1})
%!error <adagrad_gram: W must be any number of rows by 6 columns> adagrad_gram (X, ones (4, 5))
%!error <adagrad_gram: NET must be a network struct> adagrad_gram (X, struct ("a", 1))
%!error <adagrad_gram: the Gram matrix has entries that are NaN or Inf> adagrad_gram (1e200 * X, ones (3, 6))
