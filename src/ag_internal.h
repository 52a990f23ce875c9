/* ag_internal.h: helpers shared by the core's source files (not part of the interface). */
#ifndef AG_INTERNAL_H
#define AG_INTERNAL_H

#include "ag.h"

#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

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

#ifdef OPENBLAS_USE64BITINT
#define AG_BLAS_INT_MAX ((size_t) INT64_MAX)
#else
#define AG_BLAS_INT_MAX ((size_t) INT_MAX)
#endif

/* ---- Execution (ag_exec.c) ---- */

/* Workspace layout, in 8-byte units, for K outputs: acc (n*K, double), e
   (n*K, double), eR (n*K, either precision), then per thread: tmp (n*K,
   double) and Z (n*B, either precision); then P (m * words_per_unit, bits).
   acc, e and eR are n-by-K, column-major. */
typedef struct workspace {
  double *acc, *e, *tmp;
  void *eR, *Z;
  uint64_t *P;
  size_t n, K, B, nw, stride;  /* stride: 8-byte units per thread's (tmp, Z) */
  int threads;
} workspace;

/* The parts of ag_train's workspace, in 8-byte units from its start. */
typedef struct train_layout {
  size_t spare, state, bins, diag, rec, drec, gather, perm, gfull, kcols, colsum,
         formed, zsa, event, total;
  size_t dlen;   /* entries of each diagnostics record */
} train_layout;

/* Rows of the pieces in which a mini-batch run evaluates the loss over all
   rows: a multiple of 64 (the words of the activation pattern), or all rows. */
#define AG_EVAL_ROWS ((size_t) 512)

/* The work between two looks at the cancel flag: a block's products are cut
   into pieces of at most this many flops (2^29; about 0.05 to 0.15 s on one
   core at 4 to 10 GFLOPS), whatever the shape. Pieces depend on n, d and m
   only, never on the thread count; below this size a block is one product,
   as before. */
#define AG_CHECK_FLOPS 536870912.0

size_t agi_block_size (size_t n, size_t d, size_t m);
ag_status agi_check_sizes (size_t n, size_t d, size_t m);
int agi_thread_count (const ag_exec *exec);
/* The forward space of sizes (n, d, m) for T threads, in 8-byte units; 0 when too large. */
size_t agi_forward_units (size_t n, size_t d, size_t m, size_t K, int threads);
/* The outputs of sizes SZ (its 0 means 1). */
static inline size_t
agi_outputs (const ag_sizes *sz)
{
  return sz->outputs ? sz->outputs : 1;
}
size_t agi_eval_rows (size_t n);
size_t agi_space_rows (const ag_sizes *sz);
/* Entries of the kernel form's buffer A (ag_kernel): [Z ; C ; mu]; 0 when too large. */
size_t agi_kernel_len (size_t n, size_t m);
int agi_train_layout_of (const ag_sizes *sz, int threads, train_layout *L);

/* The event form's state in A (ag_kernel.event), offsets in entries of the
   run's precision: the pattern D first (m * nw 64-bit words, unit r's
   column at word r * nw, as the diagnostics' pattern), then Z0, V, C (n-by-m,
   column-major), tau (n-by-m, row-major: row i's thresholds together), H
   (n-by-n), u, c, B (n each), the minima of tau over blocks of 64 units
   (n-by-nb, row-major) and over each row (n). len: 0 when too large. */
typedef struct ev_layout {
  size_t nw, nb;
  size_t D, Z0, V, C, tau, H, u, c, B, bmin, rmin, len;
} ev_layout;
ev_layout agi_event_layout (size_t n, size_t m, int single);
/* The 8 bits of a byte as 0/1 doubles, low bit first. */
extern const double agi_event_bytes[256][8];
/* Candidate entries a chunk of the event form's step holds at most. */
size_t agi_event_cap (size_t n, size_t m);
void agi_split_workspace (void *work, size_t n, size_t d, size_t m, size_t K, int threads,
                          workspace *ws);
int agi_blas_threads_enter (void);
void agi_blas_threads_leave (int old);
int agi_skip_block (int *stopped, const volatile sig_atomic_t *cancel);
size_t agi_chunk_len (size_t len, double per);
double agi_seconds_since (const struct timespec *t0);

static inline size_t
words_per_unit (size_t n)
{
  return (n + 63) / 64;
}

/* 8-byte units that count entries of the run's precision take, rounded up
   to whole 64-byte lines. */
static inline size_t
units (size_t count, int single)
{
  size_t u = single ? (count + 1) / 2 : count;
  return (u + 7) / 8 * 8;
}

/* WORK from its first 64-byte boundary (the *_bytes functions that need it
   leave 8 units of room for this). */
static inline double *
align64 (void *work)
{
  return (double *) (void *) (((uintptr_t) work + 63) & ~(uintptr_t) 63);
}

/* The scratch of thread t: its tmp (n doubles) and its Z block. */
static inline double *
thread_tmp (const workspace *ws, int t)
{
  return ws->tmp + (size_t) t * ws->stride;
}

static inline void *
thread_Z (const workspace *ws, int t)
{
  return (double *) ws->Z + (size_t) t * ws->stride;
}

static inline const volatile sig_atomic_t *
exec_cancel (const ag_exec *exec)
{
  return exec ? exec->cancel : NULL;
}

/* ---- The schedule (ag_schedule.c) ---- */

#define AG_GOLDEN 0x9E3779B97F4A7C15ULL

static inline uint64_t
mix64 (uint64_t z)
{
  z += AG_GOLDEN;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/* The rows of AG_GIVEN's batches: every row starts with an index in 1..n and
   holds only such indices, then zeros to its end. */
int agi_given_ok (const uint32_t *given, size_t K, size_t B, size_t n);

#endif /* AG_INTERNAL_H */
