/* ag.h: public interface of the adagrad core (two-layer ReLU network, adaptive steps). */
#ifndef AG_H
#define AG_H

#include <signal.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AG_VERSION_MAJOR 0
#define AG_VERSION_MINOR 1
#define AG_VERSION_PATCH 0
#define AG_VERSION_STRING "0.1.0"

/* Model (PAPER.md): u = f(W, a, X) = (1/sqrt(m)) * relu(X * W') * a, e = u - y,
   L = 0.5 * ||e||^2, G = dL/dW = (1/sqrt(m)) * ((X*W' >= 0) .* (e * a'))' * X.
   All matrices are column-major with leading dimension equal to their row count:
   X is n-by-d, W and G are m-by-d, y, u and e have n entries, a has m entries. */

typedef enum ag_status {
  AG_OK = 0,          /* success */
  AG_ENULL = 1,       /* a required pointer argument is NULL */
  AG_ESIZE = 2,       /* a dimension is zero, or a size exceeds what BLAS or size_t can index */
  AG_EARG = 3,        /* a scalar argument is out of range (eta < 0, b <= 0, alpha <= 0, ...) */
  AG_ERULE = 4,       /* the step rule is not one of ag_rule */
  AG_ENONFINITE = 5   /* an input array or scalar holds NaN or Inf */
} ag_status;

/* A static, never-NULL message for a status code (unknown codes included). */
const char *ag_strerror (int status);

typedef enum ag_rule {
  AG_RULE_GD = 0,           /* W -= eta * G; b is left unchanged */
  AG_RULE_ADAGRAD_NORM = 1, /* b^2 += ||G||_F^2; W -= (eta/b) * G */
  AG_RULE_ADALOSS = 2       /* b^2 += alpha^2 * sqrt(n) * ||y - u||; W -= (eta/b) * G */
} ag_rule;

/* Rule from its name ("gd", "adagrad-norm", "adaloss"); AG_ERULE if unknown.
   name: NUL-terminated; rule: out, written only on success. */
int ag_rule_from_name (const char *name, ag_rule *rule);

/* Name of a rule, or NULL when rule is not an ag_rule. */
const char *ag_rule_name (int rule);

/* How the kernels run. threads: OpenMP threads, each working on its own
   blocks of hidden units with single-threaded BLAS (the BLAS library's thread
   count is set to 1 during a call and restored after it); 0 or a NULL pointer
   means 1. Every result is bitwise the same for any number of threads: the
   blocks do not depend on it and every sum runs in a fixed order. The same
   ag_exec must be given to ag_workspace_size and to the call using the space. */
typedef struct ag_exec {
  int threads;
} ag_exec;

/* OpenMP's default thread count (OMP_NUM_THREADS, else the cores); 1 without OpenMP. */
int ag_default_threads (void);

/* Bytes of workspace that ag_forward, ag_gradient and ag_train need for sizes
   (n, d, m) and exec's thread count, in either precision; 0 when a size is zero
   or too large (then those functions return AG_ESIZE). About n*m/8 bytes for the
   activation pattern plus, per thread, an n-by-block scratch matrix of at most
   8 MiB. The workspace must be 8-byte aligned (malloc and mxMalloc are). */
size_t ag_workspace_size (size_t n, size_t d, size_t m, const ag_exec *exec);

/* Each function below comes in double precision and, with the suffix _f, in
   single precision (float arrays, single-precision BLAS). Scalars (loss, b,
   eta, step sizes, sums of squares) are double in both. */

/* u = f(W, a, X).  X: n-by-d; W: m-by-d; a: m; writes u: n.
   work: ag_workspace_size (n, d, m) bytes. u must not alias the other arrays. */
int ag_forward (size_t n, size_t d, size_t m, const double *X, const double *W,
                const double *a, double *u, void *work, const ag_exec *exec);
int ag_forward_f (size_t n, size_t d, size_t m, const float *X, const float *W,
                  const float *a, float *u, void *work, const ag_exec *exec);

/* G = dL/dW at W, with u and loss = 0.5*||u - y||^2 as by-products.
   X: n-by-d; y: n; W: m-by-d; a: m; writes G: m-by-d, u: n (may be NULL), *loss.
   work: ag_workspace_size (n, d, m) bytes. G and u must not alias any input. */
int ag_gradient (size_t n, size_t d, size_t m, const double *X, const double *y,
                 const double *W, const double *a, double *G, double *u,
                 double *loss, void *work, const ag_exec *exec);
int ag_gradient_f (size_t n, size_t d, size_t m, const float *X, const float *y,
                   const float *W, const float *a, float *G, float *u,
                   double *loss, void *work, const ag_exec *exec);

/* The scalar half of one step: from the current *b, computes the updated *b and
   the effective step *step (eta for gd, eta / b_new otherwise).
   gnorm2 = ||G||_F^2 (read by adagrad-norm); resnorm = ||y - u|| and n (read by
   adaloss). b: in/out; step: out. Neither is written on error. */
int ag_step_size (ag_rule rule, double eta, double alpha, double gnorm2,
                  double resnorm, size_t n, double *b, double *step);

/* One step in place: the rule updates *b, then W -= step * G.
   W: m-by-d, in/out; G: m-by-d, read only, must not alias W. ||G||_F^2 is
   computed here when the rule needs it. b: in/out; step: out (may be NULL). */
int ag_step (ag_rule rule, size_t m, size_t d, double *W, const double *G,
             double eta, double alpha, double resnorm, size_t n, double *b,
             double *step, const ag_exec *exec);
int ag_step_f (ag_rule rule, size_t m, size_t d, float *W, const float *G,
               double eta, double alpha, double resnorm, size_t n, double *b,
               double *step, const ag_exec *exec);

/* Why ag_train returned. */
typedef enum ag_stop {
  AG_STOP_MAXITER = 0,   /* maxiter steps were taken */
  AG_STOP_CONVERGED = 1, /* the loss of the current iterate is <= tol */
  AG_STOP_DIVERGED = 2,  /* a non-finite loss or gradient; the last finite state is returned */
  AG_STOP_MONITOR = 3,   /* the monitor callback asked to stop */
  AG_STOP_CANCELLED = 4  /* *cancel became non-zero; the last loss entry is NaN if the
                            cancel came before that iterate's loss was known */
} ag_stop;

/* Called by ag_train once per iterate k >= 1, after its loss is known and before
   its gradient; a non-zero return stops the run (AG_STOP_MONITOR). It must not
   touch the arrays given to ag_train. */
typedef int (*ag_monitor) (void *ctx, long k);

/* Diagnostics of ag_train (PAPER.md, predictions 4 and 5), recorded at every
   iterate whose global index k0 + k is a multiple of every:
   iter: that global index; flips: the fraction of the n*m pairs (i, r) whose
   activation 1{w_r'x_i >= 0} differs from that at W0; move: max_r ||w_r - w0_r||;
   dist: ||W - W0||_F. Each array needs maxiter / every + 2 entries; *count
   receives the number written. W0: m-by-d in the precision of W; work:
   ag_diag_workspace_size (n, m) bytes. Costs O(n*m/64 + m*d) per record, plus
   one forward pass per call to find the pattern at W0. */
typedef struct ag_diag {
  long every;        /* > 0 */
  long k0;           /* >= 0: global index of the iterate passed to ag_train */
  const void *W0;
  void *work;
  double *iter, *flips, *move, *dist;
  long count;        /* out */
} ag_diag;

size_t ag_diag_workspace_size (size_t n, size_t m);

typedef struct ag_train_opts {
  ag_rule rule;
  double eta;         /* >= 0 (0 leaves W unchanged) */
  double alpha;       /* > 0; read by adaloss */
  double tol;         /* stop when loss <= tol (>= 0; 0 stops only at an exact zero) */
  long maxiter;       /* >= 0 steps at most */
  ag_monitor monitor; /* may be NULL */
  void *ctx;          /* passed to monitor */
  /* May be NULL. Read between blocks of hidden units, so that a flag set by a
     signal handler stops even an iteration that takes seconds; W and b are
     then those of the last completed iteration. */
  const volatile sig_atomic_t *cancel;
  ag_diag *diag;      /* may be NULL: no diagnostics */
} ag_train_opts;

/* Per-iterate records of one ag_train call; iterate 0 is the W passed in.
   loss, time: maxiter + 1 entries, for iterates 0..iters (time in seconds since
   the call began, at the moment that iterate's loss was known).
   gnorm, b, step: maxiter entries, for steps 0..iters-1: ||G(W(k))||_F, b after
   its update in step k, and the effective step of step k. Any pointer may be NULL. */
typedef struct ag_trace {
  double *loss, *time, *gnorm, *b, *step;
} ag_trace;

/* Runs up to opt->maxiter steps of opt->rule from W, *b.
   X: n-by-d; y: n; a: m; W: m-by-d in/out (on return the last iterate, or the last
   one with a finite loss when diverged); b: in/out; spare: m-by-d scratch (holds
   the gradient; must not alias W); work: ag_workspace_size (n, d, m) bytes.
   Writes *iters (steps taken), *stop and the trace. Nothing is allocated. */
int ag_train (size_t n, size_t d, size_t m, const double *X, const double *y,
              const double *a, double *W, double *b, const ag_train_opts *opt,
              double *spare, void *work, ag_trace *trace, long *iters,
              ag_stop *stop, const ag_exec *exec);
int ag_train_f (size_t n, size_t d, size_t m, const float *X, const float *y,
                const float *a, float *W, double *b, const ag_train_opts *opt,
                float *spare, void *work, ag_trace *trace, long *iters,
                ag_stop *stop, const ag_exec *exec);

/* Gram matrices (PAPER.md), double precision. H: n-by-n, written whole.
   ag_gram_inf: H_inf(i,j) = t (pi - arccos t) / (2 pi), t = x_i'x_j clamped to [-1, 1].
   ag_gram: H(W)(i,j) = x_i'x_j #{r : w_r'x_i >= 0, w_r'x_j >= 0} / m, from the
   activation pattern of one block of units at a time (BLAS dsyrk on 0/1
   blocks), never an n-by-m matrix. work: ag_gram_workspace_size (n, d, m) bytes. */
int ag_gram_inf (size_t n, size_t d, const double *X, double *H);
size_t ag_gram_workspace_size (size_t n, size_t d, size_t m);
int ag_gram (size_t n, size_t d, size_t m, const double *X, const double *W,
             double *H, void *work);

#ifdef __cplusplus
}
#endif

#endif /* AG_H */
