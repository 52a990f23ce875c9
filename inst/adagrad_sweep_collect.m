## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{results}, @var{info}] =} adagrad_sweep_collect (@var{dir})
## @deftypefnx {} {[@var{results}, @var{info}] =} adagrad_sweep_collect (@var{dir}, @qcode{"wait"}, @var{tf}, @dots{})
## Gather the results of a sweep run by the Slurm engine of
## @code{adagrad_sweep} (@code{"engine", "slurm", "dir", @var{dir}}), done or
## not, and say where each cell stands.
##
## @var{results} is the struct array of the cells that have a result, in the
## grid's order, with the fields of @code{adagrad_sweep}'s results: when
## every cell is done it is exactly what @code{adagrad_sweep} returns.
## @var{info} has fields @code{dir}, @code{cells} (the grid's size),
## @code{complete} (true when every cell is done), @code{done},
## @code{running}, @code{waiting} (queued), @code{failed} and @code{missing}
## (cell indices), @code{index} (the cell of each element of @var{results}),
## and @code{report}: a line per cell that is not done, with its task and,
## for a failed cell, the path of its log and its last error line.
##
## A cell is @emph{failed} when its task has left the queue without writing
## its result (an error, a time limit, @code{scancel}), and @emph{missing}
## when it was never submitted.  Calling @code{adagrad_sweep} again with the
## same settings and @var{dir} submits exactly the failed and missing cells.
## A result file that belongs to another sweep (other data or settings) is
## refused with an error, never counted.  Without output arguments the
## report is printed.
##
## Every file of the folder is read as data only (a file that could run code
## when loaded is refused unread, job ids must be digits), and each result
## file carries the SHA-256 digest of its contents: a damaged one is refused
## with an error @code{adagrad:badcell} that names it.  With @qcode{"refill"}
## true, damaged results are moved aside (@file{NNNNNN.mat.damaged}) and
## every cell without a result that is not queued or running (damaged,
## failed, missing) is submitted again, with the options @qcode{"octave"},
## @qcode{"sbatch"} and @qcode{"cellspertask"} of @code{adagrad_sweep}
## (never read from the folder: nothing in it is run).
##
## Options: @qcode{"wait"} (default false): poll the queue every
## @qcode{"poll"} seconds (default 10) until no cell of the sweep is queued
## or running, printing progress when @qcode{"verbose"} (default true);
## @qcode{"refill"} (default false), @qcode{"octave"}, @qcode{"sbatch"},
## @qcode{"cellspertask"} as above.
## @seealso{adagrad_sweep, adagrad_paper}
## @end deftypefn

function [results, info] = adagrad_sweep_collect (dir, varargin)
  fname = "adagrad_sweep_collect";
  if (nargin < 1)
    __adagrad_usage__ (fname);
  endif
  if (! ischar (dir) || isempty (dir) || ! isrow (dir))
    error ("adagrad:badinput", "%s: DIR must name the folder of a sweep", fname);
  endif
  if (! isfolder (dir))
    error ("adagrad:badinput", "%s: DIR %s is not a folder", fname, dir);
  endif
  o = __adagrad_options__ (fname, struct ("wait", false, "poll", 10, "verbose", true,
                                          "refill", false, "octave", __adagrad_slurm__ ("octave"),
                                          "sbatch", {{}}, "cellspertask", 1),
                           varargin{:});
  o = setfield (__adagrad_slurm__ ("options", fname, setfield (o, "dir", dir)), "refill",
                __adagrad_check__ (fname, "REFILL", o.refill, "logical"));
  dir = o.dir;
  if (o.refill)
    refill (fname, o);
  endif
  if (o.wait)
    st = __adagrad_slurm__ ("wait", fname, {dir}, o.poll, o.verbose);
  else
    st = __adagrad_slurm__ ("status", fname, dir);
  endif
  done = find (strcmp (st.state, "done"));
  results = reshape ([st.results{done}], [], 1);
  info = struct ("dir", dir, "cells", numel (st.state), "complete",
                 numel (done) == numel (st.state), "done", done(:)');
  for s = {"running", "waiting", "failed", "missing"}
    info.(s{1}) = find (strcmp (st.state, s{1}))';
  endfor
  info.index = done(:)';
  info.report = __adagrad_slurm__ ("report", st);
  damaged = find (strcmp (st.state, "damaged"));
  if (! isempty (damaged))
    error ("adagrad:badcell",
           "%s: %d result file(s) of %s are damaged and refused:\n%s  adagrad_sweep_collect (DIR, \"refill\", true) moves them aside (FILE.damaged) and submits their cells again",
           fname, numel (damaged), dir, info.report);
  endif
  if (nargout == 0)
    printf ("%s: %d of %d cells done, %d running, %d waiting, %d failed, %d missing\n%s",
            dir, numel (info.done), info.cells, numel (info.running), numel (info.waiting),
            numel (info.failed), numel (info.missing), info.report);
    clear results;
  endif
endfunction

## "refill": the damaged results moved aside, and every cell without a
## result that is not queued or running submitted again (with the caller's
## OCTAVE, SBATCH and CELLSPERTASK).
function refill (fname, o)
  L = __adagrad_sweepdir__ ("lock", fname, o.dir);
  unwind_protect
    st = __adagrad_slurm__ ("status", fname, o.dir);
    __adagrad_sweepdir__ ("refill", fname, st);
    todo = find (ismember (st.state, {"failed", "missing", "damaged"}));
    if (! isempty (todo))
      __adagrad_slurm__ ("submit", fname, o.dir, todo, o);
      if (o.verbose)
        printf ("%s: submitted %d cells again\n", fname, numel (todo));
      endif
    endif
  unwind_protect_cleanup
    __adagrad_sweepdir__ ("unlock", L);
  end_unwind_protect
endfunction

%!test
%! ## A sweep folder filled by running its tasks here, without Slurm: the
%! ## collected results are adagrad_sweep's local ones.
%! [X, y] = adagrad_data (20, 5, "seed", 3);
%! args = {"optimizer", {"gd", "adaloss"}, "b0", [1 4], "width", 40, "maxiter", 50};
%! rl = adagrad_sweep (X, y, args{:}, "parallel", "off");
%! d = tempname ();
%! unwind_protect
%!   c = struct ("eta", [], "params", struct (), "maxiter", 50, "tol", 1e-8,
%!               "diagnostics", 0, "keephist", true, "batch", {{}}, "threads", 0,
%!               "sampling", "shuffle", "options", struct (), "validation", {{}},
%!               "ruleparams", [], "rules", struct ("name", {}, "source", {}));
%!   jobs = struct ("optimizer", {"gd", "gd", "adaloss", "adaloss"}, "b0", {1, 4, 1, 4},
%!                  "width", 40, "seed", 1)(:);
%!   s = __adagrad_sweepdir__ ("create", "t", d, X, y, jobs, c);
%!   [r, info] = adagrad_sweep_collect (d);
%!   assert (isempty (r) && ! info.complete && isequal (info.missing, 1:4));
%!   ## Two tasks as a submission would give them.
%!   tasks = {[1 2], [3 4]};
%!   mkdir (fullfile (d, "slurm"));
%!   save ("-binary", fullfile (d, "slurm", "submit_1.mat"), "tasks");
%!   __adagrad_sweep_task__ (d, 1, 1);
%!   [r, info] = adagrad_sweep_collect (d, "verbose", false);
%!   assert (info.done, [1 2]);
%!   assert (r(2).loss, rl(2).loss);
%!   __adagrad_sweep_task__ (d, 1, 2);
%!   [r, info] = adagrad_sweep_collect (d);
%!   assert (info.complete);
%!   ## The same numbers; only the wall-clock times (and threads) differ.
%!   strip = @(r) cellfun (@(h) rmfield (h, {"time", "threads"}), {r.hist});
%!   assert (isequaln (rmfield (r, {"time", "hist"}), rmfield (rl, {"time", "hist"})));
%!   assert (isequaln (strip (r), strip (rl)));
%!   ## Every cell done: waiting asks Slurm nothing (here there is none).
%!   st = __adagrad_slurm__ ("wait", "t", {d}, 1, false);
%!   assert (all (strcmp (st.state, "done")));
%!   ## Every cell done: the Slurm engine returns them without submitting.
%!   rs = adagrad_sweep (X, y, args{:}, "engine", "slurm", "dir", d);
%!   assert (isequaln (rs, r));
%!   ## A result of another sweep is refused.
%!   d2 = [d "-other"];
%!   s2 = __adagrad_sweepdir__ ("create", "t", d2, X, 2 * y, jobs, c);
%!   __adagrad_sweepdir__ ("writecell", d2, s2, 3, rl(3));
%!   copyfile (fullfile (d2, "cells", "000003.mat"), fullfile (d, "cells", "000003.mat"));
%!   fail ("adagrad_sweep_collect (d)", "refusing .*000003.mat: it was computed for another sweep, on other data");
%!   c.maxiter = 51;
%!   s3 = __adagrad_sweepdir__ ("create", "t", [d "-3"], X, y, jobs, c);
%!   __adagrad_sweepdir__ ("writecell", [d "-3"], s3, 3, rl(3));
%!   copyfile (fullfile ([d "-3"], "cells", "000003.mat"), fullfile (d, "cells", "000003.mat"));
%!   fail ("adagrad_sweep_collect (d)", "it was computed for another sweep, with other settings");
%!   ## The same folder for other data or settings is refused.
%!   fail ("adagrad_sweep (X, 2 * y, args{:}, 'engine', 'slurm', 'dir', d)", "holds a sweep of other data");
%!   fail ("adagrad_sweep (X, y, args{:}, 'maxiter', 60, 'engine', 'slurm', 'dir', d)", "holds a sweep with other settings \\(MAXITER differ\\)");
%!   fail ("adagrad_sweep (X, y, args{:}, 'b0', [1 5], 'engine', 'slurm', 'dir', d)", "\\(B0 differ\\)");
%!   ## A damaged result (a number changed, the digest not): refused with
%!   ## adagrad:badcell naming the file; moved aside and run again, it is the
%!   ## local result once more.
%!   unlink (fullfile (d, "cells", "000003.mat"));
%!   f4 = fullfile (d, "cells", "000004.mat");
%!   k = load (f4);
%!   cell = k.cell;
%!   digest = k.digest;
%!   cell.result.loss *= 2;
%!   save ("-binary", f4, "cell", "digest");
%!   try
%!     adagrad_sweep_collect (d);
%!     error ("no error");
%!   catch err
%!     assert (err.identifier, "adagrad:badcell");
%!     assert (! isempty (strfind (err.message, f4)));
%!     assert (! isempty (strfind (err.message, "refill")));
%!   end_try_catch
%!   st = __adagrad_slurm__ ("status", "t", d);
%!   assert (st.state([3 4]), {"missing"; "damaged"});
%!   assert (__adagrad_sweepdir__ ("refill", "t", st), 4);
%!   assert (exist ([f4 ".damaged"], "file") == 2 && ! exist (f4, "file"));
%!   __adagrad_sweep_task__ (d, 1, 2);
%!   [r, info] = adagrad_sweep_collect (d);
%!   assert (info.complete);
%!   assert (isequaln (rmfield (r, {"time", "hist"}), rmfield (rl, {"time", "hist"})));
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   for f = {d, [d "-other"], [d "-3"]}
%!     if (isfolder (f{1}))
%!       rmdir (f{1}, "s");
%!     endif
%!   endfor
%! end_unwind_protect

%!test
%! ## Files are data: a job id that would reach a shell, a doctored sweep.mat
%! ## (a handle among the options a task passes to adagrad_train, or an
%! ## option that writes files, with the digests recomputed) are refused and
%! ## nothing runs.
%! [X, y] = adagrad_data (10, 3, "seed", 3);
%! d = tempname ();
%! marker = [tempname() ".ran"];
%! unwind_protect
%!   c = struct ("eta", 1, "params", struct (), "maxiter", 5, "tol", 0,
%!               "diagnostics", 0, "keephist", false, "batch", {{}}, "threads", 0);
%!   jobs = struct ("optimizer", "gd", "b0", 1, "width", 4, "seed", 1);
%!   __adagrad_sweepdir__ ("create", "t", d, X, y, jobs, c);
%!   tasks = {1};
%!   mkdir (fullfile (d, "slurm"));
%!   save ("-binary", fullfile (d, "slurm", "submit_1.mat"), "tasks");
%!   fid = fopen (fullfile (d, "slurm", "submit_1.job"), "w");
%!   fprintf (fid, "1; touch %s; echo\n", marker);
%!   fclose (fid);
%!   fail ("adagrad_sweep_collect (d)", "a Slurm job id is digits only");
%!   assert (! exist (marker, "file"));
%!   unlink (fullfile (d, "slurm", "submit_1.job"));
%!   f = fullfile (d, "sweep.mat");
%!   k = load (f);
%!   for bad = {{"batchsize", 2, "outputfcn", eval(sprintf ("@(varargin) system ('touch %s')", marker))}, ...
%!              {"batchsize", 2, "sampling", "shuffle", "checkpoint", marker}}
%!     sweep = k.sweep;
%!     sweep.common.batch = bad{1};
%!     sweep.settings = __adagrad_fingerprint__ (struct ("jobs", sweep.jobs, "common", orderfields (rmfield (sweep.common, "threads"))));
%!     digest = __adagrad_fingerprint__ (sweep);
%!     save ("-binary", f, "sweep", "digest");
%!     fail ("adagrad_sweep_collect (d)", "refusing .*sweep.mat");
%!     fail ("__adagrad_sweep_task__ (d, 1, 1)", "refusing .*sweep.mat");
%!   endfor
%!   assert (! exist (marker, "file"));
%!   ## Damage without a recomputed digest is damage.
%!   sweep = k.sweep;
%!   sweep.common.maxiter = 6;
%!   digest = k.digest;
%!   save ("-binary", f, "sweep", "digest");
%!   fail ("adagrad_sweep_collect (d)", "sweep.mat is damaged");
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   if (isfolder (d))
%!     rmdir (d, "s");
%!   endif
%!   if (exist (marker, "file"))
%!     unlink (marker);
%!   endif
%! end_unwind_protect

%!test
%! ## 150 single bit flips in a result file: each one is refused (the
%! ## digest, or the schema checks) or changes nothing; 0.7.0 took about half
%! ## of them with changed numbers.
%! [X, y] = adagrad_data (10, 3, "seed", 3);
%! d = tempname ();
%! unwind_protect
%!   c = struct ("eta", 1, "params", struct (), "maxiter", 5, "tol", 0,
%!               "diagnostics", 0, "keephist", true, "batch", {{}}, "threads", 0);
%!   jobs = struct ("optimizer", "adaloss", "b0", 1, "width", 4, "seed", 1);
%!   __adagrad_sweepdir__ ("create", "t", d, X, y, jobs, c);
%!   tasks = {1};
%!   mkdir (fullfile (d, "slurm"));
%!   save ("-binary", fullfile (d, "slurm", "submit_1.mat"), "tasks");
%!   __adagrad_sweep_task__ (d, 1, 1);
%!   good = adagrad_sweep_collect (d);
%!   f = fullfile (d, "cells", "000001.mat");
%!   fid = fopen (f, "r"); b = fread (fid, Inf, "uint8=>uint8"); fclose (fid);
%!   rand ("state", 7);
%!   [refused, same] = deal (0);
%!   for k = 1:150
%!     x = b;
%!     i = randi (numel (x));
%!     x(i) = bitxor (x(i), uint8 (2 ^ randi ([0 7])));
%!     fid = fopen (f, "w"); fwrite (fid, x); fclose (fid);
%!     try
%!       [r, info] = adagrad_sweep_collect (d);
%!       assert (isequaln (r, good));
%!       same++;
%!     catch err
%!       assert (any (strcmp (err.identifier, {"adagrad:badcell", "adagrad:badsweep"})), err.message);
%!       refused++;
%!     end_try_catch
%!   endfor
%!   assert (refused + same, 150);
%!   assert (refused > 100);
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   if (isfolder (d))
%!     rmdir (d, "s");
%!   endif
%! end_unwind_protect

%!error <Invalid call> adagrad_sweep_collect ()
%!error <DIR must name the folder of a sweep> adagrad_sweep_collect (3)
%!error <is not a folder> adagrad_sweep_collect ("/nonexistent-adagrad-sweep")
%!error <holds no sweep> adagrad_sweep_collect (tempdir ())
%!error <WAIT must be true or false> adagrad_sweep_collect (tempdir (), "wait", "x")
%!error <unknown option "foo"> adagrad_sweep_collect (tempdir (), "foo", 1)
%!error <REFILL must be true or false> adagrad_sweep_collect (tempdir (), "refill", "x")
