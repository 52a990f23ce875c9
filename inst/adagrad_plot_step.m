## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{h} =} adagrad_plot_step (@var{hist}, @dots{})
## @deftypefnx {} {@var{h} =} adagrad_plot_step (@dots{}, @var{name}, @var{value}, @dots{})
## Plot b(k) (top) and the effective step (bottom; @code{hist.step},
## @code{||W(k+1) - W(k)|| / ||G(k)||}, eta/b(k) for the rules with b) of one or several
## runs against the iteration, on log scales, with the stability reference
## line 2/||H_inf|| on the step axes.  The runs are histories or sweep
## results, as in @code{adagrad_plot}.
##
## This is where the two regimes of the theory show: from a small b0 the
## step starts far above 2/||H_inf|| and b grows until the step falls under
## it; from a large b0 the step starts below it and b hardly moves.
##
## Options: @qcode{"normH"} (||H_inf||, e.g. from @code{adagrad_gram}; no
## line without it), @qcode{"labels"}, @qcode{"title"}, @qcode{"parent"}
## (figure, uipanel or axes), @qcode{"file"} (PNG, SVG or PDF),
## @qcode{"xlim"}, @qcode{"ylim"}, @qcode{"xscale"} and @qcode{"legend"}, as
## in @code{adagrad_plot} (the reference line spans the x axis).  Returns (when asked) a struct with fields
## @code{axes}, @code{b}, @code{step} (line handles), @code{ref} (the
## reference line, or empty) and @code{legend} (its axes, lines and texts).
## @seealso{adagrad_plot, adagrad_gram, adagrad_paper}
## @end deftypefn

function h = adagrad_plot_step (varargin)
  fname = "adagrad_plot_step";
  [runs, labels, opts, common] = __adagrad_runs__ (fname, {"iter", "b", "step"},
                                                   struct ("normH", []), varargin);
  normH = opts.normH;
  if (! isempty (normH))
    normH = __adagrad_check__ (fname, "NORMH", normH, "positive");
  endif
  __adagrad_axes__ (fname, "check", opts.file);
  L = __adagrad_axes__ (fname, "layout", opts.parent, 2, opts.legend);
  ax = L.panels;
  set (ax, "yscale", "log");
  st = __adagrad_axes__ (fname, "styles", numel (runs));
  hb = hs = zeros (1, numel (runs));
  for k = 1:numel (runs)
    r = runs{k};
    hb(k) = plot (ax(1), r.iter, r.b, st{k}{:});
    hs(k) = plot (ax(2), r.iter, r.step, st{k}{:});
  endfor
  span = __adagrad_axes__ (fname, "frame", ax, opts, cellfun (@(r) r.iter, runs,
                                                              "UniformOutput", false));
  href = [];
  if (! isempty (normH))
    href = plot (ax(2), span, 2 / normH * [1 1], "k--", "linewidth", 1);
    text (ax(2), span(2), 2 / normH, sprintf ("2/||H_{inf}|| = %.3g  ", 2 / normH),
          "horizontalalignment", "right", "verticalalignment", "bottom", "fontsize", 9);
  endif
  __adagrad_axes__ (fname, "logticks", ax, [], 1e3);
  ylabel (ax(1), "b(k)");
  t = "b(k): the adaptive denominator";
  if (! isempty (opts.title))
    t = opts.title;
  endif
  common = __adagrad_axes__ (fname, "title", ax(1), t, common);
  xlabel (ax(2), "iteration");
  ylabel (ax(2), "\\eta / b(k)");
  title (ax(2), "effective step and the stability line 2/||H_{inf}||", "fontsize", 11);
  lg = __adagrad_axes__ (fname, "legend", L, st, labels, common);
  if (nargout > 0)
    h = struct ("axes", ax, "b", hb, "step", hs, "ref", href, "legend", lg);
  endif
  __adagrad_axes__ (fname, "save", ax, opts.file);
endfunction

%!demo
%! [X, y] = adagrad_data (100, 20, "seed", 1);
%! [~, ~, normH] = adagrad_gram (X);
%! [~, h1] = adagrad_train (X, y, "width", 1000, "b0", 0.01, "alpha", 0.1, "maxiter", 300, "seed", 2);
%! [~, h2] = adagrad_train (X, y, "width", 1000, "b0", 100, "alpha", 0.1, "maxiter", 300, "seed", 2);
%! adagrad_plot_step (h1, h2, "normH", normH, "labels", {"b0 = 0.01", "b0 = 100"});

%!shared h1, h2, tmp
%! [X, y] = adagrad_data (30, 5, "seed", 1);
%! [~, h1] = adagrad_train (X, y, "width", 100, "b0", 0.01, "maxiter", 30, "seed", 2);
%! [~, h2] = adagrad_train (X, y, "width", 100, "b0", 50, "maxiter", 20, "seed", 2);
%! warning ("off", "Octave:gnuplot-graphics");
%! if (isempty (getenv ("DISPLAY")))
%!   graphics_toolkit ("gnuplot");
%! endif
%! tmp = [tempname() ".png"];

%!test
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot_step (h1, h2, "normH", 4, "parent", fig, "file", tmp);
%!   assert (get (h.b(2), "ydata")(:), h2.b);
%!   assert (get (h.step(1), "ydata")(:), h1.step);
%!   assert (get (h.ref, "ydata"), [0.5 0.5]);
%!   assert (get (h.ref, "xdata"), [0 30]);
%!   assert (get (h.axes, "yscale"), {"log"; "log"});
%!   assert (dir (tmp).bytes > 2000);
%!   h = adagrad_plot_step (h1, "parent", fig);
%!   assert (isempty (h.ref));
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink (tmp);
%! end_unwind_protect

%!error <Invalid call to adagrad_plot_step> adagrad_plot_step ()
%!error <adagrad_plot_step: run 1 must be a history struct> adagrad_plot_step (struct ("iter", 1))
%!error <adagrad_plot_step: NORMH must be a positive> adagrad_plot_step (h1, "normH", -1)
%!error <adagrad_plot_step: FILE must end in .png> adagrad_plot_step (h1, "file", "a.gif")
