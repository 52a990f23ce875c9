## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{fmt} =} __adagrad_axes__ (@var{fname}, "check", @var{file})
## @deftypefnx {} {@var{L} =} __adagrad_axes__ (@var{fname}, "layout", @var{parent}, @var{nax}, @var{legend})
## @deftypefnx {} {@var{st} =} __adagrad_axes__ (@var{fname}, "styles", @var{n})
## @deftypefnx {} {@var{lg} =} __adagrad_axes__ (@var{fname}, "legend", @var{L}, @var{styles}, @var{labels}, @var{header})
## @deftypefnx {} {} __adagrad_axes__ (@var{fname}, "logticks", @var{ax}, @var{lim})
## @deftypefnx {} {} __adagrad_axes__ (@var{fname}, "logticks", @var{axes}, [], @var{ratio})
## @deftypefnx {} {@var{rest} =} __adagrad_axes__ (@var{fname}, "title", @var{ax}, @var{t}, @var{common})
## @deftypefnx {} {@var{xr} =} __adagrad_axes__ (@var{fname}, "frame", @var{axes}, @var{opts}, @var{xs})
## @deftypefnx {} {} __adagrad_axes__ (@var{fname}, "save", @var{ax}, @var{file})
## Internal: the figure plumbing of the plot helpers.  @qcode{"check"}
## validates an output file name (.png, .svg or .pdf) and returns the
## @code{print} device.
##
## @qcode{"layout"}: the region to draw in, from @var{parent}: a figure
## (empty: the current one) or a uipanel, whose contents are replaced, or an
## axes (a @code{subplot}), whose place (its outer position) is taken, so
## that several plots share a figure.  In it @var{nax} axes are stacked top
## to bottom, sharing the x axis (tick labels on the lowest only), with room
## on the left for the y labels and, when @var{legend} is true, a column on
## the right for the legend, outside the data.  @var{L} has fields
## @code{panels} (the axes) and @code{legend} (the legend's region).
##
## @qcode{"styles"}: @var{n} line styles (cells of line properties) that
## tell @var{n} runs apart: seven colours, then the same colours
## dash-dotted, then dotted, then with markers.  @qcode{"legend"}: one row
## per run in the legend column, a short line in the run's style and its
## label taken literally, in as many columns as the rows need, under
## @var{header} (what the runs share, in italics); @var{lg} has fields
## @code{axes}, @code{lines}, @code{text} and @code{header}.  @qcode{"logticks"}: a
## labelled tick at every decade of @var{lim} (every second, third, ...
## decade when there are more than eight), labelled 10^@{k@}; with an empty
## @var{lim}, on each log axes of @var{axes} whose y range spans more than
## @var{ratio}, over that range.
## @qcode{"title"}: @var{t} over @var{ax}, followed by " - " and
## @var{common} (what the runs share) when that still fits over the axes;
## @var{rest} is @var{common} when it did not (it then goes to the legend's
## header), else empty.  @qcode{"save"} prints the figure of @var{ax} to
## @var{file} when it is not empty.  @qcode{"frame"}: the shared x axis of
## @var{axes} (the scale and range of @var{opts}, the options of
## @code{__adagrad_runs__}, by default the range of the data @var{xs}, a cell
## of x vectors) and row k of @var{opts}.ylim on panel k; @var{xr} is the x
## range, for reference lines.  A @var{L} without a legend region (layout
## with @var{legend} false) gets no legend: @var{lg} is empty.
## @end deftypefn

function out = __adagrad_axes__ (fname, what, varargin)
  out = [];
  switch (what)
    case "check"
      out = device (fname, varargin{1});
    case "layout"
      out = layout (fname, varargin{:});
    case "styles"
      out = styles (varargin{1});
    case "legend"
      out = draw_legend (varargin{:});
    case "logticks"
      [ax, lim] = deal (varargin{1:2});
      if (! isempty (lim))
        logticks (ax, lim);
      else
        ## Each log axes of AX whose range spans more than RATIO.
        for a = ax(:)'
          yl = ylim (a);
          if (strcmp (get (a, "yscale"), "log") && all (yl > 0) && yl(2) / yl(1) > varargin{3})
            logticks (a, yl);
          endif
        endfor
      endif
    case "title"
      out = put_title (varargin{:});
    case "frame"
      out = frame (fname, varargin{:});
    case "save"
      [ax, file] = deal (varargin{:});
      fig = ancestor (ax(1), "figure");
      safe_texts (fig);
      if (! isempty (file))
        save_file (fname, fig, file);
      endif
    case "safe"
      out = safe_string (varargin{:});
    otherwise
      error ("adagrad:internal", "__adagrad_axes__: unknown request \"%s\"", what);
  endswitch
endfunction

function L = layout (fname, parent, nax, with_legend)
  region = [0 0 1 1];
  if (isempty (parent))
    parent = gcf ();
  endif
  if (! (isscalar (parent) && isnumeric (parent) && ishghandle (parent)
         && any (strcmp (get (parent, "type"), {"figure", "uipanel", "axes"}))))
    error ("adagrad:badinput", "%s: PARENT must be a figure, uipanel or axes handle",
           fname);
  endif
  type = get (parent, "type");
  fig = ancestor (parent, "figure");
  if (strcmp (type, "uipanel") && strcmp (get (fig, "__graphics_toolkit__"), "gnuplot"))
    error ("adagrad:badinput",
           "%s: PARENT: the gnuplot toolkit does not draw uipanels; give an axes instead (e.g. subplot (1, 2, 1)) to put several plots in one figure",
           fname);
  endif
  if (strcmp (type, "axes"))
    ## Take the axes' place in its container.
    old = get (parent, "units");
    set (parent, "units", "normalized");
    region = get (parent, "outerposition");
    set (parent, "units", old);
    container = get (parent, "parent");
    delete (parent);
  else
    container = parent;
    delete (get (parent, "children"));
  endif
  [x, y, w, h] = deal (region(1), region(2), region(3), region(4));
  left = x + 0.13 * w;
  right = x + w * merge (with_legend, 0.66, 0.96);
  bottom = y + 0.09 * h;
  top = y + 0.93 * h;
  gap = 0.065 * h;
  height = (top - bottom - gap * (nax - 1)) / nax;
  panels = zeros (1, nax);
  for k = 1:nax
    b = bottom + (nax - k) * (height + gap);
    panels(k) = axes ("parent", container, "position", [left b (right - left) height]);
  endfor
  set (panels, "nextplot", "add", "box", "on", "fontsize", 11);
  ## Shared x axis: tick labels on the lowest panel only.
  set (panels(1:end-1), "xticklabel", {});
  L = struct ("panels", panels, "container", container,
              "legend", [x + 0.68 * w, bottom, 0.31 * w, top - bottom]);
  if (! with_legend)
    L.legend = [];
  endif
endfunction

## The x axis of the panels AX (shared) and the y axes the user chose: the
## x scale and range of OPTS (the options of __adagrad_runs__; by default
## the range of the data XS, a cell of the x vectors drawn, so that the axis
## ends where the data do), and row k of OPTS.ylim on panel k.  Returns the
## x range, for reference lines that span the axes.
function xr = frame (fname, ax, opts, xs)
  islog = strcmp (opts.xscale, "log");
  set (ax, "xscale", opts.xscale);
  if (! isempty (opts.xlim))
    xr = opts.xlim;
    if (islog && xr(1) <= 0)
      error ("adagrad:badinput", "%s: XLIM must be positive on a log x axis", fname);
    endif
  else
    x = cell2mat (cellfun (@(v) v(:), xs(:)', "UniformOutput", false)');
    x = x(isfinite (x) & (! islog | x > 0));
    xr = [min(x), max(x)];
  endif
  if (numel (xr) == 2 && xr(1) < xr(2))
    set (ax, "xlim", xr);
  else
    ## One point (or none): the toolkit's range; the y limits still apply.
    xr = xlim (ax(1));
  endif
  ylims = opts.ylim;
  if (rows (ylims) > numel (ax))
    error ("adagrad:badinput", "%s: YLIM has %d rows for %d panels", fname, rows (ylims),
           numel (ax));
  endif
  for k = 1:rows (ylims)
    if (strcmp (get (ax(k), "yscale"), "log"))
      if (ylims(k, 1) <= 0)
        error ("adagrad:badinput", "%s: YLIM must be positive on a log axis (row %d)", fname, k);
      endif
      ylim (ax(k), ylims(k, :));
      logticks (ax(k), ylims(k, :));
    else
      ylim (ax(k), ylims(k, :));
    endif
  endfor
endfunction

## The legend's rows and columns for the labels HT under NH header lines:
## their extents, the row height, the top of the rows, rows and columns.
function [ext, dy, top, nrow, ncol] = legend_grid (ht, nh)
  n = numel (ht);
  ext = get (ht, "extent");
  if (iscell (ext))
    ext = cell2mat (ext(:));
  endif
  dy = 1.3 * max (ext(:, 4));
  top = 1 - nh * dy;
  nrow = max (1, min (n, floor (top / dy)));
  ncol = ceil (n / nrow);
  nrow = ceil (n / ncol);
endfunction

## LABEL's parts ("a, b, c") on as many lines as keep each within WIDTH
## (data units of T's axes), measured with the text T.
function lines = wrap (t, label, width)
  parts = strsplit (label, ", ");
  lines = {parts{1}};
  for k = 2:numel (parts)
    set (t, "string", [lines{end} ", " parts{k}]);
    if (get (t, "extent")(3) <= width)
      lines{end} = [lines{end} ", " parts{k}];
    else
      lines{end} = [lines{end} ","];
      lines{end+1} = parts{k};
    endif
  endfor
endfunction

function st = styles (n)
  colors = lines (7);
  kinds = {{"linestyle", "-"}, {"linestyle", "-."}, {"linestyle", ":"}, ...
           {"linestyle", "-", "marker", "o", "markersize", 3}};
  st = cell (1, n);
  for k = 1:n
    c = colors(mod (k - 1, 7) + 1, :);
    kind = kinds{mod (floor ((k - 1) / 7), numel (kinds)) + 1};
    st{k} = [{"color", c, "linewidth", 1.5}, kind];
  endfor
endfunction

## The legend in L's column: first HEADER (what the runs share), its parts
## joined into lines that fit the column, then one row per run, spaced by
## the labels' own heights, in more columns (and a smaller font, down to 6)
## when they do not fit.
function lg = draw_legend (L, st, labels, header)
  if (nargin < 4)
    header = "";
  endif
  if (isempty (L.legend))
    ## "legend", false: no legend column.
    lg = [];
    return;
  endif
  n = numel (labels);
  lax = axes ("parent", L.container, "position", L.legend, "visible", "off",
              "xlim", [0 1], "ylim", [0 1], "nextplot", "add");
  [hl, ht] = deal (zeros (1, n));
  for k = 1:n
    hl(k) = plot (lax, [0 1], [0 0], st{k}{:});
    ht(k) = text (lax, 0, 0, labels{k}, "interpreter", "none", "fontsize", 10,
                  "verticalalignment", "middle", "units", "data");
  endfor
  ## The header's lines: as many parts of "a, b, c" on a line as fit.
  hh = [];
  if (! isempty (header))
    parts = strsplit (header, ", ");
    line = parts{1};
    for k = 2:numel (parts) + 1
      if (k <= numel (parts))
        t = text (lax, 0, 0, [line ", " parts{k}], "fontsize", 10, "interpreter", "none");
        e = get (t, "extent");
        delete (t);
        if (e(3) <= 0.98)
          line = [line ", " parts{k}];
          continue;
        endif
      endif
      hh(end+1) = text (lax, 0.01, 0, line, "interpreter", "none", "fontsize", 10,
                        "verticalalignment", "middle", "fontangle", "italic");
      if (k <= numel (parts))
        line = parts{k};
      endif
    endfor
  endif
  for fs = 10:-1:6
    set ([ht hh], "fontsize", fs);
    [ext, dy, top, nrow, ncol] = legend_grid (ht, numel (hh));
    ## A short line, a gap, the label: all within its column.
    if (max (ext(:, 3)) + 0.2 / ncol <= 1 / ncol || fs == 6)
      break;
    endif
  endfor
  if (max (ext(:, 3)) + 0.2 / ncol > 1 / ncol)
    ## Still wider than its column at the smallest size: such labels go on
    ## lines of their parts ("a, b, c"), so that none runs past the figure.
    for k = find (ext(:, 3)' + 0.2 / ncol > 1 / ncol)
      set (ht(k), "string", wrap (ht(k), labels{k}, 1 / ncol - 0.2 / ncol));
    endfor
    [ext, dy, top, nrow, ncol] = legend_grid (ht, numel (hh));
  endif
  for k = 1:numel (hh)
    set (hh(k), "position", [0.01, 1 - (k - 0.5) * dy, 0]);
  endfor
  for k = 1:n
    c = floor ((k - 1) / nrow);
    r = mod (k - 1, nrow);
    x0 = c / ncol;
    yk = top - (r + 0.5) * dy;
    set (hl(k), "xdata", x0 + [0.01 0.06 0.11] * merge (ncol > 1, 0.6, 1),
         "ydata", [yk yk yk]);
    set (ht(k), "position", [x0 + 0.14 * merge(ncol > 1, 0.6, 1), yk, 0]);
  endfor
  lg = struct ("axes", lax, "lines", hl, "text", ht, "header", hh);
endfunction

## Title AX with T and, when the line still fits over the axes, what the
## runs share (COMMON, after " - "); returns what did not fit (for the
## legend's header), else "".
function rest = put_title (ax, t, common)
  rest = common;
  if (! isempty (common))
    h = title (ax, [t " - " common], "interpreter", "none", "fontsize", 11);
    old = get (h, "units");
    set (h, "units", "normalized");
    e = get (h, "extent");
    set (h, "units", old);
    if (e(3) <= 1)
      rest = "";
      return;
    endif
  endif
  title (ax, t, "interpreter", "none", "fontsize", 11);
endfunction

function logticks (ax, lim)
  lo = floor (log10 (lim(1)));
  hi = ceil (log10 (lim(2)));
  stride = max (1, ceil ((hi - lo) / 8));
  e = lo:stride:hi;
  names = arrayfun (@(k) sprintf ("10^{%d}", k), e, "UniformOutput", false);
  if (log10 (lim(2) / lim(1)) <= 2.5 && lo >= -3 && hi <= 6)
    ## A range of two decades or less: 1, 2 and 5 times each decade (or 1,
    ## 2, 3, 5, or 1 to 9, for at least three ticks), in plain numbers (one
    ## or two decade ticks alone say little).
    for m = {[1 2 5], [1 2 3 5], 1:9}
      t = kron (10 .^ (lo:hi), m{1});
      t = t(t >= lim(1) * (1 - 1e-12) & t <= lim(2) * (1 + 1e-12));
      if (numel (t) >= 3)
        break;
      endif
    endfor
    if (numel (t) >= 3)
      set (ax, "ytick", t, "yticklabel", arrayfun (@(v) sprintf ("%g", v), t,
                                                    "UniformOutput", false),
           "yminortick", "off");
      delete (findall (ax, "tag", "adagrad:tick"));
      return;
    endif
  endif
  set (ax, "ytick", 10 .^ e, "yticklabel", names, "yminortick", "off");
  ## Octave's gnuplot toolkit writes tick positions with 15 decimals, so
  ## ticks below 1e-15 come out as 0 and vanish: those decades get their
  ## label and tick mark drawn as objects of their own.
  delete (findall (ax, "tag", "adagrad:tick"));
  tiny = e(10 .^ e < 1e-15);
  if (! isempty (tiny))
    xl = xlim (ax);
    xlim (ax, xl);
    for k = tiny
      text (ax, xl(1), 10 ^ k, sprintf ("10^{%d} ", k), "horizontalalignment", "right",
            "verticalalignment", "middle", "fontsize", get (ax, "fontsize"),
            "tag", "adagrad:tick", "clipping", "off");
      line (ax, xl(1) + [0 0.015] * diff (xl), 10 ^ k * [1 1], "color", "k",
            "tag", "adagrad:tick", "handlevisibility", "off");
    endfor
  endif
endfunction

## Make every string drawn in FIG safe for the graphics toolkit: Octave's
## gnuplot toolkit writes texts, titles, labels and tick labels between
## double quotes into gnuplot's command stream, unescaped, so a newline, a
## quote or a trailing backslash in a label (kept as given, so it may come
## from a result file or a checkpoint) would run the rest as gnuplot
## commands, `system` included.  Every plot helper ends here ("save"), so
## this is the one place: control characters become spaces, and with the
## gnuplot toolkit a multi-line string becomes one line with gnuplot's own
## \n, backslashes and quotes are escaped (with the tex interpreter the
## markup's backslashes stay, quotes become '' and a trailing backslash
## goes).  Strings already made safe (marked with their safe value) are
## left, so that a figure passed through twice is escaped once.
function safe_texts (fig)
  gp = strcmp (get (fig, "__graphics_toolkit__"), "gnuplot");
  for h = findall (fig, "type", "text")'
    s = get (h, "string");
    if (isappdata (h, "adagrad_safe") && isequal (getappdata (h, "adagrad_safe"), s))
      continue;
    endif
    t = safe_string (s, gp, get (h, "interpreter"));
    if (! isequal (t, s))
      set (h, "string", t);
    endif
    setappdata (h, "adagrad_safe", get (h, "string"));
  endfor
  for ax = findall (fig, "type", "axes")'
    for p = {"xticklabel", "yticklabel", "zticklabel"}
      key = ["adagrad_safe_" p{1}];
      if (! strcmp (get (ax, [p{1} "mode"]), "manual"))
        continue;
      endif
      v = get (ax, p{1});
      if (isappdata (ax, key) && isequal (getappdata (ax, key), v))
        continue;
      endif
      if (ischar (v))
        v = cellstr (v);
      endif
      t = cellfun (@(x) safe_string (x, gp, "none"), v, "UniformOutput", false);
      if (! isequal (t, v))
        set (ax, p{1}, t);
      endif
      setappdata (ax, key, get (ax, p{1}));
    endfor
  endfor
endfunction

## S (a string, a char matrix of lines or a cell array of them) safe to draw
## with the toolkit (GP: gnuplot) and INTERPRETER, as above.
function t = safe_string (s, gp, interpreter)
  if (isnumeric (s))
    t = s;
    return;
  endif
  if (ischar (s) && rows (s) > 1)
    s = cellstr (s);
  endif
  if (iscell (s))
    s = cellfun (@(x) one_line (num2str (x), gp, interpreter), s(:)', "UniformOutput", false);
    if (gp)
      ## gnuplot's \n (strjoin would turn it into a newline).
      t = [s; [repmat({'\n'}, 1, numel (s) - 1), {""}]];
      t = [t{:}];
    else
      t = s;
    endif
    return;
  endif
  t = one_line (s, gp, interpreter);
endfunction

function s = one_line (s, gp, interpreter)
  s = s(:)';
  s(s < 32 | s == 127) = " ";
  if (! gp)
    return;
  endif
  if (strcmp (interpreter, "none"))
    s = strrep (strrep (s, '\', '\\'), '"', '\"');
  else
    s = strrep (s, '"', "''");
    s = regexprep (s, '\\+$', '');
  endif
endfunction

## Print FIG to FILE at 1.6 times its size on screen, with every font
## scaled so that text takes the share of the figure it takes on screen:
## gnuplot's cairo terminals draw text at a size proportional to the
## output's width, so that a label takes a fixed share of the width whatever
## the figure's size (measured at 560, 800 and 1200 pixels wide: the fonts
## need the factor 262 / width in pixels; a test checks the printed pixels),
## so that what the helpers lay out from text extents holds in the file.
## The factor is the font's: gnuplot asks fontconfig for "Sans", which is
## DejaVu Sans where fonts-dejavu-core is installed (make deps installs it;
## Debian 12 pulls it in with fontconfig, Debian 13 does not and then gives
## the narrower Nimbus Sans, whose labels print at 0.87 of their extent).
function save_file (fname, fig, file)
  old = get (fig, "units");
  set (fig, "units", "pixels");
  pos = get (fig, "position");
  set (fig, "units", old);
  scale = 1.6;
  k = 262 / pos(3);
  objs = findall (fig, "-property", "fontsize");
  sizes = get (objs, "fontsize");
  if (! iscell (sizes))
    sizes = {sizes};
  endif
  unwind_protect
    for i = 1:numel (objs)
      set (objs(i), "fontsize", k * sizes{i});
    endfor
    try
      print (fig, device (fname, file), sprintf ("-S%d,%d", round (scale * pos(3:4))), file);
    catch err
      error ("adagrad:plotfile", "%s: cannot write %s: %s", fname, file, err.message);
    end_try_catch
  unwind_protect_cleanup
    for i = 1:numel (objs)
      if (ishghandle (objs(i)))
        set (objs(i), "fontsize", sizes{i});
      endif
    endfor
  end_unwind_protect
endfunction

function fmt = device (fname, file)
  fmt = "";
  if (isempty (file))
    return;
  endif
  if (! ischar (file) || ! isrow (file))
    error ("adagrad:badinput", "%s: FILE must be a file name", fname);
  endif
  ## gnuplot's toolkit writes the name between single quotes into its
  ## command stream.
  if (any (file < 32 | file == 127 | file == "'" | file == '"'))
    error ("adagrad:badinput",
           "%s: FILE must not contain quotes or control characters (the gnuplot toolkit passes it to gnuplot as a command)",
           fname);
  endif
  [~, ~, ext] = fileparts (file);
  switch (lower (ext))
    case ".png"
      fmt = "-dpngcairo";
    case ".svg"
      fmt = "-dsvg";
    case ".pdf"
      fmt = "-dpdfcairo";
    otherwise
      error ("adagrad:badinput",
             "%s: FILE must end in .png, .svg or .pdf (got \"%s\")", fname, file);
  endswitch
endfunction

%!test
%! assert (__adagrad_axes__ ("f", "check", "a.PNG"), "-dpngcairo");
%! assert (__adagrad_axes__ ("f", "check", "a.svg"), "-dsvg");
%! assert (__adagrad_axes__ ("f", "check", ""), "");

%!test
%! warning ("off", "Octave:gnuplot-graphics");
%! if (isempty (getenv ("DISPLAY")))
%!   graphics_toolkit ("gnuplot");
%! endif
%! fig = figure ("visible", "off");
%! unwind_protect
%!   L = __adagrad_axes__ ("f", "layout", fig, 3, true);
%!   assert (numel (L.panels), 3);
%!   pos = cell2mat (get (L.panels, "position"));
%!   assert (all (diff (pos(:, 2)) < 0));
%!   ## The legend column lies right of every panel.
%!   assert (L.legend(1) > max (pos(:, 1) + pos(:, 3)));
%!   assert (isempty (get (L.panels(1), "xticklabel")));
%!   L = __adagrad_axes__ ("f", "layout", fig, 2, false);
%!   assert (numel (get (fig, "children")), 2);
%!   ## An axes as parent: the plot takes its place, beside the other.
%!   clf (fig);
%!   a1 = subplot (1, 2, 1, "parent", fig);
%!   a2 = subplot (1, 2, 2, "parent", fig);
%!   L = __adagrad_axes__ ("f", "layout", a1, 2, true);
%!   assert (ishghandle (a2) && ! ishghandle (a1));
%!   pos = cell2mat (get (L.panels, "position"));
%!   assert (all (pos(:, 1) + pos(:, 3) < 0.5) && L.legend(1) + L.legend(3) <= 0.5 + 1e-12);
%!   st = __adagrad_axes__ ("f", "styles", 15);
%!   assert (st{8}{2}, st{1}{2});
%!   assert (st{8}{6}, "-.");
%!   assert (st{15}{6}, ":");
%!   lg = __adagrad_axes__ ("f", "legend", L, st(1:2), {"a_b", "c"});
%!   assert (get (lg.text, "string"), {"a_b"; "c"});
%!   assert (get (lg.text(1), "interpreter"), "none");
%!   ax = L.panels(1);
%!   __adagrad_axes__ ("f", "logticks", ax, [1e-22 1e3]);
%!   assert (get (ax, "ytick"), 10 .^ (-22:4:2));
%!   assert (get (ax, "yticklabel")(1:2)', {"10^{-22}", "10^{-18}"});
%!   ## Below 1e-15 (which the gnuplot toolkit writes as 0) the labels are
%!   ## texts of their own, at their decades.
%!   t = findobj (ax, "type", "text", "tag", "adagrad:tick");
%!   assert (sort (cellfun (@(p) p(2), get (t, "position"))), [1e-22; 1e-18]);
%!   assert (sort (strtrim (get (t, "string"))), {"10^{-18}"; "10^{-22}"});
%! unwind_protect_cleanup
%!   close (fig);
%! end_unwind_protect

%!test
%! ## What the layout assumes holds in the PNG: a label's printed width is
%! ## the share of the axes its extent says (within 10%).
%! warning ("off", "Octave:gnuplot-graphics");
%! if (isempty (getenv ("DISPLAY")))
%!   graphics_toolkit ("gnuplot");
%! endif
%! fig = figure ("visible", "off");
%! f = [tempname() ".png"];
%! unwind_protect
%!   set (fig, "position", [0 0 1000 500]);
%!   ax = axes ("parent", fig, "position", [0.1 0.1 0.6 0.8], "visible", "off");
%!   t = text (ax, 0.1, 0.5, "adagrad-norm, b0 = 0.1, m = 1000", "fontsize", 8, "units", "normalized");
%!   e = get (t, "extent");
%!   ## Printing needs no warning (make deps installs ghostscript).
%!   lastwarn ("");
%!   out = evalc ('__adagrad_axes__ ("f", "save", ax, f);');
%!   assert (isempty (strfind (out, "Ghostscript")) && isempty (strfind (lastwarn (), "Ghostscript")));
%!   assert (get (t, "fontsize"), 8);
%!   g = mean (double (imread (f)), 3);
%!   [r, c] = find (g < 128);
%!   printed = (max (c) - min (c)) / (0.6 * columns (g));
%!   assert (printed, e(3), 0.1 * e(3));
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink (f);
%! end_unwind_protect

%!test
%! ## Labels, titles and tick labels with newlines, quotes and backslashes
%! ## (as a result file or checkpoint may hold them) drawn and printed with
%! ## the gnuplot toolkit: no gnuplot command in them runs, and the figure
%! ## is written.
%! warning ("off", "Octave:gnuplot-graphics", "local");
%! graphics_toolkit ("gnuplot");
%! m = {[tempname() ".1"], [tempname() ".2"], [tempname() ".3"], [tempname() ".4"], [tempname() ".5"]};
%! f = [tempname() ".png"];
%! h = figure ("visible", "off");
%! unwind_protect
%!   ax = axes ("parent", h);
%!   plot (ax, 1:3);
%!   title (ax, sprintf ("a\nsystem \"touch %s\"\n", m{1}), "interpreter", "none");
%!   text (ax, 1, 1, {"x", sprintf("system \"touch %s\"", m{2})}, "interpreter", "none");
%!   text (ax, 2, 2, sprintf ("q\"; system \"touch %s\"; \"", m{3}), "interpreter", "none");
%!   text (ax, 2, 1.5, "end\\", "interpreter", "none");
%!   text (ax, 1.5, 2.5, sprintf ("sys \"; system \"touch %s\"; \" \\", m{4}));
%!   set (ax, "xtick", [1 2], "xticklabel", {"a", sprintf("b\"; system \"touch %s\"; \"", m{5})});
%!   __adagrad_axes__ ("f", "save", ax, f);
%!   assert (exist (f, "file") == 2);
%!   assert (! any (cellfun (@(x) exist (x, "file"), m)));
%!   ## What the strings became; a second pass changes nothing.
%!   t = get (get (ax, "title"), "string");
%!   assert (t, sprintf ('a system \\"touch %s\\" ', m{1}));
%!   __adagrad_axes__ ("f", "save", ax, "");
%!   assert (get (get (ax, "title"), "string"), t);
%!   assert (__adagrad_axes__ ("f", "safe", {"a\\", "b"}, true, "none"), 'a\\\nb');
%!   assert (__adagrad_axes__ ("f", "safe", sprintf ("x\ty\"\\"), false, "none"), 'x y"\');
%!   assert (__adagrad_axes__ ("f", "safe", 'u_{lin} "q" \\', true, "tex"), "u_{lin} ''q'' ");
%! unwind_protect_cleanup
%!   close (h);
%!   unlink (f);
%!   for x = m
%!     if (exist (x{1}, "file"))
%!       unlink (x{1});
%!     endif
%!   endfor
%! end_unwind_protect
%!error <f: FILE must not contain quotes or control characters> __adagrad_axes__ ("f", "save", axes ("parent", figure ("visible", "off")), "a'b.png")
%!error <f: cannot write /nonexistent-dir/a.png> __adagrad_axes__ ("f", "save", axes ("parent", figure ("visible", "off")), "/nonexistent-dir/a.png")
%!error <f: FILE must end in .png, .svg or .pdf> __adagrad_axes__ ("f", "check", "x.jpg")
%!error <f: FILE must be a file name> __adagrad_axes__ ("f", "check", 3)
%!error <f: PARENT must be a figure, uipanel or axes handle> __adagrad_axes__ ("f", "layout", -1, 2, true)
