/* __adagrad_train__.c: [W, state, rec] = __adagrad_train__ (X, y, W, a, state, opts[, net]),
   the fused loop. */
#define _POSIX_C_SOURCE 200809L
#include "ag_mex.h"

#include <signal.h>
#include <time.h>

/* X, y, W, a, the state arrays (and opts.W0) are all double or all single.
   OPTS: rule, eta, params (ag_mex_optimizer), tol, maxiter (at most 1e6 a
   call), seconds (return after that much wall time; Inf: no limit), threads,
   diagevery (0: no diagnostics), k0 (global index of the first iterate) and,
   with diagnostics, W0. Optional, for an output function called from inside
   the loop: outputfcn (a function handle, or empty), outputevery, outputbase
   (iterations of the run before this call), outputend (the run's last
   iteration, where it is not called) and t0 (seconds of the run before this
   call); for the progress line printed from inside the loop: progress
   (seconds between lines, 0: none), progressbase (iterations of the run
   before this call) and progressmax (the run's), with NET and t0; NET is then the network struct it is shown, with W, state, iter and
   loss replaced by the current ones (an argument of its own rather than a
   field: Octave hands it on to the output function without a conversion).
   Optional, for mini-batches and evaluations (absent: full batch, no
   validation): sampling ("full", "shuffle", "replace", "given"), batchsize,
   batchseed, batches (given: a uint32 matrix of batchsize rows and at least
   maxiter columns, column k the batch of step k: 1-based rows, zeros at the
   end of a shorter batch), seen (rows used before this call), evalevery,
   evalend (the run's last iterate, -1: none), Xv and yv (validation, the
   class of X; empty: none) and gtol (0: none). Optional, for the kernel
   form: form ("primal" or "kernel"), reform (the re-forming interval, 0:
   never) and kernel (the state a previous call returned, or empty; one that
   does not fit these sizes and class is ignored and the state formed from W).
   Optional: loss (a name of the loss table; absent: its default).
   REC: iters, stop (its name, from the core; "interrupted" for Ctrl-C, "signal"
   for another signal, "stopped" when the output function asked), interrupted
   (Ctrl-C: the state so far is returned, so that the caller can keep it
   before raising adagrad:interrupted), signal (another signal stopped the
   loop: see __adagrad_signal__), outputerror (the output function's failure,
   or ""), loss, time, batchloss, epoch and vloss (iters + 1 entries), gnorm,
   b, step, steplo, stephi (iters entries), seen, and diag (struct: iter,
   flips, move, dist), and with the kernel form kernel (struct: A, As, Wa, Sa,
   hash (2 uint64: of the data, of the W and state formed), fresh: the state, As and Sa empty for rules without an
   array). */
enum { IN_X, IN_Y, IN_W, IN_A, IN_STATE, IN_OPTS, IN_NET, NIN };
enum { OUT_W, OUT_STATE, OUT_REC, NOUT };

typedef struct rule_ctx rule_ctx;

typedef struct monitor_ctx {
  struct timespec t0;
  double seconds;
  /* The output function, when there is one. */
  mxArray *fcn, *net, *info, *W, *state;
  double every, base, end, k0, toff;
  const ag_rule_info *rule;
  const rule_ctx *ext;   /* a rule written in Octave, or NULL */
  size_t m, d;
  mxClassID cls;
  int stopped;
  char error[1024];
  /* The progress line (__adagrad_progress__) every PROGRESS seconds (0:
     none): PNET the network (its rule's name), PBASE the iterations of the
     run before this call, PMAX the run's, POFF its seconds before it, PLAST
     the time of the last line. */
  double progress, pbase, pmax, poff, plast;
  mxArray *pnet;
} monitor_ctx;

/* A rule written in Octave (OPTS.rule a function handle): the external rule
   of the core, whose step calls __adagrad_rulecall__ (fcn, W, G, state,
   info) and keeps the rule's state (any Octave value) in two slots. */
struct rule_ctx {
  mxArray *fcn, *W, *G, *u, *y, *info;
  mxArray *slot[2];
  int cur;
  size_t m, d;
  mxClassID cls;
  char error[1024];
};

static void
rule_swap (void *p)
{
  rule_ctx *c = (rule_ctx *) p;
  c->cur = 1 - c->cur;
}

/* ARR (a ROWS-by-1 array of class CLS; a new one when its size changes:
   the old one is a field of info, which set_field frees) := V (float when
   SINGLE, else double) converted to CLS. */
static mxArray *
refill (mxArray *arr, size_t rows, mxClassID cls, const void *v, int single)
{
  if (! arr || mxGetM (arr) != rows)
    arr = mxCreateNumericMatrix (rows, 1, cls, mxREAL);
  for (size_t i = 0; i < rows; i++)
    {
      double x = single ? (double) ((const float *) v)[i] : ((const double *) v)[i];
      if (cls == mxSINGLE_CLASS)
        ((float *) mxGetData (arr))[i] = (float) x;
      else
        ((double *) mxGetData (arr))[i] = x;
    }
  return arr;
}

static void
set_field (mxArray *S, const char *name, mxArray *v)
{
  mxArray *old = mxGetField (S, 0, name);
  if (old && old != v)
    mxDestroyArray (old);
  mxSetField (S, 0, name, v);
}

static ag_status
rule_step (void *p, ag_step_io *io)
{
  rule_ctx *c = (rule_ctx *) p;
  const int single = c->cls == mxSINGLE_CLASS;
  const size_t count = c->m * c->d, elem = single ? sizeof (float) : sizeof (double);
  memcpy (mxGetData (c->W), io->W, count * elem);
  memcpy (mxGetData (c->G), io->G, count * elem);
  c->u = refill (c->u, io->rows, c->cls, io->u, 0);
  c->y = refill (c->y, io->rows, c->cls, io->y, single);
  set_field (c->info, "u", c->u);
  set_field (c->info, "y", c->y);
  *mxGetPr (mxGetField (c->info, 0, "iter")) = (double) io->iter;
  *mxGetPr (mxGetField (c->info, 0, "loss")) = io->loss;
  *mxGetPr (mxGetField (c->info, 0, "n")) = io->n;
  *mxGetPr (mxGetField (c->info, 0, "eta")) = io->eta;
  *mxGetPr (mxGetField (c->info, 0, "gnorm")) = io->gnorm;
  mxArray *args[5] = { c->fcn, c->W, c->G, c->slot[c->cur], c->info };
  mxArray *out[3] = { NULL, NULL, NULL };
  mexCallMATLAB (3, out, 5, args, "__adagrad_rulecall__");
  ag_status st = AG_OK;
  if (mxIsChar (out[2]) && mxGetNumberOfElements (out[2]) > 0)
    {
      mxGetString (out[2], c->error, sizeof c->error);
      st = AG_ECANCELLED;
    }
  else if (mxGetClassID (out[0]) != c->cls || mxIsComplex (out[0])
           || mxGetM (out[0]) != c->m || mxGetN (out[0]) != c->d)
    {
      snprintf (c->error, sizeof c->error,
                "the optimizer function must return W as a real %zu-by-%zu matrix", c->m, c->d);
      st = AG_ECANCELLED;
    }
  else
    {
      /* The effective step ||W(k+1) - W(k)|| / ||G||, in double. */
      double s2 = 0.0;
      for (size_t i = 0; i < count && st == AG_OK; i++)
        {
          double wn = single ? (double) ((const float *) mxGetData (out[0]))[i]
                             : ((const double *) mxGetData (out[0]))[i];
          double w = single ? (double) ((const float *) io->W)[i]
                            : ((const double *) io->W)[i];
          if (! isfinite (wn))
            st = AG_ENONFINITE;
          s2 += (wn - w) * (wn - w);
        }
      if (st == AG_OK)
        {
          memcpy (io->Wnext, mxGetData (out[0]), count * elem);
          io->step[0] = io->step[1] = io->step[2] = sqrt (s2) / io->gnorm;
          if (c->slot[1 - c->cur])
            mxDestroyArray (c->slot[1 - c->cur]);
          c->slot[1 - c->cur] = out[1];
          out[1] = NULL;
        }
    }
  for (int i = 0; i < 3; i++)
    if (out[i])
      mxDestroyArray (out[i]);
  return st;
}

/* RULE's context for the run (fcn the function handle, S the state given). */
static void
rule_setup (rule_ctx *c, const mxArray *fcn, const mxArray *S, size_t m, size_t d,
            mxClassID cls)
{
  static const char *fields[] = { "iter", "loss", "u", "y", "n", "eta", "gnorm" };
  *c = (rule_ctx) { .fcn = (mxArray *) fcn, .m = m, .d = d, .cls = cls };
  c->W = mxCreateNumericMatrix (m, d, cls, mxREAL);
  c->G = mxCreateNumericMatrix (m, d, cls, mxREAL);
  c->info = mxCreateStructMatrix (1, 1, 7, fields);
  for (int i = 0; i < 7; i++)
    mxSetField (c->info, 0, fields[i], mxCreateDoubleScalar (0));
  c->slot[0] = mxDuplicateArray (S);
}

/* The state a rule written in Octave holds as b, for the output function
   (NaN when it has none). */
static double
state_b (const mxArray *S)
{
  const mxArray *b = mxIsStruct (S) && mxGetNumberOfElements (S) == 1
                     ? mxGetField (S, 0, "b") : NULL;
  return b && mxIsDouble (b) && ! mxIsComplex (b) && mxGetNumberOfElements (b) == 1
         ? mxGetScalar (b) : NAN;
}

static mxArray *
column (const double *v, long count)
{
  mxArray *A = mxCreateDoubleMatrix ((size_t) count, 1, mxREAL);
  if (count > 0)
    memcpy (mxGetPr (A), v, (size_t) count * sizeof (double));
  return A;
}

static void
set_scalar (mxArray *S, const char *name, double v)
{
  *mxGetPr (mxGetField (S, 0, name)) = v;
}

/* The arrays the output function is shown besides NET, made once per call
   of this gateway and refilled at each of its calls (mexCallMATLAB hands it
   copies): W, the state and info of the current iterate. */
static void
output_arrays (monitor_ctx *c)
{
  c->W = mxCreateNumericMatrix (c->m, c->d, c->cls, mxREAL);
  c->state = ag_mex_state_struct (c->rule, c->m, c->d, c->cls);
  static const char *fields[] = { "iter", "loss", "b", "step", "gnorm", "time",
                                  "batchloss", "epoch", "vloss", "state" };
  c->info = mxCreateStructMatrix (1, 1, 10, fields);
  for (int i = 0; i < 9; i++)
    mxSetField (c->info, 0, fields[i], mxCreateDoubleScalar (0));
  /* The calls from the loop are the "iter" calls of the contract. */
  mxSetField (c->info, 0, "state", mxCreateString ("iter"));
}

/* The output function at iterate IT: __adagrad_outputfcn__ (fcn, net, info)
   returns [stop, message]. Returns non-zero to stop the loop. */
static int
call_output (monitor_ctx *c, const ag_iterate *it)
{
  const ag_rule_info *rule = c->rule;
  size_t bytes = c->m * c->d * (c->cls == mxSINGLE_CLASS ? sizeof (float) : sizeof (double));
  if (it->form)
    it->form (it->fctx);
  memcpy (mxGetData (c->W), it->W, bytes);
  mxArray *state = c->ext ? c->ext->slot[c->ext->cur] : c->state;
  if (! c->ext)
    ag_mex_state_set (rule, c->state, it->scalars, it->arrays, bytes);
  long k = it->k;
  set_scalar (c->info, "iter", c->k0 + (double) k);
  set_scalar (c->info, "loss", it->rec->loss[k]);
  set_scalar (c->info, "b", c->ext ? state_b (state)
                            : rule->b_scalar >= 0 ? it->scalars[rule->b_scalar] : NAN);
  set_scalar (c->info, "step", it->rec->step[k - 1]);
  set_scalar (c->info, "gnorm", it->rec->gnorm[k - 1]);
  set_scalar (c->info, "time", c->toff + it->rec->time[k]);
  set_scalar (c->info, "batchloss", it->rec->batchloss[k - 1]);
  set_scalar (c->info, "epoch", it->rec->epoch[k]);
  set_scalar (c->info, "vloss", it->rec->vloss[k]);
  mxArray *seen = mxCreateDoubleScalar ((double) it->rec->seen);
  mxArray *args[6] = { c->fcn, c->net, c->info, c->W, state, seen };
  mxArray *out[2] = { NULL, NULL };
  /* The wrapper catches the function's errors; an interrupt is held by
     __adagrad_signal__ and stops the loop at its next look at the flag. */
  mexCallMATLAB (2, out, 6, args, "__adagrad_outputfcn__");
  mxDestroyArray (seen);
  int stop = 1;
  if (mxIsChar (out[1]) && mxGetNumberOfElements (out[1]) > 0)
    mxGetString (out[1], c->error, sizeof c->error);
  else if ((mxIsLogical (out[0]) || mxIsNumeric (out[0])) && ! mxIsComplex (out[0])
           && mxGetNumberOfElements (out[0]) == 1 && ! isnan (mxGetScalar (out[0])))
    stop = c->stopped = mxGetScalar (out[0]) != 0;
  else
    snprintf (c->error, sizeof c->error,
              "the output function must return true (stop) or false");
  mxDestroyArray (out[0]);
  mxDestroyArray (out[1]);
  return stop;
}

/* The progress line at iterate IT, EL seconds into this call: the loss
   there (with mini-batches between evaluation points, the last batch's),
   b and the last step. */
static void
call_progress (monitor_ctx *c, const ag_iterate *it, double el)
{
  long k = it->k;
  double loss = it->rec->loss[k];
  if (isnan (loss))
    loss = it->rec->batchloss[k - 1];
  double b = c->ext ? state_b (c->ext->slot[c->ext->cur])
             : c->rule->b_scalar >= 0 ? it->scalars[c->rule->b_scalar] : NAN;
  mxArray *args[8] = {
    c->pnet, mxCreateDoubleScalar (c->pbase + (double) k), mxCreateDoubleScalar (c->pmax),
    mxCreateDoubleScalar (loss), mxCreateDoubleScalar (b),
    mxCreateDoubleScalar (it->rec->step[k - 1]), mxCreateDoubleScalar (c->poff + el),
    mxCreateLogicalScalar (0)
  };
  mexCallMATLAB (0, NULL, 8, args, "__adagrad_progress__");
  for (int i = 1; i < 8; i++)
    mxDestroyArray (args[i]);
  c->plast = el;
}

static int
monitor (void *p, const ag_iterate *it)
{
  monitor_ctx *c = (monitor_ctx *) p;
  double done = c->base + (double) it->k;
  if (c->fcn && done < c->end && fmod (done, c->every) == 0 && call_output (c, it))
    return 1;
  if (isfinite (c->seconds) || c->progress > 0)
    {
      struct timespec t;
      clock_gettime (CLOCK_MONOTONIC, &t);
      double el = (double) (t.tv_sec - c->t0.tv_sec)
                  + 1e-9 * (double) (t.tv_nsec - c->t0.tv_nsec);
      if (c->progress > 0 && el - c->plast >= c->progress)
        call_progress (c, it, el);
      return el >= c->seconds;
    }
  return 0;
}

/* The optional progress fields of OPTS: progress (seconds between lines; 0
   or absent: none), progressbase, progressmax and t0; NET the network. */
static void
progress_options (const mxArray *O, const mxArray *net, monitor_ctx *c)
{
  const mxArray *F = ag_mex_optional (O, "progress");
  c->progress = c->plast = 0;
  if (! F)
    return;
  c->progress = ag_mex_scalar (F, "PROGRESS");
  if (! (c->progress >= 0) || isinf (c->progress))
    ag_mex_fail ("adagrad:badvalue", "PROGRESS", "finite and >= 0");
  if (c->progress == 0)
    return;
  c->pbase = ag_mex_count (ag_mex_field (O, "OPTS", "progressbase"), "PROGRESSBASE");
  c->pmax = ag_mex_count (ag_mex_field (O, "OPTS", "progressmax"), "PROGRESSMAX");
  c->poff = ag_mex_scalar (ag_mex_field (O, "OPTS", "t0"), "T0");
  if (! net || ! mxIsStruct (net) || mxGetNumberOfElements (net) != 1)
    ag_mex_fail ("adagrad:badvalue", "NET", "a struct (given with a progress line)");
  c->pnet = (mxArray *) net;
}

/* The optional output-function fields of OPTS into C; NET: the network. */
static void
output_options (const mxArray *O, const mxArray *net, monitor_ctx *c)
{
  const mxArray *F = mxGetField (O, 0, "outputfcn");
  c->fcn = NULL;
  c->stopped = 0;
  c->error[0] = '\0';
  if (! F || mxIsEmpty (F))
    return;
  if (! mxIsClass (F, "function_handle"))
    ag_mex_fail ("adagrad:badvalue", "OUTPUTFCN", "a function handle or empty");
  c->every = ag_mex_count (ag_mex_field (O, "OPTS", "outputevery"), "OUTPUTEVERY");
  c->base = ag_mex_count (ag_mex_field (O, "OPTS", "outputbase"), "OUTPUTBASE");
  c->end = ag_mex_count (ag_mex_field (O, "OPTS", "outputend"), "OUTPUTEND");
  c->toff = ag_mex_scalar (ag_mex_field (O, "OPTS", "t0"), "T0");
  if (! (c->every >= 1))
    ag_mex_fail ("adagrad:badvalue", "OUTPUTEVERY", "a positive count");
  if (! net || ! mxIsStruct (net) || mxGetNumberOfElements (net) != 1)
    ag_mex_fail ("adagrad:badvalue", "NET", "a struct (given with an output function)");
  /* Handed to mexCallMATLAB, which only reads them. */
  c->fcn = (mxArray *) F;
  c->net = (mxArray *) net;
  output_arrays (c);
}

/* The optional mini-batch, evaluation and gtol fields of OPTS into OPT. */
static void
batch_options (const mxArray *O, const ag_mex_model *M, ag_train_opts *opt)
{
  ag_batching *b = &opt->batch;
  b->eval_every = 1;
  b->eval_end = -1;
  const mxArray *F;
  if ((F = ag_mex_optional (O, "gtol")))
    {
      opt->gtol = ag_mex_scalar (F, "GTOL");
      if (! (opt->gtol >= 0) || isinf (opt->gtol))
        ag_mex_fail ("adagrad:badvalue", "GTOL", "finite and >= 0");
    }
  if ((F = ag_mex_optional (O, "evalevery")))
    {
      double e = ag_mex_count (F, "EVALEVERY");
      if (e < 1 || e > 1e15)
        ag_mex_fail ("adagrad:badvalue", "EVALEVERY", "an integer in [1, 1e15]");
      b->eval_every = (long) e;
    }
  if ((F = ag_mex_optional (O, "evalend")))
    {
      double e = ag_mex_scalar (F, "EVALEND");
      if (! (e >= -1 && e <= 1e15) || e != floor (e))
        ag_mex_fail ("adagrad:badvalue", "EVALEND", "an integer in [-1, 1e15]");
      b->eval_end = (long) e;
    }
  if ((F = ag_mex_optional (O, "seen")))
    opt->seen = (uint64_t) ag_mex_count (F, "SEEN");
  const mxArray *Xv = ag_mex_optional (O, "Xv");
  if (Xv && ! mxIsEmpty (Xv))
    {
      b->Xv = ag_mex_matrix (Xv, "XV", 0, M->d, M->cls);
      b->nv = mxGetM (Xv);
      b->yv = ag_mex_matrix (ag_mex_field (O, "OPTS", "yv"), "YV", b->nv, 1, M->cls);
    }
  if (! (F = ag_mex_optional (O, "sampling")))
    return;
  b->sampling = ag_mex_sampling (F);
  if (b->sampling == AG_FULL)
    return;
  double size = ag_mex_count (ag_mex_field (O, "OPTS", "batchsize"), "BATCHSIZE");
  if (size < 1 || (b->sampling != AG_GIVEN && size > (double) M->n) || size > 4294967295.0)
    ag_mex_fail ("adagrad:badvalue", "BATCHSIZE", "an integer in [1, n]");
  b->size = (size_t) size;
  b->seed = ag_mex_seed (ag_mex_field (O, "OPTS", "batchseed"));
  if (b->sampling == AG_GIVEN)
    {
      const mxArray *G = ag_mex_field (O, "OPTS", "batches");
      if (! mxIsUint32 (G) || mxGetNumberOfDimensions (G) != 2 || mxGetM (G) != b->size
          || mxGetN (G) < (size_t) opt->maxiter)
        mexErrMsgIdAndTxt ("adagrad:badvalue",
                           "BATCHES must be a uint32 matrix of %zu rows and at least "
                           "%ld columns", b->size, opt->maxiter);
      b->given = (const uint32_t *) mxGetData (G);
    }
}

/* A field of the kernel state K that is a real COUNT-entry array of class
   CLS, or NULL. */
static const mxArray *
kernel_part (const mxArray *K, const char *name, size_t count, mxClassID cls)
{
  const mxArray *F = mxGetField (K, 0, name);
  return F && mxGetClassID (F) == cls && ! mxIsComplex (F) && ! mxIsSparse (F)
         && mxGetNumberOfElements (F) == count ? F : NULL;
}

/* The kernel form's options of OPTS: NULL for the primal form; else KN set
   up with new output arrays (in KOUT, a struct) holding the state given in
   opts.kernel when it fits, so that the core goes on from it. */
static ag_kernel *
kernel_options (const mxArray *O, const ag_mex_model *M, const ag_rule_info *rule,
                ag_kernel *kn, mxArray **kout)
{
  const mxArray *F = ag_mex_optional (O, "form");
  char form[16] = "";
  if (F && (! mxIsChar (F) || mxGetString (F, form, sizeof form) != 0
            || (strcmp (form, "primal") != 0 && strcmp (form, "kernel") != 0)))
    ag_mex_fail ("adagrad:badvalue", "FORM", "\"primal\" or \"kernel\"");
  *kout = NULL;
  if (strcmp (form, "kernel") != 0)
    return NULL;
  if (! rule->linear)
    mexErrMsgIdAndTxt ("adagrad:badvalue",
                       "FORM \"kernel\" needs a rule whose steps are combinations of "
                       "gradients; %s is not one", rule->name);
  *kn = (ag_kernel) { 0 };
  if ((F = ag_mex_optional (O, "reform")))
    {
      double r = ag_mex_count (F, "REFORM");
      if (r > 1e15)
        ag_mex_fail ("adagrad:badvalue", "REFORM", "an integer in [0, 1e15]");
      kn->reform = (long) r;
    }
  const size_t n = M->n, m = M->m, d = M->d, len = 2 * n * m + 1;
  const mxClassID cls = M->cls;
  const int na = rule->narrays;
  static const char *fields[] = { "A", "As", "Wa", "Sa", "hash", "fresh" };
  mxArray *K = mxCreateStructMatrix (1, 1, 6, fields);
  mxArray *A = mxCreateNumericMatrix (len, 1, cls, mxREAL);
  mxArray *As = mxCreateNumericMatrix (na ? len : 0, na ? 1 : 0, cls, mxREAL);
  mxArray *Wa = mxCreateNumericMatrix (m, d, cls, mxREAL);
  mxArray *Sa = mxCreateNumericMatrix (na ? m : 0, na ? d : 0, cls, mxREAL);
  mxArray *H = mxCreateNumericMatrix (2, 1, mxUINT64_CLASS, mxREAL);
  mxSetField (K, 0, "A", A);
  mxSetField (K, 0, "As", As);
  mxSetField (K, 0, "Wa", Wa);
  mxSetField (K, 0, "Sa", Sa);
  mxSetField (K, 0, "hash", H);
  kn->A = mxGetData (A);
  kn->Wa = mxGetData (Wa);
  if (na)
    {
      kn->As[0] = mxGetData (As);
      kn->Sa[0] = mxGetData (Sa);
    }
  const mxArray *G = ag_mex_optional (O, "kernel");
  if (G && mxIsStruct (G) && mxGetNumberOfElements (G) == 1)
    {
      const size_t elem = cls == mxSINGLE_CLASS ? sizeof (float) : sizeof (double);
      const mxArray *gA = kernel_part (G, "A", len, cls);
      const mxArray *gW = kernel_part (G, "Wa", m * d, cls);
      const mxArray *gh = kernel_part (G, "hash", 2, mxUINT64_CLASS);
      const mxArray *gAs = kernel_part (G, "As", na ? len : 0, cls);
      const mxArray *gSa = kernel_part (G, "Sa", na ? m * d : 0, cls);
      if (gA && gW && gh && gAs && gSa)
        {
          memcpy (kn->A, mxGetData (gA), len * elem);
          memcpy (kn->Wa, mxGetData (gW), m * d * elem);
          if (na)
            {
              memcpy (kn->As[0], mxGetData (gAs), len * elem);
              memcpy (kn->Sa[0], mxGetData (gSa), m * d * elem);
            }
          kn->hash = ((const uint64_t *) mxGetData (gh))[0];
          kn->whash = ((const uint64_t *) mxGetData (gh))[1];
          kn->valid = 1;
        }
    }
  *kout = K;
  return kn;
}

/* The kernel form's state for REC.kernel: KOUT with the hashes and fresh
   set, or empty when the call ended without a state (or in the primal form,
   KOUT NULL). */
static mxArray *
kernel_result (mxArray *kout, const ag_kernel *kn)
{
  if (! kout)
    return mxCreateDoubleMatrix (0, 0, mxREAL);
  uint64_t *h = (uint64_t *) mxGetData (mxGetField (kout, 0, "hash"));
  h[0] = kn->hash;
  h[1] = kn->whash;
  mxSetField (kout, 0, "fresh", mxCreateLogicalScalar (kn->fresh));
  if (kn->valid)
    return kout;
  mxDestroyArray (kout);
  return mxCreateDoubleMatrix (0, 0, mxREAL);
}

/* REC, the records of the call (see the top of this file). */
static mxArray *
record_struct (const ag_train_result *res, const char *stop, int interrupted, int signal,
               const char *outputerror, const char *optimizererror, mxArray *kernel)
{
  static const char *fields[] = { "iters", "stop", "interrupted", "signal", "outputerror",
                                  "optimizererror",
                                  "loss", "time", "gnorm", "b", "step", "steplo", "stephi",
                                  "diag", "batchloss", "epoch", "vloss", "seen", "kernel" };
  static const char *dfields[] = { "iter", "flips", "move", "dist" };
  mxArray *R = mxCreateStructMatrix (1, 1, 19, fields);
  long K = res->iters;
  mxSetField (R, 0, "kernel", kernel);
  mxSetField (R, 0, "iters", mxCreateDoubleScalar ((double) K));
  mxSetField (R, 0, "stop", mxCreateString (stop));
  mxSetField (R, 0, "interrupted", mxCreateLogicalScalar (interrupted));
  mxSetField (R, 0, "signal", mxCreateLogicalScalar (signal));
  mxSetField (R, 0, "outputerror", mxCreateString (outputerror));
  mxSetField (R, 0, "optimizererror", mxCreateString (optimizererror));
  mxSetField (R, 0, "loss", column (res->loss, K + 1));
  mxSetField (R, 0, "time", column (res->time, K + 1));
  mxSetField (R, 0, "gnorm", column (res->gnorm, K));
  mxSetField (R, 0, "b", column (res->b, K));
  mxSetField (R, 0, "step", column (res->step, K));
  mxSetField (R, 0, "steplo", column (res->steplo, K));
  mxSetField (R, 0, "stephi", column (res->stephi, K));
  mxArray *D = mxCreateStructMatrix (1, 1, 4, dfields);
  mxSetField (D, 0, "iter", column (res->diter, res->ndiag));
  mxSetField (D, 0, "flips", column (res->flips, res->ndiag));
  mxSetField (D, 0, "move", column (res->move, res->ndiag));
  mxSetField (D, 0, "dist", column (res->dist, res->ndiag));
  mxSetField (R, 0, "diag", D);
  mxSetField (R, 0, "batchloss", column (res->batchloss, K + 1));
  mxSetField (R, 0, "epoch", column (res->epoch, K + 1));
  mxSetField (R, 0, "vloss", column (res->vloss, K + 1));
  mxSetField (R, 0, "seen", mxCreateDoubleScalar ((double) res->seen));
  return R;
}

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check. */
  ag_mex_nargs (nrhs, NIN - 1, NIN, nlhs, NOUT);
  ag_mex_model M = ag_mex_get_model (prhs[IN_X], prhs[IN_W], prhs[IN_A]);
  const void *y = ag_mex_matrix (prhs[IN_Y], "Y", M.n, 1, M.cls);
  const size_t n = M.n, d = M.d, m = M.m;
  const mxArray *O = prhs[IN_OPTS];
  const mxArray *fcn = ag_mex_field (O, "OPTS", "rule");
  ag_train_opts opt = { 0 };
  rule_ctx rc;
  ag_external ext = { rule_step, rule_swap, &rc };
  if (mxIsClass (fcn, "function_handle"))
    {
      opt.optim = (ag_optimizer) { .rule = ag_rule_external () };
      opt.optim.eta = ag_mex_scalar (ag_mex_field (O, "OPTS", "eta"), "ETA");
      opt.external = &ext;
    }
  else
    opt.optim = ag_mex_optimizer (O, "OPTS");
  opt.tol = ag_mex_scalar (ag_mex_field (O, "OPTS", "tol"), "TOL");
  double maxiter = ag_mex_count (ag_mex_field (O, "OPTS", "maxiter"), "MAXITER");
  if (maxiter > 1e6)
    ag_mex_fail ("adagrad:badvalue", "MAXITER", "at most 1e6 per call");
  opt.maxiter = (long) maxiter;
  monitor_ctx ctx;
  ctx.seconds = ag_mex_scalar (ag_mex_field (O, "OPTS", "seconds"), "SECONDS");
  if (! (ctx.seconds > 0))
    ag_mex_fail ("adagrad:badvalue", "SECONDS", "positive (Inf for no limit)");
  ctx.rule = opt.optim.rule;
  ctx.ext = opt.external ? &rc : NULL;
  ctx.m = m;
  ctx.d = d;
  ctx.cls = M.cls;
  opt.monitor = monitor;
  opt.ctx = &ctx;
  ag_exec exec = ag_mex_threads (ag_mex_field (O, "OPTS", "threads"));
  /* The loop stops on any signal Octave catches (Ctrl-C, or another one held
     back by __adagrad_signal__), not only on an interrupt. */
  exec.cancel = &octave_signal_caught;
  double every = ag_mex_count (ag_mex_field (O, "OPTS", "diagevery"), "DIAGEVERY");
  double k0 = ag_mex_count (ag_mex_field (O, "OPTS", "k0"), "K0");
  if (every > 1e15 || k0 > 1e15)
    ag_mex_fail ("adagrad:badvalue", "DIAGEVERY and K0", "at most 1e15");
  opt.diag_every = (long) every;
  opt.k0 = (long) k0;
  ctx.k0 = k0;
  if (opt.diag_every > 0)
    opt.W0 = ag_mex_matrix (ag_mex_field (O, "OPTS", "W0"), "W0", m, d, M.cls);
  batch_options (O, &M, &opt);
  const mxArray *LF = ag_mex_optional (O, "loss");
  if (LF)
    {
      char lname[32];
      if (! mxIsChar (LF) || mxGetString (LF, lname, sizeof lname) != 0
          || ! (opt.loss = ag_loss_find (lname)))
        ag_mex_fail ("adagrad:badvalue", "LOSS", "the name of an entry of the loss table");
    }
  ag_kernel kn;
  mxArray *kout;
  opt.kernel = kernel_options (O, &M, opt.optim.rule, &kn, &kout);
  ag_sizes sz = ag_train_sizes (n, d, m, M.cls == mxSINGLE_CLASS, &opt);
  size_t elem = M.cls == mxSINGLE_CLASS ? sizeof (float) : sizeof (double);

  /* Work: one workspace, allocated here before the loop; the outputs (W, the
     state arrays, the records) are probed with it. */
  double outputs = (double) elem * (double) m * (double) d * (1.0 + opt.optim.rule->narrays)
                   * (opt.kernel ? 2.0 : 1.0)
                   + (opt.kernel ? (double) elem * (2.0 * (double) n * (double) m + 1.0)
                                   * (1.0 + opt.optim.rule->narrays) : 0.0)
                   + 8.0 * (10.0 * maxiter + 4.0 * (maxiter / (every > 0 ? every : 1) + 2));
  void *work = ag_mex_workspace (ag_train_bytes (&sz, &exec), outputs, &sz);
  output_options (O, nrhs > IN_NET ? prhs[IN_NET] : NULL, &ctx);
  progress_options (O, nrhs > IN_NET ? prhs[IN_NET] : NULL, &ctx);
  mxArray *out[NOUT];
  ag_state st;
  memset (&st, 0, sizeof st);
  if (opt.external)
    rule_setup (&rc, fcn, prhs[IN_STATE], m, d, M.cls);
  else
    ag_mex_state (prhs[IN_STATE], opt.optim.rule, m, d, M.cls, &st, &out[OUT_STATE]);
  out[OUT_W] = ag_mex_copy (prhs[IN_W], m, d, M.cls);
  void *W = mxGetData (out[OUT_W]);
  ag_train_result res = { 0 };
  clock_gettime (CLOCK_MONOTONIC, &ctx.t0);
  ag_status status = M.cls == mxSINGLE_CLASS
    ? ag_train_f (n, d, m, M.X, y, M.a, W, &st, &opt, work, &res, &exec)
    : ag_train (n, d, m, M.X, y, M.a, W, &st, &opt, work, &res, &exec);
  if (status != AG_OK)
    mxFree (work);
  if (ctx.fcn)
    {
      mxDestroyArray (ctx.W);
      mxDestroyArray (ctx.state);
      mxDestroyArray (ctx.info);
    }
  if (opt.external)
    {
      /* The rule's state: the slot of the last iterate kept. */
      out[OUT_STATE] = rc.slot[rc.cur];
      if (rc.slot[1 - rc.cur])
        mxDestroyArray (rc.slot[1 - rc.cur]);
      mxDestroyArray (rc.W);
      mxDestroyArray (rc.G);
      mxDestroyArray (rc.info);
    }
  ag_mex_status (status);
  /* A signal stopped the loop: Ctrl-C when Octave counts an interrupt (taken
     over here: the caller keeps the state this call returns, then raises a
     catchable error), else another signal, which the caller hands back to
     Octave (__adagrad_signal__). */
  int cancelled = res.stop == AG_STOP_CANCELLED && ! (opt.external && rc.error[0]);
  int interrupted = cancelled && *(volatile sig_atomic_t *) &octave_interrupt_state > 0;
  if (interrupted)
    ag_mex_take_interrupt ();
  const char *stop = interrupted ? "interrupted" : cancelled ? "signal"
                     : res.stop == AG_STOP_CANCELLED ? "stopped"
                     : res.stop == AG_STOP_MONITOR && ctx.stopped ? "stopped"
                     : res.stop == AG_STOP_MONITOR ? "paused" : ag_stop_name (res.stop);

  /* Finish. */
  if (! opt.external)
    ag_mex_state_finish (opt.optim.rule, &st, out[OUT_STATE]);
  mxArray *R = record_struct (&res, stop, interrupted, cancelled && ! interrupted, ctx.error,
                              opt.external ? rc.error : "",
                              kernel_result (kout, &kn));
  out[OUT_REC] = R;
  mxFree (work);
  ag_mex_return (nlhs, plhs, out, NOUT);
}
