## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {[@var{opts}, @var{given}] =} __adagrad_options__ (@var{fname}, @var{defaults}, @var{name}, @var{value}, @dots{})
## Internal: parse name/value options against the struct @var{defaults}.
##
## Options come as name/value pairs, as scalar structs whose fields are
## option names (optimset style), or both mixed; a later setting of an
## option wins.  Option names are matched case-insensitively against the
## field names of @var{defaults}; an unknown name or an odd number of arguments is an error
## (identifier @code{adagrad:badoption}) that names @var{fname}.  @var{given}
## has a true field for each option the caller set.
## @end deftypefn

function [opts, given] = __adagrad_options__ (fname, defaults, varargin)
  opts = defaults;
  given = struct ();
  names = fieldnames (defaults);
  ## Structs of options (optimset style) stand for their fields as pairs,
  ## anywhere among the pairs; the later of two settings wins.
  pairs = {};
  k = 1;
  while (k <= numel (varargin))
    v = varargin{k};
    if (isstruct (v) && isscalar (v))
      f = fieldnames (v);
      pairs(end+1:end+2*numel (f)) = reshape ([f'; struct2cell(v)'], 1, []);
      k += 1;
    elseif (k == numel (varargin))
      error ("adagrad:badoption",
             "%s: options must come in name/value pairs or as a struct (argument %d, after the last pair, has no value)",
             fname, k);
    else
      pairs(end+1:end+2) = varargin(k:k+1);
      k += 2;
    endif
  endwhile
  for k = 1:2:numel (pairs)
    key = pairs{k};
    if (! ischar (key) || ! (isrow (key) || isempty (key)))
      error ("adagrad:badoption",
             "%s: option name %d must be a string (or a struct of options)", fname,
             (k + 1) / 2);
    endif
    idx = find (strcmpi (key, names));
    if (isempty (idx))
      error ("adagrad:badoption",
             "%s: unknown option \"%s\"; valid options are %s",
             fname, key, strjoin (names', ", "));
    endif
    opts.(names{idx}) = pairs{k+1};
    given.(names{idx}) = true;
  endfor
endfunction

%!demo
%! ## Names match case-insensitively; unknown names are errors.
%! opts = __adagrad_options__ ("myfun", struct ("width", 10, "eta", 1), "ETA", 0.5)
%! try
%!   __adagrad_options__ ("myfun", struct ("width", 10), "depth", 3);
%! catch err
%!   disp (err.message);
%! end_try_catch

%!test
%! d = struct ("width", 10, "optimizer", "adaloss");
%! [o, g] = __adagrad_options__ ("f", d, "Width", 20);
%! assert (o.width, 20);
%! assert (o.optimizer, "adaloss");
%! assert (fieldnames (g), {"width"});

%!test
%! o = __adagrad_options__ ("f", struct ("a", 1));
%! assert (o, struct ("a", 1));

%!test
%! ## A struct of options, alone or among pairs; the later setting wins.
%! d = struct ("width", 10, "eta", 1, "tol", 0);
%! o = __adagrad_options__ ("f", d, struct ("Width", 20, "eta", 2));
%! assert ([o.width o.eta o.tol], [20 2 0]);
%! [o, g] = __adagrad_options__ ("f", d, "tol", 3, struct ("eta", 4, "tol", 5), "width", 6);
%! assert ([o.width o.eta o.tol], [6 4 5]);
%! assert (sort (fieldnames (g)), {"eta"; "tol"; "width"});
%! o = __adagrad_options__ ("f", d, struct ("eta", 4), "eta", 7);
%! assert (o.eta, 7);

%!error <f: options must come in name/value pairs or as a struct> __adagrad_options__ ("f", struct ("a", 1), "a")
%!error <f: unknown option "b"> __adagrad_options__ ("f", struct ("a", 1), struct ("b", 2))
%!error <f: option name 1 must be a string> __adagrad_options__ ("f", struct ("a", 1), 3, 4)
%!error <f: unknown option "b"; valid options are a> __adagrad_options__ ("f", struct ("a", 1), "b", 4)
