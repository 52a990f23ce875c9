/* test_rules.c: C tests of the rule table and every step function. */
#include "common.h"

/* Every rule's step goes over the entries in pieces of AG_CHECK_ENTRIES
   (tests/check.sh also builds these tests with pieces of 64 entries), with a
   look at io->cancel before each: a raised flag stops it with AG_ECANCELLED
   before it writes an entry of W or of the state; down, the same numbers as
   without a flag, for a count that spans several pieces. */
void
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
      /* The rule's initial scalars (a first step), b = 1 for the rules with b. */
      double sc[AG_MAX_SCALARS] = { 0 }, sc0[AG_MAX_SCALARS] = { 0 }, fill[AG_MAX_ARRAYS];
      rule->init (o.par, sc0, fill);
      if (rule->b_scalar >= 0)
        sc0[rule->b_scalar] = 1.0;
      memcpy (sc, sc0, sizeof sc);
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
      memcpy (sc, sc0, sizeof sc);
      st = rule->step (&io);
      memcpy (ref, out, count * sizeof (double));
      double step1 = io.step[1];
      io.cancel = NULL;
      memcpy (sc, sc0, sizeof sc);
      ag_status st2 = rule->step (&io);
      /* COCOB has no scalar step (NaN). */
      int cocob = strcmp (rule->name, "cocob") == 0;
      CHECK (st == AG_OK && st2 == AG_OK && memcmp (ref, out, count * sizeof (double)) == 0
             && (step1 == io.step[1] || (cocob && isnan (step1) && isnan (io.step[1])))
             && (isfinite (step1) || cocob),
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

/* Each rule's step against a hand computation. */
void
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

/* The table: names unique, defaults in their ranges, states initialized. */
void
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
          const ag_param_info *pi = &rule->params[i];
          o.par[i] = NAN;
          CHECK (ag_optimizer_check (&o) == (pi->special == AG_PARAM_AUTO ? AG_OK
                                                                          : AG_ENONFINITE),
                 "%s: NaN %s", rule->name, pi->name);
          o.par[i] = INFINITY;
          CHECK (ag_optimizer_check (&o) == (pi->special == AG_PARAM_INF ? AG_OK : AG_ENONFINITE),
                 "%s: Inf %s", rule->name, pi->name);
          o.par[i] = pi->lo - 1.0;
          if (isfinite (pi->lo))
            CHECK (ag_optimizer_check (&o) == AG_EARG, "%s: %s below its range", rule->name,
                   pi->name);
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
         && strcmp (ag_stop_name (AG_STOP_GTOL), "gtol") == 0
         && strcmp (ag_stop_name (AG_STOP_ZEROGRAD), "zerogradient") == 0
         && strcmp (ag_stop_name (AG_STOP_UNDEFINED), "undefined") == 0
         && ag_stop_name (8) == NULL
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
