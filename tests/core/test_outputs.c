/* test_outputs.c: C tests of K outputs (A m-by-K): the forward pass against
   a plain loop, G against central differences for every loss that takes K
   outputs, K = 1 bitwise equal to the one-output calls, threads bitwise,
   and a run of ag_train (full batch and mini-batches) against the passes. */
#include "common.h"

/* U = (1/sqrt(m)) relu(X W') A by plain loops (n-by-K). */
static void
plain_forward (size_t n, size_t d, size_t m, size_t K, const double *X, const double *W,
               const double *A, double *U)
{
  memset (U, 0, n * K * sizeof (double));
  for (size_t r = 0; r < m; r++)
    for (size_t i = 0; i < n; i++)
      {
        double z = 0.0;
        for (size_t c = 0; c < d; c++)
          z += X[i + c * n] * W[r + c * m];
        if (z > 0)
          for (size_t k = 0; k < K; k++)
            U[i + k * n] += z * A[r + k * m] / sqrt ((double) m);
      }
}

void
test_outputs (void)
{
  const size_t n = 70, d = 5, m = 150, K = 3;
  problem p = make_problem (n, d, m);
  double *A = malloc (m * K * sizeof (double)), *U = malloc (n * K * sizeof (double));
  double *U2 = malloc (n * K * sizeof (double)), *Y = malloc (n * K * sizeof (double));
  double *lab = malloc (n * sizeof (double)), *G = malloc (m * d * sizeof (double));
  double *G2 = malloc (m * d * sizeof (double)), *Wp = malloc (m * d * sizeof (double));
  ag_sizes sz = { .n = n, .d = d, .m = m, .outputs = K };
  void *work = malloc (ag_forward_bytes (&sz, &four));
  for (size_t j = 0; j < m * K; j++)
    A[j] = urand () < 0 ? -1.0 : 1.0;
  for (size_t i = 0; i < n * K; i++)
    Y[i] = nrand ();
  for (size_t i = 0; i < n; i++)
    lab[i] = (double) (i % K + 1);

  CHECK (ag_forward_k (n, d, m, K, p.X, p.W, A, U, work, NULL) == AG_OK, "forward K = 3");
  plain_forward (n, d, m, K, p.X, p.W, A, U2);
  CHECK (rel_diff (U, U2, n * K) < 1e-13, "forward K = 3 against loops: %.2g",
         rel_diff (U, U2, n * K));
  /* K = 1: the one-output calls, bitwise. */
  ag_forward (n, d, m, p.X, p.W, p.a, p.u, p.work, NULL);
  ag_forward_k (n, d, m, 1, p.X, p.W, p.a, U2, work, NULL);
  CHECK (memcmp (p.u, U2, n * sizeof (double)) == 0, "K = 1 is ag_forward, bitwise");
  /* Threads: 1 and 4 bitwise, forward and gradient. */
  ag_forward_k (n, d, m, K, p.X, p.W, A, U2, work, &four);
  double l1 = 0, l4 = 0;
  const ag_loss_info *sq = ag_loss_find ("squared"), *sm = ag_loss_find ("softmax");
  ag_gradient_loss (sm, n, d, m, K, p.X, lab, p.W, A, G, NULL, &l1, work, NULL);
  ag_gradient_loss (sm, n, d, m, K, p.X, lab, p.W, A, G2, NULL, &l4, work, &four);
  CHECK (memcmp (U, U2, n * K * sizeof (double)) == 0 && l1 == l4
         && memcmp (G, G2, m * d * sizeof (double)) == 0, "K = 3: 1 and 4 threads bitwise");
  /* Errors: a loss that does not take K outputs; NaN in A; K = 0. */
  CHECK (ag_gradient_loss (ag_loss_find ("logistic"), n, d, m, K, p.X, lab, p.W, A, G, NULL,
                           &l1, work, NULL) == AG_EARG
         && ag_gradient_loss (sm, n, d, m, 1, p.X, lab, p.W, A, G, NULL, &l1, work, NULL)
            == AG_EARG
         && ag_forward_k (n, d, m, 0, p.X, p.W, A, U, work, NULL) == AG_ESIZE,
         "K outside a loss's range, K = 0");
  A[7] = NAN;
  CHECK (ag_forward_k (n, d, m, K, p.X, p.W, A, U, work, NULL) == AG_ENONFINITE, "NaN in A");
  A[7] = 1.0;

  /* G against central differences of L, squared (Y n-by-K) and softmax. */
  for (int which = 0; which < 2; which++)
    {
      const ag_loss_info *lf = which ? sm : sq;
      const double *t = which ? lab : Y;
      double L0;
      ag_gradient_loss (lf, n, d, m, K, p.X, t, p.W, A, G, U, &L0, work, NULL);
      double worst = 0.0, big = 0.0, e[n * K];
      for (size_t j = 0; j < m * d; j += 7)
        {
          const double h = 1e-6;
          memcpy (Wp, p.W, m * d * sizeof (double));
          Wp[j] = p.W[j] + h;
          ag_forward_k (n, d, m, K, p.X, Wp, A, U2, work, NULL);
          double lp = lf->eval (n, K, U2, t, n, e);
          Wp[j] = p.W[j] - h;
          ag_forward_k (n, d, m, K, p.X, Wp, A, U2, work, NULL);
          double lm = lf->eval (n, K, U2, t, n, e);
          worst = fmax (worst, fabs ((lp - lm) / (2 * h) - G[j]));
          big = fmax (big, fabs (G[j]));
        }
      CHECK (worst < 1e-6 * big, "%s, K = 3: G by differences %.2g of %.2g", lf->name, worst,
             big);
    }

  /* ag_train with K = 3: full batch, its last loss that of the W returned;
     mini-batches, the loss going down; the accuracy by argmax. */
  ag_optimizer o = optimizer ("adaloss", 1.0);
  for (int mini = 0; mini < 2; mini++)
    {
      ag_state s = new_state (&o, m, d);
      ag_train_opts opt = { .optim = o, .maxiter = 30, .loss = sm, .outputs = K };
      if (mini)
        opt.batch = (ag_batching) { .sampling = AG_SHUFFLE, .batchsize = 16, .evalevery = 5 };
      ag_sizes ts = ag_train_sizes (n, d, m, 0, &opt);
      void *tw = malloc (ag_train_bytes (&ts, &four) + 8);
      memcpy (Wp, p.W, m * d * sizeof (double));
      ag_train_result res;
      ag_status st = ag_train (n, d, m, p.X, lab, A, Wp, &s, &opt, tw, &res, &four);
      double Lw;
      ag_gradient_loss (sm, n, d, m, K, p.X, lab, Wp, A, G, U, &Lw, work, NULL);
      size_t right = 0;
      for (size_t i = 0; i < n; i++)
        {
          size_t best = 0;
          for (size_t k = 1; k < K; k++)
            best = U[i + k * n] > U[i + best * n] ? k : best;
          right += best + 1 == (size_t) lab[i];
        }
      CHECK (st == AG_OK && res.iters == 30 && res.loss[30] == Lw && res.loss[30] < res.loss[0]
             && res.accuracy[30] == (double) right / (double) n,
             "softmax K = 3 run (%s): loss %g -> %g (W's %g), accuracy %g (%zu of %zu)",
             mini ? "mini-batches" : "full batch", res.loss[0], res.loss[30], Lw,
             res.accuracy[30], right, n);
      free (tw);
      free_state (&s);
    }
  /* The kernel form with K = 3 (A in its C): the primal run of every
     linear rule, the squared loss on Y and softmax on labels, full batch
     (re-formed every 7 steps) and mini-batches, to round-off; bitwise the
     same on 1 and 4 threads. */
  double *Wk = malloc (m * d * sizeof (double)), *Wk1 = malloc (m * d * sizeof (double));
  for (int r = 0; r < ag_rule_count (); r++)
    {
      const ag_rule_info *rule = ag_rule_at (r);
      if (! rule->linear)
        continue;
      ag_optimizer ok = optimizer (rule->name, 0.05);
      for (int t = 0; t < 4; t++)
        {
          const int soft = t & 1, mini = t >> 1;
          const ag_loss_info *lf = soft ? sm : sq;
          const double *tg = soft ? lab : Y;
          ag_state s1 = new_state (&ok, m, d), s2 = new_state (&ok, m, d),
                   s3 = new_state (&ok, m, d);
          ag_kernel k2 = kernel_new (&p, &ok, mini ? 0 : 7), k3 = kernel_new (&p, &ok, mini ? 0 : 7);
          ag_train_opts opt = { .optim = ok, .maxiter = 30, .loss = lf, .outputs = K };
          if (mini)
            opt.batch = (ag_batching) { .sampling = AG_SHUFFLE, .batchsize = 16, .evalevery = 5 };
          ag_sizes ts = ag_train_sizes (n, d, m, 0, &opt);
          void *tw = malloc (ag_train_bytes (&ts, &four) + 8);
          memcpy (Wp, p.W, m * d * sizeof (double));
          ag_train_result r1, r2, r3;
          ag_status st1 = ag_train (n, d, m, p.X, tg, A, Wp, &s1, &opt, tw, &r1, &four);
          double l1[31], st1v[30];
          memcpy (l1, r1.loss, sizeof l1);
          memcpy (st1v, r1.step, sizeof st1v);
          opt.kernel = &k2;
          ts = ag_train_sizes (n, d, m, 0, &opt);
          void *kw = malloc (ag_train_bytes (&ts, &four) + 8);
          memcpy (Wk, p.W, m * d * sizeof (double));
          ag_status st2 = ag_train (n, d, m, p.X, tg, A, Wk, &s2, &opt, kw, &r2, &four);
          double l2[31];
          memcpy (l2, r2.loss, sizeof l2);
          double dstep = rel_diff (r2.step + 1, st1v + 1, 29);
          opt.kernel = &k3;
          memcpy (Wk1, p.W, m * d * sizeof (double));
          ag_status st3 = ag_train (n, d, m, p.X, tg, A, Wk1, &s3, &opt, kw, &r3, NULL);
          double dw = rel_diff (Wk, Wp, m * d), dl = rel_diff (l2, l1, 31);
          CHECK (st1 == AG_OK && st2 == AG_OK && st3 == AG_OK && dw < 1e-10 && dl < 1e-10
                 && dstep < 1e-9 && memcmp (Wk, Wk1, m * d * sizeof (double)) == 0
                 && l1[30] < l1[0],
                 "%s, %s, %s, K = 3: kernel vs primal %.3g (W), %.3g (loss), %.3g (step); 1 vs 4 threads %s",
                 rule->name, lf->name, mini ? "mini-batches" : "full batch (re-formed)", dw, dl,
                 dstep, memcmp (Wk, Wk1, m * d * sizeof (double)) ? "differ" : "same");
          free (tw); free (kw);
          kernel_free (&k2); kernel_free (&k3);
          free_state (&s1); free_state (&s2); free_state (&s3);
        }
    }
  free (Wk); free (Wk1);
  free (A); free (U); free (U2); free (Y); free (lab); free (G); free (G2); free (Wp);
  free (work);
  free_problem (&p);
}
