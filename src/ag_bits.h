/* ag_bits.h: the activation pattern as bits: packing signs, unpacking a residual
   through them, counting them (inline: the passes call them per 64 entries). */
#ifndef AG_BITS_H
#define AG_BITS_H

#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

#endif /* AG_BITS_H */
