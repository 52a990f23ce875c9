## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{h} =} adagrad_plot_diagnostics (@var{hist}, @dots{})
## @deftypefnx {} {@var{h} =} adagrad_plot_diagnostics (@dots{}, @var{name}, @var{value}, @dots{})
## Plot the training diagnostics of one or several runs (typically of
## several widths) against the iteration: the fraction of activation patterns
## flipped since initialization (top), max_r ||w_r(k) - w_r(0)|| (middle) and
## ||W(k) - W(0)||_F (bottom).  The runs need the @qcode{"diagnostics"}
## option of @code{adagrad_train} (or of @code{adagrad_sweep}, whose results
## can be given as they are).  The theory says the first two shrink as
## the width m grows (Du et al., Sec. 5).
##
## Options: @qcode{"labels"} (default: what differs between the runs, such
## as "m = WIDTH"), @qcode{"title"}, @qcode{"parent"}, @qcode{"file"},
## @qcode{"xlim"}, @qcode{"ylim"}, @qcode{"xscale"} and @qcode{"legend"}, as
## in @code{adagrad_plot}.  Returns (when asked) a struct with fields
## @code{axes}, @code{flips}, @code{move}, @code{dist} (line handles) and
## @code{legend} (its axes, lines and texts).
## @seealso{adagrad_train, adagrad_plot, adagrad_paper}
## @end deftypefn

function h = adagrad_plot_diagnostics (varargin)
  fname = "adagrad_plot_diagnostics";
  [runs, labels, opts, common] = __adagrad_runs__ (fname, {"iter", "diag"}, struct (),
                                                   varargin);
  for k = 1:numel (runs)
    if (isempty (runs{k}.diag.iter))
      error ("adagrad:badinput",
             "%s: run %d has no diagnostics (train with the DIAGNOSTICS option)",
             fname, k);
    endif
  endfor
  __adagrad_axes__ (fname, "check", opts.file);
  L = __adagrad_axes__ (fname, "layout", opts.parent, 3, opts.legend);
  ax = L.panels;
  st = __adagrad_axes__ (fname, "styles", numel (runs));
  [hf, hm, hd] = deal (zeros (1, numel (runs)));
  for k = 1:numel (runs)
    g = runs{k}.diag;
    hf(k) = plot (ax(1), g.iter, g.flips, st{k}{:});
    hm(k) = plot (ax(2), g.iter, g.move, st{k}{:});
    hd(k) = plot (ax(3), g.iter, g.dist, st{k}{:});
  endfor
  ## A few ticks on each short panel, so that their labels never touch.
  for a = ax
    yl = ylim (a);
    set (a, "ytick", unique ([yl(1), mean(yl), yl(2)]));
  endfor
  t = "fraction of activation patterns flipped since W(0)";
  if (! isempty (opts.title))
    t = opts.title;
  endif
  common = __adagrad_axes__ (fname, "title", ax(1), t, common);
  title (ax(2), "max_r ||w_r(k) - w_r(0)||", "fontsize", 11);
  title (ax(3), "||W(k) - W(0)||_F", "fontsize", 11);
  xlabel (ax(3), "iteration");
  __adagrad_axes__ (fname, "frame", ax, opts, cellfun (@(r) r.diag.iter, runs, "UniformOutput", false));
  lg = __adagrad_axes__ (fname, "legend", L, st, labels, common);
  if (nargout > 0)
    h = struct ("axes", ax, "flips", hf, "move", hm, "dist", hd, "legend", lg);
  endif
  __adagrad_axes__ (fname, "save", ax, opts.file);
endfunction

%!demo
%! [X, y] = adagrad_data (100, 20, "seed", 1);
%! for m = [250 1000 4000]
%!   [~, h(end+1)] = adagrad_train (X, y, "width", m, "optimizer", "gd", "eta", 0.3,
%!                                  "maxiter", 300, "diagnostics", 10, "seed", 2);
%! endfor
%! adagrad_plot_diagnostics (h(2:end));

%!shared runs, tmp
%! [X, y] = adagrad_data (30, 5, "seed", 1);
%! runs = {};
%! for m = [50 400]
%!   [~, runs{end+1}] = adagrad_train (X, y, "width", m, "optimizer", "gd", "eta", 0.2,
%!                                     "maxiter", 20, "diagnostics", 2, "seed", 2);
%! endfor
%! warning ("off", "Octave:gnuplot-graphics");
%! if (isempty (getenv ("DISPLAY")))
%!   graphics_toolkit ("gnuplot");
%! endif
%! tmp = [tempname() ".png"];

%!test
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot_diagnostics (runs, "parent", fig, "file", tmp);
%!   assert (numel (h.axes), 3);
%!   assert (get (h.flips(1), "ydata")(:), runs{1}.diag.flips);
%!   assert (get (h.move(2), "ydata")(:), runs{2}.diag.move);
%!   assert (get (h.dist(2), "xdata")(:), runs{2}.diag.iter);
%!   assert (get (h.legend.text, "string"), {"m = 50"; "m = 400"});
%!   ## What the runs share: in the title when it fits, else above the legend.
%!   tt = get (get (h.axes(1), "title"), "string");
%!   assert (strcmp (tt, "fraction of activation patterns flipped since W(0) - gd, eta = 0.2, n = 30")
%!           || strcmp (get (h.legend.header, "string"), "gd, eta = 0.2, n = 30"));
%!   assert (dir (tmp).bytes > 2000);
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink (tmp);
%! end_unwind_protect

%!error <Invalid call to adagrad_plot_diagnostics> adagrad_plot_diagnostics ()
%!error <adagrad_plot_diagnostics: run 1 must be a history struct> adagrad_plot_diagnostics (struct ("iter", 1))
%!error <adagrad_plot_diagnostics: run 1 has no diagnostics> adagrad_plot_diagnostics (struct ("iter", 1, "diag", struct ("iter", [], "flips", [], "move", [], "dist", [], "gram_iter", [], "lambda_min", [])))
%!error <adagrad_plot_diagnostics: run 1 has a field diag that is not the diagnostics struct> adagrad_plot_diagnostics (struct ("iter", 1, "diag", struct ("iter", [])))
