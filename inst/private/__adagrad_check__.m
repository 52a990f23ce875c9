## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {@var{value} =} __adagrad_check__ (@var{fname}, @var{name}, @var{value}, @var{kind})
## @deftypefnx {} {@var{value} =} __adagrad_check__ (@var{fname}, @var{name}, @var{value}, @var{kind}, @var{arg})
## Internal: validate one argument and return it in canonical form.
##
## Errors have identifier @code{adagrad:badinput} and read
## "@var{fname}: @var{name} must be @dots{}".  @var{kind} is one of:
##
## @table @code
## @item "matrix"
## a real, full, finite, non-empty double or single matrix; @var{arg} =
## [rows, cols] with NaN for any count.
## @item "vector"
## a real, full, finite double or single vector of @var{arg} entries, returned
## as a column.
## @item "labels", "outweights"
## a vector beside X (Y, one entry per row) or beside W (A, one entry per
## hidden unit), @var{arg} the size of X or W: a transposed X or W is named.
## @item "targets", "outmatrix"
## the same, or a matrix of one column per output (Y n-by-K, A m-by-K),
## returned as it is.
## @item "positive", "nonnegative"
## a real finite double scalar > 0 (>= 0).
## @item "posint", "count"
## a positive (non-negative) integer-valued real scalar of at most 1e15,
## returned as double.
## @item "threads"
## a count of at most 1024.
## @item "batchsize"
## a positive integer at most @var{arg}, the number of samples.
## @item "logical"
## a real scalar (logical or numeric, not NaN), returned as logical.
## @item "seed"
## a numeric empty (returned as []) or an integer from 0 to 2^32-1 (Octave's
## generators take 32 bits of a state: larger seeds would repeat networks).
## @item "choice"
## one of the strings in the cell @var{arg}, returned in lower case.
## @end table
## @end deftypefn

function value = __adagrad_check__ (fname, name, value, kind, arg)
  switch (kind)
    case {"targets", "outmatrix"}
      if (isfloat (value) && isreal (value) && ! issparse (value) && ndims (value) == 2
          && columns (value) > 1 && rows (value) == arg(1))
        if (! all (isfinite (value(:))))
          fail (fname, name, "finite (it contains NaN or Inf)");
        endif
      else
        value = __adagrad_check__ (fname, name, value,
                                   merge (strcmp (kind, "targets"), "labels", "outweights"),
                                   arg);
      endif
    case "matrix"
      if (! isfloat (value) || ! isreal (value) || issparse (value)
          || ndims (value) != 2 || isempty (value))
        fail (fname, name, ["a real, full, non-empty double or single matrix" ...
                            got_what(value, name)]);
      endif
      sz = size (value);
      want = arg;
      bad = ! isnan (want) & sz != want;
      if (any (bad))
        fail (fname, name, sprintf ("%s (got %d-by-%d)", shape (want), sz));
      endif
      if (! all (isfinite (value(:))))
        fail (fname, name, "finite (it contains NaN or Inf)");
      endif
    case {"vector", "labels", "outweights"}
      ## "labels": Y beside X of size ARG; "outweights": A beside W of size
      ## ARG: a transposed X or W is named as such.
      want = arg(1);
      if (! isvector (value) && ndims (value) == 2 && ! isempty (value))
        fail (fname, name, sprintf ("a vector (got a %d-by-%d matrix: %d columns)",
                                    size (value), columns (value)));
      endif
      if (! isfloat (value) || ! isreal (value) || issparse (value)
          || ! isvector (value))
        fail (fname, name, ["a real, full double or single vector" got_what(value, name)]);
      endif
      if (numel (value) != want)
        if (strcmp (kind, "labels") && numel (value) == arg(2))
          error ("adagrad:badinput",
                 "%s: X is %d-by-%d and %s has %d entries: the rows of X are the samples, one per entry of %s; is X transposed (use X')?",
                 fname, arg(1), arg(2), name, numel (value), name);
        elseif (strcmp (kind, "outweights") && numel (value) == arg(2))
          error ("adagrad:badinput",
                 "%s: W is %d-by-%d and %s has %d entries: W must be m-by-d, one row per hidden unit, one entry of %s each; is W transposed (use W')?",
                 fname, arg(1), arg(2), name, numel (value), name);
        endif
        fail (fname, name, sprintf ("a vector of %d entries (got %d)", want,
                                    numel (value)));
      endif
      if (! all (isfinite (value)))
        fail (fname, name, "finite (it contains NaN or Inf)");
      endif
      value = value(:);
    case {"positive", "nonnegative"}
      if (! real_scalar (value) || ! isfinite (value)
          || (strcmp (kind, "positive") && ! (value > 0)) || value < 0)
        fail (fname, name, sprintf ("a %s, finite real scalar", kind));
      endif
      value = double (value);
    case {"posint", "count"}
      lo = strcmp (kind, "posint");
      if (! real_scalar (value) || ! isfinite (value) || value != fix (value)
          || value < lo)
        fail (fname, name, sprintf ("a %s integer",
                                    merge (lo, "positive", "non-negative")));
      endif
      value = double (value);
      ## The C core counts iterations, rows and units below 1e15.
      if (value > 1e15)
        fail (fname, name, sprintf ("a %s integer of at most 1e15 (got %.17g)",
                                    merge (lo, "positive", "non-negative"), value));
      endif
    case "threads"
      value = __adagrad_check__ (fname, name, value, "count");
      if (value > 1024)
        fail (fname, name, sprintf ("at most 1024 (got %d); 0 chooses from the free cores", value));
      endif
    case "batchsize"
      value = __adagrad_check__ (fname, name, value, "posint");
      if (value > arg)
        fail (fname, name, sprintf ("at most the number of samples n = %d, got %d", arg, value));
      endif
    case "logical"
      if (! real_scalar (value) || isnan (value))
        fail (fname, name, "true or false");
      endif
      value = logical (value);
    case "seed"
      ## Empty (numeric): the global generators; else a non-negative integer
      ## that the generators tell apart from every other one.
      if (! (isnumeric (value) && isempty (value)))
        if (real_scalar (value) && value == fix (value) && value > 4294967295)
          value = double (value);
        else
          value = __adagrad_check__ (fname, name, value, "count");
        endif
        if (value > 4294967295)
          fail (fname, name, sprintf ("at most 2^32-1 = 4294967295 (got %.17g): the random generators take 32 bits of a seed, so larger seeds would repeat networks", value));
        endif
      else
        value = [];
      endif
    case "choice"
      if (! ischar (value) || ! (isrow (value) || isempty (value))
          || ! any (strcmpi (value, arg)))
        fail (fname, name, sprintf ("one of %s",
                                    strjoin (strcat ("\"", arg, "\""), ", ")));
      endif
      value = lower (value);
    otherwise
      error ("__adagrad_check__: unknown kind \"%s\"", kind);
  endswitch
endfunction

## What is wrong with a value that is not a real, full floating-point array,
## and how to fix it.
function s = got_what (v, name)
  if (isinteger (v) || islogical (v) || ischar (v))
    s = sprintf (" (got %s: convert it with double (%s))", class (v), name);
  elseif (issparse (v))
    s = sprintf (" (got a sparse matrix: convert it with full (%s))", name);
  elseif (isnumeric (v) && ! isreal (v))
    s = " (got complex values)";
  elseif (isnumeric (v) && isempty (v))
    s = " (got an empty array)";
  elseif (isnumeric (v) && ndims (v) > 2)
    s = sprintf (" (got %d dimensions)", ndims (v));
  elseif (! isnumeric (v))
    s = sprintf (" (got a %s)", class (v));
  else
    s = "";
  endif
endfunction

function tf = real_scalar (v)
  tf = (isnumeric (v) || islogical (v)) && isscalar (v) && isreal (v) && ! issparse (v);
endfunction

function s = shape (want)
  dims = {"any number of", "any number of"};
  for k = 1:2
    if (! isnan (want(k)))
      dims{k} = sprintf ("%d", want(k));
    endif
  endfor
  s = sprintf ("%s rows by %s columns", dims{:});
endfunction

function fail (fname, name, what)
  error ("adagrad:badinput", "%s: %s must be %s", fname, name, what);
endfunction

%!demo
%! ## Canonical forms and the message a user sees for a bad value.
%! y = __adagrad_check__ ("myfun", "Y", [1 2 3], "vector", 3)
%! try
%!   __adagrad_check__ ("myfun", "ETA", -1, "positive");
%! catch err
%!   disp (err.message);
%! end_try_catch

%!error <f: X is 5-by-50 and Y has 50 entries: the rows of X are the samples, one per entry of Y; is X transposed \(use X'\)\?> __adagrad_check__ ("f", "Y", ones (50, 1), "labels", [5 50])
%!error <f: W is 4-by-70 and A has 70 entries: W must be m-by-d, one row per hidden unit, one entry of A each; is W transposed> __adagrad_check__ ("f", "A", ones (70, 1), "outweights", [4 70])
%!error <f: Y must be a vector \(got a 50-by-2 matrix: 2 columns\)> __adagrad_check__ ("f", "Y", ones (50, 2), "labels", [50 3])
%!assert (__adagrad_check__ ("f", "Y", ones (50, 2), "targets", [50 3]), ones (50, 2))
%!assert (__adagrad_check__ ("f", "Y", ones (1, 50), "targets", [50 3]), ones (50, 1))
%!assert (__adagrad_check__ ("f", "A", -ones (4, 3), "outmatrix", [4 7]), -ones (4, 3))
%!error <f: Y must be finite> __adagrad_check__ ("f", "Y", [ones(49, 2); NaN 1], "targets", [50 3])
%!error <f: Y must be a vector \(got a 49-by-2 matrix> __adagrad_check__ ("f", "Y", ones (49, 2), "targets", [50 3])
%!error <f: A must be a vector \(got a 3-by-2 matrix> __adagrad_check__ ("f", "A", ones (3, 2), "outmatrix", [4 7])
%!error <f: Y must be a vector of 50 entries \(got 49\)> __adagrad_check__ ("f", "Y", ones (49, 1), "labels", [50 3])
%!error <f: X must be a real, full, non-empty double or single matrix \(got int32: convert it with double \(X\)\)> __adagrad_check__ ("f", "X", int32 (ones (2)), "matrix", [NaN NaN])
%!error <f: X must be a real, full, non-empty double or single matrix \(got logical: convert it with double \(X\)\)> __adagrad_check__ ("f", "X", true (2), "matrix", [NaN NaN])
%!error <\(got a sparse matrix: convert it with full \(X\)\)> __adagrad_check__ ("f", "X", sparse (eye (2)), "matrix", [NaN NaN])
%!error <f: Y must be a real, full double or single vector \(got uint8: convert it with double \(Y\)\)> __adagrad_check__ ("f", "Y", uint8 ([1 2]), "vector", 2)
%!error <\(got a cell\)> __adagrad_check__ ("f", "Y", {1, 2}, "vector", 2)

%!test
%! assert (__adagrad_check__ ("f", "X", [1 2; 3 4], "matrix", [2 NaN]), [1 2; 3 4]);
%! assert (__adagrad_check__ ("f", "Y", [1 2 3], "vector", 3), [1; 2; 3]);
%! assert (__adagrad_check__ ("f", "Y", single ([1 2]), "vector", 2), single ([1; 2]));
%! assert (__adagrad_check__ ("f", "X", single (eye (2)), "matrix", [2 2]), single (eye (2)));
%! assert (__adagrad_check__ ("f", "ETA", 0, "nonnegative"), 0);
%! assert (__adagrad_check__ ("f", "N", int8 (3), "posint"), 3);
%! assert (class (__adagrad_check__ ("f", "N", int8 (3), "posint")), "double");
%! assert (__adagrad_check__ ("f", "N", 0, "count"), 0);
%! assert (__adagrad_check__ ("f", "OPT", "AdaLoss", "choice", {"adaloss", "gd"}), "adaloss");

%!error <f: X must be a real, full, non-empty double or single matrix> __adagrad_check__ ("f", "X", "ab", "matrix", [NaN NaN])
%!error <f: X must be a real, full, non-empty double or single matrix> __adagrad_check__ ("f", "X", [1i 2], "matrix", [NaN NaN])
%!error <f: X must be a real, full, non-empty double or single matrix> __adagrad_check__ ("f", "X", sparse ([1 2]), "matrix", [NaN NaN])
%!error <f: X must be a real, full, non-empty double or single matrix> __adagrad_check__ ("f", "X", zeros (0, 3), "matrix", [NaN NaN])
%!error <f: X must be a real, full, non-empty double or single matrix> __adagrad_check__ ("f", "X", int16 ([1 2]), "matrix", [NaN NaN])
%!error <f: W must be any number of rows by 3 columns \(got 2-by-2\)> __adagrad_check__ ("f", "W", eye (2), "matrix", [NaN 3])
%!error <f: X must be finite \(it contains NaN or Inf\)> __adagrad_check__ ("f", "X", [1 NaN], "matrix", [NaN NaN])
%!error <f: Y must be a vector \(got a 2-by-2 matrix: 2 columns\)> __adagrad_check__ ("f", "Y", eye (2), "vector", 4)
%!error <f: Y must be a vector of 3 entries \(got 2\)> __adagrad_check__ ("f", "Y", [1 2], "vector", 3)
%!error <f: Y must be finite> __adagrad_check__ ("f", "Y", [1 Inf], "vector", 2)
%!error <f: ETA must be a positive, finite real scalar> __adagrad_check__ ("f", "ETA", 0, "positive")
%!error <f: ETA must be a positive, finite real scalar> __adagrad_check__ ("f", "ETA", [1 2], "positive")
%!error <f: ETA must be a positive, finite real scalar> __adagrad_check__ ("f", "ETA", Inf, "positive")
%!error <f: ETA must be a nonnegative, finite real scalar> __adagrad_check__ ("f", "ETA", -1, "nonnegative")
%!error <f: ETA must be a positive, finite real scalar> __adagrad_check__ ("f", "ETA", 1+2i, "positive")
%!error <f: N must be a positive integer> __adagrad_check__ ("f", "N", 2.5, "posint")
%!error <f: B must be a positive integer> __adagrad_check__ ("f", "B", 0, "batchsize", 5)
%!error <f: B must be at most the number of samples n = 5, got 6> __adagrad_check__ ("f", "B", 6, "batchsize", 5)
%!assert (__adagrad_check__ ("f", "B", int8 (5), "batchsize", 5), 5)
%!error <f: N must be a positive integer> __adagrad_check__ ("f", "N", 0, "posint")
%!error <f: N must be a non-negative integer> __adagrad_check__ ("f", "N", -1, "count")
%!error <f: N must be a non-negative integer of at most 1e15 \(got 1.152921504606847e\+18\)> __adagrad_check__ ("f", "N", 2^60, "count")
%!error <f: N must be a positive integer of at most 1e15> __adagrad_check__ ("f", "N", 1e16, "posint")
%!error <f: THREADS must be at most 1024 \(got 2000\)> __adagrad_check__ ("f", "THREADS", 2000, "threads")
%!error <f: OPT must be one of "a", "b"> __adagrad_check__ ("f", "OPT", "c", "choice", {"a", "b"})
%!error <f: OPT must be one of "a", "b"> __adagrad_check__ ("f", "OPT", 3, "choice", {"a", "b"})
%!test
%! assert (__adagrad_check__ ("f", "V", 1, "logical"), true);
%! assert (__adagrad_check__ ("f", "S", [], "seed"), []);
%! assert (__adagrad_check__ ("f", "S", int8 (4), "seed"), 4);
%!error <f: V must be true or false> __adagrad_check__ ("f", "V", NaN, "logical")
%!error <f: V must be true or false> __adagrad_check__ ("f", "V", {}, "logical")
%!error <f: S must be a non-negative integer> __adagrad_check__ ("f", "S", {}, "seed")
%!error <f: S must be at most 2\^32-1 = 4294967295 \(got 4294967296\)> __adagrad_check__ ("f", "S", 2^32, "seed")
%!error <f: S must be at most 2\^32-1> __adagrad_check__ ("f", "S", intmax ("int64"), "seed")
%!test
%! assert (__adagrad_check__ ("f", "S", 2^32 - 1, "seed"), 4294967295);
%!error <f: S must be a non-negative integer> __adagrad_check__ ("f", "S", "", "seed")
%!error <unknown kind> __adagrad_check__ ("f", "X", 1, "nosuchkind")
