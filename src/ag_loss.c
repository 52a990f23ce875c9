/* ag_loss.c: the loss table; nothing else knows a loss by name or formula. */
#include "ag.h"

#include <math.h>
#include <string.h>

/* Each entry's eval: U (n-by-K, double) against Y (leading dimension ldy,
   or labels), e = dL/dU n-by-K; eval_f the same with float targets. The
   loops are written once for both target types (TY). */

/* ---- squared: L = 0.5 * ||U - Y||_F^2 (K = 1: sum_i (u_i - y_i)^2 / 2) ---- */
#define SQUARED(NAME, TY)                                                    \
  static double                                                              \
  NAME (size_t n, size_t K, const double *u, const TY *y, size_t ldy, double *e) \
  {                                                                          \
    double s = 0.0;                                                          \
    for (size_t k = 0; k < K; k++)                                           \
      for (size_t i = 0; i < n; i++)                                         \
        {                                                                    \
          const size_t j = i + k * n;                                        \
          e[j] = u[j] - (double) y[i + k * ldy];                             \
          s += e[j] * e[j];                                                  \
        }                                                                    \
    return 0.5 * s;                                                          \
  }
SQUARED (squared, double)
SQUARED (squared_f, float)

/* ||u - y|| = sqrt (2 L). */
static double
sqrt_2l (double loss)
{
  return sqrt (2.0 * loss);
}

/* ---- logistic: L = sum_i log (1 + exp (-y_i u_i)), labels y_i = +-1 ----
   Computed stably: log (1 + exp (-t)) = max (-t, 0) + log1p (exp (-|t|)),
   dL/du_i = -y_i / (1 + exp (y_i u_i)) = -y_i * sigma (-t), with sigma taken
   from exp (-|t|) on either side so that it neither overflows nor loses
   the small side. One output (kmax 1). */
static inline double
logistic_term (double u, double y, double *e)
{
  const double t = y * u, z = exp (-fabs (t));
  const double s = t >= 0.0 ? z / (1.0 + z) : 1.0 / (1.0 + z);   /* sigma (-t) */
  *e = -y * s;
  return (t < 0.0 ? -t : 0.0) + log1p (z);
}

#define LOGISTIC(NAME, TY)                                                   \
  static double                                                              \
  NAME (size_t n, size_t K, const double *u, const TY *y, size_t ldy, double *e) \
  {                                                                          \
    (void) K;                                                                \
    (void) ldy;                                                              \
    double s = 0.0;                                                          \
    for (size_t i = 0; i < n; i++)                                           \
      s += logistic_term (u[i], (double) y[i], &e[i]);                       \
    return s;                                                                \
  }
LOGISTIC (logistic, double)
LOGISTIC (logistic_f, float)

/* ---- softmax: labels c_i in 1..K, L = sum_i (log sum_k exp (U_ik) - U_ic_i) ----
   Stably from the row's largest entry mu: log sum_k exp (U_ik) = mu + log
   sum_k exp (U_ik - mu), each term <= 1 and one of them 1; dL/dU_ik =
   exp (U_ik - mu) / sum - [k = c_i]. A label that is not an integer in 1..K
   (or a NaN output) makes L NaN, with e NaN on that row. */
static inline double
softmax_row (size_t n, size_t K, const double *u, double label, double *e)
{
  double mu = -INFINITY;
  for (size_t k = 0; k < K; k++)
    mu = u[k * n] > mu ? u[k * n] : mu;
  if (! (label >= 1.0 && label <= (double) K && label == floor (label)) || ! isfinite (mu))
    {
      for (size_t k = 0; k < K; k++)
        e[k * n] = NAN;
      return NAN;
    }
  double sum = 0.0;
  for (size_t k = 0; k < K; k++)
    sum += (e[k * n] = exp (u[k * n] - mu));
  const size_t c = (size_t) label - 1;
  for (size_t k = 0; k < K; k++)
    e[k * n] /= sum;
  e[c * n] -= 1.0;
  return mu + log (sum) - u[c * n];
}

#define SOFTMAX(NAME, TY)                                                    \
  static double                                                              \
  NAME (size_t n, size_t K, const double *u, const TY *y, size_t ldy, double *e) \
  {                                                                          \
    (void) ldy;                                                              \
    double s = 0.0;                                                          \
    for (size_t i = 0; i < n; i++)                                           \
      s += softmax_row (n, K, u + i, (double) y[i], e + i);                  \
    return s;                                                                \
  }
SOFTMAX (softmax, double)
SOFTMAX (softmax_f, float)

static const ag_loss_info table[] = {
  { "squared", "L = 0.5 * ||U - Y||_F^2", "dL/dU = U - Y",
    "||U - Y||_F = sqrt (2 L)", "real", 0, 1, 0, squared, squared_f, sqrt_2l },
  { "logistic", "L = sum_i log (1 + exp (-y_i u_i))",
    "dL/du_i = -y_i / (1 + exp (y_i u_i))", "sqrt (2 L)", "sign", 0, 1, 1, logistic,
    logistic_f, sqrt_2l },
  { "softmax", "L = sum_i (log sum_k exp (U_ik) - U_ic_i)",
    "dL/dU_ik = exp (U_ik) / sum_j exp (U_ij) - [k = c_i]", "sqrt (2 L)", "class", 1, 2, 0,
    softmax, softmax_f, sqrt_2l },
};

int
ag_loss_count (void)
{
  return (int) (sizeof table / sizeof table[0]);
}

const ag_loss_info *
ag_loss_at (int index)
{
  return index >= 0 && index < ag_loss_count () ? &table[index] : NULL;
}

const ag_loss_info *
ag_loss_default (void)
{
  return &table[0];
}

const ag_loss_info *
ag_loss_find (const char *name)
{
  if (! name)
    return NULL;
  for (int k = 0; k < ag_loss_count (); k++)
    if (strcmp (name, table[k].name) == 0)
      return &table[k];
  return NULL;
}

int
ag_loss_is_entry (const ag_loss_info *loss)
{
  for (int k = 0; k < ag_loss_count (); k++)
    if (loss == &table[k])
      return 1;
  return 0;
}

int
ag_loss_takes (const ag_loss_info *loss, size_t K)
{
  return loss && K >= loss->kmin && (loss->kmax == 0 || K <= loss->kmax);
}
