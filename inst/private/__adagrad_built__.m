## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {} __adagrad_built__ (@var{fname})
## Internal: an error @code{adagrad:notbuilt} that says what to do when the
## compiled part of the package (the MEX files) is not on the path: in a
## source tree without @code{make}, or with @file{inst/} added but not
## @file{build/}.  Checked once per session.
## @end deftypefn

function __adagrad_built__ (fname)
  persistent ok = false;
  if (ok)
    return;
  endif
  if (exist ("__adagrad_train__") == 3 && exist ("__adagrad_forward__") == 3)
    ok = true;
    return;
  endif
  tree = fileparts (fileparts (mfilename ("fullpath")));
  build = fullfile (tree, "build");
  if (exist (fullfile (build, ["__adagrad_train__." mexext()]), "file"))
    how = sprintf ("they are built in %s: addpath ('%s')", build, build);
  elseif (exist (fullfile (tree, "Makefile"), "file"))
    how = sprintf ("run make in %s (it builds them into build/), then addpath ('%s')",
                   tree, build);
  else
    how = "reinstall the package (pkg install adagrad-VERSION.tar.gz), then pkg load adagrad";
  endif
  error ("adagrad:notbuilt",
         "%s: the compiled part of adagrad (the MEX files such as __adagrad_train__) is not on the path; %s",
         fname, how);
endfunction

%!test
%! ## Built here: the compiled functions are on the path, and nothing is said.
%! assert (exist ("__adagrad_train__") == 3 && exist ("__adagrad_sha256__") == 3);
%! assert (evalc ('__adagrad_built__ ("f")'), "");

%!test
%! ## A new Octave with only the .m files on its path is told what to do.
%! here = fileparts (which ("adagrad_train"));
%! octave = fullfile (OCTAVE_HOME (), "bin", "octave-cli");
%! [st, out] = system (sprintf ("cd %s && %s --norc --no-history --quiet --eval \"addpath ('%s'); try, adagrad_train (ones (3), ones (3, 1)); catch e, disp (e.identifier); disp (e.message); end\" 2>&1",
%!                              tempdir (), octave, here));
%! assert (st, 0);
%! assert (! isempty (strfind (out, "adagrad:notbuilt")));
%! assert (! isempty (regexp (out, "adagrad_train: the compiled part of adagrad .* is not on the path; (run make in|they are built in|reinstall)")));
