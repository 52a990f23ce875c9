## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{u} =} adagrad_predict (@var{net}, @var{X})
## @deftypefnx {} {[@var{u}, @var{c}] =} adagrad_predict (@var{net}, @var{X})
## Predictions of the network @var{net} (from @code{adagrad_init} or
## @code{adagrad_train}) on the rows of @var{X}: @code{adagrad_forward
## (net.W, net.a, X)}, n-by-K for a network of K outputs.  @var{c} is the
## predicted class: with one output, for +1/-1 labels (those of the
## @qcode{"logistic"} loss, or a squared-loss fit of them), @code{sign (u)},
## with +1 where @var{u} is 0; with K >= 2 outputs (the @qcode{"softmax"}
## loss, or one-hot targets of @qcode{"classes"}), the class 1..K of each
## row's largest output (the first one on a tie), as @code{adagrad_train}'s
## accuracy counts it.
## @seealso{adagrad_forward, adagrad_train}
## @end deftypefn

function [u, c] = adagrad_predict (net, X, varargin)
  if (nargin != 2)
    __adagrad_usage__ ("adagrad_predict");
  endif
  [W, a] = __adagrad_net__ ("model", "adagrad_predict", net);
  ## X checked here, so that its errors name adagrad_predict.
  __adagrad_check__ ("adagrad_predict", "X", X, "matrix", [NaN columns(W)]);
  u = adagrad_forward (W, a, X);
  if (nargout > 1)
    if (columns (u) == 1)
      c = 2 * (u >= 0) - 1;
    else
      [~, c] = max (u, [], 2);
    endif
  endif
endfunction

%!demo
%! ## Fit a teacher network and predict on new inputs.
%! [X, y, t] = adagrad_data (100, 5, "labels", "teacher", "seed", 1);
%! net = adagrad_train (X, y, "width", 1000, "optimizer", "adagrad-norm", "maxiter", 500, "seed", 2);
%! Xt = adagrad_data (100, 5, "seed", 3);
%! yt = t.scale * max (Xt * t.W', 0) * t.a / sqrt (rows (t.W));
%! printf ("training loss %.3e, test mean squared error %.3e (label variance %.3f)\n",
%!         net.loss, mean ((adagrad_predict (net, Xt) - yt) .^ 2), var (yt));

%!test
%! ## K outputs: the classes by the largest output of each row.
%! net = adagrad_init (3, 40, "seed", 1, "outputs", 4);
%! X = adagrad_data (10, 3, "seed", 2);
%! [u, c] = adagrad_predict (net, X);
%! assert (size (u), [10 4]);
%! assert (u, max (X * net.W', 0) * net.a / sqrt (40), 1e-13);
%! assert (all (u(sub2ind (size (u), (1:10)', c)) == max (u, [], 2)));

%!test
%! net = adagrad_init (3, 40, "seed", 1);
%! X = adagrad_data (10, 3, "seed", 2);
%! assert (adagrad_predict (net, X), max (X * net.W', 0) * net.a / sqrt (40), 1e-13);

%!error <Invalid call> adagrad_predict (1)
%!error <adagrad_predict: NET must be a network struct> adagrad_predict (struct ("W", 1), 1)
%!error <adagrad_predict: NET must be a network struct> adagrad_predict ([1 2], 1)
%!error <adagrad_predict: NET.W must be a real> adagrad_predict (struct ("W", "x", "a", 1), 1)
%!error <adagrad_predict: NET.a must be a vector of 2 entries> adagrad_predict (struct ("W", [1; 2], "a", 1), 1)
%!error <adagrad_predict: X must be any number of rows by 1 columns> adagrad_predict (struct ("W", [1; 2], "a", [1; 1]), [1 2])
%!error <adagrad_predict: X must be finite> adagrad_predict (struct ("W", [1; 2], "a", [1; 1]), [1; NaN])
%!error <adagrad_predict: X must be a real, full> adagrad_predict (struct ("W", [1; 2], "a", [1; 1]), {1})
