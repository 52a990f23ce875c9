/* test_calls.c: C tests of the arguments the building blocks refuse. */
#include "common.h"

void
test_errors (void)
{
  double X[] = { 1, 0, 0, 1 }, W[] = { 1, -2, -1, 3 }, a[] = { 1, -1 }, u[2];
  double G[4] = { 0 }, y[2] = { 0, 0 }, loss, work[64], rec[4];
  ag_sizes huge = { .n = (size_t) 1 << 40, .d = 2, .m = 2 };
  ag_sizes wrap = { .n = (size_t) 1 << 30, .d = (size_t) 1 << 30, .m = (size_t) 1 << 30 };
  CHECK (ag_forward (0, 2, 2, X, W, a, u, work, NULL) == AG_ESIZE, "n = 0");
  CHECK (ag_forward (2, 0, 2, X, W, a, u, work, NULL) == AG_ESIZE, "d = 0");
  CHECK (ag_forward (2, 2, 0, X, W, a, u, work, NULL) == AG_ESIZE, "m = 0");
  CHECK (ag_forward_bytes (&huge, NULL) == 0, "n beyond BLAS int");
  CHECK (ag_forward_bytes (&wrap, NULL) == 0, "n*d overflow");
  CHECK (ag_forward ((size_t) 1 << 40, 2, 2, X, W, a, u, work, NULL) == AG_ESIZE, "huge n");
  CHECK (ag_forward (2, 2, 2, NULL, W, a, u, work, NULL) == AG_ENULL, "NULL X");
  CHECK (ag_gradient (2, 2, 2, X, NULL, W, a, G, u, &loss, work, NULL) == AG_ENULL, "NULL y");
  X[1] = NAN;
  CHECK (ag_forward (2, 2, 2, X, W, a, u, work, NULL) == AG_ENONFINITE, "NaN in X");
  X[1] = 0;
  y[0] = INFINITY;
  CHECK (ag_gradient (2, 2, 2, X, y, W, a, G, u, &loss, work, NULL) == AG_ENONFINITE, "Inf in y");
  ag_optimizer o = optimizer ("gd", -1);
  ag_state st;
  memset (&st, 0, sizeof st);
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_EARG, "eta < 0");
  CHECK (ag_step (NULL, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_ENULL, "no optimizer");
  o = optimizer ("adaloss", 1);
  o.par[1] = 0;
  st.scalars[0] = 1;
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_EARG, "alpha = 0");
  o = optimizer ("adagrad-norm", 1);
  st.scalars[0] = 0;
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_EARG, "b = 0");
  st.scalars[0] = NAN;
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_ENONFINITE, "b = NaN");
  o = optimizer ("adaloss", 1);
  st.scalars[0] = 1;
  CHECK (ag_step (&o, 2, 2, W, G, -1, 2, &st, rec, work, NULL) == AG_EARG, "resnorm < 0");
  CHECK (ag_step (&o, 2, 2, W, G, 1, 0, &st, rec, work, NULL) == AG_EARG, "n = 0");
  o = optimizer ("momentum", 1);
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_ENULL, "no velocity array");
  double v[4] = { 0, NAN, 0, 0 };
  st.arrays[0] = v;
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_ENONFINITE, "NaN velocity");
  o = optimizer ("adam", 1);
  double M[4] = { 0 }, V[4] = { 0 };
  st.arrays[0] = M;
  st.arrays[1] = V;
  st.scalars[0] = 1.5;
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_EARG, "t not an integer");
  st.scalars[0] = -1;
  CHECK (ag_step (&o, 2, 2, W, G, 0, 2, &st, rec, work, NULL) == AG_EARG, "t < 0");
  CHECK (ag_state_init (&o, 2, 2, 0, NULL) == AG_ENULL, "state init without state");
  for (int s = -1; s < 10; s++)
    CHECK (ag_strerror (s) != NULL && ag_strerror (s)[0] != '\0', "strerror %d", s);
}
