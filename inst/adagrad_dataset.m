## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{X}, @var{y}, @var{Xt}, @var{yt}, @var{info}] =} adagrad_dataset (@var{name})
## @deftypefnx {} {[@dots{}] =} adagrad_dataset (@var{name}, @var{option}, @var{value}, @dots{})
## A real data set that Debian packages ship, as training inputs @var{X}
## (one row per sample), training labels @var{y}, test inputs @var{Xt} and
## test labels @var{yt}.
##
## @multitable @columnfractions 0.16 0.3 0.54
## @headitem @var{name} @tab Debian package @tab what
## @item @qcode{"fashion-mnist"} @tab dataset-fashion-mnist
## @tab 60000 + 10000 images of 28 x 28 pixels (d = 784, pixel values 0 to
## 255 before normalizing), 10 classes of clothing; its own test set
## (@file{/usr/share/datasets/fashion-mnist/*.gz}, IDX format)
## @item @qcode{"digits"} @tab python3-sklearn
## @tab 1797 images of 8 x 8 pixels (d = 64, values 0 to 16), 10 classes
## (the digits 0 to 9) (@file{sklearn/datasets/data/digits.csv.gz})
## @item @qcode{"iris"} @tab python3-sklearn
## @tab 150 flowers, 4 measurements, 3 species (@file{iris.csv} beside
## digits; one row appears twice, so two inputs are parallel and lambda0 is
## 0: @code{adagrad_gram} warns)
## @item @qcode{"heart_scale"} @tab octave-statistics
## @tab 270 patients, 13 features scaled to [-1, 1], two classes +1 and -1
## (@file{datasets/heart_scale.dat} of the statistics package, libsvm format)
## @end multitable
##
## The files are found where the packages put them (the folder of any
## installed version: Python's dist-packages, the statistics package's
## folder as @code{pkg list} gives it), or in the folder given with
## @qcode{"dir"}; when they are not there the error names the Debian package
## to install.  They are read as data only (IDX through zlib, the others as
## text; octave-statistics' @file{fisheriris.mat} is not read, since
## Octave's @code{load} can run code while it reads a MAT file).
##
## The labels are the class numbers 1 to K in the order of @code{info.classes}
## (heart_scale: +1 and -1 as the file has them): a network of K outputs
## fits them with @code{adagrad_train}'s @qcode{"classes", true} (one-hot
## targets, the squared loss) or the @qcode{"softmax"} loss; to fit one class
## against the rest with one output, train on @code{2 * (y == c) - 1} (with
## the squared loss, or the @qcode{"logistic"} loss).
##
## Options:
## @table @asis
## @item @qcode{"normalize"} (default @qcode{"sphere"})
## @qcode{"sphere"}: subtract the training mean, then scale each row to unit
## norm (the theory's assumption; the test rows with the training mean; a
## row that is zero after centering stays zero); @qcode{"zscore"}: subtract
## the training mean and divide each column by its training standard
## deviation (a constant column is only centered); @qcode{"none"}: the
## values as the file has them.
## @item @qcode{"n"} (default: all)
## Keep a stratified random subset of @var{n} training rows: each class in
## the share it has (largest remainders), drawn with @qcode{"seed"}, in the
## file's order.  The mean of the normalization is that of the subset.
## @item @qcode{"test"} (default 0.2)
## For the sets without a test set of their own (digits, iris,
## heart_scale): the fraction of each class held out as @var{Xt}, @var{yt}
## (stratified, drawn with @qcode{"seed"}; 0: none).  Fashion-MNIST's test
## set is its own 10000 images, whatever this is.
## @item @qcode{"seed"} (default 1)
## Seed of the split and of the subset (the global generators are left as
## they were).
## @item @qcode{"class"} (default @qcode{"double"})
## @qcode{"double"} or @qcode{"single"} (Fashion-MNIST in single takes
## 188 MB instead of 376 MB).
## @item @qcode{"dir"} (default: where the Debian package puts the files)
## A folder holding the set's files under their usual names.
## @end table
##
## @var{info} is a struct: @code{name}, @code{package} (the Debian package),
## @code{files} (the paths read), @code{classes} (a cell of class names),
## @code{K}, @code{n} and @code{ntest} (rows returned), @code{d},
## @code{normalize}, @code{mean} and @code{scale} (what the normalization
## subtracted and divided by: row vectors, or empty), @code{seed}, and
## @code{note}, a sentence on what was done.
##
## @example
## [X, y, Xt, yt, info] = adagrad_dataset ("digits");
## c = 2 * (y == 1) - 1;                 % the digit 0 against the rest
## net = adagrad_train (X, c, "width", 2000, "alpha", 0.1, "maxiter", 500, "seed", 1);
## mean (sign (adagrad_predict (net, Xt)) == 2 * (yt == 1) - 1)
## @end example
## @seealso{adagrad_read_idx, adagrad_read_libsvm, adagrad_data, adagrad_train}
## @end deftypefn

function [X, y, Xt, yt, info] = adagrad_dataset (name, varargin)
  fname = "adagrad_dataset";
  if (nargin < 1)
    __adagrad_usage__ (fname);
  endif
  sets = {"fashion-mnist", "digits", "iris", "heart_scale"};
  name = __adagrad_check__ (fname, "NAME", name, "choice", sets);
  defaults = struct ("normalize", "sphere", "n", [], "test", 0.2, "seed", 1,
                     "class", "double", "dir", "");
  o = __adagrad_options__ (fname, defaults, varargin{:});
  how = __adagrad_check__ (fname, "NORMALIZE", o.normalize, "choice",
                           {"sphere", "zscore", "none"});
  cls = __adagrad_check__ (fname, "CLASS", o.class, "choice", {"double", "single"});
  seed = __adagrad_check__ (fname, "SEED", o.seed, "seed");
  if (! (isnumeric (o.test) && isreal (o.test) && isscalar (o.test) && o.test >= 0
         && o.test < 1))
    error ("adagrad:badinput", "%s: TEST must be a fraction in [0, 1)", fname);
  endif
  if (! isempty (o.n))
    o.n = __adagrad_check__ (fname, "N", o.n, "posint");
  endif
  if (! ischar (o.dir) || ! (isrow (o.dir) || isempty (o.dir)))
    error ("adagrad:badinput", "%s: DIR must be a folder name", fname);
  endif

  [files, package] = locate (fname, name, o.dir);
  switch (name)
    case "fashion-mnist"
      [X, y] = idx_pair (files{1}, files{2}, cls);
      [Xt, yt] = idx_pair (files{3}, files{4}, cls);
      classes = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", ...
                 "Shirt", "Sneaker", "Bag", "Ankle boot"};
      if (numel (y) != 60000 || numel (yt) != 10000 || columns (X) != 784)
        error ("adagrad:badfile", "%s: %s and %s hold %d and %d images of %d pixels, not 60000 and 10000 of 784",
               fname, files{1}, files{3}, numel (y), numel (yt), columns (X));
      endif
      check_labels (fname, files{2}, y, 10);
      check_labels (fname, files{4}, yt, 10);
      own_test = true;
    case "digits"
      A = csv_numbers (fname, files{1}, 65, 0);
      [X, y] = deal (cast (A(:, 1:64), cls), A(:, 65) + 1);
      check_labels (fname, files{1}, y, 10);
      classes = arrayfun (@num2str, 0:9, "UniformOutput", false);
      own_test = false;
    case "iris"
      [A, head] = csv_numbers (fname, files{1}, 5, 1);
      [X, y] = deal (cast (A(:, 1:4), cls), A(:, 5) + 1);
      classes = strsplit (head, ",")(3:end);
      if (numel (classes) != 3)
        error ("adagrad:badfile", "%s: %s does not name 3 species in its first line", fname, files{1});
      endif
      classes = strtrim (classes);
      check_labels (fname, files{1}, y, 3);
      own_test = false;
    case "heart_scale"
      [X, y] = adagrad_read_libsvm (files{1}, 13);
      X = cast (X, cls);
      if (! all (y == 1 | y == -1))
        error ("adagrad:badfile", "%s: %s has labels other than +1 and -1", fname, files{1});
      endif
      classes = {"-1", "+1"};
      own_test = false;
  endswitch
  if (! own_test)
    [tr, te] = split (y, o.test, seed);
    [Xt, yt] = deal (X(te, :), y(te));
    [X, y] = deal (X(tr, :), y(tr));
  endif
  if (! isempty (o.n))
    if (o.n > numel (y))
      error ("adagrad:badinput", "%s: N = %d is more than the %d training rows of %s",
             fname, o.n, numel (y), name);
    endif
    keep = __adagrad_subset__ (y, o.n, seed);
    [X, y] = deal (X(keep, :), y(keep));
  endif
  [X, Xt, mu, sc] = normalize (X, Xt, how);
  info = struct ("name", name, "package", package, "files", {files(:)'},
                 "classes", {classes}, "K", numel (classes), "n", rows (X),
                 "ntest", rows (Xt), "d", columns (X), "normalize", how,
                 "mean", mu, "scale", sc, "seed", seed,
                 "note", note_of (how, own_test, o));
endfunction

## The files of set NAME: in DIR, or where its Debian package puts them.
function [files, package] = locate (fname, name, dir)
  switch (name)
    case "fashion-mnist"
      package = "dataset-fashion-mnist";
      want = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", ...
              "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
      places = {"/usr/share/datasets/fashion-mnist"};
    case {"digits", "iris"}
      package = "python3-sklearn";
      want = {merge(strcmp (name, "digits"), "digits.csv.gz", "iris.csv")};
      places = [glob("/usr/lib/python3/dist-packages/sklearn/datasets/data"); ...
                glob("/usr/lib/python3*/*-packages/sklearn/datasets/data"); ...
                glob("/usr/local/lib/python3*/*-packages/sklearn/datasets/data")]';
    case "heart_scale"
      package = "octave-statistics";
      want = {"heart_scale.dat"};
      places = {};
      [~, l] = pkg ("list");
      for k = 1:numel (l)
        if (strcmp (l{k}.name, "statistics"))
          places{end+1} = fullfile (l{k}.dir, "datasets");
        endif
      endfor
      places = [places, glob("/usr/share/octave/packages/statistics-*/datasets")'];
  endswitch
  if (! isempty (dir))
    places = {dir};
  endif
  for p = places
    files = fullfile (p{1}, want);
    if (all (cellfun (@(f) exist (f, "file") && ! exist (f, "dir"), files)))
      return;
    endif
  endfor
  if (! isempty (dir))
    error ("adagrad:nodata", "%s: %s has no %s (the files of %s)", fname, dir,
           strjoin (want, ", "), name);
  endif
  error ("adagrad:nodata",
         "%s: the %s data set is not installed: install the Debian package %s (sudo apt-get install %s), or give the folder of its files with \"dir\"",
         fname, name, package, package);
endfunction

## Images and labels from two IDX files, checked to match.
function [X, y] = idx_pair (fimg, flab, cls)
  [A, dims] = adagrad_read_idx (fimg);
  if (numel (dims) < 2)
    error ("adagrad:badfile", "adagrad_dataset: %s holds no images (dimensions %s)", fimg,
           mat2str (dims));
  endif
  X = cast (A, cls);
  clear A;
  y = double (adagrad_read_idx (flab));
  if (! iscolumn (y) || numel (y) != rows (X))
    error ("adagrad:badfile", "adagrad_dataset: %s has %d labels for the %d images of %s",
           flab, numel (y), rows (X), fimg);
  endif
  y += 1;
endfunction

function check_labels (fname, file, y, K)
  if (any (y != fix (y)) || any (y < 1) || any (y > K))
    error ("adagrad:badfile", "%s: %s has labels outside 0 to %d", fname, file, K - 1);
  endif
endfunction

## The numbers of a CSV file (gzip or not) with COLS columns, after SKIP
## header lines (returned as HEAD).
function [A, head] = csv_numbers (fname, file, cols, skip)
  text = char (__adagrad_read_file__ (fname, "gunzip", file));
  lines = strsplit (strtrim (strrep (text, "\r", "")), "\n");
  head = strjoin (lines(1:skip), "\n");
  lines = lines(skip+1:end);
  A = zeros (numel (lines), cols);
  for k = 1:numel (lines)
    v = str2double (strsplit (lines{k}, ","));
    if (numel (v) != cols || ! all (isfinite (v)))
      error ("adagrad:badfile", "%s: %s line %d is not %d numbers separated by commas",
             fname, file, k + skip, cols);
    endif
    A(k, :) = v;
  endfor
endfunction

## Rows of each class held out (a fraction F of it, rounded), the rest kept.
function [tr, te] = split (y, f, seed)
  te = false (size (y));
  if (f > 0)
    r = __adagrad_draw__ (seed, @() rand (size (y)));
    for c = unique (y)'
      i = find (y == c);
      [~, o] = sort (r(i));
      te(i(o(1:round (f * numel (i))))) = true;
    endfor
  endif
  tr = find (! te);
  te = find (te);
endfunction

function [X, Xt, mu, sc] = normalize (X, Xt, how)
  [mu, sc] = deal ([]);
  if (strcmp (how, "none"))
    return;
  endif
  mu = cast (mean (double (X), 1), class (X));
  X -= mu;
  Xt -= mu;
  if (strcmp (how, "zscore"))
    sc = std (X, 0, 1);
    sc(sc == 0) = 1;
    X ./= sc;
    Xt ./= sc;
  else
    X ./= max (sqrt (sumsq (X, 2)), realmin (class (X)));
    Xt ./= max (sqrt (sumsq (Xt, 2)), realmin (class (Xt)));
  endif
endfunction

function s = note_of (how, own, o)
  switch (how)
    case "sphere"
      s = "centered by the training mean, each row scaled to unit norm";
    case "zscore"
      s = "centered by the training mean, each column divided by its training standard deviation";
    otherwise
      s = "the values of the file";
  endswitch
  if (! isempty (o.n))
    s = sprintf ("%s; a stratified subset of %d training rows (seed %d)", s, o.n, o.seed);
  endif
  if (! own && o.test > 0)
    s = sprintf ("%s; %g of each class held out as the test set (seed %d)", s, o.test, o.seed);
  endif
endfunction

%!shared d
%! d = tempname ();
%! mkdir (d);

## Synthetic copies of the sets' files in the layouts of the real ones.
%!function write_idx (file, dims, A)
%!  f = fopen (file, "w", "ieee-be");
%!  fwrite (f, [0 0 8 numel(dims)], "uint8");
%!  fwrite (f, dims, "uint32");
%!  fwrite (f, A, "uint8");
%!  fclose (f);
%!  gzip (file);
%!  delete (file);
%!endfunction

%!test
%! ## digits-like CSV: the split is stratified, the subset too; the sphere
%! ## normalization uses the training mean; labels 1..10.
%! A = [mod((1:200)' * (1:64), 17), mod((0:199)', 10)];
%! f = fopen (fullfile (d, "digits.csv"), "w");
%! fprintf (f, [repmat("%d,", 1, 64) "%d\n"], A');
%! fclose (f);
%! gzip (fullfile (d, "digits.csv"));
%! [X, y, Xt, yt, info] = adagrad_dataset ("digits", "dir", d);
%! assert ([rows(X) rows(Xt) columns(X)], [160 40 64]);
%! assert (accumarray (yt, 1)', 4 * ones (1, 10));
%! assert (info.K, 10);
%! assert (info.classes{1}, "0");
%! assert (sqrt (sumsq (X, 2)), ones (160, 1), 1e-12);
%! ## The rows are the file's rows, centered by the training mean and scaled.
%! raw = A(:, 1:64);
%! [Xn, yn] = adagrad_dataset ("digits", "dir", d, "normalize", "none", "test", 0);
%! assert (Xn, raw);
%! assert (yn, A(:, 65) + 1);
%! [Xr, yr, Xtr] = adagrad_dataset ("digits", "dir", d, "normalize", "none");
%! mu = mean (Xr, 1);
%! Z = (Xr - mu) ./ sqrt (sumsq (Xr - mu, 2));
%! assert (X, Z, 1e-12);
%! assert (Xt, (Xtr - mu) ./ sqrt (sumsq (Xtr - mu, 2)), 1e-12);
%! assert (info.mean, mu, 1e-12);
%! ## The same seed, the same split; another seed, another.
%! [~, ~, ~, yt2] = adagrad_dataset ("digits", "dir", d, "normalize", "none");
%! [~, ~, Xt3] = adagrad_dataset ("digits", "dir", d, "normalize", "none", "seed", 5);
%! assert (isequal (yt2, yt) && ! isequal (Xt3, Xtr));
%! ## A stratified subset of 50: 5 of each class.
%! [Xs, ys, ~, ~, is] = adagrad_dataset ("digits", "dir", d, "n", 50, "class", "single");
%! assert (class (Xs), "single");
%! assert (accumarray (ys, 1)', 5 * ones (1, 10));
%! assert (is.n, 50);
%! assert (! isempty (strfind (is.note, "stratified subset of 50")));
%! ## zscore: unit standard deviation per column (constant ones centered).
%! Xz = adagrad_dataset ("digits", "dir", d, "normalize", "zscore");
%! s = std (Xz);
%! assert (s(s > 0), ones (size (s(s > 0))), 1e-12);
%! assert (mean (Xz), zeros (1, 64), 1e-12);
%! fail ("adagrad_dataset ('digits', 'dir', d, 'n', 1000)", "N = 1000 is more than the 160 training rows");
%! ## Malformed: a line with 3 values; labels out of 0..9.
%! f = fopen (fullfile (d, "digits.csv"), "w"); fprintf (f, "1,2,3\n"); fclose (f);
%! delete (fullfile (d, "digits.csv.gz")); gzip (fullfile (d, "digits.csv"));
%! fail ("adagrad_dataset ('digits', 'dir', d)", "digits.csv.gz line 1 is not 65 numbers");
%! A(3, 65) = 12;
%! f = fopen (fullfile (d, "digits.csv"), "w");
%! fprintf (f, [repmat("%d,", 1, 64) "%d\n"], A'); fclose (f);
%! delete (fullfile (d, "digits.csv.gz")); gzip (fullfile (d, "digits.csv"));
%! fail ("adagrad_dataset ('digits', 'dir', d)", "has labels outside 0 to 9");

%!test
%! ## iris-like CSV with its header; heart_scale-like libsvm; Fashion-MNIST-
%! ## like IDX (sizes checked: a small copy is refused).
%! f = fopen (fullfile (d, "iris.csv"), "w");
%! fprintf (f, "6,4,setosa,versicolor,virginica\n");
%! fprintf (f, "%g,%g,%g,%g,%d\n", [rand(6, 4), [0;0;1;1;2;2]]');
%! fclose (f);
%! [X, y, Xt, yt, info] = adagrad_dataset ("iris", "dir", d, "test", 0.5);
%! assert (info.classes, {"setosa", "versicolor", "virginica"});
%! assert (sort (y)', [1 2 3]);
%! assert (sort (yt)', [1 2 3]);
%! f = fopen (fullfile (d, "heart_scale.dat"), "w");
%! fprintf (f, "+1 1:0.5 13:1\n-1 2:-1\n+1 3:0.25\n-1 1:1 4:1\n+1 5:1\n-1 6:1\n");
%! fclose (f);
%! [X, y, Xt, yt, info] = adagrad_dataset ("heart_scale", "dir", d, "test", 1/3);
%! assert (columns (X), 13);
%! assert (sort ([y; yt])', [-1 -1 -1 1 1 1]);
%! assert (info.classes, {"-1", "+1"});
%! write_idx (fullfile (d, "train-images-idx3-ubyte"), [3 2 2], 1:12);
%! write_idx (fullfile (d, "train-labels-idx1-ubyte"), 3, [0 1 2]);
%! write_idx (fullfile (d, "t10k-images-idx3-ubyte"), [1 2 2], 1:4);
%! write_idx (fullfile (d, "t10k-labels-idx1-ubyte"), 1, 9);
%! fail ("adagrad_dataset ('fashion-mnist', 'dir', d)", "hold 3 and 1 images of 4 pixels, not 60000 and 10000 of 784");
%! fail ("adagrad_dataset ('fashion-mnist', 'dir', tempdir ())", "has no train-images-idx3-ubyte.gz");
%! confirm_recursive_rmdir (false, "local");
%! rmdir (d, "s");

%!testif HAVE_ZLIB; exist ("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", "file")
%! ## The real Fashion-MNIST (dataset-fashion-mnist): sizes, classes, labels.
%! t = tic ();
%! [X, y, Xt, yt, info] = adagrad_dataset ("fashion-mnist", "class", "single");
%! secs = toc (t);
%! assert ([size(X) size(Xt)], [60000 784 10000 784]);
%! assert (class (X), "single");
%! assert (accumarray (y, 1)', 6000 * ones (1, 10));
%! assert (accumarray (yt, 1)', 1000 * ones (1, 10));
%! assert (info.classes{10}, "Ankle boot");
%! assert (sqrt (sumsq (double (X(1:100, :)), 2)), ones (100, 1), 1e-6);
%! assert (secs < 30);

%!testif HAVE_ZLIB; ! isempty (glob ("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"))
%! ## The real digits and iris (python3-sklearn).
%! [X, y, Xt, yt, info] = adagrad_dataset ("digits");
%! assert (rows (X) + rows (Xt), 1797);
%! assert (columns (X), 64);
%! assert (info.K, 10);
%! ## README's example: the digit 3 against the rest (0.9972 there).
%! c = 2 * (y == 4) - 1;
%! net = adagrad_train (X, c, "width", 2000, "alpha", 0.1, "maxiter", 500, "seed", 1,
%!                      "display", "off");
%! acc = mean (sign (adagrad_predict (net, Xt)) == 2 * (yt == 4) - 1);
%! assert (acc > 0.99 && acc > mean (yt != 4) + 0.09);
%! [X, y, Xt, yt, info] = adagrad_dataset ("iris", "test", 0);
%! assert (size (X), [150 4]);
%! assert (accumarray (y, 1)', [50 50 50]);
%! assert (info.classes, {"setosa", "versicolor", "virginica"});
%! ## Its duplicated row: lambda0 about 0, and adagrad_gram says so.
%! warning ("off", "adagrad:singular", "local");
%! [~, l0] = adagrad_gram (X);
%! assert (abs (l0) < 1e-10);

%!testif HAVE_ZLIB; ! isempty (glob ("/usr/share/octave/packages/statistics-*/datasets/heart_scale.dat"))
%! [X, y, Xt, yt, info] = adagrad_dataset ("heart_scale", "normalize", "none", "test", 0);
%! assert (size (X), [270 13]);
%! assert (all (abs (X(:)) <= 1));
%! assert (sort (unique (y))', [-1 1]);
%! assert (info.package, "octave-statistics");

%!error <NAME must be one of> adagrad_dataset ("mnist")
%!error <TEST must be a fraction> adagrad_dataset ("digits", "test", 1)
%!error <NORMALIZE must be one of> adagrad_dataset ("digits", "normalize", "unit")
%!error <DIR must be a folder name> adagrad_dataset ("digits", "dir", 3)
%!error <Invalid call> adagrad_dataset ()
