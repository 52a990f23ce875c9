## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {[@var{opts}, @var{given}] =} __adagrad_options__ (@var{fname}, @var{defaults}, @var{name}, @var{value}, @dots{})
## Internal: parse name/value options against the struct @var{defaults}.
##
## Option names are matched case-insensitively against the field names of
## @var{defaults}; an unknown name or an odd number of arguments is an error
## (identifier @code{adagrad:badoption}) that names @var{fname}.  @var{given}
## has a true field for each option the caller set.
## @end deftypefn

function [opts, given] = __adagrad_options__ (fname, defaults, varargin)
  opts = defaults;
  given = struct ();
  names = fieldnames (defaults);
  if (mod (numel (varargin), 2) != 0)
    error ("adagrad:badoption",
           "%s: options must come in name/value pairs (got %d trailing arguments)",
           fname, numel (varargin));
  endif
  for k = 1:2:numel (varargin)
    key = varargin{k};
    if (! ischar (key) || ! (isrow (key) || isempty (key)))
      error ("adagrad:badoption",
             "%s: option name %d must be a string", fname, (k + 1) / 2);
    endif
    idx = find (strcmpi (key, names));
    if (isempty (idx))
      error ("adagrad:badoption",
             "%s: unknown option \"%s\"; valid options are %s",
             fname, key, strjoin (names', ", "));
    endif
    opts.(names{idx}) = varargin{k+1};
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

%!error <f: options must come in name/value pairs> __adagrad_options__ ("f", struct ("a", 1), "a")
%!error <f: option name 1 must be a string> __adagrad_options__ ("f", struct ("a", 1), 3, 4)
%!error <f: unknown option "b"; valid options are a> __adagrad_options__ ("f", struct ("a", 1), "b", 4)
