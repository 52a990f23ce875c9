## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{warned} =} __adagrad_blas_check__ ()
## @deftypefnx {} {@var{warned} =} __adagrad_blas_check__ (@var{blas}, @var{cpuinfo})
## Internal: warn when OpenBLAS runs its generic "Prescott" kernels on a CPU
## that has AVX2, which OpenBLAS 0.3.21 does on some recent Intel CPUs (its
## matrix products are then about 5 times slower).
##
## Without arguments, checks @code{version ("-blas")} and
## @file{/proc/cpuinfo}, at most once per session (PKG_ADD calls it when the
## package is loaded).  With arguments, checks the given strings and warns
## whenever they match.  The warning has identifier @code{adagrad:slowblas}.
## Returns true when it warned.
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
  if (! isempty (regexp (blas, '\<Prescott\>', "once"))
      && ! isempty (regexp (cpuinfo, '\<avx2\>', "once")))
    warning ("adagrad:slowblas",
             ["adagrad: OpenBLAS is running its generic 'Prescott' kernels on a CPU with AVX2, ", ...
              "so matrix products are about 5x slower than they can be. Quit Octave and start ", ...
              "it with OPENBLAS_CORETYPE=Haswell (or SkylakeX on CPUs with AVX-512) in the ", ...
              "environment, e.g.  OPENBLAS_CORETYPE=Haswell octave ; version (\"-blas\") shows the core in use."]);
    warned = true;
  endif
endfunction

%!demo
%! ## What a misdetected machine would see:
%! __adagrad_blas_check__ ("OpenBLAS (config: OpenBLAS 0.3.21 DYNAMIC_ARCH Prescott MAX_THREADS=64)",
%!                         "flags : fpu sse2 avx avx2 avx512f");

%!test
%! warning ("on", "adagrad:slowblas", "local");
%! slow = "OpenBLAS (config: OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Prescott MAX_THREADS=64)";
%! fast = "OpenBLAS (config: OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64)";
%! lastwarn ("");
%! evalc ('assert (__adagrad_blas_check__ (slow, "flags\t: fpu sse sse2 avx avx2 fma"))');
%! [msg, id] = lastwarn ();
%! assert (id, "adagrad:slowblas");
%! assert (! isempty (strfind (msg, "OPENBLAS_CORETYPE=Haswell")));
%! ## A genuinely old CPU, or a correct core, gives no warning.
%! assert (! __adagrad_blas_check__ (slow, "flags\t: fpu sse sse2 sse3"));
%! assert (! __adagrad_blas_check__ (fast, "flags\t: fpu avx2"));
%! assert (! __adagrad_blas_check__ ("Netlib BLAS", "flags\t: avx2"));

%!test
%! ## Without arguments it runs once per session: PKG_ADD has already called it.
%! __adagrad_blas_check__ ();
%! assert (! __adagrad_blas_check__ ());

%!error <Invalid call> __adagrad_blas_check__ ("a")
%!error <Invalid call> __adagrad_blas_check__ (1, 2)
