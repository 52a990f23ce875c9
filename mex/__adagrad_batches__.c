/* __adagrad_batches__.c: [B, seen] = __adagrad_batches__ (n, size, sampling, seed, seen, t0, K),
   the batches of K steps of the package's schedule (ag_batch_rows). */
#include "ag_mex.h"

/* SAMPLING: "shuffle" or "replace"; SEEN: rows used before the first of the
   K steps, T0 its global index. B: K-by-SIZE, row k the 1-based rows of step
   t0 + k - 1, a shorter batch (the last of an epoch) ending in zeros; SEEN:
   the rows used after the K steps. */
enum { IN_N, IN_SIZE, IN_SAMPLING, IN_SEED, IN_SEEN, IN_T0, IN_K, NIN };

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  ag_mex_nargs (nrhs, NIN, NIN, nlhs, 2);
  double n = ag_mex_count (prhs[IN_N], "N");
  double size = ag_mex_count (prhs[IN_SIZE], "SIZE");
  ag_batching b = { .sampling = ag_mex_sampling (prhs[IN_SAMPLING]),
                    .batchseed = ag_mex_seed (prhs[IN_SEED]) };
  double seen = ag_mex_count (prhs[IN_SEEN], "SEEN");
  double t0 = ag_mex_count (prhs[IN_T0], "T0");
  double K = ag_mex_count (prhs[IN_K], "K");
  if (b.sampling != AG_SHUFFLE && b.sampling != AG_REPLACE)
    ag_mex_fail ("adagrad:badvalue", "SAMPLING", "\"shuffle\" or \"replace\"");
  if (n < 1 || n > 4294967295.0)
    ag_mex_fail ("adagrad:badvalue", "N", "an integer in [1, 2^32 - 1]");
  if (size < 1 || size > n)
    ag_mex_fail ("adagrad:badvalue", "SIZE", "an integer in [1, n]");
  if (K * size > 1e9)
    ag_mex_fail ("adagrad:badvalue", "K * SIZE", "at most 1e9");
  b.batchsize = (size_t) size;
  ag_mex_probe (8.0 * K * size + 4.0 * (n + size));
  mxArray *B = mxCreateDoubleMatrix ((size_t) K, b.batchsize, mxREAL);
  double *out = mxGetPr (B);
  uint32_t *perm = mxMalloc ((size_t) n * sizeof (uint32_t));
  uint32_t *rows = mxMalloc (b.batchsize * sizeof (uint32_t));
  uint64_t pe = UINT64_MAX, s = (uint64_t) seen;
  for (size_t k = 0; k < (size_t) K; k++)
    {
      size_t nb = ag_batch_rows (&b, (size_t) n, s, (uint64_t) t0 + k, perm, &pe, rows);
      for (size_t j = 0; j < nb; j++)
        out[k + j * (size_t) K] = (double) rows[j] + 1.0;
      s += nb;
    }
  mxFree (perm);
  mxFree (rows);
  plhs[0] = B;
  if (nlhs > 1)
    plhs[1] = mxCreateDoubleScalar ((double) s);
}
