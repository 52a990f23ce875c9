/* ag_rules.c: the rule table and every step function; nothing else knows a rule by name. */
#include "ag.h"
#include "ag_internal.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* The bin of a positive step: its float bit pattern less the low 15 mantissa
   bits (sign, exponent, 8 mantissa bits; masked so that no value can index
   past the table). */
static inline size_t
step_bin (double s)
{
  float f = (float) s;
  uint32_t u;
  memcpy (&u, &f, sizeof u);
  return (size_t) (u >> 15) & (AG_STEP_BINS - 1);
}

static double
bin_value (size_t bin, int upper)
{
  uint32_t u = (uint32_t) ((bin + (size_t) upper) << 15);
  float f;
  memcpy (&f, &u, sizeof f);
  return (double) f;
}

/* The 10%, 50% and 90% quantiles (the value of rank ceil(q*N)) from the
   per-thread histograms, merged in thread order (integer counts: the result
   does not depend on the thread count). Each is the middle of its bin; bins
   of Inf and NaN give their lower edge. */
static void
quantiles (uint64_t *bins, int threads, size_t count, double out[3])
{
  for (int t = 1; t < threads; t++)
    for (size_t i = 0; i < AG_STEP_BINS; i++)
      bins[i] += bins[(size_t) t * AG_STEP_BINS + i];
  static const double q[3] = { 0.1, 0.5, 0.9 };
  size_t i = 0;
  uint64_t cum = 0;
  for (int k = 0; k < 3; k++)
    {
      uint64_t rank = (uint64_t) ceil (q[k] * (double) count);
      if (rank < 1)
        rank = 1;
      while (i < AG_STEP_BINS - 1 && cum + bins[i] < rank)
        cum += bins[i++];
      double lo = bin_value (i, 0);
      out[k] = i >= 0xFF00 ? lo : 0.5 * (lo + bin_value (i, 1));
    }
}

static void
same_step (ag_step_io *io, double s)
{
  io->step[0] = io->step[1] = io->step[2] = s;
}

/* Before a pass that counts steps: every thread's histogram cleared. */
static void
clear_bins (const ag_step_io *io)
{
  if (io->bins)
    memset (io->bins, 0, (size_t) io->threads * AG_STEP_BINS * sizeof *io->bins);
}

/* In a parallel region: the calling thread's histogram (NULL when the caller
   wants no quantiles). */
static uint64_t *
thread_bins (const ag_step_io *io)
{
  return io->bins ? io->bins + (size_t) ag_this_thread () * AG_STEP_BINS : NULL;
}

/* After a pass in pieces: whether it was cut short. */
static ag_status
pass_status (const ag_step_io *io)
{
  return ag_cancelled (io->cancel) ? AG_ECANCELLED : AG_OK;
}

/* After the parallel loop: the quantiles of the steps counted, or NaN. */
static void
step_quantiles (ag_step_io *io)
{
  if (io->bins)
    quantiles (io->bins, io->threads, io->count, io->step);
  else
    same_step (io, NAN);
}

/* b(k+1) = sqrt (b(k)^2 + inc), with the step eta/b(k+1); root = sqrt (inc),
   computed by the caller without overflow. The plain formula is used whenever
   b^2 and the sum are normal numbers (every run of ordinary size, bitwise as
   in 0.1.0); otherwise hypot (b, root), which neither overflows (b0 = 1e155,
   alpha = 1e200, a gradient of 1e200) nor loses b to underflow (b0 = 1e-300).
   Everything is checked before anything is written, so a failed step changes
   nothing. */
static ag_status
grow_b (ag_step_io *io, double inc, double root, double *s)
{
  double b = io->scalars[0];
  if (! isfinite (b) || isnan (inc) || ! isfinite (root))
    return AG_ENONFINITE;
  if (b <= 0.0 || inc < 0.0 || root < 0.0)
    return AG_EARG;
  double bb = b * b, sum = bb + inc;
  double bnew = isfinite (sum) && bb >= DBL_MIN ? sqrt (sum) : hypot (b, root);
  if (! isfinite (bnew))
    return AG_ENONFINITE;
  io->scalars[0] = bnew;
  *s = io->eta / bnew;
  return AG_OK;
}

/* Sums over the entries of a pass: AG_SUM_CHUNKS chunks whose bounds
   depend on the count only, each summed in order by one thread, the chunks'
   sums added in order (the same for any thread count). */
#define AG_SUM_CHUNKS 64

static inline size_t
chunk_at (size_t count, int c)
{
  const size_t q = count / AG_SUM_CHUNKS, r = count % AG_SUM_CHUNKS, cc = (size_t) c;
  return q * cc + (cc < r ? cc : r);
}

static inline double
sum_chunks (const double *part)
{
  double s = 0.0;
  for (int c = 0; c < AG_SUM_CHUNKS; c++)
    s += part[c];
  return s;
}

/* A step counter: its value, AG_EARG when it is not a count. */
static inline ag_status
counter_of (double t, double *out)
{
  if (! isfinite (t))
    return AG_ENONFINITE;
  if (t < 0.0 || t != floor (t))
    return AG_EARG;
  *out = t;
  return AG_OK;
}

/* Before a pass that is not cut in pieces: the flag, then the step count
   (scalar 0). */
static inline ag_status
counted_pass (const ag_step_io *io, double *k)
{
  if (ag_cancelled (io->cancel))
    return AG_ECANCELLED;
  return counter_of (io->scalars[0], k);
}

/* The typed step functions, once per precision. */
#define REAL double
#define SFX(name) name
#include "ag_rules_template.h"
#undef REAL
#undef SFX

#define REAL float
#define SFX(name) name##_f
#include "ag_rules_template.h"
#undef REAL
#undef SFX

static void
init_b (const double *par, double *scalars, double *fill)
{
  scalars[0] = par[0];   /* b0 is the first parameter of every rule with a b */
  (void) fill;
}

static void
init_zero (const double *par, double *scalars, double *fill)
{
  (void) par;
  scalars[0] = scalars[1] = 0.0;
  fill[0] = fill[1] = 0.0;
}

static void
init_adagrad (const double *par, double *scalars, double *fill)
{
  (void) scalars;
  fill[0] = par[0] * par[0];   /* s = b0^2 everywhere */
}

/* D-Adaptation: d = d0; Prodigy: d = dmax = d0 (k and the sums 0). */
static void
init_dadapt (const double *par, double *scalars, double *fill)
{
  (void) fill;
  scalars[1] = par[0];
}

static void
init_prodigy (const double *par, double *scalars, double *fill)
{
  (void) fill;
  scalars[1] = scalars[2] = par[4];
}

/* DoWG: the squared distance starts at epsilon. */
static void
init_dowg (const double *par, double *scalars, double *fill)
{
  (void) fill;
  scalars[1] = par[0];
}

/* Schedule-free: lr_max starts at -1. */
static void
init_schedule_free (const double *par, double *scalars, double *fill)
{
  (void) par;
  (void) fill;
  scalars[2] = -1.0;
}

/* COCOB: L starts at epsilon. */
static void
init_cocob (const double *par, double *scalars, double *fill)
{
  (void) scalars;
  fill[0] = par[1];
}

#define B0(def, lo_open) \
  { "b0", def, 0.0, INFINITY, lo_open, 1, 1, "initial b (the accumulator starts at b0^2)", 0 }
#define EPS(def) \
  { "epsilon", def, 0.0, INFINITY, 0, 1, 0, "added to the root of the accumulator", 0 }

/* The external rule's step: the caller's (ag_external), both precisions. */
static ag_status
step_external (ag_step_io *io)
{
  if (! io->ext || ! io->ext->step)
    return AG_ENULL;
  return io->ext->step (io->ext->ctx, io);
}

/* The named rules, then the external one (the last entry, not counted by
   ag_rule_count). */
static const ag_rule_info table[] = {
  { "gd", "W -= eta * G",
    0, { { 0 } }, 0, { 0 }, 0, { 0 }, 0, 1, 0, -1, init_zero, step_gd, step_gd_f, 1,
    1.0, -1, 0, 0, -1, 0 },
  { "adagrad-norm", "b^2 += ||G||_F^2; W -= (eta / b) * G",
    1, { B0 (1.0, 1) }, 1, { "b" }, 0, { 0 }, 0, 1, 0, 0, init_b,
    step_adagrad_norm, step_adagrad_norm_f, 1,
    1.0, -1, 0, 0, -1, 0 },
  { "adaloss", "b^2 += alpha^2 * sqrt(n) * ||y - u||; W -= (eta / b) * G",
    2, { B0 (1.0, 1),
         { "alpha", 1.0, 0.0, INFINITY, 1, 1, 0, "scale of the loss increment", 0 } },
    1, { "b" }, 0, { 0 }, 0, 1, 1, 0, init_b, step_adaloss, step_adaloss_f, 1,
    1.0, -1, 0, 0, -1, 0 },
  { "momentum", "v = mu * v + G; W -= eta * v",
    1, { { "momentum", 0.9, 0.0, INFINITY, 0, 1, 0, "mu, the weight of the past velocity", 0 } },
    0, { 0 }, 1, { "v" }, 0, 0, 0, -1, init_zero, step_momentum, step_momentum_f, 1,
    1.0, -1, 0, 0, -1, 0 },
  { "nesterov", "v = mu * v + G; W -= eta * (G + mu * v)",
    1, { { "momentum", 0.9, 0.0, INFINITY, 0, 1, 0, "mu, the weight of the past velocity", 0 } },
    0, { 0 }, 1, { "v" }, 0, 0, 0, -1, init_zero, step_nesterov, step_nesterov_f, 1,
    1.0, -1, 0, 0, -1, 0 },
  { "adagrad", "s += G.^2; W -= eta * G ./ (sqrt (s) + epsilon)",
    2, { B0 (0.0, 0), EPS (1e-10) },
    0, { 0 }, 1, { "s" }, 1, 0, 0, -1, init_adagrad, step_adagrad, step_adagrad_f, 0,
    1.0, -1, 0, 0, -1, 0 },
  { "rmsprop", "s = rho * s + (1 - rho) * G.^2; W -= eta * G ./ (sqrt (s) + epsilon)",
    2, { { "rho", 0.99, 0.0, 1.0, 0, 0, 0, "decay of the mean square", 0 }, EPS (1e-8) },
    0, { 0 }, 1, { "s" }, 1, 0, 0, -1, init_zero, step_rmsprop, step_rmsprop_f, 0,
    1.0, -1, 0, 0, -1, 0 },
  { "adam", "M = beta1*M + (1-beta1)*G; V = beta2*V + (1-beta2)*G.^2; "
            "W -= eta * (M / (1-beta1^t)) ./ (sqrt (V / (1-beta2^t)) + epsilon)",
    3, { { "beta1", 0.9, 0.0, 1.0, 0, 1, 0, "decay of the first moment", 0 },
         { "beta2", 0.999, 0.0, 1.0, 0, 1, 0, "decay of the second moment", 0 },
         EPS (1e-8) },
    1, { "t" }, 2, { "M", "V" }, 1, 0, 0, -1, init_zero, step_adam, step_adam_f, 0,
    1.0, -1, 0, 0, -1, 0 },
  { "wngrad", "b += eta^2 * ||G||_F^2 / b; b += epsilon; W -= (eta / b) * G",
    2, { { "b0", 1.0, 0.0, INFINITY, 1, 1, 1, "initial b (WNGrad's initial_accumulator_value)", 0 },
         { "epsilon", 1e-8, 0.0, INFINITY, 0, 1, 0, "added to b at every step", 0 } },
    1, { "b" }, 0, { 0 }, 0, 1, 0, 0, init_b, step_wngrad, step_wngrad_f, 1,
    1e-2, -1, 0, 0, -1, 0 },
  { "dog", "t = 0: rbar = reps*(1 + ||x0||), S = ||G||^2 + epsilon; then rbar = max (rbar, "
           "||W - x0||), S += ||G||^2; W -= eta * rbar / sqrt (S) * G",
    2, { { "reps", 1e-6, 0.0, INFINITY, 1, 1, 1, "first distance, relative to 1 + ||x0|| (reps_rel)", 0 },
         { "epsilon", 1e-8, 0.0, INFINITY, 0, 1, 1, "added to the first squared gradient norm", 0 } },
    3, { "t", "rbar", "S" }, 1, { "x0" }, 0, 1, 0, -1, init_zero, step_dog, step_dog_f, 0,
    1.0, 0, 1u, 1u, -1, 0 },
  { "dowg", "r2 = max (r2, ||x0 - W||^2); v += r2 * ||G||^2; W -= eta * r2 / (sqrt (v) + epsilon) * G",
    1, { { "epsilon", 1e-4, 0.0, INFINITY, 1, 1, 1,
           "the first squared distance r2, and added to sqrt (v)", 0 } },
    3, { "t", "r2", "v" }, 1, { "x0" }, 0, 1, 0, -1, init_dowg, step_dowg, step_dowg_f, 0,
    1.0, 0, 1u, 1u, -1, 0 },
  { "polyak", "gamma = min ((L - fmin) / (eta^2 ||G||^2 + epsilon), stepmax) (0 when the "
              "denominator <= eps); W -= eta * gamma * G",
    3, { { "stepmax", 1.0, 0.0, INFINITY, 1, 1, 0, "the cap of gamma (max_learning_rate)", 0 },
         { "fmin", 0.0, -INFINITY, INFINITY, 0, 0, 0, "the optimal loss assumed (f_min)", 0 },
         { "epsilon", 0.0, 0.0, INFINITY, 0, 1, 0, "added to the squared norm", 0 } },
    0, { 0 }, 0, { 0 }, 0, 1, 1, -1, init_zero, step_polyak, step_polyak_f, 1,
    1.0, -1, 0, 0, -1, 0 },
  { "dadapt-sgd", "k = 0: g0 = ||G||; dlr = d*eta/g0; num += dlr*<G, s>; s += dlr*G; W = x0 - s; "
                  "d = max (d, min (2*num/||s||, d*growth))",
    2, { { "d0", 1e-6, 0.0, INFINITY, 1, 1, 1, "initial d", 0 },
         { "growth", INFINITY, 0.0, INFINITY, 1, 0, 0, "cap of d's growth per step (growth_rate)",
           AG_PARAM_INF } },
    4, { "k", "d", "num", "g0" }, 2, { "s", "x0" }, 0, 1, 0, -1, init_dadapt, step_dadapt,
    step_dadapt_f, 0, 1.0, 0, 2u, 2u, -1, 4u },
  { "prodigy", "Adam with the learning rate d*eta, d estimated from <G, x0 - W> and s "
               "(Mishchenko and Defazio's Prodigy, no bias correction)",
    7, { { "beta1", 0.9, 0.0, 1.0, 0, 1, 0, "decay of the first moment", 0 },
         { "beta2", 0.999, 0.0, 1.0, 0, 1, 0, "decay of the second moment", 0 },
         { "beta3", NAN, 0.0, 1.0, 0, 1, 0, "decay of d's sums (NaN: sqrt (beta2))",
           AG_PARAM_AUTO },
         { "epsilon", 1e-8, 0.0, INFINITY, 0, 1, 0, "times d, added to sqrt (V)", 0 },
         { "d0", 1e-6, 0.0, INFINITY, 1, 1, 1, "initial d", 0 },
         { "dcoef", 1.0, 0.0, INFINITY, 1, 1, 0, "factor of d's estimate (d_coef)", 0 },
         { "growth", INFINITY, 0.0, INFINITY, 1, 0, 0, "cap of d's growth per step (growth_rate)",
           AG_PARAM_INF } },
    4, { "k", "d", "dmax", "dnum" }, 4, { "s", "M", "V", "x0" }, 0, 0, 0, -1, init_prodigy,
    step_prodigy, step_prodigy_f, 0, 1.0, 0, 8u, 8u, -1, 8u },
  { "schedule-free", "z -= eta_t*G; x = (1-c)*x + c*z (c = w_k / sum w); y = mu*x + (1-mu)*z; "
                     "G taken at y, W is x",
    4, { { "momentum", 0.9, 0.0, 1.0, 0, 0, 0, "mu, the interpolation of y between x and z", 0 },
         { "warmup", 0.0, 0.0, INFINITY, 0, 1, 0, "steps of linear warm-up (warmup_steps)", 0 },
         { "r", 0.0, 0.0, INFINITY, 0, 1, 0, "power of k in the averaging weights", 0 },
         { "weightpower", 2.0, 0.0, INFINITY, 0, 1, 0, "power of lr_max in the weights (weight_lr_power)", 0 } },
    3, { "k", "wsum", "lrmax" }, 2, { "z", "y" }, 0, 0, 0, -1, init_schedule_free,
    step_schedule_free, step_schedule_free_f, 0, 1.0, 0, 3u, 0u, 1, 4u },
  { "cocob", "c = eta*G; L = max (L, |c|); Gabs += |c|; R = max (R - c.*(W - x0), 0); C -= c; "
             "W = x0 + C ./ (L .* max (Gabs + L, alpha*L)) .* (L + R)",
    2, { { "alpha", 100.0, 0.0, INFINITY, 1, 1, 0, "bounds the first bets: a first move of 1/alpha", 0 },
         { "epsilon", 1e-8, 0.0, INFINITY, 1, 1, 1, "the first L", 0 } },
    1, { "t" }, 5, { "L", "Gabs", "R", "C", "x0" }, 0, 0, 0, -1, init_cocob, step_cocob,
    step_cocob_f, 0, 1.0, 0, 16u, 16u, -1, 0 },
  { "external", "W = the caller's step (a rule written in Octave)",
    0, { { 0 } }, 0, { 0 }, 0, { 0 }, 0, 0, 0, -1, init_zero, step_external, step_external, 0,
    1.0, -1, 0, 0, -1, 0 },
};
#define NAMED ((int) (sizeof table / sizeof table[0]) - 1)

int
ag_rule_count (void)
{
  return NAMED;
}

const ag_rule_info *
ag_rule_external (void)
{
  return &table[NAMED];
}

const ag_rule_info *
ag_rule_at (int index)
{
  return index >= 0 && index < ag_rule_count () ? &table[index] : NULL;
}

const ag_rule_info *
ag_rule_default (void)
{
  return &table[2];
}

const ag_rule_info *
ag_rule_find (const char *name)
{
  if (! name)
    return NULL;
  for (int r = 0; r < ag_rule_count (); r++)
    if (strcmp (name, table[r].name) == 0)
      return &table[r];
  return NULL;
}

static int
is_entry (const ag_rule_info *rule)
{
  for (int r = 0; r <= NAMED; r++)
    if (rule == &table[r])
      return 1;
  return 0;
}

ag_status
ag_optimizer_check (const ag_optimizer *opt)
{
  if (! opt)
    return AG_ENULL;
  if (! opt->rule || ! is_entry (opt->rule))
    return AG_ERULE;
  if (! isfinite (opt->eta))
    return AG_ENONFINITE;
  if (opt->eta < 0.0)
    return AG_EARG;
  for (int i = 0; i < opt->rule->nparams; i++)
    {
      const ag_param_info *p = &opt->rule->params[i];
      double v = opt->par[i];
      if ((isnan (v) && p->special == AG_PARAM_AUTO)
          || (v == INFINITY && p->special == AG_PARAM_INF))
        continue;
      if (! isfinite (v))
        return AG_ENONFINITE;
      if (v < p->lo || (p->lo_open && v == p->lo) || v > p->hi || (p->hi_open && v == p->hi))
        return AG_EARG;
    }
  return AG_OK;
}

ag_status
ag_state_init (const ag_optimizer *opt, size_t m, size_t d, int single, ag_state *state)
{
  ag_status st = ag_optimizer_check (opt);
  if (st != AG_OK)
    return st;
  if (! state)
    return AG_ENULL;
  const ag_rule_info *rule = opt->rule;
  for (int i = 0; i < rule->narrays; i++)
    if (! state->arrays[i])
      return AG_ENULL;
  if (rule->narrays > 0 && (m == 0 || d == 0 || d > (size_t) PTRDIFF_MAX / sizeof (double) / m))
    return AG_ESIZE;
  double fill[AG_MAX_ARRAYS] = { 0.0 };
  memset (state->scalars, 0, sizeof state->scalars);
  rule->init (opt->par, state->scalars, fill);
  for (int i = 0; i < rule->narrays; i++)
    for (size_t j = 0; j < m * d; j++)
      {
        if (single)
          ((float *) state->arrays[i])[j] = (float) fill[i];
        else
          ((double *) state->arrays[i])[j] = fill[i];
      }
  return AG_OK;
}
