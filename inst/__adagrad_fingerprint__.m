## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{f} =} __adagrad_fingerprint__ (@var{X}, @var{y})
## @deftypefnx {} {@var{d} =} __adagrad_fingerprint__ (@var{v})
## Internal: SHA-256 digests for checkpoints.  With two arguments, the
## fingerprint of a data set: a struct with the class and size of @var{X} and
## @var{y} and a digest of their bytes, so that @code{adagrad_resume} tells the
## same data from any other (a permutation, a swapped pair, one changed bit).
## With one, the digest of any value (structs, cells, numeric, logical and char
## arrays, function handles), from a description of every part: class, size and
## the bytes of the data; a checkpoint stores the digest of its contents.
## @end deftypefn

function f = __adagrad_fingerprint__ (varargin)
  if (nargin < 1 || nargin > 2)
    __adagrad_usage__ ("__adagrad_fingerprint__");
  endif
  if (nargin == 1)
    f = hash ("sha256", describe (varargin{1}));
  else
    [X, y] = deal (varargin{:});
    f = struct ("size", size (X), "class", class (X), "ysize", size (y),
                "yclass", class (y), "sha256", sha (X, y));
  endif
endfunction

## The SHA-256 of the bytes of the arrays one after the other: in C, in
## place (__adagrad_sha256__), where it can; the same digest from copies of
## the bytes otherwise (sparse arrays, or the MEX files not built).
function h = sha (varargin)
  if (! any (cellfun (@issparse, varargin)) && exist ("__adagrad_sha256__", "file") == 3)
    h = __adagrad_sha256__ (varargin{:});
  else
    h = hash ("sha256", [cellfun(@bytes, varargin, "UniformOutput", false){:}]);
  endif
endfunction

## The bytes of a numeric, logical or char array, as a char row.
function b = bytes (v)
  if (issparse (v))
    v = full (v);
  endif
  if (iscomplex (v))
    v = [real(v(:)); imag(v(:))];
  endif
  if (islogical (v) || ischar (v))
    v = uint8 (v);
  endif
  b = char (typecast (v(:), "uint8")(:)');
endfunction

function s = describe (v)
  head = sprintf ("%s[%s]", class (v), num2str (size (v)));
  if (isstruct (v))
    f = fieldnames (v);
    parts = cell (1, numel (v) * numel (f));
    k = 0;
    for i = 1:numel (v)
      for j = 1:numel (f)
        parts{++k} = [f{j} "=" describe(v(i).(f{j}))];
      endfor
    endfor
    s = [head "{" strjoin(parts, ";") "}"];
  elseif (iscell (v))
    s = [head "{" strjoin(cellfun (@describe, v(:)', "uniformoutput", false), ";") "}"];
  elseif (is_function_handle (v))
    s = [head ":" func2str(v)];
  elseif (isnumeric (v) || islogical (v) || ischar (v))
    s = [head ":" sha(v)];
  else
    s = head;
  endif
endfunction

%!test
%! X = [1 2; 3 5]; y = [1; 2];
%! f = __adagrad_fingerprint__ (X, y);
%! assert (isequal (f, __adagrad_fingerprint__ (X, y)));
%! assert (! isequal (f, __adagrad_fingerprint__ (X', y)));
%! assert (! isequal (f, __adagrad_fingerprint__ (single (X), y)));
%! assert (! isequal (f, __adagrad_fingerprint__ (X, y + 1)));
%! ## What a position-weighted sum missed: permuted labels, swapped entries.
%! y = [1; -1; 1; 1; -1]; X = reshape (1:10, 5, 2);
%! f = __adagrad_fingerprint__ (X, y);
%! assert (! isequal (f, __adagrad_fingerprint__ (X, y([2 1 3 4 5]))));
%! Xs = X; Xs([1 2]) = Xs([2 1]);
%! assert (! isequal (f, __adagrad_fingerprint__ (Xs, y)));
%! Xb = X; Xb(7) = X(7) + eps (X(7));
%! assert (! isequal (f, __adagrad_fingerprint__ (Xb, y)));

%!test
%! ## The digest of a value: equal values agree, any change is seen.
%! v = struct ("a", {1, "x"}, "b", {{int8(3), @sin}, single(2)});
%! d = __adagrad_fingerprint__ (v);
%! assert (numel (d), 64);
%! assert (d, __adagrad_fingerprint__ (v));
%! w = v; w(2).b = single (3);
%! assert (! strcmp (d, __adagrad_fingerprint__ (w)));
%! w = v; w(1).b{2} = @cos;
%! assert (! strcmp (d, __adagrad_fingerprint__ (w)));
%! assert (! strcmp (__adagrad_fingerprint__ (1), __adagrad_fingerprint__ (true)));
%! assert (! strcmp (__adagrad_fingerprint__ ([1 2]), __adagrad_fingerprint__ ([1; 2])));

%!test
%! ## The digests of 0.7.0 (Octave's hash over copies of the bytes) are kept
%! ## exactly, so checkpoints written by it still verify: the same value, hashed
%! ## in C and by hand.
%! X = single (reshape (1:12, 4, 3) / 7); y = [1; -2; 3; 0.5];
%! b = @(v) char (typecast (v(:), "uint8")(:)');
%! assert (__adagrad_fingerprint__ (X, y).sha256, hash ("sha256", [b(X), b(y)]));
%! v = struct ("W", randn (3, 2), "s", "text", "t", true, "k", {{int16([1 2])}});
%! by_hand = sprintf ("struct[1  1]{W=double[3  2]:%s;s=char[1  4]:%s;t=logical[1  1]:%s;k=cell[1  1]{int16[1  2]:%s}}",
%!                    hash ("sha256", b (v.W)), hash ("sha256", "text"),
%!                    hash ("sha256", char (1)), hash ("sha256", b (int16 ([1 2]))));
%! assert (__adagrad_fingerprint__ (v), hash ("sha256", by_hand));
%! ## Sparse arrays take the copy path: the digest of their full bytes.
%! assert (__adagrad_fingerprint__ (sparse ([1 0 2])), __adagrad_fingerprint__ ([1 0 2]));

%!error <Invalid call to __adagrad_fingerprint__> __adagrad_fingerprint__ ()
