/* ag_run.h: the run (ag_train): one loop for every rule and form.
   A typed file: included by ag_typed.c once per precision with REAL,
   SFX(name), GEMM, PACK_SIGNS and UNPACK_SCALED defined. Every parallel loop
   writes each output from one thread, in a fixed order, so the results do
   not depend on the number of threads. */

ag_status
SFX (ag_train) (size_t n, size_t d, size_t m, const REAL *X, const REAL *y,
                const REAL *a, REAL *W, ag_state *state, const ag_train_opts *opt,
                void *work, ag_train_result *res, const ag_exec *exec)
{
  if (! y || ! opt || ! res)
    return AG_ENULL;
  const volatile sig_atomic_t *const cancel = exec_cancel (exec);
  ag_status st = SFX (check_model) (n, d, m, X, W, a, work, exec);
  if (st != AG_OK)
    return st;
  const size_t count = m * d;
  st = SFX (check_state) (&opt->optim, count, state);
  if (st != AG_OK)
    return st;
  if (! SFX (all_finite) (y, n) || ! isfinite (opt->tol) || isnan (opt->gtol))
    return AG_ENONFINITE;
  if (opt->maxiter < 0 || opt->tol < 0.0 || opt->diag_every < 0 || opt->k0 < 0
      || opt->gtol < 0.0)
    return AG_EARG;
  const ag_batching *bt = &opt->batch;
  const int mini = bt->sampling != AG_FULL;
  if (bt->sampling < AG_FULL || bt->sampling > AG_GIVEN)
    return AG_EARG;
  if (mini && (bt->size == 0 || (bt->sampling != AG_GIVEN && bt->size > n)))
    return AG_EARG;
  if (bt->sampling == AG_GIVEN && opt->maxiter > 0)
    {
      if (! bt->given)
        return AG_ENULL;
      if (! agi_given_ok (bt->given, (size_t) opt->maxiter, bt->size, n))
        return AG_EARG;
    }
  const REAL *Xv = (const REAL *) bt->Xv, *yv = (const REAL *) bt->yv;
  if (bt->nv > 0)
    {
      if (! Xv || ! yv)
        return AG_ENULL;
      if (agi_check_sizes (bt->nv, d, m) != AG_OK)
        return AG_ESIZE;
      if (! SFX (all_finite) (Xv, bt->nv * d) || ! SFX (all_finite) (yv, bt->nv))
        return AG_ENONFINITE;
    }
  const REAL *W0 = (const REAL *) opt->W0;
  if (opt->diag_every > 0)
    {
      if (! W0)
        return AG_ENULL;
      if (! SFX (all_finite) (W0, count))
        return AG_ENONFINITE;
    }
  const ag_loss_info *lf = opt->loss ? opt->loss : ag_loss_default ();
  if (! ag_loss_is_entry (lf))
    return AG_EARG;
  const ag_rule_info *rule = opt->optim.rule;
  const ag_external *ext = rule == ag_rule_external () ? opt->external : NULL;
  if (rule == ag_rule_external () && (! ext || ! ext->step || ! ext->swap))
    return AG_ENULL;
  ag_kernel *kn = opt->kernel;
  if (kn)
    {
      if (! rule->linear || rule->narrays > 1)
        return AG_EARG;
      if (! kn->A || ! kn->Wa || kn->reform < 0)
        return kn->reform < 0 ? AG_EARG : AG_ENULL;
      for (int i = 0; i < rule->narrays; i++)
        if (! kn->As[i] || ! kn->Sa[i])
          return AG_ENULL;
    }
  const int nt = agi_thread_count (exec);
  const ag_sizes sz = ag_train_sizes (n, d, m, sizeof (REAL) == sizeof (float), opt);
  train_layout L;
  if (! agi_train_layout_of (&sz, nt, &L))
    return AG_ESIZE;

  /* The workspace from its first 64-byte boundary (ag_train_bytes leaves room). */
  double *base = align64 (work);
  workspace ws;
  agi_split_workspace (base, n, d, m, nt, &ws);   /* full batch; else split at each use */
  const size_t K = (size_t) opt->maxiter;
  double *loss_rec = base + L.rec, *time_rec = loss_rec + K + 1;
  double *bloss_rec = time_rec + K + 1, *epoch_rec = bloss_rec + K + 1;
  double *vloss_rec = epoch_rec + K + 1;
  double *gnorm_rec = vloss_rec + K + 1, *b_rec = gnorm_rec + K;
  double *step_rec = b_rec + K, *lo_rec = step_rec + K, *hi_rec = lo_rec + K;
  double *drec[4] = { base + L.drec, base + L.drec + L.dlen, base + L.drec + 2 * L.dlen,
                      base + L.drec + 3 * L.dlen };
  uint64_t *P0 = (uint64_t *) (void *) (base + L.diag);
  double *rowsq = base + L.diag + m * words_per_unit (n);
  size_t ndiag = 0;
  /* Mini-batches: the batch's rows of X and y, its row list, the epoch's
     permutation, the full-batch gradient of gtol. */
  const size_t Bmax = mini ? bt->size : 0, E = mini ? agi_eval_rows (n) : n;
  REAL *XB = (REAL *) (void *) (base + L.gather);
  REAL *yB = (REAL *) (void *) (base + L.gather + units (Bmax * d, sz.single));
  uint32_t *rows = (uint32_t *) (void *) (base + L.gather + units (Bmax * d, sz.single)
                                          + units (Bmax, sz.single));
  uint32_t *perm = (uint32_t *) (void *) (base + L.perm);
  REAL *Gfull = sz.gtol ? (REAL *) (void *) (base + L.gfull) : NULL;
  uint64_t perm_epoch = UINT64_MAX, seen = opt->seen, seen_prev = opt->seen;
  const long every = bt->eval_every > 0 ? bt->eval_every : 1;
  const double fn = (double) n;

  int blas = agi_blas_threads_enter ();
  struct timespec t0;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  if (opt->diag_every > 0)
    {
      /* The activation pattern at W0, the reference for counting flips. */
      int cut = 0;
      SFX (eval_pass) (lf, n, d, m, X, y, W0, NULL, a, base, E, nt, P0, 1, NULL, NULL, NULL, &cut);
    }

  /* Two buffers of W and of each state array alternate: the step writes
     W(k+1) over G(k) and the new state into the other buffers, so that W(k)
     and its state survive until W(k+1) is known to have a finite loss. In
     the kernel form the buffers are the kernel state's (ag_kernel). */
  const size_t stepcount = kn ? agi_kernel_len (n, m) : count;
  const size_t w = units (stepcount, sz.single);
  REAL *Wk = kn ? (REAL *) kn->A : W, *Wother = (REAL *) (void *) (base + L.spare);
  void *Sk[AG_MAX_ARRAYS] = { NULL }, *Sother[AG_MAX_ARRAYS] = { NULL };
  for (int i = 0; i < rule->narrays; i++)
    {
      Sk[i] = kn ? kn->As[i] : state->arrays[i];
      Sother[i] = base + L.state + (size_t) i * w;
    }
  /* The kernel form: K = X*X', then the state given or one formed afresh. */
  const REAL *Kmat = kn ? (const REAL *) (void *) (base + L.kmat) : NULL;
  REAL *Kcols = kn && mini ? (REAL *) (void *) (base + L.kcols) : NULL;
  double *gpart = kn ? base + L.colsum : NULL;
  long formed_at = -1;   /* the iterate whose kernel state was just formed afresh */
  SFX (kform_ctx) kf;
  uint64_t khash = 0;
  int setup_cut = 0;
  if (kn)
    {
      const size_t B = ws.B;
      kf = (SFX (kform_ctx)) { .n = n, .d = d, .m = m, .B = B, .X = X, .a = a, .kn = kn,
                               .narrays = rule->narrays, .nt = nt, .W = W,
                               .arrays = state->arrays };
      /* K in blocks of 256 columns, work for every thread (each entry is the
         same dot product whatever the block). */
      setup_cut = SFX (project) (n, d, n, X, X, (REAL *) Kmat, 256, nt, cancel);
      khash = SFX (kernel_hash) (n, d, m, X, a);
      /* It goes on only from the state of the same data that formed exactly
         the W and state given (their hash: the one the call that formed them
         stored). */
      int same = ! setup_cut && kn->valid && kn->hash == khash
                 && kn->whash == SFX (weights_hash) (count, W, rule->narrays,
                                                     (const void *const *) state->arrays);
      kn->fresh = ! same;
      if (! same && ! setup_cut)
        {
          setup_cut = SFX (kernel_anchor) (n, d, m, X, kn, rule->narrays, Wk, (REAL *const *) Sk,
                                           W, (const void *const *) state->arrays, B, nt,
                                           cancel);
          formed_at = 0;
        }
      kn->valid = 0;   /* until the call ends with a state */
    }
  double sk[AG_MAX_SCALARS], sprev[AG_MAX_SCALARS];
  memcpy (sk, state->scalars, sizeof sk);
  memcpy (sprev, sk, sizeof sk);
  long k = 0;
  ag_stop why;
  for (;;)
    {
      const long g = opt->k0 + k;
      const int diag_now = opt->diag_every > 0 && g % opt->diag_every == 0;
      const int eval_now = g % every == 0 || g == bt->eval_end || diag_now
                           || (k == 0 && opt->maxiter == 0);
      double loss = NAN, gfull = NAN;
      size_t flips = 0;
      int cut = 0;
      epoch_rec[k] = (double) seen / fn;
      bloss_rec[k] = vloss_rec[k] = NAN;
      /* The kernel form reads W formed where it needs it (into W). */
      const REAL *Wcur = Wk;
      if (kn && ! setup_cut && (diag_now || (eval_now && (bt->nv > 0 || Gfull))))
        {
          SFX (kform_at) (&kf, Wk, Sk);
          cut = SFX (kernel_form_all) (n, d, m, X, a, kn, rule->narrays, Wk, kf.Sb, W,
                                       state->arrays, kf.B, nt, cancel);
          Wcur = W;
        }
      if (setup_cut)
        cut = 1;
      /* The validation loss first: its passes use the space the step's
         pattern and residual live in. */
      if (! cut && eval_now && bt->nv > 0)
        {
          double vl = SFX (eval_pass) (lf, bt->nv, d, m, Xv, yv, Wcur, NULL, a, base,
                                       E < bt->nv ? E : bt->nv, nt, NULL, 0, NULL, NULL,
                                       cancel, &cut);
          vloss_rec[k] = vl * (fn / (double) bt->nv);
        }
      /* The full-batch loss: at every iterate in full batch, where the
         pattern and residual it leaves in the space (split for all n rows,
         as ws) are those the gradient pass reads; with mini-batches at the
         evaluation points. */
      if (! cut && (! mini || eval_now))
        {
          if (kn)
            {
              loss = SFX (eval_pass) (lf, n, d, m, X, y, NULL, Wk, a, base, E, nt,
                                      diag_now ? P0 : NULL, 0, &flips, NULL, cancel, &cut);
              if (! cut && Gfull)
                SFX (eval_pass) (lf, n, d, m, X, y, Wcur, NULL, a, base, E, nt, NULL, 0, NULL, Gfull,
                                 cancel, &cut);
            }
          else
            loss = SFX (eval_pass) (lf, n, d, m, X, y, Wk, NULL, a, base, E, nt,
                                    diag_now ? P0 : NULL, 0, &flips, Gfull, cancel, &cut);
          if (! mini)
            bloss_rec[k] = loss;
          if (! cut && Gfull)
            {
              gfull = SFX (frob) (m, d, Gfull, nt, cancel, &(double) { 0 });
              cut = ag_cancelled (cancel);
            }
        }
      loss_rec[k] = loss;
      time_rec[k] = agi_seconds_since (&t0);
      if (cut)
        {
          loss_rec[k] = NAN;
          why = AG_STOP_CANCELLED;
          break;
        }
      if ((! mini || eval_now) && ! isfinite (loss))
        goto diverged;
      if (diag_now)
        SFX (record_diag) (n, d, m, Wcur, W0, flips, rowsq, drec, ndiag++, (double) g);
      if (loss <= opt->tol)
        { why = AG_STOP_CONVERGED; break; }
      if (mini && gfull <= opt->gtol)
        { why = AG_STOP_GTOL; break; }
      if (k > 0 && opt->monitor)
        {
          ag_train_result sofar = {
            .iters = k, .loss = loss_rec, .time = time_rec, .gnorm = gnorm_rec,
            .b = b_rec, .step = step_rec, .steplo = lo_rec, .stephi = hi_rec,
            .batchloss = bloss_rec, .epoch = epoch_rec, .vloss = vloss_rec, .seen = seen
          };
          ag_iterate it = { .k = k, .W = Wk, .scalars = sk,
                            .arrays = (const void *const *) Sk, .rec = &sofar };
          if (kn)
            {
              SFX (kform_at) (&kf, Wk, Sk);
              it.W = W;
              it.arrays = (const void *const *) state->arrays;
              it.form = SFX (kform_cb);
              it.fctx = &kf;
            }
          if (opt->monitor (opt->ctx, &it))
            { why = AG_STOP_MONITOR; break; }
        }
      if (k >= opt->maxiter)
        { why = AG_STOP_MAXITER; break; }

      /* The kernel form's re-forming, at the multiples of kn->reform. */
      if (kn && kn->reform > 0 && g % kn->reform == 0 && formed_at != k)
        {
          SFX (kform_at) (&kf, Wk, Sk);
          /* Not cut (it costs about two primal steps): a state half
             re-formed would be lost. */
          SFX (kernel_form_all) (n, d, m, X, a, kn, rule->narrays, Wk, kf.Sb, W,
                                 state->arrays, kf.B, nt, NULL);
          SFX (kernel_anchor) (n, d, m, X, kn, rule->narrays, Wk, kf.Sb, W,
                               (const void *const *) state->arrays, kf.B, nt, NULL);
          formed_at = k;
        }
      /* The batch of step k, its loss at W(k) and its gradient. */
      REAL *G = Wother;
      size_t nb = n;
      double scale = 1.0, bloss = loss;
      if (mini)
        {
          if (bt->sampling == AG_GIVEN)
            {
              const uint32_t *gk = bt->given + (size_t) k * bt->size;
              for (nb = 0; nb < bt->size && gk[nb] != 0; nb++)
                rows[nb] = gk[nb] - 1;
            }
          else
            nb = ag_batch_rows (bt, n, seen, (uint64_t) g, perm, &perm_epoch, rows);
          for (size_t c = 0; c < d; c++)
            {
              const REAL *xc = X + c * n;
              REAL *out = XB + c * nb;
              for (size_t i = 0; i < nb; i++)
                out[i] = xc[rows[i]];
            }
          for (size_t i = 0; i < nb; i++)
            yB[i] = y[rows[i]];
          agi_split_workspace (base, nb, d, m, nt, &ws);
          scale = fn / (double) nb;
          if (kn ? SFX (kernel_forward) (nb, rows, 0, n, m, Wk, a, &ws, cancel)
                 : SFX (forward_pass) (nb, nb, d, m, XB, Wk, a, &ws, cancel))
            { why = AG_STOP_CANCELLED; break; }
          bloss = bloss_rec[k] = scale * SFX (residual) (lf, nb, yB, &ws, scale);
          if (! isfinite (bloss))
            goto diverged;
          if (kn)
            {
              for (size_t i = 0; i < nb; i++)
                memcpy (Kcols + i * n, Kmat + (size_t) rows[i] * n, n * sizeof (REAL));
              cut = SFX (kernel_gradient) (nb, rows, n, m, Kcols, a, G, gpart, &ws,
                                           cancel);
            }
          else
            cut = SFX (gradient_pass) (nb, nb, d, m, XB, a, G, 0, &ws, cancel);
        }
      else if (kn)
        cut = SFX (kernel_gradient) (n, NULL, n, m, Kmat, a, G, gpart, &ws, cancel);
      else
        cut = SFX (gradient_pass) (n, n, d, m, X, a, G, 0, &ws, cancel);
      if (cut)
        { why = AG_STOP_CANCELLED; break; }
      double snew[AG_MAX_SCALARS];
      memcpy (snew, sk, sizeof snew);
      ag_step_io io = {
        .count = stepcount, .W = Wk, .G = G, .Wnext = G, .scalars = snew,
        .eta = opt->optim.eta, .par = opt->optim.par,
        .resnorm = lf->resnorm (bloss), .n = fn, .threads = nt,
        .bins = rule->per_coordinate ? (uint64_t *) (void *) (base + L.bins) : NULL,
        .cancel = cancel, .ext = ext, .iter = g, .loss = bloss, .rows = nb,
        .u = ws.acc, .y = mini ? yB : y
      };
      for (int i = 0; i < rule->narrays; i++)
        {
          io.S[i] = Sk[i];
          io.Snext[i] = Sother[i];
        }
      if (kn)
        {
          /* ||G||_F^2 from the units' sums in unit order; round-off may
             leave a tiny negative sum where the exact one is 0. */
          double g2 = 0.0;
          for (size_t r = 0; r < m; r++)
            g2 += gpart[r];
          io.gnorm2 = g2 > 0.0 ? g2 : 0.0;
          io.gnorm = isfinite (io.gnorm2) ? sqrt (io.gnorm2) : io.gnorm2;
        }
      else
        io.gnorm = SFX (frob) (m, d, G, nt, cancel, &io.gnorm2);
      if (ag_cancelled (cancel))
        { why = AG_STOP_CANCELLED; break; }
      gnorm_rec[k] = io.gnorm;
      if (! mini && opt->gtol > 0.0 && io.gnorm <= opt->gtol)
        { why = AG_STOP_GTOL; break; }
      /* A cut step leaves W(k) and its state (it writes the other buffers). */
      ag_status stepped = SFX (rule->step) (&io);
      if (stepped == AG_ECANCELLED)
        { why = AG_STOP_CANCELLED; break; }
      if (stepped != AG_OK)
        { why = AG_STOP_DIVERGED; break; }
      b_rec[k] = rule->b_scalar >= 0 ? snew[rule->b_scalar] : NAN;
      lo_rec[k] = io.step[0];
      step_rec[k] = io.step[1];
      hi_rec[k] = io.step[2];
      Wother = Wk;
      Wk = G;
      for (int i = 0; i < rule->narrays; i++)
        {
          void *u = Sk[i]; Sk[i] = Sother[i]; Sother[i] = u;
        }
      if (ext)
        ext->swap (ext->ctx);
      memcpy (sprev, sk, sizeof sk);
      memcpy (sk, snew, sizeof sk);
      seen_prev = seen;
      seen += nb;
      k++;
      continue;

    diverged:
      /* A non-finite loss at W(k): back to W(k-1) and its state. */
      why = AG_STOP_DIVERGED;
      if (k > 0)
        {
          REAL *t = Wk; Wk = Wother; Wother = t;
          for (int i = 0; i < rule->narrays; i++)
            {
              void *u = Sk[i]; Sk[i] = Sother[i]; Sother[i] = u;
            }
          if (ext)
            ext->swap (ext->ctx);
          memcpy (sk, sprev, sizeof sk);
          seen = seen_prev;
          k--;
        }
      break;
    }
  if (kn)
    {
      /* The state in the caller's buffers, and W and the arrays formed from
         it (the W and state given when the call was cut before its state
         was complete). */
      if (Wk != kn->A)
        memcpy (kn->A, Wk, stepcount * sizeof (REAL));
      for (int i = 0; i < rule->narrays; i++)
        if (Sk[i] != kn->As[i])
          memcpy (kn->As[i], Sk[i], stepcount * sizeof (REAL));
      if (! setup_cut)
        {
          SFX (kform_at) (&kf, (const REAL *) kn->A, kn->As);
          SFX (kform_cb) (&kf);
          kn->valid = 1;
          kn->hash = khash;
          kn->whash = SFX (weights_hash) (count, W, rule->narrays,
                                          (const void *const *) state->arrays);
        }
    }
  agi_blas_threads_leave (blas);
  if (! kn && Wk != W)
    memcpy (W, Wk, count * sizeof (REAL));
  for (int i = 0; i < rule->narrays && ! kn; i++)
    if (Sk[i] != state->arrays[i])
      memcpy (state->arrays[i], Sk[i], count * sizeof (REAL));
  memcpy (state->scalars, sk, sizeof sk);
  *res = (ag_train_result) {
    .iters = k, .stop = why, .loss = loss_rec, .time = time_rec, .gnorm = gnorm_rec,
    .b = b_rec, .step = step_rec, .steplo = lo_rec, .stephi = hi_rec,
    .ndiag = (long) ndiag, .diter = drec[0], .flips = drec[1], .move = drec[2],
    .dist = drec[3], .batchloss = bloss_rec, .epoch = epoch_rec, .vloss = vloss_rec,
    .seen = seen
  };
  return AG_OK;
}

