/* __adagrad_gradient__.c: [G, loss, u] = __adagrad_gradient__ (X, y, W, a). */
#include "ag_mex.h"

enum { IN_X, IN_Y, IN_W, IN_A, NIN };
enum { OUT_G, OUT_LOSS, OUT_U, NOUT };

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check. */
  ag_mex_nargs (nrhs, NIN, nlhs, NOUT);
  const double *X = ag_mex_matrix (prhs[IN_X], "X", 0, 0);
  size_t n = mxGetM (prhs[IN_X]), d = mxGetN (prhs[IN_X]);
  const double *y = ag_mex_matrix (prhs[IN_Y], "Y", n, 1);
  const double *W = ag_mex_matrix (prhs[IN_W], "W", 0, d);
  size_t m = mxGetM (prhs[IN_W]);
  const double *a = ag_mex_matrix (prhs[IN_A], "A", m, 1);

  /* Work. */
  void *work = ag_mex_workspace (n, d, m);
  mxArray *out[NOUT];
  out[OUT_G] = mxCreateDoubleMatrix (m, d, mxREAL);
  out[OUT_U] = mxCreateDoubleMatrix (n, 1, mxREAL);
  double loss = 0.0;
  int st = ag_gradient (n, d, m, X, y, W, a, mxGetPr (out[OUT_G]),
                        mxGetPr (out[OUT_U]), &loss, work);

  /* Finish. */
  mxFree (work);
  ag_mex_status (st);
  out[OUT_LOSS] = mxCreateDoubleScalar (loss);
  ag_mex_return (nlhs, plhs, out, NOUT);
}
