/* ag_read.c: data files as data: gzip-compressed (or plain) byte streams and
   IDX files (the format of MNIST and Fashion-MNIST), read through zlib in one
   pass into the caller's memory. Nothing read is ever executed or handed to a
   shell; every malformed file is a status and a message naming the problem. */
#include "ag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

static ag_status
fail (char *err, size_t len, ag_status st, const char *fmt, ...)
{
  if (err && len)
    {
      va_list ap;
      va_start (ap, fmt);
      vsnprintf (err, len, fmt, ap);
      va_end (ap);
    }
  return st;
}

static gzFile
open_gz (const char *path, char *err, size_t len)
{
  gzFile f = path ? gzopen (path, "rb") : NULL;
  if (! f)
    fail (err, len, AG_EARG, "cannot be opened");
  else
    gzbuffer (f, 1 << 17);
  return f;
}

/* Reads exactly LEN bytes (0: short, the stream ended or is damaged). */
static int
read_all (gzFile f, void *buf, size_t len)
{
  unsigned char *p = (unsigned char *) buf;
  while (len > 0)
    {
      unsigned chunk = len > (1u << 30) ? (1u << 30) : (unsigned) len;
      int got = gzread (f, p, chunk);
      if (got <= 0)
        return 0;
      p += got;
      len -= (size_t) got;
    }
  return 1;
}

/* Closes F; 0 when the last read ended inside a gzip stream (zlib reads a
   stream cut short in its trailer without an error until gzclose). */
static int
close_ok (gzFile f)
{
  return gzclose (f) == Z_OK;
}

/* Whether the stream has no byte left (a damaged stream: 0). */
static int
at_end (gzFile f)
{
  unsigned char c;
  return gzread (f, &c, 1) == 0 && gzeof (f);
}

ag_status
ag_gz_length (const char *path, size_t *length, char *err, size_t errlen)
{
  gzFile f = open_gz (path, err, errlen);
  if (! f)
    return AG_EARG;
  unsigned char buf[1 << 16];
  size_t total = 0;
  int got;
  while ((got = gzread (f, buf, sizeof buf)) > 0)
    total += (size_t) got;
  int bad = got < 0 || ! gzeof (f);
  bad = ! close_ok (f) || bad;
  if (bad)
    return fail (err, errlen, AG_EARG, "is not a complete gzip stream (damaged or truncated)");
  *length = total;
  return AG_OK;
}

ag_status
ag_gz_read (const char *path, unsigned char *out, size_t length, char *err, size_t errlen)
{
  gzFile f = open_gz (path, err, errlen);
  if (! f)
    return AG_EARG;
  int ok = read_all (f, out, length) && at_end (f);
  ok = close_ok (f) && ok;
  return ok ? AG_OK : fail (err, errlen, AG_EARG, "changed while it was read");
}

/* The bytes of one entry of each IDX type (0: no such type). */
static size_t
idx_elem (int type)
{
  switch (type)
    {
    case AG_IDX_UINT8: case AG_IDX_INT8: return 1;
    case AG_IDX_INT16: return 2;
    case AG_IDX_INT32: case AG_IDX_FLOAT: return 4;
    case AG_IDX_DOUBLE: return 8;
    default: return 0;
    }
}

size_t
ag_idx_elem (int type)
{
  return idx_elem (type);
}

static uint32_t
be32 (const unsigned char *p)
{
  return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

/* The header of an open IDX stream: magic (two zero bytes, the type, the
   number of dimensions) and the dimensions, big-endian. */
static ag_status
idx_header (gzFile f, ag_idx_header *h, char *err, size_t errlen)
{
  unsigned char m[4], d[4 * AG_IDX_MAXDIMS];
  if (! read_all (f, m, 4))
    return fail (err, errlen, AG_EARG, "is too short for an IDX file (no 4-byte magic number)");
  if (m[0] != 0 || m[1] != 0 || ! idx_elem (m[2]) || m[3] < 1 || m[3] > AG_IDX_MAXDIMS)
    return fail (err, errlen, AG_EARG,
                 "is not an IDX file (magic number %02x %02x %02x %02x: expected 00 00, a type "
                 "08, 09, 0b, 0c, 0d or 0e, and 1 to %d dimensions)",
                 m[0], m[1], m[2], m[3], AG_IDX_MAXDIMS);
  h->type = m[2];
  h->ndims = m[3];
  if (! read_all (f, d, 4 * (size_t) h->ndims))
    return fail (err, errlen, AG_EARG, "ends inside its IDX header (%d dimensions announced)",
                 h->ndims);
  const size_t lim = (size_t) PTRDIFF_MAX / 8;
  size_t count = 1;
  for (int i = 0; i < h->ndims; i++)
    {
      h->dims[i] = be32 (d + 4 * i);
      if (h->dims[i] > 0 && count > lim / h->dims[i])
        return fail (err, errlen, AG_ESIZE, "announces more entries than fit in memory");
      count *= h->dims[i];
    }
  size_t width = 1;
  for (int i = 1; i < h->ndims; i++)
    width = h->dims[i] > 0 && width <= lim / h->dims[i] ? width * h->dims[i] : 0;
  h->count = count;
  h->items = h->dims[0];
  h->width = width;
  return AG_OK;
}

ag_status
ag_idx_header_of (const char *path, ag_idx_header *h, char *err, size_t errlen)
{
  gzFile f = open_gz (path, err, errlen);
  if (! f)
    return AG_EARG;
  ag_status st = idx_header (f, h, err, errlen);
  gzclose (f);
  return st;
}

/* Item i of the file (WIDTH entries of ELEM bytes, big-endian) into column
   i of the row-per-item matrix OUT (items-by-width, column-major), in the
   machine's byte order. */
static void
scatter (const unsigned char *src, size_t width, size_t elem, size_t items, size_t i,
         unsigned char *out)
{
  for (size_t j = 0; j < width; j++)
    {
      unsigned char *dst = out + (i + j * items) * elem;
      const unsigned char *s = src + j * elem;
#if defined (__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
      memcpy (dst, s, elem);
#else
      for (size_t b = 0; b < elem; b++)
        dst[b] = s[elem - 1 - b];
#endif
    }
}

ag_status
ag_idx_read (const char *path, const ag_idx_header *h, void *out, void *row, char *err,
             size_t errlen)
{
  if (! h || (h->count && (! out || ! row)))
    return fail (err, errlen, AG_ENULL, "has no buffer to be read into");
  gzFile f = open_gz (path, err, errlen);
  if (! f)
    return AG_EARG;
  ag_idx_header again;
  ag_status st = idx_header (f, &again, err, errlen);
  if (st == AG_OK && (again.type != h->type || again.count != h->count
                      || again.items != h->items))
    st = fail (err, errlen, AG_EARG, "changed while it was read");
  const size_t elem = idx_elem (h->type);
  for (size_t i = 0; st == AG_OK && i < h->items; i++)
    {
      if (! read_all (f, row, h->width * elem))
        st = fail (err, errlen, AG_EARG,
                   "is truncated: item %zu of the %zu its header announces is incomplete",
                   i + 1, h->items);
      else
        scatter ((const unsigned char *) row, h->width, elem, h->items, i,
                 (unsigned char *) out);
    }
  if (st == AG_OK && ! at_end (f))
    st = fail (err, errlen, AG_EARG,
               "has data after the %zu entries its header announces (wrong counts, or not "
               "IDX)", h->count);
  if (! close_ok (f) && st == AG_OK)
    st = fail (err, errlen, AG_EARG, "is not a complete gzip stream (damaged or truncated)");
  return st;
}
