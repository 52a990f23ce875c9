## Plain vectorized reference (doc/theory.md): gradient, loss and output of the network.
function [G, loss, u] = ref_gradient (W, a, X, y)
  m = rows (W);
  Z = X * W';
  u = max (Z, 0) * a / sqrt (m);
  e = u - y;
  loss = 0.5 * (e' * e);
  G = ((Z >= 0) .* (e * a'))' * X / sqrt (m);
endfunction
