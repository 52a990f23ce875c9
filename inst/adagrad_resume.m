## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{net}, @var{hist}] =} adagrad_resume (@var{file}, @var{X}, @var{y})
## @deftypefnx {} {[@var{net}, @var{hist}] =} adagrad_resume (@var{file}, @var{X}, @var{y}, @var{name}, @var{value}, @dots{})
## Continue a run of @code{adagrad_train} from its checkpoint @var{file}
## (option @qcode{"checkpoint"}), after a crash, a kill or Ctrl-C, on the same
## data @var{X}, @var{y}.
##
## The run goes on with the saved network, optimizer state and settings up to
## the iteration the original call aimed at, and keeps writing checkpoints to
## @var{file} (where the checkpoint is now, even when it was moved since);
## temporaries left by a killed run of it are removed.  The result is the one the uninterrupted run would have
## given (bitwise: the computation is deterministic; a mini-batch run goes on
## from its place in the schedule, mid-epoch too), and @var{hist} covers
## the whole run from its start.  A run that had already ended (converged,
## diverged, or its last iteration reached) is returned as saved.
##
## Options: @qcode{"display"}, @qcode{"threads"} and @qcode{"outputfcn"} /
## @qcode{"outputevery"} for the rest of the run (the output function is not
## saved in the checkpoint), and @qcode{"maxiter"} to change the total number
## of iterations the run aims at, counted from its start.
##
## A run with a rule written in Octave needs its function again:
## @code{adagrad_resume (@var{file}, @var{X}, @var{y}, "optimizer", @@heavy_ball)}.
## The checkpoint keeps only the rule's name (and the SHA-256 of its source
## file): the handle given must have the same name (a warning says when the
## source changed since), and without it the call is an error.  A checkpoint
## is data, never code: nothing read from it is called or evaluated, and a
## file that holds a function handle or an object (which Octave's
## @code{load} would run) is refused before it is loaded.  Its digest
## detects damage, not tampering (anyone can recompute it).
##
## Errors with identifier @code{adagrad:badcheckpoint} when the file is not a
## checkpoint, is one of another schema (such as adagrad 0.1's), is damaged,
## holds anything but data, or the data differ from those of the run.
## @seealso{adagrad_train}
## @end deftypefn

function [net, hist] = adagrad_resume (file, X, y, varargin)
  fname = "adagrad_resume";
  __adagrad_built__ (fname);
  if (nargin < 3)
    __adagrad_usage__ (fname);
  endif
  if (! ischar (file) || ! isrow (file))
    error ("adagrad:badinput", "%s: FILE must be a file name", fname);
  endif
  o = __adagrad_options__ (fname, struct ("display", [], "threads", [], "outputfcn", [],
                                          "outputevery", 1, "maxiter", [], "optimizer", []),
                           varargin{:});
  X = __adagrad_check__ (fname, "X", X, "matrix", [NaN NaN]);
  y = __adagrad_check__ (fname, "Y", y, "targets", size (X));
  ## As adagrad_train does (its checkpoint fingerprints y in the class of X).
  y = cast (y, class (X));
  __adagrad_checkpoint__ ("clean", file);
  c = __adagrad_checkpoint__ ("read", fname, file, X, y);
  s = c.options;
  target = s.target;
  if (! isempty (o.maxiter))
    target = __adagrad_check__ (fname, "MAXITER", o.maxiter, "count");
  endif
  [net, hist] = __adagrad_checkpoint__ ("resume", fname, c, o.optimizer);
  if (any (strcmp (hist.stop, {"converged", "diverged", "stopped"})) || net.iter >= target)
    return;
  endif
  args = {"maxiter", target - net.iter, "tol", s.tol, "diagnostics", s.diagnostics, ...
          "gramevery", s.gramevery, "history", hist, "checkpoint", file, ...
          "checkpointevery", s.checkpointevery, "checkpointseconds", s.checkpointseconds, ...
          "display", s.display, "threads", s.threads};
  for f = {"display", "threads"}
    if (! isempty (o.(f{1})))
      args{end+1} = f{1};
      args{end+1} = o.(f{1});
    endif
  endfor
  if (! isempty (o.outputfcn))
    args(end+1:end+4) = {"outputfcn", o.outputfcn, "outputevery", o.outputevery};
  endif
  classes = isfield (s, "classes") && isequal (s.classes, true);
  if (classes)
    args = [args, {"classes", true}];
  endif
  if (isfield (s, "batch"))
    args = [args, batch_args(s.batch, classes)];
  endif
  if (isfield (s, "historyevery"))
    args = [args, {"historyevery", s.historyevery}];
  endif
  if (isfield (s, "form"))
    ## The form the run took (its state is in net.kernel): the same steps.
    args = [args, {"form", s.form, "reform", s.reform}];
  endif
  if (isfield (s, "loss"))
    args = [args, {"loss", s.loss}];
  endif
  [net, hist] = adagrad_train (net, X, y, args{:});
endfunction

## The mini-batch settings of a run, as options of adagrad_train (a
## checkpoint of version 0.2 has none: full batch).
function args = batch_args (b, classes)
  switch (b.sampling)
    case "given"
      args = {"batches", double (b.T')};
    case "full"
      args = {};
    otherwise
      args = {"batchsize", b.batchsize, "sampling", b.sampling};
  endswitch
  args = [args, {"evalevery", b.evalevery, "gtol", b.gtol, "recordbatches", b.record}];
  if (! isempty (b.Xv))
    yv = b.yv;
    if (classes && isnumeric (yv) && columns (yv) > 1)
      ## The run kept the one-hot matrix of the labels it was given.
      [~, yv] = max (yv, [], 2);
    endif
    args = [args, {"validation", {b.Xv, yv}}];
  endif
endfunction

%!shared X, y, file
%! [X, y] = adagrad_data (40, 6, "seed", 1);
%! file = [tempname() ".ckpt"];

## The checkpoint FROM of a run its output function stopped, saved to TO
## with its digest as a run cut short there (the state a kill leaves).
%!function checkpoint = as_cut (from, to)
%!  checkpoint = load (from).checkpoint;
%!  checkpoint.hist.stop = "";
%!  digest = __adagrad_fingerprint__ (checkpoint);
%!  save ("-binary", to, "checkpoint", "digest");
%!endfunction

%!test
%! ## A checkpoint of a run cut short resumes to the uninterrupted result.
%! unwind_protect
%!   args = {"width", 200, "b0", 0.3, "maxiter", 60, "tol", 0, "seed", 4, "diagnostics", 10};
%!   [nref, href] = adagrad_train (X, y, args{:});
%!   ## Stop after 25 iterations with an output function; the checkpoint holds
%!   ## that state and the aim of 60 iterations.
%!   adagrad_train (X, y, args{:}, "checkpoint", file, "checkpointevery", 10,
%!                  "outputfcn", @(n, i) i.iter >= 25, "outputevery", 1);
%!   ## Moved to another name: resumed from there, and written there.
%!   c = as_cut (file, [file ".moved"]);
%!   assert ([c.net.iter c.options.target], [25 60]);
%!   unlink (file);
%!   file = [file ".moved"];
%!   [net, hist] = adagrad_resume (file, X, y);
%!   assert (load (file).checkpoint.net.iter, 60);
%!   assert (isequal (net.W, nref.W) && isequal (net.state, nref.state) && net.iter == 60);
%!   assert (isequal (hist.loss, href.loss) && isequal (hist.b, href.b));
%!   assert (isequal (hist.gnorm, href.gnorm) && isequal (hist.iter, href.iter));
%!   assert (isequal (hist.diag.flips, href.diag.flips));
%!   ## The run is complete: resuming again returns it as it is.
%!   [n2, h2] = adagrad_resume (file, X, y);
%!   assert (isequal (n2.W, net.W) && isequal (h2.loss, hist.loss));
%!   ## A longer aim continues it.
%!   [n3, h3] = adagrad_resume (file, X, y, "maxiter", 70);
%!   assert (n3.iter, 70);
%!   assert (h3.loss(1:61), hist.loss);
%! unwind_protect_cleanup
%!   unlink (file);
%! end_unwind_protect

%!test
%! ## A mini-batch run (batches of 7 of 40 rows, a validation set) cut mid-epoch
%! ## at iteration 17 and resumed: bitwise the run without the cut.
%! f = [tempname() ".ckpt"];
%! unwind_protect
%!   args = {"width", 150, "optimizer", "adagrad-norm", "maxiter", 45, "tol", 0, "seed", 6, ...
%!           "batchsize", 7, "validation", {X(1:9, :), y(1:9)}, "recordbatches", true};
%!   [nref, href] = adagrad_train (X, y, args{:});
%!   adagrad_train (X, y, args{:}, "checkpoint", f, "checkpointevery", 5,
%!                  "outputfcn", @(n, i) i.iter >= 17, "outputevery", 1);
%!   c = as_cut (f, f);
%!   assert ([c.net.iter c.net.seen], [17 2 * 40 + 5 * 7]);
%!   [net, hist] = adagrad_resume (f, X, y);
%!   assert (isequal (net.W, nref.W) && isequal (net.state, nref.state));
%!   assert ([net.iter net.seen], [nref.iter nref.seen]);
%!   for g = {"batchloss", "epoch", "b", "gnorm", "iter"}
%!     assert (isequaln (hist.(g{1}), href.(g{1})), g{1});
%!   endfor
%!   assert (isequal (hist.batches, href.batches));
%!   known = isfinite (href.loss);
%!   assert (isequal (hist.loss(known), href.loss(known)));
%!   assert (isequal (hist.vloss(isfinite (href.vloss)), href.vloss(isfinite (href.vloss))));
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect

%!test
%! ## K = 3 outputs: a softmax run and a one-hot run ("classes") on mini-batches
%! ## with validation labels, cut at iteration 13 and resumed from the labels:
%! ## bitwise the run without the cut, accuracy included.
%! f = [tempname() ".ckpt"];
%! c3 = 1 + mod ((1:40)', 3);
%! unwind_protect
%!   for t = {{"loss", "softmax"}, {"classes", true}}
%!     args = [{"width", 120, "maxiter", 30, "tol", 0, "seed", 7, "batchsize", 8, ...
%!              "validation", {X(1:9, :), c3(1:9)}}, t{1}];
%!     [nref, href] = adagrad_train (X, c3, args{:});
%!     adagrad_train (X, c3, args{:}, "checkpoint", f, "checkpointevery", 5,
%!                    "outputfcn", @(n, i) i.iter >= 13, "outputevery", 1);
%!     c = as_cut (f, f);
%!     assert (c.net.iter, 13);
%!     [net, hist] = adagrad_resume (f, X, c3);
%!     assert (size (net.a), [120 3]);
%!     assert (isequal (net.W, nref.W) && isequal (net.state, nref.state));
%!     for g = {"batchloss", "b"}
%!       assert (isequaln (hist.(g{1}), href.(g{1})), g{1});
%!     endfor
%!     ## The evaluation points of the run without the cut (the cut adds one).
%!     for g = {"loss", "accuracy", "vaccuracy", "vloss"}
%!       known = isfinite (href.(g{1}));
%!       assert (any (known) && isequal (hist.(g{1})(known), href.(g{1})(known)), g{1});
%!     endfor
%!     unlink (f);
%!   endfor
%! unwind_protect_cleanup
%!   if (exist (f, "file"))
%!     unlink (f);
%!   endif
%! end_unwind_protect

%!test
%! ## Adam, cut short by an output function and resumed: bitwise the whole run.
%! f = [tempname() ".ckpt"];
%! unwind_protect
%!   args = {"width", 100, "optimizer", "adam", "eta", 0.01, "maxiter", 40, "tol", 0, "seed", 4};
%!   [nref, href] = adagrad_train (X, y, args{:});
%!   adagrad_train (X, y, args{:}, "checkpoint", f, "checkpointevery", 10,
%!                  "outputfcn", @(n, i) i.iter >= 25, "outputevery", 1);
%!   as_cut (f, f);
%!   [net, hist] = adagrad_resume (f, X, y);
%!   assert (isequal (net.W, nref.W) && isequal (net.state, nref.state));
%!   assert (isequal (hist.loss, href.loss) && isequaln (hist.step, href.step));
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect

%!test
%! ## A rule written in Octave: its state is in the checkpoint, its function is
%! ## given again (the checkpoint keeps its name only).
%! f = [tempname() ".ckpt"];
%! unwind_protect
%!   ## Its own parameter beta (PARAMS) is kept in the checkpoint too.
%!   hb = @(W, G, s, info) deal (W - info.eta * (info.params.beta * s + G), ...
%!                               info.params.beta * s + G);
%!   net0 = adagrad_init (6, 50, "seed", 3, "optimizer", hb, "eta", 0.05);
%!   net0.state = zeros (50, 6);
%!   P = {"params", struct("beta", 0.8)};
%!   [nref, href] = adagrad_train (net0, X, y, "maxiter", 30, "tol", 0, P{:});
%!   adagrad_train (net0, X, y, "maxiter", 30, "tol", 0, "checkpoint", f, "checkpointevery", 10,
%!                  "outputfcn", @(n, i) i.iter >= 15, "outputevery", 1, P{:});
%!   c = as_cut (f, f);
%!   assert ([c.net.iter, ischar(c.net.optimizer), size(c.net.state)], [15 1 50 6]);
%!   assert (c.net.params, struct ("beta", 0.8));
%!   assert (c.rule.kind, "octave");
%!   assert (c.rule.name, func2str (hb));
%!   fail ("adagrad_resume (f, X, y)", "a checkpoint keeps only its name, never code: pass it again");
%!   fail ("adagrad_resume (f, X, y, 'optimizer', @(W, G, s, info) deal (W, s))", "but the run's rule was");
%!   [net, hist] = adagrad_resume (f, X, y, "optimizer", hb);
%!   assert (isequal (net.W, nref.W) && isequal (net.state, nref.state) && net.iter == 30);
%!   assert (isequal (hist.loss, href.loss));
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect

%!test
%! ## A doctored checkpoint: the rule replaced by a handle that runs a command,
%! ## the digest recomputed.  Nothing runs: the file is refused unread.
%! f = [tempname() ".ckpt"];
%! marker = [tempname() ".ran"];
%! unwind_protect
%!   adagrad_train (X, y, "width", 20, "maxiter", 30, "tol", 0, "checkpoint", f,
%!                  "outputfcn", @(n, i) i.iter >= 5);
%!   checkpoint = load (f).checkpoint;
%!   checkpoint.hist.stop = "";
%!   checkpoint.net.optimizer = eval (sprintf ("@(W, G, s, info) deal (W - 0.1 * G, system ('touch %s'))", marker));
%!   digest = __adagrad_fingerprint__ (checkpoint);
%!   save ("-binary", f, "checkpoint", "digest");
%!   fail ("adagrad_resume (f, X, y)", "refusing .*function handle");
%!   fail ("adagrad_resume (f, X, y, 'optimizer', @(W, G, s, info) deal (W, s))", "refusing");
%!   assert (! exist (marker, "file"));
%!   ## An output function of a built-in run is never kept either; OPTIMIZER
%!   ## is refused for a built-in rule.
%!   adagrad_train (X, y, "width", 20, "maxiter", 30, "tol", 0, "checkpoint", f,
%!                  "outputfcn", @(n, i) i.iter >= 5);
%!   fail ("adagrad_resume (f, X, y, 'optimizer', @(W, G, s, info) deal (W, s))", "OPTIMIZER is only for a run whose rule is written in Octave");
%! unwind_protect_cleanup
%!   unlink (f);
%!   if (exist (marker, "file"))
%!     unlink (marker);
%!   endif
%! end_unwind_protect

%!test
%! ## Single X with a double y, as adagrad_train takes them: the resume with
%! ## the run's own arguments is accepted.
%! f = [tempname() ".ckpt"];
%! unwind_protect
%!   Xs = single (X);
%!   [nref, href] = adagrad_train (Xs, y, "width", 30, "maxiter", 20, "tol", 0, "seed", 2);
%!   adagrad_train (Xs, y, "width", 30, "maxiter", 20, "tol", 0, "seed", 2, "checkpoint", f,
%!                  "outputfcn", @(n, i) i.iter >= 8);
%!   as_cut (f, f);
%!   [net, hist] = adagrad_resume (f, Xs, y);
%!   assert (isequal (net.W, nref.W) && isequal (hist.loss, href.loss));
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect

%!error <Invalid call to adagrad_resume> adagrad_resume ("f")
%!error <adagrad_resume: FILE must be a file name> adagrad_resume (3, X, y)
%!error id=adagrad:badcheckpoint adagrad_resume ("/nonexistent/adagrad.ckpt", X, y)
%!error <adagrad_resume: unknown option "tol"> adagrad_resume ("x", X, y, "tol", 1)
%!test
%! f = [tempname() ".ckpt"];
%! unwind_protect
%!   nothing = 1;
%!   save ("-binary", f, "nothing");
%!   fail ("adagrad_resume (f, X, y)", "is not an adagrad checkpoint");
%!   adagrad_train (X, y, "width", 20, "maxiter", 3, "checkpoint", f);
%!   fail ("adagrad_resume (f, X, 2 * y)", "X and Y differ from the data");
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect
