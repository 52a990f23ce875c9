/* __adagrad_step__.c: [W, b, step] = __adagrad_step__ (W, G, b, rule, eta, alpha, resnorm, n [, threads]). */
#include "ag_mex.h"

enum { IN_W, IN_G, IN_B, IN_RULE, IN_ETA, IN_ALPHA, IN_RESNORM, IN_N, IN_THREADS, NIN };
enum { OUT_W, OUT_B, OUT_STEP, NOUT };

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check: G has the class of W (double or single). */
  ag_mex_nargs (nrhs, IN_THREADS, NIN, nlhs, NOUT);
  if (! (mxIsDouble (prhs[IN_W]) || mxIsSingle (prhs[IN_W])))
    ag_mex_fail ("adagrad:badclass", "W", "a real, full, 2-D double or single matrix");
  mxClassID cls = mxGetClassID (prhs[IN_W]);
  ag_mex_matrix (prhs[IN_W], "W", 0, 0, cls);
  size_t m = mxGetM (prhs[IN_W]), d = mxGetN (prhs[IN_W]);
  const void *G = ag_mex_matrix (prhs[IN_G], "G", m, d, cls);
  double b = ag_mex_scalar (prhs[IN_B], "B");
  ag_rule rule = ag_mex_rule (prhs[IN_RULE]);
  double eta = ag_mex_scalar (prhs[IN_ETA], "ETA");
  double alpha = ag_mex_scalar (prhs[IN_ALPHA], "ALPHA");
  double resnorm = ag_mex_scalar (prhs[IN_RESNORM], "RESNORM");
  double n = ag_mex_count (prhs[IN_N], "N");
  ag_exec exec = ag_mex_exec (nrhs, prhs, IN_THREADS);

  /* Work: on a copy, so that the caller's W is untouched. */
  ag_mex_probe (8.0 * (double) m * (double) d);
  mxArray *out[NOUT];
  out[OUT_W] = mxDuplicateArray (prhs[IN_W]);
  double step = 0.0;
  void *W = mxGetData (out[OUT_W]);
  int st = cls == mxSINGLE_CLASS
    ? ag_step_f (rule, m, d, W, G, eta, alpha, resnorm, (size_t) n, &b, &step, &exec)
    : ag_step (rule, m, d, W, G, eta, alpha, resnorm, (size_t) n, &b, &step, &exec);

  /* Finish. */
  ag_mex_status (st);
  out[OUT_B] = mxCreateDoubleScalar (b);
  out[OUT_STEP] = mxCreateDoubleScalar (step);
  ag_mex_return (nlhs, plhs, out, NOUT);
}
