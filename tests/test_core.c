/* test_core.c: unit tests of the C core against hand computations and finite differences. */
#include "ag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...)                                        \
  do {                                                          \
    if (cond) passed++;                                         \
    else {                                                      \
      failed++;                                                 \
      printf ("FAIL %s:%d: ", __FILE__, __LINE__);              \
      printf (__VA_ARGS__);                                     \
      printf ("\n");                                            \
    }                                                           \
  } while (0)

/* Deterministic uniform(-1, 1) and normal numbers (xorshift + Box-Muller). */
static unsigned long long rng_state = 88172645463325252ULL;
static double
urand (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return 2.0 * ((double) (rng_state >> 11) / 9007199254740992.0) - 1.0;
}
static double
nrand (void)
{
  double u1 = 0.5 * (urand () + 1.0) + 1e-300, u2 = 0.5 * (urand () + 1.0);
  return sqrt (-2.0 * log (u1)) * cos (6.283185307179586 * u2);
}

/* Problems get workspace for up to four threads. */
static const ag_exec four = { 4 };

typedef struct problem {
  size_t n, d, m;
  double *X, *y, *W, *a, *G, *u, *work;
} problem;

static problem
make_problem (size_t n, size_t d, size_t m)
{
  problem p = { n, d, m, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
  p.X = malloc (n * d * sizeof (double));
  p.y = malloc (n * sizeof (double));
  p.W = malloc (m * d * sizeof (double));
  p.a = malloc (m * sizeof (double));
  p.G = malloc (m * d * sizeof (double));
  p.u = malloc (n * sizeof (double));
  p.work = malloc (ag_workspace_size (n, d, m, &four));
  for (size_t i = 0; i < n; i++)
    {
      double s = 0.0;
      for (size_t k = 0; k < d; k++)
        {
          p.X[i + k * n] = nrand ();
          s += p.X[i + k * n] * p.X[i + k * n];
        }
      for (size_t k = 0; k < d; k++)
        p.X[i + k * n] /= sqrt (s);
      p.y[i] = nrand ();
    }
  for (size_t j = 0; j < m * d; j++)
    p.W[j] = nrand ();
  for (size_t r = 0; r < m; r++)
    p.a[r] = urand () < 0 ? -1.0 : 1.0;
  return p;
}

static void
free_problem (problem *p)
{
  free (p->X); free (p->y); free (p->W); free (p->a); free (p->G); free (p->u);
  free (p->work);
}

/* Naive triple loop: u and the loss, independent of the blocked core. */
static double
naive_loss (const problem *p, const double *W, double *u)
{
  double L = 0.0;
  for (size_t i = 0; i < p->n; i++)
    {
      double s = 0.0;
      for (size_t r = 0; r < p->m; r++)
        {
          double z = 0.0;
          for (size_t k = 0; k < p->d; k++)
            z += p->X[i + k * p->n] * W[r + k * p->m];
          s += p->a[r] * (z > 0 ? z : 0);
        }
      s /= sqrt ((double) p->m);
      if (u)
        u[i] = s;
      L += 0.5 * (s - p->y[i]) * (s - p->y[i]);
    }
  return L;
}

static void
test_forward_hand (void)
{
  /* x1 = (1, 0), x2 = (0, 1); w1 = (1, -1), w2 = (-2, 3); a = (1, -1).
     z = [1 -2; -1 3], u = [1/sqrt(2); -3/sqrt(2)]. */
  double X[] = { 1, 0, 0, 1 }, W[] = { 1, -2, -1, 3 }, a[] = { 1, -1 }, u[2];
  double work[64];
  CHECK (ag_workspace_size (2, 2, 2, NULL) <= sizeof work, "workspace for 2x2x2");
  CHECK (ag_forward (2, 2, 2, X, W, a, u, work, NULL) == AG_OK, "forward status");
  CHECK (fabs (u[0] - 1 / sqrt (2.0)) < 1e-15, "u1 = %.17g", u[0]);
  CHECK (fabs (u[1] + 3 / sqrt (2.0)) < 1e-15, "u2 = %.17g", u[1]);

  /* ReLU'(0) = 1: with w = (0, 0) every z is 0, G = a e' X / sqrt(m). */
  double W0[] = { 0, 0 }, a1[] = { 1 }, y[] = { 1, 2 }, G[2], loss;
  CHECK (ag_gradient (2, 2, 1, X, y, W0, a1, G, u, &loss, work, NULL) == AG_OK, "gradient status");
  CHECK (u[0] == 0 && u[1] == 0 && loss == 2.5, "u = 0, loss = 2.5 (got %g)", loss);
  CHECK (G[0] == -1 && G[1] == -2, "G at z = 0 uses ReLU'(0) = 1: %g %g", G[0], G[1]);
}

static void
test_forward_blocked (void)
{
  /* n = 2100 gives 33 pattern words (not a multiple of 64) and blocks of 499
     units, so m = 1200 takes three blocks, the last one partial. */
  problem p = make_problem (2100, 3, 1200);
  double *u_ref = malloc (p.n * sizeof (double));
  naive_loss (&p, p.W, u_ref);
  CHECK (ag_forward (p.n, p.d, p.m, p.X, p.W, p.a, p.u, p.work, NULL) == AG_OK, "forward");
  double err = 0.0;
  for (size_t i = 0; i < p.n; i++)
    err = fmax (err, fabs (p.u[i] - u_ref[i]));
  CHECK (err < 1e-12, "blocked forward vs naive loop: max error %g", err);
  free (u_ref);
  free_problem (&p);
}

static void
test_gradient_fd (size_t n, size_t d, size_t m)
{
  problem p = make_problem (n, d, m);
  double loss;
  CHECK (ag_gradient (n, d, m, p.X, p.y, p.W, p.a, p.G, p.u, &loss, p.work, NULL) == AG_OK,
         "gradient status");
  double Lref = naive_loss (&p, p.W, NULL);
  CHECK (fabs (loss - Lref) <= 1e-12 * Lref, "loss %.17g vs naive %.17g", loss, Lref);
  /* Central differences on 60 entries; h small against typical |w_r' x_i|. */
  const double h = 1e-6;
  double worst = 0.0;
  double *Wp = malloc (m * d * sizeof (double));
  for (int t = 0; t < 60; t++)
    {
      size_t j = (size_t) ((urand () + 1.0) * 0.5 * (double) (m * d)) % (m * d);
      memcpy (Wp, p.W, m * d * sizeof (double));
      Wp[j] = p.W[j] + h;
      double Lp = naive_loss (&p, Wp, NULL);
      Wp[j] = p.W[j] - h;
      double Lm = naive_loss (&p, Wp, NULL);
      double fd = (Lp - Lm) / (2 * h);
      double rel = fabs (fd - p.G[j]) / fmax (1e-3, fabs (fd));
      worst = fmax (worst, rel);
    }
  CHECK (worst < 1e-5, "gradient vs central differences (n=%zu, m=%zu): worst relative error %g",
         n, m, worst);
  free (Wp);
  free_problem (&p);
}

static void
test_gram_identity (void)
{
  /* ||G||_F^2 = e' H(W) e with H(i,j) = (1/m) x_i'x_j #{r: w_r'x_i >= 0, w_r'x_j >= 0}. */
  problem p = make_problem (40, 6, 90);
  double loss, g2 = 0.0, q = 0.0;
  ag_gradient (p.n, p.d, p.m, p.X, p.y, p.W, p.a, p.G, p.u, &loss, p.work, NULL);
  for (size_t j = 0; j < p.m * p.d; j++)
    g2 += p.G[j] * p.G[j];
  for (size_t i = 0; i < p.n; i++)
    for (size_t l = 0; l < p.n; l++)
      {
        double xx = 0.0;
        int both = 0;
        for (size_t k = 0; k < p.d; k++)
          xx += p.X[i + k * p.n] * p.X[l + k * p.n];
        for (size_t r = 0; r < p.m; r++)
          {
            double zi = 0.0, zl = 0.0;
            for (size_t k = 0; k < p.d; k++)
              {
                zi += p.X[i + k * p.n] * p.W[r + k * p.m];
                zl += p.X[l + k * p.n] * p.W[r + k * p.m];
              }
            both += zi >= 0 && zl >= 0;
          }
        q += (p.u[i] - p.y[i]) * xx * both / (double) p.m * (p.u[l] - p.y[l]);
      }
  CHECK (fabs (g2 - q) <= 1e-12 * q, "||G||^2 = %.17g vs e'He = %.17g", g2, q);
  free_problem (&p);
}

static void
test_gram (void)
{
  /* H_inf by hand: parallel rows give 1/2, orthogonal rows 0, opposite rows 0,
     and t = 1/2 gives (1/2)(pi - pi/3)/(2 pi) = 1/6. */
  double X[] = { 1, 0, -1, 0.5, 0, 1, 0, sqrt (0.75) }, H[16];
  CHECK (ag_gram_inf (4, 2, X, H) == AG_OK, "gram_inf status");
  CHECK (fabs (H[0] - 0.5) < 1e-15 && fabs (H[1]) < 1e-15 && fabs (H[2]) < 1e-15
         && fabs (H[3] - 1.0 / 6) < 1e-15 && H[4] == H[1] && fabs (H[15] - 0.5) < 1e-7,
         "gram_inf values %g %g %g %g", H[0], H[1], H[2], H[3]);
  /* H(W) against the naive count, over several blocks. */
  problem p = make_problem (40, 6, 1300);
  double *Hc = malloc (40 * 40 * sizeof (double));
  void *w = malloc (ag_gram_workspace_size (40, 6, 1300));
  CHECK (ag_gram (40, 6, 1300, p.X, p.W, Hc, w) == AG_OK, "gram status");
  double worst = 0;
  for (size_t i = 0; i < 40; i++)
    for (size_t l = 0; l < 40; l++)
      {
        double xx = 0;
        int both = 0;
        for (size_t k = 0; k < 6; k++)
          xx += p.X[i + k * 40] * p.X[l + k * 40];
        for (size_t r = 0; r < 1300; r++)
          {
            double zi = 0, zl = 0;
            for (size_t k = 0; k < 6; k++)
              {
                zi += p.X[i + k * 40] * p.W[r + k * 1300];
                zl += p.X[l + k * 40] * p.W[r + k * 1300];
              }
            both += zi >= 0 && zl >= 0;
          }
        worst = fmax (worst, fabs (Hc[i + l * 40] - xx * both / 1300.0));
      }
  CHECK (worst < 1e-14, "gram vs naive: %g", worst);
  CHECK (ag_gram (0, 6, 1300, p.X, p.W, Hc, w) == AG_ESIZE && ag_gram_inf (4, 2, NULL, H) == AG_ENULL,
         "gram errors");
  free (Hc); free (w);
  free_problem (&p);
}

/* Diagnostics recorded by ag_train against a direct computation. */
static void
test_diag (void)
{
  problem p = make_problem (90, 5, 700);
  size_t md = p.m * p.d;
  double *W = malloc (md * sizeof (double)), *spare = malloc (md * sizeof (double));
  memcpy (W, p.W, md * sizeof (double));
  enum { K = 12 };
  double it[K + 2], fl[K + 2], mv[K + 2], ds[K + 2], b = 0.2;
  void *dw = malloc (ag_diag_workspace_size (p.n, p.m));
  ag_diag dg = { 5, 3, p.W, dw, it, fl, mv, ds, 0 };
  ag_train_opts opt = { AG_RULE_ADALOSS, 2.0, 1.0, 0.0, K, NULL, NULL, NULL, &dg };
  ag_trace tr = { NULL, NULL, NULL, NULL, NULL };
  long iters;
  ag_stop stop;
  CHECK (ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &b, &opt, spare, p.work, &tr, &iters,
                   &stop, NULL) == AG_OK, "train with diagnostics");
  /* k0 = 3: records at global iterates 5, 10 and 15 (local 2, 7 and the last, 12). */
  CHECK (dg.count == 3 && it[0] == 5 && it[1] == 10 && it[2] == 15, "diag count %ld", dg.count);
  /* Rerun to local iterate 7 (global 10) and compare directly. */
  double *W7 = malloc (md * sizeof (double)), b7 = 0.2;
  memcpy (W7, p.W, md * sizeof (double));
  ag_train_opts o7 = { AG_RULE_ADALOSS, 2.0, 1.0, 0.0, 7, NULL, NULL, NULL, NULL };
  ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W7, &b7, &o7, spare, p.work, &tr, &iters, &stop, NULL);
  size_t flips = 0;
  double most = 0, sum = 0;
  for (size_t r = 0; r < p.m; r++)
    {
      double s2 = 0;
      for (size_t k = 0; k < p.d; k++)
        s2 += (W7[r + k * p.m] - p.W[r + k * p.m]) * (W7[r + k * p.m] - p.W[r + k * p.m]);
      most = fmax (most, s2);
      sum += s2;
      for (size_t i = 0; i < p.n; i++)
        {
          double z0 = 0, z = 0;
          for (size_t k = 0; k < p.d; k++)
            {
              z0 += p.X[i + k * p.n] * p.W[r + k * p.m];
              z += p.X[i + k * p.n] * W7[r + k * p.m];
            }
          flips += (z0 >= 0) != (z >= 0);
        }
    }
  CHECK (fabs (fl[1] - (double) flips / (p.n * p.m)) < 1e-15 && fabs (mv[1] - sqrt (most)) < 1e-12
         && fabs (ds[1] - sqrt (sum)) < 1e-12 && flips > 0,
         "diag: flips %g vs %g, move %g vs %g", fl[1], (double) flips / (p.n * p.m), mv[1], sqrt (most));
  dg.every = 0;
  CHECK (ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &b, &opt, spare, p.work, &tr, &iters,
                   &stop, NULL) == AG_EARG, "diag every = 0");
  free (W); free (W7); free (spare); free (dw);
  free_problem (&p);
}

static void
test_steps_hand (void)
{
  const double W[] = { 1, 3, 2, 4 }, G[] = { 0.5, 2, -1, 0 };
  double Wk[4], b, step;
  /* gd: W - eta*G, b unchanged. */
  memcpy (Wk, W, sizeof Wk); b = 2;
  CHECK (ag_step (AG_RULE_GD, 2, 2, Wk, G, 0.3, 1, 0, 4, &b, &step, NULL) == AG_OK, "gd status");
  CHECK (b == 2 && step == 0.3 && Wk[0] == 1 - 0.3 * 0.5 && Wk[2] == 2 + 0.3,
         "gd: b %g step %g W %g %g", b, step, Wk[0], Wk[2]);
  /* adagrad-norm: ||G||^2 = 5.25, b = sqrt(4 + 5.25). */
  memcpy (Wk, W, sizeof Wk); b = 2;
  ag_step (AG_RULE_ADAGRAD_NORM, 2, 2, Wk, G, 0.3, 1, 0, 4, &b, &step, NULL);
  CHECK (b == sqrt (9.25) && step == 0.3 / sqrt (9.25), "adagrad-norm: b %.17g", b);
  CHECK (Wk[1] == 3 - step * 2, "adagrad-norm: W(2,1) = %.17g", Wk[1]);
  /* adaloss: alpha = 0.5, n = 4, ||y - u|| = 3: b^2 = 4 + 0.25 * 2 * 3 = 5.5. */
  memcpy (Wk, W, sizeof Wk); b = 2;
  ag_step (AG_RULE_ADALOSS, 2, 2, Wk, G, 0.3, 0.5, 3, 4, &b, &step, NULL);
  CHECK (b == sqrt (5.5) && step == 0.3 / sqrt (5.5), "adaloss: b %.17g", b);
  CHECK (Wk[3] == 4 && Wk[0] == 1 - step * 0.5, "adaloss: W %.17g %.17g", Wk[0], Wk[3]);
  /* eta = 0 leaves W unchanged but still grows b. */
  memcpy (Wk, W, sizeof Wk); b = 2;
  ag_step (AG_RULE_ADAGRAD_NORM, 2, 2, Wk, G, 0, 1, 0, 4, &b, &step, NULL);
  CHECK (memcmp (Wk, W, sizeof Wk) == 0 && b > 2, "eta = 0");
}

static void
test_errors (void)
{
  double X[] = { 1, 0, 0, 1 }, W[] = { 1, -2, -1, 3 }, a[] = { 1, -1 }, u[2];
  double G[4] = { 0 }, y[2] = { 0, 0 }, b = 1, step, loss, work[64];
  CHECK (ag_forward (0, 2, 2, X, W, a, u, work, NULL) == AG_ESIZE, "n = 0");
  CHECK (ag_forward (2, 0, 2, X, W, a, u, work, NULL) == AG_ESIZE, "d = 0");
  CHECK (ag_forward (2, 2, 0, X, W, a, u, work, NULL) == AG_ESIZE, "m = 0");
  CHECK (ag_workspace_size ((size_t) 1 << 40, 2, 2, NULL) == 0, "n beyond BLAS int");
  CHECK (ag_workspace_size ((size_t) 1 << 30, (size_t) 1 << 30, (size_t) 1 << 30, NULL) == 0,
         "n*d overflow");
  CHECK (ag_forward ((size_t) 1 << 40, 2, 2, X, W, a, u, work, NULL) == AG_ESIZE, "huge n");
  CHECK (ag_forward (2, 2, 2, NULL, W, a, u, work, NULL) == AG_ENULL, "NULL X");
  CHECK (ag_gradient (2, 2, 2, X, NULL, W, a, G, u, &loss, work, NULL) == AG_ENULL, "NULL y");
  X[1] = NAN;
  CHECK (ag_forward (2, 2, 2, X, W, a, u, work, NULL) == AG_ENONFINITE, "NaN in X");
  X[1] = 0;
  y[0] = INFINITY;
  CHECK (ag_gradient (2, 2, 2, X, y, W, a, G, u, &loss, work, NULL) == AG_ENONFINITE, "Inf in y");
  CHECK (ag_step (AG_RULE_GD, 2, 2, W, G, -1, 1, 0, 2, &b, &step, NULL) == AG_EARG, "eta < 0");
  CHECK (ag_step ((ag_rule) 7, 2, 2, W, G, 1, 1, 0, 2, &b, &step, NULL) == AG_ERULE, "rule 7");
  CHECK (ag_step (AG_RULE_ADALOSS, 2, 2, W, G, 1, 0, 0, 2, &b, &step, NULL) == AG_EARG, "alpha = 0");
  b = 0;
  CHECK (ag_step (AG_RULE_ADAGRAD_NORM, 2, 2, W, G, 1, 1, 0, 2, &b, &step, NULL) == AG_EARG, "b = 0");
  ag_rule r;
  CHECK (ag_rule_from_name ("adaloss", &r) == AG_OK && r == AG_RULE_ADALOSS, "rule name");
  CHECK (ag_rule_from_name ("adam", &r) == AG_ERULE, "unknown rule name");
  CHECK (ag_rule_name (9) == NULL && strcmp (ag_rule_name (1), "adagrad-norm") == 0, "rule_name");
  for (int s = -1; s < 10; s++)
    CHECK (ag_strerror (s) != NULL && ag_strerror (s)[0] != '\0', "strerror %d", s);
}

static int
stop_at_3 (void *ctx, long k)
{
  (void) ctx;
  return k >= 3;
}

static int
raise_at_2 (void *ctx, long k)
{
  if (k == 2)
    *(volatile sig_atomic_t *) ctx = 1;
  return 0;
}

static void
test_train (void)
{
  for (int rule = 0; rule < 3; rule++)
    {
      problem p = make_problem (70, 5, 300);
      size_t md = p.m * p.d;
      double *W1 = malloc (md * sizeof (double)), *spare = malloc (md * sizeof (double));
      memcpy (W1, p.W, md * sizeof (double));
      enum { K = 25 };
      double loss[K + 1], tm[K + 1], gn[K], bk[K], st[K];
      ag_trace tr = { loss, tm, gn, bk, st };
      ag_train_opts opt = { (ag_rule) rule, rule == 0 ? 0.05 : 1.0, 0.7, 0.0, K, NULL, NULL, NULL, NULL };
      double b = 0.5;
      long iters;
      ag_stop stop;
      CHECK (ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W1, &b, &opt, spare, p.work, &tr,
                       &iters, &stop, NULL) == AG_OK, "train status");
      CHECK (iters == K && stop == AG_STOP_MAXITER, "iters %ld stop %d", iters, (int) stop);
      /* The same run by hand from ag_gradient and ag_step, bitwise. */
      double b2 = 0.5, l, s;
      int same = 1, mono = 1;
      for (int k = 0; k < K; k++)
        {
          ag_gradient (p.n, p.d, p.m, p.X, p.y, p.W, p.a, p.G, p.u, &l, p.work, NULL);
          ag_step ((ag_rule) rule, p.m, p.d, p.W, p.G, opt.eta, opt.alpha, sqrt (2 * l), p.n,
                   &b2, &s, NULL);
          same &= l == loss[k] && b2 == bk[k] && s == st[k];
          if (k > 0)
            mono &= bk[k] >= bk[k - 1];
        }
      CHECK (same && memcmp (W1, p.W, md * sizeof (double)) == 0 && b == b2,
             "rule %d: ag_train equals the hand-written loop", rule);
      CHECK (mono && bk[0] >= 0.5, "rule %d: b never decreases", rule);
      CHECK (loss[K] < loss[0], "rule %d: loss decreased %g -> %g", rule, loss[0], loss[K]);
      free (W1); free (spare);
      free_problem (&p);
    }
}

static void
test_train_stops (void)
{
  problem p = make_problem (50, 4, 200);
  size_t md = p.m * p.d;
  double *W = malloc (md * sizeof (double)), *spare = malloc (md * sizeof (double));
  double loss[101], gn[100], bk[100], st[100], b = 1;
  ag_trace tr = { loss, NULL, gn, bk, st };
  long iters;
  ag_stop stop;

  /* eta = 0: W unchanged. */
  memcpy (W, p.W, md * sizeof (double));
  ag_train_opts opt = { AG_RULE_ADALOSS, 0.0, 1.0, 0.0, 10, NULL, NULL, NULL, NULL };
  ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &b, &opt, spare, p.work, &tr, &iters, &stop, NULL);
  CHECK (iters == 10 && memcmp (W, p.W, md * sizeof (double)) == 0, "eta = 0 leaves W");

  /* GD with a huge step: diverged, the last finite state is returned. */
  memcpy (W, p.W, md * sizeof (double));
  opt = (ag_train_opts) { AG_RULE_GD, 1e150, 1.0, 0.0, 100, NULL, NULL, NULL, NULL };
  ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &b, &opt, spare, p.work, &tr, &iters, &stop, NULL);
  double Lw = naive_loss (&p, W, NULL);
  CHECK (stop == AG_STOP_DIVERGED && iters < 100 && isfinite (Lw) && fabs (Lw - loss[iters]) <= 1e-12 * Lw,
         "diverged: stop %d iters %ld, last loss %g vs recorded %g", (int) stop, iters, Lw,
         loss[iters]);

  /* tol: stops as soon as the loss is below it. */
  memcpy (W, p.W, md * sizeof (double));
  b = 1;
  opt = (ag_train_opts) { AG_RULE_ADAGRAD_NORM, 1.0, 1.0, 0.0, 100, NULL, NULL, NULL, NULL };
  ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &b, &opt, spare, p.work, &tr, &iters, &stop, NULL);
  double target = loss[20];
  memcpy (W, p.W, md * sizeof (double));
  b = 1;
  opt.tol = target;
  ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &b, &opt, spare, p.work, &tr, &iters, &stop, NULL);
  CHECK (stop == AG_STOP_CONVERGED && loss[iters] <= target && loss[iters - 1] > target,
         "tol: stop %d after %ld", (int) stop, iters);

  /* The monitor stops the run. */
  memcpy (W, p.W, md * sizeof (double));
  b = 1;
  opt = (ag_train_opts) { AG_RULE_ADALOSS, 1.0, 1.0, 0.0, 100, stop_at_3, NULL, NULL, NULL };
  ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &b, &opt, spare, p.work, &tr, &iters, &stop, NULL);
  CHECK (stop == AG_STOP_MONITOR && iters == 3, "monitor: stop %d iters %ld", (int) stop, iters);

  /* A cancel flag raised during iteration 2 (as a signal handler would) stops
     inside that iteration, leaving the state of the last completed one. */
  static volatile sig_atomic_t flag;
  flag = 0;
  memcpy (W, p.W, md * sizeof (double));
  b = 1;
  opt = (ag_train_opts) { AG_RULE_ADALOSS, 1.0, 1.0, 0.0, 100, raise_at_2, (void *) &flag, &flag, NULL };
  ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &b, &opt, spare, p.work, &tr, &iters, &stop, NULL);
  double *W2 = malloc (md * sizeof (double)), b2 = 1;
  memcpy (W2, p.W, md * sizeof (double));
  ag_train_opts opt2 = { AG_RULE_ADALOSS, 1.0, 1.0, 0.0, 2, NULL, NULL, NULL, NULL };
  long iters2;
  ag_stop stop2;
  ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W2, &b2, &opt2, spare, p.work, &tr, &iters2, &stop2, NULL);
  CHECK (stop == AG_STOP_CANCELLED && iters == 2 && b == b2
         && memcmp (W, W2, md * sizeof (double)) == 0,
         "cancel: stop %d iters %ld", (int) stop, iters);
  free (W2);
  opt.maxiter = 100;

  /* Bad options are rejected before any work. */
  opt.maxiter = -1;
  CHECK (ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &b, &opt, spare, p.work, &tr, &iters,
                   &stop, NULL) == AG_EARG, "maxiter < 0");
  free (W); free (spare);
  free_problem (&p);
}

/* Single precision against double on the same numbers. */
static void
test_single (void)
{
  problem p = make_problem (150, 8, 700);
  size_t n = p.n, d = p.d, m = p.m, md = m * d;
  float *Xf = malloc (n * d * sizeof (float)), *yf = malloc (n * sizeof (float));
  float *Wf = malloc (md * sizeof (float)), *af = malloc (m * sizeof (float));
  float *Gf = malloc (md * sizeof (float)), *uf = malloc (n * sizeof (float));
  float *spare = malloc (md * sizeof (float));
  for (size_t i = 0; i < n * d; i++) Xf[i] = (float) p.X[i];
  for (size_t i = 0; i < n; i++) yf[i] = (float) p.y[i];
  for (size_t i = 0; i < md; i++) Wf[i] = (float) p.W[i];
  for (size_t i = 0; i < m; i++) af[i] = (float) p.a[i];
  /* The double reference starts from the same rounded numbers. */
  for (size_t i = 0; i < n * d; i++) p.X[i] = Xf[i];
  for (size_t i = 0; i < n; i++) p.y[i] = yf[i];
  for (size_t i = 0; i < md; i++) p.W[i] = Wf[i];
  double loss, lossf;
  ag_gradient (n, d, m, p.X, p.y, p.W, p.a, p.G, p.u, &loss, p.work, NULL);
  CHECK (ag_gradient_f (n, d, m, Xf, yf, Wf, af, Gf, uf, &lossf, p.work, NULL) == AG_OK,
         "gradient_f status");
  double eu = 0, nu = 0, eg = 0, ng = 0;
  for (size_t i = 0; i < n; i++)
    { eu += (uf[i] - p.u[i]) * (uf[i] - p.u[i]); nu += p.u[i] * p.u[i]; }
  for (size_t i = 0; i < md; i++)
    { eg += (Gf[i] - p.G[i]) * (Gf[i] - p.G[i]); ng += p.G[i] * p.G[i]; }
  CHECK (sqrt (eu / nu) < 1e-5 && sqrt (eg / ng) < 1e-5 && fabs (lossf - loss) < 1e-5 * loss,
         "single vs double: u %g, G %g, loss %g", sqrt (eu / nu), sqrt (eg / ng),
         fabs (lossf - loss) / loss);
  ag_forward_f (n, d, m, Xf, Wf, af, uf, p.work, NULL);
  eu = 0;
  for (size_t i = 0; i < n; i++)
    eu += (uf[i] - p.u[i]) * (uf[i] - p.u[i]);
  CHECK (sqrt (eu / nu) < 1e-5, "forward_f vs double: %g", sqrt (eu / nu));
  /* 20 steps of AdaLoss: the trajectories stay close; b is accumulated in double. */
  enum { K = 20 };
  double lf[K + 1], ld[K + 1], bf = 0.5, bd = 0.5;
  ag_trace tf = { lf, NULL, NULL, NULL, NULL }, td = { ld, NULL, NULL, NULL, NULL };
  ag_train_opts opt = { AG_RULE_ADALOSS, 1.0, 0.5, 0.0, K, NULL, NULL, NULL, NULL };
  long it;
  ag_stop stop;
  CHECK (ag_train_f (n, d, m, Xf, yf, af, Wf, &bf, &opt, spare, p.work, &tf, &it, &stop, NULL)
         == AG_OK && it == K, "train_f");
  ag_train (n, d, m, p.X, p.y, p.a, p.W, &bd, &opt, p.G, p.work, &td, &it, &stop, NULL);
  double worst = 0;
  for (int k = 0; k <= K; k++)
    worst = fmax (worst, fabs (lf[k] - ld[k]) / ld[k]);
  CHECK (worst < 1e-4 && fabs (bf - bd) < 1e-5 * bd && ld[K] < ld[0],
         "train_f vs train: loss %g, b %g", worst, fabs (bf - bd) / bd);
  /* Single-precision steps against a hand computation. */
  float Ws[] = { 1, 3, 2, 4 }, Gs[] = { 0.5f, 2, -1, 0 };
  double b = 2, step;
  ag_step_f (AG_RULE_ADAGRAD_NORM, 2, 2, Ws, Gs, 0.3, 1, 0, 4, &b, &step, NULL);
  CHECK (b == sqrt (9.25) && Ws[1] == (float) (3 - step * 2), "step_f: b %.17g", b);
  free (Xf); free (yf); free (Wf); free (af); free (Gf); free (uf); free (spare);
  free_problem (&p);
}

/* One and two threads give bitwise the same results. */
static void
test_threads (void)
{
  problem p = make_problem (700, 9, 2500);
  size_t md = p.m * p.d;
  double *W1 = malloc (md * sizeof (double)), *W2 = malloc (md * sizeof (double));
  double *spare = malloc (md * sizeof (double)), *G2 = malloc (md * sizeof (double));
  memcpy (W1, p.W, md * sizeof (double));
  memcpy (W2, p.W, md * sizeof (double));
  ag_exec one = { 1 }, two = { 2 }, three = { 3 };
  double l1, l2, u2[700];
  ag_gradient (p.n, p.d, p.m, p.X, p.y, p.W, p.a, p.G, p.u, &l1, p.work, &one);
  ag_gradient (p.n, p.d, p.m, p.X, p.y, p.W, p.a, G2, u2, &l2, p.work, &three);
  CHECK (l1 == l2 && memcmp (p.G, G2, md * sizeof (double)) == 0
         && memcmp (p.u, u2, sizeof u2) == 0, "gradient: 1 and 3 threads differ");
  enum { K = 15 };
  double b1 = 0.3, b2 = 0.3, t1[K], t2[K];
  ag_trace tr1 = { NULL, NULL, t1, NULL, NULL }, tr2 = { NULL, NULL, t2, NULL, NULL };
  ag_train_opts opt = { AG_RULE_ADAGRAD_NORM, 1.0, 1.0, 0.0, K, NULL, NULL, NULL, NULL };
  long it;
  ag_stop stop;
  ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W1, &b1, &opt, spare, p.work, &tr1, &it, &stop, &one);
  ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W2, &b2, &opt, spare, p.work, &tr2, &it, &stop, &two);
  CHECK (b1 == b2 && memcmp (W1, W2, md * sizeof (double)) == 0
         && memcmp (t1, t2, sizeof t1) == 0, "train: 1 and 2 threads differ");
  /* A cancel flag already raised stops the first forward pass on any thread. */
  static volatile sig_atomic_t flag = 1;
  ag_train_opts copt = { AG_RULE_ADALOSS, 1.0, 1.0, 0.0, K, NULL, NULL, &flag, NULL };
  double lc[K + 1];
  ag_trace trc = { lc, NULL, NULL, NULL, NULL };
  memcpy (W1, p.W, md * sizeof (double));
  b1 = 0.3;
  ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W1, &b1, &copt, spare, p.work, &trc, &it, &stop, &two);
  CHECK (stop == AG_STOP_CANCELLED && it == 0 && isnan (lc[0]) && b1 == 0.3
         && memcmp (W1, p.W, md * sizeof (double)) == 0, "cancel with 2 threads: stop %d", (int) stop);
  free (W1); free (W2); free (spare); free (G2);
  free_problem (&p);
}

int
main (void)
{
  test_forward_hand ();
  test_forward_blocked ();
  test_gradient_fd (9, 4, 30);
  test_gradient_fd (130, 6, 600);
  test_gradient_fd (2100, 2, 1100);
  test_single ();
  test_threads ();
  test_gram_identity ();
  test_gram ();
  test_diag ();
  test_steps_hand ();
  test_errors ();
  test_train ();
  test_train_stops ();
  printf ("core: %d passed, %d failed\n", passed, failed);
  return failed > 0;
}
