## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {[@var{a}, @var{b}, @dots{}] =} __adagrad_same_class__ (@var{a}, @var{b}, @dots{})
## Internal: return the arguments converted to single precision if any of them
## is single, unchanged otherwise (Octave's rule for mixed arithmetic).
## @end deftypefn

function varargout = __adagrad_same_class__ (varargin)
  if (any (cellfun ("isclass", varargin, "single")))
    varargout = cellfun (@single, varargin, "uniformoutput", false);
  else
    varargout = varargin;
  endif
endfunction

%!demo
%! [a, b] = __adagrad_same_class__ (1, single (2));
%! disp ({class(a), class(b)});

%!test
%! [a, b] = __adagrad_same_class__ (1, single (2));
%! assert ({class(a), class(b)}, {"single", "single"});
%! [a, b] = __adagrad_same_class__ (1, [2 3]);
%! assert ({a, b}, {1, [2 3]});
%! assert (class (b), "double");

%!error <invalid conversion from cell to single> __adagrad_same_class__ (single (1), {2})
