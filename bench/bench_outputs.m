## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## bench_outputs: K = 10 outputs by hand: a full-batch softmax step at
## (n, d, m, K) = (10000, 784, 4096, 10) in single against the same step written
## in Octave, and one epoch of Fashion-MNIST (all ten classes) with the softmax
## loss (needs dataset-fashion-mnist).  Run: octave-cli bench/bench_outputs.m
addpath (fullfile (fileparts (mfilename ("fullpath")), "..", "build"), fullfile (fileparts (mfilename ("fullpath")), "..", "inst"));
printf ("OPENBLAS_CORETYPE=%s\n", getenv ("OPENBLAS_CORETYPE"));
n = 10000; d = 784; m = 4096; K = 10;
X = randn (n, d, "single"); X = X ./ sqrt (sumsq (X, 2));
c = 1 + mod ((1:n)', K);
net = adagrad_init (d, m, "seed", 1, "outputs", K); W = single (net.W); A = single (net.a);
tic; [nt, h] = adagrad_train (net, X, c, "loss", "softmax", "maxiter", 3, "tol", 0, "threads", 2); t = toc;
ps = diff (h.time); step = median (ps);
tg = zeros (1, 3);
for r = 1:3
  tic; Z = X * W'; U = max (Z, 0) * A; R = U - 1; D = (Z >= 0) .* (R * A'); G = D' * X; tg(r) = toc;
endfor
printf ("K=10 step (n,d,m,K)=(%d,%d,%d,%d) single: %.3f s per step (C, 2 threads); Octave's 4 products + elementwise: %.3f s; ratio %.2f\n", n, d, m, K, step, min (tg), step / min (tg));
[X, y, Xt, yt] = adagrad_dataset ("fashion-mnist", "class", "single");
tic; [nf, hf] = adagrad_train (X, y, "loss", "softmax", "width", 4096, "batchsize", 128, "maxiter", ceil (60000/128), "seed", 1, "evalevery", ceil (60000/128), "threads", 2); tf = toc;
[~, ct] = adagrad_predict (nf, Xt);
printf ("fashion-mnist softmax K=10 m=4096 |B|=128 1 epoch single: %.1f s, train acc %.4f, test acc %.4f\n", tf, hf.accuracy(end), mean (ct == yt));
