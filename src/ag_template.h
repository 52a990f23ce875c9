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

/* Pass 1: acc = f(W, a, X) in double, block by block, for n rows; P
   receives the pattern X*W' >= 0. Z = X*W' comes from the product of X (n
   rows of a matrix with leading dimension ldx) and W when Zk is NULL, else
   (the kernel form) from Zk, n-by-m with leading dimension ldz, whose row i
   is idx[i] (idx non-NULL) or off + i. Each block's contribution is summed
   in its thread's tmp, then added to acc in block order (an ordered loop),
   so the sums do not depend on the thread count. Returns non-zero, with acc
   incomplete, when *cancel is set. */
static int
SFX (forward_any) (size_t n, size_t ldx, size_t d, size_t m, const REAL *X, const REAL *W,
                   const REAL *Zk, const uint32_t *idx, size_t off, size_t ldz,
                   const REAL *a, const workspace *ws, const volatile sig_atomic_t *cancel)
{
  const double scale = 1.0 / sqrt ((double) m);
  const size_t B = ws->B, nblocks = (m + B - 1) / B;
  double *acc = ws->acc;
  int stopped = 0;
  memset (acc, 0, n * sizeof (double));
#pragma omp parallel num_threads (ws->threads)
  {
    REAL *Z = (REAL *) thread_Z (ws, ag_this_thread ());
    double *tmp = thread_tmp (ws, ag_this_thread ());
#pragma omp for schedule (static, 1) ordered
    for (size_t blk = 0; blk < nblocks; blk++)
      {
        if (skip_block (&stopped, cancel))
          continue;
        size_t r0 = blk * B, nb = m - r0 < B ? m - r0 : B;
        /* Z = X * W(r0:r0+nb-1, :)' without a transposed copy of W, in
           chunks of units of at most AG_CHECK_FLOPS, with a look at the
           cancel flag between them (each entry of Z is the same dot product
           whatever the chunk). */
        size_t U = chunk_len (nb, 2.0 * (double) n * (double) d);
        int cut = 0;
        for (size_t j0 = 0; j0 < nb && ! cut && ! Zk; j0 += U)
          {
            size_t nj = nb - j0 < U ? nb - j0 : U;
            GEMM (CblasColMajor, CblasNoTrans, CblasTrans, (int) n, (int) nj, (int) d,
                  1.0, X, (int) ldx, W + r0 + j0, (int) m, 0.0, Z + j0 * n, (int) n);
            cut = j0 + nj < nb && skip_block (&stopped, cancel);
          }
        if (cut)
          continue;
        memset (tmp, 0, n * sizeof (double));
        for (size_t j = 0; j < nb; j++)
          {
            const REAL *z = Z + j * n;
            if (Zk)
              {
                const REAL *zc = Zk + (r0 + j) * ldz;
                z = zc + off;
                if (idx)
                  {
                    for (size_t i = 0; i < n; i++)
                      Z[i] = zc[idx[i]];
                    z = Z;
                  }
              }
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

/* forward_any from X and W. */
static int
SFX (forward_pass) (size_t n, size_t ldx, size_t d, size_t m, const REAL *X, const REAL *W,
                    const REAL *a, const workspace *ws,
                    const volatile sig_atomic_t *cancel)
{
  return SFX (forward_any) (n, ldx, d, m, X, W, NULL, NULL, 0, 0, a, ws, cancel);
}

/* The loss of the outputs acc against y, by the table entry LOSS: e =
   dL/du in double and scale * e in REAL (what the gradient pass reads);
   returns L. */
static double
SFX (residual) (const ag_loss_info *loss, size_t n, const REAL *y, const workspace *ws,
                double scale)
{
  REAL *eR = (REAL *) ws->eR;
  const double L = sizeof (REAL) == sizeof (float)
                   ? loss->eval_f (n, ws->acc, (const float *) (const void *) y, ws->e)
                   : loss->eval (n, ws->acc, (const double *) (const void *) y, ws->e);
  for (size_t i = 0; i < n; i++)
    eR[i] = (REAL) (scale * ws->e[i]);
  return L;
}

/* Pass 2: G = (1/sqrt(m)) * (P .* (e * a'))' * X, block by block, each block
   by one thread (X: n rows, leading dimension ldx); with add, G += that.
   Returns non-zero, with G incomplete, when *cancel is set. */
static int
SFX (gradient_pass) (size_t n, size_t ldx, size_t d, size_t m, const REAL *X,
                     const REAL *a, REAL *G, int add, const workspace *ws,
                     const volatile sig_atomic_t *cancel)
{
  const double scale = 1.0 / sqrt ((double) m);
  const REAL *eR = (const REAL *) ws->eR;
  const size_t B = ws->B, nblocks = (m + B - 1) / B;
  int stopped = 0;
#pragma omp parallel num_threads (ws->threads)
  {
    REAL *D = (REAL *) thread_Z (ws, ag_this_thread ());
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
        /* G(r0:r0+nb-1, :) = D' * X in chunks of columns of X of at most
           AG_CHECK_FLOPS, with a look at the cancel flag between them. */
        size_t C = chunk_len (d, 2.0 * (double) n * (double) nb);
        for (size_t c0 = 0; c0 < d; c0 += C)
          {
            size_t nc = d - c0 < C ? d - c0 : C;
            GEMM (CblasColMajor, CblasTrans, CblasNoTrans, (int) nb, (int) nc, (int) n,
                  1.0, D, (int) n, X + c0 * ldx, (int) ldx, add ? 1.0 : 0.0,
                  G + r0 + c0 * m, (int) m);
            if (c0 + nc < d && skip_block (&stopped, cancel))
              break;
          }
      }
  }
  return stopped;
}

/* ||G||_F^2 in double: column sums in parallel (64 columns at a time, so that
   the scratch fits on the stack), then added in column order. The rows go in
   pieces of at most AG_CHECK_ENTRIES entries, each column's sum carried from
   piece to piece in row order (the same sum as in one piece), with a look at
   *cancel before each: NaN when it is raised. */
static double
SFX (frob2) (size_t m, size_t d, const REAL *G, int nt, const volatile sig_atomic_t *cancel)
{
  double part[64], s = 0.0;
  for (size_t k0 = 0; k0 < d; k0 += 64)
    {
      size_t dk = d - k0 < 64 ? d - k0 : 64;
      size_t rows = AG_CHECK_ENTRIES / dk;
      for (size_t k = 0; k < dk; k++)
        part[k] = 0.0;
      for (size_t j0 = 0; j0 < m; j0 += rows)
        {
          if (ag_cancelled (cancel))
            return NAN;
          size_t j1 = m - j0 < rows ? m : j0 + rows;
#pragma omp parallel for num_threads (nt) schedule (static)
          for (size_t k = 0; k < dk; k++)
            {
              const REAL *g = G + (k0 + k) * m;
              double c = part[k];
              for (size_t j = j0; j < j1; j++)
                c += (double) g[j] * (double) g[j];
              part[k] = c;
            }
        }
      for (size_t k = 0; k < dk; k++)
        s += part[k];
    }
  return s;
}

/* *gnorm2 = ||G||_F^2 as frob2 gives it; returns ||G||_F, the root of that
   when it is a normal number, else (the squares overflowed or underflowed)
   from the entries scaled by the largest magnitude. */
static double
SFX (frob) (size_t m, size_t d, const REAL *G, int nt, const volatile sig_atomic_t *cancel,
            double *gnorm2)
{
  const double s = SFX (frob2) (m, d, G, nt, cancel);
  if (ag_cancelled (cancel))
    return *gnorm2 = NAN;
  *gnorm2 = s;
  if (isfinite (s) && (s >= DBL_MIN || s == 0.0))
    {
      if (s > 0.0)
        return sqrt (s);
      for (size_t i = 0; i < m * d; i++)
        if (G[i] != 0)
          goto scaled;
      return 0.0;
    }
 scaled:;
  double big = 0.0, t = 0.0;
  for (size_t i = 0; i < m * d; i++)
    big = fabs ((double) G[i]) > big ? fabs ((double) G[i]) : big;
  if (big == 0.0 || ! isfinite (big))
    return big;
  for (size_t i = 0; i < m * d; i++)
    {
      double q = (double) G[i] / big;
      t += q * q;
    }
  return big * sqrt (t);
}

/* Diagnostics of the current iterate, with FLIPS activations that differ
   from those at W0, against the weights W0; written at index i of the records. */
static void
SFX (record_diag) (size_t n, size_t d, size_t m, const REAL *W, const REAL *W0,
                   size_t flips, double *rowsq, double *rec[4], size_t i, double iter)
{
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
  rec[0][i] = iter;
  rec[1][i] = (double) flips / ((double) n * (double) m);
  rec[2][i] = sqrt (most);
  rec[3][i] = sqrt (sum);
}

static ag_status
SFX (check_model) (size_t n, size_t d, size_t m, const REAL *X, const REAL *W,
                   const REAL *a, void *work, const ag_exec *exec)
{
  if (! X || ! W || ! a || ! work)
    return AG_ENULL;
  if (check_sizes (n, d, m) != AG_OK || forward_units (n, d, m, thread_count (exec)) == 0)
    return AG_ESIZE;
  if (! SFX (all_finite) (X, n * d) || ! SFX (all_finite) (W, m * d)
      || ! SFX (all_finite) (a, m))
    return AG_ENONFINITE;
  return AG_OK;
}

/* check_model, and labels y (finite) and a place for the loss. */
static ag_status
SFX (check_data) (size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
                  const REAL *W, const REAL *a, const double *loss, void *work,
                  const ag_exec *exec)
{
  if (! y || ! loss)
    return AG_ENULL;
  ag_status st = SFX (check_model) (n, d, m, X, W, a, work, exec);
  if (st != AG_OK)
    return st;
  return SFX (all_finite) (y, n) ? AG_OK : AG_ENONFINITE;
}

/* The optimizer and a state that fits it: every array present and finite,
   every scalar finite and in range. */
static ag_status
SFX (check_state) (const ag_optimizer *opt, size_t count, const ag_state *state)
{
  ag_status st = ag_optimizer_check (opt);
  if (st != AG_OK)
    return st;
  if (! state)
    return AG_ENULL;
  for (int i = 0; i < opt->rule->narrays; i++)
    if (! state->arrays[i])
      return AG_ENULL;
  for (int i = 0; i < opt->rule->narrays; i++)
    if (! SFX (all_finite) ((const REAL *) state->arrays[i], count))
      return AG_ENONFINITE;
  for (int i = 0; i < opt->rule->nscalars; i++)
    if (! isfinite (state->scalars[i]))
      return AG_ENONFINITE;
  /* Every scalar of the state (b, a step count) is non-negative; b positive. */
  for (int i = 0; i < opt->rule->nscalars; i++)
    if (state->scalars[i] < 0.0 || (i == opt->rule->b_scalar && state->scalars[i] == 0.0))
      return AG_EARG;
  return AG_OK;
}

ag_status
SFX (ag_forward) (size_t n, size_t d, size_t m, const REAL *X, const REAL *W,
                  const REAL *a, REAL *u, void *work, const ag_exec *exec)
{
  if (! u)
    return AG_ENULL;
  ag_status st = SFX (check_model) (n, d, m, X, W, a, work, exec);
  if (st != AG_OK)
    return st;
  workspace ws;
  split_workspace (work, n, d, m, thread_count (exec), &ws);
  int blas = blas_threads_enter ();
  int cut = SFX (forward_pass) (n, n, d, m, X, W, a, &ws, exec_cancel (exec));
  blas_threads_leave (blas);
  if (cut)
    return AG_ECANCELLED;
  for (size_t i = 0; i < n; i++)
    u[i] = (REAL) ws.acc[i];
  return AG_OK;
}

/* The loss and G at W through the workspace ws, with single-threaded BLAS;
   AG_ECANCELLED when exec's flag is raised on the way. */
static ag_status
SFX (loss_and_gradient) (size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
                         const REAL *W, const REAL *a, REAL *G, double *loss,
                         const workspace *ws, const ag_exec *exec)
{
  int blas = blas_threads_enter ();
  const volatile sig_atomic_t *cancel = exec_cancel (exec);
  int cut = SFX (forward_pass) (n, n, d, m, X, W, a, ws, cancel);
  *loss = SFX (residual) (ag_loss_default (), n, y, ws, 1.0);
  cut = cut || SFX (gradient_pass) (n, n, d, m, X, a, G, 0, ws, cancel);
  blas_threads_leave (blas);
  return cut ? AG_ECANCELLED : AG_OK;
}

ag_status
SFX (ag_gradient) (size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
                   const REAL *W, const REAL *a, REAL *G, REAL *u, double *loss,
                   void *work, const ag_exec *exec)
{
  if (! G)
    return AG_ENULL;
  ag_status st = SFX (check_data) (n, d, m, X, y, W, a, loss, work, exec);
  if (st != AG_OK)
    return st;
  workspace ws;
  split_workspace (work, n, d, m, thread_count (exec), &ws);
  st = SFX (loss_and_gradient) (n, d, m, X, y, W, a, G, loss, &ws, exec);
  if (st != AG_OK)
    return st;
  if (u)
    for (size_t i = 0; i < n; i++)
      u[i] = (REAL) ws.acc[i];
  return AG_OK;
}

ag_status
SFX (ag_gradient_norm) (size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
                        const REAL *W, const REAL *a, double *gnorm, double *loss,
                        void *work, const ag_exec *exec)
{
  if (! gnorm)
    return AG_ENULL;
  ag_status st = SFX (check_data) (n, d, m, X, y, W, a, loss, work, exec);
  if (st != AG_OK)
    return st;
  const int nt = thread_count (exec);
  /* The forward space, then G on a 64-byte line. */
  double *base = align64 (work);
  workspace ws;
  split_workspace (base, n, d, m, nt, &ws);
  REAL *G = (REAL *) (void *) (base + (forward_units (n, d, m, nt) + 7) / 8 * 8);
  st = SFX (loss_and_gradient) (n, d, m, X, y, W, a, G, loss, &ws, exec);
  if (st != AG_OK)
    return st;
  double g2;
  *gnorm = SFX (frob) (m, d, G, nt, exec_cancel (exec), &g2);
  return ag_cancelled (exec_cancel (exec)) ? AG_ECANCELLED : AG_OK;
}

ag_status
SFX (ag_step) (const ag_optimizer *opt, size_t m, size_t d, REAL *W, const REAL *G,
               double resnorm, size_t n, ag_state *state, double rec[4], void *work,
               const ag_exec *exec)
{
  if (! W || ! G || ! work)
    return AG_ENULL;
  if (m == 0 || d == 0 || d > (size_t) PTRDIFF_MAX / sizeof (double) / m)
    return AG_ESIZE;
  const size_t count = m * d;
  ag_status st = SFX (check_state) (opt, count, state);
  if (st != AG_OK)
    return st;
  if (! SFX (all_finite) (W, count) || ! SFX (all_finite) (G, count))
    return AG_ENONFINITE;
  const ag_rule_info *rule = opt->rule;
  if (rule == ag_rule_external ())
    return AG_ERULE;   /* its step is ag_train's caller's */
  const int nt = thread_count (exec);
  double scalars[AG_MAX_SCALARS];
  memcpy (scalars, state->scalars, sizeof scalars);
  ag_step_io io = {
    .count = count, .W = W, .G = G, .Wnext = W, .scalars = scalars, .eta = opt->eta,
    .par = opt->par, .resnorm = resnorm,
    .n = (double) n, .threads = nt,
    .bins = rule->per_coordinate ? (uint64_t *) work : NULL
  };
  /* ||G|| may stop on a cancel (nothing is written yet); the step, which
     updates W and the state in place, is not cut. */
  io.gnorm = SFX (frob) (m, d, G, nt, exec_cancel (exec), &io.gnorm2);
  if (ag_cancelled (exec_cancel (exec)))
    return AG_ECANCELLED;
  for (int i = 0; i < rule->narrays; i++)
    io.S[i] = io.Snext[i] = state->arrays[i];
  st = SFX (rule->step) (&io);
  if (st != AG_OK)
    return st;
  memcpy (state->scalars, scalars, sizeof scalars);
  if (rec)
    {
      memcpy (rec, io.step, 3 * sizeof (double));
      rec[3] = io.gnorm;
    }
  return AG_OK;
}

/* The loss 0.5*||f(W, a, Xs) - ys||^2 over all `rows` rows of Xs (leading
   dimension rows), in pieces of at most E rows, the forward space at BASE
   split for each piece; the pieces' sums are added in row order. With P0 (a
   pattern of all rows, nwall words per unit; E a multiple of 64 when the
   rows take more than one piece): store, P0 receives the pattern; else
   *flips counts the activations that differ from it. With G: G receives the
   gradient, piece by piece. With Zk (the kernel form: Z = Xs*W', rows-by-m)
   the outputs come from Zk instead of the products (then no G). Sets *cut
   (and returns NaN) when *cancel is set. */
static double
SFX (eval_pass) (const ag_loss_info *lf, size_t rows, size_t d, size_t m, const REAL *Xs,
                 const REAL *ys, const REAL *W, const REAL *Zk, const REAL *a, void *base,
                 size_t E, int nt,
                 uint64_t *P0, int store, size_t *flips, REAL *G,
                 const volatile sig_atomic_t *cancel, int *cut)
{
  const size_t nwall = words_per_unit (rows);
  double loss = 0.0;
  size_t f = 0;
  for (size_t i0 = 0; i0 < rows; i0 += E)
    {
      size_t r = rows - i0 < E ? rows - i0 : E;
      workspace ws;
      split_workspace (base, r, d, m, nt, &ws);
      if (SFX (forward_any) (r, rows, d, m, Xs + i0, W, Zk, NULL, i0, rows, a, &ws, cancel))
        {
          *cut = 1;
          return NAN;
        }
      loss += SFX (residual) (lf, r, ys + i0, &ws, 1.0);
      if (P0)
        for (size_t u = 0; u < m; u++)
          {
            const uint64_t *p = ws.P + u * ws.nw;
            uint64_t *q = P0 + u * nwall + i0 / 64;
            if (store)
              memcpy (q, p, ws.nw * sizeof (uint64_t));
            else
              for (size_t w = 0; w < ws.nw; w++)
                f += popcount64 (p[w] ^ q[w]);
          }
      if (G && SFX (gradient_pass) (r, rows, d, m, Xs + i0, a, G, i0 > 0, &ws, cancel))
        {
          *cut = 1;
          return NAN;
        }
    }
  if (flips)
    *flips = f;
  return loss;
}

/* ---- The kernel form (ag.h, ag_kernel) ---- */

/* out = X * W' (n-by-m, leading dimension n; W: m-by-d), blocks of B units
   in parallel, each by one thread, in chunks of at most AG_CHECK_FLOPS with
   a look at the flag between them. Returns non-zero when *cancel is set. */
static int
SFX (project) (size_t n, size_t d, size_t m, const REAL *X, const REAL *W, REAL *out,
               size_t B, int nt, const volatile sig_atomic_t *cancel)
{
  const size_t nblocks = (m + B - 1) / B;
  int stopped = 0;
#pragma omp parallel for num_threads (nt) schedule (static, 1)
  for (size_t blk = 0; blk < nblocks; blk++)
    {
      if (skip_block (&stopped, cancel))
        continue;
      size_t r0 = blk * B, nb = m - r0 < B ? m - r0 : B;
      size_t U = chunk_len (nb, 2.0 * (double) n * (double) d);
      for (size_t j0 = 0; j0 < nb; j0 += U)
        {
          if (j0 > 0 && skip_block (&stopped, cancel))
            break;
          size_t nj = nb - j0 < U ? nb - j0 : U;
          GEMM (CblasColMajor, CblasNoTrans, CblasTrans, (int) n, (int) nj, (int) d,
                1.0, X, (int) n, W + r0 + j0, (int) m, 0.0, out + (r0 + j0) * n, (int) n);
        }
    }
  return stopped;
}

/* out = base + coef * Sa + (1/sqrt(m)) * diag(a) * C' * X (m-by-d; base and
   Sa may be NULL; C n-by-m), blocks of B rows in parallel; every entry
   summed in double and rounded once. Returns non-zero when *cancel is set. */
static int
SFX (kernel_form) (size_t n, size_t d, size_t m, const REAL *X, const REAL *a,
                   const REAL *C, double coef, const REAL *base, const REAL *Sa, REAL *out,
                   size_t B, int nt, const volatile sig_atomic_t *cancel)
{
  const double scale = 1.0 / sqrt ((double) m);
  const size_t nblocks = (m + B - 1) / B;
  int stopped = 0;
#pragma omp parallel for num_threads (nt) schedule (static, 1)
  for (size_t blk = 0; blk < nblocks; blk++)
    {
      if (skip_block (&stopped, cancel))
        continue;
      size_t r0 = blk * B, nb = m - r0 < B ? m - r0 : B;
      size_t Cw = chunk_len (d, 2.0 * (double) n * (double) nb);
      int cut = 0;
      for (size_t c0 = 0; c0 < d && ! cut; c0 += Cw)
        {
          size_t nc = d - c0 < Cw ? d - c0 : Cw;
          GEMM (CblasColMajor, CblasTrans, CblasNoTrans, (int) nb, (int) nc, (int) n,
                1.0, C + r0 * n, (int) n, X + c0 * n, (int) n, 0.0, out + r0 + c0 * m,
                (int) m);
          cut = c0 + nc < d && skip_block (&stopped, cancel);
        }
      if (cut)
        continue;
      for (size_t c = 0; c < d; c++)
        for (size_t r = r0; r < r0 + nb; r++)
          {
            size_t i = r + c * m;
            double v = (double) a[r] * scale * (double) out[i];
            if (Sa)
              v += coef * (double) Sa[i];
            if (base)
              v += (double) base[i];
            out[i] = (REAL) v;
          }
    }
  return stopped;
}

/* W and the state arrays formed from the kernel state (buffers Ab, Sb). */
static int
SFX (kernel_form_all) (size_t n, size_t d, size_t m, const REAL *X, const REAL *a,
                       const ag_kernel *kn, int narrays, const REAL *Ab,
                       REAL *const *Sb, REAL *W, void *const *arrays, size_t B, int nt,
                       const volatile sig_atomic_t *cancel)
{
  const size_t nm = n * m;
  const REAL *Sa = narrays > 0 ? (const REAL *) kn->Sa[0] : NULL;
  if (SFX (kernel_form) (n, d, m, X, a, Ab + nm, (double) Ab[2 * nm], (const REAL *) kn->Wa,
                         Sa, W, B, nt, cancel))
    return 1;
  for (int i = 0; i < narrays; i++)
    if (SFX (kernel_form) (n, d, m, X, a, Sb[i] + nm, (double) Sb[i][2 * nm], NULL, Sa,
                           (REAL *) arrays[i], B, nt, cancel))
      return 1;
  return 0;
}

/* A kernel state formed afresh from W and the arrays: the anchors become
   them, Z = X*W', Zs = X*S', C = Cs = 0, mu = 0, lambda = 1. Returns non-zero
   (the state incomplete) when *cancel is set. */
static int
SFX (kernel_anchor) (size_t n, size_t d, size_t m, const REAL *X, const ag_kernel *kn,
                     int narrays, REAL *Ab, REAL *const *Sb, const REAL *W,
                     const void *const *arrays, size_t B, int nt,
                     const volatile sig_atomic_t *cancel)
{
  const size_t nm = n * m, md = m * d;
  if (kn->Wa != (const void *) W)
    memcpy (kn->Wa, W, md * sizeof (REAL));
  if (SFX (project) (n, d, m, X, W, Ab, B, nt, cancel))
    return 1;
  memset (Ab + nm, 0, (nm + 1) * sizeof (REAL));
  for (int i = 0; i < narrays; i++)
    {
      if (kn->Sa[i] != arrays[i])
        memcpy (kn->Sa[i], arrays[i], md * sizeof (REAL));
      if (SFX (project) (n, d, m, X, (const REAL *) arrays[i], Sb[i], B, nt, cancel))
        return 1;
      memset (Sb[i] + nm, 0, nm * sizeof (REAL));
      Sb[i][2 * nm] = 1;
    }
  return 0;
}

/* The forward pass from Z (n-by-m, leading dimension n) for `rows` rows:
   row i is idx[i] (idx non-NULL) or off + i (forward_any). */
static int
SFX (kernel_forward) (size_t rows, const uint32_t *idx, size_t off, size_t n, size_t m,
                      const REAL *Z, const REAL *a, const workspace *ws,
                      const volatile sig_atomic_t *cancel)
{
  return SFX (forward_any) (rows, 0, 0, m, NULL, NULL, Z, idx, off, n, a, ws, cancel);
}

/* The gradient in the kernel form, into the buffer Gb = [X*G' ; V ; 0]
   (ag_kernel's layout) from the pattern and eR = scale * e of the last
   forward pass over `rows` rows (all n when idx is NULL, else rows idx[i],
   which may repeat): V(i, r) = eR(i) * P(i, r) on those rows (added up over
   repeats), zero elsewhere, so that G = (1/sqrt(m)) * diag(a) * V' * X; and
   X*G'(:, r) = (a(r)/sqrt(m)) * Kc * V(rows, r) with Kc = K (n-by-n) or K's
   columns idx (n-by-rows). gpart[r] = (a(r)/sqrt(m)) * V(:, r)' * X*G'(:, r),
   whose sum is ||G||_F^2. Returns non-zero when *cancel is set. */
static int
SFX (kernel_gradient) (size_t rows, const uint32_t *idx, size_t n, size_t m, const REAL *Kc,
                       const REAL *a, REAL *Gb, double *gpart, const workspace *ws,
                       const volatile sig_atomic_t *cancel)
{
  const double scale = 1.0 / sqrt ((double) m);
  const REAL *eR = (const REAL *) ws->eR;
  const size_t B = ws->B, nblocks = (m + B - 1) / B, nm = n * m;
  int stopped = 0;
  Gb[2 * nm] = 0;
#pragma omp parallel num_threads (ws->threads)
  {
    REAL *scratch = (REAL *) thread_Z (ws, ag_this_thread ());
#pragma omp for schedule (static, 1)
    for (size_t blk = 0; blk < nblocks; blk++)
      {
        if (skip_block (&stopped, cancel))
          continue;
        size_t r0 = blk * B, nb = m - r0 < B ? m - r0 : B;
        REAL *V = Gb + nm + r0 * n;
        REAL *D = idx ? scratch : V;
        for (size_t j = 0; j < nb; j++)
          {
            const uint64_t *p = ws->P + (r0 + j) * ws->nw;
            REAL *Dj = D + j * rows;
            for (size_t w = 0; w < ws->nw; w++)
              UNPACK_SCALED (p[w], (REAL) 1, eR + 64 * w, Dj + 64 * w,
                             rows - 64 * w < 64 ? rows - 64 * w : 64);
          }
        if (idx)
          {
            memset (V, 0, nb * n * sizeof (REAL));
            for (size_t j = 0; j < nb; j++)
              for (size_t i = 0; i < rows; i++)
                V[j * n + idx[i]] += D[j * rows + i];
          }
        size_t U = chunk_len (nb, 2.0 * (double) n * (double) rows);
        int cut = 0;
        for (size_t j0 = 0; j0 < nb && ! cut; j0 += U)
          {
            size_t nj = nb - j0 < U ? nb - j0 : U;
            GEMM (CblasColMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) nj, (int) rows,
                  1.0, Kc, (int) n, D + j0 * rows, (int) rows, 0.0, Gb + (r0 + j0) * n,
                  (int) n);
            cut = j0 + nj < nb && skip_block (&stopped, cancel);
          }
        if (cut)
          continue;
        for (size_t j = 0; j < nb; j++)
          {
            const double c = (double) a[r0 + j] * scale;
            REAL *g = Gb + (r0 + j) * n;
            const REAL *v = V + j * n;
            double t = 0.0;
            for (size_t i = 0; i < n; i++)
              {
                g[i] = (REAL) (c * (double) g[i]);
                t += (double) v[i] * (double) g[i];
              }
            gpart[r0 + j] = c * t;
          }
      }
  }
  return stopped;
}

/* H mixed with the 64-bit words of `na` arrays (SplitMix64's finalizer). */
static uint64_t
SFX (hash_arrays) (uint64_t h, int na, const REAL *const *arr, const size_t *len)
{
  for (int t = 0; t < na; t++)
    {
      const unsigned char *p = (const unsigned char *) arr[t];
      size_t bytes = len[t] * sizeof (REAL), i = 0;
      for (; i + 8 <= bytes; i += 8)
        {
          uint64_t v;
          memcpy (&v, p + i, 8);
          h = mix64 (h ^ v);
        }
      if (i < bytes)
        {
          uint64_t v = 0;
          memcpy (&v, p + i, bytes - i);
          h = mix64 (h ^ v ^ 0x80);
        }
    }
  return h;
}

/* The hash of a kernel state's data: the sizes, the precision, X and a
   (SplitMix64's finalizer over their 64-bit words). */
static uint64_t
SFX (kernel_hash) (size_t n, size_t d, size_t m, const REAL *X, const REAL *a)
{
  uint64_t h = mix64 ((uint64_t) n ^ mix64 ((uint64_t) d ^ mix64 ((uint64_t) m
                                                                   + sizeof (REAL))));
  const REAL *arr[2] = { X, a };
  size_t len[2] = { n * d, m };
  return SFX (hash_arrays) (h, 2, arr, len);
}

/* The hash of W and the state arrays (count entries each). */
static uint64_t
SFX (weights_hash) (size_t count, const REAL *W, int narrays, const void *const *arrays)
{
  const REAL *arr[1 + AG_MAX_ARRAYS] = { W };
  size_t len[1 + AG_MAX_ARRAYS] = { count };
  for (int i = 0; i < narrays; i++)
    {
      arr[1 + i] = (const REAL *) arrays[i];
      len[1 + i] = count;
    }
  return SFX (hash_arrays) (mix64 (count), 1 + narrays, arr, len);
}

/* The kernel state handed to a monitor: W and the arrays formed on demand. */
typedef struct SFX (kform_ctx) {
  size_t n, d, m, B;
  const REAL *X, *a;
  const ag_kernel *kn;
  int narrays, nt;
  const REAL *Ab;
  REAL *Sb[AG_MAX_ARRAYS];
  REAL *W;
  void *const *arrays;
} SFX (kform_ctx);

/* The state in buffers Ab and Sb (one per state array) is the one to form. */
static void
SFX (kform_at) (SFX (kform_ctx) *c, const REAL *Ab, void *const *Sb)
{
  c->Ab = Ab;
  for (int i = 0; i < c->narrays; i++)
    c->Sb[i] = (REAL *) Sb[i];
}

static void
SFX (kform_cb) (void *p)
{
  const SFX (kform_ctx) *c = (const SFX (kform_ctx) *) p;
  SFX (kernel_form_all) (c->n, c->d, c->m, c->X, c->a, c->kn, c->narrays, c->Ab, c->Sb, c->W,
                         c->arrays, c->B, c->nt, NULL);
}

ag_status
SFX (ag_train) (size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
                const REAL *a, REAL *W, ag_state *state, const ag_train_opts *opt,
                void *work, ag_train_result *res, const ag_exec *exec)
{
  if (! y || ! opt || ! res)
    return AG_ENULL;
  const volatile sig_atomic_t *const cancel = exec_cancel (exec);
  ag_status st = SFX (check_model) (n, d, m, X, W, a, work, exec);
  if (st != AG_OK)
    return st;
  const size_t count = m * d;
  st = SFX (check_state) (&opt->optim, count, state);
  if (st != AG_OK)
    return st;
  if (! SFX (all_finite) (y, n) || ! isfinite (opt->tol) || isnan (opt->gtol))
    return AG_ENONFINITE;
  if (opt->maxiter < 0 || opt->tol < 0.0 || opt->diag_every < 0 || opt->k0 < 0
      || opt->gtol < 0.0)
    return AG_EARG;
  const ag_batching *bt = &opt->batch;
  const int mini = bt->sampling != AG_FULL;
  if (bt->sampling < AG_FULL || bt->sampling > AG_GIVEN)
    return AG_EARG;
  if (mini && (bt->size == 0 || (bt->sampling != AG_GIVEN && bt->size > n)))
    return AG_EARG;
  if (bt->sampling == AG_GIVEN && opt->maxiter > 0)
    {
      if (! bt->given)
        return AG_ENULL;
      if (! given_ok (bt->given, (size_t) opt->maxiter, bt->size, n))
        return AG_EARG;
    }
  const REAL *Xv = (const REAL *) bt->Xv, *yv = (const REAL *) bt->yv;
  if (bt->nv > 0)
    {
      if (! Xv || ! yv)
        return AG_ENULL;
      if (check_sizes (bt->nv, d, m) != AG_OK)
        return AG_ESIZE;
      if (! SFX (all_finite) (Xv, bt->nv * d) || ! SFX (all_finite) (yv, bt->nv))
        return AG_ENONFINITE;
    }
  const REAL *W0 = (const REAL *) opt->W0;
  if (opt->diag_every > 0)
    {
      if (! W0)
        return AG_ENULL;
      if (! SFX (all_finite) (W0, count))
        return AG_ENONFINITE;
    }
  const ag_loss_info *lf = opt->loss ? opt->loss : ag_loss_default ();
  if (! ag_loss_is_entry (lf))
    return AG_EARG;
  const ag_rule_info *rule = opt->optim.rule;
  const ag_external *ext = rule == ag_rule_external () ? opt->external : NULL;
  if (rule == ag_rule_external () && (! ext || ! ext->step || ! ext->swap))
    return AG_ENULL;
  ag_kernel *kn = opt->kernel;
  if (kn)
    {
      if (! rule->linear || rule->narrays > 1)
        return AG_EARG;
      if (! kn->A || ! kn->Wa || kn->reform < 0)
        return kn->reform < 0 ? AG_EARG : AG_ENULL;
      for (int i = 0; i < rule->narrays; i++)
        if (! kn->As[i] || ! kn->Sa[i])
          return AG_ENULL;
    }
  const int nt = thread_count (exec);
  const ag_sizes sz = ag_train_sizes (n, d, m, sizeof (REAL) == sizeof (float), opt);
  train_layout L;
  if (! train_layout_of (&sz, nt, &L))
    return AG_ESIZE;

  /* The workspace from its first 64-byte boundary (ag_train_bytes leaves room). */
  double *base = align64 (work);
  workspace ws;
  split_workspace (base, n, d, m, nt, &ws);   /* full batch; else split at each use */
  const size_t K = (size_t) opt->maxiter;
  double *loss_rec = base + L.rec, *time_rec = loss_rec + K + 1;
  double *bloss_rec = time_rec + K + 1, *epoch_rec = bloss_rec + K + 1;
  double *vloss_rec = epoch_rec + K + 1;
  double *gnorm_rec = vloss_rec + K + 1, *b_rec = gnorm_rec + K;
  double *step_rec = b_rec + K, *lo_rec = step_rec + K, *hi_rec = lo_rec + K;
  double *drec[4] = { base + L.drec, base + L.drec + L.dlen, base + L.drec + 2 * L.dlen,
                      base + L.drec + 3 * L.dlen };
  uint64_t *P0 = (uint64_t *) (void *) (base + L.diag);
  double *rowsq = base + L.diag + m * words_per_unit (n);
  size_t ndiag = 0;
  /* Mini-batches: the batch's rows of X and y, its row list, the epoch's
     permutation, the full-batch gradient of gtol. */
  const size_t Bmax = mini ? bt->size : 0, E = mini ? eval_rows (n) : n;
  REAL *XB = (REAL *) (void *) (base + L.gather);
  REAL *yB = (REAL *) (void *) (base + L.gather + units (Bmax * d, sz.single));
  uint32_t *rows = (uint32_t *) (void *) (base + L.gather + units (Bmax * d, sz.single)
                                          + units (Bmax, sz.single));
  uint32_t *perm = (uint32_t *) (void *) (base + L.perm);
  REAL *Gfull = sz.gtol ? (REAL *) (void *) (base + L.gfull) : NULL;
  uint64_t perm_epoch = UINT64_MAX, seen = opt->seen, seen_prev = opt->seen;
  const long every = bt->eval_every > 0 ? bt->eval_every : 1;
  const double fn = (double) n;

  int blas = blas_threads_enter ();
  struct timespec t0;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  if (opt->diag_every > 0)
    {
      /* The activation pattern at W0, the reference for counting flips. */
      int cut = 0;
      SFX (eval_pass) (lf, n, d, m, X, y, W0, NULL, a, base, E, nt, P0, 1, NULL, NULL, NULL, &cut);
    }

  /* Two buffers of W and of each state array alternate: the step writes
     W(k+1) over G(k) and the new state into the other buffers, so that W(k)
     and its state survive until W(k+1) is known to have a finite loss. In
     the kernel form the buffers are the kernel state's (ag_kernel). */
  const size_t stepcount = kn ? kernel_len (n, m) : count;
  const size_t w = units (stepcount, sz.single);
  REAL *Wk = kn ? (REAL *) kn->A : W, *Wother = (REAL *) (void *) (base + L.spare);
  void *Sk[AG_MAX_ARRAYS] = { NULL }, *Sother[AG_MAX_ARRAYS] = { NULL };
  for (int i = 0; i < rule->narrays; i++)
    {
      Sk[i] = kn ? kn->As[i] : state->arrays[i];
      Sother[i] = base + L.state + (size_t) i * w;
    }
  /* The kernel form: K = X*X', then the state given or one formed afresh. */
  const REAL *Kmat = kn ? (const REAL *) (void *) (base + L.kmat) : NULL;
  REAL *Kcols = kn && mini ? (REAL *) (void *) (base + L.kcols) : NULL;
  double *gpart = kn ? base + L.colsum : NULL;
  long formed_at = -1;   /* the iterate whose kernel state was just formed afresh */
  SFX (kform_ctx) kf;
  uint64_t khash = 0;
  int setup_cut = 0;
  if (kn)
    {
      const size_t B = ws.B;
      kf = (SFX (kform_ctx)) { .n = n, .d = d, .m = m, .B = B, .X = X, .a = a, .kn = kn,
                               .narrays = rule->narrays, .nt = nt, .W = W,
                               .arrays = state->arrays };
      /* K in blocks of 256 columns, work for every thread (each entry is the
         same dot product whatever the block). */
      setup_cut = SFX (project) (n, d, n, X, X, (REAL *) Kmat, 256, nt, cancel);
      khash = SFX (kernel_hash) (n, d, m, X, a);
      /* It goes on only from the state of the same data that formed exactly
         the W and state given (their hash: the one the call that formed them
         stored). */
      int same = ! setup_cut && kn->valid && kn->hash == khash
                 && kn->whash == SFX (weights_hash) (count, W, rule->narrays,
                                                     (const void *const *) state->arrays);
      kn->fresh = ! same;
      if (! same && ! setup_cut)
        {
          setup_cut = SFX (kernel_anchor) (n, d, m, X, kn, rule->narrays, Wk, (REAL *const *) Sk,
                                           W, (const void *const *) state->arrays, B, nt,
                                           cancel);
          formed_at = 0;
        }
      kn->valid = 0;   /* until the call ends with a state */
    }
  double sk[AG_MAX_SCALARS], sprev[AG_MAX_SCALARS];
  memcpy (sk, state->scalars, sizeof sk);
  memcpy (sprev, sk, sizeof sk);
  long k = 0;
  ag_stop why;
  for (;;)
    {
      const long g = opt->k0 + k;
      const int diag_now = opt->diag_every > 0 && g % opt->diag_every == 0;
      const int eval_now = g % every == 0 || g == bt->eval_end || diag_now
                           || (k == 0 && opt->maxiter == 0);
      double loss = NAN, gfull = NAN;
      size_t flips = 0;
      int cut = 0;
      epoch_rec[k] = (double) seen / fn;
      bloss_rec[k] = vloss_rec[k] = NAN;
      /* The kernel form reads W formed where it needs it (into W). */
      const REAL *Wcur = Wk;
      if (kn && ! setup_cut && (diag_now || (eval_now && (bt->nv > 0 || Gfull))))
        {
          SFX (kform_at) (&kf, Wk, Sk);
          cut = SFX (kernel_form_all) (n, d, m, X, a, kn, rule->narrays, Wk, kf.Sb, W,
                                       state->arrays, kf.B, nt, cancel);
          Wcur = W;
        }
      if (setup_cut)
        cut = 1;
      /* The validation loss first: its passes use the space the step's
         pattern and residual live in. */
      if (! cut && eval_now && bt->nv > 0)
        {
          double vl = SFX (eval_pass) (lf, bt->nv, d, m, Xv, yv, Wcur, NULL, a, base,
                                       E < bt->nv ? E : bt->nv, nt, NULL, 0, NULL, NULL,
                                       cancel, &cut);
          vloss_rec[k] = vl * (fn / (double) bt->nv);
        }
      /* The full-batch loss: at every iterate in full batch, where the
         pattern and residual it leaves in the space (split for all n rows,
         as ws) are those the gradient pass reads; with mini-batches at the
         evaluation points. */
      if (! cut && (! mini || eval_now))
        {
          if (kn)
            {
              loss = SFX (eval_pass) (lf, n, d, m, X, y, NULL, Wk, a, base, E, nt,
                                      diag_now ? P0 : NULL, 0, &flips, NULL, cancel, &cut);
              if (! cut && Gfull)
                SFX (eval_pass) (lf, n, d, m, X, y, Wcur, NULL, a, base, E, nt, NULL, 0, NULL, Gfull,
                                 cancel, &cut);
            }
          else
            loss = SFX (eval_pass) (lf, n, d, m, X, y, Wk, NULL, a, base, E, nt,
                                    diag_now ? P0 : NULL, 0, &flips, Gfull, cancel, &cut);
          if (! mini)
            bloss_rec[k] = loss;
          if (! cut && Gfull)
            {
              gfull = SFX (frob) (m, d, Gfull, nt, cancel, &(double) { 0 });
              cut = ag_cancelled (cancel);
            }
        }
      loss_rec[k] = loss;
      time_rec[k] = seconds_since (&t0);
      if (cut)
        {
          loss_rec[k] = NAN;
          why = AG_STOP_CANCELLED;
          break;
        }
      if ((! mini || eval_now) && ! isfinite (loss))
        goto diverged;
      if (diag_now)
        SFX (record_diag) (n, d, m, Wcur, W0, flips, rowsq, drec, ndiag++, (double) g);
      if (loss <= opt->tol)
        { why = AG_STOP_CONVERGED; break; }
      if (mini && gfull <= opt->gtol)
        { why = AG_STOP_GTOL; break; }
      if (k > 0 && opt->monitor)
        {
          ag_train_result sofar = {
            .iters = k, .loss = loss_rec, .time = time_rec, .gnorm = gnorm_rec,
            .b = b_rec, .step = step_rec, .steplo = lo_rec, .stephi = hi_rec,
            .batchloss = bloss_rec, .epoch = epoch_rec, .vloss = vloss_rec, .seen = seen
          };
          ag_iterate it = { .k = k, .W = Wk, .scalars = sk,
                            .arrays = (const void *const *) Sk, .rec = &sofar };
          if (kn)
            {
              SFX (kform_at) (&kf, Wk, Sk);
              it.W = W;
              it.arrays = (const void *const *) state->arrays;
              it.form = SFX (kform_cb);
              it.fctx = &kf;
            }
          if (opt->monitor (opt->ctx, &it))
            { why = AG_STOP_MONITOR; break; }
        }
      if (k >= opt->maxiter)
        { why = AG_STOP_MAXITER; break; }

      /* The kernel form's re-forming, at the multiples of kn->reform. */
      if (kn && kn->reform > 0 && g % kn->reform == 0 && formed_at != k)
        {
          SFX (kform_at) (&kf, Wk, Sk);
          /* Not cut (it costs about two primal steps): a state half
             re-formed would be lost. */
          SFX (kernel_form_all) (n, d, m, X, a, kn, rule->narrays, Wk, kf.Sb, W,
                                 state->arrays, kf.B, nt, NULL);
          SFX (kernel_anchor) (n, d, m, X, kn, rule->narrays, Wk, kf.Sb, W,
                               (const void *const *) state->arrays, kf.B, nt, NULL);
          formed_at = k;
        }
      /* The batch of step k, its loss at W(k) and its gradient. */
      REAL *G = Wother;
      size_t nb = n;
      double scale = 1.0, bloss = loss;
      if (mini)
        {
          if (bt->sampling == AG_GIVEN)
            {
              const uint32_t *gk = bt->given + (size_t) k * bt->size;
              for (nb = 0; nb < bt->size && gk[nb] != 0; nb++)
                rows[nb] = gk[nb] - 1;
            }
          else
            nb = ag_batch_rows (bt, n, seen, (uint64_t) g, perm, &perm_epoch, rows);
          for (size_t c = 0; c < d; c++)
            {
              const REAL *xc = X + c * n;
              REAL *out = XB + c * nb;
              for (size_t i = 0; i < nb; i++)
                out[i] = xc[rows[i]];
            }
          for (size_t i = 0; i < nb; i++)
            yB[i] = y[rows[i]];
          split_workspace (base, nb, d, m, nt, &ws);
          scale = fn / (double) nb;
          if (kn ? SFX (kernel_forward) (nb, rows, 0, n, m, Wk, a, &ws, cancel)
                 : SFX (forward_pass) (nb, nb, d, m, XB, Wk, a, &ws, cancel))
            { why = AG_STOP_CANCELLED; break; }
          bloss = bloss_rec[k] = scale * SFX (residual) (lf, nb, yB, &ws, scale);
          if (! isfinite (bloss))
            goto diverged;
          if (kn)
            {
              for (size_t i = 0; i < nb; i++)
                memcpy (Kcols + i * n, Kmat + (size_t) rows[i] * n, n * sizeof (REAL));
              cut = SFX (kernel_gradient) (nb, rows, n, m, Kcols, a, G, gpart, &ws,
                                           cancel);
            }
          else
            cut = SFX (gradient_pass) (nb, nb, d, m, XB, a, G, 0, &ws, cancel);
        }
      else if (kn)
        cut = SFX (kernel_gradient) (n, NULL, n, m, Kmat, a, G, gpart, &ws, cancel);
      else
        cut = SFX (gradient_pass) (n, n, d, m, X, a, G, 0, &ws, cancel);
      if (cut)
        { why = AG_STOP_CANCELLED; break; }
      double snew[AG_MAX_SCALARS];
      memcpy (snew, sk, sizeof snew);
      ag_step_io io = {
        .count = stepcount, .W = Wk, .G = G, .Wnext = G, .scalars = snew,
        .eta = opt->optim.eta, .par = opt->optim.par,
        .resnorm = lf->resnorm (bloss), .n = fn, .threads = nt,
        .bins = rule->per_coordinate ? (uint64_t *) (void *) (base + L.bins) : NULL,
        .cancel = cancel, .ext = ext, .iter = g, .loss = bloss, .rows = nb,
        .u = ws.acc, .y = mini ? yB : y
      };
      for (int i = 0; i < rule->narrays; i++)
        {
          io.S[i] = Sk[i];
          io.Snext[i] = Sother[i];
        }
      if (kn)
        {
          /* ||G||_F^2 from the units' sums in unit order; round-off may
             leave a tiny negative sum where the exact one is 0. */
          double g2 = 0.0;
          for (size_t r = 0; r < m; r++)
            g2 += gpart[r];
          io.gnorm2 = g2 > 0.0 ? g2 : 0.0;
          io.gnorm = isfinite (io.gnorm2) ? sqrt (io.gnorm2) : io.gnorm2;
        }
      else
        io.gnorm = SFX (frob) (m, d, G, nt, cancel, &io.gnorm2);
      if (ag_cancelled (cancel))
        { why = AG_STOP_CANCELLED; break; }
      gnorm_rec[k] = io.gnorm;
      if (! mini && opt->gtol > 0.0 && io.gnorm <= opt->gtol)
        { why = AG_STOP_GTOL; break; }
      /* A cut step leaves W(k) and its state (it writes the other buffers). */
      ag_status stepped = SFX (rule->step) (&io);
      if (stepped == AG_ECANCELLED)
        { why = AG_STOP_CANCELLED; break; }
      if (stepped != AG_OK)
        { why = AG_STOP_DIVERGED; break; }
      b_rec[k] = rule->b_scalar >= 0 ? snew[rule->b_scalar] : NAN;
      lo_rec[k] = io.step[0];
      step_rec[k] = io.step[1];
      hi_rec[k] = io.step[2];
      Wother = Wk;
      Wk = G;
      for (int i = 0; i < rule->narrays; i++)
        {
          void *u = Sk[i]; Sk[i] = Sother[i]; Sother[i] = u;
        }
      if (ext)
        ext->swap (ext->ctx);
      memcpy (sprev, sk, sizeof sk);
      memcpy (sk, snew, sizeof sk);
      seen_prev = seen;
      seen += nb;
      k++;
      continue;

    diverged:
      /* A non-finite loss at W(k): back to W(k-1) and its state. */
      why = AG_STOP_DIVERGED;
      if (k > 0)
        {
          REAL *t = Wk; Wk = Wother; Wother = t;
          for (int i = 0; i < rule->narrays; i++)
            {
              void *u = Sk[i]; Sk[i] = Sother[i]; Sother[i] = u;
            }
          if (ext)
            ext->swap (ext->ctx);
          memcpy (sk, sprev, sizeof sk);
          seen = seen_prev;
          k--;
        }
      break;
    }
  if (kn)
    {
      /* The state in the caller's buffers, and W and the arrays formed from
         it (the W and state given when the call was cut before its state
         was complete). */
      if (Wk != kn->A)
        memcpy (kn->A, Wk, stepcount * sizeof (REAL));
      for (int i = 0; i < rule->narrays; i++)
        if (Sk[i] != kn->As[i])
          memcpy (kn->As[i], Sk[i], stepcount * sizeof (REAL));
      if (! setup_cut)
        {
          SFX (kform_at) (&kf, (const REAL *) kn->A, kn->As);
          SFX (kform_cb) (&kf);
          kn->valid = 1;
          kn->hash = khash;
          kn->whash = SFX (weights_hash) (count, W, rule->narrays,
                                          (const void *const *) state->arrays);
        }
    }
  blas_threads_leave (blas);
  if (! kn && Wk != W)
    memcpy (W, Wk, count * sizeof (REAL));
  for (int i = 0; i < rule->narrays && ! kn; i++)
    if (Sk[i] != state->arrays[i])
      memcpy (state->arrays[i], Sk[i], count * sizeof (REAL));
  memcpy (state->scalars, sk, sizeof sk);
  *res = (ag_train_result) {
    .iters = k, .stop = why, .loss = loss_rec, .time = time_rec, .gnorm = gnorm_rec,
    .b = b_rec, .step = step_rec, .steplo = lo_rec, .stephi = hi_rec,
    .ndiag = (long) ndiag, .diter = drec[0], .flips = drec[1], .move = drec[2],
    .dist = drec[3], .batchloss = bloss_rec, .epoch = epoch_rec, .vloss = vloss_rec,
    .seen = seen
  };
  return AG_OK;
}
