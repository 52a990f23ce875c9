## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{stop}, @var{msg}] =} __adagrad_outputfcn__ (@var{fcn}, @var{net}, @var{info})
## @deftypefnx {} {[@var{stop}, @var{msg}] =} __adagrad_outputfcn__ (@var{fcn}, @var{net}, @var{info}, "check")
## @deftypefnx {} {[@var{stop}, @var{msg}] =} __adagrad_outputfcn__ (@var{fcn}, @var{net}, @var{info}, @var{W}, @var{state}, @var{seen})
## @deftypefnx {} {[@var{stop}, @var{msg}] =} __adagrad_outputfcn__ (@var{fcn}, @var{net}, @{@var{values}, @var{name}@}, @dots{})
## Internal: call the output function @var{fcn} of @code{adagrad_train}
## (from the C loop, through @code{mexCallMATLAB}, for every rule; and from
## @code{adagrad_train} at the @qcode{"init"} and @qcode{"done"} calls).  @var{msg} is "" or, when it failed, what went wrong (then
## @var{stop} is true).  Errors are returned rather than raised so that the C
## loop can stop and hand its state back first.  @var{stop} is what the
## function returned (the C loop checks it); with @qcode{"check"} it is
## checked here and returned as a logical scalar.  Given @var{W} and
## @var{state} (the C loop's current ones), @var{fcn} sees @var{net} with those
## and with @code{iter} and @code{loss} from @var{info} (and @code{seen}, the
## rows used so far, when given).  A function that takes three arguments
## (or varargin) is called as @code{fcn (net, info, info.state)}.
## @var{info} is built here, the one place, from its values: a row (iter,
## loss, b, step, gnorm, time, batchloss, epoch, vloss, rate; from the C loop, the
## @qcode{"iter"} calls) or a cell @code{@{@var{values}, @var{name}@}} or
## @code{@{@var{values}, "done", @var{stop}@}} (the run's first and last
## calls); a NaN b is read from the state.
## @end deftypefn

function [stop, msg] = __adagrad_outputfcn__ (fcn, net, info, W, state, seen)
  msg = "";
  if (iscell (info) || (isnumeric (info) && numel (info) == 10))
    ## The info's values, built here for every call (the C loop's, and the
    ## "init" and "done" calls of the run).
    if (nargin > 4)
      info = info_of ({info, "iter"}, state);
    else
      info = info_of (info, net.state);
    endif
  endif
  if (nargin > 4)
    net.W = W;
    net.state = state;
    net.iter = info.iter;
    net.loss = info.loss;
  endif
  if (nargin > 5)
    net.seen = seen;
  endif
  try
    ## The three-argument form (MATLAB's OutputFcn) gets the state
    ## ("init", "iter", "done") as its own argument; info.state has it too.
    if (isstruct (info) && isfield (info, "state") && (nargin (fcn) < 0 || nargin (fcn) >= 3))
      stop = fcn (net, info, info.state);
    else
      stop = fcn (net, info);
    endif
  catch err
    if (strcmp (err.identifier, "adagrad:interrupted"))
      ## Ctrl-C inside the package's own functions called from the output
      ## function: the run's interrupt (the caller saves the run).
      [stop, msg] = deal (true, "adagrad:interrupted");
    else
      [stop, msg] = deal (true, sprintf ("the output function failed: %s", err.message));
    endif
    return;
  end_try_catch
  if (nargin == 4 && ischar (W))
    if (! ((islogical (stop) || isnumeric (stop)) && isscalar (stop) && isreal (stop)
           && ! isnan (stop)))
      [stop, msg] = deal (true, "the output function must return true (stop) or false");
      return;
    endif
    stop = logical (stop);
  endif
endfunction

## The info struct of the output function from V = {values, state[, stop]}:
## values in the order iter, loss, b, step, gnorm, time, batchloss, epoch,
## vloss, rate; a NaN b is the state S's (a rule written in Octave).
function info = info_of (V, S)
  v = V{1};
  if (isnan (v(3)))
    v(3) = __adagrad_optimizer__ ("b", S);
  endif
  info = struct ("iter", v(1), "loss", v(2), "b", v(3), "step", v(4), "gnorm", v(5),
                 "time", v(6), "batchloss", v(7), "epoch", v(8), "vloss", v(9), "rate", v(10),
                 "state", V{2});
  if (numel (V) > 2)
    info.stop = V{3};
  endif
endfunction

%!test
%! [s, m] = __adagrad_outputfcn__ (@(n, i) i.iter > 2, [], struct ("iter", 3), "check");
%! assert (s, true);
%! assert (m, "");
%! [s, m] = __adagrad_outputfcn__ (@(n, i) 0, [], struct ("iter", 3), "check");
%! assert (s, false);
%! assert (class (s), "logical");
%! [s, m] = __adagrad_outputfcn__ (@(n, i) 0, [], struct ("iter", 3));
%! assert (class (s), "double");
%! [s, m] = __adagrad_outputfcn__ (@(n, i) error ("boom"), [], []);
%! assert ([s, strcmp(m, "the output function failed: boom")], [true, true]);
%! [s, m] = __adagrad_outputfcn__ (@(n, i) n.W + n.iter + n.loss + n.state.b, struct ("W", 1),
%!                                struct ("iter", 3, "loss", 4), 2, struct ("b", 5));
%! assert (s, 14);
%! ## Three arguments: the state as the third.
%! [s, m] = __adagrad_outputfcn__ (@(n, i, st) strcmp (st, "done"), [], struct ("iter", 3, "state", "done"), "check");
%! assert (s, true);
%! [s, m] = __adagrad_outputfcn__ (@(n, i, varargin) numel (varargin), [], struct ("state", "init"));
%! assert (s, 1);
%! [s, m] = __adagrad_outputfcn__ (@(n, i) i.state(1) == "i", [], struct ("state", "init"), "check");
%! assert (s, true);
%! ## The info built from its values: from the C loop (a row; b NaN read from
%! ## the state given), and the run's "init" and "done" calls (a cell).
%! keep = @(n, i) i;
%! [s, m] = __adagrad_outputfcn__ (keep, struct ("W", 1), 1:10, 2, struct ("b", 7), 10);
%! assert (s, struct ("iter", 1, "loss", 2, "b", 3, "step", 4, "gnorm", 5, "time", 6,
%!                    "batchloss", 7, "epoch", 8, "vloss", 9, "rate", 10, "state", "iter"));
%! [s, m] = __adagrad_outputfcn__ (keep, struct ("W", 1), [1 2 NaN 4:10], 2, struct ("b", 7), 10);
%! assert (s.b, 7);
%! [s, m] = __adagrad_outputfcn__ (keep, struct ("state", struct ("b", 0.5)), {[1 2 NaN 4:10], "done", "maxiter"});
%! assert ({s.b, s.state, s.stop}, {0.5, "done", "maxiter"});
%! [s, m] = __adagrad_outputfcn__ (keep, struct ("state", []), {[1 2 NaN 4:10], "init"});
%! assert ({s.b, s.state, isfield(s, "stop")}, {NaN, "init", false});
%! for bad = {"yes", [1 0], NaN, 1i, {}}
%!   [s, m] = __adagrad_outputfcn__ (@(n, i) bad{1}, [], [], "check");
%!   assert (m, "the output function must return true (stop) or false");
%! endfor
