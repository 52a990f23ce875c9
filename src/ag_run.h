/* ag_run.h: the run (ag_train): one loop for every rule, form and schedule.
   A typed file: included by ag_typed.c once per precision with REAL,
   SFX(name), GEMM, PACK_SIGNS and UNPACK_SCALED defined. Every parallel loop
   writes each output from one thread, in a fixed order, so the results do
   not depend on the number of threads.

   The loop knows neither the form (primal: W; kernel: Z and coefficients)
   nor the schedule (full batch; mini-batches): each is a small table of
   functions (SFX (form), SFX (schedule)) over the run's struct, SFX (run). */

/* No stop yet (the loop goes on). */
#define AG_GOING ((ag_stop) -1)

struct SFX (form);
struct SFX (schedule);

/* Everything the loop reads and writes: the problem, the workspace's parts,
   the current iterate and the one before it (two buffers of W and of each
   state array alternate: the step writes W(k+1) over G(k) and the new state
   into the other buffers, so that W(k) and its state survive until W(k+1)
   is known to have a finite loss), and the kernel form's state. */
typedef struct SFX (run) {
  size_t n, d, m, count, stepcount, E;
  size_t K, ycols;   /* the outputs; y's columns (K, or 1 for labels) */
  const REAL *X, *y, *a, *W0, *Xv, *yv;
  REAL *W;
  ag_state *state;
  const ag_train_opts *opt;
  const ag_batching *bt;
  const ag_loss_info *lf;
  const ag_rule_info *rule;
  const ag_external *ext;
  ag_kernel *kn;
  const volatile sig_atomic_t *cancel;
  const struct SFX (form) *form;
  const struct SFX (schedule) *sched;
  int nt, mini;
  double fn;
  long every;
  /* The workspace: the forward space, the records, the pattern at W0, the
     batch's rows of X and y, its row list, the epoch's permutation, the
     full-batch gradient of gtol with mini-batches. */
  double *base;
  train_layout L;
  workspace ws;
  double *rec_loss, *rec_time, *rec_bloss, *rec_epoch, *rec_vloss, *rec_acc, *rec_vacc;
  /* Whether the targets (y; the validation's) are all +1 or -1: then the
     evaluation points record the fraction that sign (u) classifies right. */
  int classes, vclasses;
  double *rec_gnorm, *rec_b, *rec_step, *rec_rate, *rec_lo, *rec_hi, *drec[4];
  size_t ndiag;
  uint64_t *P0;
  double *rowsq;
  REAL *XB, *yB, *Gfull;
  uint32_t *rows, *perm;
  uint64_t perm_epoch;
  /* The iterate k (its W, state arrays and scalars) and the spare buffers. */
  REAL *Wk, *Wother;
  void *Sk[AG_MAX_ARRAYS], *Sother[AG_MAX_ARRAYS];
  /* Where the call's last W and arrays go (schedule-free: W's point x is
     the array's buffer during the run, and y is W's), and the arrays as a
     monitor sees them. */
  void *dest[AG_MAX_ARRAYS], *viewarr[AG_MAX_ARRAYS];
  double sk[AG_MAX_SCALARS], sprev[AG_MAX_SCALARS];
  uint64_t seen, seen_prev;
  long k;
  struct timespec t0;
  /* The kernel form: K = X*X', the columns of K of a batch, the units'
     sums of ||G||^2, the iterate formed afresh last, the monitor's view. */
  const REAL *Kmat;
  REAL *Kcols, *ZSa;
  double *gpart, sa2;
  long formed_at;
  SFX (kform_ctx) kf;
  uint64_t khash;
  int setup_cut;
  /* The event form: its context over the state, ||G|| of the last
     gradient, and whether the pending step passed the divergence bounds
     (then not applied). */
  SFX (evctx) ev;
  double ev_gnorm;
  int ev_bad;
} SFX (run);

/* A form: how the loop evaluates, steps and hands back an iterate. */
typedef struct SFX (form) {
  /* The full-batch loss of the iterate (flips against P0 when given; the
     full-batch gradient into Gfull when set), with Wcur the formed W. */
  double (*loss) (SFX (run) *r, const REAL *Wcur, uint64_t *P0, size_t *flips,
                  size_t *correct, int *cut);
  /* W as the validation, gtol and the diagnostics read it; NEED: whether
     one of them does now. */
  const REAL *(*current) (SFX (run) *r, int need, int *cut);
  /* Before the step from global iterate g (the kernel form's re-forming). */
  void (*prepare) (SFX (run) *r, long g);
  /* The forward pass over the NB rows of the batch (r->rows, r->XB). */
  int (*batch_forward) (SFX (run) *r, size_t nb);
  /* G of the last forward pass (NB rows; all n in full batch) into G, and
     ||G||_F (and its square). Non-zero when cut. */
  int (*gradient) (SFX (run) *r, size_t nb, REAL *G, double *gnorm, double *gnorm2);
  /* ||W(k+1) - W(k)||_F, W(k+1) the step's output NEXT (in the spare buffers). */
  double (*delta) (SFX (run) *r, const REAL *next);
  /* What a monitor sees of the iterate (W and the arrays, or how to form them). */
  void (*view) (SFX (run) *r, ag_iterate *it);
  /* The end of the call: the last iterate into the caller's arrays. */
  void (*finish) (SFX (run) *r);
} SFX (form);

/* A schedule: the batch of a step. batch () leaves the forward pass of its
   NB rows in the workspace and sets *bloss, its loss times n/nb (the loss
   LOSS itself in full batch); returns 1 when cut, 2 for a non-finite loss. */
typedef struct SFX (schedule) {
  int (*batch) (SFX (run) *r, long g, double loss, size_t *nb, double *bloss);
} SFX (schedule);

/* ---- The primal form ---- */

static double
SFX (primal_loss) (SFX (run) *r, const REAL *Wcur, uint64_t *P0, size_t *flips,
                   size_t *correct, int *cut)
{
  /* Full batch: the loss where the gradient is taken (the pass the step
     reads); mini-batches: at the evaluation point. */
  return SFX (eval_pass) (r->lf, r->n, r->d, r->m, r->K, r->X, r->y, r->mini ? Wcur : r->Wk, NULL, r->a, r->base,
                          r->E, r->nt, P0, 0, flips, correct, r->Gfull, r->cancel, cut);
}

static const REAL *
SFX (primal_current) (SFX (run) *r, int need, int *cut)
{
  (void) need;
  (void) cut;
  return r->rule->eval_array >= 0 ? (const REAL *) r->Sk[r->rule->eval_array] : r->Wk;
}

static void
SFX (primal_prepare) (SFX (run) *r, long g)
{
  (void) r;
  (void) g;
}

static int
SFX (primal_batch_forward) (SFX (run) *r, size_t nb)
{
  return SFX (forward_pass) (nb, nb, r->d, r->m, r->XB, r->Wk, r->a, &r->ws, r->cancel);
}

static int
SFX (primal_gradient) (SFX (run) *r, size_t nb, REAL *G, double *gnorm, double *gnorm2)
{
  int cut = r->mini ? SFX (gradient_pass) (nb, nb, r->d, r->m, r->XB, r->a, G, 0, &r->ws,
                                           r->cancel)
                    : SFX (gradient_pass) (r->n, r->n, r->d, r->m, r->X, r->a, G, 0, &r->ws,
                                           r->cancel);
  if (cut)
    return 1;
  *gnorm = SFX (frob) (r->m, r->d, G, r->nt, r->cancel, gnorm2);
  return ag_cancelled (r->cancel);
}

static double
SFX (primal_delta) (SFX (run) *r, const REAL *next)
{
  return sqrt (SFX (frob2_diff4) (r->m, r->d, next, r->Wk, r->nt));
}

static void
SFX (primal_view) (SFX (run) *r, ag_iterate *it)
{
  const int e = r->rule->eval_array;
  it->W = r->Wk;
  it->arrays = (const void *const *) r->Sk;
  if (e >= 0)
    {
      for (int i = 0; i < r->rule->narrays; i++)
        r->viewarr[i] = r->Sk[i];
      r->viewarr[e] = r->Wk;
      it->W = r->Sk[e];
      it->arrays = (const void *const *) r->viewarr;
    }
}

static void
SFX (primal_finish) (SFX (run) *r)
{
  if (r->Wk != r->W)
    memcpy (r->W, r->Wk, r->count * sizeof (REAL));
  for (int i = 0; i < r->rule->narrays; i++)
    if (r->Sk[i] != r->dest[i])
      memcpy (r->dest[i], r->Sk[i], r->count * sizeof (REAL));
}

static const SFX (form) SFX (primal) = {
  SFX (primal_loss), SFX (primal_current), SFX (primal_prepare),
  SFX (primal_batch_forward), SFX (primal_gradient), SFX (primal_delta), SFX (primal_view),
  SFX (primal_finish)
};

/* ---- The kernel form (the rule linear, at most one state array) ---- */

static double
SFX (kernel_loss) (SFX (run) *r, const REAL *Wcur, uint64_t *P0, size_t *flips,
                   size_t *correct, int *cut)
{
  double loss = SFX (eval_pass) (r->lf, r->n, r->d, r->m, r->K, r->X, r->y, NULL, r->Wk, r->a,
                                 r->base, r->E, r->nt, P0, 0, flips, correct, NULL, r->cancel,
                                 cut);
  if (! *cut && r->Gfull)
    SFX (eval_pass) (r->lf, r->n, r->d, r->m, r->K, r->X, r->y, Wcur, NULL, r->a, r->base, r->E,
                     r->nt, NULL, 0, NULL, NULL, r->Gfull, r->cancel, cut);
  return loss;
}

/* W (and the state arrays) formed into the caller's arrays when NEED. */
static const REAL *
SFX (kernel_current) (SFX (run) *r, int need, int *cut)
{
  if (! need || r->setup_cut)
    return r->Wk;
  SFX (kform_at) (&r->kf, r->Wk, r->Sk);
  *cut = SFX (kernel_form_all) (r->n, r->d, r->m, r->X, r->kf.a, r->kn, r->rule->narrays, r->Wk,
                                r->kf.Sb, r->W, r->state->arrays, r->kf.B, r->nt, r->cancel);
  return r->W;
}

static int SFX (kernel_anchor_norms) (SFX (run) *r, int fresh,
                                      const volatile sig_atomic_t *cancel);

/* At the multiples of kn->reform: the anchors become the formed W and
   state, and Z, Zs are computed afresh (not cut: it costs about two primal
   steps, and a state half re-formed would be lost). */
static void
SFX (kernel_prepare) (SFX (run) *r, long g)
{
  ag_kernel *kn = r->kn;
  if (kn->reform <= 0 || g % kn->reform != 0 || r->formed_at == r->k)
    return;
  SFX (kform_at) (&r->kf, r->Wk, r->Sk);
  SFX (kernel_form_all) (r->n, r->d, r->m, r->X, r->kf.a, kn, r->rule->narrays, r->Wk, r->kf.Sb,
                         r->W, r->state->arrays, r->kf.B, r->nt, NULL);
  SFX (kernel_anchor) (r->n, r->d, r->m, r->X, kn, r->rule->narrays, r->Wk, r->kf.Sb, r->W,
                       (const void *const *) r->state->arrays, r->kf.B, r->nt, NULL);
  SFX (kernel_anchor_norms) (r, 1, NULL);
  r->formed_at = r->k;
}

static int
SFX (kernel_batch_forward) (SFX (run) *r, size_t nb)
{
  return SFX (kernel_forward) (nb, r->rows, 0, r->n, r->m, r->Wk, r->a, &r->ws, r->cancel);
}

/* ||G||_F^2 from the units' sums in unit order; round-off may leave a tiny
   negative sum where the exact one is 0. */
static int
SFX (kernel_grad) (SFX (run) *r, size_t nb, REAL *G, double *gnorm, double *gnorm2)
{
  const size_t n = r->n;
  int cut;
  if (r->mini)
    {
      for (size_t i = 0; i < nb; i++)
        memcpy (r->Kcols + i * n, r->Kmat + (size_t) r->rows[i] * n, n * sizeof (REAL));
      cut = SFX (kernel_gradient) (nb, r->rows, n, r->m, r->Kcols, r->a, G, r->gpart, &r->ws,
                                   r->cancel);
    }
  else
    cut = SFX (kernel_gradient) (n, NULL, n, r->m, r->Kmat, r->a, G, r->gpart, &r->ws,
                                 r->cancel);
  if (cut)
    return 1;
  double g2 = 0.0;
  for (size_t u = 0; u < r->m; u++)
    g2 += r->gpart[u];
  *gnorm2 = g2 > 0.0 ? g2 : 0.0;
  *gnorm = isfinite (*gnorm2) ? sqrt (*gnorm2) : *gnorm2;
  return ag_cancelled (r->cancel);
}

/* ||W(k+1) - W(k)||_F from the kernel states of the two iterates, without
   forming either: with dZ, dC, dmu the changes of A = [Z ; C ; mu], W(k+1) -
   W(k) = dW = dmu * Sa + (1/sqrt(m)) * diag(a) * dC' * X and X * dW' = dZ, so
   ||dW||^2 = dmu^2 ||Sa||^2 + dmu * (1/sqrt(m)) sum_u a(u) dC(:,u)' * ZSa(:,u)
              + (1/sqrt(m)) sum_u a(u) dC(:,u)' * dZ(:,u),
   ZSa = X * Sa' (kept since the anchor; the first two terms vanish when Sa is
   0, as when the state starts at 0). Per-unit sums in parallel, added in
   unit order: O(n*m) a step, the same whatever the thread count. */
static double
SFX (kernel_delta) (SFX (run) *r, const REAL *next)
{
  const size_t n = r->n, m = r->m, nm = n * m;
  const REAL *A = r->Wk;
  const double dmu = (double) next[2 * nm] - (double) A[2 * nm], scale = 1.0 / sqrt ((double) m);
  const REAL *ZSa = r->sa2 > 0.0 && dmu != 0.0 ? r->ZSa : NULL;
  double *part = r->gpart;
#pragma omp parallel for num_threads (r->nt) schedule (static)
  for (size_t u = 0; u < m; u++)
    {
      const REAL *z = A + u * n, *zn = next + u * n, *c = A + nm + u * n, *cn = next + nm + u * n;
      double t = 0.0, q = 0.0;
      for (size_t i = 0; i < n; i++)
        {
          double dc = (double) cn[i] - (double) c[i];
          t += dc * ((double) zn[i] - (double) z[i]);
          if (ZSa)
            q += dc * (double) ZSa[u * n + i];
        }
      part[u] = (r->K > 1 ? 1.0 : (double) r->a[u]) * scale * (t + dmu * q);
    }
  double s = ZSa ? dmu * dmu * r->sa2 : 0.0;
  for (size_t u = 0; u < m; u++)
    s += part[u];
  return s > 0.0 ? sqrt (s) : 0.0;
}

/* ZSa = X * Sa' and ||Sa||^2 of the state array's anchor (rules with one),
   after it changed: copied from the state's Z part just anchored (FRESH), or
   projected from Sa (a state carried over from an earlier call; non-zero
   when that is cut). */
static int
SFX (kernel_anchor_norms) (SFX (run) *r, int fresh, const volatile sig_atomic_t *cancel)
{
  r->sa2 = 0.0;
  if (r->rule->narrays == 0)
    return 0;
  const REAL *Sa = (const REAL *) r->kn->Sa[0];
  r->sa2 = SFX (frob2) (r->m, r->d, Sa, r->nt, NULL);
  if (! (r->sa2 > 0.0))
    return 0;
  if (fresh)
    {
      memcpy (r->ZSa, r->Sk[0], r->n * r->m * sizeof (REAL));
      return 0;
    }
  return SFX (project) (r->n, r->d, r->m, r->X, Sa, r->ZSa, r->ws.B, r->nt, cancel);
}

static void
SFX (kernel_view) (SFX (run) *r, ag_iterate *it)
{
  SFX (kform_at) (&r->kf, r->Wk, r->Sk);
  it->W = r->W;
  it->arrays = (const void *const *) r->state->arrays;
  it->form = SFX (kform_cb);
  it->fctx = &r->kf;
}

/* The state in the caller's buffers, and W and the arrays formed from it
   (the W and state given when the call was cut before its state was
   complete). */
static void
SFX (kernel_finish) (SFX (run) *r)
{
  ag_kernel *kn = r->kn;
  if (r->Wk != kn->A)
    memcpy (kn->A, r->Wk, r->stepcount * sizeof (REAL));
  for (int i = 0; i < r->rule->narrays; i++)
    if (r->Sk[i] != kn->As[i])
      memcpy (kn->As[i], r->Sk[i], r->stepcount * sizeof (REAL));
  if (r->setup_cut)
    return;
  SFX (kform_at) (&r->kf, (const REAL *) kn->A, kn->As);
  SFX (kform_cb) (&r->kf);
  kn->valid = 1;
  kn->hash = r->khash;
  if (! kn->trusted)
    kn->whash = SFX (weights_hash) (r->count, r->W, r->rule->narrays,
                                    (const void *const *) r->state->arrays);
}

static const SFX (form) SFX (kernel) = {
  SFX (kernel_loss), SFX (kernel_current), SFX (kernel_prepare),
  SFX (kernel_batch_forward), SFX (kernel_grad), SFX (kernel_delta), SFX (kernel_view),
  SFX (kernel_finish)
};

/* ---- The event form (full batch, W -= s*G, no state array) ----
   The step pending between take_step and the next evaluation is -s in the
   one-entry buffer Wk (the rule's step from W = 0 along G = 1): the
   evaluation applies it to the state (ev_step), so that a step whose loss
   would not be finite is never applied, and rollback finds the state of
   W(k) and Wk = 0. */

static void
SFX (event_apply) (SFX (run) *r)
{
  if (r->ev_bad || r->Wk[0] == 0)
    return;
  if (SFX (ev_step) (&r->ev, -(double) r->Wk[0]))
    r->ev_bad = 1;
  else
    r->Wk[0] = 0;
}

static double
SFX (event_loss) (SFX (run) *r, const REAL *Wcur, uint64_t *P0, size_t *flips,
                  size_t *correct, int *cut)
{
  (void) Wcur;
  (void) cut;
  SFX (event_apply) (r);
  if (r->ev_bad)
    return NAN;
  return SFX (ev_loss) (&r->ev, P0, flips, correct);
}

/* W formed into the caller's array when NEED. */
static const REAL *
SFX (event_current) (SFX (run) *r, int need, int *cut)
{
  SFX (event_apply) (r);
  if (! need || r->setup_cut || r->ev_bad)
    return r->W;
  *cut = SFX (ev_form) (&r->ev, r->W, &r->ws, r->cancel);
  return r->W;
}

/* At the multiples of kn->reform: the state formed afresh from W (not cut,
   as in the kernel form). */
static void
SFX (event_prepare) (SFX (run) *r, long g)
{
  ag_kernel *kn = r->kn;
  if (kn->reform <= 0 || g % kn->reform != 0 || r->formed_at == r->k)
    return;
  SFX (ev_form) (&r->ev, r->W, &r->ws, NULL);
  SFX (ev_anchor) (&r->ev, r->W, r->ws.B, NULL);
  r->formed_at = r->k;
}

static int
SFX (event_batch_forward) (SFX (run) *r, size_t nb)
{
  (void) r;
  (void) nb;
  return 0;
}

/* ||G||_F^2 = e'*H*e; G is the one entry 1, along which the rule steps. */
static int
SFX (event_grad) (SFX (run) *r, size_t nb, REAL *G, double *gnorm, double *gnorm2)
{
  (void) nb;
  G[0] = 1;
  *gnorm2 = SFX (ev_grad) (&r->ev);
  *gnorm = isfinite (*gnorm2) ? sqrt (*gnorm2) : *gnorm2;
  r->ev_gnorm = *gnorm;
  return ag_cancelled (r->cancel);
}

/* ||W(k+1) - W(k)||_F = |s| ||G||_F. */
static double
SFX (event_delta) (SFX (run) *r, const REAL *next)
{
  return fabs ((double) next[0]) * r->ev_gnorm;
}

static void
SFX (event_form_cb) (void *p)
{
  SFX (run) *r = (SFX (run) *) p;
  SFX (ev_form) (&r->ev, r->W, &r->ws, NULL);
}

static void
SFX (event_view) (SFX (run) *r, ag_iterate *it)
{
  it->W = r->W;
  it->arrays = (const void *const *) r->state->arrays;
  it->form = SFX (event_form_cb);
  it->fctx = r;
}

static void
SFX (event_finish) (SFX (run) *r)
{
  ag_kernel *kn = r->kn;
  if (r->setup_cut)
    return;
  SFX (ev_form) (&r->ev, r->W, &r->ws, NULL);
  kn->valid = 1;
  kn->hash = r->khash;
  if (! kn->trusted)
    kn->whash = SFX (weights_hash) (r->count, r->W, 0, NULL);
}

static const SFX (form) SFX (event) = {
  SFX (event_loss), SFX (event_current), SFX (event_prepare),
  SFX (event_batch_forward), SFX (event_grad), SFX (event_delta), SFX (event_view),
  SFX (event_finish)
};

/* ---- The schedules ---- */

/* Full batch: the evaluation's forward pass over all rows is the batch's. */
static int
SFX (full_batch) (SFX (run) *r, long g, double loss, size_t *nb, double *bloss)
{
  (void) g;
  *nb = r->n;
  *bloss = loss;
  return 0;
}

/* Mini-batches: the rows of step k (given, or from the generator), their
   rows of X and y gathered, the forward pass over them; the batch loss
   times n/nb, and the residual scaled by n/nb for the gradient. */
static int
SFX (mini_batch) (SFX (run) *r, long g, double loss, size_t *nb, double *bloss)
{
  (void) loss;
  const ag_batching *bt = r->bt;
  const size_t n = r->n, d = r->d;
  size_t q = 0;
  if (bt->sampling == AG_GIVEN)
    {
      const uint32_t *gk = bt->given + (size_t) r->k * bt->batchsize;
      for (q = 0; q < bt->batchsize && gk[q] != 0; q++)
        r->rows[q] = gk[q] - 1;
    }
  else
    q = ag_batch_rows (bt, n, r->seen, (uint64_t) g, r->perm, &r->perm_epoch, r->rows);
  for (size_t c = 0; c < d; c++)
    {
      const REAL *xc = r->X + c * n;
      REAL *out = r->XB + c * q;
      for (size_t i = 0; i < q; i++)
        out[i] = xc[r->rows[i]];
    }
  for (size_t c = 0; c < r->ycols; c++)
    for (size_t i = 0; i < q; i++)
      r->yB[i + c * q] = r->y[r->rows[i] + c * n];
  agi_split_workspace (r->base, q, d, r->m, r->K, r->nt, &r->ws);
  const double scale = r->fn / (double) q;
  *nb = q;
  if (r->form->batch_forward (r, q))
    return 1;
  *bloss = r->rec_bloss[r->k] = scale * SFX (residual) (r->lf, q, r->yB, q, &r->ws, scale);
  return isfinite (*bloss) ? 0 : 2;
}

static const SFX (schedule) SFX (full) = { SFX (full_batch) };
static const SFX (schedule) SFX (mini) = { SFX (mini_batch) };

/* ---- The run ---- */

/* Everything ag_train is given, checked: AG_OK or why not. */
static ag_status
SFX (run_check) (size_t n, size_t d, size_t m, const REAL *X, const REAL *y, const REAL *a,
                 const REAL *W, ag_state *state, const ag_train_opts *opt, void *work,
                 ag_train_result *res, const ag_exec *exec)
{
  if (! y || ! opt || ! res)
    return AG_ENULL;
  if (opt->loss && ! ag_loss_is_entry (opt->loss))
    return AG_EARG;
  const ag_loss_info *lf = opt->loss ? opt->loss : ag_loss_default ();
  const size_t K = opt->outputs ? opt->outputs : 1, yc = lf->labels ? 1 : K;
  if (! ag_loss_takes (lf, K))
    return AG_EARG;
  ag_status st = opt->finite ? SFX (check_shapes) (n, d, m, K, X, W, a, work, exec)
                             : SFX (check_model) (n, d, m, K, X, W, a, work, exec);
  if (st == AG_OK)
    st = SFX (check_state) (&opt->optim, m * d, state);
  if (st != AG_OK)
    return st;
  if (! SFX (all_finite) (y, n * yc) || ! isfinite (opt->tol) || isnan (opt->gtol))
    return AG_ENONFINITE;
  const ag_batching *bt = &opt->batch;
  const int mini = bt->sampling != AG_FULL;
  if (opt->maxiter < 0 || opt->tol < 0.0 || opt->diagnostics < 0 || opt->iter < 0
      || opt->gtol < 0.0 || bt->sampling < AG_FULL || bt->sampling > AG_GIVEN
      || (mini && (bt->batchsize == 0 || (bt->sampling != AG_GIVEN && bt->batchsize > n))))
    return AG_EARG;
  if (bt->sampling == AG_GIVEN && opt->maxiter > 0)
    {
      if (! bt->given)
        return AG_ENULL;
      if (! agi_given_ok (bt->given, (size_t) opt->maxiter, bt->batchsize, n))
        return AG_EARG;
    }
  if (bt->nv > 0)
    {
      if (! bt->Xv || ! bt->yv)
        return AG_ENULL;
      if (agi_check_sizes (bt->nv, d, m) != AG_OK)
        return AG_ESIZE;
      if (! SFX (all_finite) ((const REAL *) bt->Xv, bt->nv * d)
          || ! SFX (all_finite) ((const REAL *) bt->yv, bt->nv * yc))
        return AG_ENONFINITE;
    }
  if (opt->diagnostics > 0)
    {
      if (! opt->W0)
        return AG_ENULL;
      if (! opt->finite && ! SFX (all_finite) ((const REAL *) opt->W0, m * d))
        return AG_ENONFINITE;
    }
  const ag_rule_info *rule = opt->optim.rule;
  if (rule == ag_rule_external ()
      && (! opt->external || ! opt->external->step || ! opt->external->swap))
    return AG_ENULL;
  const ag_kernel *kn = opt->kernel;
  if (kn)
    {
      if (! rule->linear || rule->narrays > 1 || kn->reform < 0)
        return AG_EARG;
      /* The event form: full batch, one output, the squared loss, W -= s*G. */
      if (kn->event && (mini || K != 1 || lf != ag_loss_default () || rule->narrays > 0
                        || ! rule->along_gradient || rule == ag_rule_external ()))
        return AG_EARG;
      if (! kn->A || ! kn->Wa || ! kn->K)
        return AG_ENULL;
      for (int i = 0; i < rule->narrays; i++)
        if (! kn->As[i] || ! kn->Sa[i])
          return AG_ENULL;
    }
  return AG_OK;
}

/* Whether the targets Y of N rows are classes the accuracy can count (0
   for NULL): labels (the loss reads them); with one output, all +1 or -1;
   with K > 1, one-hot rows (one entry 1, the others 0). */
static int
SFX (class_targets) (const REAL *y, size_t n, size_t K, int labels)
{
  if (! y)
    return 0;
  if (labels)
    return 1;
  for (size_t i = 0; i < n; i++)
    {
      size_t ones = 0;
      for (size_t k = 0; k < K; k++)
        {
          const REAL t = y[i + k * n];
          if (K == 1 ? t != 1 && t != -1 : t != 0 && t != 1)
            return 0;
          ones += t == 1;
        }
      if (K > 1 && ones != 1)
        return 0;
    }
  return 1;
}

/* The workspace's parts and the run's first iterate: R from the checked
   arguments; AG_ESIZE when the sizes do not fit. */
static ag_status
SFX (run_init) (SFX (run) *r, size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
                const REAL *a, REAL *W, ag_state *state, const ag_train_opts *opt,
                void *work, const ag_exec *exec)
{
  const ag_batching *bt = &opt->batch;
  *r = (SFX (run)) {
    .n = n, .d = d, .m = m, .count = m * d, .X = X, .y = y, .a = a,
    .K = opt->outputs ? opt->outputs : 1,
    .W0 = (const REAL *) opt->W0, .Xv = (const REAL *) bt->Xv, .yv = (const REAL *) bt->yv,
    .W = W, .state = state, .opt = opt, .bt = bt,
    .lf = opt->loss ? opt->loss : ag_loss_default (), .rule = opt->optim.rule,
    .kn = opt->kernel, .cancel = exec_cancel (exec), .nt = agi_thread_count (exec),
    .mini = bt->sampling != AG_FULL, .fn = (double) n,
    .every = bt->evalevery > 0 ? bt->evalevery : 1,
    .perm_epoch = UINT64_MAX, .seen = opt->seen, .seen_prev = opt->seen, .formed_at = -1
  };
  r->ycols = r->lf->labels ? 1 : r->K;
  r->ext = r->rule == ag_rule_external () ? opt->external : NULL;
  r->form = r->kn ? (r->kn->event ? &SFX (event) : &SFX (kernel)) : &SFX (primal);
  r->sched = r->mini ? &SFX (mini) : &SFX (full);
  const ag_sizes sz = ag_train_sizes (n, d, m, sizeof (REAL) == sizeof (float), opt);
  train_layout *L = &r->L;
  if (! agi_train_layout_of (&sz, r->nt, L))
    return AG_ESIZE;
  /* The workspace from its first 64-byte boundary (ag_train_bytes leaves room). */
  double *base = r->base = align64 (work);
  agi_split_workspace (base, n, d, m, r->K, r->nt, &r->ws);   /* full batch; else split at each use */
  const size_t K = (size_t) opt->maxiter;
  r->rec_loss = base + L->rec;
  r->rec_time = r->rec_loss + K + 1;
  r->rec_bloss = r->rec_time + K + 1;
  r->rec_epoch = r->rec_bloss + K + 1;
  r->rec_vloss = r->rec_epoch + K + 1;
  r->rec_acc = r->rec_vloss + K + 1;
  r->rec_vacc = r->rec_acc + K + 1;
  r->rec_gnorm = r->rec_vacc + K + 1;
  r->rec_b = r->rec_gnorm + K;
  r->rec_step = r->rec_b + K;
  r->rec_rate = r->rec_step + K;
  r->rec_lo = r->rec_rate + K;
  r->rec_hi = r->rec_lo + K;
  for (int i = 0; i < 4; i++)
    r->drec[i] = base + L->drec + (size_t) i * L->dlen;
  r->P0 = (uint64_t *) (void *) (base + L->diag);
  r->rowsq = base + L->diag + m * words_per_unit (n);
  const size_t Bmax = r->mini ? bt->batchsize : 0;
  r->E = r->mini ? agi_eval_rows (n) : n;
  r->XB = (REAL *) (void *) (base + L->gather);
  r->yB = (REAL *) (void *) (base + L->gather + units (Bmax * d, sz.single));
  r->rows = (uint32_t *) (void *) (base + L->gather + units (Bmax * d, sz.single)
                                   + units (Bmax * r->ycols, sz.single));
  r->perm = (uint32_t *) (void *) (base + L->perm);
  r->Gfull = sz.gtol ? (REAL *) (void *) (base + L->gfull) : NULL;
  const int event = r->kn && r->kn->event;
  r->stepcount = event ? 1 : r->kn ? agi_kernel_len (n, m) : r->count;
  const size_t w = units (r->stepcount, sz.single);
  r->Wk = event ? (REAL *) (void *) (base + L->spare) : r->kn ? (REAL *) r->kn->A : W;
  r->Wother = (REAL *) (void *) (base + L->spare + (event ? 4 : 0));
  if (! r->kn)
    SFX (state_start) (r->rule, W, r->count, state);
  for (int i = 0; i < r->rule->narrays; i++)
    {
      r->Sk[i] = r->kn ? r->kn->As[i] : state->arrays[i];
      r->dest[i] = state->arrays[i];
      /* An array the step never writes (x0) has one buffer. */
      r->Sother[i] = r->rule->constant & (1u << i) ? r->Sk[i]
                                                  : base + L->state + (size_t) i * w;
    }
  /* Schedule-free: the run's W is y (its array's buffer), W's point x the array. */
  const int e = r->rule->eval_array;
  if (e >= 0 && ! r->kn)
    {
      r->Wk = r->W = (REAL *) state->arrays[e];
      r->Sk[e] = r->dest[e] = W;
    }
  memcpy (r->sk, state->scalars, sizeof r->sk);
  memcpy (r->sprev, r->sk, sizeof r->sk);
  r->classes = SFX (class_targets) (y, n, r->K, r->lf->labels);
  r->vclasses = bt->nv > 0 && SFX (class_targets) (r->yv, bt->nv, r->K, r->lf->labels);
  return AG_OK;
}

/* The start of the kernel and event forms: the data's hash (SALT, non-zero
   for the event form, tells the two forms' states apart), K = X*X' in
   blocks of 256 columns, work for every thread (each entry is the same dot
   product whatever the block), unless the caller's K is that of this data
   already; returns whether the state given goes on: only the state of the
   same data that formed exactly the W and state given (their hash: the one
   the call that formed them stored; a trusted state: the caller's word). */
static int
SFX (kernel_given) (SFX (run) *r, uint64_t salt)
{
  ag_kernel *kn = r->kn;
  const size_t n = r->n, d = r->d, m = r->m;
  r->khash = SFX (kernel_hash) (n, d, m, r->K, r->X, r->a);
  if (salt)
    r->khash = mix64 (r->khash ^ salt);
  r->setup_cut = 0;
  if (kn->Khash != r->khash || kn->Khash == 0)
    {
      kn->Khash = 0;
      r->setup_cut = SFX (project) (n, d, n, r->X, r->X, (REAL *) r->Kmat, 256, r->nt,
                                    r->cancel);
      if (! r->setup_cut)
        kn->Khash = r->khash;
    }
  int same = ! r->setup_cut && kn->valid && kn->hash == r->khash
             && (kn->trusted
                 || kn->whash == SFX (weights_hash) (r->count, r->W, r->rule->narrays,
                                                     (const void *const *) r->state->arrays));
  kn->fresh = ! same;
  return same;
}

/* The kernel form: K = X*X', then the state given or one formed afresh. */
static void
SFX (kernel_setup) (SFX (run) *r)
{
  ag_kernel *kn = r->kn;
  const size_t n = r->n, d = r->d, m = r->m;
  r->Kmat = (const REAL *) kn->K;
  r->Kcols = r->mini ? (REAL *) (void *) (r->base + r->L.kcols) : NULL;
  r->gpart = r->base + r->L.colsum;
  r->ZSa = (REAL *) (void *) (r->base + r->L.zsa);
  r->kf = (SFX (kform_ctx)) { .n = n, .d = d, .m = m, .B = r->ws.B, .X = r->X, .a = r->K > 1 ? NULL : r->a,
                              .kn = kn, .narrays = r->rule->narrays, .nt = r->nt, .W = r->W,
                              .arrays = r->state->arrays };
  int same = SFX (kernel_given) (r, 0);
  if (! same && ! r->setup_cut)
    {
      r->setup_cut = SFX (kernel_anchor) (n, d, m, r->X, kn, r->rule->narrays, r->Wk,
                                          (REAL *const *) r->Sk, r->W,
                                          (const void *const *) r->state->arrays, r->ws.B,
                                          r->nt, r->cancel);
      r->formed_at = 0;
    }
  if (! r->setup_cut)
    r->setup_cut = SFX (kernel_anchor_norms) (r, ! same, r->cancel);
  kn->valid = 0;   /* until the call ends with a state */
}

/* The event form: K = X*X' (as the kernel form), then the state given or
   one formed afresh from W. */
static void
SFX (event_setup) (SFX (run) *r)
{
  ag_kernel *kn = r->kn;
  const size_t n = r->n, d = r->d, m = r->m;
  r->Kmat = (const REAL *) kn->K;
  SFX (ev_init) (&r->ev, n, d, m, r->X, r->y, r->a, r->Kmat, (REAL *) kn->A, (REAL *) kn->Wa,
                 r->base + r->L.event, r->nt);
  r->Wk[0] = r->Wother[0] = 0;
  r->ev_bad = 0;
  int same = SFX (kernel_given) (r, 0x6576656e74ULL);
  if (! same && ! r->setup_cut)
    {
      r->setup_cut = SFX (ev_anchor) (&r->ev, r->W, r->ws.B, r->cancel);
      r->formed_at = 0;
    }
  kn->valid = 0;   /* until the call ends with a state */
}

/* The evaluation of iterate k (global index g): its epoch; at an
   evaluation point the validation loss first (its passes use the space the
   step's pattern and residual live in) and the full-batch loss (at every
   iterate in full batch, where the pattern and residual it leaves in the
   space are those the gradient pass reads), with the flips at a
   diagnostics point and the full-batch gradient norm of gtol with
   mini-batches. Returns non-zero when cut; *Wcur: W as formed. */
static int
SFX (evaluate) (SFX (run) *r, int diag_now, int eval_now, double *loss, double *gfull,
                size_t *flips, const REAL **Wcur)
{
  const long k = r->k;
  const ag_batching *bt = r->bt;
  int cut = 0;
  *loss = *gfull = NAN;
  *flips = 0;
  r->rec_epoch[k] = (double) r->seen / r->fn;
  r->rec_bloss[k] = r->rec_vloss[k] = r->rec_acc[k] = r->rec_vacc[k] = NAN;
  *Wcur = r->form->current (r, diag_now || (eval_now && (bt->nv > 0 || r->Gfull)), &cut);
  cut = cut || r->setup_cut;
  if (! cut && eval_now && bt->nv > 0)
    {
      size_t right = 0;
      double vl = SFX (eval_pass) (r->lf, bt->nv, r->d, r->m, r->K, r->Xv, r->yv, *Wcur, NULL, r->a,
                                   r->base, r->E < bt->nv ? r->E : bt->nv, r->nt, NULL, 0,
                                   NULL, r->vclasses ? &right : NULL, NULL, r->cancel, &cut);
      r->rec_vloss[k] = vl * (r->fn / (double) bt->nv);
      if (r->vclasses && ! cut)
        r->rec_vacc[k] = (double) right / (double) bt->nv;
    }
  if (! cut && (! r->mini || eval_now))
    {
      size_t right = 0;
      *loss = r->form->loss (r, *Wcur, diag_now ? r->P0 : NULL, flips,
                             r->classes ? &right : NULL, &cut);
      if (! r->mini)
        r->rec_bloss[k] = *loss;
      if (r->classes && ! cut)
        r->rec_acc[k] = (double) right / r->fn;
      if (! cut && r->Gfull)
        {
          *gfull = SFX (frob) (r->m, r->d, r->Gfull, r->nt, r->cancel, &(double) { 0 });
          cut = ag_cancelled (r->cancel);
        }
    }
  r->rec_loss[k] = cut ? NAN : *loss;
  r->rec_time[k] = agi_seconds_since (&r->t0);
  return cut;
}

/* The stops before the step from iterate k: converged, gtol with
   mini-batches, the monitor, maxiter (AG_GOING: none). */
static ag_stop
SFX (stop_before_step) (SFX (run) *r, double loss, double gfull)
{
  const ag_train_opts *opt = r->opt;
  if (loss <= opt->tol)
    return AG_STOP_CONVERGED;
  if (r->mini && gfull <= opt->gtol)
    return AG_STOP_GTOL;
  if (r->k > 0 && opt->monitor)
    {
      ag_train_result sofar = {
        .iters = r->k, .loss = r->rec_loss, .time = r->rec_time, .gnorm = r->rec_gnorm,
        .b = r->rec_b, .step = r->rec_step, .rate = r->rec_rate, .ratelo = r->rec_lo,
        .ratehi = r->rec_hi,
        .batchloss = r->rec_bloss, .epoch = r->rec_epoch, .vloss = r->rec_vloss,
        .accuracy = r->rec_acc, .vaccuracy = r->rec_vacc,
        .seen = r->seen, .evals = r->ev.evals, .events = r->ev.flips
      };
      ag_iterate it = { .k = r->k, .scalars = r->sk, .rec = &sofar };
      r->form->view (r, &it);
      if (opt->monitor (opt->ctx, &it))
        return AG_STOP_MONITOR;
    }
  return r->k >= opt->maxiter ? AG_STOP_MAXITER : AG_GOING;
}

/* The buffers of the iterate and of the spare exchanged (the rule's own
   state with them): after a step is kept, and to take one back. */
static void
SFX (exchange) (SFX (run) *r)
{
  REAL *t = r->Wk;
  r->Wk = r->Wother;
  r->Wother = t;
  for (int i = 0; i < r->rule->narrays; i++)
    {
      void *u = r->Sk[i];
      r->Sk[i] = r->Sother[i];
      r->Sother[i] = u;
    }
  if (r->ext)
    r->ext->swap (r->ext->ctx);
}

/* A non-finite loss at W(k): back to W(k-1) and its state. */
static ag_stop
SFX (rollback) (SFX (run) *r)
{
  if (r->k > 0)
    {
      SFX (exchange) (r);
      memcpy (r->sk, r->sprev, sizeof r->sk);
      r->seen = r->seen_prev;
      r->k--;
    }
  return AG_STOP_DIVERGED;
}

/* The step from iterate k on the batch of NB rows whose loss is BLOSS and
   gradient G (in the spare buffer), the step written over G; records it
   and makes W(k+1) the iterate. AG_GOING, or why the run stops. */
static ag_stop
SFX (take_step) (SFX (run) *r, long g, size_t nb, double bloss, REAL *G, double gnorm,
                 double gnorm2)
{
  const ag_rule_info *rule = r->rule;
  const long k = r->k;
  r->rec_gnorm[k] = gnorm;
  if (! r->mini && r->opt->gtol > 0.0 && gnorm <= r->opt->gtol)
    return AG_STOP_GTOL;
  /* Nothing can move W: every unit is dead on every row (inputs far from
     unit norm, or a step that pushed all pre-activations below zero). */
  if (! r->mini && gnorm == 0.0 && bloss > 0.0)
    return AG_STOP_ZEROGRAD;
  double snew[AG_MAX_SCALARS];
  memcpy (snew, r->sk, sizeof snew);
  ag_step_io io = {
    .count = r->stepcount, .W = r->Wk, .G = G, .Wnext = G, .scalars = snew,
    .eta = r->opt->optim.eta, .par = r->opt->optim.par, .gnorm2 = gnorm2, .gnorm = gnorm,
    .resnorm = r->lf->resnorm (bloss), .n = r->fn, .threads = r->nt,
    .bins = rule->per_coordinate ? (uint64_t *) (void *) (r->base + r->L.bins) : NULL,
    .cancel = r->cancel, .ext = r->ext, .iter = g, .loss = bloss, .rows = nb,
    .u = r->ws.acc, .y = r->mini ? r->yB : r->y, .batch = r->mini ? r->rows : NULL,
    .outputs = r->K, .ycols = r->ycols
  };
  for (int i = 0; i < rule->narrays; i++)
    {
      io.S[i] = r->Sk[i];
      io.Snext[i] = r->Sother[i];
    }
  /* A cut step leaves W(k) and its state (it writes the other buffers). */
  ag_status stepped = SFX (rule->step) (&io);
  if (stepped != AG_OK)
    return stepped == AG_ECANCELLED ? AG_STOP_CANCELLED
           : stepped == AG_EUNDEFINED ? AG_STOP_UNDEFINED : AG_STOP_DIVERGED;
  r->rec_b[k] = rule->b_scalar >= 0 ? snew[rule->b_scalar] : NAN;
  r->rec_lo[k] = io.step[0];
  r->rec_rate[k] = io.step[1];
  r->rec_hi[k] = io.step[2];
  /* The effective step, measured alike for every rule and form. */
  r->rec_step[k] = gnorm > 0.0 ? r->form->delta (r, G) / gnorm : NAN;
  SFX (exchange) (r);
  memcpy (r->sprev, r->sk, sizeof r->sk);
  memcpy (r->sk, snew, sizeof r->sk);
  r->seen_prev = r->seen;
  r->seen += nb;
  r->k++;
  return AG_GOING;
}

ag_status
SFX (ag_train) (size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
                const REAL *a, REAL *W, ag_state *state, const ag_train_opts *opt,
                void *work, ag_train_result *res, const ag_exec *exec)
{
  ag_status st = SFX (run_check) (n, d, m, X, y, a, W, state, opt, work, res, exec);
  SFX (run) run, *r = &run;
  if (st == AG_OK)
    st = SFX (run_init) (r, n, d, m, X, y, a, W, state, opt, work, exec);
  if (st != AG_OK)
    return st;
  int blas = agi_blas_threads_enter ();
  clock_gettime (CLOCK_MONOTONIC, &r->t0);
  if (opt->diagnostics > 0)
    {
      /* The activation pattern at W0, the reference for counting flips. */
      int cut = 0;
      SFX (eval_pass) (r->lf, n, d, m, r->K, X, y, r->W0, NULL, a, r->base, r->E, r->nt, r->P0, 1,
                       NULL, NULL, NULL, NULL, &cut);
    }
  if (r->kn && r->kn->event)
    SFX (event_setup) (r);
  else if (r->kn)
    SFX (kernel_setup) (r);
  ag_stop why = AG_GOING;
  while (why == AG_GOING)
    {
      const long g = opt->iter + r->k;
      const int diag_now = opt->diagnostics > 0 && g % opt->diagnostics == 0;
      const int eval_now = g % r->every == 0 || g == r->bt->target || diag_now
                           || (r->k == 0 && opt->maxiter == 0);
      double loss, gfull, bloss, gnorm, gnorm2;
      size_t flips, nb;
      const REAL *Wcur;
      if (SFX (evaluate) (r, diag_now, eval_now, &loss, &gfull, &flips, &Wcur))
        why = AG_STOP_CANCELLED;
      else if ((! r->mini || eval_now) && ! isfinite (loss))
        why = SFX (rollback) (r);
      else
        {
          if (diag_now)
            SFX (record_diag) (n, d, m, Wcur, r->W0, flips, r->rowsq, r->drec, r->ndiag++,
                               (double) g);
          why = SFX (stop_before_step) (r, loss, gfull);
        }
      if (why != AG_GOING)
        break;
      r->form->prepare (r, g);
      REAL *G = r->Wother;
      int b = r->sched->batch (r, g, loss, &nb, &bloss);
      if (b == 2)
        why = SFX (rollback) (r);
      else if (b || r->form->gradient (r, nb, G, &gnorm, &gnorm2))
        why = AG_STOP_CANCELLED;
      else
        why = SFX (take_step) (r, g, nb, bloss, G, gnorm, gnorm2);
    }
  r->form->finish (r);
  agi_blas_threads_leave (blas);
  memcpy (state->scalars, r->sk, sizeof r->sk);
  *res = (ag_train_result) {
    .iters = r->k, .stop = why, .loss = r->rec_loss, .time = r->rec_time,
    .gnorm = r->rec_gnorm, .b = r->rec_b, .step = r->rec_step, .rate = r->rec_rate,
    .ratelo = r->rec_lo, .ratehi = r->rec_hi, .ndiag = (long) r->ndiag, .diter = r->drec[0],
    .flips = r->drec[1], .move = r->drec[2], .dist = r->drec[3],
    .batchloss = r->rec_bloss, .epoch = r->rec_epoch, .vloss = r->rec_vloss,
        .accuracy = r->rec_acc, .vaccuracy = r->rec_vacc,
    .seen = r->seen, .evals = r->ev.evals, .events = r->ev.flips
  };
  return AG_OK;
}

#undef AG_GOING
