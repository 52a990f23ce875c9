## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{X}, @var{y}] =} adagrad_read_libsvm (@var{file})
## @deftypefnx {} {[@var{X}, @var{y}] =} adagrad_read_libsvm (@var{file}, @var{d})
## Read a file in the libsvm (svmlight) format, compressed with gzip or not.
##
## Each line is a label followed by @code{index:value} pairs with indices
## 1, 2, @dots{} in increasing order; an index left out is a zero (the
## format is sparse).  Text after @code{#} is a comment; blank lines are
## skipped.  @var{X} is the full n-by-@var{d} matrix (double), @var{y} the
## n labels as written (e.g. +1 and -1).  @var{d} (default: the largest
## index in the file) sets the number of columns, for a test file that
## lacks the last features of its training file.
##
## The file is data, never code: a line that is not of this form (a label
## or a value that is not a finite number, an index that is not a positive
## integer or does not increase, an index above @var{d}) is an error
## @code{adagrad:badfile} naming the file, the line and the problem.
##
## Files in CSV form are read by Octave itself: @code{csvread} or
## @code{dlmread}.
## @seealso{adagrad_dataset, adagrad_read_idx}
## @end deftypefn

function [X, y] = adagrad_read_libsvm (file, d, varargin)
  fname = "adagrad_read_libsvm";
  if (nargin < 1 || nargin > 2)
    __adagrad_usage__ (fname);
  endif
  if (! ischar (file) || ! isrow (file))
    error ("adagrad:badinput", "%s: FILE must be a file name", fname);
  endif
  if (nargin > 1)
    d = __adagrad_check__ (fname, "D", d, "posint");
  else
    d = [];
  endif
  text = char (__adagrad_read_file__ (fname, "gunzip", file));
  lines = strsplit (text, "\n");
  labels = zeros (numel (lines), 1);
  [I, J, V] = deal (cell (numel (lines), 1));
  n = 0;
  for k = 1:numel (lines)
    line = lines{k};
    c = find (line == "#", 1);
    if (! isempty (c))
      line = line(1:c-1);
    endif
    tok = strsplit (strtrim (strrep (line, "\r", "")));
    if (isempty (tok) || isempty (tok{1}))
      continue;
    endif
    bad = @(why) error ("adagrad:badfile", "%s: %s line %d: %s", fname, file, k, why);
    lab = str2double (tok{1});
    if (! isfinite (lab) || ! isreal (lab))
      bad (sprintf ("the label '%s' is not a finite number", tok{1}));
    endif
    n += 1;
    labels(n) = lab;
    pairs = tok(2:end);
    idx = zeros (1, numel (pairs));
    val = zeros (1, numel (pairs));
    for t = 1:numel (pairs)
      m = regexp (pairs{t}, '^(\d+):(\S+)$', "tokens", "once");
      if (isempty (m))
        bad (sprintf ("'%s' is not index:value", pairs{t}));
      endif
      idx(t) = str2double (m{1});
      val(t) = str2double (m{2});
      if (idx(t) < 1)
        bad (sprintf ("the index in '%s' is not a positive integer", pairs{t}));
      endif
      if (! isfinite (val(t)) || ! isreal (val(t)))
        bad (sprintf ("the value in '%s' is not a finite number", pairs{t}));
      endif
    endfor
    if (any (diff (idx) <= 0))
      bad ("the indices do not increase");
    endif
    [I{n}, J{n}, V{n}] = deal (n * ones (1, numel (idx)), idx, val);
  endfor
  I = [I{1:n}];
  J = [J{1:n}];
  V = [V{1:n}];
  if (isempty (d))
    d = max ([J, 1]);
  elseif (any (J > d))
    error ("adagrad:badfile", "%s: %s has index %d, above D = %d", fname, file, max (J), d);
  endif
  try
    X = full (sparse (I, J, V, n, d));
  catch err
    __adagrad_nomemory__ (err, fname, "a %d-by-%d matrix", n, d);
  end_try_catch
  y = labels(1:n);
endfunction

%!shared d
%! d = tempname ();
%! mkdir (d);

%!test
%! ## Gaps, comments, blank lines, CRLF, a gzipped copy.
%! file = fullfile (d, "a.svm");
%! f = fopen (file, "w");
%! fprintf (f, "# a comment line\n+1 1:0.5 3:-2 # the first\n\n-1 2:1e-3\r\n+1\n-1 4:7\n");
%! fclose (f);
%! [X, y] = adagrad_read_libsvm (file);
%! assert (y, [1; -1; 1; -1]);
%! assert (X, [0.5 0 -2 0; 0 1e-3 0 0; 0 0 0 0; 0 0 0 7]);
%! [X6, y6] = adagrad_read_libsvm (file, 6);
%! assert (size (X6), [4 6]);
%! assert (X6(:, 1:4), X);
%! gzip (file);
%! [Xz, yz] = adagrad_read_libsvm ([file ".gz"]);
%! assert (isequal (Xz, X) && isequal (yz, y));

%!test
%! ## Malformed lines: the file, the line and the problem.
%! file = fullfile (d, "bad.svm");
%! cases = {"+1 1:2\nx 2:3\n", "line 2: the label 'x' is not a finite number";
%!          "+1 1:2 2:nan\n", "line 1: the value in '2:nan' is not a finite number";
%!          "+1 0:2\n", "line 1: the index in '0:2' is not a positive integer";
%!          "+1 1.5:2\n", "line 1: '1.5:2' is not index:value";
%!          "+1 3:2 2:1\n", "line 1: the indices do not increase";
%!          "+1 1:2 1:3\n", "line 1: the indices do not increase";
%!          "NaN 1:2\n", "line 1: the label 'NaN' is not a finite number";
%!          "+1 2 3\n", "line 1: '2' is not index:value"};
%! for k = 1:rows (cases)
%!   f = fopen (file, "w"); fprintf (f, cases{k, 1}); fclose (f);
%!   fail ("adagrad_read_libsvm (file)", ["bad.svm " regexptranslate("escape", cases{k, 2})]);
%! endfor
%! f = fopen (file, "w"); fprintf (f, "+1 5:2\n"); fclose (f);
%! fail ("adagrad_read_libsvm (file, 4)", "has index 5, above D = 4");
%! fail ("adagrad_read_libsvm (fullfile (d, 'none'))", "is not a file");
%! confirm_recursive_rmdir (false, "local");
%! rmdir (d, "s");

%!error <FILE must be a file name> adagrad_read_libsvm ({})
%!error <D must be> adagrad_read_libsvm ("x", -1)
%!error <Invalid call> adagrad_read_libsvm ()
