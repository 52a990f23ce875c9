## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{h} =} adagrad_plot (@var{hist})
## @deftypefnx {} {@var{h} =} adagrad_plot (@var{hist1}, @var{hist2}, @dots{})
## @deftypefnx {} {@var{h} =} adagrad_plot (@dots{}, @var{name}, @var{value}, @dots{})
## Plot training histories from @code{adagrad_train}: the loss (log scale,
## top) and the effective step (log scale, bottom: @code{eta/b} for
## AdaGrad-Norm and AdaLoss, @var{eta} for GD and momentum; for the
## per-coordinate rules AdaGrad, RMSprop and Adam the median of the
## per-coordinate steps as a line and their 10% and 90% quantiles as thin
## dashed lines of the same colour) against the iteration, one line per run,
## with a legend.  With mini-batches the loss is drawn through the
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
## Figure or uipanel to draw into; its previous contents are replaced.
## The function never creates a figure of its own beyond what @code{gcf}
## does.
## @item @qcode{"labels"} (default: each history's @code{label})
## Cell array of legend entries, one per run.
## @item @qcode{"xaxis"} (default @qcode{"iter"})
## @qcode{"iter"}: against the iteration; @qcode{"epoch"}: against the
## epochs of data used (@code{hist.epoch}, rows used over n: one per step
## in full batch).
## @item @qcode{"file"} (default: none)
## Also save the figure to this file: @file{.png} (cairo, works without a
## display), @file{.svg} or @file{.pdf}.
## @end table
##
## @var{h} is a struct with fields @code{axes} (loss and step axes),
## @code{loss} and @code{step} (line handles, one per run), @code{vloss}
## (the validation lines, one per run that has one), @code{band}
## (the quantile lines, two per per-coordinate run) and @code{legend}.
##
## Without a display, use Octave's gnuplot toolkit:
## @code{graphics_toolkit ("gnuplot"); set (0, "defaultfigurevisible", "off")}.
## @seealso{adagrad_train}
## @end deftypefn

function h = adagrad_plot (varargin)
  fname = "adagrad_plot";
  [runs, labels, opts] = __adagrad_runs__ (fname, {"iter", "loss", "step"},
                                           struct ("xaxis", "iter"), varargin);
  xaxis = __adagrad_check__ (fname, "XAXIS", opts.xaxis, "choice", {"iter", "epoch"});
  if (strcmp (xaxis, "epoch"))
    for k = 1:numel (runs)
      msg = __adagrad_history__ ("validate", runs{k}, {"iter", "epoch"});
      if (! isempty (msg))
        error ("adagrad:badinput", "%s: run %d has no epochs (a history of adagrad 0.3 or later): %s",
               fname, k, msg);
      endif
    endfor
  endif
  __adagrad_axes__ (fname, "check", opts.file);
  ax = __adagrad_axes__ (fname, "axes", opts.parent, 2);
  set (ax, "yscale", "log");
  colors = lines (numel (runs));
  hl = hs = zeros (1, numel (runs));
  [hb, hv] = deal ([]);
  banded = false;
  for k = 1:numel (runs)
    r = runs{k};
    x = r.(xaxis);
    ## The loss where it is known (all iterates in full batch, the evaluation
    ## points with mini-batches); a log axis cannot show a zero loss: such
    ## points are left out.
    known = ! isnan (r.loss);
    loss = r.loss(known);
    loss(loss <= 0) = NaN;
    hl(k) = plot (ax(1), x(known), loss, "color", colors(k, :), "linewidth", 1.5);
    if (isfield (r, "vloss") && any (isfinite (r.vloss)))
      v = isfinite (r.vloss) & r.vloss > 0;
      hv(end+1) = plot (ax(1), x(v), r.vloss(v), "--", "color", colors(k, :), "linewidth", 1.5);
    endif
    hs(k) = plot (ax(2), x, r.step, "color", colors(k, :), "linewidth", 1.5);
    if (isempty (__adagrad_history__ ("validate", r, {"iter", "steplo", "stephi"}))
        && ! isequaln (r.steplo(:), r.step(:)) && ! isequaln (r.stephi(:), r.step(:)))
      for q = {r.steplo, r.stephi}
        hb(end+1) = plot (ax(2), x, q{1}, "--", "color", colors(k, :), "linewidth", 1);
      endfor
      banded = true;
    endif
  endfor
  ## A diverging run would stretch the loss axis to 1e300: it leaves the plot
  ## at the top instead.
  first = cellfun (@(r) r.loss(1), runs);
  low = min (cellfun (@(r) min ([r.loss(r.loss > 0); Inf]), runs));
  top = 1e3 * max (first(isfinite (first)));
  if (isfinite (low) && ! isempty (top) && top > low)
    lim = 10 .^ [floor(log10 (low)), ceil(log10 (top))];
    ylim (ax(1), lim);
    ## About six labelled decades, whatever the range.
    stride = max (1, ceil (diff (log10 (lim)) / 6));
    set (ax(1), "ytick", 10 .^ (log10 (lim(1)):stride:log10 (lim(2))));
  endif
  ylabel (ax(1), "loss  0.5 ||u - y||^2");
  if (isempty (hv))
    title (ax(1), "training loss");
  else
    title (ax(1), "training loss (dashed: validation loss)");
  endif
  xlabel (ax(2), merge (strcmp (xaxis, "epoch"), "epoch", "iteration"));
  ylabel (ax(2), "effective step");
  if (banded)
    title (ax(2), "effective step (dashed: 10% and 90% quantiles)");
  else
    title (ax(2), "effective step size");
  endif
  hleg = __adagrad_axes__ (fname, "legend", ax(1), hl, labels, "northeast");
  h = struct ("axes", ax, "loss", hl, "step", hs, "vloss", hv, "band", hb, "legend", hleg);
  __adagrad_axes__ (fname, "save", ax, opts.file);
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
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot (h1, h2, "parent", fig, "file", [tmp ".png"]);
%!   assert (numel (h.axes), 2);
%!   assert (numel (h.loss), 2);
%!   assert (get (h.loss(1), "xdata")(:), h1.iter);
%!   assert (get (h.loss(2), "ydata")(:), h2.loss);
%!   assert (get (h.step(1), "ydata")(:), h1.step);
%!   assert (get (h.axes, "yscale"), {"log"; "log"});
%!   assert (get (h.legend, "string"), {h1.label, h2.label});
%!   info = dir ([tmp ".png"]);
%!   assert (info.bytes > 2000);
%!   im = imfinfo ([tmp ".png"]);
%!   assert ([im.Width im.Height] > [300 200]);
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink ([tmp ".png"]);
%! end_unwind_protect

%!test
%! ## A per-coordinate rule: the median and its 10%/90% quantile lines, labelled.
%! [X, y] = adagrad_data (30, 5, "seed", 1);
%! [~, h3] = adagrad_train (X, y, "width", 100, "optimizer", "adam", "eta", 0.01, "maxiter", 20, "seed", 2);
%! fig = figure ("visible", "off");
%! unwind_protect
%!   h = adagrad_plot (h1, h3, "parent", fig, "file", [tmp ".png"]);
%!   assert (numel (h.band), 2);
%!   assert (get (h.band, "color"), {get(h.step(2), "color"); get(h.step(2), "color")});
%!   assert (get (h.band(1), "ydata")(:), h3.steplo);
%!   assert (get (h.band(2), "ydata")(:), h3.stephi);
%!   assert (get (h.step(2), "ydata")(:), h3.step);
%!   assert (! isempty (strfind (get (get (h.axes(2), "title"), "string"), "10% and 90% quantiles")));
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
%!   assert (get (h.legend, "string"), {"A", "B"});
%!   assert (isnan (get (h.loss(1), "ydata")(end)));
%!   svg = fileread ([tmp ".svg"]);
%!   assert (! isempty (strfind (svg, "<svg")));
%!   before = numel (get (fig, "children"));
%!   h = adagrad_plot ([h1; h1], "parent", fig);
%!   assert (numel (h.loss), 2);
%!   ## Replotting replaces the previous axes and legend.
%!   assert (numel (get (fig, "children")), before);
%!   assert (all (ishghandle ([h.axes h.legend])));
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
%!   assert (get (get (h.axes(1), "title"), "string"), "training loss (dashed: validation loss)");
%!   assert (dir ([tmp ".png"]).bytes > 2000);
%! unwind_protect_cleanup
%!   close (fig);
%!   unlink ([tmp ".png"]);
%! end_unwind_protect

%!error <XAXIS must be one of> adagrad_plot (h1, "xaxis", "time")
%!error <run 1 has no epochs> adagrad_plot (rmfield (h1, "epoch"), "xaxis", "epoch")
%!error <Invalid call> adagrad_plot ()
%!error <adagrad_plot: run 1 must be a history struct> adagrad_plot (struct ("a", 1))
%!error <adagrad_plot: run 2 must be a history struct> adagrad_plot (h1, 3)
%!error <adagrad_plot: LABELS must be a cell array of 2 strings> adagrad_plot (h1, h2, "labels", {"a"})
%!error <adagrad_plot: FILE must end in .png, .svg or .pdf> adagrad_plot (h1, "file", "x.jpg")
%!error <adagrad_plot: FILE must be a file name> adagrad_plot (h1, "file", 3)
%!error <adagrad_plot: PARENT must be a figure or uipanel handle> adagrad_plot (h1, "parent", -5)
%!error <adagrad_plot: unknown option "color"> adagrad_plot (h1, "color", "r")
