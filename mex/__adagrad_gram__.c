/* __adagrad_gram__.c: [H, lmin, lmax] = __adagrad_gram__ (X [, W]): H_inf, or H(W), and its extreme eigenvalues. */
#include "ag_mex.h"

enum { IN_X, IN_W, NIN };
enum { OUT_H, OUT_LMIN, OUT_LMAX, NOUT };

/* With one argument H is H_inf, with W it is H(W). LMIN and LMAX, asked for,
   are the extreme eigenvalues of H (bitwise the same for any thread count);
   NaN when H has entries that are not finite. */
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

  /* Work: one workspace for H(W)'s blocks and the eigenvalues. */
  ag_sizes sz = { .n = n, .d = d, .m = m };
  ag_exec exec = ag_mex_threads (NULL);
  size_t gbytes = W ? ag_gram_bytes (&sz, NULL) : 8;
  size_t ebytes = nlhs > 1 ? ag_eig_bytes (&sz, NULL) : 8;
  if (gbytes == 0 || ebytes == 0)
    ag_mex_workspace (0, 0.0, &sz);
  void *work = ag_mex_workspace (gbytes > ebytes ? gbytes : ebytes,
                                 8.0 * (double) n * (double) n, &sz);
  mxArray *out[NOUT];
  out[OUT_H] = mxCreateDoubleMatrix (n, n, mxREAL);
  double *H = mxGetPr (out[OUT_H]);
  ag_status st = W ? ag_gram (n, d, m, X, W, H, work, &exec) : ag_gram_inf (n, d, X, H);
  double lmin = NAN, lmax = NAN;
  if (st == AG_OK && nlhs > 1)
    {
      ag_status se = ag_eig_extremes (n, H, &lmin, &lmax, work);
      if (se != AG_OK && se != AG_ENONFINITE)
        st = se;
    }
  mxFree (work);

  /* Finish. */
  ag_mex_call_status (st);
  out[OUT_LMIN] = mxCreateDoubleScalar (lmin);
  out[OUT_LMAX] = mxCreateDoubleScalar (lmax);
  ag_mex_return (nlhs, plhs, out, NOUT);
}
