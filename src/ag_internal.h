/* ag_internal.h: helpers shared by the core's source files (not part of the interface). */
#ifndef AG_INTERNAL_H
#define AG_INTERNAL_H

#include <signal.h>
#include <stddef.h>

#ifdef _OPENMP
#include <omp.h>
#endif

/* Whether a cancel flag (may be NULL) is raised: positive (Octave's interrupt
   state is negative while an interrupt is being handled). */
static inline int
ag_cancelled (const volatile sig_atomic_t *cancel)
{
  return cancel && *cancel > 0;
}

/* Passes over the entries of W (a step, ||G||) go in pieces of at most this
   many entries (2^24: 0.02 to 0.2 s on one core, Adam's pass being the
   longest), with a look at the cancel flag before each, so that a run stops
   within that bound at any width. Each entry is computed the same way in
   whatever piece it falls, so the pieces change no result (tests/check.sh
   runs the C tests also built with pieces of 64 entries). */
#ifndef AG_CHECK_ENTRIES
#define AG_CHECK_ENTRIES ((size_t) 1 << 24)
#endif

/* The end of the piece of a pass over COUNT entries that starts at I0, or I0
   itself when *cancel is raised. */
static inline size_t
ag_piece_end (size_t i0, size_t count, const volatile sig_atomic_t *cancel)
{
  if (ag_cancelled (cancel))
    return i0;
  return count - i0 <= AG_CHECK_ENTRIES ? count : i0 + AG_CHECK_ENTRIES;
}

/* for each piece [I0, I1) of a pass over COUNT entries, until CANCEL is raised. */
#define AG_PIECES(i0, i1, count, cancel) \
  for (size_t i0 = 0, i1; i0 < (count) && (i1 = ag_piece_end (i0, (count), (cancel))) > i0; \
       i0 = i1)

/* The OpenMP thread number of the caller (0 outside a parallel region or
   without OpenMP). */
static inline int
ag_this_thread (void)
{
#ifdef _OPENMP
  return omp_get_thread_num ();
#else
  return 0;
#endif
}

#endif /* AG_INTERNAL_H */
