## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{k} =} __adagrad_slurm__ ("submit", @var{fname}, @var{dir}, @var{cells}, @var{opts})
## @deftypefnx {} {@var{st} =} __adagrad_slurm__ ("status", @var{fname}, @var{dir}, @var{q}, @var{with_results})
## @deftypefnx {} {@var{st} =} __adagrad_slurm__ ("wait", @var{fname}, @var{dirs}, @var{poll}, @var{verbose})
## @deftypefnx {} {@var{txt} =} __adagrad_slurm__ ("report", @var{st})
## @deftypefnx {} {@var{tasks} =} __adagrad_slurm__ ("tasks", @var{fname}, @var{dir}, @var{k}, @var{n})
## @deftypefnx {} {@var{so} =} __adagrad_slurm__ ("options", @var{fname}, @var{o})
## @deftypefnx {} {@var{f} =} __adagrad_slurm__ ("octave")
## Internal: the Slurm engine of @code{adagrad_sweep}.  The sweep folder
## (sweep.mat, data.mat, cells/, lock) is @code{__adagrad_sweepdir__}'s; this
## engine keeps beside it:
##
## @table @file
## @item slurm/submit_K.mat, slurm/submit_K.sh, slurm/submit_K.job, slurm/task.m
## submission K: the cells of each array task, the batch script, the job id
## sbatch returned; task.m loads the package and runs the task.
## @item logs/JOBID_TASK.log
## the output of each array task.
## @end table
##
## @qcode{"submit"} submits @var{cells} as one job array (@var{opts}: octave,
## sbatch, cellspertask) and returns the submission number.
## @qcode{"status"} reads the results and the queue: @var{st} has the
## per-cell @code{state} ("done", "waiting", "running", "failed",
## "missing", "damaged"), @code{why} (for failed cells: the log and its last
## error line) and, unless @var{with_results} is false, the @code{results}
## of the done cells (read and checked); @var{q}, the queue when the caller
## has it (empty: asked when needed).  @qcode{"wait"} polls until no cell of
## @var{dirs} is waiting or running.  @qcode{"tasks"}: the cells of each
## array task of submission @var{k}; @qcode{"options"}: the engine's
## options checked; @qcode{"octave"}: the Octave binary the tasks run.
## @end deftypefn

function varargout = __adagrad_slurm__ (what, varargin)
  requests = struct ("submit", @submit, "status", @status, "wait", @wait_for,
                     "report", @report, "tasks", @load_tasks, "options", @options,
                     "octave", @default_octave);
  if (! ischar (what) || ! isfield (requests, what))
    error ("adagrad:internal", "__adagrad_slurm__: unknown request \"%s\"", num2str (what));
  endif
  varargout{1} = requests.(what) (varargin{:});
endfunction









## The cells of each array task of submission K in DIR (a sweep of N cells).
function tasks = load_tasks (fname, dir, k, n)
  file = fullfile (dir, "slurm", sprintf ("submit_%d.mat", k));
  c = __adagrad_sweepdir__ ("read", fname, file, "adagrad:badsweep");
  if (! isfield (c, "tasks") || ! iscell (c.tasks)
      || ! all (cellfun (@(t) isnumeric (t) && isreal (t) && isvector (t) && all (t == fix (t) & t >= 1 & t <= n), c.tasks)))
    error ("adagrad:badsweep", "%s: refusing %s: its tasks are not lists of the sweep's cells",
           fname, file);
  endif
  tasks = c.tasks;
endfunction






function q = shquote (s)
  q = ["'" strrep(s, "'", "'\\''") "'"];
endfunction

function q = octquote (s)
  q = ["'" strrep(s, "'", "''") "'"];
endfunction

## The rules written in Octave of the sweep (o.fcns) as the code of task.m,
## which this submission writes from the caller's handles (the tasks never
## take a rule from the folder's data): the folders of their files on the
## path, and ", {@name, ...}" for the task's call.  An anonymous function
## that uses variables of its workspace cannot be written as code.
function [lines, arg] = rule_lines (fname, o)
  [lines, arg] = deal ("");
  if (! isfield (o, "fcns") || isempty (o.fcns))
    return;
  endif
  code = {};
  for r = o.fcns(:)'
    info = functions (r.fcn);
    if (strncmp (r.name, "@(", 2))
      if (isfield (info, "workspace") && ! isempty (info.workspace)
          && ! isempty (fieldnames (info.workspace{1})))
        error ("adagrad:badinput",
               "%s: the rule %s uses variables of its workspace (%s), which a Slurm task does not have: write it as a function file",
               fname, r.name, strjoin (fieldnames (info.workspace{1})', ", "));
      endif
      code{end+1} = r.name;
    else
      f = which (r.name(2:end));
      if (isempty (f) || exist (f, "file") != 2)
        error ("adagrad:badinput",
               "%s: the rule %s has no function file that a Slurm task could load", fname,
               r.name);
      endif
      lines = [lines sprintf("addpath (%s);\n", octquote (fileparts (f)))];
      code{end+1} = r.name;
    endif
  endfor
  arg = [", {" strjoin(code, ", ") "}"];
endfunction

## How the tasks find the package: pkg load when this copy is an installed
## package, else the folders of this source tree (inst/ and the MEX files).
function lines = package_lines ()
  here = fileparts (mfilename ("fullpath"));
  mexdir = fileparts (which ("__adagrad_train__"));
  lines = "";
  try
    list = pkg ("list", "adagrad");
  catch
    list = {};
  end_try_catch
  for k = 1:numel (list)
    if (strcmp (canonicalize_file_name (list{k}.dir), canonicalize_file_name (here)))
      lines = "pkg load adagrad\n";
      return;
    endif
  endfor
  lines = sprintf ("addpath (%s, %s);\n", octquote (here), octquote (mexdir));
endfunction

function k = submit (fname, dir, cells, o)
  __adagrad_sweepdir__ ("folders", fname, dir, {"slurm", "logs"});
  cells = cells(:)';
  per = o.cellspertask;
  ntask = ceil (numel (cells) / per);
  tasks = arrayfun (@(t) cells((t - 1) * per + 1:min (t * per, numel (cells))),
                    1:ntask, "UniformOutput", false);
  k = 1 + numel (submission_numbers (dir));
  while (exist (fullfile (dir, "slurm", sprintf ("submit_%d.mat", k)), "file"))
    k++;
  endwhile
  here = canonicalize_file_name (dir);
  base = fullfile (here, "slurm", sprintf ("submit_%d", k));
  __adagrad_sweepdir__ ("write", fname, [base ".mat"], struct ("tasks", {tasks}));
  [rlines, rarg] = rule_lines (fname, o);
  __adagrad_sweepdir__ ("write", fname, fullfile (dir, "slurm", "task.m"),
              ["## One task of an adagrad_sweep job array (written by adagrad_sweep).\n" ...
               package_lines() rlines ...
               sprintf("__adagrad_sweep_task__ (%s, str2double (getenv (\"ADAGRAD_SUBMISSION\")), str2double (getenv (\"SLURM_ARRAY_TASK_ID\"))%s);\n", ...
                       octquote (here), rarg)]);
  __adagrad_sweepdir__ ("write", fname, [base ".sh"],
              sprintf(["#!/bin/sh\n# Submission %d of the adagrad sweep in this folder.\n" ...
                       "# Octave starts through adagrad_blas.sh, which sets OPENBLAS_CORETYPE\n" ...
                       "# where the node's OpenBLAS would run its generic kernels.\n" ...
                       "ADAGRAD_SUBMISSION=%d exec sh %s run %s --no-gui --no-history --norc --quiet %s\n"], ...
                      k, k, shquote (fullfile (fileparts (mfilename ("fullpath")), "adagrad_blas.sh")),
                      shquote (o.octave), shquote (fullfile (here, "slurm", "task.m"))));
  logs = fullfile (here, "logs", "%A_%a.log");
  args = [{"sbatch", "--parsable", sprintf("--array=1-%d", ntask), "--job-name=adagrad", ...
           ["--output=" logs], ["--chdir=" here]}, o.sbatch(:)', ...
          {[base ".sh"]}];
  cmd = strjoin (cellfun (@shquote, args, "UniformOutput", false), " ");
  [st, out] = system ([cmd " 2>&1"]);
  id = regexp (strtrim (out), '^(\d+)(;\S+)?$', "tokens", "once");
  if (st != 0 || isempty (id))
    unlink ([base ".mat"]);
    error ("adagrad:slurm", "%s: sbatch failed (status %d): %s\n  the command: %s", fname,
           st, strtrim (out), cmd);
  endif
  __adagrad_sweepdir__ ("write", fname, [base ".job"], [id{1} "\n"]);
endfunction

## The numbers K of the files slurm/submit_K.mat in DIR (a literal listing:
## glob would read [, ] and \ in DIR as patterns).
function ks = submission_numbers (dir)
  ks = [];
  folder = fullfile (dir, "slurm");
  if (! isfolder (folder))
    return;
  endif
  t = regexp (readdir (folder), '^submit_(\d+)\.mat$', "tokens", "once");
  t = t(! cellfun (@isempty, t));
  ks = sort (cellfun (@(x) str2double (x{1}), t))(:)';
endfunction

## The submissions of DIR (a sweep of N cells): for each, the job id (empty
## if sbatch never answered; digits only, else the file is refused: it
## reaches a shell) and the cells of each array task.
function subs = submissions (fname, dir, n)
  subs = struct ("k", {}, "job", {}, "tasks", {});
  for k = submission_numbers (dir)
    job = "";
    jf = fullfile (dir, "slurm", sprintf ("submit_%d.job", k));
    if (exist (jf, "file"))
      job = strtrim (fileread (jf));
      if (isempty (regexp (job, '^\d{1,20}$', "once")))
        error ("adagrad:badsweep",
               "%s: refusing %s: a Slurm job id is digits only, this holds \"%s\"", fname,
               jf, __adagrad_sweepdir__ ("printable", job(1:min (end, 40))));
      endif
    endif
    subs(end+1) = struct ("k", k, "job", job, "tasks", {load_tasks(fname, dir, k, n)});
  endfor
endfunction

## The array tasks of this user in the queue: "JOBID_TASK" -> state letters.
function q = queue (fname)
  q = struct ("id", {{}}, "state", {{}});
  [st, out] = system ("squeue -h -r --me -o '%F_%K %t' 2>&1");
  if (st != 0)
    error ("adagrad:slurm",
           "%s: cannot ask Slurm which tasks run (squeue: %s); is this a login node of the cluster?",
           fname, strtrim (out));
  endif
  lines = strsplit (strtrim (out), "\n");
  for l = lines(! cellfun (@isempty, lines))
    w = strsplit (strtrim (l{1}));
    if (numel (w) == 2)
      q.id{end+1} = w{1};
      q.state{end+1} = w{2};
    endif
  endfor
endfunction

function st = status (fname, dir, q, with_results)
  if (nargin < 3)
    q = [];
  endif
  if (nargin < 4)
    with_results = true;
  endif
  s = __adagrad_sweepdir__ ("load", fname, dir);
  n = numel (s.jobs);
  st = struct ("dir", dir, "sweep", s, "state", {repmat({"missing"}, n, 1)},
               "why", {repmat({""}, n, 1)}, "log", {repmat({""}, n, 1)},
               "job", {repmat({""}, n, 1)}, "results", []);
  st.results = cell (n, 1);
  st = __adagrad_sweepdir__ ("results", fname, dir, s, st, 1:n, with_results);
  todo = find (! strcmp (st.state, "done"))';
  if (isempty (todo))
    return;
  endif
  subs = submissions (fname, dir, n);
  if (isempty (subs))
    return;
  endif
  asked = arrayfun (@(sb) ! isempty (sb.job) && any (ismember ([sb.tasks{:}], todo)), subs);
  if (isempty (q) && any (asked))
    q = queue (fname);
  elseif (isempty (q))
    q = struct ("id", {{}}, "state", {{}});
  endif
  ## A task may have written a result since the files were read; the queue
  ## was read first now, so a task gone from it has written all it will.
  st = __adagrad_sweepdir__ ("results", fname, dir, s, st, todo, with_results);
  todo = find (! strcmp (st.state, "done") & ! strcmp (st.state, "damaged"))';
  ## The latest submission of each cell decides its state.
  for sb = subs
    for t = 1:numel (sb.tasks)
      cells = intersect (sb.tasks{t}, todo);
      if (isempty (cells))
        continue;
      endif
      if (isempty (sb.job))
        [st.state(cells), st.why(cells)] = deal ({"missing"}, {"sbatch gave no job id"});
        continue;
      endif
      id = sprintf ("%s_%d", sb.job, t);
      log = fullfile (dir, "logs", [id ".log"]);
      st.log(cells) = {log};
      st.job(cells) = {id};
      i = find (strcmp (q.id, id), 1);
      if (! isempty (i))
        st.state(cells) = {merge(any (strcmp (q.state{i}, {"PD", "CF", "RQ", "RS", "RH"})), ...
                                 "waiting", "running")};
        st.why(cells) = {""};
      else
        st.state(cells) = {"failed"};
        for c = cells
          st.why{c} = last_error (log, id, c);
        endfor
      endif
    endfor
  endfor
endfunction


## Why a task that left the queue gave no result: its log's last error line,
## else its last line, else what Slurm still knows of it.
function why = last_error (log, id, k)
  why = "";
  if (exist (log, "file"))
    lines = strtrim (strsplit (fileread (log), "\n"));
    lines = lines(! cellfun (@isempty, lines));
    mine = lines(strncmp (lines, sprintf ("error: cell %d ", k), 9 + numel (num2str (k))));
    e = lines(! cellfun (@isempty, regexpi (lines, 'error|cancelled|killed|oom|time limit|not found|no such')));
    lines = cellfun (@(t) __adagrad_sweepdir__ ("printable", t), lines, "UniformOutput", false);
    mine = cellfun (@(t) __adagrad_sweepdir__ ("printable", t), mine, "UniformOutput", false);
    e = cellfun (@(t) __adagrad_sweepdir__ ("printable", t), e, "UniformOutput", false);
    if (! isempty (mine))
      why = mine{end};
    elseif (! isempty (e))
      why = e{end};
    elseif (! isempty (lines))
      why = lines{end};
    endif
  endif
  if (isempty (why))
    ## ID is JOB_TASK, digits only (checked when the job file was read).
    [st, out] = system (sprintf ("scontrol -o show job %s 2>/dev/null", shquote (id)));
    state = regexp (out, 'JobState=(\S+)', "tokens", "once");
    if (st == 0 && ! isempty (state))
      why = sprintf ("Slurm's state: %s (no log)", state{1});
    else
      why = "the task left the queue without a log (cancelled before it started?)";
    endif
  endif
endfunction

function st = wait_for (fname, dirs, poll, verbose)
  ## The polls look at which result files exist; the results are read once,
  ## when no cell is queued or running any more.
  none = struct ("id", {{}}, "state", {{}});
  st = cellfun (@(d) status (fname, d, none, false), dirs);
  if (all (strcmp (vertcat (st.state), "done")))
    ## Nothing to ask Slurm (which may not be there).
    st = cellfun (@(d) status (fname, d, none), dirs);
    return;
  endif
  last = "";
  done = false;
  ## Ctrl-C (or any error) stops the waiting, never the tasks: say so.
  unwind_protect
    while (true)
      q = queue (fname);
      st = cellfun (@(d) status (fname, d, q, false), dirs);
      all_state = vertcat (st.state);
      count = @(s) sum (strcmp (all_state, s));
      line = sprintf ("%d of %d cells done, %d running, %d waiting", count ("done"),
                      numel (all_state), count ("running"), count ("waiting"));
      if (count ("failed") > 0)
        line = sprintf ("%s, %d failed", line, count ("failed"));
      endif
      if (verbose && ! strcmp (line, last))
        printf ("%s: %s (%s)\n", fname, line, datestr (now (), "HH:MM:SS"));
        fflush (stdout);
        last = line;
      endif
      if (count ("running") + count ("waiting") == 0)
        st = cellfun (@(d) status (fname, d, q), dirs);
        done = true;
        break;
      endif
      pause (poll);
    endwhile
  unwind_protect_cleanup
    if (! done)
      printf ("%s: stopped waiting; the submitted tasks keep running in Slurm (scancel stops them); adagrad_sweep_collect (\"%s\") gathers the results\n",
              fname, dirs{1});
      fflush (stdout);
    endif
  end_unwind_protect
endfunction

## A text report of the cells that are not done.
function txt = report (st)
  txt = "";
  for s = st(:)'
    jobs = s.sweep.jobs;
    for state = {"damaged", "failed", "missing", "running", "waiting"}
      idx = find (strcmp (s.state, state{1}))';
      for k = idx
        j = jobs(k);
        txt = [txt, sprintf("  cell %d (%s, b0 = %g, width %d, seed %d): %s", k, ...
                            j.optimizer, j.b0, j.width, j.seed, state{1})];
        if (! isempty (s.job{k}))
          txt = [txt, sprintf(" (task %s)", s.job{k})];
        endif
        if (! isempty (s.why{k}))
          txt = [txt, sprintf("; %s", s.why{k})];
        endif
        if (strcmp (state{1}, "failed") && ! isempty (s.log{k}))
          txt = [txt, sprintf("\n    log: %s", s.log{k})];
        endif
        txt = [txt, "\n"];
      endfor
    endfor
  endfor
endfunction


## The options of the Slurm engine (DIR, WAIT, VERBOSE, CELLSPERTASK, POLL,
## SBATCH, OCTAVE), checked.  DIR must be a name that Slurm's file name
## patterns carry (no %, no \, no control characters).
function so = options (fname, o)
  if (! ischar (o.dir) || isempty (o.dir) || ! isrow (o.dir))
    error ("adagrad:badinput",
           "%s: DIR must name a folder for the sweep (the Slurm engine keeps its data, tasks and results there)",
           fname);
  endif
  if (any (o.dir < 32 | o.dir == 127 | o.dir == "%" | o.dir == "\\"))
    error ("adagrad:badinput",
           "%s: DIR must not contain %%, \\ or control characters (Slurm reads them as patterns in its log file names): %s",
           fname, __adagrad_sweepdir__ ("printable", o.dir));
  endif
  so.dir = make_absolute_filename (tilde_expand (o.dir));
  so.wait = __adagrad_check__ (fname, "WAIT", o.wait, "logical");
  so.verbose = __adagrad_check__ (fname, "VERBOSE", o.verbose, "logical");
  so.cellspertask = __adagrad_check__ (fname, "CELLSPERTASK", o.cellspertask, "posint");
  so.poll = __adagrad_check__ (fname, "POLL", o.poll, "positive");
  if (ischar (o.sbatch) && (isrow (o.sbatch) || isempty (o.sbatch)))
    o.sbatch = {o.sbatch};
  endif
  if (! iscellstr (o.sbatch))
    error ("adagrad:badinput",
           "%s: SBATCH must be a cell array of sbatch arguments, e.g. {\"--partition=short\", \"--time=2:00:00\"}",
           fname);
  endif
  so.sbatch = o.sbatch(! cellfun (@isempty, o.sbatch));
  ## sbatch takes any unambiguous prefix of a long option (--arr=, --outp=).
  long = regexp (so.sbatch, '^--([^=]*)', "tokens", "once");
  setby = {"array", "output", "error", "parsable"};
  prefix = cellfun (@(t) ! isempty (t) && ! isempty (t{1}) && any (strncmp (t{1}, setby, numel (t{1}))), long);
  short = ! cellfun (@isempty, regexp (so.sbatch, '^-[aoe]'));
  bad = so.sbatch(prefix | short);
  if (! isempty (bad))
    error ("adagrad:badinput",
           "%s: SBATCH must not set %s: the engine sets the array, the logs and --parsable",
           fname, bad{1});
  endif
  if (! ischar (o.octave) || isempty (o.octave) || ! isrow (o.octave))
    error ("adagrad:badinput", "%s: OCTAVE must name the Octave binary the tasks run", fname);
  endif
  so.octave = o.octave;
endfunction

## The octave-cli beside the running Octave, else the one on the PATH.
function f = default_octave ()
  f = fullfile (OCTAVE_HOME (), "bin", "octave-cli");
  if (! exist (f, "file"))
    f = "octave-cli";
  endif
endfunction



%!error <unknown request "nothing"> __adagrad_slurm__ ("nothing")
%!test
%! ## A task that left the queue without a result: its cell is "failed",
%! ## with the last error line of its log, control characters shown as spaces.
%! d = tempname ();
%! unwind_protect
%!   [X, y] = adagrad_data (6, 2, "seed", 1);
%!   jobs = struct ("optimizer", "gd", "b0", {1; 2}, "width", 5, "seed", 1);
%!   c = struct ("eta", 1, "params", struct (), "maxiter", 2, "tol", 0, "diagnostics", 0,
%!               "keephist", false, "batch", {{}});
%!   __adagrad_sweepdir__ ("create", "t", d, X, y, jobs, c);
%!   __adagrad_sweepdir__ ("folders", "t", d, {"slurm", "logs"});
%!   tasks = {[1 2]};
%!   save ("-binary", fullfile (d, "slurm", "submit_1.mat"), "tasks");
%!   fid = fopen (fullfile (d, "slurm", "submit_1.job"), "w"); fputs (fid, "4711\n"); fclose (fid);
%!   fid = fopen (fullfile (d, "logs", "4711_1.log"), "w");
%!   fputs (fid, "starting\nerror: out of \033[1mmemory\033[0m\nbye\n");
%!   fclose (fid);
%!   st = __adagrad_slurm__ ("status", "t", d, struct ("id", {{}}, "state", {{}}));
%!   assert (st.state, {"failed"; "failed"});
%!   assert (st.why{1}, "error: out of  [1mmemory [0m");
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   rmdir (d, "s");
%! end_unwind_protect
