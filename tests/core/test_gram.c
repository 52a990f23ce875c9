/* test_gram.c: C tests of the Gram matrices and their eigenvalues. */
#include "common.h"

void
test_gram_identity (void)
{
  /* ||G||_F^2 = e' H(W) e with H(i,j) = (1/m) x_i'x_j #{r: w_r'x_i >= 0, w_r'x_j >= 0}. */
  problem p = make_problem (40, 6, 90);
  double loss, g2 = 0.0, q = 0.0;
  ag_gradient (p.n, p.d, p.m, p.X, p.y, p.W, p.a, p.G, p.u, &loss, p.work, NULL);
  for (size_t j = 0; j < p.m * p.d; j++)
    g2 += p.G[j] * p.G[j];
  for (size_t i = 0; i < p.n; i++)
    for (size_t l = 0; l < p.n; l++)
      {
        double xx = 0.0;
        int both = 0;
        for (size_t k = 0; k < p.d; k++)
          xx += p.X[i + k * p.n] * p.X[l + k * p.n];
        for (size_t r = 0; r < p.m; r++)
          {
            double zi = 0.0, zl = 0.0;
            for (size_t k = 0; k < p.d; k++)
              {
                zi += p.X[i + k * p.n] * p.W[r + k * p.m];
                zl += p.X[l + k * p.n] * p.W[r + k * p.m];
              }
            both += zi >= 0 && zl >= 0;
          }
        q += (p.u[i] - p.y[i]) * xx * both / (double) p.m * (p.u[l] - p.y[l]);
      }
  CHECK (fabs (g2 - q) <= 1e-12 * q, "||G||^2 = %.17g vs e'He = %.17g", g2, q);
  /* ag_gradient_norm: the same norm and loss, G kept in its workspace. */
  ag_sizes gz = { .n = p.n, .d = p.d, .m = p.m };
  void *gw = malloc (ag_gradnorm_bytes (&gz, NULL));
  double gn, gl;
  CHECK (ag_gradient_norm (p.n, p.d, p.m, p.X, p.y, p.W, p.a, &gn, &gl, gw, NULL) == AG_OK
         && fabs (gn - sqrt (g2)) <= 1e-14 * gn && gl == loss,
         "gradient_norm %.17g vs %.17g", gn, sqrt (g2));
  free (gw);
  free_problem (&p);
}

void
test_gram (void)
{
  /* H_inf by hand: parallel rows give 1/2, orthogonal rows 0, opposite rows 0,
     and t = 1/2 gives (1/2)(pi - pi/3)/(2 pi) = 1/6. */
  double X[] = { 1, 0, -1, 0.5, 0, 1, 0, sqrt (0.75) }, H[16];
  CHECK (ag_gram_inf (4, 2, X, H) == AG_OK, "gram_inf status");
  CHECK (fabs (H[0] - 0.5) < 1e-15 && fabs (H[1]) < 1e-15 && fabs (H[2]) < 1e-15
         && fabs (H[3] - 1.0 / 6) < 1e-15 && H[4] == H[1] && fabs (H[15] - 0.5) < 1e-7,
         "gram_inf values %g %g %g %g", H[0], H[1], H[2], H[3]);
  /* H(W) against the naive count, over several blocks. */
  problem p = make_problem (40, 6, 1300);
  double *Hc = malloc (40 * 40 * sizeof (double));
  ag_sizes gs = { .n = 40, .d = 6, .m = 1300 };
  void *w = malloc (ag_gram_bytes (&gs, NULL));
  CHECK (ag_gram (40, 6, 1300, p.X, p.W, Hc, w, NULL) == AG_OK, "gram status");
  double worst = 0;
  for (size_t i = 0; i < 40; i++)
    for (size_t l = 0; l < 40; l++)
      {
        double xx = 0;
        int both = 0;
        for (size_t k = 0; k < 6; k++)
          xx += p.X[i + k * 40] * p.X[l + k * 40];
        for (size_t r = 0; r < 1300; r++)
          {
            double zi = 0, zl = 0;
            for (size_t k = 0; k < 6; k++)
              {
                zi += p.X[i + k * 40] * p.W[r + k * 1300];
                zl += p.X[l + k * 40] * p.W[r + k * 1300];
              }
            both += zi >= 0 && zl >= 0;
          }
        worst = fmax (worst, fabs (Hc[i + l * 40] - xx * both / 1300.0));
      }
  CHECK (worst < 1e-14, "gram vs naive: %g", worst);
  CHECK (ag_gram (0, 6, 1300, p.X, p.W, Hc, w, NULL) == AG_ESIZE && ag_gram_inf (4, 2, NULL, H) == AG_ENULL,
         "gram errors");
  /* Extreme eigenvalues: [2 1 0; 1 2 0; 0 0 5] has 1, 3 and 5; H is not changed. */
  double S3[9] = { 2, 1, 0, 1, 2, 0, 0, 0, 5 }, S3c[9], lmin, lmax;
  memcpy (S3c, S3, sizeof S3);
  ag_sizes es = { .n = 3 };
  double *ew = malloc (ag_eig_bytes (&es, NULL));
  CHECK (ag_eig_extremes (3, S3, &lmin, &lmax, ew) == AG_OK && fabs (lmin - 1) < 1e-14
         && fabs (lmax - 5) < 1e-14 && memcmp (S3, S3c, sizeof S3) == 0,
         "eigenvalues %g %g", lmin, lmax);
  S3[4] = NAN;
  CHECK (ag_eig_extremes (3, S3, &lmin, &lmax, ew) == AG_ENONFINITE
         && ag_eig_extremes (3, NULL, &lmin, &lmax, ew) == AG_ENULL, "eigenvalue errors");
  free (ew);
  free (Hc); free (w);
  free_problem (&p);
}
