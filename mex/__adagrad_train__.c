/* __adagrad_train__.c: [W, state, rec] = __adagrad_train__ (X, y, W, a, state, opts), the fused loop. */
#define _POSIX_C_SOURCE 200809L
#include "ag_mex.h"

#include <signal.h>
#include <time.h>

/* X, y, W, a, the state arrays (and opts.W0) are all double or all single.
   OPTS: rule, eta, params (ag_mex_optimizer), tol, maxiter (at most 1e6 a
   call), seconds (return after that much wall time; Inf: no limit), threads,
   diagevery (0: no diagnostics), k0 (global index of the first iterate) and,
   with diagnostics, W0.
   REC: iters, stop (its name, from the core), interrupted (Ctrl-C: the state
   so far is returned, so that the caller can keep it before raising
   adagrad:interrupted), loss and time (iters + 1 entries), gnorm, b, step,
   steplo, stephi (iters entries), and diag (struct: iter, flips, move, dist). */
enum { IN_X, IN_Y, IN_W, IN_A, IN_STATE, IN_OPTS, NIN };
enum { OUT_W, OUT_STATE, OUT_REC, NOUT };

typedef struct monitor_ctx {
  struct timespec t0;
  double seconds;
} monitor_ctx;

static int
monitor (void *p, long k)
{
  monitor_ctx *ctx = (monitor_ctx *) p;
  (void) k;
  if (isfinite (ctx->seconds))
    {
      struct timespec t;
      clock_gettime (CLOCK_MONOTONIC, &t);
      double el = (double) (t.tv_sec - ctx->t0.tv_sec)
                  + 1e-9 * (double) (t.tv_nsec - ctx->t0.tv_nsec);
      return el >= ctx->seconds;
    }
  return 0;
}

static mxArray *
column (const double *v, long count)
{
  mxArray *A = mxCreateDoubleMatrix ((size_t) count, 1, mxREAL);
  if (count > 0)
    memcpy (mxGetPr (A), v, (size_t) count * sizeof (double));
  return A;
}

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check. */
  ag_mex_nargs (nrhs, NIN, NIN, nlhs, NOUT);
  ag_mex_model M = ag_mex_get_model (prhs[IN_X], prhs[IN_W], prhs[IN_A]);
  const void *y = ag_mex_matrix (prhs[IN_Y], "Y", M.n, 1, M.cls);
  const size_t n = M.n, d = M.d, m = M.m;
  const mxArray *O = prhs[IN_OPTS];
  ag_train_opts opt = { .optim = ag_mex_optimizer (O, "OPTS") };
  opt.tol = ag_mex_scalar (ag_mex_field (O, "OPTS", "tol"), "TOL");
  double maxiter = ag_mex_count (ag_mex_field (O, "OPTS", "maxiter"), "MAXITER");
  if (maxiter > 1e6)
    ag_mex_fail ("adagrad:badvalue", "MAXITER", "at most 1e6 per call");
  opt.maxiter = (long) maxiter;
  monitor_ctx ctx;
  ctx.seconds = ag_mex_scalar (ag_mex_field (O, "OPTS", "seconds"), "SECONDS");
  if (! (ctx.seconds > 0))
    ag_mex_fail ("adagrad:badvalue", "SECONDS", "positive (Inf for no limit)");
  opt.monitor = monitor;
  opt.ctx = &ctx;
  opt.cancel = &octave_signal_caught;
  ag_exec exec = ag_mex_threads (ag_mex_field (O, "OPTS", "threads"));
  double every = ag_mex_count (ag_mex_field (O, "OPTS", "diagevery"), "DIAGEVERY");
  double k0 = ag_mex_count (ag_mex_field (O, "OPTS", "k0"), "K0");
  if (every > 1e15 || k0 > 1e15)
    ag_mex_fail ("adagrad:badvalue", "DIAGEVERY and K0", "at most 1e15");
  opt.diag_every = (long) every;
  opt.k0 = (long) k0;
  if (opt.diag_every > 0)
    opt.W0 = ag_mex_matrix (ag_mex_field (O, "OPTS", "W0"), "W0", m, d, M.cls);
  ag_sizes sz = { .n = n, .d = d, .m = m, .single = M.cls == mxSINGLE_CLASS,
                  .rule = opt.optim.rule, .iters = opt.maxiter,
                  .diag_every = opt.diag_every };
  size_t elem = M.cls == mxSINGLE_CLASS ? sizeof (float) : sizeof (double);

  /* Work: one workspace, allocated here before the loop; the outputs (W, the
     state arrays, the records) are probed with it. */
  double outputs = (double) elem * (double) m * (double) d * (1.0 + opt.optim.rule->narrays)
                   + 8.0 * (7.0 * maxiter + 4.0 * (maxiter / (every > 0 ? every : 1) + 2));
  void *work = ag_mex_workspace (ag_train_bytes (&sz, &exec), outputs, &sz);
  mxArray *out[NOUT];
  ag_state st;
  ag_mex_state (prhs[IN_STATE], opt.optim.rule, m, d, M.cls, &st, &out[OUT_STATE]);
  out[OUT_W] = ag_mex_copy (prhs[IN_W], m, d, M.cls);
  void *W = mxGetData (out[OUT_W]);
  ag_train_result res = { 0 };
  clock_gettime (CLOCK_MONOTONIC, &ctx.t0);
  ag_status status = M.cls == mxSINGLE_CLASS
    ? ag_train_f (n, d, m, M.X, y, M.a, W, &st, &opt, work, &res, &exec)
    : ag_train (n, d, m, M.X, y, M.a, W, &st, &opt, work, &res, &exec);
  if (status != AG_OK)
    mxFree (work);
  ag_mex_status (status);
  int interrupted = res.stop == AG_STOP_CANCELLED;
  if (interrupted)
    /* Taken over here: the caller reports it as a catchable error, after
       keeping the state that this call returns. */
    octave_signal_caught = 0;

  /* Finish. */
  ag_mex_state_finish (opt.optim.rule, &st, out[OUT_STATE]);
  static const char *fields[] = { "iters", "stop", "interrupted", "loss", "time", "gnorm",
                                  "b", "step", "steplo", "stephi", "diag" };
  static const char *dfields[] = { "iter", "flips", "move", "dist" };
  mxArray *R = mxCreateStructMatrix (1, 1, 11, fields);
  long K = res.iters;
  mxSetField (R, 0, "iters", mxCreateDoubleScalar ((double) K));
  mxSetField (R, 0, "stop", mxCreateString (ag_stop_name (res.stop)));
  mxSetField (R, 0, "interrupted", mxCreateLogicalScalar (interrupted));
  mxSetField (R, 0, "loss", column (res.loss, K + 1));
  mxSetField (R, 0, "time", column (res.time, K + 1));
  mxSetField (R, 0, "gnorm", column (res.gnorm, K));
  mxSetField (R, 0, "b", column (res.b, K));
  mxSetField (R, 0, "step", column (res.step, K));
  mxSetField (R, 0, "steplo", column (res.steplo, K));
  mxSetField (R, 0, "stephi", column (res.stephi, K));
  mxArray *D = mxCreateStructMatrix (1, 1, 4, dfields);
  mxSetField (D, 0, "iter", column (res.diter, res.ndiag));
  mxSetField (D, 0, "flips", column (res.flips, res.ndiag));
  mxSetField (D, 0, "move", column (res.move, res.ndiag));
  mxSetField (D, 0, "dist", column (res.dist, res.ndiag));
  mxSetField (R, 0, "diag", D);
  out[OUT_REC] = R;
  mxFree (work);
  ag_mex_return (nlhs, plhs, out, NOUT);
}
