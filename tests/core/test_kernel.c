/* test_kernel.c: C tests of the kernel form. */
#include "common.h"

/* The kernel form (ag_kernel): the primal trajectory of every linear rule to
   round-off, full batch and mini-batches; bitwise the same over 1 and 4
   threads and when cut into calls (re-forming between); a state of other
   data or other weights not used; the errors. */
void
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
      double sp[K], sa[K];
      train (&p, &primal, W1, &s1, &res, l1, NULL, NULL, NULL);
      memcpy (sp, res.step, sizeof sp);
      ag_status st = train (&p, &kern, W2, &s2, &res, l2, NULL, NULL, &four);
      double dw = rel_diff (W2, W1, md), dl = rel_diff (l2, l1, K + 1);
      /* The effective step ||W(k+1) - W(k)|| / ||G|| from the kernel state
         (never forming W): the primal's to round-off of the iterates. */
      CHECK (st == AG_OK && rel_diff (res.step, sp, K) < 1e-9,
             "%s: kernel vs primal effective step: %.3g", rule->name, rel_diff (res.step, sp, K));
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
      memcpy (sa, res.step, sizeof sa);
      /* Re-formed every 10 steps (the state array's anchor then non-zero:
         the terms of ||dW|| through X*Sa'). */
      CHECK (rel_diff (sa, sp, K) < 1e-9, "%s: effective step with re-forming: %.3g",
             rule->name, rel_diff (sa, sp, K));
      ag_train_opts b = { .optim = o, .maxiter = 13, .kernel = &k2 };
      train (&p, &b, W3, &s3, &res, NULL, NULL, NULL, &one);
      int fresh1 = k2.fresh;
      b.maxiter = 27;
      b.iter = 13;
      memcpy (&b.optim, &o, sizeof o);
      st = train (&p, &b, W3, &s3, &res, l2 + 13, NULL, NULL, &one);
      int same = memcmp (W1, W3, md * sizeof (double)) == 0
                 && memcmp (l1 + 13, l2 + 13, 28 * sizeof (double)) == 0
                 && memcmp (sa + 13, res.step, 27 * sizeof (double)) == 0
                 && memcmp (s4.scalars, s3.scalars, sizeof s3.scalars) == 0
                 && memcmp (k1.A, k2.A, len * sizeof (double)) == 0;
      for (int i = 0; i < rule->narrays; i++)
        same = same && memcmp (s4.arrays[i], s3.arrays[i], md * sizeof (double)) == 0;
      CHECK (st == AG_OK && same && fresh1 && ! k2.fresh,
             "%s: calls of 13 + 27 steps on 1 thread vs one of 40 on 4", rule->name);
      /* whash is ag_weights_hash of the W and state formed; a trusted state
         (a run's later call) goes on without comparing or computing it, and
         K is formed once: its hash stays that of the data. */
      CHECK (ag_weights_hash (md, W3, rule->narrays, (const void *const *) s3.arrays, 0)
             == k2.whash && k2.Khash != 0, "%s: ag_weights_hash, K kept", rule->name);
      uint64_t kh = k2.Khash;
      k2.trusted = 1;
      k2.whash = 0;
      b.maxiter = 2;
      b.iter = 40;
      train (&p, &b, W3, &s3, &res, NULL, NULL, NULL, &one);
      CHECK (! k2.fresh && k2.whash == 0 && k2.Khash == kh && res.iters == 2,
             "%s: a trusted state goes on", rule->name);
      k2.trusted = 0;
      k2.whash = ag_weights_hash (md, W3, rule->narrays, (const void *const *) s3.arrays, 0);
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
    ag_batching bt = { .sampling = AG_REPLACE, .batchsize = 9, .batchseed = 4, .evalevery = 5,
                       .target = K, .nv = 10, .Xv = p.X, .yv = p.y };
    ag_train_opts primal = { .optim = o, .maxiter = K, .batch = bt, .diagnostics = 6,
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
    /* K kept from the call before: the state given goes on, unchanged. */
    CHECK (st == AG_OK && res.stop == AG_STOP_CANCELLED && res.iters == 0 && kn.valid
           && memcmp (W1, W2, md * sizeof (double)) == 0, "cancelled before the first step");
    /* K to form again (a new data set): cut while forming it, no state. */
    kn.Khash = 0;
    st = train (&p, &kern, W2, &s2, &res, NULL, NULL, NULL, &kcut);
    CHECK (st == AG_OK && res.stop == AG_STOP_CANCELLED && res.iters == 0 && ! kn.valid
           && kn.Khash == 0 && memcmp (W1, W2, md * sizeof (double)) == 0,
           "cancelled while forming K");
    kernel_free (&kn); free_state (&s1); free_state (&s2);
  }
  /* Single precision: to float round-off. */
  {
    float *Xf = malloc (p.n * p.d * sizeof (float)), *yf = malloc (p.n * sizeof (float));
    float *af = malloc (p.m * sizeof (float)), *Wp = malloc (md * sizeof (float));
    float *Wk = malloc (md * sizeof (float)), *A = malloc (len * sizeof (float));
    float *Wa = malloc (md * sizeof (float)), *Kb = malloc (p.n * p.n * sizeof (float));
    for (size_t i = 0; i < p.n * p.d; i++) Xf[i] = (float) p.X[i];
    for (size_t i = 0; i < p.n; i++) yf[i] = (float) p.y[i];
    for (size_t i = 0; i < p.m; i++) af[i] = (float) p.a[i];
    for (size_t i = 0; i < md; i++) Wp[i] = Wk[i] = (float) p.W[i];
    ag_optimizer o = optimizer ("adagrad-norm", 0.5);
    ag_kernel kn = { .A = A, .Wa = Wa, .K = Kb };
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
    free (work); free (Xf); free (yf); free (af); free (Wp); free (Wk); free (A); free (Wa); free (Kb);
  }
  free (W1); free (W2); free (W3);
  free_problem (&p);
  train_done ();
}
