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
## points) are fewer and its memory fits; then the event form where the
## rule and settings allow it, its memory fits and its cost for the run
## (event_step a step, from measured times; per call K, Z0 = X*W', H and
## forming W) is under half of the chosen form's.
function form = __adagrad_form__ (fname, form, net, n, d, cls, bt, maxiter, diagnostics,
                                  reform, seconds, lossname)
  form = __adagrad_check__ (fname, "FORM", form, "choice",
                            {"auto", "primal", "kernel", "event"});
  info = __adagrad_optimizer__ ("info", net.optimizer);
  K = columns (net.a);
  why = event_refusal (info, bt, K, lossname);
  if (strcmp (form, "event"))
    if (! isempty (why))
      error ("adagrad:badinput", "%s: FORM \"event\" needs %s", fname, why);
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
  if (isempty (why))
    ## The event form where its measured cost is under half the cheaper
    ## one's (event_cost), if its memory fits.
    event = K * event_step (n, m) + forms + calls * (2 * n^2 * d + 4 * n * d * m + 2 * n^2 * m);
    if (2 * event < min (kernel, primal))
      try
        __adagrad_fits__ (fname, need_of ("event", net, n, d, cls, bt, maxiter, diagnostics, 1),
                          "the event form");
        form = "event";
      catch
      end_try_catch
    endif
  endif
endfunction

## Why the event form cannot run this rule and setting ("": it can): full
## batch, one output, the squared loss, W -= s*G with no state array.
function why = event_refusal (info, bt, K, lossname)
  why = "";
  if (! (info.linear && info.along_gradient && isempty (info.arrays)))
    R = __adagrad_rules__ ();
    ok = [R.linear] & [R.along_gradient] & cellfun (@isempty, {R.arrays});
    why = sprintf ("a rule whose step is W -= s*G with no state array (%s); %s is not one",
                   strjoin ({R(ok).name}, ", "), info.name);
  elseif (! strcmp (bt.sampling, "full"))
    why = "full batch (its step advances the outputs of all rows)";
  elseif (K != 1)
    why = "one output";
  elseif (! strcmp (lossname, "squared"))
    why = "the squared loss";
  endif
endfunction

## The event form's step in flops of the products (GEMM) the other forms'
## counts are in, from its measured times (bench/bench_event.m and GD /
## AdaLoss runs, 2026-12-07, this 2-core machine): an exact evaluation of
## an entry (with its share of the flips and of V's columns) took the time
## of 27n to 31n GEMM flops at n = 1000 and of 100n at n = 100, i.e. about
## 30n + 5000; the runs evaluated 0.14% to 0.8% of the n*m entries a step,
## and the model takes 1%; the two passes over n-by-n matrices, 8 n^2.
function f = event_step (n, m)
  f = 0.01 * n * m * (30 * n + 5000) + 8 * n^2;
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
