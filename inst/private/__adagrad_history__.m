## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{H} =} __adagrad_history__ ("new", @var{iter0}, @var{b0}, [@var{step0}, @var{rate0}])
## @deftypefnx {} {@var{H} =} __adagrad_history__ ("append", @var{H}, @var{rec}, @var{t0})
## @deftypefnx {} {@var{H} =} __adagrad_history__ ("gram", @var{H}, @var{iter}, @var{lambda})
## @deftypefnx {} {@var{hist} =} __adagrad_history__ ("finish", @var{H}, @var{prior})
## @deftypefnx {} {@var{hist} =} __adagrad_history__ ("check", @var{fname}, @var{hist}, @var{iter}, @var{kind})
## @deftypefnx {} {@var{hist} =} __adagrad_history__ ("upgrade", @var{hist}, @var{kind})
## @deftypefnx {} {@var{msg} =} __adagrad_history__ ("validate", @var{hist}, @var{fields})
## Internal: the history of a training run, built one call of the loop at a
## time in amortized O(1) per iterate (the arrays double their capacity when
## full), then handed out as the @var{hist} of @code{adagrad_train}.
##
## @qcode{"new"}: an empty history whose first iterate is @var{iter0}, with
## b = @var{b0}, effective step @var{step0} and rate @var{rate0} there.
## @qcode{"append"}: the records @var{rec} of one call of the loop (fields
## loss, time, gnorm, b, step, rate, ratelo, ratehi and diag, as
## @code{__adagrad_train__} returns them;
## the first loss is that of the iterate the previous call ended on) with its
## times shifted by @var{t0}.  @qcode{"gram"}: one lambda_min(H(W)) record.
## @qcode{"finish"}: the history as column vectors, joined after the earlier
## history @var{prior} when that is not empty (it ends at the iterate where
## this one starts).  @qcode{"check"}: @var{hist} validated as a history
## that ends at iteration @var{iter} (empty stays empty), upgraded.
## @qcode{"upgrade"}: a history of version 0.9 or earlier (its @code{step}
## the rule's rate, with @code{steplo} and @code{stephi}) in today's fields:
## @code{rate}, @code{ratelo}, @code{ratehi} from those, and @code{step}
## (||W(k+1) - W(k)|| / ||G(k)||) from the old step where that was the same
## quantity (@var{kind} @qcode{"along"}: gd, adagrad-norm, adaloss, whose
## step is a multiple of G; @qcode{"external"}: a rule written in Octave,
## whose old step was this one, its rate NaN), NaN for the others
## (@qcode{"other"}).  @qcode{"validate"}:
## what is wrong with the fields @var{fields} of @var{hist} (empty when
## nothing): each a real vector, all of one length, and @code{diag} a struct
## of real vectors (iter, flips, move, dist of one length; gram_iter and
## lambda_min of another).
## @end deftypefn

function out = __adagrad_history__ (what, varargin)
  switch (what)
    case "new"
      [iter0, b0, s0] = deal (varargin{1:3});
      every = 1;
      if (nargin > 4)
        every = varargin{4};
      endif
      out = struct ("iter0", iter0, "b0", b0, "step0", s0(1), "rate0", s0(end),
                    "A", zeros (64, 14),
                    "len", 0, "D", zeros (16, 4), "dlen", 0, "Q", zeros (0, 2),
                    "every", every);
    case "append"
      out = append (varargin{:});
    case "gram"
      [H, iter, lambda] = deal (varargin{:});
      H.Q(end+1, :) = [iter, lambda];
      out = H;
    case "finish"
      out = finish (varargin{:});
    case "check"
      out = check (varargin{:});
    case "upgrade"
      out = upgrade (varargin{:});
    case "validate"
      out = validate (varargin{:});
    otherwise
      error ("adagrad:internal", "__adagrad_history__: unknown request \"%s\"", what);
  endswitch
endfunction

## H.A holds one row per iterate, columns iter, loss, b, step, rate,
## ratelo, ratehi, gnorm, time, batchloss, epoch, vloss, accuracy, vaccuracy
## (the order of "finish").
function A = reserve (A, need)
  if (need > rows (A))
    A(max (need, 2 * rows (A)), end) = 0;
  endif
endfunction

## The per-iterate records of mini-batch runs, for a REC that lacks them
## (the full batch: the batch loss is the loss; no epochs, no validation).
function [bl, ep, vl] = batch_records (rec)
  [bl, ep, vl] = deal (rec.loss, NaN (size (rec.loss)), NaN (size (rec.loss)));
  if (isfield (rec, "batchloss"))
    [bl, ep, vl] = deal (rec.batchloss, rec.epoch, rec.vloss);
  endif
endfunction

## The accuracy records (NaN for a REC without them).
function [ac, va] = accuracy_records (rec)
  [ac, va] = deal (NaN (size (rec.loss)));
  if (isfield (rec, "accuracy"))
    [ac, va] = deal (rec.accuracy, rec.vaccuracy);
  endif
endfunction

function H = append (H, rec, t0)
  k = numel (rec.gnorm);
  [bl, ep, vl] = batch_records (rec);
  [ac, va] = accuracy_records (rec);
  if (H.len == 0)
    ## The first call: its first iterate starts the history.
    H.A = reserve (H.A, 1);
    H.A(1, :) = [H.iter0, rec.loss(1), H.b0, H.step0, H.rate0, H.rate0, H.rate0, NaN, ...
                 t0 + rec.time(1), bl(1), ep(1), vl(1), ac(1), va(1)];
    H.len = 1;
  endif
  at = H.len;
  ## A call stopped by a signal before the loss of its last iterate was known
  ## (NaN): the next call, which starts there, knows it.  With mini-batches
  ## the batch of a call's last iterate is that of the next call's first step.
  if (isnan (H.A(at, 2)) && ! isnan (rec.loss(1)))
    H.A(at, [2 9]) = [rec.loss(1), t0 + rec.time(1)];
  endif
  fill = [10 12 13 14];
  fill = fill(isnan (H.A(at, fill)));
  first = [NaN(1, 9), bl(1), NaN, vl(1), ac(1), va(1)];
  H.A(at, fill) = first(fill);
  H.A = reserve (H.A, at + k);
  if (k > 0)
    H.A(at + 1:at + k, :) = [H.A(at, 1) + (1:k)', rec.loss(2:end), rec.b, rec.step, ...
                             rec.rate, rec.ratelo, rec.ratehi, NaN(k, 1), ...
                             t0 + rec.time(2:end), bl(2:end), ep(2:end), vl(2:end), ...
                             ac(2:end), va(2:end)];
    ## The gradient norms belong to the iterates the steps started from.
    H.A(at:at + k - 1, 8) = rec.gnorm;
  endif
  H.len = at + k;
  if (H.every > 1 && k > 0)
    ## Thinned ("historyevery"): the iterates whose iteration is a multiple
    ## of it, the first of the run and the latest (which the next call
    ## completes, and drops unless it is one of those).
    r = (at:at + k)';
    keep = mod (H.A(r, 1), H.every) == 0 | r == 1 | r == at + k;
    H.A(at:at + nnz (keep) - 1, :) = H.A(r(keep), :);
    H.len = at + nnz (keep) - 1;
  endif
  ## A call records the diagnostics of the iterate it starts from again.
  d = rec.diag;
  if (! isempty (d.iter))
    keep = d.iter > last (H.D(1:H.dlen, 1), -1);
    nd = nnz (keep);
    H.D = reserve (H.D, H.dlen + nd);
    H.D(H.dlen + (1:nd), :) = [d.iter(keep), d.flips(keep), d.move(keep), d.dist(keep)];
    H.dlen += nd;
  endif
endfunction

function hist = finish (H, prior)
  A = H.A(1:H.len, :);
  D = H.D(1:H.dlen, :);
  hist = struct ("iter", A(:, 1), "loss", A(:, 2), "b", A(:, 3), "step", A(:, 4),
                 "rate", A(:, 5), "ratelo", A(:, 6), "ratehi", A(:, 7), "gnorm", A(:, 8),
                 "time", A(:, 9), "batchloss", A(:, 10), "epoch", A(:, 11),
                 "vloss", A(:, 12), "accuracy", A(:, 13), "vaccuracy", A(:, 14));
  hist.diag = struct ("iter", D(:, 1), "flips", D(:, 2), "move", D(:, 3), "dist", D(:, 4),
                      "gram_iter", H.Q(:, 1), "lambda_min", H.Q(:, 2));
  if (! isempty (prior))
    hist = join (prior, hist);
  endif
endfunction

## An earlier history H1 that ends where H2 starts, followed by H2: the shared
## iterate's gradient norm is taken from H2, which computed it, and the step
## and b that produced it from H1; times continue.
function h = join (h1, h2)
  h = h2;
  if (! isfield (h1, "batchloss"))
    ## A history of version 0.2: full batches.
    [h1.batchloss, h1.epoch, h1.vloss] = batch_records (h1);
  endif
  if (! isfield (h1, "accuracy"))
    ## A history of 0.8 or earlier: no accuracy records.
    [h1.accuracy, h1.vaccuracy] = deal (NaN (size (h1.iter)));
  endif
  for f = {"iter", "loss", "b", "step", "rate", "ratelo", "ratehi", "batchloss", "epoch", ...
           "vloss", "accuracy", "vaccuracy"}
    h.(f{1}) = [h1.(f{1}); h2.(f{1})(2:end)];
    ## H1 may end at an interrupt before the loss there was known; with
    ## mini-batches the batch from its last iterate is H2's.
    if (any (strcmp (f{1}, {"loss", "batchloss", "vloss", "accuracy", "vaccuracy"}))
        && isnan (h1.(f{1})(end)))
      h.(f{1})(numel (h1.iter)) = h2.(f{1})(1);
    endif
  endfor
  h.gnorm = [h1.gnorm(1:end-1); h2.gnorm];
  h.time = [h1.time(1:end-1); h1.time(end) + h2.time];
  [g1, g2] = deal (h1.diag, h2.diag);
  new = g2.iter > last (g1.iter, -1);
  for f = {"iter", "flips", "move", "dist"}
    h.diag.(f{1}) = [g1.(f{1}); g2.(f{1})(new)];
  endfor
  new = g2.gram_iter > last (g1.gram_iter, -1);
  h.diag.gram_iter = [g1.gram_iter; g2.gram_iter(new)];
  h.diag.lambda_min = [g1.lambda_min; g2.lambda_min(new)];
endfunction

function msg = validate (h, fields)
  msg = "";
  if (! isstruct (h) || ! isscalar (h) || ! all (isfield (h, fields)))
    msg = sprintf ("must be a history struct from adagrad_train (fields %s)",
                   strjoin (fields, ", "));
    return;
  endif
  vec = @(v) isnumeric (v) && isreal (v) && ! issparse (v) && (isvector (v) || isempty (v));
  len = [];
  for f = fields
    v = h.(f{1});
    if (strcmp (f{1}, "diag"))
      parts = {{"iter", "flips", "move", "dist"}, {"gram_iter", "lambda_min"}};
      if (! isstruct (v) || ! isscalar (v) || ! all (isfield (v, [parts{:}])))
        msg = "has a field diag that is not the diagnostics struct of adagrad_train";
        return;
      endif
      for p = parts
        n = cellfun (@(g) numel (v.(g)), p{1});
        if (! all (cellfun (@(g) vec (v.(g)), p{1})) || any (n != n(1)))
          msg = sprintf ("has diagnostics (%s) that are not real vectors of one length",
                         strjoin (p{1}, ", "));
          return;
        endif
      endfor
    elseif (! vec (v) || (! isempty (len) && numel (v) != len))
      msg = sprintf ("has a field %s that is not a real vector of one entry per iterate",
                     f{1});
      return;
    else
      len = numel (v);
    endif
  endfor
endfunction

function prior = check (fname, prior, iter, kind)
  if (isempty (prior))
    prior = [];
    return;
  endif
  if (isstruct (prior) && isscalar (prior))
    prior = upgrade (prior, kind);
  endif
  need = {"iter", "loss", "b", "step", "rate", "ratelo", "ratehi", "gnorm", "time", "diag"};
  ## The records of version 0.3 (mini-batches), when there, all three; of
  ## 0.9 (accuracy), both.
  for extra = {{"batchloss", "epoch", "vloss"}, {"accuracy", "vaccuracy"}}
    if (isstruct (prior) && any (isfield (prior, extra{1})))
      need = [need, extra{1}];
    endif
  endfor
  if (! isempty (validate (prior, need)) || isempty (prior.iter))
    error ("adagrad:badinput",
           "%s: HISTORY must be a history from adagrad_train (version 0.2 or later)", fname);
  endif
  if (prior.iter(end) != iter)
    error ("adagrad:badinput",
           "%s: HISTORY ends at iteration %d but the network is at iteration %d",
           fname, prior.iter(end), iter);
  endif
endfunction

## Version 0.9 and earlier: step was the rule's rate (with steplo, stephi).
function h = upgrade (h, kind)
  if (! all (isfield (h, {"step", "steplo", "stephi"})) || isfield (h, "rate"))
    return;
  endif
  [h.rate, h.ratelo, h.ratehi] = deal (h.step, h.steplo, h.stephi);
  h = rmfield (h, {"steplo", "stephi"});
  switch (kind)
    case "external"
      [h.rate, h.ratelo, h.ratehi] = deal (NaN (size (h.step)));
    case "along"
    otherwise
      h.step = NaN (size (h.step));
  endswitch
endfunction

function v = last (x, default)
  if (isempty (x))
    v = default;
  else
    v = x(end);
  endif
endfunction

%!test
%! ## Two calls of the loop make one history; capacity grows past the first 64 rows.
%! d0 = struct ("iter", zeros (0, 1), "flips", [], "move", [], "dist", []);
%! r1 = struct ("loss", [5; 4; 3], "time", [0; 1; 2], "gnorm", [9; 8], "b", [2; 3],
%!              "step", [0.5; 0.3], "rate", [0.5; 0.3], "ratelo", [0.5; 0.3],
%!              "ratehi", [0.5; 0.3],
%!              "diag", struct ("iter", [10; 12], "flips", [0; 1], "move", [0; 2], "dist", [0; 3]));
%! H = __adagrad_history__ ("new", 10, 1, 1);
%! H = __adagrad_history__ ("append", H, r1, 100);
%! r2 = r1;
%! r2.loss = [3; (200:-1:101)'];
%! r2.time = (0:100)';
%! [r2.gnorm, r2.b, r2.step, r2.rate, r2.ratelo, r2.ratehi] = deal ((1:100)');
%! r2.diag = struct ("iter", [12; 14], "flips", [1; 2], "move", [2; 3], "dist", [3; 4]);
%! H = __adagrad_history__ ("append", H, r2, 200);
%! H = __adagrad_history__ ("gram", H, 12, 0.5);
%! h = __adagrad_history__ ("finish", H, []);
%! assert (h.iter, (10:112)');
%! assert (h.loss(1:4), [5; 4; 3; 200]);
%! assert (h.b(1:4), [1; 2; 3; 1]);
%! assert (h.gnorm(1:4), [9; 8; 1; 2]);
%! assert (isnan (h.gnorm(end)));
%! assert (h.time(1:4), [100; 101; 102; 201]);
%! assert (h.diag.iter, [10; 12; 14]);
%! assert ([h.diag.gram_iter h.diag.lambda_min], [12 0.5]);
%! ## Joined after an earlier history that ends at iteration 10.
%! p = h;
%! [p.iter, p.loss, p.b, p.step, p.rate, p.ratelo, p.ratehi, p.gnorm, p.time] = deal ([9; 10], [6; 5], [1; 1], [1; 1], [1; 1], [1; 1], [1; 1], [7; NaN], [0; 50]);
%! p.diag = struct ("iter", 8, "flips", 0, "move", 0, "dist", 0, "gram_iter", zeros (0, 1), "lambda_min", zeros (0, 1));
%! j = __adagrad_history__ ("finish", H, p);
%! assert (j.iter(1:3), [9; 10; 11]);
%! assert (j.gnorm(1:2), [7; 9]);
%! assert (j.time(1:2), [0; 150]);
%! assert (j.diag.iter, [8; 10; 12; 14]);
%! assert (isempty (__adagrad_history__ ("check", "f", [], 3, "along")));
%! ## An earlier history that ends at an interrupt with the loss unknown.
%! p.loss(end) = NaN;
%! j = __adagrad_history__ ("finish", H, p);
%! assert (j.loss(1:2), [6; h.loss(1)]);
%!test
%! ## A call stopped before its last loss was known: the next one fills it in.
%! r = struct ("loss", [4; NaN], "time", [0; 1], "gnorm", 2, "b", 1, "step", 1,
%!             "rate", 1, "ratelo", 1, "ratehi", 1, "diag", struct ("iter", []));
%! H = __adagrad_history__ ("append", __adagrad_history__ ("new", 0, 1, 1), r, 0);
%! r = struct ("loss", [3; 2], "time", [0; 1], "gnorm", 5, "b", 1, "step", 1,
%!             "rate", 1, "ratelo", 1, "ratehi", 1, "diag", struct ("iter", []));
%! h = __adagrad_history__ ("finish", __adagrad_history__ ("append", H, r, 10), []);
%! assert ([h.loss, h.time, h.gnorm], [4 0 2; 3 10 5; 2 11 NaN]);

%!error <f: HISTORY must be a history from adagrad_train> __adagrad_history__ ("check", "f", struct ("a", 1), 0, "along")
%!shared g, h
%! g = struct ("iter", 1, "flips", 0, "move", 0, "dist", 0, "gram_iter", [], "lambda_min", []);
%! h = struct ("iter", [1; 2], "loss", [1; 1], "b", [1; 1], "step", [1; 1], "rate", [1; 1],
%!             "ratelo", [1; 1], "ratehi", [1; 1], "gnorm", [1; 1], "time", [1; 1], "diag", g);
%!error <f: HISTORY ends at iteration 2 but the network is at iteration 0> __adagrad_history__ ("check", "f", h, 0, "along")
%!error <f: HISTORY must be a history> __adagrad_history__ ("check", "f", setfield (h, "epoch", 1:12), 2, "along")
%!error <f: HISTORY must be a history> __adagrad_history__ ("check", "f", setfield (h, "loss", [1 2 3]), 2, "along")
%!error <f: HISTORY must be a history> __adagrad_history__ ("check", "f", setfield (h, "diag", 3), 2, "along")
%!test
%! assert (__adagrad_history__ ("validate", h, {"iter", "loss", "diag"}), "");
%! assert (__adagrad_history__ ("validate", setfield (h, "loss", "ab"), {"iter", "loss"}),
%!         "has a field loss that is not a real vector of one entry per iterate");
%! assert (__adagrad_history__ ("validate", setfield (h, "diag", setfield (g, "flips", [1 2])), {"diag"}),
%!         "has diagnostics (iter, flips, move, dist) that are not real vectors of one length");
%! assert (__adagrad_history__ ("validate", 3, {"iter"}), "must be a history struct from adagrad_train (fields iter)");
%!test
%! ## A history of 0.9 or earlier: step was the rule's rate.
%! o = struct ("iter", [0; 1; 2], "step", [NaN; 0.5; 0.25], "steplo", [NaN; 0.4; 0.2],
%!             "stephi", [NaN; 0.6; 0.3]);
%! u = __adagrad_history__ ("upgrade", o, "along");
%! assert ([u.step u.rate u.ratelo u.ratehi], [o.step o.step o.steplo o.stephi]);
%! assert (! any (isfield (u, {"steplo", "stephi"})));
%! u = __adagrad_history__ ("upgrade", o, "other");
%! assert (all (isnan (u.step)));
%! assert ([u.rate u.ratelo u.ratehi], [o.step o.steplo o.stephi]);
%! u = __adagrad_history__ ("upgrade", o, "external");
%! assert (u.step, o.step);
%! assert (all (isnan ([u.rate u.ratelo u.ratehi])(:)));
%! assert (__adagrad_history__ ("upgrade", u, "other"), u);
%!error id=adagrad:internal __adagrad_history__ ("x")
