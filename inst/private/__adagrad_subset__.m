## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {@var{keep} =} __adagrad_subset__ (@var{y}, @var{n}, @var{seed})
## Internal: the indices of a stratified random subset of @var{n} rows of
## the labels @var{y}: each class's share by largest remainders, its rows
## drawn with @var{seed} (@code{__adagrad_draw__}), kept in their order.
## @end deftypefn

function keep = __adagrad_subset__ (y, n, seed)
  cl = unique (y);
  cnt = arrayfun (@(c) nnz (y == c), cl);
  want = n * cnt / numel (y);
  take = floor (want);
  [~, o] = sort (want - take, "descend");
  extra = n - sum (take);
  take(o(1:extra)) += 1;
  r = __adagrad_draw__ (seed + 1, @() rand (size (y)));
  keep = false (size (y));
  for k = 1:numel (cl)
    i = find (y == cl(k));
    [~, p] = sort (r(i));
    keep(i(p(1:take(k)))) = true;
  endfor
  keep = find (keep);
endfunction

%!test
%! y = [ones(30, 1); 2 * ones(60, 1); 3 * ones(10, 1)];
%! k = __adagrad_subset__ (y, 10, 1);
%! assert (accumarray (y(k), 1)', [3 6 1]);
%! assert (issorted (k));
%! assert (__adagrad_subset__ (y, 10, 1), k);
%! assert (! isequal (__adagrad_subset__ (y, 10, 2), k));
