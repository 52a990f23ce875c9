/* ag_calls.h: the public building blocks (ag_forward, ag_gradient,
   ag_gradient_norm, ag_step) and the checks of their arguments.
   A typed file: included by ag_typed.c once per precision with REAL,
   SFX(name), GEMM, PACK_SIGNS and UNPACK_SCALED defined. Every parallel loop
   writes each output from one thread, in a fixed order, so the results do
   not depend on the number of threads. */

/* The arrays present and their sizes within the core's limits. */
static ag_status
SFX (check_shapes) (size_t n, size_t d, size_t m, size_t K, const REAL *X, const REAL *W,
                    const REAL *a, void *work, const ag_exec *exec)
{
  if (! X || ! W || ! a || ! work)
    return AG_ENULL;
  if (agi_check_sizes (n, d, m) != AG_OK
      || agi_forward_units (n, d, m, K, agi_thread_count (exec)) == 0 || m > SIZE_MAX / K)
    return AG_ESIZE;
  return AG_OK;
}

/* The arrays of K outputs (A: m-by-K) present, in size and finite. */
static ag_status
SFX (check_model) (size_t n, size_t d, size_t m, size_t K, const REAL *X, const REAL *W,
                   const REAL *a, void *work, const ag_exec *exec)
{
  ag_status st = SFX (check_shapes) (n, d, m, K, X, W, a, work, exec);
  if (st == AG_OK && (! SFX (all_finite) (X, n * d) || ! SFX (all_finite) (W, m * d)
                      || ! SFX (all_finite) (a, m * K)))
    st = AG_ENONFINITE;
  return st;
}

/* check_model, the loss LF taking K outputs, targets y (finite: n-by-K, or
   n labels) and a place for the loss. */
static ag_status
SFX (check_data) (const ag_loss_info *lf, size_t n, size_t d, size_t m, size_t K,
                  const REAL *X, const REAL *y, const REAL *W, const REAL *a,
                  const double *loss, void *work, const ag_exec *exec)
{
  if (! y || ! loss)
    return AG_ENULL;
  if (! ag_loss_takes (lf, K))
    return AG_EARG;
  ag_status st = SFX (check_model) (n, d, m, K, X, W, a, work, exec);
  if (st != AG_OK)
    return st;
  return SFX (all_finite) (y, lf->labels ? n : n * K) ? AG_OK : AG_ENONFINITE;
}

/* The optimizer and a state that fits it: every array present and finite,
   every scalar finite and in range. */
static ag_status
SFX (check_state) (const ag_optimizer *opt, size_t count, const ag_state *state)
{
  ag_status st = ag_optimizer_check (opt);
  if (st != AG_OK)
    return st;
  if (! state)
    return AG_ENULL;
  for (int i = 0; i < opt->rule->narrays; i++)
    if (! state->arrays[i])
      return AG_ENULL;
  for (int i = 0; i < opt->rule->narrays; i++)
    if (! SFX (all_finite) ((const REAL *) state->arrays[i], count))
      return AG_ENONFINITE;
  for (int i = 0; i < opt->rule->nscalars; i++)
    if (! isfinite (state->scalars[i]))
      return AG_ENONFINITE;
  /* Every scalar of the state (b, a step count, a sum of squares) is
     non-negative but those the rule marks signed; b positive. */
  for (int i = 0; i < opt->rule->nscalars; i++)
    if ((state->scalars[i] < 0.0 && ! (opt->rule->signed_scalars & (1u << i)))
        || (i == opt->rule->b_scalar && state->scalars[i] == 0.0))
      return AG_EARG;
  return AG_OK;
}

ag_status
SFX (ag_forward) (size_t n, size_t d, size_t m, const REAL *X, const REAL *W,
                  const REAL *a, REAL *u, void *work, const ag_exec *exec)
{
  return SFX (ag_forward_k) (n, d, m, 1, X, W, a, u, work, exec);
}

ag_status
SFX (ag_forward_k) (size_t n, size_t d, size_t m, size_t K, const REAL *X, const REAL *W,
                    const REAL *a, REAL *u, void *work, const ag_exec *exec)
{
  if (! u)
    return AG_ENULL;
  ag_status st = SFX (check_model) (n, d, m, K, X, W, a, work, exec);
  if (st != AG_OK)
    return st;
  workspace ws;
  agi_split_workspace (work, n, d, m, K, agi_thread_count (exec), &ws);
  int blas = agi_blas_threads_enter ();
  int cut = SFX (forward_pass) (n, n, d, m, X, W, a, &ws, exec_cancel (exec));
  agi_blas_threads_leave (blas);
  if (cut)
    return AG_ECANCELLED;
  for (size_t i = 0; i < n * K; i++)
    u[i] = (REAL) ws.acc[i];
  return AG_OK;
}

/* The loss and G at W through the workspace ws, with single-threaded BLAS;
   AG_ECANCELLED when exec's flag is raised on the way. */
static ag_status
SFX (loss_and_gradient) (const ag_loss_info *lf, size_t n, size_t d, size_t m, const REAL *X,
                         const REAL *y, const REAL *W, const REAL *a, REAL *G, double *loss,
                         const workspace *ws, const ag_exec *exec)
{
  int blas = agi_blas_threads_enter ();
  const volatile sig_atomic_t *cancel = exec_cancel (exec);
  int cut = SFX (forward_pass) (n, n, d, m, X, W, a, ws, cancel);
  *loss = SFX (residual) (lf, n, y, n, ws, 1.0);
  cut = cut || SFX (gradient_pass) (n, n, d, m, X, a, G, 0, ws, cancel);
  agi_blas_threads_leave (blas);
  return cut ? AG_ECANCELLED : AG_OK;
}

ag_status
SFX (ag_gradient) (size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
                   const REAL *W, const REAL *a, REAL *G, REAL *u, double *loss,
                   void *work, const ag_exec *exec)
{
  return SFX (ag_gradient_loss) (NULL, n, d, m, 1, X, y, W, a, G, u, loss, work, exec);
}

ag_status
SFX (ag_gradient_loss) (const ag_loss_info *lf, size_t n, size_t d, size_t m, size_t K,
                        const REAL *X, const REAL *y, const REAL *W, const REAL *a, REAL *G,
                        REAL *u, double *loss, void *work, const ag_exec *exec)
{
  if (! G)
    return AG_ENULL;
  if (lf && ! ag_loss_is_entry (lf))
    return AG_EARG;
  lf = lf ? lf : ag_loss_default ();
  ag_status st = SFX (check_data) (lf, n, d, m, K, X, y, W, a, loss, work, exec);
  if (st != AG_OK)
    return st;
  workspace ws;
  agi_split_workspace (work, n, d, m, K, agi_thread_count (exec), &ws);
  st = SFX (loss_and_gradient) (lf, n, d, m, X, y, W, a, G, loss, &ws, exec);
  if (st != AG_OK)
    return st;
  if (u)
    for (size_t i = 0; i < n * K; i++)
      u[i] = (REAL) ws.acc[i];
  return AG_OK;
}

ag_status
SFX (ag_gradient_norm) (size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
                        const REAL *W, const REAL *a, double *gnorm, double *loss,
                        void *work, const ag_exec *exec)
{
  return SFX (ag_gradient_norm_loss) (NULL, n, d, m, 1, X, y, W, a, gnorm, loss, work, exec);
}

ag_status
SFX (ag_gradient_norm_loss) (const ag_loss_info *lf, size_t n, size_t d, size_t m, size_t K,
                             const REAL *X, const REAL *y, const REAL *W, const REAL *a,
                             double *gnorm, double *loss, void *work, const ag_exec *exec)
{
  if (! gnorm)
    return AG_ENULL;
  if (lf && ! ag_loss_is_entry (lf))
    return AG_EARG;
  lf = lf ? lf : ag_loss_default ();
  ag_status st = SFX (check_data) (lf, n, d, m, K, X, y, W, a, loss, work, exec);
  if (st != AG_OK)
    return st;
  const int nt = agi_thread_count (exec);
  /* The forward space, then G on a 64-byte line. */
  double *base = align64 (work);
  workspace ws;
  agi_split_workspace (base, n, d, m, K, nt, &ws);
  REAL *G = (REAL *) (void *) (base + (agi_forward_units (n, d, m, K, nt) + 7) / 8 * 8);
  /* In pieces of at most AG_EVAL_ROWS rows, G summed over them in row order
     (the evaluation points' pass): above that many rows the products of one
     piece are far faster than those of all rows at once (Fashion-MNIST,
     n = 60000: 3x); up to it, one piece, the bits of one pass. */
  int blas = agi_blas_threads_enter (), cut = 0;
  const volatile sig_atomic_t *cancel = exec_cancel (exec);
  *loss = SFX (eval_pass) (lf, n, d, m, K, X, y, W, NULL, a, base,
                           agi_eval_rows (n), nt, NULL, 0, NULL, NULL, G, cancel, &cut);
  agi_blas_threads_leave (blas);
  if (cut)
    return AG_ECANCELLED;
  double g2;
  *gnorm = SFX (frob) (m, d, G, nt, cancel, &g2);
  return ag_cancelled (cancel) ? AG_ECANCELLED : AG_OK;
}

double
SFX (ag_diff_norm) (size_t m, size_t d, const REAL *A, const REAL *B, const ag_exec *exec)
{
  if (! A || ! B)
    return NAN;
  return sqrt (SFX (frob2_diff4) (m, d, A, B, agi_thread_count (exec)));
}

/* Before a state's first step (its counter 0): the arrays that start at W
   (x0, schedule-free's z and y) set to W. */
static void
SFX (state_start) (const ag_rule_info *rule, const REAL *W, size_t count, ag_state *state)
{
  if (rule->counter < 0 || state->scalars[rule->counter] != 0.0)
    return;
  for (int i = 0; i < rule->narrays; i++)
    if ((rule->from_w & (1u << i)) && state->arrays[i] != (const void *) W)
      memcpy (state->arrays[i], W, count * sizeof (REAL));
}

ag_status
SFX (ag_step) (const ag_optimizer *opt, size_t m, size_t d, REAL *W, const REAL *G,
               double resnorm, size_t n, ag_state *state, double rec[4], void *work,
               const ag_exec *exec)
{
  if (! W || ! G || ! work)
    return AG_ENULL;
  if (m == 0 || d == 0 || d > (size_t) PTRDIFF_MAX / sizeof (double) / m)
    return AG_ESIZE;
  const size_t count = m * d;
  ag_status st = SFX (check_state) (opt, count, state);
  if (st != AG_OK)
    return st;
  const ag_rule_info *rule = opt->rule;
  if (rule == ag_rule_external ())
    return AG_ERULE;   /* its step is ag_train's caller's */
  if (! SFX (all_finite) (W, count) || ! SFX (all_finite) (G, count))
    return AG_ENONFINITE;
  const int nt = agi_thread_count (exec);
  double scalars[AG_MAX_SCALARS];
  memcpy (scalars, state->scalars, sizeof scalars);
  ag_step_io io = {
    .count = count, .W = W, .G = G, .Wnext = W, .scalars = scalars, .eta = opt->eta,
    .par = opt->par, .resnorm = resnorm,
    .n = (double) n, .threads = nt,
    .bins = rule->per_coordinate ? (uint64_t *) work : NULL
  };
  /* ||G|| may stop on a cancel (nothing is written yet); the step, which
     updates W and the state in place, is not cut. */
  io.loss = 0.5 * resnorm * resnorm;
  io.gnorm = SFX (frob) (m, d, G, nt, exec_cancel (exec), &io.gnorm2);
  if (ag_cancelled (exec_cancel (exec)))
    return AG_ECANCELLED;
  SFX (state_start) (rule, W, count, state);
  for (int i = 0; i < rule->narrays; i++)
    io.S[i] = io.Snext[i] = state->arrays[i];
  /* Schedule-free: the step sees W = y, the array y = x (W's point). */
  if (rule->eval_array >= 0)
    {
      io.W = io.Wnext = state->arrays[rule->eval_array];
      io.S[rule->eval_array] = io.Snext[rule->eval_array] = W;
    }
  st = SFX (rule->step) (&io);
  if (st != AG_OK)
    return st;
  memcpy (state->scalars, scalars, sizeof scalars);
  if (rec)
    {
      memcpy (rec, io.step, 3 * sizeof (double));
      rec[3] = io.gnorm;
    }
  return AG_OK;
}
