## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{warned} =} __adagrad_blas_check__ ()
## @deftypefnx {} {@var{warned} =} __adagrad_blas_check__ (@var{blas}, @var{cpuinfo})
## Internal: warn when OpenBLAS runs its generic "Prescott" kernels on a CPU
## that has a better core, which OpenBLAS 0.3.21 does on some recent Intel
## CPUs (its matrix products are then 3 to 7 times slower).
##
## The core is the one @file{adagrad_blas.sh core} (beside this file) picks
## from the CPU's flags: SkylakeX with AVX-512, Zen on AMD and Hygon CPUs with
## AVX2, Haswell on others with AVX2.  The warning (identifier
## @code{adagrad:slowblas}, without a backtrace) names it and says how to
## start Octave with it; a running Octave cannot change its core.
##
## Without arguments, checks @code{version ("-blas")} and
## @file{/proc/cpuinfo}, at most once per session (PKG_ADD calls it when the
## package is loaded or its folder added to the path).  With arguments,
## checks the given strings and warns whenever they call for it.  Returns
## true when it warned.
## @end deftypefn

function warned = __adagrad_blas_check__ (blas, cpuinfo)
  persistent done = false;
  warned = false;
  if (nargin == 0)
    if (done)
      return;
    endif
    done = true;
    mlock ();
    blas = version ("-blas");
    cpuinfo = "";
    if (exist ("/proc/cpuinfo", "file"))
      cpuinfo = fileread ("/proc/cpuinfo");
    endif
  elseif (nargin != 2 || ! ischar (blas) || ! ischar (cpuinfo))
    __adagrad_usage__ ("__adagrad_blas_check__");
  endif
  if (isempty (regexp (blas, '\<Prescott\>', "once")))
    return;
  endif
  core = core_for (cpuinfo);
  if (isempty (core))
    return;
  endif
  script = fullfile (fileparts (mfilename ("fullpath")), "adagrad_blas.sh");
  bt = warning ("query", "backtrace");
  warning ("off", "backtrace");
  unwind_protect
    warning ("adagrad:slowblas",
             ["adagrad: OpenBLAS is running its generic 'Prescott' kernels on this CPU, whose ", ...
              "matrix products are 3 to 7x faster with its %s kernels. A running Octave cannot ", ...
              "change them: quit and start Octave as  OPENBLAS_CORETYPE=%s octave  (or  sh %s run ", ...
              "octave , which picks the core); version (\"-blas\") shows the core in use."],
             core, core, script);
  unwind_protect_cleanup
    warning (bt.state, "backtrace");
  end_unwind_protect
  warned = true;
endfunction

## The core adagrad_blas.sh picks for the CPU CPUINFO describes ("" if none).
function core = core_for (cpuinfo)
  core = "";
  script = fullfile (fileparts (mfilename ("fullpath")), "adagrad_blas.sh");
  f = [tempname() ".cpuinfo"];
  fid = fopen (f, "w");
  if (fid < 0)
    return;
  endif
  unwind_protect
    fputs (fid, cpuinfo);
    fclose (fid);
    [st, out] = system (sprintf ("sh '%s' core '%s'", strrep (script, "'", "'\\''"),
                                 strrep (f, "'", "'\\''")));
    if (st == 0 && any (strcmp (strtrim (out), {"SkylakeX", "Zen", "Haswell"})))
      core = strtrim (out);
    endif
  unwind_protect_cleanup
    unlink (f);
  end_unwind_protect
endfunction

%!demo
%! ## What a misdetected machine would see:
%! __adagrad_blas_check__ ("OpenBLAS (config: OpenBLAS 0.3.21 DYNAMIC_ARCH Prescott MAX_THREADS=64)",
%!                         "vendor_id : GenuineIntel\nflags : fpu sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl");

%!test
%! warning ("on", "adagrad:slowblas", "local");
%! slow = "OpenBLAS (config: OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Prescott MAX_THREADS=64)";
%! fast = "OpenBLAS (config: OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64)";
%! intel = "vendor_id\t: GenuineIntel\nflags\t\t: fpu sse sse2 avx avx2 fma";
%! x512 = "vendor_id\t: GenuineIntel\nflags\t\t: fpu avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl";
%! amd = "vendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx avx2 fma";
%! cores = {intel, "Haswell"; x512, "SkylakeX"; amd, "Zen"};
%! for k = 1:rows (cores)
%!   lastwarn ("");
%!   out = evalc ('assert (__adagrad_blas_check__ (slow, cores{k, 1}))');
%!   [msg, id] = lastwarn ();
%!   assert (id, "adagrad:slowblas");
%!   assert (! isempty (strfind (msg, sprintf ("OPENBLAS_CORETYPE=%s octave", cores{k, 2}))));
%!   assert (! isempty (strfind (msg, "adagrad_blas.sh run octave")));
%!   ## No backtrace (Octave prints one as "error: called from" lines).
%!   assert (isempty (strfind (out, "called from")));
%! endfor
%! ## A genuinely old CPU, or a correct core, gives no warning.
%! assert (! __adagrad_blas_check__ (slow, "flags\t: fpu sse sse2 sse3"));
%! assert (! __adagrad_blas_check__ (slow, "flags\t: fpu avx2"));
%! assert (! __adagrad_blas_check__ (fast, x512));
%! assert (! __adagrad_blas_check__ ("Netlib BLAS", intel));

%!test
%! ## The warning leaves the backtrace setting as it was.
%! warning ("off", "adagrad:slowblas", "local");
%! bt = warning ("query", "backtrace");
%! __adagrad_blas_check__ ("OpenBLAS Prescott", "flags\t: avx2 fma");
%! assert (warning ("query", "backtrace").state, bt.state);

%!test
%! ## Without arguments it runs once per session: PKG_ADD has already called it.
%! __adagrad_blas_check__ ();
%! assert (! __adagrad_blas_check__ ());

%!error <Invalid call> __adagrad_blas_check__ ("a")
%!error <Invalid call> __adagrad_blas_check__ (1, 2)
