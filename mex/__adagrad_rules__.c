/* __adagrad_rules__.c: [R, L] = __adagrad_rules__ (), the rule table and the loss table of
   the core as struct arrays. */
#include "ag_mex.h"

enum { NIN };
enum { OUT_R, OUT_L, NOUT };

/* A cell row of the strings names[0..count-1]. */
static mxArray *
strings (const char *const *names, int count)
{
  mxArray *C = mxCreateCellMatrix (1, (size_t) count);
  for (int i = 0; i < count; i++)
    mxSetCell (C, (size_t) i, mxCreateString (names[i]));
  return C;
}

/* R(k) has fields name, update, params (struct array: name, default, lo, hi,
   lo_open, hi_open, init_only, doc), scalars and arrays (cells of the state's
   field names), and the logical flags per_coordinate, along_gradient,
   uses_residual, has_b, is_default and linear (the kernel form can run it),
   and eta_default (the default learning rate); a parameter's inf_ok (Inf is
   valid) and auto (NaN is valid: the rule's own choice).
   L(k) has fields name, value, residual, adaloss (the formulas of the loss
   table), targets ("real", "sign" or "class": what y must hold), kmin and
   kmax (the outputs it takes; kmax Inf: any number) and is_default. */
void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  (void) prhs;
  ag_mex_nargs (nrhs, NIN, NIN, nlhs, NOUT);
  static const char *fields[] = { "name", "update", "params", "scalars", "arrays",
                                  "per_coordinate", "along_gradient", "uses_residual",
                                  "has_b", "is_default", "linear", "eta_default" };
  static const char *pfields[] = { "name", "default", "lo", "hi", "lo_open", "hi_open",
                                   "init_only", "doc", "inf_ok", "auto" };
  int count = ag_rule_count ();
  mxArray *R = mxCreateStructMatrix ((size_t) count, 1, 12, fields);
  for (int r = 0; r < count; r++)
    {
      const ag_rule_info *rule = ag_rule_at (r);
      mxSetField (R, r, "name", mxCreateString (rule->name));
      mxSetField (R, r, "update", mxCreateString (rule->update));
      mxArray *P = mxCreateStructMatrix ((size_t) rule->nparams, 1, 10, pfields);
      for (int i = 0; i < rule->nparams; i++)
        {
          const ag_param_info *p = &rule->params[i];
          mxSetField (P, i, "name", mxCreateString (p->name));
          mxSetField (P, i, "default", mxCreateDoubleScalar (p->def));
          mxSetField (P, i, "lo", mxCreateDoubleScalar (p->lo));
          mxSetField (P, i, "hi", mxCreateDoubleScalar (p->hi));
          mxSetField (P, i, "lo_open", mxCreateLogicalScalar (p->lo_open));
          mxSetField (P, i, "hi_open", mxCreateLogicalScalar (p->hi_open));
          mxSetField (P, i, "init_only", mxCreateLogicalScalar (p->init_only));
          mxSetField (P, i, "doc", mxCreateString (p->doc));
          mxSetField (P, i, "inf_ok", mxCreateLogicalScalar (p->special == AG_PARAM_INF));
          mxSetField (P, i, "auto", mxCreateLogicalScalar (p->special == AG_PARAM_AUTO));
        }
      mxSetField (R, r, "params", P);
      mxSetField (R, r, "scalars", strings (rule->scalar_names, rule->nscalars));
      mxSetField (R, r, "arrays", strings (rule->array_names, rule->narrays));
      mxSetField (R, r, "per_coordinate", mxCreateLogicalScalar (rule->per_coordinate));
      mxSetField (R, r, "along_gradient", mxCreateLogicalScalar (rule->along_gradient));
      mxSetField (R, r, "uses_residual", mxCreateLogicalScalar (rule->uses_residual));
      mxSetField (R, r, "has_b", mxCreateLogicalScalar (rule->b_scalar >= 0));
      mxSetField (R, r, "is_default", mxCreateLogicalScalar (rule == ag_rule_default ()));
      mxSetField (R, r, "linear", mxCreateLogicalScalar (rule->linear));
      mxSetField (R, r, "eta_default", mxCreateDoubleScalar (rule->eta_def));
    }
  plhs[OUT_R] = R;
  if (nlhs > OUT_L)
    {
      static const char *lfields[] = { "name", "value", "residual", "adaloss", "targets",
                                       "is_default", "kmin", "kmax" };
      int nl = ag_loss_count ();
      mxArray *L = mxCreateStructMatrix ((size_t) nl, 1, 8, lfields);
      for (int k = 0; k < nl; k++)
        {
          const ag_loss_info *l = ag_loss_at (k);
          mxSetField (L, k, "name", mxCreateString (l->name));
          mxSetField (L, k, "value", mxCreateString (l->value));
          mxSetField (L, k, "residual", mxCreateString (l->residual));
          mxSetField (L, k, "adaloss", mxCreateString (l->adaloss));
          mxSetField (L, k, "targets", mxCreateString (l->targets));
          mxSetField (L, k, "is_default", mxCreateLogicalScalar (l == ag_loss_default ()));
          mxSetField (L, k, "kmin", mxCreateDoubleScalar ((double) l->kmin));
          mxSetField (L, k, "kmax", mxCreateDoubleScalar (l->kmax ? (double) l->kmax
                                                                  : HUGE_VAL));
        }
      plhs[OUT_L] = L;
    }
}
