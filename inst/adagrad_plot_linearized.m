## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{h} =} adagrad_plot_linearized (@var{lin}, @dots{})
## @deftypefnx {} {@var{h} =} adagrad_plot_linearized (@dots{}, @var{name}, @var{value}, @dots{})
## Plot runs against their linearized dynamics (results of
## @code{adagrad_linearized}, typically of several widths): the loss of the
## run (solid) and of its linearization (dashed, same style) on top, the
## relative distance ||u(k) - u_lin(k)|| / ||u(0) - y|| below, both against
## the iteration on log scales.  The theory says the distance shrinks like
## 1/sqrt(m).
##
## The runs can be separate arguments, a struct array or a cell array.
## Options: @qcode{"labels"} (default "m = WIDTH", with the rule when the
## runs have several), @qcode{"title"}, @qcode{"parent"} (figure, uipanel or
## axes), @qcode{"file"} (PNG, SVG or PDF), @qcode{"xlim"}, @qcode{"ylim"},
## @qcode{"xscale"} and @qcode{"legend"}, as in @code{adagrad_plot}.
## Returns (when asked) a struct with fields @code{axes}, @code{loss},
## @code{losslin}, @code{gap} (line handles) and @code{legend}.
## @seealso{adagrad_linearized, adagrad_plot}
## @end deftypefn

function h = adagrad_plot_linearized (varargin)
  fname = "adagrad_plot_linearized";
  [runs, labels, o] = __adagrad_runs__ (fname, {"iter", "loss", "losslin", "relgap"},
                                        struct (), varargin);
  n = numel (runs);
  for k = 1:n
    if (! all (isfield (runs{k}, {"width", "optimizer"})))
      error ("adagrad:badinput", "%s: run %d must be a result of adagrad_linearized",
             fname, k);
    endif
  endfor
  header = "";
  if (isempty (o.labels))
    rules = cellfun (@(r) r.optimizer, runs, "UniformOutput", false);
    if (numel (unique (rules)) == 1)
      labels = cellfun (@(r) sprintf ("m = %d", r.width), runs, "UniformOutput", false);
      header = rules{1};
    else
      labels = cellfun (@(r) sprintf ("%s, m = %d", r.optimizer, r.width), runs,
                        "UniformOutput", false);
    endif
  endif
  __adagrad_axes__ (fname, "check", o.file);
  L = __adagrad_axes__ (fname, "layout", o.parent, 2, o.legend);
  ax = L.panels;
  set (ax, "yscale", "log");
  st = __adagrad_axes__ (fname, "styles", n);
  [hl, hn, hg] = deal (zeros (1, n));
  pos = @(v) merge (v > 0, v, NaN);
  for k = 1:n
    r = runs{k};
    hl(k) = plot (ax(1), r.iter, pos (r.loss), st{k}{:});
    hn(k) = plot (ax(1), r.iter, pos (r.losslin), st{k}{:}, "linestyle", "--");
    hg(k) = plot (ax(2), r.iter, pos (r.relgap), st{k}{:});
  endfor
  __adagrad_axes__ (fname, "logticks", ax, [], 1e3);
  t = "loss of the run (solid) and of its linearization (dashed)";
  if (! isempty (o.title))
    t = o.title;
  endif
  header = __adagrad_axes__ (fname, "title", ax(1), t, header);
  ylabel (ax(1), "loss");
  title (ax(2), "||u(k) - u_{lin}(k)|| / ||u(0) - y||", "fontsize", 11);
  ylabel (ax(2), "relative distance");
  xlabel (ax(2), "iteration");
  __adagrad_axes__ (fname, "frame", ax, o, cellfun (@(r) r.iter, runs, "UniformOutput", false));
  lg = __adagrad_axes__ (fname, "legend", L, st, labels, header);
  if (nargout > 0)
    h = struct ("axes", ax, "loss", hl, "losslin", hn, "gap", hg, "legend", lg);
  endif
  __adagrad_axes__ (fname, "save", ax, o.file);
endfunction

%!demo
%! [X, y] = adagrad_data (100, 20, "seed", 1);
%! [~, ~, normH] = adagrad_gram (X);
%! lin = {};
%! for m = [250 1000 4000]
%!   [net, h] = adagrad_train (X, y, "width", m, "optimizer", "gd", "eta", 1 / normH,
%!                             "maxiter", 300, "tol", 0, "seed", 2);
%!   lin{end+1} = adagrad_linearized (net, h, X, y, "every", 5);
%! endfor
%! adagrad_plot_linearized (lin);

%!test
%! warning ("off", "Octave:gnuplot-graphics");
%! if (isempty (getenv ("DISPLAY")))
%!   graphics_toolkit ("gnuplot");
%! endif
%! [X, y] = adagrad_data (30, 5, "seed", 1);
%! lin = {};
%! for m = [50 400]
%!   [net, h] = adagrad_train (X, y, "width", m, "optimizer", "gd", "eta", 0.3, "maxiter", 20,
%!                             "tol", 0, "seed", 2);
%!   lin{end+1} = adagrad_linearized (net, h, X, y);
%! endfor
%! fig = figure ("visible", "off");
%! f = [tempname() ".png"];
%! unwind_protect
%!   h = adagrad_plot_linearized (lin, "parent", fig, "file", f);
%!   assert (get (h.gap(2), "ydata")(:), lin{2}.relgap);
%!   assert (get (h.losslin(1), "ydata")(:), lin{1}.losslin);
%!   assert (get (h.losslin(1), "linestyle"), "--");
%!   assert (get (h.legend.text, "string"), {"m = 50"; "m = 400"});
%!   assert (get (h.legend.header, "string"), "gd");
%!   assert (dir (f).bytes > 2000);
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink (f);
%! end_unwind_protect

%!error <Invalid call> adagrad_plot_linearized ()
%!error <run 1 must be a history struct> adagrad_plot_linearized (struct ("a", 1))
%!error <run 1 must be a result of adagrad_linearized> adagrad_plot_linearized (struct ("iter", 1, "loss", 1, "losslin", 1, "relgap", 1))
