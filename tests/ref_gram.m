## Plain reference: empirical Gram matrix H(W)(i,j) = x_i'x_j * #{r: w_r'x_i >= 0, w_r'x_j >= 0} / m.
function H = ref_gram (W, X)
  P = double (X * W' >= 0);
  H = (X * X') .* (P * P') / rows (W);
endfunction
