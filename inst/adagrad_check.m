## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{report} =} adagrad_check (@var{net}, @var{hist}, @var{X}, @var{y})
## @deftypefnx {} {@var{report} =} adagrad_check (@dots{}, "verbose", @var{tf})
## @deftypefnx {} {@var{report} =} adagrad_check (@dots{}, "classes", @var{tf})
## Check the statements of the theory (doc/theory.md; Wu, Du & Ward) on a
## finished run of @code{adagrad_train}, print a short table and return a
## struct.  The statements hold for the rules they are made for; for the other
## rules they are reported as not applying (@code{holds} empty, "n/a" in the
## table), and @code{applies} lists those checked.
##
## @var{net} and @var{hist} come from @code{adagrad_train} on @var{X},
## @var{y}; @var{hist} should cover the run from @code{net.W0} (for a resumed
## run, the history of the last call is used for b and the rate).  The fields
## of @var{report}, each a struct with @code{value}, @code{bound} and
## @code{holds} (true, false, or empty where the statement does not apply):
##
## @table @code
## @item identity
## ||G||_F^2 = e' H(W) e at the final W: the relative difference (round-off
## holds below 1e-10).  With K outputs (E = U - Y, n-by-K) it is
## ||G||_F^2 = sum_pq E(:,p)' T_pq E(:,q) with the tangent kernel's blocks
## T_pq = (X X') .* (D diag (A(:,p) .* A(:,q)) D') / m: the p = q blocks are
## H(W), the others are zero in expectation over A at initialization
## (doc/theory.md);
## @code{cross} is their share of ||G||_F^2 (0 for one output).
## @item movement
## AdaLoss only: max_r ||w_r - w_r(0)|| <= 2 eta sqrt(K) (b - b0) / (alpha^2 sqrt(m))
## (K = 1: the paper's bound; each row of the gradient is at most
## sqrt(n K / m) ||E||_F, AdaLoss adds alpha^2 sqrt(n) ||E||_F);
## for the other rules @code{value} is the movement alone.
## @item flips
## a pair (i, r) can have flipped only if |w_r(0)'x_i| <= ||w_r - w_r(0)|| ||x_i||:
## @code{value} counts the flipped pairs, @code{bound} the violations (0).
## @item b
## rules with a b (AdaGrad-Norm, AdaLoss): b never decreases and stays finite
## (@code{value}: the final b).
## @item regime
## AdaGrad-Norm and AdaLoss: the critical b0 = eta ||H_inf|| (@code{bound})
## against the run's b0 (@code{value}); GD: its step against 2/||H_inf||;
## @code{regime} says which side the run started on, and @code{crossing} the
## first iteration with an effective step <= 2/||H_inf||.
## @item rate
## the observed linear rate of the loss per iteration (least squares over the
## second half of the run) against the gradient-descent bound
## 1 - step*lambda0/2 of Du et al. with the final effective step (NaN, and
## not checked, where lambda0 is 0 to working precision: two rows of X are
## parallel or the same, as in the iris set, and @code{adagrad_gram} warns
## naming them); the bound
## applies to the rules whose step is a multiple of G (GD, AdaGrad-Norm,
## AdaLoss) on full batches, the rate is reported for all.
## @end table
##
## Every statement holds for networks of K outputs with the squared loss
## (Y n-by-K, or class labels 1..K with @qcode{"classes", true}, as
## @code{adagrad_train} took them); the flips, b, the regime and the rate
## are per unit or per output, the identity and the movement bound are
## stated above for K outputs.
##
## On a mini-batch run the identity, the flips, b and AdaLoss's movement
## bound are checked as above (with the batch increment of AdaLoss,
## @code{alpha^2 sqrt(n) sqrt(n/|B|) ||y_B - u_B||}, the same bound holds
## step by step; doc/theory.md); the rate is reported, its full-batch bound
## does not apply.
##
## It costs one Gram matrix H(W) and H_inf (O(n^2 m) and O(n^2 d)) and two
## products of X with W and W0.  Its double copies of W, W0 and G and the Gram matrices are sized first: a
## network that cannot be checked in the memory this process may still use
## is the error @code{adagrad:nomemory}, before any work.
## @seealso{adagrad_train, adagrad_gram}
## @end deftypefn

function report = adagrad_check (net, hist, X, y, varargin)
  fname = "adagrad_check";
  __adagrad_built__ (fname);
  if (nargin < 4)
    __adagrad_usage__ ("adagrad_check");
  endif
  opts = __adagrad_options__ (fname, struct ("verbose", true, "classes", false), varargin{:});
  opts.verbose = __adagrad_check__ (fname, "VERBOSE", opts.verbose, "logical");
  classes = __adagrad_check__ (fname, "CLASSES", opts.classes, "logical");
  if (! isstruct (net) || ! isscalar (net) || ! isfield (net, "W0"))
    error ("adagrad:badinput", "%s: NET must be a network from adagrad_train", fname);
  endif
  ## Before any work (the checks pass over W): W, W0 and G in double and two
  ## m-by-d temporaries, the two Gram matrices and the n-by-4096 blocks of
  ## the flip count.
  if (isfield (net, "W"))
    n = rows (X);
    __adagrad_fits__ (fname, 8 * (5 * numel (net.W) + 3 * n^2 + 3 * 4096 * n),
                      "checking a network of width %d on %d samples", rows (net.W), n);
  endif
  net = __adagrad_net__ ("check", fname, net, NaN);
  if (! isstruct (hist) || ! isscalar (hist)
      || ! all (isfield (hist, {"iter", "loss", "b", "step"})))
    error ("adagrad:badinput", "%s: HIST must be a history from adagrad_train", fname);
  endif
  __adagrad_optimizer__ ("squaredonly", fname, hist, "the theory's checks are");
  len = numel (hist.iter);
  for f = {"iter", "loss", "b", "step"}
    v = hist.(f{1});
    if (! (isnumeric (v) && isreal (v) && isvector (v) && numel (v) == len))
      error ("adagrad:badinput",
             "%s: HIST.%s must be a real vector with one entry per iterate (%d)", fname,
             f{1}, len);
    endif
  endfor
  X = double (__adagrad_check__ (fname, "X", X, "matrix", [NaN columns(net.W)]));
  y = double (__adagrad_check__ (fname, "Y", y, "targets", size (X)));
  [W, W0, a] = deal (double (net.W), double (net.W0), double (net.a));
  [n, m, K] = deal (rows (X), rows (W), columns (a));
  y = __adagrad_optimizer__ ("targets", fname, "squared", "Y", y, K, classes);
  rule = net.optimizer;
  if (is_function_handle (rule))
    rule = func2str (rule);
  endif
  info = __adagrad_optimizer__ ("info", net.optimizer);
  theirs = info.along_gradient;
  ## The rate bound is one of full-batch steps; the others hold at any W
  ## (identity, flips), or for any batches (b, and AdaLoss's movement bound,
  ## whose batch increment alpha^2 sqrt(n) sqrt(n/|B|) ||y_B - u_B|| bounds
  ## each row's step just as the full one does).
  minibatch = isfield (hist, "sampling") && ! strcmp (hist.sampling, "full");
  report.rule = rule;
  report.applies = {"identity", "flips"};

  ## 1. ||G||^2 = e'H(W)e; with K outputs the sum over the kernel's blocks.
  [G, ~, U] = adagrad_gradient (W, a, X, y);
  E = U - y;
  q = sum (sum (E .* (adagrad_gram (X, W) * E)));
  cross = 0;
  for p = 1:K-1
    for p2 = p+1:K
      cross += 2 * E(:, p)' * __adagrad_ntkblock__ (X, W, a(:, p) .* a(:, p2)) * E(:, p2);
    endfor
  endfor
  rel = abs (sumsq (G(:)) - (q + cross)) / max (q + cross, realmin);
  report.identity = item (rel, 1e-10, rel <= 1e-10);
  report.identity.cross = cross / max (q + cross, realmin);

  ## 2. AdaLoss movement bound.
  move = sqrt (max (sum ((W - W0) .^ 2, 2)));
  if (strcmp (rule, "adaloss"))
    p = net.params;
    bound = 2 * net.eta * sqrt (K) * (net.state.b - p.b0) / (p.alpha ^ 2 * sqrt (m));
    report.movement = item (move, bound, move <= bound * (1 + 1e-12) + 1e-15);
    report.applies{end+1} = "movement";
  else
    report.movement = item (move, NaN, []);
  endif

  ## 3. Flips only where |w_r(0)'x_i| <= ||w_r - w_r(0)|| ||x_i||, by blocks of units.
  rowmove = sqrt (sum ((W - W0) .^ 2, 2))';
  xnorm = sqrt (sum (X .^ 2, 2));
  [nflip, nbad] = deal (0);
  for r0 = 1:4096:m
    r = r0:min (m, r0 + 4095);
    Z0 = X * W0(r, :)';
    flipped = (Z0 >= 0) != (X * W(r, :)' >= 0);
    nflip += nnz (flipped);
    nbad += nnz (flipped & abs (Z0) > xnorm * rowmove(r) * (1 + 1e-12) + 1e-15);
  endfor
  report.flips = item (nflip, nbad, nbad == 0);

  ## 4. b never decreases and stays bounded.
  if (info.has_b)
    report.b = item (net.state.b, NaN, all (diff (hist.b) >= 0) && isfinite (net.state.b));
    report.applies{end+1} = "b";
  else
    report.b = item (NaN, NaN, []);
  endif

  ## 5. The regime, against the critical b0 = eta ||H_inf||.
  [~, lambda0, normH] = adagrad_gram (X);
  crit = net.eta * normH;
  report.regime = item (NaN, crit, []);
  if (strcmp (rule, "gd"))
    report.regime.value = net.eta;
    report.regime.regime = sprintf ("gd: step %.3g %s 2/||H_inf|| = %.3g", net.eta,
                                    merge (net.eta < 2 / normH, "<", ">="), 2 / normH);
  elseif (info.has_b)
    report.regime.value = net.params.b0;
    if (net.params.b0 < crit)
      report.regime.regime = "small b0: b grows first, then linear decay";
    else
      report.regime.regime = "large b0: linear decay from the start";
    endif
  else
    report.regime.regime = sprintf ("not stated for %s", rule);
  endif
  k = find (hist.step <= 2 / normH, 1);
  report.regime.crossing = NaN;
  if (! isempty (k))
    report.regime.crossing = hist.iter(k);
  endif

  ## 6. The observed linear rate against the GD bound.
  L = hist.loss(:);
  it = hist.iter(:);
  ok = isfinite (L) & L > 0;
  half = ok & it >= it(1) + (it(end) - it(1)) / 2;
  rate = NaN;
  if (nnz (half) >= 3)
    p = polyfit (it(half), log (L(half)), 1);
    rate = exp (p(1));
  endif
  gdbound = 1 - hist.step(end) * lambda0 / 2;
  holds = [];
  ## Parallel or duplicated rows of X make lambda0 = 0 (adagrad_gram warns
  ## and names them): the bound 1 - step*lambda0/2 is then 1 and says
  ## nothing, so it is not checked.
  singular = ! (lambda0 > 1e-12 * normH);
  if (singular)
    gdbound = NaN;
  endif
  if (theirs && ! minibatch && ! isnan (rate) && ! singular)
    holds = rate <= gdbound;
    report.applies{end+1} = "rate";
  endif
  report.rate = item (rate, gdbound, holds);
  report.lambda0 = lambda0;
  report.normH = normH;

  if (opts.verbose)
    print_table (rule, hist, n, m, K, report);
  endif
endfunction

function s = item (value, bound, holds)
  s = struct ("value", value, "bound", bound, "holds", {holds});
endfunction

function print_table (rule, hist, n, m, K, r)
  yes = @(h) merge (isempty (h), "n/a", merge (isequal (h, true), "yes", "NO"));
  printf ("adagrad_check: %s, n = %d, m = %d%s, iterations %d to %d (doc/theory.md)\n",
          rule, n, m, merge (K > 1, sprintf (", %d outputs", K), ""), hist.iter(1),
          hist.iter(end));
  printf ("  %-52s %-16s %-22s %s\n", "statement", "observed", "theory", "holds");
  row = @(s, o, t, h) printf ("  %-52s %-16s %-22s %s\n", s, o, t, yes (h));
  if (K == 1)
    row ("||G||^2 = e'H(W)e (relative difference)", sprintf ("%.2g", r.identity.value),
         "0 (round-off)", r.identity.holds);
  else
    row ("||G||^2 = sum_pq e_p'T_pq e_q (relative difference)",
         sprintf ("%.2g", r.identity.value), "0 (round-off)", r.identity.holds);
    printf ("    (the blocks p ~= q, zero in expectation over A at initialization, give %.3g of ||G||^2)\n",
            r.identity.cross);
  endif
  if (isempty (r.movement.holds))
    row ("max_r ||w_r - w_r(0)|| (bound: AdaLoss only)",
         sprintf ("%.4g", r.movement.value), "-", []);
  else
    row ("AdaLoss: max_r ||w_r - w_r(0)||", sprintf ("%.4g", r.movement.value),
         sprintf ("<= %.4g", r.movement.bound), r.movement.holds);
  endif
  row ("flips only where |w_r(0)'x_i| <= ||w_r-w_r(0)||",
       sprintf ("%d flipped", r.flips.value), sprintf ("%d violations", r.flips.bound),
       r.flips.holds);
  row ("b never decreases and stays finite", sprintf ("%.4g -> %.4g", hist.b(1), r.b.value),
       merge (isempty (r.b.holds), "(no b in this rule)", "non-decreasing"), r.b.holds);
  row (sprintf ("b0 against eta ||H_inf|| = %.4g", r.regime.bound),
       sprintf ("b0 = %.4g", r.regime.value), strtok (r.regime.regime, ":"), []);
  printf ("    (%s; eta/b <= 2/||H_inf|| from iteration %s)\n", r.regime.regime,
          num2str (r.regime.crossing));
  row ("linear rate of the loss (second half)", sprintf ("%.6f", r.rate.value),
       merge (isnan (r.rate.bound), "none: lambda0 = 0",
              sprintf ("<= %.6f (GD bound)", r.rate.bound)), r.rate.holds);
  printf ("  checked for %s: %s\n", rule, strjoin (r.applies, ", "));
endfunction

%!demo
%! [X, y] = adagrad_data (100, 20, "seed", 1);
%! [net, hist] = adagrad_train (X, y, "width", 2000, "b0", 0.1, "alpha", 0.1,
%!                              "maxiter", 500, "seed", 2);
%! adagrad_check (net, hist, X, y);

%!shared X, y, net, hist
%! [X, y] = adagrad_data (60, 12, "seed", 1);
%! [net, hist] = adagrad_train (X, y, "width", 1500, "b0", 0.05, "alpha", 0.2,
%!                              "maxiter", 300, "tol", 1e-10, "seed", 2);

%!test
%! ## A mini-batch AdaLoss run: the movement bound holds with the batch
%! ## increment; the full-batch rate bound does not apply.
%! [nm, hm] = adagrad_train (X, y, "width", 800, "b0", 0.05, "alpha", 0.2, "maxiter", 200,
%!                           "seed", 2, "batchsize", 6);
%! r = adagrad_check (nm, hm, X, y, "verbose", false);
%! assert (r.applies, {"identity", "flips", "movement", "b"});
%! assert (r.movement.holds && r.movement.value > 0);
%! assert (isempty (r.rate.holds) && r.rate.value < 1);

%!test
%! out = evalc ("r = adagrad_check (net, hist, X, y);");
%! assert (r.identity.holds && r.identity.value < 1e-10);
%! assert (r.movement.holds && r.movement.value > 0);
%! assert (r.movement.bound, 2 * 1 * (net.state.b - 0.05) / (0.04 * sqrt (1500)), 1e-12);
%! assert (r.applies, {"identity", "flips", "movement", "b", "rate"});
%! assert (r.flips.holds && r.flips.bound == 0);
%! assert (r.flips.value, nnz ((X * net.W0' >= 0) != (X * net.W' >= 0)));
%! assert (r.b.holds);
%! assert (r.regime.bound, r.normH, 1e-12);
%! assert (r.regime.regime, "small b0: b grows first, then linear decay");
%! assert (r.regime.crossing > 0);
%! assert (r.rate.holds && r.rate.value < 1);
%! assert (! isempty (strfind (out, "AdaLoss: max_r ||w_r - w_r(0)||")));
%! assert (numel (strfind (out, " yes")) >= 5);

%!test
%! ## A history that breaks the statements is caught.
%! h = hist;
%! h.b(end) = h.b(1) / 2;
%! n2 = net;
%! n2.state.b = net.params.b0 * 1.0001;
%! r = adagrad_check (n2, h, X, y, "verbose", false);
%! assert (r.b.holds, false);
%! assert (r.movement.holds, false);
%! ## Other optimizers: no movement bound; the GD step against 2/||H_inf||.
%! [n3, h3] = adagrad_train (X, y, "width", 300, "optimizer", "gd", "eta", 0.2, "maxiter", 50, "seed", 3);
%! r = adagrad_check (n3, h3, X, y, "verbose", false);
%! assert (isempty (r.movement.holds));
%! assert (strncmp (r.regime.regime, "gd: step 0.2 <", 14));
%! assert (r.applies, {"identity", "flips", "rate"});
%! ## Adam: only what is stated for every rule is checked.
%! [n4, h4] = adagrad_train (X, y, "width", 300, "optimizer", "adam", "eta", 0.01, "maxiter", 50, "seed", 3);
%! out = evalc ("r = adagrad_check (n4, h4, X, y);");
%! assert (r.applies, {"identity", "flips"});
%! assert (r.identity.holds && r.flips.holds);
%! assert (isempty (r.b.holds) && isempty (r.rate.holds));
%! assert (r.regime.regime, "not stated for adam");
%! assert (! isempty (strfind (out, "checked for adam: identity, flips")));

%!test
%! ## A duplicated row: lambda0 = 0, so the rate bound is not checked (NaN,
%! ## "none" in the table) and adagrad_gram's warning names the rows.
%! X2 = [X; X(7, :)];
%! y2 = [y; y(7)];
%! [n2, h2] = adagrad_train (X2, y2, "width", 300, "optimizer", "gd", "eta", 0.2,
%!                           "maxiter", 50, "seed", 3);
%! lastwarn ("");
%! out = evalc ("r = adagrad_check (n2, h2, X2, y2);");
%! [msg, id] = lastwarn ();
%! assert (id, "adagrad:singular");
%! assert (! isempty (strfind (msg, "rows 7 and 61 of X are parallel")));
%! assert (isnan (r.rate.bound) && isempty (r.rate.holds) && r.rate.value < 1);
%! assert (r.applies, {"identity", "flips"});
%! assert (! isempty (strfind (out, "none: lambda0 = 0")));
%!error <Invalid call> adagrad_check (net, hist, X)
%!error <adagrad_check: NET must be a network from adagrad_train> adagrad_check (struct ("W", 1), hist, X, y)
%!error <adagrad_check: NET.W0 must be 1500 rows by 12 columns> adagrad_check (setfield (net, "W0", 1), hist, X, y)
%!error <adagrad_check: HIST must be a history from adagrad_train> adagrad_check (net, struct (), X, y)
%!error <adagrad_check: HIST.b must be a real vector with one entry per iterate> adagrad_check (net, setfield (hist, "b", "x"), X, y)
%!error <adagrad_check: HIST.loss must be a real vector with one entry per iterate \(301\)> adagrad_check (net, setfield (hist, "loss", 1), X, y)
%!error <adagrad_check: X must be any number of rows by 12 columns> adagrad_check (net, hist, X(:, 1:3), y)
%!error <adagrad_check: Y must be a vector of 60 entries> adagrad_check (net, hist, X, y(1:5))
%!error <adagrad_check: VERBOSE must be true or false> adagrad_check (net, hist, X, y, "verbose", {})
%!error <adagrad_check: unknown option "quiet"> adagrad_check (net, hist, X, y, "quiet", 1)
%!test
%! ## K = 3 outputs (one-hot targets of labels, AdaLoss): every statement
%! ## holds; the identity needs the blocks p ~= q of the tangent kernel (the
%! ## sum of the diagonal blocks alone misses ||G||^2 by far more than
%! ## round-off), and labels with CLASSES give the report of the one-hot Y.
%! c = 1 + mod ((1:60)', 3);
%! [n3, h3] = adagrad_train (X, c, "classes", true, "width", 600, "b0", 0.05,
%!                           "alpha", 0.2, "maxiter", 100, "seed", 2);
%! out = evalc ("r = adagrad_check (n3, h3, X, c, 'classes', true);");
%! r1 = adagrad_check (n3, h3, X, double ((1:3) == c), "verbose", false);
%! assert (isequaln (r, r1));
%! assert (r.applies, {"identity", "flips", "movement", "b", "rate"});
%! assert (r.identity.holds && r.movement.holds && r.flips.holds && r.b.holds && r.rate.holds);
%! assert (r.movement.bound, 2 * sqrt (3) * (n3.state.b - 0.05) / (0.04 * sqrt (600)), 1e-12);
%! [G, ~, U] = adagrad_gradient (n3.W, n3.a, X, double ((1:3) == c));
%! E = U - double ((1:3) == c);
%! diagonal = sum (sum (E .* (adagrad_gram (X, n3.W) * E)));
%! assert (abs (sumsq (G(:)) - diagonal) / sumsq (G(:)) > 1e-6);
%! assert (r.identity.cross, (sumsq (G(:)) - diagonal) / sumsq (G(:)), 1e-8);
%! assert (! isempty (strfind (out, "3 outputs")) && ! isempty (strfind (out, "sum_pq")));
%!error <adagrad_check: Y has 1 columns and the network 3 outputs> adagrad_check (adagrad_init (3, 5, "outputs", 3), struct ("iter", 0, "loss", 1, "b", NaN, "step", NaN), ones (4, 3), ones (4, 1))
%!error <adagrad_check: Y must hold class labels, integers from 1 to 3 \(the outputs\), one per row \(CLASSES\)> adagrad_check (adagrad_init (3, 5, "outputs", 3), struct ("iter", 0, "loss", 1, "b", NaN, "step", NaN), ones (4, 3), [1; 2; 3; 4], "classes", true)
%!error <adagrad_check: CLASSES must be true or false> adagrad_check (net, hist, X, y, "classes", "yes")
