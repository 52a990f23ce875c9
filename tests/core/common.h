/* common.h: what the C tests of the core share: the CHECK counter, the
   deterministic random numbers (one sequence, in the order main calls the
   tests), the problems, and the helpers that run the core. */
#ifndef AG_TEST_COMMON_H
#define AG_TEST_COMMON_H

#include "ag.h"
#include "ag_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int passed, failed;

#define CHECK(cond, ...)                                        \
  do {                                                          \
    if (cond) passed++;                                         \
    else {                                                      \
      failed++;                                                 \
      printf ("FAIL %s:%d: ", __FILE__, __LINE__);              \
      printf (__VA_ARGS__);                                     \
      printf ("\n");                                            \
    }                                                           \
  } while (0)

/* Problems get workspace for up to four threads. */
extern const ag_exec four;

typedef struct problem {
  size_t n, d, m;
  double *X, *y, *W, *a, *G, *u, *work;
} problem;

/* Deterministic uniform(-1, 1) and normal numbers (xorshift + Box-Muller). */
double urand (void);
double nrand (void);
problem make_problem (size_t n, size_t d, size_t m);
void free_problem (problem *p);
double naive_loss (const problem *p, const double *W, double *u);
ag_optimizer optimizer (const char *name, double eta);
ag_state new_state (const ag_optimizer *o, size_t m, size_t d);
void free_state (ag_state *st);
void train_done (void);
ag_status train (const problem *p, ag_train_opts *opt, double *W, ag_state *st,    ag_train_result *res, double *loss, double *b, double *rate, const ag_exec *exec);
double rel_diff (const double *A, const double *B, size_t count);
ag_kernel kernel_new (const problem *p, const ag_optimizer *o, long reform);
void kernel_free (ag_kernel *k);

/* The tests, by concept (tests/core/test_*.c), in the order main runs them. */
void test_forward_hand (void);
void test_forward_blocked (void);
void test_gradient_fd (size_t n, size_t d, size_t m);
void test_single (void);
void test_threads (void);
void test_gram_identity (void);
void test_gram (void);
void test_step_pieces (void);
void test_steps_hand (void);
void test_table (void);
void test_losses (void);
void test_errors (void);
void test_diag (void);
void test_external (void);
void test_train (void);
void test_train_stops (void);
void test_batch_rows (void);
void test_minibatch (void);
void test_kernel (void);
void test_sha256 (void);
void test_read (void);
void test_outputs (void);

#endif /* AG_TEST_COMMON_H */
