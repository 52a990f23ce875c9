## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{names} =} __adagrad_optimizer__ ("names")
## @deftypefnx {} {@var{name} =} __adagrad_optimizer__ ("default")
## @deftypefnx {} {@var{names} =} __adagrad_optimizer__ ("paramnames")
## @deftypefnx {} {@var{names} =} __adagrad_optimizer__ ("losses")
## @deftypefnx {} {@var{name} =} __adagrad_optimizer__ ("defaultloss")
## @deftypefnx {} {@var{L} =} __adagrad_optimizer__ ("losstable")
## @deftypefnx {} {@var{y} =} __adagrad_optimizer__ ("targets", @var{fname}, @var{loss}, @var{what}, @var{y}, @var{K}, @var{classes})
## @deftypefnx {} {} __adagrad_optimizer__ ("squaredonly", @var{fname}, @var{hist}, @var{statement})
## @deftypefnx {} {@var{defaults} =} __adagrad_optimizer__ ("options", @var{defaults})
## @deftypefnx {} {@var{given} =} __adagrad_optimizer__ ("given", @var{opts})
## @deftypefnx {} {@var{info} =} __adagrad_optimizer__ ("info", @var{rule})
## @deftypefnx {} {@var{opt} =} __adagrad_optimizer__ ("resolve", @var{fname}, @var{rule}, @var{eta}, @var{given}, @var{base})
## @deftypefnx {} {@var{state} =} __adagrad_optimizer__ ("state", @var{opt}, @var{m}, @var{d}, @var{cls})
## @deftypefnx {} {@var{state} =} __adagrad_optimizer__ ("checkstate", @var{fname}, @var{opt}, @var{state}, @var{m}, @var{d})
## @deftypefnx {} {@var{state} =} __adagrad_optimizer__ ("cast", @var{rule}, @var{state}, @var{cls})
## Internal: the step rules as the Octave layer sees them, all learned from
## the C rule table (MEX @code{__adagrad_rules__}); no rule name is written
## here.
##
## @qcode{"names"}: the rule names.  @qcode{"default"}: the package's
## default rule.  @qcode{"losses"}, @qcode{"defaultloss"}, @qcode{"losstable"}:
## the names of the loss table, its default, the table (name and formulas);
## @qcode{"loss"}: the entry of the loss named @var{name}.
## @qcode{"targets"}: an error naming @var{what} unless @var{y} holds what
## the loss @var{loss} takes for a network of @var{K} outputs (default 1):
## the table's targets (any values in K columns; +1 and -1; class labels
## 1..K, one per row) and its range of K; with @var{classes} true (the
## squared loss), @var{y} holds labels 1..K and comes back as its n-by-K
## one-hot matrix.
## @qcode{"squaredonly"}: an error unless the history @var{hist} is of the
## squared loss (a history without @code{lossname} is: 0.8 and earlier),
## saying that @var{statement} is the squared loss's.  @qcode{"paramnames"}: every parameter
## name of any rule (the options @code{adagrad_train} accepts for them).
## @qcode{"options"}: the option struct @var{defaults} with a field for each
## parameter name, empty (the rule's default).  @qcode{"given"}: the
## parameter fields of the parsed options @var{opts}, for @qcode{"resolve"}.
## @qcode{"info"}: the table entry of @var{rule} (a name), or a struct
## describing a function-handle rule (no parameters of the table, no b).
## @qcode{"resolve"}: the optimizer struct (fields @code{rule}, @code{eta},
## @code{params}) for @var{rule} (a name, any case, or a function handle)
## with learning rate @var{eta} (empty: the rule's default, @code{eta_default}): each parameter from the struct @var{given}
## (options the caller set; an empty field means not set), else from the
## struct @var{base} (e.g. a network's stored parameters), else the table's
## default; each checked against its range.  A parameter in @var{given} that
## the rule does not have is an error.  @code{@var{given}.params} (the option
## PARAMS, a scalar struct): for a function rule its own parameters (data:
## numbers, logicals, text; else those of @var{base}), for a built-in rule
## its fields as the options of their names.
## @qcode{"state"}: the initial state of @var{opt} for an @var{m}-by-@var{d}
## network of class @var{cls} (@code{[]} for a function handle).
## @qcode{"checkstate"}: @var{state} checked against the rule's layout.
## @qcode{"b"}: b of a state (a real scalar field b), else NaN.
## @qcode{"cast"}: the state arrays of @var{rule} converted to class @var{cls}
## (the precision of a run); a function rule's state is left as it is.
## @end deftypefn

function out = __adagrad_optimizer__ (what, varargin)
  persistent table losses;
  if (isempty (table))
    [table, losses] = __adagrad_rules__ ();
  endif
  switch (what)
    case "losses"
      out = {losses.name};
    case "defaultloss"
      out = losses([losses.is_default]).name;
    case "losstable"
      out = losses;
    case "loss"
      out = losses(strcmp ({losses.name}, varargin{1}));
    case "targets"
      out = targets (losses, varargin{:});
    case "squaredonly"
      [fname, hist, statement] = deal (varargin{:});
      if (isfield (hist, "lossname") && ischar (hist.lossname)
          && ! strcmp (hist.lossname, "squared"))
        error ("adagrad:badinput", "%s: HIST is a run with the %s loss; %s those of the squared loss",
               fname, hist.lossname, statement);
      endif
    case "names"
      out = {table.name};
    case "default"
      out = table([table.is_default]).name;
    case "paramnames"
      out = paramnames (table);
    case "options"
      out = varargin{1};
      for p = paramnames (table)
        out.(p{1}) = [];
      endfor
    case "given"
      out = struct ();
      for p = paramnames (table)
        out.(p{1}) = varargin{1}.(p{1});
      endfor
      if (isfield (varargin{1}, "params"))
        out.params = varargin{1}.params;
      endif
    case "info"
      out = entry (table, varargin{1});
    case "resolve"
      out = resolve (table, varargin{:});
    case "state"
      [opt, m, d, cls] = deal (varargin{:});
      if (is_function_handle (opt.rule))
        out = [];
      else
        out = __adagrad_state__ (opt, m, d, cls);
      endif
    case "checkstate"
      out = check_state (table, varargin{:});
    case "b"
      ## b of a state (a built-in rule's or one written in Octave that keeps a
      ## real scalar b), else NaN: for the output function's info, the
      ## progress line and the history.
      S = varargin{1};
      out = NaN;
      if (isstruct (S) && isscalar (S) && isfield (S, "b") && isreal (S.b)
          && isscalar (S.b) && isfloat (S.b))
        out = double (S.b);
      endif
    case "cast"
      [rule, out, cls] = deal (varargin{:});
      if (! is_function_handle (rule))
        for f = entry (table, rule).arrays
          out.(f{1}) = cast (out.(f{1}), cls);
        endfor
      endif
    otherwise
      error ("adagrad:internal", "__adagrad_optimizer__: unknown request \"%s\"", what);
  endswitch
endfunction

## Y checked against LOSS (an entry of LOSSES) and K outputs; CLASSES: labels
## to one-hot (the squared loss).
function y = targets (losses, fname, loss, what, y, K = 1, classes = false)
  L = losses(strcmp ({losses.name}, loss));
  if (K < L.kmin || K > L.kmax)
    error ("adagrad:badinput",
           "%s: the %s loss takes %s outputs; the network has %d (the columns of its a: adagrad_init's OUTPUTS)",
           fname, loss, merge (L.kmax == 1, "1", sprintf (">= %d", L.kmin)), K);
  endif
  if (isempty (y))
    return;
  endif
  labels = strcmp (L.targets, "class") || classes;
  if (classes && ! strcmp (L.targets, "real"))
    error ("adagrad:badinput", "%s: CLASSES makes one-hot targets for the squared loss; the %s loss takes %s",
           fname, loss, merge (labels, "labels as they are", "labels +1 and -1"));
  endif
  if (labels)
    if (! isvector (y) || any (y(:) != fix (y(:))) || any (y(:) < 1 | y(:) > K))
      error ("adagrad:badinput",
             "%s: %s must hold class labels, integers from 1 to %d (the outputs), one per row%s",
             fname, what, K, merge (classes, " (CLASSES)", sprintf (" for the %s loss", loss)));
    endif
    if (classes)
      y = cast (double ((1:K) == y(:)), class (y));
    endif
  elseif (strcmp (L.targets, "sign"))
    if (! all (y(:) == 1 | y(:) == -1))
      error ("adagrad:badinput", "%s: %s must hold labels +1 and -1 for the %s loss",
             fname, what, loss);
    endif
  elseif (columns (y) != K)
    error ("adagrad:badinput",
           "%s: %s has %d columns and the network %d outputs: give one column per output, or class labels with CLASSES",
           fname, what, columns (y), K);
  endif
endfunction

function names = paramnames (table)
  p = vertcat (table.params);
  names = unique ({p.name}, "stable")(:)';
endfunction

function e = entry (table, rule)
  if (is_function_handle (rule))
    e = struct ("name", func2str (rule), "update", "a function of the user",
                "params", struct ("name", {}, "default", {}, "lo", {}, "hi", {},
                                  "lo_open", {}, "hi_open", {}, "init_only", {}, "doc", {},
                                  "inf_ok", {}, "auto", {}),
                "scalars", {{}}, "arrays", {{}}, "per_coordinate", false,
                "along_gradient", false, "uses_residual", false, "has_b", false,
                "is_default", false, "linear", false, "eta_default", 1);
  else
    e = table(strcmp ({table.name}, rule));
    ## A name from a file or a history may be anything: none of the table's
    ## is an error, never an empty entry.
    if (! ischar (rule) || isempty (e))
      error ("adagrad:badinput", "the optimizer must be one of %s, or a function handle",
             strjoin (strcat ('"', {table.name}, '"'), ", "));
    endif
  endif
endfunction

function opt = resolve (table, fname, rule, eta, given, base)
  ## The option PARAMS: a function rule's own parameters, or a built-in
  ## rule's as a struct (each field as the option of its name).
  own = [];
  if (isfield (given, "params"))
    own = given.params;
    given = rmfield (given, "params");
  endif
  if (! isempty (own) && ! (isstruct (own) && isscalar (own)))
    error ("adagrad:badinput", "%s: PARAMS must be a scalar struct (or empty)", fname);
  endif
  if (is_function_handle (rule))
    bad = fieldnames (given)(! structfun (@isempty, given));
    if (! isempty (bad))
      error ("adagrad:badinput",
             "%s: %s is a parameter of the built-in rules; give a function rule's own parameters as PARAMS, a struct",
             fname, toupper (bad{1}));
    endif
    params = struct ();
    if (! isempty (own))
      params = own;
    elseif (isstruct (base) && isscalar (base))
      params = base;
    endif
    if (isempty (eta))
      eta = 1;
    endif
    opt = struct ("rule", rule, "eta", eta, "params", rule_params (fname, params));
    return;
  endif
  if (isstruct (own))
    for f = fieldnames (own)'
      if (isfield (given, f{1}) && ! isempty (given.(f{1})))
        error ("adagrad:badinput", "%s: %s is given both as an option and in PARAMS", fname,
               toupper (f{1}));
      endif
      given.(f{1}) = own.(f{1});
    endfor
  endif
  names = {table.name};
  if (! ischar (rule) || ! (isrow (rule) || isempty (rule))
      || ! any (strcmpi (rule, names)))
    error ("adagrad:badinput",
           "%s: OPTIMIZER must be one of %s, or a function handle",
           fname, strjoin (strcat ("\"", names, "\""), ", "));
  endif
  e = table(strcmpi (rule, names));
  if (isempty (eta))
    eta = e.eta_default;
  endif
  params = struct ();
  for p = e.params(:)'
    v = p.default;
    if (isfield (given, p.name) && ! isempty (given.(p.name)))
      v = given.(p.name);
    elseif (isstruct (base) && isfield (base, p.name))
      v = base.(p.name);
    endif
    params.(p.name) = check_param (fname, p, v);
  endfor
  for f = fieldnames (given)'
    if (! isempty (given.(f{1})) && ! any (strcmp (f{1}, {e.params.name})))
      error ("adagrad:badinput", "%s: the %s rule has no parameter %s%s", fname,
             e.name, toupper (f{1}), param_list (e));
    endif
  endfor
  opt = struct ("rule", e.name, "eta", eta, "params", params);
endfunction

## The parameters P of a function rule: data (numbers, logicals, text), as
## a checkpoint holds them and the rule sees them in info.params.
function p = rule_params (fname, p)
  for f = fieldnames (p)'
    v = p.(f{1});
    if (! ((isnumeric (v) || islogical (v) || ischar (v)) && ! isobject (v)))
      error ("adagrad:badinput",
             "%s: PARAMS.%s must be numeric, logical or text (a rule's parameters are data), not %s",
             fname, f{1}, class (v));
    endif
  endfor
endfunction

function s = param_list (e)
  if (isempty (e.params))
    s = " (it has none besides ETA)";
  else
    s = sprintf (" (it has %s)", strjoin (upper ({e.params.name}), ", "));
  endif
endfunction

## A value in the range of the table entry P.
function v = check_param (fname, p, v)
  ok = (isnumeric (v) || islogical (v)) && isscalar (v) && isreal (v);
  if (ok && ((p.auto && isnan (v)) || (p.inf_ok && v == Inf)))
    v = double (v);
    return;
  endif
  ok = ok && isfinite (v);
  if (ok)
    v = double (v);
    ok = (v > p.lo || (! p.lo_open && v == p.lo)) && (v < p.hi || (! p.hi_open && v == p.hi));
  endif
  if (! ok)
    lo = merge (p.lo_open, "(", "[");
    hi = merge (p.hi_open, ")", "]");
    extra = "";
    if (p.inf_ok)
      extra = " or Inf (no cap)";
    elseif (p.auto)
      extra = " or NaN (the rule's own choice)";
    endif
    error ("adagrad:badinput", "%s: %s must be a finite real scalar in %s%g, %g%s%s",
           fname, upper (p.name), lo, p.lo, p.hi, hi, extra);
  endif
endfunction

function state = check_state (table, fname, opt, state, m, d)
  if (is_function_handle (opt.rule))
    return;
  endif
  e = table(strcmp ({table.name}, opt.rule));
  if (! isstruct (state) || ! isscalar (state)
      || ! all (isfield (state, [e.scalars, e.arrays])))
    error ("adagrad:badinput",
           "%s: the state of the %s rule must be a struct with fields %s (see adagrad_init)",
           fname, e.name, strjoin ([e.scalars, e.arrays], ", "));
  endif
  for f = e.scalars
    v = state.(f{1});
    if (! (isnumeric (v) && isreal (v) && isscalar (v) && isfinite (v)))
      error ("adagrad:badinput", "%s: STATE.%s must be a finite real scalar", fname, f{1});
    endif
    state.(f{1}) = double (v);
  endfor
  if (e.has_b && ! (state.b > 0))
    error ("adagrad:badinput", "%s: STATE.b must be positive", fname);
  endif
  for f = e.arrays
    state.(f{1}) = __adagrad_check__ (fname, ["STATE." f{1}], state.(f{1}), "matrix", [m d]);
  endfor
endfunction

%!assert (__adagrad_optimizer__ ("b", struct ("b", 2.5)), 2.5)
%!assert (__adagrad_optimizer__ ("b", struct ("v", 1)), NaN)
%!assert (__adagrad_optimizer__ ("b", struct ("b", "x")), NaN)
%!assert (__adagrad_optimizer__ ("b", 3), NaN)

%!test
%! names = __adagrad_optimizer__ ("names");
%! assert (names(1:3), {"gd", "adagrad-norm", "adaloss"});
%! assert (__adagrad_optimizer__ ("default"), "adaloss");
%! assert (all (ismember ({"momentum", "nesterov", "adagrad", "rmsprop", "adam"}, names)));
%! p = __adagrad_optimizer__ ("paramnames");
%! assert (all (ismember ({"b0", "alpha", "momentum", "epsilon", "rho", "beta1", "beta2"}, p)));
%! d = __adagrad_optimizer__ ("options", struct ("eta", 1));
%! assert (fieldnames (d), [{"eta"}, p]');
%! assert (isempty (d.beta1));
%! d.alpha = 3;
%! g = __adagrad_optimizer__ ("given", d);
%! assert (fieldnames (g), p');
%! assert ([g.alpha isempty(g.b0)], [3 1]);

%!test
%! o = __adagrad_optimizer__ ("resolve", "f", "ADAM", 0.01, struct ("beta1", 0.8, "b0", []), []);
%! assert (o.rule, "adam");
%! assert (o.params, struct ("beta1", 0.8, "beta2", 0.999, "epsilon", 1e-8));
%! o = __adagrad_optimizer__ ("resolve", "f", "adagrad", 1, struct (), struct ("b0", 2));
%! assert (o.params, struct ("b0", 2, "epsilon", 1e-10));
%! o = __adagrad_optimizer__ ("resolve", "f", "rmsprop", 1, struct (), []);
%! assert (o.params.epsilon, 1e-8);
%! s = __adagrad_optimizer__ ("state", __adagrad_optimizer__ ("resolve", "f", "adagrad", 1, struct ("b0", 3), []), 2, 3, "single");
%! assert (s.s, single (9 * ones (2, 3)));
%! s = __adagrad_optimizer__ ("state", __adagrad_optimizer__ ("resolve", "f", "adam", 1, struct (), []), 2, 3, "double");
%! assert (s, struct ("t", 0, "M", zeros (2, 3), "V", zeros (2, 3)));
%! c = __adagrad_optimizer__ ("cast", "adam", s, "single");
%! assert ({class(c.t), class(c.M), class(c.V)}, {"double", "single", "single"});
%! assert (__adagrad_optimizer__ ("cast", @sin, 3, "single"), 3);

%!test
%! e = __adagrad_optimizer__ ("info", @(W, G, s, i) W);
%! assert ([e.per_coordinate e.has_b e.along_gradient], [false false false]);
%! e = __adagrad_optimizer__ ("info", "adaloss");
%! assert ([e.along_gradient e.uses_residual e.has_b e.per_coordinate], [true true true false]);
%! e = __adagrad_optimizer__ ("info", "nesterov");
%! assert ([e.along_gradient e.uses_residual e.has_b e.per_coordinate], [false false false false]);
%!error <the optimizer must be one of "gd", > __adagrad_optimizer__ ("info", "primal")
%!error <the optimizer must be one of> __adagrad_optimizer__ ("info", 3)
%! o = __adagrad_optimizer__ ("resolve", "f", @sin, 1, struct ("alpha", []), []);
%! assert (o.rule, @sin);

%!error <f: OPTIMIZER must be one of "gd", "adagrad-norm"> __adagrad_optimizer__ ("resolve", "f", "sgd", 1, struct (), [])
%!error <f: the gd rule has no parameter ALPHA \(it has none besides ETA\)> __adagrad_optimizer__ ("resolve", "f", "gd", 1, struct ("alpha", 2), [])
%!error <f: the adam rule has no parameter B0 \(it has BETA1, BETA2, EPSILON\)> __adagrad_optimizer__ ("resolve", "f", "adam", 1, struct ("b0", 2), [])
%!error <f: BETA1 must be a finite real scalar in \[0, 1\)> __adagrad_optimizer__ ("resolve", "f", "adam", 1, struct ("beta1", 1), [])
%!error <f: B0 must be a finite real scalar in \(0, Inf\)> __adagrad_optimizer__ ("resolve", "f", "adaloss", 1, struct ("b0", 0), [])
%!error <f: ALPHA is a parameter of the built-in rules> __adagrad_optimizer__ ("resolve", "f", @sin, 1, struct ("alpha", 2), [])
%!error <f: the state of the adam rule must be a struct with fields t, M, V> __adagrad_optimizer__ ("checkstate", "f", struct ("rule", "adam"), struct ("t", 1), 2, 2)
%!error <f: STATE.b must be a finite real scalar> __adagrad_optimizer__ ("checkstate", "f", struct ("rule", "adaloss"), struct ("b", NaN), 2, 2)
%!error <f: STATE.b must be positive> __adagrad_optimizer__ ("checkstate", "f", struct ("rule", "adaloss"), struct ("b", 0), 2, 2)
%!error <f: STATE.v must be 2 rows by 2 columns> __adagrad_optimizer__ ("checkstate", "f", struct ("rule", "momentum"), struct ("v", 1), 2, 2)
%!error id=adagrad:internal __adagrad_optimizer__ ("nothing")
%!error <f: Y must hold labels \+1 and -1 for the logistic loss> __adagrad_optimizer__ ("targets", "f", "logistic", "Y", [1; 0])
%!error <f: HIST is a run with the logistic loss; X is those of the squared loss> __adagrad_optimizer__ ("squaredonly", "f", struct ("lossname", "logistic"), "X is")
%!test
%! __adagrad_optimizer__ ("targets", "f", "logistic", "Y", [1; -1]);
%! __adagrad_optimizer__ ("targets", "f", "logistic", "Y", []);
%! __adagrad_optimizer__ ("targets", "f", "squared", "Y", [0.5; 2]);
%! __adagrad_optimizer__ ("squaredonly", "f", struct ("lossname", "squared"), "X is");
%! __adagrad_optimizer__ ("squaredonly", "f", struct ("iter", 0), "X is");
