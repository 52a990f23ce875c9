/* __adagrad_gradient__.c: [G, loss, u] = __adagrad_gradient__ (X, y, W, a [, threads]);
   (a m-by-K: K outputs, y n-by-K or, for a loss of labels, n labels; u n-by-K);
   [gnorm, loss] = __adagrad_gradient__ (X, y, W, a, threads, "norm");
   loss = __adagrad_gradient__ (X, y, W, a, threads, "loss");
   [G, loss, u] = __adagrad_gradient__ (X, y, W, a, threads, "grad"); each
   with a last argument LOSS, a name of the loss table (default: its
   default entry). */
#include "ag_mex.h"

enum { IN_X, IN_Y, IN_W, IN_A, IN_THREADS, IN_MODE, IN_LOSS, NIN };
enum { OUT_G, OUT_LOSS, OUT_U, NOUT };

/* With "norm", only ||G||_F and the loss come back: G lives in the workspace,
   which is probed against the memory this process may still use, so that a
   caller at the edge of its memory gets adagrad:nomemory, never a kill.
   With "loss", only the loss, from one forward pass (the outputs, in the
   precision of X, against y by the loss table's default entry). */
static double
loss_only (const ag_mex_model *M, const void *y, const ag_exec *exec, const ag_sizes *sz,
           const ag_loss_info *L)
{
  const size_t n = M->n, nk = n * M->K;
  void *work = ag_mex_workspace (ag_forward_bytes (sz, exec), 24.0 * (double) nk, sz);
  double *ud = mxMalloc (2 * nk * sizeof (double)), *e = ud + nk;
  void *u = mxMalloc (nk * sizeof (double));
  const int single = M->cls == mxSINGLE_CLASS;
  ag_status st = single
    ? ag_forward_k_f (n, M->d, M->m, M->K, M->X, M->W, M->a, u, work, exec)
    : ag_forward_k (n, M->d, M->m, M->K, M->X, M->W, M->a, u, work, exec);
  mxFree (work);
  ag_mex_call_status (st);
  double loss;
  if (single)
    {
      for (size_t i = 0; i < nk; i++)
        ud[i] = (double) ((const float *) u)[i];
      loss = L->eval_f (n, M->K, ud, (const float *) y, n, e);
    }
  else
    loss = L->eval (n, M->K, (const double *) u, (const double *) y, n, e);
  mxFree (u);
  mxFree (ud);
  return loss;
}

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check: every array has the class of X (double or single). */
  ag_mex_nargs (nrhs, IN_THREADS, NIN, nlhs, NOUT);
  ag_mex_model M = ag_mex_get_model (prhs[IN_X], prhs[IN_W], prhs[IN_A]);
  ag_exec exec = ag_mex_exec (nrhs, prhs, IN_THREADS);
  int norm_only = 0;
  ag_sizes sz = { .n = M.n, .d = M.d, .m = M.m, .outputs = M.K,
                  .single = M.cls == mxSINGLE_CLASS };
  const ag_loss_info *lf = ag_loss_default ();
  if (nrhs > IN_LOSS)
    {
      char name[32];
      ag_mex_string (prhs[IN_LOSS], "LOSS", name, sizeof name);
      lf = ag_loss_find (name);
      if (! lf)
        ag_mex_fail ("adagrad:badvalue", "LOSS", "a name of the loss table");
    }
  const void *y = ag_mex_targets (prhs[IN_Y], "Y", &M, lf, M.n);
  if (nrhs > IN_MODE)
    {
      char mode[8];
      ag_mex_string (prhs[IN_MODE], "MODE", mode, sizeof mode);
      if (strcmp (mode, "loss") == 0)
        {
          if (nlhs > 1)
            mexErrMsgIdAndTxt ("adagrad:nargout", "at most 1 output argument with \"loss\"");
          plhs[0] = mxCreateDoubleScalar (loss_only (&M, y, &exec, &sz, lf));
          return;
        }
      if (strcmp (mode, "norm") == 0)
        norm_only = 1;
      else if (strcmp (mode, "grad"))
        ag_mex_fail ("adagrad:badvalue", "MODE", "\"grad\", \"norm\" or \"loss\"");
    }
  double loss = 0.0;
  ag_status st;
  mxArray *out[NOUT];

  /* Work. */
  if (norm_only)
    {
      if (nlhs > 2)
        mexErrMsgIdAndTxt ("adagrad:nargout", "at most 2 output arguments with \"norm\"");
      void *work = ag_mex_workspace (ag_gradnorm_bytes (&sz, &exec), 0.0, &sz);
      double gnorm = 0.0;
      st = M.cls == mxSINGLE_CLASS
        ? ag_gradient_norm_loss_f (lf, M.n, M.d, M.m, M.K, M.X, y, M.W, M.a, &gnorm, &loss, work,
                                   &exec)
        : ag_gradient_norm_loss (lf, M.n, M.d, M.m, M.K, M.X, y, M.W, M.a, &gnorm, &loss, work,
                                 &exec);
      mxFree (work);
      ag_mex_call_status (st);
      out[0] = mxCreateDoubleScalar (gnorm);
      out[1] = mxCreateDoubleScalar (loss);
      ag_mex_return (nlhs, plhs, out, 2);
      return;
    }
  void *work = ag_mex_workspace (ag_forward_bytes (&sz, &exec),
                                 8.0 * ((double) M.m * (double) M.d
                                        + (double) M.n * (double) M.K), &sz);
  out[OUT_G] = mxCreateNumericMatrix (M.m, M.d, M.cls, mxREAL);
  out[OUT_U] = mxCreateNumericMatrix (M.n, M.K, M.cls, mxREAL);
  void *G = mxGetData (out[OUT_G]), *u = mxGetData (out[OUT_U]);
  st = M.cls == mxSINGLE_CLASS
    ? ag_gradient_loss_f (lf, M.n, M.d, M.m, M.K, M.X, y, M.W, M.a, G, u, &loss, work, &exec)
    : ag_gradient_loss (lf, M.n, M.d, M.m, M.K, M.X, y, M.W, M.a, G, u, &loss, work, &exec);

  /* Finish. */
  mxFree (work);
  ag_mex_call_status (st);
  out[OUT_LOSS] = mxCreateDoubleScalar (loss);
  ag_mex_return (nlhs, plhs, out, NOUT);
}
