## Plain vectorized reference of adagrad_train (doc/theory.md): K steps of RULE
## from W with learning rate ETA and the rule's parameters P (a struct with
## the fields the rule has: b0, alpha, momentum, epsilon, rho, beta1, beta2;
## and "loss", the loss's name, default "squared"; AdaLoss then accumulates
## sqrt (2 L), which is ||y - u|| for the squared loss).
## Written from the definitions, independently of the C core (and of
## PyTorch's arrangement of Adam). Returns the final W, the per-iterate loss
## (K+1 entries) and b (K+1 entries, b0 first; NaN for rules without b).
## The tuning-free rules (../shared/TUNING-FREE.md, written from it):
## "wngrad" (P.b0, P.epsilon), "dog" (P.reps, P.epsilon), "dowg" (P.epsilon),
## "polyak" (P.stepmax, P.fmin, P.epsilon), "dadapt-sgd" (P.d0, P.growth),
## "prodigy" (P.beta1, P.beta2, P.beta3 (NaN: sqrt (beta2)), P.epsilon,
## P.d0, P.dcoef, P.growth), "schedule-free" (P.momentum, P.warmup, P.r,
## P.weightpower: the gradient and the loss at y, W returned is x) and
## "cocob" (P.alpha, P.epsilon; ETA scales the gradient); their b is NaN
## but WNGrad's.
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
  x0 = W;
  T = struct ();   # the tuning-free rules' state
  switch (rule)
    case "dog"
      T = struct ("rbar", P.reps * (1 + norm (x0(:))), "S", 0);
    case "dowg"
      T = struct ("r2", P.epsilon, "v", 0);
    case "dadapt-sgd"
      T = struct ("d", P.d0, "num", 0, "g0", NaN);
    case "prodigy"
      T = struct ("d", P.d0, "dmax", P.d0, "dnum", 0);
    case "schedule-free"
      T = struct ("z", W, "x", W, "wsum", 0, "lrmax", -1);
    case "cocob"
      T = struct ("L", P.epsilon * ones (size (W)), "Gabs", zeros (size (W)),
                  "R", zeros (size (W)), "C", zeros (size (W)));
  endswitch
  if (strcmp (rule, "wngrad"))
    b = P.b0;
  endif
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
      case "wngrad"
        b = b + eta ^ 2 * sum (G(:) .^ 2) / b;
        b = b + P.epsilon;
        W -= (eta / b) * G;
      case "dog"
        if (k == 1)
          T.S = sum (G(:) .^ 2) + P.epsilon;
        else
          T.rbar = max (T.rbar, norm (W(:) - x0(:)));
          T.S += sum (G(:) .^ 2);
        endif
        W -= (eta * T.rbar / sqrt (T.S)) * G;
      case "dowg"
        T.r2 = max (T.r2, sum ((x0(:) - W(:)) .^ 2));
        T.v = T.r2 * sum (G(:) .^ 2) + T.v;
        W -= (eta * (T.r2 / (sqrt (T.v) + P.epsilon))) * G;
      case "polyak"
        u2 = sum ((eta * G(:)) .^ 2);
        gamma = 0;
        if (u2 + P.epsilon > eps)
          gamma = min ((loss(k) - P.fmin) / (u2 + P.epsilon), P.stepmax);
        endif
        W -= (eta * gamma) * G;
      case "dadapt-sgd"
        if (k == 1)
          T.g0 = norm (G(:));
        endif
        dlr = T.d * eta / T.g0;
        delta = dlr * (G(:)' * s(:));
        s += dlr * G;
        T.num += delta;
        T.d = max (T.d, min (2 * T.num / norm (s(:)), T.d * P.growth));
        W = x0 - s;
      case "prodigy"
        b3 = P.beta3;
        if (isnan (b3))
          b3 = sqrt (P.beta2);
        endif
        d = T.d;
        dlr = d * eta;
        dnum = b3 * T.dnum;
        delta = (d / P.d0) * dlr * (G(:)' * (x0(:) - W(:)));
        if (P.beta1 > 0)
          M = P.beta1 * M + d * (1 - P.beta1) * G;
        endif
        V = P.beta2 * V + d ^ 2 * (1 - P.beta2) * G .^ 2;
        s = b3 * s + (d / P.d0) * dlr * G;
        if (sum (abs (s(:))) > 0)
          T.dnum = dnum + delta;
          dhat = P.dcoef * T.dnum / sum (abs (s(:)));
          if (T.d == P.d0)
            T.d = max (T.d, dhat);
          endif
          T.dmax = max (T.dmax, dhat);
          T.d = min (T.dmax, T.d * P.growth);
          den = sqrt (V) + T.d * P.epsilon;
          if (P.beta1 > 0)
            W -= dlr * M ./ den;
          else
            W -= dlr * T.d * G ./ den;
          endif
        endif
      case "schedule-free"
        sched = 1;
        if (k - 1 < P.warmup)
          sched = k / P.warmup;
        endif
        lr = eta * sched;
        T.lrmax = max (lr, T.lrmax);
        w = k ^ P.r * T.lrmax ^ P.weightpower;
        T.wsum += w;
        ck = 0;
        if (T.wsum != 0)
          ck = w / T.wsum;
        endif
        T.z -= lr * G;
        T.x = (1 - ck) * T.x + ck * T.z;
        W = P.momentum * T.x + (1 - P.momentum) * T.z;   # y, where the next gradient is
      case "cocob"
        c = eta * G;
        T.L = max (T.L, abs (c));
        T.Gabs += abs (c);
        T.R = max (T.R - c .* (W - x0), 0);
        T.C -= c;
        W = x0 + T.C ./ (T.L .* max (T.Gabs + T.L, P.alpha * T.L)) .* (T.L + T.R);
    endswitch
    bs(k + 1) = b;
    steps(k + 1) = norm (W - Wk, "fro") / norm (G, "fro");
  endfor
  if (nargin < 10 || final)
    [~, loss(K + 1)] = ref_gradient (W, a, X, y, lossname);
  else
    loss(K + 1) = NaN;
  endif
  state = struct ("b", b, "v", v, "s", s, "M", M, "V", V, "x0", x0, "T", T);
  if (strcmp (rule, "schedule-free"))
    state.y = W;
    W = T.x;
  endif
endfunction
