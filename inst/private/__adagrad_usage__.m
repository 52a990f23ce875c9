## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {} __adagrad_usage__ (@var{fname})
## Internal: the error for a call with a wrong number of arguments, with
## identifier @code{adagrad:nargin} (every error of the package has an
## @code{adagrad:} identifier), pointing to the help.
## @end deftypefn

function __adagrad_usage__ (fname)
  error ("adagrad:nargin", "Invalid call to %s; see 'help %s'", fname, fname);
endfunction

%!error <Invalid call to f; see 'help f'> __adagrad_usage__ ("f")
%!error id=adagrad:nargin __adagrad_usage__ ("f")
