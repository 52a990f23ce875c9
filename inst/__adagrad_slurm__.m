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
                     "load", @load_sweep, "cellfile", @cellfile, "data", @load_data,
                     "tasks", @load_tasks, "options", @options, "lock", @lock,
                     "unlock", @unlock, "refill", @refill, "octave", @default_octave);
  if (! ischar (what) || ! isfield (requests, what))
    error ("adagrad:internal", "__adagrad_slurm__: unknown request \"%s\"", num2str (what));
  endif
  varargout{1} = requests.(what) (varargin{:});
endfunction

function v = version ()
  v = "adagrad sweep 2";
endfunction

## Read FILE of a sweep folder through __adagrad_load__ (data only, never
## code): its variables, or the error ID that names the file and why.
function c = read_file (fname, file, id)
  [c, why] = __adagrad_load__ (file);
  if (! isempty (why))
    error (id, "%s: refusing %s: %s", fname, file, why);
  endif
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
  write_atomic (fname, file, struct ("sweep", sweep, "digest", __adagrad_fingerprint__ (sweep)));
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
  c = read_file (fname, file, "adagrad:badsweep");
  if (! isfield (c, "sweep") || ! isstruct (c.sweep) || ! isscalar (c.sweep)
      || ! isfield (c.sweep, "version") || ! ischar (c.sweep.version)
      || ! strcmp (c.sweep.version, version ())
      || ! all (isfield (c.sweep, {"data", "jobs", "common", "settings"})))
    error ("adagrad:badsweep", "%s: %s is not a sweep of this version (\"%s\")", fname,
           file, version ());
  endif
  s = c.sweep;
  if (! isfield (c, "digest") || ! ischar (c.digest)
      || ! strcmp (c.digest, __adagrad_fingerprint__ (s))
      || ! strcmp (settings_digest (s.jobs, s.common), s.settings))
    error ("adagrad:badsweep", "%s: %s is damaged: its contents do not match their digest",
           fname, file);
  endif
  why = check_sweep (s);
  if (! isempty (why))
    error ("adagrad:badsweep", "%s: refusing %s: %s", fname, file, why);
  endif
endfunction

## "" when the grid and settings of sweep S are what adagrad_sweep writes:
## built-in rules by name, numbers, and no option beside the mini-batch
## ones (a task passes them to adagrad_train), else what is wrong.
function why = check_sweep (s)
  why = "";
  j = s.jobs;
  names = __adagrad_optimizer__ ("names");
  num = @(v) isnumeric (v) && isreal (v) && isscalar (v) && isfinite (v);
  good = isstruct (j) && isequal (sort (fieldnames (j)), sort ({"optimizer"; "b0"; "width"; "seed"}));
  for x = reshape (j, 1, [])
    good = good && ischar (x.optimizer) && any (strcmp (x.optimizer, names)) && num (x.b0) ...
           && num (x.width) && (num (x.seed) || isempty (x.seed));
  endfor
  if (! good)
    why = "its grid is not one adagrad_sweep writes (rules by name and numbers only)";
    return;
  endif
  c = s.common;
  known = {"eta", "params", "maxiter", "tol", "diagnostics", "keephist", "batch", "threads"};
  if (! isstruct (c) || ! isscalar (c) || ! all (ismember (fieldnames (c), known))
      || ! isstruct (c.params) || ! all (structfun (num, c.params))
      || ! all (cellfun (@(f) ! isfield (c, f) || num (c.(f)) || islogical (c.(f)), {"eta", "maxiter", "tol", "diagnostics", "keephist", "threads"})))
    why = "its settings are not those adagrad_sweep writes";
    return;
  endif
  b = c.batch;
  if (! (iscell (b) && (isempty (b)
         || (numel (b) == 4 && strcmp (b{1}, "batchsize") && num (b{2})
             && strcmp (b{3}, "sampling") && ischar (b{4})
             && any (strcmp (b{4}, {"shuffle", "replace"}))))))
    why = "its mini-batch settings are not those adagrad_sweep writes";
  endif
endfunction

## data.mat of the sweep S in DIR: X and y, checked against the sweep's
## fingerprint of them.
function d = load_data (fname, dir, s)
  file = fullfile (dir, "data.mat");
  d = read_file (fname, file, "adagrad:badsweep");
  if (! all (isfield (d, {"X", "y"})) || ! isnumeric (d.X) || ! isnumeric (d.y)
      || ! isequal (__adagrad_fingerprint__ (d.X, d.y), s.data))
    error ("adagrad:badsweep", "%s: %s does not match the sweep's fingerprint of its data",
           fname, file);
  endif
endfunction

## The cells of each array task of submission K in DIR (a sweep of N cells).
function tasks = load_tasks (fname, dir, k, n)
  file = fullfile (dir, "slurm", sprintf ("submit_%d.mat", k));
  c = read_file (fname, file, "adagrad:badsweep");
  if (! isfield (c, "tasks") || ! iscell (c.tasks)
      || ! all (cellfun (@(t) isnumeric (t) && isreal (t) && isvector (t) && all (t == fix (t) & t >= 1 & t <= n), c.tasks)))
    error ("adagrad:badsweep", "%s: refusing %s: its tasks are not lists of the sweep's cells",
           fname, file);
  endif
  tasks = c.tasks;
endfunction

## Write FILE through a temporary file, read back and compared before the
## rename, so that a file that exists is complete: V a string (written as
## text) or a struct (its fields saved as variables).  A failure (a full
## disk) leaves no temporary behind and is an error that says so.
function write_atomic (fname, file, v)
  [ok, msg] = __adagrad_save__ (file, v, @(tmp) same (tmp, v));
  if (! ok)
    error ("adagrad:badsweep", "%s: cannot write %s: %s", fname, file, msg);
  endif
endfunction

## "" when the file TMP holds V (a string, or a struct of variables).
function why = same (tmp, v)
  if (ischar (v))
    ok = strcmp (fileread (tmp), v);
  else
    [back, why] = __adagrad_load__ (tmp);
    ok = isempty (why) && isequaln (back, v);
  endif
  why = merge (ok, "", "the file read back is not what was written");
endfunction

function f = cellfile (dir, k)
  f = fullfile (dir, "cells", sprintf ("%06d.mat", k));
endfunction

## A task's result for cell INDEX of sweep S, written atomically with the
## digest of its contents.
function ok = writecell (dir, s, index, result)
  cell = struct ("version", version (), "data", s.data, "settings", s.settings,
                 "index", index, "job", s.jobs(index), "result", result);
  write_atomic ("adagrad_sweep", cellfile (dir, index),
                struct ("cell", cell, "digest", __adagrad_fingerprint__ (cell)));
  ok = true;
endfunction

## Read a result file, refusing one of another sweep (adagrad:badsweep) and
## a damaged one (adagrad:badcell: a file that is no data, or whose contents
## do not match their digest).
function r = readcell (fname, dir, s, k)
  file = cellfile (dir, k);
  [c, why] = __adagrad_load__ (file);
  if (! isempty (why))
    error ("adagrad:badcell", "%s: refusing the result %s: %s", fname, file, why);
  endif
  if (! isfield (c, "cell") || ! isstruct (c.cell) || ! isscalar (c.cell)
      || ! all (isfield (c.cell, {"version", "data", "settings", "index", "job", "result"})))
    why = "it is not a result of an adagrad sweep";
  elseif (! ischar (c.cell.version) || ! strcmp (c.cell.version, version ()))
    why = sprintf ("it has the schema \"%s\"", num2str (c.cell.version));
  elseif (! isfield (c, "digest") || ! ischar (c.digest)
          || ! strcmp (c.digest, __adagrad_fingerprint__ (c.cell)))
    error ("adagrad:badcell",
           "%s: refusing the result %s: it is damaged (its contents do not match their digest); adagrad_sweep_collect (DIR, \"refill\", true) or adagrad_sweep with the same settings runs the cell again",
           fname, file);
  elseif (! isequal (c.cell.data, s.data))
    why = "it was computed on other data";
  elseif (! strcmp (c.cell.settings, s.settings) || ! isequal (c.cell.index, k)
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
  k = 1 + numel (submission_numbers (dir));
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
               jf, printable (job(1:min (end, 40))));
      endif
    endif
    subs(end+1) = struct ("k", k, "job", job, "tasks", {load_tasks(fname, dir, k, n)});
  endfor
endfunction

## S with control characters (a log's terminal escapes, newlines) shown as
## spaces, for messages.
function s = printable (s)
  s(s < 32 | s == 127) = " ";
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
  st = read_results (fname, dir, s, st, todo, with_results);
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

## The cells of CELLS that have their result file are "done"; WITH_RESULTS:
## their results are read (and checked) into ST too.
function st = read_results (fname, dir, s, st, cells, with_results)
  for k = cells
    if (exist (cellfile (dir, k), "file"))
      st.state{k} = "done";
      if (with_results)
        try
          st.results{k} = readcell (fname, dir, s, k);
        catch err
          if (! strcmp (err.identifier, "adagrad:badcell"))
            rethrow (err);
          endif
          ## A damaged result is no result: the cell runs again.
          [st.state{k}, st.why{k}] = deal ("damaged", err.message);
        end_try_catch
      endif
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
    lines = cellfun (@printable, lines, "UniformOutput", false);
    mine = cellfun (@printable, mine, "UniformOutput", false);
    e = cellfun (@printable, e, "UniformOutput", false);
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

## The damaged result files of the sweep status ST are moved aside
## (FILE.damaged, kept for a look), so that their cells are missing and run
## again; returns their cells.
function cells = refill (fname, st)
  cells = find (strcmp (st.state, "damaged"))';
  for k = cells
    f = cellfile (st.dir, k);
    [err, msg] = rename (f, [f ".damaged"]);
    if (err != 0)
      error ("adagrad:badsweep", "%s: cannot move the damaged result %s aside: %s", fname, f, msg);
    endif
    st.state{k} = "missing";
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
           fname, printable (o.dir));
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

## Take the lock of the sweep folder DIR (the file DIR/lock with the
## owner's pid and host, made by link(2), which fails when the name exists),
## so that two sweeps started on one folder at once do not both submit its
## cells.  A lock whose owner on this host no longer runs is taken over.
function L = lock (fname, dir)
  if (! isfolder (dir))
    [ok, msg] = mkdir (dir);
    if (! ok)
      error ("adagrad:badinput", "%s: cannot create the folder %s: %s", fname, dir, msg);
    endif
  endif
  L = fullfile (dir, "lock");
  tmp = sprintf ("%s.tmp%d", L, getpid ());
  fid = fopen (tmp, "w");
  if (fid < 0)
    error ("adagrad:badsweep", "%s: cannot write in %s", fname, dir);
  endif
  fprintf (fid, "%d %s\n", getpid (), gethostname ());
  fclose (fid);
  unwind_protect
    for attempt = 1:2
      if (link (tmp, L) == 0)
        return;
      endif
      owner = "";
      if (exist (L, "file"))
        owner = strtrim (fileread (L));
      endif
      w = strsplit (owner, " ");
      pid = str2double (w{1});
      if (numel (w) == 2 && strcmp (w{2}, gethostname ()) && isfinite (pid)
          && pid == fix (pid) && pid > 0 && kill (pid, 0) != 0)
        ## Its owner is gone (killed while it held the lock).
        unlink (L);
        continue;
      endif
      error ("adagrad:badsweep",
             "%s: another adagrad_sweep (%s) is submitting to %s; wait for it, or remove %s if that process is gone",
             fname, printable (merge (isempty (owner), "owner unknown", ["pid " owner])), dir, L);
    endfor
    error ("adagrad:badsweep", "%s: cannot take the lock %s", fname, L);
  unwind_protect_cleanup
    unlink (tmp);
  end_unwind_protect
endfunction

function ok = unlock (L)
  ok = unlink (L) == 0;
endfunction

%!error <unknown request "nothing"> __adagrad_slurm__ ("nothing")
%!error <holds no sweep> __adagrad_slurm__ ("load", "f", tempname ())
