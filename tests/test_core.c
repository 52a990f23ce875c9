/* test_core.c: unit tests of the C core against hand computations and finite differences. */
#include "ag.h"
#include "ag_internal.h"

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
static const ag_exec four = { .threads = 4 };

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
  ag_sizes sz = { .n = n, .d = d, .m = m };
  p.work = malloc (ag_forward_bytes (&sz, &four));
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
  ag_sizes sz = { .n = 2, .d = 2, .m = 2 };
  CHECK (ag_forward_bytes (&sz, NULL) <= sizeof work, "workspace for 2x2x2");
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
  /* n = 2100 gives 33 pattern words (not a multiple of 64) and blocks of 256
     units (m/16 is less than the least block, 256; 8 MiB would hold 499
     columns), so m = 1200 takes five blocks, the last one partial. */
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
  /* ag_gradient_norm: the same norm and loss, G kept in its workspace. */
  ag_sizes gz = { .n = p.n, .d = p.d, .m = p.m };
  void *gw = malloc (ag_gradnorm_bytes (&gz, NULL));
  double gn, gl;
  CHECK (ag_gradient_norm (p.n, p.d, p.m, p.X, p.y, p.W, p.a, &gn, &gl, gw, NULL) == AG_OK
         && fabs (gn - sqrt (g2)) <= 1e-14 * gn && gl == loss,
         "gradient_norm %.17g vs %.17g", gn, sqrt (g2));
  free (gw);
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
  ag_sizes gs = { .n = 40, .d = 6, .m = 1300 };
  void *w = malloc (ag_gram_bytes (&gs, NULL));
  CHECK (ag_gram (40, 6, 1300, p.X, p.W, Hc, w, NULL) == AG_OK, "gram status");
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
  CHECK (ag_gram (0, 6, 1300, p.X, p.W, Hc, w, NULL) == AG_ESIZE && ag_gram_inf (4, 2, NULL, H) == AG_ENULL,
         "gram errors");
  /* Extreme eigenvalues: [2 1 0; 1 2 0; 0 0 5] has 1, 3 and 5; H is not changed. */
  double S3[9] = { 2, 1, 0, 1, 2, 0, 0, 0, 5 }, S3c[9], lmin, lmax;
  memcpy (S3c, S3, sizeof S3);
  ag_sizes es = { .n = 3 };
  double *ew = malloc (ag_eig_bytes (&es, NULL));
  CHECK (ag_eig_extremes (3, S3, &lmin, &lmax, ew) == AG_OK && fabs (lmin - 1) < 1e-14
         && fabs (lmax - 5) < 1e-14 && memcmp (S3, S3c, sizeof S3) == 0,
         "eigenvalues %g %g", lmin, lmax);
  S3[4] = NAN;
  CHECK (ag_eig_extremes (3, S3, &lmin, &lmax, ew) == AG_ENONFINITE
         && ag_eig_extremes (3, NULL, &lmin, &lmax, ew) == AG_ENULL, "eigenvalue errors");
  free (ew);
  free (Hc); free (w);
  free_problem (&p);
}

/* An optimizer of the rule NAME with its default parameters and learning rate eta. */
static ag_optimizer
optimizer (const char *name, double eta)
{
  ag_optimizer o = { .rule = ag_rule_find (name), .eta = eta };
  for (int i = 0; o.rule && i < o.rule->nparams; i++)
    o.par[i] = o.rule->params[i].def;
  return o;
}

/* A state with its arrays allocated (double, m*d each) and initialized. */
static ag_state
new_state (const ag_optimizer *o, size_t m, size_t d)
{
  ag_state st;
  memset (&st, 0, sizeof st);
  for (int i = 0; i < o->rule->narrays; i++)
    st.arrays[i] = malloc (m * d * sizeof (double));
  ag_state_init (o, m, d, 0, &st);
  return st;
}

static void
free_state (ag_state *st)
{
  for (int i = 0; i < AG_MAX_ARRAYS; i++)
    free (st->arrays[i]);
}

/* Every rule's step goes over the entries in pieces of AG_CHECK_ENTRIES
   (tests/check.sh also builds these tests with pieces of 64 entries), with a
   look at io->cancel before each: a raised flag stops it with AG_ECANCELLED
   before it writes an entry of W or of the state; down, the same numbers as
   without a flag, for a count that spans several pieces. */
static void
test_step_pieces (void)
{
  /* Several pieces where they are small (the build with pieces of 64). */
  const size_t count = AG_CHECK_ENTRIES < 4096 ? 3 * AG_CHECK_ENTRIES + 7 : 4099;
  double *W = malloc (count * sizeof (double)), *G = malloc (count * sizeof (double));
  double *out = malloc (count * sizeof (double)), *ref = malloc (count * sizeof (double));
  double *S[AG_MAX_ARRAYS], *Sn[AG_MAX_ARRAYS];
  uint64_t *bins = malloc (2 * AG_STEP_BINS * sizeof (uint64_t));
  for (size_t i = 0; i < count; i++)
    {
      W[i] = sin ((double) i);
      G[i] = cos (0.5 * (double) i);
    }
  for (int a = 0; a < AG_MAX_ARRAYS; a++)
    {
      S[a] = calloc (count, sizeof (double));
      Sn[a] = malloc (count * sizeof (double));
    }
  static volatile sig_atomic_t flag;
  for (int r = 0; r < ag_rule_count (); r++)
    {
      const ag_rule_info *rule = ag_rule_at (r);
      ag_optimizer o = optimizer (rule->name, 0.1);
      double sc[AG_MAX_SCALARS] = { 1.0 };
      ag_step_io io = { .count = count, .W = W, .G = G, .Wnext = out, .scalars = sc,
                        .eta = o.eta, .par = o.par, .gnorm2 = 4.0, .gnorm = 2.0,
                        .resnorm = 3.0, .n = 10.0, .threads = 2,
                        .bins = rule->per_coordinate ? bins : NULL, .cancel = &flag };
      for (int a = 0; a < rule->narrays; a++)
        {
          io.S[a] = S[a];
          io.Snext[a] = Sn[a];
        }
      flag = 1;
      for (size_t i = 0; i < count; i++)
        out[i] = -7.0;
      ag_status st = rule->step (&io);
      size_t touched = 0;
      for (size_t i = 0; i < count; i++)
        touched += out[i] != -7.0;
      CHECK (st == AG_ECANCELLED && touched == 0, "%s: a raised flag: status %d, %zu entries written",
             rule->name, (int) st, touched);
      flag = 0;
      sc[0] = 1.0;
      st = rule->step (&io);
      memcpy (ref, out, count * sizeof (double));
      double step1 = io.step[1];
      io.cancel = NULL;
      sc[0] = 1.0;
      ag_status st2 = rule->step (&io);
      CHECK (st == AG_OK && st2 == AG_OK && memcmp (ref, out, count * sizeof (double)) == 0
             && step1 == io.step[1] && isfinite (step1),
             "%s: in pieces with a flag down, the step of one without a flag", rule->name);
    }
  for (int a = 0; a < AG_MAX_ARRAYS; a++)
    {
      free (S[a]);
      free (Sn[a]);
    }
  free (W);
  free (G);
  free (out);
  free (ref);
  free (bins);
}

/* ag_train of O for up to K steps on P from W (in/out) and ST (in/out),
   in a workspace of its own; the records are copied to loss (K+1), b and
   step (K) when given. The workspace, which the records of *res point into,
   lives until the next call (or train_done). */
static void *train_work;

static void
train_done (void)
{
  free (train_work);
  train_work = NULL;
}

static ag_status
train (const problem *p, ag_train_opts *opt, double *W, ag_state *st,
       ag_train_result *res, double *loss, double *b, double *step, const ag_exec *exec)
{
  train_done ();
  ag_sizes sz = ag_train_sizes (p->n, p->d, p->m, 0, opt);
  void *work = malloc (ag_train_bytes (&sz, exec) + 8);
  ag_status status = ag_train (p->n, p->d, p->m, p->X, p->y, p->a, W, st, opt, work, res,
                               exec);
  if (status == AG_OK)
    {
      if (loss)
        memcpy (loss, res->loss, (size_t) (res->iters + 1) * sizeof (double));
      if (b)
        memcpy (b, res->b, (size_t) res->iters * sizeof (double));
      if (step)
        memcpy (step, res->step, (size_t) res->iters * sizeof (double));
    }
  train_work = work;
  return status;
}

/* Diagnostics recorded by ag_train against a direct computation. */
static void
test_diag (void)
{
  problem p = make_problem (90, 5, 700);
  size_t md = p.m * p.d;
  double *W = malloc (md * sizeof (double));
  memcpy (W, p.W, md * sizeof (double));
  enum { K = 12 };
  ag_optimizer o = optimizer ("adaloss", 2.0);
  o.par[0] = 0.2;
  ag_state st = new_state (&o, p.m, p.d);
  ag_train_opts opt = { .optim = o, .maxiter = K, .diag_every = 5, .k0 = 3, .W0 = p.W };
  ag_sizes sz = { .n = p.n, .d = p.d, .m = p.m, .rule = o.rule, .iters = K, .diag_every = 5 };
  void *work = malloc (ag_train_bytes (&sz, NULL));
  ag_train_result res;
  CHECK (ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &st, &opt, work, &res, NULL) == AG_OK,
         "train with diagnostics");
  /* k0 = 3: records at global iterates 5, 10 and 15 (local 2, 7 and the last, 12). */
  CHECK (res.ndiag == 3 && res.diter[0] == 5 && res.diter[1] == 10 && res.diter[2] == 15,
         "diag count %ld", res.ndiag);
  double fl = res.flips[1], mv = res.move[1], ds = res.dist[1];
  /* Rerun to local iterate 7 (global 10) and compare directly. */
  double *W7 = malloc (md * sizeof (double));
  memcpy (W7, p.W, md * sizeof (double));
  ag_state st7 = new_state (&o, p.m, p.d);
  ag_train_opts o7 = { .optim = o, .maxiter = 7 };
  train (&p, &o7, W7, &st7, &res, NULL, NULL, NULL, NULL);
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
  CHECK (fabs (fl - (double) flips / (p.n * p.m)) < 1e-15 && fabs (mv - sqrt (most)) < 1e-12
         && fabs (ds - sqrt (sum)) < 1e-12 && flips > 0,
         "diag: flips %g vs %g, move %g vs %g", fl, (double) flips / (p.n * p.m), mv, sqrt (most));
  opt.diag_every = -1;
  CHECK (ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &st, &opt, work, &res, NULL) == AG_EARG,
         "diag every < 0");
  opt.diag_every = 1;
  opt.W0 = NULL;
  CHECK (ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &st, &opt, work, &res, NULL) == AG_ENULL,
         "diagnostics without W0");
  free (W); free (W7); free (work);
  free_state (&st); free_state (&st7);
  free_problem (&p);
}

/* Each rule's step against a hand computation. */
static void
test_steps_hand (void)
{
  const double W[] = { 1, 3, 2, 4 }, G[] = { 0.5, 2, -1, 0 };
  double Wk[4], rec[4];
  uint64_t *work = malloc (AG_STEP_BINS * sizeof (uint64_t));
  ag_exec one = { .threads = 1 };
  /* gd: W - eta*G. */
  ag_optimizer o = optimizer ("gd", 0.3);
  ag_state st = new_state (&o, 2, 2);
  memcpy (Wk, W, sizeof Wk);
  CHECK (ag_step (&o, 2, 2, Wk, G, 0, 4, &st, rec, work, &one) == AG_OK, "gd status");
  CHECK (rec[1] == 0.3 && Wk[0] == 1 - 0.3 * 0.5 && Wk[2] == 2 + 0.3 && rec[3] == sqrt (5.25),
         "gd: step %g W %g %g", rec[1], Wk[0], Wk[2]);
  /* adagrad-norm: ||G||^2 = 5.25, b = sqrt(4 + 5.25). */
  o = optimizer ("adagrad-norm", 0.3);
  st.scalars[0] = 2;
  memcpy (Wk, W, sizeof Wk);
  ag_step (&o, 2, 2, Wk, G, 0, 4, &st, rec, work, &one);
  CHECK (st.scalars[0] == sqrt (9.25) && rec[1] == 0.3 / sqrt (9.25), "adagrad-norm: b %.17g",
         st.scalars[0]);
  CHECK (Wk[1] == 3 - rec[1] * 2, "adagrad-norm: W(2,1) = %.17g", Wk[1]);
  /* adaloss: alpha = 0.5, n = 4, ||y - u|| = 3: b^2 = 4 + 0.25 * 2 * 3 = 5.5. */
  o = optimizer ("adaloss", 0.3);
  o.par[1] = 0.5;
  st.scalars[0] = 2;
  memcpy (Wk, W, sizeof Wk);
  ag_step (&o, 2, 2, Wk, G, 3, 4, &st, rec, work, &one);
  CHECK (st.scalars[0] == sqrt (5.5) && rec[1] == 0.3 / sqrt (5.5), "adaloss: b %.17g",
         st.scalars[0]);
  CHECK (Wk[3] == 4 && Wk[0] == 1 - rec[1] * 0.5, "adaloss: W %.17g %.17g", Wk[0], Wk[3]);
  /* b without squaring overflow or underflow: b0 = 1e155 (b^2 = Inf), a
     gradient of 1e200 (||G||^2 = Inf), alpha = 1e200, b0 = 1e-300 with G = 0. */
  st.scalars[0] = 1e155;
  memcpy (Wk, W, sizeof Wk);
  o = optimizer ("adagrad-norm", 0.3);
  CHECK (ag_step (&o, 2, 2, Wk, G, 0, 4, &st, rec, work, &one) == AG_OK
         && st.scalars[0] == 1e155 && rec[1] == 0.3 / 1e155, "b0 = 1e155: b %g", st.scalars[0]);
  double Gbig[4];
  for (int i = 0; i < 4; i++)
    Gbig[i] = 1e200 * G[i];
  st.scalars[0] = 1;
  CHECK (ag_step (&o, 2, 2, Wk, Gbig, 0, 4, &st, rec, work, &one) == AG_OK
         && fabs (st.scalars[0] - 1e200 * sqrt (5.25)) <= 1e-14 * st.scalars[0]
         && fabs (rec[3] - 1e200 * sqrt (5.25)) <= 1e-14 * rec[3],
         "||G|| = 1e200 sqrt(5.25): b %g, gnorm %g", st.scalars[0], rec[3]);
  o = optimizer ("adaloss", 1);
  o.par[1] = 1e200;
  st.scalars[0] = 1;
  CHECK (ag_step (&o, 2, 2, Wk, G, 4, 4, &st, rec, work, &one) == AG_OK
         && fabs (st.scalars[0] - 1e200 * sqrt (8.0)) <= 1e-14 * st.scalars[0],
         "alpha = 1e200: b %g", st.scalars[0]);
  o = optimizer ("adagrad-norm", 1);
  double Z[4] = { 0 };
  st.scalars[0] = 1e-300;
  memcpy (Wk, W, sizeof Wk);
  CHECK (ag_step (&o, 2, 2, Wk, Z, 0, 4, &st, rec, work, &one) == AG_OK
         && st.scalars[0] == 1e-300 && memcmp (Wk, W, sizeof Wk) == 0,
         "b0 = 1e-300, G = 0: b %g", st.scalars[0]);
  /* eta = 0 leaves W unchanged but still grows b. */
  o = optimizer ("adagrad-norm", 0.0);
  st.scalars[0] = 2;
  memcpy (Wk, W, sizeof Wk);
  ag_step (&o, 2, 2, Wk, G, 0, 4, &st, rec, work, &one);
  CHECK (memcmp (Wk, W, sizeof Wk) == 0 && st.scalars[0] > 2, "eta = 0");
  free_state (&st);

  /* momentum and nesterov from v = 1 everywhere, mu = 0.5. */
  for (int nest = 0; nest < 2; nest++)
    {
      o = optimizer (nest ? "nesterov" : "momentum", 0.1);
      o.par[0] = 0.5;
      st = new_state (&o, 2, 2);
      double *v = st.arrays[0];
      CHECK (v[0] == 0 && v[3] == 0, "velocity starts at 0");
      for (int i = 0; i < 4; i++)
        v[i] = 1;
      memcpy (Wk, W, sizeof Wk);
      CHECK (ag_step (&o, 2, 2, Wk, G, 0, 4, &st, rec, work, &one) == AG_OK, "momentum status");
      int ok = 1;
      for (int i = 0; i < 4; i++)
        {
          double vi = 0.5 + G[i];
          ok &= v[i] == vi && Wk[i] == W[i] - 0.1 * (nest ? G[i] + 0.5 * vi : vi);
        }
      CHECK (ok && rec[1] == 0.1, "%s by hand", o.rule->name);
      free_state (&st);
    }
  /* adagrad from b0 = 0.5, rmsprop with rho = 0.9 from s = 1. */
  o = optimizer ("adagrad", 0.1);
  o.par[0] = 0.5;
  st = new_state (&o, 2, 2);
  memcpy (Wk, W, sizeof Wk);
  ag_step (&o, 2, 2, Wk, G, 0, 4, &st, rec, work, &one);
  double *s = st.arrays[0], steps[4];
  int ok = 1;
  for (int i = 0; i < 4; i++)
    {
      double si = 0.25 + G[i] * G[i];
      steps[i] = 0.1 / (sqrt (si) + 1e-10);
      ok &= s[i] == si && Wk[i] == W[i] - steps[i] * G[i];
    }
  /* Ranks ceil(0.1*4) = 1, ceil(0.5*4) = 2, ceil(0.9*4) = 4 of the sorted steps. */
  double sorted[4] = { steps[0], steps[1], steps[2], steps[3] };
  for (int i = 0; i < 4; i++)
    for (int j = i + 1; j < 4; j++)
      if (sorted[j] < sorted[i])
        { double t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t; }
  CHECK (ok && fabs (rec[0] - sorted[0]) <= 0x1p-9 * sorted[0]
         && fabs (rec[1] - sorted[1]) <= 0x1p-9 * sorted[1]
         && fabs (rec[2] - sorted[3]) <= 0x1p-9 * sorted[3],
         "adagrad by hand; quantiles %g %g %g vs %g %g %g", rec[0], rec[1], rec[2], sorted[0],
         sorted[1], sorted[3]);
  free_state (&st);
  o = optimizer ("rmsprop", 0.1);
  o.par[0] = 0.9;
  st = new_state (&o, 2, 2);
  s = st.arrays[0];
  for (int i = 0; i < 4; i++)
    s[i] = 1;
  memcpy (Wk, W, sizeof Wk);
  ag_step (&o, 2, 2, Wk, G, 0, 4, &st, rec, work, &one);
  ok = 1;
  for (int i = 0; i < 4; i++)
    {
      double si = 0.9 + (1 - 0.9) * G[i] * G[i];
      ok &= s[i] == si && Wk[i] == W[i] - 0.1 / (sqrt (si) + 1e-8) * G[i];
    }
  CHECK (ok, "rmsprop by hand");
  free_state (&st);
  /* adam: two steps from zero moments (t = 1, 2), in PyTorch's arrangement. */
  o = optimizer ("adam", 0.01);
  st = new_state (&o, 2, 2);
  memcpy (Wk, W, sizeof Wk);
  double M[4] = { 0 }, V[4] = { 0 }, Wr[4];
  memcpy (Wr, W, sizeof Wr);
  ok = 1;
  for (int t = 1; t <= 2; t++)
    {
      ag_step (&o, 2, 2, Wk, G, 0, 4, &st, rec, work, &one);
      for (int i = 0; i < 4; i++)
        {
          M[i] = 0.9 * M[i] + (1 - 0.9) * G[i];
          V[i] = 0.999 * V[i] + (1 - 0.999) * G[i] * G[i];
          double lr = 0.01 / (1 - pow (0.9, t));
          Wr[i] -= lr / (sqrt (V[i]) / sqrt (1 - pow (0.999, t)) + 1e-8) * M[i];
        }
      ok &= st.scalars[0] == t;
    }
  double *Ms = st.arrays[0], *Vs = st.arrays[1];
  for (int i = 0; i < 4; i++)
    ok &= Ms[i] == M[i] && Vs[i] == V[i] && Wk[i] == Wr[i];
  CHECK (ok, "adam by hand: W %.17g vs %.17g, t %g", Wk[0], Wr[0], st.scalars[0]);
  free_state (&st);
  free (work);
}

/* The external rule's step in C: gradient descent with step eta, a step
   count as its state (two slots), and a stop on request. */
typedef struct ext_gd {
  long count[2];
  int cur, stop_at, poison_at, calls;
} ext_gd;

static ag_status
ext_gd_step (void *p, ag_step_io *io)
{
  ext_gd *c = p;
  const double *W = io->W, *G = io->G;
  double *Wn = io->Wnext;
  c->calls++;
  if (c->stop_at >= 0 && io->iter == c->stop_at)
    return AG_ECANCELLED;
  for (size_t i = 0; i < io->count; i++)
    Wn[i] = W[i] - io->eta * G[i];
  if (c->poison_at >= 0 && io->iter == c->poison_at)
    Wn[0] = NAN;
  if (! isfinite (Wn[0]))
    return AG_ENONFINITE;
  io->step[0] = io->step[1] = io->step[2] = io->eta;
  c->count[1 - c->cur] = c->count[c->cur] + 1;
  return AG_OK;
}

static void
ext_gd_swap (void *p)
{
  ext_gd *c = p;
  c->cur = 1 - c->cur;
}

/* A rule of the caller's through ag_train: the same bits as the built-in
   rule it copies (gd), its state kept with the iterate the run returns (also
   after a rollback), its stops. */
static void
test_external (void)
{
  problem p = make_problem (60, 5, 300);
  size_t md = p.m * p.d;
  double *W1 = malloc (md * sizeof (double)), *W2 = malloc (md * sizeof (double));
  enum { K = 9 };
  double l1[K + 1], l2[K + 1];
  ag_train_result res;
  ag_state st;
  memset (&st, 0, sizeof st);
  for (int mini = 0; mini < 2; mini++)
    {
      ag_optimizer o = optimizer ("gd", 0.05);
      ag_train_opts opt = { .optim = o, .maxiter = K };
      if (mini)
        opt.batch = (ag_batching) { .sampling = AG_SHUFFLE, .size = 13, .seed = 5,
                                    .eval_every = 1, .eval_end = -1 };
      memcpy (W1, p.W, md * sizeof (double));
      train (&p, &opt, W1, &st, &res, l1, NULL, NULL, NULL);
      ext_gd c = { { 0, 0 }, 0, -1, -1, 0 };
      ag_external e = { ext_gd_step, ext_gd_swap, &c };
      opt.optim = (ag_optimizer) { .rule = ag_rule_external (), .eta = 0.05 };
      opt.external = &e;
      memcpy (W2, p.W, md * sizeof (double));
      ag_status s = train (&p, &opt, W2, &st, &res, l2, NULL, NULL, NULL);
      CHECK (s == AG_OK && res.iters == K && memcmp (W1, W2, md * sizeof (double)) == 0
             && memcmp (l1, l2, sizeof l1) == 0 && c.count[c.cur] == K && c.calls == K,
             "external gd (%s) = built-in gd", mini ? "mini-batches" : "full batch");
    }
  /* A non-finite W(7) from the step: the run stops "diverged" at W(6), the
     step not taken (its state slot not kept). */
  ext_gd c = { { 0, 0 }, 0, -1, 6, 0 };
  ag_external e = { ext_gd_step, ext_gd_swap, &c };
  ag_train_opts opt = { .optim = { .rule = ag_rule_external (), .eta = 0.05 },
                        .maxiter = K, .external = &e };
  memcpy (W2, p.W, md * sizeof (double));
  train (&p, &opt, W2, &st, &res, l2, NULL, NULL, NULL);
  CHECK (res.stop == AG_STOP_DIVERGED && res.iters == 6 && c.count[c.cur] == 6
         && isfinite (W2[0]), "external: a non-finite step stops at W(6)");
  c = (ext_gd) { { 0, 0 }, 0, 4, -1, 0 };
  memcpy (W2, p.W, md * sizeof (double));
  train (&p, &opt, W2, &st, &res, l2, NULL, NULL, NULL);
  CHECK (res.stop == AG_STOP_CANCELLED && res.iters == 4 && c.count[c.cur] == 4,
         "external: the step's stop");
  /* A huge step: a non-finite loss at W(k+1) takes the step back. */
  c = (ext_gd) { { 0, 0 }, 0, -1, -1, 0 };
  opt.optim.eta = 1e300;
  memcpy (W2, p.W, md * sizeof (double));
  train (&p, &opt, W2, &st, &res, l2, NULL, NULL, NULL);
  CHECK (res.stop == AG_STOP_DIVERGED && c.count[c.cur] == res.iters && c.calls > res.iters,
         "external: rollback keeps the state of the iterate returned (%ld, %ld)",
         c.count[c.cur], res.iters);
  opt.external = NULL;
  CHECK (train (&p, &opt, W2, &st, &res, NULL, NULL, NULL, NULL) == AG_ENULL,
         "external rule without its step");
  double rec[4];
  CHECK (ag_step (&opt.optim, p.m, p.d, W2, p.G, 0.0, p.n, &st, rec, p.work, NULL)
         == AG_ERULE, "ag_step refuses the external rule");
  free (W1); free (W2);
  free_problem (&p);
}

/* The loss table, every entry: dL/du against central differences of L, the
   two precisions alike, resnorm finite and non-negative; ag_train takes its
   loss from the table (the default is NULL's, a loss not in the table is
   refused). */
static void
test_losses (void)
{
  int nl = ag_loss_count ();
  CHECK (nl >= 1 && ag_loss_at (-1) == NULL && ag_loss_at (nl) == NULL
         && ag_loss_find (NULL) == NULL && ag_loss_find ("no such loss") == NULL
         && ag_loss_is_entry (ag_loss_default ()), "loss table");
  enum { N = 7 };
  double u[N], y[N], e[N], e2[N], up[N];
  float yf[N];
  for (int i = 0; i < N; i++)
    {
      u[i] = 0.3 * i - 0.8;
      y[i] = 0.5 - 0.2 * i * i / N;
      yf[i] = (float) y[i];
      y[i] = (double) yf[i];
    }
  for (int k = 0; k < nl; k++)
    {
      const ag_loss_info *L = ag_loss_at (k);
      CHECK (ag_loss_find (L->name) == L && L->value[0] && L->residual[0] && L->adaloss[0]
             && L->eval && L->eval_f && L->resnorm, "%s: complete entry", L->name);
      for (int q = k + 1; q < nl; q++)
        CHECK (strcmp (L->name, ag_loss_at (q)->name) != 0, "%s twice", L->name);
      double v = L->eval (N, u, y, e), vf = L->eval_f (N, u, yf, e2);
      CHECK (v == vf && memcmp (e, e2, sizeof e) == 0, "%s: both precisions", L->name);
      double worst = 0.0;
      for (int i = 0; i < N; i++)
        {
          const double h = 1e-6;
          memcpy (up, u, sizeof up);
          up[i] = u[i] + h;
          double vp = L->eval (N, up, y, e2);
          up[i] = u[i] - h;
          double vm = L->eval (N, up, y, e2);
          worst = fmax (worst, fabs ((vp - vm) / (2 * h) - e[i]) / fmax (1.0, fabs (e[i])));
        }
      double r = L->resnorm (v);
      CHECK (worst < 1e-7 && isfinite (r) && r >= 0.0, "%s: dL/du by differences %.2g",
             L->name, worst);
    }
  problem p = make_problem (40, 4, 100);
  size_t md = p.m * p.d;
  double *W1 = malloc (md * sizeof (double)), *W2 = malloc (md * sizeof (double));
  double l1[6], l2[6];
  ag_train_result res;
  ag_optimizer o = optimizer ("adaloss", 1.0);
  ag_state s1 = new_state (&o, p.m, p.d), s2 = new_state (&o, p.m, p.d);
  ag_train_opts opt = { .optim = o, .maxiter = 5 };
  memcpy (W1, p.W, md * sizeof (double));
  train (&p, &opt, W1, &s1, &res, l1, NULL, NULL, NULL);
  opt.loss = ag_loss_default ();
  memcpy (W2, p.W, md * sizeof (double));
  train (&p, &opt, W2, &s2, &res, l2, NULL, NULL, NULL);
  CHECK (memcmp (W1, W2, md * sizeof (double)) == 0 && memcmp (l1, l2, sizeof l1) == 0
         && s1.scalars[0] == s2.scalars[0], "the default loss is NULL's");
  ag_loss_info copy = *ag_loss_default ();
  opt.loss = &copy;
  CHECK (train (&p, &opt, W2, &s2, &res, NULL, NULL, NULL, NULL) == AG_EARG,
         "a loss not in the table");
  free_state (&s1); free_state (&s2);
  free (W1); free (W2);
  free_problem (&p);
}

/* The table: names unique, defaults in their ranges, states initialized. */
static void
test_table (void)
{
  int n = ag_rule_count ();
  CHECK (n >= 1 && ag_rule_at (-1) == NULL && ag_rule_at (n) == NULL, "rule count %d", n);
  for (int r = 0; r < n; r++)
    for (int q = r + 1; q < n; q++)
      CHECK (strcmp (ag_rule_at (r)->name, ag_rule_at (q)->name) != 0, "%s twice",
             ag_rule_at (r)->name);
  /* The external rule: in the table (it passes the checks) but not named. */
  const ag_rule_info *ext = ag_rule_external ();
  int named = 0;
  for (int r = 0; r < n; r++)
    named |= ag_rule_at (r) == ext;
  ag_optimizer eo = { .rule = ext, .eta = 1 };
  CHECK (ext && ! named && ag_rule_find (ext->name) == NULL && ext->nparams == 0
         && ext->nscalars == 0 && ext->narrays == 0 && ! ext->linear
         && ag_optimizer_check (&eo) == AG_OK, "the external rule");
  for (int r = 0; r < n; r++)
    {
      const ag_rule_info *rule = ag_rule_at (r);
      CHECK (ag_rule_find (rule->name) == rule, "find %s", rule->name);
      ag_optimizer o = optimizer (rule->name, 1.0);
      CHECK (ag_optimizer_check (&o) == AG_OK, "%s: defaults in range", rule->name);
      CHECK (rule->step && rule->step_f && rule->init && rule->update[0],
             "%s: complete entry", rule->name);
      CHECK ((rule->b_scalar < 0 || rule->b_scalar < rule->nscalars)
             && rule->narrays <= AG_MAX_ARRAYS && rule->nparams <= AG_MAX_PARAMS,
             "%s: layout", rule->name);
      for (int i = 0; i < rule->nparams; i++)
        {
          o.par[i] = NAN;
          CHECK (ag_optimizer_check (&o) == AG_ENONFINITE, "%s: NaN %s", rule->name,
                 rule->params[i].name);
          o.par[i] = rule->params[i].lo - 1.0;
          CHECK (ag_optimizer_check (&o) == AG_EARG, "%s: %s below its range", rule->name,
                 rule->params[i].name);
          o.par[i] = rule->params[i].def;
        }
    }
  CHECK (ag_rule_find ("sgd") == NULL && ag_rule_find (NULL) == NULL, "unknown names");
  CHECK (ag_rule_default () == ag_rule_find ("adaloss"), "default rule");
  ag_optimizer bad = { .rule = NULL, .eta = 1 };
  CHECK (ag_optimizer_check (&bad) == AG_ERULE, "no rule");
  ag_rule_info copy = *ag_rule_find ("gd");
  bad.rule = &copy;
  CHECK (ag_optimizer_check (&bad) == AG_ERULE, "a rule not in the table");
  bad = optimizer ("gd", -1);
  CHECK (ag_optimizer_check (&bad) == AG_EARG, "eta < 0");
  CHECK (strcmp (ag_stop_name (AG_STOP_CANCELLED), "interrupted") == 0
         && strcmp (ag_stop_name (AG_STOP_MONITOR), "stopped") == 0
         && strcmp (ag_stop_name (AG_STOP_GTOL), "gtol") == 0 && ag_stop_name (6) == NULL
         && ag_stop_name (-1) == NULL, "stop names");
  /* Sizes: a per-coordinate rule needs its histogram; zero sizes give 0. */
  ag_sizes sz = { .n = 10, .d = 3, .m = 20, .rule = ag_rule_find ("adam"), .iters = 5 };
  ag_exec two = { .threads = 2 };
  CHECK (ag_step_bytes (&sz, &two) == 2 * AG_STEP_BINS * 8, "step bytes");
  size_t with = ag_train_bytes (&sz, &two);
  sz.rule = ag_rule_find ("gd");
  CHECK (with > ag_train_bytes (&sz, &two) && ag_train_bytes (&sz, &two) > 0, "train bytes");
  sz.n = 0;
  CHECK (ag_train_bytes (&sz, &two) == 0 && ag_forward_bytes (&sz, &two) == 0
         && ag_gram_bytes (&sz, NULL) == 0, "zero sizes");
  sz = (ag_sizes) { .n = 10, .d = 3, .m = 20, .rule = NULL, .iters = 5 };
  CHECK (ag_train_bytes (&sz, NULL) == 0 && ag_step_bytes (&sz, NULL) == 0, "no rule: no size");
}

static void
test_errors (void)
{
  double X[] = { 1, 0, 0, 1 }, W[] = { 1, -2, -1, 3 }, a[] = { 1, -1 }, u[2];
  double G[4] = { 0 }, y[2] = { 0, 0 }, loss, work[64], rec[4];
  ag_sizes huge = { .n = (size_t) 1 << 40, .d = 2, .m = 2 };
  ag_sizes wrap = { .n = (size_t) 1 << 30, .d = (size_t) 1 << 30, .m = (size_t) 1 << 30 };
  CHECK (ag_forward (0, 2, 2, X, W, a, u, work, NULL) == AG_ESIZE, "n = 0");
  CHECK (ag_forward (2, 0, 2, X, W, a, u, work, NULL) == AG_ESIZE, "d = 0");
  CHECK (ag_forward (2, 2, 0, X, W, a, u, work, NULL) == AG_ESIZE, "m = 0");
  CHECK (ag_forward_bytes (&huge, NULL) == 0, "n beyond BLAS int");
  CHECK (ag_forward_bytes (&wrap, NULL) == 0, "n*d overflow");
  CHECK (ag_forward ((size_t) 1 << 40, 2, 2, X, W, a, u, work, NULL) == AG_ESIZE, "huge n");
  CHECK (ag_forward (2, 2, 2, NULL, W, a, u, work, NULL) == AG_ENULL, "NULL X");
  CHECK (ag_gradient (2, 2, 2, X, NULL, W, a, G, u, &loss, work, NULL) == AG_ENULL, "NULL y");
  X[1] = NAN;
  CHECK (ag_forward (2, 2, 2, X, W, a, u, work, NULL) == AG_ENONFINITE, "NaN in X");
  X[1] = 0;
  y[0] = INFINITY;
  CHECK (ag_gradient (2, 2, 2, X, y, W, a, G, u, &loss, work, NULL) == AG_ENONFINITE, "Inf in y");
  ag_optimizer o = optimizer ("gd", -1);
  ag_state st;
  memset (&st, 0, sizeof st);
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_EARG, "eta < 0");
  CHECK (ag_step (NULL, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_ENULL, "no optimizer");
  o = optimizer ("adaloss", 1);
  o.par[1] = 0;
  st.scalars[0] = 1;
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_EARG, "alpha = 0");
  o = optimizer ("adagrad-norm", 1);
  st.scalars[0] = 0;
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_EARG, "b = 0");
  st.scalars[0] = NAN;
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_ENONFINITE, "b = NaN");
  o = optimizer ("adaloss", 1);
  st.scalars[0] = 1;
  CHECK (ag_step (&o, 2, 2, W, G, -1, 2, &st, rec, work, NULL) == AG_EARG, "resnorm < 0");
  CHECK (ag_step (&o, 2, 2, W, G, 1, 0, &st, rec, work, NULL) == AG_EARG, "n = 0");
  o = optimizer ("momentum", 1);
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_ENULL, "no velocity array");
  double v[4] = { 0, NAN, 0, 0 };
  st.arrays[0] = v;
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_ENONFINITE, "NaN velocity");
  o = optimizer ("adam", 1);
  double M[4] = { 0 }, V[4] = { 0 };
  st.arrays[0] = M;
  st.arrays[1] = V;
  st.scalars[0] = 1.5;
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_EARG, "t not an integer");
  st.scalars[0] = -1;
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_EARG, "t < 0");
  CHECK (ag_state_init (&o, 2, 2, 0, NULL) == AG_ENULL, "state init without state");
  for (int s = -1; s < 10; s++)
    CHECK (ag_strerror (s) != NULL && ag_strerror (s)[0] != '\0', "strerror %d", s);
}

static int
stop_at_3 (void *ctx, const ag_iterate *it)
{
  (void) ctx;
  return it->k >= 3;
}

/* What a monitor saw: the iterates it was called at, and a copy of W, b and
   the records at iterate AT. */
typedef struct seen {
  long calls, first, last, at;
  size_t md;
  double W[4096], b, loss, gnorm, step;
} seen;

static int
watch (void *ctx, const ag_iterate *it)
{
  seen *s = (seen *) ctx;
  if (s->calls++ == 0)
    s->first = it->k;
  s->last = it->k;
  if (it->k == s->at)
    {
      memcpy (s->W, it->W, s->md * sizeof (double));
      s->b = it->scalars[0];
      s->loss = it->rec->loss[it->k];
      s->gnorm = it->rec->gnorm[it->k - 1];
      s->step = it->rec->step[it->k - 1];
    }
  return 0;
}

static int
raise_at_2 (void *ctx, const ag_iterate *it)
{
  if (it->k == 2)
    *(volatile sig_atomic_t *) ctx = 1;
  return 0;
}

/* Every rule: ag_train equals the hand-written loop of ag_gradient and
   ag_step, bitwise, in W, the state and the records. */
static void
test_train (void)
{
  for (int r = 0; r < ag_rule_count (); r++)
    {
      const ag_rule_info *rule = ag_rule_at (r);
      problem p = make_problem (70, 5, 300);
      size_t md = p.m * p.d;
      double *W1 = malloc (md * sizeof (double));
      memcpy (W1, p.W, md * sizeof (double));
      enum { K = 25 };
      double loss[K + 1], bk[K], stp[K];
      ag_optimizer o = optimizer (rule->name, rule->per_coordinate ? 0.01 : 0.05);
      if (rule->b_scalar >= 0)
        o.par[0] = 0.5;
      ag_state st1 = new_state (&o, p.m, p.d), st2 = new_state (&o, p.m, p.d);
      ag_train_opts opt = { .optim = o, .maxiter = K };
      ag_train_result res;
      CHECK (train (&p, &opt, W1, &st1, &res, loss, bk, stp, NULL) == AG_OK, "train status");
      CHECK (res.iters == K && res.stop == AG_STOP_MAXITER, "%s: iters %ld stop %d",
             rule->name, res.iters, (int) res.stop);
      double l, rec[4], *work = malloc (ag_step_bytes (&(ag_sizes) { .m = p.m, .d = p.d,
                                                                      .rule = rule }, NULL));
      int same = 1, mono = 1;
      for (int k = 0; k < K; k++)
        {
          ag_gradient (p.n, p.d, p.m, p.X, p.y, p.W, p.a, p.G, p.u, &l, p.work, NULL);
          ag_step (&o, p.m, p.d, p.W, p.G, sqrt (2 * l), p.n, &st2, rec, work, NULL);
          same &= l == loss[k] && rec[1] == stp[k];
          if (rule->b_scalar >= 0)
            {
              same &= st2.scalars[rule->b_scalar] == bk[k];
              if (k > 0)
                mono &= bk[k] >= bk[k - 1];
            }
          else
            same &= isnan (bk[k]);
        }
      for (int i = 0; i < rule->narrays; i++)
        same &= memcmp (st1.arrays[i], st2.arrays[i], md * sizeof (double)) == 0;
      same &= memcmp (st1.scalars, st2.scalars, sizeof st1.scalars) == 0;
      CHECK (same && memcmp (W1, p.W, md * sizeof (double)) == 0,
             "%s: ag_train equals the hand-written loop", rule->name);
      CHECK (mono, "%s: b never decreases", rule->name);
      CHECK (loss[K] < loss[0], "%s: loss decreased %g -> %g", rule->name, loss[0], loss[K]);
      free (W1); free (work);
      free_state (&st1); free_state (&st2);
      free_problem (&p);
    }
}

static void
test_train_stops (void)
{
  problem p = make_problem (50, 4, 200);
  size_t md = p.m * p.d;
  double *W = malloc (md * sizeof (double));
  double loss[101];
  ag_train_result res;

  /* eta = 0: W unchanged. */
  memcpy (W, p.W, md * sizeof (double));
  ag_optimizer o = optimizer ("adaloss", 0.0);
  ag_state st = new_state (&o, p.m, p.d);
  ag_train_opts opt = { .optim = o, .maxiter = 10 };
  train (&p, &opt, W, &st, &res, loss, NULL, NULL, NULL);
  CHECK (res.iters == 10 && memcmp (W, p.W, md * sizeof (double)) == 0, "eta = 0 leaves W");

  /* GD with a huge step: diverged, the last finite state is returned. */
  memcpy (W, p.W, md * sizeof (double));
  opt = (ag_train_opts) { .optim = optimizer ("gd", 1e150), .maxiter = 100 };
  train (&p, &opt, W, &st, &res, loss, NULL, NULL, NULL);
  double Lw = naive_loss (&p, W, NULL);
  CHECK (res.stop == AG_STOP_DIVERGED && res.iters < 100 && isfinite (Lw)
         && fabs (Lw - loss[res.iters]) <= 1e-12 * Lw,
         "diverged: stop %d iters %ld, last loss %g vs recorded %g", (int) res.stop, res.iters,
         Lw, loss[res.iters]);

  /* Momentum diverging: W and the velocity are those of the last finite iterate. */
  ag_optimizer om = optimizer ("momentum", 1e100);
  ag_state sm = new_state (&om, p.m, p.d), sm2 = new_state (&om, p.m, p.d);
  memcpy (W, p.W, md * sizeof (double));
  opt = (ag_train_opts) { .optim = om, .maxiter = 100 };
  train (&p, &opt, W, &sm, &res, loss, NULL, NULL, NULL);
  long kd = res.iters;
  double *W2 = malloc (md * sizeof (double));
  memcpy (W2, p.W, md * sizeof (double));
  opt.maxiter = kd;
  train (&p, &opt, W2, &sm2, &res, NULL, NULL, NULL, NULL);
  CHECK (kd < 100 && memcmp (W, W2, md * sizeof (double)) == 0
         && memcmp (sm.arrays[0], sm2.arrays[0], md * sizeof (double)) == 0,
         "momentum diverged at %ld: the state of the last finite iterate", kd);
  free_state (&sm); free_state (&sm2);

  /* tol: stops as soon as the loss is below it. */
  memcpy (W, p.W, md * sizeof (double));
  o = optimizer ("adagrad-norm", 1.0);
  st.scalars[0] = 1;
  opt = (ag_train_opts) { .optim = o, .maxiter = 100 };
  train (&p, &opt, W, &st, &res, loss, NULL, NULL, NULL);
  double target = loss[20];
  memcpy (W, p.W, md * sizeof (double));
  st.scalars[0] = 1;
  opt.tol = target;
  train (&p, &opt, W, &st, &res, loss, NULL, NULL, NULL);
  CHECK (res.stop == AG_STOP_CONVERGED && loss[res.iters] <= target
         && loss[res.iters - 1] > target, "tol: stop %d after %ld", (int) res.stop, res.iters);

  /* The monitor stops the run. */
  memcpy (W, p.W, md * sizeof (double));
  o = optimizer ("adaloss", 1.0);
  st.scalars[0] = 1;
  opt = (ag_train_opts) { .optim = o, .maxiter = 100, .monitor = stop_at_3 };
  train (&p, &opt, W, &st, &res, loss, NULL, NULL, NULL);
  CHECK (res.stop == AG_STOP_MONITOR && res.iters == 3, "monitor: stop %d iters %ld",
         (int) res.stop, res.iters);

  /* The monitor sees every iterate 1..maxiter, the last one included, with
     W, the state and the records of that iterate: those of a run that ends
     there. */
  static seen sw;
  memset (&sw, 0, sizeof sw);
  sw.at = 5;
  sw.md = md <= 4096 ? md : 4096;
  memcpy (W, p.W, md * sizeof (double));
  st.scalars[0] = 1;
  opt = (ag_train_opts) { .optim = o, .maxiter = 7, .monitor = watch, .ctx = &sw };
  train (&p, &opt, W, &st, &res, NULL, NULL, NULL, NULL);
  CHECK (res.stop == AG_STOP_MAXITER && sw.calls == 7 && sw.first == 1 && sw.last == 7,
         "monitor: %ld calls, iterates %ld..%ld", sw.calls, sw.first, sw.last);
  memcpy (W2, p.W, md * sizeof (double));
  st.scalars[0] = 1;
  opt = (ag_train_opts) { .optim = o, .maxiter = 5 };
  double steps[5];
  train (&p, &opt, W2, &st, &res, loss, NULL, steps, NULL);
  CHECK (md <= 4096 && memcmp (sw.W, W2, md * sizeof (double)) == 0
         && sw.b == st.scalars[0] && sw.loss == loss[5] && sw.step == steps[4]
         && sw.gnorm > 0,
         "monitor: the iterate it sees is the one a run of 5 steps ends at");

  /* A cancel flag raised during iteration 2 (as a signal handler would) stops
     inside that iteration, leaving the state of the last completed one. */
  static volatile sig_atomic_t flag;
  flag = 0;
  memcpy (W, p.W, md * sizeof (double));
  st.scalars[0] = 1;
  opt = (ag_train_opts) { .optim = o, .maxiter = 100, .monitor = raise_at_2,
                          .ctx = (void *) &flag };
  ag_exec fe = { .threads = 1, .cancel = &flag };
  train (&p, &opt, W, &st, &res, loss, NULL, NULL, &fe);
  long iters = res.iters;
  ag_stop stop = res.stop;
  double b1 = st.scalars[0];
  memcpy (W2, p.W, md * sizeof (double));
  st.scalars[0] = 1;
  ag_train_opts opt2 = { .optim = o, .maxiter = 2 };
  train (&p, &opt2, W2, &st, &res, NULL, NULL, NULL, NULL);
  /* A raised flag in exec stops the building blocks with AG_ECANCELLED. */
  static volatile sig_atomic_t raised = 1;
  ag_exec ce = { .threads = 1, .cancel = &raised };
  double lc;
  CHECK (ag_gradient (p.n, p.d, p.m, p.X, p.y, p.W, p.a, p.G, p.u, &lc, p.work, &ce)
         == AG_ECANCELLED && ag_forward (p.n, p.d, p.m, p.X, p.W, p.a, p.u, p.work, &ce)
         == AG_ECANCELLED, "cancelled building blocks");
  CHECK (stop == AG_STOP_CANCELLED && iters == 2 && b1 == st.scalars[0]
         && memcmp (W, W2, md * sizeof (double)) == 0,
         "cancel: stop %d iters %ld", (int) stop, iters);

  /* Bad options are rejected before any work. */
  opt.maxiter = -1;
  CHECK (train (&p, &opt, W, &st, &res, NULL, NULL, NULL, NULL) != AG_OK, "maxiter < 0");
  opt = (ag_train_opts) { .optim = o, .maxiter = 3, .tol = -1 };
  CHECK (train (&p, &opt, W, &st, &res, NULL, NULL, NULL, NULL) == AG_EARG, "tol < 0");
  free (W); free (W2);
  free_state (&st);
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
  /* 20 steps of AdaLoss and of Adam: the trajectories stay close. */
  const char *names[] = { "adaloss", "adam" };
  for (int r = 0; r < 2; r++)
    {
      enum { K = 20 };
      ag_optimizer o = optimizer (names[r], r ? 0.01 : 1.0);
      if (r == 0)
        o.par[0] = 0.5, o.par[1] = 0.5;
      ag_sizes sz = { .n = n, .d = d, .m = m, .single = 1, .rule = o.rule, .iters = K };
      void *wf = malloc (ag_train_bytes (&sz, NULL));
      ag_state sf;
      memset (&sf, 0, sizeof sf);
      for (int i = 0; i < o.rule->narrays; i++)
        sf.arrays[i] = malloc (md * sizeof (float));
      ag_state_init (&o, m, d, 1, &sf);
      float *Wk = malloc (md * sizeof (float));
      memcpy (Wk, Wf, md * sizeof (float));
      ag_train_opts opt = { .optim = o, .maxiter = K };
      ag_train_result res;
      double lf[K + 1], ld[K + 1];
      CHECK (ag_train_f (n, d, m, Xf, yf, af, Wk, &sf, &opt, wf, &res, NULL) == AG_OK
             && res.iters == K, "%s: train_f", names[r]);
      memcpy (lf, res.loss, sizeof lf);
      double *Wd = malloc (md * sizeof (double));
      memcpy (Wd, p.W, md * sizeof (double));
      ag_state sd = new_state (&o, m, d);
      train (&p, &opt, Wd, &sd, &res, ld, NULL, NULL, NULL);
      double worst = 0;
      for (int k = 0; k <= K; k++)
        worst = fmax (worst, fabs (lf[k] - ld[k]) / ld[k]);
      CHECK (worst < 1e-4 && fabs (sf.scalars[0] - sd.scalars[0]) <= 1e-5 * sd.scalars[0]
             && ld[K] < ld[0], "%s: train_f vs train: loss %g", names[r], worst);
      free (wf); free (Wk); free (Wd);
      free_state (&sf); free_state (&sd);
    }
  /* Single-precision steps against a hand computation. */
  float Ws[] = { 1, 3, 2, 4 }, Gs[] = { 0.5f, 2, -1, 0 };
  double rec[4], work[4];
  ag_optimizer o = optimizer ("adagrad-norm", 0.3);
  ag_state st;
  memset (&st, 0, sizeof st);
  st.scalars[0] = 2;
  ag_step_f (&o, 2, 2, Ws, Gs, 0, 4, &st, rec, work, NULL);
  CHECK (st.scalars[0] == sqrt (9.25) && Ws[1] == (float) (3 - rec[1] * 2), "step_f: b %.17g",
         st.scalars[0]);
  free (Xf); free (yf); free (Wf); free (af); free (Gf); free (uf);
  free_problem (&p);
}

/* One, two and three threads give bitwise the same results, for every rule. */
static void
test_threads (void)
{
  problem p = make_problem (700, 9, 2500);
  size_t md = p.m * p.d;
  double *W1 = malloc (md * sizeof (double)), *W2 = malloc (md * sizeof (double));
  double *G2 = malloc (md * sizeof (double));
  ag_exec one = { .threads = 1 }, two = { .threads = 2 }, three = { .threads = 3 };
  double l1, l2, u2[700];
  ag_gradient (p.n, p.d, p.m, p.X, p.y, p.W, p.a, p.G, p.u, &l1, p.work, &one);
  ag_gradient (p.n, p.d, p.m, p.X, p.y, p.W, p.a, G2, u2, &l2, p.work, &three);
  CHECK (l1 == l2 && memcmp (p.G, G2, md * sizeof (double)) == 0
         && memcmp (p.u, u2, sizeof u2) == 0, "gradient: 1 and 3 threads differ");
  enum { K = 6 };
  /* Every rule on a smaller problem that still takes five blocks of units. */
  problem q = make_problem (300, 9, 1100);
  size_t mq = q.m * q.d;
  for (int r = 0; r < ag_rule_count (); r++)
    {
      ag_optimizer o = optimizer (ag_rule_at (r)->name, 0.01);
      ag_state s1 = new_state (&o, q.m, q.d), s2 = new_state (&o, q.m, q.d);
      memcpy (W1, q.W, mq * sizeof (double));
      memcpy (W2, q.W, mq * sizeof (double));
      double t1[K + 1], t2[K + 1], q1[K], q2[K];
      ag_train_opts opt = { .optim = o, .maxiter = K };
      ag_train_result res;
      train (&q, &opt, W1, &s1, &res, t1, NULL, q1, &one);
      train (&q, &opt, W2, &s2, &res, t2, NULL, q2, &two);
      int same = memcmp (W1, W2, mq * sizeof (double)) == 0 && memcmp (t1, t2, sizeof t1) == 0
                 && memcmp (q1, q2, sizeof q1) == 0
                 && memcmp (s1.scalars, s2.scalars, sizeof s1.scalars) == 0;
      for (int i = 0; i < o.rule->narrays; i++)
        same &= memcmp (s1.arrays[i], s2.arrays[i], mq * sizeof (double)) == 0;
      CHECK (same, "%s: 1 and 2 threads differ", o.rule->name);
      free_state (&s1); free_state (&s2);
    }
  free_problem (&q);
  /* A cancel flag already raised stops the first forward pass on any thread. */
  static volatile sig_atomic_t flag = 1;
  ag_optimizer o = optimizer ("adaloss", 1.0);
  o.par[0] = 0.3;
  ag_state st = new_state (&o, p.m, p.d);
  ag_train_opts copt = { .optim = o, .maxiter = K };
  double lc[K + 1];
  ag_train_result res;
  memcpy (W1, p.W, md * sizeof (double));
  ag_exec two_cut = two;
  two_cut.cancel = &flag;
  train (&p, &copt, W1, &st, &res, lc, NULL, NULL, &two_cut);
  CHECK (res.stop == AG_STOP_CANCELLED && res.iters == 0 && isnan (lc[0])
         && st.scalars[0] == 0.3 && memcmp (W1, p.W, md * sizeof (double)) == 0,
         "cancel with 2 threads: stop %d", (int) res.stop);
  free (W1); free (W2); free (G2);
  free_state (&st);
  free_problem (&p);
}

/* Max |A - B| / max |B| over COUNT entries. */
static double
rel_diff (const double *A, const double *B, size_t count)
{
  double num = 0, den = 0;
  for (size_t i = 0; i < count; i++)
    {
      num = fmax (num, fabs (A[i] - B[i]));
      den = fmax (den, fabs (B[i]));
    }
  return num / den;
}

/* The schedule: shuffle gives a permutation per epoch (short last batch),
   new each epoch, the same from the same seed; replace draws rows below n. */
static void
test_batch_rows (void)
{
  enum { N = 10 };
  uint32_t perm[N], rows[4], seen_rows[N], again[N];
  uint64_t pe = UINT64_MAX, pe2 = UINT64_MAX;
  ag_batching b = { .sampling = AG_SHUFFLE, .size = 3, .seed = 7 };
  size_t sizes[4], at = 0;
  for (int s = 0; s < 4; s++)
    {
      sizes[s] = ag_batch_rows (&b, N, at, (uint64_t) s, perm, &pe, rows);
      memcpy (seen_rows + at, rows, sizes[s] * sizeof (uint32_t));
      at += sizes[s];
    }
  int count[N] = { 0 };
  for (int i = 0; i < N; i++)
    count[seen_rows[i] < N ? seen_rows[i] : 0]++;
  int perm_ok = 1, identity = 1;
  for (int i = 0; i < N; i++)
    {
      perm_ok &= count[i] == 1;
      identity &= seen_rows[i] == (uint32_t) i;
    }
  CHECK (sizes[0] == 3 && sizes[1] == 3 && sizes[2] == 3 && sizes[3] == 1 && perm_ok
         && ! identity, "shuffle: one epoch is a permutation in batches 3, 3, 3, 1");
  /* The next epoch: another permutation; the same seen gives the same batch
     from a fresh permutation cache. */
  size_t nb = ag_batch_rows (&b, N, N, 4, perm, &pe, rows);
  memcpy (again, perm, sizeof perm);
  CHECK (nb == 3 && pe == 1 && memcmp (again, seen_rows, sizeof again) != 0,
         "shuffle: epoch 1 differs from epoch 0");
  uint32_t r2[4];
  nb = ag_batch_rows (&b, N, 3, 99, perm, &pe2, r2);
  CHECK (nb == 3 && memcmp (r2, seen_rows + 3, 3 * sizeof (uint32_t)) == 0,
         "shuffle: the batch at seen = 3 does not depend on the history");
  ag_batching b8 = b;
  b8.seed = 8;
  pe2 = UINT64_MAX;
  ag_batch_rows (&b8, N, 0, 0, perm, &pe2, r2);
  CHECK (memcmp (r2, seen_rows, 3 * sizeof (uint32_t)) != 0, "shuffle: seed 8 = seed 7");
  ag_batching br = { .sampling = AG_REPLACE, .size = 4, .seed = 7 };
  uint32_t big[4], big2[4];
  int below = 1;
  for (uint64_t t = 0; t < 200; t++)
    {
      ag_batch_rows (&br, 5, 0, t, NULL, NULL, big);
      for (int j = 0; j < 4; j++)
        below &= big[j] < 5;
    }
  ag_batch_rows (&br, 5, 123, 17, NULL, NULL, big);
  ag_batch_rows (&br, 5, 0, 17, NULL, NULL, big2);
  CHECK (below && memcmp (big, big2, sizeof big) == 0,
         "replace: rows below n, a function of (seed, step) only");
  CHECK (ag_batch_rows (NULL, 5, 0, 0, perm, &pe, rows) == 0
         && ag_batch_rows (&br, 0, 0, 0, perm, &pe, rows) == 0,
         "ag_batch_rows: bad arguments give 0");
}

/* Mini-batch training: batches of all rows in a permuted order follow the
   full-batch trajectory (every rule); one step on a batch by hand; the
   evaluation points, validation and gtol; threads bitwise; K + K = 2K. */
static void
test_minibatch (void)
{
  problem p = make_problem (70, 6, 300);
  const size_t n = p.n, md = p.m * p.d;
  enum { K = 12 };
  uint32_t *given = malloc (K * n * sizeof (uint32_t));
  for (size_t k = 0; k < K; k++)
    {
      for (size_t i = 0; i < n; i++)
        given[k * n + i] = (uint32_t) (i + 1);
      for (size_t i = n - 1; i > 0; i--)   /* a different order each step */
        {
          size_t j = (size_t) ((urand () + 1.0) * 0.5 * (double) (i + 1)) % (i + 1);
          uint32_t t = given[k * n + i];
          given[k * n + i] = given[k * n + j];
          given[k * n + j] = t;
        }
    }
  double *W1 = malloc (md * sizeof (double)), *W2 = malloc (md * sizeof (double));
  for (int r = 0; r < ag_rule_count (); r++)
    {
      ag_optimizer o = optimizer (ag_rule_at (r)->name, 0.05);
      ag_state s1 = new_state (&o, p.m, p.d), s2 = new_state (&o, p.m, p.d);
      memcpy (W1, p.W, md * sizeof (double));
      memcpy (W2, p.W, md * sizeof (double));
      double l1[K + 1], l2[K + 1];
      ag_train_opts full = { .optim = o, .maxiter = K };
      ag_train_opts perm = { .optim = o, .maxiter = K,
                             .batch = { .sampling = AG_GIVEN, .size = n, .given = given,
                                        .eval_every = 1 } };
      ag_train_result res;
      train (&p, &full, W1, &s1, &res, l1, NULL, NULL, NULL);
      train (&p, &perm, W2, &s2, &res, l2, NULL, NULL, NULL);
      double dw = rel_diff (W2, W1, md), dl = rel_diff (l2, l1, K + 1);
      CHECK (res.iters == K && dw < 1e-12 && dl < 1e-12 && res.seen == K * n
             && res.epoch[K] == (double) K,
             "%s: permuted full batches differ from full batch by %.3g (W), %.3g (loss)",
             o.rule->name, dw, dl);
      free_state (&s1); free_state (&s2);
    }
  /* One adagrad-norm step on the batch {5, 2, 5, 9} (with a repeat), by hand:
     G = (n/4) * gradient of 0.5*||u_B - y_B||^2, b^2 += ||G||^2. */
  {
    enum { NB = 4 };
    const uint32_t rowsB[NB] = { 5, 2, 5, 9 };
    double *XB = malloc (NB * p.d * sizeof (double)), yB[NB], *GB = malloc (md * sizeof (double));
    for (size_t c = 0; c < p.d; c++)
      for (int i = 0; i < NB; i++)
        XB[i + c * NB] = p.X[rowsB[i] - 1 + c * n];
    for (int i = 0; i < NB; i++)
      yB[i] = p.y[rowsB[i] - 1];
    double lB;
    ag_sizes sz = { .n = NB, .d = p.d, .m = p.m };
    void *wk = malloc (ag_forward_bytes (&sz, NULL));
    ag_gradient (NB, p.d, p.m, XB, yB, p.W, p.a, GB, NULL, &lB, wk, NULL);
    double s = (double) n / NB, g2 = 0;
    for (size_t j = 0; j < md; j++)
      g2 += (s * GB[j]) * (s * GB[j]);
    double b = sqrt (0.5 * 0.5 + g2);
    ag_optimizer o = optimizer ("adagrad-norm", 0.3);
    o.par[0] = 0.5;
    ag_state st = new_state (&o, p.m, p.d);
    ag_train_opts opt = { .optim = o, .maxiter = 1,
                          .batch = { .sampling = AG_GIVEN, .size = NB, .given = rowsB } };
    memcpy (W1, p.W, md * sizeof (double));
    ag_train_result res;
    train (&p, &opt, W1, &st, &res, NULL, NULL, NULL, NULL);
    double err = 0;
    for (size_t j = 0; j < md; j++)
      err = fmax (err, fabs (W1[j] - (p.W[j] - 0.3 / b * s * GB[j])));
    CHECK (res.iters == 1 && fabs (res.batchloss[0] - s * lB) <= 1e-14 * s * lB
           && fabs (st.scalars[0] - b) <= 1e-14 * b && err < 1e-15 && res.seen == NB,
           "one batch step by hand: W off by %.3g, b %.17g vs %.17g", err, st.scalars[0], b);
    /* A batch row that ends in zeros is a shorter batch; bad rows are refused. */
    const uint32_t padded[6] = { 5, 2, 5, 9, 0, 0 };
    ag_state st2 = new_state (&o, p.m, p.d);
    opt.batch.given = padded;
    opt.batch.size = 6;
    memcpy (W2, p.W, md * sizeof (double));
    train (&p, &opt, W2, &st2, &res, NULL, NULL, NULL, NULL);
    CHECK (memcmp (W1, W2, md * sizeof (double)) == 0 && res.seen == NB,
           "a row padded with zeros is the shorter batch");
    const uint32_t bad[3][3] = { { 0, 1, 2 }, { 1, 0, 2 }, { 1, 71, 0 } };
    for (int i = 0; i < 3; i++)
      {
        opt.batch.given = bad[i];
        opt.batch.size = 3;
        CHECK (train (&p, &opt, W2, &st2, &res, NULL, NULL, NULL, NULL) == AG_EARG,
               "bad batch row %d accepted", i);
      }
    free (XB); free (GB); free (wk);
    free_state (&st); free_state (&st2);
  }
  /* Shuffled batches of 16 (epochs of 5 steps, the last of 6 rows), a
     validation set, diagnostics and the evaluation every 3 steps: the full
     loss there equals ag_forward's, NaN between; 1 and 4 threads bitwise;
     10 + 10 steps = 20 steps. */
  {
    problem v = make_problem (33, 6, 300);
    enum { K2 = 20 };
    ag_optimizer o = optimizer ("adaloss", 0.5);
    ag_train_opts opt = { .optim = o, .maxiter = K2, .diag_every = 4, .W0 = p.W,
                          .batch = { .sampling = AG_SHUFFLE, .size = 16, .seed = 3,
                                     .eval_every = 3, .eval_end = K2,
                                     .nv = v.n, .Xv = v.X, .yv = v.y } };
    ag_state s1 = new_state (&o, p.m, p.d), s2 = new_state (&o, p.m, p.d);
    ag_state s3 = new_state (&o, p.m, p.d);
    double *W3 = malloc (md * sizeof (double));
    memcpy (W1, p.W, md * sizeof (double));
    memcpy (W2, p.W, md * sizeof (double));
    memcpy (W3, p.W, md * sizeof (double));
    ag_exec one = { .threads = 1 };
    ag_train_result r1, r2;
    double L1[K2 + 1], L2[K2 + 1], V1[K2 + 1], B1[K2 + 1], E1[K2 + 1], G1[K2];
    train (&p, &opt, W1, &s1, &r1, L1, NULL, NULL, &one);
    memcpy (V1, r1.vloss, sizeof V1);
    memcpy (B1, r1.batchloss, sizeof B1);
    memcpy (E1, r1.epoch, sizeof E1);
    memcpy (G1, r1.gnorm, sizeof G1);
    train (&p, &opt, W2, &s2, &r2, L2, NULL, NULL, &four);
    int same = memcmp (W1, W2, md * sizeof (double)) == 0
               && memcmp (r2.vloss, V1, sizeof V1) == 0 && memcmp (r2.gnorm, G1, sizeof G1) == 0
               && memcmp (r2.batchloss, B1, sizeof B1) == 0
               && s1.scalars[0] == s2.scalars[0];
    for (int k = 0; k <= K2; k++)
      same &= (isnan (L1[k]) && isnan (L2[k])) || L1[k] == L2[k];
    CHECK (same, "mini-batches: 1 and 4 threads differ");
    int pattern = 1;
    for (int k = 0; k <= K2; k++)
      {
        int at = k % 3 == 0 || k % 4 == 0 || k == K2;
        pattern &= at ? isfinite (L1[k]) && isfinite (V1[k]) : isnan (L1[k]) && isnan (V1[k]);
        pattern &= k == K2 ? isnan (B1[k]) : isfinite (B1[k]);
      }
    CHECK (pattern && r1.ndiag == 6 && E1[5] == 1.0 && E1[4] == 64.0 / 70.0
           && r1.seen == 4 * n, "evaluation points, epochs (seen %llu)",
           (unsigned long long) r1.seen);
    double u[70], uv[33], full = 0, val = 0;
    ag_forward (n, p.d, p.m, p.X, W1, p.a, u, p.work, NULL);
    ag_forward (v.n, p.d, p.m, v.X, W1, p.a, uv, p.work, NULL);
    for (size_t i = 0; i < n; i++)
      full += 0.5 * (u[i] - p.y[i]) * (u[i] - p.y[i]);
    for (size_t i = 0; i < v.n; i++)
      val += 0.5 * (uv[i] - v.y[i]) * (uv[i] - v.y[i]);
    val *= (double) n / (double) v.n;
    CHECK (fabs (L1[K2] - full) <= 1e-13 * full && fabs (V1[K2] - val) <= 1e-13 * val,
           "evaluated loss %.17g vs %.17g, validation %.17g vs %.17g", L1[K2], full,
           V1[K2], val);
    /* 10 + 10. */
    ag_train_opts half = opt;
    half.maxiter = 10;
    train (&p, &half, W3, &s3, &r2, NULL, NULL, NULL, NULL);
    half.k0 = 10;
    half.seen = r2.seen;
    train (&p, &half, W3, &s3, &r2, NULL, NULL, NULL, NULL);
    CHECK (memcmp (W1, W3, md * sizeof (double)) == 0 && s1.scalars[0] == s3.scalars[0]
           && r2.seen == r1.seen, "mini-batches: 10 + 10 steps differ from 20");
    /* gtol: a huge one stops at the first evaluation, in both modes; replace
       sampling runs and counts its rows. */
    ag_state s4 = new_state (&o, p.m, p.d);
    ag_train_opts g = opt;
    g.gtol = 1e300;
    g.batch.sampling = AG_REPLACE;
    train (&p, &g, W3, &s4, &r2, NULL, NULL, NULL, NULL);
    CHECK (r2.stop == AG_STOP_GTOL && r2.iters == 0, "mini gtol: stop %d iters %ld",
           (int) r2.stop, r2.iters);
    g.gtol = 0;
    train (&p, &g, W3, &s4, &r2, NULL, NULL, NULL, NULL);
    CHECK (r2.stop == AG_STOP_MAXITER && r2.seen == K2 * 16, "replace: stop %d seen %llu",
           (int) r2.stop, (unsigned long long) r2.seen);
    ag_train_opts gf = { .optim = o, .maxiter = 5, .gtol = 1e300 };
    train (&p, &gf, W3, &s4, &r2, NULL, NULL, NULL, NULL);
    CHECK (r2.stop == AG_STOP_GTOL && r2.iters == 0 && isfinite (r2.gnorm[0]),
           "full gtol: stop %d iters %ld", (int) r2.stop, r2.iters);
    free (W3);
    free_state (&s1); free_state (&s2); free_state (&s3); free_state (&s4);
    free_problem (&v);
  }
  free (W1); free (W2); free (given);
  free_problem (&p);
}

/* The closing line names LABEL (argument 1; "core" by default), so that a
   second build of these tests can be a part of its own in make check. */
/* A kernel state for rule O's sizes (double), allocated; free with kernel_free. */
static ag_kernel
kernel_new (const problem *p, const ag_optimizer *o, long reform)
{
  ag_kernel k = { .reform = reform };
  size_t len = 2 * p->n * p->m + 1, md = p->m * p->d;
  k.A = calloc (len, sizeof (double));
  k.Wa = calloc (md, sizeof (double));
  for (int i = 0; i < o->rule->narrays; i++)
    {
      k.As[i] = calloc (len, sizeof (double));
      k.Sa[i] = calloc (md, sizeof (double));
    }
  return k;
}

static void
kernel_free (ag_kernel *k)
{
  free (k->A); free (k->Wa);
  for (int i = 0; i < AG_MAX_ARRAYS; i++)
    {
      free (k->As[i]);
      free (k->Sa[i]);
    }
}

/* The kernel form (ag_kernel): the primal trajectory of every linear rule to
   round-off, full batch and mini-batches; bitwise the same over 1 and 4
   threads and when cut into calls (re-forming between); a state of other
   data or other weights not used; the errors. */
static void
test_kernel (void)
{
  problem p = make_problem (40, 30, 600);   /* three blocks of hidden units */
  const size_t md = p.m * p.d, len = 2 * p.n * p.m + 1;
  enum { K = 40 };
  double *W1 = malloc (md * sizeof (double)), *W2 = malloc (md * sizeof (double));
  double *W3 = malloc (md * sizeof (double));
  static const ag_exec one = { .threads = 1 };
  for (int r = 0; r < ag_rule_count (); r++)
    {
      const ag_rule_info *rule = ag_rule_at (r);
      ag_optimizer o = optimizer (rule->name, 0.3);
      ag_kernel kn = kernel_new (&p, &o, 0);
      ag_state s1 = new_state (&o, p.m, p.d), s2 = new_state (&o, p.m, p.d);
      memcpy (W1, p.W, md * sizeof (double));
      memcpy (W2, p.W, md * sizeof (double));
      double l1[K + 1], l2[K + 1];
      ag_train_opts primal = { .optim = o, .maxiter = K };
      ag_train_opts kern = { .optim = o, .maxiter = K, .kernel = &kn };
      ag_train_result res;
      if (! rule->linear)
        {
          CHECK (train (&p, &kern, W2, &s2, &res, NULL, NULL, NULL, NULL) == AG_EARG,
                 "%s: the kernel form refuses a rule that is not linear", rule->name);
          kernel_free (&kn); free_state (&s1); free_state (&s2);
          continue;
        }
      train (&p, &primal, W1, &s1, &res, l1, NULL, NULL, NULL);
      ag_status st = train (&p, &kern, W2, &s2, &res, l2, NULL, NULL, &four);
      double dw = rel_diff (W2, W1, md), dl = rel_diff (l2, l1, K + 1);
      double ds = rule->narrays ? rel_diff (s2.arrays[0], s1.arrays[0], md) : 0.0;
      CHECK (st == AG_OK && res.iters == K && dw < 1e-12 && dl < 1e-12 && ds < 1e-12
             && kn.valid && kn.fresh,
             "%s: kernel vs primal: %.3g (W), %.3g (loss), %.3g (state)", rule->name, dw, dl, ds);
      /* Z in the state is X*W' of the W formed. */
      double zerr = 0.0, zmax = 0.0;
      for (size_t i = 0; i < p.n; i++)
        for (size_t u = 0; u < p.m; u++)
          {
            double z = 0.0;
            for (size_t c = 0; c < p.d; c++)
              z += p.X[i + c * p.n] * W2[u + c * p.m];
            zerr = fmax (zerr, fabs (z - ((double *) kn.A)[i + u * p.n]));
            zmax = fmax (zmax, fabs (z));
          }
      CHECK (zerr < 1e-13 * zmax, "%s: Z vs X*W': %.3g", rule->name, zerr / zmax);
      /* One thread, cut into calls of 13 and 27 steps with re-forming every
         10: bitwise the same as one call with re-forming every 10 on 4 threads. */
      ag_kernel k1 = kernel_new (&p, &o, 10), k2 = kernel_new (&p, &o, 10);
      ag_state s3 = new_state (&o, p.m, p.d);
      memcpy (W1, p.W, md * sizeof (double));
      memcpy (W3, p.W, md * sizeof (double));
      ag_state s4 = new_state (&o, p.m, p.d);
      ag_train_opts a = { .optim = o, .maxiter = K, .kernel = &k1 };
      train (&p, &a, W1, &s4, &res, l1, NULL, NULL, &four);
      ag_train_opts b = { .optim = o, .maxiter = 13, .kernel = &k2 };
      train (&p, &b, W3, &s3, &res, NULL, NULL, NULL, &one);
      int fresh1 = k2.fresh;
      b.maxiter = 27;
      b.k0 = 13;
      memcpy (&b.optim, &o, sizeof o);
      st = train (&p, &b, W3, &s3, &res, l2 + 13, NULL, NULL, &one);
      int same = memcmp (W1, W3, md * sizeof (double)) == 0
                 && memcmp (l1 + 13, l2 + 13, 28 * sizeof (double)) == 0
                 && memcmp (s4.scalars, s3.scalars, sizeof s3.scalars) == 0
                 && memcmp (k1.A, k2.A, len * sizeof (double)) == 0;
      for (int i = 0; i < rule->narrays; i++)
        same = same && memcmp (s4.arrays[i], s3.arrays[i], md * sizeof (double)) == 0;
      CHECK (st == AG_OK && same && fresh1 && ! k2.fresh,
             "%s: calls of 13 + 27 steps on 1 thread vs one of 40 on 4", rule->name);
      /* Changed weights: the state is not used (it would give other numbers). */
      W3[5] += 1e-3;
      b.maxiter = 1;
      train (&p, &b, W3, &s3, &res, NULL, NULL, NULL, &one);
      CHECK (k2.fresh, "%s: a state that formed other weights is not used", rule->name);
      kernel_free (&k1); kernel_free (&k2); free_state (&s3); free_state (&s4);
      kernel_free (&kn); free_state (&s1); free_state (&s2);
    }
  /* Mini-batches with replacement and a validation set: the primal records. */
  {
    ag_optimizer o = optimizer ("adaloss", 0.5);
    ag_kernel kn = kernel_new (&p, &o, 7);
    ag_state s1 = new_state (&o, p.m, p.d), s2 = new_state (&o, p.m, p.d);
    memcpy (W1, p.W, md * sizeof (double));
    memcpy (W2, p.W, md * sizeof (double));
    ag_batching bt = { .sampling = AG_REPLACE, .size = 9, .seed = 4, .eval_every = 5,
                       .eval_end = K, .nv = 10, .Xv = p.X, .yv = p.y };
    ag_train_opts primal = { .optim = o, .maxiter = K, .batch = bt, .diag_every = 6,
                             .W0 = p.W };
    ag_train_opts kern = primal;
    kern.kernel = &kn;
    ag_train_result res;
    double bl1[K + 1], vl1[K + 1], mv1[K], fl1[K];
    train (&p, &primal, W1, &s1, &res, NULL, NULL, NULL, NULL);
    memcpy (bl1, res.batchloss, sizeof bl1);
    memcpy (vl1, res.vloss, sizeof vl1);
    long nd = res.ndiag;
    memcpy (mv1, res.move, (size_t) nd * sizeof (double));
    memcpy (fl1, res.flips, (size_t) nd * sizeof (double));
    ag_status st = train (&p, &kern, W2, &s2, &res, NULL, NULL, NULL, &four);
    double dv = 0.0;
    for (int k = 0; k <= K; k++)
      if (! isnan (vl1[k]))
        dv = fmax (dv, fabs (res.vloss[k] - vl1[k]) / vl1[k]);
    CHECK (st == AG_OK && rel_diff (W2, W1, md) < 1e-12 && rel_diff (res.batchloss, bl1, K) < 1e-12
           && dv < 1e-12 && res.ndiag == nd && rel_diff (res.move, mv1, (size_t) nd) < 1e-12
           && memcmp (res.flips, fl1, (size_t) nd * sizeof (double)) == 0,
           "mini-batches in the kernel form: W %.3g, vloss %.3g", rel_diff (W2, W1, md), dv);
    /* Errors: no buffers, a negative re-forming interval, a raised flag
       before the first step (nothing written, no state). */
    void *A = kn.A;
    kn.A = NULL;
    CHECK (train (&p, &kern, W2, &s2, &res, NULL, NULL, NULL, NULL) == AG_ENULL, "no A");
    kn.A = A;
    kn.reform = -1;
    CHECK (train (&p, &kern, W2, &s2, &res, NULL, NULL, NULL, NULL) == AG_EARG, "reform < 0");
    kn.reform = 7;
    volatile sig_atomic_t flag = 1;
    ag_exec kcut = { .threads = 1, .cancel = &flag };
    memcpy (W1, W2, md * sizeof (double));
    st = train (&p, &kern, W2, &s2, &res, NULL, NULL, NULL, &kcut);
    CHECK (st == AG_OK && res.stop == AG_STOP_CANCELLED && res.iters == 0 && ! kn.valid
           && memcmp (W1, W2, md * sizeof (double)) == 0, "cancelled before the first step");
    kernel_free (&kn); free_state (&s1); free_state (&s2);
  }
  /* Single precision: to float round-off. */
  {
    float *Xf = malloc (p.n * p.d * sizeof (float)), *yf = malloc (p.n * sizeof (float));
    float *af = malloc (p.m * sizeof (float)), *Wp = malloc (md * sizeof (float));
    float *Wk = malloc (md * sizeof (float)), *A = malloc (len * sizeof (float));
    float *Wa = malloc (md * sizeof (float));
    for (size_t i = 0; i < p.n * p.d; i++) Xf[i] = (float) p.X[i];
    for (size_t i = 0; i < p.n; i++) yf[i] = (float) p.y[i];
    for (size_t i = 0; i < p.m; i++) af[i] = (float) p.a[i];
    for (size_t i = 0; i < md; i++) Wp[i] = Wk[i] = (float) p.W[i];
    ag_optimizer o = optimizer ("adagrad-norm", 0.5);
    ag_kernel kn = { .A = A, .Wa = Wa };
    ag_state s1 = { .scalars = { 1.0 } }, s2 = { .scalars = { 1.0 } };
    ag_train_opts primal = { .optim = o, .maxiter = K }, kern = primal;
    kern.kernel = &kn;
    ag_sizes sz = ag_train_sizes (p.n, p.d, p.m, 1, &kern);
    void *work = malloc (ag_train_bytes (&sz, &four));
    ag_train_result res;
    ag_train_f (p.n, p.d, p.m, Xf, yf, af, Wp, &s1, &primal, work, &res, &four);
    ag_status st = ag_train_f (p.n, p.d, p.m, Xf, yf, af, Wk, &s2, &kern, work, &res, &four);
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < md; i++)
      {
        num += ((double) Wk[i] - Wp[i]) * ((double) Wk[i] - Wp[i]);
        den += (double) Wp[i] * Wp[i];
      }
    CHECK (st == AG_OK && sqrt (num / den) < 1e-5 && fabs (s1.scalars[0] - s2.scalars[0]) < 1e-5
           * s1.scalars[0], "single: kernel vs primal %.3g", sqrt (num / den));
    free (work); free (Xf); free (yf); free (af); free (Wp); free (Wk); free (A); free (Wa);
  }
  free (W1); free (W2); free (W3);
  free_problem (&p);
  train_done ();
}

/* SHA-256: the FIPS 180-4 test vectors, and any split of a message into
   update calls gives the digest of the whole. */
static void
test_sha256 (void)
{
  static const struct { const char *msg; const char *hex; } v[] = {
    { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
  };
  char hex[65];
  ag_sha256 s;
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    {
      ag_sha256_init (&s);
      ag_sha256_update (&s, v[i].msg, strlen (v[i].msg));
      ag_sha256_final (&s, hex);
      CHECK (strcmp (hex, v[i].hex) == 0, "sha256 of \"%s\": %s", v[i].msg, hex);
    }
  static char a[1000000];
  memset (a, 'a', sizeof a);
  ag_sha256_init (&s);
  ag_sha256_update (&s, a, sizeof a);
  ag_sha256_final (&s, hex);
  CHECK (strcmp (hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
         "sha256 of a million a: %s", hex);
  /* Pieces of 1, 2, ..., 130 bytes (every offset into a block), and empty
     updates with a NULL pointer between them. */
  char whole[65];
  ag_sha256_init (&s);
  ag_sha256_update (&s, a, 8515);
  ag_sha256_final (&s, whole);
  ag_sha256_init (&s);
  size_t at = 0;
  for (size_t len = 1; at < 8515; len = len % 130 + 1)
    {
      size_t take = at + len > 8515 ? 8515 - at : len;
      ag_sha256_update (&s, a + at, take);
      ag_sha256_update (&s, NULL, 0);
      at += take;
    }
  ag_sha256_final (&s, hex);
  CHECK (strcmp (hex, whole) == 0, "sha256 in pieces differs: %s vs %s", hex, whole);
}

int
main (int argc, char **argv)
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
  test_table ();
  test_losses ();
  test_external ();
  test_errors ();
  test_train ();
  test_train_stops ();
  test_step_pieces ();
  test_batch_rows ();
  test_minibatch ();
  test_kernel ();
  test_sha256 ();
  train_done ();
  printf ("%s: %d passed, %d failed\n", argc > 1 ? argv[1] : "core", passed, failed);
  return failed > 0;
}
