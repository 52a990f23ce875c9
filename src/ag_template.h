/* ag_template.h: the typed kernels of ag_core.c, included once per precision
   with REAL, SFX(name), GEMM, PACK_SIGNS and UNPACK_SCALED defined. Every
   parallel loop writes each output from one thread, in a fixed order, so the
   results do not depend on the number of threads. */

static int
SFX (all_finite) (const REAL *x, size_t count)
{
  for (size_t i = 0; i < count; i++)
    if (! isfinite (x[i]))
      return 0;
  return 1;
}

/* Pass 1: acc = f(W, a, X) in double, block by block; P receives the pattern
   X*W' >= 0. Each block's contribution is summed in its thread's tmp, then
   added to acc in block order (an ordered loop), so the sums do not depend on
   the thread count. Returns non-zero, with acc incomplete, when *cancel is set. */
static int
SFX (forward_pass) (size_t n, size_t d, size_t m, const REAL *X, const REAL *W,
                    const REAL *a, const workspace *ws,
                    const volatile sig_atomic_t *cancel)
{
  const double scale = 1.0 / sqrt ((double) m);
  const size_t B = ws->B, nblocks = (m + B - 1) / B;
  double *acc = ws->acc;
  int stopped = 0;
  memset (acc, 0, n * sizeof (double));
#pragma omp parallel num_threads (ws->threads)
  {
    REAL *Z = (REAL *) thread_Z (ws, this_thread ());
    double *tmp = thread_tmp (ws, this_thread ());
#pragma omp for schedule (static, 1) ordered
    for (size_t blk = 0; blk < nblocks; blk++)
      {
        if (skip_block (&stopped, cancel))
          continue;
        size_t r0 = blk * B, nb = m - r0 < B ? m - r0 : B;
        /* Z = X * W(r0:r0+nb-1, :)' without a transposed copy of W. */
        GEMM (CblasColMajor, CblasNoTrans, CblasTrans, (int) n, (int) nb, (int) d,
              1.0, X, (int) n, W + r0, (int) m, 0.0, Z, (int) n);
        memset (tmp, 0, n * sizeof (double));
        for (size_t j = 0; j < nb; j++)
          {
            const REAL *z = Z + j * n;
            const double c = (double) a[r0 + j] * scale;
            /* relu(z) as z * (z >= 0): branch-free, so it vectorizes, and a
               NaN in z still reaches the loss (divergence). */
            for (size_t i = 0; i < n; i++)
              tmp[i] += c * (double) (z[i] * (REAL) (z[i] >= 0));
            uint64_t *p = ws->P + (r0 + j) * ws->nw;
            for (size_t w = 0; w < ws->nw; w++)
              p[w] = PACK_SIGNS (z + 64 * w, n - 64 * w < 64 ? n - 64 * w : 64);
          }
#pragma omp ordered
        for (size_t i = 0; i < n; i++)
          acc[i] += tmp[i];
      }
  }
  return stopped;
}

/* e = acc - y in double and in REAL; returns 0.5*||e||^2. */
static double
SFX (residual) (size_t n, const REAL *y, const workspace *ws)
{
  REAL *eR = (REAL *) ws->eR;
  double s = 0.0;
  for (size_t i = 0; i < n; i++)
    {
      ws->e[i] = ws->acc[i] - (double) y[i];
      eR[i] = (REAL) ws->e[i];
      s += ws->e[i] * ws->e[i];
    }
  return 0.5 * s;
}

/* Pass 2: G = (1/sqrt(m)) * (P .* (e * a'))' * X, block by block, each block
   by one thread. Returns non-zero, with G incomplete, when *cancel is set. */
static int
SFX (gradient_pass) (size_t n, size_t d, size_t m, const REAL *X, const REAL *a,
                     REAL *G, const workspace *ws,
                     const volatile sig_atomic_t *cancel)
{
  const double scale = 1.0 / sqrt ((double) m);
  const REAL *eR = (const REAL *) ws->eR;
  const size_t B = ws->B, nblocks = (m + B - 1) / B;
  int stopped = 0;
#pragma omp parallel num_threads (ws->threads)
  {
    REAL *D = (REAL *) thread_Z (ws, this_thread ());
#pragma omp for schedule (static, 1)
    for (size_t blk = 0; blk < nblocks; blk++)
      {
        if (skip_block (&stopped, cancel))
          continue;
        size_t r0 = blk * B, nb = m - r0 < B ? m - r0 : B;
        for (size_t j = 0; j < nb; j++)
          {
            const REAL c = (REAL) ((double) a[r0 + j] * scale);
            const uint64_t *p = ws->P + (r0 + j) * ws->nw;
            REAL *Dj = D + j * n;
            for (size_t w = 0; w < ws->nw; w++)
              UNPACK_SCALED (p[w], c, eR + 64 * w, Dj + 64 * w,
                             n - 64 * w < 64 ? n - 64 * w : 64);
          }
        GEMM (CblasColMajor, CblasTrans, CblasNoTrans, (int) nb, (int) d, (int) n,
              1.0, D, (int) n, X, (int) n, 0.0, G + r0, (int) m);
      }
  }
  return stopped;
}

/* ||G||_F^2 in double: column sums in parallel (64 columns at a time, so that
   the scratch fits on the stack), then added in column order. */
static double
SFX (frob2) (size_t m, size_t d, const REAL *G, int nt)
{
  double part[64], s = 0.0;
  for (size_t k0 = 0; k0 < d; k0 += 64)
    {
      size_t dk = d - k0 < 64 ? d - k0 : 64;
#pragma omp parallel for num_threads (nt) schedule (static)
      for (size_t k = 0; k < dk; k++)
        {
          const REAL *g = G + (k0 + k) * m;
          double c = 0.0;
          for (size_t j = 0; j < m; j++)
            c += (double) g[j] * (double) g[j];
          part[k] = c;
        }
      for (size_t k = 0; k < dk; k++)
        s += part[k];
    }
  return s;
}

/* out = W - step * G, elementwise, in double before rounding to REAL.
   out may be W or G. */
static void
SFX (apply_step) (size_t count, const REAL *W, const REAL *G, double step,
                  REAL *out, int nt)
{
#pragma omp parallel for num_threads (nt) schedule (static)
  for (size_t i = 0; i < count; i++)
    out[i] = (REAL) ((double) W[i] - step * (double) G[i]);
}

/* Diagnostics of the current iterate, whose pattern is in ws->P. */
static void
SFX (record_diag) (size_t n, size_t d, size_t m, const REAL *W, const workspace *ws,
                   ag_diag *dg, long k)
{
  const uint64_t *P0 = (const uint64_t *) dg->work;
  double *rowsq = (double *) dg->work + m * ws->nw;
  const REAL *W0 = (const REAL *) dg->W0;
  size_t flips = 0;
  for (size_t w = 0; w < m * ws->nw; w++)
    flips += popcount64 (ws->P[w] ^ P0[w]);
  memset (rowsq, 0, m * sizeof (double));
  for (size_t c = 0; c < d; c++)
    for (size_t r = 0; r < m; r++)
      {
        double t = (double) W[r + c * m] - (double) W0[r + c * m];
        rowsq[r] += t * t;
      }
  double most = 0.0, sum = 0.0;
  for (size_t r = 0; r < m; r++)
    {
      most = rowsq[r] > most ? rowsq[r] : most;
      sum += rowsq[r];
    }
  long i = dg->count++;
  dg->iter[i] = (double) (dg->k0 + k);
  dg->flips[i] = (double) flips / ((double) n * (double) m);
  dg->move[i] = sqrt (most);
  dg->dist[i] = sqrt (sum);
}

static int
SFX (check_model) (size_t n, size_t d, size_t m, const REAL *X, const REAL *W,
                   const REAL *a, void *work, const ag_exec *exec)
{
  if (! X || ! W || ! a || ! work)
    return AG_ENULL;
  if (check_sizes (n, d, m) != AG_OK || ag_workspace_size (n, d, m, exec) == 0)
    return AG_ESIZE;
  if (! SFX (all_finite) (X, n * d) || ! SFX (all_finite) (W, m * d)
      || ! SFX (all_finite) (a, m))
    return AG_ENONFINITE;
  return AG_OK;
}

int
SFX (ag_forward) (size_t n, size_t d, size_t m, const REAL *X, const REAL *W,
                  const REAL *a, REAL *u, void *work, const ag_exec *exec)
{
  if (! u)
    return AG_ENULL;
  int st = SFX (check_model) (n, d, m, X, W, a, work, exec);
  if (st != AG_OK)
    return st;
  workspace ws;
  split_workspace (work, n, d, m, thread_count (exec), &ws);
  int blas = blas_threads_enter ();
  SFX (forward_pass) (n, d, m, X, W, a, &ws, NULL);
  blas_threads_leave (blas);
  for (size_t i = 0; i < n; i++)
    u[i] = (REAL) ws.acc[i];
  return AG_OK;
}

int
SFX (ag_gradient) (size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
                   const REAL *W, const REAL *a, REAL *G, REAL *u, double *loss,
                   void *work, const ag_exec *exec)
{
  if (! y || ! G || ! loss)
    return AG_ENULL;
  int st = SFX (check_model) (n, d, m, X, W, a, work, exec);
  if (st != AG_OK)
    return st;
  if (! SFX (all_finite) (y, n))
    return AG_ENONFINITE;
  workspace ws;
  split_workspace (work, n, d, m, thread_count (exec), &ws);
  int blas = blas_threads_enter ();
  SFX (forward_pass) (n, d, m, X, W, a, &ws, NULL);
  *loss = SFX (residual) (n, y, &ws);
  SFX (gradient_pass) (n, d, m, X, a, G, &ws, NULL);
  blas_threads_leave (blas);
  if (u)
    for (size_t i = 0; i < n; i++)
      u[i] = (REAL) ws.acc[i];
  return AG_OK;
}

int
SFX (ag_step) (ag_rule rule, size_t m, size_t d, REAL *W, const REAL *G,
               double eta, double alpha, double resnorm, size_t n, double *b,
               double *step, const ag_exec *exec)
{
  if (! W || ! G || ! b)
    return AG_ENULL;
  if (m == 0 || d == 0 || d > (size_t) PTRDIFF_MAX / sizeof (double) / m)
    return AG_ESIZE;
  const size_t count = m * d;
  if (! SFX (all_finite) (W, count) || ! SFX (all_finite) (G, count))
    return AG_ENONFINITE;
  int nt = thread_count (exec);
  double gnorm2 = 0.0;
  if (rule == AG_RULE_ADAGRAD_NORM)
    gnorm2 = SFX (frob2) (m, d, G, nt);
  double bnew = *b, s;
  int st = ag_step_size (rule, eta, alpha, gnorm2, resnorm, n, &bnew, &s);
  if (st != AG_OK)
    return st;
  SFX (apply_step) (count, W, G, s, W, nt);
  *b = bnew;
  if (step)
    *step = s;
  return AG_OK;
}

int
SFX (ag_train) (size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
                const REAL *a, REAL *W, double *b, const ag_train_opts *opt,
                REAL *spare, void *work, ag_trace *trace, long *iters,
                ag_stop *stop, const ag_exec *exec)
{
  if (! y || ! b || ! opt || ! spare || ! trace || ! iters || ! stop)
    return AG_ENULL;
  int st = SFX (check_model) (n, d, m, X, W, a, work, exec);
  if (st != AG_OK)
    return st;
  if (! SFX (all_finite) (y, n) || ! isfinite (*b) || ! isfinite (opt->tol))
    return AG_ENONFINITE;
  st = check_hyper (opt->rule, opt->eta, opt->alpha);
  if (st != AG_OK)
    return st;
  if (opt->maxiter < 0 || opt->tol < 0.0 || (opt->rule != AG_RULE_GD && *b <= 0.0))
    return AG_EARG;
  ag_diag *dg = opt->diag;
  if (dg)
    {
      if (! dg->W0 || ! dg->work || ! dg->iter || ! dg->flips || ! dg->move || ! dg->dist)
        return AG_ENULL;
      if (dg->every <= 0 || dg->k0 < 0)
        return AG_EARG;
      if (! SFX (all_finite) ((const REAL *) dg->W0, m * d))
        return AG_ENONFINITE;
      dg->count = 0;
    }

  workspace ws;
  const int nt = thread_count (exec);
  split_workspace (work, n, d, m, nt, &ws);
  int blas = blas_threads_enter ();
  struct timespec t0;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  if (dg)
    {
      /* The activation pattern at W0, the reference for counting flips. */
      SFX (forward_pass) (n, d, m, X, (const REAL *) dg->W0, a, &ws, NULL);
      memcpy (dg->work, ws.P, m * ws.nw * sizeof (uint64_t));
    }

  /* Two m-by-d buffers alternate: the step writes W(k+1) over G(k) in the other
     buffer, so W(k) survives until W(k+1) is known to have a finite loss. */
  REAL *Wk = W, *Wother = spare;
  const size_t count = m * d;
  double bk = *b, bprev = *b;
  long k = 0;
  ag_stop why;
  for (;;)
    {
      if (SFX (forward_pass) (n, d, m, X, Wk, a, &ws, opt->cancel))
        {
          put (trace->loss, k, NAN);
          put (trace->time, k, seconds_since (&t0));
          why = AG_STOP_CANCELLED;
          break;
        }
      double loss = SFX (residual) (n, y, &ws);
      put (trace->loss, k, loss);
      put (trace->time, k, seconds_since (&t0));
      if (! isfinite (loss))
        {
          why = AG_STOP_DIVERGED;
          if (k > 0)
            {
              REAL *t = Wk; Wk = Wother; Wother = t;
              bk = bprev;
              k--;
            }
          break;
        }
      if (dg && (dg->k0 + k) % dg->every == 0)
        SFX (record_diag) (n, d, m, Wk, &ws, dg, k);
      if (loss <= opt->tol)
        { why = AG_STOP_CONVERGED; break; }
      if (k >= opt->maxiter)
        { why = AG_STOP_MAXITER; break; }
      if (k > 0 && opt->monitor && opt->monitor (opt->ctx, k))
        { why = AG_STOP_MONITOR; break; }

      REAL *G = Wother;
      if (SFX (gradient_pass) (n, d, m, X, a, G, &ws, opt->cancel))
        { why = AG_STOP_CANCELLED; break; }
      double gnorm2 = SFX (frob2) (m, d, G, nt);
      put (trace->gnorm, k, sqrt (gnorm2));
      double bnew = bk, s;
      if (ag_step_size (opt->rule, opt->eta, opt->alpha, gnorm2,
                        sqrt (2.0 * loss), n, &bnew, &s) != AG_OK)
        { why = AG_STOP_DIVERGED; break; }
      put (trace->b, k, bnew);
      put (trace->step, k, s);
      SFX (apply_step) (count, Wk, G, s, G, nt);
      Wother = Wk;
      Wk = G;
      bprev = bk;
      bk = bnew;
      k++;
    }
  blas_threads_leave (blas);
  if (Wk != W)
    memcpy (W, Wk, count * sizeof (REAL));
  *b = bk;
  *iters = k;
  *stop = why;
  return AG_OK;
}
