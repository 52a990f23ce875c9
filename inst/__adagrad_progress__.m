## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {} __adagrad_progress__ (@var{net}, @var{done}, @var{maxiter}, @var{loss}, @var{b}, @var{step}, @var{elapsed}, @var{final}, @var{first}, @var{acc})
## @deftypefnx {} {} __adagrad_progress__ (@dots{}, @var{state})
## @deftypefnx {} {@var{text} =} __adagrad_progress__ ("time", @var{seconds})
## Internal: @code{adagrad_train}'s progress line (display "iter"),
## rewritten in place (printed from the C loop), and a duration as the line
## writes it.  @var{done} of @var{maxiter} iterations of this run are done,
## which started at iteration @var{first} (a resume's checkpoint): the line
## shows the iteration @var{first} + @var{done} of @var{first} +
## @var{maxiter}, and the ETA from this run's own pace.  A NaN @var{b} is
## read from @var{state} when it is given (a rule written in Octave).
## @var{acc}: the training and validation accuracy of the last evaluation
## point (NaN: none; shown only when known) and, in the event form, the
## run's exact evaluations of entries of Z and flips so far (shown when
## non-zero).
## @end deftypefn

function out = __adagrad_progress__ (net, done, maxiter, loss, b, step, elapsed, final, first, acc, state)
  out = [];
  if (ischar (net))
    out = format_time (done);
    return;
  endif
  if (isnan (b) && nargin > 10)
    b = __adagrad_optimizer__ ("b", state);
  endif
  if (done > 0)
    eta_left = format_time (elapsed / done * (maxiter - done));
  else
    eta_left = "?";
  endif
  name = net.optimizer;
  if (is_function_handle (name))
    name = func2str (name);
  endif
  bpart = "";
  if (! isnan (b))
    bpart = sprintf ("  b %.4e", b);
  endif
  apart = "";
  if (nargin > 9 && ! isnan (acc(1)))
    apart = sprintf ("  acc %.4f", acc(1));
  endif
  if (nargin > 9 && numel (acc) > 1 && ! isnan (acc(2)))
    apart = sprintf ("%s  val acc %.4f", apart, acc(2));
  endif
  if (nargin > 9 && numel (acc) > 3 && acc(3) > 0)
    apart = sprintf ("%s  evals %.3g flips %.3g", apart, acc(3), acc(4));
  endif
  fprintf ("\radagrad_train [%s] iter %*d/%d  loss %.4e%s%s  step %.3e  elapsed %s  ETA %s   ",
           name, numel (num2str (first + maxiter)), first + done, first + maxiter, loss,
           bpart, apart, step,
           format_time (elapsed), eta_left);
  if (final)
    fprintf ("\n");
  endif
  fflush (stdout);
endfunction

function s = format_time (t)
  if (t < 60)
    s = sprintf ("%.1fs", t);
  elseif (t < 3600)
    s = sprintf ("%dm%02ds", floor (t / 60), floor (mod (t, 60)));
  else
    s = sprintf ("%dh%02dm", floor (t / 3600), floor (mod (t, 3600) / 60));
  endif
endfunction

%!test
%! net = struct ("optimizer", "gd");
%! out = evalc ('__adagrad_progress__ (net, 5, 10, 1.5, NaN, 0.1, 2, true, 0, [NaN NaN], struct ("b", 2.5))');
%! assert (! isempty (strfind (out, "iter  5/10  loss 1.5000e+00  b 2.5000e+00  step 1.000e-01")));
%! assert (! isempty (regexp (out, 'ETA [^\n]*\n')));
%! out = evalc ('__adagrad_progress__ (net, 5, 10, 1.5, NaN, 0.1, 2, false, 0)');
%! assert (isempty (strfind (out, " b ")));
%! ## A resume from iteration 515 of 3000: 538/3000, and the ETA from this
%! ## run's pace (23 iterations in 2 s: 2462 more in 3m34s).
%! out = evalc ('__adagrad_progress__ (net, 23, 2485, 1.5, NaN, 0.1, 2, false, 515)');
%! assert (! isempty (strfind (out, "iter  538/3000")));
%! assert (! isempty (strfind (out, "ETA 3m34s")));
%! ## The accuracy of the last evaluation point, training and validation.
%! out = evalc ('__adagrad_progress__ (net, 5, 10, 1.5, NaN, 0.1, 2, false, 0, [0.9 0.85])');
%! assert (! isempty (strfind (out, "loss 1.5000e+00  acc 0.9000  val acc 0.8500  step")));
%! out = evalc ('__adagrad_progress__ (net, 5, 10, 1.5, NaN, 0.1, 2, false, 0, [0.75 NaN])');
%! assert (! isempty (strfind (out, "acc 0.7500  step")));
%! ## The event form's counts, when there are any.
%! out = evalc ('__adagrad_progress__ (net, 5, 10, 1.5, NaN, 0.1, 2, false, 0, [NaN NaN 123456 789])');
%! assert (! isempty (strfind (out, "loss 1.5000e+00  evals 1.23e+05 flips 789  step")));
%! out = evalc ('__adagrad_progress__ (net, 5, 10, 1.5, NaN, 0.1, 2, false, 0, [NaN NaN 0 0])');
%! assert (isempty (strfind (out, "evals")));
%!assert (__adagrad_progress__ ("time", 75), "1m15s")
%!assert (__adagrad_progress__ ("time", 7300), "2h01m")
