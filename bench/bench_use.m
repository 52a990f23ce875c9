## bench_use (TREE, OTHER): TREE's build and inst/ on the path instead of
## OTHER's, and the functions and MEX files of the one before cleared, so
## that a benchmark compares two builds in one Octave process.
function bench_use (tree, other)
  p = strsplit (path (), pathsep ());
  for f = {fullfile(other, "build"), fullfile(other, "inst")}
    if (any (strcmp (p, f{1})))
      rmpath (f{1});
    endif
  endfor
  addpath (fullfile (tree, "build"), fullfile (tree, "inst"));
  clear -f;
  clear mex;
endfunction
