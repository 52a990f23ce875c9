## Plain vectorized reference of adagrad_train (doc/theory.md): K steps of RULE
## from W with learning rate ETA and the rule's parameters P (a struct with
## the fields the rule has: b0, alpha, momentum, epsilon, rho, beta1, beta2;
## and "loss", the loss's name, default "squared"; AdaLoss then accumulates
## sqrt (2 L), which is ||y - u|| for the squared loss).
## Written from the definitions, independently of the C core (and of
## PyTorch's arrangement of Adam). Returns the final W, the per-iterate loss
## (K+1 entries) and b (K+1 entries, b0 first; NaN for rules without b).
## With BATCHES (K-by-B row indices, a row may end in zeros; empty: the full
## batch), step k uses the
## rows of BATCHES(k, :) (repeats counted): the gradient of
## 0.5*||u_B - y_B||^2 times n/|B|, adaloss's increment
## alpha^2 * sqrt (n) * sqrt (n/|B|) * ||y_B - u_B||; loss(k) is then the
## batch loss 0.5*||u_B - y_B||^2 * n/|B| and loss(K+1) the full loss
## (NaN with FINAL false: the steps alone, for timing them).  STEPS (K+1
## entries, NaN first): the effective step of each step,
## ||W(k+1) - W(k)||_F / ||G(k)||_F with G(k) the gradient it used.
function [W, loss, bs, state, steps] = ref_train (X, y, W, a, rule, eta, P, K, batches, final)
  n = rows (X);
  lossname = "squared";
  if (isfield (P, "loss"))
    lossname = P.loss;
  endif
  loss = zeros (K + 1, 1);
  bs = NaN (K + 1, 1);
  steps = NaN (K + 1, 1);
  [v, s, M, V] = deal (zeros (size (W)));
  b = NaN;
  if (any (strcmp (rule, {"adagrad-norm", "adaloss"})))
    b = P.b0;
  elseif (strcmp (rule, "adagrad"))
    s(:) = P.b0 ^ 2;
  endif
  bs(1) = b;
  for k = 1:K
    if (nargin > 8 && ! isempty (batches))
      idx = batches(k, batches(k, :) > 0);
      c = n / numel (idx);
      [G, lb, u] = ref_gradient (W, a, X(idx, :), y(idx, :), lossname);
      [G, loss(k), res] = deal (c * G, c * lb, sqrt (c) * sqrt (2 * lb));
    else
      [G, loss(k), u] = ref_gradient (W, a, X, y, lossname);
      res = sqrt (2 * loss(k));
    endif
    Wk = W;
    switch (rule)
      case "gd"
        W -= eta * G;
      case "adagrad-norm"
        b = sqrt (b ^ 2 + sum (G(:) .^ 2));
        W -= (eta / b) * G;
      case "adaloss"
        b = sqrt (b ^ 2 + P.alpha ^ 2 * sqrt (n) * res);
        W -= (eta / b) * G;
      case "momentum"
        v = P.momentum * v + G;
        W -= eta * v;
      case "nesterov"
        v = P.momentum * v + G;
        W -= eta * (G + P.momentum * v);
      case "adagrad"
        s += G .^ 2;
        W -= eta * G ./ (sqrt (s) + P.epsilon);
      case "rmsprop"
        s = P.rho * s + (1 - P.rho) * G .^ 2;
        W -= eta * G ./ (sqrt (s) + P.epsilon);
      case "adam"
        M = P.beta1 * M + (1 - P.beta1) * G;
        V = P.beta2 * V + (1 - P.beta2) * G .^ 2;
        W -= eta * (M / (1 - P.beta1 ^ k)) ./ (sqrt (V / (1 - P.beta2 ^ k)) + P.epsilon);
    endswitch
    bs(k + 1) = b;
    steps(k + 1) = norm (W - Wk, "fro") / norm (G, "fro");
  endfor
  if (nargin < 10 || final)
    [~, loss(K + 1)] = ref_gradient (W, a, X, y, lossname);
  else
    loss(K + 1) = NaN;
  endif
  state = struct ("b", b, "v", v, "s", s, "M", M, "V", V);
endfunction
