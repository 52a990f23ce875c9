## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {} __adagrad_sweep_task__ (@var{dir}, @var{submission}, @var{task})
## @deftypefnx {} {} __adagrad_sweep_task__ (@var{dir}, @var{submission}, @var{task}, @var{rules})
## Internal: one array task of the Slurm engine of @code{adagrad_sweep} (run
## by @file{@var{dir}/slurm/task.m} in @code{octave-cli}).  Runs the cells of
## task @var{task} of submission @var{submission} that have no result yet,
## each as @code{__adagrad_sweep_one__} with @env{SLURM_CPUS_PER_TASK}
## threads (1 if unset), and writes each result to its own file in
## @file{@var{dir}/cells} (a temporary file, then a rename).  A cell that
## fails is reported ("error: cell K: ...") and the others still run; the
## task then ends with an error, so that Slurm records it as failed.
## @var{rules}: the handles of the sweep's rules written in Octave (task.m
## has them as code, written by the submission; the folder's data names
## them only).
## @end deftypefn

function __adagrad_sweep_task__ (dir, submission, task, rules)
  fname = "__adagrad_sweep_task__";
  if (nargin < 4)
    rules = {};
  endif
  if (nargin < 3 || ! iscell (rules) || ! all (cellfun (@is_function_handle, rules)) || ! ischar (dir) || ! isscalar (submission) || ! isscalar (task)
      || isnan (submission) || isnan (task))
    error ("adagrad:internal",
           "%s: needs DIR, SUBMISSION and TASK (ADAGRAD_SUBMISSION and SLURM_ARRAY_TASK_ID)",
           fname);
  endif
  s = __adagrad_sweepdir__ ("load", fname, dir);
  d = __adagrad_sweepdir__ ("data", fname, dir, s);
  sub.tasks = __adagrad_slurm__ ("tasks", fname, dir, submission, numel (s.jobs));
  if (task < 1 || task > numel (sub.tasks))
    error ("adagrad:internal", "%s: submission %d has no task %d", fname, submission, task);
  endif
  common = s.common;
  ## The rules written in Octave: the handles task.m gives (its code,
  ## written by the submission), each of the name and source the sweep has.
  common.fcns = struct ("name", {}, "fcn", {}, "source", {});
  for k = 1:numel (rules)
    rule = __adagrad_checkpoint__ ("rule", rules{k});
    name = merge (strncmp (rule.name, "@", 1), rule.name, ["@" rule.name]);
    if (isfield (common, "rules"))
      h = find (strcmp ({common.rules.name}, name), 1);
      if (! isempty (h) && ! strcmp (common.rules(h).source, rule.source))
        error ("adagrad:sweep", "%s: the source of %s differs from the sweep's", fname, name);
      endif
    endif
    common.fcns(end+1) = struct ("name", name, "fcn", rules{k}, "source", rule.source);
  endfor
  common.threads = 1;
  cpus = str2double (getenv ("SLURM_CPUS_PER_TASK"));
  if (isfinite (cpus) && cpus >= 1)
    common.threads = cpus;
  endif
  printf ("adagrad sweep %s: submission %d, task %d, cells %s, %d thread(s), on %s\n", dir,
          submission, task, mat2str (sub.tasks{task}), common.threads, gethostname ());
  failed = 0;
  for k = sub.tasks{task}
    if (exist (__adagrad_sweepdir__ ("cellfile", dir, k), "file"))
      printf ("cell %d: already done\n", k);
      continue;
    endif
    j = s.jobs(k);
    try
      r = __adagrad_sweep_one__ (d.X, d.y, j, common);
      __adagrad_sweepdir__ ("writecell", dir, s, k, r);
      printf ("cell %d (%s, b0 = %g, width %d, seed %d): %s, loss %.4g, %.1f s\n", k,
              j.optimizer, j.b0, j.width, j.seed, r.stop, r.loss, r.time);
    catch err
      failed++;
      fprintf (stderr, "error: cell %d (%s, b0 = %g, width %d, seed %d): %s\n", k,
               j.optimizer, j.b0, j.width, j.seed, err.message);
    end_try_catch
    fflush (stdout);
    fflush (stderr);
  endfor
  if (failed > 0)
    error ("adagrad:sweep", "%s: %d of the task's cells failed", fname, failed);
  endif
endfunction

%!error <needs DIR, SUBMISSION and TASK> __adagrad_sweep_task__ ("x", NaN, 1)
%!error <holds no sweep> __adagrad_sweep_task__ (tempname (), 1, 1)
