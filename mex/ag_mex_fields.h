/* ag_mex_fields.h: a struct that crosses the MEX boundary, checked and
   marshalled through one field table (name, kind, shape, range, required or
   default), so that its schema is data, not prose, and a gateway holds no
   defaults of its own.

   The fields are read through Octave (ag_mex_fetch, one call for the whole
   table) rather than mxGetField, which copies every array of the struct
   (W0, the validation rows, a kernel state) on every call. */
#ifndef AG_MEX_FIELDS_H
#define AG_MEX_FIELDS_H

#include "ag_mex.h"

typedef enum ag_field_kind {
  AG_FK_SCALAR,   /* a real double scalar in [lo, hi] (NaN not allowed) */
  AG_FK_COUNT,    /* an integer-valued double scalar in [lo, hi] */
  AG_FK_NAME,     /* a string of fewer than 32 characters */
  AG_FK_DATA,     /* a real full matrix of the class of X, of the shape given */
  AG_FK_HANDLE,   /* a function handle, or empty (none) */
  AG_FK_ANY       /* any value: the gateway checks it */
} ag_field_kind;

/* The rows or columns a DATA field must have: AG_DIM_ANY, or those of the
   model (m, n, d), or the rows of the field before it in the table. */
enum { AG_DIM_ANY = 0, AG_DIM_M = -1, AG_DIM_N = -2, AG_DIM_D = -3, AG_DIM_PREV = -4,
       AG_DIM_ONE = 1 };

typedef struct ag_field {
  const char *name;     /* the field's name (the user's name of the setting), or
                           its path in nested structs: "options.tol" */
  ag_field_kind kind;
  const char *need;     /* NULL: required; "": optional; else required when the
                           field of that name is set (a non-zero number, a name
                           other than its default, a non-empty value) */
  double def;           /* SCALAR, COUNT: the value when absent */
  const char *sdef;     /* NAME: the value when absent */
  double lo, hi;        /* SCALAR, COUNT: the range */
  int rows, cols;       /* DATA: the shape (AG_DIM_*, or a count) */
} ag_field;

/* Table rows, one kind each. */
#define AG_FIELD_SCALAR(name, need, def, lo, hi) { name, AG_FK_SCALAR, need, def, NULL, lo, hi, 0, 0 }
#define AG_FIELD_COUNT(name, need, def, lo, hi) { name, AG_FK_COUNT, need, def, NULL, lo, hi, 0, 0 }
#define AG_FIELD_NAME(name, need, sdef) { name, AG_FK_NAME, need, 0, sdef, 0, 0, 0, 0 }
#define AG_FIELD_DATA(name, need, rows, cols) { name, AG_FK_DATA, need, 0, NULL, 0, 0, rows, cols }
#define AG_FIELD_OTHER(name, kind, need) { name, kind, need, 0, NULL, 0, 0, 0, 0 }

typedef struct ag_field_value {
  const mxArray *arr;   /* NULL: absent (or an empty HANDLE) */
  double num;
  char str[32];
  const void *data;     /* DATA: the matrix's entries */
  size_t rows;
} ag_field_value;

/* Whether the value V of field F is set (see ag_field.need). */
static inline int
ag_field_set (const ag_field *f, const ag_field_value *v)
{
  switch (f->kind)
    {
    case AG_FK_SCALAR:
    case AG_FK_COUNT:
      return v->num != 0;
    case AG_FK_NAME:
      return v->arr && f->sdef && strcmp (v->str, f->sdef) != 0;
    default:
      return v->arr && ! mxIsEmpty (v->arr);
    }
}

static inline size_t
ag_field_dim (int code, const ag_mex_model *M, size_t prev)
{
  return code == AG_DIM_M ? M->m : code == AG_DIM_N ? M->n : code == AG_DIM_D ? M->d
         : code == AG_DIM_PREV ? prev : (size_t) (code > 0 ? code : 0);
}

/* One value of field F (the array A, present) into V; SNAME names the struct
   in errors. */
static inline void
ag_field_take (const char *sname, const ag_field *f, const mxArray *A, const ag_mex_model *M,
               size_t prev, ag_field_value *v)
{
  char what[64];
  snprintf (what, sizeof what, "%s.%s", sname, f->name);
  v->arr = A;
  switch (f->kind)
    {
    case AG_FK_SCALAR:
    case AG_FK_COUNT:
      v->num = f->kind == AG_FK_COUNT ? ag_mex_count (A, what) : ag_mex_scalar (A, what);
      if (! (v->num >= f->lo && v->num <= f->hi))
        mexErrMsgIdAndTxt ("adagrad:badvalue", "%s must be in [%g, %g], got %g", what, f->lo,
                           f->hi, v->num);
      break;
    case AG_FK_NAME:
      ag_mex_string (A, what, v->str, sizeof v->str);
      break;
    case AG_FK_DATA:
      /* Empty: none (an error where the table needs one). */
      if (mxIsEmpty (A))
        {
          v->arr = NULL;
          break;
        }
      v->data = ag_mex_matrix (A, what, ag_field_dim (f->rows, M, prev),
                               ag_field_dim (f->cols, M, prev), M->cls);
      v->rows = mxGetM (A);
      break;
    case AG_FK_HANDLE:
      if (mxIsEmpty (A))
        v->arr = NULL;
      else if (! mxIsClass (A, "function_handle"))
        mexErrMsgIdAndTxt ("adagrad:badvalue", "%s must be a function handle or empty", what);
      break;
    case AG_FK_ANY:
      break;
    }
}

/* The COUNT fields of TABLE in the scalar struct S (SNAME in errors) into
   ARR (NULL where absent), read in one call (ag_mex_fetch): a field's name
   may be a path into nested structs ("net.W"). A required field (need NULL)
   absent is an error here, before any value is checked. The arrays are
   Octave's values, freed when the gateway returns. */
static inline void
ag_mex_fields_fetch (const mxArray *S, const char *sname, const ag_field *table, int count,
                     const mxArray **arr)
{
  if (count > 64)
    mexErrMsgIdAndTxt ("adagrad:internal", "a field table of more than 64 fields");
  const char *names[64];
  for (int i = 0; i < count; i++)
    names[i] = table[i].name;
  ag_mex_fetch (S, sname, names, count, arr);
  for (int i = 0; i < count; i++)
    if (! arr[i] && ! table[i].need)
      mexErrMsgIdAndTxt ("adagrad:badvalue", "%s must be a struct with a field %s", sname,
                         table[i].name);
}

/* The fields ARR (ag_mex_fields_fetch) of TABLE into V[0..COUNT-1], checked
   against the table and the model M: absent optional fields take their
   defaults, a conditional one (need a field's name) absent where that field
   is set is an error. */
static inline void
ag_mex_fields_take (const char *sname, const ag_field *table, int count,
                    const mxArray *const *arr, const ag_mex_model *M, ag_field_value *v)
{
  for (int i = 0; i < count; i++)
    {
      const ag_field *f = &table[i];
      memset (&v[i], 0, sizeof v[i]);
      v[i].num = f->def;
      if (f->sdef)
        snprintf (v[i].str, sizeof v[i].str, "%s", f->sdef);
      if (arr[i])
        ag_field_take (sname, f, arr[i], M, i > 0 ? v[i - 1].rows : 0, &v[i]);
    }
  for (int i = 0; i < count; i++)
    {
      const ag_field *f = &table[i];
      int needed = ! f->need;
      for (int j = 0; f->need && f->need[0] && j < count; j++)
        if (strcmp (table[j].name, f->need) == 0)
          needed = ag_field_set (&table[j], &v[j]);
      if (needed && arr[i] && f->kind == AG_FK_DATA && ! v[i].arr)
        mexErrMsgIdAndTxt ("adagrad:badsize", "%s.%s must be non-empty", sname, f->name);
      if (needed && ! arr[i])
        mexErrMsgIdAndTxt ("adagrad:badvalue", "%s must be a struct with a field %s (with %s)",
                           sname, f->name, f->need);
    }
}

/* Both: the fields of TABLE in S, checked, into V. */
static inline void
ag_mex_fields (const mxArray *S, const char *sname, const ag_field *table, int count,
               const ag_mex_model *M, ag_field_value *v)
{
  const mxArray *arr[64];
  ag_mex_fields_fetch (S, sname, table, count, arr);
  ag_mex_fields_take (sname, table, count, arr, M, v);
}

#endif /* AG_MEX_FIELDS_H */
