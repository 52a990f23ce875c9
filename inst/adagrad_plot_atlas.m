## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{h} =} adagrad_plot_atlas (@var{atlas}, @var{what})
## @deftypefnx {} {@var{h} =} adagrad_plot_atlas (@dots{}, @var{name}, @var{value}, @dots{})
## Draw the tuning-free atlas of @code{adagrad_atlas}.  @var{what}:
## @table @asis
## @item @qcode{"heatmap"}
## Rules (rows) by knob scale (columns, in the units of
## @code{adagrad_atlas}'s table), each cell the median over the seeds of the
## iterations to the target over tuned GD's (or the error-rate ratio), on a
## log colour scale; a cell whose runs failed (diverged, undefined, or the
## target not reached) is grey and labelled "fail".
## @item @qcode{"profile"}
## The robustness profile: for each rule, the fraction of the knob range
## within the atlas's two thresholds of tuned GD (dark: 2x, light: 10x of
## its iterations; for the accuracy 1.1x and 1.5x of its error rate).
## @item @qcode{"paths"}
## The effective step of every rule over the iterations, at the atlas's
## path scale, against the stability edge @code{2/lambda_max(H(W(k)))} of
## its iterates (dots).
## @end table
## Options: @qcode{"width"} (which width of the atlas; default the first),
## @qcode{"parent"} (figure, uipanel or axes), @qcode{"file"} (PNG, SVG or
## PDF) and @qcode{"title"}.  Every string drawn (rule names, the title)
## is made safe for the terminal.  Returns a struct with fields @code{axes}
## and @code{data} (what each cell or bar shows) when asked for.
## @seealso{adagrad_atlas, adagrad_plot_heatmap}
## @end deftypefn

function h = adagrad_plot_atlas (atlas, what, varargin)
  fname = "adagrad_plot_atlas";
  if (nargin < 2)
    __adagrad_usage__ (fname);
  endif
  need = {"rules", "scales", "widths", "median", "robust", "thresholds", "paths", "value"};
  if (! isstruct (atlas) || ! isscalar (atlas) || ! all (isfield (atlas, need))
      || ! iscellstr (atlas.rules) || ! isnumeric (atlas.median))
    error ("adagrad:badinput", "%s: ATLAS must be the struct adagrad_atlas returns", fname);
  endif
  what = __adagrad_check__ (fname, "WHAT", what, "choice", {"heatmap", "profile", "paths"});
  o = __adagrad_options__ (fname, struct ("width", [], "parent", [], "file", "", "title", ""),
                           varargin{:});
  w = 1;
  if (! isempty (o.width))
    w = find (atlas.widths == o.width, 1);
    if (isempty (w))
      error ("adagrad:badinput", "%s: WIDTH must be one of the atlas's widths (%s)", fname,
             num2str (atlas.widths));
    endif
  endif
  if (! isempty (o.file))
    __adagrad_axes__ (fname, "check", o.file);
  endif
  if (! ischar (o.title))
    error ("adagrad:badinput", "%s: TITLE must be text", fname);
  endif
  L = __adagrad_axes__ (fname, "layout", o.parent, 1, false);
  ax = L.panels(1);
  rules = atlas.rules;
  nr = numel (rules);
  what_v = merge (strcmp (atlas.value, "iterations"), "iterations", "error rate");
  m = atlas.widths(w);
  switch (what)
    case "heatmap"
      data = atlas.median(:, :, w);
      p = get (ax, "position");
      set (ax, "position", [p(1) + 0.1 * p(3), p(2) + 0.1 * p(4), 0.74 * p(3), 0.82 * p(4)]);
      v = log10 (data);
      v(! isfinite (data)) = NaN;
      img = imagesc (ax, v);
      colormap (ax, flipud (hot (80))(9:72, :));
      lim = [min(v(:)), max(v(:))];
      if (all (isfinite (lim)) && diff (lim) > 0)
        caxis (ax, lim);
      endif
      cb = colorbar (ax);
      ylabel (cb, sprintf ("log10 (%s / tuned GD's)", what_v));
      set (ax, "ydir", "reverse", "xtick", 1:numel (atlas.scales), "ytick", 1:nr,
           "xticklabel", arrayfun (@(s) sprintf ("%g", s), atlas.scales, "uniformoutput", false),
           "yticklabel", rules);
      axis (ax, [0.5, numel(atlas.scales) + 0.5, 0.5, nr + 0.5]);
      for i = 1:nr
        for j = 1:numel (atlas.scales)
          if (isfinite (data(i, j)))
            s = sprintf ("%.2g", data(i, j));
          else
            s = "fail";
            patch (ax, j + [-0.5 0.5 0.5 -0.5], i + [-0.5 -0.5 0.5 0.5], [0.75 0.75 0.75],
                   "edgecolor", [0.5 0.5 0.5]);
          endif
          pos = (v(i, j) - lim(1)) / max (diff (lim), eps);
          dark = isfinite (pos) && pos > 0.6;
          text (ax, j, i, s, "horizontalalignment", "center", "fontsize", 7,
                "interpreter", "none", "color", merge (dark, [1 1 1], [0 0 0]));
        endfor
      endfor
      xlabel (ax, "knob / its unit (1: the theory's step, the critical b0, or the authors' default)");
      t = sprintf ("%s over tuned GD's, m = %d, median of %d seeds (grey: failed)", what_v, m,
                   numel (atlas.seeds));
      h = struct ("axes", ax, "image", img, "data", data);
    case "profile"
      data = atlas.robust(:, :, w);
      b = barh (ax, data, "grouped");
      set (b(1), "facecolor", [0.2 0.3 0.7]);
      set (b(2), "facecolor", [0.65 0.75 0.95]);
      set (ax, "ytick", 1:nr, "yticklabel", rules, "ydir", "reverse");
      xlim (ax, [0 1]);
      ylim (ax, [0.5, nr + 0.5]);
      xlabel (ax, "fraction of the knob range");
      legend (ax, {sprintf("within %gx of tuned GD", atlas.thresholds(1)),
                   sprintf("within %gx", atlas.thresholds(2))}, "location", "southeast");
      t = sprintf ("robustness to the initial knob (%s, m = %d, %g decades)", what_v, m,
                   log10 (max (atlas.scales) / min (atlas.scales)));
      h = struct ("axes", ax, "bars", b, "data", data);
    case "paths"
      st = __adagrad_axes__ (fname, "styles", nr);
      hold (ax, "on");
      data = cell (nr, 1);
      lines = [];
      for r = 1:nr
        p = atlas.paths(r);
        ok = isfinite (p.step) & p.step > 0;
        data{r} = [p.iter(ok), p.step(ok)];
        if (any (ok))
          lines(end+1) = semilogy (ax, p.iter(ok), p.step(ok), st{r}{:});
          set (lines(end), "displayname", rules{r});
        endif
        e = isfinite (p.edge);
        if (any (e))
          semilogy (ax, p.edgeiter(e), p.edge(e), "o", "color", get (lines(end), "color"),
                    "markersize", 3, "handlevisibility", "off");
        endif
      endfor
      hold (ax, "off");
      set (ax, "yscale", "log");
      p = get (ax, "position");
      set (ax, "position", [p(1), p(2), 0.78 * p(3), p(4)]);
      last = max ([0; cellfun(@(x) max ([0; x(:, 1)]), data)]);
      if (last > 0)
        xlim (ax, [0, last]);
      endif
      xlabel (ax, "iteration");
      ylabel (ax, "effective step ||W(k+1) - W(k)|| / ||G(k)||");
      lg = legend (ax, "location", "eastoutside");
      set (lg, "fontsize", 8, "interpreter", "none");
      t = sprintf ("effective steps at knob scale %g (dots: 2/lambda_max(H(W(k))), the stability edge)",
                   atlas.pathscale);
      h = struct ("axes", ax, "lines", lines, "data", {data});
  endswitch
  if (! isempty (o.title))
    t = o.title;
  endif
  title (ax, t, "interpreter", "none", "fontsize", 10);
  __adagrad_axes__ (fname, "save", ax, o.file);
  if (nargout == 0)
    clear h;
  endif
endfunction

%!shared A
%! [X, y] = adagrad_data (30, 5, "seed", 3);
%! A = adagrad_atlas (X, y, "rules", {"adaloss", "dog"}, "scales", [0.01 100], "width", 40,
%!                    "maxiter", 100, "tol", 0.1, "pathpoints", 3, "parallel", "off");

%!test
%! f = [tempname() ".png"];
%! unwind_protect
%!   hf = figure ("visible", "off");
%!   h = adagrad_plot_atlas (A, "heatmap", "file", f);
%!   assert (h.data, A.median(:, :, 1));
%!   assert (exist (f, "file") == 2 && stat (f).size > 1000);
%!   [img, ~] = imread (f);
%!   assert (size (img, 1) > 100);
%!   close (hf);
%!   hf = figure ("visible", "off");
%!   h = adagrad_plot_atlas (A, "profile", "file", f);
%!   assert (h.data, A.robust);
%!   close (hf);
%!   hf = figure ("visible", "off");
%!   h = adagrad_plot_atlas (A, "paths", "file", strrep (f, ".png", ".svg"));
%!   assert (numel (h.data), 3);
%!   assert (h.data{1}(:, 2), A.paths(1).step(isfinite (A.paths(1).step)));
%!   s = fileread (strrep (f, ".png", ".svg"));
%!   assert (! isempty (strfind (s, "adaloss")));
%!   close (hf);
%! unwind_protect_cleanup
%!   unlink (f);
%!   unlink (strrep (f, ".png", ".svg"));
%! end_unwind_protect

%!test
%! ## A hostile rule name (an atlas read from someone's file) is drawn as text.
%! B = A;
%! B.rules{2} = "dog\n`rm -rf`\\\"";
%! hf = figure ("visible", "off");
%! unwind_protect
%!   f = [tempname() ".svg"];
%!   adagrad_plot_atlas (B, "profile", "file", f);
%!   s = fileread (f);
%!   unlink (f);
%!   assert (isempty (strfind (s, "`rm -rf`\\\"\n")));
%! unwind_protect_cleanup
%!   close (hf);
%! end_unwind_protect

%!error <ATLAS must be the struct adagrad_atlas returns> adagrad_plot_atlas (struct (), "heatmap")
%!error <WHAT must be one of> adagrad_plot_atlas (A, "pie")
%!error <WIDTH must be one of the atlas's widths> adagrad_plot_atlas (A, "heatmap", "width", 7)
