/* test_sha256.c: C tests of SHA-256. */
#include "common.h"

/* SHA-256: the FIPS 180-4 test vectors, and any split of a message into
   update calls gives the digest of the whole. */
void
test_sha256 (void)
{
  static const struct { const char *msg; const char *hex; } v[] = {
    { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
  };
  char hex[65];
  ag_sha256 s;
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    {
      ag_sha256_init (&s);
      ag_sha256_update (&s, v[i].msg, strlen (v[i].msg));
      ag_sha256_final (&s, hex);
      CHECK (strcmp (hex, v[i].hex) == 0, "sha256 of \"%s\": %s", v[i].msg, hex);
    }
  static char a[1000000];
  memset (a, 'a', sizeof a);
  ag_sha256_init (&s);
  ag_sha256_update (&s, a, sizeof a);
  ag_sha256_final (&s, hex);
  CHECK (strcmp (hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
         "sha256 of a million a: %s", hex);
  /* Pieces of 1, 2, ..., 130 bytes (every offset into a block), and empty
     updates with a NULL pointer between them. */
  char whole[65];
  ag_sha256_init (&s);
  ag_sha256_update (&s, a, 8515);
  ag_sha256_final (&s, whole);
  ag_sha256_init (&s);
  size_t at = 0;
  for (size_t len = 1; at < 8515; len = len % 130 + 1)
    {
      size_t take = at + len > 8515 ? 8515 - at : len;
      ag_sha256_update (&s, a + at, take);
      ag_sha256_update (&s, NULL, 0);
      at += take;
    }
  ag_sha256_final (&s, hex);
  CHECK (strcmp (hex, whole) == 0, "sha256 in pieces differs: %s vs %s", hex, whole);
}
