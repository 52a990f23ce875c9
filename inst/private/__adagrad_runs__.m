## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {[@var{runs}, @var{labels}, @var{opts}, @var{common}] =} __adagrad_runs__ (@var{fname}, @var{fields}, @var{defaults}, @var{args})
## Internal: the leading history arguments of a plot helper (structs, struct
## arrays or cells of structs, up to the first string; results of
## @code{adagrad_sweep} stand for their histories, labelled by their
## settings) as a cell of scalar structs that have all @var{fields}; then the name/value options, parsed
## against @var{defaults} plus @qcode{"labels"}, @qcode{"parent"},
## @qcode{"file"}, @qcode{"title"}, @qcode{"xlim"}, @qcode{"ylim"},
## @qcode{"xscale"} and @qcode{"legend"} (validated here, applied by
## @code{__adagrad_axes__ (fname, "frame", @dots{})}); and the legend labels (the option,
## else what tells the runs apart, @code{__adagrad_labels__}) with
## @var{common}, what they share (for the title).
## @end deftypefn

function [runs, labels, opts, common] = __adagrad_runs__ (fname, fields, defaults, args)
  ## The options start at the first name, or at the first struct that is
  ## neither a history (field iter) nor sweep results (field hist): a
  ## struct of options.
  isopt = @(v) ischar (v) || (isstruct (v) && isscalar (v) && ! isfield (v, "iter")
                              && ! isfield (v, "hist"));
  nruns = find ([false, cellfun(isopt, args(2:end))] | cellfun (@ischar, args), 1) - 1;
  if (isempty (nruns))
    nruns = numel (args);
  endif
  if (nruns < 1)
    __adagrad_usage__ (fname);
  endif
  runs = {};
  for k = 1:nruns
    v = args{k};
    if (iscell (v))
      runs = [runs, v(:)'];
    elseif (isstruct (v) && all (isfield (v, {"hist", "optimizer", "b0", "width", "seed"})))
      ## Results of adagrad_sweep (or adagrad_sweep_collect): their histories.
      for r = v(:)'
        if (! isstruct (r.hist) || isempty (r.hist))
          error ("adagrad:badinput",
                 "%s: the sweep result %s, b0 = %g has no history (the sweep ran with \"keephist\", false)",
                 fname, r.optimizer, r.b0);
        endif
        h = r.hist;
        h.seed = r.seed;
        runs{end+1} = h;
      endfor
    elseif (isstruct (v))
      runs = [runs, num2cell(v(:))'];
    else
      runs{end+1} = v;
    endif
  endfor
  if (isempty (runs))
    error ("adagrad:badinput", "%s: no history to plot (an empty struct or cell)", fname);
  endif
  [defaults.parent, defaults.labels, defaults.file, defaults.title] = deal ([], {}, "", "");
  [defaults.xlim, defaults.ylim, defaults.xscale, defaults.legend] = deal ([], [], "linear", true);
  opts = __adagrad_options__ (fname, defaults, args{nruns+1:end});
  opts.xscale = __adagrad_check__ (fname, "XSCALE", opts.xscale, "choice", {"linear", "log"});
  opts.legend = __adagrad_check__ (fname, "LEGEND", opts.legend, "logical");
  if (! isempty (opts.xlim) && ! (limits_ok (opts.xlim) && rows (opts.xlim) == 1))
    error ("adagrad:badinput", "%s: XLIM must be [LO, HI] with LO < HI (finite reals)", fname);
  endif
  if (! isempty (opts.ylim) && ! limits_ok (opts.ylim))
    error ("adagrad:badinput",
           "%s: YLIM must be [LO, HI] with LO < HI (finite reals) for the top panel, or one such row per panel",
           fname);
  endif
  for k = 1:numel (runs)
    msg = __adagrad_history__ ("validate", runs{k}, fields);
    if (! isempty (msg))
      error ("adagrad:badinput", "%s: run %d %s", fname, k, msg);
    endif
  endfor
  ## What the runs share goes to the title whether or not labels are given.
  [auto, common] = __adagrad_labels__ ("runs", runs);
  labels = opts.labels;
  if (isempty (labels))
    labels = auto;
  elseif (! iscellstr (labels) || numel (labels) != numel (runs))
    error ("adagrad:badinput",
           "%s: LABELS must be a cell array of %d strings, one per run",
           fname, numel (runs));
  endif
endfunction

## Axis limits: rows [LO, HI] of finite reals with LO < HI.
function ok = limits_ok (v)
  ok = (isnumeric (v) && isreal (v) && ismatrix (v) && columns (v) == 2 && rows (v) >= 1
        && all (isfinite (v(:))) && all (v(:, 1) < v(:, 2)));
endfunction

%!test
%! h = struct ("iter", 1, "loss", 2, "label", "A");
%! [runs, labels, opts] = __adagrad_runs__ ("f", {"iter"}, struct ("x", 1), {h, {h, h}, "x", 2});
%! assert (numel (runs), 3);
%! assert (labels, {"A", "A", "A"});
%! assert ([opts.x, isempty(opts.parent)], [2 1]);
%! [~, labels] = __adagrad_runs__ ("f", {"iter"}, struct (), {rmfield(h, "label")});
%! assert (labels, {"run 1"});

%!test
%! ## Sweep results: their histories, labelled by their settings.
%! h = struct ("iter", 1, "loss", 2);
%! r = struct ("optimizer", {"gd", "adaloss"}, "b0", {1, 2}, "width", 10, "seed", 3,
%!             "hist", {h, setfield(h, "label", "mine")});
%! [runs, labels] = __adagrad_runs__ ("f", {"iter"}, struct (), {r});
%! assert (numel (runs), 2);
%! assert (labels, {"run 1", "mine"});
%! assert (runs{1}.seed, 3);
%! r(1).hist = [];
%! fail ('__adagrad_runs__ ("f", {"iter"}, struct (), {r})', "the sweep result gd, b0 = 1 has no history");

%!test
%! ## Options as a struct after the runs.
%! h = struct ("iter", 1, "loss", 2);
%! [runs, labels, opts] = __adagrad_runs__ ("f", {"iter"}, struct ("x", 1), {h, h, struct("x", 3, "labels", {{"a", "b"}})});
%! assert (numel (runs), 2);
%! assert (opts.x, 3);
%! assert (labels, {"a", "b"});

%!error <f: no history to plot> __adagrad_runs__ ("f", {"iter"}, struct (), {struct([])})
%!error <Invalid call to f> __adagrad_runs__ ("f", {"iter"}, struct (), {"x", 1})
%!error <f: run 2 must be a history struct from adagrad_train \(fields iter, loss\)> __adagrad_runs__ ("f", {"iter", "loss"}, struct (), {struct("iter", 1, "loss", 1), 3})
%!error <f: run 1 has a field loss that is not a real vector> __adagrad_runs__ ("f", {"iter", "loss"}, struct (), {struct("iter", 1, "loss", [1 2])})
%!error <f: LABELS must be a cell array of 1 strings> __adagrad_runs__ ("f", {"iter"}, struct (), {struct("iter", 1), "labels", {"a", "b"}})
