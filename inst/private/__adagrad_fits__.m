## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {} __adagrad_fits__ (@var{fname}, @var{bytes}, @var{template}, @dots{})
## Internal: before any work, raise @code{adagrad:nomemory} unless @var{bytes}
## (the Octave-side arrays a call will make, plus 5% for what else the
## process maps meanwhile: BLAS buffers, Octave) fit in what this process may
## still use (@code{__adagrad_headroom__}: its cgroup memory limits,
## @code{ulimit -v}, the machine's available memory).  The message names what
## needs the memory: @code{sprintf (@var{template}, @dots{})}.
## @end deftypefn

function __adagrad_fits__ (fname, bytes, template, varargin)
  need = 1.05 * bytes;
  room = __adagrad_headroom__ ();
  if (need > room)
    error ("adagrad:nomemory",
           "%s: %s needs about %.3g GB; this process may use %.3g GB more (its memory limits or the machine's available memory)",
           fname, sprintf (template, varargin{:}), need / 2^30, room / 2^30);
  endif
endfunction

%!error <f: a thing of 7 needs about .* GB; this process may use> __adagrad_fits__ ("f", 1e30, "a thing of %d", 7)
%!error id=adagrad:nomemory __adagrad_fits__ ("f", Inf, "x")
%!test
%! ## A size well inside what the process may use passes, one beyond it is
%! ## refused (margins of about 15%: the machine's available memory moves).
%! room = __adagrad_headroom__ ();
%! assert (isfinite (room) && room > 0);
%! __adagrad_fits__ ("f", room / 1.2, "x");
%! fail ("__adagrad_fits__ ('f', room / 0.9, 'x')", "x needs about");
