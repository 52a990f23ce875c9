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
## Options: @qcode{"wait"} (default false): poll the queue every
## @qcode{"poll"} seconds (default 10) until no cell of the sweep is queued
## or running, printing progress when @qcode{"verbose"} (default true).
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
  o = __adagrad_options__ (fname, struct ("wait", false, "poll", 10, "verbose", true),
                           varargin{:});
  o.wait = __adagrad_check__ (fname, "WAIT", o.wait, "logical");
  o.poll = __adagrad_check__ (fname, "POLL", o.poll, "positive");
  o.verbose = __adagrad_check__ (fname, "VERBOSE", o.verbose, "logical");
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
  if (nargout == 0)
    printf ("%s: %d of %d cells done, %d running, %d waiting, %d failed, %d missing\n%s",
            dir, numel (info.done), info.cells, numel (info.running), numel (info.waiting),
            numel (info.failed), numel (info.missing), info.report);
    clear results;
  endif
endfunction

%!test
%! ## A sweep folder filled by running its tasks here, without Slurm: the
%! ## collected results are adagrad_sweep's local ones.
%! [X, y] = adagrad_data (20, 5, "seed", 3);
%! args = {"optimizer", {"gd", "adaloss"}, "b0", [1 4], "width", 40, "maxiter", 50};
%! rl = adagrad_sweep (X, y, args{:}, "parallel", "off");
%! d = tempname ();
%! unwind_protect
%!   c = struct ("eta", 1, "params", struct (), "maxiter", 50, "tol", 1e-8,
%!               "diagnostics", 0, "keephist", true, "batch", {{}}, "threads", 0);
%!   jobs = struct ("optimizer", {"gd", "gd", "adaloss", "adaloss"}, "b0", {1, 4, 1, 4},
%!                  "width", 40, "seed", 1)(:);
%!   s = __adagrad_slurm__ ("create", "t", d, X, y, jobs, c);
%!   [r, info] = adagrad_sweep_collect (d);
%!   assert (isempty (r) && ! info.complete && isequal (info.missing, 1:4));
%!   ## Two tasks as a submission would give them.
%!   tasks = {[1 2], [3 4]};
%!   save ("-binary", fullfile (d, "slurm", "submit_1.mat"), "tasks");
%!   __adagrad_sweep_task__ (d, 1, 1);
%!   [r, info] = adagrad_sweep_collect (d, "verbose", false);
%!   assert (info.done, [1 2]);
%!   assert (r(2).loss, rl(2).loss);
%!   __adagrad_sweep_task__ (d, 1, 2);
%!   [r, info] = adagrad_sweep_collect (d);
%!   assert (info.complete);
%!   ## The same numbers; only the wall-clock times differ.
%!   strip = @(r) cellfun (@(h) rmfield (h, "time"), {r.hist});
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
%!   s2 = __adagrad_slurm__ ("create", "t", d2, X, 2 * y, jobs, c);
%!   __adagrad_slurm__ ("writecell", d2, s2, 3, rl(3));
%!   copyfile (fullfile (d2, "cells", "000003.mat"), fullfile (d, "cells", "000003.mat"));
%!   fail ("adagrad_sweep_collect (d)", "refusing .*000003.mat: it was computed for another sweep, on other data");
%!   c.maxiter = 51;
%!   s3 = __adagrad_slurm__ ("create", "t", [d "-3"], X, y, jobs, c);
%!   __adagrad_slurm__ ("writecell", [d "-3"], s3, 3, rl(3));
%!   copyfile (fullfile ([d "-3"], "cells", "000003.mat"), fullfile (d, "cells", "000003.mat"));
%!   fail ("adagrad_sweep_collect (d)", "it was computed for another sweep, with other settings");
%!   ## The same folder for other data or settings is refused.
%!   fail ("adagrad_sweep (X, 2 * y, args{:}, 'engine', 'slurm', 'dir', d)", "holds a sweep of other data");
%!   fail ("adagrad_sweep (X, y, args{:}, 'maxiter', 60, 'engine', 'slurm', 'dir', d)", "holds a sweep with other settings \\(MAXITER differ\\)");
%!   fail ("adagrad_sweep (X, y, args{:}, 'b0', [1 5], 'engine', 'slurm', 'dir', d)", "\\(B0 differ\\)");
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   for f = {d, [d "-other"], [d "-3"]}
%!     if (isfolder (f{1}))
%!       rmdir (f{1}, "s");
%!     endif
%!   endfor
%! end_unwind_protect

%!error <Invalid call> adagrad_sweep_collect ()
%!error <DIR must name the folder of a sweep> adagrad_sweep_collect (3)
%!error <is not a folder> adagrad_sweep_collect ("/nonexistent-adagrad-sweep")
%!error <holds no sweep> adagrad_sweep_collect (tempdir ())
%!error <WAIT must be true or false> adagrad_sweep_collect (tempdir (), "wait", "x")
%!error <unknown option "foo"> adagrad_sweep_collect (tempdir (), "foo", 1)
