## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{bytes} =} __adagrad_disk__ ("free", @var{path})
## @deftypefnx {} {@var{msg} =} __adagrad_disk__ ("why", @var{path}, @var{msg})
## Internal: the space left on the file system of @var{path} (a file or a
## folder; the folder of a file that does not exist yet), in bytes, from
## @command{df -Pk} (Octave has no statvfs; the path is passed quoted, as one
## argument); NaN when it cannot be told.
##
## @qcode{"why"}: the reason a write to @var{path} failed, for a message:
## @qcode{"the disk is full (no space left on the file system of FOLDER)"}
## when less than 64 KiB are left there, else @var{msg}.  Octave's
## @code{save} does not report a full disk (it leaves a short file), so the
## package's writers read their files back and ask here why they differ.
## @end deftypefn

function out = __adagrad_disk__ (what, path, msg)
  switch (what)
    case "free"
      out = free (path);
    case "why"
      if (free (path) < 65536)
        out = sprintf ("the disk is full (no space left on the file system of %s)",
                       folder_of (path));
      else
        out = msg;
      endif
    otherwise
      error ("adagrad:internal", "__adagrad_disk__: unknown request \"%s\"", what);
  endswitch
endfunction

function f = folder_of (path)
  f = path;
  if (! isfolder (f))
    f = fileparts (f);
    if (isempty (f))
      f = ".";
    endif
  endif
endfunction

function b = free (path)
  b = NaN;
  f = folder_of (path);
  q = ["'" strrep(f, "'", "'\\''") "'"];
  [st, out] = system (sprintf ("df -Pk -- %s 2>/dev/null", q));
  lines = strsplit (strtrim (out), "\n");
  if (st == 0 && numel (lines) >= 2)
    w = strsplit (strtrim (lines{end}));
    if (numel (w) >= 4)
      b = 1024 * str2double (w{4});
    endif
  endif
endfunction

%!test
%! b = __adagrad_disk__ ("free", tempdir ());
%! assert (isfinite (b) && b > 0);
%! assert (__adagrad_disk__ ("free", fullfile (tempdir (), "no-such-file.ckpt")), b, 1e8);
%! assert (isnan (__adagrad_disk__ ("free", "/nonexistent-adagrad-dir/x")));
%! assert (__adagrad_disk__ ("why", tempdir (), "other"), "other");
%!error <unknown request> __adagrad_disk__ ("x", ".")
