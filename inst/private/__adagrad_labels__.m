## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{label} =} __adagrad_labels__ ("default", @var{optimizer}, @var{eta}, @var{params}, @var{m}, @var{sampling}, @var{batchsize})
## @deftypefnx {} {[@var{labels}, @var{common}] =} __adagrad_labels__ ("runs", @var{runs})
## Internal: legend labels.  @qcode{"default"}: the label
## @code{adagrad_train} gives a history (@code{hist.label}): the rule, b0
## where the rule has one (else eta), the width, and the batch size of a
## mini-batch run; a rule written in Octave is named "@NAME" after its
## function, or "@anonymous".  @qcode{"runs"}: labels for the histories in the cell
## @var{runs} that show what differs between them (the rule; eta, the step
## of GD and the other rules without b0; b0 and the other parameters where
## they differ from the rule's defaults; the width; the batch size, or
## "full batch" beside runs on mini-batches; n; the seed of sweep results) and leave out what
## they share, which comes back in @var{common} for the title.  A run whose
## @code{label} is not its default one was labelled by the user: then every
## run keeps its own label (and @var{common} is empty).
## @end deftypefn

function varargout = __adagrad_labels__ (what, varargin)
  switch (what)
    case "default"
      varargout{1} = default_label (varargin{:});
    case "runs"
      [varargout{1:2}] = run_labels (varargin{1});
    otherwise
      error ("adagrad:internal", "__adagrad_labels__: unknown request \"%s\"", what);
  endswitch
endfunction

function s = default_label (name, eta, params, m, sampling, batchsize)
  if (is_function_handle (name))
    name = rule_name (name);
  endif
  ## Values a run cannot have (a history from a file): no default label.
  scalar = @(v) isnumeric (v) && isreal (v) && isscalar (v);
  if (! ischar (name) || ! scalar (eta) || ! scalar (m) || ! isstruct (params)
      || (isfield (params, "b0") && ! scalar (params.b0))
      || (! strcmp (sampling, "full") && ! scalar (batchsize)))
    s = "";
    return;
  endif
  if (isfield (params, "b0"))
    s = sprintf ("%s, b0 = %g, m = %d", name, params.b0, m);
  else
    s = sprintf ("%s, eta = %g, m = %d", name, eta, m);
  endif
  if (! strcmp (sampling, "full"))
    s = sprintf ("%s, |B| = %d", s, batchsize);
  endif
endfunction

function [labels, common] = run_labels (runs)
  n = numel (runs);
  labels = cell (1, n);
  common = "";
  need = {"optimizer", "eta", "params", "width", "sampling", "batchsize"};
  described = all (cellfun (@(r) all (isfield (r, need)) && isstruct (r.params), runs));
  custom = ! described;
  for k = 1:n
    if (described && isfield (runs{k}, "label"))
      r = runs{k};
      custom = custom || ! strcmp (runs{k}.label, default_label (r.optimizer, r.eta, r.params,
                                                                  r.width, r.sampling,
                                                                  r.batchsize));
    endif
  endfor
  if (custom || n == 1)
    for k = 1:n
      if (isfield (runs{k}, "label") && ischar (runs{k}.label))
        labels{k} = runs{k}.label;
      else
        labels{k} = sprintf ("run %d", k);
      endif
    endfor
    return;
  endif
  props = cellfun (@describe, runs, "UniformOutput", false);
  keys = {};
  for k = 1:n
    keys = [keys, props{k}(:, 1)'];
  endfor
  ## One order for all: the rule, b0, eta, the other parameters, then the
  ## sizes and the seed.
  keys = unique (keys);
  tail = {"m", "|B|", "n", "seed"};
  head = {"", "b0", "eta"};
  rank = 10 * ones (size (keys));
  for j = 1:numel (keys)
    h = find (strcmp (head, keys{j}));
    t = find (strcmp (tail, keys{j}));
    if (! isempty (h))
      rank(j) = h;
    elseif (! isempty (t))
      rank(j) = 100 + t;
    endif
  endfor
  [~, i] = sort (rank);
  keys = keys(i);
  shared = false (size (keys));
  for j = 1:numel (keys)
    vals = cellfun (@(p) value_of (p, keys{j}), props, "UniformOutput", false);
    shared(j) = ! any (cellfun (@isempty, vals)) && numel (unique (vals)) == 1;
  endfor
  ## Full batch is said only beside runs on mini-batches.
  quiet = shared & strcmp (keys, "|B|");
  common = strjoin (cellfun (@(j) entry (keys{j}, value_of (props{1}, keys{j})),
                             num2cell (find (shared & ! quiet)), "UniformOutput", false), ", ");
  for k = 1:n
    parts = {};
    for j = find (! shared)
      v = value_of (props{k}, keys{j});
      if (! isempty (v))
        parts{end+1} = entry (keys{j}, v);
      endif
    endfor
    if (isempty (parts))
      parts = {sprintf("run %d", k)};
    endif
    labels{k} = strjoin (parts, ", ");
  endfor
endfunction

## The settings of a history, as {key, value text} rows in the order they
## are shown; key "" is the rule's name, shown alone.
## (A history from a file may hold anything in these fields: what is not a
## name or a number shows as "?".)
function p = describe (r)
  name = rule_name (r.optimizer);
  params = r.params;
  if (! isstruct (params) || ! isscalar (params))
    params = struct ();
  endif
  p = {"", name};
  if (isfield (params, "b0"))
    p(end+1, :) = {"b0", num(params.b0)};
  endif
  p(end+1, :) = {"eta", num(r.eta)};
  ## The other parameters where they differ from the rule's defaults (Adam's
  ## beta1, beta2 and epsilon are not repeated on every label).
  defaults = struct ();
  if (ischar (r.optimizer) && any (strcmp (r.optimizer, __adagrad_optimizer__ ("names"))))
    for q = __adagrad_optimizer__ ("info", r.optimizer).params(:)'
      defaults.(q.name) = q.default;
    endfor
  endif
  for f = sort (setdiff (fieldnames (params), {"b0"}))'
    v = params.(f{1});
    if (isnumeric (v) && isscalar (v)
        && ! (isfield (defaults, f{1}) && isequal (v, defaults.(f{1}))))
      p(end+1, :) = {f{1}, num(v)};
    endif
  endfor
  p(end+1, :) = {"m", num(r.width)};
  if (! strcmp (r.sampling, "full"))
    p(end+1, :) = {"|B|", num(r.batchsize)};
  else
    p(end+1, :) = {"|B|", "full"};
  endif
  if (isfield (r, "n") && isnumeric (r.n) && isscalar (r.n))
    p(end+1, :) = {"n", sprintf("%d", r.n)};
  endif
  if (isfield (r, "seed") && isnumeric (r.seed) && isscalar (r.seed))
    p(end+1, :) = {"seed", sprintf("%d", r.seed)};
  endif
endfunction

## A rule's name for a label: a function's name as "@name"; an anonymous
## function's source is no name (it would fill the legend): "@anonymous".
function name = rule_name (name)
  if (is_function_handle (name))
    f = functions (name);
    if (strcmp (f.type, "anonymous"))
      name = "@anonymous";
    else
      name = ["@" func2str(name)];
      name = strrep (name, "@@", "@");
    endif
  elseif (! ischar (name) || ! (isrow (name) || isempty (name)))
    name = "?";
  endif
endfunction

function v = value_of (p, key)
  i = find (strcmp (p(:, 1), key), 1);
  v = "";
  if (! isempty (i))
    v = p{i, 2};
  endif
endfunction

function s = entry (key, v)
  if (isempty (key))
    s = v;
  elseif (strcmp (key, "|B|") && strcmp (v, "full"))
    s = "full batch";
  else
    s = sprintf ("%s = %s", key, v);
  endif
endfunction

function s = num (v)
  if (isnumeric (v) && isreal (v) && isscalar (v))
    s = sprintf ("%.4g", v);
  else
    s = "?";
  endif
endfunction

%!test
%! ## Short labels: a named rule written in Octave as @name, an anonymous
%! ## one as @anonymous; Adam's defaults left out, a value that differs
%! ## shown; "full batch" beside a mini-batch run, not when all are full.
%! b = struct ("optimizer", "adam", "eta", 0.01, "width", 100, "sampling", "full",
%!             "batchsize", 20, "params", struct ("beta1", 0.9, "beta2", 0.999, "epsilon", 1e-8));
%! hb = @(W, G, s, info) deal (W - info.eta * (0.9 * s + G), 0.9 * s + G);
%! r = {b, setfield(b, "params", setfield (b.params, "beta1", 0.5)), ...
%!      setfield(setfield (b, "optimizer", hb), "params", struct ()), ...
%!      setfield(setfield (b, "optimizer", @sin), "params", struct ())};
%! labels = __adagrad_labels__ ("runs", r);
%! assert (labels, {"adam", "adam, beta1 = 0.5", "@anonymous", "@sin"});
%! [labels, common] = __adagrad_labels__ ("runs", {b, setfield(setfield (b, "sampling", "shuffle"), "batchsize", 10)});
%! assert (labels, {"full batch", "|B| = 10"});
%! assert (common, "adam, eta = 0.01, m = 100");
%! assert (__adagrad_labels__ ("default", hb, 0.1, struct (), 10, "full", 5), "@anonymous, eta = 0.1, m = 10");
%! assert (__adagrad_labels__ ("default", @sin, 0.1, struct (), 10, "full", 5), "@sin, eta = 0.1, m = 10");

%!shared base
%! base = struct ("optimizer", "gd", "eta", 0.1, "params", struct (), "width", 100,
%!               "sampling", "full", "batchsize", 20, "n", 20);

%!test
%! ## Three GD runs that differ in eta: labelled by eta (their step), not b0.
%! runs = {base, setfield(base, "eta", 1), setfield(base, "eta", 2)};
%! for k = 1:3
%!   r = runs{k};
%!   runs{k}.label = __adagrad_labels__ ("default", r.optimizer, r.eta, r.params, r.width, "full", 20);
%! endfor
%! [labels, common] = __adagrad_labels__ ("runs", runs);
%! assert (labels, {"eta = 0.1", "eta = 1", "eta = 2"});
%! assert (common, "gd, m = 100, n = 20");

%!test
%! ## A history from a file with anything in its fields (fuzz, seed 1: b0 a
%! ## cell stopped adagrad_plot_step with an error of sprintf's): "?".
%! a = setfield (setfield (base, "optimizer", "adaloss"), "params", struct ("b0", {{1, [1 2]}}, "alpha", 0.1));
%! assert (__adagrad_labels__ ("default", "adaloss", 1, a.params, 100, "full", 1), "");
%! assert (__adagrad_labels__ ("default", {1}, 1, struct (), 100, "full", 1), "");
%! a.label = "adaloss, b0 = 1, m = 100";
%! [labels, common] = __adagrad_labels__ ("runs", {a, base});
%! assert (labels, {"adaloss, b0 = 1, m = 100", "run 2"});
%! a = rmfield (a, "label");
%! [labels, common] = __adagrad_labels__ ("runs", {a, setfield(setfield (a, "optimizer", 3), "width", "x")});
%! assert (labels, {"adaloss, m = 100", "?, m = ?"});
%! assert (common, "b0 = ?, eta = 0.1, alpha = 0.1, n = 20");

%!test
%! ## Rules with b0 and without: each shows what it has.
%! a = setfield (setfield (base, "optimizer", "adaloss"), "params", struct ("b0", 0.5, "alpha", 0.1));
%! a.eta = 1;
%! [labels, common] = __adagrad_labels__ ("runs", {base, a, setfield(a, "width", 400)});
%! assert (labels, {"gd, eta = 0.1, m = 100", "adaloss, b0 = 0.5, eta = 1, alpha = 0.1, m = 100", ...
%!                  "adaloss, b0 = 0.5, eta = 1, alpha = 0.1, m = 400"});
%! assert (common, "n = 20");

%!test
%! ## A label the user set is kept, for every run.
%! runs = {setfield(base, "label", "mine"), setfield(base, "eta", 3)};
%! runs{2}.label = __adagrad_labels__ ("default", "gd", 3, struct (), 100, "full", 20);
%! [labels, common] = __adagrad_labels__ ("runs", runs);
%! assert (labels, {"mine", "gd, eta = 3, m = 100"});
%! assert (common, "");
%! ## Histories without the settings: their labels, else "run K".
%! [labels, common] = __adagrad_labels__ ("runs", {struct("iter", 1), struct("label", "x")});
%! assert (labels, {"run 1", "x"});
%! ## Identical settings (seeds of a sweep tell them apart).
%! [labels, common] = __adagrad_labels__ ("runs", {setfield(base, "seed", 1), setfield(base, "seed", 2)});
%! assert (labels, {"seed = 1", "seed = 2"});

%!test
%! assert (__adagrad_labels__ ("default", "adaloss", 1, struct ("b0", 0.1), 200, "shuffle", 16),
%!         "adaloss, b0 = 0.1, m = 200, |B| = 16");
