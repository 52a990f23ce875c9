/* __adagrad_step__.c: [W, state, rec] = __adagrad_step__ (W, G, state, opts), one step of a rule. */
#include "ag_mex.h"

enum { IN_W, IN_G, IN_STATE, IN_OPTS, NIN };
enum { OUT_W, OUT_STATE, OUT_REC, NOUT };

/* OPTS: rule, eta, params (as for ag_mex_optimizer), resnorm and n (read by
   adaloss), threads. STATE: the rule's state (see ag_mex_state). REC: the
   effective step ||W(k+1) - W(k)||_F / ||G||_F (step; NaN when G = 0), the
   rule's rate (rate; its 10% and 90% quantiles ratelo and ratehi) and
   gnorm = ||G||_F. The caller's W and STATE are left as they were. */
void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check: G and the state arrays have the class of W (double or single). */
  ag_mex_nargs (nrhs, NIN, NIN, nlhs, NOUT);
  if (! (mxIsDouble (prhs[IN_W]) || mxIsSingle (prhs[IN_W])))
    ag_mex_fail ("adagrad:badclass", "W", "a real, full, 2-D double or single matrix");
  mxClassID cls = mxGetClassID (prhs[IN_W]);
  ag_mex_matrix (prhs[IN_W], "W", 0, 0, cls);
  size_t m = mxGetM (prhs[IN_W]), d = mxGetN (prhs[IN_W]);
  const void *G = ag_mex_matrix (prhs[IN_G], "G", m, d, cls);
  const mxArray *opts = prhs[IN_OPTS];
  ag_optimizer opt = ag_mex_optimizer (opts, "OPTS");
  double resnorm = ag_mex_scalar (ag_mex_field (opts, "OPTS", "resnorm"), "RESNORM");
  double n = ag_mex_count (ag_mex_field (opts, "OPTS", "n"), "N");
  ag_exec exec = ag_mex_threads (ag_mex_field (opts, "OPTS", "threads"));
  ag_sizes sz = { .m = m, .d = d, .single = cls == mxSINGLE_CLASS, .rule = opt.rule };
  size_t elem = cls == mxSINGLE_CLASS ? sizeof (float) : sizeof (double);
  size_t bytes = ag_step_bytes (&sz, &exec);

  /* Work: on copies, so that the caller's W and state are untouched. */
  void *work = ag_mex_workspace (bytes, (double) elem * (double) m * (double) d
                                        * (1.0 + opt.rule->narrays), &sz);
  mxArray *out[NOUT];
  ag_state st;
  ag_mex_state (prhs[IN_STATE], "STATE", opt.rule, m, d, cls, &st, &out[OUT_STATE]);
  out[OUT_W] = ag_mex_copy (prhs[IN_W], m, d, cls);
  double rec[4] = { 0 };
  void *W = mxGetData (out[OUT_W]);
  ag_status status = cls == mxSINGLE_CLASS
    ? ag_step_f (&opt, m, d, W, G, resnorm, (size_t) n, &st, rec, work, &exec)
    : ag_step (&opt, m, d, W, G, resnorm, (size_t) n, &st, rec, work, &exec);

  /* Finish. */
  mxFree (work);
  ag_mex_call_status (status);
  ag_mex_state_finish (opt.rule, &st, out[OUT_STATE]);
  const void *W0 = mxGetData (prhs[IN_W]);
  double dw = cls == mxSINGLE_CLASS
    ? ag_diff_norm_f (m, d, (const float *) W, (const float *) W0, &exec)
    : ag_diff_norm (m, d, (const double *) W, (const double *) W0, &exec);
  static const char *fields[] = { "step", "rate", "ratelo", "ratehi", "gnorm" };
  out[OUT_REC] = mxCreateStructMatrix (1, 1, 5, fields);
  mxSetField (out[OUT_REC], 0, "step", mxCreateDoubleScalar (rec[3] > 0.0 ? dw / rec[3] : NAN));
  mxSetField (out[OUT_REC], 0, "rate", mxCreateDoubleScalar (rec[1]));
  mxSetField (out[OUT_REC], 0, "ratelo", mxCreateDoubleScalar (rec[0]));
  mxSetField (out[OUT_REC], 0, "ratehi", mxCreateDoubleScalar (rec[2]));
  mxSetField (out[OUT_REC], 0, "gnorm", mxCreateDoubleScalar (rec[3]));
  ag_mex_return (nlhs, plhs, out, NOUT);
}
