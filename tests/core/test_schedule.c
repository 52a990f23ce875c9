/* test_schedule.c: C tests of the batch schedule and mini-batch runs. */
#include "common.h"

/* The schedule: shuffle gives a permutation per epoch (short last batch),
   new each epoch, the same from the same seed; replace draws rows below n. */
void
test_batch_rows (void)
{
  enum { N = 10 };
  uint32_t perm[N], rows[4], seen_rows[N], again[N];
  uint64_t pe = UINT64_MAX, pe2 = UINT64_MAX;
  ag_batching b = { .sampling = AG_SHUFFLE, .batchsize = 3, .batchseed = 7 };
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
  b8.batchseed = 8;
  pe2 = UINT64_MAX;
  ag_batch_rows (&b8, N, 0, 0, perm, &pe2, r2);
  CHECK (memcmp (r2, seen_rows, 3 * sizeof (uint32_t)) != 0, "shuffle: seed 8 = seed 7");
  ag_batching br = { .sampling = AG_REPLACE, .batchsize = 4, .batchseed = 7 };
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
void
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
                             .batch = { .sampling = AG_GIVEN, .batchsize = n, .given = given,
                                        .evalevery = 1 } };
      ag_train_result res;
      train (&p, &full, W1, &s1, &res, l1, NULL, NULL, NULL);
      train (&p, &perm, W2, &s2, &res, l2, NULL, NULL, NULL);
      /* (Schedule-free records the loss at y in full batch, at x, its
         evaluation point, with batches: only W compares.) */
      double dw = rel_diff (W2, W1, md), dl = rel_diff (l2, l1, K + 1);
      if (o.rule->eval_array >= 0)
        dl = 0.0;
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
                          .batch = { .sampling = AG_GIVEN, .batchsize = NB, .given = rowsB } };
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
    opt.batch.batchsize = 6;
    memcpy (W2, p.W, md * sizeof (double));
    train (&p, &opt, W2, &st2, &res, NULL, NULL, NULL, NULL);
    CHECK (memcmp (W1, W2, md * sizeof (double)) == 0 && res.seen == NB,
           "a row padded with zeros is the shorter batch");
    const uint32_t bad[3][3] = { { 0, 1, 2 }, { 1, 0, 2 }, { 1, 71, 0 } };
    for (int i = 0; i < 3; i++)
      {
        opt.batch.given = bad[i];
        opt.batch.batchsize = 3;
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
    ag_train_opts opt = { .optim = o, .maxiter = K2, .diagnostics = 4, .W0 = p.W,
                          .batch = { .sampling = AG_SHUFFLE, .batchsize = 16, .batchseed = 3,
                                     .evalevery = 3, .target = K2,
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
    half.iter = 10;
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
