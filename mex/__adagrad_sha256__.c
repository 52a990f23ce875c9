/* __adagrad_sha256__.c: hex = __adagrad_sha256__ (A, B, ...), the SHA-256 of
   the bytes of the arrays one after the other, read in place (no copy): a real
   array's elements in memory order; a complex one's real parts, then its
   imaginary parts; char and logical arrays one byte an element. Equal to
   hash ("sha256", [bytes(A), bytes(B), ...]) of the same bytes, at the speed
   of the C loop and without the two copies that call makes. Sparse arrays and
   other classes are refused (the Octave layer handles them). */
#include "ag_mex.h"

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  ag_mex_nargs (nrhs, 1, 64, nlhs, 1);
  for (int i = 0; i < nrhs; i++)
    if (mxIsSparse (prhs[i])
        || ! (mxIsNumeric (prhs[i]) || mxIsChar (prhs[i]) || mxIsLogical (prhs[i])))
      ag_mex_fail ("adagrad:badclass", "each argument",
                   "a full numeric, char or logical array");
  ag_sha256 s;
  ag_sha256_init (&s);
  for (int i = 0; i < nrhs; i++)
    {
      size_t bytes = mxGetNumberOfElements (prhs[i]) * mxGetElementSize (prhs[i]);
      ag_sha256_update (&s, mxGetData (prhs[i]), bytes);
      if (mxIsComplex (prhs[i]))
        ag_sha256_update (&s, mxGetImagData (prhs[i]), bytes);
    }
  char hex[65];
  ag_sha256_final (&s, hex);
  plhs[0] = mxCreateString (hex);
}
