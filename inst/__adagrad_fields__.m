## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {[@var{has}, @var{v1}, @dots{}] =} __adagrad_fields__ (@var{S}, @var{names})
## Internal: the fields @var{names} (a char matrix, one name per row) of the
## scalar struct @var{S} for a MEX gateway's field table
## (mex/ag_mex_fields.h): @var{has}(i) whether @var{S} has the i-th, and its
## value (@code{[]} when it has not). Read here, the values reach the gateway
## without the copy of every array of @var{S} that reading a field through
## the MEX API makes.
## @end deftypefn

function [has, varargout] = __adagrad_fields__ (S, names)
  names = cellstr (names);
  has = isfield (S, names);
  varargout = cell (1, numel (names));
  for i = find (has(:)')
    varargout{i} = S.(names{i});
  endfor
endfunction

%!test
%! [has, a, b, c] = __adagrad_fields__ (struct ("a", 1, "c", "x"), char ("a", "b", "c"));
%! assert (has, [true; false; true]);
%! assert ({a, b, c}, {1, [], "x"});
