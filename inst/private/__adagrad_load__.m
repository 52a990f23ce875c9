## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{s}, @var{why}] =} __adagrad_load__ (@var{file})
## @deftypefnx {} {[@var{s}, @var{why}] =} __adagrad_load__ (@var{file}, @var{name}, @dots{})
## Internal: read a file that this package writes (a checkpoint, the files of
## a sweep folder) as data, never as code.
##
## Octave's own @code{load} runs code while it reads some types: the text of
## an anonymous function handle is evaluated to rebuild it (any expression
## there runs), objects call their constructors, @code{onCleanup} calls its
## function when it is cleared.  This package writes only uncompressed Octave
## binary files (@code{save -binary}) of numbers, logicals, strings, cells and
## structs, so a file is read only when it is one: its header says Octave
## binary, and no type name it holds (each variable and each element of a
## cell or struct carries one, after a byte 255 and its length; Octave looks
## it up by its exact name) names a type Octave knows other than those data
## types.  Anything else (a function handle, an object, a
## compressed, text, HDF5 or MAT file) is refused before @code{load} sees it.
## The file is scanned in blocks of 16 MiB, so the scan holds no second copy.
##
## With names, only those variables are kept (Octave still reads the others,
## one at a time, and drops them).
##
## @var{s} is the struct of the file's variables, or @code{[]} with @var{why}
## a sentence (for the caller's error) when the file is refused or cannot be
## read.
## @end deftypefn

function [s, why] = __adagrad_load__ (file, varargin)
  s = [];
  why = scan (file);
  if (! isempty (why))
    return;
  endif
  try
    s = load ("-binary", file, varargin{:});
  catch err
    why = sprintf ("it cannot be read (%s)", err.message);
    s = [];
  end_try_catch
endfunction

## "" when FILE is an Octave binary file of data types only, else why not.
function why = scan (file)
  why = "";
  [fid, msg] = fopen (file, "r");
  if (fid < 0)
    why = sprintf ("it cannot be opened (%s)", msg);
    return;
  endif
  unwind_protect
    head = fread (fid, 11, "uint8=>char")';
    if (numel (head) < 11 || ! any (strcmp (head(1:10), {"Octave-1-L", "Octave-1-B"})))
      why = "it is not an uncompressed Octave binary file, the only kind this package writes";
      return;
    endif
    big = head(10) == "B";
    block = 2^24;
    keep = 80;           # the longest type name checked, with its marker and length
    tail = zeros (0, 1, "uint8");
    while (isempty (why))
      [b, count] = fread (fid, block, "uint8=>uint8");
      b = [tail; b];
      if (isempty (b))
        break;
      endif
      last = count < block;
      why = check_types (b, big, last, numel (b) - keep);
      if (last)
        break;
      endif
      tail = b(max (1, end - keep + 1):end);
    endwhile
  unwind_protect_cleanup
    fclose (fid);
  end_unwind_protect
endfunction

## Every "255, length, name" in B whose name is made of the letters of type
## names must name a data type.  Markers that start after LIMIT are left to
## the next block (unless LAST).
function why = check_types (b, big, last, limit)
  persistent ok = {"cell", "scalar", "complex scalar", "matrix", "diagonal matrix", ...
                   "complex matrix", "complex diagonal matrix", "range", "double_range", ...
                   "bool", "bool matrix", "string", "sq_string", "int8 scalar", ...
                   "int16 scalar", "int32 scalar", "int64 scalar", "uint8 scalar", ...
                   "uint16 scalar", "uint32 scalar", "uint64 scalar", "int8 matrix", ...
                   "int16 matrix", "int32 matrix", "int64 matrix", "uint8 matrix", ...
                   "uint16 matrix", "uint32 matrix", "uint64 matrix", ...
                   "sparse bool matrix", "sparse matrix", "sparse complex matrix", "struct", ...
                   "scalar struct", "float scalar", "float complex scalar", "float matrix", ...
                   "float diagonal matrix", "float complex matrix", ...
                   "float complex diagonal matrix", "permutation matrix", "null_matrix", ...
                   "null_string", "null_sq_string"};
  why = "";
  at = find (b == 255);
  if (! last)
    at = at(at <= limit);
  endif
  at = at(at + 4 <= numel (b));
  if (isempty (at))
    return;
  endif
  L = double (b(at + 1)) + 256 * double (b(at + 2)) ...
      + 65536 * double (b(at + 3)) + 16777216 * double (b(at + 4));
  if (big)
    L = double (b(at + 4)) + 256 * double (b(at + 3)) ...
        + 65536 * double (b(at + 2)) + 16777216 * double (b(at + 1));
  endif
  ## Octave finds a type by its exact name, so only the names of types it
  ## knows (typeinfo: today's list, with those of any loaded package) that
  ## are not data can make load run code.
  bad = setdiff (typeinfo (), ok);
  sel = L >= 4 & L <= 64 & at + 4 + L <= numel (b);
  for k = find (sel(:))'
    name = char (b(at(k) + 5:at(k) + 4 + L(k)))';
    if (any (strcmp (name, bad)))
      why = sprintf ("it holds a value of type \"%s\", which this package never writes (a file that could run code when read)",
                     name);
      return;
    endif
  endfor
endfunction

%!shared f
%! f = [tempname() ".bin"];

%!test
%! ## Data of every kind the package writes: read back as it was.
%! unwind_protect
%!   a = struct ("W", single (magic (4)), "n", int32 (3), "c", {{"x", true, 1:3}},
%!               "s", "text", "e", [], "z", 1 + 2i, "u", uint32 ([1 2]));
%!   save ("-binary", f, "a");
%!   [s, why] = __adagrad_load__ (f);
%!   assert (isempty (why));
%!   assert (isequal (s.a, a));
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect

%!test
%! ## A function handle anywhere (here one whose text runs a command when
%! ## Octave's load rebuilds it) is refused before load sees it.
%! marker = [tempname() ".ran"];
%! unwind_protect
%!   a = struct ("x", 1, "c", {{2, @(t) t + 1}});
%!   save ("-binary", f, "a");
%!   fid = fopen (f, "r"); b = fread (fid, Inf, "uint8=>char")'; fclose (fid);
%!   old = "@(t) t + 1";
%!   new = sprintf ("system ('touch %s')", marker);
%!   i = strfind (b, old);
%!   b = [b(1:i - 5), char(typecast (int32 (numel (new)), "uint8")), new, b(i + numel (old):end)];
%!   fid = fopen (f, "w"); fwrite (fid, b); fclose (fid);
%!   [s, why] = __adagrad_load__ (f);
%!   assert (isempty (s));
%!   assert (why, "it holds a value of type \"function handle\", which this package never writes (a file that could run code when read)");
%!   assert (! exist (marker, "file"));
%!   ## Octave's own load would have run it (the reason for this function).
%!   try
%!     load (f);
%!   catch
%!   end_try_catch
%!   assert (exist (marker, "file") == 2);
%! unwind_protect_cleanup
%!   unlink (f);
%!   if (exist (marker, "file"))
%!     unlink (marker);
%!   endif
%! end_unwind_protect

%!test
%! ## A type name across the boundary of two 16 MiB blocks is still seen.
%! unwind_protect
%!   a = struct ("pad", zeros (2^24 / 8 - 8, 1), "h", @sin);
%!   save ("-binary", f, "a");
%!   fid = fopen (f, "r"); b = fread (fid, Inf, "uint8=>uint8"); fclose (fid);
%!   i = strfind (char (b'), "function handle");
%!   assert (i > 2^24 - 80 && i < 2^24 + 80);
%!   [s, why] = __adagrad_load__ (f);
%!   assert (isempty (s) && ! isempty (strfind (why, "function handle")));
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect

%!test
%! unwind_protect
%!   x = 1;
%!   save ("-binary", "-zip", f, "x");
%!   [s, why] = __adagrad_load__ (f);
%!   assert (isempty (s));
%!   assert (why, "it is not an uncompressed Octave binary file, the only kind this package writes");
%!   save ("-text", f, "x");
%!   [s, why] = __adagrad_load__ (f);
%!   assert (isempty (s) && strncmp (why, "it is not an uncompressed Octave binary", 39));
%!   fid = fopen (f, "w"); fwrite (fid, "Octave-1-L"); fclose (fid);
%!   [s, why] = __adagrad_load__ (f);
%!   assert (isempty (s) && ! isempty (why));
%!   [s, why] = __adagrad_load__ ([f ".none"]);
%!   assert (strncmp (why, "it cannot be opened", 19));
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect
