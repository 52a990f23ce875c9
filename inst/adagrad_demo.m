## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {} adagrad_demo ()
## @deftypefnx {} {@var{results} =} adagrad_demo (@var{name}, @var{value}, @dots{})
## Gradient descent, AdaGrad-Norm and AdaLoss on one synthetic data set: the
## claim of Wu, Du & Ward in a few seconds.
##
## From the same network and a small initial @code{b0}, four runs:
## gradient descent with the step @code{eta/b0} (too large: it diverges),
## gradient descent with a tuned step @code{1/lambda_max(H_inf)} (computed
## from the data), and AdaGrad-Norm and AdaLoss from @code{b0}, which find a
## working step by themselves.  The adaptive rules update b before they step:
## the first step they take is @code{eta/b1}, where b1 has already absorbed
## the first gradient (AdaGrad-Norm: @code{b1^2 = b0^2 + ||G(0)||^2}) or the
## first loss (AdaLoss: @code{b1^2 = b0^2 + alpha^2 sqrt(n) ||y - u(0)||}),
## never @code{eta/b0}.  Prints a summary table (the first step each run
## took) and plots the loss and the effective step of every run with
## @code{adagrad_plot} into the current figure.
##
## Options (defaults in parentheses): @qcode{"n"} (100), @qcode{"d"} (20)
## and @qcode{"seed"} (1) of the data (@code{adagrad_data}), @qcode{"width"}
## (1000), @qcode{"eta"} (1), @qcode{"b0"} (0.1), @qcode{"alpha"} (0.1, the
## AdaLoss scale), @qcode{"maxiter"} (20000), @qcode{"tol"} (1e-8),
## @qcode{"file"} (a PNG, SVG or PDF file to save the figure to) and
## @qcode{"verbose"} (true: print the table).
##
## @var{results} is a struct array with fields @code{name}, @code{optimizer},
## @code{step} (the first step taken, @code{hist.step(2)}; NaN when the run
## took none), @code{b1} (b after the first step's update, @code{hist.b(2)};
## NaN for gradient descent), @code{iterations}, @code{loss} (final),
## @code{stop}, @code{time} and @code{hist}; the figure's handles
## are not returned.
## @seealso{adagrad_train, adagrad_plot, adagrad_data}
## @end deftypefn

function results = adagrad_demo (varargin)
  fname = "adagrad_demo";
  __adagrad_built__ (fname);
  defaults = struct ("n", 100, "d", 20, "seed", 1, "width", 1000, "eta", 1,
                     "b0", 0.1, "alpha", 0.1, "maxiter", 20000, "tol", 1e-8,
                     "file", "", "verbose", true);
  o = __adagrad_options__ (fname, defaults, varargin{:});
  n = __adagrad_check__ (fname, "N", o.n, "posint");
  d = __adagrad_check__ (fname, "D", o.d, "posint");
  seed = __adagrad_check__ (fname, "SEED", o.seed, "count");
  m = __adagrad_check__ (fname, "WIDTH", o.width, "posint");
  eta = __adagrad_check__ (fname, "ETA", o.eta, "positive");
  b0 = __adagrad_check__ (fname, "B0", o.b0, "positive");
  alpha = __adagrad_check__ (fname, "ALPHA", o.alpha, "positive");
  maxiter = __adagrad_check__ (fname, "MAXITER", o.maxiter, "count");
  tol = __adagrad_check__ (fname, "TOL", o.tol, "nonnegative");
  o.verbose = __adagrad_check__ (fname, "VERBOSE", o.verbose, "logical");

  [X, y] = adagrad_data (n, d, "seed", seed);
  [~, ~, lmax] = adagrad_gram (X);
  net0 = adagrad_init (d, m, "seed", seed + 1, "b0", b0, "eta", eta, "alpha", alpha);
  runs = {"gd, step eta/b0", "gd", eta / b0, {};
          "gd, tuned step 1/||H_inf||", "gd", 1 / lmax, {};
          "adagrad-norm", "adagrad-norm", eta, {"b0", b0};
          "adaloss", "adaloss", eta, {"b0", b0, "alpha", alpha}};
  results = struct ("name", runs(:, 1)', "optimizer", runs(:, 2)', "step", [], "b1", [],
                    "iterations", [], "loss", [], "stop", "", "time", [], "hist", []);
  warn = warning ("off", "adagrad:diverged");
  unwind_protect
    for k = 1:rows (runs)
      tic ();
      [net, h] = adagrad_train (net0, X, y, "optimizer", runs{k, 2}, "eta", runs{k, 3},
                                runs{k, 4}{:}, "maxiter", maxiter, "tol", tol);
      h.label = runs{k, 1};
      ## The first step taken (hist.step(1) is NaN: no step produced
      ## iteration 0).
      [results(k).step, results(k).b1] = deal (NaN);
      if (numel (h.step) > 1)
        [results(k).step, results(k).b1] = deal (h.step(2), h.b(2));
      endif
      results(k).iterations = net.iter;
      results(k).loss = net.loss;
      results(k).stop = h.stop;
      results(k).time = toc ();
      results(k).hist = h;
    endfor
  unwind_protect_cleanup
    warning (warn);
  end_unwind_protect

  if (o.verbose)
    printf ("adagrad demo: n = %d, d = %d, width m = %d, eta = %g, b0 = %g, alpha = %g\n",
            n, d, m, eta, b0, alpha);
    printf ("||H_inf|| = %.4g: gradient descent is stable for steps below 2/||H_inf|| = %.4g\n\n",
            lmax, 2 / lmax);
    printf ("%-28s %12s %11s %12s  %-10s %8s\n", "method", "first step",
            "iterations", "final loss", "stop", "time");
    for k = 1:numel (results)
      r = results(k);
      printf ("%-28s %12.4g %11d %12.4e  %-10s %7.2fs\n", r.name, r.step,
              r.iterations, r.loss, r.stop, r.time);
    endfor
    printf ("\nAdaGrad-Norm and AdaLoss are given b0 = %g, as the first gradient descent\n", b0);
    printf ("run is given its step eta/b0 = %g (it ended: %s). They update b before they\n",
            eta / b0, results(1).stop);
    printf ("step: b1 = %.4g and %.4g after the first gradient and the first loss, so\n",
            results(3).b1, results(4).b1);
    printf ("their first steps are eta/b1 = %.4g and %.4g. Without tuning they ",
            results(3).step, results(4).step);
    if (all (strcmp ({results(3:4).stop}, "converged")))
      printf ("reach\nthe tolerance %g.\n", tol);
    else
      printf ("have not reached the\ntolerance %g in %d iterations: try a larger MAXITER or WIDTH.\n",
              tol, maxiter);
    endif
  endif
  adagrad_plot ([results.hist], "file", o.file);
endfunction

%!demo
%! adagrad_demo ("maxiter", 5000);

%!test
%! warning ("off", "Octave:gnuplot-graphics");
%! if (isempty (getenv ("DISPLAY")))
%!   graphics_toolkit ("gnuplot");
%! endif
%! fig = figure ("visible", "off");
%! file = [tempname() ".png"];
%! unwind_protect
%!   out = evalc ('r = adagrad_demo ("n", 30, "d", 30, "width", 500, "maxiter", 3000, "file", file);');
%!   assert ({r.optimizer}, {"gd", "gd", "adagrad-norm", "adaloss"});
%!   assert (r(1).stop, "diverged");
%!   assert (r(1).step, 10, -1e-12);   # ||W(1) - W(0)|| / ||G(0)||: eta/b0 to rounding
%!   assert (isnan ([r(1:2).b1 r(1).hist.step(1)]));
%!   assert ({r(2:4).stop}, {"converged", "converged", "converged"});
%!   assert (all ([r(2:4).loss] <= 1e-8));
%!   ## The first steps the adaptive rules took: eta/b1, b1 computed here
%!   ## from the first gradient (AdaGrad-Norm) and loss (AdaLoss).
%!   [X, y] = adagrad_data (30, 30, "seed", 1);
%!   net = adagrad_init (30, 500, "seed", 2);
%!   [G, ~, u] = adagrad_gradient (net.W, net.a, X, y);
%!   b1 = sqrt (0.1 ^ 2 + [sumsq(G(:)), 0.1 ^ 2 * sqrt(30) * norm(y - u)]);
%!   assert ([r(3:4).b1], b1, 1e-12 * max (b1));
%!   assert ([r(3:4).step], 1 ./ b1, 1e-12);
%!   assert (all ([r(3:4).step] < 10));
%!   assert (! isempty (strfind (out, "adagrad demo: n = 30, d = 30, width m = 500")));
%!   assert (! isempty (strfind (out, sprintf ("their first steps are eta/b1 = %.4g and %.4g", 1 ./ b1))));
%!   assert (! isempty (strfind (out, "Without tuning they reach\nthe tolerance 1e-08.")));
%!   assert (! isempty (regexp (out, ['adaloss\s+' sprintf('%.4g', r(4).step) '\s+\d+\s+\S+e-\d+\s+converged'], "once")));
%!   assert (dir (file).bytes > 2000);
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink (file);
%! end_unwind_protect

%!error <adagrad_demo: unknown option "m"> adagrad_demo ("m", 3)
%!error <adagrad_demo: N must be a positive integer> adagrad_demo ("n", 0)
%!error <adagrad_demo: D must be a positive integer> adagrad_demo ("d", -1)
%!error <adagrad_demo: SEED must be a non-negative integer> adagrad_demo ("seed", 0.5)
%!error <adagrad_demo: WIDTH must be a positive integer> adagrad_demo ("width", 0)
%!error <adagrad_demo: ETA must be a positive> adagrad_demo ("eta", 0)
%!error <adagrad_demo: B0 must be a positive> adagrad_demo ("b0", -1)
%!error <adagrad_demo: ALPHA must be a positive> adagrad_demo ("alpha", 0)
%!error <adagrad_demo: MAXITER must be a non-negative integer> adagrad_demo ("maxiter", 1.5)
%!error <adagrad_demo: TOL must be a nonnegative> adagrad_demo ("tol", -1)
%!error <adagrad_demo: VERBOSE must be true or false> adagrad_demo ("verbose", "yes")
