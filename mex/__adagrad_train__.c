/* __adagrad_train__.c: [W, state, rec] = __adagrad_train__ (X, y, RUN), the
   fused loop. */
#define _POSIX_C_SOURCE 200809L
#include "ag_mex.h"
#include "ag_mex_fields.h"

#include <float.h>

#include <signal.h>
#include <time.h>

/* The run struct's version (RUN.version), which __adagrad_train__
   ("version") returns to the .m layer that builds it. */
#define AG_RUN_VERSION "adagrad run 1"

/* X, y, RUN.net.W, RUN.net.a and the state arrays are all double or all
   single. RUN: the training run as one struct (version, net: the network
   with its rule, state and position in the run; options: the run's settings
   under their user names; call: what this call of the loop does), checked
   through run_table below, which says each field's path, kind, range and
   default. The output function and the progress line are shown RUN.net,
   with W, state, iter and loss replaced by the current ones.
   REC: iters, stop (its name: the core's, "paused" where the call ends
   before the run (RUN.call.done + iters < RUN.options.maxiter, or its
   seconds), or "interrupted" for Ctrl-C, "signal" for another signal,
   "stopped" when the output function asked), interrupted (Ctrl-C: the state
   so far is returned, so that the caller can keep it before raising
   adagrad:interrupted), signal (another signal stopped the loop: see
   __adagrad_signal__), outputerror and optimizererror (the output function's
   or the rule's failure, or ""), threads (the threads the call ran on),
   loss, time, batchloss, epoch, vloss, accuracy and vaccuracy
   (iters + 1 entries), gnorm, b, step, rate, ratelo, ratehi (iters entries), seen,
   diag (struct: iter, flips, move, dist), and kernel: in the kernel form, a
   call of its own (no RUN.call.run) hands its state back (struct: A, As,
   Wa, Sa, hash (2 uint64: of the data, of the W and state formed), fresh;
   As and Sa empty for rules without an array); a run's stays in its slot.
   Also: __adagrad_train__ ("need", S), ("kernel", token, W, state),
   ("release", token) and ("version"), see slot_command. */
enum { IN_X, IN_Y, IN_RUN, NIN };
enum { OUT_W, OUT_STATE, OUT_REC, NOUT };

typedef struct rule_ctx rule_ctx;

typedef struct monitor_ctx {
  struct timespec t0;
  double seconds;
  /* The output function, when there is one. */
  mxArray *fcn, *net, *info, *W, *state;
  double every, base, end, iter, toff;
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
  double progress, pbase, pmax, poff, plast, pfirst, pevals, pevents;
  mxArray *pnet;
} monitor_ctx;

/* A rule written in Octave (RUN.net.optimizer a function handle): the external rule
   of the core, whose step calls __adagrad_rulecall__ (fcn, W, G, state,
   info) and keeps the rule's state (any Octave value) in two slots. */
struct rule_ctx {
  mxArray *fcn, *W, *G, *u, *y, *rows, *info;
  size_t n;
  /* The W the rule returned at the last step (Octave's array) and the
     buffer of the core it was copied to: while the core steps from that
     buffer, the rule is handed it back as it is (no copy of W into an array
     of ours, and none by Octave to take that array in). */
  mxArray *Wlast;
  const void *Wlast_buf;
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
refill (mxArray *arr, size_t rows, size_t cols, mxClassID cls, const void *v, int single)
{
  if (! arr || mxGetM (arr) != rows || mxGetN (arr) != cols)
    arr = mxCreateNumericMatrix (rows, cols, cls, mxREAL);
  for (size_t i = 0; i < rows * cols; i++)
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
  mxArray *W = c->Wlast && io->W == c->Wlast_buf ? c->Wlast : c->W;
  if (W == c->W)
    memcpy (mxGetData (c->W), io->W, count * elem);
  memcpy (mxGetData (c->G), io->G, count * elem);
  c->u = refill (c->u, io->rows, io->outputs, c->cls, io->u, 0);
  c->y = refill (c->y, io->rows, io->ycols, c->cls, io->y, single);
  set_field (c->info, "u", c->u);
  set_field (c->info, "y", c->y);
  /* The batch's rows of X, 1-based (full batch: 1:n, made once). */
  if (io->batch || ! c->rows || mxGetM (c->rows) != c->n)
    {
      size_t nr = io->batch ? io->rows : c->n;
      if (! c->rows || mxGetM (c->rows) != nr)
        c->rows = mxCreateDoubleMatrix (nr, 1, mxREAL);
      double *r = mxGetPr (c->rows);
      for (size_t i = 0; i < nr; i++)
        r[i] = io->batch ? (double) io->batch[i] + 1.0 : (double) (i + 1);
      set_field (c->info, "rows", c->rows);
    }
  *mxGetPr (mxGetField (c->info, 0, "iter")) = (double) io->iter;
  *mxGetPr (mxGetField (c->info, 0, "loss")) = io->loss;
  *mxGetPr (mxGetField (c->info, 0, "n")) = io->n;
  *mxGetPr (mxGetField (c->info, 0, "eta")) = io->eta;
  *mxGetPr (mxGetField (c->info, 0, "gnorm")) = io->gnorm;
  mxArray *args[5] = { c->fcn, W, c->G, c->slot[c->cur], c->info };
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
      /* W(k+1) into the core's buffer, checked finite in the same pass (the
         loop measures the effective step; the rule has no rate of its own).
         In the loop that buffer is the gradient's, so a step that fails
         leaves W(k); where it is W itself, W(k+1) is copied once every entry
         is known finite. */
      const void *wo = mxGetData (out[0]);
      void *dst = io->Wnext != io->W ? io->Wnext : NULL;
      for (size_t i = 0; i < count && st == AG_OK; i++)
        {
          double wn;
          if (single)
            {
              float f = ((const float *) wo)[i];
              if (dst)
                ((float *) dst)[i] = f;
              wn = (double) f;
            }
          else
            {
              wn = ((const double *) wo)[i];
              if (dst)
                ((double *) dst)[i] = wn;
            }
          if (! isfinite (wn))
            st = AG_ENONFINITE;
        }
      if (st == AG_OK && ! dst)
        memcpy (io->Wnext, wo, count * elem);
      if (st == AG_OK)
        {
          io->step[0] = io->step[1] = io->step[2] = NAN;
          if (c->Wlast)
            mxDestroyArray (c->Wlast);
          c->Wlast = out[0];
          c->Wlast_buf = io->Wnext;
          out[0] = NULL;
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

/* RULE's context for the run (fcn the function handle, S the state given,
   P the rule's parameters, ORACLE the loss and gradient at a trial W on a
   batch, N the rows of X). */
static void
rule_setup (rule_ctx *c, const mxArray *fcn, const mxArray *S, size_t m, size_t d,
            mxClassID cls, const mxArray *P, const mxArray *oracle, size_t n)
{
  static const char *fields[] = { "iter", "loss", "u", "y", "n", "eta", "gnorm", "rows",
                                  "params", "oracle" };
  *c = (rule_ctx) { .fcn = (mxArray *) fcn, .m = m, .d = d, .cls = cls, .n = n };
  c->W = mxCreateNumericMatrix (m, d, cls, mxREAL);
  c->G = mxCreateNumericMatrix (m, d, cls, mxREAL);
  c->info = mxCreateStructMatrix (1, 1, 10, fields);
  for (int i = 0; i < 8; i++)
    mxSetField (c->info, 0, fields[i], mxCreateDoubleScalar (0));
  mxSetField (c->info, 0, "params", P && mxIsStruct (P) ? mxDuplicateArray (P)
                                                        : mxCreateStructMatrix (1, 1, 0, NULL));
  mxSetField (c->info, 0, "oracle", oracle ? mxDuplicateArray (oracle)
                                           : mxCreateDoubleMatrix (0, 0, mxREAL));
  c->slot[0] = mxDuplicateArray (S);
}

static mxArray *
column (const double *v, long count)
{
  mxArray *A = mxCreateDoubleMatrix ((size_t) count, 1, mxREAL);
  if (count > 0)
    memcpy (mxGetPr (A), v, (size_t) count * sizeof (double));
  return A;
}

/* The arrays the output function is shown besides NET, made once per call
   of this gateway and refilled at each of its calls (mexCallMATLAB hands it
   copies): W, the state and the values of info of the current iterate. */
static void
output_arrays (monitor_ctx *c)
{
  c->W = mxCreateNumericMatrix (c->m, c->d, c->cls, mxREAL);
  c->state = ag_mex_state_struct (c->rule, c->m, c->d, c->cls);
  c->info = mxCreateDoubleMatrix (1, 10, mxREAL);
}

/* b of iterate IT for the output function and the progress line: NaN for
   a rule written in Octave or without b (Octave reads it from the state:
   __adagrad_optimizer__ ("b", state), the one place that does). */
static double
b_at (const monitor_ctx *c, const ag_iterate *it)
{
  return ! c->ext && c->rule->b_scalar >= 0 ? it->scalars[c->rule->b_scalar] : NAN;
}

/* The output function at iterate IT: __adagrad_outputfcn__ (fcn, net, info,
   W, state, seen), INFO the values of the info struct in the order of
   __adagrad_outputfcn__'s, which builds it (as for its "init" and "done"
   calls); returns [stop, message]. Returns non-zero to stop the loop. */
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
  const ag_train_result *r = it->rec;
  /* iter, loss, b, step, gnorm, time, batchloss, epoch, vloss, rate. */
  const double vals[10] = { c->iter + (double) k, r->loss[k], b_at (c, it), r->step[k - 1],
                            r->gnorm[k - 1], c->toff + r->time[k], r->batchloss[k - 1],
                            r->epoch[k], r->vloss[k], r->rate[k - 1] };
  memcpy (mxGetPr (c->info), vals, sizeof vals);
  mxArray *seen = mxCreateDoubleScalar ((double) r->seen);
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

/* The progress line (__adagrad_progress__) after K steps of this call, EL
   seconds into it: LOSS, B (NaN: read from STATE, a rule written in Octave's,
   when given), the last STEP; FINAL ends the line. */
static double last_known (const double *v, long k);

static void
progress_line (monitor_ctx *c, long k, double loss, double b, double step,
               const ag_train_result *r, double el, int final, const mxArray *state)
{
  mxArray *acc = mxCreateDoubleMatrix (1, 4, mxREAL);
  mxGetPr (acc)[0] = last_known (r->accuracy, k);
  mxGetPr (acc)[1] = last_known (r->vaccuracy, k);
  mxGetPr (acc)[2] = c->pevals + r->evals;
  mxGetPr (acc)[3] = c->pevents + r->events;
  mxArray *args[11] = {
    c->pnet, mxCreateDoubleScalar (c->pbase + (double) k), mxCreateDoubleScalar (c->pmax),
    mxCreateDoubleScalar (loss), mxCreateDoubleScalar (b), mxCreateDoubleScalar (step),
    mxCreateDoubleScalar (c->poff + el), mxCreateLogicalScalar (final),
    mxCreateDoubleScalar (c->pfirst), acc, (mxArray *) state
  };
  mexCallMATLAB (0, NULL, state ? 11 : 10, args, "__adagrad_progress__");
  for (int i = 1; i < 10; i++)
    mxDestroyArray (args[i]);
  c->plast = el;
}

/* The latest of V[0..k] that is not NaN (the accuracy of the last
   evaluation point), or NaN. */
static double
last_known (const double *v, long k)
{
  for (long i = k; i >= 0; i--)
    if (! isnan (v[i]))
      return v[i];
  return NAN;
}

/* The loss the progress line shows after K steps: the loss there or, with
   mini-batches between evaluation points, the last batch's. */
static double
progress_loss (const ag_train_result *r, long k)
{
  return ! isnan (r->loss[k]) || k == 0 ? r->loss[k] : r->batchloss[k - 1];
}

static void
call_progress (monitor_ctx *c, const ag_iterate *it, double el)
{
  long k = it->k;
  progress_line (c, k, progress_loss (it->rec, k), b_at (c, it), it->rec->step[k - 1], it->rec,
                 el, 0, c->ext ? c->ext->slot[c->ext->cur] : NULL);
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

/* RUN, through one field table (mex/ag_mex_fields.h): the paths are those
   of the run struct the .m layer builds (__adagrad_run__), the settings
   under their user names; the order of the enum is that of the table. */
enum {
  F_VERSION, F_NET, F_W, F_A, F_STATE, F_OPTIMIZER, F_ETA, F_PARAMS, F_ITER, F_SEEN,
  F_SAMPLING, F_BATCHSEED, F_KERNEL, F_DIAGNOSTICS, F_W0, F_TOL, F_TOTAL, F_SECONDS, F_THREADS,
  F_BATCHSIZE, F_EVALEVERY, F_XV, F_YV, F_GTOL, F_TARGET, F_FORM, F_REFORM, F_LOSS,
  F_OUTPUTFCN, F_OUTPUTEVERY, F_MAXITER, F_DONE, F_T0, F_RUN, F_PROGRESS, F_BATCHES, F_ORACLE,
  F_EVALS, F_EVENTS, NFIELDS
};

#define BIG 1e15
static const ag_field run_table[NFIELDS] = {
  AG_FIELD_NAME ("version", NULL, ""),
  /* The network: W, a and the rule's state (checked with the model and the
     rule); the rule (a name of the rule table, or a function handle: a rule
     written in Octave), its eta and its parameters (one field each, as
     named in the table; none for a function rule); the global index of its
     iterate and the rows the steps before used; the batch schedule's seed;
     the kernel state a previous call handed back (the run's first call:
     later ones keep it in the run's slot); W0 of the diagnostics. */
  AG_FIELD_OTHER ("net", AG_FK_ANY, NULL),
  AG_FIELD_OTHER ("net.W", AG_FK_ANY, NULL),
  AG_FIELD_OTHER ("net.a", AG_FK_ANY, NULL),
  AG_FIELD_OTHER ("net.state", AG_FK_ANY, NULL),
  AG_FIELD_OTHER ("net.optimizer", AG_FK_ANY, NULL),
  AG_FIELD_SCALAR ("net.eta", NULL, 0, -HUGE_VAL, HUGE_VAL),
  AG_FIELD_OTHER ("net.params", AG_FK_ANY, ""),
  AG_FIELD_COUNT ("net.iter", "", 0, 0, BIG),
  AG_FIELD_COUNT ("net.seen", "", 0, 0, 9007199254740992.0),
  /* "full", "shuffle", "replace" or "given". */
  AG_FIELD_NAME ("options.batch.sampling", "", "full"),
  AG_FIELD_OTHER ("net.batchseed", AG_FK_ANY, "options.batch.sampling"),
  AG_FIELD_OTHER ("net.kernel", AG_FK_ANY, ""),
  /* Diagnostics at the multiples of this iteration (0: none), against W0. */
  AG_FIELD_COUNT ("options.diagnostics", "", 0, 0, BIG),
  AG_FIELD_DATA ("net.W0", "options.diagnostics", AG_DIM_M, AG_DIM_D),
  AG_FIELD_SCALAR ("options.tol", NULL, 0, 0, HUGE_VAL),
  /* The run's iterations, all of its calls. */
  AG_FIELD_COUNT ("options.maxiter", "", 0, 0, BIG),
  /* A call returns after this much wall time (Inf: no limit). */
  AG_FIELD_SCALAR ("options.seconds", "", HUGE_VAL, 1e-300, HUGE_VAL),
  /* 0: ag_mex_auto_threads. */
  AG_FIELD_COUNT ("options.threads", "", 0, 0, 1024),
  /* The batches' size. */
  AG_FIELD_COUNT ("options.batch.batchsize", "options.batch.sampling", 0, 1, 4294967295.0),
  /* Evaluation points: every evalevery iterations and at target (the run's
     last iterate, -1: none); the validation rows Xv, yv (empty: none). */
  AG_FIELD_COUNT ("options.batch.evalevery", "", 1, 1, BIG),
  AG_FIELD_DATA ("options.batch.Xv", "", AG_DIM_ANY, AG_DIM_D),
  AG_FIELD_DATA ("options.batch.yv", "options.batch.Xv", AG_DIM_PREV, AG_DIM_ANY),
  /* Stop at a full-batch gradient norm <= gtol (0: never). */
  AG_FIELD_SCALAR ("options.batch.gtol", "", 0, 0, DBL_MAX),
  AG_FIELD_SCALAR ("options.target", "", -1, -1, BIG),
  /* "primal" or "kernel"; the re-forming interval (0: never). */
  AG_FIELD_NAME ("options.form", "", "primal"),
  AG_FIELD_COUNT ("options.reform", "", 0, 0, BIG),
  /* A name of the loss table ("": its default). */
  AG_FIELD_NAME ("options.loss", "", ""),
  /* A function handle (or empty) called every outputevery iterations. */
  AG_FIELD_OTHER ("options.outputfcn", AG_FK_HANDLE, ""),
  AG_FIELD_COUNT ("options.outputevery", "options.outputfcn", 1, 1, BIG),
  /* This call: its steps at most; the run's iterations and seconds before
     it (for the output function and the progress line); the run's token (0:
     a call of its own), see run_slot; the progress line every this many
     seconds (0: none); the batches given (sampling "given": a uint32 matrix
     of batchsize rows and at least maxiter columns, column k the batch of
     step k: 1-based rows, zeros at the end of a shorter batch). */
  AG_FIELD_COUNT ("call.maxiter", NULL, 0, 0, 1e6),
  AG_FIELD_COUNT ("call.done", "", 0, 0, BIG),
  AG_FIELD_SCALAR ("call.t0", "", 0, 0, HUGE_VAL),
  AG_FIELD_SCALAR ("call.run", "", 0, 0, 9007199254740992.0),
  AG_FIELD_SCALAR ("call.progress", "", 0, 0, DBL_MAX),
  AG_FIELD_OTHER ("call.batches", AG_FK_ANY, ""),
  /* A rule written in Octave: [L, G] = oracle (W, rows), the loss and
     gradient at a trial W on those rows (handed to the rule in its info). */
  AG_FIELD_OTHER ("call.oracle", AG_FK_HANDLE, ""),
  /* The event form's evaluations and flips of the run's calls before this
     one (the progress line shows the run's). */
  AG_FIELD_SCALAR ("call.evals", "", 0, 0, HUGE_VAL),
  AG_FIELD_SCALAR ("call.events", "", 0, 0, HUGE_VAL),
};
#undef BIG

/* The progress line's settings of V; NET the network it is shown. */
static void
progress_options (const ag_field_value *v, const mxArray *net, monitor_ctx *c)
{
  c->progress = v[F_PROGRESS].num;
  c->plast = 0;
  if (c->progress == 0)
    return;
  c->pbase = v[F_DONE].num;
  c->pmax = v[F_TOTAL].num;
  /* The iteration the run started from (a resume's checkpoint): the line
     counts iterations from 0 to the run's target, not from the resume. */
  c->pfirst = v[F_ITER].num - v[F_DONE].num;
  c->poff = v[F_T0].num;
  c->pevals = v[F_EVALS].num;
  c->pevents = v[F_EVENTS].num;
  if (! net || ! mxIsStruct (net) || mxGetNumberOfElements (net) != 1)
    ag_mex_fail ("adagrad:badvalue", "RUN.net", "a scalar struct");
  c->pnet = (mxArray *) net;
}

/* The output function's settings of V; NET: the network. */
static void
output_options (const ag_field_value *v, const mxArray *net, monitor_ctx *c)
{
  c->fcn = NULL;
  c->stopped = 0;
  c->error[0] = '\0';
  if (! v[F_OUTPUTFCN].arr)
    return;
  c->every = v[F_OUTPUTEVERY].num;
  c->base = v[F_DONE].num;
  c->end = v[F_TOTAL].num;
  c->toff = v[F_T0].num;
  if (! net || ! mxIsStruct (net) || mxGetNumberOfElements (net) != 1)
    ag_mex_fail ("adagrad:badvalue", "RUN.net", "a scalar struct");
  /* Handed to mexCallMATLAB, which only reads them. */
  c->fcn = (mxArray *) v[F_OUTPUTFCN].arr;
  c->net = (mxArray *) net;
  output_arrays (c);
}

/* The mini-batch, evaluation and gtol settings of V into OPT. */
static void
batch_options (const ag_field_value *v, const ag_mex_model *M, ag_train_opts *opt)
{
  ag_batching *b = &opt->batch;
  opt->gtol = v[F_GTOL].num;
  b->evalevery = (long) v[F_EVALEVERY].num;
  if (v[F_TARGET].num != floor (v[F_TARGET].num))
    ag_mex_fail ("adagrad:badvalue", "RUN.options.target", "an integer in [-1, 1e15]");
  b->target = (long) v[F_TARGET].num;
  opt->seen = (uint64_t) v[F_SEEN].num;
  if (v[F_XV].arr)
    {
      b->Xv = v[F_XV].data;
      b->nv = v[F_XV].rows;
      b->yv = v[F_YV].data;
    }
  b->sampling = ag_mex_sampling (v[F_SAMPLING].arr);
  if (b->sampling == AG_FULL)
    return;
  double size = v[F_BATCHSIZE].num;
  if (b->sampling != AG_GIVEN && size > (double) M->n)
    ag_mex_fail ("adagrad:badvalue", "RUN.options.batch.batchsize", "an integer in [1, n]");
  b->batchsize = (size_t) size;
  b->batchseed = ag_mex_seed (v[F_BATCHSEED].arr);
  if (b->sampling == AG_GIVEN)
    {
      const mxArray *G = v[F_BATCHES].arr;
      if (! G || ! mxIsUint32 (G) || mxGetNumberOfDimensions (G) != 2 || mxGetM (G) != b->batchsize
          || mxGetN (G) < (size_t) opt->maxiter)
        mexErrMsgIdAndTxt ("adagrad:badvalue",
                           "RUN.call.batches must be a uint32 matrix of %zu rows and at least "
                           "%ld columns", b->batchsize, opt->maxiter);
      b->given = (const uint32_t *) mxGetData (G);
    }
}

/* What a run keeps in C between its calls (RUN.call.run, a token its driver
   picks; none: a slot for this call alone): the workspace, so that its pages
   are not faulted in again by every call, and the kernel form's state with
   K = X*X', formed once for the run. A run's driver releases its slot
   ("release"); a slot of one call is freed at its end, or by the next call
   when an error left it; all are freed when the MEX file is cleared. */
/* The kernel state's buffers, by their place in run_slot.karr. */
enum { KB_A, KB_WA, KB_K, KB_AS, KB_SA = KB_AS + AG_MAX_ARRAYS, KB_COUNT = KB_SA + AG_MAX_ARRAYS };

typedef struct run_slot {
  double token;               /* NaN: a slot of one call */
  struct run_slot *next;
  void *work;
  size_t bytes;
  size_t n, d, m;
  mxClassID cls;
  const ag_rule_info *rule;
  ag_kernel kn;               /* kn.A NULL: no kernel state */
  mxArray *karr[KB_COUNT];    /* the arrays that hold kn's buffers */
  double kbytes;              /* of the kernel state's buffers */
} run_slot;

static run_slot *slots;

/* Entries of the state buffer A of slot T's form (the kernel or the event form). */
static size_t
state_len (const run_slot *t)
{
  return t->kn.event ? ag_event_len (t->n, t->m, t->cls == mxSINGLE_CLASS)
                     : 2 * t->n * t->m + 1;
}

/* A ROWS x COLS buffer of class CLS for the kernel state, the data of
   an array that Octave made (zeros) and the slot keeps (persistent, in
   t->karr[WHICH]): the run's last fetch hands the array itself to the
   struct it returns (kernel_export), and Octave takes an array of its own
   back without the copy it makes of one the MEX layer allocated. Tried
   with malloc first, so that a failure is adagrad:nomemory (the caller
   answers it; Octave's own error has another identifier or none). NULL:
   no memory. */
static void *
kernel_buffer (run_slot *t, int which, size_t rows, size_t cols, mxClassID cls)
{
  const size_t elem = cls == mxSINGLE_CLASS ? sizeof (float) : sizeof (double);
  void *p = malloc (rows * cols * elem);
  if (! p)
    return NULL;
  free (p);
  mxArray *args[3] = { mxCreateDoubleScalar ((double) rows), mxCreateDoubleScalar ((double) cols),
                       mxCreateString (cls == mxSINGLE_CLASS ? "single" : "double") };
  mxArray *A = NULL;
  mexCallMATLAB (1, &A, 3, args, "zeros");
  for (int i = 0; i < 3; i++)
    mxDestroyArray (args[i]);
  if (! A || mxGetClassID (A) != cls || mxIsComplex (A) || mxGetM (A) != rows
      || mxGetN (A) != cols || ! mxGetData (A))
    mexErrMsgIdAndTxt ("adagrad:internal", "could not make a buffer of the kernel form");
  mexMakeArrayPersistent (A);
  t->karr[which] = A;
  return mxGetData (A);
}

static void
slot_kernel_free (run_slot *t)
{
  for (int i = 0; i < KB_COUNT; i++)
    if (t->karr[i])
      mxDestroyArray (t->karr[i]);
  memset (t->karr, 0, sizeof t->karr);
  memset (&t->kn, 0, sizeof t->kn);
  t->kbytes = 0;
}

static void
slot_free (run_slot *t)
{
  for (run_slot **p = &slots; *p; p = &(*p)->next)
    if (*p == t)
      {
        *p = t->next;
        break;
      }
  slot_kernel_free (t);
  free (t->work);
  free (t);
}

static void
slots_free_all (void)
{
  while (slots)
    slot_free (slots);
}

/* The slot of TOKEN (0: a new one for this call alone), freeing first the
   slots of calls that an error ended. *FIRST: it is new. */
static run_slot *
slot_of (double token, int *first)
{
  static int registered;
  if (! registered)
    {
      mexAtExit (slots_free_all);
      registered = 1;
    }
  for (run_slot *t = slots, *u; t; t = u)
    {
      u = t->next;
      if (isnan (t->token))
        slot_free (t);
      else if (token != 0 && t->token == token)
        {
          *first = 0;
          return t;
        }
    }
  run_slot *t = calloc (1, sizeof *t);
  if (! t)
    mexErrMsgIdAndTxt ("adagrad:nomemory", "cannot allocate a run's record");
  t->token = token != 0 ? token : NAN;
  t->next = slots;
  slots = t;
  *first = 1;
  return t;
}

/* The slot's workspace of at least BYTES (0: too large), probed with EXTRA
   (the outputs) when it must grow. */
static void *
slot_workspace (run_slot *t, size_t bytes, double extra, const ag_sizes *sz)
{
  if (bytes == 0)
    mexErrMsgIdAndTxt ("adagrad:badsize", "sizes n=%zu, d=%zu, m=%zu are too large",
                       sz->n, sz->d, sz->m);
  if (t->bytes >= bytes)
    {
      ag_mex_probe (extra);
      return t->work;
    }
  free (t->work);
  t->work = NULL;
  t->bytes = 0;
  ag_mex_probe ((double) bytes + extra);
  if (! (t->work = malloc (bytes)))
    mexErrMsgIdAndTxt ("adagrad:nomemory", "cannot allocate %zu bytes of workspace", bytes);
  t->bytes = bytes;
  return t->work;
}

/* The kernel form's buffers of the slot for these sizes, class and rule
   (new ones, with no state, when any differs); returns whether the state
   they hold is the run's. */
static int
slot_kernel (run_slot *t, const ag_mex_model *M, const ag_rule_info *rule, long reform,
             int event, double need)
{
  int same = t->kn.A && t->n == M->n && t->d == M->d && t->m == M->m && t->cls == M->cls
             && t->rule == rule && t->kn.event == event;
  if (! same)
    {
      slot_kernel_free (t);
      t->kn.event = event;
      t->n = M->n;
      t->m = M->m;
      t->cls = M->cls;
      const size_t len = state_len (t);
      const int na = rule->narrays;
      ag_mex_probe (need);
      ag_kernel *kn = &t->kn;
      /* Not the slot's until all are made (an error between leaves buffers
         that the slot's next use frees). */
      t->rule = NULL;
      const mxClassID c = M->cls;
      int ok = (kn->A = kernel_buffer (t, KB_A, len, 1, c))
               && (kn->Wa = kernel_buffer (t, KB_WA, M->m, M->d, c))
               && (kn->K = kernel_buffer (t, KB_K, M->n, M->n, c));
      for (int i = 0; i < na; i++)
        ok = ok && (kn->As[i] = kernel_buffer (t, KB_AS + i, len, 1, c))
             && (kn->Sa[i] = kernel_buffer (t, KB_SA + i, M->m, M->d, c));
      if (! ok)
        {
          slot_kernel_free (t);
          mexErrMsgIdAndTxt ("adagrad:nomemory", "cannot allocate %.3g bytes for the kernel form",
                             need);
        }
      t->kbytes = need;
    }
  t->n = M->n;
  t->d = M->d;
  t->m = M->m;
  t->cls = M->cls;
  t->rule = rule;
  t->kn.reform = reform;
  return same;
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

/* The state G (a kernel state a call returned, or anything) into the slot's
   buffers when it fits these sizes and class; else none, so that the core
   forms one from W. */
static void
kernel_import (run_slot *t, const mxArray *G)
{
  ag_kernel *kn = &t->kn;
  kn->valid = 0;
  if (! G || ! mxIsStruct (G) || mxGetNumberOfElements (G) != 1)
    return;
  const size_t elem = t->cls == mxSINGLE_CLASS ? sizeof (float) : sizeof (double);
  const size_t len = state_len (t), md = t->m * t->d;
  const int na = t->rule->narrays;
  const mxArray *gA = kernel_part (G, "A", len, t->cls);
  const mxArray *gW = kernel_part (G, "Wa", md, t->cls);
  const mxArray *gh = kernel_part (G, "hash", 2, mxUINT64_CLASS);
  const mxArray *gAs = kernel_part (G, "As", na ? len : 0, t->cls);
  const mxArray *gSa = kernel_part (G, "Sa", na ? md : 0, t->cls);
  if (! (gA && gW && gh && gAs && gSa))
    return;
  memcpy (kn->A, mxGetData (gA), len * elem);
  memcpy (kn->Wa, mxGetData (gW), md * elem);
  if (na)
    {
      memcpy (kn->As[0], mxGetData (gAs), len * elem);
      memcpy (kn->Sa[0], mxGetData (gSa), md * elem);
    }
  kn->hash = ((const uint64_t *) mxGetData (gh))[0];
  kn->whash = ((const uint64_t *) mxGetData (gh))[1];
  kn->valid = 1;
}

/* Buffer WHICH of the slot's kernel state (ROWS x COLS; 0 x 0: none) as an
   array: the slot's array itself, which it gives up, when TAKE, else a copy
   (the array is Octave's: reshaping it would copy it). */
static mxArray *
kernel_array (run_slot *t, int which, size_t rows, size_t cols, int take)
{
  mxArray *A = t->karr[which];
  if (rows * cols == 0 || ! A)
    return mxCreateNumericMatrix (0, 0, t->cls, mxREAL);
  if (! take)
    return ag_mex_copy_data (mxGetData (A), rows, cols, t->cls);
  t->karr[which] = NULL;
  return A;
}

/* The slot's kernel state as a struct (A, As, Wa, Sa, hash: of the data and
   of the W and state formed, fresh), or empty when it holds none: copies,
   or when TAKE (the run's last fetch) its buffers, which the slot then no
   longer holds. */
static mxArray *
kernel_export (run_slot *t, int take)
{
  ag_kernel *kn = &t->kn;
  if (! kn->A || ! kn->valid)
    return mxCreateDoubleMatrix (0, 0, mxREAL);
  static const char *fields[] = { "A", "As", "Wa", "Sa", "hash", "fresh" };
  const size_t len = state_len (t);
  const int na = t->rule->narrays;
  mxArray *K = mxCreateStructMatrix (1, 1, 6, fields);
  mxSetField (K, 0, "A", kernel_array (t, KB_A, len, 1, take));
  mxSetField (K, 0, "As", kernel_array (t, KB_AS, na ? len : 0, na ? 1 : 0, take));
  mxSetField (K, 0, "Wa", kernel_array (t, KB_WA, t->m, t->d, take));
  mxSetField (K, 0, "Sa", kernel_array (t, KB_SA, na ? t->m : 0, na ? t->d : 0, take));
  mxArray *H = mxCreateNumericMatrix (2, 1, mxUINT64_CLASS, mxREAL);
  ((uint64_t *) mxGetData (H))[0] = kn->hash;
  ((uint64_t *) mxGetData (H))[1] = kn->whash;
  mxSetField (K, 0, "hash", H);
  mxSetField (K, 0, "fresh", mxCreateLogicalScalar (kn->fresh));
  if (take)
    slot_kernel_free (t);
  return K;
}

/* __adagrad_train__ ("need", S): ag_train_need_of for the sizes and settings
   of S (the .m layer's pre-check: the same estimate as the gateway's). */
enum { N_N, N_D, N_M, N_OPTIMIZER, N_CLASS, N_FORM, N_SAMPLING, N_BATCHSIZE, N_MAXITER,
       N_DIAGNOSTICS, N_GTOL, N_THREADS, N_OUTPUTS, NNEED };
static const ag_field need_table[NNEED] = {
  AG_FIELD_COUNT ("n", NULL, 0, 1, 9007199254740992.0),
  AG_FIELD_COUNT ("d", NULL, 0, 1, 9007199254740992.0),
  AG_FIELD_COUNT ("m", NULL, 0, 1, 9007199254740992.0),
  AG_FIELD_OTHER ("optimizer", AG_FK_ANY, NULL),
  AG_FIELD_NAME ("class", "", "double"),
  AG_FIELD_NAME ("form", "", "primal"),
  AG_FIELD_NAME ("sampling", "", "full"),
  AG_FIELD_COUNT ("batchsize", "sampling", 0, 1, 4294967295.0),
  AG_FIELD_COUNT ("maxiter", NULL, 0, 0, 1e6),
  AG_FIELD_COUNT ("diagnostics", "", 0, 0, 1e15),
  AG_FIELD_SCALAR ("gtol", "", 0, 0, DBL_MAX),
  AG_FIELD_COUNT ("threads", "", 0, 0, 1024),
  AG_FIELD_COUNT ("outputs", "", 1, 1, 4294967295.0),
};

static mxArray *
need_command (const mxArray *S)
{
  ag_mex_model M = { 0 };
  ag_field_value v[NNEED];
  ag_mex_fields (S, "S", need_table, NNEED, &M, v);
  const mxArray *R = v[N_OPTIMIZER].arr;
  ag_train_opts opt = { 0 };
  opt.optim.rule = mxIsClass (R, "function_handle") ? ag_rule_external () : ag_mex_rule (R);
  opt.maxiter = (long) v[N_MAXITER].num;
  opt.diagnostics = (long) v[N_DIAGNOSTICS].num;
  opt.gtol = v[N_GTOL].num;
  opt.outputs = (size_t) v[N_OUTPUTS].num;
  opt.batch.sampling = ag_mex_sampling (v[N_SAMPLING].arr);
  opt.batch.batchsize = (size_t) v[N_BATCHSIZE].num;
  ag_kernel kn = { 0 };
  if (strcmp (v[N_FORM].str, "kernel") == 0 || strcmp (v[N_FORM].str, "event") == 0)
    opt.kernel = &kn;
  kn.event = strcmp (v[N_FORM].str, "event") == 0;
  if (strcmp (v[N_CLASS].str, "double") != 0 && strcmp (v[N_CLASS].str, "single") != 0)
    ag_mex_fail ("adagrad:badvalue", "S.class", "\"double\" or \"single\"");
  ag_exec exec = ag_mex_threads (v[N_THREADS].arr);
  ag_sizes sz = ag_train_sizes ((size_t) v[N_N].num, (size_t) v[N_D].num, (size_t) v[N_M].num,
                                strcmp (v[N_CLASS].str, "single") == 0, &opt);
  ag_train_need need = ag_train_need_of (&sz, &exec);
  static const char *fields[] = { "work", "kernel", "outputs", "total" };
  mxArray *out = mxCreateStructMatrix (1, 1, 4, fields);
  /* Sizes the core refuses: an infinite need, which no pre-check passes. */
  double total = need.work > 0 ? need.total : INFINITY;
  mxSetField (out, 0, "work", mxCreateDoubleScalar (need.work > 0 ? need.work : INFINITY));
  mxSetField (out, 0, "kernel", mxCreateDoubleScalar (need.kernel));
  mxSetField (out, 0, "outputs", mxCreateDoubleScalar (need.outputs));
  mxSetField (out, 0, "total", mxCreateDoubleScalar (total));
  return out;
}

/* __adagrad_train__ ("kernel", token, W, state[, take]): the run's kernel
   state, with the hash of W and the state arrays it formed (the last call's
   outputs), or empty; with TAKE true (the run's last fetch) its buffers
   themselves, which the slot no longer holds; __adagrad_train__ ("release", token); __adagrad_train__
   ("version"): the version of the run struct (RUN.version) it takes. */
static void
slot_command (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  char cmd[16];
  if (mxGetString (prhs[0], cmd, sizeof cmd) != 0
      || (strcmp (cmd, "kernel") != 0 && strcmp (cmd, "release") != 0
          && strcmp (cmd, "need") != 0 && strcmp (cmd, "version") != 0))
    ag_mex_fail ("adagrad:badvalue", "the first argument",
                 "X, \"need\", \"kernel\", \"release\" or \"version\"");
  if (strcmp (cmd, "version") == 0)
    {
      ag_mex_nargs (nrhs, 1, 1, nlhs, 1);
      plhs[0] = mxCreateString (AG_RUN_VERSION);
      return;
    }
  if (strcmp (cmd, "need") == 0)
    {
      ag_mex_nargs (nrhs, 2, 2, nlhs, 1);
      plhs[0] = need_command (prhs[1]);
      return;
    }
  const int kcmd = strcmp (cmd, "kernel") == 0;
  ag_mex_nargs (nrhs, kcmd ? 4 : 2, kcmd ? 5 : 2, nlhs, 1);
  double token = ag_mex_scalar (prhs[1], "TOKEN");
  run_slot *t = slots;
  while (t && ! (t->token == token))
    t = t->next;
  if (strcmp (cmd, "release") == 0)
    {
      if (t)
        slot_free (t);
      return;
    }
  mxArray *K = mxCreateDoubleMatrix (0, 0, mxREAL);
  if (t && t->kn.A && t->kn.valid)
    {
      const void *W = ag_mex_matrix (prhs[2], "W", t->m, t->d, t->cls);
      const void *arrays[AG_MAX_ARRAYS] = { NULL };
      const mxArray *S[AG_MAX_ARRAYS];
      const int na = t->rule->narrays;
      ag_mex_fetch_all (prhs[3], "STATE", t->rule->array_names, na, S);
      for (int i = 0; i < na; i++)
        arrays[i] = ag_mex_matrix (S[i], t->rule->array_names[i], t->m, t->d, t->cls);
      if (t->kn.trusted)
        t->kn.whash = ag_weights_hash (t->m * t->d, W, na, arrays, t->cls == mxSINGLE_CLASS);
      int take = nrhs == 5 && ag_mex_scalar (prhs[4], "TAKE") != 0;
      mxDestroyArray (K);
      K = kernel_export (t, take);
    }
  plhs[0] = K;
}

/* The kernel form's settings of V into slot T: NULL for the primal form;
   else its state (K kept), taken from RUN.net.kernel on the run's first call. */
static ag_kernel *
kernel_options (const ag_field_value *v, const ag_mex_model *M, const ag_rule_info *rule,
                run_slot *t, int first, double need)
{
  const char *form = v[F_FORM].str;
  if (strcmp (form, "primal") != 0 && strcmp (form, "kernel") != 0
      && strcmp (form, "event") != 0)
    ag_mex_fail ("adagrad:badvalue", "RUN.options.form", "\"primal\", \"kernel\" or \"event\"");
  if (strcmp (form, "primal") == 0)
    return NULL;
  const int event = strcmp (form, "event") == 0;
  if (! rule->linear || (event && (rule->narrays > 0 || ! rule->along_gradient)))
    mexErrMsgIdAndTxt ("adagrad:badvalue",
                       "RUN.options.form \"%s\" needs a rule whose steps are %s; %s is not one",
                       form, event ? "W -= s*G with no state array" : "combinations of gradients",
                       rule->name);
  int same = slot_kernel (t, M, rule, (long) v[F_REFORM].num, event, need);
  t->kn.trusted = same && ! first;
  if (! t->kn.trusted)
    kernel_import (t, v[F_KERNEL].arr);
  return &t->kn;
}

/* REC, the records of the call (see the top of this file). */
static mxArray *
record_struct (const ag_train_result *res, const char *stop, int interrupted, int signal,
               const char *outputerror, const char *optimizererror, mxArray *kernel,
               int threads)
{
  static const char *fields[] = { "iters", "stop", "interrupted", "signal", "outputerror",
                                  "optimizererror", "threads",
                                  "loss", "time", "gnorm", "b", "step", "rate", "ratelo",
                                  "ratehi", "diag", "batchloss", "epoch", "vloss", "accuracy",
                                  "vaccuracy", "seen",
                                  "kernel", "evals", "events" };
  static const char *dfields[] = { "iter", "flips", "move", "dist" };
  mxArray *R = mxCreateStructMatrix (1, 1, 25, fields);
  mxSetField (R, 0, "evals", mxCreateDoubleScalar (res->evals));
  mxSetField (R, 0, "events", mxCreateDoubleScalar (res->events));
  long K = res->iters;
  mxSetField (R, 0, "kernel", kernel);
  mxSetField (R, 0, "iters", mxCreateDoubleScalar ((double) K));
  mxSetField (R, 0, "stop", mxCreateString (stop));
  mxSetField (R, 0, "interrupted", mxCreateLogicalScalar (interrupted));
  mxSetField (R, 0, "signal", mxCreateLogicalScalar (signal));
  mxSetField (R, 0, "outputerror", mxCreateString (outputerror));
  mxSetField (R, 0, "optimizererror", mxCreateString (optimizererror));
  mxSetField (R, 0, "threads", mxCreateDoubleScalar ((double) threads));
  mxSetField (R, 0, "loss", column (res->loss, K + 1));
  mxSetField (R, 0, "time", column (res->time, K + 1));
  mxSetField (R, 0, "gnorm", column (res->gnorm, K));
  mxSetField (R, 0, "b", column (res->b, K));
  mxSetField (R, 0, "step", column (res->step, K));
  mxSetField (R, 0, "rate", column (res->rate, K));
  mxSetField (R, 0, "ratelo", column (res->ratelo, K));
  mxSetField (R, 0, "ratehi", column (res->ratehi, K));
  mxArray *D = mxCreateStructMatrix (1, 1, 4, dfields);
  mxSetField (D, 0, "iter", column (res->diter, res->ndiag));
  mxSetField (D, 0, "flips", column (res->flips, res->ndiag));
  mxSetField (D, 0, "move", column (res->move, res->ndiag));
  mxSetField (D, 0, "dist", column (res->dist, res->ndiag));
  mxSetField (R, 0, "diag", D);
  mxSetField (R, 0, "batchloss", column (res->batchloss, K + 1));
  mxSetField (R, 0, "epoch", column (res->epoch, K + 1));
  mxSetField (R, 0, "vloss", column (res->vloss, K + 1));
  mxSetField (R, 0, "accuracy", column (res->accuracy, K + 1));
  mxSetField (R, 0, "vaccuracy", column (res->vaccuracy, K + 1));
  mxSetField (R, 0, "seen", mxCreateDoubleScalar ((double) res->seen));
  return R;
}

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  if (nrhs >= 1 && mxIsChar (prhs[0]))
    {
      slot_command (nlhs, plhs, nrhs, prhs);
      return;
    }
  /* Check. */
  ag_mex_nargs (nrhs, NIN, NIN, nlhs, NOUT);
  const mxArray *arr[NFIELDS];
  ag_mex_fields_fetch (prhs[IN_RUN], "RUN", run_table, NFIELDS, arr);
  ag_mex_model M = ag_mex_model_named (prhs[IN_X], arr[F_W], arr[F_A], "RUN.net.W", "RUN.net.a");
  const size_t n = M.n, d = M.d, m = M.m;
  ag_field_value v[NFIELDS];
  ag_mex_fields_take ("RUN", run_table, NFIELDS, arr, &M, v);
  if (strcmp (v[F_VERSION].str, AG_RUN_VERSION) != 0)
    ag_mex_fail ("adagrad:badvalue", "RUN.version", "\"" AG_RUN_VERSION "\"");
  const mxArray *fcn = v[F_OPTIMIZER].arr;
  ag_train_opts opt = { 0 };
  rule_ctx rc;
  ag_external ext = { rule_step, rule_swap, &rc };
  if (mxIsClass (fcn, "function_handle"))
    opt.optim = (ag_optimizer) { .rule = ag_rule_external (), .eta = v[F_ETA].num };
  else
    opt.optim = ag_mex_optimizer_of (fcn, v[F_ETA].num, v[F_PARAMS].arr);
  if (mxIsClass (fcn, "function_handle"))
    opt.external = &ext;
  opt.tol = v[F_TOL].num;
  opt.maxiter = (long) v[F_MAXITER].num;
  monitor_ctx ctx;
  ctx.seconds = v[F_SECONDS].num;
  ctx.rule = opt.optim.rule;
  ctx.ext = opt.external ? &rc : NULL;
  ctx.m = m;
  ctx.d = d;
  ctx.cls = M.cls;
  opt.monitor = monitor;
  opt.ctx = &ctx;
  ag_exec exec = ag_mex_threads (v[F_THREADS].arr);
  /* The loop stops on any signal Octave catches (Ctrl-C, or another one held
     back by __adagrad_signal__), not only on an interrupt. */
  exec.cancel = &octave_signal_caught;
  opt.diagnostics = (long) v[F_DIAGNOSTICS].num;
  opt.iter = (long) v[F_ITER].num;
  ctx.iter = v[F_ITER].num;
  opt.W0 = v[F_W0].data;
  batch_options (v, &M, &opt);
  if (v[F_LOSS].str[0] && ! (opt.loss = ag_loss_find (v[F_LOSS].str)))
    ag_mex_fail ("adagrad:badvalue", "RUN.options.loss", "the name of an entry of the loss table");
  const ag_loss_info *lf = opt.loss ? opt.loss : ag_loss_default ();
  const void *y = ag_mex_targets (prhs[IN_Y], "Y", &M, lf, n);
  opt.outputs = M.K;
  if (v[F_XV].arr && mxGetN (v[F_YV].arr) != (lf->labels ? 1 : M.K))
    mexErrMsgIdAndTxt ("adagrad:badsize", "RUN.options.batch.yv must have %zu columns, got %zu",
                       lf->labels ? (size_t) 1 : M.K, mxGetN (v[F_YV].arr));
  const double token = v[F_RUN].num;
  int first;
  run_slot *slot = slot_of (token, &first);
  /* A run's later calls go on from the arrays its first call checked. */
  opt.finite = ! first;
  /* The run's memory, the core's one estimate: the kernel state's buffers
     are probed when the slot makes them, the workspace when it grows, the
     outputs every call. */
  ag_kernel probe_kn = { 0 };
  probe_kn.event = strcmp (v[F_FORM].str, "event") == 0;
  opt.kernel = strcmp (v[F_FORM].str, "kernel") == 0 || probe_kn.event ? &probe_kn : NULL;
  ag_sizes sz = ag_train_sizes (n, d, m, M.cls == mxSINGLE_CLASS, &opt);
  ag_train_need need = ag_train_need_of (&sz, &exec);
  opt.kernel = kernel_options (v, &M, opt.optim.rule, slot, first, need.kernel);
  void *work = slot_workspace (slot, ag_train_bytes (&sz, &exec), need.outputs, &sz);
  output_options (v, v[F_NET].arr, &ctx);
  progress_options (v, v[F_NET].arr, &ctx);
  mxArray *out[NOUT];
  ag_state st;
  memset (&st, 0, sizeof st);
  if (opt.external)
    rule_setup (&rc, fcn, v[F_STATE].arr, m, d, M.cls, v[F_PARAMS].arr, v[F_ORACLE].arr, n);
  else
    ag_mex_state (v[F_STATE].arr, "RUN.net.state", opt.optim.rule, m, d, M.cls, &st,
                  &out[OUT_STATE]);
  out[OUT_W] = ag_mex_fresh (arr[F_W]);
  void *W = mxGetData (out[OUT_W]);
  ag_train_result res = { 0 };
  clock_gettime (CLOCK_MONOTONIC, &ctx.t0);
  ag_status status = M.cls == mxSINGLE_CLASS
    ? ag_train_f (n, d, m, M.X, y, M.a, W, &st, &opt, work, &res, &exec)
    : ag_train (n, d, m, M.X, y, M.a, W, &st, &opt, work, &res, &exec);
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
      if (rc.Wlast)
        mxDestroyArray (rc.Wlast);
      mxDestroyArray (rc.G);
      mxDestroyArray (rc.info);
    }
  /* A call of its own hands its kernel state back; a run's stays in its
     slot ("kernel" fetches it). */
  mxArray *kstate = ! token && opt.kernel && status == AG_OK
                    ? kernel_export (slot, 1) : mxCreateDoubleMatrix (0, 0, mxREAL);
  if (status != AG_OK)
    slot_free (slot);
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
                     : res.stop == AG_STOP_MONITOR ? "paused"
                     /* The call's steps done, not the run's: paused too. */
                     : res.stop == AG_STOP_MAXITER && v[F_DONE].num + (double) res.iters
                                                      < v[F_TOTAL].num ? "paused"
                     : ag_stop_name (res.stop);

  /* Finish. */
  if (! opt.external)
    ag_mex_state_finish (opt.optim.rule, &st, out[OUT_STATE]);
  if (ctx.progress > 0 && ! ctx.error[0] && ! (opt.external && rc.error[0]))
    {
      /* The line at the call's end: the run's last one unless the run goes
         on (or a signal ended it, whose message follows). */
      struct timespec t;
      clock_gettime (CLOCK_MONOTONIC, &t);
      double el = (double) (t.tv_sec - ctx.t0.tv_sec) + 1e-9 * (double) (t.tv_nsec - ctx.t0.tv_nsec);
      long k = res.iters;
      ag_iterate last = { .k = k, .scalars = st.scalars };
      int final = strcmp (stop, "paused") != 0 && strcmp (stop, "signal") != 0
                  && strcmp (stop, "interrupted") != 0;
      progress_line (&ctx, k, progress_loss (&res, k), b_at (&ctx, &last),
                     k > 0 ? res.step[k - 1] : NAN, &res, el, final,
                     opt.external ? out[OUT_STATE] : NULL);
    }
  mxArray *R = record_struct (&res, stop, interrupted, cancelled && ! interrupted, ctx.error,
                              opt.external ? rc.error : "", kstate, exec.threads);
  out[OUT_REC] = R;
  /* The records are copied out of the workspace: a call of its own is done
     with its slot. */
  if (! token)
    slot_free (slot);
  ag_mex_return (nlhs, plhs, out, NOUT);
}
