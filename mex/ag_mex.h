/* ag_mex.h: argument marshalling shared by the adagrad MEX gateways: checks of the
   arguments, the status mapping, the network's arrays, the optimizer and its state
   structs. What the operating system decides (threads that follow the load, the
   memory headroom) is in ag_mex_os.h. */
#ifndef AG_MEX_H
#define AG_MEX_H

#include "mex.h"
#include "ag.h"
#include "ag_mex_os.h"

#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Octave prefixes every message with the MEX function's name itself. */

/* Octave raises octave_signal_caught on every signal it catches and counts
   interrupts (SIGINT) in octave_interrupt_state (quit.h; there is no
   utIsInterruptPending in Octave). The building blocks stop on an interrupt
   only: another signal is answered by Octave when they return, as for any
   built-in function. */
extern volatile sig_atomic_t octave_signal_caught;
extern sig_atomic_t octave_interrupt_state;

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
  if (! A || mxGetClassID (A) != cls || mxIsComplex (A) || mxIsSparse (A)
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
  if (! A || ! mxIsDouble (A) || mxIsComplex (A) || mxIsSparse (A)
      || mxGetNumberOfElements (A) != 1)
    ag_mex_fail ("adagrad:badclass", what, "a real double scalar");
  return mxGetScalar (A);
}

/* A string argument (a row of chars) copied into buf; errors otherwise. */
static inline void
ag_mex_string (const mxArray *A, const char *what, char *buf, size_t len)
{
  if (! A || ! mxIsChar (A) || mxGetM (A) > 1 || mxGetString (A, buf, len) != 0)
    mexErrMsgIdAndTxt ("adagrad:badvalue", "%s must be a string of fewer than %zu characters",
                       what, len);
}

/* A rule of the table by its name; the error lists the table's names. */
static inline const ag_rule_info *
ag_mex_rule (const mxArray *A)
{
  char name[32], list[256] = "";
  const ag_rule_info *rule = NULL;
  if (A && mxIsChar (A) && mxGetM (A) <= 1 && mxGetString (A, name, sizeof name) == 0)
    rule = ag_rule_find (name);
  if (! rule)
    {
      for (int r = 0; r < ag_rule_count (); r++)
        {
          strncat (list, r ? ", \"" : "\"", sizeof list - strlen (list) - 1);
          strncat (list, ag_rule_at (r)->name, sizeof list - strlen (list) - 1);
          strncat (list, "\"", sizeof list - strlen (list) - 1);
        }
      mexErrMsgIdAndTxt ("adagrad:badrule", "RULE must be one of %s", list);
    }
  return rule;
}

/* An optional field of the scalar struct S (NULL when absent, or when S is
   NULL: an optional field of a table that was not given). */
static inline const mxArray *
ag_mex_optional (const mxArray *S, const char *name)
{
  return S && mxIsStruct (S) && mxGetNumberOfElements (S) == 1 ? mxGetField (S, 0, name) : NULL;
}

/* Field NAME of the scalar struct S, which must exist. */
static inline const mxArray *
ag_mex_field (const mxArray *S, const char *sname, const char *name)
{
  const mxArray *F = ag_mex_optional (S, name);
  if (! F)
    mexErrMsgIdAndTxt ("adagrad:badvalue", "%s must be a struct with a field %s", sname, name);
  return F;
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

/* An interrupt that stopped a C call is taken over by the gateway: Octave
   forgets it, and the caller raises a catchable error instead. */
static inline void
ag_mex_take_interrupt (void)
{
  *(volatile sig_atomic_t *) &octave_interrupt_state = 0;
  octave_signal_caught = 0;
}

static inline void
ag_mex_status (ag_status st)
{
  static const char *const ids[] = {
    "adagrad:ok", "adagrad:null", "adagrad:badsize", "adagrad:badvalue",
    "adagrad:badrule", "adagrad:nonfinite", "adagrad:interrupted", "adagrad:undefined"
  };
  if (st == AG_ECANCELLED)
    ag_mex_take_interrupt ();
  if (st != AG_OK)
    mexErrMsgIdAndTxt ((int) st > 0 && st <= AG_EUNDEFINED ? ids[st] : "adagrad:internal",
                       "%s", ag_strerror (st));
}

/* The status of a call that returns what it computed (forward, gradient,
   Gram, a step): a Ctrl-C that came during it, also in a stretch of work that
   does not look at the flag (the last block, a write of the outputs), ends it
   with the catchable adagrad:interrupted too. Left to Octave, that interrupt
   would be thrown right after the call returns, where no try/catch takes it. */
static inline void
ag_mex_call_status (ag_status st)
{
  if (st == AG_OK && *(volatile sig_atomic_t *) &octave_interrupt_state > 0)
    st = AG_ECANCELLED;
  ag_mex_status (st);
}

/* The network's arrays X (n-by-d), W (m-by-d) and a (m-by-K: K outputs),
   all of the class of X (double or single). */
typedef struct ag_mex_model {
  mxClassID cls;
  size_t n, d, m, K;
  const void *X, *W, *a;
} ag_mex_model;

/* The model (X, W, a) checked: X double or single, W with d columns, a with
   m rows (one column per output); WNAME and ANAME name W and a in errors. */
static inline ag_mex_model
ag_mex_model_named (const mxArray *X, const mxArray *W, const mxArray *a, const char *wname,
                    const char *aname)
{
  ag_mex_model M;
  M.cls = ag_mex_class (X);
  M.X = ag_mex_matrix (X, "X", 0, 0, M.cls);
  M.n = mxGetM (X);
  M.d = mxGetN (X);
  M.W = ag_mex_matrix (W, wname, 0, M.d, M.cls);
  M.m = mxGetM (W);
  M.a = ag_mex_matrix (a, aname, M.m, 0, M.cls);
  M.K = mxGetN (a);
  if (M.K > AG_MAX_OUTPUTS)
    ag_mex_fail ("adagrad:badsize", aname, "at most 65536 columns (outputs)");
  return M;
}

static inline ag_mex_model
ag_mex_get_model (const mxArray *X, const mxArray *W, const mxArray *a)
{
  return ag_mex_model_named (X, W, a, "W", "A");
}

/* The targets Y of the model M for the loss LF: n-by-K, or n class labels
   (n-by-1) when the loss reads labels; K within the loss's range. */
static inline const void *
ag_mex_targets (const mxArray *Y, const char *what, const ag_mex_model *M,
                const ag_loss_info *lf, size_t rows)
{
  if (! ag_loss_takes (lf, M->K))
    mexErrMsgIdAndTxt ("adagrad:badsize", "the loss \"%s\" takes %s outputs, got A with %zu "
                       "columns", lf->name, lf->kmax == 1 ? "1" : lf->kmin == 2 ? ">= 2"
                       : "any number of", M->K);
  return ag_mex_matrix (Y, what, rows, lf->labels ? 1 : M->K, M->cls);
}

/* A THREADS value: a count >= 0; 0 means ag_mex_auto_threads
   (OMP_NUM_THREADS, else the cores that other tasks leave free), which is
   what the core is then given. */
static inline ag_exec
ag_mex_threads (const mxArray *A)
{
  ag_exec exec = { 0 };
  if (A)
    {
      double t = ag_mex_count (A, "THREADS");
      if (t > 1024)
        ag_mex_fail ("adagrad:badvalue", "THREADS", "at most 1024");
      exec.threads = (int) t;
    }
  if (exec.threads == 0)
    exec.threads = ag_mex_auto_threads ();
  exec.cancel = &octave_interrupt_state;
  return exec;
}

/* Optional trailing THREADS argument in slot SLOT. */
static inline ag_exec
ag_mex_exec (int nrhs, const mxArray *prhs[], int slot)
{
  return ag_mex_threads (nrhs > slot ? prhs[slot] : NULL);
}

/* BYTES of workspace, as a *_bytes function of the core gives them (0: too
   large), from mxMalloc so that an error frees it. EXTRA: the bytes of the
   outputs the gateway creates besides, probed together with the workspace. */
static inline void *
ag_mex_workspace (size_t bytes, double extra, const ag_sizes *sz)
{
  if (bytes == 0)
    mexErrMsgIdAndTxt ("adagrad:badsize", "sizes n=%zu, d=%zu, m=%zu are too large",
                       sz->n, sz->d, sz->m);
  ag_mex_probe ((double) bytes + extra);
  void *work = mxMalloc (bytes);
  if (! work)
    mexErrMsgIdAndTxt ("adagrad:nomemory", "cannot allocate %zu bytes of workspace",
                       bytes);
  return work;
}

/* A new numeric matrix of class cls, rows-by-cols, holding a copy of the
   entries V. Copying into a fresh array rather than mxDuplicateArray of an
   input whose data was read avoids a leak of Octave 7.3's MEX layer; the
   array is not zeroed first (the copy writes every entry: one pass over fresh
   memory, not two). */
static inline mxArray *
ag_mex_copy_data (const void *v, size_t rows, size_t cols, mxClassID cls)
{
  mxArray *B = mxCreateUninitNumericMatrix (rows, cols, cls, mxREAL);
  size_t elem = cls == mxSINGLE_CLASS ? sizeof (float) : sizeof (double);
  if (rows * cols > 0)
    memcpy (mxGetData (B), v, rows * cols * elem);
  return B;
}

/* A copy of A's data (A already checked to be cls, rows-by-cols). */
static inline mxArray *
ag_mex_copy (const mxArray *A, size_t rows, size_t cols, mxClassID cls)
{
  return ag_mex_copy_data (mxGetData (A), rows, cols, cls);
}

/* The fields NAMES[0..COUNT-1] (at most 64) of the scalar struct S (SNAME in
   errors) into OUT: the value, NULL where S has no such field. They are read
   through Octave (__adagrad_fields__, one call for all): reading one field of
   a struct through the MEX API makes Octave 7 convert the whole struct,
   copying every array it holds, on every call. The values are Octave's,
   freed when the gateway returns. */
static inline void
ag_mex_fetch (const mxArray *S, const char *sname, const char *const *names, int count,
              const mxArray **out)
{
  if (! mxIsStruct (S) || mxGetNumberOfElements (S) != 1)
    mexErrMsgIdAndTxt ("adagrad:badvalue", "%s must be a scalar struct", sname);
  if (count > 64)
    mexErrMsgIdAndTxt ("adagrad:internal", "more than 64 fields asked of %s", sname);
  if (count <= 0)
    return;
  mxArray *args[2] = { (mxArray *) S, mxCreateCharMatrixFromStrings ((mwSize) count,
                                                                     (const char **) names) };
  mxArray *res[65];
  /* res[0]: which fields S has; then the values, [] for those it has not. */
  mexCallMATLAB (count + 1, res, 2, args, "__adagrad_fields__");
  mxDestroyArray (args[1]);
  const mxLogical *has = mxGetLogicals (res[0]);
  for (int i = 0; i < count; i++)
    {
      out[i] = has[i] ? res[i + 1] : NULL;
      if (! has[i])
        mxDestroyArray (res[i + 1]);
    }
  mxDestroyArray (res[0]);
}

/* ag_mex_fetch of fields that S must all have. */
static inline void
ag_mex_fetch_all (const mxArray *S, const char *sname, const char *const *names, int count,
                  const mxArray **out)
{
  ag_mex_fetch (S, sname, names, count, out);
  for (int i = 0; i < count; i++)
    if (! out[i])
      mexErrMsgIdAndTxt ("adagrad:badvalue", "%s must be a struct with a field %s", sname,
                         names[i]);
}

/* A new array equal to A (a checked real double or single matrix), made by
   Octave (A .* 1, which keeps every bit, -0 included): an array that
   Octave holds itself, which the gateway may write (it is the only owner)
   and return without the copy Octave 7 makes of an array the MEX layer
   allocated; one pass over A, where mxCreateNumericMatrix, a copy into it
   and the copy on return take about two. */
static inline mxArray *
ag_mex_fresh (const mxArray *A)
{
  mxArray *args[2] = { (mxArray *) A, mxCreateDoubleScalar (1.0) };
  mxArray *out = NULL;
  mexCallMATLAB (1, &out, 2, args, "times");
  mxDestroyArray (args[1]);
  if (! out || mxGetClassID (out) != mxGetClassID (A) || mxIsComplex (out)
      || mxGetM (out) != mxGetM (A) || mxGetN (out) != mxGetN (A)
      || (mxGetNumberOfElements (A) > 0 && ! mxGetData (out)))
    mexErrMsgIdAndTxt ("adagrad:internal", "could not copy an array");
  return out;
}

/* The optimizer of a rule's name RULE, ETA and PARAMS (a struct with one
   field per parameter of the rule, named as in the table). */
static inline ag_optimizer
ag_mex_optimizer_of (const mxArray *rule, double eta, const mxArray *P)
{
  ag_optimizer o = { 0 };
  o.rule = ag_mex_rule (rule);
  o.eta = eta;
  for (int i = 0; i < o.rule->nparams; i++)
    o.par[i] = ag_mex_scalar (ag_mex_field (P, "PARAMS", o.rule->params[i].name),
                              o.rule->params[i].name);
  return o;
}

/* The optimizer from the struct OPTS (fields rule, eta and params). */
static inline ag_optimizer
ag_mex_optimizer (const mxArray *opts, const char *sname)
{
  return ag_mex_optimizer_of (ag_mex_field (opts, sname, "rule"),
                              ag_mex_scalar (ag_mex_field (opts, sname, "eta"), "ETA"),
                              ag_mex_field (opts, sname, "params"));
}

/* The field names of a state of RULE: its scalars, then its arrays; returns
   their count. */
static inline int
ag_mex_state_names (const ag_rule_info *rule, const char *names[AG_MAX_SCALARS + AG_MAX_ARRAYS])
{
  int k = 0;
  for (int i = 0; i < rule->nscalars; i++)
    names[k++] = rule->scalar_names[i];
  for (int i = 0; i < rule->narrays; i++)
    names[k++] = rule->array_names[i];
  return k;
}

/* A new state struct of RULE: a double scalar field per scalar of the table
   entry (0) and an m-by-d array of class cls per array (zeros). */
static inline mxArray *
ag_mex_state_struct (const ag_rule_info *rule, size_t m, size_t d, mxClassID cls)
{
  const char *names[AG_MAX_SCALARS + AG_MAX_ARRAYS];
  int k = ag_mex_state_names (rule, names);
  mxArray *S = mxCreateStructMatrix (1, 1, k, names);
  for (int i = 0; i < rule->nscalars; i++)
    mxSetField (S, 0, names[i], mxCreateDoubleScalar (0));
  for (int i = 0; i < rule->narrays; i++)
    mxSetField (S, 0, rule->array_names[i], mxCreateNumericMatrix (m, d, cls, mxREAL));
  return S;
}

/* The scalars of the state struct S of RULE := SCALARS and, when ARRAYS is not
   NULL, its arrays := copies of ARRAYS (BYTES each). */
static inline void
ag_mex_state_set (const ag_rule_info *rule, mxArray *S, const double *scalars,
                  const void *const *arrays, size_t bytes)
{
  for (int i = 0; i < rule->nscalars; i++)
    *mxGetPr (mxGetField (S, 0, rule->scalar_names[i])) = scalars[i];
  for (int i = 0; arrays && i < rule->narrays; i++)
    if (bytes > 0)
      memcpy (mxGetData (mxGetField (S, 0, rule->array_names[i])), arrays[i], bytes);
}

/* The state struct S (SNAME in errors) of opt's rule: one double scalar field per scalar of the
   table entry and one m-by-d array of class cls per array. OUT receives a
   new struct of the same layout whose arrays (fresh copies of S's, see
   ag_mex_fresh) st points to. */
static inline void
ag_mex_state (const mxArray *S, const char *sname, const ag_rule_info *rule, size_t m,
              size_t d, mxClassID cls, ag_state *st, mxArray **out)
{
  memset (st, 0, sizeof *st);
  const char *names[AG_MAX_SCALARS + AG_MAX_ARRAYS];
  int k = ag_mex_state_names (rule, names);
  const mxArray *F[AG_MAX_SCALARS + AG_MAX_ARRAYS];
  ag_mex_fetch_all (S, sname, names, k, F);
  for (int i = 0; i < rule->nscalars; i++)
    st->scalars[i] = ag_mex_scalar (F[i], names[i]);
  const mxArray *const *A = F + rule->nscalars;
  for (int i = 0; i < rule->narrays; i++)
    ag_mex_matrix (A[i], rule->array_names[i], m, d, cls);
  *out = mxCreateStructMatrix (1, 1, k, names);
  for (int i = 0; i < rule->nscalars; i++)
    mxSetField (*out, 0, names[i], mxCreateDoubleScalar (st->scalars[i]));
  for (int i = 0; i < rule->narrays; i++)
    {
      mxArray *C = ag_mex_fresh (A[i]);
      mxSetField (*out, 0, rule->array_names[i], C);
      st->arrays[i] = mxGetData (C);
    }
}

/* After a call that updated st: the scalars into the state struct OUT. */
static inline void
ag_mex_state_finish (const ag_rule_info *rule, const ag_state *st, mxArray *out)
{
  ag_mex_state_set (rule, out, st->scalars, NULL, 0);
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

/* A sampling mode by its name: "full", "shuffle", "replace" or "given". */
static inline ag_sampling
ag_mex_sampling (const mxArray *A)
{
  static const char *const names[] = { "full", "shuffle", "replace", "given" };
  char name[16];
  if (! A)
    return AG_FULL;
  if (mxIsChar (A) && mxGetM (A) <= 1 && mxGetString (A, name, sizeof name) == 0)
    for (int i = 0; i < 4; i++)
      if (strcmp (name, names[i]) == 0)
        return (ag_sampling) i;
  ag_mex_fail ("adagrad:badvalue", "SAMPLING",
               "one of \"full\", \"shuffle\", \"replace\", \"given\"");
  return AG_FULL;
}

/* A seed of the schedule: an integer in [0, 2^32 - 1]. */
static inline uint64_t
ag_mex_seed (const mxArray *A)
{
  double v = ag_mex_count (A, "BATCHSEED");
  if (v > 4294967295.0)
    ag_mex_fail ("adagrad:badvalue", "BATCHSEED", "an integer in [0, 2^32 - 1]");
  return (uint64_t) v;
}

#endif /* AG_MEX_H */
