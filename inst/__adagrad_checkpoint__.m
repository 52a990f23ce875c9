## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{ok}, @var{msg}] =} __adagrad_checkpoint__ ("write", @var{file}, @var{net}, @var{hist}, @var{options}, @var{X}, @var{y})
## @deftypefnx {} {@var{c} =} __adagrad_checkpoint__ ("read", @var{fname}, @var{file}, @var{X}, @var{y})
## @deftypefnx {} {} __adagrad_checkpoint__ ("probe", @var{fname}, @var{file})
## @deftypefnx {} {@var{n} =} __adagrad_checkpoint__ ("clean", @var{file})
## Internal: the checkpoint file of a training run, written and read by this
## module alone (@code{adagrad_train} writes, @code{adagrad_resume} reads).
##
## Schema 2 (version string @qcode{"adagrad checkpoint 2"}): the variables
## @code{checkpoint}, a struct with fields @code{version}, @code{net} (the
## network with its optimizer, parameters and state), @code{hist} (the
## history so far), @code{options} (the run's settings, @code{target} the
## iteration it aims at) and @code{data} (the SHA-256 fingerprint of @var{X}
## and @var{y}); and @code{digest}, the SHA-256 digest of @code{checkpoint}
## (see @code{__adagrad_fingerprint__}).
##
## @qcode{"write"} saves to a temporary file @code{@var{file}.tmpPID}, reads it
## back and compares its digest, and only then renames it over @var{file}: a
## crash at any moment, or a write that fails (a full disk), leaves the last
## good checkpoint in place.  It returns @var{ok} false and a message instead
## of raising an error, so that the caller decides.  @qcode{"read"} loads and
## verifies a checkpoint: a file that is not one, one of schema 1 (adagrad 0.1)
## or of another schema, one whose contents do not match their digest
## (damaged), one with fields missing, or one of other data is an error
## @code{adagrad:badcheckpoint} that says which.  @qcode{"probe"}: an error
## @code{adagrad:checkpoint} unless a file can be created beside @var{file}.
## @qcode{"clean"}: remove temporaries of @var{file} left by processes that
## no longer run (a kill during a write); returns how many.
## @end deftypefn

function varargout = __adagrad_checkpoint__ (what, varargin)
  version = "adagrad checkpoint 2";
  switch (what)
    case "write"
      [varargout{1:2}] = write (version, varargin{:});
    case "read"
      varargout{1} = read (version, varargin{:});
    case "probe"
      probe (varargin{:});
    case "clean"
      varargout{1} = clean (varargin{:});
    otherwise
      error ("adagrad:internal", "__adagrad_checkpoint__: unknown request \"%s\"", what);
  endswitch
endfunction

function [ok, msg] = write (version, file, net, hist, options, X, y)
  checkpoint = struct ("version", version, "net", net, "hist", hist,
                       "options", options, "data", __adagrad_fingerprint__ (X, y));
  digest = __adagrad_fingerprint__ (checkpoint);
  tmp = sprintf ("%s.tmp%d", file, getpid ());
  ok = false;
  try
    save ("-binary", tmp, "checkpoint", "digest");
    ## Octave's save does not report every failed write: read it back.
    back = load (tmp);
    if (! isfield (back, "digest") || ! strcmp (back.digest, digest)
        || ! strcmp (__adagrad_fingerprint__ (back.checkpoint), digest))
      msg = "the file read back differs from what was written (is the disk full?)";
    else
      [err, msg] = rename (tmp, file);
      ok = err == 0;
    endif
  catch e
    msg = e.message;
  end_try_catch
  if (! ok && exist (tmp, "file"))
    unlink (tmp);
  endif
  if (ok)
    msg = "";
  endif
endfunction

function c = read (version, fname, file, X, y)
  if (! exist (file, "file"))
    error ("adagrad:badcheckpoint", "%s: no checkpoint file %s", fname, file);
  endif
  try
    c = load (file);
  catch err
    error ("adagrad:badcheckpoint", "%s: cannot read %s: %s", fname, file, err.message);
  end_try_catch
  if (! isfield (c, "checkpoint") || ! isstruct (c.checkpoint) || ! isscalar (c.checkpoint)
      || ! isfield (c.checkpoint, "version") || ! ischar (c.checkpoint.version)
      || ! strncmp (c.checkpoint.version, "adagrad checkpoint ", 19))
    error ("adagrad:badcheckpoint", "%s: %s is not an adagrad checkpoint", fname, file);
  endif
  if (strcmp (c.checkpoint.version, "adagrad checkpoint 1"))
    error ("adagrad:badcheckpoint",
           "%s: %s is a checkpoint of adagrad 0.1 (schema 1); this version reads schema 2 only: finish that run with adagrad 0.1, or start it again",
           fname, file);
  elseif (! strcmp (c.checkpoint.version, version))
    error ("adagrad:badcheckpoint", "%s: %s has the unknown schema \"%s\" (this version reads \"%s\")",
           fname, file, c.checkpoint.version, version);
  endif
  if (! isfield (c, "digest") || ! ischar (c.digest)
      || ! strcmp (c.digest, __adagrad_fingerprint__ (c.checkpoint)))
    error ("adagrad:badcheckpoint",
           "%s: %s is damaged: its contents do not match the digest written with them",
           fname, file);
  endif
  c = c.checkpoint;
  need = {"net", "hist", "options", "data"};
  opts = {"target", "tol", "display", "threads", "diag_every", "gram_every", ...
          "checkpoint", "ck_every", "ck_seconds"};
  if (! all (isfield (c, need)) || ! isstruct (c.options) || ! all (isfield (c.options, opts)))
    error ("adagrad:badcheckpoint", "%s: %s lacks some of the fields %s", fname, file,
           strjoin ([need, strcat("options.", opts)], ", "));
  endif
  if (! isequal (c.data, __adagrad_fingerprint__ (X, y)))
    error ("adagrad:badcheckpoint",
           "%s: X and Y differ from the data of the run saved in %s", fname, file);
  endif
endfunction

function probe (fname, file)
  tmp = sprintf ("%s.tmp%d", file, getpid ());
  [fid, msg] = fopen (tmp, "w");
  if (fid < 0)
    error ("adagrad:checkpoint", "%s: cannot write the checkpoint %s: %s", fname, file, msg);
  endif
  fclose (fid);
  unlink (tmp);
endfunction

function n = clean (file)
  n = 0;
  for f = glob ([file ".tmp*"])'
    pid = str2double (f{1}(numel (file) + 5:end));
    if (! isnan (pid) && pid != getpid () && kill (pid, 0) != 0)
      n += unlink (f{1}) == 0;
    endif
  endfor
endfunction

%!shared X, y, f
%! X = [1 2; 3 4]; y = [1; 2];
%! f = [tempname() ".ckpt"];

%!test
%! opts = struct ("target", 3, "tol", 0, "display", "off", "threads", 0, "diag_every", 0,
%!               "gram_every", 0, "checkpoint", f, "ck_every", 0, "ck_seconds", 60);
%! unwind_protect
%!   [ok, msg] = __adagrad_checkpoint__ ("write", f, struct ("W", 1), struct ("loss", 2), opts, X, y);
%!   assert (ok && isempty (msg));
%!   c = __adagrad_checkpoint__ ("read", "g", f, X, y);
%!   assert ({c.net.W, c.hist.loss, c.options.target}, {1, 2, 3});
%!   assert (isempty (glob ([f ".tmp*"])));
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, 2 * y)", "X and Y differ from the data");
%!   ## A changed value without a new digest is damage.
%!   s = load (f);
%!   checkpoint = s.checkpoint;
%!   digest = s.digest;
%!   checkpoint.net.W = 1 + eps;
%!   save ("-binary", f, "checkpoint", "digest");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "is damaged");
%!   checkpoint = s.checkpoint;
%!   save ("-binary", f, "checkpoint");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "is damaged");
%!   checkpoint.version = "adagrad checkpoint 1";
%!   save ("-binary", f, "checkpoint");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "checkpoint of adagrad 0.1 \\(schema 1\\)");
%!   checkpoint.version = "adagrad checkpoint 7";
%!   save ("-binary", f, "checkpoint");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "unknown schema");
%!   checkpoint = rmfield (s.checkpoint, "hist");
%!   digest = __adagrad_fingerprint__ (checkpoint);
%!   save ("-binary", f, "checkpoint", "digest");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "lacks some of the fields");
%!   checkpoint = s.checkpoint;
%!   checkpoint.options = rmfield (checkpoint.options, "target");
%!   digest = __adagrad_fingerprint__ (checkpoint);
%!   save ("-binary", f, "checkpoint", "digest");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "lacks some of the fields");
%!   nothing = 1;
%!   save ("-binary", f, "nothing");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "is not an adagrad checkpoint");
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect

%!test
%! ## Single bit flips anywhere in the file are refused or harmless.
%! opts = struct ("target", 3, "tol", 0, "display", "off", "threads", 0, "diag_every", 0,
%!               "gram_every", 0, "checkpoint", f, "ck_every", 0, "ck_seconds", 60);
%! g = [f ".flip"];
%! unwind_protect
%!   __adagrad_checkpoint__ ("write", f, struct ("W", magic (4)), struct ("loss", [2; 1]), opts, X, y);
%!   good = __adagrad_checkpoint__ ("read", "g", f, X, y);
%!   fid = fopen (f, "r"); b = fread (fid, Inf, "uint8=>uint8"); fclose (fid);
%!   rand ("state", 1);
%!   for k = 1:60
%!     c = b;
%!     i = randi (numel (c));
%!     c(i) = bitxor (c(i), uint8 (2 ^ randi ([0 7])));
%!     fid = fopen (g, "w"); fwrite (fid, c); fclose (fid);
%!     try
%!       r = __adagrad_checkpoint__ ("read", "g", g, X, y);
%!       assert (isequal (r, good));
%!     catch err
%!       assert (err.identifier, "adagrad:badcheckpoint");
%!     end_try_catch
%!   endfor
%! unwind_protect_cleanup
%!   unlink (f);
%!   unlink (g);
%! end_unwind_protect

%!test
%! ## Temporaries of processes that are gone are removed; a live one is kept.
%! own = sprintf ("%s.tmp%d", f, getpid ());
%! dead = sprintf ("%s.tmp%d", f, 4194303);
%! unwind_protect
%!   fclose (fopen (own, "w"));
%!   fclose (fopen (dead, "w"));
%!   assert (__adagrad_checkpoint__ ("clean", f), 1);
%!   assert (exist (own, "file") && ! exist (dead, "file"));
%! unwind_protect_cleanup
%!   unlink (own);
%! end_unwind_protect

%!test
%! [ok, msg] = __adagrad_checkpoint__ ("write", "/nonexistent-dir/x.ckpt", 1, 1, 1, 1, 1);
%! assert (! ok && ! isempty (msg));
%!error <g: no checkpoint file> __adagrad_checkpoint__ ("read", "g", "/nonexistent/x.ckpt", 1, 1)
%!error <g: cannot write the checkpoint /nonexistent-dir/x.ckpt> __adagrad_checkpoint__ ("probe", "g", "/nonexistent-dir/x.ckpt")
%!error id=adagrad:internal __adagrad_checkpoint__ ("x")
