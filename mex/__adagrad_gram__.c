/* __adagrad_gram__.c: H = __adagrad_gram__ (X) is H_inf; H = __adagrad_gram__ (X, W) is H(W). */
#include "ag_mex.h"

enum { IN_X, IN_W, NIN };
enum { OUT_H, NOUT };

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check: double precision only. */
  ag_mex_nargs (nrhs, IN_W, NIN, nlhs, NOUT);
  const double *X = ag_mex_matrix (prhs[IN_X], "X", 0, 0, mxDOUBLE_CLASS);
  size_t n = mxGetM (prhs[IN_X]), d = mxGetN (prhs[IN_X]);
  const double *W = NULL;
  size_t m = 0;
  if (nrhs > IN_W)
    {
      W = ag_mex_matrix (prhs[IN_W], "W", 0, d, mxDOUBLE_CLASS);
      m = mxGetM (prhs[IN_W]);
    }

  /* Work. */
  ag_sizes sz = { .n = n, .d = d, .m = m };
  ag_status st;
  if (W)
    {
      void *work = ag_mex_workspace (ag_gram_bytes (&sz, NULL), 8.0 * (double) n * (double) n,
                                     &sz);
      plhs[OUT_H] = mxCreateDoubleMatrix (n, n, mxREAL);
      st = ag_gram (n, d, m, X, W, mxGetPr (plhs[OUT_H]), work);
      mxFree (work);
    }
  else
    {
      ag_mex_probe (8.0 * (double) n * (double) n);
      plhs[OUT_H] = mxCreateDoubleMatrix (n, n, mxREAL);
      st = ag_gram_inf (n, d, X, mxGetPr (plhs[OUT_H]));
    }

  /* Finish. */
  ag_mex_status (st);
}
