## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {[@var{out1}, @dots{}] =} __adagrad_draw__ (@var{seed}, @var{fn1}, @dots{})
## Internal: evaluate the generator functions @var{fn1}, @dots{} in turn, with
## @code{rand} and @code{randn} seeded by @var{seed}, then restore their global
## states.  With an empty @var{seed} the global generators are used as they are.
## @end deftypefn

function varargout = __adagrad_draw__ (seed, varargin)
  if (nargin < 1)
    __adagrad_usage__ ("__adagrad_draw__");
  endif
  if (isempty (seed))
    varargout = cellfun (@(f) f (), varargin, "uniformoutput", false);
    return;
  endif
  saved_n = randn ("state");
  saved_u = rand ("state");
  unwind_protect
    randn ("state", seed);
    rand ("state", seed);
    varargout = cellfun (@(f) f (), varargin, "uniformoutput", false);
  unwind_protect_cleanup
    randn ("state", saved_n);
    rand ("state", saved_u);
  end_unwind_protect
endfunction

%!demo
%! ## The same seed gives the same draws, and the global generator is untouched.
%! a = __adagrad_draw__ (7, @() randn (1, 3))
%! b = __adagrad_draw__ (7, @() randn (1, 3))

%!test
%! [a, b] = __adagrad_draw__ (5, @() randn (2), @() rand (1, 3));
%! [c, d] = __adagrad_draw__ (5, @() randn (2), @() rand (1, 3));
%! assert (c, a);
%! assert (d, b);
%! assert (size (b), [1 3]);

%!test
%! randn ("state", 1);
%! x = randn ();
%! randn ("state", 1);
%! __adagrad_draw__ (9, @() randn (5));
%! assert (randn (), x);
%! ## Without a seed the global generator advances.
%! randn ("state", 1);
%! y = __adagrad_draw__ ([], @() randn ());
%! assert (y, x);

%!error <Invalid call> __adagrad_draw__ ()
