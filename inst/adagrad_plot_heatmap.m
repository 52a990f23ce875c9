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
## Options: @qcode{"parent"} (figure, uipanel or axes), @qcode{"file"} (PNG, SVG or
## PDF) and @qcode{"title"}.  Returns a struct with fields @code{axes},
## @code{image}, @code{text} (the cell labels), @code{data} (the matrix of
## iterations, NaN where not reached), @code{rows} and @code{cols} (the
## values along each axis) and @code{colnames} (the column names' texts),
## when asked for.  Integers are named in full (16000); a column name wider
## than its column goes on two lines.
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
  L = __adagrad_axes__ (fname, "layout", opts.parent, 1, false);
  ax = L.panels;
  ## Room for the row names on the left, the column names below and the
  ## colour bar on the right.
  p = get (ax, "position");
  set (ax, "position", [p(1) + 0.08 * p(3), p(2) + 0.12 * p(4), 0.72 * p(3), 0.84 * p(4)]);
  img = imagesc (ax, log10 (data));
  set (ax, "ydir", "normal", "xtick", 1:numel (cv), "ytick", 1:numel (rv),
       "xticklabel", {}, "yticklabel", names (rv));
  axis (ax, [0.5, numel(cv) + 0.5, 0.5, numel(rv) + 0.5]);
  ## Light yellow: few iterations; dark red: many (no white, which is the
  ## page).  Cells that never reached the tolerance are grey, cells without
  ## a result white with "none".
  colormap (ax, flipud (hot (80))(9:72, :));
  lim = [min(log10 (data(:))), max(log10 (data(:)))];
  if (all (isfinite (lim)) && diff (lim) > 0)
    caxis (ax, lim);
  endif
  cb = colorbar (ax);
  ylabel (cb, "log10 iterations");
  ## Column names as text below their columns: smaller (down to 7 points)
  ## when one is wider than its column, then on two lines (at "-" or a
  ## space), then slanted, so that they never run together.
  hx = zeros (1, numel (cv));
  cn = names (cv);
  for j = 1:numel (cv)
    hx(j) = text (ax, j, 0.5, cn{j}, "horizontalalignment", "center",
                  "verticalalignment", "top", "fontsize", 11, "interpreter", "none");
  endfor
  wide = @() max (cellfun (@(e) e(3), ensure_cell (get (hx, "extent")))) > 0.95;
  for fs = 10:-1:7
    if (! wide ())
      break;
    endif
    set (hx, "fontsize", fs);
  endfor
  if (wide ())
    for j = 1:numel (cv)
      cut = regexp (cn{j}, '[- ]');
      if (! isempty (cut))
        [~, i] = min (abs (cut - numel (cn{j}) / 2));
        set (hx(j), "string", {cn{j}(1:cut(i)), cn{j}(cut(i)+1:end)});
      endif
    endfor
  endif
  if (wide ())
    set (hx, "string", "", "rotation", 30, "horizontalalignment", "right", "fontsize", 10);
    for j = 1:numel (cv)
      set (hx(j), "string", cn{j});
    endfor
  endif
  ht = zeros (size (data));
  for i = 1:numel (rv)
    for j = 1:numel (cv)
      if (isnan (data(i, j)))
        patch (ax, j + [-0.5 0.5 0.5 -0.5], i + [-0.5 -0.5 0.5 0.5],
               merge (strcmp (label{i, j}, "none"), [1 1 1], [0.75 0.75 0.75]),
               "edgecolor", [0.5 0.5 0.5]);
      endif
      dark = (all (isfinite (lim)) && diff (lim) > 0 && isfinite (data(i, j))
              && (log10 (data(i, j)) - lim(1)) / diff (lim) > 0.55);
      ht(i, j) = text (ax, j, i, label{i, j}, "horizontalalignment", "center",
                       "fontsize", 11, "color", merge (dark, [1 1 1], [0 0 0]));
    endfor
  endfor
  ## The axis name below the column names (which may take two lines): a
  ## text of its own, since gnuplot places x labels itself.  Under slanted
  ## names (whose reach Octave's extents do not give) it goes to the title.
  slanted = get (hx(1), "rotation") != 0;
  if (! slanted)
    e = cell2mat (ensure_cell (get (hx, "extent"))(:));
    text (ax, (numel (cv) + 1) / 2, min (e(:, 2)) - 0.02 * numel (rv), colf,
          "interpreter", "none", "fontsize", 11, "horizontalalignment", "center",
          "verticalalignment", "top");
  endif
  ylabel (ax, rowf, "interpreter", "none");
  t = opts.title;
  if (isempty (t))
    t = "iterations to tolerance";
  endif
  t = [t " (div: diverged, max: not reached)"];
  if (slanted)
    t = sprintf ("%s; columns: %s", t, colf);
  endif
  title (ax, t, "interpreter", "none", "fontsize", 11);
  if (nargout > 0)
    h = struct ("axes", ax, "image", img, "text", ht, "data", data, "rows", {rv},
                "cols", {cv}, "colnames", hx);
  endif
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

function c = ensure_cell (c)
  if (! iscell (c))
    c = {c};
  endif
endfunction

## Tick names: integers in full (16000, not 1.6e+03), others to 3 digits.
function s = names (vals)
  s = cellfun (@name, vals, "uniformoutput", false);
endfunction

function s = name (v)
  if (ischar (v))
    s = v;
  elseif (v == fix (v) && abs (v) < 1e9)
    s = sprintf ("%d", v);
  elseif (abs (v) >= 1000 && abs (v) < 1e9)
    s = sprintf ("%.0f", v);
  else
    s = sprintf ("%.3g", v);
  endif
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

%!test
%! ## Widths named in full; names wider than their column on two lines; the
%! ## column names do not overlap.
%! opt = {"adagrad-norm", "adaloss", "momentum", "nesterov", "adagrad-norm2", "rmsprop", "adam", "gd"};
%! q = struct ("optimizer", opt, "b0", 1, "width", 16000, "iterations", num2cell (10:17),
%!             "stop", "converged");
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot_heatmap (q, "width", "optimizer", "parent", fig);
%!   assert (get (h.axes, "yticklabel"), {"16000"});
%!   ## Eight long names: smaller, and on two lines or slanted.
%!   assert (get (h.colnames(1), "fontsize") < 11);
%!   s = get (h.colnames(1), "string");
%!   assert ((iscell (s) && strcmp (strjoin (s, ""), "adagrad-norm"))
%!           || get (h.colnames(1), "rotation") == 30);
%!   if (get (h.colnames(1), "rotation") == 0)
%!     set (h.colnames, "units", "data");
%!     e = cell2mat (get (h.colnames, "extent"));
%!     assert (all (e(1:end-1, 1) + e(1:end-1, 3) <= e(2:end, 1) + 1e-9));
%!   endif
%!   ## Three short names fit as they are, in the full size.
%!   h = adagrad_plot_heatmap (q(end-2:end), "width", "optimizer", "parent", fig);
%!   assert (get (h.colnames, "string"), {"rmsprop"; "adam"; "gd"});
%!   assert (get (h.colnames(1), "fontsize"), 11);
%! unwind_protect_cleanup
%!   close (fig);
%! end_unwind_protect

%!error <Invalid call> adagrad_plot_heatmap (r, "b0")
%!error <adagrad_plot_heatmap: RESULTS must be the output of adagrad_sweep> adagrad_plot_heatmap (struct ("a", 1), "b0", "width")
%!error <adagrad_plot_heatmap: ROWS and COLS must name fields of RESULTS> adagrad_plot_heatmap (r, "b0", "colour")
%!error <adagrad_plot_heatmap: unknown option "axes"> adagrad_plot_heatmap (r, "b0", "width", "axes", 1)
