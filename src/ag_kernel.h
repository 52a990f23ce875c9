/* ag_kernel.h: the kernel form (ag.h, ag_kernel): Z = X*W', forming W and
   the state arrays from the kernel state, anchoring it afresh, the forward
   pass from Z and the gradient through K = X*X', the hashes that tell a
   state of the same data and weights.
   A typed file: included by ag_typed.c once per precision with REAL,
   SFX(name), GEMM, PACK_SIGNS and UNPACK_SCALED defined. Every parallel loop
   writes each output from one thread, in a fixed order, so the results do
   not depend on the number of threads. */

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
      if (agi_skip_block (&stopped, cancel))
        continue;
      size_t r0 = blk * B, nb = m - r0 < B ? m - r0 : B;
      size_t U = agi_chunk_len (nb, 2.0 * (double) n * (double) d);
      for (size_t j0 = 0; j0 < nb; j0 += U)
        {
          if (j0 > 0 && agi_skip_block (&stopped, cancel))
            break;
          size_t nj = nb - j0 < U ? nb - j0 : U;
          GEMM (CblasColMajor, CblasNoTrans, CblasTrans, (int) n, (int) nj, (int) d,
                1.0, X, (int) n, W + r0 + j0, (int) m, 0.0, out + (r0 + j0) * n, (int) n);
        }
    }
  return stopped;
}

/* out = base + coef * Sa + (1/sqrt(m)) * diag(a) * C' * X (m-by-d; base and
   Sa may be NULL; C n-by-m; a NULL: the identity, as with K > 1 outputs,
   whose output weights are in C), blocks of B rows in parallel; every entry
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
      if (agi_skip_block (&stopped, cancel))
        continue;
      size_t r0 = blk * B, nb = m - r0 < B ? m - r0 : B;
      size_t Cw = agi_chunk_len (d, 2.0 * (double) n * (double) nb);
      int cut = 0;
      for (size_t c0 = 0; c0 < d && ! cut; c0 += Cw)
        {
          size_t nc = d - c0 < Cw ? d - c0 : Cw;
          GEMM (CblasColMajor, CblasTrans, CblasNoTrans, (int) nb, (int) nc, (int) n,
                1.0, C + r0 * n, (int) n, X + c0 * n, (int) n, 0.0, out + r0 + c0 * m,
                (int) m);
          cut = c0 + nc < d && agi_skip_block (&stopped, cancel);
        }
      if (cut)
        continue;
      for (size_t c = 0; c < d; c++)
        for (size_t r = r0; r < r0 + nb; r++)
          {
            size_t i = r + c * m;
            double v = (a ? (double) a[r] : 1.0) * scale * (double) out[i];
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
   whose sum is ||G||_F^2. With ws->K > 1 outputs (a is A, m-by-K; eR is
   rows-by-K) V(:, r) = P(:, r) .* (eR * A(r, :)') holds the output weights
   (one product per block, as in the primal pass), and a(r) is 1 above.
   Returns non-zero when *cancel is set. */
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
        if (agi_skip_block (&stopped, cancel))
          continue;
        size_t r0 = blk * B, nb = m - r0 < B ? m - r0 : B;
        REAL *V = Gb + nm + r0 * n;
        REAL *D = idx ? scratch : V;
        if (ws->K > 1)
          SFX (masked_outputs) (rows, m, r0, nb, 1.0, eR, a, D, ws);
        for (size_t j = 0; j < nb && ws->K == 1; j++)
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
        size_t U = agi_chunk_len (nb, 2.0 * (double) n * (double) rows);
        int cut = 0;
        for (size_t j0 = 0; j0 < nb && ! cut; j0 += U)
          {
            size_t nj = nb - j0 < U ? nb - j0 : U;
            GEMM (CblasColMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) nj, (int) rows,
                  1.0, Kc, (int) n, D + j0 * rows, (int) rows, 0.0, Gb + (r0 + j0) * n,
                  (int) n);
            cut = j0 + nj < nb && agi_skip_block (&stopped, cancel);
          }
        if (cut)
          continue;
        for (size_t j = 0; j < nb; j++)
          {
            const double c = (ws->K > 1 ? 1.0 : (double) a[r0 + j]) * scale;
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
   (m-by-K; SplitMix64's finalizer over their 64-bit words; K = 1 hashes as
   before K outputs were). */
static uint64_t
SFX (kernel_hash) (size_t n, size_t d, size_t m, size_t K, const REAL *X, const REAL *a)
{
  uint64_t h = mix64 ((uint64_t) n ^ mix64 ((uint64_t) d ^ mix64 ((uint64_t) m
                                                                   + sizeof (REAL))));
  if (K > 1)
    h = mix64 (h ^ (uint64_t) K);
  const REAL *arr[2] = { X, a };
  size_t len[2] = { n * d, m * K };
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
