/* __adagrad_headroom__.c: bytes = __adagrad_headroom__ (), what this process
   may still allocate without being killed (ag_mex_headroom: its cgroup memory
   limits, RLIMIT_AS, the machine's available memory and swap); Inf when
   nothing says. The Octave layer sizes a call's Octave-side arrays with it
   before any work. */
#include "ag_mex.h"

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  (void) prhs;
  ag_mex_nargs (nrhs, 0, 0, nlhs, 1);
  plhs[0] = mxCreateDoubleScalar (ag_mex_headroom ());
}
