/* ag_rules_template.h: the step functions of ag_rules.c, included once per
   precision with REAL and SFX(name) defined. Every entry is updated in double
   and rounded once to REAL; each loop writes each entry from one thread, so
   the results do not depend on the number of threads. The passes go in
   pieces (AG_PIECES) with a look at io->cancel between them. */

/* Wnext = W - s * G. */
static ag_status
SFX (apply) (ag_step_io *io, double s)
{
  const REAL *W = (const REAL *) io->W, *G = (const REAL *) io->G;
  REAL *out = (REAL *) io->Wnext;
  AG_PIECES (i0, i1, io->count, io->cancel)
    {
#pragma omp parallel for num_threads (io->threads) schedule (static)
      for (size_t i = i0; i < i1; i++)
        out[i] = (REAL) ((double) W[i] - s * (double) G[i]);
    }
  same_step (io, s);
  return pass_status (io);
}

static ag_status
SFX (step_gd) (ag_step_io *io)
{
  return SFX (apply) (io, io->eta);
}

/* The rules with b: b^2 += inc (= root^2), then W -= (eta/b) * G. */
static ag_status
SFX (norm_step) (ag_step_io *io, double inc, double root)
{
  double s;
  ag_status st = grow_b (io, inc, root, &s);
  if (st != AG_OK)
    return st;
  return SFX (apply) (io, s);
}

static ag_status
SFX (step_adagrad_norm) (ag_step_io *io)
{
  return SFX (norm_step) (io, io->gnorm2, io->gnorm);
}

static ag_status
SFX (step_adaloss) (ag_step_io *io)
{
  double alpha = io->par[1];
  if (! isfinite (io->resnorm))
    return AG_ENONFINITE;
  if (io->resnorm < 0.0 || ! (io->n >= 1.0))
    return AG_EARG;
  double r = sqrt (sqrt (io->n) * io->resnorm);
  return SFX (norm_step) (io, alpha * alpha * sqrt (io->n) * io->resnorm, alpha * r);
}

/* v = mu*v + G; W -= eta * (nesterov ? G + mu*v : v). */
static ag_status
SFX (heavy_ball) (ag_step_io *io, int nesterov)
{
  const REAL *W = (const REAL *) io->W, *G = (const REAL *) io->G;
  const REAL *v = (const REAL *) io->S[0];
  REAL *vnext = (REAL *) io->Snext[0], *out = (REAL *) io->Wnext;
  const double mu = io->par[0], eta = io->eta;
  AG_PIECES (i0, i1, io->count, io->cancel)
    {
#pragma omp parallel for num_threads (io->threads) schedule (static)
      for (size_t i = i0; i < i1; i++)
        {
          double g = (double) G[i];
          REAL vi = (REAL) (mu * (double) v[i] + g);
          double dir = nesterov ? g + mu * (double) vi : (double) vi;
          vnext[i] = vi;
          out[i] = (REAL) ((double) W[i] - eta * dir);
        }
    }
  same_step (io, eta);
  return pass_status (io);
}

static ag_status
SFX (step_momentum) (ag_step_io *io)
{
  return SFX (heavy_ball) (io, 0);
}

static ag_status
SFX (step_nesterov) (ag_step_io *io)
{
  return SFX (heavy_ball) (io, 1);
}

/* s = decay*s + gain*G.^2; W -= eta * G ./ (sqrt (s) + epsilon), with the
   per-entry steps eta / (sqrt (s) + epsilon) counted into the histogram.
   adagrad: decay = gain = 1; rmsprop: decay = rho, gain = 1 - rho. */
static ag_status
SFX (accumulate) (ag_step_io *io, double decay, double gain, double eps)
{
  const REAL *W = (const REAL *) io->W, *G = (const REAL *) io->G;
  const REAL *s = (const REAL *) io->S[0];
  REAL *snext = (REAL *) io->Snext[0], *out = (REAL *) io->Wnext;
  const double eta = io->eta;
  clear_bins (io);
  AG_PIECES (i0, i1, io->count, io->cancel)
    {
#pragma omp parallel num_threads (io->threads)
      {
        uint64_t *bins = thread_bins (io);
#pragma omp for schedule (static)
        for (size_t i = i0; i < i1; i++)
          {
            double g = (double) G[i];
            REAL si = (REAL) (decay * (double) s[i] + gain * g * g);
            double step = eta / (sqrt ((double) si) + eps);
            snext[i] = si;
            out[i] = (REAL) ((double) W[i] - step * g);
            if (bins)
              bins[step_bin (step)]++;
          }
      }
    }
  step_quantiles (io);
  return pass_status (io);
}

static ag_status
SFX (step_adagrad) (ag_step_io *io)
{
  return SFX (accumulate) (io, 1.0, 1.0, io->par[1]);
}

static ag_status
SFX (step_rmsprop) (ag_step_io *io)
{
  return SFX (accumulate) (io, io->par[0], 1.0 - io->par[0], io->par[1]);
}

/* Bias-corrected Adam, t counted from 1, in the arrangement of PyTorch's
   torch.optim.Adam: W -= (eta/c1) * M ./ (sqrt (V) / sqrt (c2) + epsilon)
   with c1 = 1 - beta1^t, c2 = 1 - beta2^t. The per-entry step recorded is
   (eta/c1) / (sqrt (V) / sqrt (c2) + epsilon), the factor of M. */
static ag_status
SFX (step_adam) (ag_step_io *io)
{
  const double beta1 = io->par[0], beta2 = io->par[1], eps = io->par[2];
  double t = io->scalars[0];
  if (! isfinite (t))
    return AG_ENONFINITE;
  if (t < 0.0 || t != floor (t))
    return AG_EARG;
  t += 1.0;
  io->scalars[0] = t;
  const double c1 = 1.0 - pow (beta1, t), rc2 = sqrt (1.0 - pow (beta2, t));
  const double lr = io->eta / c1;
  const REAL *W = (const REAL *) io->W, *G = (const REAL *) io->G;
  const REAL *M = (const REAL *) io->S[0], *V = (const REAL *) io->S[1];
  REAL *Mn = (REAL *) io->Snext[0], *Vn = (REAL *) io->Snext[1], *out = (REAL *) io->Wnext;
  clear_bins (io);
  AG_PIECES (i0, i1, io->count, io->cancel)
    {
#pragma omp parallel num_threads (io->threads)
      {
        uint64_t *bins = thread_bins (io);
#pragma omp for schedule (static)
        for (size_t i = i0; i < i1; i++)
          {
            double g = (double) G[i];
            REAL mi = (REAL) (beta1 * (double) M[i] + (1.0 - beta1) * g);
            REAL vi = (REAL) (beta2 * (double) V[i] + (1.0 - beta2) * g * g);
            double step = lr / (sqrt ((double) vi) / rc2 + eps);
            Mn[i] = mi;
            Vn[i] = vi;
            out[i] = (REAL) ((double) W[i] - step * (double) mi);
            if (bins)
              bins[step_bin (step)]++;
          }
      }
    }
  step_quantiles (io);
  return pass_status (io);
}

/* ---- The tuning-free rules (doc/theory.md; ../shared/TUNING-FREE.md has
   each update as its authors' code applies it). Sums over the entries run
   in AG_SUM_CHUNKS fixed chunks added in order, so that they do not depend
   on the number of threads. ---- */

/* ||W||^2 (B NULL) or ||W - B||^2. */
static double
SFX (sq_dist) (const ag_step_io *io, const REAL *W, const REAL *B)
{
  double part[AG_SUM_CHUNKS];
  const size_t count = io->count;
#pragma omp parallel for num_threads (io->threads) schedule (static)
  for (int c = 0; c < AG_SUM_CHUNKS; c++)
    {
      double t = 0.0;
      for (size_t i = chunk_at (count, c); i < chunk_at (count, c + 1); i++)
        {
          double v = (double) W[i] - (B ? (double) B[i] : 0.0);
          t += v * v;
        }
      part[c] = t;
    }
  return sum_chunks (part);
}

/* WNGrad: b += eta^2 ||G||^2 / b; b += epsilon; W -= (eta / b) * G. */
static ag_status
SFX (step_wngrad) (ag_step_io *io)
{
  double b = io->scalars[0], eps = io->par[1];
  if (! isfinite (b) || isnan (io->gnorm2))
    return AG_ENONFINITE;
  if (b <= 0.0)
    return AG_EARG;
  double bn = b + io->eta * io->eta * io->gnorm2 / b;
  bn = bn + eps;
  if (! isfinite (bn))
    return AG_ENONFINITE;
  io->scalars[0] = bn;
  return SFX (apply) (io, io->eta / bn);
}

/* DoG: t = 0: rbar = reps (1 + ||x0||), G = ||g||^2 + epsilon; later
   rbar = max (rbar, ||W - x0||), G += ||g||^2; W -= eta rbar / sqrt (G) g.
   Scalars t, rbar, G; array x0. */
static ag_status
SFX (step_dog) (ag_step_io *io)
{
  double t, *sc = io->scalars;
  ag_status st = counter_of (sc[0], &t);
  if (st != AG_OK)
    return st;
  const REAL *x0 = (const REAL *) io->S[0];
  double rbar, G;
  if (t == 0.0)
    {
      rbar = io->par[0] * (1.0 + sqrt (SFX (sq_dist) (io, x0, NULL)));
      G = io->gnorm2 + io->par[1];
    }
  else
    {
      double dist = sqrt (SFX (sq_dist) (io, (const REAL *) io->W, x0));
      rbar = dist > sc[1] ? dist : sc[1];
      G = sc[2] + io->gnorm2;
    }
  if (isnan (rbar) || isnan (G))
    return AG_ENONFINITE;
  if (! (G > 0.0))
    return AG_EUNDEFINED;
  double s = io->eta * rbar / sqrt (G);
  if (! isfinite (s))
    return AG_ENONFINITE;
  sc[0] = t + 1.0;
  sc[1] = rbar;
  sc[2] = G;
  return SFX (apply) (io, s);
}

/* DoWG: rbar2 = max (rbar2, ||x0 - W||^2); v += rbar2 ||g||^2;
   W -= eta rbar2 / (sqrt (v) + epsilon) g. Scalars t, rbar2, v; array x0. */
static ag_status
SFX (step_dowg) (ag_step_io *io)
{
  double t, *sc = io->scalars, eps = io->par[0];
  ag_status st = counter_of (sc[0], &t);
  if (st != AG_OK)
    return st;
  double dist2 = t == 0.0 ? 0.0 : SFX (sq_dist) (io, (const REAL *) io->S[0],
                                                (const REAL *) io->W);
  double rbar2 = dist2 > sc[1] ? dist2 : sc[1];
  double v = rbar2 * io->gnorm2 + sc[2];
  if (isnan (rbar2) || isnan (v))
    return AG_ENONFINITE;
  double s = io->eta * (rbar2 / (sqrt (v) + eps));
  if (! isfinite (s))
    return AG_ENONFINITE;
  sc[0] = t + 1.0;
  sc[1] = rbar2;
  sc[2] = v;
  return SFX (apply) (io, s);
}

/* The Polyak step (SPS_max, optax's polyak_sgd): u = -eta g;
   gamma = min ((L - fmin) / (||u||^2 + epsilon), stepmax), 0 when
   ||u||^2 + epsilon <= DBL_EPSILON; W += gamma u. */
static ag_status
SFX (step_polyak) (ag_step_io *io)
{
  const double stepmax = io->par[0], fmin = io->par[1], eps = io->par[2];
  if (isnan (io->loss) || isnan (io->gnorm2))
    return AG_ENONFINITE;
  double u2 = io->eta * io->eta * io->gnorm2, gamma = 0.0;
  if (u2 + eps > DBL_EPSILON)
    {
      gamma = (io->loss - fmin) / (u2 + eps);
      gamma = gamma < stepmax ? gamma : stepmax;
    }
  double s = io->eta * gamma;
  if (! isfinite (s))
    return AG_ENONFINITE;
  return SFX (apply) (io, s);
}

/* D-Adaptation SGD, momentum 0: k = 0: g0 = ||g||; dlr = d eta / g0;
   delta = dlr <g, s>; s += dlr g; W = x0 - s; num += delta;
   d = max (d, min (2 num / ||s||, d growth)). Scalars k, d, num, g0;
   arrays s, x0. */
static ag_status
SFX (step_dadapt) (ag_step_io *io)
{
  /* One pass with sums (not in pieces): the flag is looked at before it. */
  double k, *sc = io->scalars;
  ag_status st = counted_pass (io, &k);
  if (st != AG_OK)
    return st;
  const double growth = io->par[1];
  double g0 = k == 0.0 ? io->gnorm : sc[3], d = sc[1];
  if (! isfinite (g0) || ! isfinite (d))
    return AG_ENONFINITE;
  if (! (g0 > 0.0))
    return AG_EUNDEFINED;
  const double dlr = d * io->eta / g0;
  const REAL *G = (const REAL *) io->G, *s = (const REAL *) io->S[0];
  const REAL *x0 = (const REAL *) io->S[1];
  REAL *sn = (REAL *) io->Snext[0], *out = (REAL *) io->Wnext;
  const size_t count = io->count;
  double gs[AG_SUM_CHUNKS], ss[AG_SUM_CHUNKS];
#pragma omp parallel for num_threads (io->threads) schedule (static)
  for (int c = 0; c < AG_SUM_CHUNKS; c++)
    {
      double a = 0.0, b = 0.0;
      for (size_t i = chunk_at (count, c); i < chunk_at (count, c + 1); i++)
        {
          double g = (double) G[i];
          a += g * (double) s[i];
          REAL si = (REAL) ((double) s[i] + dlr * g);
          b += (double) si * (double) si;
          sn[i] = si;
          out[i] = (REAL) ((double) x0[i] - (double) si);
        }
      gs[c] = a;
      ss[c] = b;
    }
  const double num = sc[2] + dlr * sum_chunks (gs), sk = sum_chunks (ss);
  if (isnan (num) || isnan (sk))
    return AG_ENONFINITE;
  if (! (sk > 0.0))
    return AG_EUNDEFINED;
  double dhat = 2.0 * num / sqrt (sk), cap = d * growth;
  double dn = dhat < cap ? dhat : cap;
  dn = dn > d ? dn : d;
  sc[0] = k + 1.0;
  sc[1] = dn;
  sc[2] = num;
  sc[3] = g0;
  same_step (io, dlr);
  return AG_OK;
}

/* Prodigy (Adam form, no bias correction, no weight decay, no safeguard
   warm-up): scalars k, d, dmax, dnum; arrays s, M, V, x0. */
static ag_status
SFX (step_prodigy) (ag_step_io *io)
{
  /* One pass with sums (not in pieces): the flag is looked at before it. */
  double k, *sc = io->scalars;
  ag_status st = counted_pass (io, &k);
  if (st != AG_OK)
    return st;
  const double beta1 = io->par[0], beta2 = io->par[1];
  const double beta3 = isnan (io->par[2]) ? sqrt (beta2) : io->par[2];
  const double eps = io->par[3], d0 = io->par[4], dcoef = io->par[5], growth = io->par[6];
  const double d = sc[1];
  if (! isfinite (d) || ! isfinite (sc[2]) || ! isfinite (sc[3]))
    return AG_ENONFINITE;
  const double dlr = d * io->eta;
  const double wd = (d / d0) * dlr, gm = d * (1.0 - beta1), gv = d * d * (1.0 - beta2);
  const REAL *W = (const REAL *) io->W, *G = (const REAL *) io->G;
  const REAL *s = (const REAL *) io->S[0], *M = (const REAL *) io->S[1];
  const REAL *V = (const REAL *) io->S[2], *x0 = (const REAL *) io->S[3];
  REAL *sn = (REAL *) io->Snext[0], *Mn = (REAL *) io->Snext[1], *Vn = (REAL *) io->Snext[2];
  REAL *out = (REAL *) io->Wnext;
  const size_t count = io->count;
  double gp[AG_SUM_CHUNKS], sa[AG_SUM_CHUNKS];
#pragma omp parallel for num_threads (io->threads) schedule (static)
  for (int c = 0; c < AG_SUM_CHUNKS; c++)
    {
      double a = 0.0, b = 0.0;
      for (size_t i = chunk_at (count, c); i < chunk_at (count, c + 1); i++)
        {
          double g = (double) G[i];
          a += g * ((double) x0[i] - (double) W[i]);
          Mn[i] = beta1 > 0.0 ? (REAL) ((double) M[i] * beta1 + gm * g) : M[i];
          Vn[i] = (REAL) ((double) V[i] * beta2 + gv * g * g);
          REAL si = (REAL) ((double) s[i] * beta3 + wd * g);
          b += fabs ((double) si);
          sn[i] = si;
        }
      gp[c] = a;
      sa[c] = b;
    }
  const double dnum = beta3 * sc[3], delta = wd * sum_chunks (gp), denom = sum_chunks (sa);
  if (isnan (delta) || isnan (denom))
    return AG_ENONFINITE;
  same_step (io, dlr);
  if (denom == 0.0)
    {
      /* The source returns here: W and the scalars as they were. */
      if (out != W)
        memcpy (out, W, count * sizeof (REAL));
      return AG_OK;
    }
  const double num = dnum + delta, dhat = dcoef * num / denom;
  double dn = d, dmax = sc[2];
  if (d == d0)
    dn = dn > dhat ? dn : dhat;
  dmax = dmax > dhat ? dmax : dhat;
  dn = dmax < dn * growth ? dmax : dn * growth;
  if (! isfinite (dn))
    return AG_ENONFINITE;
  const double de = dn * eps, lg = dlr * dn;
#pragma omp parallel for num_threads (io->threads) schedule (static)
  for (size_t i = 0; i < count; i++)
    {
      double den = sqrt ((double) Vn[i]) + de;
      out[i] = (REAL) (beta1 > 0.0 ? (double) W[i] - dlr * (double) Mn[i] / den
                                   : (double) W[i] - lg * (double) G[i] / den);
    }
  sc[0] = k + 1.0;
  sc[1] = dn;
  sc[2] = dmax;
  sc[3] = num;
  return AG_OK;
}

/* Schedule-free SGD: the step sees W = y (where g is taken), S[0] = z,
   S[1] = x (ag_train exchanges W and y). Scalars k, wsum, lrmax. */
static ag_status
SFX (step_schedule_free) (ag_step_io *io)
{
  double k, *sc = io->scalars;
  ag_status st = counter_of (sc[0], &k);
  if (st != AG_OK)
    return st;
  const double mu = io->par[0], warm = io->par[1], r = io->par[2], wp = io->par[3];
  const double sched = k < warm ? (k + 1.0) / warm : 1.0, lr = io->eta * sched;
  if (! isfinite (sc[1]) || ! isfinite (sc[2]))
    return AG_ENONFINITE;
  const double lrmax = lr > sc[2] ? lr : sc[2];
  const double weight = pow (k + 1.0, r) * pow (lrmax, wp), wsum = sc[1] + weight;
  if (! isfinite (wsum))
    return AG_ENONFINITE;
  const double ck = wsum != 0.0 ? weight / wsum : 0.0;
  const REAL *G = (const REAL *) io->G, *z = (const REAL *) io->S[0];
  const REAL *x = (const REAL *) io->S[1];
  REAL *zn = (REAL *) io->Snext[0], *xn = (REAL *) io->Snext[1], *out = (REAL *) io->Wnext;
  AG_PIECES (i0, i1, io->count, io->cancel)
    {
#pragma omp parallel for num_threads (io->threads) schedule (static)
      for (size_t i = i0; i < i1; i++)
        {
          REAL zi = (REAL) ((double) z[i] - lr * (double) G[i]);
          REAL xi = (REAL) ((double) x[i] * (1.0 - ck) + ck * (double) zi);
          zn[i] = zi;
          xn[i] = xi;
          out[i] = (REAL) ((double) xi * mu + (1.0 - mu) * (double) zi);
        }
    }
  if (ag_cancelled (io->cancel))
    return AG_ECANCELLED;
  sc[0] = k + 1.0;
  sc[1] = wsum;
  sc[2] = lrmax;
  same_step (io, lr);
  return AG_OK;
}

/* COCOB-Backprop (optax's scale_by_cocob), per entry: c = eta g;
   L = max (L, |c|); Gabs += |c|; R = max (R - c (W - x0), 0); C -= c;
   W += -W + (x0 + C / (L max (Gabs + L, alpha L)) (L + R)). Scalar t;
   arrays L, Gabs, R, C, x0. */
static ag_status
SFX (step_cocob) (ag_step_io *io)
{
  double t;
  ag_status st = counter_of (io->scalars[0], &t);
  if (st != AG_OK)
    return st;
  const double alpha = io->par[0], eta = io->eta;
  const REAL *W = (const REAL *) io->W, *G = (const REAL *) io->G;
  const REAL *L = (const REAL *) io->S[0], *Ga = (const REAL *) io->S[1];
  const REAL *R = (const REAL *) io->S[2], *C = (const REAL *) io->S[3];
  const REAL *x0 = (const REAL *) io->S[4];
  REAL *Ln = (REAL *) io->Snext[0], *Gn = (REAL *) io->Snext[1], *Rn = (REAL *) io->Snext[2];
  REAL *Cn = (REAL *) io->Snext[3], *out = (REAL *) io->Wnext;
  AG_PIECES (i0, i1, io->count, io->cancel)
    {
#pragma omp parallel for num_threads (io->threads) schedule (static)
      for (size_t i = i0; i < i1; i++)
        {
          double c = eta * (double) G[i], ac = fabs (c), w = (double) W[i];
          REAL li = (REAL) ((double) L[i] > ac ? (double) L[i] : ac);
          REAL gi = (REAL) ((double) Ga[i] + ac);
          double rv = (double) R[i] - c * (w - (double) x0[i]);
          REAL ri = (REAL) (rv > 0.0 ? rv : 0.0);
          REAL ci = (REAL) ((double) C[i] - c);
          double l = (double) li, gl = (double) gi + l, al = alpha * l;
          double target = (double) x0[i] + (double) ci / (l * (gl > al ? gl : al))
                                           * (l + (double) ri);
          Ln[i] = li;
          Gn[i] = gi;
          Rn[i] = ri;
          Cn[i] = ci;
          out[i] = (REAL) (w + (-w + target));
        }
    }
  if (ag_cancelled (io->cancel))
    return AG_ECANCELLED;
  io->scalars[0] = t + 1.0;
  same_step (io, NAN);
  return AG_OK;
}
