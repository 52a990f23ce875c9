## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{s} =} __adagrad_slurm__ ("create", @var{fname}, @var{dir}, @var{X}, @var{y}, @var{jobs}, @var{common})
## @deftypefnx {} {@var{k} =} __adagrad_slurm__ ("submit", @var{fname}, @var{dir}, @var{cells}, @var{opts})
## @deftypefnx {} {@var{st} =} __adagrad_slurm__ ("status", @var{fname}, @var{dir}, @var{q}, @var{with_results})
## @deftypefnx {} {@var{st} =} __adagrad_slurm__ ("wait", @var{fname}, @var{dirs}, @var{poll}, @var{verbose})
## @deftypefnx {} {@var{txt} =} __adagrad_slurm__ ("report", @var{st})
## @deftypefnx {} {@var{ok} =} __adagrad_slurm__ ("writecell", @var{dir}, @var{s}, @var{index}, @var{result})
## @deftypefnx {} {@var{s} =} __adagrad_slurm__ ("load", @var{fname}, @var{dir})
## @deftypefnx {} {@var{f} =} __adagrad_slurm__ ("cellfile", @var{dir}, @var{k})
## Internal: the Slurm engine of @code{adagrad_sweep}, and the sweep folder it
## keeps (schema @qcode{"adagrad sweep 1"}):
##
## @table @file
## @item sweep.mat
## @code{sweep}: @code{version}, @code{data} (the fingerprint of X and y),
## @code{jobs} (the grid, one cell per element), @code{common} (the training
## settings), @code{settings} (the SHA-256 digest of jobs and common) and
## @code{created}.
## @item data.mat
## @code{X}, @code{y} and their fingerprint @code{data}.
## @item cells/NNNNNN.mat
## the result of cell NNNNNN: @code{cell} with @code{version}, @code{data},
## @code{settings}, @code{index}, @code{job} and @code{result}; written to a
## temporary file and renamed, so a file that exists is complete.
## @item slurm/submit_K.mat, slurm/submit_K.sh, slurm/submit_K.job, slurm/task.m
## submission K: the cells of each array task, the batch script, the job id
## sbatch returned; task.m loads the package and runs the task.
## @item logs/JOBID_TASK.log
## the output of each array task.
## @end table
##
## @qcode{"create"} writes sweep.mat and data.mat, or checks that @var{dir}
## holds the same sweep (an error naming what differs otherwise).
## @qcode{"submit"} submits @var{cells} as one job array (@var{opts}: octave,
## sbatch, cellspertask) and returns the submission number.
## @qcode{"status"} reads the results and the queue: @var{st} has the
## per-cell @code{state} ("done", "waiting", "running", "failed",
## "missing"), @code{why} (for failed cells: the log and its last error line)
## and, unless @var{with_results} is false, the @code{results} of the done
## cells (read and checked); @var{q}, the queue when the caller has it
## (empty: asked when needed).  @qcode{"wait"} polls until no
## cell of @var{dirs} is waiting or running.  @qcode{"load"} reads and
## checks sweep.mat; @qcode{"cellfile"} names the result file of cell
## @var{k}.
## @end deftypefn

function varargout = __adagrad_slurm__ (what, varargin)
  requests = struct ("create", @create, "submit", @submit, "status", @status,
                     "wait", @wait_for, "report", @report, "writecell", @writecell,
                     "load", @load_sweep, "cellfile", @cellfile);
  if (! ischar (what) || ! isfield (requests, what))
    error ("adagrad:internal", "__adagrad_slurm__: unknown request \"%s\"", num2str (what));
  endif
  varargout{1} = requests.(what) (varargin{:});
endfunction

function v = version ()
  v = "adagrad sweep 1";
endfunction

## The settings that decide a sweep's numbers (not how it is run).
function d = settings_digest (jobs, common)
  common = orderfields (rmfield (common, intersect (fieldnames (common), {"threads"})));
  d = __adagrad_fingerprint__ (struct ("jobs", jobs, "common", common));
endfunction

function s = create (fname, dir, X, y, jobs, common)
  data = __adagrad_fingerprint__ (X, y);
  settings = settings_digest (jobs, common);
  file = fullfile (dir, "sweep.mat");
  if (exist (file, "file"))
    s = load_sweep (fname, dir);
    if (! isequal (s.data, data))
      error ("adagrad:badsweep",
             "%s: DIR %s holds a sweep of other data (X and Y differ from its data.mat); use another DIR",
             fname, dir);
    endif
    if (! strcmp (s.settings, settings))
      error ("adagrad:badsweep",
             "%s: DIR %s holds a sweep with other settings (%s differ); use another DIR, or the same settings to resume it",
             fname, dir, strjoin (differing (s, jobs, common), ", "));
    endif
    return;
  endif
  for sub = {"", "cells", "slurm", "logs"}
    f = fullfile (dir, sub{1});
    if (! isfolder (f))
      [ok, msg] = mkdir (f);
      if (! ok)
        error ("adagrad:badinput", "%s: cannot create the folder %s: %s", fname, f, msg);
      endif
    endif
  endfor
  write_atomic (fname, fullfile (dir, "data.mat"), struct ("X", X, "y", y, "data", data));
  sweep = struct ("version", version (), "data", data, "jobs", jobs, "common", common,
                  "settings", settings, "created", datestr (now (), 31));
  write_atomic (fname, file, struct ("sweep", sweep));
  s = sweep;
endfunction

## Which settings of the stored sweep S differ from JOBS and COMMON.
function d = differing (s, jobs, common)
  d = {};
  if (numel (s.jobs) != numel (jobs))
    d{end+1} = sprintf ("the grid: %d cells, not %d", numel (s.jobs), numel (jobs));
  else
    for f = {"optimizer", "b0", "width", "seed"}
      if (! isequal ({s.jobs.(f{1})}, {jobs.(f{1})}))
        d{end+1} = upper (f{1});
      endif
    endfor
  endif
  for f = setdiff (union (fieldnames (s.common), fieldnames (common)), {"threads"})'
    if (! isfield (s.common, f{1}) || ! isfield (common, f{1})
        || ! isequal (s.common.(f{1}), common.(f{1})))
      d{end+1} = upper (f{1});
    endif
  endfor
  if (isempty (d))
    d = {"the stored settings"};
  endif
endfunction

function s = load_sweep (fname, dir)
  file = fullfile (dir, "sweep.mat");
  if (! exist (file, "file"))
    error ("adagrad:badsweep", "%s: %s holds no sweep (no sweep.mat)", fname, dir);
  endif
  try
    c = load (file);
  catch err
    error ("adagrad:badsweep", "%s: cannot read %s: %s", fname, file, err.message);
  end_try_catch
  if (! isfield (c, "sweep") || ! isstruct (c.sweep) || ! isfield (c.sweep, "version")
      || ! strcmp (c.sweep.version, version ())
      || ! all (isfield (c.sweep, {"data", "jobs", "common", "settings"})))
    error ("adagrad:badsweep", "%s: %s is not a sweep of this version (\"%s\")", fname,
           file, version ());
  endif
  s = c.sweep;
  if (! strcmp (settings_digest (s.jobs, s.common), s.settings))
    error ("adagrad:badsweep", "%s: %s is damaged: its settings do not match their digest",
           fname, file);
  endif
endfunction

## Write FILE through a temporary file and a rename, so that a file that
## exists is complete: V a string (written as text) or a struct (its fields
## saved as variables).  A failure leaves no temporary behind.
function write_atomic (fname, file, v)
  tmp = sprintf ("%s.tmp%d", file, getpid ());
  try
    if (ischar (v))
      fid = fopen (tmp, "w");
      if (fid < 0)
        error ("cannot open %s", tmp);
      endif
      fputs (fid, v);
      fclose (fid);
    else
      save ("-binary", tmp, "-struct", "v");
    endif
    [err, msg] = rename (tmp, file);
  catch e
    [err, msg] = deal (1, e.message);
  end_try_catch
  if (err != 0)
    if (exist (tmp, "file"))
      unlink (tmp);
    endif
    error ("adagrad:badsweep", "%s: cannot write %s: %s", fname, file, msg);
  endif
endfunction

function f = cellfile (dir, k)
  f = fullfile (dir, "cells", sprintf ("%06d.mat", k));
endfunction

## A task's result for cell INDEX of sweep S, written atomically.
function ok = writecell (dir, s, index, result)
  cell = struct ("version", version (), "data", s.data, "settings", s.settings,
                 "index", index, "job", s.jobs(index), "result", result);
  write_atomic ("adagrad_sweep", cellfile (dir, index), struct ("cell", cell));
  ok = true;
endfunction

## Read a result file, refusing one of another sweep.
function r = readcell (fname, dir, s, k)
  file = cellfile (dir, k);
  try
    c = load (file);
  catch err
    error ("adagrad:badsweep", "%s: cannot read the result %s: %s", fname, file, err.message);
  end_try_catch
  why = "";
  if (! isfield (c, "cell") || ! isstruct (c.cell)
      || ! all (isfield (c.cell, {"version", "data", "settings", "index", "job", "result"})))
    why = "it is not a result of an adagrad sweep";
  elseif (! strcmp (c.cell.version, version ()))
    why = sprintf ("it has the schema \"%s\"", c.cell.version);
  elseif (! isequal (c.cell.data, s.data))
    why = "it was computed on other data";
  elseif (! strcmp (c.cell.settings, s.settings) || c.cell.index != k
          || ! isequal (c.cell.job, s.jobs(k)))
    why = "it was computed with other settings";
  endif
  if (! isempty (why))
    error ("adagrad:badsweep",
           "%s: refusing %s: %s than the sweep in %s; remove the file to have the cell run again",
           fname, file, strrep (why, "computed", "computed for another sweep,"), dir);
  endif
  r = c.cell.result;
endfunction

function q = shquote (s)
  q = ["'" strrep(s, "'", "'\\''") "'"];
endfunction

function q = octquote (s)
  q = ["'" strrep(s, "'", "''") "'"];
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
  cells = cells(:)';
  per = o.cellspertask;
  ntask = ceil (numel (cells) / per);
  tasks = arrayfun (@(t) cells((t - 1) * per + 1:min (t * per, numel (cells))),
                    1:ntask, "UniformOutput", false);
  old = glob (fullfile (dir, "slurm", "submit_*.mat"));
  k = 1 + numel (old);
  while (exist (fullfile (dir, "slurm", sprintf ("submit_%d.mat", k)), "file"))
    k++;
  endwhile
  here = canonicalize_file_name (dir);
  base = fullfile (here, "slurm", sprintf ("submit_%d", k));
  write_atomic (fname, [base ".mat"], struct ("tasks", {tasks}));
  write_atomic (fname, fullfile (dir, "slurm", "task.m"),
              ["## One task of an adagrad_sweep job array (written by adagrad_sweep).\n" ...
               package_lines() ...
               sprintf("__adagrad_sweep_task__ (%s, str2double (getenv (\"ADAGRAD_SUBMISSION\")), str2double (getenv (\"SLURM_ARRAY_TASK_ID\")));\n", ...
                       octquote (here))]);
  write_atomic (fname, [base ".sh"],
              sprintf(["#!/bin/sh\n# Submission %d of the adagrad sweep in this folder.\n" ...
                       "ADAGRAD_SUBMISSION=%d exec %s --no-gui --no-history --norc --quiet %s\n"], ...
                      k, k, shquote (o.octave), ...
                      shquote (fullfile (here, "slurm", "task.m"))));
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
  write_atomic (fname, [base ".job"], [id{1} "\n"]);
endfunction

## The submissions of DIR: for each, the job id (empty if sbatch never
## answered) and the cells of each array task.
function subs = submissions (dir)
  subs = struct ("k", {}, "job", {}, "tasks", {});
  for f = glob (fullfile (dir, "slurm", "submit_*.mat"))'
    k = str2double (regexp (f{1}, 'submit_(\d+)\.mat$', "tokens", "once"){1});
    job = "";
    jf = fullfile (dir, "slurm", sprintf ("submit_%d.job", k));
    if (exist (jf, "file"))
      job = strtrim (fileread (jf));
    endif
    c = load (f{1});
    subs(end+1) = struct ("k", k, "job", job, "tasks", {c.tasks});
  endfor
  [~, i] = sort ([subs.k]);
  subs = subs(i);
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
  s = load_sweep (fname, dir);
  n = numel (s.jobs);
  st = struct ("dir", dir, "sweep", s, "state", {repmat({"missing"}, n, 1)},
               "why", {repmat({""}, n, 1)}, "log", {repmat({""}, n, 1)},
               "job", {repmat({""}, n, 1)}, "results", []);
  st.results = cell (n, 1);
  st = read_results (fname, dir, s, st, 1:n, with_results);
  todo = find (! strcmp (st.state, "done"))';
  if (isempty (todo))
    return;
  endif
  subs = submissions (dir);
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
  st = read_results (fname, dir, s, st, todo, with_results);
  todo = find (! strcmp (st.state, "done"))';
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

## The cells of CELLS that have their result file are "done"; WITH_RESULTS:
## their results are read (and checked) into ST too.
function st = read_results (fname, dir, s, st, cells, with_results)
  for k = cells
    if (exist (cellfile (dir, k), "file"))
      if (with_results)
        st.results{k} = readcell (fname, dir, s, k);
      endif
      st.state{k} = "done";
    endif
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
    if (! isempty (mine))
      why = mine{end};
    elseif (! isempty (e))
      why = e{end};
    elseif (! isempty (lines))
      why = lines{end};
    endif
  endif
  if (isempty (why))
    [st, out] = system (sprintf ("scontrol -o show job %s 2>/dev/null", id));
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
    for state = {"failed", "missing", "running", "waiting"}
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

%!error <unknown request "nothing"> __adagrad_slurm__ ("nothing")
%!error <holds no sweep> __adagrad_slurm__ ("load", "f", tempname ())
