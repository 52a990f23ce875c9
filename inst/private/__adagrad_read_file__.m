## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{A}, @var{dims}] =} __adagrad_read_file__ (@var{fname}, "idx", @var{file})
## @deftypefnx {} {@var{bytes} =} __adagrad_read_file__ (@var{fname}, "gunzip", @var{file})
## Internal: the MEX reader @code{__adagrad_read__} on @var{file}, checked
## to be a file name of a file, its errors (@code{adagrad:badfile}, which
## name the file and what is wrong with it) headed by @var{fname}.
## @end deftypefn

function varargout = __adagrad_read_file__ (fname, what, file)
  if (! ischar (file) || ! isrow (file))
    error ("adagrad:badinput", "%s: FILE must be a file name", fname);
  endif
  if (! exist (file, "file") || exist (file, "dir"))
    error ("adagrad:badfile", "%s: %s is not a file", fname, file);
  endif
  try
    [varargout{1:max (nargout, 1)}] = __adagrad_read__ (what, file);
  catch err
    if (strcmp (err.identifier, "adagrad:badfile"))
      error ("adagrad:badfile", "%s: %s", fname, err.message);
    endif
    rethrow (err);
  end_try_catch
endfunction

%!error <f: FILE must be a file name> __adagrad_read_file__ ("f", "idx", 3)
%!error <f: .* is not a file> __adagrad_read_file__ ("f", "idx", tempname ())
%!test
%! file = tempname ();
%! fid = fopen (file, "w"); fwrite (fid, [0 0 9 9], "uint8"); fclose (fid);
%! unwind_protect
%!   fail ("__adagrad_read_file__ ('f', 'idx', file)", "^f: .* is not an IDX file");
%!   assert (__adagrad_read_file__ ("f", "gunzip", file), uint8 ([0 0 9 9]));
%! unwind_protect_cleanup
%!   unlink (file);
%! end_unwind_protect
