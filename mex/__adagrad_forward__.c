/* __adagrad_forward__.c: U = __adagrad_forward__ (X, W, A [, threads]), the network's
   outputs (n-by-K for A m-by-K). */
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
  ag_sizes sz = { .n = M.n, .d = M.d, .m = M.m, .outputs = M.K,
                  .single = M.cls == mxSINGLE_CLASS };
  void *work = ag_mex_workspace (ag_forward_bytes (&sz, &exec), 8.0 * M.n * M.K, &sz);
  plhs[OUT_U] = mxCreateNumericMatrix (M.n, M.K, M.cls, mxREAL);
  void *u = mxGetData (plhs[OUT_U]);
  ag_status st = M.cls == mxSINGLE_CLASS
    ? ag_forward_k_f (M.n, M.d, M.m, M.K, M.X, M.W, M.a, u, work, &exec)
    : ag_forward_k (M.n, M.d, M.m, M.K, M.X, M.W, M.a, u, work, &exec);

  /* Finish. */
  mxFree (work);
  ag_mex_call_status (st);
}
