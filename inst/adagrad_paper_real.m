## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{out} =} adagrad_paper_real ()
## @deftypefnx {} {@var{out} =} adagrad_paper_real (@var{size})
## @deftypefnx {} {@var{out} =} adagrad_paper_real (@var{size}, @var{name}, @var{value}, @dots{})
## The claims of Wu, Du & Ward on real data (part (f) of
## @code{adagrad_paper}): Fashion-MNIST by default, all ten classes, a
## network of K = 10 outputs trained on the squared loss of one-hot
## targets (the setting of the NTK literature, Arora et al.), with
## mini-batches.
##
## @table @asis
## @item (f1) robustness
## gradient descent (step eta/b0), AdaGrad-Norm and AdaLoss over a grid of
## b0 of at least five decades, at two widths, each run for E epochs of
## mini-batches: the test accuracy at the end (a heatmap per width,
## @file{paper_real_robustness.png}, and a table).  The other knob of each
## adaptive rule is set once from the data by the rule of thumb of the
## README (a first step eta/b(1) of about 2/||H_inf|| from a small b0),
## never from b0: AdaLoss's alpha = (||H_inf||/2) / sqrt (sqrt (n) sqrt (2 L(W0)))
## with eta = 1, AdaGrad-Norm's eta = ||G(W0)|| / ||H_inf||; gradient descent
## takes eta = 1, so that its step is 1/b0.  b0 is in units of the
## critical eta*||H_inf||, where ||H_inf|| is estimated from a stratified
## subset of at most 2000 training rows, scaled by n over its size (the
## top eigenvalue of H_inf grows about linearly with n; a decade of grid
## is far coarser than that estimate's error).
## @item (f2) the kernel regime
## on a stratified subset of the training set (n = 2000 for
## @qcode{"full"}), full-batch gradient descent with step 1/||H_inf|| of the
## subset, then the test accuracy of the network, of its linearization
## @code{E(k+1) = (I - eta H_inf) E(k)} after as many steps, and of kernel
## regression @code{H_inf(Xt, X) (H_inf \ Y)}, each by the largest output
## (@code{adagrad_linearized}'s @code{test} fields), with the distance of
## the network's outputs from the linearization's.
## @end table
##
## @var{size} is @qcode{"quick"} (default: 3000 training rows, 2000 test
## rows, widths 256 and 1024, b0 from 1e-2 to 1e3 times the critical value,
## 2 epochs; (f2) on 500 rows at width 1000 for 100 steps; under a minute of
## its own time on two cores) or @qcode{"full"} (all 60000 training and
## 10000 test images, widths 1024 and 4096, b0 from 1e-2 to 1e4, 2 epochs;
## (f2) on 2000 rows at width 4096 for 300 steps).  Options override the
## size's settings: @qcode{"dataset"} (a name of @code{adagrad_dataset},
## default @qcode{"fashion-mnist"}), or @qcode{"data"},
## @code{@{X, y, Xt, yt@}} (rows of unit norm, labels 1..K), @qcode{"n"}
## and @qcode{"ntest"} (stratified subsets; Inf: all), @qcode{"widths"}
## (two or more), @qcode{"factors"} (the b0 grid, in units of
## eta*||H_inf||), @qcode{"epochs"}, @qcode{"batchsize"} (default 128),
## @qcode{"loss"} (@qcode{"squared"} on one-hot targets, default, or
## @qcode{"softmax"} on the labels), @qcode{"alpha"} (AdaLoss; default the
## rule of thumb above), @qcode{"etanorm"} (AdaGrad-Norm's eta; default the
## rule of thumb), @qcode{"class"} (@qcode{"single"}, default, or @qcode{"double"}: the
## precision of the runs of (f1)), @qcode{"linn"}, @qcode{"linwidth"},
## @qcode{"liniter"} (the subset, width and steps of (f2)), @qcode{"seed"},
## @qcode{"dir"} (where the PNG files go, default the current folder;
## empty: no files), @qcode{"verbose"} (print the tables, default true).
##
## @var{out} has fields @code{n}, @code{ntest}, @code{K}, @code{normH}
## (the estimate), @code{b0} (the grid), @code{alpha} and @code{etanorm}
## (the knobs used), @code{robustness} (the results of
## @code{adagrad_sweep} of (f1), each with @code{accuracy}, the test
## accuracy at the end, NaN where the run diverged), @code{table} (test
## accuracy, one row per b0, the columns rule by width), @code{kernel} (f2:
## @code{n}, @code{width}, @code{steps}, @code{network}, @code{linearized},
## @code{regression} (test accuracies), @code{maxrelgap}, @code{lin}),
## @code{seconds} (of each part) and @code{files}.
## @seealso{adagrad_paper, adagrad_dataset, adagrad_sweep, adagrad_linearized, adagrad_plot_heatmap}
## @end deftypefn

function out = adagrad_paper_real (size_name, varargin)
  fname = "adagrad_paper_real";
  __adagrad_built__ (fname);
  if (nargin < 1)
    size_name = "quick";
  endif
  size_name = __adagrad_check__ (fname, "SIZE", size_name, "choice", {"quick", "full"});
  if (strcmp (size_name, "quick"))
    o = struct ("n", 3000, "ntest", 2000, "widths", [256 1024], "factors", 10 .^ (-2:3),
                "linn", 500, "linwidth", 1000, "liniter", 100);
  else
    o = struct ("n", Inf, "ntest", Inf, "widths", [1024 4096], "factors", 10 .^ (-2:4),
                "linn", 2000, "linwidth", 4096, "liniter", 300);
  endif
  for f = {"dataset", "fashion-mnist"; "data", {}; "epochs", 2; "batchsize", 128;
           "loss", "squared"; "alpha", []; "etanorm", []; "class", "single"; "seed", 1; "dir", ".";
           "verbose", true}'
    o.(f{1}) = f{2};
  endfor
  o = __adagrad_options__ (fname, o, varargin{:});
  ntrain = count_or_all (fname, "N", o.n);
  ntest = count_or_all (fname, "NTEST", o.ntest);
  if (! isnumeric (o.widths) || numel (o.widths) < 2)
    error ("adagrad:badinput", "%s: WIDTHS must be a vector of two or more positive integers",
           fname);
  endif
  widths = arrayfun (@(m) __adagrad_check__ (fname, "WIDTHS", m, "posint"), o.widths(:)');
  if (! isnumeric (o.factors) || any (! (o.factors(:) > 0)) || numel (o.factors) < 2)
    error ("adagrad:badinput", "%s: FACTORS must be a vector of two or more positive numbers",
           fname);
  endif
  factors = o.factors(:)';
  epochs = __adagrad_check__ (fname, "EPOCHS", o.epochs, "posint");
  B = __adagrad_check__ (fname, "BATCHSIZE", o.batchsize, "posint");
  lossname = __adagrad_check__ (fname, "LOSS", o.loss, "choice", {"squared", "softmax"});
  if (! isempty (o.alpha))
    o.alpha = __adagrad_check__ (fname, "ALPHA", o.alpha, "positive");
  endif
  if (! isempty (o.etanorm))
    o.etanorm = __adagrad_check__ (fname, "ETANORM", o.etanorm, "positive");
  endif
  cls = __adagrad_check__ (fname, "CLASS", o.class, "choice", {"single", "double"});
  linn = __adagrad_check__ (fname, "LINN", o.linn, "posint");
  linwidth = __adagrad_check__ (fname, "LINWIDTH", o.linwidth, "posint");
  liniter = __adagrad_check__ (fname, "LINITER", o.liniter, "posint");
  seed = __adagrad_check__ (fname, "SEED", o.seed, "count");
  if (! ischar (o.dir) || (! isempty (o.dir) && ! isfolder (o.dir)))
    error ("adagrad:badinput", "%s: DIR must be an existing folder (empty: no files)",
           fname);
  endif
  verbose = __adagrad_check__ (fname, "VERBOSE", o.verbose, "logical");
  say = @(varargin) verbose && printf (varargin{:});
  file = @(name) merge (isempty (o.dir), "", fullfile (o.dir, name));

  ## The data: a set of adagrad_dataset, or the caller's.
  t0 = tic ();
  if (isempty (o.data))
    [X, y, Xt, yt, info] = adagrad_dataset (o.dataset, "class", "double");
    source = info.name;
  else
    if (! iscell (o.data) || numel (o.data) != 4)
      error ("adagrad:badinput", "%s: DATA must be a cell {X, y, Xt, yt}", fname);
    endif
    [X, y, Xt, yt] = deal (o.data{:});
    X = double (__adagrad_check__ (fname, "DATA{1} (X)", X, "matrix", [NaN NaN]));
    Xt = double (__adagrad_check__ (fname, "DATA{3} (Xt)", Xt, "matrix", [NaN columns(X)]));
    y = double (__adagrad_check__ (fname, "DATA{2} (y)", y, "labels", size (X)));
    yt = double (__adagrad_check__ (fname, "DATA{4} (yt)", yt, "labels", size (Xt)));
    source = "DATA";
  endif
  K = max ([y; yt]);
  if (any ([y; yt] != fix ([y; yt])) || any ([y; yt] < 1) || K < 2)
    error ("adagrad:badinput", "%s: the labels must be classes 1..K with K >= 2", fname);
  endif
  if (ntrain < rows (X))
    keep = __adagrad_subset__ (y, ntrain, seed);
    [X, y] = deal (X(keep, :), y(keep));
  endif
  if (ntest < rows (Xt))
    keep = __adagrad_subset__ (yt, ntest, seed + 1);
    [Xt, yt] = deal (Xt(keep, :), yt(keep));
  endif
  [n, nt] = deal (rows (X), rows (Xt));
  tload = toc (t0);
  out = struct ("n", n, "ntest", nt, "K", K);

  ## ||H_inf|| from a stratified subset, scaled to n.
  ns = min (n, 2000);
  sub = __adagrad_subset__ (y, ns, seed + 2);
  [~, ~, normHs] = adagrad_gram (X(sub, :));
  normH = normHs * n / ns;
  eta = 1;
  b0 = eta * normH * factors;
  [out.normH, out.b0] = deal (normH, b0);
  say ("adagrad_paper_real (%s): %s, n = %d training and %d test rows of %d features, %d classes (loaded in %.1f s)\n",
       size_name, source, n, nt, columns (X), K, tload);
  say ("  ||H_inf|| about %.4g (%.4g on %d rows, times n/%d): critical b0 = eta*||H_inf|| = %.4g\n\n",
       normH, normHs, ns, ns, eta * normH);

  ## (f1) Robustness: GD (eta/b0), AdaGrad-Norm and AdaLoss over b0 at each
  ## width, E epochs of mini-batches, the test set as the validation, so that
  ## the C loop counts the test accuracy at each epoch's end.
  [Y, Yt] = deal (y, yt);
  if (strcmp (lossname, "squared"))
    [Y, Yt] = deal (double ((1:K) == y), double ((1:K) == yt));
  endif
  per = ceil (n / min (B, n));
  t0 = tic ();
  [Xc, Yc] = deal (cast (X, cls), cast (Y, cls));
  ## The rules of thumb, at the first width's network of the sweep's seed:
  ## L(W0) and ||G(W0)|| do not depend on the width in expectation.
  [alpha, etanorm] = deal (o.alpha, o.etanorm);
  if (isempty (alpha) || isempty (etanorm))
    net0 = adagrad_init (columns (X), widths(1), "seed", seed + 3, "outputs", K);
    [G0, L0] = adagrad_gradient (cast (net0.W, cls), cast (net0.a, cls), Xc, Yc,
                                 "loss", lossname);
    if (isempty (alpha))
      alpha = (normH / 2) / sqrt (sqrt (n) * sqrt (2 * L0));
    endif
    if (isempty (etanorm))
      etanorm = norm (double (G0), "fro") / normH;
    endif
  endif
  [out.alpha, out.etanorm] = deal (alpha, etanorm);
  common = {"b0", b0, "width", widths, "seed", seed + 3, "batchsize", min(B, n), ...
            "maxiter", epochs * per, "evalevery", per, "tol", 0, "loss", lossname, ...
            "validation", {cast(Xt, cls), cast(Yt, cls)}, "parallel", "off"};
  r = [adagrad_sweep(Xc, Yc, "optimizer", "gd", "eta", eta, common{:});
       adagrad_sweep(Xc, Yc, "optimizer", "adagrad-norm", "eta", etanorm, common{:});
       adagrad_sweep(Xc, Yc, "optimizer", "adaloss", "eta", eta, "alpha", alpha, common{:})];
  out.seconds.robustness = toc (t0);
  for k = 1:numel (r)
    acc = r(k).hist.vaccuracy(isfinite (r(k).hist.vaccuracy));
    r(k).accuracy = NaN;
    if (! isempty (acc) && ! strcmp (r(k).stop, "diverged"))
      r(k).accuracy = acc(end);
    endif
  endfor
  out.robustness = r;
  rules = {"gd", "adagrad-norm", "adaloss"};
  out.table = NaN (numel (b0), 3 * numel (widths));
  say ("(f1) test accuracy after %d epochs of batches of %d (%d steps), %s loss (div: diverged);\n",
       epochs, min (B, n), epochs * per, lossname);
  say ("     gd: step 1/b0; adagrad-norm: eta = ||G(W0)||/||H_inf|| = %.4g; adaloss: eta = 1, alpha = %.4g\n",
       etanorm, alpha);
  say ("  %12s %10s", "b0/(eta|H|)", "eta/b0");
  for m = widths
    for j = 1:3
      say (" %14s", sprintf ("%s m=%d", strrep (rules{j}, "adagrad-norm", "ada-norm"), m));
    endfor
  endfor
  say ("\n");
  for i = 1:numel (b0)
    say ("  %12g %10.3g", factors(i), eta / b0(i));
    for w = 1:numel (widths)
      for j = 1:3
        q = r([r.b0] == b0(i) & [r.width] == widths(w) & strcmp ({r.optimizer}, rules{j}));
        out.table(i, 3 * (w - 1) + j) = q.accuracy;
        say (" %14s", merge (isnan (q.accuracy), "div", sprintf ("%.4f", q.accuracy)));
      endfor
    endfor
    say ("\n");
  endfor
  say ("  (%.0f s; the most frequent class alone: %.4f)\n", out.seconds.robustness,
       max (accumarray (yt, 1)) / nt);
  out.files = {};
  f = file ("paper_real_robustness.png");
  if (! isempty (f))
    __adagrad_with_figure__ (@(fig) adagrad_plot_heatmap (r, "b0", "optimizer", "panels",
                             "width", "value", "vaccuracy", "parent", fig, "file", f,
                             "title", sprintf ("test accuracy after %d epochs", epochs)));
    out.files{end+1} = f;
  endif

  ## (f2) The kernel regime on a subset: GD at 1/||H_inf||, the network
  ## against its linearization and kernel regression on the test set.
  t0 = tic ();
  ln = min (linn, n);
  sub = __adagrad_subset__ (y, ln, seed + 4);
  [Xs, ys] = deal (X(sub, :), y(sub));
  Ys = double ((1:K) == ys);
  [~, ~, nHs] = adagrad_gram (Xs);
  [net, hist] = adagrad_train (Xs, Ys, "optimizer", "gd", "eta", 1 / nHs, "width", linwidth,
                               "maxiter", liniter, "tol", 0, "seed", seed + 5, "display", "off");
  lin = adagrad_linearized (net, hist, Xs, Ys, "test", Xt, "every", max (1, floor (liniter / 50)));
  acc = @(U) mean (argmax (U) == yt);
  kr = struct ("n", ln, "width", linwidth, "steps", liniter, "network", acc (lin.test.network),
               "linearized", acc (lin.test.linearized), "regression", acc (lin.test.kernel),
               "maxrelgap", lin.maxrelgap, "lin", lin);
  out.seconds.kernel = toc (t0);
  out.kernel = kr;
  say ("\n(f2) %d training rows, gradient descent at step 1/||H_inf|| = %.4g, width %d, %d steps, squared loss on one-hot targets\n",
       ln, 1 / nHs, linwidth, liniter);
  say ("  test accuracy: network %.4f, its linearization %.4f, kernel regression H_inf(Xt, X) (H_inf \\ Y) %.4f\n",
       kr.network, kr.linearized, kr.regression);
  say ("  max_k ||U(k) - U_lin(k)|| / ||U(0) - Y|| = %.4g; training loss %.4g -> %.4g (%.0f s)\n",
       kr.maxrelgap, hist.loss(1), hist.loss(end), out.seconds.kernel);
  if (! isempty (out.files))
    say ("\nwrote %s\n", strjoin (out.files, ", "));
  endif
endfunction

## The class of each row: its largest output (the first on a tie).
function c = argmax (U)
  [~, c] = max (U, [], 2);
endfunction

## A positive integer or Inf (all).
function v = count_or_all (fname, name, v)
  if (! (isnumeric (v) && isscalar (v) && isinf (v) && v > 0))
    v = __adagrad_check__ (fname, name, v, "posint");
  endif
endfunction

%!demo
%! ## Needs dataset-fashion-mnist; under a minute: the tables and a PNG file.
%! adagrad_paper_real ("quick", "dir", tempdir ());

%!shared data
%! ## Three classes of points on the sphere, a teacher's labels (the
%! ## real-set tests below need the Debian data packages).
%! [X, ~] = adagrad_data (400, 12, "seed", 1);
%! V = randn (12, 3);
%! [~, y] = max (X * V, [], 2);
%! data = {X(1:300, :), y(1:300), X(301:end, :), y(301:end)};

%!test
%! warning ("off", "Octave:gnuplot-graphics");
%! if (isempty (getenv ("DISPLAY")))
%!   graphics_toolkit ("gnuplot");
%! endif
%! folder = tempname ();
%! mkdir (folder);
%! unwind_protect
%!   out = evalc ('r = adagrad_paper_real ("quick", "data", data, "widths", [64 256], "factors", 10 .^ (-2:3), "epochs", 3, "batchsize", 32, "linn", 100, "linwidth", 400, "liniter", 40, "dir", folder);');
%!   assert ([r.n r.ntest r.K], [300 100 3]);
%!   assert (size (r.table), [6 6]);
%!   ## The table is each run's test accuracy: the last validation accuracy,
%!   ## checked against adagrad_predict of the same run by hand.
%!   q = r.robustness(strcmp ({r.robustness.optimizer}, "adaloss") & [r.robustness.width] == 256);
%!   q = q(1);
%!   net = adagrad_init (12, 256, "seed", q.seed, "outputs", 3, "b0", q.b0, "alpha", r.alpha);
%!   net = adagrad_train (net, single (data{1}), single (double ((1:3) == data{2})),
%!                        "batchsize", 32, "maxiter", 30, "tol", 0, "evalevery", 10);
%!   [~, c] = adagrad_predict (net, single (data{3}));
%!   assert (q.accuracy, mean (c == data{4}));
%!   assert (r.table(1, 6), q.accuracy);
%!   ## The claim: from every b0 up to the critical one the adaptive rules
%!   ## learn (far above the 0.35 of the largest class) where GD with step
%!   ## 1/b0 = 100/||H_inf|| diverges; no adaptive run diverges anywhere.
%!   ada = r.table(:, [2 3 5 6]);
%!   assert (all (all (ada(1:3, :) > 0.6)));
%!   assert (all (isfinite (ada(:))));
%!   assert (all (isnan (r.table(1, [1 4]))));
%!   ## The knobs of the rules of thumb, from L(W0) and ||G(W0)||.
%!   n0 = adagrad_init (12, 64, "seed", 4, "outputs", 3);
%!   [G0, L0] = adagrad_gradient (single (n0.W), single (n0.a), single (data{1}),
%!                                single (double ((1:3) == data{2})));
%!   assert (r.alpha, (r.normH / 2) / sqrt (sqrt (300) * sqrt (2 * L0)), 1e-12);
%!   assert (r.etanorm, norm (double (G0), "fro") / r.normH, 1e-12);
%!   ## (f2): the network, its linearization and kernel regression.
%!   k = r.kernel;
%!   assert (k.network > 0.6 && k.linearized > 0.6 && k.regression > 0.6);
%!   assert (k.maxrelgap < 0.2);
%!   assert (numel (r.files), 1);
%!   assert (dir (r.files{1}).bytes > 5000);
%!   assert (! isempty (strfind (out, "(f1) test accuracy after 3 epochs")));
%!   assert (! isempty (strfind (out, "(f2) 100 training rows")));
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   rmdir (folder, "s");
%! end_unwind_protect

%!testif ; ! isempty (glob ("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"))
%! ## The real set, small: 1000 training rows, 40 steps, two widths, two b0:
%! ## GD diverges from the small b0, the adaptive rules learn (chance: 0.1).
%! r = adagrad_paper_real ("quick", "n", 1000, "ntest", 500, "widths", [64 256],
%!                         "factors", [0.01 1], "epochs", 2, "batchsize", 50, "linn", 100,
%!                         "linwidth", 200, "liniter", 30, "dir", "", "verbose", false);
%! assert ([r.n r.ntest r.K], [1000 500 10]);
%! assert (all (isnan (r.table(1, [1 4]))));
%! assert (all (all (r.table(:, [2 3 5 6]) > 0.4)));
%! assert (r.kernel.regression > 0.5);

%!error <adagrad_paper_real: SIZE must be one of "quick", "full"> adagrad_paper_real ("medium")
%!error <adagrad_paper_real: WIDTHS must be a vector of two or more> adagrad_paper_real ("quick", "widths", 100)
%!error <adagrad_paper_real: WIDTHS must be a positive integer> adagrad_paper_real ("quick", "widths", [100 0.5])
%!error <adagrad_paper_real: FACTORS must be a vector of two or more positive numbers> adagrad_paper_real ("quick", "factors", [1 -1])
%!error <adagrad_paper_real: N must be a positive integer> adagrad_paper_real ("quick", "n", 0)
%!error <adagrad_paper_real: EPOCHS must be a positive integer> adagrad_paper_real ("quick", "epochs", 0.5)
%!error <adagrad_paper_real: LOSS must be one of "squared", "softmax"> adagrad_paper_real ("quick", "loss", "logistic")
%!error <adagrad_paper_real: CLASS must be one of "single", "double"> adagrad_paper_real ("quick", "class", "int8")
%!error <adagrad_paper_real: DIR must be an existing folder> adagrad_paper_real ("quick", "dir", "/nonexistent-dir")
%!error <adagrad_paper_real: DATA must be a cell> adagrad_paper_real ("quick", "data", {1, 2})
%!error <adagrad_paper_real: the labels must be classes 1..K with K .= 2> adagrad_paper_real ("quick", "data", {[1 0; 0 1], [1; 1.5], [1 0], 1})
%!error <adagrad_paper_real: unknown option "size"> adagrad_paper_real ("quick", "size", 3)
