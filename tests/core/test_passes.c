/* test_passes.c: C tests of the passes: forward and gradient against hand computations and finite differences, single precision, threads. */
#include "common.h"

void
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

void
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

void
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

/* Single precision against double on the same numbers. */
void
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
void
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
