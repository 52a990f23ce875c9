/* ag_mex.h: argument checks and status mapping shared by the adagrad MEX gateways. */
#ifndef AG_MEX_H
#define AG_MEX_H

#include "mex.h"
#include "ag.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Octave prefixes every message with the MEX function's name itself. */

static inline void
ag_mex_fail (const char *id, const char *what, const char *expected)
{
  mexErrMsgIdAndTxt (id, "%s must be %s", what, expected);
}

/* nrhs in [lo, hi], nlhs at most maxout. */
static inline void
ag_mex_nargs (int nrhs, int lo, int hi, int nlhs, int maxout)
{
  if (nrhs < lo || nrhs > hi)
    {
      if (lo == hi)
        mexErrMsgIdAndTxt ("adagrad:nargin", "expected %d input arguments, got %d",
                           lo, nrhs);
      mexErrMsgIdAndTxt ("adagrad:nargin", "expected %d to %d input arguments, got %d",
                         lo, hi, nrhs);
    }
  if (nlhs > maxout)
    mexErrMsgIdAndTxt ("adagrad:nargout", "at most %d output arguments", maxout);
}

/* The precision of a call: that of X, which must be double or single. */
static inline mxClassID
ag_mex_class (const mxArray *X)
{
  if (! (mxIsDouble (X) || mxIsSingle (X)))
    ag_mex_fail ("adagrad:badclass", "X", "a real, full, 2-D double or single matrix");
  return mxGetClassID (X);
}

/* A real, full matrix of class cls (rows-by-cols; 0 means any count). */
static inline void *
ag_mex_matrix (const mxArray *A, const char *what, size_t rows, size_t cols,
               mxClassID cls)
{
  if (mxGetClassID (A) != cls || mxIsComplex (A) || mxIsSparse (A)
      || mxGetNumberOfDimensions (A) != 2)
    mexErrMsgIdAndTxt ("adagrad:badclass",
                       "%s must be a real, full, 2-D %s matrix (the class of X)", what,
                       cls == mxSINGLE_CLASS ? "single" : "double");
  size_t r = mxGetM (A), c = mxGetN (A);
  if (rows && cols && (r != rows || c != cols))
    mexErrMsgIdAndTxt ("adagrad:badsize", "%s must be %zu-by-%zu, got %zu-by-%zu",
                       what, rows, cols, r, c);
  if (rows && r != rows)
    mexErrMsgIdAndTxt ("adagrad:badsize", "%s must have %zu rows, got %zu-by-%zu",
                       what, rows, r, c);
  if (cols && c != cols)
    mexErrMsgIdAndTxt ("adagrad:badsize", "%s must have %zu columns, got %zu-by-%zu",
                       what, cols, r, c);
  if (mxGetNumberOfElements (A) == 0)
    ag_mex_fail ("adagrad:badsize", what, "non-empty");
  return mxGetData (A);
}

static inline double
ag_mex_scalar (const mxArray *A, const char *what)
{
  if (! mxIsDouble (A) || mxIsComplex (A) || mxIsSparse (A)
      || mxGetNumberOfElements (A) != 1)
    ag_mex_fail ("adagrad:badclass", what, "a real double scalar");
  return mxGetScalar (A);
}

/* A rule name; errors on anything but "gd", "adagrad-norm", "adaloss". */
static inline ag_rule
ag_mex_rule (const mxArray *A)
{
  char name[16];
  ag_rule rule;
  if (! mxIsChar (A) || mxGetM (A) > 1
      || mxGetString (A, name, sizeof name) != 0
      || ag_rule_from_name (name, &rule) != AG_OK)
    ag_mex_fail ("adagrad:badrule", "RULE", "\"gd\", \"adagrad-norm\" or \"adaloss\"");
  return rule;
}

/* A count given as a non-negative integer-valued double scalar. */
static inline double
ag_mex_count (const mxArray *A, const char *what)
{
  double v = ag_mex_scalar (A, what);
  if (! (v >= 0) || v != floor (v) || v > 9007199254740992.0)
    ag_mex_fail ("adagrad:badvalue", what, "a non-negative integer");
  return v;
}

static inline void
ag_mex_status (int st)
{
  static const char *const ids[] = {
    "adagrad:ok", "adagrad:null", "adagrad:badsize", "adagrad:badvalue",
    "adagrad:badrule", "adagrad:nonfinite"
  };
  if (st != AG_OK)
    mexErrMsgIdAndTxt (st > 0 && st <= AG_ENONFINITE ? ids[st] : "adagrad:internal",
                       "%s", ag_strerror (st));
}

/* The network's arrays X (n-by-d), W (m-by-d) and a (m-by-1), all of the
   class of X (double or single). */
typedef struct ag_mex_model {
  mxClassID cls;
  size_t n, d, m;
  const void *X, *W, *a;
} ag_mex_model;

static inline ag_mex_model
ag_mex_get_model (const mxArray *X, const mxArray *W, const mxArray *a)
{
  ag_mex_model M;
  M.cls = ag_mex_class (X);
  M.X = ag_mex_matrix (X, "X", 0, 0, M.cls);
  M.n = mxGetM (X);
  M.d = mxGetN (X);
  M.W = ag_mex_matrix (W, "W", 0, M.d, M.cls);
  M.m = mxGetM (W);
  M.a = ag_mex_matrix (a, "A", M.m, 1, M.cls);
  return M;
}

/* Optional trailing THREADS argument: a count >= 0; 0 or absent means
   OpenMP's default (OMP_NUM_THREADS, else the cores). */
static inline ag_exec
ag_mex_exec (int nrhs, const mxArray *prhs[], int slot)
{
  ag_exec exec = { 0 };
  if (nrhs > slot)
    {
      double t = ag_mex_count (prhs[slot], "THREADS");
      if (t > 1024)
        ag_mex_fail ("adagrad:badvalue", "THREADS", "at most 1024");
      exec.threads = (int) t;
    }
  if (exec.threads == 0)
    exec.threads = ag_default_threads ();
  return exec;
}

/* Fails with adagrad:nomemory, before anything is allocated and without
   touching the caller's arrays, when BYTES (a double, so that products of
   sizes cannot wrap) cannot be had. A plain malloc probes: on failure Octave's
   own allocator would raise a different, unidentified error. */
static inline void
ag_mex_probe (double bytes)
{
  void *p = NULL;
  if (bytes < (double) (SIZE_MAX / 2))
    p = malloc ((size_t) bytes > 0 ? (size_t) bytes : 1);
  if (! p)
    mexErrMsgIdAndTxt ("adagrad:nomemory", "cannot allocate %.3g bytes", bytes);
  free (p);
}

/* BYTES of workspace for sizes (n, d, m), as a *_workspace_size function of the
   core gives them (0: too large), from mxMalloc so that an error frees it. */
static inline void *
ag_mex_workspace (size_t bytes, size_t n, size_t d, size_t m)
{
  if (bytes == 0)
    mexErrMsgIdAndTxt ("adagrad:badsize", "sizes n=%zu, d=%zu, m=%zu are too large",
                       n, d, m);
  void *work = mxMalloc (bytes);
  if (! work)
    mexErrMsgIdAndTxt ("adagrad:nomemory", "cannot allocate %zu bytes of workspace",
                       bytes);
  return work;
}

/* Hands out[0..nout-1] to the caller: Octave provides only max (nlhs, 1) slots
   in plhs, so the outputs nobody asked for are destroyed instead. */
static inline void
ag_mex_return (int nlhs, mxArray *plhs[], mxArray *out[], int nout)
{
  int give = nlhs > 1 ? nlhs : 1;
  for (int i = 0; i < nout; i++)
    {
      if (i < give)
        plhs[i] = out[i];
      else
        mxDestroyArray (out[i]);
    }
}

#endif /* AG_MEX_H */
