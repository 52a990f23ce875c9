/* common.c: the helpers of the C tests (common.h). */
#include "common.h"

int passed, failed;
const ag_exec four = { .threads = 4 };

static unsigned long long rng_state = 88172645463325252ULL;

double
urand (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return 2.0 * ((double) (rng_state >> 11) / 9007199254740992.0) - 1.0;
}

double
nrand (void)
{
  double u1 = 0.5 * (urand () + 1.0) + 1e-300, u2 = 0.5 * (urand () + 1.0);
  return sqrt (-2.0 * log (u1)) * cos (6.283185307179586 * u2);
}

problem
make_problem (size_t n, size_t d, size_t m)
{
  problem p = { n, d, m, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
  p.X = malloc (n * d * sizeof (double));
  p.y = malloc (n * sizeof (double));
  p.W = malloc (m * d * sizeof (double));
  p.a = malloc (m * sizeof (double));
  p.G = malloc (m * d * sizeof (double));
  p.u = malloc (n * sizeof (double));
  ag_sizes sz = { .n = n, .d = d, .m = m };
  p.work = malloc (ag_forward_bytes (&sz, &four));
  for (size_t i = 0; i < n; i++)
    {
      double s = 0.0;
      for (size_t k = 0; k < d; k++)
        {
          p.X[i + k * n] = nrand ();
          s += p.X[i + k * n] * p.X[i + k * n];
        }
      for (size_t k = 0; k < d; k++)
        p.X[i + k * n] /= sqrt (s);
      p.y[i] = nrand ();
    }
  for (size_t j = 0; j < m * d; j++)
    p.W[j] = nrand ();
  for (size_t r = 0; r < m; r++)
    p.a[r] = urand () < 0 ? -1.0 : 1.0;
  return p;
}

void
free_problem (problem *p)
{
  free (p->X); free (p->y); free (p->W); free (p->a); free (p->G); free (p->u);
  free (p->work);
}

/* Naive triple loop: u and the loss, independent of the blocked core. */
double
naive_loss (const problem *p, const double *W, double *u)
{
  double L = 0.0;
  for (size_t i = 0; i < p->n; i++)
    {
      double s = 0.0;
      for (size_t r = 0; r < p->m; r++)
        {
          double z = 0.0;
          for (size_t k = 0; k < p->d; k++)
            z += p->X[i + k * p->n] * W[r + k * p->m];
          s += p->a[r] * (z > 0 ? z : 0);
        }
      s /= sqrt ((double) p->m);
      if (u)
        u[i] = s;
      L += 0.5 * (s - p->y[i]) * (s - p->y[i]);
    }
  return L;
}

/* An optimizer of the rule NAME with its default parameters and learning rate eta. */
ag_optimizer
optimizer (const char *name, double eta)
{
  ag_optimizer o = { .rule = ag_rule_find (name), .eta = eta };
  for (int i = 0; o.rule && i < o.rule->nparams; i++)
    o.par[i] = o.rule->params[i].def;
  return o;
}

/* A state with its arrays allocated (double, m*d each) and initialized. */
ag_state
new_state (const ag_optimizer *o, size_t m, size_t d)
{
  ag_state st;
  memset (&st, 0, sizeof st);
  for (int i = 0; i < o->rule->narrays; i++)
    st.arrays[i] = malloc (m * d * sizeof (double));
  ag_state_init (o, m, d, 0, &st);
  return st;
}

void
free_state (ag_state *st)
{
  for (int i = 0; i < AG_MAX_ARRAYS; i++)
    free (st->arrays[i]);
}

/* ag_train of O for up to K steps on P from W (in/out) and ST (in/out),
   in a workspace of its own; the records are copied to loss (K+1), b and
   step (K) when given. The workspace, which the records of *res point into,
   lives until the next call (or train_done). */
void *train_work;

void
train_done (void)
{
  free (train_work);
  train_work = NULL;
}

ag_status
train (const problem *p, ag_train_opts *opt, double *W, ag_state *st,
       ag_train_result *res, double *loss, double *b, double *rate, const ag_exec *exec)
{
  train_done ();
  ag_sizes sz = ag_train_sizes (p->n, p->d, p->m, 0, opt);
  void *work = malloc (ag_train_bytes (&sz, exec) + 8);
  ag_status status = ag_train (p->n, p->d, p->m, p->X, p->y, p->a, W, st, opt, work, res,
                               exec);
  if (status == AG_OK)
    {
      if (loss)
        memcpy (loss, res->loss, (size_t) (res->iters + 1) * sizeof (double));
      if (b)
        memcpy (b, res->b, (size_t) res->iters * sizeof (double));
      if (rate)
        memcpy (rate, res->rate, (size_t) res->iters * sizeof (double));
    }
  train_work = work;
  return status;
}

/* Max |A - B| / max |B| over COUNT entries. */
double
rel_diff (const double *A, const double *B, size_t count)
{
  double num = 0, den = 0;
  for (size_t i = 0; i < count; i++)
    {
      num = fmax (num, fabs (A[i] - B[i]));
      den = fmax (den, fabs (B[i]));
    }
  return num / den;
}

/* The closing line names LABEL (argument 1; "core" by default), so that a
   second build of these tests can be a part of its own in make check. */
/* A kernel state for rule O's sizes (double), allocated; free with kernel_free. */
ag_kernel
kernel_new (const problem *p, const ag_optimizer *o, long reform)
{
  ag_kernel k = { .reform = reform };
  size_t len = 2 * p->n * p->m + 1, md = p->m * p->d;
  k.A = calloc (len, sizeof (double));
  k.Wa = calloc (md, sizeof (double));
  k.K = calloc (p->n * p->n, sizeof (double));
  for (int i = 0; i < o->rule->narrays; i++)
    {
      k.As[i] = calloc (len, sizeof (double));
      k.Sa[i] = calloc (md, sizeof (double));
    }
  return k;
}

void
kernel_free (ag_kernel *k)
{
  free (k->A); free (k->Wa); free (k->K);
  for (int i = 0; i < AG_MAX_ARRAYS; i++)
    {
      free (k->As[i]);
      free (k->Sa[i]);
    }
}
