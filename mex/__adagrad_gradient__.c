/* __adagrad_gradient__.c: [G, loss, u] = __adagrad_gradient__ (X, y, W, a [, threads]). */
#include "ag_mex.h"

enum { IN_X, IN_Y, IN_W, IN_A, IN_THREADS, NIN };
enum { OUT_G, OUT_LOSS, OUT_U, NOUT };

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check: every array has the class of X (double or single). */
  ag_mex_nargs (nrhs, IN_THREADS, NIN, nlhs, NOUT);
  mxClassID cls = ag_mex_class (prhs[IN_X]);
  const void *X = ag_mex_matrix (prhs[IN_X], "X", 0, 0, cls);
  size_t n = mxGetM (prhs[IN_X]), d = mxGetN (prhs[IN_X]);
  const void *y = ag_mex_matrix (prhs[IN_Y], "Y", n, 1, cls);
  const void *W = ag_mex_matrix (prhs[IN_W], "W", 0, d, cls);
  size_t m = mxGetM (prhs[IN_W]);
  const void *a = ag_mex_matrix (prhs[IN_A], "A", m, 1, cls);
  ag_exec exec = ag_mex_exec (nrhs, prhs, IN_THREADS);

  /* Work. */
  void *work = ag_mex_workspace (n, d, m, &exec);
  mxArray *out[NOUT];
  out[OUT_G] = mxCreateNumericMatrix (m, d, cls, mxREAL);
  out[OUT_U] = mxCreateNumericMatrix (n, 1, cls, mxREAL);
  double loss = 0.0;
  void *G = mxGetData (out[OUT_G]), *u = mxGetData (out[OUT_U]);
  int st = cls == mxSINGLE_CLASS
    ? ag_gradient_f (n, d, m, X, y, W, a, G, u, &loss, work, &exec)
    : ag_gradient (n, d, m, X, y, W, a, G, u, &loss, work, &exec);

  /* Finish. */
  mxFree (work);
  ag_mex_status (st);
  out[OUT_LOSS] = mxCreateDoubleScalar (loss);
  ag_mex_return (nlhs, plhs, out, NOUT);
}
