/* ag_internal.h: helpers shared by the core's source files (not part of the interface). */
#ifndef AG_INTERNAL_H
#define AG_INTERNAL_H

#ifdef _OPENMP
#include <omp.h>
#endif

/* The OpenMP thread number of the caller (0 outside a parallel region or
   without OpenMP). */
static inline int
ag_this_thread (void)
{
#ifdef _OPENMP
  return omp_get_thread_num ();
#else
  return 0;
#endif
}

#endif /* AG_INTERNAL_H */
