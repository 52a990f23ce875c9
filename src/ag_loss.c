/* ag_loss.c: the loss table; nothing else knows a loss by name or formula. */
#include "ag.h"

#include <math.h>
#include <string.h>

/* ---- squared: L = 0.5 * sum_i (u_i - y_i)^2 ---- */

static double
squared (size_t n, const double *u, const double *y, double *e)
{
  double s = 0.0;
  for (size_t i = 0; i < n; i++)
    {
      e[i] = u[i] - y[i];
      s += e[i] * e[i];
    }
  return 0.5 * s;
}

static double
squared_f (size_t n, const double *u, const float *y, double *e)
{
  double s = 0.0;
  for (size_t i = 0; i < n; i++)
    {
      e[i] = u[i] - (double) y[i];
      s += e[i] * e[i];
    }
  return 0.5 * s;
}

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
   the small side. */
static inline double
logistic_term (double u, double y, double *e)
{
  const double t = y * u, z = exp (-fabs (t));
  const double s = t >= 0.0 ? z / (1.0 + z) : 1.0 / (1.0 + z);   /* sigma (-t) */
  *e = -y * s;
  return (t < 0.0 ? -t : 0.0) + log1p (z);
}

static double
logistic (size_t n, const double *u, const double *y, double *e)
{
  double s = 0.0;
  for (size_t i = 0; i < n; i++)
    s += logistic_term (u[i], y[i], &e[i]);
  return s;
}

static double
logistic_f (size_t n, const double *u, const float *y, double *e)
{
  double s = 0.0;
  for (size_t i = 0; i < n; i++)
    s += logistic_term (u[i], (double) y[i], &e[i]);
  return s;
}

static const ag_loss_info table[] = {
  { "squared", "L = 0.5 * sum_i (u_i - y_i)^2", "dL/du_i = u_i - y_i",
    "||u - y|| = sqrt (2 L)", "real", squared, squared_f, sqrt_2l },
  { "logistic", "L = sum_i log (1 + exp (-y_i u_i))",
    "dL/du_i = -y_i / (1 + exp (y_i u_i))", "sqrt (2 L)", "sign", logistic, logistic_f,
    sqrt_2l },
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
