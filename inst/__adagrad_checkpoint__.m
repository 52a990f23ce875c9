## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{ok}, @var{msg}] =} __adagrad_checkpoint__ ("write", @var{file}, @var{net}, @var{hist}, @var{options}, @var{X}, @var{y})
## @deftypefnx {} {[@var{ok}, @var{msg}] =} __adagrad_checkpoint__ ("write", @var{file}, @var{net}, @var{hist}, @var{options}, @var{data})
## @deftypefnx {} {@var{c} =} __adagrad_checkpoint__ ("read", @var{fname}, @var{file}, @var{X}, @var{y})
## @deftypefnx {} {} __adagrad_checkpoint__ ("probe", @var{fname}, @var{file})
## @deftypefnx {} {@var{n} =} __adagrad_checkpoint__ ("clean", @var{file})
## Internal: the checkpoint file of a training run, written and read by this
## module alone (@code{adagrad_train} writes, @code{adagrad_resume} reads).
##
## @deftypefnx {} {@var{rule} =} __adagrad_checkpoint__ ("rule", @var{fcn})
## @deftypefnx {} {[@var{net}, @var{hist}] =} __adagrad_checkpoint__ ("resume", @var{fname}, @var{c}, @var{fcn})
## @deftypefnx {} {@var{f} =} __adagrad_checkpoint__ ("target", @var{file})
## Schema 3 (version string @qcode{"adagrad checkpoint 3"}): the variables
## @code{checkpoint}, @code{arrays} (the paths, such as @qcode{"net.W"}, of the
## arrays of at least 65536 elements, which are the variables @code{a1},
## @code{a2}, @dots{}, with an empty array in their place in
## @code{checkpoint}), @code{digest} and last @code{done} (the digest again:
## the marker that the file is complete).  @code{checkpoint} is a struct with fields @code{version}, @code{net} (the
## network with its optimizer, parameters and state), @code{hist} (the
## history so far), @code{rule} (@code{kind} @qcode{"builtin"} or
## @qcode{"octave"}, and for a rule written in Octave its @code{name} and the
## SHA-256 of its @code{source} file), @code{options} (the run's settings,
## @code{target} the iteration it aims at) and @code{data} (the SHA-256
## fingerprint of @var{X} and @var{y}); and @code{digest}, the SHA-256 digest
## of @code{checkpoint} (see @code{__adagrad_fingerprint__}).  Schema 2
## (adagrad 0.3 to 0.7, no @code{rule}) is read too.
##
## A checkpoint is data only: it never holds a function handle (a rule
## written in Octave is kept by its name, and @qcode{"resume"} takes the
## handle from the caller again), and it is read through
## @code{__adagrad_load__}, which refuses any file that could run code when
## loaded.  The digest detects damage (a truncated file, flipped bits), not
## tampering: anyone can write a file with a digest that matches, which is why
## nothing read from a checkpoint is ever called or evaluated.
##
## @qcode{"write"} (@var{data}: the fingerprint of @var{X} and @var{y}, when
## the caller has it) saves to a temporary file @code{@var{file}.tmpPID}, reads
## back its last variable (holding one large array at a time beside the run's:
## the digest is computed in C over the arrays in place) and compares it with
## the digest, and only then renames it over @var{file} (the
## target of @var{file} when it is a symbolic link: the link stays): a
## crash at any moment, or a write that fails (a full disk), leaves the last
## good checkpoint in place.  It returns @var{ok} false and a message instead
## of raising an error, so that the caller decides.  @qcode{"read"} loads and
## verifies a checkpoint: a file that is not one, one of schema 1 (adagrad 0.1)
## or of another schema, one whose contents do not match their digest
## (damaged), one with fields missing, or one of other data is an error
## @code{adagrad:badcheckpoint} that says which.  @qcode{"probe"}: an error
## @code{adagrad:checkpoint} unless a file can be created beside @var{file}
## (and @var{file} is no folder).
## @qcode{"clean"}: remove temporaries of @var{file} left by processes that
## no longer run (a kill during a write); returns how many.
## @qcode{"rule"}: the record of a rule written in Octave.  @qcode{"resume"}:
## the network and history of checkpoint @var{c} with the rule @var{fcn}
## the caller passed (required, and of the same name, for a rule written in
## Octave; refused for a built-in one).
## @end deftypefn

function varargout = __adagrad_checkpoint__ (what, varargin)
  version = "adagrad checkpoint 3";
  switch (what)
    case "write"
      [varargout{1:2}] = write (version, varargin{:});
    case "read"
      varargout{1} = read (version, varargin{:});
    case "probe"
      probe (varargin{:});
    case "clean"
      varargout{1} = clean (varargin{:});
    case "rule"
      varargout{1} = rule_of (varargin{:});
    case "resume"
      [varargout{1:2}] = give_rule (varargin{:});
    case "target"
      varargout{1} = target (varargin{:});
    otherwise
      error ("adagrad:internal", "__adagrad_checkpoint__: unknown request \"%s\"", what);
  endswitch
endfunction

function [ok, msg] = write (version, file, net, hist, options, X, y)
  ok = false;
  ## The fingerprint of the data, or X and y to compute it from.
  if (nargin == 6)
    data = X;
  else
    data = __adagrad_fingerprint__ (X, y);
  endif
  [net, hist, rule] = as_data (net, hist);
  why = plain ("the network", net);
  if (isempty (why))
    why = plain ("the history", hist);
  endif
  if (! isempty (why))
    msg = sprintf ("%s, which a checkpoint does not keep (it is data only)", why);
    return;
  endif
  file = target (file);
  [hist, chunks, msg] = chunk_history (file, hist, options);
  if (! isempty (msg))
    return;
  endif
  checkpoint = struct ("version", version, "net", net, "hist", hist, "rule", rule,
                       "options", options, "data", data);
  digest = __adagrad_fingerprint__ (checkpoint);
  ## The large arrays as variables of their own, and last a marker: the
  ## read-back below loads only the marker, which Octave reaches by reading
  ## the variables before it one at a time, so it holds at most one of them
  ## beside the run's own copy (a file cut short, as a full disk leaves it,
  ## has no marker: Octave's save writes nothing after a failed write).
  [small, paths, arrays] = split (checkpoint, "", {}, {});
  vars = struct ("checkpoint", small, "arrays", {paths});
  for k = 1:numel (arrays)
    vars.(sprintf ("a%d", k)) = arrays{k};
  endfor
  arrays = [];
  [vars.digest, vars.done] = deal (digest);
  [ok, msg] = __adagrad_save__ (file, vars, @(tmp) complete (tmp, digest));
  if (ok)
    drop_chunks (file, chunks);
  endif
endfunction

## "" when the checkpoint TMP ends with its marker DIGEST (read alone), else
## why not.
function why = complete (tmp, digest)
  [back, why] = __adagrad_load__ (tmp, "done");
  if (! isempty (why))
    why = ["the file read back is not what was written: " why];
  elseif (! isfield (back, "done") || ! strcmp (back.done, digest))
    why = "the file read back is incomplete";
  endif
endfunction

## The per-iterate vectors of a history: those a long run's checkpoint keeps
## in chunk files (of a history H of 0.9 or earlier: step, steplo, stephi
## where today's has step, rate, ratelo, ratehi; adagrad_train upgrades it).
function f = per_iterate (h)
  f = {"iter", "loss", "b", "step", "rate", "ratelo", "ratehi", "gnorm", "time", ...
       "batchloss", "epoch", "vloss", "accuracy", "vaccuracy"};
  if (nargin > 0 && isstruct (h) && isfield (h, "steplo") && ! isfield (h, "rate"))
    f = {"iter", "loss", "b", "step", "steplo", "stephi", "gnorm", "time", "batchloss", ...
         "epoch", "vloss"};
  endif
endfunction

## A long history's checkpoints cost what its last rows cost, not what the
## whole history does: its per-iterate vectors go, 65536 rows at a time, into
## chunk files beside FILE (FILE.h-ID-K, ID one call of adagrad_train's,
## OPTIONS.run_id), each written and verified once, never changed; HIST keeps
## the rows after them (the last 16 rows always stay: a run completes its
## latest rows) and in hist.chunks their names, row counts and digests (the
## checkpoint's digest covers them).  CHUNKS: the names, for drop_chunks.
function [hist, chunks, msg] = chunk_history (file, hist, options)
  persistent made = struct ("key", {}, "chunks", {});
  [chunks, msg] = deal ({}, "");
  f = per_iterate ();
  R = 65536;
  if (! isstruct (options) || ! isfield (options, "run_id") || ! all (isfield (hist, f))
      || numel (hist.iter) < R + 16)
    return;
  endif
  key = [file "|" options.run_id];
  i = find (strcmp ({made.key}, key), 1);
  if (isempty (i))
    i = numel (made) + 1;
    made(i).key = key;
    made(i).chunks = struct ("name", {}, "rows", {}, "sha", {});
  endif
  list = made(i).chunks;
  [folder, base, ext] = fileparts (file);
  L = numel (hist.iter);
  C = sum ([list.rows]);
  while (C + R <= L - 16)
    part = struct ();
    for j = 1:numel (f)
      part.(f{j}) = hist.(f{j})(C + 1:C + R);
    endfor
    name = sprintf ("%s%s.h-%s-%06d", base, ext, options.run_id, numel (list) + 1);
    sha = __adagrad_fingerprint__ (part);
    [ok, msg] = write_chunk (fullfile (folder, name), part, sha);
    if (! ok)
      msg = sprintf ("the history chunk %s: %s", name, msg);
      made(i).chunks = list;
      return;
    endif
    list(end+1) = struct ("name", name, "rows", R, "sha", sha);
    C += R;
  endwhile
  made(i).chunks = list;
  for j = 1:numel (f)
    hist.(f{j}) = hist.(f{j})(C + 1:end);
  endfor
  hist.chunks = list;
  chunks = {list.name};
endfunction

## One chunk file, through a temporary that is read back before the rename.
function [ok, msg] = write_chunk (path, part, sha)
  [ok, msg] = __adagrad_save__ (path, struct ("chunk", part, "digest", sha),
                                @(tmp) chunk_back (tmp, sha));
endfunction

function why = chunk_back (tmp, sha)
  [back, why] = __adagrad_load__ (tmp);
  if (isempty (why) && (! isfield (back, "digest") || ! strcmp (back.digest, sha)
                        || ! strcmp (__adagrad_fingerprint__ (back.chunk), sha)))
    why = "the file read back is not what was written";
  endif
endfunction

## Once FILE is written: the chunk files beside it that it does not name
## (those of the checkpoint it replaced) go.
function drop_chunks (file, keep)
  [folder, base, ext] = fileparts (file);
  if (isempty (folder))
    folder = ".";
  endif
  pat = ['^' regexptranslate("escape", [base ext]) '\.h-[0-9a-f]{16}-\d{6}$'];
  for g = readdir (folder)'
    if (! isempty (regexp (g{1}, pat, "once")) && ! any (strcmp (g{1}, keep)))
      unlink (fullfile (folder, g{1}));
    endif
  endfor
endfunction

## HIST of the checkpoint FILE with the rows of its chunk files put back
## before its own; "" or why they cannot be.
function [hist, why] = unchunk (file, hist)
  why = "";
  list = hist.chunks;
  hist = rmfield (hist, "chunks");
  f = per_iterate (hist);
  if (! isstruct (list) || ! all (isfield (list, {"name", "rows", "sha"})))
    why = "its list of history chunks is malformed";
    return;
  endif
  folder = fileparts (file);
  parts = cell (1, numel (list));
  for k = 1:numel (list)
    c = list(k);
    if (! ischar (c.name) || isempty (regexp (c.name, '^[^/\\]+\.h-[0-9a-f]{16}-\d{6}$', "once"))
        || ! ischar (c.sha))
      why = "its list of history chunks is malformed";
      return;
    endif
    path = fullfile (folder, c.name);
    if (! exist (path, "file"))
      why = sprintf ("the history chunk %s is missing (a checkpoint of a long run is its file and the chunk files beside it: move them together)",
                     path);
      return;
    endif
    [v, why] = __adagrad_load__ (path);
    if (! isempty (why))
      why = sprintf ("the history chunk %s: %s", path, why);
      return;
    endif
    if (! isfield (v, "chunk") || ! isstruct (v.chunk) || ! all (isfield (v.chunk, f))
        || ! strcmp (__adagrad_fingerprint__ (v.chunk), c.sha)
        || ! isequal (numel (v.chunk.iter), c.rows))
      why = sprintf ("the history chunk %s is damaged or belongs to another checkpoint", path);
      return;
    endif
    parts{k} = v.chunk;
  endfor
  for j = 1:numel (f)
    hist.(f{j}) = vertcat (cellfun (@(p) p.(f{j}), parts, "UniformOutput", false){:}, hist.(f{j}));
  endfor
endfunction

## V (a scalar struct) with every numeric, logical or char array of at least
## 65536 elements in its scalar structs (not in cells or struct arrays) taken
## out: SMALL holds [] of its class in its place, PATHS its path ("net.W"),
## ARRAYS the array.
function [v, paths, arrays] = split (v, at, paths, arrays)
  for f = fieldnames (v)'
    x = v.(f{1});
    p = [at merge(isempty (at), "", ".") f{1}];
    if (isstruct (x) && isscalar (x))
      [v.(f{1}), paths, arrays] = split (x, p, paths, arrays);
    elseif ((isnumeric (x) || islogical (x) || ischar (x)) && numel (x) >= 65536)
      paths{end+1} = p;
      arrays{end+1} = x;
      v.(f{1}) = zeros (0, 0, class (x));
      if (islogical (x))
        v.(f{1}) = false (0, 0);
      elseif (ischar (x))
        v.(f{1}) = "";
      endif
    endif
  endfor
endfunction

## The checkpoint of the variables C of a file written as above: the arrays
## put back in their places (paths checked: field names only); "" or why the
## file is not one.
function [c, why] = join (c)
  why = "";
  if (! isfield (c, "arrays"))
    return;
  endif
  p = c.arrays;
  if (! iscellstr (p) || ! all (cellfun (@(s) ! isempty (regexp (s, '^[A-Za-z]\w*(\.[A-Za-z]\w*)*$', "once")), p))
      || ! all (isfield (c, arrayfun (@(k) sprintf ("a%d", k), 1:numel (p), "UniformOutput", false)))
      || ! isfield (c, "checkpoint") || ! isstruct (c.checkpoint))
    why = "its list of arrays is malformed";
    return;
  endif
  for k = 1:numel (p)
    names = strsplit (p{k}, ".");
    a = sprintf ("a%d", k);
    try
      c.checkpoint = setfield (c.checkpoint, names{:}, c.(a));
    catch
      why = "its list of arrays names a place it has not";
      return;
    end_try_catch
    c = rmfield (c, a);
  endfor
endfunction

## NET and HIST as a checkpoint keeps them: a rule written in Octave is kept
## by its name (RULE: kind "octave", name, the SHA-256 of its source where it
## has a file), never as a function handle; RULE.kind is "builtin" otherwise.
function [net, hist, rule] = as_data (net, hist)
  rule = struct ("kind", "builtin", "name", "", "source", "");
  if (isfield (net, "optimizer") && is_function_handle (net.optimizer))
    rule = __adagrad_checkpoint__ ("rule", net.optimizer);
    net.optimizer = rule.name;
  endif
  if (isfield (hist, "optimizer") && is_function_handle (hist.optimizer))
    hist.optimizer = func2str (hist.optimizer);
  endif
endfunction

## "" when V holds only numbers, logicals, strings, cells and structs, else
## what holds something else (named from WHAT down).
function why = plain (what, v)
  why = "";
  if (isstruct (v))
    f = fieldnames (v);
    for i = 1:numel (v)
      for j = 1:numel (f)
        why = plain ([what "." f{j}], v(i).(f{j}));
        if (! isempty (why))
          return;
        endif
      endfor
    endfor
  elseif (iscell (v))
    for i = 1:numel (v)
      why = plain (sprintf ("%s{%d}", what, i), v{i});
      if (! isempty (why))
        return;
      endif
    endfor
  elseif (! (isnumeric (v) || islogical (v) || ischar (v)))
    why = sprintf ("%s holds a %s", what, class (v));
  endif
endfunction

## The file a checkpoint FILE is written to: FILE itself, or the target of a
## symbolic link FILE (written through the link, which stays).
function file = target (file)
  [info, err] = lstat (file);
  if (err == 0 && S_ISLNK (info.mode))
    t = canonicalize_file_name (file);
    if (! isempty (t))
      file = t;
    endif
  endif
endfunction

## The record of a rule written in Octave: its name (func2str), and the
## SHA-256 of the file that defines it (a named function), "" otherwise.
function rule = rule_of (fcn)
  name = func2str (fcn);
  source = "";
  if (! strncmp (name, "@", 1))
    f = which (name);
    if (! isempty (f) && exist (f, "file") == 2)
      try
        source = hash ("sha256", fileread (f));
      catch
      end_try_catch
    endif
  endif
  rule = struct ("kind", "octave", "name", name, "source", source);
endfunction

## NET (and HIST) of checkpoint C with the rule the caller gives again for a
## run whose rule was written in Octave: FCN must be a function handle of
## the same name.  A changed source is a warning.
function [net, hist] = give_rule (fname, c, fcn)
  [net, hist] = deal (c.net, c.hist);
  rule = c.rule;
  if (strcmp (rule.kind, "builtin"))
    if (! isempty (fcn))
      error ("adagrad:badinput",
             "%s: OPTIMIZER is only for a run whose rule is written in Octave; this run's rule is \"%s\"",
             fname, net.optimizer);
    endif
    return;
  endif
  if (isempty (fcn))
    error ("adagrad:badcheckpoint",
           "%s: the run's rule is written in Octave (%s); a checkpoint keeps only its name, never code: pass it again, e.g. adagrad_resume (file, X, y, \"optimizer\", %s)",
           fname, rule.name, merge (strncmp (rule.name, "@", 1), "@(W, G, s, info) ...",
                                    ["@" rule.name]));
  endif
  if (! is_function_handle (fcn))
    error ("adagrad:badinput", "%s: OPTIMIZER must be a function handle", fname);
  endif
  given = rule_of (fcn);
  if (! strcmp (given.name, rule.name))
    error ("adagrad:badinput",
           "%s: OPTIMIZER is %s, but the run's rule was %s",
           fname, given.name, rule.name);
  endif
  if (! strcmp (given.source, rule.source))
    warning ("adagrad:checkpoint",
             "%s: the source of %s changed since the checkpoint was written; the run goes on with the new one",
             fname, rule.name);
  endif
  net.optimizer = fcn;
  hist.optimizer = fcn;
endfunction

function c = read (version, fname, file, X, y)
  if (! exist (file, "file"))
    error ("adagrad:badcheckpoint", "%s: no checkpoint file %s", fname, file);
  endif
  [c, why] = __adagrad_load__ (file);
  if (! isempty (why))
    if (! isempty (strfind (why, "function handle")))
      why = [why "; adagrad 0.7 and older kept a rule written in Octave as one: such a checkpoint cannot be resumed safely"];
    endif
    error ("adagrad:badcheckpoint", "%s: refusing %s: %s", fname, file, why);
  endif
  [c, why] = join (c);
  if (! isempty (why))
    error ("adagrad:badcheckpoint", "%s: %s is damaged: %s", fname, file, why);
  endif
  if (! isfield (c, "checkpoint") || ! isstruct (c.checkpoint) || ! isscalar (c.checkpoint)
      || ! isfield (c.checkpoint, "version") || ! ischar (c.checkpoint.version)
      || ! strncmp (c.checkpoint.version, "adagrad checkpoint ", 19))
    error ("adagrad:badcheckpoint", "%s: %s is not an adagrad checkpoint", fname, file);
  endif
  v = c.checkpoint.version;
  if (strcmp (v, "adagrad checkpoint 1"))
    error ("adagrad:badcheckpoint",
           "%s: %s is a checkpoint of adagrad 0.1 (schema 1); this version cannot resume it: finish that run with adagrad 0.1, or start it again",
           fname, file);
  elseif (strcmp (v, "adagrad checkpoint 2") && ! isfield (c, "digest")
          && isfield (c.checkpoint, "data") && isstruct (c.checkpoint.data)
          && isfield (c.checkpoint.data, "sumX"))
    error ("adagrad:badcheckpoint",
           "%s: %s is a checkpoint of an older adagrad (0.2, schema 2 without a digest); this version cannot resume it: finish that run with the version that wrote it, or start it again",
           fname, file);
  elseif (! any (strcmp (v, {version, "adagrad checkpoint 2"})))
    error ("adagrad:badcheckpoint", "%s: %s has the unknown schema \"%s\" (this version reads \"%s\" and \"adagrad checkpoint 2\")",
           fname, file, v, version);
  endif
  if (! isfield (c, "digest") || ! ischar (c.digest)
      || ! strcmp (c.digest, __adagrad_fingerprint__ (c.checkpoint)))
    error ("adagrad:badcheckpoint",
           "%s: %s is damaged: its contents do not match the digest written with them",
           fname, file);
  endif
  c = c.checkpoint;
  if (! isfield (c, "rule"))
    ## Schema 2 (adagrad 0.3 to 0.7): built-in rules only reach here.
    c.rule = struct ("kind", "builtin", "name", "", "source", "");
  endif
  need = {"net", "hist", "options", "data"};
  if (isfield (c, "options") && isstruct (c.options) && isscalar (c.options))
    c.options = user_names (c.options);
  endif
  opts = {"target", "tol", "display", "threads", "diagnostics", "gramevery", ...
          "checkpoint", "checkpointevery", "checkpointseconds"};
  if (! all (isfield (c, need)) || ! isstruct (c.options) || ! all (isfield (c.options, opts)))
    have = fieldnames (c);
    if (isfield (c, "options") && isstruct (c.options))
      have = [have; strcat("options.", fieldnames (c.options))];
    endif
    error ("adagrad:badcheckpoint", "%s: %s lacks the fields %s", fname, file,
           strjoin (setdiff ([need, strcat("options.", opts)], have, "stable"), ", "));
  endif
  if (! isstruct (c.rule) || ! isscalar (c.rule) || ! all (isfield (c.rule, {"kind", "name", "source"}))
      || ! any (strcmp (c.rule.kind, {"builtin", "octave"})) || ! ischar (c.rule.name)
      || ! ischar (c.rule.source))
    error ("adagrad:badcheckpoint", "%s: %s has a malformed rule record", fname, file);
  endif
  now = __adagrad_fingerprint__ (X, y);
  if (! isequal (c.data, now))
    error ("adagrad:badcheckpoint",
           "%s: X and Y differ from the data of the run saved in %s: %s", fname, file,
           data_diff (c.data, now));
  endif
  if (isstruct (c.hist) && isfield (c.hist, "chunks"))
    [c.hist, why] = unchunk (target (file), c.hist);
    if (! isempty (why))
      error ("adagrad:badcheckpoint", "%s: cannot resume from %s: %s", fname, file, why);
    endif
  endif
endfunction

## What differs between the data fingerprint SAVED and NOW, in words.
function why = data_diff (saved, now)
  f = {"size", "class", "ysize", "yclass"};
  if (! isstruct (saved) || ! isscalar (saved) || ! all (isfield (saved, [f, {"sha256"}])))
    why = "the checkpoint's record of its data is malformed";
    return;
  endif
  sz = @(v) strjoin (arrayfun (@(k) sprintf ("%d", k), v, "UniformOutput", false), "-by-");
  parts = {};
  names = {"X", "Y"};
  for k = 1:2
    [fs, fc] = deal (f{2*k-1}, f{2*k});
    if (! isequal (saved.(fs), now.(fs)) || ! isequal (saved.(fc), now.(fc)))
      parts{end+1} = sprintf ("%s is %s %s here and was %s %s", names{k}, sz (now.(fs)),
                              now.(fc), sz (double (saved.(fs)(:)')), char (saved.(fc)));
    endif
  endfor
  if (isempty (parts))
    why = "they have the saved sizes and classes but other values (their SHA-256 differs): other data, data drawn with another seed, or the rows in another order";
  else
    why = strjoin (parts, "; ");
  endif
endfunction

## The run's settings of a checkpoint under the user names of the options:
## adagrad 0.7.2 and before wrote some under the names of adagrad_train's
## internal struct (diag_every, ...; the batch's size and every).
function o = user_names (o)
  old = {"diag_every", "gram_every", "ck_every", "ck_seconds", "hist_every", "every"};
  new = {"diagnostics", "gramevery", "checkpointevery", "checkpointseconds", ...
         "historyevery", "outputevery"};
  for i = find (isfield (o, old) & ! isfield (o, new))
    o.(new{i}) = o.(old{i});
    o = rmfield (o, old{i});
  endfor
  if (isfield (o, "batch") && isstruct (o.batch) && isscalar (o.batch))
    b = o.batch;
    for p = {{"size", "batchsize"}, {"every", "evalevery"}}
      if (isfield (b, p{1}{1}) && ! isfield (b, p{1}{2}))
        b.(p{1}{2}) = b.(p{1}{1});
        b = rmfield (b, p{1}{1});
      endif
    endfor
    o.batch = b;
  endif
endfunction

function probe (fname, file)
  if (isfolder (file))
    error ("adagrad:checkpoint", "%s: CHECKPOINT %s is a folder; give a file name", fname, file);
  endif
  file = target (file);
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
  file = target (file);
  [folder, base, ext] = fileparts (file);
  if (isempty (folder))
    folder = ".";
  endif
  ## A literal listing (glob would read [, ] and \ in the name as patterns):
  ## the temporaries of the checkpoint and of its history chunks.
  pat = ['^' regexptranslate("escape", [base ext]) '(\.h-[0-9a-f]{16}-\d{6})?\.tmp(\d+)$'];
  for f = readdir (folder)'
    t = regexp (f{1}, pat, "tokens", "once");
    if (! isempty (t))
      pid = str2double (t{end});
      if (! isnan (pid) && pid != getpid () && kill (pid, 0) != 0)
        n += unlink (fullfile (folder, f{1})) == 0;
      endif
    endif
  endfor
endfunction

%!shared X, y, f
%! X = [1 2; 3 4]; y = [1; 2];
%! f = [tempname() ".ckpt"];


%!test
%! opts = struct ("target", 3, "tol", 0, "display", "off", "threads", 0, "diagnostics", 0,
%!               "gramevery", 0, "checkpoint", f, "checkpointevery", 0, "checkpointseconds", 60);
%! unwind_protect
%!   [ok, msg] = __adagrad_checkpoint__ ("write", f, struct ("W", 1), struct ("loss", 2), opts, X, y);
%!   assert (ok && isempty (msg));
%!   c = __adagrad_checkpoint__ ("read", "g", f, X, y);
%!   assert ({c.net.W, c.hist.loss, c.options.target}, {1, 2, 3});
%!   assert (isempty (glob ([f ".tmp*"])));
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, 2 * y)", "X and Y differ from the data of the run saved in .*: they have the saved sizes and classes but other values");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, [X; X], [y; y])", sprintf ("X is %d-by-%d double here and was %d-by-%d double; Y is %d-by-1 double here and was %d-by-1 double", 2 * rows (X), columns (X), rows (X), columns (X), 2 * rows (X), rows (X)));
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, single (X), y)", "X is .* single here and was .* double$");
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
%!   ## A valid checkpoint of adagrad 0.2 (schema 2, before digests): said so.
%!   checkpoint = struct ("version", "adagrad checkpoint 2", "net", struct ("W", 1),
%!                        "hist", struct ("loss", 2), "options", opts,
%!                        "data", struct ("size", [2 2], "class", "double", "sumX", 10, "sumwX", 1, "sumy", 3));
%!   save ("-binary", f, "checkpoint");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "is a checkpoint of an older adagrad \\(0.2, schema 2 without a digest\\)");
%!   checkpoint = s.checkpoint;
%!   checkpoint.version = "adagrad checkpoint 7";
%!   save ("-binary", f, "checkpoint");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "unknown schema");
%!   checkpoint = rmfield (s.checkpoint, "hist");
%!   digest = __adagrad_fingerprint__ (checkpoint);
%!   save ("-binary", f, "checkpoint", "digest");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "lacks the fields hist$");
%!   checkpoint = s.checkpoint;
%!   checkpoint.options = rmfield (checkpoint.options, "target");
%!   digest = __adagrad_fingerprint__ (checkpoint);
%!   save ("-binary", f, "checkpoint", "digest");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "lacks the fields options.target$");
%!   nothing = 1;
%!   save ("-binary", f, "nothing");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', f, X, y)", "is not an adagrad checkpoint");
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect

%!test
%! ## Single bit flips anywhere in the file are refused or harmless.
%! opts = struct ("target", 3, "tol", 0, "display", "off", "threads", 0, "diagnostics", 0,
%!               "gramevery", 0, "checkpoint", f, "checkpointevery", 0, "checkpointseconds", 60);
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
%! ## Large arrays go as variables of their own and come back in place; the
%! ## file ends with its marker; a file cut short (a full disk) or an array
%! ## changed without a new digest is refused.
%! opts = struct ("target", 3, "tol", 0, "display", "off", "threads", 0, "diagnostics", 0,
%!               "gramevery", 0, "checkpoint", f, "checkpointevery", 0, "checkpointseconds", 60);
%! g = [f ".cut"];
%! unwind_protect
%!   net = struct ("W", randn (300, 250), "W0", single (randn (300, 250)),
%!                 "state", struct ("M", zeros (300, 250), "t", 3), "small", ones (3));
%!   hist = struct ("loss", (1:70000)', "stop", "");
%!   [ok, msg] = __adagrad_checkpoint__ ("write", f, net, hist, opts, X, y);
%!   assert (ok, true, msg);
%!   v = load (f);
%!   assert (v.arrays, {"net.W", "net.W0", "net.state.M", "hist.loss"});
%!   assert (isempty (v.checkpoint.net.W) && strcmp (class (v.checkpoint.net.W0), "single"));
%!   assert (fieldnames (v)(end), {"done"});
%!   assert (v.done, v.digest);
%!   c = __adagrad_checkpoint__ ("read", "g", f, X, y);
%!   assert (isequal (c.net, net) && isequal (c.hist, hist));
%!   fid = fopen (f, "r"); b = fread (fid, Inf, "uint8=>uint8"); fclose (fid);
%!   fid = fopen (g, "w"); fwrite (fid, b(1:round (0.6 * end))); fclose (fid);
%!   fail ("__adagrad_checkpoint__ ('read', 'g', g, X, y)", "refusing .*cannot be read");
%!   a3 = v.a3;
%!   v.a3(7) = 1;
%!   save ("-binary", g, "-struct", "v");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', g, X, y)", "is damaged: its contents do not match");
%!   v.a3 = a3;
%!   v.arrays{2} = "net.W0; system ('true')";
%!   save ("-binary", g, "-struct", "v");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', g, X, y)", "its list of arrays is malformed");
%! unwind_protect_cleanup
%!   unlink (f);
%!   unlink (g);
%! end_unwind_protect

%!test
%! ## A long history: its rows go to chunk files written once, the checkpoint
%! ## keeps the rest; read back whole; a damaged or missing chunk is refused;
%! ## a checkpoint of another call drops the chunks it replaced.
%! d = tempname ();
%! mkdir (d);
%! unwind_protect
%!   file = fullfile (d, "run.ckpt");
%!   opts = struct ("target", 3, "tol", 0, "display", "off", "threads", 0, "diagnostics", 0,
%!                 "gramevery", 0, "checkpoint", file, "checkpointevery", 0, "checkpointseconds", 60,
%!                 "run_id", "00000000000000aa");
%!   fields = {"iter", "loss", "b", "step", "rate", "ratelo", "ratehi", "gnorm", "time", "batchloss", "epoch", "vloss", "accuracy", "vaccuracy"};
%!   hist = struct ("stop", "");
%!   for k = 1:numel (fields)
%!     hist.(fields{k}) = k + (1:70000)';
%!   endfor
%!   net = struct ("W", 1);
%!   assert (__adagrad_checkpoint__ ("write", file, net, hist, opts, X, y));
%!   chunk = fullfile (d, "run.ckpt.h-00000000000000aa-000001");
%!   assert (sort (readdir (d))', {".", "..", "run.ckpt", "run.ckpt.h-00000000000000aa-000001"});
%!   v = load (file);
%!   assert (numel (v.checkpoint.hist.iter), 70000 - 65536);
%!   assert (v.checkpoint.hist.chunks.rows, 65536);
%!   c = __adagrad_checkpoint__ ("read", "g", file, X, y);
%!   assert (isequal (c.hist, hist));
%!   ## The next checkpoint of the same call writes no chunk again.
%!   before = stat (chunk).mtime;
%!   pause (1.1);
%!   hist.iter(end+1) = 0; hist.loss(end+1) = 0;
%!   for k = 3:numel (fields)
%!     hist.(fields{k})(end+1) = 0;
%!   endfor
%!   assert (__adagrad_checkpoint__ ("write", file, net, hist, opts, X, y));
%!   assert (stat (chunk).mtime, before);
%!   assert (isequal (__adagrad_checkpoint__ ("read", "g", file, X, y).hist, hist));
%!   ## A chunk changed, or gone: refused with what to do.
%!   copyfile (chunk, [chunk ".keep"]);
%!   w = load (chunk);
%!   w.chunk.loss(5) = -1;
%!   save ("-binary", chunk, "-struct", "w");
%!   fail ("__adagrad_checkpoint__ ('read', 'g', file, X, y)", "history chunk .* is damaged");
%!   unlink (chunk);
%!   fail ("__adagrad_checkpoint__ ('read', 'g', file, X, y)", "history chunk .* is missing .*move them together");
%!   rename ([chunk ".keep"], chunk);
%!   ## Another call's checkpoint (another run_id) replaces this one and its chunk.
%!   opts.run_id = "00000000000000bb";
%!   assert (__adagrad_checkpoint__ ("write", file, net, hist, opts, X, y));
%!   assert (sort (readdir (d))', {".", "..", "run.ckpt", "run.ckpt.h-00000000000000bb-000001"});
%!   assert (isequal (__adagrad_checkpoint__ ("read", "g", file, X, y).hist, hist));
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   rmdir (d, "s");
%! end_unwind_protect

%!test
%! ## Temporaries of processes that are gone are removed; a live one is kept.
%! own = sprintf ("%s.tmp%d", f, getpid ());
%! dead = sprintf ("%s.tmp%d", f, 4194303);
%! deadchunk = sprintf ("%s.h-00000000000000aa-000003.tmp%d", f, 4194303);
%! unwind_protect
%!   fclose (fopen (own, "w"));
%!   fclose (fopen (dead, "w"));
%!   fclose (fopen (deadchunk, "w"));
%!   assert (__adagrad_checkpoint__ ("clean", f), 2);
%!   assert (exist (own, "file") && ! exist (dead, "file") && ! exist (deadchunk, "file"));
%! unwind_protect_cleanup
%!   unlink (own);
%! end_unwind_protect

%!test
%! [ok, msg] = __adagrad_checkpoint__ ("write", "/nonexistent-dir/x.ckpt", 1, 1, 1, 1, 1);
%! assert (! ok && ! isempty (msg));
%!test
%! ## A folder as CHECKPOINT is refused before any work; a symbolic link is
%! ## written through (its target is the checkpoint, the link stays).
%! d = tempname ();
%! mkdir (d);
%! unwind_protect
%!   fail ("__adagrad_checkpoint__ ('probe', 'g', d)", "CHECKPOINT .* is a folder; give a file name");
%!   opts = struct ("target", 3, "tol", 0, "display", "off", "threads", 0, "diagnostics", 0,
%!                 "gramevery", 0, "checkpoint", "", "checkpointevery", 0, "checkpointseconds", 60);
%!   t = fullfile (d, "real.ckpt");
%!   l = fullfile (d, "link.ckpt");
%!   fclose (fopen (t, "w"));
%!   symlink ("real.ckpt", l);
%!   __adagrad_checkpoint__ ("probe", "g", l);
%!   [ok, msg] = __adagrad_checkpoint__ ("write", l, struct ("W", 1), struct ("loss", 2), opts, X, y);
%!   assert (ok, true);
%!   [info, err] = lstat (l);
%!   assert (err == 0 && S_ISLNK (info.mode));
%!   assert (__adagrad_checkpoint__ ("read", "g", t, X, y).net.W, 1);
%!   assert (__adagrad_checkpoint__ ("read", "g", l, X, y).net.W, 1);
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   rmdir (d, "s");
%! end_unwind_protect
%!error <g: no checkpoint file> __adagrad_checkpoint__ ("read", "g", "/nonexistent/x.ckpt", 1, 1)
%!error <g: cannot write the checkpoint /nonexistent-dir/x.ckpt> __adagrad_checkpoint__ ("probe", "g", "/nonexistent-dir/x.ckpt")
%!error id=adagrad:internal __adagrad_checkpoint__ ("x")
