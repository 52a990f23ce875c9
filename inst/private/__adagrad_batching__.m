## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {[@var{bt}, @var{maxiter}] =} __adagrad_batching__ (@var{fname}, @var{opts}, @var{given}, @var{X}, @var{net}, @var{maxiter})
## Internal: @code{adagrad_train}'s mini-batch settings from its options.
## @end deftypefn

## The mini-batch settings: sampling ("full", "shuffle", "replace" or
## "given"), size (rows per batch; n in full batch), T (given: the batches
## as a uint32 matrix, one column per step of the run), every (the
## evaluation interval), record, Xv and yv (validation, the class of X) and
## gtol.  MAXITER: with BATCHES and no MAXITER, the steps its rows have left.
function [bt, maxiter] = __adagrad_batching__ (fname, opts, given, X, net, maxiter)
  [n, d] = size (X);
  cls = class (X);
  bt = struct ("sampling", "full", "batchsize", n, "T", [], "evalevery", 1,
               "record", false, "Xv", [], "yv", [], "gtol", 0);
  bt.gtol = __adagrad_check__ (fname, "GTOL", opts.gtol, "nonnegative");
  r = opts.recordbatches;
  if (! ((islogical (r) || isnumeric (r)) && isscalar (r) && isreal (r) && any (r == [0 1])))
    error ("adagrad:badinput", "%s: RECORDBATCHES must be true or false", fname);
  endif
  bt.record = logical (r);
  if (isfield (given, "batches"))
    for other = {"batchsize", "sampling"}
      if (isfield (given, other{1}))
        error ("adagrad:badinput",
               "%s: give either BATCHES or %s: BATCHES fixes every batch", fname,
               toupper (other{1}));
      endif
    endfor
    B = batch_matrix (fname, opts.batches, n);
    K = rows (B);
    if (! isfield (given, "maxiter"))
      maxiter = max (K - net.iter, 0);
    endif
    if (net.iter + maxiter > K)
      error ("adagrad:badinput",
             "%s: BATCHES has %d rows (steps 0 to %d of the run), but this call may take steps %d to %d: give MAXITER <= %d",
             fname, K, K - 1, net.iter, net.iter + maxiter - 1, max (K - net.iter, 0));
    endif
    bt.sampling = "given";
    bt.batchsize = columns (B);
    bt.T = uint32 (B');
  else
    bt.sampling = __adagrad_check__ (fname, "SAMPLING", opts.sampling, "choice",
                                     {"shuffle", "replace"});
    if (! isempty (opts.batchsize))
      bt.batchsize = __adagrad_check__ (fname, "BATCHSIZE", opts.batchsize, "batchsize", n);
    endif
    ## All rows in one batch is the full batch, taken in order.
    if (bt.batchsize == n && strcmp (bt.sampling, "shuffle"))
      bt.sampling = "full";
    endif
  endif
  if (! strcmp (bt.sampling, "full"))
    bt.evalevery = ceil (n / bt.batchsize);
  endif
  if (! isempty (opts.evalevery))
    bt.evalevery = __adagrad_check__ (fname, "EVALEVERY", opts.evalevery, "posint");
  endif
  if (bt.record)
    ## K-by-B doubles (twice, while they are joined to an earlier history's).
    __adagrad_fits__ (fname, 16 * (net.iter + maxiter) * bt.batchsize,
                      "RECORDBATCHES (%d steps of %d rows)", net.iter + maxiter, bt.batchsize);
  endif
  v = opts.validation;
  if (! isempty (v))
    if (! iscell (v) || numel (v) != 2)
      error ("adagrad:badinput", "%s: VALIDATION must be a cell {Xv, yv}", fname);
    endif
    Xv = __adagrad_check__ (fname, "VALIDATION{1} (Xv)", v{1}, "matrix", [NaN d]);
    yv = __adagrad_check__ (fname, "VALIDATION{2} (yv)", v{2}, "targets", [rows(Xv) NaN]);
    [bt.Xv, bt.yv] = deal (cast (Xv, cls), cast (yv, cls));
    ## In full batch the training loss comes with each step, but the
    ## validation loss is a forward pass over Xv (about nv / (2 n) of a
    ## step): by default every ceil (20 nv / n) steps, at most 1/40 of the
    ## run's time.
    if (strcmp (bt.sampling, "full") && isempty (opts.evalevery))
      bt.evalevery = max (1, ceil (20 * rows (Xv) / n));
    endif
  endif
endfunction

## BATCHES checked: a real matrix of integer row indices, each row starting
## with an index in 1..n, zeros only at its end (a shorter batch).
function B = batch_matrix (fname, B, n)
  if (! (isnumeric (B) && isreal (B) && ! issparse (B) && ndims (B) == 2 && ! isempty (B)))
    error ("adagrad:badinput",
           "%s: BATCHES must be a K-by-B matrix of row indices (row k: the batch of step k)",
           fname);
  endif
  B = double (B);
  bad = ! isfinite (B) | B != fix (B) | B < 0 | B > n;
  if (any (bad(:)))
    [k, j] = find (bad, 1);
    error ("adagrad:badinput",
           "%s: BATCHES(%d,%d) = %g is not a row index: entries must be integers in 1..n = %d (0 only to pad the end of a shorter batch)",
           fname, k, j, B(k, j), n);
  endif
  lead = B(:, 1) == 0;
  gap = [false(rows (B), 1), B(:, 1:end-1) == 0 & B(:, 2:end) != 0];
  if (any (lead) || any (gap(:)))
    k = find (lead | any (gap, 2), 1);
    error ("adagrad:badinput",
           "%s: BATCHES row %d must start with a row index and have zeros only at its end (a shorter batch)",
           fname, k);
  endif
endfunction
