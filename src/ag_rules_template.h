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
