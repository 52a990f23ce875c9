## Plain vectorized reference (doc/theory.md): gradient, loss and output of
## the network, for the loss LOSS (default "squared"; "logistic": labels +-1,
## L = sum log (1 + exp (-y u)), written here without the C core's stable
## arrangement, for moderate margins; "softmax": labels 1..K for the K
## columns of a, L = sum_i (log sum_k exp (U_ik) - U_ic_i), written plainly
## too). a may be m-by-K (K outputs): U = relu (X W') a / sqrt (m), and for
## the squared loss y is n-by-K.
function [G, loss, u] = ref_gradient (W, a, X, y, lossname)
  if (nargin < 5)
    lossname = "squared";
  endif
  m = rows (W);
  Z = X * W';
  u = max (Z, 0) * a / sqrt (m);
  switch (lossname)
    case "squared"
      e = u - y;
      loss = 0.5 * (e(:)' * e(:));
    case "logistic"
      loss = sum (log (1 + exp (-y .* u)));
      e = -y ./ (1 + exp (y .* u));
    case "softmax"
      E = exp (u);
      onehot = (1:columns (a)) == y(:);
      loss = sum (log (sum (E, 2)) - sum (u .* onehot, 2));
      e = E ./ sum (E, 2) - onehot;
  endswitch
  G = ((Z >= 0) .* (e * a'))' * X / sqrt (m);
endfunction
