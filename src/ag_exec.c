/* ag_exec.c: execution: the blocks of hidden units, the workspace layouts and the
   sizes every call needs (the *_bytes functions), threads and the BLAS library's
   thread count, the cancellation channel, the clock. */
#define _POSIX_C_SOURCE 200809L

#include "ag.h"
#include "ag_internal.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

/* The n-by-m activation matrix is never formed: hidden units are processed in
   blocks (an n-by-block scratch matrix per thread, at most AG_BLOCK_BYTES), and
   the sign pattern of X*W' is kept as bits (one 64-bit word per 64 samples per
   unit). The blocks are the unit of parallel work: each thread runs
   single-threaded BLAS products and the elementwise passes on its own blocks.
   The block size depends on n and m only, never on the thread count, so that
   results are bitwise the same for any number of threads. */
#define AG_BLOCK_BYTES ((size_t) 1 << 23)
#define AG_BLOCKS_WANTED ((size_t) 16)

/* Hidden units per block: about m/AG_BLOCKS_WANTED (work for many threads),
   at most what AG_BLOCK_BYTES holds, and at least 256, or 1024 when d >= 256:
   each block's product packs all of X again, which costs in proportion to d
   (measured at n = d = 1000, m = 4096: blocks of 256 cost 1.26x the unblocked
   products, blocks of 1024 1.05x; at n = 100, d = 10, m = 1000 one block of
   1000 runs 1.7x slower than four of 256 on two threads). */
size_t
agi_block_size (size_t n, size_t d, size_t m)
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


ag_status
agi_check_sizes (size_t n, size_t d, size_t m)
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

int
agi_thread_count (const ag_exec *exec)
{
  return (exec && exec->threads > 0) ? exec->threads : 1;
}

/* The forward space of sizes (n, d, m) and K outputs for T threads, in
   8-byte units; 0 when too large. */
size_t
agi_forward_units (size_t n, size_t d, size_t m, size_t K, int threads)
{
  if (agi_check_sizes (n, d, m) != AG_OK || K == 0 || K > AG_MAX_OUTPUTS)
    return 0;
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  size_t B = agi_block_size (n, d, m), nw = words_per_unit (n);
  size_t T = (size_t) threads;
  if (B > lim / n || nw > lim / m || n > lim / 4 / K)
    return 0;
  size_t nk = n * K, stride = nk + n * B;
  if (T > 4096 || stride > (lim - 3 * nk) / T)
    return 0;
  size_t count = 3 * nk + T * stride;
  if (m * nw > lim - count)
    return 0;
  return count + m * nw;
}

size_t
ag_forward_bytes (const ag_sizes *sz, const ag_exec *exec)
{
  if (! sz)
    return 0;
  return agi_forward_units (sz->n, sz->d, sz->m, agi_outputs (sz), agi_thread_count (exec))
         * sizeof (double);
}


size_t
ag_step_bytes (const ag_sizes *sz, const ag_exec *exec)
{
  if (! sz || ! sz->rule)
    return 0;
  if (! sz->rule->per_coordinate)
    return sizeof (double);
  return (size_t) agi_thread_count (exec) * AG_STEP_BINS * sizeof (uint64_t);
}

size_t
ag_gradnorm_bytes (const ag_sizes *sz, const ag_exec *exec)
{
  if (! sz)
    return 0;
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  size_t f = agi_forward_units (sz->n, sz->d, sz->m, agi_outputs (sz),
                                agi_thread_count (exec));
  if (f == 0)
    return 0;
  size_t w = units (sz->m * sz->d, sz->single);
  if (w > lim - f - 16)
    return 0;
  return (f + w + 16) * sizeof (double);   /* alignment of the start and of G */
}


size_t
agi_eval_rows (size_t n)
{
  return n <= AG_EVAL_ROWS ? n : AG_EVAL_ROWS;
}

/* The rows the forward space of ag_train is split for: all of them in full
   batch, else the larger of a batch and a piece of the evaluation. */
size_t
agi_space_rows (const ag_sizes *sz)
{
  if (sz->sampling == AG_FULL)
    return sz->n;
  size_t e = agi_eval_rows (sz->n);
  return sz->batch > e ? sz->batch : e;
}


/* Entries of the kernel form's buffer A (ag_kernel): [Z ; C ; mu]; 0 when too large. */
size_t
agi_kernel_len (size_t n, size_t m)
{
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  return m > (lim - 8) / 2 / n ? 0 : 2 * n * m + 1;
}

const double agi_event_bytes[256][8] = {
  { 0, 0, 0, 0, 0, 0, 0, 0 },
  { 1, 0, 0, 0, 0, 0, 0, 0 },
  { 0, 1, 0, 0, 0, 0, 0, 0 },
  { 1, 1, 0, 0, 0, 0, 0, 0 },
  { 0, 0, 1, 0, 0, 0, 0, 0 },
  { 1, 0, 1, 0, 0, 0, 0, 0 },
  { 0, 1, 1, 0, 0, 0, 0, 0 },
  { 1, 1, 1, 0, 0, 0, 0, 0 },
  { 0, 0, 0, 1, 0, 0, 0, 0 },
  { 1, 0, 0, 1, 0, 0, 0, 0 },
  { 0, 1, 0, 1, 0, 0, 0, 0 },
  { 1, 1, 0, 1, 0, 0, 0, 0 },
  { 0, 0, 1, 1, 0, 0, 0, 0 },
  { 1, 0, 1, 1, 0, 0, 0, 0 },
  { 0, 1, 1, 1, 0, 0, 0, 0 },
  { 1, 1, 1, 1, 0, 0, 0, 0 },
  { 0, 0, 0, 0, 1, 0, 0, 0 },
  { 1, 0, 0, 0, 1, 0, 0, 0 },
  { 0, 1, 0, 0, 1, 0, 0, 0 },
  { 1, 1, 0, 0, 1, 0, 0, 0 },
  { 0, 0, 1, 0, 1, 0, 0, 0 },
  { 1, 0, 1, 0, 1, 0, 0, 0 },
  { 0, 1, 1, 0, 1, 0, 0, 0 },
  { 1, 1, 1, 0, 1, 0, 0, 0 },
  { 0, 0, 0, 1, 1, 0, 0, 0 },
  { 1, 0, 0, 1, 1, 0, 0, 0 },
  { 0, 1, 0, 1, 1, 0, 0, 0 },
  { 1, 1, 0, 1, 1, 0, 0, 0 },
  { 0, 0, 1, 1, 1, 0, 0, 0 },
  { 1, 0, 1, 1, 1, 0, 0, 0 },
  { 0, 1, 1, 1, 1, 0, 0, 0 },
  { 1, 1, 1, 1, 1, 0, 0, 0 },
  { 0, 0, 0, 0, 0, 1, 0, 0 },
  { 1, 0, 0, 0, 0, 1, 0, 0 },
  { 0, 1, 0, 0, 0, 1, 0, 0 },
  { 1, 1, 0, 0, 0, 1, 0, 0 },
  { 0, 0, 1, 0, 0, 1, 0, 0 },
  { 1, 0, 1, 0, 0, 1, 0, 0 },
  { 0, 1, 1, 0, 0, 1, 0, 0 },
  { 1, 1, 1, 0, 0, 1, 0, 0 },
  { 0, 0, 0, 1, 0, 1, 0, 0 },
  { 1, 0, 0, 1, 0, 1, 0, 0 },
  { 0, 1, 0, 1, 0, 1, 0, 0 },
  { 1, 1, 0, 1, 0, 1, 0, 0 },
  { 0, 0, 1, 1, 0, 1, 0, 0 },
  { 1, 0, 1, 1, 0, 1, 0, 0 },
  { 0, 1, 1, 1, 0, 1, 0, 0 },
  { 1, 1, 1, 1, 0, 1, 0, 0 },
  { 0, 0, 0, 0, 1, 1, 0, 0 },
  { 1, 0, 0, 0, 1, 1, 0, 0 },
  { 0, 1, 0, 0, 1, 1, 0, 0 },
  { 1, 1, 0, 0, 1, 1, 0, 0 },
  { 0, 0, 1, 0, 1, 1, 0, 0 },
  { 1, 0, 1, 0, 1, 1, 0, 0 },
  { 0, 1, 1, 0, 1, 1, 0, 0 },
  { 1, 1, 1, 0, 1, 1, 0, 0 },
  { 0, 0, 0, 1, 1, 1, 0, 0 },
  { 1, 0, 0, 1, 1, 1, 0, 0 },
  { 0, 1, 0, 1, 1, 1, 0, 0 },
  { 1, 1, 0, 1, 1, 1, 0, 0 },
  { 0, 0, 1, 1, 1, 1, 0, 0 },
  { 1, 0, 1, 1, 1, 1, 0, 0 },
  { 0, 1, 1, 1, 1, 1, 0, 0 },
  { 1, 1, 1, 1, 1, 1, 0, 0 },
  { 0, 0, 0, 0, 0, 0, 1, 0 },
  { 1, 0, 0, 0, 0, 0, 1, 0 },
  { 0, 1, 0, 0, 0, 0, 1, 0 },
  { 1, 1, 0, 0, 0, 0, 1, 0 },
  { 0, 0, 1, 0, 0, 0, 1, 0 },
  { 1, 0, 1, 0, 0, 0, 1, 0 },
  { 0, 1, 1, 0, 0, 0, 1, 0 },
  { 1, 1, 1, 0, 0, 0, 1, 0 },
  { 0, 0, 0, 1, 0, 0, 1, 0 },
  { 1, 0, 0, 1, 0, 0, 1, 0 },
  { 0, 1, 0, 1, 0, 0, 1, 0 },
  { 1, 1, 0, 1, 0, 0, 1, 0 },
  { 0, 0, 1, 1, 0, 0, 1, 0 },
  { 1, 0, 1, 1, 0, 0, 1, 0 },
  { 0, 1, 1, 1, 0, 0, 1, 0 },
  { 1, 1, 1, 1, 0, 0, 1, 0 },
  { 0, 0, 0, 0, 1, 0, 1, 0 },
  { 1, 0, 0, 0, 1, 0, 1, 0 },
  { 0, 1, 0, 0, 1, 0, 1, 0 },
  { 1, 1, 0, 0, 1, 0, 1, 0 },
  { 0, 0, 1, 0, 1, 0, 1, 0 },
  { 1, 0, 1, 0, 1, 0, 1, 0 },
  { 0, 1, 1, 0, 1, 0, 1, 0 },
  { 1, 1, 1, 0, 1, 0, 1, 0 },
  { 0, 0, 0, 1, 1, 0, 1, 0 },
  { 1, 0, 0, 1, 1, 0, 1, 0 },
  { 0, 1, 0, 1, 1, 0, 1, 0 },
  { 1, 1, 0, 1, 1, 0, 1, 0 },
  { 0, 0, 1, 1, 1, 0, 1, 0 },
  { 1, 0, 1, 1, 1, 0, 1, 0 },
  { 0, 1, 1, 1, 1, 0, 1, 0 },
  { 1, 1, 1, 1, 1, 0, 1, 0 },
  { 0, 0, 0, 0, 0, 1, 1, 0 },
  { 1, 0, 0, 0, 0, 1, 1, 0 },
  { 0, 1, 0, 0, 0, 1, 1, 0 },
  { 1, 1, 0, 0, 0, 1, 1, 0 },
  { 0, 0, 1, 0, 0, 1, 1, 0 },
  { 1, 0, 1, 0, 0, 1, 1, 0 },
  { 0, 1, 1, 0, 0, 1, 1, 0 },
  { 1, 1, 1, 0, 0, 1, 1, 0 },
  { 0, 0, 0, 1, 0, 1, 1, 0 },
  { 1, 0, 0, 1, 0, 1, 1, 0 },
  { 0, 1, 0, 1, 0, 1, 1, 0 },
  { 1, 1, 0, 1, 0, 1, 1, 0 },
  { 0, 0, 1, 1, 0, 1, 1, 0 },
  { 1, 0, 1, 1, 0, 1, 1, 0 },
  { 0, 1, 1, 1, 0, 1, 1, 0 },
  { 1, 1, 1, 1, 0, 1, 1, 0 },
  { 0, 0, 0, 0, 1, 1, 1, 0 },
  { 1, 0, 0, 0, 1, 1, 1, 0 },
  { 0, 1, 0, 0, 1, 1, 1, 0 },
  { 1, 1, 0, 0, 1, 1, 1, 0 },
  { 0, 0, 1, 0, 1, 1, 1, 0 },
  { 1, 0, 1, 0, 1, 1, 1, 0 },
  { 0, 1, 1, 0, 1, 1, 1, 0 },
  { 1, 1, 1, 0, 1, 1, 1, 0 },
  { 0, 0, 0, 1, 1, 1, 1, 0 },
  { 1, 0, 0, 1, 1, 1, 1, 0 },
  { 0, 1, 0, 1, 1, 1, 1, 0 },
  { 1, 1, 0, 1, 1, 1, 1, 0 },
  { 0, 0, 1, 1, 1, 1, 1, 0 },
  { 1, 0, 1, 1, 1, 1, 1, 0 },
  { 0, 1, 1, 1, 1, 1, 1, 0 },
  { 1, 1, 1, 1, 1, 1, 1, 0 },
  { 0, 0, 0, 0, 0, 0, 0, 1 },
  { 1, 0, 0, 0, 0, 0, 0, 1 },
  { 0, 1, 0, 0, 0, 0, 0, 1 },
  { 1, 1, 0, 0, 0, 0, 0, 1 },
  { 0, 0, 1, 0, 0, 0, 0, 1 },
  { 1, 0, 1, 0, 0, 0, 0, 1 },
  { 0, 1, 1, 0, 0, 0, 0, 1 },
  { 1, 1, 1, 0, 0, 0, 0, 1 },
  { 0, 0, 0, 1, 0, 0, 0, 1 },
  { 1, 0, 0, 1, 0, 0, 0, 1 },
  { 0, 1, 0, 1, 0, 0, 0, 1 },
  { 1, 1, 0, 1, 0, 0, 0, 1 },
  { 0, 0, 1, 1, 0, 0, 0, 1 },
  { 1, 0, 1, 1, 0, 0, 0, 1 },
  { 0, 1, 1, 1, 0, 0, 0, 1 },
  { 1, 1, 1, 1, 0, 0, 0, 1 },
  { 0, 0, 0, 0, 1, 0, 0, 1 },
  { 1, 0, 0, 0, 1, 0, 0, 1 },
  { 0, 1, 0, 0, 1, 0, 0, 1 },
  { 1, 1, 0, 0, 1, 0, 0, 1 },
  { 0, 0, 1, 0, 1, 0, 0, 1 },
  { 1, 0, 1, 0, 1, 0, 0, 1 },
  { 0, 1, 1, 0, 1, 0, 0, 1 },
  { 1, 1, 1, 0, 1, 0, 0, 1 },
  { 0, 0, 0, 1, 1, 0, 0, 1 },
  { 1, 0, 0, 1, 1, 0, 0, 1 },
  { 0, 1, 0, 1, 1, 0, 0, 1 },
  { 1, 1, 0, 1, 1, 0, 0, 1 },
  { 0, 0, 1, 1, 1, 0, 0, 1 },
  { 1, 0, 1, 1, 1, 0, 0, 1 },
  { 0, 1, 1, 1, 1, 0, 0, 1 },
  { 1, 1, 1, 1, 1, 0, 0, 1 },
  { 0, 0, 0, 0, 0, 1, 0, 1 },
  { 1, 0, 0, 0, 0, 1, 0, 1 },
  { 0, 1, 0, 0, 0, 1, 0, 1 },
  { 1, 1, 0, 0, 0, 1, 0, 1 },
  { 0, 0, 1, 0, 0, 1, 0, 1 },
  { 1, 0, 1, 0, 0, 1, 0, 1 },
  { 0, 1, 1, 0, 0, 1, 0, 1 },
  { 1, 1, 1, 0, 0, 1, 0, 1 },
  { 0, 0, 0, 1, 0, 1, 0, 1 },
  { 1, 0, 0, 1, 0, 1, 0, 1 },
  { 0, 1, 0, 1, 0, 1, 0, 1 },
  { 1, 1, 0, 1, 0, 1, 0, 1 },
  { 0, 0, 1, 1, 0, 1, 0, 1 },
  { 1, 0, 1, 1, 0, 1, 0, 1 },
  { 0, 1, 1, 1, 0, 1, 0, 1 },
  { 1, 1, 1, 1, 0, 1, 0, 1 },
  { 0, 0, 0, 0, 1, 1, 0, 1 },
  { 1, 0, 0, 0, 1, 1, 0, 1 },
  { 0, 1, 0, 0, 1, 1, 0, 1 },
  { 1, 1, 0, 0, 1, 1, 0, 1 },
  { 0, 0, 1, 0, 1, 1, 0, 1 },
  { 1, 0, 1, 0, 1, 1, 0, 1 },
  { 0, 1, 1, 0, 1, 1, 0, 1 },
  { 1, 1, 1, 0, 1, 1, 0, 1 },
  { 0, 0, 0, 1, 1, 1, 0, 1 },
  { 1, 0, 0, 1, 1, 1, 0, 1 },
  { 0, 1, 0, 1, 1, 1, 0, 1 },
  { 1, 1, 0, 1, 1, 1, 0, 1 },
  { 0, 0, 1, 1, 1, 1, 0, 1 },
  { 1, 0, 1, 1, 1, 1, 0, 1 },
  { 0, 1, 1, 1, 1, 1, 0, 1 },
  { 1, 1, 1, 1, 1, 1, 0, 1 },
  { 0, 0, 0, 0, 0, 0, 1, 1 },
  { 1, 0, 0, 0, 0, 0, 1, 1 },
  { 0, 1, 0, 0, 0, 0, 1, 1 },
  { 1, 1, 0, 0, 0, 0, 1, 1 },
  { 0, 0, 1, 0, 0, 0, 1, 1 },
  { 1, 0, 1, 0, 0, 0, 1, 1 },
  { 0, 1, 1, 0, 0, 0, 1, 1 },
  { 1, 1, 1, 0, 0, 0, 1, 1 },
  { 0, 0, 0, 1, 0, 0, 1, 1 },
  { 1, 0, 0, 1, 0, 0, 1, 1 },
  { 0, 1, 0, 1, 0, 0, 1, 1 },
  { 1, 1, 0, 1, 0, 0, 1, 1 },
  { 0, 0, 1, 1, 0, 0, 1, 1 },
  { 1, 0, 1, 1, 0, 0, 1, 1 },
  { 0, 1, 1, 1, 0, 0, 1, 1 },
  { 1, 1, 1, 1, 0, 0, 1, 1 },
  { 0, 0, 0, 0, 1, 0, 1, 1 },
  { 1, 0, 0, 0, 1, 0, 1, 1 },
  { 0, 1, 0, 0, 1, 0, 1, 1 },
  { 1, 1, 0, 0, 1, 0, 1, 1 },
  { 0, 0, 1, 0, 1, 0, 1, 1 },
  { 1, 0, 1, 0, 1, 0, 1, 1 },
  { 0, 1, 1, 0, 1, 0, 1, 1 },
  { 1, 1, 1, 0, 1, 0, 1, 1 },
  { 0, 0, 0, 1, 1, 0, 1, 1 },
  { 1, 0, 0, 1, 1, 0, 1, 1 },
  { 0, 1, 0, 1, 1, 0, 1, 1 },
  { 1, 1, 0, 1, 1, 0, 1, 1 },
  { 0, 0, 1, 1, 1, 0, 1, 1 },
  { 1, 0, 1, 1, 1, 0, 1, 1 },
  { 0, 1, 1, 1, 1, 0, 1, 1 },
  { 1, 1, 1, 1, 1, 0, 1, 1 },
  { 0, 0, 0, 0, 0, 1, 1, 1 },
  { 1, 0, 0, 0, 0, 1, 1, 1 },
  { 0, 1, 0, 0, 0, 1, 1, 1 },
  { 1, 1, 0, 0, 0, 1, 1, 1 },
  { 0, 0, 1, 0, 0, 1, 1, 1 },
  { 1, 0, 1, 0, 0, 1, 1, 1 },
  { 0, 1, 1, 0, 0, 1, 1, 1 },
  { 1, 1, 1, 0, 0, 1, 1, 1 },
  { 0, 0, 0, 1, 0, 1, 1, 1 },
  { 1, 0, 0, 1, 0, 1, 1, 1 },
  { 0, 1, 0, 1, 0, 1, 1, 1 },
  { 1, 1, 0, 1, 0, 1, 1, 1 },
  { 0, 0, 1, 1, 0, 1, 1, 1 },
  { 1, 0, 1, 1, 0, 1, 1, 1 },
  { 0, 1, 1, 1, 0, 1, 1, 1 },
  { 1, 1, 1, 1, 0, 1, 1, 1 },
  { 0, 0, 0, 0, 1, 1, 1, 1 },
  { 1, 0, 0, 0, 1, 1, 1, 1 },
  { 0, 1, 0, 0, 1, 1, 1, 1 },
  { 1, 1, 0, 0, 1, 1, 1, 1 },
  { 0, 0, 1, 0, 1, 1, 1, 1 },
  { 1, 0, 1, 0, 1, 1, 1, 1 },
  { 0, 1, 1, 0, 1, 1, 1, 1 },
  { 1, 1, 1, 0, 1, 1, 1, 1 },
  { 0, 0, 0, 1, 1, 1, 1, 1 },
  { 1, 0, 0, 1, 1, 1, 1, 1 },
  { 0, 1, 0, 1, 1, 1, 1, 1 },
  { 1, 1, 0, 1, 1, 1, 1, 1 },
  { 0, 0, 1, 1, 1, 1, 1, 1 },
  { 1, 0, 1, 1, 1, 1, 1, 1 },
  { 0, 1, 1, 1, 1, 1, 1, 1 },
  { 1, 1, 1, 1, 1, 1, 1, 1 }
};

ev_layout
agi_event_layout (size_t n, size_t m, int single)
{
  ev_layout E = { 0 };
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double) / 8;
  E.nw = words_per_unit (n);
  E.nb = (m + 63) / 64;
  if (n == 0 || m == 0 || m > lim / n / 4 || n > lim / n || E.nw > lim / m)
    return E;
  const size_t nm = n * m, per = single ? 2 : 1;   /* entries per 64-bit word */
  E.D = 0;
  E.Z0 = E.nw * m * per;
  E.V = E.Z0 + nm;
  E.C = E.V + nm;
  E.tau = E.C + nm;
  E.H = E.tau + nm;
  E.u = E.H + n * n;
  E.c = E.u + n;
  E.B = E.c + n;
  E.bmin = E.B + n;
  E.rmin = E.bmin + n * E.nb;
  E.len = E.rmin + n;
  return E;
}

size_t
ag_event_len (size_t n, size_t m, int single)
{
  return agi_event_layout (n, m, single).len;
}

size_t
agi_event_cap (size_t n, size_t m)
{
  size_t nm = n * m, c = nm / 16 > 65536 ? nm / 16 : 65536;
  c = c < nm ? c : nm;
  return c < ((size_t) 1 << 26) ? c : (size_t) 1 << 26;
}

/* The event form's workspace, in 8-byte units: e, H*e, |K|*|e| and u's
   candidate (n each), the threads' columns of V (n each), the candidates'
   keys as collected and sorted and their values (cap each), the units'
   counts (m + 1) and the marks of the blocks and rows whose minima change
   (n * nb + n bytes). */
static size_t
event_units (size_t n, size_t m, int threads)
{
  size_t cap = agi_event_cap (n, m), nb = (m + 63) / 64;
  return 4 * n + (size_t) threads * n + 3 * cap + 1 + m + 1 + (n * nb + n + 7) / 8 + 64;
}

int
agi_train_layout_of (const ag_sizes *sz, int threads, train_layout *L)
{
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  size_t n = sz->n, d = sz->d, m = sz->m;
  const int mini = sz->sampling != AG_FULL;
  if (sz->sampling < AG_FULL || sz->sampling > AG_GIVEN
      || (mini && (sz->batch == 0 || n > UINT32_MAX || sz->batch > lim / 8)))
    return 0;
  size_t f = agi_forward_units (agi_space_rows (sz), d, m, agi_outputs (sz), threads);
  /* y's columns: K, or one (class labels). */
  const size_t ycols = sz->labels ? 1 : agi_outputs (sz);
  if (! f || ! sz->rule || sz->iters < 0 || sz->diagnostics < 0
      || (size_t) sz->iters > lim / 16 - 2 || agi_check_sizes (n, d, m) != AG_OK)
    return 0;
  size_t w = units (m * d, sz->single), nw = words_per_unit (n);
  size_t K = (size_t) sz->iters, B = mini ? sz->batch : 0;
  if (mini && d > lim / 8 / B)
    return 0;
  /* The kernel form alternates buffers of agi_kernel_len entries instead of
     W; the event form two of one entry (the step pending), its state being
     the caller's. */
  const int event = sz->kernel == 2;
  if (event && (mini || agi_outputs (sz) != 1 || sz->labels || sz->rule->narrays > 0
                || ! agi_event_layout (n, m, sz->single).len))
    return 0;
  size_t kl = sz->kernel ? agi_kernel_len (n, m) : 0;
  if (sz->kernel && (! kl || n > lim / 8 / n || (mini && B > lim / 8 / n)))
    return 0;
  size_t wbuf = event ? 8 : sz->kernel ? units (kl, sz->single) : w;
  L->dlen = sz->diagnostics > 0 ? K / (size_t) sz->diagnostics + 2 : 0;
  enum { NPARTS = 14 };
  size_t parts[NPARTS] = {
    wbuf,                                                 /* spare W */
    (size_t) sz->rule->narrays * wbuf,                    /* the other state */
    sz->rule->per_coordinate ? (size_t) threads * AG_STEP_BINS : 0,
    sz->diagnostics > 0 ? m * nw + m : 0,                  /* pattern at W0, row sums */
    7 * (K + 1) + 6 * K,                                  /* the records */
    4 * L->dlen,                                          /* the diagnostics records */
    mini ? units (B * d, sz->single) + units (B * ycols, sz->single) + (B + 1) / 2 : 0,
    sz->sampling == AG_SHUFFLE ? (n + 1) / 2 : 0,         /* the epoch's permutation */
    mini && sz->gtol ? w : 0,                             /* the full-batch gradient */
    sz->kernel && mini ? units (n * B, sz->single) : 0,   /* K's columns of a batch */
    sz->kernel && ! event ? m : 0,                        /* per-unit sums of ||G||^2 */
    sz->kernel && ! event ? w : 0,                        /* a formed W */
    sz->kernel && sz->rule->narrays > 0 ? units (n * m, sz->single) : 0,  /* X * Sa' */
    event ? event_units (n, m, threads) : 0               /* the event form's step */
  };
  /* Each part starts on a 64-byte boundary (of the workspace), so that the
     alternate W and state buffers are aligned like arrays of their own. */
  size_t at = f, *start[NPARTS] = { &L->spare, &L->state, &L->bins, &L->diag, &L->rec,
                                    &L->drec, &L->gather, &L->perm, &L->gfull,
                                    &L->kcols, &L->colsum, &L->formed, &L->zsa,
                                    &L->event };
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
  const ag_loss_info *lf = opt->loss ? opt->loss : ag_loss_default ();
  return (ag_sizes) { .n = n, .d = d, .m = m, .single = single, .rule = opt->optim.rule,
                      .outputs = opt->outputs, .labels = lf->labels,
                      .iters = opt->maxiter, .diagnostics = opt->diagnostics,
                      .sampling = b->sampling, .batch = b->batchsize,
                      .gtol = b->sampling != AG_FULL && opt->gtol > 0.0,
                      .kernel = opt->kernel ? (opt->kernel->event ? 2 : 1) : 0 };
}

size_t
ag_train_bytes (const ag_sizes *sz, const ag_exec *exec)
{
  train_layout L;
  if (! sz || ! agi_train_layout_of (sz, agi_thread_count (exec), &L))
    return 0;
  return L.total * sizeof (double);
}

ag_train_need
ag_train_need_of (const ag_sizes *sz, const ag_exec *exec)
{
  ag_train_need need = { 0 };
  if (! sz || ! sz->rule)
    return need;
  const double elem = sz->single ? 4.0 : 8.0, n = (double) sz->n, m = (double) sz->m;
  const double md = m * (double) sz->d, na = (double) sz->rule->narrays;
  const double iters = sz->iters > 0 ? (double) sz->iters : 0.0;
  const double diags = sz->diagnostics > 0 ? iters / (double) sz->diagnostics + 2.0 : 0.0;
  need.work = (double) ag_train_bytes (sz, exec);
  double state = sz->kernel ? elem * (1.0 + na) * (2.0 * n * m + 1.0 + md) : 0.0;
  if (sz->kernel == 2)
    state = elem * ((double) ag_event_len (sz->n, sz->m, sz->single) + md);
  need.kernel = sz->kernel ? state + elem * n * n : 0.0;
  need.outputs = elem * md * (1.0 + na) + 8.0 * (13.0 * iters + 4.0 * diags) + state;
  need.total = need.work + need.kernel + need.outputs;
  return need;
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

void
agi_split_workspace (void *work, size_t n, size_t d, size_t m, size_t K, int threads,
                     workspace *ws)
{
  double *base = (double *) work;
  const size_t nk = n * K;
  ws->n = n;
  ws->K = K;
  ws->B = agi_block_size (n, d, m);
  ws->nw = words_per_unit (n);
  ws->threads = threads;
  ws->stride = nk + n * ws->B;
  ws->acc = base;
  ws->e = base + nk;
  ws->eR = base + 2 * nk;
  ws->tmp = base + 3 * nk;
  ws->Z = base + 4 * nk;
  /* The regions do not overlap and each is used with one type only. */
  ws->P = (uint64_t *) (void *) ((char *) work + sizeof (double)
                                 * (3 * nk + (size_t) threads * ws->stride));
}




/* The BLAS library runs single-threaded inside a call: the parallelism is
   over blocks, and BLAS threads spinning beside ours would compete for cores
   (measured: 2 to 4 times slower on two cores). The caller's setting is
   restored on return. */
int
agi_blas_threads_enter (void)
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

void
agi_blas_threads_leave (int old)
{
#ifdef OPENBLAS_VERSION
  if (old > 1)
    openblas_set_num_threads (old);
#else
  (void) old;
#endif
}



/* In a parallel loop over blocks: whether to skip this block, because *cancel
   is set now or another thread has seen it set. */
int
agi_skip_block (int *stopped, const volatile sig_atomic_t *cancel)
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


/* How many of LEN rows (or columns) fit in AG_CHECK_FLOPS when each costs
   PER flops: at least 1, at most LEN. */
size_t
agi_chunk_len (size_t len, double per)
{
  double k = floor (AG_CHECK_FLOPS / (per > 1.0 ? per : 1.0));
  if (k < 1.0)
    return 1;
  return k >= (double) len ? len : (size_t) k;
}

double
agi_seconds_since (const struct timespec *t0)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) (t.tv_sec - t0->tv_sec) + 1e-9 * (double) (t.tv_nsec - t0->tv_nsec);
}
