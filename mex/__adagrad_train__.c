/* __adagrad_train__.c: the fused training loop behind adagrad_train. */
#define _POSIX_C_SOURCE 200809L
#include "ag_mex.h"

#include <signal.h>
#include <time.h>

/* Octave sets this on SIGINT; there is no utIsInterruptPending in Octave. */
extern volatile sig_atomic_t octave_signal_caught;

/* [W, b, iters, stop, loss, time, gnorm, bk, step, interrupted,
    diter, flips, move, dist] =
     __adagrad_train__ (X, y, W, a, b, rule, eta, alpha, tol, maxiter, seconds
                        [, threads [, W0, every, k0]])
   X, y, W, a (and W0) are all double or all single; the records are double.
   With W0, the diagnostics of ag_diag are recorded at every global iterate
   (k0 + local index) that is a multiple of EVERY; otherwise they are empty.
   Runs at most MAXITER steps, returning early after SECONDS of wall time
   (Inf: no limit) or on Ctrl-C (INTERRUPTED = true; the state so far is
   returned, so that the caller can keep it before raising adagrad:interrupted). */
enum { IN_X, IN_Y, IN_W, IN_A, IN_B, IN_RULE, IN_ETA, IN_ALPHA, IN_TOL,
       IN_MAXITER, IN_SECONDS, IN_THREADS, IN_W0, IN_EVERY, IN_K0, NIN };
enum { OUT_W, OUT_B, OUT_ITERS, OUT_STOP, OUT_LOSS, OUT_TIME, OUT_GNORM,
       OUT_BK, OUT_STEP, OUT_INTERRUPTED, OUT_DITER, OUT_FLIPS, OUT_MOVE,
       OUT_DIST, NOUT };

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
  ag_mex_nargs (nrhs, IN_THREADS, NIN, nlhs, NOUT);
  if (nrhs > IN_THREADS + 1 && nrhs < NIN)
    mexErrMsgIdAndTxt ("adagrad:nargin", "W0 needs EVERY and K0 (15 arguments)");
  ag_mex_model M = ag_mex_get_model (prhs[IN_X], prhs[IN_W], prhs[IN_A]);
  const void *y = ag_mex_matrix (prhs[IN_Y], "Y", M.n, 1, M.cls);
  const size_t n = M.n, d = M.d, m = M.m;
  double b = ag_mex_scalar (prhs[IN_B], "B");
  ag_train_opts opt;
  opt.rule = ag_mex_rule (prhs[IN_RULE]);
  opt.eta = ag_mex_scalar (prhs[IN_ETA], "ETA");
  opt.alpha = ag_mex_scalar (prhs[IN_ALPHA], "ALPHA");
  opt.tol = ag_mex_scalar (prhs[IN_TOL], "TOL");
  double maxiter = ag_mex_count (prhs[IN_MAXITER], "MAXITER");
  if (maxiter > 1e7)
    ag_mex_fail ("adagrad:badvalue", "MAXITER", "at most 1e7 per call");
  opt.maxiter = (long) maxiter;
  monitor_ctx ctx;
  ctx.seconds = ag_mex_scalar (prhs[IN_SECONDS], "SECONDS");
  if (! (ctx.seconds > 0))
    ag_mex_fail ("adagrad:badvalue", "SECONDS", "positive (Inf for no limit)");
  clock_gettime (CLOCK_MONOTONIC, &ctx.t0);
  opt.monitor = monitor;
  opt.ctx = &ctx;
  opt.cancel = &octave_signal_caught;
  ag_exec exec = ag_mex_exec (nrhs, prhs, IN_THREADS);

  ag_diag diag;
  opt.diag = NULL;
  if (nrhs == NIN)
    {
      diag.W0 = ag_mex_matrix (prhs[IN_W0], "W0", m, d, M.cls);
      double every = ag_mex_count (prhs[IN_EVERY], "EVERY");
      double k0 = ag_mex_count (prhs[IN_K0], "K0");
      if (every < 1 || every > 1e15 || k0 > 1e15)
        ag_mex_fail ("adagrad:badvalue", "EVERY", "a positive integer (K0 at most 1e15)");
      diag.every = (long) every;
      diag.k0 = (long) k0;
      opt.diag = &diag;
    }

  /* Work: every buffer is allocated here, once, before the loop. */
  size_t bytes = ag_workspace_size (n, d, m, &exec);
  ag_mex_probe ((double) bytes + 16.0 * (double) m * (double) d + 40.0 * ((double) opt.maxiter + 1)
                + (opt.diag ? (double) ag_diag_workspace_size (n, m)
                              + 32.0 * ((double) opt.maxiter + 2) : 0.0));
  void *work = ag_mex_workspace (bytes, n, d, m);
  size_t elem = M.cls == mxSINGLE_CLASS ? sizeof (float) : sizeof (double);
  void *spare = mxMalloc (m * d * elem);
  size_t len = (size_t) opt.maxiter + 1;
  double *rec = (double *) mxMalloc (5 * len * sizeof (double));
  ag_trace trace = { rec, rec + len, rec + 2 * len, rec + 3 * len, rec + 4 * len };
  double *drec = NULL;
  if (opt.diag)
    {
      size_t dlen = (size_t) opt.maxiter / (size_t) diag.every + 2;
      drec = (double *) mxMalloc (4 * dlen * sizeof (double));
      diag.iter = drec;
      diag.flips = drec + dlen;
      diag.move = drec + 2 * dlen;
      diag.dist = drec + 3 * dlen;
      diag.work = mxMalloc (ag_diag_workspace_size (n, m));
      diag.count = 0;
    }
  mxArray *out[NOUT];
  out[OUT_W] = mxDuplicateArray (prhs[IN_W]);
  long iters = 0;
  ag_stop stop = AG_STOP_MAXITER;
  void *W = mxGetData (out[OUT_W]);
  int st = M.cls == mxSINGLE_CLASS
    ? ag_train_f (n, d, m, M.X, y, M.a, W, &b, &opt, spare, work, &trace, &iters, &stop, &exec)
    : ag_train (n, d, m, M.X, y, M.a, W, &b, &opt, spare, work, &trace, &iters, &stop, &exec);
  mxFree (spare);
  mxFree (work);
  if (opt.diag)
    mxFree (diag.work);
  ag_mex_status (st);
  int interrupted = stop == AG_STOP_CANCELLED;
  if (interrupted)
    /* Taken over here: the caller reports it as a catchable error, after
       keeping the state that this call returns. */
    octave_signal_caught = 0;

  /* Finish. */
  out[OUT_B] = mxCreateDoubleScalar (b);
  out[OUT_ITERS] = mxCreateDoubleScalar ((double) iters);
  out[OUT_STOP] = mxCreateDoubleScalar ((double) stop);
  out[OUT_LOSS] = column (trace.loss, iters + 1);
  out[OUT_TIME] = column (trace.time, iters + 1);
  out[OUT_GNORM] = column (trace.gnorm, iters);
  out[OUT_BK] = column (trace.b, iters);
  out[OUT_STEP] = column (trace.step, iters);
  out[OUT_INTERRUPTED] = mxCreateLogicalScalar (interrupted);
  long dn = opt.diag ? diag.count : 0;
  out[OUT_DITER] = column (opt.diag ? diag.iter : NULL, dn);
  out[OUT_FLIPS] = column (opt.diag ? diag.flips : NULL, dn);
  out[OUT_MOVE] = column (opt.diag ? diag.move : NULL, dn);
  out[OUT_DIST] = column (opt.diag ? diag.dist : NULL, dn);
  mxFree (rec);
  if (drec)
    mxFree (drec);
  ag_mex_return (nlhs, plhs, out, NOUT);
}
