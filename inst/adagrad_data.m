## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{X}, @var{y}] =} adagrad_data (@var{n}, @var{d})
## @deftypefnx {} {[@var{X}, @var{y}, @var{teacher}] =} adagrad_data (@var{n}, @var{d}, @var{name}, @var{value}, @dots{})
## @deftypefnx {} {[@var{X}, @var{y}, @var{teacher}, @var{Xtest}, @var{ytest}] =} adagrad_data (@dots{}, "test", @var{ntest})
## Synthetic regression data of the kind used by Du et al. (Sec. 5) and Wu,
## Du & Ward: @var{n} inputs drawn uniformly from the unit sphere in
## R^@var{d} (the rows of the @var{n}-by-@var{d} matrix @var{X}) and labels
## @var{y} (@var{n}-by-1).
##
## Options:
##
## @table @asis
## @item @qcode{"labels"} (default @qcode{"gaussian"})
## @qcode{"gaussian"}: i.i.d. N(0, 1) labels, as in the papers.
## @qcode{"teacher"}: the outputs of a random two-layer ReLU network (a
## "teacher" of width @qcode{"teacherwidth"}, drawn like @code{adagrad_init}),
## scaled to unit mean square.
## @item @qcode{"teacherwidth"} (default 10)
## Hidden units of the teacher network.
## @item @qcode{"noise"} (default 0)
## Standard deviation of Gaussian noise added to the labels.
## @item @qcode{"seed"} (default @code{[]})
## Non-negative integer seed; the global generators are left as they were.
## @item @qcode{"test"} (default 0)
## Also draw a held-out set of @var{ntest} samples from the same
## distribution (the same teacher and noise level), returned as
## @var{Xtest} and @var{ytest}; @var{X} and @var{y} are those drawn without
## it.  For a train/test comparison:
## @example
## [X, y, ~, Xt, yt] = adagrad_data (200, 10, "labels", "teacher", "test", 100, "seed", 1);
## [net, hist] = adagrad_train (X, y, "batchsize", 20, "validation", @{Xt, yt@});
## test_loss = 0.5 * sumsq (adagrad_predict (net, Xt) - yt);
## @end example
## (Gaussian labels are independent of the inputs: nothing can be learned
## about a held-out set of them.)
## @end table
##
## The third output describes the labels: a struct with fields
## @code{labels}, @code{noise} and, for teacher labels, the teacher's
## @code{W}, @code{a} and @code{scale} (@code{y = scale * f(W, a, X) + noise}).
##
## Note: the theory assumes unit-norm inputs, no two of them parallel, and
## bounded labels; this function's inputs satisfy the first two with
## probability one.
## @seealso{adagrad_train, adagrad_init}
## @end deftypefn

function [X, y, teacher, Xtest, ytest] = adagrad_data (n, d, varargin)
  if (nargin < 2)
    __adagrad_usage__ ("adagrad_data");
  endif
  fname = "adagrad_data";
  n = __adagrad_check__ (fname, "N", n, "posint");
  d = __adagrad_check__ (fname, "D", d, "posint");
  defaults = struct ("labels", "gaussian", "teacherwidth", 10, "noise", 0,
                     "seed", [], "test", 0);
  opts = __adagrad_options__ (fname, defaults, varargin{:});
  labels = __adagrad_check__ (fname, "LABELS", opts.labels, "choice",
                              {"gaussian", "teacher"});
  mt = __adagrad_check__ (fname, "TEACHERWIDTH", opts.teacherwidth, "posint");
  noise = __adagrad_check__ (fname, "NOISE", opts.noise, "nonnegative");
  seed = __adagrad_check__ (fname, "SEED", opts.seed, "seed");
  nt = __adagrad_check__ (fname, "TEST", opts.test, "count");

  try
    ## The held-out set is drawn after the training set, which is then the
    ## same with or without it.
    [Z, yg, Wt, at, eps, Zt, ygt, epst] = __adagrad_draw__ (seed, @() randn (n, d),
                                             @() randn (n, 1),
                                             @() randn (mt, d),
                                             @() 2 * (rand (mt, 1) < 0.5) - 1,
                                             @() randn (n, 1), @() randn (nt, d),
                                             @() randn (nt, 1), @() randn (nt, 1));
  catch err
    __adagrad_nomemory__ (err, fname, "%d samples in R^%d", n + nt, d);
  end_try_catch
  ## A normalized Gaussian vector is uniform on the sphere.
  sphere = @(Z) Z ./ sqrt (sum (Z .^ 2, 2));
  [X, Xtest] = deal (sphere (Z), sphere (Zt));
  teacher = struct ("labels", labels, "noise", noise);
  if (strcmp (labels, "gaussian"))
    [y, ytest] = deal (yg, ygt);
  else
    f = @(A) max (A * Wt', 0) * at / sqrt (mt);
    y = f (X);
    scale = 1 / sqrt (max (mean (y .^ 2), realmin));
    [y, ytest] = deal (scale * y, scale * f (Xtest));
    teacher.W = Wt;
    teacher.a = at;
    teacher.scale = scale;
  endif
  y += noise * eps;
  ytest += noise * epst;
endfunction

%!demo
%! ## Inputs on the unit circle (d = 2), coloured by their teacher-network label.
%! [X, y] = adagrad_data (300, 2, "labels", "teacher", "seed", 1);
%! scatter (X(:, 1), X(:, 2), 25, y, "filled");
%! axis equal;
%! colorbar ();
%! title ("adagrad\\_data: 300 points on the unit circle, colour = label");

%!test
%! [X, y] = adagrad_data (500, 8, "seed", 1);
%! assert (size (X), [500 8]);
%! assert (size (y), [500 1]);
%! assert (sqrt (sum (X .^ 2, 2)), ones (500, 1), 1e-14);
%! assert (mean (y), 0, 0.15);
%! assert (var (y), 1, 0.2);
%! ## Uniform on the sphere: every coordinate has mean 0 and variance 1/d.
%! assert (mean (X), zeros (1, 8), 0.05);
%! assert (mean (X .^ 2), ones (1, 8) / 8, 0.02);

%!test
%! [X1, y1] = adagrad_data (20, 3, "seed", 4);
%! [X2, y2] = adagrad_data (20, 3, "seed", 4);
%! [X3, y3] = adagrad_data (20, 3, "seed", 5);
%! assert (X2, X1);
%! assert (y2, y1);
%! assert (any (X3(:) != X1(:)));

%!test
%! [X, y, t] = adagrad_data (300, 5, "labels", "teacher", "teacherwidth", 4, "seed", 2);
%! assert (t.labels, "teacher");
%! assert (size (t.W), [4 5]);
%! assert (y, t.scale * max (X * t.W', 0) * t.a / 2, 1e-12);
%! assert (mean (y .^ 2), 1, 1e-12);

%!test
%! [X, y0] = adagrad_data (400, 5, "seed", 3);
%! [X, y1, t] = adagrad_data (400, 5, "seed", 3, "noise", 0.5);
%! assert (t.noise, 0.5);
%! assert (std (y1 - y0), 0.5, 0.06);

%!test
%! ## A held-out set from the same teacher; the training set is the one drawn without it.
%! [X0, y0] = adagrad_data (50, 4, "labels", "teacher", "seed", 6, "noise", 0.1);
%! [X, y, t, Xt, yt] = adagrad_data (50, 4, "labels", "teacher", "seed", 6, "noise", 0.1,
%!                                   "test", 30);
%! assert (isequal (X, X0) && isequal (y, y0));
%! assert (size (Xt), [30 4]);
%! assert (sqrt (sum (Xt .^ 2, 2)), ones (30, 1), 1e-14);
%! clean = t.scale * max (Xt * t.W', 0) * t.a / sqrt (10);
%! assert (std (yt - clean), 0.1, 0.05);
%! assert (! any (ismember (Xt, X, "rows")));
%! [~, ~, ~, Xe, ye] = adagrad_data (5, 2, "seed", 1);
%! assert (size (Xe), [0 2]);
%! assert (size (ye), [0 1]);

%!error <adagrad_data: TEST must be a non-negative integer> adagrad_data (3, 2, "test", -1)
%!error <Invalid call> adagrad_data (3)
%!error <adagrad_data: N must be a positive integer> adagrad_data (-1, 3)
%!error <adagrad_data: D must be a positive integer> adagrad_data (3, "a")
%!error <adagrad_data: LABELS must be one of "gaussian", "teacher"> adagrad_data (3, 2, "labels", "sign")
%!error <adagrad_data: TEACHERWIDTH must be a positive integer> adagrad_data (3, 2, "teacherwidth", 0)
%!error <adagrad_data: NOISE must be a nonnegative> adagrad_data (3, 2, "noise", -0.1)
%!error <adagrad_data: SEED must be a non-negative integer> adagrad_data (3, 2, "seed", 0.5)
%!error <adagrad_data: unknown option "width"> adagrad_data (3, 2, "width", 5)
