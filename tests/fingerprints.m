## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {} fingerprints (@var{top}, "record", @var{file})
## @deftypefnx {} {} fingerprints (@var{top}, "compare", @var{file})
## @deftypefnx {} {} fingerprints (@var{top}, "compare", @var{folder})
## @deftypefnx {} {} fingerprints (@var{top}, "checkpoints", @var{folder})
## The fingerprints of a fixed set of training runs of the package in the
## tree @var{top} (its @file{inst/} and @file{build/} are added to the path):
## the SHA-256 digest (@code{__adagrad_fingerprint__}) of everything a run
## computes but its wall-clock times: W, the optimizer state, the position in
## the batch schedule, and the history's loss, batch loss, epoch, validation
## loss, b, steps, gradient norms and diagnostics.
##
## The runs: every built-in rule, in double and single, in full batch and on
## shuffled and with-replacement mini-batches (with a validation set), with
## diagnostics, in the primal form and, for the rules that allow it, the
## kernel form; and two rules written in Octave (heavy ball, an Adam), whose
## losses are kept as numbers (they are compared to a relative 1e-12, since
## a redesign may change how their steps are called).
##
## @qcode{"record"} writes the fingerprints to @var{file} (one line
## @code{NAME SHA256}, the Octave rules' losses as @code{NAME %.17g ...}),
## headed by the machine and the BLAS core: bits are equal only on one
## platform.  @qcode{"compare"} recomputes them and prints
## @code{fingerprints: N passed, M failed}, or @code{skipped} with the reason
## when @var{file} was recorded on another CPU or BLAS core.  Given a
## @var{folder} of recordings (@file{fingerprints.txt} in it and in its
## subfolders, one per platform, each with its @file{checkpoints}), it
## compares with the one of this platform, else with the first.  It then also
## resumes the checkpoints in the folder @file{checkpoints} beside
## @var{file} (written by an older version: see below) to their ends, and
## checks each against the uninterrupted run (bitwise on the recording
## platform, 1e-10 relative in W elsewhere).
##
## @qcode{"checkpoints"} writes, with the tree's own code, checkpoints of
## three runs cut at iteration 15 of 30 (AdaLoss; Adam on mini-batches with
## a validation set; AdaGrad-Norm in the kernel form) into @var{folder}.
## @end deftypefn

function fingerprints (top, what, file)
  addpath (fullfile (top, "inst"), fullfile (top, "build"));
  warning ("off", "adagrad:diverged");
  if (strcmp (what, "checkpoints"))
    write_checkpoints (file);
    return;
  endif
  runs = compute ();
  here = platform ();
  switch (what)
    case "record"
      fid = fopen (file, "w");
      fprintf (fid, "# adagrad fingerprints, recorded %s\n", datestr (now (), 31));
      fprintf (fid, "platform %s\n", here);
      for k = 1:numel (runs)
        fprintf (fid, "%s %s\n", runs(k).name, runs(k).value);
      endfor
      fclose (fid);
      printf ("fingerprints: %d runs recorded in %s\n", numel (runs), file);
    case "compare"
      file = recording (file, here);
      lines = strsplit (strtrim (fileread (file)), "\n");
      lines = lines(! strncmp (lines, "#", 1));
      rec = regexp (lines{1}, '^platform (.*)$', "tokens", "once");
      if (isempty (rec) || ! strcmp (rec{1}, here))
        printf ("fingerprints: recorded on %s, this is %s\n",
                merge (isempty (rec), "?", rec{1}), here);
        [p2, f2] = resume_checkpoints (fullfile (fileparts (file), "checkpoints"), false);
        printf ("fingerprints: %d passed, %d failed, 1 skipped\n", p2, f2);
        return;
      endif
      [pass, fail] = deal (0);
      for k = 2:numel (lines)
        [name, value] = strtok (lines{k});
        value = strtrim (value);
        i = find (strcmp ({runs.name}, name), 1);
        if (isempty (i))
          printf ("FAIL fingerprints: no run %s\n", name);
          fail++;
        elseif (strncmp (name, "octave-rule", 11))
          a = str2num (value);
          b = str2num (runs(i).value);
          if (numel (a) == numel (b) && all (abs (a - b) <= 1e-12 * abs (a)))
            pass++;
          else
            printf ("FAIL fingerprints: %s: losses differ beyond 1e-12 relative\n", name);
            fail++;
          endif
        elseif (strcmp (value, runs(i).value))
          pass++;
        else
          printf ("FAIL fingerprints: %s differs\n", name);
          fail++;
        endif
      endfor
      [p2, f2] = resume_checkpoints (fullfile (fileparts (file), "checkpoints"), true);
      printf ("fingerprints: %d passed, %d failed\n", pass + p2, fail + f2);
  endswitch
endfunction

## The three cut runs: NAME, the arguments of adagrad_train.
function c = cut_runs ()
  [Xv, yv] = adagrad_data (9, 6, "seed", 2);
  c = {"adaloss", {"width", 50, "optimizer", "adaloss", "b0", 0.3, "seed", 3, "diagnostics", 5}; ...
       "adam-minibatch", {"width", 50, "optimizer", "adam", "eta", 0.01, "seed", 3, ...
                          "batchsize", 7, "validation", {Xv, yv}}; ...
       "kernel", {"width", 50, "optimizer", "adagrad-norm", "seed", 3, "form", "kernel"}};
endfunction

function write_checkpoints (folder)
  [X, y] = adagrad_data (40, 6, "seed", 1);
  mkdir (folder);
  for k = 1:rows (cut_runs ())
    c = cut_runs ()(k, :);
    f = fullfile (folder, [c{1} ".ckpt"]);
    adagrad_train (X, y, c{2}{:}, "maxiter", 30, "tol", 0, "checkpoint", f,
                   "outputfcn", @(n, i) i.iter >= 15);
    ## As a kill at iteration 15 leaves it: not "stopped".
    s = load (f);
    checkpoint = s.checkpoint;
    checkpoint.hist.stop = "";
    digest = __adagrad_fingerprint__ (checkpoint);
    save ("-binary", f, "checkpoint", "digest");
    printf ("fingerprints: wrote %s\n", f);
  endfor
endfunction

## Each checkpoint of FOLDER resumed to its end against the uninterrupted run.
function [pass, fail] = resume_checkpoints (folder, same_platform)
  [pass, fail] = deal (0);
  if (! isfolder (folder))
    return;
  endif
  [X, y] = adagrad_data (40, 6, "seed", 1);
  for k = 1:rows (cut_runs ())
    c = cut_runs ()(k, :);
    f = fullfile (folder, [c{1} ".ckpt"]);
    t = [tempname() ".ckpt"];
    copyfile (f, t);
    try
      [net, hist] = adagrad_resume (t, X, y);
      [ref, href] = adagrad_train (X, y, c{2}{:}, "maxiter", 30, "tol", 0);
      ok = net.iter == 30 && numel (hist.loss) == 31;
      if (same_platform)
        ## A cut run's last iterate is an evaluation point (its loss known),
        ## which the uninterrupted mini-batch run need not evaluate.
        known = isfinite (href.loss);
        ok = ok && isequal (net.W, ref.W) && isequal (net.state, ref.state) ...
             && isequal (hist.loss(known), href.loss(known));
      else
        ok = ok && norm (net.W - ref.W, "fro") <= 1e-10 * norm (ref.W, "fro");
      endif
    catch err
      printf ("FAIL fingerprints: %s: %s\n", f, err.message);
      ok = false;
    end_try_catch
    unlink (t);
    if (ok)
      pass++;
    else
      printf ("FAIL fingerprints: the checkpoint %s does not resume to the uninterrupted run\n", f);
      fail++;
    endif
  endfor
endfunction

## The CPU model and the BLAS core the results depend on.
## The recording to compare with: FILE itself, or where FILE is a folder of
## recordings (FOLDER/fingerprints.txt and FOLDER/*/fingerprints.txt, each
## with its checkpoints beside it), the one of platform HERE, else the first.
function file = recording (file, here)
  if (! isfolder (file))
    return;
  endif
  sub = dir (fullfile (file, "*", "fingerprints.txt"));
  files = [{fullfile(file, "fingerprints.txt")}, ...
           arrayfun(@(s) fullfile (s.folder, s.name), sub(:)', "uniformoutput", false)];
  files = files(cellfun (@(f) exist (f, "file") == 2, files));
  for k = 1:numel (files)
    p = regexp (fileread (files{k}), '(?m)^platform (.*?)\s*$', "tokens", "once");
    if (! isempty (p) && strcmp (p{1}, here))
      file = files{k};
      return;
    endif
  endfor
  file = files{1};
endfunction

function p = platform ()
  cpu = "?";
  try
    m = regexp (fileread ("/proc/cpuinfo"), 'model name\s*:\s*([^\n]*)', "tokens", "once");
    f = regexp (fileread ("/proc/cpuinfo"), 'cpu family\s*:\s*(\d+)\s*model\s*:\s*(\d+)', "tokens", "once");
    cpu = sprintf ("%s (family %s, model %s)", strtrim (m{1}), f{1}, f{2});
  catch
  end_try_catch
  core = regexp (version ("-blas"), 'DYNAMIC_ARCH NO_AFFINITY (\S+)', "tokens", "once");
  if (isempty (core))
    core = {version("-blas")};
  endif
  p = sprintf ("%s; OpenBLAS core %s; OPENBLAS_CORETYPE=%s", cpu, core{1},
               getenv ("OPENBLAS_CORETYPE"));
endfunction

function runs = compute ()
  runs = struct ("name", {}, "value", {});
  [X, y] = adagrad_data (40, 6, "seed", 1);
  [Xv, yv] = adagrad_data (9, 6, "seed", 2);
  rules = {"gd", "adagrad-norm", "adaloss", "momentum", "nesterov", "adagrad", "rmsprop", ...
           "adam"};
  along = {"gd", "adagrad-norm", "adaloss", "momentum", "nesterov"};
  etas = struct ("gd", 0.05, "adagrad_norm", 1, "adaloss", 1, "momentum", 0.02,
                 "nesterov", 0.02, "adagrad", 0.05, "rmsprop", 0.005, "adam", 0.01);
  samplings = {"full", {}; "shuffle", {"batchsize", 7, "sampling", "shuffle"}; ...
               "replace", {"batchsize", 7, "sampling", "replace"}};
  for cls = {"double", "single"}
    Xc = cast (X, cls{1});
    for r = rules
      eta = etas.(strrep (r{1}, "-", "_"));
      for s = 1:rows (samplings)
        extra = samplings{s, 2};
        if (! isempty (extra))
          extra = [extra, {"validation", {cast(Xv, cls{1}), yv}, "evalevery", 5}];
        endif
        forms = {"primal"};
        if (any (strcmp (r{1}, along)))
          forms{end+1} = "kernel";
        endif
        for f = forms
          [net, h] = adagrad_train (Xc, y, "width", 50, "optimizer", r{1}, "eta", eta,
                                    "maxiter", 30, "tol", 0, "seed", 3, "diagnostics", 10,
                                    "form", f{1}, extra{:});
          name = sprintf ("%s-%s-%s-%s", r{1}, cls{1}, samplings{s, 1}, f{1});
          runs(end+1) = struct ("name", name, "value", digest (net, h));
        endfor
      endfor
    endfor
  endfor
  ## Rules written in Octave: their losses as numbers.
  hb = @(W, G, s, info) deal (W - 0.05 * (0.8 * s + G), 0.8 * s + G);
  net0 = adagrad_init (6, 50, "seed", 3, "optimizer", hb, "eta", 0.05);
  net0.state = zeros (50, 6);
  [~, h] = adagrad_train (net0, X, y, "maxiter", 30, "tol", 0);
  runs(end+1) = struct ("name", "octave-rule-heavyball", "value", numbers (h.loss));
  net1 = adagrad_init (6, 50, "seed", 3, "optimizer", @octave_adam, "eta", 0.01);
  [~, h] = adagrad_train (net1, X, y, "maxiter", 30, "tol", 0, "batchsize", 7);
  runs(end+1) = struct ("name", "octave-rule-adam-minibatch", "value",
                        numbers (h.loss(isfinite (h.loss))));
endfunction

function [W, s] = octave_adam (W, G, s, info)
  if (isempty (s))
    s = struct ("t", 0, "M", zeros (size (W)), "V", zeros (size (W)));
  endif
  s.t += 1;
  s.M = 0.9 * s.M + 0.1 * G;
  s.V = 0.999 * s.V + 0.001 * G .^ 2;
  W -= info.eta * (s.M / (1 - 0.9 ^ s.t)) ./ (sqrt (s.V / (1 - 0.999 ^ s.t)) + 1e-8);
endfunction

function t = numbers (v)
  t = strtrim (sprintf ("%.17g ", v));
endfunction

## Everything the run computed but its wall-clock times and the effective
## step hist.step, which 0.7.0 did not record (its "step" was the rule's
## rate, today's hist.rate: recorded under 0.7.0's names, in its order).
## Today's step is checked against ||W(k+1) - W(k)|| / ||G(k)|| in the tests.
function d = digest (net, h)
  keep = {"iter", "loss", "batchloss", "epoch", "vloss", "b", "step", "steplo", "stephi", ...
          "gnorm", "diag", "stop"};
  from = keep;
  from(7:9) = {"rate", "ratelo", "ratehi"};
  v = struct ("W", net.W, "state", net.state, "iter", net.iter, "seen", net.seen);
  for k = 1:numel (keep)
    if (isfield (h, from{k}))
      v.(keep{k}) = h.(from{k});
    endif
  endfor
  v = as_070 (net, h, v);
  d = __adagrad_fingerprint__ (v);
endfunction

## 0.8.1 records no step for iteration 0 (NaN: no step produced it); 0.7.0
## recorded the rule's eta/b0 there (eta for the rules without b, NaN for
## the per-coordinate ones), a step never taken. The fingerprints of 0.7.0
## runs are compared with that entry put back the way 0.7.0 computed it.
function v = as_070 (net, h, v)
  if (! isfield (v, "step") || isempty (v.step) || h.iter(1) != 0 || ! isnan (v.step(1)))
    return;
  endif
  info = __adagrad_optimizer__ ("info", net.optimizer);
  if (info.has_b)
    s0 = net.eta / h.b(1);
  elseif (info.per_coordinate)
    s0 = NaN;
  else
    s0 = net.eta;
  endif
  [v.step(1), v.steplo(1), v.stephi(1)] = deal (s0);
endfunction
