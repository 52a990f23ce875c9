## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{h} =} adagrad_plot_heatmap (@var{results}, @var{rows}, @var{cols})
## @deftypefnx {} {@var{h} =} adagrad_plot_heatmap (@dots{}, @var{name}, @var{value}, @dots{})
## Heatmap of the iterations to the tolerance over a grid of settings from
## @code{adagrad_sweep}: one row per value of the field @var{rows} and one
## column per value of the field @var{cols} (e.g. @qcode{"b0"} and
## @qcode{"width"}, or @qcode{"b0"} and @qcode{"optimizer"}).  Where several
## results share a cell (other settings, seeds) the median is shown.  Colour
## is log10 of the iterations; each cell is labelled with the count, or with
## "div" (diverged) or "max" (the tolerance was not reached); a cell of
## the grid without any result (a sweep collected with
## @code{adagrad_sweep_collect} before it finished) is white and labelled
## "none".
##
## Options: @qcode{"parent"} (figure or uipanel), @qcode{"file"} (PNG, SVG or
## PDF) and @qcode{"title"}.  Returns a struct with fields @code{axes},
## @code{image}, @code{text} (the cell labels), @code{data} (the matrix of
## iterations, NaN where not reached), @code{rows} and @code{cols} (the
## values along each axis).
## @seealso{adagrad_sweep, adagrad_paper}
## @end deftypefn

function h = adagrad_plot_heatmap (results, rowf, colf, varargin)
  fname = "adagrad_plot_heatmap";
  if (nargin < 3)
    __adagrad_usage__ ("adagrad_plot_heatmap");
  endif
  if (! isstruct (results) || isempty (results)
      || ! all (isfield (results, {"iterations", "stop"})))
    error ("adagrad:badinput", "%s: RESULTS must be the output of adagrad_sweep", fname);
  endif
  for f = {rowf, colf}
    if (! ischar (f{1}) || ! isfield (results, f{1}))
      error ("adagrad:badinput", "%s: ROWS and COLS must name fields of RESULTS", fname);
    endif
  endfor
  opts = __adagrad_options__ (fname, struct ("parent", [], "file", "", "title", ""),
                              varargin{:});
  [rv, ri] = axis_values ({results.(rowf)});
  [cv, ci] = axis_values ({results.(colf)});
  data = NaN (numel (rv), numel (cv));
  label = cell (size (data));
  for i = 1:numel (rv)
    for j = 1:numel (cv)
      sel = results(ri == i & ci == j);
      if (isempty (sel))
        ## No result for this cell (a sweep collected before it finished).
        label{i, j} = "none";
        continue;
      endif
      it = [sel.iterations];
      data(i, j) = median (it);
      if (any (isnan (it)))
        ## Not reached by at least half of them: say why.
        if (isnan (data(i, j)))
          label{i, j} = merge (any (strcmp ({sel.stop}, "diverged")), "div", "max");
        else
          label{i, j} = sprintf ("%d*", round (data(i, j)));
        endif
      else
        label{i, j} = sprintf ("%d", round (data(i, j)));
      endif
    endfor
  endfor
  __adagrad_axes__ (fname, "check", opts.file);
  ax = __adagrad_axes__ (fname, "axes", opts.parent, 1);
  ## Room for long tick labels on the left and the colour bar on the right.
  set (ax, "position", [0.24 0.15 0.56 0.74]);
  img = imagesc (ax, log10 (data));
  set (ax, "ydir", "normal", "xtick", 1:numel (cv), "ytick", 1:numel (rv),
       "xticklabel", names (cv), "yticklabel", names (rv));
  axis (ax, [0.5, numel(cv) + 0.5, 0.5, numel(rv) + 0.5]);
  ## Light: few iterations; dark: many.  Cells that never reached the
  ## tolerance are grey.
  colormap (ax, flipud (hot (80))(1:64, :));
  lim = [min(log10 (data(:))), max(log10 (data(:)))];
  if (all (isfinite (lim)) && diff (lim) > 0)
    caxis (ax, lim);
  endif
  cb = colorbar (ax);
  ylabel (cb, "log10 iterations");
  ht = zeros (size (data));
  for i = 1:numel (rv)
    for j = 1:numel (cv)
      if (isnan (data(i, j)))
        patch (ax, j + [-0.5 0.5 0.5 -0.5], i + [-0.5 -0.5 0.5 0.5],
               merge (strcmp (label{i, j}, "none"), [1 1 1], [0.75 0.75 0.75]),
               "edgecolor", "none");
      endif
      dark = (all (isfinite (lim)) && diff (lim) > 0 && isfinite (data(i, j))
              && (log10 (data(i, j)) - lim(1)) / diff (lim) > 0.6);
      ht(i, j) = text (ax, j, i, label{i, j}, "horizontalalignment", "center",
                       "fontsize", 9, "color", merge (dark, [1 1 1], [0 0 0]));
    endfor
  endfor
  xlabel (ax, colf, "interpreter", "none");
  ylabel (ax, rowf, "interpreter", "none");
  t = opts.title;
  if (isempty (t))
    t = sprintf ("iterations to tolerance (div: diverged, max: not reached)");
  endif
  title (ax, t);
  h = struct ("axes", ax, "image", img, "text", ht, "data", data, "rows", {rv},
              "cols", {cv});
  __adagrad_axes__ (fname, "save", ax, opts.file);
endfunction

## The distinct values of one field, in order, and each result's index.
function [vals, idx] = axis_values (c)
  if (iscellstr (c))
    ## Names keep the order in which they first appear.
    [vals, idx] = deal ({}, zeros (1, numel (c)));
    for k = 1:numel (c)
      j = find (strcmp (vals, c{k}), 1);
      if (isempty (j))
        vals{end+1} = c{k};
        j = numel (vals);
      endif
      idx(k) = j;
    endfor
  else
    [vals, ~, idx] = unique (cell2mat (c));
    vals = num2cell (vals);
  endif
  idx = idx(:)';
endfunction

function s = names (vals)
  s = cellfun (@(v) num2str (v, 3), vals, "uniformoutput", false);
endfunction

%!demo
%! [X, y] = adagrad_data (60, 20, "seed", 1);
%! r = adagrad_sweep (X, y, "optimizer", {"gd", "adagrad-norm", "adaloss"},
%!                    "b0", 10 .^ (-2:2), "alpha", 0.1, "width", 500, "maxiter", 2000);
%! adagrad_plot_heatmap (r, "b0", "optimizer");

%!shared r, tmp
%! [X, y] = adagrad_data (20, 10, "seed", 1);
%! r = adagrad_sweep (X, y, "optimizer", {"gd", "adaloss"}, "b0", [0.01 1], "width", 200,
%!                    "seed", [1 2], "maxiter", 300, "parallel", "off");
%! warning ("off", "Octave:gnuplot-graphics");
%! if (isempty (getenv ("DISPLAY")))
%!   graphics_toolkit ("gnuplot");
%! endif
%! tmp = [tempname() ".png"];

%!test
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot_heatmap (r, "b0", "optimizer", "parent", fig, "file", tmp);
%!   assert (h.rows, {0.01, 1});
%!   assert (h.cols, {"gd", "adaloss"});
%!   sel = r(strcmp ({r.optimizer}, "adaloss") & [r.b0] == 1);
%!   assert (h.data(2, 2), median ([sel.iterations]));
%!   ## GD with step eta/b0 = 100 diverges: no count, the label says so.
%!   assert (isnan (h.data(1, 1)));
%!   assert (get (h.text(1, 1), "string"), "div");
%!   assert (get (h.image, "cdata"), log10 (h.data));
%!   assert (dir (tmp).bytes > 2000);
%!   ## Results collected before the sweep finished: a cell without any is
%!   ## white and says "none", not grey like a run that did not converge.
%!   part = r(! (strcmp ({r.optimizer}, "adaloss") & [r.b0] == 0.01));
%!   clf (fig);
%!   h = adagrad_plot_heatmap (part, "b0", "optimizer", "parent", fig);
%!   assert (get (h.text(1, 2), "string"), "none");
%!   assert (isnan (h.data(1, 2)));
%!   white = findobj (h.axes, "type", "patch", "facecolor", [1 1 1]);
%!   assert (numel (white), 1);
%!   assert (get (h.text(1, 1), "string"), "div");
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink (tmp);
%! end_unwind_protect

%!error <Invalid call> adagrad_plot_heatmap (r, "b0")
%!error <adagrad_plot_heatmap: RESULTS must be the output of adagrad_sweep> adagrad_plot_heatmap (struct ("a", 1), "b0", "width")
%!error <adagrad_plot_heatmap: ROWS and COLS must name fields of RESULTS> adagrad_plot_heatmap (r, "b0", "colour")
%!error <adagrad_plot_heatmap: unknown option "axes"> adagrad_plot_heatmap (r, "b0", "width", "axes", 1)
