## mex_opts (BASE, NAME, VALUE, ...): BASE with the fields NAME set to VALUE
## (the option structs of the MEX functions, in tests/test_mex.m).
function o = mex_opts (o, varargin)
  for k = 1:2:numel (varargin)
    o.(varargin{k}) = varargin{k+1};
  endfor
endfunction
