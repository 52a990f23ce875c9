/* ag_event.h: the event form (ag.h, ag_kernel.event; doc/theory.md, "The
   event form"): full-batch steps W -= s*G advanced through the outputs,
   u(k+1) = u(k) - s_k H e_k while the pattern holds, with every activation
   flip found by a bound and handled as an event.
   A typed file: included by ag_typed.c once per precision with REAL,
   SFX(name), GEMM, PACK_SIGNS and UNPACK_SCALED defined, after ag_kernel.h.
   Every parallel loop writes each output from one thread, in a fixed order,
   so the results do not depend on the number of threads.

   The state (agi_event_layout, in A): D the pattern; Z0 = X*Wa' at the
   anchor Wa; V = sum_k s_k D_k .* e_k kept lazily per unit as V(:,r) =
   Vr(:,r) + (c - Cr(:,r)) .* D(:,r) with c = sum_k s_k e_k (Vr, Cr brought
   up to date before unit r's pattern changes), so that Z(i,r) = Z0(i,r) -
   (a_r/sqrt(m)) K(i,:) V(:,r) and W = Wa - (1/sqrt(m)) diag(a) V' X; H =
   K .* (D diag(a.^2) D')/m; u; B_i = sum_k |s_k| w_i(k), w_i(k) the larger
   of the positive and the negative terms of K(i,:) .* e_k (ev_grad), which
   bounds the movement of every entry of row i: |Z(i,r)(t) - Z(i,r)(t')| <= |a_r|
   (B_i(t) - B_i(t'))/sqrt(m); tau(i,r) = B_i(t') + sqrt(m)|Z(i,r)(t')|/|a_r|
   of the entry's last exact evaluation t', below which it cannot have
   changed sign; tau's minima over blocks of 64 units and over rows. */

/* The bounds past which a step counts as diverged before it is applied (the
   state cannot be taken back once flips are applied): the movement bound
   B and the loss of the step's linear part. Below them every value the step
   computes is finite. */
#define AG_EVENT_BMAX 1e100
#define AG_EVENT_LMAX 1e200

typedef struct SFX (evctx) {
  size_t n, d, m, cap;
  ev_layout L;
  const REAL *X, *y, *a, *K;
  REAL *A, *Wa;
  double *e, *He, *w, *un, *vs;
  uint64_t *cand, *ord, *cnt;
  double *z;
  unsigned char *mark;
  int nt;
  double scale, rootm, evals, flips;
} SFX (evctx);

/* The context over the state A and the workspace part WORK (event_units). */
static void
SFX (ev_init) (SFX (evctx) *c, size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
               const REAL *a, const REAL *K, REAL *A, REAL *Wa, double *work, int nt)
{
  const size_t cap = agi_event_cap (n, m);
  *c = (SFX (evctx)) { .n = n, .d = d, .m = m, .cap = cap,
                       .L = agi_event_layout (n, m, sizeof (REAL) == sizeof (float)),
                       .X = X, .y = y, .a = a, .K = K, .A = A, .Wa = Wa, .nt = nt,
                       .scale = 1.0 / sqrt ((double) m), .rootm = sqrt ((double) m) };
  c->e = work;
  c->He = c->e + n;
  c->w = c->He + n;
  c->un = c->w + n;
  c->vs = c->un + n;
  c->cand = (uint64_t *) (void *) (c->vs + (size_t) nt * n);
  c->ord = c->cand + cap + 1;   /* cand: cap keys and the groups' end */
  c->z = (double *) (void *) (c->ord + cap);
  c->cnt = (uint64_t *) (void *) (c->z + cap);
  c->mark = (unsigned char *) (void *) (c->cnt + m + 1);
  memset (c->mark, 0, n * c->L.nb + n);
}

static inline uint64_t *
SFX (ev_D) (const SFX (evctx) *c)
{
  return (uint64_t *) (void *) (c->A + c->L.D);
}

static inline int
SFX (ev_bit) (const uint64_t *Dr, size_t i)
{
  return (int) ((Dr[i >> 6] >> (i & 63)) & 1u);
}

/* out = Vr + D(:,r) .* (c - Cr) over n rows, without branches (a 0/1
   factor per row). */
static inline void
SFX (ev_column) (double *out, const REAL *Vr, const REAL *Cr, const REAL *cc,
                 const uint64_t *Dr, size_t n)
{
  size_t j = 0;
  for (; j + 8 <= n; j += 8)
    {
      const double *f = agi_event_bytes[(Dr[j >> 6] >> (j & 63)) & 0xffu];
      for (size_t t = 0; t < 8; t++)
        out[j + t] = (double) Vr[j + t] + f[t] * ((double) cc[j + t] - (double) Cr[j + t]);
    }
  for (; j < n; j++)
    out[j] = (double) Vr[j]
             + (double) SFX (ev_bit) (Dr, j) * ((double) cc[j] - (double) Cr[j]);
}

/* The threshold of an entry of row i (bound B_i) evaluated at z, unit weight a. */
static inline REAL
SFX (ev_tau) (const SFX (evctx) *c, double Bi, double z, double a)
{
  return (REAL) (a != 0.0 ? Bi + c->rootm * fabs (z) / fabs (a) : INFINITY);
}

/* Row i's minimum of tau over block b of 64 units, and over the row. */
static void
SFX (ev_block_min) (SFX (evctx) *c, size_t i, size_t b)
{
  const size_t m = c->m, r0 = 64 * b, r1 = r0 + 64 < m ? r0 + 64 : m;
  const REAL *tau = c->A + c->L.tau + i * m;
  REAL l0 = INFINITY, l1 = INFINITY, l2 = INFINITY, l3 = INFINITY;
  size_t r = r0;
  for (; r + 4 <= r1; r += 4)
    {
      l0 = tau[r] < l0 ? tau[r] : l0;
      l1 = tau[r + 1] < l1 ? tau[r + 1] : l1;
      l2 = tau[r + 2] < l2 ? tau[r + 2] : l2;
      l3 = tau[r + 3] < l3 ? tau[r + 3] : l3;
    }
  for (; r < r1; r++)
    l0 = tau[r] < l0 ? tau[r] : l0;
  l0 = l1 < l0 ? l1 : l0;
  l2 = l3 < l2 ? l3 : l2;
  c->A[c->L.bmin + i * c->L.nb + b] = l2 < l0 ? l2 : l0;
}

static void
SFX (ev_row_min) (SFX (evctx) *c, size_t i)
{
  const REAL *bm = c->A + c->L.bmin + i * c->L.nb;
  REAL lo = INFINITY;
  for (size_t b = 0; b < c->L.nb; b++)
    lo = bm[b] < lo ? bm[b] : lo;
  c->A[c->L.rmin + i] = lo;
}

/* The state formed afresh from W: Wa = W, Z0 = X*W', D, u, H, V = C = 0,
   c = B = 0, tau from Z0. B: the units of the products' blocks. Returns
   non-zero (the state incomplete) when *cancel is set. */
static int
SFX (ev_anchor) (SFX (evctx) *c, const REAL *W, size_t B,
                 const volatile sig_atomic_t *cancel)
{
  const size_t n = c->n, d = c->d, m = c->m, nm = n * m, nw = c->L.nw, nb = c->L.nb;
  REAL *A = c->A, *Z0 = A + c->L.Z0, *V = A + c->L.V, *H = A + c->L.H;
  uint64_t *D = SFX (ev_D) (c);
  const REAL *a = c->a, *K = c->K;
  const double scale = c->scale;
  if (c->Wa != W)
    memcpy (c->Wa, W, m * d * sizeof (REAL));
  if (SFX (project) (n, d, m, c->X, W, Z0, B, c->nt, cancel))
    return 1;
#pragma omp parallel for num_threads (c->nt) schedule (static)
  for (size_t r = 0; r < m; r++)
    {
      for (size_t w = 0; w < nw; w++)
        D[r * nw + w] = PACK_SIGNS (Z0 + r * n + 64 * w, n - 64 * w < 64 ? n - 64 * w : 64);
      /* D .* |a|/sqrt(m), for H. */
      const double v = fabs ((double) a[r]) * scale;
      for (size_t i = 0; i < n; i++)
        V[r * n + i] = Z0[r * n + i] >= 0 ? (REAL) v : (REAL) 0;
    }
  /* u, tau and its minima, row by row. */
  REAL *u = A + c->L.u, *tau = A + c->L.tau;
#pragma omp parallel for num_threads (c->nt) schedule (static)
  for (size_t i = 0; i < n; i++)
    {
      double t = 0.0;
      REAL *ti = tau + i * m;
      for (size_t r = 0; r < m; r++)
        {
          const double z = (double) Z0[r * n + i];
          t += (double) a[r] * (z > 0.0 ? z : 0.0);
          ti[r] = SFX (ev_tau) (c, 0.0, z, (double) a[r]);
        }
      u[i] = (REAL) (scale * t);
      for (size_t b = 0; b < nb; b++)
        SFX (ev_block_min) (c, i, b);
      SFX (ev_row_min) (c, i);
    }
  /* H = K .* (Da Da'), Da = D diag(|a|)/sqrt(m): blocks of 256 columns, each
     by one thread (the same products whatever the thread count). */
  const size_t hb = 256, nhb = (n + hb - 1) / hb;
  int stopped = 0;
#pragma omp parallel for num_threads (c->nt) schedule (static, 1)
  for (size_t blk = 0; blk < nhb; blk++)
    {
      if (agi_skip_block (&stopped, cancel))
        continue;
      size_t j0 = blk * hb, nj = n - j0 < hb ? n - j0 : hb;
      GEMM (CblasColMajor, CblasNoTrans, CblasTrans, (int) n, (int) nj, (int) m, 1.0, V,
            (int) n, V + j0, (int) n, 0.0, H + j0 * n, (int) n);
      for (size_t j = j0; j < j0 + nj; j++)
        for (size_t i = 0; i < n; i++)
          H[j * n + i] = (REAL) ((double) H[j * n + i] * (double) K[j * n + i]);
    }
  if (stopped)
    return 1;
  memset (V, 0, 2 * nm * sizeof (REAL));   /* V and C */
  memset (A + c->L.c, 0, 2 * n * sizeof (REAL));   /* c and B */
  c->evals += (double) nm;
  return 0;
}

/* e = u - y, H*e and the bound's increment w at the current iterate;
   returns e'*H*e = ||G||_F^2 (0 where round-off leaves it below). */
static double
SFX (ev_grad) (SFX (evctx) *c)
{
  const size_t n = c->n;
  const REAL *u = c->A + c->L.u, *H = c->A + c->L.H, *K = c->K;
  double *e = c->e;
  for (size_t i = 0; i < n; i++)
    e[i] = (double) u[i] - (double) c->y[i];
#pragma omp parallel for num_threads ((double) n * (double) n > 1e6 ? c->nt : 1) \
  schedule (static)
  for (size_t i = 0; i < n; i++)
    {
      /* H and K are symmetric: their columns i are their rows. */
      const REAL *h = H + i * n, *k = K + i * n;
      double t0 = 0, t1 = 0, p0 = 0, p1 = 0, q0 = 0, q1 = 0;
      size_t j = 0;
      for (; j + 2 <= n; j += 2)
        {
          const double v0 = (double) k[j] * e[j], v1 = (double) k[j + 1] * e[j + 1];
          t0 += (double) h[j] * e[j];
          t1 += (double) h[j + 1] * e[j + 1];
          p0 += v0 > 0.0 ? v0 : 0.0;
          q0 += v0 < 0.0 ? -v0 : 0.0;
          p1 += v1 > 0.0 ? v1 : 0.0;
          q1 += v1 < 0.0 ? -v1 : 0.0;
        }
      for (; j < n; j++)
        {
          const double v0 = (double) k[j] * e[j];
          t0 += (double) h[j] * e[j];
          p0 += v0 > 0.0 ? v0 : 0.0;
          q0 += v0 < 0.0 ? -v0 : 0.0;
        }
      c->He[i] = t0 + t1;
      /* The most K(i, :) (D(:, r) .* e) can be, whatever the unit's column
         D(:, r): the larger of its positive and its negative terms. */
      c->w[i] = p0 + p1 > q0 + q1 ? p0 + p1 : q0 + q1;
    }
  double g2 = 0.0;
  for (size_t i = 0; i < n; i++)
    g2 += e[i] * c->He[i];
  return g2 > 0.0 ? g2 : 0.0;
}

/* K(:, i)' * v, four partial sums in a fixed order. */
static inline double
SFX (ev_dot) (const REAL *k, const double *v, size_t n)
{
  double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  size_t j = 0;
  for (; j + 4 <= n; j += 4)
    {
      t0 += (double) k[j] * v[j];
      t1 += (double) k[j + 1] * v[j + 1];
      t2 += (double) k[j + 2] * v[j + 2];
      t3 += (double) k[j + 3] * v[j + 3];
    }
  for (; j < n; j++)
    t0 += (double) k[j] * v[j];
  return (t0 + t1) + (t2 + t3);
}

/* The Q candidates of c->cand (keys unit << 32 | row, in row order):
   evaluated exactly and given their new tau, grouped by unit (in parallel,
   one unit per thread at a time), then applied in unit and row order: a
   flip brings the unit's V up to date and changes D, u and H. */
static void
SFX (ev_chunk) (SFX (evctx) *c, size_t q)
{
  const size_t n = c->n, m = c->m, nw = c->L.nw, nb = c->L.nb;
  REAL *A = c->A, *Z0 = A + c->L.Z0, *V = A + c->L.V, *C = A + c->L.C, *H = A + c->L.H;
  REAL *u = A + c->L.u, *cc = A + c->L.c, *Bv = A + c->L.B, *tau = A + c->L.tau;
  uint64_t *D = SFX (ev_D) (c), *cnt = c->cnt, *ord = c->ord, *grp = c->cand;
  const REAL *a = c->a, *K = c->K;
  memset (cnt, 0, (m + 1) * sizeof (uint64_t));
  for (size_t t = 0; t < q; t++)
    cnt[(c->cand[t] >> 32) + 1]++;
  for (size_t r = 0; r < m; r++)
    cnt[r + 1] += cnt[r];
  for (size_t t = 0; t < q; t++)
    ord[cnt[c->cand[t] >> 32]++] = c->cand[t];
  /* The groups' starts (the keys are in ord now), and the end. */
  size_t ng = 0;
  for (size_t t = 0; t < q; t++)
    if (t == 0 || (ord[t] >> 32) != (ord[t - 1] >> 32))
      grp[ng++] = t;
  grp[ng] = q;
  /* Threads only where the chunk's work pays for waking them. */
  const int nt = (double) q * (double) n > 2e5 ? c->nt : 1;
#pragma omp parallel num_threads (nt)
  {
    double *vs = c->vs + (size_t) ag_this_thread () * n;
#pragma omp for schedule (dynamic, 4)
    for (size_t g = 0; g < ng; g++)
      {
        const size_t g0 = grp[g], g1 = grp[g + 1], r = ord[g0] >> 32;
        const REAL *Vr = V + r * n, *Cr = C + r * n;
        const uint64_t *Dr = D + r * nw;
        SFX (ev_column) (vs, Vr, Cr, cc, Dr, n);
        const double coef = (double) a[r] * c->scale;
        for (size_t t = g0; t < g1; t++)
          {
            const size_t i = (size_t) (ord[t] & 0xffffffffu);
            /* Double: BLAS's dot (one call per entry, whatever the
               thread: the same bits for any thread count). */
            const double dot = sizeof (REAL) == sizeof (double)
                               ? cblas_ddot ((int) n, (const double *) (const void *) (K + i * n),
                                             1, vs, 1)
                               : SFX (ev_dot) (K + i * n, vs, n);
            c->z[t] = (double) Z0[r * n + i] - coef * dot;
            /* The new threshold depends on the step's B and z alone. */
            tau[i * m + r] = SFX (ev_tau) (c, (double) Bv[i], c->z[t], (double) a[r]);
          }
      }
  }
  for (size_t g = 0; g < ng; g++)
    {
      const size_t g0 = grp[g], g1 = grp[g + 1], r = ord[g0] >> 32;
      uint64_t *Dr = D + r * nw;
      REAL *Vr = V + r * n, *Cr = C + r * n;
      const double ar = (double) a[r], a2m = ar * ar / (double) m;
      int fresh = 0;
      for (size_t t = g0; t < g1; t++)
        {
          const size_t i = (size_t) (ord[t] & 0xffffffffu);
          const double z = c->z[t];
          const int old = SFX (ev_bit) (Dr, i), now = z >= 0.0;
          if (now != old)
            {
              if (! fresh)
                {
                  /* The unit's V brought up to date (the column the
                     evaluation formed is that sum, rounded once), C with it. */
                  double *vs = c->vs;
                  SFX (ev_column) (vs, Vr, Cr, cc, Dr, n);
                  for (size_t j = 0; j < n; j++)
                    {
                      Vr[j] = (REAL) vs[j];
                      Cr[j] = cc[j];
                    }
                  fresh = 1;
                }
              Dr[i >> 6] ^= (uint64_t) 1 << (i & 63);
              const double sigma = now ? 1.0 : -1.0;
              u[i] = (REAL) ((double) u[i] + sigma * ar * c->scale * z);
              const double f = sigma * a2m;
              const REAL *Ki = K + i * n;
              REAL *Hi = H + i * n;
              for (size_t w = 0; w < nw; w++)
                {
                  uint64_t bits = Dr[w];
                  while (bits)
                    {
                      const size_t j = 64 * w + (size_t) __builtin_ctzll (bits);
                      bits &= bits - 1;
                      if (j == i)
                        continue;
                      const REAL h = (REAL) ((double) Hi[j] + f * (double) Ki[j]);
                      Hi[j] = h;
                      H[j * n + i] = h;
                    }
                }
              Hi[i] = (REAL) ((double) Hi[i] + f * (double) Ki[i]);
              c->flips += 1.0;
            }
          c->mark[i * nb + r / 64] = 1;
        }
    }
  /* The minima of the blocks and rows whose thresholds changed, once each. */
  for (size_t t = 0; t < q; t++)
    {
      const size_t i = (size_t) (ord[t] & 0xffffffffu), b = (size_t) (ord[t] >> 32) / 64;
      if (c->mark[i * nb + b])
        {
          SFX (ev_block_min) (c, i, b);
          c->mark[i * nb + b] = 0;
          c->mark[n * nb + i] = 1;
        }
    }
  for (size_t t = 0; t < q; t++)
    {
      const size_t i = (size_t) (ord[t] & 0xffffffffu);
      if (c->mark[n * nb + i])
        {
          SFX (ev_row_min) (c, i);
          c->mark[n * nb + i] = 0;
        }
    }
  c->evals += (double) q;
}

/* The step W -= s*G from the iterate whose e, H*e and w ev_grad left:
   u, c and B move, then every entry whose threshold B has reached is
   evaluated and its flip applied. Returns non-zero, the state untouched,
   when the step would pass the divergence bounds (a diverged step). */
static int
SFX (ev_step) (SFX (evctx) *c, double s)
{
  const size_t n = c->n, m = c->m, nb = c->L.nb;
  REAL *A = c->A, *u = A + c->L.u, *cc = A + c->L.c, *Bv = A + c->L.B;
  const REAL *tau = A + c->L.tau, *bmin = A + c->L.bmin, *rmin = A + c->L.rmin;
  double *un = c->un, lin = 0.0;
  const double as = fabs (s);
  int ok = isfinite (s);
  for (size_t i = 0; i < n && ok; i++)
    {
      un[i] = (double) u[i] - s * c->He[i];
      const double bn = (double) Bv[i] + as * c->w[i], r = un[i] - (double) c->y[i];
      lin += r * r;
      ok = isfinite (un[i]) && bn <= AG_EVENT_BMAX && isfinite (s * c->e[i]);
    }
  if (! ok || ! (0.5 * lin <= AG_EVENT_LMAX))
    return 1;
  for (size_t i = 0; i < n; i++)
    {
      u[i] = (REAL) un[i];
      Bv[i] = (REAL) ((double) Bv[i] + as * c->w[i]);
      cc[i] = (REAL) ((double) cc[i] + s * c->e[i]);
    }
  size_t q = 0;
  for (size_t i = 0; i < n; i++)
    {
      const REAL bi = Bv[i];
      if (! (rmin[i] <= bi))
        continue;
      for (size_t b = 0; b < nb; b++)
        {
          if (! (bmin[i * nb + b] <= bi))
            continue;
          const size_t r1 = 64 * b + 64 < m ? 64 * b + 64 : m;
          for (size_t r = 64 * b; r < r1; r++)
            if (tau[i * m + r] <= bi)
              {
                c->cand[q++] = ((uint64_t) r << 32) | (uint64_t) i;
                if (q == c->cap)
                  {
                    SFX (ev_chunk) (c, q);
                    q = 0;
                  }
              }
        }
    }
  if (q > 0)
    SFX (ev_chunk) (c, q);
  return 0;
}

/* The loss 0.5*||u - y||^2 of the state; the flips against P0 (when given)
   and the rows that sign (u) classifies right (when CORRECT). */
static double
SFX (ev_loss) (const SFX (evctx) *c, const uint64_t *P0, size_t *flips, size_t *correct)
{
  const REAL *u = c->A + c->L.u;
  double loss = 0.0;
  size_t right = 0;
  for (size_t i = 0; i < c->n; i++)
    {
      const double r = (double) u[i] - (double) c->y[i];
      loss += r * r;
      right += (u[i] >= 0 ? 1 : -1) == c->y[i];
    }
  if (P0)
    {
      const uint64_t *D = SFX (ev_D) (c);
      size_t f = 0;
      for (size_t t = 0; t < c->m * c->L.nw; t++)
        f += popcount64 (D[t] ^ P0[t]);
      *flips = f;
    }
  if (correct)
    *correct = right;
  return 0.5 * loss;
}

/* W = Wa - (1/sqrt(m)) diag(a) V' X into OUT (m-by-d), blocks of B units in
   parallel, each unit's V formed in the thread's scratch of the workspace
   WS (n-by-B); every entry summed in double and rounded once. */
static int
SFX (ev_form) (const SFX (evctx) *c, REAL *out, const workspace *ws,
               const volatile sig_atomic_t *cancel)
{
  const size_t n = c->n, d = c->d, m = c->m, nw = c->L.nw, B = ws->B;
  const size_t nblocks = (m + B - 1) / B;
  const REAL *V = c->A + c->L.V, *C = c->A + c->L.C, *cc = c->A + c->L.c;
  const uint64_t *D = SFX (ev_D) (c);
  int stopped = 0;
#pragma omp parallel num_threads (c->nt)
  {
    REAL *Vb = (REAL *) thread_Z (ws, ag_this_thread ());
#pragma omp for schedule (static, 1)
    for (size_t blk = 0; blk < nblocks; blk++)
      {
        if (agi_skip_block (&stopped, cancel))
          continue;
        const size_t r0 = blk * B, nb = m - r0 < B ? m - r0 : B;
        for (size_t j = 0; j < nb; j++)
          {
            const size_t r = r0 + j;
            for (size_t i = 0; i < n; i++)
              Vb[j * n + i] = (REAL) ((double) V[r * n + i]
                                      + (SFX (ev_bit) (D + r * nw, i)
                                         ? (double) cc[i] - (double) C[r * n + i] : 0.0));
          }
        GEMM (CblasColMajor, CblasTrans, CblasNoTrans, (int) nb, (int) d, (int) n, 1.0, Vb,
              (int) n, c->X, (int) n, 0.0, out + r0, (int) m);
        for (size_t col = 0; col < d; col++)
          for (size_t r = r0; r < r0 + nb; r++)
            {
              const size_t i = r + col * m;
              out[i] = (REAL) ((double) c->Wa[i]
                               - (double) c->a[r] * c->scale * (double) out[i]);
            }
      }
  }
  return stopped;
}
