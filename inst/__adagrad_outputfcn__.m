## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {[@var{stop}, @var{msg}] =} __adagrad_outputfcn__ (@var{fcn}, @var{net}, @var{info})
## Internal: call the output function @var{fcn} of @code{adagrad_train}
## (from the C loop, through @code{mexCallMATLAB}, or from the Octave loop of a
## function rule).  @var{stop} is its answer as a logical scalar; @var{msg} is
## "" or, when it failed or returned something other than true or false, what
## went wrong (then @var{stop} is true).  Errors are returned rather than
## raised so that the C loop can stop and hand its state back first.
## @end deftypefn

function [stop, msg] = __adagrad_outputfcn__ (fcn, net, info)
  msg = "";
  try
    stop = fcn (net, info);
  catch err
    [stop, msg] = deal (true, sprintf ("the output function failed: %s", err.message));
    return;
  end_try_catch
  if (! ((islogical (stop) || isnumeric (stop)) && isscalar (stop) && isreal (stop)
         && ! isnan (stop)))
    [stop, msg] = deal (true, "the output function must return true (stop) or false");
    return;
  endif
  stop = logical (stop);
endfunction

%!test
%! [s, m] = __adagrad_outputfcn__ (@(n, i) i.iter > 2, [], struct ("iter", 3));
%! assert (s, true);
%! assert (m, "");
%! [s, m] = __adagrad_outputfcn__ (@(n, i) 0, [], struct ("iter", 3));
%! assert (s, false);
%! assert (class (s), "logical");
%! [s, m] = __adagrad_outputfcn__ (@(n, i) error ("boom"), [], []);
%! assert ([s, strcmp(m, "the output function failed: boom")], [true, true]);
%! for bad = {"yes", [1 0], NaN, 1i, {}}
%!   [s, m] = __adagrad_outputfcn__ (@(n, i) bad{1}, [], []);
%!   assert (m, "the output function must return true (stop) or false");
%! endfor
