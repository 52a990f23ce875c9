/* __adagrad_read__.c: [A, dims] = __adagrad_read__ ("idx", FILE): the IDX
   file FILE (gzip-compressed or not) as an items-by-width matrix of its
   type's class (uint8, int8, int16, int32, single, double), row i the i-th
   item, and the dimensions its header gives; bytes = __adagrad_read__
   ("gunzip", FILE): the (decompressed) bytes of FILE as a uint8 row. Errors
   adagrad:badfile name the file and what is wrong with it. */
#include "ag_mex.h"

static void
bad_file (const char *path, const char *why)
{
  mexErrMsgIdAndTxt ("adagrad:badfile", "%s %s", path, why);
}

static mxClassID
idx_class (int type)
{
  switch (type)
    {
    case AG_IDX_UINT8: return mxUINT8_CLASS;
    case AG_IDX_INT8: return mxINT8_CLASS;
    case AG_IDX_INT16: return mxINT16_CLASS;
    case AG_IDX_INT32: return mxINT32_CLASS;
    case AG_IDX_FLOAT: return mxSINGLE_CLASS;
    default: return mxDOUBLE_CLASS;
    }
}

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  ag_mex_nargs (nrhs, 2, 2, nlhs, 2);
  if (! mxIsChar (prhs[0]) || ! mxIsChar (prhs[1]) || mxGetM (prhs[1]) != 1)
    ag_mex_fail ("adagrad:badinput", "the arguments", "a request and a file name");
  char what[16], *path = mxArrayToString (prhs[1]);
  if (mxGetString (prhs[0], what, sizeof what) != 0 || ! path)
    ag_mex_fail ("adagrad:badinput", "the request", "\"idx\" or \"gunzip\"");
  char err[256] = "";
  if (strcmp (what, "gunzip") == 0)
    {
      size_t len = 0;
      if (ag_gz_length (path, &len, err, sizeof err) != AG_OK)
        bad_file (path, err);
      plhs[0] = mxCreateNumericMatrix (1, len, mxUINT8_CLASS, mxREAL);
      if (len && ag_gz_read (path, (unsigned char *) mxGetData (plhs[0]), len, err,
                             sizeof err) != AG_OK)
        bad_file (path, err);
      mxFree (path);
      return;
    }
  if (strcmp (what, "idx") != 0)
    ag_mex_fail ("adagrad:badinput", "the request", "\"idx\" or \"gunzip\"");
  ag_idx_header h;
  if (ag_idx_header_of (path, &h, err, sizeof err) != AG_OK)
    bad_file (path, err);
  size_t elem = ag_idx_elem (h.type);
  mxArray *A = mxCreateNumericMatrix (h.items, h.width, idx_class (h.type), mxREAL);
  void *row = mxMalloc (h.width * elem + 1);
  if (ag_idx_read (path, &h, mxGetData (A), row, err, sizeof err) != AG_OK)
    {
      mxDestroyArray (A);
      bad_file (path, err);
    }
  mxFree (row);
  mxFree (path);
  plhs[0] = A;
  if (nlhs > 1)
    {
      plhs[1] = mxCreateDoubleMatrix (1, (size_t) h.ndims, mxREAL);
      for (int i = 0; i < h.ndims; i++)
        mxGetPr (plhs[1])[i] = (double) h.dims[i];
    }
}
