/* ag_gram.c: the Gram matrices H_inf and H(W), and the extreme eigenvalues of a
   symmetric matrix (LAPACK's dsyev). */
#include "ag.h"
#include "ag_internal.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

ag_status
ag_gram_inf (size_t n, size_t d, const double *X, double *H)
{
  if (! X || ! H)
    return AG_ENULL;
  if (n == 0 || d == 0 || n > AG_BLAS_INT_MAX || d > AG_BLAS_INT_MAX
      || n > (size_t) PTRDIFF_MAX / sizeof (double) / n
      || d > (size_t) PTRDIFF_MAX / sizeof (double) / n)
    return AG_ESIZE;
  for (size_t i = 0; i < n * d; i++)
    if (! isfinite (X[i]))
      return AG_ENONFINITE;
  int blas = agi_blas_threads_enter ();
  cblas_dsyrk (CblasColMajor, CblasUpper, CblasNoTrans, (int) n, (int) d, 1.0, X,
               (int) n, 0.0, H, (int) n);
  agi_blas_threads_leave (blas);
  const double inv2pi = 1.0 / (2.0 * M_PI);
  for (size_t j = 0; j < n; j++)
    for (size_t i = 0; i <= j; i++)
      {
        double t = H[i + j * n];
        t = t > 1.0 ? 1.0 : (t < -1.0 ? -1.0 : t);
        H[i + j * n] = H[j + i * n] = t * (M_PI - acos (t)) * inv2pi;
      }
  return AG_OK;
}

size_t
ag_gram_bytes (const ag_sizes *sz, const ag_exec *exec)
{
  (void) exec;
  if (! sz || agi_check_sizes (sz->n, sz->d, sz->m) != AG_OK)
    return 0;
  const size_t lim = (size_t) PTRDIFF_MAX / sizeof (double);
  size_t n = sz->n, B = agi_block_size (n, sz->d, sz->m);
  if (B > lim / n || n > lim / n || n * B > lim - n * n)
    return 0;
  return (n * B + n * n) * sizeof (double);
}

ag_status
ag_gram (size_t n, size_t d, size_t m, const double *X, const double *W,
         double *H, void *work, const ag_exec *exec)
{
  if (! X || ! W || ! H || ! work)
    return AG_ENULL;
  ag_sizes sz = { .n = n, .d = d, .m = m };
  if (ag_gram_bytes (&sz, NULL) == 0)
    return AG_ESIZE;
  for (size_t i = 0; i < n * d; i++)
    if (! isfinite (X[i]))
      return AG_ENONFINITE;
  for (size_t i = 0; i < m * d; i++)
    if (! isfinite (W[i]))
      return AG_ENONFINITE;
  const size_t B = agi_block_size (n, d, m);
  double *Z = (double *) work, *K = Z + n * B;
  /* Single-threaded BLAS, as everywhere in the core: H is then bitwise the
     same whatever the BLAS library's thread count. */
  int blas = agi_blas_threads_enter ();
  /* H accumulates P P' (co-activation counts, exact in double), block by block. */
  for (size_t r0 = 0; r0 < m; r0 += B)
    {
      if (ag_cancelled (exec_cancel (exec)))
        {
          agi_blas_threads_leave (blas);
          return AG_ECANCELLED;
        }
      size_t nb = m - r0 < B ? m - r0 : B;
      cblas_dgemm (CblasColMajor, CblasNoTrans, CblasTrans, (int) n, (int) nb,
                   (int) d, 1.0, X, (int) n, W + r0, (int) m, 0.0, Z, (int) n);
      for (size_t i = 0; i < n * nb; i++)
        Z[i] = Z[i] >= 0.0 ? 1.0 : 0.0;
      cblas_dsyrk (CblasColMajor, CblasUpper, CblasNoTrans, (int) n, (int) nb, 1.0,
                   Z, (int) n, r0 == 0 ? 0.0 : 1.0, H, (int) n);
    }
  cblas_dsyrk (CblasColMajor, CblasUpper, CblasNoTrans, (int) n, (int) d, 1.0, X,
               (int) n, 0.0, K, (int) n);
  agi_blas_threads_leave (blas);
  for (size_t j = 0; j < n; j++)
    for (size_t i = 0; i <= j; i++)
      H[i + j * n] = H[j + i * n] = K[i + j * n] * H[i + j * n] / (double) m;
  return AG_OK;
}

/* LAPACK (OpenBLAS ships it), Fortran calling convention. */
extern void dsyev_ (const char *jobz, const char *uplo, const int *n, double *a,
                    const int *lda, double *w, double *work, const int *lwork, int *info);

/* Workspace of dsyev for eigenvalues only: 66 n (its blocked reduction's
   optimum for blocks of 64) besides the copy of H and the n eigenvalues. */
size_t
ag_eig_bytes (const ag_sizes *sz, const ag_exec *exec)
{
  (void) exec;
  if (! sz || sz->n == 0 || sz->n > (size_t) INT_MAX / 66)
    return 0;
  const size_t n = sz->n, lim = (size_t) PTRDIFF_MAX / sizeof (double);
  if (n > lim / n - 67)
    return 0;
  return (n * n + 67 * n) * sizeof (double);
}

ag_status
ag_eig_extremes (size_t n, const double *H, double *lmin, double *lmax, void *work)
{
  if (! H || ! lmin || ! lmax || ! work)
    return AG_ENULL;
  ag_sizes sz = { .n = n };
  if (ag_eig_bytes (&sz, NULL) == 0)
    return AG_ESIZE;
  for (size_t i = 0; i < n * n; i++)
    if (! isfinite (H[i]))
      return AG_ENONFINITE;
  double *A = (double *) work, *w = A + n * n, *lw = w + n;
  memcpy (A, H, n * n * sizeof (double));
  int nn = (int) n, lwork = (int) (66 * n), info = 0;
  int blas = agi_blas_threads_enter ();
  dsyev_ ("N", "U", &nn, A, &nn, w, lw, &lwork, &info);
  agi_blas_threads_leave (blas);
  if (info != 0)
    return AG_ENONFINITE;
  /* Ascending order. */
  *lmin = w[0];
  *lmax = w[n - 1];
  return AG_OK;
}
