## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {[@var{net}, @var{hist}] =} __adagrad_run__ (@var{net}, @var{X}, @var{y}, @var{s})
## Internal: the run of @code{adagrad_train}, from the checked network
## @var{net}, data and run settings @var{s}: the calls of the C loop, the
## history, Gram matrices, progress line, checkpoints, the output function's
## "init" and "done" calls, the last iterate's gradient norm, and what an
## interrupt or a signal does to the run.
## @end deftypefn

## The loop over calls of the C training loop (every rule, a function rule
## included): each call runs until the next Gram matrix, checkpoint, display
## refresh, signal, or the end; the output function is called from inside
## the C loop.
## Signals are held for the whole run (__adagrad_signal__): Ctrl-C becomes
## adagrad:interrupted once the state is saved; another signal is answered by
## Octave once the checkpoint is written.
## The C loop keeps what the run needs between its calls (the workspace, the
## kernel form's state with K) under the run's token s.token, released when
## the run ends, however it ends.
function [net, hist] = __adagrad_run__ (net, X, y, s)
  persistent last = floor (mod (now () * 864e5, 2^40));
  s.token = last = last + 1;
  __adagrad_signal__ ("defer");
  unwind_protect
    [net, hist] = run_held (net, X, y, s);
  unwind_protect_cleanup
    __adagrad_train__ ("release", s.token);
    __adagrad_signal__ ("release");
  end_unwind_protect
endfunction

function [net, hist] = run_held (net, X, y, s)
  info = __adagrad_optimizer__ ("info", net.optimizer);
  bt = s.batch;
  ## The run as one struct (mex/__adagrad_train__.c has its field table):
  ## the network, kept current from call to call, the settings under their
  ## user names, and what each call of the C loop does.
  run = struct ("version", __adagrad_train__ ("version"), "net", net, "options", s,
                "call", struct ("maxiter", 0, "done", 0, "t0", 0, "run", s.token,
                                "progress", 0, "batches", uint32 ([]), "oracle", [],
                                "evals", 0, "events", 0));
  ## A rule written in Octave gets the loss and gradient at a trial W on its
  ## step's batch (info.oracle, bound to the rows by __adagrad_rulecall__).
  if (is_function_handle (net.optimizer))
    full = strcmp (bt.sampling, "full");
    run.call.oracle = @(Wt, r) oracle (X, y, net.a, s.threads, full, Wt, r, s.loss);
  endif
  ## The progress line: printed from inside the C loop about twice a second
  ## (calls are not cut for it), and here at the end of each call.
  if (strcmp (s.display, "iter"))
    run.call.progress = 0.5;
  endif
  s.seen0 = net.seen;
  s.threadsused = zeros (1, 0);
  [s.evals, s.events] = deal (zeros (0, 1));
  t0 = tic ();
  [t_ck, done_ck] = deal (0);
  [W, state] = deal (net.W, net.state);
  H = __adagrad_history__ ("new", net.iter, __adagrad_optimizer__ ("b", state),
                           step_of (net, info, state),
                           s.historyevery);
  done = 0;
  reason = "";
  gram_at = @(k) s.gramevery > 0 && mod (k, s.gramevery) == 0;
  if (gram_at (net.iter))
    H = add_gram (H, net, X, y, W, state, 0, s);
  endif
  ## The output function's "init" call, at the starting iterate; true there
  ## stops the run before its first step.
  stop_at_init = false;
  if (! isempty (s.outputfcn))
    ## The info's values (iter, loss, b, step, gnorm, time, batchloss, epoch,
    ## vloss, rate; b NaN: the state's), built by __adagrad_outputfcn__ as for the
    ## C loop's calls.
    s0 = step_of (net, info, state);
    v = [net.iter, full_loss(X, y, W, net.a, s.threads, s.loss), NaN, s0(1), ...
         NaN, 0, NaN, net.seen / rows(X), NaN, s0(2)];
    [stop, msg] = __adagrad_outputfcn__ (s.outputfcn, net, {v, "init"}, "check");
    if (strcmp (msg, "adagrad:interrupted"))
      user_interrupt (net, X, y, W, state, 0, H, s);
    elseif (! isempty (msg))
      error ("adagrad:outputfcn", "adagrad_train: %s", msg);
    endif
    if (stop)
      [stop_at_init, s.maxiter, s.target] = deal (true, 0, net.iter);
      [run.options.maxiter, run.options.target] = deal (0, net.iter);
    endif
  endif
  while (isempty (reason))
    k = net.iter + done;
    run.net.iter = k;
    run.call.maxiter = __adagrad_schedule__ (s, done, k);
    [run.call.done, run.call.t0] = deal (done, toc (t0));
    [run.call.evals, run.call.events] = deal (sum (s.evals), sum (s.events));
    if (strcmp (bt.sampling, "given"))
      run.call.batches = bt.T(:, k + 1:k + run.call.maxiter);
    endif
    t_call = run.call.t0;
    [W, state, rec] = __adagrad_train__ (X, y, run);
    ## The kernel state stays with the run's token (fetched by snapshot).
    [run.net.W, run.net.state, run.net.kernel, s.called] = deal (W, state, [], true);
    H = __adagrad_history__ ("append", H, rec, t_call);
    done += rec.iters;
    s.threadsused = union (s.threadsused, rec.threads);
    s.evals(end+1, 1) = rec.evals;
    s.events(end+1, 1) = rec.events;
    [run.net.seen, net.seen] = deal (rec.seen);
    other = false;
    if (rec.signal)
      ## Ctrl-C held back while Octave code ran, or another signal, which
      ## Octave answers once the checkpoint below is written (SIGTERM: it
      ## exits; others: the run goes on).
      [held, other] = __adagrad_signal__ ("take");
      rec.interrupted = held > 0;
    endif
    if (rec.interrupted)
      interrupted (net, X, y, W, state, done, H, s);
    endif
    if (any (strcmp ("adagrad:interrupted", {rec.outputerror, rec.optimizererror})))
      user_interrupt (net, X, y, W, state, done, H, s);
    elseif (! isempty (rec.optimizererror))
      error ("adagrad:optimizer", "adagrad_train: %s", rec.optimizererror);
    elseif (! isempty (rec.outputerror))
      error ("adagrad:outputfcn", "adagrad_train: %s", rec.outputerror);
    endif
    if (rec.iters > 0 && gram_at (net.iter + done))
      H = add_gram (H, net, X, y, W, state, done, s);
    endif
    ## Why the run stops: the C loop's word ("paused", or a signal other than
    ## Ctrl-C: it goes on; the progress line came from there too), but for
    ## the output function's "init" call.
    if (stop_at_init)
      reason = "stopped";
    elseif (! any (strcmp (rec.stop, {"paused", "signal"})))
      reason = rec.stop;
    endif
    ## A checkpoint every CHECKPOINTEVERY iterations or CHECKPOINTSECONDS,
    ## and before a signal goes to Octave.
    if (! isempty (s.checkpoint)
        && (other || (isempty (reason) && done > done_ck
                      && ((s.checkpointevery > 0 && mod (net.iter + done, s.checkpointevery) == 0)
                          || toc (t0) - t_ck >= s.checkpointseconds))))
      [cnet, chist] = snapshot (net, X, W, state, done, H, "", s, false);
      save_checkpoint (s, cnet, chist, X, y);
      [t_ck, done_ck] = deal (toc (t0), done);
    endif
    if (rec.signal)
      __adagrad_signal__ ("handoff");
    endif
  endwhile

  [net, hist] = snapshot (net, X, W, state, done, H, reason, s, true);
  ## The loop's workspace (the size of W and more) is not held through what
  ## follows: the last gradient norm takes a workspace of its own.
  __adagrad_train__ ("release", s.token);
  ## The gradient norm at the last iterate, which the loop stopped before
  ## (with mini-batches also the loss there when it was not an evaluation
  ## point); a finished run is never lost to it: without the memory for it,
  ## it stays NaN with a warning; Ctrl-C during it saves the run.
  if (isfinite (hist.loss(end)) || (! strcmp (bt.sampling, "full") && isnan (hist.loss(end))))
    try
      ## One pass for both: the loss (of the loss table's entry) comes with
      ## the gradient norm.
      [gn, L] = __adagrad_gradient__ (X, y, W, net.a, s.threads, "norm", s.loss);
      if (isnan (hist.loss(end)))
        [net.loss, hist.loss(end)] = deal (L);
        if (! isempty (bt.Xv))
          hist.vloss(end) = full_loss (bt.Xv, bt.yv, W, net.a, s.threads, s.loss) ...
                            * rows (X) / rows (bt.Xv);
        endif
      endif
      if (isfinite (hist.loss(end)))
        hist.gnorm(end) = gn;
      endif
    catch err
      if (strcmp (err.identifier, "adagrad:interrupted"))
        stopped_by_user (net, hist, X, y, s);
      elseif (! any (strcmp (err.identifier, {"adagrad:nomemory", "Octave:bad-alloc"})))
        rethrow (err);
      endif
      warning ("adagrad:nomemory",
               "adagrad_train: no memory for the gradient norm of the last iterate (left NaN): %s",
               err.message);
    end_try_catch
  endif
  if (! isempty (s.checkpoint))
    save_checkpoint (s, net, hist, X, y);
  endif
  ## Ctrl-C during the final checkpoint: it is complete, the run is saved.
  if (__adagrad_signal__ ("take") > 0)
    stopped_by_user (net, hist, X, y, s);
  endif

  ## The output function's "done" call, at the last iterate, whatever the
  ## reason the run stopped; its answer is not needed, and its failure is a
  ## warning, so that the finished run still reaches the caller.
  if (! isempty (s.outputfcn))
    v = [net.iter, hist.loss(end), NaN, [NaN; hist.step(:)](end), hist.gnorm(end), ...
         toc(t0), [NaN; hist.batchloss(:)](end), [0; hist.epoch(:)](end), ...
         [NaN; hist.vloss(:)](end), [NaN; hist.rate(:)](end)];
    [~, msg] = __adagrad_outputfcn__ (s.outputfcn, net, {v, "done", reason});
    if (strcmp (msg, "adagrad:interrupted"))
      __adagrad_signal__ ("take");
      stopped_by_user (net, hist, X, y, s);
    elseif (! isempty (msg))
      warning ("adagrad:outputfcn", "adagrad_train: at the \"done\" call, %s", msg);
    endif
  endif
  if (strcmp (s.display, "final"))
    final_line (net, hist, state, done, reason, toc (t0));
  endif
  if (strcmp (reason, "zerogradient"))
    warning ("adagrad:zerogradient",
             ["adagrad_train: the gradient is exactly zero at iteration %d (loss %.4g): every ", ...
              "hidden unit is inactive on every row, so no step can move W. Rows of X far ", ...
              "from unit norm, which the theory assumes, do this: divide each row by its ", ...
              "norm, X ./ sqrt (sumsq (X, 2))"], net.iter, hist.loss(end));
  endif
  if (strcmp (reason, "undefined"))
    warning ("adagrad:undefined",
             ["adagrad_train: the %s rule's step divides by zero at iteration %d (for ", ...
              "D-Adaptation: a zero first gradient or a zero sum s; for DoG: a zero gradient ", ...
              "sum), where its source raises an error; returning the state before it"],
             net.optimizer, net.iter);
  endif
  if (strcmp (reason, "diverged"))
    warning ("adagrad:diverged",
             "adagrad_train: the loss became NaN or Inf after iteration %d; returning the last finite state",
             net.iter);
  endif
endfunction

## The loss of f(W, a, X) against y: one forward pass in C, the loss LOSS
## from the loss table.
function L = full_loss (X, y, W, a, threads, loss)
  L = __adagrad_gradient__ (X, y, W, a, threads, "loss", loss);
endfunction

## The batches of the DONE steps of this call (from SEEN0 rows on), after
## those of the earlier history PRIOR when it has them: K-by-B, zeros at the
## end of a shorter batch.
function B = record_batches (bt, n, net, seen0, done, prior)
  k0 = net.iter - done;
  switch (bt.sampling)
    case "full"
      B = repmat (1:n, done, 1);
    case "given"
      B = double (bt.T(:, k0 + 1:k0 + done)');
    otherwise
      B = __adagrad_batches__ (n, bt.batchsize, bt.sampling, net.batchseed, seen0, k0, done);
  endswitch
  if (isstruct (prior) && isfield (prior, "batches"))
    P = prior.batches;
    B(:, end+1:columns (P)) = 0;
    P(:, end+1:columns (B)) = 0;
    B = [P; B];
  endif
endfunction

## Record lambda_min of H(W) at the current iterate; Ctrl-C during it (an
## O(n^2 m + n^3) computation) saves the run; without the memory for it, it
## is NaN with a warning and the run goes on.
function H = add_gram (H, net, X, y, W, state, done, s)
  try
    l = lambda_min (X, W);
  catch err
    if (strcmp (err.identifier, "adagrad:interrupted"))
      interrupted (net, X, y, W, state, done, H, s);
    elseif (! any (strcmp (err.identifier, {"adagrad:nomemory", "Octave:bad-alloc"})))
      rethrow (err);
    endif
    warning ("adagrad:nomemory",
             "adagrad_train: no memory for lambda_min at iteration %d (left NaN): %s",
             net.iter + done, err.message);
    l = NaN;
  end_try_catch
  H = __adagrad_history__ ("gram", H, net.iter + done, l);
endfunction

## Ctrl-C inside the package's own functions (adagrad_forward, ...) called
## from the output function or a rule written in Octave: they raised
## adagrad:interrupted there; the interrupt they answered is taken, and the
## run is saved as for any Ctrl-C.
function user_interrupt (net, X, y, W, state, done, H, s)
  __adagrad_signal__ ("take");
  interrupted (net, X, y, W, state, done, H, s);
endfunction

## Ctrl-C during the loop, after DONE iterations of this call.
function interrupted (net, X, y, W, state, done, H, s)
  [net, hist] = snapshot (net, X, W, state, done, H, "interrupted", s, true);
  stopped_by_user (net, hist, X, y, s);
endfunction

## Ctrl-C: the run so far (NET, HIST) goes to the checkpoint, then a catchable
## error.
function stopped_by_user (net, hist, X, y, s)
  if (strcmp (s.display, "iter"))
    fprintf ("\n");
  endif
  ## The loop may stop before the loss of the last iterate is known.
  known = hist.loss(isfinite (hist.loss));
  note = "";
  if (! isempty (known))
    note = sprintf (" (last loss %.6g)", known(end));
  endif
  if (! isempty (s.checkpoint))
    if (save_checkpoint (s, net, hist, X, y))
      note = sprintf ("%s; the state is saved in %s", note, s.checkpoint);
    else
      note = sprintf ("%s; the state could not be saved, %s keeps the last good checkpoint",
                      note, s.checkpoint);
    endif
  else
    note = [note recover(s, net, hist, X, y)];
  endif
  error ("adagrad:interrupted", "adagrad_train: interrupted by the user at iteration %d%s",
         net.iter, note);
endfunction

## Ctrl-C on a run without a checkpoint: the run so far goes to a recovery
## file in tempdir (a checkpoint, which adagrad_resume continues), unless
## the disk there has not the room for it; returns what the error message
## says of it.
function note = recover (s, net, hist, X, y)
  folder = tempdir ();
  file = fullfile (folder, sprintf ("adagrad-recovery-%d-%s.ckpt", getpid (),
                                    datestr (now (), "yyyymmddTHHMMSSFFF")));
  need = sizeof (net) + sizeof (hist) + 2^20;
  free = __adagrad_disk__ ("free", folder);
  if (free < 1.1 * need)
    note = sprintf ("; the run was not saved: a recovery file would take about %s and %s has %s free",
                    megabytes (need), folder, megabytes (free));
    return;
  endif
  s.checkpoint = file;
  ## The loop has stopped; the write takes what the disk takes: say so first.
  printf ("adagrad_train: interrupted at iteration %d; writing the run to %s (about %s) ...\n",
          net.iter, file, megabytes (need));
  fflush (stdout);
  [ok, msg] = write_run (s, net, hist, X, y);
  if (! ok)
    note = sprintf ("; the run could not be saved to %s (%s)", file, msg);
    return;
  endif
  rule = "";
  if (is_function_handle (net.optimizer))
    rule = sprintf (", \"optimizer\", %s", func2str (net.optimizer));
  endif
  note = sprintf ("; the run so far is saved in %s (%s; no checkpoint was asked for): adagrad_resume (\"%s\", X, y%s) continues it",
                  file, megabytes (stat (file).size), file, rule);
endfunction

## The run (NET, HIST, the settings S) to the checkpoint s.checkpoint, with
## the fingerprint of X and y that the run computed once (s.data; here when
## it has none, as for a recovery file).
function [ok, msg] = write_run (s, net, hist, X, y)
  if (! isfield (s, "data"))
    s.data = __adagrad_fingerprint__ (X, y);
  endif
  ## Not the run's own: the prior history, the function, the data's digest
  ## (stored apart), the token of the C loop's slot and its use, the threads
  ## used so far (in the history).
  own = setdiff (fieldnames (s), {"prior", "outputfcn", "data", "token", "called", "threadsused"});
  [ok, msg] = __adagrad_checkpoint__ ("write", s.checkpoint, net, hist,
                                      rmfield (s, setdiff (fieldnames (s), own)), s.data);
endfunction

function t = megabytes (b)
  t = sprintf ("%.3g MB", b / 1e6);
endfunction

## Write a checkpoint; a failed write (a full disk, a folder gone) is a
## warning: the previous checkpoint stays as it was and the run goes on, so
## that its result still reaches the caller.
function ok = save_checkpoint (s, net, hist, X, y)
  [ok, msg] = write_run (s, net, hist, X, y);
  if (! ok)
    kept = merge (exist (s.checkpoint, "file") == 2, "the previous checkpoint is kept",
                  "there is no earlier checkpoint");
    warning ("adagrad:checkpoint",
             "adagrad_train: could not write the checkpoint %s at iteration %d (%s); %s",
             s.checkpoint, net.iter, msg, kept);
  endif
endfunction

## The network and the history after DONE iterations of this call (the
## gradient norm of the last iterate is NaN: the loop stops before it),
## continuing s.prior when it is given; LAST: the run's end, which takes the
## kernel form's state from the run's slot instead of copying it.
function [net, hist] = snapshot (net, X, W, state, done, H, reason, s, last)
  hist = __adagrad_history__ ("finish", H, s.prior);
  hist.stop = reason;
  hist.optimizer = net.optimizer;
  hist.eta = net.eta;
  hist.params = net.params;
  hist.b0 = NaN;
  if (isfield (net.params, "b0"))
    hist.b0 = net.params.b0;
  endif
  [hist.n, hist.d] = size (X);
  [hist.sampling, hist.batchsize] = deal (s.batch.sampling, s.batch.batchsize);
  hist.width = rows (W);
  hist.form = s.form;
  ## The event form's work, per call of the C loop (0 in the other forms).
  [hist.evals, hist.events] = deal (s.evals, s.events);
  hist.lossname = s.loss;
  hist.label = label (net, rows (W), s.batch);
  ## The threads the calls of the run ran on (with those of a continued
  ## history), and the BLAS: its version string and core.
  hist.threads = s.threadsused;
  p = s.prior;
  if (isstruct (p) && isfield (p, "threads") && isnumeric (p.threads) && isreal (p.threads)
      && all (p.threads(:) >= 1 & p.threads(:) <= 1024 & p.threads(:) == fix (p.threads(:))))
    hist.threads = union (double (p.threads(:)'), hist.threads);
  endif
  hist.blas = version ("-blas");
  hist.blascore = regexp (hist.blas, '(\w+)\s+MAX_THREADS', "tokens", "once");
  hist.blascore = [hist.blascore{:}];
  [net.W, net.state, net.loss] = deal (W, state, hist.loss(end));
  net.iter += done;
  ## The kernel form's state where a call of the run has left one (else the
  ## one given goes on).
  if (any (strcmp (s.form, {"kernel", "event"})) && isfield (s, "called"))
    net.kernel = __adagrad_train__ ("kernel", s.token, W, state, double (last));
  endif
  if (s.batch.record)
    hist.batches = record_batches (s.batch, rows (X), net, s.seen0, done, s.prior);
  endif
endfunction

## The oracle of a rule written in Octave: the loss L at the trial weights
## WT on the rows R of X (all of them in full batch) and, when asked, its
## gradient G, both as the run's step sees them: with mini-batches times
## n/numel (R), as info.loss and the G handed to the rule.
function [L, G] = oracle (X, y, a, threads, full, Wt, r, loss)
  if (! (isfloat (Wt) && isreal (Wt) && ! issparse (Wt) && rows (Wt) == numel (a)
         && columns (Wt) == columns (X)))
    error ("adagrad:badinput", "info.oracle: W must be a real %d-by-%d matrix",
           numel (a), columns (X));
  endif
  Wt = cast (Wt, class (X));
  scale = 1;
  if (! full)
    scale = rows (X) / numel (r);
    [X, y] = deal (X(r, :), y(r));
  endif
  if (nargout > 1)
    [G, L] = __adagrad_gradient__ (X, y, Wt, a, threads, "grad", loss);
    G *= scale;
  else
    L = __adagrad_gradient__ (X, y, Wt, a, threads, "loss", loss);
  endif
  L *= scale;
endfunction

## What tells runs apart in a legend (see __adagrad_labels__).
function s = label (net, m, bt)
  s = __adagrad_labels__ ("default", net.optimizer, net.eta, net.params, m, bt.sampling,
                          bt.batchsize);
endfunction


## The effective step that produced the starting iterate, as the rule defines
## it: NaN at iteration 0, which no step produced (eta/b0 is a step never
## taken: the rules with b update it before they step), and where it depends
## on per-coordinate state or a function rule.
## [step, rate] of the iterate a call starts from, the step that produced
## it: NaN at iteration 0; the rule's rate eta/b or eta where the state
## tells it, and the step itself for the rules whose step is that multiple
## of G (gd, adagrad-norm, adaloss); NaN where the state does not tell it.
function s = step_of (net, info, state)
  s = [NaN, NaN];
  if (net.iter == 0 || info.per_coordinate || is_function_handle (net.optimizer))
    return;
  elseif (info.has_b)
    s(2) = net.eta / state.b;
  else
    s(2) = net.eta;
  endif
  if (info.along_gradient)
    s(1) = s(2);
  endif
endfunction

## The smallest eigenvalue of the empirical Gram matrix H(W).
function l = lambda_min (X, W)
  [~, l] = adagrad_gram (X, W);
endfunction

## display "final": the rule, the width, the steps of this call and the
## full-batch loss at its first and last iterates, each with its iteration
## (with mini-batches the last evaluated one), b for the rules with b, the
## reason and the time.
function final_line (net, hist, state, done, reason, t)
  name = net.optimizer;
  b = NaN;
  if (is_function_handle (name))
    name = func2str (name);
  else
    b = __adagrad_optimizer__ ("b", state);
  endif
  k1 = net.iter;
  k0 = k1 - done;
  known = find (isfinite (hist.loss) & hist.iter >= k0);
  loss = "loss not evaluated";
  if (! isempty (known))
    [i0, i1] = deal (known(1), known(end));
    loss = sprintf ("full-batch loss %.4e at iteration %d -> %.4e at iteration %d",
                    hist.loss(i0), hist.iter(i0), hist.loss(i1), hist.iter(i1));
    if (isfield (hist, "accuracy") && ! isnan (hist.accuracy(i1)))
      loss = sprintf ("%s (accuracy %.4f", loss, hist.accuracy(i1));
      v = find (! isnan (hist.vaccuracy(1:i1)), 1, "last");
      if (! isempty (v))
        loss = sprintf ("%s, validation %.4f", loss, hist.vaccuracy(v));
      endif
      loss = [loss ")"];
    endif
  endif
  printf ("adagrad_train: %s, m = %d: %d iterations, %s%s, %s (%s)\n", name, rows (net.W),
          done, loss, b_text (b), reason, __adagrad_progress__ ("time", t));
  fflush (stdout);
endfunction

function s = b_text (b)
  s = "";
  if (! isnan (b))
    s = sprintf (", b = %.4g", b);
  endif
endfunction
