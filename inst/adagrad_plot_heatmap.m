## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{h} =} adagrad_plot_heatmap (@var{results}, @var{rows}, @var{cols})
## @deftypefnx {} {@var{h} =} adagrad_plot_heatmap (@dots{}, @var{name}, @var{value}, @dots{})
## Heatmap of the iterations to the tolerance over a grid of settings from
## @code{adagrad_sweep}: one row per value of the field @var{rows} and one
## column per value of the field @var{cols} (e.g. @qcode{"b0"} and
## @qcode{"width"}, or @qcode{"b0"} and @qcode{"optimizer"}).  Where several
## results share a cell because they differ only in their seed, the median
## over the seeds is shown (and the title says over how many).  Any other
## setting that varies in @var{results} (an optimizer, a step size) is never
## summarized: the call is refused, naming it, unless it is fixed with
## @qcode{"fix"}, @{@var{name}, @var{value}, @dots{}@} (or a struct), which
## keeps the results with those values, or drawn with @qcode{"panels"},
## @var{name}: one heatmap per value, stacked, on one colour scale.  Colour
## is log10 of the iterations; each cell is labelled with the count, or with
## "div" (diverged) or "max" (the tolerance was not reached); a cell of
## the grid without any result (a sweep collected with
## @code{adagrad_sweep_collect} before it finished) is white and labelled
## "none".
##
## With @qcode{"value", "vaccuracy"} the cells show the accuracy on the
## validation data (@code{hist.vaccuracy} at the run's last evaluation
## point: the test accuracy where the test set was the validation) instead
## of the iterations, with @qcode{"accuracy"} the training accuracy there
## (@code{hist.accuracy}); the colour is then the accuracy itself (light:
## high), each cell labelled with it (the median over seeds) or "div".
##
## Options: @qcode{"parent"} (figure, uipanel or axes), @qcode{"file"} (PNG, SVG or
## PDF), @qcode{"title"}, @qcode{"fix"}, @qcode{"panels"} and @qcode{"value"}
## (@qcode{"iterations"}, default; @qcode{"accuracy"}, @qcode{"vaccuracy"}).  Returns a struct with fields @code{axes},
## @code{image}, @code{text} (the cell labels), @code{data} (the matrix of
## iterations, NaN where not reached), @code{rows} and @code{cols} (the
## values along each axis), @code{colnames} (the column names' texts) and
## @code{panel} (the panel's value; empty without panels), one element per
## panel, when asked for.  Integers are named in full (16000); a column name wider
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
  opts = __adagrad_options__ (fname, struct ("parent", [], "file", "", "title", "",
                                             "fix", {{}}, "panels", "",
                                             "value", "iterations"), varargin{:});
  value = __adagrad_check__ (fname, "VALUE", opts.value, "choice",
                             {"iterations", "accuracy", "vaccuracy"});
  if (! strcmp (value, "iterations") && ! isfield (results, "hist"))
    error ("adagrad:badinput", "%s: VALUE \"%s\" needs the histories of the results (field hist)",
           fname, value);
  endif
  results = fix_values (fname, results, opts.fix, {rowf, colf});
  if (! isempty (opts.panels))
    if (! ischar (opts.panels) || ! isfield (results, opts.panels)
        || any (strcmp (opts.panels, {rowf, colf})))
      error ("adagrad:badinput", "%s: PANELS must name a field of RESULTS other than ROWS and COLS",
             fname);
    endif
    [pv, pi] = axis_values ({results.(opts.panels)});
  else
    [pv, pi] = deal ({[]}, ones (1, numel (results)));
  endif
  [rv, ri] = axis_values ({results.(rowf)});
  [cv, ci] = axis_values ({results.(colf)});
  ## Every other setting that differs within a cell must be fixed or drawn
  ## as panels: a median across optimizers would hide which converged.
  key = sub2ind ([numel(rv), numel(cv), numel(pv)], ri, ci, pi);
  [vary, seeds] = varying (results, key, {rowf, colf, opts.panels});
  if (! isempty (vary))
    [f, v] = deal (vary{1}{:});
    error ("adagrad:badinput",
           "%s: the results also vary in %s (%s); a cell's median over them would hide which converged: give \"fix\", {\"%s\", %s} to draw one value, or \"panels\", \"%s\" for one heatmap per value",
           fname, f, strjoin (names (v), ", "), f, quoted (v{1}), f);
  endif
  np = numel (pv);
  [data, label] = deal (cell (1, np));
  for q = 1:np
    [data{q}, label{q}] = cells (results, ri, ci, pi == q, numel (rv), numel (cv), value);
  endfor
  __adagrad_axes__ (fname, "check", opts.file);
  L = __adagrad_axes__ (fname, "layout", opts.parent, np, false);
  all_data = cell2mat (cellfun (@(d) d(:), data, "uniformoutput", false)');
  scale = merge (strcmp (value, "iterations"), @log10, @(v) v);
  lim = [min(scale (all_data)), max(scale (all_data))];
  t = opts.title;
  if (isempty (t))
    t = merge (strcmp (value, "iterations"), "iterations to tolerance",
               merge (strcmp (value, "vaccuracy"), "validation accuracy", "training accuracy"));
  endif
  if (seeds > 1)
    t = sprintf ("%s, median of %d seeds", t, seeds);
  endif
  for q = 1:np
    tq = t;
    if (np > 1)
      tq = sprintf ("%s: %s", opts.panels, names (pv(q)){1});
      if (q == 1)
        tq = [t "; " tq];
      endif
    endif
    hq = draw (L.panels(q), data{q}, label{q}, rv, cv, rowf, colf, tq, lim, value, scale);
    if (np > 1)
      hq.panel = pv{q};
    endif
    h(q) = hq;
  endfor
  __adagrad_axes__ (fname, "save", L.panels(1), opts.file);
  if (nargout == 0)
    clear h;
  endif
endfunction

## One heatmap's counts (or accuracies, VALUE) and labels: the median over
## the results of a cell.
function [data, label] = cells (results, ri, ci, in, nr, nc, value)
  data = NaN (nr, nc);
  label = cell (nr, nc);
  for i = 1:nr
    for j = 1:nc
      sel = results(in & ri == i & ci == j);
      if (isempty (sel))
        ## No result for this cell (a sweep collected before it finished).
        label{i, j} = "none";
        continue;
      endif
      if (strcmp (value, "iterations"))
        it = [sel.iterations];
      else
        ## The last accuracy a run recorded; none where it diverged.
        it = arrayfun (@(r) last_finite (r.hist.(value)), sel);
        it(strcmp ({sel.stop}, "diverged")) = NaN;
        data(i, j) = median (it);
        if (isnan (data(i, j)))
          label{i, j} = merge (any (strcmp ({sel.stop}, "diverged")), "div", "none");
        else
          label{i, j} = sprintf ("%.3f", data(i, j));
        endif
        continue;
      endif
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
endfunction

## The last finite entry of V (NaN if none).
function v = last_finite (v)
  v = v(isfinite (v));
  if (isempty (v))
    v = NaN;
  else
    v = double (v(end));
  endif
endfunction

## One heatmap in AX: SCALE (log10 for iterations) maps the data to colour.
function h = draw (ax, data, label, rv, cv, rowf, colf, t, lim, value, scale)
  ## Room for the row names on the left, the column names below and the
  ## colour bar on the right.
  p = get (ax, "position");
  set (ax, "position", [p(1) + 0.08 * p(3), p(2) + 0.12 * p(4), 0.72 * p(3), 0.84 * p(4)]);
  img = imagesc (ax, scale (data));
  set (ax, "ydir", "normal", "xtick", 1:numel (cv), "ytick", 1:numel (rv),
       "xticklabel", {}, "yticklabel", names (rv));
  axis (ax, [0.5, numel(cv) + 0.5, 0.5, numel(rv) + 0.5]);
  ## Light yellow: few iterations; dark red: many (no white, which is the
  ## page).  Cells that never reached the tolerance are grey, cells without
  ## a result white with "none".
  ## For accuracies light is high.
  iters = strcmp (value, "iterations");
  cmap = hot (80);
  if (iters)
    cmap = flipud (cmap);
  endif
  colormap (ax, cmap(9:72, :));
  if (all (isfinite (lim)) && diff (lim) > 0)
    caxis (ax, lim);
  endif
  cb = colorbar (ax);
  ylabel (cb, merge (iters, "log10 iterations",
                     merge (strcmp (value, "vaccuracy"), "validation accuracy", "accuracy")));
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
      pos = (scale (data(i, j)) - lim(1)) / diff (lim);
      dark = (all (isfinite (lim)) && diff (lim) > 0 && isfinite (data(i, j))
              && merge (iters, pos > 0.55, pos < 0.45));
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
  t = [t merge(iters, " (div: diverged, max: not reached)", " (div: diverged)")];
  if (slanted)
    t = sprintf ("%s; columns: %s", t, colf);
  endif
  title (ax, t, "interpreter", "none", "fontsize", 11);
  h = struct ("axes", ax, "image", img, "text", ht, "data", data, "rows", {rv},
              "cols", {cv}, "colnames", hx, "panel", []);
endfunction

## RESULTS restricted by FIX: a cell {name, value, ...} or a struct.
function results = fix_values (fname, results, fix, axes)
  if (isstruct (fix) && isscalar (fix))
    fix = [fieldnames(fix)'; struct2cell(fix)'](:)';
  endif
  if (! iscell (fix) || mod (numel (fix), 2) != 0)
    error ("adagrad:badinput", "%s: FIX must be a cell {NAME, VALUE, ...} or a struct", fname);
  endif
  for k = 1:2:numel (fix)
    [f, v] = deal (fix{k:k+1});
    if (! ischar (f) || ! isfield (results, f) || any (strcmp (f, axes)))
      error ("adagrad:badinput", "%s: FIX names fields of RESULTS other than ROWS and COLS",
             fname);
    endif
    keep = cellfun (@(x) isequal (x, v), {results.(f)});
    if (! any (keep))
      [vals] = axis_values ({results.(f)});
      error ("adagrad:badinput", "%s: no result has %s = %s (it takes %s)", fname, f,
             quoted (v), strjoin (names (vals), ", "));
    endif
    results = results(keep);
  endfor
endfunction

## The settings that differ between results of one cell (KEY: the cell of
## each result), seeds apart, as {name, values} pairs; a setting that follows
## from the axes (gd's eta from b0) is not one.  SEEDS: the most seeds a cell
## holds.
function [vary, seeds] = varying (results, key, skip)
  outcome = {"iterations", "loss", "stop", "time", "hist", "step"};
  vary = {};
  seeds = 1;
  for f = setdiff (fieldnames (results)', [outcome, skip], "stable")
    c = {results.(f{1})};
    if (! (iscellstr (c) || all (cellfun (@(x) isnumeric (x) && isscalar (x), c))))
      continue;
    endif
    [v, idx] = axis_values (c);
    most = max (accumarray (key(:), idx(:), [], @(x) numel (unique (x))));
    if (strcmp (f{1}, "seed"))
      seeds = most;
    elseif (most > 1)
      vary{end+1} = {f{1}, v};
    endif
  endfor
endfunction

function s = quoted (v)
  if (ischar (v))
    s = ["\"" v "\""];
  else
    s = name (v);
  endif
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
    ## Numbers in order, NaN one value after them (unique keeps every NaN
    ## apart).
    v = cell2mat (c);
    nan = isnan (v);
    [vals, ~, idx] = unique (v(! nan));
    vals = num2cell (vals(:)');
    idx = reshape (idx, 1, []);
    all_idx = zeros (1, numel (v));
    all_idx(! nan) = idx;
    all_idx(nan) = numel (vals) + 1;
    if (any (nan))
      vals{end+1} = NaN;
    endif
    idx = all_idx;
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

%!test
%! ## Three optimizers over b0 and width: refused, naming the setting that
%! ## varies, rather than a median over optimizers; "fix" keeps one value,
%! ## "panels" draws one heatmap per value on one colour scale.
%! q = struct ("optimizer", repmat ({"gd", "adagrad-norm", "adaloss"}, 1, 2),
%!             "b0", num2cell (kron ([0.1 1], [1 1 1])), "width", 100, "seed", 1,
%!             "eta", 1, "iterations", {NaN, 50, 40, 30, 60, 45},
%!             "stop", {"diverged", "converged", "converged", "converged", "converged", "converged"});
%! fail ("adagrad_plot_heatmap (q, 'b0', 'width')", "the results also vary in optimizer \\(gd, adagrad-norm, adaloss\\); .*\"fix\", \\{\"optimizer\", \"gd\"\\} .*\"panels\", \"optimizer\"");
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot_heatmap (q, "b0", "width", "parent", fig, "fix", {"optimizer", "adaloss"});
%!   assert (h.data, [40; 45]);
%!   assert (isempty (h.panel));
%!   h = adagrad_plot_heatmap (q, "b0", "width", "parent", fig, "fix", struct ("optimizer", "gd"));
%!   assert (h.data, [NaN; 30]);
%!   assert (get (h.text(1), "string"), "div");
%!   h = adagrad_plot_heatmap (q, "b0", "width", "parent", fig, "panels", "optimizer", "file", tmp);
%!   assert (numel (h), 3);
%!   assert ({h.panel}, {"gd", "adagrad-norm", "adaloss"});
%!   assert ([h.data], [NaN 50 40; 30 60 45]);
%!   assert (numel (unique ([h.axes])), 3);
%!   ## One colour scale: every panel's limits are those of all the counts.
%!   for k = 1:3
%!     assert (get (h(k).axes, "clim"), log10 ([30 60]), 1e-12);
%!   endfor
%!   assert (strfind (get (get (h(1).axes, "title"), "string"), "optimizer: gd") > 0);
%!   assert (dir (tmp).bytes > 2000);
%!   ## Seeds are the one setting a cell summarizes, and the title says so.
%!   [q2, q3] = deal (q(3:3:end));
%!   [q3.seed] = deal (2);
%!   q2 = [q2, q3];
%!   [q2(3:4).iterations] = deal (20, 25);
%!   h = adagrad_plot_heatmap (q2, "b0", "width", "parent", fig);
%!   assert (h.data, [30; 35]);
%!   assert (strfind (get (get (h.axes, "title"), "string"), "median of 2 seeds") > 0);
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink (tmp);
%! end_unwind_protect
%!test
%! ## NaN is one value of an axis (unique keeps every NaN apart): one row.
%! q = struct ("optimizer", {"adam", "adam", "gd"}, "b0", {NaN, NaN, 1}, "width", {10, 20, 10},
%!             "iterations", {5, 6, 7}, "stop", "converged");
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot_heatmap (q, "b0", "width", "parent", fig, "fix", {"optimizer", "adam"});
%!   assert (numel (h.rows), 1);
%!   assert (isnan (h.rows{1}));
%!   assert (h.data, [5 6]);
%! unwind_protect_cleanup
%!   close (fig);
%! end_unwind_protect
%!test
%! ## "value", "vaccuracy": the last validation accuracy of each run (the
%! ## median over seeds), "div" where it diverged, the colour the accuracy
%! ## itself; "accuracy" the training accuracy.
%! [X, y] = adagrad_data (30, 10, "seed", 1);
%! c = 2 * (y > 0) - 1;
%! q = adagrad_sweep (X, c, "optimizer", {"gd", "adaloss"}, "b0", [0.01 1], "width", 100,
%!                    "seed", [1 2], "maxiter", 200, "validation", {X(1:10, :), c(1:10)},
%!                    "parallel", "off");
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot_heatmap (q, "b0", "optimizer", "parent", fig, "value", "vaccuracy",
%!                             "file", tmp);
%!   sel = q(strcmp ({q.optimizer}, "adaloss") & [q.b0] == 1);
%!   want = median (arrayfun (@(r) r.hist.vaccuracy(find (isfinite (r.hist.vaccuracy), 1, "last")), sel));
%!   assert (h.data(2, 2), want);
%!   assert (get (h.text(2, 2), "string"), sprintf ("%.3f", want));
%!   assert (get (h.text(1, 1), "string"), "div");
%!   assert (get (h.image, "cdata"), h.data);
%!   assert (strfind (get (get (h.axes, "title"), "string"), "validation accuracy") == 1);
%!   assert (dir (tmp).bytes > 2000);
%!   h = adagrad_plot_heatmap (q, "b0", "optimizer", "parent", fig, "value", "accuracy");
%!   assert (h.data(2, 2), median (arrayfun (@(r) r.hist.accuracy(end), sel)));
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink (tmp);
%! end_unwind_protect
%!error <VALUE must be one of "iterations", "accuracy", "vaccuracy"> adagrad_plot_heatmap (r, "b0", "width", "value", "loss")
%!error <VALUE "accuracy" needs the histories of the results> adagrad_plot_heatmap (struct ("iterations", 1, "stop", "converged", "b0", 1, "width", 2), "b0", "width", "value", "accuracy")
%!error <no result has optimizer = "adam" \(it takes gd, adaloss\)> adagrad_plot_heatmap (r, "b0", "width", "fix", {"optimizer", "adam"})
%!error <FIX names fields of RESULTS other than ROWS and COLS> adagrad_plot_heatmap (r, "b0", "width", "fix", {"b0", 1})
%!error <FIX must be a cell> adagrad_plot_heatmap (r, "b0", "width", "fix", {"optimizer"})
%!error <PANELS must name a field of RESULTS other than ROWS and COLS> adagrad_plot_heatmap (r, "b0", "width", "panels", "b0")
%!error <Invalid call> adagrad_plot_heatmap (r, "b0")
%!error <adagrad_plot_heatmap: RESULTS must be the output of adagrad_sweep> adagrad_plot_heatmap (struct ("a", 1), "b0", "width")
%!error <adagrad_plot_heatmap: ROWS and COLS must name fields of RESULTS> adagrad_plot_heatmap (r, "b0", "colour")
%!error <adagrad_plot_heatmap: unknown option "axes"> adagrad_plot_heatmap (r, "b0", "width", "axes", 1)
