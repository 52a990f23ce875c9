/* test_run.c: C tests of the run (ag_train): diagnostics, the external rule, stops, monitors, cancellation. */
#include "common.h"

/* Diagnostics recorded by ag_train against a direct computation. */
void
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
  ag_train_opts opt = { .optim = o, .maxiter = K, .diagnostics = 5, .iter = 3, .W0 = p.W };
  ag_sizes sz = { .n = p.n, .d = p.d, .m = p.m, .rule = o.rule, .iters = K, .diagnostics = 5 };
  void *work = malloc (ag_train_bytes (&sz, NULL));
  ag_train_result res;
  CHECK (ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &st, &opt, work, &res, NULL) == AG_OK,
         "train with diagnostics");
  /* iter = 3: records at global iterates 5, 10 and 15 (local 2, 7 and the last, 12). */
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
  opt.diagnostics = -1;
  CHECK (ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &st, &opt, work, &res, NULL) == AG_EARG,
         "diag every < 0");
  opt.diagnostics = 1;
  opt.W0 = NULL;
  CHECK (ag_train (p.n, p.d, p.m, p.X, p.y, p.a, W, &st, &opt, work, &res, NULL) == AG_ENULL,
         "diagnostics without W0");
  free (W); free (W7); free (work);
  free_state (&st); free_state (&st7);
  free_problem (&p);
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
void
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
        opt.batch = (ag_batching) { .sampling = AG_SHUFFLE, .batchsize = 13, .batchseed = 5,
                                    .evalevery = 1, .target = -1 };
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
      s->step = it->rec->rate[it->k - 1];
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
void
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
      double *Wprev = malloc (md * sizeof (double));
      int same = 1, mono = 1, steps = 1;
      for (int k = 0; k < K; k++)
        {
          /* Schedule-free: the gradient and the loss at y (the state's
             array), the effective step measured on y, as in ag_train. */
          const int e = rule->eval_array;
          double *Wg = e >= 0 && k > 0 ? (double *) st2.arrays[e] : p.W;
          ag_gradient (p.n, p.d, p.m, p.X, p.y, Wg, p.a, p.G, p.u, &l, p.work, NULL);
          memcpy (Wprev, Wg, md * sizeof (double));
          ag_step (&o, p.m, p.d, p.W, p.G, sqrt (2 * l), p.n, &st2, rec, work, NULL);
          const double *Wn = e >= 0 ? (const double *) st2.arrays[e] : p.W;
          same &= l == loss[k] && (rec[1] == stp[k] || (isnan (rec[1]) && isnan (stp[k])));
          /* The effective step ||W(k+1) - W(k)|| / ||G||: the same bits as
             the hand loop's; for the rules along G, the rule's rate to 1e-13
             (plus the round-off of W's entries, for the tiny first steps of
             DoG and D-Adaptation). */
          double s = ag_diff_norm (p.m, p.d, Wn, Wprev, NULL) / rec[3];
          double wn = 0.0;
          for (size_t i = 0; i < md; i++)
            wn = fmax (wn, fabs (Wprev[i]));
          steps &= s == res.step[k];
          if (rule->along_gradient)
            steps &= fabs (s - stp[k]) <= 1e-13 * stp[k] + 1e-15 * wn * sqrt ((double) md) / rec[3];
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
      CHECK (steps, "%s: the effective step is ||W(k+1) - W(k)|| / ||G(k)||", rule->name);
      CHECK (loss[K] < loss[0], "%s: loss decreased %g -> %g", rule->name, loss[0], loss[K]);
      free (W1); free (work); free (Wprev);
      free_state (&st1); free_state (&st2);
      free_problem (&p);
    }
}

void
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
