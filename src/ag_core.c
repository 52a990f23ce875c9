/* ag_core.c: forward pass, gradient, step rules and the fused training loop. */
#define _POSIX_C_SOURCE 200809L

#include "ag.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#ifdef OPENBLAS_USE64BITINT
#define AG_BLAS_INT_MAX ((size_t) INT64_MAX)
#else
#define AG_BLAS_INT_MAX ((size_t) INT_MAX)
#endif

/* The n-by-m activation matrix is never formed: hidden units are processed in
   blocks of AG_BLOCK_BYTES worth of an n-by-block double matrix, and the sign
   pattern of X*W' is kept as bits (one 64-bit word per 64 samples per unit). */
#define AG_BLOCK_BYTES ((size_t) 1 << 19)
#define AG_BLOCK_MIN ((size_t) 16)

const char *
ag_strerror (int status)
{
  switch (status)
    {
    case AG_OK: return "success";
    case AG_ENULL: return "a required array argument is missing (NULL)";
    case AG_ESIZE: return "a dimension is zero or too large";
    case AG_EARG: return "a scalar argument is out of range";
    case AG_ERULE: return "unknown step rule";
    case AG_ENONFINITE: return "an input holds NaN or Inf";
    default: return "unknown status code";
    }
}

static const char *const rule_names[] = { "gd", "adagrad-norm", "adaloss" };

int
ag_rule_from_name (const char *name, ag_rule *rule)
{
  if (! name || ! rule)
    return AG_ENULL;
  for (int r = 0; r < 3; r++)
    if (strcmp (name, rule_names[r]) == 0)
      {
        *rule = (ag_rule) r;
        return AG_OK;
      }
  return AG_ERULE;
}

const char *
ag_rule_name (int rule)
{
  return (rule >= 0 && rule < 3) ? rule_names[rule] : NULL;
}

/* Hidden units per block: the n-by-block scratch matrix stays near cache size. */
static size_t
block_size (size_t n, size_t m)
{
  size_t B = AG_BLOCK_BYTES / (sizeof (double) * n);
  if (B < AG_BLOCK_MIN)
    B = AG_BLOCK_MIN;
  return B < m ? B : m;
}

static size_t
words_per_unit (size_t n)
{
  return (n + 63) / 64;
}

/* Workspace layout: u (n), e (n), Z (n*B doubles), P (m * words_per_unit bits). */
typedef struct workspace {
  double *u, *e, *Z;
  uint64_t *P;
  size_t B, nw;
} workspace;

static int
check_sizes (size_t n, size_t d, size_t m)
{
  if (n == 0 || d == 0 || m == 0)
    return AG_ESIZE;
  if (n > AG_BLAS_INT_MAX || d > AG_BLAS_INT_MAX || m > AG_BLAS_INT_MAX)
    return AG_ESIZE;
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  if (d > lim / n || d > lim / m)
    return AG_ESIZE;
  return AG_OK;
}

size_t
ag_workspace_size (size_t n, size_t d, size_t m)
{
  if (check_sizes (n, d, m) != AG_OK)
    return 0;
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  size_t B = block_size (n, m), nw = words_per_unit (n);
  if (B > lim / n || nw > lim / m)
    return 0;
  size_t count = 2 * n;   /* u, e */
  if (n * B > lim - count)
    return 0;
  count += n * B;
  if (m * nw > lim - count)
    return 0;
  count += m * nw;
  return count * sizeof (double);
}

static void
split_workspace (void *work, size_t n, size_t m, workspace *ws)
{
  ws->B = block_size (n, m);
  ws->nw = words_per_unit (n);
  ws->u = (double *) work;
  ws->e = ws->u + n;
  ws->Z = ws->e + n;
  ws->P = (uint64_t *) (ws->Z + n * ws->B);
}

static int
all_finite (const double *x, size_t count)
{
  for (size_t i = 0; i < count; i++)
    if (! isfinite (x[i]))
      return 0;
  return 1;
}

/* Bit t of the result is z[t] >= 0 (ReLU'(0) = 1, PAPER.md), for t < len <= 64. */
static inline uint64_t
pack_signs (const double *z, size_t len)
{
  uint64_t bits = 0;
  size_t t = 0;
#if defined(__SSE2__)
  const __m128d zero = _mm_setzero_pd ();
  for (; t + 2 <= len; t += 2)
    bits |= (uint64_t) _mm_movemask_pd (_mm_cmpge_pd (_mm_loadu_pd (z + t), zero)) << t;
#endif
  for (; t < len; t++)
    bits |= (uint64_t) (z[t] >= 0.0) << t;
  return bits;
}

/* D[t] = (bit t of bits) ? c * e[t] : 0, for t < len <= 64. Both paths give
   the same bits: a cleared lane is +0.0 either way. */
static inline void
unpack_scaled (uint64_t bits, double c, const double *e, double *D, size_t len)
{
  size_t t = 0;
#if defined(__SSE2__)
  static const uint64_t lanes[4][2] = {
    { 0, 0 }, { ~(uint64_t) 0, 0 }, { 0, ~(uint64_t) 0 }, { ~(uint64_t) 0, ~(uint64_t) 0 }
  };
  const __m128d cc = _mm_set1_pd (c);
  for (; t + 2 <= len; t += 2)
    {
      __m128d mask = _mm_castsi128_pd (_mm_loadu_si128 ((const __m128i *) lanes[(bits >> t) & 3]));
      _mm_storeu_pd (D + t, _mm_and_pd (_mm_mul_pd (cc, _mm_loadu_pd (e + t)), mask));
    }
#endif
  for (; t < len; t++)
    D[t] = ((bits >> t) & 1u) ? c * e[t] : 0.0;
}

static int
cancelled (const volatile sig_atomic_t *cancel)
{
  return cancel && *cancel;
}

/* Pass 1: u = f(W, a, X) block by block; P receives the pattern X*W' >= 0.
   Returns non-zero, with u incomplete, when *cancel is set between blocks. */
static int
forward_pass (size_t n, size_t d, size_t m, const double *X, const double *W,
              const double *a, double *u, const workspace *ws,
              const volatile sig_atomic_t *cancel)
{
  const double scale = 1.0 / sqrt ((double) m);
  memset (u, 0, n * sizeof (double));
  for (size_t r0 = 0; r0 < m; r0 += ws->B)
    {
      if (cancelled (cancel))
        return 1;
      size_t nb = m - r0 < ws->B ? m - r0 : ws->B;
      /* Z = X * W(r0:r0+nb-1, :)' without a transposed copy of W. */
      cblas_dgemm (CblasColMajor, CblasNoTrans, CblasTrans, (int) n, (int) nb,
                   (int) d, 1.0, X, (int) n, W + r0, (int) m, 0.0, ws->Z,
                   (int) n);
      for (size_t j = 0; j < nb; j++)
        {
          const double *z = ws->Z + j * n;
          const double c = a[r0 + j] * scale;
          /* Written so that a NaN in z reaches u and the loss (divergence). */
          for (size_t i = 0; i < n; i++)
            u[i] += c * (z[i] < 0.0 ? 0.0 : z[i]);
          uint64_t *p = ws->P + (r0 + j) * ws->nw;
          for (size_t w = 0; w < ws->nw; w++)
            p[w] = pack_signs (z + 64 * w, n - 64 * w < 64 ? n - 64 * w : 64);
        }
    }
  return 0;
}

/* Pass 2: G = (1/sqrt(m)) * (P .* (e * a'))' * X, block by block; writes
   ||G||_F^2. Returns non-zero, with G incomplete, when *cancel is set. */
static int
gradient_pass (size_t n, size_t d, size_t m, const double *X, const double *a,
               const double *e, double *G, double *frob2, const workspace *ws,
               const volatile sig_atomic_t *cancel)
{
  const double scale = 1.0 / sqrt ((double) m);
  double gnorm2 = 0.0;
  for (size_t r0 = 0; r0 < m; r0 += ws->B)
    {
      if (cancelled (cancel))
        return 1;
      size_t nb = m - r0 < ws->B ? m - r0 : ws->B;
      double *D = ws->Z;
      for (size_t j = 0; j < nb; j++)
        {
          const double c = a[r0 + j] * scale;
          const uint64_t *p = ws->P + (r0 + j) * ws->nw;
          double *Dj = D + j * n;
          for (size_t w = 0; w < ws->nw; w++)
            unpack_scaled (p[w], c, e + 64 * w, Dj + 64 * w,
                           n - 64 * w < 64 ? n - 64 * w : 64);
        }
      cblas_dgemm (CblasColMajor, CblasTrans, CblasNoTrans, (int) nb, (int) d,
                   (int) n, 1.0, D, (int) n, X, (int) n, 0.0, G + r0, (int) m);
      for (size_t k = 0; k < d; k++)
        {
          const double *g = G + r0 + k * m;
          for (size_t j = 0; j < nb; j++)
            gnorm2 += g[j] * g[j];
        }
    }
  *frob2 = gnorm2;
  return 0;
}

/* e = u - y; returns 0.5*||e||^2. */
static double
residual (size_t n, const double *u, const double *y, double *e)
{
  double s = 0.0;
  for (size_t i = 0; i < n; i++)
    {
      e[i] = u[i] - y[i];
      s += e[i] * e[i];
    }
  return 0.5 * s;
}

static int
check_model (size_t n, size_t d, size_t m, const double *X, const double *W,
             const double *a, void *work)
{
  if (! X || ! W || ! a || ! work)
    return AG_ENULL;
  int st = check_sizes (n, d, m);
  if (st != AG_OK || ag_workspace_size (n, d, m) == 0)
    return AG_ESIZE;
  if (! all_finite (X, n * d) || ! all_finite (W, m * d) || ! all_finite (a, m))
    return AG_ENONFINITE;
  return AG_OK;
}

int
ag_forward (size_t n, size_t d, size_t m, const double *X, const double *W,
            const double *a, double *u, void *work)
{
  if (! u)
    return AG_ENULL;
  int st = check_model (n, d, m, X, W, a, work);
  if (st != AG_OK)
    return st;
  workspace ws;
  split_workspace (work, n, m, &ws);
  forward_pass (n, d, m, X, W, a, u, &ws, NULL);
  return AG_OK;
}

int
ag_gradient (size_t n, size_t d, size_t m, const double *X, const double *y,
             const double *W, const double *a, double *G, double *u,
             double *loss, void *work)
{
  if (! y || ! G || ! loss)
    return AG_ENULL;
  int st = check_model (n, d, m, X, W, a, work);
  if (st != AG_OK)
    return st;
  if (! all_finite (y, n))
    return AG_ENONFINITE;
  workspace ws;
  split_workspace (work, n, m, &ws);
  double gnorm2;
  forward_pass (n, d, m, X, W, a, ws.u, &ws, NULL);
  *loss = residual (n, ws.u, y, ws.e);
  gradient_pass (n, d, m, X, a, ws.e, G, &gnorm2, &ws, NULL);
  if (u)
    memcpy (u, ws.u, n * sizeof (double));
  return AG_OK;
}

static int
check_hyper (ag_rule rule, double eta, double alpha)
{
  if (rule != AG_RULE_GD && rule != AG_RULE_ADAGRAD_NORM && rule != AG_RULE_ADALOSS)
    return AG_ERULE;
  if (! isfinite (eta) || ! isfinite (alpha))
    return AG_ENONFINITE;
  if (eta < 0.0 || (rule == AG_RULE_ADALOSS && alpha <= 0.0))
    return AG_EARG;
  return AG_OK;
}

int
ag_step_size (ag_rule rule, double eta, double alpha, double gnorm2,
              double resnorm, size_t n, double *b, double *step)
{
  if (! b || ! step)
    return AG_ENULL;
  int st = check_hyper (rule, eta, alpha);
  if (st != AG_OK)
    return st;
  if (! isfinite (*b) || ! isfinite (gnorm2) || ! isfinite (resnorm))
    return AG_ENONFINITE;
  if (gnorm2 < 0.0 || resnorm < 0.0 || (rule != AG_RULE_GD && *b <= 0.0)
      || (rule == AG_RULE_ADALOSS && n == 0))
    return AG_EARG;
  double bnew;
  switch (rule)
    {
    case AG_RULE_GD:
      *step = eta;
      return AG_OK;
    case AG_RULE_ADAGRAD_NORM:
      bnew = sqrt (*b * *b + gnorm2);
      break;
    default:
      bnew = sqrt (*b * *b + alpha * alpha * sqrt ((double) n) * resnorm);
      break;
    }
  if (! isfinite (bnew))
    return AG_ENONFINITE;
  *b = bnew;
  *step = eta / bnew;
  return AG_OK;
}

int
ag_step (ag_rule rule, size_t m, size_t d, double *W, const double *G,
         double eta, double alpha, double resnorm, size_t n, double *b,
         double *step)
{
  if (! W || ! G || ! b)
    return AG_ENULL;
  if (m == 0 || d == 0 || d > (size_t) PTRDIFF_MAX / sizeof (double) / m)
    return AG_ESIZE;
  const size_t count = m * d;
  if (! all_finite (W, count) || ! all_finite (G, count))
    return AG_ENONFINITE;
  double gnorm2 = 0.0;
  if (rule == AG_RULE_ADAGRAD_NORM)
    for (size_t i = 0; i < count; i++)
      gnorm2 += G[i] * G[i];
  double bnew = *b, s;
  int st = ag_step_size (rule, eta, alpha, gnorm2, resnorm, n, &bnew, &s);
  if (st != AG_OK)
    return st;
  for (size_t i = 0; i < count; i++)
    W[i] -= s * G[i];
  *b = bnew;
  if (step)
    *step = s;
  return AG_OK;
}

static double
seconds_since (const struct timespec *t0)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) (t.tv_sec - t0->tv_sec) + 1e-9 * (double) (t.tv_nsec - t0->tv_nsec);
}

static void
put (double *arr, long k, double v)
{
  if (arr)
    arr[k] = v;
}

int
ag_train (size_t n, size_t d, size_t m, const double *X, const double *y,
          const double *a, double *W, double *b, const ag_train_opts *opt,
          double *spare, void *work, ag_trace *trace, long *iters,
          ag_stop *stop)
{
  if (! y || ! b || ! opt || ! spare || ! trace || ! iters || ! stop)
    return AG_ENULL;
  int st = check_model (n, d, m, X, W, a, work);
  if (st != AG_OK)
    return st;
  if (! all_finite (y, n) || ! isfinite (*b) || ! isfinite (opt->tol))
    return AG_ENONFINITE;
  st = check_hyper (opt->rule, opt->eta, opt->alpha);
  if (st != AG_OK)
    return st;
  if (opt->maxiter < 0 || opt->tol < 0.0 || (opt->rule != AG_RULE_GD && *b <= 0.0))
    return AG_EARG;

  workspace ws;
  split_workspace (work, n, m, &ws);
  struct timespec t0;
  clock_gettime (CLOCK_MONOTONIC, &t0);

  /* Two m-by-d buffers alternate: the step writes W(k+1) over G(k) in the other
     buffer, so W(k) survives until W(k+1) is known to have a finite loss. */
  double *Wk = W, *Wother = spare;
  const size_t count = m * d;
  double bk = *b, bprev = *b;
  long k = 0;
  ag_stop why;
  for (;;)
    {
      if (forward_pass (n, d, m, X, Wk, a, ws.u, &ws, opt->cancel))
        {
          put (trace->loss, k, NAN);
          put (trace->time, k, seconds_since (&t0));
          why = AG_STOP_CANCELLED;
          break;
        }
      double loss = residual (n, ws.u, y, ws.e);
      put (trace->loss, k, loss);
      put (trace->time, k, seconds_since (&t0));
      if (! isfinite (loss))
        {
          why = AG_STOP_DIVERGED;
          if (k > 0)
            {
              double *t = Wk; Wk = Wother; Wother = t;
              bk = bprev;
              k--;
            }
          break;
        }
      if (loss <= opt->tol)
        { why = AG_STOP_CONVERGED; break; }
      if (k >= opt->maxiter)
        { why = AG_STOP_MAXITER; break; }
      if (k > 0 && opt->monitor && opt->monitor (opt->ctx, k))
        { why = AG_STOP_MONITOR; break; }

      double *G = Wother, gnorm2;
      if (gradient_pass (n, d, m, X, a, ws.e, G, &gnorm2, &ws, opt->cancel))
        { why = AG_STOP_CANCELLED; break; }
      put (trace->gnorm, k, sqrt (gnorm2));
      double bnew = bk, s;
      if (ag_step_size (opt->rule, opt->eta, opt->alpha, gnorm2,
                        sqrt (2.0 * loss), n, &bnew, &s) != AG_OK)
        { why = AG_STOP_DIVERGED; break; }
      put (trace->b, k, bnew);
      put (trace->step, k, s);
      for (size_t i = 0; i < count; i++)
        G[i] = Wk[i] - s * G[i];
      Wother = Wk;
      Wk = G;
      bprev = bk;
      bk = bnew;
      k++;
    }
  if (Wk != W)
    memcpy (W, Wk, count * sizeof (double));
  *b = bk;
  *iters = k;
  *stop = why;
  return AG_OK;
}
