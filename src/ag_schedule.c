/* ag_schedule.c: the batch schedule: the generator (SplitMix64 streams, Lemire's
   bounded integers, Fisher-Yates), the rows of a step's batch, and the check of
   given batches. */
#include "ag.h"
#include "ag_internal.h"

#include <string.h>

/* ---- The schedule's generator (doc/theory.md) ---------------------------
   SplitMix64's output function; a stream keyed by (seed, kind, index) is the
   SplitMix64 sequence started at key = mix (mix (mix (seed) ^ kind) ^ index). */

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
  if (! b || ! rows || n == 0 || n > UINT32_MAX || b->batchsize == 0)
    return 0;
  if (b->sampling == AG_REPLACE)
    {
      stream s = stream_of (b->batchseed, AG_KIND_REPLACE, t);
      for (size_t j = 0; j < b->batchsize; j++)
        rows[j] = (uint32_t) below (&s, n);
      return b->batchsize;
    }
  if (b->sampling != AG_SHUFFLE || ! perm || ! perm_epoch)
    return 0;
  uint64_t epoch = seen / n, pos = seen % n;
  if (*perm_epoch != epoch)
    {
      /* Fisher-Yates from the identity: p[i] swaps with p[j], j uniform in [0, i]. */
      stream s = stream_of (b->batchseed, AG_KIND_SHUFFLE, epoch);
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
  size_t nb = n - pos < b->batchsize ? (size_t) (n - pos) : b->batchsize;
  memcpy (rows, perm + pos, nb * sizeof (uint32_t));
  return nb;
}

/* The rows of AG_GIVEN's batches: every row starts with an index in 1..n and
   holds only such indices, then zeros to its end. */
int
agi_given_ok (const uint32_t *given, size_t K, size_t B, size_t n)
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
