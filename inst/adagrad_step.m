## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{W}, @var{b}, @var{step}] =} adagrad_step (@var{W}, @var{G}, @var{b}, @var{rule}, @var{eta})
## @deftypefnx {} {[@var{W}, @var{b}, @var{step}] =} adagrad_step (@var{W}, @var{G}, @var{b}, "adaloss", @var{eta}, @var{alpha}, @var{resnorm}, @var{n})
## One step of gradient descent or of an adaptive gradient method, from the
## gradient @var{G} at @var{W}.  @var{b} is updated first, then
## @code{W = W - step * G}:
##
## @table @asis
## @item @qcode{"gd"}
## @code{step = eta}; @var{b} is returned unchanged.
## @item @qcode{"adagrad-norm"}
## @code{b = sqrt (b^2 + norm (G, "fro")^2)}, @code{step = eta / b}.
## @item @qcode{"adaloss"}
## @code{b = sqrt (b^2 + alpha^2 * sqrt (n) * resnorm)}, @code{step = eta / b},
## where @var{resnorm} is @code{norm (y - u)} at @var{W} (not squared) and
## @var{n} the number of samples (Wu, Du & Ward, Algorithm 1).
## @end table
##
## @var{eta} >= 0, @var{b} > 0 (any value for @qcode{"gd"}), @var{alpha} > 0.
## Computed in C (MEX @code{__adagrad_step__}); a single @var{W} or @var{G}
## gives a single @var{W} (each entry updated in double, then rounded), while
## @var{b} is kept in double.  A loop of
## @code{adagrad_gradient} and @code{adagrad_step} follows the same trajectory
## as @code{adagrad_train}.
## @seealso{adagrad_gradient, adagrad_train}
## @end deftypefn

function [W, b, step] = adagrad_step (W, G, b, rule, eta, alpha, resnorm, n, varargin)
  fname = "adagrad_step";
  if (nargin < 5)
    __adagrad_usage__ ("adagrad_step");
  endif
  rule = __adagrad_check__ (fname, "RULE", rule, "choice",
                            {"gd", "adagrad-norm", "adaloss"});
  if (strcmp (rule, "adaloss"))
    if (nargin != 8)
      error ("adagrad:badinput",
             "%s: the adaloss rule needs ALPHA, RESNORM and N (8 arguments)",
             fname);
    endif
    alpha = __adagrad_check__ (fname, "ALPHA", alpha, "positive");
    resnorm = __adagrad_check__ (fname, "RESNORM", resnorm, "nonnegative");
    n = __adagrad_check__ (fname, "N", n, "posint");
  elseif (nargin != 5)
    error ("adagrad:badinput", "%s: the %s rule takes 5 arguments, got %d",
           fname, rule, nargin);
  else
    [alpha, resnorm, n] = deal (1, 0, 1);
  endif
  W = __adagrad_check__ (fname, "W", W, "matrix", [NaN NaN]);
  G = __adagrad_check__ (fname, "G", G, "matrix", size (W));
  eta = __adagrad_check__ (fname, "ETA", eta, "nonnegative");
  if (strcmp (rule, "gd"))
    b = __adagrad_check__ (fname, "B", b, "nonnegative");
  else
    b = __adagrad_check__ (fname, "B", b, "positive");
  endif
  [W, G] = __adagrad_same_class__ (W, G);
  [W, b, step] = __adagrad_step__ (W, G, b, rule, eta, alpha, resnorm, n);
endfunction

%!demo
%! ## AdaLoss by hand: b grows while the loss is large, then settles.
%! [X, y] = adagrad_data (50, 10, "seed", 1);
%! net = adagrad_init (10, 500, "seed", 2);
%! W = net.W; b = 0.1;
%! for k = 1:200
%!   [G, L, u] = adagrad_gradient (W, net.a, X, y);
%!   [W, b] = adagrad_step (W, G, b, "adaloss", 1, 0.1, norm (u - y), numel (y));
%!   if (any (k == [1 10 50 200]))
%!     printf ("k = %3d  loss %.3e  b %.4f  step %.4f\n", k, L, b, 1 / b);
%!   endif
%! endfor

%!shared W, G
%! W = [1 2; 3 4]; G = [0.5 -1; 2 0];

%!test
%! [W1, b, s] = adagrad_step (W, G, 2, "gd", 0.3);
%! assert (W1, W - 0.3 * G, eps);
%! assert ([b s], [2 0.3]);

%!test
%! [W1, b, s] = adagrad_step (W, G, 2, "adagrad-norm", 0.3);
%! assert (b, sqrt (4 + 5.25), eps);
%! assert (s, 0.3 / sqrt (9.25), eps);
%! assert (W1, W - s * G, 4 * eps);

%!test
%! [W1, b, s] = adagrad_step (W, G, 2, "adaloss", 0.3, 0.5, 3, 4);
%! assert (b, sqrt (4 + 0.25 * 2 * 3), eps);
%! assert (W1, W - 0.3 / sqrt (5.5) * G, 4 * eps);

%!test
%! ## eta = 0 leaves W unchanged; b never decreases.
%! [W1, b] = adagrad_step (W, G, 2, "adagrad-norm", 0);
%! assert (W1, W);
%! assert (b >= 2);
%! [W1, b] = adagrad_step (W, zeros (2), 2, "adaloss", 1, 1, 0, 5);
%! assert (W1, W);
%! assert (b, 2);

%!test
%! ## Single W: single result (updated in double, then rounded), double b.
%! [W1, b, s] = adagrad_step (single (W), G, 2, "adagrad-norm", 0.3);
%! assert ({class(W1), class(b)}, {"single", "double"});
%! assert (W1, single (W - s * G));
%! assert (b, sqrt (9.25), eps);

%!error <Invalid call> adagrad_step (W, G, 1, "gd")
%!error <adagrad_step: RULE must be one of "gd", "adagrad-norm", "adaloss"> adagrad_step (W, G, 1, "adam", 1)
%!error <adagrad_step: the adaloss rule needs ALPHA, RESNORM and N> adagrad_step (W, G, 1, "adaloss", 1)
%!error <adagrad_step: the gd rule takes 5 arguments, got 6> adagrad_step (W, G, 1, "gd", 1, 2)
%!error <adagrad_step: ALPHA must be a positive> adagrad_step (W, G, 1, "adaloss", 1, 0, 1, 2)
%!error <adagrad_step: RESNORM must be a nonnegative> adagrad_step (W, G, 1, "adaloss", 1, 1, -1, 2)
%!error <adagrad_step: N must be a positive integer> adagrad_step (W, G, 1, "adaloss", 1, 1, 1, 0)
%!error <adagrad_step: G must be 2 rows by 2 columns \(got 2-by-3\)> adagrad_step (W, [G G(:,1)], 1, "gd", 1)
%!error <adagrad_step: ETA must be a nonnegative> adagrad_step (W, G, 1, "gd", -1)
%!error <adagrad_step: B must be a positive> adagrad_step (W, G, 0, "adagrad-norm", 1)
%!error <adagrad_step: B must be a nonnegative> adagrad_step (W, G, NaN, "gd", 1)
