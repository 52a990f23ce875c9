## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {@var{T} =} __adagrad_ntkblock__ (@var{X}, @var{W}, @var{s})
## Internal: a block of the tangent kernel of a network of K outputs,
## @code{T = (X X') .* (D diag (s) D') / m} with D = [X W' >= 0] and
## @var{s} = @code{A(:,p) .* A(:,q)} (entries +1 and -1; doc/theory.md):
## the Gram matrices H(W) of the units with s = 1 and with s = -1
## (@code{adagrad_gram}, in C), weighted by their counts.  For p = q, s is
## all ones and T is H(W).
## @end deftypefn

function T = __adagrad_ntkblock__ (X, W, s)
  T = zeros (rows (X));
  for sgn = [1 -1]
    r = s == sgn;
    if (any (r))
      T += sgn * nnz (r) / rows (W) * adagrad_gram (X, W(r, :));
    endif
  endfor
endfunction

%!test
%! X = randn (7, 3);
%! X ./= sqrt (sumsq (X, 2));
%! W = randn (20, 3);
%! s = 2 * (rand (20, 1) > 0.5) - 1;
%! D = double (X * W' >= 0);
%! assert (__adagrad_ntkblock__ (X, W, s), (X * X') .* (D * diag (s) * D') / 20, 1e-14);
%! assert (__adagrad_ntkblock__ (X, W, ones (20, 1)), adagrad_gram (X, W), 1e-14);
%! assert (__adagrad_ntkblock__ (X, W, -ones (20, 1)), -adagrad_gram (X, W), 1e-14);
