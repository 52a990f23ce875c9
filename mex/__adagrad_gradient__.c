/* __adagrad_gradient__.c: [G, loss, u] = __adagrad_gradient__ (X, y, W, a [, threads]). */
#include "ag_mex.h"

enum { IN_X, IN_Y, IN_W, IN_A, IN_THREADS, NIN };
enum { OUT_G, OUT_LOSS, OUT_U, NOUT };

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check: every array has the class of X (double or single). */
  ag_mex_nargs (nrhs, IN_THREADS, NIN, nlhs, NOUT);
  ag_mex_model M = ag_mex_get_model (prhs[IN_X], prhs[IN_W], prhs[IN_A]);
  const void *y = ag_mex_matrix (prhs[IN_Y], "Y", M.n, 1, M.cls);
  ag_exec exec = ag_mex_exec (nrhs, prhs, IN_THREADS);

  /* Work. */
  ag_sizes sz = { .n = M.n, .d = M.d, .m = M.m, .single = M.cls == mxSINGLE_CLASS };
  void *work = ag_mex_workspace (ag_forward_bytes (&sz, &exec),
                                 8.0 * ((double) M.m * (double) M.d + (double) M.n), &sz);
  mxArray *out[NOUT];
  out[OUT_G] = mxCreateNumericMatrix (M.m, M.d, M.cls, mxREAL);
  out[OUT_U] = mxCreateNumericMatrix (M.n, 1, M.cls, mxREAL);
  double loss = 0.0;
  void *G = mxGetData (out[OUT_G]), *u = mxGetData (out[OUT_U]);
  ag_status st = M.cls == mxSINGLE_CLASS
    ? ag_gradient_f (M.n, M.d, M.m, M.X, y, M.W, M.a, G, u, &loss, work, &exec)
    : ag_gradient (M.n, M.d, M.m, M.X, y, M.W, M.a, G, u, &loss, work, &exec);

  /* Finish. */
  mxFree (work);
  ag_mex_status (st);
  out[OUT_LOSS] = mxCreateDoubleScalar (loss);
  ag_mex_return (nlhs, plhs, out, NOUT);
}
