/* ag_core.c: blocks, workspace, threads, the passes and the loop; the typed kernels are in
   ag_template.h, the step rules in ag_rules.c. */
#define _POSIX_C_SOURCE 200809L

#include "ag.h"
#include "ag_internal.h"

#include <cblas.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#ifdef _OPENMP
#include <omp.h>
#endif

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#ifdef OPENBLAS_USE64BITINT
#define AG_BLAS_INT_MAX ((size_t) INT64_MAX)
#else
#define AG_BLAS_INT_MAX ((size_t) INT_MAX)
#endif

/* The n-by-m activation matrix is never formed: hidden units are processed in
   blocks (an n-by-block scratch matrix per thread, at most AG_BLOCK_BYTES), and
   the sign pattern of X*W' is kept as bits (one 64-bit word per 64 samples per
   unit). The blocks are the unit of parallel work: each thread runs
   single-threaded BLAS products and the elementwise passes on its own blocks.
   The block size depends on n and m only, never on the thread count, so that
   results are bitwise the same for any number of threads. */
#define AG_BLOCK_BYTES ((size_t) 1 << 23)
#define AG_BLOCKS_WANTED ((size_t) 16)

const char *
ag_strerror (int status)
{
  switch (status)
    {
    case AG_OK: return "success";
    case AG_ENULL: return "a required array argument is missing (NULL)";
    case AG_ESIZE: return "a dimension is zero or too large";
    case AG_EARG: return "a scalar argument is out of range";
    case AG_ERULE: return "unknown step rule";
    case AG_ENONFINITE: return "an input holds NaN or Inf";
    case AG_ECANCELLED: return "interrupted by the user";
    default: return "unknown status code";
    }
}

const char *
ag_stop_name (int stop)
{
  static const char *const names[] = { "maxiter", "converged", "diverged", "stopped",
                                       "interrupted", "gtol" };
  return stop >= 0 && stop <= AG_STOP_GTOL ? names[stop] : NULL;
}

/* Hidden units per block: about m/AG_BLOCKS_WANTED (work for many threads),
   at most what AG_BLOCK_BYTES holds, and at least 256, or 1024 when d >= 256:
   each block's product packs all of X again, which costs in proportion to d
   (measured at n = d = 1000, m = 4096: blocks of 256 cost 1.26x the unblocked
   products, blocks of 1024 1.05x; at n = 100, d = 10, m = 1000 one block of
   1000 runs 1.7x slower than four of 256 on two threads). */
static size_t
block_size (size_t n, size_t d, size_t m)
{
  size_t cap = AG_BLOCK_BYTES / (sizeof (double) * n);
  size_t B = (m + AG_BLOCKS_WANTED - 1) / AG_BLOCKS_WANTED;
  size_t least = d >= 256 ? 1024 : 256;
  if (B < least)
    B = least;
  if (B > cap)
    B = cap;
  if (B < 16)
    B = 16;
  return B < m ? B : m;
}

static size_t
words_per_unit (size_t n)
{
  return (n + 63) / 64;
}

/* Workspace layout, in 8-byte units: acc (n, double), e (n, double),
   eR (n, either precision), then per thread: tmp (n, double) and Z (n*B,
   either precision); then P (m * words_per_unit, bits). */
typedef struct workspace {
  double *acc, *e, *tmp;
  void *eR, *Z;
  uint64_t *P;
  size_t n, B, nw, stride;  /* stride: 8-byte units per thread's (tmp, Z) */
  int threads;
} workspace;

static ag_status
check_sizes (size_t n, size_t d, size_t m)
{
  if (n == 0 || d == 0 || m == 0)
    return AG_ESIZE;
  if (n > AG_BLAS_INT_MAX || d > AG_BLAS_INT_MAX || m > AG_BLAS_INT_MAX)
    return AG_ESIZE;
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  if (d > lim / n || d > lim / m)
    return AG_ESIZE;
  return AG_OK;
}

static int
thread_count (const ag_exec *exec)
{
  return (exec && exec->threads > 0) ? exec->threads : 1;
}

/* The forward space of sizes (n, d, m) for T threads, in 8-byte units; 0 when too large. */
static size_t
forward_units (size_t n, size_t d, size_t m, int threads)
{
  if (check_sizes (n, d, m) != AG_OK)
    return 0;
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  size_t B = block_size (n, d, m), nw = words_per_unit (n);
  size_t T = (size_t) threads;
  if (B > lim / n || nw > lim / m)
    return 0;
  size_t stride = n + n * B;
  if (T > 4096 || stride > (lim - 3 * n) / T)
    return 0;
  size_t count = 3 * n + T * stride;
  if (m * nw > lim - count)
    return 0;
  return count + m * nw;
}

size_t
ag_forward_bytes (const ag_sizes *sz, const ag_exec *exec)
{
  if (! sz)
    return 0;
  return forward_units (sz->n, sz->d, sz->m, thread_count (exec)) * sizeof (double);
}

/* 8-byte units that count entries of the run's precision take, rounded up
   to whole 64-byte lines. */
static size_t
units (size_t count, int single)
{
  size_t u = single ? (count + 1) / 2 : count;
  return (u + 7) / 8 * 8;
}

size_t
ag_step_bytes (const ag_sizes *sz, const ag_exec *exec)
{
  if (! sz || ! sz->rule)
    return 0;
  if (! sz->rule->per_coordinate)
    return sizeof (double);
  return (size_t) thread_count (exec) * AG_STEP_BINS * sizeof (uint64_t);
}

size_t
ag_gradnorm_bytes (const ag_sizes *sz, const ag_exec *exec)
{
  if (! sz)
    return 0;
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  size_t f = forward_units (sz->n, sz->d, sz->m, thread_count (exec));
  if (f == 0)
    return 0;
  size_t w = units (sz->m * sz->d, sz->single);
  if (w > lim - f - 16)
    return 0;
  return (f + w + 16) * sizeof (double);   /* alignment of the start and of G */
}

/* Rows of the pieces in which a mini-batch run evaluates the loss over all
   rows: a multiple of 64 (the words of the activation pattern), or all rows. */
#define AG_EVAL_ROWS ((size_t) 512)

static size_t
eval_rows (size_t n)
{
  return n <= AG_EVAL_ROWS ? n : AG_EVAL_ROWS;
}

/* The rows the forward space of ag_train is split for: all of them in full
   batch, else the larger of a batch and a piece of the evaluation. */
static size_t
space_rows (const ag_sizes *sz)
{
  if (sz->sampling == AG_FULL)
    return sz->n;
  size_t e = eval_rows (sz->n);
  return sz->batch > e ? sz->batch : e;
}

/* The parts of ag_train's workspace, in 8-byte units from its start. */
typedef struct train_layout {
  size_t spare, state, bins, diag, rec, drec, gather, perm, gfull, kmat, kcols, colsum,
         formed, total;
  size_t dlen;   /* entries of each diagnostics record */
} train_layout;

/* Entries of the kernel form's buffer A (ag_kernel): [Z ; C ; mu]; 0 when too large. */
static size_t
kernel_len (size_t n, size_t m)
{
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  return m > (lim - 8) / 2 / n ? 0 : 2 * n * m + 1;
}

static int
train_layout_of (const ag_sizes *sz, int threads, train_layout *L)
{
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  size_t n = sz->n, d = sz->d, m = sz->m;
  const int mini = sz->sampling != AG_FULL;
  if (sz->sampling < AG_FULL || sz->sampling > AG_GIVEN
      || (mini && (sz->batch == 0 || n > UINT32_MAX || sz->batch > lim / 8)))
    return 0;
  size_t f = forward_units (space_rows (sz), d, m, threads);
  if (! f || ! sz->rule || sz->iters < 0 || sz->diag_every < 0
      || (size_t) sz->iters > lim / 16 - 2 || check_sizes (n, d, m) != AG_OK)
    return 0;
  size_t w = units (m * d, sz->single), nw = words_per_unit (n);
  size_t K = (size_t) sz->iters, B = mini ? sz->batch : 0;
  if (mini && d > lim / 8 / B)
    return 0;
  /* The kernel form alternates buffers of kernel_len entries instead of W. */
  size_t kl = sz->kernel ? kernel_len (n, m) : 0;
  if (sz->kernel && (! kl || n > lim / 8 / n || (mini && B > lim / 8 / n)))
    return 0;
  size_t wbuf = sz->kernel ? units (kl, sz->single) : w;
  L->dlen = sz->diag_every > 0 ? K / (size_t) sz->diag_every + 2 : 0;
  enum { NPARTS = 13 };
  size_t parts[NPARTS] = {
    wbuf,                                                 /* spare W */
    (size_t) sz->rule->narrays * wbuf,                    /* the other state */
    sz->rule->per_coordinate ? (size_t) threads * AG_STEP_BINS : 0,
    sz->diag_every > 0 ? m * nw + m : 0,                  /* pattern at W0, row sums */
    5 * (K + 1) + 5 * K,                                  /* the records */
    4 * L->dlen,                                          /* the diagnostics records */
    mini ? units (B * d, sz->single) + units (B, sz->single) + (B + 1) / 2 : 0,
    sz->sampling == AG_SHUFFLE ? (n + 1) / 2 : 0,         /* the epoch's permutation */
    mini && sz->gtol ? w : 0,                             /* the full-batch gradient */
    sz->kernel ? units (n * n, sz->single) : 0,           /* K = X*X' */
    sz->kernel && mini ? units (n * B, sz->single) : 0,   /* K's columns of a batch */
    sz->kernel ? m : 0,                                   /* per-unit sums of ||G||^2 */
    sz->kernel ? w : 0                                    /* a formed W */
  };
  /* Each part starts on a 64-byte boundary (of the workspace), so that the
     alternate W and state buffers are aligned like arrays of their own. */
  size_t at = f, *start[NPARTS] = { &L->spare, &L->state, &L->bins, &L->diag, &L->rec,
                                    &L->drec, &L->gather, &L->perm, &L->gfull, &L->kmat,
                                    &L->kcols, &L->colsum, &L->formed };
  for (int i = 0; i < NPARTS; i++)
    {
      at = (at + 7) / 8 * 8;
      if (parts[i] > lim - at - 8)
        return 0;
      *start[i] = at;
      at += parts[i];
    }
  L->total = at + 8;   /* room to start the workspace on a 64-byte boundary */
  return 1;
}

ag_sizes
ag_train_sizes (size_t n, size_t d, size_t m, int single, const ag_train_opts *opt)
{
  const ag_batching *b = &opt->batch;
  return (ag_sizes) { .n = n, .d = d, .m = m, .single = single, .rule = opt->optim.rule,
                      .iters = opt->maxiter, .diag_every = opt->diag_every,
                      .sampling = b->sampling, .batch = b->size,
                      .gtol = b->sampling != AG_FULL && opt->gtol > 0.0,
                      .kernel = opt->kernel != NULL };
}

size_t
ag_train_bytes (const ag_sizes *sz, const ag_exec *exec)
{
  train_layout L;
  if (! sz || ! train_layout_of (sz, thread_count (exec), &L))
    return 0;
  return L.total * sizeof (double);
}

int
ag_default_threads (void)
{
#ifdef _OPENMP
  return omp_get_max_threads ();
#else
  return 1;
#endif
}

static void
split_workspace (void *work, size_t n, size_t d, size_t m, int threads, workspace *ws)
{
  double *base = (double *) work;
  ws->n = n;
  ws->B = block_size (n, d, m);
  ws->nw = words_per_unit (n);
  ws->threads = threads;
  ws->stride = n + n * ws->B;
  ws->acc = base;
  ws->e = base + n;
  ws->eR = base + 2 * n;
  ws->tmp = base + 3 * n;
  ws->Z = base + 4 * n;
  /* The regions do not overlap and each is used with one type only. */
  ws->P = (uint64_t *) (void *) ((char *) work + sizeof (double)
                                 * (3 * n + (size_t) threads * ws->stride));
}

/* WORK from its first 64-byte boundary (the *_bytes functions that need it
   leave 8 units of room for this). */
static double *
align64 (void *work)
{
  return (double *) (void *) (((uintptr_t) work + 63) & ~(uintptr_t) 63);
}

/* The scratch of thread t: its tmp (n doubles) and its Z block. */
static double *
thread_tmp (const workspace *ws, int t)
{
  return ws->tmp + (size_t) t * ws->stride;
}

static void *
thread_Z (const workspace *ws, int t)
{
  return (double *) ws->Z + (size_t) t * ws->stride;
}

/* The BLAS library runs single-threaded inside a call: the parallelism is
   over blocks, and BLAS threads spinning beside ours would compete for cores
   (measured: 2 to 4 times slower on two cores). The caller's setting is
   restored on return. */
static int
blas_threads_enter (void)
{
#ifdef OPENBLAS_VERSION
  int old = openblas_get_num_threads ();
  if (old != 1)
    openblas_set_num_threads (1);
  return old;
#else
  return 0;
#endif
}

static void
blas_threads_leave (int old)
{
#ifdef OPENBLAS_VERSION
  if (old > 1)
    openblas_set_num_threads (old);
#else
  (void) old;
#endif
}

static const volatile sig_atomic_t *
exec_cancel (const ag_exec *exec)
{
  return exec ? exec->cancel : NULL;
}


/* In a parallel loop over blocks: whether to skip this block, because *cancel
   is set now or another thread has seen it set. */
static int
skip_block (int *stopped, const volatile sig_atomic_t *cancel)
{
  int skip;
#pragma omp atomic read
  skip = *stopped;
  if (skip || ag_cancelled (cancel))
    {
#pragma omp atomic write
      *stopped = 1;
      return 1;
    }
  return 0;
}

/* The work between two looks at the cancel flag: a block's products are cut
   into pieces of at most this many flops (2^29; about 0.05 to 0.15 s on one
   core at 4 to 10 GFLOPS), whatever the shape. Pieces depend on n, d and m
   only, never on the thread count; below this size a block is one product,
   as before. */
#define AG_CHECK_FLOPS 536870912.0

/* How many of LEN rows (or columns) fit in AG_CHECK_FLOPS when each costs
   PER flops: at least 1, at most LEN. */
static size_t
chunk_len (size_t len, double per)
{
  double k = floor (AG_CHECK_FLOPS / (per > 1.0 ? per : 1.0));
  if (k < 1.0)
    return 1;
  return k >= (double) len ? len : (size_t) k;
}

/* Bit t of the result is z[t] >= 0 (ReLU'(0) = 1, doc/theory.md), for t < len <= 64. */
static inline uint64_t
pack_signs (const double *z, size_t len)
{
  uint64_t bits = 0;
  size_t t = 0;
#if defined(__SSE2__)
  const __m128d zero = _mm_setzero_pd ();
  for (; t + 2 <= len; t += 2)
    bits |= (uint64_t) _mm_movemask_pd (_mm_cmpge_pd (_mm_loadu_pd (z + t), zero)) << t;
#endif
  for (; t < len; t++)
    bits |= (uint64_t) (z[t] >= 0.0) << t;
  return bits;
}

static inline uint64_t
pack_signs_f (const float *z, size_t len)
{
  uint64_t bits = 0;
  size_t t = 0;
#if defined(__SSE2__)
  const __m128 zero = _mm_setzero_ps ();
  for (; t + 4 <= len; t += 4)
    bits |= (uint64_t) _mm_movemask_ps (_mm_cmpge_ps (_mm_loadu_ps (z + t), zero)) << t;
#endif
  for (; t < len; t++)
    bits |= (uint64_t) (z[t] >= 0.0f) << t;
  return bits;
}

/* D[t] = (bit t of bits) ? c * e[t] : 0, for t < len <= 64. Both paths give
   the same bits: a cleared lane is +0.0 either way. */
static inline void
unpack_scaled (uint64_t bits, double c, const double *e, double *D, size_t len)
{
  size_t t = 0;
#if defined(__SSE2__)
  static const uint64_t lanes[4][2] = {
    { 0, 0 }, { ~(uint64_t) 0, 0 }, { 0, ~(uint64_t) 0 }, { ~(uint64_t) 0, ~(uint64_t) 0 }
  };
  const __m128d cc = _mm_set1_pd (c);
  for (; t + 2 <= len; t += 2)
    {
      __m128d mask = _mm_castsi128_pd (_mm_loadu_si128 ((const __m128i *) lanes[(bits >> t) & 3]));
      _mm_storeu_pd (D + t, _mm_and_pd (_mm_mul_pd (cc, _mm_loadu_pd (e + t)), mask));
    }
#endif
  for (; t < len; t++)
    D[t] = ((bits >> t) & 1u) ? c * e[t] : 0.0;
}

static inline void
unpack_scaled_f (uint64_t bits, float c, const float *e, float *D, size_t len)
{
  size_t t = 0;
#if defined(__SSE2__)
  static const uint32_t lanes[16][4] = {
    { 0, 0, 0, 0 }, { ~0u, 0, 0, 0 }, { 0, ~0u, 0, 0 }, { ~0u, ~0u, 0, 0 },
    { 0, 0, ~0u, 0 }, { ~0u, 0, ~0u, 0 }, { 0, ~0u, ~0u, 0 }, { ~0u, ~0u, ~0u, 0 },
    { 0, 0, 0, ~0u }, { ~0u, 0, 0, ~0u }, { 0, ~0u, 0, ~0u }, { ~0u, ~0u, 0, ~0u },
    { 0, 0, ~0u, ~0u }, { ~0u, 0, ~0u, ~0u }, { 0, ~0u, ~0u, ~0u }, { ~0u, ~0u, ~0u, ~0u }
  };
  const __m128 cc = _mm_set1_ps (c);
  for (; t + 4 <= len; t += 4)
    {
      __m128 mask = _mm_castsi128_ps (_mm_loadu_si128 ((const __m128i *) lanes[(bits >> t) & 15]));
      _mm_storeu_ps (D + t, _mm_and_ps (_mm_mul_ps (cc, _mm_loadu_ps (e + t)), mask));
    }
#endif
  for (; t < len; t++)
    D[t] = ((bits >> t) & 1u) ? c * e[t] : 0.0f;
}

static double
seconds_since (const struct timespec *t0)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) (t.tv_sec - t0->tv_sec) + 1e-9 * (double) (t.tv_nsec - t0->tv_nsec);
}

static inline size_t
popcount64 (uint64_t x)
{
#if defined(__GNUC__)
  return (size_t) __builtin_popcountll (x);
#else
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return (size_t) ((x * 0x0101010101010101ULL) >> 56);
#endif
}

ag_status
ag_gram_inf (size_t n, size_t d, const double *X, double *H)
{
  if (! X || ! H)
    return AG_ENULL;
  if (n == 0 || d == 0 || n > AG_BLAS_INT_MAX || d > AG_BLAS_INT_MAX
      || n > (size_t) PTRDIFF_MAX / sizeof (double) / n
      || d > (size_t) PTRDIFF_MAX / sizeof (double) / n)
    return AG_ESIZE;
  for (size_t i = 0; i < n * d; i++)
    if (! isfinite (X[i]))
      return AG_ENONFINITE;
  int blas = blas_threads_enter ();
  cblas_dsyrk (CblasColMajor, CblasUpper, CblasNoTrans, (int) n, (int) d, 1.0, X,
               (int) n, 0.0, H, (int) n);
  blas_threads_leave (blas);
  const double inv2pi = 1.0 / (2.0 * M_PI);
  for (size_t j = 0; j < n; j++)
    for (size_t i = 0; i <= j; i++)
      {
        double t = H[i + j * n];
        t = t > 1.0 ? 1.0 : (t < -1.0 ? -1.0 : t);
        H[i + j * n] = H[j + i * n] = t * (M_PI - acos (t)) * inv2pi;
      }
  return AG_OK;
}

size_t
ag_gram_bytes (const ag_sizes *sz, const ag_exec *exec)
{
  (void) exec;
  if (! sz || check_sizes (sz->n, sz->d, sz->m) != AG_OK)
    return 0;
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  size_t n = sz->n, B = block_size (n, sz->d, sz->m);
  if (B > lim / n || n > lim / n || n * B > lim - n * n)
    return 0;
  return (n * B + n * n) * sizeof (double);
}

ag_status
ag_gram (size_t n, size_t d, size_t m, const double *X, const double *W,
         double *H, void *work, const ag_exec *exec)
{
  if (! X || ! W || ! H || ! work)
    return AG_ENULL;
  ag_sizes sz = { .n = n, .d = d, .m = m };
  if (ag_gram_bytes (&sz, NULL) == 0)
    return AG_ESIZE;
  for (size_t i = 0; i < n * d; i++)
    if (! isfinite (X[i]))
      return AG_ENONFINITE;
  for (size_t i = 0; i < m * d; i++)
    if (! isfinite (W[i]))
      return AG_ENONFINITE;
  const size_t B = block_size (n, d, m);
  double *Z = (double *) work, *K = Z + n * B;
  /* Single-threaded BLAS, as everywhere in the core: H is then bitwise the
     same whatever the BLAS library's thread count. */
  int blas = blas_threads_enter ();
  /* H accumulates P P' (co-activation counts, exact in double), block by block. */
  for (size_t r0 = 0; r0 < m; r0 += B)
    {
      if (ag_cancelled (exec_cancel (exec)))
        {
          blas_threads_leave (blas);
          return AG_ECANCELLED;
        }
      size_t nb = m - r0 < B ? m - r0 : B;
      cblas_dgemm (CblasColMajor, CblasNoTrans, CblasTrans, (int) n, (int) nb,
                   (int) d, 1.0, X, (int) n, W + r0, (int) m, 0.0, Z, (int) n);
      for (size_t i = 0; i < n * nb; i++)
        Z[i] = Z[i] >= 0.0 ? 1.0 : 0.0;
      cblas_dsyrk (CblasColMajor, CblasUpper, CblasNoTrans, (int) n, (int) nb, 1.0,
                   Z, (int) n, r0 == 0 ? 0.0 : 1.0, H, (int) n);
    }
  cblas_dsyrk (CblasColMajor, CblasUpper, CblasNoTrans, (int) n, (int) d, 1.0, X,
               (int) n, 0.0, K, (int) n);
  blas_threads_leave (blas);
  for (size_t j = 0; j < n; j++)
    for (size_t i = 0; i <= j; i++)
      H[i + j * n] = H[j + i * n] = K[i + j * n] * H[i + j * n] / (double) m;
  return AG_OK;
}

/* LAPACK (OpenBLAS ships it), Fortran calling convention. */
extern void dsyev_ (const char *jobz, const char *uplo, const int *n, double *a,
                    const int *lda, double *w, double *work, const int *lwork, int *info);

/* Workspace of dsyev for eigenvalues only: 66 n (its blocked reduction's
   optimum for blocks of 64) besides the copy of H and the n eigenvalues. */
size_t
ag_eig_bytes (const ag_sizes *sz, const ag_exec *exec)
{
  (void) exec;
  if (! sz || sz->n == 0 || sz->n > (size_t) INT_MAX / 66)
    return 0;
  const size_t n = sz->n, lim = (size_t) PTRDIFF_MAX / sizeof (double);
  if (n > lim / n - 67)
    return 0;
  return (n * n + 67 * n) * sizeof (double);
}

ag_status
ag_eig_extremes (size_t n, const double *H, double *lmin, double *lmax, void *work)
{
  if (! H || ! lmin || ! lmax || ! work)
    return AG_ENULL;
  ag_sizes sz = { .n = n };
  if (ag_eig_bytes (&sz, NULL) == 0)
    return AG_ESIZE;
  for (size_t i = 0; i < n * n; i++)
    if (! isfinite (H[i]))
      return AG_ENONFINITE;
  double *A = (double *) work, *w = A + n * n, *lw = w + n;
  memcpy (A, H, n * n * sizeof (double));
  int nn = (int) n, lwork = (int) (66 * n), info = 0;
  int blas = blas_threads_enter ();
  dsyev_ ("N", "U", &nn, A, &nn, w, lw, &lwork, &info);
  blas_threads_leave (blas);
  if (info != 0)
    return AG_ENONFINITE;
  /* Ascending order. */
  *lmin = w[0];
  *lmax = w[n - 1];
  return AG_OK;
}

/* ---- The schedule's generator (doc/theory.md) ---------------------------
   SplitMix64's output function; a stream keyed by (seed, kind, index) is the
   SplitMix64 sequence started at key = mix (mix (mix (seed) ^ kind) ^ index). */
#define AG_GOLDEN 0x9E3779B97F4A7C15ULL

static uint64_t
mix64 (uint64_t z)
{
  z += AG_GOLDEN;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

typedef struct stream {
  uint64_t state;
} stream;

static stream
stream_of (uint64_t seed, uint64_t kind, uint64_t index)
{
  return (stream) { mix64 (mix64 (mix64 (seed) ^ kind) ^ index) };
}

static uint64_t
next64 (stream *s)
{
  uint64_t z = s->state;
  s->state += AG_GOLDEN;
  return mix64 (z);
}

/* A uniform integer in [0, r), r >= 1 (Lemire's multiply-and-reject: exact). */
static uint64_t
below (stream *s, uint64_t r)
{
  __uint128_t p = (__uint128_t) next64 (s) * r;
  uint64_t lo = (uint64_t) p;
  if (lo < r)
    {
      uint64_t t = (0 - r) % r;
      while (lo < t)
        {
          p = (__uint128_t) next64 (s) * r;
          lo = (uint64_t) p;
        }
    }
  return (uint64_t) (p >> 64);
}

enum { AG_KIND_SHUFFLE = 1, AG_KIND_REPLACE = 2 };

size_t
ag_batch_rows (const ag_batching *b, size_t n, uint64_t seen, uint64_t t,
               uint32_t *perm, uint64_t *perm_epoch, uint32_t *rows)
{
  if (! b || ! rows || n == 0 || n > UINT32_MAX || b->size == 0)
    return 0;
  if (b->sampling == AG_REPLACE)
    {
      stream s = stream_of (b->seed, AG_KIND_REPLACE, t);
      for (size_t j = 0; j < b->size; j++)
        rows[j] = (uint32_t) below (&s, n);
      return b->size;
    }
  if (b->sampling != AG_SHUFFLE || ! perm || ! perm_epoch)
    return 0;
  uint64_t epoch = seen / n, pos = seen % n;
  if (*perm_epoch != epoch)
    {
      /* Fisher-Yates from the identity: p[i] swaps with p[j], j uniform in [0, i]. */
      stream s = stream_of (b->seed, AG_KIND_SHUFFLE, epoch);
      for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t) i;
      for (size_t i = n - 1; i > 0; i--)
        {
          size_t j = (size_t) below (&s, (uint64_t) i + 1);
          uint32_t x = perm[i];
          perm[i] = perm[j];
          perm[j] = x;
        }
      *perm_epoch = epoch;
    }
  size_t nb = n - pos < b->size ? (size_t) (n - pos) : b->size;
  memcpy (rows, perm + pos, nb * sizeof (uint32_t));
  return nb;
}

/* The rows of AG_GIVEN's batches: every row starts with an index in 1..n and
   holds only such indices, then zeros to its end. */
static int
given_ok (const uint32_t *given, size_t K, size_t B, size_t n)
{
  for (size_t k = 0; k < K; k++)
    {
      const uint32_t *g = given + k * B;
      if (g[0] == 0)
        return 0;
      size_t j = 0;
      while (j < B && g[j] != 0)
        if (g[j++] > n)
          return 0;
      while (j < B)
        if (g[j++] != 0)
          return 0;
    }
  return 1;
}

/* The typed kernels, once per precision. */
#define REAL double
#define SFX(name) name
#define GEMM cblas_dgemm
#define PACK_SIGNS pack_signs
#define UNPACK_SCALED unpack_scaled
#include "ag_template.h"
#undef REAL
#undef SFX
#undef GEMM
#undef PACK_SIGNS
#undef UNPACK_SCALED

#define REAL float
#define SFX(name) name##_f
#define GEMM cblas_sgemm
#define PACK_SIGNS pack_signs_f
#define UNPACK_SCALED unpack_scaled_f
#include "ag_template.h"
#undef REAL
#undef SFX
#undef GEMM
#undef PACK_SIGNS
#undef UNPACK_SCALED
