## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {[@var{has}, @var{v1}, @dots{}] =} __adagrad_fields__ (@var{S}, @var{names})
## Internal: the fields @var{names} (a char matrix, one name per row) of the
## scalar struct @var{S} for a MEX gateway's field table
## (mex/ag_mex_fields.h): @var{has}(i) whether @var{S} has the i-th, and its
## value (@code{[]} when it has not). A name may be a path into nested
## scalar structs, such as @qcode{"net.W"} (@var{S}.net.W): @var{S} has it
## when every struct on the way is a scalar struct with the next field.
## Read here, the values reach the gateway without the copy of every array
## of @var{S} that reading a field through the MEX API makes.
## @end deftypefn

function [has, varargout] = __adagrad_fields__ (S, names)
  names = cellstr (names);
  paths = regexp (names, "[^.]+", "match");
  has = false (numel (names), 1);
  varargout = cell (1, numel (names));
  for i = 1:numel (names)
    path = paths{i};
    if (isscalar (path))
      if (isfield (S, path{1}))
        [has(i), varargout{i}] = deal (true, S.(path{1}));
      endif
      continue;
    endif
    v = S;
    for k = 1:numel (path)
      has(i) = isstruct (v) && isscalar (v) && isfield (v, path{k});
      if (! has(i))
        v = [];
        break;
      endif
      v = v.(path{k});
    endfor
    varargout{i} = v;
  endfor
endfunction

%!test
%! [has, a, b, c] = __adagrad_fields__ (struct ("a", 1, "c", "x"), char ("a", "b", "c"));
%! assert (has, [true; false; true]);
%! assert ({a, b, c}, {1, [], "x"});
%!test
%! ## Paths: through scalar structs only.
%! S = struct ("net", struct ("W", [1 2], "s", struct ("b", 3)), "c", {{1}}, "r", struct ("x", {1, 2}));
%! [has, W, b, x, cx, rx, nx] = __adagrad_fields__ (S, char ("net.W", "net.s.b", "net.x", "c.x", "r.x", "net.W.x"));
%! assert (has, [true; true; false; false; false; false]);
%! assert ({W, b, x, cx, rx, nx}, {[1 2], 3, [], [], [], []});
