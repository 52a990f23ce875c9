/* ag.h: public interface of the adagrad core (two-layer ReLU network, adaptive steps). */
#ifndef AG_H
#define AG_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Model (doc/theory.md): u = f(W, a, X) = (1/sqrt(m)) * relu(X * W') * a, e = u - y,
   L = 0.5 * ||e||^2, G = dL/dW = (1/sqrt(m)) * ((X*W' >= 0) .* (e * a'))' * X.
   All matrices are column-major with leading dimension equal to their row count:
   X is n-by-d, W and G are m-by-d, y, u and e have n entries, a has m entries.
   With K outputs (the *_k calls, ag_train_opts.outputs): a is A, m-by-K, and
   U = (1/sqrt(m)) * relu(X*W') * A, R = dL/dU and G = (1/sqrt(m)) *
   ((X*W' >= 0) .* (R * A'))' * X are n-by-K, n-by-K and m-by-d. */

typedef enum ag_status {
  AG_OK = 0,          /* success */
  AG_ENULL = 1,       /* a required pointer argument is NULL */
  AG_ESIZE = 2,       /* a dimension is zero, or a size exceeds what BLAS or size_t can index */
  AG_EARG = 3,        /* a scalar argument is out of range (eta < 0, b <= 0, a parameter
                         outside the range its rule's table entry gives, ...) */
  AG_ERULE = 4,       /* no such step rule (NULL, or not an entry of the rule table) */
  AG_ENONFINITE = 5,  /* an input array or scalar holds NaN or Inf */
  AG_ECANCELLED = 6,  /* exec->cancel became positive: the call stopped, its outputs are
                         incomplete */
  AG_EUNDEFINED = 7   /* the rule's step is not defined here: its arithmetic divides by
                         zero (D-Adaptation with a zero first gradient, DoG with a zero
                         gradient sum) */
} ag_status;

/* A static, never-NULL message for a status code (unknown codes included). */
const char *ag_strerror (int status);

/* How the kernels run. threads: OpenMP threads, each working on its own
   blocks of hidden units with single-threaded BLAS (the BLAS library's thread
   count is set to 1 during a call and restored after it); 0, a negative count
   or a NULL pointer means 1 here (the MEX gateways and the .m layer turn 0
   into OpenMP's default before calling). Every result is bitwise the same for
   any number of threads: the blocks do not depend on it and every sum runs in
   a fixed order. The same ag_exec must be given to the *_bytes function and to
   the call using the space. */
typedef struct ag_exec {
  int threads;
  /* May be NULL: the one cancellation channel. ag_forward, ag_gradient,
     ag_gradient_norm and ag_gram read it between pieces of at most 2^29
     flops and return AG_ECANCELLED once it is non-zero (as a signal handler
     sets it); ag_train reads it between blocks of hidden units, so that even
     an iteration that takes seconds stops, and returns what it has
     (AG_STOP_CANCELLED, with W and the state those of the last completed
     iteration). */
  const volatile sig_atomic_t *cancel;
} ag_exec;

/* OpenMP's default thread count (OMP_NUM_THREADS, else the cores); 1 without OpenMP. */
int ag_default_threads (void);

/* ---- The rule table (src/ag_rules.c) ----------------------------------
   A step rule is one table entry: its name, its parameters (names, defaults,
   valid ranges), the layout of its state and its step function. Everything
   else (the training loop, the public step, the MEX gateways, the Octave
   layer through __adagrad_rules__) learns about rules from the table. */

#define AG_MAX_OUTPUTS 65536   /* outputs of a network (K) */
#define AG_MAX_PARAMS 8   /* parameters of one rule, besides eta */
#define AG_MAX_SCALARS 4  /* scalar state entries (double) */
#define AG_MAX_ARRAYS 5   /* m-by-d state arrays (the precision of W) */

/* ag_param_info.special: values besides the finite ones in the range. */
#define AG_PARAM_INF 1    /* +Inf is valid (growth rates: no cap) */
#define AG_PARAM_AUTO 2   /* NaN is valid: the rule's own choice (Prodigy's beta3 = sqrt (beta2)) */

/* One parameter: valid when lo <(=) value <(=) hi, with the ends open when
   lo_open / hi_open is set (hi may be INFINITY). */
typedef struct ag_param_info {
  const char *name;   /* the option name, e.g. "alpha" */
  double def;         /* default */
  double lo, hi;
  int lo_open, hi_open;
  int init_only;      /* only sets the initial state (b0): fixed once a run has started */
  const char *doc;    /* one line */
  int special;        /* 0, AG_PARAM_INF or AG_PARAM_AUTO */
} ag_param_info;

/* What a step function reads and writes. Arrays are in the precision of the
   call (double for ag_step, float for ag_step_f), with count = m*d entries.
   Wnext may be W or G; Snext[i] may be S[i]; every entry is read before the
   same entry is written, so those aliases are safe. */
typedef struct ag_step_io {
  size_t count;
  const void *W, *G;
  void *Wnext;
  const void *S[AG_MAX_ARRAYS];
  void *Snext[AG_MAX_ARRAYS];
  double *scalars;          /* the scalar state, updated in place */
  double eta;
  const double *par;        /* the rule's parameters, in table order */
  double gnorm2;            /* ||G||_F^2 (may overflow to Inf for huge G) */
  double gnorm;             /* ||G||_F, computed without overflow or underflow */
  double resnorm;           /* ||y - u(k)|| (adaloss) */
  double n;                 /* samples (adaloss) */
  /* loss (below): the batch loss at W (times n/rows with mini-batches), set
     for every rule (polyak reads it; ag_step: 0.5 * resnorm^2, the squared
     loss). */
  int threads;
  uint64_t *bins;           /* per-coordinate rules: threads * AG_STEP_BINS counts */
  /* May be NULL. Looked at between pieces of the pass over the entries: when
     raised the step returns AG_ECANCELLED with Wnext and Snext incomplete
     (ag_train then keeps W(k) and its state; ag_step, which updates in place,
     passes NULL). */
  const volatile sig_atomic_t *cancel;
  double step[3];           /* out: the rule's rate (eta/b, eta; per-coordinate
                               rules: the 10%, 50% and 90% quantiles of the
                               entries' steps; the external rule: NaN). The
                               effective step ||W(k+1) - W(k)|| / ||G|| is
                               measured by the caller, for every rule alike. */
  /* Set by ag_train for the external rule (ag_rule_external) only; NULL or
     0 elsewhere: the caller's step, and what the step sees of its batch:
     iter, the global index of the step; loss, the batch loss at W (times
     n/rows with mini-batches); u (double) and y (the precision of W), the
     network's outputs and the targets on the rows of the batch; batch, which
     rows of X they are. */
  const struct ag_external *ext;
  long iter;
  double loss;
  size_t rows;
  size_t outputs, ycols;   /* u: rows-by-outputs; y: rows-by-ycols (labels: 1) */
  const double *u;
  const void *y;
  const uint32_t *batch;    /* the batch's rows of X, 0-based (NULL: all, in order) */
} ag_step_io;

/* Per-coordinate steps are summarized from a histogram of their float bit
   patterns (sign, exponent and 8 mantissa bits): each quantile is the middle
   of its bin, within a relative 2^-9 of the exact quantile. */
#define AG_STEP_BINS ((size_t) 1 << 16)

typedef ag_status (*ag_step_fn) (ag_step_io *io);

typedef struct ag_rule_info {
  const char *name;          /* e.g. "adagrad-norm" */
  const char *update;        /* the update in one line */
  int nparams;
  ag_param_info params[AG_MAX_PARAMS];
  int nscalars;
  const char *scalar_names[AG_MAX_SCALARS];
  int narrays;
  const char *array_names[AG_MAX_ARRAYS];
  int per_coordinate;        /* the step differs per entry (quantiles are recorded) */
  int along_gradient;        /* W(k+1) - W(k) is a multiple of G(k) */
  int uses_residual;         /* the step reads resnorm and n (adaloss), or the loss
                                (polyak; ag_step: 0.5 * resnorm^2) */
  int b_scalar;              /* index of the scalar recorded as b, or -1 */
  /* The initial state from the parameters: scalars, and the value every entry
     of each state array starts at. */
  void (*init) (const double *par, double *scalars, double *fill);
  ag_step_fn step, step_f;   /* double and single precision */
  /* The step is W + (a combination of G and the state arrays), each state
     array such a combination too, with coefficients that depend on scalars
     only (eta, b, ||G||, the residual): then every iterate stays in W(0) +
     span of the rows of X, and the kernel form (ag_kernel) may run it.
     At most one state array. */
  int linear;
  double eta_def;            /* the default of eta (the source's learning rate) */
  /* The scalar that counts the rule's steps (-1: none). While it is 0 (the
     state has taken no step) the arrays in the bit mask from_w start at W
     (the run's x0: ag_train and ag_step copy W into them before the first
     step). */
  int counter;
  unsigned from_w;
  /* Arrays the step reads and never writes (x0): ag_train keeps one buffer
     of them; the step writes no Snext for them. */
  unsigned constant;
  /* -1, or the array that is the evaluation point (schedule-free's x):
     ag_train's W is that point before and after the call, and the array
     holds the point of the gradient (y); during the run the step sees W =
     the gradient point and S[eval_array] = the evaluation point. */
  int eval_array;
  /* The scalars that may be negative (bit mask); every other one is >= 0. */
  unsigned signed_scalars;
} ag_rule_info;

/* Entries of the table, and an entry by index (NULL when out of range) or by
   name (NULL when there is none). name: NUL-terminated. */
int ag_rule_count (void);
const ag_rule_info *ag_rule_at (int index);
const ag_rule_info *ag_rule_find (const char *name);

/* The package's default rule (adaloss, the paper's Algorithm 1). */
const ag_rule_info *ag_rule_default (void);

/* The external rule: an entry of the table that is not among the
   ag_rule_count named ones (ag_rule_find does not know it), with no
   parameters and no state of its own. Its step is the caller's
   (ag_train_opts.external): a rule written in Octave runs through the same
   loop as the built-in ones, with the same evaluation points, rollback,
   diagnostics, gtol, batches and records. */
const ag_rule_info *ag_rule_external (void);

/* The caller's step of the external rule. step (ctx, io) reads io->W, io->G
   (the batch gradient, times n/rows with mini-batches), io->gnorm, io->eta
   and the batch fields of io, and writes W(k+1) to io->Wnext (which may be
   io->G: read G first) and the effective step to io->step. It returns AG_OK;
   AG_ENONFINITE when W(k+1) is not finite (the run stops "diverged" at W(k));
   AG_ECANCELLED to stop the run at W(k) (an interrupt, a failure the caller
   reports). The rule keeps its own state in two slots: the step writes the
   spare slot from the current one; swap (ctx) exchanges them, as ag_train
   does with the buffers of W, when it keeps a step and when it takes one
   back after a non-finite loss. */
typedef struct ag_external {
  ag_status (*step) (void *ctx, ag_step_io *io);
  void (*swap) (void *ctx);
  void *ctx;
} ag_external;

/* A rule with its hyper-parameters: eta (>= 0, the learning rate of every
   rule) and par, the rule's parameters in table order. */
typedef struct ag_optimizer {
  const ag_rule_info *rule;
  double eta;
  double par[AG_MAX_PARAMS];
} ag_optimizer;

/* AG_OK when rule is non-NULL, eta is finite and >= 0 and every parameter
   is finite and in its range (AG_ERULE, AG_ENONFINITE, AG_EARG otherwise). */
ag_status ag_optimizer_check (const ag_optimizer *opt);

/* The optimizer state: owned by the caller. scalars holds rule->nscalars
   entries; arrays[i] points to m*d entries in the precision of W for
   i < rule->narrays. */
typedef struct ag_state {
  double scalars[AG_MAX_SCALARS];
  void *arrays[AG_MAX_ARRAYS];
} ag_state;

/* The initial state of opt's rule: scalars set, each array filled.
   single: the arrays are float (else double). */
ag_status ag_state_init (const ag_optimizer *opt, size_t m, size_t d, int single,
                         ag_state *state);

/* ---- The loss table (src/ag_loss.c) ----------------------------------
   The loss of the network's outputs U (n-by-K) against the targets Y is a
   sum over the rows, L = sum_i l(U(i,:), Y(i,:)). An entry: its name, its
   formulas (one line each, for the help and the tests), and
     eval (n, K, u, y, ldy, e): writes e = dL/dU (n-by-K, like u) and
       returns L (u in double, y in the precision of the call: eval for
       double, eval_f for float); y is n-by-K with leading dimension ldy, or
       (labels) n class labels 1..K at stride 1; a label that is not one of
       them makes L NaN;
     resnorm (L): what AdaLoss accumulates from a loss L (b^2 += alpha^2 *
       sqrt(n) * resnorm(L)), ||u - y|| for the squared loss.
   The forward and gradient passes, both forms, the evaluation points and the
   validation loss take their loss from here (ag_train_opts.loss). */
typedef struct ag_loss_info {
  const char *name;       /* e.g. "squared" */
  const char *value;      /* L in one line */
  const char *residual;   /* dL/du in one line */
  const char *adaloss;    /* resnorm (L) in one line */
  const char *targets;    /* what y holds: "real" (any finite values), "sign" (+1, -1) or
                             "class" (labels 1..K) */
  int labels;             /* y holds one label per row (else K columns) */
  size_t kmin, kmax;      /* the outputs it takes (kmax 0: any number) */
  double (*eval) (size_t n, size_t K, const double *u, const double *y, size_t ldy,
                  double *e);
  double (*eval_f) (size_t n, size_t K, const double *u, const float *y, size_t ldy,
                    double *e);
  double (*resnorm) (double loss);
} ag_loss_info;

/* Entries by index (NULL out of range) or name (NULL when none); the
   default (squared, the paper's); whether LOSS is an entry. */
int ag_loss_count (void);
const ag_loss_info *ag_loss_at (int index);
const ag_loss_info *ag_loss_find (const char *name);
const ag_loss_info *ag_loss_default (void);
int ag_loss_is_entry (const ag_loss_info *loss);
/* Whether LOSS takes K outputs (kmin <= K <= kmax). */
int ag_loss_takes (const ag_loss_info *loss, size_t K);

/* How the rows of each step are chosen (ag_train_opts.batch below). */
typedef enum ag_sampling {
  AG_FULL = 0,     /* every step on all n rows, in order */
  AG_SHUFFLE = 1,  /* each epoch a permutation of the rows, cut into batches of `size`
                      rows in order; the last batch of an epoch has what is left */
  AG_REPLACE = 2,  /* each batch `size` rows drawn uniformly with replacement */
  AG_GIVEN = 3     /* the batches of `given` */
} ag_sampling;

/* ---- Sizes ---------------------------------------------------------------
   Every call that needs memory has a function that says how many bytes, all
   of one shape: the sizes of the call and exec. They return 0 when a size is
   zero or too large (then the call returns AG_ESIZE). The space must be
   8-byte aligned (malloc and mxMalloc are). */
typedef struct ag_sizes {
  size_t n, d, m;
  size_t outputs;             /* K, the network's outputs (0 means 1) */
  int labels;                 /* ag_train: y holds one class label per row (the loss's) */
  int single;                 /* float arrays (else double) */
  const ag_rule_info *rule;   /* ag_step, ag_train: the rule (its state and histogram) */
  long iters;                 /* ag_train: maxiter, the steps that may be recorded */
  long diagnostics;            /* ag_train: 0, or the diagnostics' interval */
  ag_sampling sampling;       /* ag_train: AG_FULL (zero) or the mini-batch mode */
  size_t batch;               /* ag_train: rows per batch (mini-batches) */
  int gtol;                   /* ag_train: gtol > 0 with mini-batches (a full gradient) */
  int kernel;                 /* ag_train: 1 the kernel form (ag_kernel), 2 the event form */
} ag_sizes;

/* ag_forward and ag_gradient: about n*m/8 bytes for the activation pattern
   plus, per thread, an n-by-block scratch matrix of at most 8 MiB. */
size_t ag_forward_bytes (const ag_sizes *sz, const ag_exec *exec);
/* ag_step: the histogram of a per-coordinate rule (threads * 512 KiB); 8 otherwise. */
size_t ag_step_bytes (const ag_sizes *sz, const ag_exec *exec);
/* ag_train: the forward space, a spare copy of W and of the state arrays, the
   step histogram, the diagnostics' pattern at W0 and every record. */
size_t ag_train_bytes (const ag_sizes *sz, const ag_exec *exec);

/* What a run of ag_train calls with these sizes needs, in bytes (doubles:
   products of sizes do not wrap; 0 work: too large), the one estimate that
   the MEX layer probes and the .m layer's pre-check uses:
     work:    ag_train_bytes;
     kernel:  the kernel form's state that the caller keeps (ag_kernel: A, As,
              Wa, Sa and K), 0 in the primal form;
     outputs: what a call hands back: W and the rule's arrays, its records,
              and in the kernel form the state once more (handed on);
     total:   their sum. */
typedef struct ag_train_need {
  double work, kernel, outputs, total;
} ag_train_need;
ag_train_need ag_train_need_of (const ag_sizes *sz, const ag_exec *exec);
/* ag_gram: one n-by-block scratch matrix and an n-by-n matrix (m and n, d). */
size_t ag_gram_bytes (const ag_sizes *sz, const ag_exec *exec);

/* Each function below comes in double precision and, with the suffix _f, in
   single precision (float arrays, single-precision BLAS). Scalars (loss, b,
   eta, step sizes, sums of squares) are double in both. */

/* u = f(W, a, X).  X: n-by-d; W: m-by-d; a: m; writes u: n.
   work: ag_forward_bytes bytes. u must not alias the other arrays. */
ag_status ag_forward (size_t n, size_t d, size_t m, const double *X, const double *W,
                      const double *a, double *u, void *work, const ag_exec *exec);
ag_status ag_forward_f (size_t n, size_t d, size_t m, const float *X, const float *W,
                        const float *a, float *u, void *work, const ag_exec *exec);
/* U = f(W, A, X) for K outputs: A m-by-K, writes U n-by-K (K = 1: ag_forward).
   work: ag_forward_bytes of sizes with outputs = K. */
ag_status ag_forward_k (size_t n, size_t d, size_t m, size_t K, const double *X,
                        const double *W, const double *A, double *U, void *work,
                        const ag_exec *exec);
ag_status ag_forward_k_f (size_t n, size_t d, size_t m, size_t K, const float *X,
                          const float *W, const float *A, float *U, void *work,
                          const ag_exec *exec);

/* G = dL/dW at W, with u and loss = 0.5*||u - y||^2 as by-products.
   X: n-by-d; y: n; W: m-by-d; a: m; writes G: m-by-d, u: n (may be NULL), *loss.
   work: ag_forward_bytes bytes. G and u must not alias any input. */
ag_status ag_gradient (size_t n, size_t d, size_t m, const double *X, const double *y,
                       const double *W, const double *a, double *G, double *u,
                       double *loss, void *work, const ag_exec *exec);
ag_status ag_gradient_f (size_t n, size_t d, size_t m, const float *X, const float *y,
                         const float *W, const float *a, float *G, float *u,
                         double *loss, void *work, const ag_exec *exec);
/* The same for the loss LOSS, an entry of the loss table (NULL: the
   default; AG_EARG for a loss not in the table or a K outside its range),
   and K outputs: A m-by-K, y as the loss's eval reads it (ldy = n), u
   n-by-K. work: ag_forward_bytes of sizes with outputs = K. */
ag_status ag_gradient_loss (const ag_loss_info *lf, size_t n, size_t d, size_t m, size_t K,
                            const double *X, const double *y, const double *W,
                            const double *a, double *G, double *u, double *loss, void *work,
                            const ag_exec *exec);
ag_status ag_gradient_loss_f (const ag_loss_info *lf, size_t n, size_t d, size_t m, size_t K,
                              const float *X, const float *y, const float *W, const float *a,
                              float *G, float *u, double *loss, void *work,
                              const ag_exec *exec);

/* ||G||_F and the loss at W, without handing G out: G is formed in the
   workspace (ag_gradnorm_bytes: the forward space and an m-by-d matrix). For
   a caller that needs only the norm (the last iterate of a run). */
size_t ag_gradnorm_bytes (const ag_sizes *sz, const ag_exec *exec);
ag_status ag_gradient_norm (size_t n, size_t d, size_t m, const double *X, const double *y,
                            const double *W, const double *a, double *gnorm, double *loss,
                            void *work, const ag_exec *exec);
ag_status ag_gradient_norm_f (size_t n, size_t d, size_t m, const float *X, const float *y,
                              const float *W, const float *a, double *gnorm, double *loss,
                              void *work, const ag_exec *exec);
/* The same for the loss LF (NULL: the default; AG_EARG: not in the table). */
ag_status ag_gradient_norm_loss (const ag_loss_info *lf, size_t n, size_t d, size_t m,
                                 size_t K, const double *X, const double *y, const double *W,
                                 const double *a, double *gnorm, double *loss, void *work,
                                 const ag_exec *exec);
ag_status ag_gradient_norm_loss_f (const ag_loss_info *lf, size_t n, size_t d, size_t m,
                                   size_t K, const float *X, const float *y, const float *W,
                                   const float *a, double *gnorm, double *loss, void *work,
                                   const ag_exec *exec);

/* One step of opt's rule in place: the state is updated first, then W.
   W: m-by-d, in/out; G: m-by-d, must not alias W; state: in/out (its arrays
   m-by-d in the precision of W). resnorm = ||y - u|| at W and n, the samples,
   are read by adaloss only (any values otherwise). On return rec (may be NULL)
   holds the rule's rate (rec[0..2]: its 10%, 50%, 90% quantiles for
   per-coordinate rules, three equal values otherwise) and rec[3] = ||G||_F;
   the effective step ||W(k+1) - W(k)||_F / ||G||_F is ag_diff_norm of the W
   before and after over rec[3].
   work: ag_step_bytes bytes. Nothing is written on error. */
ag_status ag_step (const ag_optimizer *opt, size_t m, size_t d, double *W,
                   const double *G, double resnorm, size_t n, ag_state *state,
                   double rec[4], void *work, const ag_exec *exec);
ag_status ag_step_f (const ag_optimizer *opt, size_t m, size_t d, float *W,
                     const float *G, double resnorm, size_t n, ag_state *state,
                     double rec[4], void *work, const ag_exec *exec);

/* ||A - B||_F of two m-by-d arrays, the squares summed in double in an order
   that does not depend on the thread count (the effective step's numerator;
   Inf when the squares overflow). */
double ag_diff_norm (size_t m, size_t d, const double *A, const double *B, const ag_exec *exec);
double ag_diff_norm_f (size_t m, size_t d, const float *A, const float *B, const ag_exec *exec);

/* Why ag_train returned. */
typedef enum ag_stop {
  AG_STOP_MAXITER = 0,   /* maxiter steps were taken */
  AG_STOP_CONVERGED = 1, /* the loss of the current iterate is <= tol */
  AG_STOP_DIVERGED = 2,  /* a non-finite loss or step; the last finite state is returned */
  AG_STOP_MONITOR = 3,   /* the monitor callback asked to stop */
  AG_STOP_CANCELLED = 4, /* exec->cancel became positive; the last loss entry is NaN if the
                            cancel came before that iterate's loss was known */
  AG_STOP_GTOL = 5,      /* the full-batch gradient norm of the current iterate is <= gtol */
  AG_STOP_ZEROGRAD = 6,  /* full batch: the gradient is exactly zero at a loss above zero
                            (every unit dead on every row: no step can move W) */
  AG_STOP_UNDEFINED = 7  /* the rule's step divides by zero (AG_EUNDEFINED); W(k) is kept */
} ag_stop;

/* The name of a stop reason as the Octave layer reports it ("maxiter",
   "converged", "diverged", "stopped", "interrupted", "gtol", "zerogradient",
   "undefined"); NULL for other
   values. */
const char *ag_stop_name (int stop);

/* What a monitor sees of iterate k >= 1 of ag_train: W (m-by-d, the precision
   of the run), the state at W (scalars and the rule's arrays), and the records
   so far (rec->iters == k: loss and time of iterates 0..k, gnorm, b, step,
   steplo and stephi of steps 0..k-1; no diagnostics). Read-only; valid during
   the call only. */
typedef struct ag_iterate {
  long k;
  const void *W;
  const double *scalars;
  const void *const *arrays;
  const struct ag_train_result *rec;
  /* NULL, or (the kernel form) a call that writes W and the arrays from the
     kernel state: call form (fctx) before reading them. */
  void (*form) (void *fctx);
  void *fctx;
} ag_iterate;

/* Called by ag_train at every iterate k >= 1 once its loss is known, unless
   it has converged or diverged, before its gradient: the last iterate of a
   call (k == maxiter) included. A non-zero return stops the run
   (AG_STOP_MONITOR). It must not touch the arrays given to ag_train. */
typedef int (*ag_monitor) (void *ctx, const ag_iterate *it);

/* ---- Mini-batches (doc/theory.md, "Mini-batches") ----------------------
   A step on a batch B of rows (|B| = nb, rows may repeat) uses the gradient of
   0.5*||u_B - y_B||^2 times n/nb, and resnorm = sqrt(n/nb)*||u_B - y_B|| for
   adaloss; with B all rows it is the full-batch step. */

typedef struct ag_batching {
  ag_sampling sampling;
  size_t batchsize;       /* rows per batch (1..n; AG_GIVEN: entries per row of given) */
  uint64_t batchseed;     /* the schedule's seed (ag_batch_rows) */
  /* AG_GIVEN: maxiter rows of `batchsize` entries, row k the batch of step k of the
     call: 1-based row indices, a row may end in zeros (a shorter batch), at
     least one index per row. */
  const uint32_t *given;
  /* Evaluation points: global iterates that are multiples of evalevery
     (< 1 means 1), the global iterate target (the run's last; -1: none), the
     first iterate of a call that takes no step, and the diagnostics' iterates.
     There the full-batch loss is computed (mini-batches: a forward pass over
     all rows) and, with a validation set, the validation loss. */
  long evalevery;
  long target;
  size_t nv;              /* validation rows (0: none) */
  const void *Xv, *yv;    /* nv-by-d and nv, in the precision of X */
} ag_batching;

/* The rows of the batch of a step: t, the step's global index; seen, the rows
   used by the steps before it (the position in the schedule: epoch
   seen / n, row seen % n of its permutation). Writes the 0-based rows to rows
   (b->batchsize entries at most) and returns their count (0 for AG_FULL and
   AG_GIVEN, which ag_train reads itself, or bad arguments). perm: n entries
   of scratch holding the permutation of epoch *perm_epoch (set it to
   UINT64_MAX before the first call). The generator (doc/theory.md):
   SplitMix64 streams keyed by (seed, kind, index), Lemire's unbiased bounded
   integers, and Fisher-Yates for a permutation; the same for any thread
   count, process or platform. n < 2^32. */
size_t ag_batch_rows (const ag_batching *b, size_t n, uint64_t seen, uint64_t t,
                      uint32_t *perm, uint64_t *perm_epoch, uint32_t *rows);

/* ---- The kernel form (doc/theory.md, "The kernel form") ---------------
   For a linear rule every iterate is W(k) = Wa + mu*Sa + (1/sqrt(m)) *
   diag(a) * C' * X and its state array S(k) = lambda*Sa + (1/sqrt(m)) *
   diag(a) * Cs' * X, with an anchor Wa, Sa (m-by-d) and C, Cs n-by-m (with
   K > 1 outputs diag(a) is left out: C's columns carry A, see
   ag_train_opts.outputs). The loop keeps Z = X*W(k)' and Zs = X*S(k)' (n-by-m) instead of W: a step
   costs one product with K = X*X' (2*n^2*m flops, against 4*n*d*m for the
   two products of the primal step). The state lives in buffers the caller
   owns, in the precision of X:
     A:     2*n*m + 1 entries, [Z ; C ; mu] (Z and C n-by-m, column-major)
     As[0]: the same for the state array, [Zs ; Cs ; lambda] (rules with one)
     Wa, Sa[0]: m-by-d.
   A call goes on from them when `valid` is set, `hash` is that of X, a and
   the sizes, and `whash` that of the W and state given to ag_train (the
   ones the call that left the state formed); else it forms them afresh from W and the state (Wa = W, Sa = S,
   C = Cs = 0, mu = 0, lambda = 1). At the global iterates that are
   multiples of `reform` (0: never) that take a step, Wa and Sa become the
   formed W and S and Z, Zs are computed afresh (X*Wa'), which bounds the
   drift of Z from X*W'. On return the buffers hold the last iterate's
   state, valid and hash are set, and W and the state arrays are formed.
   K: the caller's n*n buffer for K = X*X', which a call computes only when
   Khash is not the hash of the data (and then sets it), so that a caller
   that keeps the state for a run (its calls on the same X) forms K once.
   trusted: the caller vouches that the W and state given are the ones the
   previous call with this state formed (a run's later calls): whash is then
   neither compared nor computed (ag_weights_hash gives it when the state is
   handed on). */
typedef struct ag_kernel {
  void *A;
  void *As[AG_MAX_ARRAYS];
  void *Wa;
  void *Sa[AG_MAX_ARRAYS];
  void *K;
  uint64_t hash, whash;   /* of X, a and the sizes; of the W and state it formed */
  uint64_t Khash;         /* of the data whose X*X' K holds (0: none) */
  int valid;
  int trusted;
  long reform;
  int fresh;   /* out: the call formed the state from W (no valid one was given) */
  /* Non-zero: the event form (doc/theory.md, "The event form"): full batch,
     one output, the squared loss, a rule with W -= s*G and no state array.
     A then holds the event state (agi_event_layout: the pattern D, Z0 =
     X*Wa', the lazily kept V = sum_k s_k D_k .* e_k and its reference C, the
     flip thresholds tau, H = K .* (D D')/m, u, c = sum_k s_k e_k, the
     bound's B (the movement of each row's entries), tau's block and row minima) of
     ag_event_len entries; As and Sa are not used. */
  int event;
} ag_kernel;

/* Entries of A (the run's precision; SINGLE: float) in the event form, 0
   when too large. */
size_t ag_event_len (size_t n, size_t m, int single);

/* The hash a kernel state keeps of the W and state arrays it formed (whash):
   COUNT entries each, float when SINGLE. */
uint64_t ag_weights_hash (size_t count, const void *W, int narrays,
                          const void *const *arrays, int single);

typedef struct ag_train_opts {
  ag_optimizer optim;
  double tol;         /* stop when loss <= tol (>= 0; 0 stops only at an exact zero) */
  long maxiter;       /* >= 0 steps at most; ag_train_bytes must be given at least this */
  ag_monitor monitor; /* may be NULL */
  void *ctx;          /* passed to monitor */
  /* Diagnostics (theory.md, statements 4 and 5), recorded at every iterate
     whose global index iter + k is a multiple of diagnostics (0: none):
     flips, the fraction of the n*m pairs (i, r) whose activation
     1{w_r'x_i >= 0} differs from that at W0; move, max_r ||w_r - w0_r||;
     dist, ||W - W0||_F. W0: m-by-d in the precision of W. Costs
     O(n*m/64 + m*d) per record plus one forward pass per call. */
  long diagnostics;
  long iter;
  const void *W0;
  /* Stop when the full-batch ||G|| of an iterate is <= gtol (0: never). Full
     batch: checked at every step; mini-batches: at the evaluation points (a
     forward and a gradient pass over all rows there). */
  double gtol;
  ag_batching batch;   /* zero: full batch */
  uint64_t seen;       /* rows used by the steps before this call */
  /* NULL: the primal form; else the kernel form with this state (the rule
     must be linear). The validation loss, gtol with mini-batches and the
     diagnostics' movement read W formed from it (2*n*d*m flops each time);
     the loss and the flips read Z. */
  ag_kernel *kernel;
  /* The step of the external rule (required when optim.rule is
     ag_rule_external (); ignored otherwise). */
  const ag_external *external;
  /* An entry of the loss table; NULL: ag_loss_default (). */
  const ag_loss_info *loss;
  /* K, the outputs (0 means 1): a is m-by-K, y n-by-K (the validation's
     nv-by-K), or class labels when the loss reads labels. In the kernel
     form with K > 1 the state's C holds the output weights: W = Wa -
     (1/sqrt(m)) C' X, C the running sum of s_k P_k .* (R_k A'). */
  size_t outputs;
  /* Non-zero: the caller has checked that X, a, W and W0 are finite (a run's
     later calls on the arrays its first call checked), and ag_train does not
     scan them again. */
  int finite;
} ag_train_opts;

/* The sizes of an ag_train call, for ag_train_bytes: n, d, m, the precision
   (single: float arrays) and what opt asks for (the rule, maxiter, the
   diagnostics' interval, the mini-batches, the validation rows and, with
   mini-batches, gtol's full-batch gradient). */
ag_sizes ag_train_sizes (size_t n, size_t d, size_t m, int single, const ag_train_opts *opt);

/* What ag_train recorded. The arrays point into the workspace and live as
   long as it does. loss and time: iters + 1 entries, for iterates 0..iters
   (time in seconds since the call began, when that iterate's loss was known);
   gnorm, b, step, rate, ratelo, ratehi: iters entries, for steps
   0..iters-1: ||G(W(k))||_F, the rule's b after its update in step k (NaN
   for rules without one), the effective step of step k, ||W(k+1) -
   W(k)||_F / ||G(W(k))||_F for every rule and form (NaN when ||G|| = 0), and
   the rule's own rate (io->step of its step function: eta/b, eta, the median
   per-coordinate step; NaN for the external rule), with ratelo and ratehi
   its 10% and 90% quantiles for per-coordinate rules (equal to rate
   otherwise). diter, flips, move, dist: ndiag diagnostics records. */
typedef struct ag_train_result {
  long iters;
  ag_stop stop;
  double *loss, *time, *gnorm, *b, *step, *rate, *ratelo, *ratehi;
  long ndiag;
  double *diter, *flips, *move, *dist;
  /* iters + 1 entries each: batchloss, the loss of the batch of step k at
     W(k) times n/nb (full batch: the loss; NaN at the last iterate of a
     mini-batch call); epoch, the rows used before iterate k over n; vloss,
     the validation loss times n/nv at the evaluation points (NaN elsewhere).
     With mini-batches loss holds the full-batch loss at the evaluation points
     and NaN elsewhere. accuracy, vaccuracy: where the targets y (the
     validation's yv) are all +1 or -1, the fraction of the rows whose output
     has their sign (u >= 0 for +1), where loss (vloss) is known; NaN
     elsewhere and for other targets. seen: the rows used after the last
     step. */
  double *batchloss, *epoch, *vloss, *accuracy, *vaccuracy;
  uint64_t seen;
  /* The event form: the exact evaluations of entries of Z this call made
     (the anchors' n*m included) and the activation flips it handled; 0 in
     the other forms. */
  double evals, events;
} ag_train_result;

/* Runs up to opt->maxiter steps of opt->optim from W and state.
   X: n-by-d; y: n; a: m; W: m-by-d in/out (on return the last iterate, or
   the last one with a finite loss when diverged); state: in/out, as for
   ag_step; work: ag_train_bytes bytes for these sizes, the rule, maxiter and
   diagnostics. Writes *res. Nothing is allocated. */
ag_status ag_train (size_t n, size_t d, size_t m, const double *X, const double *y,
                    const double *a, double *W, ag_state *state,
                    const ag_train_opts *opt, void *work, ag_train_result *res,
                    const ag_exec *exec);
ag_status ag_train_f (size_t n, size_t d, size_t m, const float *X, const float *y,
                      const float *a, float *W, ag_state *state,
                      const ag_train_opts *opt, void *work, ag_train_result *res,
                      const ag_exec *exec);

/* Gram matrices (doc/theory.md), double precision. H: n-by-n, written whole.
   ag_gram_inf: H_inf(i,j) = t (pi - arccos t) / (2 pi), t = x_i'x_j clamped to [-1, 1].
   ag_gram: H(W)(i,j) = x_i'x_j #{r : w_r'x_i >= 0, w_r'x_j >= 0} / m, from the
   activation pattern of one block of units at a time (BLAS dsyrk on 0/1
   blocks), never an n-by-m matrix. work: ag_gram_bytes bytes. */
ag_status ag_gram_inf (size_t n, size_t d, const double *X, double *H);
ag_status ag_gram (size_t n, size_t d, size_t m, const double *X, const double *W,
                   double *H, void *work, const ag_exec *exec);

/* The smallest and largest eigenvalue of the symmetric n-by-n matrix H
   (its upper triangle is read; H is not changed), by LAPACK's dsyev with
   single-threaded BLAS, so that they are bitwise the same whatever the BLAS
   library's thread count. work: ag_eig_bytes bytes (n from sz). */
size_t ag_eig_bytes (const ag_sizes *sz, const ag_exec *exec);
ag_status ag_eig_extremes (size_t n, const double *H, double *lmin, double *lmax,
                           void *work);

/* SHA-256 (FIPS 180-4), for the digests of checkpoints and sweep folders:
   ag_sha256_init, then ag_sha256_update over any number of byte ranges (in
   order: the digest is that of their concatenation; LEN 0 is allowed, DATA
   may then be NULL), then ag_sha256_final writes the digest as 64 lowercase
   hex digits and a NUL into HEX. The state is plain data: no allocation. */
typedef struct ag_sha256 {
  uint32_t h[8];
  uint64_t bytes;          /* message bytes so far */
  unsigned char buf[64];   /* the partial block */
  size_t fill;             /* bytes in buf */
} ag_sha256;

void ag_sha256_init (ag_sha256 *s);
void ag_sha256_update (ag_sha256 *s, const void *data, size_t len);
void ag_sha256_final (ag_sha256 *s, char hex[65]);

/* Data files (ag_read.c; zlib: gzip-compressed or plain files alike).
   Each returns AG_OK, or AG_EARG / AG_ESIZE with ERR (ERRLEN bytes, may be
   NULL) saying what is wrong with the file, in words that follow its name.

   ag_gz_length: the bytes of the (decompressed) stream at PATH;
   ag_gz_read: exactly that many into OUT. */
ag_status ag_gz_length (const char *path, size_t *length, char *err, size_t errlen);
ag_status ag_gz_read (const char *path, unsigned char *out, size_t length, char *err,
                      size_t errlen);

/* IDX (LeCun's format of MNIST): two zero bytes, a type, the number of
   dimensions, the dimensions as big-endian 32-bit counts, then the entries
   big-endian in row-major order. */
enum { AG_IDX_UINT8 = 0x08, AG_IDX_INT8 = 0x09, AG_IDX_INT16 = 0x0B, AG_IDX_INT32 = 0x0C,
       AG_IDX_FLOAT = 0x0D, AG_IDX_DOUBLE = 0x0E, AG_IDX_MAXDIMS = 8 };
typedef struct ag_idx_header {
  int type, ndims;
  size_t dims[AG_IDX_MAXDIMS];
  size_t count;    /* entries */
  size_t items;    /* dims[0] */
  size_t width;    /* entries per item: the product of the other dimensions */
} ag_idx_header;
/* The bytes of an entry of TYPE (0: not an IDX type). */
size_t ag_idx_elem (int type);
ag_status ag_idx_header_of (const char *path, ag_idx_header *h, char *err, size_t errlen);
/* The entries into OUT as an items-by-width column-major matrix (row i:
   item i, its entries in the file's order) in the machine's byte order;
   ROW: scratch of width entries. Checked again: the header, every item
   complete, nothing after the last. */
ag_status ag_idx_read (const char *path, const ag_idx_header *h, void *out, void *row,
                       char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* AG_H */
