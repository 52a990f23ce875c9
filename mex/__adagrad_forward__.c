/* __adagrad_forward__.c: u = __adagrad_forward__ (X, W, a), the network's output. */
#include "ag_mex.h"

enum { IN_X, IN_W, IN_A, NIN };
enum { OUT_U, NOUT };

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check. */
  ag_mex_nargs (nrhs, NIN, nlhs, NOUT);
  const double *X = ag_mex_matrix (prhs[IN_X], "X", 0, 0);
  size_t n = mxGetM (prhs[IN_X]), d = mxGetN (prhs[IN_X]);
  const double *W = ag_mex_matrix (prhs[IN_W], "W", 0, d);
  size_t m = mxGetM (prhs[IN_W]);
  const double *a = ag_mex_matrix (prhs[IN_A], "A", m, 1);

  /* Work. */
  void *work = ag_mex_workspace (n, d, m);
  plhs[OUT_U] = mxCreateDoubleMatrix (n, 1, mxREAL);
  int st = ag_forward (n, d, m, X, W, a, mxGetPr (plhs[OUT_U]), work);

  /* Finish. */
  mxFree (work);
  ag_mex_status (st);
}
