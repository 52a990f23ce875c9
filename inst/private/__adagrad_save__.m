## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{ok}, @var{msg}] =} __adagrad_save__ (@var{file}, @var{v}, @var{check})
## Internal: write @var{file} so that a file under that name is always
## complete, for every file the package writes and reads back (checkpoints,
## their history chunks, the files of a sweep folder).
##
## @var{v} is a struct, whose fields become the file's variables
## (@code{save -binary}), or a string, written as text.  It goes to
## @code{@var{file}.tmpPID} first; @code{@var{check} (@var{tmp})} then reads
## it back (Octave's @code{save} does not report a full disk: it leaves a
## short file) and returns @qcode{""} or why it is not what was written; only
## then is it renamed over @var{file}.  On any failure no temporary is left
## and @var{ok} is false with @var{msg} the reason (@qcode{"the disk is
## full ..."} when it is, see @code{__adagrad_disk__}); nothing is raised.
## @end deftypefn

function [ok, msg] = __adagrad_save__ (file, v, check)
  [ok, msg] = deal (false, "");
  tmp = sprintf ("%s.tmp%d", file, getpid ());
  try
    if (ischar (v))
      [fid, why] = fopen (tmp, "w");
      if (fid < 0)
        error ("cannot open %s: %s", tmp, why);
      endif
      fputs (fid, v);
      if (fclose (fid) != 0)
        error ("the write did not complete");
      endif
    else
      save ("-binary", tmp, "-struct", "v");
    endif
    why = check (tmp);
    if (! isempty (why))
      msg = __adagrad_disk__ ("why", tmp, why);
    else
      [err, msg] = rename (tmp, file);
      ok = err == 0;
    endif
  catch e
    msg = __adagrad_disk__ ("why", tmp, e.message);
  end_try_catch
  if (! ok && exist (tmp, "file"))
    unlink (tmp);
  endif
endfunction

%!test
%! f = [tempname() ".mat"];
%! unwind_protect
%!   [ok, msg] = __adagrad_save__ (f, struct ("x", 3), @(t) "");
%!   assert (ok && isempty (msg));
%!   assert (load (f).x, 3);
%!   [ok, msg] = __adagrad_save__ (f, struct ("x", 4), @(t) "it differs");
%!   assert (! ok && strcmp (msg, "it differs"));
%!   assert (load (f).x, 3);
%!   assert (isempty (glob ([f ".tmp*"])));
%!   [ok, msg] = __adagrad_save__ (f, "text\n", @(t) merge (strcmp (fileread (t), "text\n"), "", "no"));
%!   assert (ok && strcmp (fileread (f), "text\n"));
%!   [ok, msg] = __adagrad_save__ ("/nonexistent-adagrad-dir/x.mat", struct ("x", 1), @(t) "");
%!   assert (! ok && ! isempty (msg));
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect
