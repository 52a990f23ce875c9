/* __adagrad_forward__.c: u = __adagrad_forward__ (X, W, a [, threads]), the network's output. */
#include "ag_mex.h"

enum { IN_X, IN_W, IN_A, IN_THREADS, NIN };
enum { OUT_U, NOUT };

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check: every array has the class of X (double or single). */
  ag_mex_nargs (nrhs, IN_THREADS, NIN, nlhs, NOUT);
  ag_mex_model M = ag_mex_get_model (prhs[IN_X], prhs[IN_W], prhs[IN_A]);
  ag_exec exec = ag_mex_exec (nrhs, prhs, IN_THREADS);

  /* Work. */
  size_t bytes = ag_workspace_size (M.n, M.d, M.m, &exec);
  ag_mex_probe ((double) bytes + 8.0 * M.n);
  void *work = ag_mex_workspace (bytes, M.n, M.d, M.m);
  plhs[OUT_U] = mxCreateNumericMatrix (M.n, 1, M.cls, mxREAL);
  void *u = mxGetData (plhs[OUT_U]);
  int st = M.cls == mxSINGLE_CLASS
    ? ag_forward_f (M.n, M.d, M.m, M.X, M.W, M.a, u, work, &exec)
    : ag_forward (M.n, M.d, M.m, M.X, M.W, M.a, u, work, &exec);

  /* Finish. */
  mxFree (work);
  ag_mex_status (st);
}
