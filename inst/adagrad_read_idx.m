## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {@var{A} =} adagrad_read_idx (@var{file})
## @deftypefnx {} {[@var{A}, @var{dims}] =} adagrad_read_idx (@var{file})
## Read an IDX file (the format of MNIST and Fashion-MNIST), compressed with
## gzip or not (told by its content, not its name).
##
## @var{A} has one row per item (the first dimension of the file) and one
## column per entry of an item, in the file's order: for 28-by-28 images,
## @code{reshape (A(i, :), 28, 28)'} is image @var{i} as it is drawn.  Its
## class is the file's type: uint8 (type 0x08), int8, int16, int32, single
## or double.  @var{dims} is the list of dimensions the file's header gives
## (e.g. @code{[60000 28 28]}).
##
## The file is read in one pass (zlib, in C) straight into @var{A}: no other
## copy of the data is made.  It is data, never code: a file that is not a
## complete IDX file (a wrong magic number, a header that ends early, an
## item cut short, bytes after the last item, a damaged gzip stream) is an
## error @code{adagrad:badfile} that names the file and what is wrong.
## @seealso{adagrad_dataset, adagrad_read_libsvm}
## @end deftypefn

function [A, dims] = adagrad_read_idx (file, varargin)
  fname = "adagrad_read_idx";
  if (nargin != 1)
    __adagrad_usage__ (fname);
  endif
  [A, dims] = __adagrad_read_file__ (fname, "idx", file);
endfunction

%!shared d
%! d = tempname ();
%! mkdir (d);

## Writes an IDX file: TYPE code, dims, entries (big-endian).
%!function write_idx (file, type, dims, A, fmt)
%!  f = fopen (file, "w", "ieee-be");
%!  fwrite (f, [0 0 type numel(dims)], "uint8");
%!  fwrite (f, dims, "uint32");
%!  fwrite (f, A, fmt);
%!  fclose (f);
%!endfunction

%!test
%! ## Three 2-by-3 "images", plain and gzipped: one row per image, in the
%! ## file's (row-major) order.
%! imgs = uint8 (reshape (1:18, 3, 2, 3));   # image k: imgs(:, :, k)' drawn
%! file = fullfile (d, "a.idx");
%! write_idx (file, 8, [3 2 3], imgs(:), "uint8");
%! [A, dims] = adagrad_read_idx (file);
%! assert (class (A), "uint8");
%! assert (dims, [3 2 3]);
%! assert (A, uint8 ([1:6; 7:12; 13:18]));
%! gzip (file);
%! [B, dims] = adagrad_read_idx ([file ".gz"]);
%! assert (isequal (A, B) && isequal (dims, [3 2 3]));
%! ## Other types, byte order handled; labels (one dimension).
%! write_idx (file, 13, [2 2], single ([1.5 -2 3 4e10]), "single");
%! assert (adagrad_read_idx (file), single ([1.5 -2; 3 4e10]));
%! write_idx (file, 11, [3], [-7 300 2], "int16");
%! assert (adagrad_read_idx (file), int16 ([-7; 300; 2]));
%! write_idx (file, 14, [1 2], [pi -1e300], "double");
%! assert (adagrad_read_idx (file), [pi -1e300]);

%!test
%! ## Malformed files: each a clear error naming the file and the problem.
%! file = fullfile (d, "bad.idx");
%! f = fopen (file, "w"); fwrite (f, [1 2 3 4 5], "uint8"); fclose (f);
%! fail ("adagrad_read_idx (file)", "bad.idx is not an IDX file \\(magic number 01 02 03 04");
%! f = fopen (file, "w"); fwrite (f, [0 0 8], "uint8"); fclose (f);
%! fail ("adagrad_read_idx (file)", "too short for an IDX file");
%! f = fopen (file, "w"); fwrite (f, [0 0 8 3 0 0 0 2], "uint8"); fclose (f);
%! fail ("adagrad_read_idx (file)", "ends inside its IDX header");
%! write_idx (file, 8, [3 2], 1:5, "uint8");
%! fail ("adagrad_read_idx (file)", "truncated: item 3 of the 3");
%! write_idx (file, 8, [2 2], 1:5, "uint8");
%! fail ("adagrad_read_idx (file)", "has data after the 4 entries");
%! write_idx (file, 7, [2 2], 1:4, "uint8");
%! fail ("adagrad_read_idx (file)", "is not an IDX file");
%! ## A damaged gzip stream.
%! write_idx (file, 8, [100 10], mod (1:1000, 7), "uint8");
%! gzip (file);
%! f = fopen ([file ".gz"], "r"); z = fread (f, Inf, "uint8=>uint8"); fclose (f);
%! f = fopen ([file ".gz"], "w"); fwrite (f, z(1:end-20), "uint8"); fclose (f);
%! fail ("adagrad_read_idx ([file '.gz'])", "adagrad_read_idx: .*bad.idx.gz");
%! fail ("adagrad_read_idx (fullfile (d, 'none'))", "none is not a file");
%! fail ("adagrad_read_idx (d)", "is not a file");
%! confirm_recursive_rmdir (false, "local");
%! rmdir (d, "s");

%!error <FILE must be a file name> adagrad_read_idx (3)
%!error <Invalid call> adagrad_read_idx ()
