/* test_read.c: C tests of the data-file readers (ag_read.c): IDX files plain
   and gzipped, their errors, gzip streams. */
#include "common.h"

#include <unistd.h>
#include <zlib.h>

/* BYTES into PATH, plain or as a gzip stream. */
static void
write_bytes (const char *path, const unsigned char *bytes, size_t len, int gz)
{
  if (gz)
    {
      gzFile f = gzopen (path, "wb");
      gzwrite (f, bytes, (unsigned) len);
      gzclose (f);
    }
  else
    {
      FILE *f = fopen (path, "wb");
      fwrite (bytes, 1, len, f);
      fclose (f);
    }
}

void
test_read (void)
{
  char path[] = "/tmp/ag_test_read_XXXXXX";
  int fd = mkstemp (path);
  CHECK (fd >= 0, "a temporary file");
  if (fd < 0)
    return;
  close (fd);
  /* Two items of 2 x 2 int16 entries, big-endian: 1, -2, 300, 4; 5, 6, 7, -32768. */
  const unsigned char good[] = { 0, 0, 0x0B, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2,
                                 0, 1, 0xFF, 0xFE, 1, 44, 0, 4, 0, 5, 0, 6, 0, 7, 0x80, 0 };
  const int16_t want[8] = { 1, 5, -2, 6, 300, 7, 4, -32768 };   /* items-by-4, column-major */
  char err[256];
  for (int gz = 0; gz < 2; gz++)
    {
      write_bytes (path, good, sizeof good, gz);
      ag_idx_header h;
      int16_t out[8], row[4];
      ag_status st = ag_idx_header_of (path, &h, err, sizeof err);
      CHECK (st == AG_OK && h.type == AG_IDX_INT16 && h.ndims == 3 && h.items == 2
             && h.width == 4 && h.count == 8, "idx header (gzip %d)", gz);
      st = ag_idx_read (path, &h, out, row, err, sizeof err);
      CHECK (st == AG_OK && memcmp (out, want, sizeof want) == 0, "idx entries (gzip %d)", gz);
      size_t len = 0;
      unsigned char back[sizeof good];
      CHECK (ag_gz_length (path, &len, err, sizeof err) == AG_OK && len == sizeof good
             && ag_gz_read (path, back, len, err, sizeof err) == AG_OK
             && memcmp (back, good, len) == 0, "gzip stream read back (gzip %d)", gz);
    }
  /* Malformed: each a status and a message, nothing read past the buffers. */
  struct { size_t len; const char *why; } bad[] = {
    { 3, "too short" }, { 10, "ends inside its IDX header" }, { 30, "truncated" }
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    {
      write_bytes (path, good, bad[k].len, 1);
      ag_idx_header h;
      int16_t out[8], row[4];
      ag_status st = ag_idx_header_of (path, &h, err, sizeof err);
      if (st == AG_OK)
        st = ag_idx_read (path, &h, out, row, err, sizeof err);
      CHECK (st == AG_EARG && strstr (err, bad[k].why), "idx cut at %zu bytes: %s", bad[k].len,
             err);
    }
  unsigned char more[sizeof good + 1];
  memcpy (more, good, sizeof good);
  more[sizeof good] = 9;
  write_bytes (path, more, sizeof more, 0);
  ag_idx_header h;
  int16_t out[8], row[4];
  ag_status st = ag_idx_header_of (path, &h, err, sizeof err);
  st = st == AG_OK ? ag_idx_read (path, &h, out, row, err, sizeof err) : st;
  CHECK (st == AG_EARG && strstr (err, "has data after the 8 entries"), "idx trailing: %s", err);
  unsigned char magic[sizeof good];
  memcpy (magic, good, sizeof good);
  magic[2] = 0x0A;
  write_bytes (path, magic, sizeof magic, 0);
  CHECK (ag_idx_header_of (path, &h, err, sizeof err) == AG_EARG
         && strstr (err, "is not an IDX file"), "idx type 0x0a: %s", err);
  magic[2] = 0x08;
  magic[3] = 0;
  write_bytes (path, magic, sizeof magic, 0);
  CHECK (ag_idx_header_of (path, &h, err, sizeof err) == AG_EARG, "idx with 0 dimensions");
  /* Counts whose product does not fit. */
  const unsigned char huge[] = { 0, 0, 8, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                 0xFF, 0xFF, 0xFF, 0xFF };
  write_bytes (path, huge, sizeof huge, 0);
  CHECK (ag_idx_header_of (path, &h, err, sizeof err) == AG_ESIZE, "idx counts too large");
  /* A damaged gzip stream; a missing file; no buffers. */
  write_bytes (path, good, sizeof good, 1);
  FILE *f = fopen (path, "rb");
  unsigned char gzb[512];
  size_t gl = fread (gzb, 1, sizeof gzb, f);
  fclose (f);
  write_bytes (path, gzb, gl - 6, 0);
  size_t len;
  ag_status cut = ag_gz_length (path, &len, err, sizeof err);
  CHECK (cut == AG_EARG, "gzip stream cut short: %d, %zu bytes of %zu, len %zu", (int) cut, gl - 6, gl, len);
  unlink (path);
  CHECK (ag_gz_length (path, &len, err, sizeof err) == AG_EARG && strstr (err, "cannot be opened"),
         "a missing file");
  ag_idx_header hz = { .type = AG_IDX_INT16, .ndims = 1, .count = 8, .items = 8, .width = 1 };
  CHECK (ag_idx_read (path, &hz, NULL, NULL, err, sizeof err) == AG_ENULL, "no buffers");
  CHECK (ag_idx_elem (0x0D) == 4 && ag_idx_elem (0x0E) == 8 && ag_idx_elem (7) == 0,
         "idx entry sizes");
}
