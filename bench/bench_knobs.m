## bench_knobs (): the rule of thumb for eta and alpha against n, measured
## (README, "Choosing eta and alpha").  On five synthetic sets (adagrad_data,
## seed 1; n from 100 to 2000) and one network each (m = 2000, seed 1,
## b0 = 0.1), the iterations to the default tolerance (1e-8 relative, at most
## 5000) of:
##  - AdaLoss with the defaults (eta = 1, alpha = 1), with alpha = 0.1, and
##    with the rule of thumb: alpha such that the first step eta/b(1) is
##    2/||H_inf|| (b(1)^2 = b0^2 + alpha^2 sqrt(n) ||y - u(0)||);
##  - AdaGrad-Norm with the default eta = 1 and with the rule of thumb: eta
##    such that the first step eta/b(1) is 1/||H_inf|| (b(1)^2 = b0^2 +
##    ||G(0)||^2);
##  - gradient descent at 1/||H_inf||, the tuned step of the theory.
## Each row also gives ||H_inf||, lambda0 and the first step times ||H_inf||.
## Run by hand (make's path: addpath build inst); a few minutes on 2 cores.
function bench_knobs ()
  sets = [100 20; 200 20; 200 50; 1000 100; 2000 50];
  [m, b0, maxiter] = deal (2000, 0.1, 5000);
  printf ("%5s %4s %7s %8s  %-30s %7s %6s\n", "n", "d", "||H||", "lambda0", "rule",
          "iters", "s1*||H||");
  for k = 1:rows (sets)
    [n, d] = deal (sets(k, 1), sets(k, 2));
    [X, y] = adagrad_data (n, d, "seed", 1);
    [~, l0, normH] = adagrad_gram (X);
    net = adagrad_init (d, m, "seed", 1);
    e0 = norm (adagrad_predict (net, X) - y);
    g0 = norm (adagrad_gradient (net.W, net.a, X, y), "fro");
    ## AdaLoss: eta/b1 = 2/||H||, eta = 1.
    athumb = sqrt (max ((normH / 2) ^ 2 - b0 ^ 2, 0) / (sqrt (n) * e0));
    ## AdaGrad-Norm: eta/b1 = 1/||H||.
    ethumb = sqrt (b0 ^ 2 + g0 ^ 2) / normH;
    runs = {"adaloss, eta 1, alpha 1 (defaults)", {"optimizer", "adaloss", "alpha", 1}; ...
            "adaloss, eta 1, alpha 0.1", {"optimizer", "adaloss", "alpha", 0.1}; ...
            sprintf("adaloss, eta 1, alpha %.3g (thumb)", athumb), {"optimizer", "adaloss", "alpha", athumb}; ...
            "adagrad-norm, eta 1 (default)", {"optimizer", "adagrad-norm"}; ...
            sprintf("adagrad-norm, eta %.3g (thumb)", ethumb), {"optimizer", "adagrad-norm", "eta", ethumb}; ...
            sprintf("gd, eta 1/||H|| = %.3g", 1 / normH), {"optimizer", "gd", "eta", 1 / normH}};
    for r = 1:rows (runs)
      args = runs{r, 2};
      if (! strcmp (args{2}, "gd"))
        args = [args, {"b0", b0}];
      endif
      [~, h] = adagrad_train (net, X, y, args{:}, "maxiter", maxiter, "display", "off");
      it = sprintf ("%d", h.iter(end));
      if (! strcmp (h.stop, "converged"))
        it = sprintf (">%d", maxiter);
      endif
      printf ("%5d %4d %7.3g %8.3g  %-30s %7s %6.2f\n", n, d, normH, l0, runs{r, 1}, it,
              h.step(2) * normH);
      fflush (stdout);
    endfor
  endfor
endfunction
