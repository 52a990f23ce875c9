## Plain vectorized reference of adagrad_train (PAPER.md): K steps of RULE from W0.
## Returns the final W and b, and per-iterate loss (K+1 entries) and b (K+1, b0 first).
function [W, b, loss, bs] = ref_train (X, y, W, a, rule, eta, b0, alpha, K)
  n = rows (X);
  b = b0;
  loss = zeros (K + 1, 1);
  bs = zeros (K + 1, 1);
  bs(1) = b0;
  for k = 1:K
    [G, loss(k), u] = ref_gradient (W, a, X, y);
    switch (rule)
      case "gd"
        step = eta;
      case "adagrad-norm"
        b = sqrt (b ^ 2 + sum (G(:) .^ 2));
        step = eta / b;
      case "adaloss"
        b = sqrt (b ^ 2 + alpha ^ 2 * sqrt (n) * norm (y - u));
        step = eta / b;
    endswitch
    W -= step * G;
    bs(k + 1) = b;
  endfor
  [~, loss(K + 1)] = ref_gradient (W, a, X, y);
endfunction
