## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {@var{f} =} __adagrad_fingerprint__ (@var{X}, @var{y})
## Internal: a cheap fingerprint of a data set (sizes, class, and sums with
## and without position weights), saved with a checkpoint so that
## @code{adagrad_resume} can tell the same data from other data.
## @end deftypefn

function f = __adagrad_fingerprint__ (X, y)
  if (nargin != 2)
    __adagrad_usage__ ("__adagrad_fingerprint__");
  endif
  x = double (X(:));
  w = mod ((1:numel (x))', 1009) + 1;
  f = struct ("size", size (X), "class", class (X), "sumX", sum (x),
              "sumwX", sum (w .* x), "sumy", sum (double (y(:))));
endfunction

%!test
%! X = [1 2; 3 5]; y = [1; 2];
%! f = __adagrad_fingerprint__ (X, y);
%! assert (isequal (f, __adagrad_fingerprint__ (X, y)));
%! assert (! isequal (f, __adagrad_fingerprint__ (X', y)));
%! assert (! isequal (f, __adagrad_fingerprint__ (single (X), y)));
%! assert (! isequal (f, __adagrad_fingerprint__ (X, y + 1)));

%!error <Invalid call to __adagrad_fingerprint__> __adagrad_fingerprint__ ()
