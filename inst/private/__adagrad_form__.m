## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {@var{form} =} __adagrad_form__ (@var{fname}, @var{form}, @var{net}, @var{n}, @var{d}, @var{cls}, @var{bt}, @var{maxiter}, @var{diagnostics}, @var{reform}, @var{seconds}, @var{lossname})
## Internal: the form of @code{adagrad_train}'s steps, "primal", "kernel" or "event".
## @end deftypefn

## The form of the steps (see "form" in the help): FORM as given, or for
## "auto" the kernel form when NET's rule allows it, its flops for the run
## (steps; per call K = X*X' and forming W, the calls being at most SECONDS
## long; the re-forming and the W it forms at evaluation and diagnostics
## points) are fewer and its memory fits. "auto" does not take the event
## form: its measured speed (bench/bench_event.m: 1.3 to 1.5 times the
## primal form's where a flop count says 20 times) has no cost model yet
## that a choice could trust.
function form = __adagrad_form__ (fname, form, net, n, d, cls, bt, maxiter, diagnostics,
                                  reform, seconds, lossname)
  form = __adagrad_check__ (fname, "FORM", form, "choice",
                            {"auto", "primal", "kernel", "event"});
  info = __adagrad_optimizer__ ("info", net.optimizer);
  K = columns (net.a);
  if (strcmp (form, "event"))
    ## Full batch, one output, the squared loss, W -= s*G.
    if (! (info.linear && info.along_gradient && isempty (info.arrays)))
      R = __adagrad_rules__ ();
      ok = [R.linear] & [R.along_gradient] & cellfun (@isempty, {R.arrays});
      error ("adagrad:badinput",
             "%s: FORM \"event\" needs a rule whose step is W -= s*G with no state array (%s); %s is not one",
             fname, strjoin ({R(ok).name}, ", "), info.name);
    endif
    why = {! strcmp(bt.sampling, "full"), "full batch (its step advances the outputs of all rows)";
           K != 1, "one output";
           ! strcmp(lossname, "squared"), "the squared loss"};
    why = why([why{:, 1}], 2);
    if (! isempty (why))
      error ("adagrad:badinput", "%s: FORM \"event\" needs %s", fname, why{1});
    endif
    need = need_of ("event", net, n, d, cls, bt, maxiter, diagnostics, K);
    __adagrad_fits__ (fname, need, "the event form (n = %d, m = %d)", n, rows (net.W));
    return;
  endif
  if (strcmp (form, "primal") || (strcmp (form, "auto") && ! info.linear))
    form = "primal";
    return;
  endif
  if (! info.linear)
    R = __adagrad_rules__ ();
    error ("adagrad:badinput",
           "%s: FORM \"kernel\" needs a rule whose steps are combinations of gradients (%s); %s is not one",
           fname, strjoin ({R([R.linear]).name}, ", "), info.name);
  endif
  m = rows (net.W);
  need = need_of ("kernel", net, n, d, cls, bt, maxiter, diagnostics, K);
  if (strcmp (form, "kernel"))
    __adagrad_fits__ (fname, need, "the kernel form (n = %d, m = %d)", n, m);
    return;
  endif
  nb = min (bt.batchsize, n);
  ## K outputs add the products relu(Z)*A and R*A' to either form's step.
  outs = 4 * nb * m * K * (K > 1);
  K = max (maxiter, 1);
  evals = 0;
  if (! isempty (bt.Xv) || (! strcmp (bt.sampling, "full") && bt.gtol > 0))
    evals = K / bt.evalevery;
  endif
  if (diagnostics > 0)
    evals += K / diagnostics;
  endif
  forms = 2 * n * d * m * (1 + evals + 3 * floor (K / max (reform, 1)) * (reform > 0));
  primal = K * (4 * nb * d * m + 10 * m * d + outs);
  ## Calls: the primal run's length at 1e10 flops a second (a low estimate
  ## for one core), in calls of SECONDS.
  calls = 1 + floor (primal / 1e10 / seconds);
  kernel = K * (2 * n * nb * m + 10 * n * m + outs) + forms + calls * (2 * n^2 * d + 2 * n * d * m);
  form = "primal";
  if (kernel < primal)
    ## Cheaper: the kernel form, if its memory fits.
    try
      __adagrad_fits__ (fname, need, "the kernel form");
      form = "kernel";
    catch
    end_try_catch
  endif
endfunction

## What the C loop needs for the run in form F (its workspace, the state it
## keeps with K, what its calls hand back): the core's estimate, the one the
## MEX layer probes.
function need = need_of (f, net, n, d, cls, bt, maxiter, diagnostics, outputs)
  sz = struct ("n", n, "d", d, "m", rows (net.W), "optimizer", net.optimizer,
               "class", cls, "form", f, "sampling", bt.sampling,
               "maxiter", min (maxiter, 1e6), "diagnostics", diagnostics,
               "gtol", bt.gtol, "outputs", outputs);
  if (! strcmp (bt.sampling, "full"))
    sz.batchsize = bt.batchsize;
  endif
  need = getfield (__adagrad_train__ ("need", sz), "total");
endfunction
