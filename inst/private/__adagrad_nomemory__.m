## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {} __adagrad_nomemory__ (@var{err}, @var{fname}, @var{template}, @dots{})
## Internal: rethrow the error @var{err}, as @code{adagrad:nomemory} with a
## message saying what could not be allocated when it is Octave's
## out-of-memory error, unchanged otherwise.
## @end deftypefn

function __adagrad_nomemory__ (err, fname, template, varargin)
  if (strcmp (err.identifier, "Octave:bad-alloc"))
    error ("adagrad:nomemory", "%s: not enough memory for %s", fname,
           sprintf (template, varargin{:}));
  endif
  rethrow (err);
endfunction

%!error <f: not enough memory for 3 things> __adagrad_nomemory__ (struct ("identifier", "Octave:bad-alloc", "message", "x", "stack", struct ("file", {}, "name", {}, "line", {}, "column", {})), "f", "%d things", 3)
%!error id=adagrad:nomemory try, zeros (1e15, 3); catch e, __adagrad_nomemory__ (e, "f", "x"); end
%!error id=Octave:undefined-function try, no_such_function_xyz (); catch e, __adagrad_nomemory__ (e, "f", "x"); end
