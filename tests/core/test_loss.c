/* test_loss.c: C tests of the loss table. */
#include "common.h"

/* The loss table, every entry: dL/du against central differences of L, the
   two precisions alike, resnorm finite and non-negative; ag_train takes its
   loss from the table (the default is NULL's, a loss not in the table is
   refused). */
void
test_losses (void)
{
  int nl = ag_loss_count ();
  CHECK (nl >= 1 && ag_loss_at (-1) == NULL && ag_loss_at (nl) == NULL
         && ag_loss_find (NULL) == NULL && ag_loss_find ("no such loss") == NULL
         && ag_loss_is_entry (ag_loss_default ()), "loss table");
  enum { N = 7, KM = 3 };
  double u[N * KM], y[N * KM], e[N * KM], e2[N * KM], up[N * KM];
  float yf[N * KM];
  for (int k = 0; k < nl; k++)
    {
      const ag_loss_info *L = ag_loss_at (k);
      CHECK (ag_loss_find (L->name) == L && L->value[0] && L->residual[0] && L->adaloss[0]
             && L->targets && (strcmp (L->targets, "real") == 0
                               || strcmp (L->targets, "sign") == 0
                               || strcmp (L->targets, "class") == 0)
             && (L->labels == (strcmp (L->targets, "class") == 0)) && L->kmin >= 1
             && (L->kmax == 0 || L->kmax >= L->kmin) && ag_loss_takes (L, L->kmin)
             && ! ag_loss_takes (L, L->kmin - 1)
             && L->eval && L->eval_f && L->resnorm, "%s: complete entry", L->name);
      for (int q = k + 1; q < nl; q++)
        CHECK (strcmp (L->name, ag_loss_at (q)->name) != 0, "%s twice", L->name);
      /* K = 3 outputs where the loss takes them, else its largest; labels
         1..K for a loss of labels, +-1 for signs, reals otherwise. */
      const size_t K = ag_loss_takes (L, KM) ? KM : L->kmax, ny = L->labels ? N : N * K;
      for (size_t i = 0; i < N * K; i++)
        u[i] = 0.3 * (double) (i % 11) - 0.8 + 0.05 * (double) (i / N);
      for (size_t i = 0; i < ny; i++)
        {
          y[i] = L->labels ? (double) (i % K + 1)
                 : strcmp (L->targets, "sign") == 0 ? (i % 3 ? 1.0 : -1.0)
                 : 0.5 - 0.2 * (double) (i * i) / N;
          yf[i] = (float) y[i];
          y[i] = (double) yf[i];
        }
      double v = L->eval (N, K, u, y, N, e), vf = L->eval_f (N, K, u, yf, N, e2);
      CHECK (v == vf && memcmp (e, e2, N * K * sizeof (double)) == 0,
             "%s: both precisions", L->name);
      double worst = 0.0;
      for (size_t i = 0; i < N * K; i++)
        {
          const double h = 1e-6;
          memcpy (up, u, sizeof up);
          up[i] = u[i] + h;
          double vp = L->eval (N, K, up, y, N, e2);
          up[i] = u[i] - h;
          double vm = L->eval (N, K, up, y, N, e2);
          worst = fmax (worst, fabs ((vp - vm) / (2 * h) - e[i]) / fmax (1.0, fabs (e[i])));
        }
      double r = L->resnorm (v);
      CHECK (worst < 1e-7 && isfinite (r) && r >= 0.0, "%s (K = %zu): dL/dU by differences %.2g",
             L->name, K, worst);
    }
  /* The logistic loss against its formula, stable far out on both sides. */
  const ag_loss_info *lg = ag_loss_find ("logistic");
  CHECK (lg && strcmp (lg->targets, "sign") == 0 && lg->kmax == 1, "logistic in the table");
  if (lg)
    {
      double uu[4] = { 0.5, -0.5, 1000.0, -1000.0 }, yy[4] = { 1, -1, -1, -1 }, ee[4];
      double v = lg->eval (4, 1, uu, yy, 4, ee);
      double want = 2 * log1p (exp (-0.5)) + 1000.0 + exp (-1000.0);
      CHECK (fabs (v - want) < 1e-12 * want && fabs (ee[0] + 1 / (1 + exp (0.5))) < 1e-15
             && fabs (ee[1] - 1 / (1 + exp (0.5))) < 1e-15 && ee[2] == 1.0 && ee[3] == 0.0
             && isfinite (v), "logistic: value %.17g, residuals %g %g %g %g", v, ee[0], ee[1],
             ee[2], ee[3]);
    }
  /* The softmax loss against its formula: rows with outputs far apart
     (1000: no overflow, the small side exact), labels outside 1..K NaN. */
  const ag_loss_info *sm = ag_loss_find ("softmax");
  CHECK (sm && sm->labels && sm->kmin == 2 && sm->kmax == 0, "softmax in the table");
  if (sm)
    {
      /* 2 rows, 3 outputs (column-major): row 1 (0, 1, 2) label 3; row 2
         (1000, -1000, 0) label 2. */
      double uu[6] = { 0, 1000, 1, -1000, 2, 0 }, yy[2] = { 3, 2 }, ee[6];
      double v = sm->eval (2, 3, uu, yy, 2, ee);
      double s1 = exp (-2.0) + exp (-1.0) + 1.0;
      double want = log (s1) + 2000.0;
      CHECK (fabs (v - want) < 1e-12 * want && fabs (ee[0] - exp (-2.0) / s1) < 1e-15
             && fabs (ee[4] - (1.0 / s1 - 1.0)) < 1e-15 && ee[1] == 1.0 && ee[3] == -1.0
             && ee[5] == exp (-1000.0), "softmax: value %.17g, residuals %g %g %g", v, ee[0],
             ee[4], ee[1]);
      double bad[2] = { 0, 2.5 };
      CHECK (isnan (sm->eval (2, 3, uu, bad, 2, ee)) && isnan (sm->eval (2, 3, uu, (double[]) { 4, 1 }, 2, ee)),
             "softmax: labels outside 1..K make the loss NaN");
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
  /* Accuracy: NaN for real targets; with targets +1/-1 (and the logistic
     loss) the fraction of rows sign (u) classifies right at every iterate of
     a full-batch run, the last one against ag_forward of the W returned. */
  int nan_real = 1;
  train (&p, &(ag_train_opts) { .optim = o, .maxiter = 5 }, W1, &s1, &res, NULL, NULL, NULL,
         NULL);
  for (int k = 0; k <= 5; k++)
    nan_real &= isnan (res.accuracy[k]) && isnan (res.vaccuracy[k]);
  CHECK (nan_real, "accuracy NaN for real targets");
  for (size_t i = 0; i < p.n; i++)
    p.y[i] = p.y[i] > 0 ? 1.0 : -1.0;
  memcpy (W2, p.W, md * sizeof (double));
  ag_state s3 = new_state (&o, p.m, p.d);
  ag_train_opts lo = { .optim = o, .maxiter = 5, .loss = ag_loss_find ("logistic") };
  CHECK (train (&p, &lo, W2, &s3, &res, NULL, NULL, NULL, NULL) == AG_OK, "logistic run");
  double *uf = malloc (p.n * sizeof (double));
  ag_forward (p.n, p.d, p.m, p.X, W2, p.a, uf, p.work, NULL);
  size_t right = 0;
  for (size_t i = 0; i < p.n; i++)
    right += (uf[i] >= 0) == (p.y[i] > 0);
  int inrange = 1;
  for (int k = 0; k <= 5; k++)
    inrange &= res.accuracy[k] >= 0 && res.accuracy[k] <= 1 && isnan (res.vaccuracy[k]);
  CHECK (inrange && res.accuracy[5] == (double) right / (double) p.n,
         "accuracy at the last iterate %g against %zu of %zu", res.accuracy[5], right, p.n);
  free (uf);
  free_state (&s3);
  free_state (&s1); free_state (&s2);
  free (W1); free (W2);
  free_problem (&p);
}
