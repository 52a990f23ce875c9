## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{h} =} adagrad_plot (@var{hist})
## @deftypefnx {} {@var{h} =} adagrad_plot (@var{hist1}, @var{hist2}, @dots{})
## @deftypefnx {} {@var{h} =} adagrad_plot (@dots{}, @var{name}, @var{value}, @dots{})
## Plot training histories from @code{adagrad_train}: the loss (log scale,
## top) and the effective step (log scale, bottom: @code{hist.step},
## @code{||W(k+1) - W(k)|| / ||G(k)||}, one definition for every rule: eta/b
## for AdaGrad-Norm and AdaLoss, @var{eta} for GD, more than @var{eta} for
## momentum once its velocity has grown) against the iteration, one line per
## run, with a legend.  The panel @qcode{"rate"} shows the rule's own scalar
## instead (@code{hist.rate}: eta/b, @var{eta}; for the per-coordinate rules
## AdaGrad, RMSprop and Adam the median of the per-coordinate steps as a
## line and their 10% and 90% quantiles as thin dashed lines of the same
## colour).  With mini-batches the loss is drawn through the
## evaluation points (where @code{hist.loss} is known); a run with a
## validation set adds its validation loss as a dashed line of the same
## colour.
##
## Runs can be given as separate arguments, as a struct array, or as a cell
## array of history structs; results of @code{adagrad_sweep} or
## @code{adagrad_sweep_collect} stand for their histories (labelled by
## optimizer, b0, width and seed).  Options:
##
## @table @asis
## @item @qcode{"parent"} (default: the current figure)
## Figure or uipanel to draw into (its previous contents are replaced), or
## an axes (a @code{subplot}), whose place the plot takes, so that several
## plots share a figure.  The function never creates a figure of its own
## beyond what @code{gcf} does.
## @item @qcode{"labels"} (default: what tells the runs apart)
## Cell array of legend entries, one per run.
## @item @qcode{"title"} (default: the panel's own, with what the runs share)
## The title of the top panel.
## @item @qcode{"panels"} (default @qcode{"auto"})
## @qcode{"auto"}: the loss and the effective step, or the loss alone when
## every run took the same constant step (to a relative 1e-9: the step is
## measured on the stored W); else one of, or a cell array of,
## @qcode{"loss"}, @qcode{"step"}, @qcode{"rate"} (the rule's rate, with the
## quantile bands of the per-coordinate rules), @qcode{"gnorm"} (the
## gradient norm) and @qcode{"vloss"} (the validation loss), top to bottom in
## the order given.
## @item @qcode{"xaxis"} (default @qcode{"iter"})
## @qcode{"iter"}: against the iteration; @qcode{"epoch"}: against the
## epochs of data used (@code{hist.epoch}, rows used over n: one per step
## in full batch); @qcode{"time"}: against the seconds since the run began
## (@code{hist.time}).
## @item @qcode{"yscale"} (default @qcode{"log"})
## @qcode{"log"} or @qcode{"linear"}, for every panel.
## @item @qcode{"xscale"} (default @qcode{"linear"})
## @qcode{"linear"} or @qcode{"log"} (iteration 0 is then left out).
## @item @qcode{"xlim"} (default: the range of the data)
## [@var{lo}, @var{hi}] of the shared x axis.
## @item @qcode{"ylim"} (default: automatic)
## [@var{lo}, @var{hi}] of the top panel, or one row per panel.  On a log
## loss axis the default ends a little above the highest loss drawn, at
## most 10 times the highest first loss: a run that diverges leaves the axes
## at the top.
## @item @qcode{"legend"} (default true)
## false draws no legend (and gives the panels its width), e.g. for the
## second of two plots in one figure.
## @item @qcode{"file"} (default: none)
## Also save the figure to this file: @file{.png} (cairo, works without a
## display), @file{.svg} or @file{.pdf}.
## @end table
##
## A run that diverged (@code{hist.stop} is @qcode{"diverged"}) is marked
## by a filled triangle in its colour at the top of the loss axes, where it
## left them (or at its last point), and "(diverged)" after its label.
##
## @var{h} is a struct with fields @code{axes} (one per panel),
## @code{panels}, @code{loss}, @code{step}, @code{rate} and @code{gnorm}
## (line handles, one per run on the panels drawn), @code{vloss} (the
## validation lines, one per run that has one), @code{band} (the quantile
## lines of the rate panel, two per per-coordinate run), @code{diverged} (the
## triangles) and @code{legend} (empty with @qcode{"legend"}, false).
##
## Without a display, use Octave's gnuplot toolkit:
## @code{graphics_toolkit ("gnuplot"); set (0, "defaultfigurevisible", "off")}.
## @seealso{adagrad_train}
## @end deftypefn

function h = adagrad_plot (varargin)
  fname = "adagrad_plot";
  [runs, labels, opts, common] = __adagrad_runs__ (fname, {"iter", "loss", "step"},
                                                   struct ("xaxis", "iter", "panels", "auto",
                                                           "yscale", "log"), varargin);
  xaxis = __adagrad_check__ (fname, "XAXIS", opts.xaxis, "choice", {"iter", "epoch", "time"});
  yscale = __adagrad_check__ (fname, "YSCALE", opts.yscale, "choice", {"log", "linear"});
  if (! strcmp (xaxis, "iter"))
    for k = 1:numel (runs)
      msg = __adagrad_history__ ("validate", runs{k}, {"iter", xaxis});
      if (! isempty (msg))
        error ("adagrad:badinput", "%s: run %d has no %s record (a history of adagrad 0.3 or later): %s",
               fname, k, merge (strcmp (xaxis, "time"), "time", "epoch"), msg);
      endif
    endfor
  endif
  panels = which_panels (fname, opts.panels, runs);
  note = "";
  if (ischar (opts.panels) && strcmp (opts.panels, "auto") && numel (panels) == 1)
    ## Every run took the same constant step: no panel for it.
    note = sprintf (" (step %.4g in every run)", taken (runs{1})(1));
  endif
  __adagrad_axes__ (fname, "check", opts.file);
  L = __adagrad_axes__ (fname, "layout", opts.parent, numel (panels), opts.legend);
  ax = L.panels;
  set (ax, "yscale", yscale);
  st = __adagrad_axes__ (fname, "styles", numel (runs));
  n = numel (runs);
  [hl, hs, hg, hr] = deal (NaN (1, n));
  [hb, hv] = deal ([]);
  banded = false;
  for k = 1:n
    r = runs{k};
    x = r.(xaxis);
    for p = 1:numel (panels)
      a = ax(p);
      switch (panels{p})
        case "loss"
          ## Where the loss is known (all iterates in full batch, the
          ## evaluation points with mini-batches); a log axis cannot show a
          ## zero loss: such points are left out.
          known = ! isnan (r.loss);
          hl(k) = plot (a, x(known), positive (r.loss(known), yscale), st{k}{:});
          if (isfield (r, "vloss") && any (isfinite (r.vloss)))
            v = isfinite (r.vloss);
            hv(end+1) = plot (a, x(v), positive (r.vloss(v), yscale), st{k}{:}, "linestyle", "--");
          endif
        case "vloss"
          v = isfield (r, "vloss") & isfinite (r.vloss);
          hv(end+1) = plot (a, x(v), positive (r.vloss(v), yscale), st{k}{:});
        case "gnorm"
          g = isfinite (r.gnorm);
          hg(k) = plot (a, x(g), positive (r.gnorm(g), yscale), st{k}{:});
        case "step"
          hs(k) = plot (a, x, r.step, st{k}{:});
        case "rate"
          ## A history of 0.9 or earlier (no rate) draws no line here.
          if (! isempty (__adagrad_history__ ("validate", r, {"iter", "rate"})))
            continue;
          endif
          hr(k) = plot (a, x, r.rate, st{k}{:});
          if (isempty (__adagrad_history__ ("validate", r, {"iter", "ratelo", "ratehi"}))
              && ! isequaln (r.ratelo(:), r.rate(:)) && ! isequaln (r.ratehi(:), r.rate(:)))
            for q = {r.ratelo, r.ratehi}
              hb(end+1) = plot (a, x, q{1}, st{k}{:}, "linestyle", "--", "linewidth", 1);
            endfor
            banded = true;
          endif
      endswitch
    endfor
  endfor
  i = find (strcmp (panels, "loss"), 1);
  if (! isempty (i) && strcmp (yscale, "log") && rows (opts.ylim) < i)
    ## A diverging run would stretch the loss axis to 1e300: it leaves the
    ## plot at the top instead (at 10 times the highest first loss), marked.
    ## The axis ends a little beyond the lowest and the highest loss shown,
    ## not at the next decades.
    first = cellfun (@(r) r.loss(1), runs);
    cap = 10 * max (first(isfinite (first)));
    low = min (cellfun (@(r) min ([r.loss(r.loss > 0); Inf]), runs));
    high = max (cellfun (@(r) min (max ([r.loss(isfinite (r.loss)); -Inf]), cap), runs));
    if (isfinite (low) && ! isempty (high) && isfinite (high) && high > low)
      lim = [low / 1.25, 1.25 * high];
      ylim (ax(i), lim);
      __adagrad_axes__ (fname, "logticks", ax(i), lim);
    endif
  endif
  __adagrad_axes__ (fname, "logticks", ax(! strcmp (panels, "loss")), [], 1e4);
  for p = 1:numel (panels)
    a = ax(p);
    switch (panels{p})
      case "loss"
        ylabel (a, "loss 0.5||u - y||^2");
        t = merge (isempty (hv), "training loss", "training loss (dashed: validation loss)");
      case "vloss"
        ylabel (a, "validation loss");
        t = "validation loss";
      case "gnorm"
        ylabel (a, "||G||");
        t = "gradient norm";
      case "step"
        ylabel (a, "effective step");
        t = "effective step ||W(k+1) - W(k)|| / ||G(k)||";
      case "rate"
        ylabel (a, "rate");
        t = merge (banded, "the rule's rate (dashed: 10% and 90% quantiles)", "the rule's rate");
    endswitch
    if (p == 1)
      t = [t, note];
      if (! isempty (opts.title))
        t = opts.title;
      endif
      common = __adagrad_axes__ (fname, "title", a, t, common);
    else
      title (a, t, "interpreter", "none", "fontsize", 11);
    endif
  endfor
  xlabel (ax(end), merge (strcmp (xaxis, "iter"), "iteration",
                          merge (strcmp (xaxis, "epoch"), "epoch", "time (s)")));
  __adagrad_axes__ (fname, "frame", ax, opts, cellfun (@(r) r.(xaxis), runs,
                                                       "UniformOutput", false));
  ## Diverged runs: a filled triangle at the top of the loss axis where the
  ## run left it (or at its last point), and "(diverged)" in the legend.
  hd = [];
  for k = 1:n
    r = runs{k};
    if (! (isfield (r, "stop") && ischar (r.stop) && strcmp (r.stop, "diverged")))
      continue;
    endif
    labels{k} = [labels{k} " (diverged)"];
    if (isempty (i))
      continue;
    endif
    top = ylim (ax(i))(2);
    x = r.(xaxis);
    known = find (! isnan (r.loss));
    j = known(find (! isfinite (r.loss(known)) | r.loss(known) > top, 1));
    if (isempty (j))
      j = known(end);
    endif
    hd(end+1) = plot (ax(i), x(j), top, "^", "color", st{k}{2}, "markerfacecolor", st{k}{2},
                      "markersize", 8, "clipping", "off");
  endfor
  lg = __adagrad_axes__ (fname, "legend", L, st, labels, common);
  if (nargout > 0)
    h = struct ("axes", ax, "panels", {panels}, "loss", hl(isfinite (hl)), "step",
                hs(isfinite (hs)), "rate", hr(isfinite (hr)), "gnorm", hg(isfinite (hg)),
                "vloss", hv, "band", hb, "diverged", hd, "legend", lg);
  endif
  __adagrad_axes__ (fname, "save", ax, opts.file);
endfunction

## The steps a run took (its record without the NaN of iteration 0, which
## no step produced, and of zero gradients).
function s = taken (r)
  s = r.step(! isnan (r.step));
endfunction

## The panels to draw: "auto" is loss and step, without the step when every
## run took the same constant one; else a name or a cell of names.
function p = which_panels (fname, p, runs)
  names = {"loss", "gnorm", "step", "rate", "vloss"};
  if (ischar (p) && strcmp (p, "auto"))
    s = cellfun (@taken, runs, "UniformOutput", false);
    same = all (cellfun (@(v) numel (v) > 0 && numel (s{1}) > 0 ...
                              && all (abs (v - s{1}(1)) <= 1e-9 * abs (s{1}(1))), s));
    if (same)
      p = {"loss"};
    else
      p = {"loss", "step"};
    endif
    return;
  endif
  if (ischar (p))
    p = {p};
  endif
  if (! iscellstr (p) || isempty (p) || ! all (ismember (lower (p), names)))
    error ("adagrad:badinput",
           "%s: PANELS must be \"auto\" or a cell array of \"loss\", \"gnorm\", \"step\", \"rate\", \"vloss\"",
           fname);
  endif
  p = lower (p(:)');
endfunction

## Values for a log axis: zeros and negatives left out (NaN).
function v = positive (v, yscale)
  if (strcmp (yscale, "log"))
    v(v <= 0) = NaN;
  endif
endfunction

%!demo
%! [X, y] = adagrad_data (100, 10, "seed", 1);
%! [~, h1] = adagrad_train (X, y, "width", 1000, "optimizer", "adaloss", "b0", 0.1, "alpha", 0.1, "maxiter", 300, "seed", 2);
%! [~, h2] = adagrad_train (X, y, "width", 1000, "optimizer", "adagrad-norm", "b0", 0.1, "maxiter", 300, "seed", 2);
%! adagrad_plot (h1, h2);

%!shared h1, h2, fig, tmp
%! [X, y] = adagrad_data (30, 5, "seed", 1);
%! [~, h1] = adagrad_train (X, y, "width", 100, "optimizer", "adaloss", "maxiter", 40, "seed", 2);
%! [~, h2] = adagrad_train (X, y, "width", 100, "optimizer", "gd", "eta", 0.3, "maxiter", 25, "seed", 2);
%! warning ("off", "Octave:gnuplot-graphics");
%! if (isempty (getenv ("DISPLAY")))
%!   graphics_toolkit ("gnuplot");
%! endif
%! tmp = tempname ();

%!test
%! ## A history whose label (as a result file or a checkpoint may carry it)
%! ## holds a newline, quotes and gnuplot commands: drawn and printed, nothing
%! ## runs (every string goes through __adagrad_axes__'s sanitizer).
%! marker = [tmp ".ran"];
%! f = [tmp "-label.png"];
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = h1;
%!   h.label = sprintf ("ada\nsystem \"touch %s\"\n\"; system \"touch %s\"; \" \\", marker, marker);
%!   adagrad_plot ({h, h2}, "parent", fig, "file", f, "title", sprintf ("t\nsystem \"touch %s\"", marker));
%!   assert (exist (f, "file") == 2);
%!   assert (! exist (marker, "file"));
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink (f);
%!   if (exist (marker, "file"))
%!     unlink (marker);
%!   endif
%! end_unwind_protect

%!test
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot (h1, h2, "parent", fig, "file", [tmp ".png"]);
%!   assert (numel (h.axes), 2);
%!   assert (numel (h.loss), 2);
%!   assert (get (h.loss(1), "xdata")(:), h1.iter);
%!   assert (get (h.loss(2), "ydata")(:), h2.loss);
%!   assert (get (h.step(1), "ydata")(:), h1.step);
%!   assert (get (h.axes, "yscale"), {"log"; "log"});
%!   ## The labels say what differs; the title what the runs share.
%!   assert (get (h.legend.text, "string"), {"adaloss, b0 = 1, eta = 1"; "gd, eta = 0.3"});
%!   assert (get (get (h.axes(1), "title"), "string"), "training loss - m = 100, n = 30");
%!   assert (isempty (h.legend.header));
%!   ## Labels of one's own keep what the runs share in the title.
%!   h = adagrad_plot (h1, h2, "parent", fig, "labels", {"a", "b"}, "file", [tmp ".png"]);
%!   assert (get (h.legend.text, "string"), {"a"; "b"});
%!   assert (get (get (h.axes(1), "title"), "string"), "training loss - m = 100, n = 30");
%!   info = dir ([tmp ".png"]);
%!   assert (info.bytes > 2000);
%!   im = imfinfo ([tmp ".png"]);
%!   assert ([im.Width im.Height] > [300 200]);
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink ([tmp ".png"]);
%! end_unwind_protect

%!test
%! ## A run that diverges at once: a triangle at the top of the loss axes
%! ## where it left them, "(diverged)" in the legend; the axis ends a little
%! ## above the highest loss drawn (no empty decade on top) and where the
%! ## data end.
%! [X, y] = adagrad_data (30, 5, "seed", 1);
%! warning ("off", "adagrad:diverged", "local");
%! [~, hd] = adagrad_train (X, y, "width", 100, "optimizer", "gd", "eta", 500, "maxiter", 100, "seed", 2);
%! assert (hd.stop, "diverged");
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot (h1, hd, "parent", fig, "file", [tmp ".png"]);
%!   assert (numel (h.diverged), 1);
%!   yl = ylim (h.axes(1));
%!   assert (get (h.diverged, "ydata"), yl(2));
%!   j = find (hd.loss > yl(2), 1);
%!   assert (get (h.diverged, "xdata"), hd.iter(j));
%!   assert (get (h.diverged, "color"), get (h.loss(2), "color"));
%!   assert (get (h.legend.text(2), "string")(end-9:end), "(diverged)");
%!   assert (yl(2), 1.25 * 10 * max (h1.loss(1), hd.loss(1)), 1e-12 * yl(2));
%!   assert (xlim (h.axes(1)), [0, max(h1.iter(end), hd.iter(end))]);
%!   ## Limits, a log x axis and no legend: the reference line of the step
%!   ## plot spans the axes given.
%!   h = adagrad_plot (h1, hd, "parent", fig, "xlim", [1 30], "ylim", [1e-3 1e4; 1e-4 10],
%!                     "xscale", "log", "legend", false);
%!   assert (get (h.axes, "xscale"), {"log"; "log"});
%!   assert (get (h.axes, "xlim"), {[1 30]; [1 30]});
%!   assert (get (h.axes, "ylim"), {[1e-3 1e4]; [1e-4 10]});
%!   assert (isempty (h.legend));
%!   assert (get (h.diverged, "ydata"), 1e4);
%!   ## A history of one iterate: no x range of its own, the y limits still hold.
%!   h0 = h1;
%!   [h0.iter, h0.loss, h0.step] = deal (0, h1.loss(1), NaN);
%!   h = adagrad_plot (h0, "parent", fig, "panels", "loss", "ylim", [1 100]);
%!   assert (get (h.axes, "ylim"), [1 100]);
%!   h = adagrad_plot_step (h1, "normH", 4, "parent", fig, "xlim", [5 20], "legend", false);
%!   assert (get (h.ref, "xdata"), [5 20]);
%!   assert (isempty (h.legend));
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink ([tmp ".png"]);
%! end_unwind_protect
%!error <XLIM must be \[LO, HI\] with LO < HI> adagrad_plot (h1, "xlim", [2 1])
%!error <YLIM must be \[LO, HI\] with LO < HI> adagrad_plot (h1, "ylim", [1 NaN])
%!error <YLIM has 3 rows for 2 panels> adagrad_plot (h1, h2, "ylim", [1 2; 1 2; 1 2], "parent", figure ("visible", "off"))
%!error <XSCALE must be one of "linear", "log"> adagrad_plot (h1, "xscale", "lin")
%!error <LEGEND must be true or false> adagrad_plot (h1, "legend", "off")

%!test
%! ## A per-coordinate rule: on the rate panel the median and its 10%/90%
%! ## quantile lines, labelled; the step panel has one line per run.
%! [X, y] = adagrad_data (30, 5, "seed", 1);
%! [~, h3] = adagrad_train (X, y, "width", 100, "optimizer", "adam", "eta", 0.01, "maxiter", 20, "seed", 2);
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot (h1, h3, "parent", fig, "file", [tmp ".png"],
%!                     "panels", {"loss", "step", "rate"});
%!   assert (numel (h.band), 2);
%!   assert (get (h.band, "color"), {get(h.rate(2), "color"); get(h.rate(2), "color")});
%!   assert (get (h.band(1), "ydata")(:), h3.ratelo);
%!   assert (get (h.band(2), "ydata")(:), h3.ratehi);
%!   assert (get (h.rate(2), "ydata")(:), h3.rate);
%!   assert (get (h.step(2), "ydata")(:), h3.step);
%!   assert (numel (h.step), 2);
%!   assert (! isempty (strfind (get (get (h.axes(3), "title"), "string"), "10% and 90% quantiles")));
%!   assert (! isempty (strfind (get (get (h.axes(2), "title"), "string"), "||W(k+1) - W(k)||")));
%!   assert (dir ([tmp ".png"]).bytes > 2000);
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink ([tmp ".png"]);
%! end_unwind_protect

%!test
%! ## A struct array or a cell of runs, custom labels, SVG output; zero losses are skipped.
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h0 = h1;
%!   h0.loss(end) = 0;
%!   h = adagrad_plot ({h0, h2}, "labels", {"A", "B"}, "parent", fig, "file", [tmp ".svg"]);
%!   assert (get (h.legend.text, "string"), {"A"; "B"});
%!   assert (isnan (get (h.loss(1), "ydata")(end)));
%!   svg = fileread ([tmp ".svg"]);
%!   assert (! isempty (strfind (svg, "<svg")));
%!   before = numel (get (fig, "children"));
%!   h = adagrad_plot ([h1; h1], "parent", fig);
%!   assert (numel (h.loss), 2);
%!   ## Replotting replaces the previous axes and legend.
%!   assert (numel (get (fig, "children")), before);
%!   assert (all (ishghandle ([h.axes h.legend.axes])));
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink ([tmp ".svg"]);
%! end_unwind_protect

%!test
%! ## Mini-batches with a validation set, against epochs: the loss through the
%! ## evaluation points, the validation loss dashed in the run's colour.
%! [X, y] = adagrad_data (30, 5, "seed", 1);
%! [~, hm] = adagrad_train (X, y, "width", 100, "maxiter", 40, "seed", 2, "batchsize", 8,
%!                          "validation", {X(1:10, :), y(1:10)});
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot (h1, hm, "parent", fig, "xaxis", "epoch", "file", [tmp ".png"]);
%!   known = isfinite (hm.loss);
%!   assert (nnz (known), 11);
%!   assert (get (h.loss(2), "xdata")(:), hm.epoch(known));
%!   assert (get (h.loss(2), "ydata")(:), hm.loss(known));
%!   assert (get (h.loss(1), "xdata")(:), h1.epoch);
%!   assert (numel (h.vloss), 1);
%!   assert (get (h.vloss, "ydata")(:), hm.vloss(isfinite (hm.vloss)));
%!   assert (get (h.vloss, "color"), get (h.loss(2), "color"));
%!   assert (get (h.vloss, "linestyle"), "--");
%!   assert (get (get (h.axes(2), "xlabel"), "string"), "epoch");
%!   assert (strncmp (get (get (h.axes(1), "title"), "string"), "training loss (dashed: validation loss)", 39));
%!   assert (dir ([tmp ".png"]).bytes > 2000);
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink ([tmp ".png"]);
%! end_unwind_protect

%!test
%! ## Twelve runs for a report: each its own colour and line style, every
%! ## legend entry in the legend column, outside the data, no two overlapping.
%! [X, y] = adagrad_data (30, 5, "seed", 1);
%! runs = {};
%! for eta = [0.05 0.1 0.2 0.3]
%!   [~, runs{end+1}] = adagrad_train (X, y, "width", 50, "optimizer", "gd", "eta", eta, "maxiter", 20, "seed", 2);
%! endfor
%! for b0 = [0.1 1 10 100]
%!   [~, runs{end+1}] = adagrad_train (X, y, "width", 50, "optimizer", "adaloss", "b0", b0, "maxiter", 20, "seed", 2);
%!   [~, runs{end+1}] = adagrad_train (X, y, "width", 50, "optimizer", "adagrad-norm", "b0", b0, "maxiter", 20, "seed", 2);
%! endfor
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot (runs, "parent", fig, "file", [tmp ".png"]);
%!   assert (numel (h.legend.text), 12);
%!   styles = cellfun (@(l) {get(l, "color"), get(l, "linestyle"), get(l, "marker")}, num2cell (h.loss), "UniformOutput", false);
%!   keys = cellfun (@(c) sprintf ("%g %g %g %s %s", c{1}, c{2}, c{3}), styles, "UniformOutput", false);
%!   assert (numel (unique (keys)), 12);
%!   ## GD runs are told apart by their step, not by a b0 they ignore.
%!   lab = get (h.legend.text, "string");
%!   assert (lab(1:4)', {"gd, eta = 0.05", "gd, eta = 0.1", "gd, eta = 0.2", "gd, eta = 0.3"});
%!   ## Legend entries: inside the figure, right of the data axes, not overlapping.
%!   set (h.legend.text, "units", "normalized");
%!   ext = cell2mat (get (h.legend.text, "extent"));
%!   lpos = get (h.legend.axes, "position");
%!   apos = get (h.axes(1), "position");
%!   assert (lpos(1) > apos(1) + apos(3));
%!   assert (all (ext(:, 2) >= 0 & ext(:, 2) + ext(:, 4) <= 1 + 1e-9));
%!   for i = 1:11
%!     assert (ext(i, 2) >= ext(i + 1, 2) + ext(i + 1, 4) - 1e-9 || ext(i, 1) >= ext(i + 1, 1) + ext(i + 1, 3));
%!   endfor
%!   ## Ticks over the whole range: decades labelled 10^{k}, or on a range of
%!   ## two decades or less at least three ticks at 1, 2, 5 times a decade,
%!   ## labelled with their values.
%!   t = get (h.axes(1), "yticklabel");
%!   v = get (h.axes(1), "ytick");
%!   yl = ylim (h.axes(1));
%!   if (log10 (yl(2) / yl(1)) > 2.5)
%!     assert (all (strncmp (t, "10^{", 4)));
%!   else
%!     assert (numel (v) >= 3);
%!     assert (str2double (t(:)'), v, 1e-12 * max (v));
%!     m = v ./ 10 .^ floor (log10 (v) + 1e-12);
%!     assert (all (ismember (round (m), 1:9)) && all (abs (m - round (m)) < 1e-9));
%!   endif
%!   assert (dir ([tmp ".png"]).bytes > 5000);
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink ([tmp ".png"]);
%! end_unwind_protect

%!test
%! ## Two plots side by side in one figure, with axes as parents; time on
%! ## the x axis, the gradient norm as a panel, a linear scale, a title.
%! fig = figure ("visible", "off");
%! unwind_protect
%!   a1 = subplot (1, 2, 1, "parent", fig);
%!   a2 = subplot (1, 2, 2, "parent", fig);
%!   h = adagrad_plot (h1, h2, "parent", a1, "xaxis", "time", "panels", {"loss", "gnorm"});
%!   g = adagrad_plot (h1, "parent", a2, "yscale", "linear", "title", "mine", "panels", "loss");
%!   assert (ishghandle (h.axes(1)) && ishghandle (g.axes));
%!   assert (get (h.gnorm(2), "xdata")(:), h2.time(isfinite (h2.gnorm)));
%!   assert (get (get (h.axes(2), "xlabel"), "string"), "time (s)");
%!   assert (get (g.axes, "yscale"), "linear");
%!   assert (get (get (g.axes, "title"), "string"), "mine");
%!   pa = get (h.axes(1), "position");
%!   pb = get (g.axes, "position");
%!   assert (pa(1) + pa(3) < pb(1));
%!   ## GD alone takes one constant step: no step panel, the title says it.
%!   k = adagrad_plot (h2, h2, "parent", fig);
%!   assert (k.panels, {"loss"});
%!   assert (! isempty (strfind (get (get (k.axes, "title"), "string"), "step 0.3 in every run")));
%!   ## A uipanel, which gnuplot cannot draw: a clear error naming the way out.
%!   if (strcmp (get (fig, "__graphics_toolkit__"), "gnuplot"))
%!     up = uipanel ("parent", fig);
%!     fail ("adagrad_plot (h1, 'parent', up)", "the gnuplot toolkit does not draw uipanels; give an axes instead");
%!   endif
%!   ## Without an output argument nothing is printed.
%!   out = evalc ("adagrad_plot (h1, 'parent', fig)");
%!   assert (out, "");
%! unwind_protect_cleanup
%!   close (fig);
%! end_unwind_protect

%!error <XAXIS must be one of> adagrad_plot (h1, "xaxis", "wallclock")
%!error <PANELS must be "auto" or a cell array> adagrad_plot (h1, "panels", {"loss", "b"})
%!error <YSCALE must be one of "log", "linear"> adagrad_plot (h1, "yscale", "semilog")
%!error <run 1 has no epoch record> adagrad_plot (rmfield (h1, "epoch"), "xaxis", "epoch")
%!error <Invalid call> adagrad_plot ()
%!error <adagrad_plot: run 1 must be a history struct> adagrad_plot (struct ("a", 1))
%!error <adagrad_plot: run 2 must be a history struct> adagrad_plot (h1, 3)
%!error <adagrad_plot: LABELS must be a cell array of 2 strings> adagrad_plot (h1, h2, "labels", {"a"})
%!error <adagrad_plot: FILE must end in .png, .svg or .pdf> adagrad_plot (h1, "file", "x.jpg")
%!error <adagrad_plot: FILE must be a file name> adagrad_plot (h1, "file", 3)
%!error <adagrad_plot: PARENT must be a figure, uipanel or axes handle> adagrad_plot (h1, "parent", -5)
%!error <adagrad_plot: unknown option "color"> adagrad_plot (h1, "color", "r")
