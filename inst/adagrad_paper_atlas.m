## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{out} =} adagrad_paper_atlas ()
## @deftypefnx {} {@var{out} =} adagrad_paper_atlas (@var{size})
## @deftypefnx {} {@var{out} =} adagrad_paper_atlas (@var{size}, @var{name}, @var{value}, @dots{})
## The tuning-free atlas (@code{adagrad_atlas}) on the paper's synthetic set
## and on a Fashion-MNIST subset: every rule of the table over its initial
## knob, normalized by tuned gradient descent, with the heatmaps, the
## robustness profiles and the effective-step paths written to
## @qcode{"dir"} (PNG) and a table printed.
##
## @var{size} @qcode{"full"}: (s) n = 100, d = 20 (@code{adagrad_data},
## seed 1), widths 1000 and 16000, 5 seeds, all 16 rules, knob scales
## @code{10.^(-4:5)}, 1500 steps (tuned GD takes about 100: a rule 10x
## slower still counts), target @code{1e-4 * L(W0)}; (f) when the
## @code{dataset-fashion-mnist} package is installed, a stratified subset of
## 2000 training and 2000 test images, all ten classes (one-hot targets,
## squared loss), width 1000, batches of 128, 10 epochs, the test accuracy
## at the end compared through the error rate.  @qcode{"quick"} (default):
## (s) width 1000, 2 seeds, 1000 steps, target @code{1e-3 * L(W0)}; (f) 1000
## and 1000 images, 2 epochs, scales @code{10.^(-4:2:4)}.
## Options: @qcode{"dir"} (where the figures and @file{atlas.mat} go; empty:
## none), @qcode{"parts"} (@qcode{"sf"}, or @qcode{"s"} or @qcode{"f"} alone),
## @qcode{"verbose"} (true) and the engine options of @code{adagrad_atlas}
## (@qcode{"engine"}, @qcode{"parallel"}, @qcode{"nproc"}, @qcode{"sbatch"},
## @qcode{"cellspertask"}, @qcode{"octave"}, @qcode{"poll"}); the
## sweeps live in @file{DIR/sweep-s} and @file{DIR/sweep-f}, so that a run
## that was stopped goes on where it stopped.
## @var{out} has fields @code{synthetic} and @code{fashion} (the atlases, or
## empty), @code{files} and @code{time}.
## @seealso{adagrad_atlas, adagrad_plot_atlas, adagrad_paper, adagrad_paper_real}
## @end deftypefn

function out = adagrad_paper_atlas (size_name = "quick", varargin)
  fname = "adagrad_paper_atlas";
  size_name = __adagrad_check__ (fname, "SIZE", size_name, "choice", {"quick", "full"});
  o = __adagrad_options__ (fname, struct ("dir", "", "parts", "sf", "verbose", true,
                                          "engine", "local", "parallel", "auto",
                                          "nproc", nproc (), "sbatch", {{}},
                                          "cellspertask", 1, "octave", [], "poll", 10),
                           varargin{:});
  if (! ischar (o.parts) || isempty (o.parts) || any (! ismember (o.parts, "sf")))
    error ("adagrad:badinput", "%s: PARTS must be \"sf\", \"s\" or \"f\"", fname);
  endif
  verbose = __adagrad_check__ (fname, "VERBOSE", o.verbose, "logical");
  say = @(varargin) verbose && printf (varargin{:});
  if (! isempty (o.dir) && ! isfolder (o.dir))
    mkdir (o.dir);
  endif
  full = strcmp (size_name, "full");
  engine = {"engine", o.engine, "parallel", o.parallel, "nproc", o.nproc, ...
            "cellspertask", o.cellspertask, "poll", o.poll};
  engine(end+1:end+2) = {"sbatch", o.sbatch};
  if (! isempty (o.octave))
    engine(end+1:end+2) = {"octave", o.octave};
  endif
  sweepdir = @(p) merge (isempty (o.dir), "", fullfile (o.dir, ["sweep-" p]));
  out = struct ("synthetic", [], "fashion", [], "files", {{}}, "time", 0);
  t0 = tic ();

  if (any (o.parts == "s"))
    [X, y] = adagrad_data (100, 20, "seed", 1);
    s = struct ("width", merge (full, [1000 16000], 1000), "seed", 1:merge (full, 5, 2),
                "maxiter", merge (full, 1500, 1000), "tol", merge (full, 1e-4, 1e-3));
    say ("adagrad_paper_atlas (%s), (s) synthetic: n = 100, d = 20, widths %s, %d seeds, %d steps, target %g L(W0)\n",
         size_name, mat2str (s.width), numel (s.seed), s.maxiter, s.tol);
    t = tic ();
    A = adagrad_atlas (X, y, "width", s.width, "seed", s.seed, "maxiter", s.maxiter,
                       "tol", s.tol, "dir", sweepdir ("s"), engine{:});
    say ("  %.0f s; ||H_inf|| = %.4g\n", toc (t), A.hinf);
    report (say, A);
    out.synthetic = A;
    out.files = [out.files, figures(o.dir, A, "synthetic")];
  endif

  if (any (o.parts == "f"))
    have = true;
    try
      adagrad_dataset ("fashion-mnist", "n", 10);
    catch
      have = false;
    end_try_catch
    if (! have)
      say ("(f) skipped: the Debian package dataset-fashion-mnist is not installed\n");
    else
      [X, y, Xt, yt] = adagrad_dataset ("fashion-mnist", "class", "double");
      [n, nt, E] = deal (merge (full, 2000, 1000), merge (full, 2000, 1000), merge (full, 10, 2));
      keep = __adagrad_subset__ (y, n, 1);
      [X, y] = deal (X(keep, :), y(keep));
      keep = __adagrad_subset__ (yt, nt, 2);
      [Xt, yt] = deal (Xt(keep, :), yt(keep));
      K = max (y);
      [Y, Yt] = deal (double ((1:K) == y), double ((1:K) == yt));
      B = 128;
      per = ceil (n / B);
      scales = merge (full, 10 .^ (-4:5), 10 .^ (-4:2:4));
      say ("(f) Fashion-MNIST: %d training and %d test images, %d classes, width 1000, batches of %d, %d epochs\n",
           n, nt, K, B, E);
      t = tic ();
      F = adagrad_atlas (X, Y, "width", 1000, "seed", 1, "maxiter", E * per, "scales", scales,
                         "batchsize", B, "value", "vaccuracy", "validation", {Xt, Yt},
                         "pathpoints", 0, "dir", sweepdir ("f"), engine{:});
      say ("  %.0f s; ||H_inf|| = %.4g; tuned GD's test accuracy %.3f\n", toc (t), F.hinf, F.gd(1));
      report (say, F);
      out.fashion = F;
      out.files = [out.files, figures(o.dir, F, "fashion")];
    endif
  endif
  out.time = toc (t0);
  if (! isempty (o.dir))
    atlas = rmfield (out, "files");
    for f = {"synthetic", "fashion"}
      if (! isempty (atlas.(f{1})))
        atlas.(f{1}) = rmfield (atlas.(f{1}), "results");
      endif
    endfor
    save ("-binary", fullfile (o.dir, "atlas.mat"), "atlas");
  endif
  say ("adagrad_paper_atlas: %.0f s in all\n", out.time);
endfunction

## The table: per rule and width, the fraction within the two thresholds
## of tuned GD, and the knob scales where it failed.
function report (say, A)
  for w = 1:numel (A.widths)
    say ("  m = %d: %-14s %8s %8s   %s\n", A.widths(w), "rule",
         sprintf ("<= %gx", A.thresholds(1)), sprintf ("<= %gx", A.thresholds(2)),
         "failed at knob scales (any seed)");
    for r = 1:numel (A.rules)
      bad = any (isinf (A.ratio(r, :, w, :)), 4);
      say ("  %-22s %8.2f %8.2f   %s\n", A.rules{r}, A.robust(r, 1, w), A.robust(r, 2, w),
           merge (any (bad), mat2str (A.scales(bad), 3), "-"));
    endfor
  endfor
endfunction

function files = figures (dir, A, tag)
  files = {};
  if (isempty (dir))
    return;
  endif
  for w = 1:numel (A.widths)
    for what = {"heatmap", "profile"}
      f = fullfile (dir, sprintf ("atlas_%s_%s_m%d.png", tag, what{1}, A.widths(w)));
      hf = figure ("visible", "off", "position", [0 0 900 600]);
      adagrad_plot_atlas (A, what{1}, "width", A.widths(w), "file", f);
      close (hf);
      files{end+1} = f;
    endfor
  endfor
  if (! isempty (A.paths) && ! isempty (A.paths(1).step))
    f = fullfile (dir, sprintf ("atlas_%s_paths.png", tag));
    hf = figure ("visible", "off", "position", [0 0 900 600]);
    adagrad_plot_atlas (A, "paths", "file", f);
    close (hf);
    files{end+1} = f;
  endif
endfunction

%!test
%! ## The quick synthetic part on a reduced grid runs, writes its figures and
%! ## its atlas, and its table is the atlas's.
%! d = tempname ();
%! unwind_protect
%!   out = adagrad_paper_atlas ("quick", "dir", d, "parts", "s", "verbose", false,
%!                              "parallel", "off");
%!   A = out.synthetic;
%!   assert (numel (A.rules), 16);
%!   assert (A.scales, 10 .^ (-4:5));
%!   assert (all (cellfun (@(f) exist (f, "file") == 2, out.files)));
%!   s = load (fullfile (d, "atlas.mat"));
%!   assert (s.atlas.synthetic.ratio, A.ratio);
%!   ## Tuned GD reaches the target and diverges from 10 times its step
%!   ## (beyond 2/||H_inf||); DoWG and Prodigy are within 2x of it over all
%!   ## nine decades.
%!   assert (all (isfinite (A.gd(:))));
%!   gd = strcmp (A.rules, "gd");
%!   assert (all (strcmp (A.stop(gd, A.scales >= 10, :, :), "diverged")(:)));
%!   assert (A.robust(ismember (A.rules, {"dowg", "prodigy"}), 1), [1; 1]);
%! unwind_protect_cleanup
%!   confirm_recursive_rmdir (false, "local");
%!   if (isfolder (d))
%!     rmdir (d, "s");
%!   endif
%! end_unwind_protect

%!error <SIZE must be one of> adagrad_paper_atlas ("huge")
%!error <PARTS must be> adagrad_paper_atlas ("quick", "parts", "x")
