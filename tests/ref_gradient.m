## Plain vectorized reference (doc/theory.md): gradient, loss and output of
## the network, for the loss LOSS (default "squared"; "logistic": labels +-1,
## L = sum log (1 + exp (-y u)), written here without the C core's stable
## arrangement, for moderate margins).
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
      loss = 0.5 * (e' * e);
    case "logistic"
      loss = sum (log (1 + exp (-y .* u)));
      e = -y ./ (1 + exp (y .* u));
  endswitch
  G = ((Z >= 0) .* (e * a'))' * X / sqrt (m);
endfunction
