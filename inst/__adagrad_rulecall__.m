## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {[@var{W}, @var{state}, @var{msg}] =} __adagrad_rulecall__ (@var{fcn}, @var{W}, @var{G}, @var{state}, @var{info})
## Internal: one step of a rule written in Octave, called from the C loop of
## @code{__adagrad_train__} through @code{mexCallMATLAB}:
## @code{[W, state] = fcn (W, G, state, info)}, with @code{info.oracle} (when
## @var{info} has the run's, @code{[L, G] = oracle (W, rows)}) bound to the
## step's rows @code{info.rows}.  The new @var{W} comes back
## in the class of the given one.  @var{msg} is "" or what went wrong, so
## that the C loop can stop and hand its run back before the error is
## raised: @qcode{"adagrad:interrupted"} for Ctrl-C inside the package's own
## functions that the rule called, else a sentence (the function failed, or
## did not return a real matrix of the size of @var{W}).  A non-finite
## @var{W} is not an error here: the loop stops the run as diverged.
## @end deftypefn

function [Wn, sn, msg] = __adagrad_rulecall__ (fcn, W, G, state, info)
  msg = "";
  sn = state;
  ## The oracle of the run, [L, G] = ev (W, rows), on this step's batch.
  if (isstruct (info) && isfield (info, "oracle") && is_function_handle (info.oracle))
    info.oracle = bind (info.oracle, info.rows);
  endif
  try
    [Wn, sn] = fcn (W, G, state, info);
  catch err
    Wn = W;
    if (strcmp (err.identifier, "adagrad:interrupted"))
      msg = "adagrad:interrupted";
    else
      msg = sprintf ("the optimizer function failed: %s", err.message);
    endif
    return;
  end_try_catch
  if (! (isfloat (Wn) && isreal (Wn) && ! issparse (Wn) && isequal (size (Wn), size (W))))
    msg = sprintf ("the optimizer function must return W as a real %d-by-%d matrix",
                   rows (W), columns (W));
    Wn = W;
    return;
  endif
  Wn = cast (Wn, class (W));
endfunction

function f = bind (ev, rows)
  f = @(Wt) ev (Wt, rows);
endfunction

%!test
%! [W, s, m] = __adagrad_rulecall__ (@(W, G, s, i) deal (W - i.eta * G, s + 1), ...
%!                                   ones (2), 2 * ones (2), 0, struct ("eta", 0.25));
%! assert (W, 0.5 * ones (2));
%! assert (s, 1);
%! assert (m, "");
%!test
%! [W, ~, m] = __adagrad_rulecall__ (@(W, G, s, i) deal (double (W), s), single (ones (2)), ...
%!                                   ones (2), [], []);
%! assert (class (W), "single");
%! assert (m, "");
%!test
%! ## The oracle is bound to the step's rows.
%! info = struct ("rows", [2; 5], "oracle", @(W, r) sum (W(:)) * sum (r));
%! [W, s] = __adagrad_rulecall__ (@(W, G, s, i) deal (W, i.oracle (2 * W)), ones (2), ones (2), ...
%!                                [], info);
%! assert (s, 8 * 7);
%!test
%! [~, ~, m] = __adagrad_rulecall__ (@(W, G, s, i) error ("boom"), ones (2), ones (2), [], []);
%! assert (m, "the optimizer function failed: boom");
%!test
%! [~, ~, m] = __adagrad_rulecall__ (@(W, G, s, i) deal (ones (3), s), ones (2), ones (2), [], []);
%! assert (m, "the optimizer function must return W as a real 2-by-2 matrix");
%!test
%! [~, ~, m] = __adagrad_rulecall__ (@(W, G, s, i) deal (W + 1i, s), ones (2), ones (2), [], []);
%! assert (m, "the optimizer function must return W as a real 2-by-2 matrix");
%!test
%! [~, ~, m] = __adagrad_rulecall__ (@(W, G, s, i) error ("adagrad:interrupted", "x"), ...
%!                                   ones (2), ones (2), [], []);
%! assert (m, "adagrad:interrupted");
