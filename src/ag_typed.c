/* ag_typed.c: the typed files, once per precision: the passes (ag_passes.h), the
   public building blocks (ag_calls.h), the kernel form (ag_kernel.h) and the run
   (ag_run.h). */
#define _POSIX_C_SOURCE 200809L

#include "ag.h"
#include "ag_internal.h"
#include "ag_bits.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define REAL double
#define SFX(name) name
#define GEMM cblas_dgemm
#define PACK_SIGNS pack_signs
#define UNPACK_SCALED unpack_scaled
#include "ag_passes.h"
#include "ag_calls.h"
#include "ag_kernel.h"
#include "ag_event.h"
#include "ag_run.h"
#undef REAL
#undef SFX
#undef GEMM
#undef PACK_SIGNS
#undef UNPACK_SCALED

#define REAL float
#define SFX(name) name##_f
#define GEMM cblas_sgemm
#define PACK_SIGNS pack_signs_f
#define UNPACK_SCALED unpack_scaled_f
#include "ag_passes.h"
#include "ag_calls.h"
#include "ag_kernel.h"
#include "ag_event.h"
#include "ag_run.h"
#undef REAL
#undef SFX
#undef GEMM
#undef PACK_SIGNS
#undef UNPACK_SCALED

uint64_t
ag_weights_hash (size_t count, const void *W, int narrays, const void *const *arrays,
                 int single)
{
  if (narrays < 0 || narrays > AG_MAX_ARRAYS)
    return 0;
  return single ? weights_hash_f (count, (const float *) W, narrays, arrays)
                : weights_hash (count, (const double *) W, narrays, arrays);
}
