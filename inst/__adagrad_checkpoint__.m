## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {} __adagrad_checkpoint__ ("write", @var{file}, @var{net}, @var{hist}, @var{options}, @var{X}, @var{y})
## @deftypefnx {} {@var{c} =} __adagrad_checkpoint__ ("read", @var{fname}, @var{file}, @var{X}, @var{y})
## Internal: the checkpoint file of a training run, written and read by this
## module alone (@code{adagrad_train} writes, @code{adagrad_resume} reads).
##
## Schema 2 (version string @qcode{"adagrad checkpoint 2"}): a variable
## @code{checkpoint}, a struct with fields @code{version}, @code{net} (the
## network with its optimizer, parameters and state), @code{hist} (the
## history so far), @code{options} (the run's settings, @code{target} the
## iteration it aims at) and @code{data} (a fingerprint of @var{X} and
## @var{y}).  @qcode{"write"} saves it to a temporary file that is then
## renamed over @var{file}, so that a crash at any moment leaves the last
## complete checkpoint.  @qcode{"read"} loads and verifies it: a file that is
## not a checkpoint, one of schema 1 (adagrad 0.1) or of another schema, one
## with fields missing, or one of other data is an error
## @code{adagrad:badcheckpoint} that says which.
## @end deftypefn

function c = __adagrad_checkpoint__ (what, varargin)
  version = "adagrad checkpoint 2";
  switch (what)
    case "write"
      [file, net, hist, options, X, y] = deal (varargin{:});
      checkpoint = struct ("version", version, "net", net, "hist", hist,
                           "options", options, "data", __adagrad_fingerprint__ (X, y));
      tmp = sprintf ("%s.tmp%d", file, getpid ());
      try
        save ("-binary", tmp, "checkpoint");
        [ok, msg] = rename (tmp, file);
      catch err
        [ok, msg] = deal (-1, err.message);
      end_try_catch
      if (ok != 0)
        if (exist (tmp, "file"))
          unlink (tmp);
        endif
        error ("adagrad:checkpoint", "adagrad_train: cannot write the checkpoint %s: %s",
               file, msg);
      endif
    case "read"
      [fname, file, X, y] = deal (varargin{:});
      c = read (fname, file, version, X, y);
    otherwise
      error ("adagrad:internal", "__adagrad_checkpoint__: unknown request \"%s\"", what);
  endswitch
endfunction

function c = read (fname, file, version, X, y)
  if (! exist (file, "file"))
    error ("adagrad:badcheckpoint", "%s: no checkpoint file %s", fname, file);
  endif
  try
    c = load (file);
  catch err
    error ("adagrad:badcheckpoint", "%s: cannot read %s: %s", fname, file, err.message);
  end_try_catch
  if (! isfield (c, "checkpoint") || ! isstruct (c.checkpoint)
      || ! isfield (c.checkpoint, "version") || ! ischar (c.checkpoint.version)
      || ! strncmp (c.checkpoint.version, "adagrad checkpoint ", 19))
    error ("adagrad:badcheckpoint", "%s: %s is not an adagrad checkpoint", fname, file);
  endif
  c = c.checkpoint;
  if (strcmp (c.version, "adagrad checkpoint 1"))
    error ("adagrad:badcheckpoint",
           "%s: %s is a checkpoint of adagrad 0.1 (schema 1); this version reads schema 2 only: finish that run with adagrad 0.1, or start it again",
           fname, file);
  elseif (! strcmp (c.version, version))
    error ("adagrad:badcheckpoint", "%s: %s has the unknown schema \"%s\" (this version reads \"%s\")",
           fname, file, c.version, version);
  endif
  need = {"net", "hist", "options", "data"};
  if (! all (isfield (c, need)))
    error ("adagrad:badcheckpoint", "%s: %s lacks some of the fields %s", fname, file,
           strjoin (need, ", "));
  endif
  if (! isequal (c.data, __adagrad_fingerprint__ (X, y)))
    error ("adagrad:badcheckpoint",
           "%s: X and Y differ from the data of the run saved in %s", fname, file);
  endif
endfunction

%!shared X, y, f
%! X = [1 2; 3 4]; y = [1; 2];
%! f = [tempname() ".ckpt"];

%!test
%! unwind_protect
%!   __adagrad_checkpoint__ ("write", f, struct ("W", 1), struct ("loss", 2), struct ("target", 3), X, y);
%!   c = __adagrad_checkpoint__ ("read", "g", f, X, y);
%!   assert ({c.net.W, c.hist.loss, c.options.target}, {1, 2, 3});
%!   assert (isempty (glob ([f ".tmp*"])));
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, 2 * y)", "X and Y differ from the data");
%!   checkpoint = c;
%!   checkpoint.version = "adagrad checkpoint 1";
%!   save ("-binary", f, "checkpoint");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "checkpoint of adagrad 0.1 \\(schema 1\\)");
%!   checkpoint.version = "adagrad checkpoint 7";
%!   save ("-binary", f, "checkpoint");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "unknown schema");
%!   checkpoint = rmfield (c, "hist");
%!   save ("-binary", f, "checkpoint");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "lacks some of the fields");
%!   nothing = 1;
%!   save ("-binary", f, "nothing");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "is not an adagrad checkpoint");
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect

%!error <g: no checkpoint file> __adagrad_checkpoint__ ("read", "g", "/nonexistent/x.ckpt", 1, 1)
%!error <cannot write the checkpoint /nonexistent-dir/x.ckpt> __adagrad_checkpoint__ ("write", "/nonexistent-dir/x.ckpt", 1, 1, 1, 1, 1)
%!error id=adagrad:internal __adagrad_checkpoint__ ("x")
