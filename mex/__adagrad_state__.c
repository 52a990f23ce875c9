/* __adagrad_state__.c: S = __adagrad_state__ (opts, m, d, cls), the initial optimizer state. */
#include "ag_mex.h"

enum { IN_OPTS, IN_M, IN_D, IN_CLASS, NIN };
enum { OUT_S, NOUT };

/* OPTS: struct with rule, eta and params (see ag_mex_optimizer); CLS:
   "double" or "single", the class of the state arrays (those of W). S has a
   double field per scalar of the rule's state and an M-by-D array per array. */
void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  /* Check. */
  ag_mex_nargs (nrhs, NIN, NIN, nlhs, NOUT);
  ag_optimizer opt = ag_mex_optimizer (prhs[IN_OPTS], "OPTS");
  ag_mex_status (ag_optimizer_check (&opt));
  double m = ag_mex_count (prhs[IN_M], "M"), d = ag_mex_count (prhs[IN_D], "D");
  char cname[8];
  ag_mex_string (prhs[IN_CLASS], "CLS", cname, sizeof cname);
  if (strcmp (cname, "double") && strcmp (cname, "single"))
    ag_mex_fail ("adagrad:badvalue", "CLS", "\"double\" or \"single\"");
  mxClassID cls = strcmp (cname, "single") ? mxDOUBLE_CLASS : mxSINGLE_CLASS;
  const ag_rule_info *rule = opt.rule;
  if (m < 1 || d < 1 || m * d > 1e15)
    ag_mex_fail ("adagrad:badvalue", "M and D", "positive, with M*D at most 1e15");

  /* Work. */
  ag_mex_probe (8.0 * m * d * rule->narrays);
  mxArray *S = ag_mex_state_struct (rule, (size_t) m, (size_t) d, cls);
  ag_state st;
  memset (&st, 0, sizeof st);
  for (int i = 0; i < rule->narrays; i++)
    st.arrays[i] = mxGetData (mxGetField (S, 0, rule->array_names[i]));
  ag_status status = ag_state_init (&opt, (size_t) m, (size_t) d, cls == mxSINGLE_CLASS, &st);

  /* Finish. */
  ag_mex_status (status);
  ag_mex_state_finish (rule, &st, S);
  plhs[OUT_S] = S;
}
