## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{s} =} __adagrad_sweepdir__ ("create", @var{fname}, @var{dir}, @var{X}, @var{y}, @var{jobs}, @var{common})
## @deftypefnx {} {@var{s} =} __adagrad_sweepdir__ ("load", @var{fname}, @var{dir})
## @deftypefnx {} {@var{d} =} __adagrad_sweepdir__ ("data", @var{fname}, @var{dir}, @var{s})
## @deftypefnx {} {@var{f} =} __adagrad_sweepdir__ ("cellfile", @var{dir}, @var{k})
## @deftypefnx {} {@var{ok} =} __adagrad_sweepdir__ ("writecell", @var{dir}, @var{s}, @var{index}, @var{result})
## @deftypefnx {} {@var{r} =} __adagrad_sweepdir__ ("readcell", @var{fname}, @var{dir}, @var{s}, @var{k})
## @deftypefnx {} {@var{st} =} __adagrad_sweepdir__ ("cells", @var{fname}, @var{dir}, @var{with_results})
## @deftypefnx {} {@var{st} =} __adagrad_sweepdir__ ("results", @var{fname}, @var{dir}, @var{s}, @var{st}, @var{cells}, @var{with_results})
## @deftypefnx {} {@var{cells} =} __adagrad_sweepdir__ ("refill", @var{fname}, @var{st})
## @deftypefnx {} {@var{L} =} __adagrad_sweepdir__ ("lock", @var{fname}, @var{dir})
## @deftypefnx {} {@var{ok} =} __adagrad_sweepdir__ ("unlock", @var{L})
## @deftypefnx {} {@var{c} =} __adagrad_sweepdir__ ("read", @var{fname}, @var{file}, @var{id})
## @deftypefnx {} {} __adagrad_sweepdir__ ("write", @var{fname}, @var{file}, @var{v})
## @deftypefnx {} {} __adagrad_sweepdir__ ("folders", @var{fname}, @var{dir}, @var{subs})
## @deftypefnx {} {@var{t} =} __adagrad_sweepdir__ ("printable", @var{s})
## Internal: the sweep folder of @code{adagrad_sweep}, which every engine
## (local, Slurm) uses; schema @qcode{"adagrad sweep 2"}:
##
## @table @file
## @item sweep.mat
## @code{sweep}: @code{version}, @code{data} (the fingerprint of X and y),
## @code{jobs} (the grid, one cell per element), @code{common} (the training
## settings), @code{settings} (the SHA-256 digest of jobs and common) and
## @code{created}; @code{digest}, that of @code{sweep}.
## @item data.mat
## @code{X}, @code{y} and their fingerprint @code{data}.
## @item cells/NNNNNN.mat
## the result of cell NNNNNN: @code{cell} with @code{version}, @code{data},
## @code{settings}, @code{index}, @code{job} and @code{result}, and the
## @code{digest} of @code{cell}; written to a temporary file, read back and
## renamed, so a file that exists is complete.
## @item lock
## the owner (pid and host) of the folder while it submits or runs cells.
## @end table
##
## An engine keeps its own files beside them (the Slurm engine: slurm/ and
## logs/).  @qcode{"create"} writes sweep.mat and data.mat, or checks that
## @var{dir} holds the same sweep (an error naming what differs otherwise).
## @qcode{"load"} reads and checks sweep.mat, @qcode{"data"} data.mat.
## @qcode{"cells"}: the state of every cell from its result file
## (@qcode{"done"}, @qcode{"missing"}, @qcode{"damaged"}), in a struct with
## @code{dir}, @code{sweep}, @code{state}, @code{why}, @code{log},
## @code{job} and (with @var{with_results}) @code{results};
## @qcode{"results"} updates such a struct for @var{cells}.
## @qcode{"refill"} moves damaged result files aside so that their cells
## run again.  @qcode{"read"} and @qcode{"write"}: a file of the folder
## read as data only (@code{__adagrad_load__}; error @var{id} otherwise) or
## written atomically.  @qcode{"folders"}: the folders @var{subs} of
## @var{dir} made where missing (an engine's own); @qcode{"printable"}: a
## string with its control characters shown as spaces, for messages.
## @end deftypefn

function varargout = __adagrad_sweepdir__ (what, varargin)
  requests = struct ("create", @create, "load", @load_sweep, "data", @load_data,
                     "cellfile", @cellfile, "writecell", @writecell, "readcell", @readcell,
                     "cells", @cells_state, "results", @read_results, "refill", @refill,
                     "lock", @lock, "unlock", @unlock, "read", @read_file,
                     "write", @write_atomic, "version", @version, "folders", @folders,
                     "printable", @printable);
  if (! ischar (what) || ! isfield (requests, what))
    error ("adagrad:internal", "__adagrad_sweepdir__: unknown request \"%s\"", num2str (what));
  endif
  [varargout{1:nargout}] = requests.(what) (varargin{:});
endfunction

## The state of every cell of the sweep in DIR from the folder alone.
function st = cells_state (fname, dir, with_results)
  if (nargin < 3)
    with_results = true;
  endif
  s = load_sweep (fname, dir);
  n = numel (s.jobs);
  st = struct ("dir", dir, "sweep", s, "state", {repmat({"missing"}, n, 1)},
               "why", {repmat({""}, n, 1)}, "log", {repmat({""}, n, 1)},
               "job", {repmat({""}, n, 1)}, "results", []);
  st.results = cell (n, 1);
  st = read_results (fname, dir, s, st, 1:n, with_results);
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
  ## The handles of rules written in Octave stay in memory: the folder
  ## holds their names (and source digests, common.rules).
  common = rmfield (common, intersect (fieldnames (common), {"fcns"}));
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
  folders (fname, dir, {"", "cells"});
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
## built-in rules by name and rules written in Octave by "@name" (never
## code), numbers, the names of the options' choices, and no option beside
## those a sweep passes to adagrad_train, else what is wrong.
function why = check_sweep (s)
  why = "";
  j = s.jobs;
  names = __adagrad_optimizer__ ("names");
  num = @(v) isnumeric (v) && isreal (v) && isscalar (v) && isfinite (v);
  text = @(v) ischar (v) && (isrow (v) || isempty (v));
  pnames = __adagrad_optimizer__ ("paramnames");
  choices = struct ("sampling", {{"shuffle", "replace"}},
                    "loss", {__adagrad_optimizer__("losses")},
                    "form", {{"auto", "primal", "kernel", "event"}});
  numeric = [{"eta", "maxiter", "tol", "diagnostics", "gtol", "evalevery", "reform", ...
              "historyevery"}, pnames(:)'];
  axes = [{"optimizer", "b0", "width", "seed", "batchsize", "scale"}, numeric, fieldnames(choices)'];
  good = (isstruct (j) && all (isfield (j, {"optimizer", "b0", "width", "seed"}))
          && all (ismember (fieldnames (j), axes)));
  rule = @(r) text (r) && (any (strcmp (r, names)) || (strncmp (r, "@", 1) && numel (r) > 1));
  for x = reshape (j, 1, [])
    if (! good)
      break;
    endif
    good = rule (x.optimizer) && num (x.b0) && num (x.width) && (num (x.seed) || isempty (x.seed));
    for f = setdiff (fieldnames (j)', {"optimizer", "b0", "width", "seed"})
      v = x.(f{1});
      if (isfield (choices, f{1}))
        good = good && text (v) && any (strcmp (v, choices.(f{1})));
      elseif (strcmp (f{1}, "batchsize"))
        good = good && isnumeric (v) && isreal (v) && isscalar (v) && v > 0;
      else
        good = good && num (v);
      endif
    endfor
  endfor
  if (! good)
    why = "its grid is not one adagrad_sweep writes (rules by name and numbers only)";
    return;
  endif
  c = s.common;
  known = {"eta", "params", "maxiter", "tol", "diagnostics", "keephist", "batch", "threads", ...
           "sampling", "options", "validation", "ruleparams", "rules", "knobs", "reltol"};
  isdata = @(v) (isnumeric (v) || islogical (v) || ischar (v)) && ! isobject (v);
  if (! isstruct (c) || ! isscalar (c) || ! all (ismember (fieldnames (c), known))
      || ! isstruct (c.params) || ! all (structfun (num, c.params))
      || ! all (cellfun (@(f) ! isfield (c, f) || num (c.(f)) || islogical (c.(f)), {"maxiter", "tol", "diagnostics", "keephist", "threads", "reltol"}))
      || ! (isempty (c.eta) || num (c.eta)))
    why = "its settings are not those adagrad_sweep writes";
    return;
  endif
  if (isfield (c, "sampling") && ! (text (c.sampling) && any (strcmp (c.sampling, choices.sampling))))
    why = "its sampling is not one adagrad_sweep writes";
    return;
  endif
  if (isfield (c, "options"))
    o = c.options;
    ok = isstruct (o) && isscalar (o) && all (ismember (fieldnames (o), axes));
    for f = fieldnames (o)'
      if (! ok)
        break;
      endif
      v = o.(f{1});
      if (isfield (choices, f{1}))
        ok = text (v) && any (strcmp (v, choices.(f{1})));
      else
        ok = num (v);
      endif
    endfor
    if (! ok)
      why = "its further options are not those adagrad_sweep writes";
      return;
    endif
  endif
  if (isfield (c, "validation") && ! (iscell (c.validation) && (isempty (c.validation)
      || (numel (c.validation) == 2 && isnumeric (c.validation{1}) && isnumeric (c.validation{2})
          && isreal (c.validation{1}) && isreal (c.validation{2})))))
    why = "its validation set is not two numeric arrays";
    return;
  endif
  if (isfield (c, "ruleparams") && ! isempty (c.ruleparams)
      && ! (isstruct (c.ruleparams) && isscalar (c.ruleparams)
            && all (structfun (isdata, c.ruleparams))))
    why = "its rule parameters are not data (numbers, logicals, text)";
    return;
  endif
  knobnames = [{"eta"}, pnames(:).'];
  goodknob = @(k) text (k.rule) && any (strcmp (k.rule, names)) && text (k.param) ...
                  && any (strcmp (k.param, knobnames)) && num (k.unit) && k.unit > 0;
  if (isfield (c, "knobs") && ! (isstruct (c.knobs) && all (isfield (c.knobs, {"rule", "param", "unit"}))
                                 && all (arrayfun (goodknob, c.knobs))))
    why = "its knobs are not rule names, parameter names and numbers";
    return;
  endif
  if (isfield (c, "rules") && ! (isstruct (c.rules) && all (isfield (c.rules, {"name", "source"}))
      && all (arrayfun (@(r) text (r.name) && text (r.source), c.rules))))
    why = "its rules written in Octave are not names";
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

## Take the lock of the sweep folder DIR (the file DIR/lock with the
## owner's pid and host, made by link(2), which fails when the name exists),
## so that two sweeps started on one folder at once do not both submit its
## cells.  A lock whose owner on this host no longer runs is taken over.
function L = lock (fname, dir)
  folders (fname, dir, {""});
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

## The folders SUBS of DIR ("" for DIR itself), made where missing.
function folders (fname, dir, subs)
  for sub = subs
    f = fullfile (dir, sub{1});
    if (! isfolder (f))
      [ok, msg] = mkdir (f);
      if (! ok)
        error ("adagrad:badinput", "%s: cannot create the folder %s: %s", fname, f, msg);
      endif
    endif
  endfor
endfunction

## S with control characters (a log's terminal escapes, newlines) shown as
## spaces, for messages.
function s = printable (s)
  s(s < 32 | s == 127) = " ";
endfunction

%!error <unknown request "nothing"> __adagrad_sweepdir__ ("nothing")
%!error <holds no sweep> __adagrad_sweepdir__ ("load", "f", tempname ())
%!test
%! ## A folder of three cells: created, its cells missing until written,
%! ## a damaged one found and moved aside, another sweep's settings refused.
%! d = tempname ();
%! unwind_protect
%!   [X, y] = adagrad_data (6, 2, "seed", 1);
%!   jobs = struct ("optimizer", {"gd"; "gd"; "adaloss"}, "b0", {1; 2; 1}, "width", 5, "seed", 1);
%!   c = struct ("eta", 1, "params", struct (), "maxiter", 2, "tol", 0, "diagnostics", 0,
%!               "keephist", false, "batch", {{}});
%!   s = __adagrad_sweepdir__ ("create", "t", d, X, y, jobs, c);
%!   st = __adagrad_sweepdir__ ("cells", "t", d);
%!   assert (st.state', {"missing", "missing", "missing"});
%!   __adagrad_sweepdir__ ("writecell", d, s, 2, struct ("v", 7));
%!   st = __adagrad_sweepdir__ ("cells", "t", d);
%!   assert (st.state', {"missing", "done", "missing"});
%!   assert (st.results{2}, struct ("v", 7));
%!   __adagrad_sweepdir__ ("writecell", d, s, 3, struct ("v", 1));
%!   g = __adagrad_sweepdir__ ("cellfile", d, 3);
%!   b = fileread (g);
%!   k = numel (b) - 40;
%!   b(k) = char (255 - double (b(k)));
%!   fid = fopen (g, "w"); fwrite (fid, b); fclose (fid);
%!   st = __adagrad_sweepdir__ ("cells", "t", d);
%!   assert (strcmp (st.state{3}, "damaged"));
%!   assert (__adagrad_sweepdir__ ("refill", "t", st), 3);
%!   assert (exist ([g ".damaged"], "file") > 0 && ! exist (g, "file"));
%!   c.maxiter = 3;
%!   fail ("__adagrad_sweepdir__ ('create', 't', d, X, y, jobs, c)", "other settings \\(MAXITER differ\\)");
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   rmdir (d, "s");
%! end_unwind_protect
