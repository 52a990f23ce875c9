/* __adagrad_forward__.c: u = __adagrad_forward__ (X, W, a [, threads]), the network's output. */
#include "ag_mex.h"

enum { IN_X, IN_W, IN_A, IN_THREADS, NIN };
enum { OUT_U, NOUT };

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check: every array has the class of X (double or single). */
  ag_mex_nargs (nrhs, IN_THREADS, NIN, nlhs, NOUT);
  mxClassID cls = ag_mex_class (prhs[IN_X]);
  const void *X = ag_mex_matrix (prhs[IN_X], "X", 0, 0, cls);
  size_t n = mxGetM (prhs[IN_X]), d = mxGetN (prhs[IN_X]);
  const void *W = ag_mex_matrix (prhs[IN_W], "W", 0, d, cls);
  size_t m = mxGetM (prhs[IN_W]);
  const void *a = ag_mex_matrix (prhs[IN_A], "A", m, 1, cls);
  ag_exec exec = ag_mex_exec (nrhs, prhs, IN_THREADS);

  /* Work. */
  void *work = ag_mex_workspace (n, d, m, &exec);
  plhs[OUT_U] = mxCreateNumericMatrix (n, 1, cls, mxREAL);
  int st = cls == mxSINGLE_CLASS
    ? ag_forward_f (n, d, m, X, W, a, mxGetData (plhs[OUT_U]), work, &exec)
    : ag_forward (n, d, m, X, W, a, mxGetData (plhs[OUT_U]), work, &exec);

  /* Finish. */
  mxFree (work);
  ag_mex_status (st);
}
