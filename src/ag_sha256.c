/* ag_sha256.c: SHA-256 (FIPS 180-4) over caller-given byte ranges, for the digests of checkpoints and sweep folders. */
#include "ag.h"

#include <string.h>

static const uint32_t K256[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* One 64-byte block into the state H. */
static void
compress (uint32_t H[8], const unsigned char *p)
{
  uint32_t w[64];
  for (int t = 0; t < 16; t++)
    w[t] = (uint32_t) p[4 * t] << 24 | (uint32_t) p[4 * t + 1] << 16
           | (uint32_t) p[4 * t + 2] << 8 | (uint32_t) p[4 * t + 3];
  for (int t = 16; t < 64; t++)
    {
      uint32_t s0 = ROR (w[t - 15], 7) ^ ROR (w[t - 15], 18) ^ (w[t - 15] >> 3);
      uint32_t s1 = ROR (w[t - 2], 17) ^ ROR (w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
  uint32_t a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  for (int t = 0; t < 64; t++)
    {
      uint32_t t1 = h + (ROR (e, 6) ^ ROR (e, 11) ^ ROR (e, 25)) + ((e & f) ^ (~e & g))
                    + K256[t] + w[t];
      uint32_t t2 = (ROR (a, 2) ^ ROR (a, 13) ^ ROR (a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
  H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += h;
}

void
ag_sha256_init (ag_sha256 *s)
{
  static const uint32_t H0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
  memcpy (s->h, H0, sizeof H0);
  s->bytes = 0;
  s->fill = 0;
}

void
ag_sha256_update (ag_sha256 *s, const void *data, size_t len)
{
  const unsigned char *p = (const unsigned char *) data;
  if (len == 0)
    return;
  s->bytes += len;
  if (s->fill > 0)
    {
      size_t take = 64 - s->fill < len ? 64 - s->fill : len;
      memcpy (s->buf + s->fill, p, take);
      s->fill += take;
      p += take;
      len -= take;
      if (s->fill < 64)
        return;
      compress (s->h, s->buf);
      s->fill = 0;
    }
  for (; len >= 64; p += 64, len -= 64)
    compress (s->h, p);
  memcpy (s->buf, p, len);
  s->fill = len;
}

void
ag_sha256_final (ag_sha256 *s, char hex[65])
{
  uint64_t bits = s->bytes * 8;
  unsigned char pad[72] = { 0x80 };
  size_t n = (s->fill < 56 ? 56 : 120) - s->fill;
  for (int i = 0; i < 8; i++)
    pad[n + i] = (unsigned char) (bits >> (56 - 8 * i));
  /* ag_sha256_update would count the padding as message bytes: undo it. */
  uint64_t keep = s->bytes;
  ag_sha256_update (s, pad, n + 8);
  s->bytes = keep;
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 4; j++)
      {
        unsigned v = (s->h[i] >> (24 - 8 * j)) & 0xff;
        hex[8 * i + 2 * j] = digits[v >> 4];
        hex[8 * i + 2 * j + 1] = digits[v & 15];
      }
  hex[64] = '\0';
}
