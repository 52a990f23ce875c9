/* ag_status.c: the status codes' messages and the stop reasons' names (one list each). */
#include "ag.h"
#include "ag_internal.h"

#include <stddef.h>

const char *
ag_strerror (int status)
{
  switch (status)
    {
    case AG_OK: return "success";
    case AG_ENULL: return "a required array argument is missing (NULL)";
    case AG_ESIZE: return "a dimension is zero or too large";
    case AG_EARG: return "a scalar argument is out of range";
    case AG_ERULE: return "unknown step rule";
    case AG_ENONFINITE: return "an input holds NaN or Inf";
    case AG_ECANCELLED: return "interrupted by the user";
    case AG_EUNDEFINED: return "the rule's step divides by zero here";
    default: return "unknown status code";
    }
}

const char *
ag_stop_name (int stop)
{
  static const char *const names[] = { "maxiter", "converged", "diverged", "stopped",
                                       "interrupted", "gtol", "zerogradient",
                                       "undefined" };
  return stop >= 0 && stop <= AG_STOP_UNDEFINED ? names[stop] : NULL;
}
