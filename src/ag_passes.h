/* ag_passes.h: the passes over the network: forward (outputs and
   activation pattern), residual (from the loss table), gradient, ||G||, the
   evaluation of the loss over all rows in pieces, the diagnostics of an iterate.
   A typed file: included by ag_typed.c once per precision with REAL,
   SFX(name), GEMM, PACK_SIGNS and UNPACK_SCALED defined. Every parallel loop
   writes each output from one thread, in a fixed order, so the results do
   not depend on the number of threads. */

static int
SFX (all_finite) (const REAL *x, size_t count)
{
  for (size_t i = 0; i < count; i++)
    if (! isfinite (x[i]))
      return 0;
  return 1;
}

/* A block of K > 1 outputs (forward_any): the pattern of each unit into P,
   relu(z) into Z (Z's column j holds unit r0 + j; from Zk in the kernel
   form), then out = scale * relu(Z) * A(r0:r0+nb-1, :), n-by-K. */
static void
SFX (forward_block_k) (size_t n, size_t m, size_t K, size_t r0, size_t nb, REAL *Z,
                       const REAL *Zk, const uint32_t *idx, size_t off, size_t ldz,
                       const REAL *a, double scale, REAL *out, const workspace *ws)
{
  for (size_t j = 0; j < nb; j++)
    {
      REAL *zj = Z + j * n;
      if (Zk)
        {
          const REAL *zc = Zk + (r0 + j) * ldz;
          for (size_t i = 0; i < n; i++)
            zj[i] = idx ? zc[idx[i]] : zc[off + i];
        }
      uint64_t *p = ws->P + (r0 + j) * ws->nw;
      for (size_t w = 0; w < ws->nw; w++)
        p[w] = PACK_SIGNS (zj + 64 * w, n - 64 * w < 64 ? n - 64 * w : 64);
      for (size_t i = 0; i < n; i++)
        zj[i] = zj[i] * (REAL) (zj[i] >= 0);
    }
  GEMM (CblasColMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) K, (int) nb,
        (REAL) scale, Z, (int) n, a + r0, (int) m, 0.0, out, (int) n);
}

/* Pass 1: acc = f(W, a, X) in double, block by block, for n rows (K =
   ws->K outputs: a is A, m-by-K, and acc n-by-K); P receives the pattern
   X*W' >= 0. Z = X*W' comes from the product of X (n
   rows of a matrix with leading dimension ldx) and W when Zk is NULL, else
   (the kernel form) from Zk, n-by-m with leading dimension ldz, whose row i
   is idx[i] (idx non-NULL) or off + i. Each block's contribution is summed
   in its thread's tmp, then added to acc in block order (an ordered loop),
   so the sums do not depend on the thread count. With K > 1 a block's
   contribution is one product, relu(Z_blk) * A_blk (in REAL, written into
   tmp's space), instead of K sums of vectors. Returns non-zero, with acc
   incomplete, when *cancel is set. */
static int
SFX (forward_any) (size_t n, size_t ldx, size_t d, size_t m, const REAL *X, const REAL *W,
                   const REAL *Zk, const uint32_t *idx, size_t off, size_t ldz,
                   const REAL *a, const workspace *ws, const volatile sig_atomic_t *cancel)
{
  const double scale = 1.0 / sqrt ((double) m);
  const size_t B = ws->B, nblocks = (m + B - 1) / B, K = ws->K, nk = n * K;
  double *acc = ws->acc;
  int stopped = 0;
  memset (acc, 0, nk * sizeof (double));
#pragma omp parallel num_threads (ws->threads)
  {
    REAL *Z = (REAL *) thread_Z (ws, ag_this_thread ());
    double *tmp = thread_tmp (ws, ag_this_thread ());
#pragma omp for schedule (static, 1) ordered
    for (size_t blk = 0; blk < nblocks; blk++)
      {
        if (agi_skip_block (&stopped, cancel))
          continue;
        size_t r0 = blk * B, nb = m - r0 < B ? m - r0 : B;
        /* Z = X * W(r0:r0+nb-1, :)' without a transposed copy of W, in
           chunks of units of at most AG_CHECK_FLOPS, with a look at the
           cancel flag between them (each entry of Z is the same dot product
           whatever the chunk). */
        size_t U = agi_chunk_len (nb, 2.0 * (double) n * (double) d);
        int cut = 0;
        for (size_t j0 = 0; j0 < nb && ! cut && ! Zk; j0 += U)
          {
            size_t nj = nb - j0 < U ? nb - j0 : U;
            GEMM (CblasColMajor, CblasNoTrans, CblasTrans, (int) n, (int) nj, (int) d,
                  1.0, X, (int) ldx, W + r0 + j0, (int) m, 0.0, Z + j0 * n, (int) n);
            cut = j0 + nj < nb && agi_skip_block (&stopped, cancel);
          }
        if (cut)
          continue;
        if (K > 1)
          {
            SFX (forward_block_k) (n, m, K, r0, nb, Z, Zk, idx, off, ldz, a, scale,
                                   (REAL *) (void *) tmp, ws);
#pragma omp ordered
            for (size_t i = 0; i < nk; i++)
              acc[i] += (double) ((const REAL *) (const void *) tmp)[i];
            continue;
          }
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

/* The loss of the outputs acc (n-by-K) against y (leading dimension ldy),
   by the table entry LOSS: e = dL/dU in double and scale * e in REAL (what
   the gradient pass reads); returns L. */
static double
SFX (residual) (const ag_loss_info *loss, size_t n, const REAL *y, size_t ldy,
                const workspace *ws, double scale)
{
  REAL *eR = (REAL *) ws->eR;
  const size_t K = ws->K;
  const double L = sizeof (REAL) == sizeof (float)
                   ? loss->eval_f (n, K, ws->acc, (const float *) (const void *) y, ldy, ws->e)
                   : loss->eval (n, K, ws->acc, (const double *) (const void *) y, ldy, ws->e);
  for (size_t i = 0; i < n * K; i++)
    eR[i] = (REAL) (scale * ws->e[i]);
  return L;
}

/* Whether row I of the outputs U (n-by-K) is classified right against Y
   (leading dimension ldy; labels: one label per row): K = 1, u >= 0 for y >
   0 and u < 0 otherwise (for targets +-1, sign (u)); K > 1, the first
   largest output is the label (labels) or the first largest entry of Y's
   row (one-hot targets). */
static int
SFX (row_right) (size_t n, size_t K, const double *U, const REAL *Y, size_t ldy, int labels,
                 size_t i)
{
  if (K == 1)
    return (U[i] >= 0.0) == ((double) Y[i] > 0.0);
  size_t ku = 0, ky = 0;
  for (size_t k = 1; k < K; k++)
    {
      ku = U[i + k * n] > U[i + ku * n] ? k : ku;
      if (! labels)
        ky = Y[i + k * ldy] > Y[i + ky * ldy] ? k : ky;
    }
  return labels ? (double) (ku + 1) == (double) Y[i] : ku == ky;
}

/* D = P .* (c * eR * A_blk') for the nb units r0.. of a block with K > 1
   outputs (eR: rows-by-K, A: m-by-K; D: rows-by-nb), one product, then the
   pattern's mask in place, 64 rows a word (1 * x is x: the same bits as a
   select). Shared by the primal gradient pass and the kernel form's. */
static void
SFX (masked_outputs) (size_t rows, size_t m, size_t r0, size_t nb, double c, const REAL *eR,
                      const REAL *a, REAL *D, const workspace *ws)
{
  GEMM (CblasColMajor, CblasNoTrans, CblasTrans, (int) rows, (int) nb, (int) ws->K,
        (REAL) c, eR, (int) rows, a + r0, (int) m, 0.0, D, (int) rows);
  for (size_t j = 0; j < nb; j++)
    {
      const uint64_t *p = ws->P + (r0 + j) * ws->nw;
      REAL *Dj = D + j * rows;
      for (size_t w = 0; w < ws->nw; w++)
        UNPACK_SCALED (p[w], (REAL) 1, Dj + 64 * w, Dj + 64 * w,
                       rows - 64 * w < 64 ? rows - 64 * w : 64);
    }
}

/* Pass 2: G = (1/sqrt(m)) * (P .* (e * a'))' * X, block by block, each block
   by one thread (X: n rows, leading dimension ldx); with add, G += that.
   With K = ws->K > 1 outputs, e * a' is the product eR * A_blk' (then
   masked by the pattern).
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
        if (agi_skip_block (&stopped, cancel))
          continue;
        size_t r0 = blk * B, nb = m - r0 < B ? m - r0 : B;
        if (ws->K > 1)
          SFX (masked_outputs) (n, m, r0, nb, scale, eR, a, D, ws);
        for (size_t j = 0; j < nb && ws->K == 1; j++)
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
        size_t C = agi_chunk_len (d, 2.0 * (double) n * (double) nb);
        for (size_t c0 = 0; c0 < d; c0 += C)
          {
            size_t nc = d - c0 < C ? d - c0 : C;
            GEMM (CblasColMajor, CblasTrans, CblasNoTrans, (int) nb, (int) nc, (int) n,
                  1.0, D, (int) n, X + c0 * ldx, (int) ldx, add ? 1.0 : 0.0,
                  G + r0 + c0 * m, (int) m);
            if (c0 + nc < d && agi_skip_block (&stopped, cancel))
              break;
          }
      }
  }
  return stopped;
}

/* ||A - B||_F^2 in double for the effective step ||W(k+1) - W(k)|| (a
   record: the trajectory never reads it): each column summed in four
   interleaved partial sums (rows j mod 4, the tail's rows in the first
   ones), added as (q0 + q1) + (q2 + q3), the columns in parallel 64 at a
   time and added in column order. A fixed order whatever the thread count,
   with four independent chains of additions instead of one (the pass was
   bound by the latency of one chain: 9% of a step of Fashion-MNIST's
   mini-batches with K = 10). */
static double
SFX (frob2_diff4) (size_t m, size_t d, const REAL *A, const REAL *B, int nt)
{
  double part[64], s = 0.0;
  for (size_t c0 = 0; c0 < d; c0 += 64)
    {
      size_t dk = d - c0 < 64 ? d - c0 : 64;
#pragma omp parallel for num_threads (nt) schedule (static)
      for (size_t k = 0; k < dk; k++)
        {
          const REAL *a = A + (c0 + k) * m, *b = B + (c0 + k) * m;
          double q[4] = { 0.0, 0.0, 0.0, 0.0 };
          size_t j = 0;
          for (; j + 4 <= m; j += 4)
            for (int l = 0; l < 4; l++)
              {
                double t = (double) a[j + l] - (double) b[j + l];
                q[l] += t * t;
              }
          for (int l = 0; j < m; j++, l++)
            {
              double t = (double) a[j] - (double) b[j];
              q[l] += t * t;
            }
          part[k] = (q[0] + q[1]) + (q[2] + q[3]);
        }
      for (size_t k = 0; k < dk; k++)
        s += part[k];
    }
  return s;
}

/* ||G||_F^2 in double: column sums in parallel (64 columns at a time, so
   that the scratch fits on the stack), then added in column order. The rows
   go in pieces of at most AG_CHECK_ENTRIES entries, each column's sum
   carried from piece to piece in row order (the same sum as in one piece),
   with a look at *cancel before each: NaN when it is raised. (The effective
   step's ||W(k+1) - W(k)|| is frob2_diff4's.) */
static double
SFX (frob2) (size_t m, size_t d, const REAL *G, int nt, const volatile sig_atomic_t *cancel)
{
  double part[64], s = 0.0;
  for (size_t iter = 0; iter < d; iter += 64)
    {
      size_t dk = d - iter < 64 ? d - iter : 64;
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
              const REAL *g = G + (iter + k) * m;
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

/* The loss 0.5*||f(W, a, Xs) - ys||^2 (LF's; K outputs) over all `rows`
   rows of Xs and ys (leading dimension rows), in pieces of at most E rows, the forward space at BASE
   split for each piece; the pieces' sums are added in row order. With P0 (a
   pattern of all rows, nwall words per unit; E a multiple of 64 when the
   rows take more than one piece): store, P0 receives the pattern; else
   *flips counts the activations that differ from it. With G: G receives the
   gradient, piece by piece. With Zk (the kernel form: Z = Xs*W', rows-by-m)
   the outputs come from Zk instead of the products (then no G). With
   CORRECT: the rows classified right (row_right). Sets *cut (and returns NaN) when *cancel is set. */
static double
SFX (eval_pass) (const ag_loss_info *lf, size_t rows, size_t d, size_t m, size_t K,
                 const REAL *Xs,
                 const REAL *ys, const REAL *W, const REAL *Zk, const REAL *a, void *base,
                 size_t E, int nt,
                 uint64_t *P0, int store, size_t *flips, size_t *correct, REAL *G,
                 const volatile sig_atomic_t *cancel, int *cut)
{
  const size_t nwall = words_per_unit (rows);
  double loss = 0.0;
  size_t f = 0, right = 0;
  for (size_t i0 = 0; i0 < rows; i0 += E)
    {
      size_t r = rows - i0 < E ? rows - i0 : E;
      workspace ws;
      agi_split_workspace (base, r, d, m, K, nt, &ws);
      if (SFX (forward_any) (r, rows, d, m, Xs + i0, W, Zk, NULL, i0, rows, a, &ws, cancel))
        {
          *cut = 1;
          return NAN;
        }
      loss += SFX (residual) (lf, r, ys + i0, rows, &ws, 1.0);
      if (correct)
        for (size_t i = 0; i < r; i++)
          right += SFX (row_right) (r, K, ws.acc, ys + i0, rows, lf->labels, i);
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
  if (correct)
    *correct = right;
  return loss;
}
