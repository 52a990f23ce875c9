## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn  {} {[@var{net}, @var{hist}] =} adagrad_train (@var{X}, @var{y})
## @deftypefnx {} {[@var{net}, @var{hist}] =} adagrad_train (@var{X}, @var{y}, @var{name}, @var{value}, @dots{})
## @deftypefnx {} {[@var{net}, @var{hist}] =} adagrad_train (@var{net}, @var{X}, @var{y}, @dots{})
## Train the first layer of a two-layer ReLU network
## @code{f(W, a, x) = sum_r a_r * max (w_r' * x, 0) / sqrt (m)} on the squared
## loss @code{L(W) = 0.5 * norm (f(W, a, X) - y)^2} with gradient descent,
## AdaGrad-Norm, AdaLoss (Wu, Du & Ward, arXiv 1902.07111), the optimizers
## of an optimization course (momentum, Nesterov, AdaGrad, RMSprop, Adam), or
## a rule written in Octave.
##
## @var{X} is @var{n}-by-@var{d} (one sample per row), @var{y} has @var{n}
## entries, or (a network of K outputs, @code{a} m-by-K and
## @code{U = relu (X W') a / sqrt (m)} n-by-K) @var{n} rows of K columns
## for the squared loss, or class labels (options @qcode{"loss"} and
## @qcode{"classes"}).  The theory assumes rows of unit norm, no two parallel; other
## inputs are accepted.  The output weights @code{a} stay fixed.  The whole
## loop runs in C (MEX @code{__adagrad_train__}); the same trajectory follows
## from calling @code{adagrad_gradient} and @code{adagrad_step} in a loop.
##
## With a network @var{net} as first argument (from @code{adagrad_init} or an
## earlier @code{adagrad_train}) training continues from its weights and
## optimizer state: @var{K} iterations and then @var{K} more give the same
## network as 2@var{K} iterations in one call.
##
## @strong{Step rules} (@qcode{"optimizer"}).  @var{G} is the gradient at
## @code{W(k)}, @var{eta} the learning rate of every rule; each state starts
## as said and is updated before @var{W}.  The built-in rules come from one
## table in the C core (@code{doc/theory.md} has the details):
##
## @table @asis
## @item @qcode{"gd"}
## @code{W -= eta * G}.
## @item @qcode{"adagrad-norm"}
## @code{b^2 += norm (G, "fro")^2; W -= (eta / b) * G}; b starts at
## @qcode{"b0"} (default 1, > 0).
## @item @qcode{"adaloss"} (default)
## @code{b^2 += alpha^2 * sqrt (n) * norm (y - u); W -= (eta / b) * G};
## options @qcode{"b0"} (1) and @qcode{"alpha"} (1, > 0).
## @item @qcode{"momentum"}
## @code{v = mu * v + G; W -= eta * v}, v starting at 0; @qcode{"momentum"}
## is mu (default 0.9, >= 0).
## @item @qcode{"nesterov"}
## @code{v = mu * v + G; W -= eta * (G + mu * v)}; @qcode{"momentum"} (0.9).
## @item @qcode{"adagrad"}
## per coordinate: @code{s += G.^2; W -= eta * G ./ (sqrt (s) + epsilon)},
## s starting at @code{b0^2} everywhere; @qcode{"b0"} (default 0, >= 0) and
## @qcode{"epsilon"} (1e-10).
## @item @qcode{"rmsprop"}
## @code{s = rho * s + (1 - rho) * G.^2; W -= eta * G ./ (sqrt (s) + epsilon)},
## s starting at 0; @qcode{"rho"} (0.99, in [0, 1]) and @qcode{"epsilon"} (1e-8).
## @item @qcode{"adam"}
## with t counted from 1: @code{M = beta1*M + (1-beta1)*G},
## @code{V = beta2*V + (1-beta2)*G.^2},
## @code{W -= eta * (M / (1-beta1^t)) ./ (sqrt (V / (1-beta2^t)) + epsilon)};
## @qcode{"beta1"} (0.9), @qcode{"beta2"} (0.999), both in [0, 1), and
## @qcode{"epsilon"} (1e-8).
## @end table
##
## @strong{Tuning-free rules}, each as its authors' code applies it
## (@file{doc/theory.md} has every update, its source and where the package
## differs); x0 is the network's W before the state's first step, kept in
## @code{state.x0}; their eta defaults to the source's learning rate:
##
## @table @asis
## @item @qcode{"wngrad"} (WNGrad, Wu, Ward and Bottou 2018)
## @code{b += eta^2 * ||G||^2 / b; b += epsilon; W -= (eta / b) * G};
## @qcode{"b0"} (1, > 0), @qcode{"epsilon"} (1e-8), eta 1e-2 by default; one
## global b (the published code keeps one per row).
## @item @qcode{"dog"} (DoG, Ivgi, Hinder and Carmon 2023)
## @code{rbar = max (rbar, ||W - x0||)} (first @code{reps * (1 + ||x0||)}),
## @code{S += ||G||^2} (first @code{||G||^2 + epsilon}),
## @code{W -= eta * rbar / sqrt (S) * G}; @qcode{"reps"} (1e-6, > 0),
## @qcode{"epsilon"} (1e-8).
## @item @qcode{"dowg"} (DoWG, Khaled, Mishchenko and Jin 2023; optax)
## @code{r2 = max (r2, ||x0 - W||^2)} (first @code{epsilon}),
## @code{v += r2 * ||G||^2}, @code{W -= eta * r2 / (sqrt (v) + epsilon) * G};
## @qcode{"epsilon"} (1e-4, > 0).
## @item @qcode{"polyak"} (SPS_max; optax's polyak_sgd)
## @code{gamma = min ((L - fmin) / (eta^2 ||G||^2 + epsilon), stepmax)} (0
## when the denominator is below double precision's eps), @code{W -= eta *
## gamma * G}, L the loss (a sum; the batch loss times n/rows with
## mini-batches); @qcode{"stepmax"} (1, > 0), @qcode{"fmin"} (0), @qcode{"epsilon"} (0).
## @item @qcode{"dadapt-sgd"} (D-Adaptation SGD V3, Defazio and Mishchenko 2023)
## @code{dlr = d * eta / ||G(0)||}; @code{num += dlr * <G, s>};
## @code{s += dlr * G}; @code{W = x0 - s};
## @code{d = max (d, min (2 * num / ||s||, d * growth))}; @qcode{"d0"}
## (1e-6, > 0), @qcode{"growth"} (Inf); momentum 0.  A zero first gradient
## (its source divides by it) stops the run with @code{hist.stop}
## @qcode{"undefined"} and the warning @code{adagrad:undefined}.
## @item @qcode{"prodigy"} (Prodigy, Mishchenko and Defazio 2024; Adam form)
## Adam's moments weighted by d, learning rate @code{d * eta}, d from the
## sums @code{<G, x0 - W>} and @code{s}; @qcode{"beta1"} (0.9),
## @qcode{"beta2"} (0.999), @qcode{"beta3"} (NaN: @code{sqrt (beta2)}),
## @qcode{"epsilon"} (1e-8), @qcode{"d0"} (1e-6), @qcode{"dcoef"} (1),
## @qcode{"growth"} (Inf); no bias correction, no weight decay.
## @item @qcode{"schedule-free"} (schedule-free SGD, Defazio et al. 2024)
## @code{z -= eta_t * G; x = (1 - c) * x + c * z; y = mu * x + (1 - mu) * z},
## c the step's share of the weights @code{(k+1)^r * lr_max^weightpower};
## the gradient and the loss of a full-batch step are at y, the network's
## W is x (evaluation points and predictions use it), @code{state.y} and
## @code{state.z} the others; @qcode{"momentum"} (0.9, in [0, 1]),
## @qcode{"warmup"} (0 steps), @qcode{"r"} (0), @qcode{"weightpower"} (2).
## @item @qcode{"cocob"} (COCOB-Backprop, Orabona and Tommasi 2017; optax)
## per entry, with @code{c = eta * G}: @code{L = max (L, |c|)},
## @code{Gabs += |c|}, @code{R = max (R - c .* (W - x0), 0)}, @code{C -= c},
## @code{W = x0 + C ./ (L .* max (Gabs + L, alpha * L)) .* (L + R)};
## @qcode{"alpha"} (100, > 0), @qcode{"epsilon"} (1e-8, the first L).
## @end table
##
## These are the optimizers of the same names in PyTorch's @code{torch.optim}
## (SGD with momentum or Nesterov and dampening 0, Adagrad with
## @code{initial_accumulator_value = b0^2}, RMSprop with @code{alpha = rho},
## Adam): the same settings give the same numbers, to round-off.
##
## @strong{A rule written in Octave}: @code{"optimizer", @@fcn} with
## @code{[W, state] = fcn (W, G, state, info)}.  @var{state} is @code{[]} at
## the first call (or the network's @code{state}) and whatever @var{fcn}
## returned afterwards; @var{info} has fields @code{iter}, @code{loss} (at
## @var{W}), @code{u}, @code{y}, @code{n}, @code{eta}, @code{gnorm},
## @code{rows} (the rows of @var{X} of the step, a column: @code{(1:n)'} in
## full batch), @code{params} (the rule's own parameters, the option
## @qcode{"params"}, kept in @code{net.params}) and @code{oracle}:
## @code{L = info.oracle (Wt)} and @code{[L, Gt] = info.oracle (Wt)} are the
## loss and its gradient at trial weights @var{Wt} on the step's rows, as
## the step sees them (in full batch @code{info.oracle (W)} is
## @code{info.loss} and its gradient @var{G}, the same bits), each call one
## forward pass (and one backward pass) in C.  With mini-batches @var{G} is
## the batch's, scaled by n/nb, @code{loss} and the oracle's values the
## batch loss scaled the same, @code{u} and @code{y} the batch's rows.  A
## line search, for example Armijo backtracking from @code{eta}:
##
## @example
## function [W, t] = armijo (W, G, t, info)
##   t = info.eta;
##   g2 = sumsq (G(:));
##   while (info.oracle (W - t * G) > info.loss - info.params.c * t * g2)
##     t *= info.params.beta;
##   endwhile
##   W -= t * G;
## endfunction
## adagrad_train (X, y, "optimizer", @@armijo, "eta", 100,
##                "params", struct ("c", 0.5, "beta", 0.5));
## @end example
##
## It runs in the same
## C loop as the built-in rules (its step calls back into Octave), so the run
## has everything a built-in rule has (evaluation points, rollback after a
## non-finite loss, diagnostics, gtol, history, display, output function,
## checkpoints with the state, resume); its effective step is
## @code{norm (W(k+1) - W(k), "fro") / norm (G, "fro")}, as for every rule,
## and its rate NaN.  Heavy ball, for example:
##
## @example
## function [W, s] = heavy_ball (W, G, s, info)
##   if (isempty (s))
##     s.v = zeros (size (W));
##   endif
##   s.v = 0.9 * s.v + G;
##   W -= info.eta * s.v;
## endfunction
## [net, hist] = adagrad_train (X, y, "optimizer", @@heavy_ball, "eta", 0.1);
## @end example
##
## Options:
##
## @table @asis
## @item @qcode{"width"} (default 1000)
## Hidden units m of a new network.
## @item @qcode{"optimizer"} (default @qcode{"adaloss"})
## A rule above, or a function handle.  Given with a network whose rule
## differs, the new rule starts from its initial state.
## @item @qcode{"eta"} (default: the rule's, 1 for every rule but WNGrad's 1e-2)
## The learning rate (>= 0).
## @item @qcode{"b0"}, @qcode{"alpha"}, @qcode{"momentum"}, @qcode{"epsilon"}, @qcode{"rho"}, @qcode{"beta1"}, @qcode{"beta2"}, @qcode{"reps"}, @qcode{"stepmax"}, @qcode{"fmin"}, @qcode{"d0"}, @qcode{"growth"}, @qcode{"beta3"}, @qcode{"dcoef"}, @qcode{"warmup"}, @qcode{"r"}, @qcode{"weightpower"}
## The parameters of the rules above (default: the rule's own); giving one
## the rule does not have is an error.  @qcode{"b0"} sets the initial state
## and cannot change once a network has trained.
## @item @qcode{"params"} (default @code{[]})
## A scalar struct of the rule's parameters: for a rule written in Octave
## its own (numbers, logicals or text: data, which a checkpoint keeps), kept
## in @code{net.params} and handed to it as @code{info.params}; given with a
## network they replace the network's, and a new function rule starts with
## none but these.  For a built-in rule each field is the option of its
## name (@code{struct ("b0", 0.1)} as @qcode{"b0", 0.1}; giving both is an
## error).
## @item @qcode{"loss"} (default @qcode{"squared"})
## The loss of the outputs @var{u} against @var{y}, an entry of the loss
## table of the C core, which every pass of the run (both forms, the batches,
## the evaluation points, the validation loss) takes it from:
## @qcode{"squared"}: @code{L = 0.5 * ||U - Y||_F^2} (one output:
## @code{0.5 * sum_i (u_i - y_i)^2}), residual @code{dL/dU = U - Y};
## AdaLoss accumulates @code{||U - Y||_F = sqrt (2 L)}.
## @qcode{"logistic"}: labels @var{y} of +1 and -1,
## @code{L = sum_i log (1 + exp (-y_i u_i))} (computed stably), residual
## @code{dL/du_i = -y_i / (1 + exp (y_i u_i))}; AdaLoss accumulates
## @code{sqrt (2 L)} in the same way (with a batch B, @code{sqrt (2 (n/|B|) L_B)}).
## @qcode{"softmax"}: K >= 2 outputs and labels @var{y} in 1..K,
## @code{L = sum_i (log sum_k exp (U_ik) - U_ic_i)} (computed from each row's
## largest output, so that it neither overflows nor loses the small terms),
## residual @code{dL/dU_ik = exp (U_ik) / sum_j exp (U_ij) - [k = c_i]};
## AdaLoss accumulates @code{sqrt (2 L)}.  For every loss the gradient is
## @code{G = ((X W' >= 0) .* (R a'))' X / sqrt (m)} with @code{R = dL/dU}.
## The tolerance @qcode{"tol"} and the linearized picture are those of the
## squared loss (@code{adagrad_linearized} and @code{adagrad_check} take
## squared-loss runs only); @code{[u, c] = adagrad_predict (net, X)} gives
## the predicted labels.
## @item @qcode{"outputs"} (default: from @var{y})
## K, the outputs of a new network (see @code{adagrad_init}): by default
## the columns of @var{y} for the squared loss, the largest label for
## @qcode{"softmax"} or @qcode{"classes"}, 1 otherwise.  A network given
## keeps its own (the columns of its @code{a}).
## @item @qcode{"classes"} (default false)
## With the squared loss: @var{y} (and the validation's) holds class labels
## 1..K, and the run fits their one-hot matrix (row i: 1 in column y_i, 0
## elsewhere), the targets of Arora et al. and of the NTK literature on
## MNIST-like data.  The accuracy is then counted as for the softmax loss.
## @item @qcode{"maxiter"} (default 1000)
## Iterations to run (in this call, when resuming).
## @item @qcode{"tol"} (default 1e-12)
## Stop as soon as the loss is <= @var{tol} (0: only at an exact zero).
## @item @qcode{"seed"} (default @code{[]})
## Seed of the initialization of a new network (see @code{adagrad_init});
## empty: the global @code{randn}/@code{rand} generators.
## @item @qcode{"init"} (default @code{[]})
## A network struct to start from, as an alternative to the first argument.
## It needs fields @code{W} (m-by-d) and @code{a}; the other fields of
## @code{adagrad_init}'s struct are filled in when absent.  Or how a new
## network is drawn: @qcode{"random"} (the default) or @qcode{"symmetric"}
## (an even width; paired units with opposite output weights, so that the
## output at W0 is 0 up to rounding: see @code{adagrad_init}).
## @item @qcode{"display"} (default @qcode{"off"})
## @qcode{"off"}; @qcode{"final"}: one summary line; @qcode{"iter"}: a
## progress line, rewritten in place about twice a second, with iteration,
## loss, b (rules that have one), effective step, elapsed time and estimated
## time left.
## @item @qcode{"outputfcn"} (default @code{[]})
## A function @code{stop = fcn (net, info, state)}, MATLAB's OutputFcn
## contract: called with @var{state} @qcode{"init"} once at the starting
## iterate (before the first step), @qcode{"iter"} after every
## @qcode{"outputevery"} iterations before the last, and @qcode{"done"} once
## at the last iterate, whatever the reason the run stopped (converged,
## maxiter, diverged, stopped, gtol; a Ctrl-C ends the run with an error
## instead, without this call).  @var{net} is the current network and
## @code{info} a struct with fields @code{iter}, @code{loss}, @code{b},
## @code{step}, @code{rate}, @code{gnorm} and @code{batchloss} (of the last
## step, as in @var{hist}; NaN at "init"), @code{time}, @code{epoch}, @code{vloss} (NaN between evaluation
## points, like @code{loss} with mini-batches), @code{state}, and at "done"
## @code{stop} (the reason).  Returning true at "init" or "iter" stops the
## run (reason @qcode{"stopped"}); the answer at "done" is not used, and an
## error there is a warning (the run is returned).  A function of two
## arguments, @code{stop = fcn (net, info)}, is called at the same points
## (@code{info.state} tells them apart).  The "init" call costs one forward
## pass.
## @item @qcode{"outputevery"} (default 1)
## Iterations between the "iter" calls of the output function.  The C loop calls it
## itself (for every rule), at a cost of about 70 to 100 microseconds plus a
## copy of W and the state per call (measured at n = 20, d = 5, m = 10,
## where a step takes 3.4 microseconds; an Octave loop calling the same
## function handle costs 6 to 7): at small sizes give a larger
## @qcode{"outputevery"}.
## @item @qcode{"diagnostics"} (default 0)
## Every that many iterations (0: never), record in @code{hist.diag} the
## quantities of the theory, computed in C at a small fraction of the cost of
## a step: @code{flips}, the fraction of the n*m pairs (i, r) whose activation
## 1@{w_r'x_i >= 0@} differs from that at @code{net.W0}; @code{move},
## max_r ||w_r - w_r(0)||; and @code{dist}, ||W - W0||_F; with their
## iterations in @code{iter}.
## @item @qcode{"gramevery"} (default 0)
## Every that many iterations (0: never), record the smallest eigenvalue of
## the empirical Gram matrix H(W) in @code{hist.diag.lambda_min} (iterations in
## @code{gram_iter}).  This costs O(n^2 m) for H and O(n^3) for the eigenvalue:
## use it sparingly.
## @item @qcode{"historyevery"} (default 1)
## Keep in @var{hist} every that many iterates (those whose iteration is a
## multiple of it), and the first and last of the run: a long run of a small
## network keeps its history small (each iterate kept takes about 400 bytes,
## counted in the memory check before the run).  The trajectory and the
## network are the same for any value.
## @item @qcode{"history"} (default @code{[]})
## The @var{hist} of the call that produced the network passed in: the
## returned history then covers both calls.
## @item @qcode{"checkpoint"} (default @qcode{""}: none)
## A file to which the whole state (network, optimizer state, history so
## far, settings, a fingerprint of the data) is written every
## @qcode{"checkpointevery"} iterations (default 0: not by count) and every
## @qcode{"checkpointseconds"} seconds (default 60), at the end, and on
## Ctrl-C.  Each write goes to a temporary file that is then renamed over
## @var{file} once it has been read back to its final marker (which only a
## complete file has; the large arrays are read one at a time), so a crash,
## a kill or a full disk at any moment leaves the last complete checkpoint.
## A long history's full blocks of 65536 iterates go once each to chunk files
## beside it (@file{@var{file}.h-ID-K}; move them with it), so that a
## checkpoint's cost does not grow with the run.
## A folder that cannot take the file, or a @var{file} that is a folder, is
## an error (@code{adagrad:checkpoint}) before the first iteration; a
## symbolic link is written through (its target gets the checkpoint, the
## link stays); a write that fails later (a full disk: the warning says so) is
## a warning of that identifier, the previous checkpoint is kept and the run
## goes on.  The checkpoint is data only (a rule written in Octave is kept by
## name, see @code{adagrad_resume}); its digest detects damage, not
## tampering.
## @code{adagrad_resume} continues from it to the result the uninterrupted run
## gives.
## @item @qcode{"threads"} (default 0)
## Threads of the C core (OpenMP), each running single-threaded BLAS on its
## own blocks of hidden units; 0: @env{OMP_NUM_THREADS} when it is set, else
## the cores that other running tasks leave free (read from
## @file{/proc/loadavg} at each call of the C loop, at least every 10 s), so
## that a busy machine does not stall the threads' waits for each other.
## The results are bitwise the same for any number.
## @item @qcode{"batchsize"} (default @var{n}: the full batch)
## Rows per step (1 to @var{n}).  A step on the batch @var{B} of
## @var{nb} rows uses the gradient of @code{0.5 * norm (u_B - y_B)^2} times
## @code{n / nb} (an unbiased estimate of @var{G}, equal to it when @var{B} is
## all rows) in every rule; AdaGrad-Norm adds the squared norm of that
## gradient to b^2, AdaLoss adds
## @code{alpha^2 * sqrt (n) * sqrt (n / nb) * norm (y_B - u_B)} (the
## paper's increment estimated from the batch).  The forward and gradient
## passes run on the batch's rows only (O(nb*d*m) a step).  With
## @var{n} (and @qcode{"shuffle"}) every trajectory is the full-batch one,
## bitwise.
## @item @qcode{"sampling"} (default @qcode{"shuffle"})
## @qcode{"shuffle"}: each epoch a new permutation of the rows, cut into
## batches in order, the last batch of an epoch shorter when @var{batchsize}
## does not divide @var{n}; @qcode{"replace"}: each batch drawn uniformly with
## replacement.  The batches come from the package's own generator
## (@code{doc/theory.md}) seeded by @qcode{"seed"} (kept in
## @code{net.batchseed}; a network without a seed draws one from
## @code{rand} once): the same for any thread count, session or global
## random state.
## @item @qcode{"batches"} (default @code{[]})
## A @var{K}-by-@var{B} matrix of row indices replayed exactly: row @var{k}
## is the batch of step @var{k} - 1 of the run (iteration counted from the
## network's start); zeros may pad the end of a shorter batch.  Without
## @qcode{"maxiter"} the run takes the steps its rows have left.
## @item @qcode{"recordbatches"} (default false)
## Return the batches of the run in @code{hist.batches}, in the form
## @qcode{"batches"} takes.
## @item @qcode{"evalevery"} (default: once per epoch, @code{ceil (n / batchsize)}; in full batch 1, and with @qcode{"validation"} of nv rows @code{ceil (20 nv / n)}, so that the validation passes take at most about 1/40 of the run)
## Steps between evaluation points, where the full-batch loss (a forward
## pass over all rows, in C) and the validation loss are recorded; the first
## and the last iterate of the run, and those of @qcode{"diagnostics"}, are
## evaluation points too.  @var{tol} applies to the full-batch loss there.
## @item @qcode{"validation"} (default @code{[]})
## @code{@{Xv, yv@}}: a held-out set whose loss, scaled to the training set
## as @code{(n / nv) * 0.5 * norm (f(W, a, Xv) - yv)^2}, is recorded in
## @code{hist.vloss} at the evaluation points.
## @item @qcode{"gtol"} (default 0: none)
## Stop (reason @qcode{"gtol"}) when the norm of the full-batch gradient is
## <= @var{gtol}: checked at every step in full batch, at the evaluation
## points with mini-batches (where it costs a gradient pass over all rows).
## @item @qcode{"form"} (default @qcode{"auto"})
## How a step is computed.  @qcode{"primal"}: from W, two products with
## @var{X} (@code{4*nb*d*m} flops for a batch of nb rows).
## @qcode{"kernel"}: for the rules whose steps are combinations of gradients
## (gd, adagrad-norm, adaloss, momentum, nesterov; not the per-coordinate
## rules nor a function rule) every iterate is W0 plus a combination of the
## rows of @var{X}, and the loop keeps @code{Z = X*W'} and those coefficients
## (n-by-m each) instead of W: one product with @code{K = X*X'} a step
## (@code{2*n*nb*m} flops), W formed only where it is needed (the end of a
## call, checkpoints, the output function, the diagnostics' movement, the
## validation loss).  Both give the same trajectory up to round-off
## (@code{doc/theory.md}, "The kernel form"), for any loss and K outputs
## (the coefficients then carry the output weights).
## @qcode{"event"}: full batch, one output, the squared loss and a rule whose
## step is @code{W -= s*G} with no state array (gd, adagrad-norm, adaloss,
## wngrad, polyak): the loop advances the outputs,
## @code{u(k+1) = u(k) - s_k H(W(k)) e(k)} exactly while the activation
## pattern holds, and evaluates an entry of @code{Z = X*W'} only when a
## bound on its movement says it may have changed sign; each sign change
## (flip) updates u and H as an event (@code{doc/theory.md}, "The event
## form").  A step costs two passes over n-by-n matrices plus 4n flops per
## entry evaluated; each call forms K, @code{X*W'} and H at its start (about
## one kernel-form step) and W at its end.  Its memory: four n-by-m arrays
## (Z at the anchor, V, its reference C, the thresholds), H and K (n-by-n),
## W at the anchor and the pattern; @code{hist.evals} and
## @code{hist.events} count, per call of the C loop, the entries evaluated
## (the n*m of each anchor included) and the flips handled; the effective
## step is |s| itself.  @qcode{"auto"} takes the kernel form when the rule
## allows it, its flop count for the run is smaller and its memory (about
## @code{3*(1 + na)} n-by-m arrays and K, na the state arrays) fits; then
## the event form when the rule and settings allow it, its memory fits and
## a cost model from its measured times (an exact evaluation costs about
## what @code{30n + 5000} flops of the products do, and a step evaluates at
## most 1% of the n*m entries) puts it under half of the other's cost;
## @code{hist.form} says which ran.  The network keeps the kernel
## or event form's state in @code{net.kernel}, so that a continuation or a
## resume goes on bitwise as if never stopped.
## @item @qcode{"reform"} (default 1000)
## The kernel and event forms compute Z afresh from W (@code{X*W'}; the
## event form H and u too) at the iterations
## that are multiples of this (0: never), which bounds the drift of the
## updated Z from @code{X*W'}; the trajectory does not depend on the calls
## a run is cut into nor on the thread count.
## @end table
##
## The run's precision is that of @var{X}: with a single @var{X}, @var{y},
## the weights and the state arrays are converted to single and the products
## use single-precision BLAS, while b, the loss and the history are
## accumulated and returned in double.
##
## @var{net} has fields @code{W}, @code{a}, @code{W0} (the weights at
## iteration 0), @code{iter} (iterations so far), @code{optimizer},
## @code{eta}, @code{params} (the rule's parameters), @code{state} (the
## optimizer state: @code{b}; @code{v}; @code{s}; @code{t}, @code{M} and
## @code{V}; or what a function rule keeps), @code{loss} (at @code{W}),
## @code{seed}, @code{seen} (rows used by the steps so far: the position in
## the mini-batch schedule, mid-epoch included), @code{batchseed} and
## @code{kernel} (the kernel form's state; empty after a run in the primal
## form).
##
## @var{hist} has one entry per iterate of this call, the starting one
## included (column vectors of equal length): @code{iter}, @code{loss}
## (the full-batch loss at that iterate; with mini-batches at the
## evaluation points only, NaN between), @code{batchloss} (the loss of the
## batch of the step from that iterate, @code{(n / nb) * 0.5 * norm (u_B -
## y_B)^2}: the loss itself in full batch; NaN at the last iterate of a
## mini-batch run), @code{epoch} (rows used before that iterate over
## @var{n}), @code{vloss} (the validation loss at the evaluation points,
## NaN elsewhere or without @qcode{"validation"}), @code{accuracy} and
## @code{vaccuracy} (where the targets are classes, computed in C with the
## loss, at the same iterates as @code{loss} and @code{vloss}; NaN elsewhere
## and for other targets: with one output, targets all +1 or -1, the
## fraction of the rows that @code{sign (u)} classifies right, with +1 for
## u = 0; with K outputs, labels (softmax) or one-hot rows, the fraction
## whose largest output, the first on a tie, is the label: the classes of
## @code{adagrad_predict}),
## @code{b} (after its update at that iteration; NaN for
## rules without b), @code{step} (the effective step that produced the
## iterate, one definition for every rule and form:
## @code{norm (W(k+1) - W(k), "fro") / norm (G(k), "fro")} with G(k) the
## gradient the step used (the batch's with mini-batches), measured on the
## iterates as stored (in single, on single W); NaN where ||G(k)|| = 0; in
## the kernel form computed from its state without forming W), @code{rate}
## (the rule's own scalar: @code{eta / b} for adagrad-norm and adaloss,
## @var{eta} for gd, momentum and nesterov, for the per-coordinate rules the
## median of the per-coordinate steps @code{eta ./ (sqrt (s) + epsilon)},
## for Adam @code{(eta / (1-beta1^t)) ./ (sqrt (V / (1-beta2^t)) + epsilon)};
## NaN for a rule written in Octave; for gd, adagrad-norm and adaloss
## @code{step} equals @code{rate} up to the rounding of W, for momentum it
## is @code{eta * ||v(k+1)|| / ||G(k)||}), @code{ratelo} and @code{ratehi}
## (its 10% and 90% quantiles for the per-coordinate rules, each within a
## relative 2^-9; equal to @code{rate} otherwise; step and the rates NaN at
## iteration 0, which no step produced: the rules with b update it before
## they step, so their first step is @code{eta / b(2)}, never
## @code{eta / b0}; a continued network's first
## entry is the step that produced its iterate), @code{gnorm} (the Frobenius norm of the gradient at the
## iterate, of the batch's gradient with mini-batches; the full gradient at
## the last iterate) and @code{time} (seconds since the call began); @code{diag}, the
## diagnostics above (empty unless asked for); @code{stop}, the reason the
## run ended: @qcode{"converged"}, @qcode{"gtol"}, @qcode{"maxiter"},
## @qcode{"diverged"}, @qcode{"stopped"} or @qcode{"zerogradient"} (full
## batch: the gradient became exactly zero at a loss above zero, every
## hidden unit inactive on every row, so that no step can move W; with a
## warning @code{adagrad:zerogradient}); the settings (@code{optimizer},
## @code{eta}, @code{params}, @code{b0} (NaN for rules without it),
## @code{width}, @code{n}, @code{d}, @code{sampling} (@qcode{"full"},
## @qcode{"shuffle"}, @qcode{"replace"} or @qcode{"given"}),
## @code{batchsize}, @code{form}: @qcode{"primal"}, @qcode{"kernel"} or @qcode{"event"},
## @code{evals} and @code{events} (the event form's work per call, above),
## @code{lossname}: the @qcode{"loss"} option), @code{threads} (the thread
## counts the run's calls of the C loop ran on, sorted; those of a continued
## @qcode{"history"} included), @code{blas} (@code{version ("-blas")}) and
## @code{blascore} (OpenBLAS's core in use, e.g. @qcode{"Haswell"}, from
## that string; @qcode{""} for another BLAS),
## @code{batches} with @qcode{"recordbatches"}, and a
## @code{label} for plots.
##
## A loss that becomes NaN or Inf ends the run with reason
## @qcode{"diverged"} and a warning (identifier @code{adagrad:diverged}); the
## last state with a finite loss is returned.
##
## Before any work, the call's arrays (the new or converted network, its
## state, the C loop's copies, the Gram matrices of @qcode{"gramevery"}) are
## sized against what this process may still use (its cgroup memory limit,
## @code{ulimit -v}, the machine's available memory): a call that cannot fit
## is the error @code{adagrad:nomemory} at once.
##
## Ctrl-C stops a run within a second at ordinary sizes (the C loop looks
## between pieces of at most 2^29 flops or 2^24 entries of W, then W and the
## state are copied back to Octave) with an error of identifier
## @code{adagrad:interrupted}
## that try/catch can catch, after the state is written to the checkpoint when
## there is one; without a checkpoint, the run so far is written to a
## recovery file in @code{tempdir} (named, with its size and the
## @code{adagrad_resume} call that continues it, in the error message; not
## written, with a note, when the disk there has no room for it).  Ctrl-C
## inside the package's functions called from an output function or a rule
## written in Octave is the same interrupt.  An output function or a
## checkpoint write that is running when Ctrl-C comes finishes first; a third Ctrl-C ends it at once (Octave's
## own interrupt).  Other signals get Octave's own answer once the run has
## written its checkpoint: SIGTERM, SIGHUP and SIGQUIT end Octave (exit
## status 1), others (SIGCHLD, SIGUSR1, ...) leave the run going on to the
## same result.
##
## @example
## [X, y] = adagrad_data (200, 20, "seed", 1);
## [net, hist] = adagrad_train (X, y, "width", 2000, "b0", 0.1);
## adagrad_plot (hist);
## @end example
## @seealso{adagrad_init, adagrad_gradient, adagrad_step, adagrad_plot, adagrad_data}
## @end deftypefn

function [net, hist] = adagrad_train (varargin)
  fname = "adagrad_train";
  __adagrad_built__ (fname);
  if (nargin < 2 || (isstruct (varargin{1}) && nargin < 3))
    __adagrad_usage__ ("adagrad_train");
  endif
  if (isstruct (varargin{1}))
    [net, X, y, args] = deal (varargin{1}, varargin{2}, varargin{3}, varargin(4:end));
  else
    [net, X, y, args] = deal ([], varargin{1}, varargin{2}, varargin(3:end));
  endif
  defaults = struct ("width", 1000, "optimizer", __adagrad_optimizer__ ("default"),
                     "eta", [], "maxiter", 1000,
                     "tol", 1e-12, "seed", [], "init", [], "display", "off",
                     "outputfcn", [], "outputevery", 1, "threads", 0, "diagnostics", 0,
                     "gramevery", 0, "history", [], "checkpoint", "",
                     "checkpointevery", 0, "checkpointseconds", 60,
                     "batchsize", [], "sampling", "shuffle", "batches", [],
                     "recordbatches", false, "evalevery", [], "validation", [], "gtol", 0,
                     "form", "auto", "reform", 1000, "historyevery", 1,
                     "loss", __adagrad_optimizer__ ("defaultloss"), "params", [],
                     "outputs", [], "classes", false);
  defaults = __adagrad_optimizer__ ("options", defaults);
  [opts, given] = __adagrad_options__ (fname, defaults, args{:});
  gparams = __adagrad_optimizer__ ("given", opts);

  X = __adagrad_check__ (fname, "X", X, "matrix", [NaN NaN]);
  y = __adagrad_check__ (fname, "Y", y, "targets", size (X));
  scale_warning (fname, X);
  [n, d] = size (X);
  eta = [];
  if (! isempty (opts.eta))
    eta = __adagrad_check__ (fname, "ETA", opts.eta, "nonnegative");
  endif
  maxiter = __adagrad_check__ (fname, "MAXITER", opts.maxiter, "count");
  tol = __adagrad_check__ (fname, "TOL", opts.tol, "nonnegative");
  display = __adagrad_check__ (fname, "DISPLAY", opts.display, "choice",
                               {"off", "final", "iter"});
  every = __adagrad_check__ (fname, "OUTPUTEVERY", opts.outputevery, "posint");
  threads = __adagrad_check__ (fname, "THREADS", opts.threads, "threads");
  lossname = __adagrad_check__ (fname, "LOSS", opts.loss, "choice",
                                __adagrad_optimizer__ ("losses"));
  classes = __adagrad_check__ (fname, "CLASSES", opts.classes, "logical");
  diagnostics = __adagrad_check__ (fname, "DIAGNOSTICS", opts.diagnostics, "count");
  gram_every = __adagrad_check__ (fname, "GRAMEVERY", opts.gramevery, "count");
  opts.seed = __adagrad_check__ (fname, "SEED", opts.seed, "seed");
  outputfcn = opts.outputfcn;
  if (! isempty (outputfcn) && ! is_function_handle (outputfcn))
    error ("adagrad:badinput",
           "%s: OUTPUTFCN must be a function handle or empty", fname);
  endif

  draw = "random";
  if (ischar (opts.init))
    if (! isempty (net))
      error ("adagrad:badinput",
             "%s: INIT \"%s\" says how a new network is drawn; it cannot be given with an initial network",
             fname, opts.init);
    endif
    [draw, opts.init] = deal (opts.init, []);
  endif
  if (! isempty (opts.init))
    if (! isempty (net))
      error ("adagrad:badinput",
             "%s: give the initial network either as first argument or as INIT, not both",
             fname);
    endif
    net = opts.init;
  endif
  if (isempty (net))
    width = __adagrad_check__ (fname, "WIDTH", opts.width, "posint");
    opt = __adagrad_optimizer__ ("resolve", fname, opts.optimizer, eta, gparams, []);
    fits (fname, width, d, opt.rule, class (X), "", ! isempty (opts.checkpoint));
    net = __adagrad_net__ ("draw", fname, d, width, opt, opts.seed, draw,
                           outputs (fname, opts.outputs, y, lossname, classes));
  else
    ## Before the checks, which pass over W: a network to convert to the
    ## class of X must fit.
    if (isstruct (net) && isscalar (net) && isfield (net, "W") && isfloat (net.W)
        && ! strcmp (class (net.W), class (X)))
      rule = __adagrad_optimizer__ ("default");
      if (isfield (net, "optimizer"))
        rule = net.optimizer;
      endif
      fits (fname, rows (net.W), d, rule, class (X), class (net.W), ! isempty (opts.checkpoint));
    endif
    net = __adagrad_net__ ("check", fname, net, d);
    for fixed = {"width", "seed", "outputs"}
      if (isfield (given, fixed{1}))
        error ("adagrad:badinput",
               "%s: %s cannot be given with an initial network (it fixes the weights)",
               fname, toupper (fixed{1}));
      endif
    endfor
    net = override (fname, net, opts, given, gparams);
  endif

  ## The run's precision is that of X.
  cls = class (X);
  y = cast (y, cls);
  [bt, maxiter] = __adagrad_batching__ (fname, opts, given, X, net, maxiter);
  ## What the loss takes as targets (the C table's word): +1/-1 labels for
  ## the logistic loss, checked here so that the error names the argument.
  K = columns (net.a);
  ygiven = y;   # what a checkpoint fingerprints (labels with CLASSES)
  y = __adagrad_optimizer__ ("targets", fname, lossname, "Y", y, K, classes);
  bt.yv = __adagrad_optimizer__ ("targets", fname, lossname, "VALIDATION{2} (yv)", bt.yv, K,
                                 classes);
  if (net.iter + maxiter > 1e15)
    error ("adagrad:badinput",
           "%s: MAXITER must be at most 1e15 - %d (the C core counts a run's iterations below 1e15; the network has %d)",
           fname, net.iter, net.iter);
  endif
  if (isempty (net.seen))
    net.seen = net.iter * n;
  endif
  if (! strcmp (bt.sampling, "full") && isempty (net.batchseed))
    ## No seed anywhere: the schedule's seed comes from the global generator,
    ## once; the network keeps it, so that a resumed run goes on with it.
    net.batchseed = floor (rand () * 2^32);
  endif
  ## W0 stays one array with W where it was (a new network): half the memory
  ## of two copies in single.
  same = net.iter == 0 && isequal (net.W0, net.W);
  [net.W, net.a] = deal (cast (net.W, cls), cast (net.a, cls));
  if (same)
    net.W0 = net.W;
  else
    net.W0 = cast (net.W0, cls);
  endif
  net.state = __adagrad_optimizer__ ("cast", net.optimizer, net.state, cls);
  ## A history of 0.9 or earlier recorded the rule's rate as its step.
  e = __adagrad_optimizer__ ("info", net.optimizer);
  kind = merge (is_function_handle (net.optimizer), "external",
                merge (e.along_gradient, "along", "other"));
  prior = __adagrad_history__ ("check", fname, opts.history, net.iter, kind);
  ckpt = opts.checkpoint;
  if (! ischar (ckpt) || ! (isrow (ckpt) || isempty (ckpt)))
    error ("adagrad:badinput", "%s: CHECKPOINT must be a file name", fname);
  endif
  ck_every = __adagrad_check__ (fname, "CHECKPOINTEVERY", opts.checkpointevery, "count");
  ck_seconds = __adagrad_check__ (fname, "CHECKPOINTSECONDS", opts.checkpointseconds,
                                  "positive");
  if (gram_every > 0)
    ## H(W), n-by-n, with the eigenvalue solver's copy and workspace.
    try
      __adagrad_fits__ (fname, 24 * n^2,
                        "the option GRAMEVERY (the n-by-n Gram matrix H(W) at n = %d, every %d iterations)",
                        n, gram_every);
    catch err
      error (err.identifier,
             "%s; turn it off (\"gramevery\", 0) or use fewer samples (its memory grows as n^2)",
             err.message);
    end_try_catch
  endif
  if (! isempty (ckpt))
    ## Before any work: the folder must take the file; temporaries of killed
    ## runs of this checkpoint go.
    __adagrad_checkpoint__ ("probe", fname, ckpt);
    __adagrad_checkpoint__ ("clean", ckpt);
  endif
  reform = __adagrad_check__ (fname, "REFORM", opts.reform, "count");
  hist_every = __adagrad_check__ (fname, "HISTORYEVERY", opts.historyevery, "posint");
  ## The history's memory, with the records of the C loop's calls and the
  ## copies of a finished history (measured on a run of a small network:
  ## 283 bytes resident an iterate at 1e6 iterations, 343 bytes of address
  ## space at 3e6, which ulimit -v counts).
  kept = ceil (maxiter / hist_every) + 1;
  __adagrad_fits__ (fname, 400 * kept,
                    "the history of %d iterations (about 400 bytes each; \"historyevery\" keeps every k-th)",
                    kept);
  seconds = call_seconds (ckpt, ck_seconds, threads, numel (net.W));
  form = __adagrad_form__ (fname, opts.form, net, n, d, cls, bt, maxiter, diagnostics, reform,
                      seconds, lossname);
  if (! any (strcmp (form, {"kernel", "event"})) || ! isfield (net, "kernel"))
    net.kernel = [];
  endif
  s = struct ("tol", tol, "maxiter", maxiter, "display", display,
              "outputfcn", outputfcn, "outputevery", every, "threads", threads,
              "diagnostics", diagnostics, "gramevery", gram_every, "prior", prior,
              "checkpoint", ckpt, "checkpointevery", ck_every, "checkpointseconds", ck_seconds,
              "target", net.iter + maxiter, "batch", bt, "form", form, "reform", reform,
              "seconds", seconds, "historyevery", hist_every,
              "run_id", run_id (), "loss", lossname, "classes", classes);
  if (! isempty (ckpt))
    ## Once for the run: every checkpoint records it (376 MB of X take 2.3 s
    ## to hash here).
    s.data = __adagrad_fingerprint__ (X, ygiven);
  endif
  [net, hist] = __adagrad_run__ (net, X, y, s);
endfunction

## The theory (and the default initialization, w_r ~ N(0, I)) take rows of
## unit norm; rows of norm above 100 (raw pixels, say) or all below 0.01 are
## warned about: one step from such rows can make every unit inactive, or
## do next to nothing.
function scale_warning (fname, X)
  r = sqrt (sumsq (X, 2));
  r = r(r > 0);
  if (! isempty (r) && (max (r) > 100 || max (r) < 0.01))
    warning ("adagrad:scale",
             ["%s: the rows of X have norms from %.3g to %.3g; the theory assumes unit ", ...
              "norm, and a step from rows this far from it can make every hidden unit ", ...
              "inactive (or do next to nothing): divide each row by its norm, ", ...
              "X ./ sqrt (sumsq (X, 2))"], fname, min (r), max (r));
  endif
endfunction

## A name for this call of adagrad_train (16 hex digits: the process and the
## microsecond clock), for the files of its checkpoint's history chunks; the
## global random generators are left as they are.
## K, the outputs of a new network: OUTPUTS when given; else the classes
## (the largest label) for a loss of labels or with CLASSES, and the columns
## of Y otherwise.
function K = outputs (fname, given, y, lossname, classes)
  if (! isempty (given))
    K = __adagrad_check__ (fname, "OUTPUTS", given, "posint");
  elseif (classes || strcmp (__adagrad_optimizer__ ("loss", lossname).targets, "class"))
    K = max (1, max (fix (y(:))));
  else
    K = columns (y);
  endif
endfunction

function id = run_id ()
  id = sprintf ("%08x%08x", mod (getpid (), 2^32), mod (double (tic ()), 2^32));
endfunction

## The longest a call of the C loop runs before it returns to this loop
## (Inf: no limit): the checkpoint interval, and 10 s when the loop chooses
## its thread count from the load (threads = 0): calls of at most 10 s
## follow a changing load (the results do not depend on it; each call
## copies W, cheap at that size).  The progress line does not cut calls: the
## loop prints it itself.
function seconds = call_seconds (ckpt, ck_seconds, threads, count)
  seconds = Inf;
  if (! isempty (ckpt))
    seconds = min (seconds, ck_seconds);
  endif
  if (threads == 0 && count <= 1e7)
    seconds = min (seconds, 10);
  endif
endfunction


## Before any work: whether a network of width M for inputs in R^D, trained
## by RULE in precision CLS, fits in what this process may still use: a new
## one (FROM empty), drawn in double, or one converted from class FROM.  Peak
## bytes: the draw (W in double and its copy in CLS), or the run: W and W0 in
## CLS (one array until the first step for a new network), the state arrays,
## and the C loop's output copies and workspace (a second W and state, a copy
## of each).
function fits (fname, m, d, rule, cls, from, checkpoint)
  md = m * d;
  elem = 8 - 4 * strcmp (cls, "single");
  na = 0;
  try
    na = numel (__adagrad_optimizer__ ("info", rule).arrays);
  catch
    ## Not a rule: the checks that follow say so.
  end_try_catch
  draw = 0;
  if (isempty (from))
    draw = 8 * md + (elem == 4) * 4 * md;
  endif
  keep = elem * md * (2 + na);
  ## A checkpoint's read-back holds one m-by-d array at a time.
  keep += checkpoint * elem * md;
  __adagrad_fits__ (fname, max (draw, keep + elem * md * (2 + 2 * na)),
                    "a network of width %d on %d inputs in %s", m, d, cls);
endfunction


## A new network of width M for inputs in R^D, trained by OPT.

## Options given with a network override what it stores: the rule (a new one
## starts from its initial state), eta and the parameters; a parameter that
## only sets the initial state (b0) restarts it, which a trained network
## refuses.
function net = override (fname, net, opts, given, gparams)
  rule = net.optimizer;
  if (isfield (given, "optimizer"))
    rule = opts.optimizer;
  endif
  eta = net.eta;
  if (isfield (given, "eta"))
    eta = opts.eta;
  elseif (! (ischar (rule) && ischar (net.optimizer) && strcmpi (rule, net.optimizer))
          && ! isequal (rule, net.optimizer))
    eta = [];   # a new rule: its own default
  endif
  ## A function rule that is not the network's keeps none of its parameters.
  base = net.params;
  if (is_function_handle (rule) && ! isequal (rule, net.optimizer))
    base = [];
  endif
  opt = __adagrad_optimizer__ ("resolve", fname, rule, eta, gparams, base);
  restart = ! isequal (opt.rule, net.optimizer);
  info = __adagrad_optimizer__ ("info", opt.rule);
  for p = info.params(:)'
    if (p.init_only && ! isempty (gparams.(p.name)))
      if (net.iter > 0)
        error ("adagrad:badinput",
               "%s: %s cannot be changed when resuming a trained network (net.iter = %d)",
               fname, upper (p.name), net.iter);
      endif
      restart = true;
    endif
  endfor
  [net.optimizer, net.eta, net.params] = deal (opt.rule, opt.eta, opt.params);
  if (restart)
    net.state = __adagrad_optimizer__ ("state", opt, rows (net.W), columns (net.W),
                                       class (net.W));
  endif
endfunction


%!demo
%! ## AdaLoss from a tiny b0 reaches the global minimum; the progress line updates in place.
%! [X, y] = adagrad_data (100, 20, "seed", 1);
%! [net, hist] = adagrad_train (X, y, "width", 1000, "b0", 0.01, "alpha", 0.1,
%!                              "maxiter", 2000, "tol", 1e-10, "display", "iter", "seed", 2);
%! printf ("stopped: %s after %d iterations, loss %.3e\n", hist.stop, net.iter, net.loss);
%! adagrad_plot (hist);

%!shared X, y
%! [X, y] = adagrad_data (40, 5, "seed", 1);

%!test
%! ## The trajectory is that of adagrad_gradient and adagrad_step in a loop, for
%! ## every rule (tests/test_parity.m compares with the plain reference in tests/).
%! ## Schedule-free takes its gradient at y (state.y once it has stepped).
%! for opt = __adagrad_optimizer__ ("names")
%!   [net, h] = adagrad_train (X, y, "width", 300, "optimizer", opt{1}, "eta", 0.05,
%!                             "maxiter", 30, "tol", 0, "seed", 2);
%!   [W, state] = deal (net.W0, adagrad_init (5, 300, "optimizer", opt{1}).state);
%!   for k = 1:30
%!     Wg = W;
%!     if (strcmp (opt{1}, "schedule-free") && k > 1)
%!       Wg = state.y;
%!     endif
%!     [G, L] = adagrad_gradient (Wg, net.a, X, y);
%!     assert (L, h.loss(k), 1e-12 * L);
%!     [W, state] = adagrad_step (W, G, state, opt{1}, net.params, "eta", 0.05,
%!                                "resnorm", sqrt (2 * L), "n", 40);
%!   endfor
%!   assert (net.W, W, 1e-12 * norm (W, "fro"));
%!   for f = fieldnames (state)'
%!     assert (net.state.(f{1}), state.(f{1}), 1e-12 * norm (state.(f{1})(:)));
%!   endfor
%! endfor

%!test
%! ## A rule written in Octave: heavy ball by hand gives the built-in momentum.
%! [nref, href] = adagrad_train (X, y, "width", 200, "optimizer", "momentum", "eta", 0.05,
%!                               "momentum", 0.8, "maxiter", 40, "tol", 0, "seed", 3);
%! hb = @(W, G, s, info) deal (W - info.eta * (0.8 * s + G), 0.8 * s + G);
%! net0 = adagrad_init (5, 200, "seed", 3, "optimizer", hb, "eta", 0.05);
%! net0.state = zeros (200, 5);
%! [net, h] = adagrad_train (net0, X, y, "maxiter", 40, "tol", 0, "diagnostics", 10);
%! assert (net.W, nref.W, 1e-12 * norm (nref.W, "fro"));
%! assert (net.state, nref.state.v, 1e-12 * norm (nref.state.v, "fro"));
%! assert (h.loss, href.loss, 1e-12 * href.loss(1));
%! assert (h.gnorm, href.gnorm, 1e-12 * href.gnorm(1));
%! ## Its effective step ||W(k+1) - W(k)|| / ||G(k)||, the built-in
%! ## momentum's (one definition for every rule: the same curve); its rate
%! ## NaN (the built-in's is eta).  Diagnostics as in C.
%! assert (h.step, href.step, 1e-10 * max (href.step));
%! assert (h.step(2), 0.05, 1e-12);
%! assert (h.step(end) > 2 * 0.05);
%! assert (all (isnan (h.rate)) && all (href.rate(2:end) == 0.05));
%! ## By hand: W(k) and W(k+1) from runs of k and k + 1 steps, G(k) at W(k).
%! [n5, h5] = adagrad_train (X, y, "width", 200, "optimizer", "momentum", "eta", 0.05,
%!                           "momentum", 0.8, "maxiter", 5, "tol", 0, "seed", 3);
%! [n6, h6] = adagrad_train (X, y, "width", 200, "optimizer", "momentum", "eta", 0.05,
%!                           "momentum", 0.8, "maxiter", 6, "tol", 0, "seed", 3);
%! G5 = adagrad_gradient (n5.W, n5.a, X, y);
%! assert (h6.step(7), norm (n6.W - n5.W, "fro") / norm (G5, "fro"), 1e-12 * h6.step(7));
%! assert (h6.step(7), 0.05 * norm (n6.state.v, "fro") / norm (G5, "fro"), 1e-10 * h6.step(7));
%! [~, hd] = adagrad_train (X, y, "width", 200, "optimizer", "momentum", "eta", 0.05,
%!                          "momentum", 0.8, "maxiter", 40, "tol", 0, "seed", 3, "diagnostics", 10);
%! assert (h.diag.iter, hd.diag.iter);
%! assert ([h.diag.flips h.diag.move h.diag.dist], [hd.diag.flips hd.diag.move hd.diag.dist], 1e-12);
%! ## An anonymous rule's source is no label: it is "@anonymous".
%! assert (h.label, "@anonymous, eta = 0.05, m = 200");
%! ## Resuming continues with the state the function returned.
%! [n1, h1] = adagrad_train (net0, X, y, "maxiter", 20, "tol", 0);
%! [n2, h2] = adagrad_train (n1, X, y, "maxiter", 20, "tol", 0, "history", h1);
%! assert (isequal (n2.W, net.W) && isequal (h2.loss, h.loss));

%!test
%! ## One loop for every rule: gradient descent written in Octave gives the
%! ## bits of the built-in one, full batch and mini-batches; its state comes
%! ## back with the iterate the run returns (also after the rollback of a
%! ## divergence); the output function is called from inside the loop at the
%! ## same iterates; the rule sees the outputs and targets of its batch.
%! gd = @(W, G, s, info) deal (W - info.eta * G, s + 1);
%! for bs = {{}, {"batchsize", 7}}
%!   show = @(n, i) fprintf ("%d:%.17g ", i.iter, i.loss) < 0;
%!   out1 = evalc ('[n1, h1] = adagrad_train (X, y, "width", 30, "optimizer", "gd", "eta", 0.02, "maxiter", 25, "tol", 0, "seed", 4, "outputfcn", show, "outputevery", 5, bs{1}{:});');
%!   net0 = adagrad_init (5, 30, "seed", 4, "optimizer", gd, "eta", 0.02);
%!   net0.state = 0;
%!   out2 = evalc ('[n2, h2] = adagrad_train (net0, X, y, "maxiter", 25, "tol", 0, "outputfcn", show, "outputevery", 5, bs{1}{:});');
%!   assert (isequal (n2.W, n1.W) && isequaln (h2.loss, h1.loss) && isequal (h2.gnorm, h1.gnorm));
%!   assert (isequaln (h2.batchloss, h1.batchloss) && isequal (h2.epoch, h1.epoch));
%!   assert (n2.state, 25);
%!   assert (out2, out1);
%!   assert (numel (strsplit (strtrim (out1), " ")), 6);   # init, 5, 10, 15, 20, done
%! endfor
%! seen = @(W, G, s, info) deal (W - info.eta * G, [s; numel(info.y), abs(info.loss - 0.5 * sumsq (double (info.u - info.y)) * info.n / numel (info.y)) / info.loss]);
%! net0 = adagrad_init (5, 30, "seed", 4, "optimizer", seen, "eta", 0.02);
%! net0.state = zeros (0, 2);
%! n3 = adagrad_train (net0, X, y, "maxiter", 8, "tol", 0, "batchsize", 15);
%! assert (n3.state(:, 1)', [15 15 10 15 15 10 15 15]);
%! assert (max (n3.state(:, 2)) < 1e-12);
%! warning ("off", "adagrad:diverged", "local");
%! net0 = adagrad_init (5, 30, "seed", 4, "optimizer", gd, "eta", 1e4);
%! net0.state = 0;
%! [n4, h4] = adagrad_train (net0, X, y, "maxiter", 500, "tol", 0);
%! assert (h4.stop, "diverged");
%! assert (n4.state, n4.iter);

%!test
%! ## A rule written in Octave sees its batch's rows, the oracle (the loss
%! ## and gradient at a trial W on that batch, as the step's: full batch the
%! ## same bits) and its own parameters, kept in the network.
%! f = @(W, G, s, info) deal (W - info.params.lr * G, ...
%!   [s; {info.rows, info.oracle(W), nthargout(2, info.oracle, W), G, info.loss, info.params}]);
%! opts = {"optimizer", f, "params", struct("lr", 0.02, "tag", "t"), "width", 30, "tol", 0, ...
%!         "seed", 4, "maxiter", 4};
%! [n1, h1] = adagrad_train (X, y, opts{:});
%! assert (n1.params, struct ("lr", 0.02, "tag", "t"));
%! assert (size (n1.state), [4 6]);
%! for k = 1:4
%!   [r, L, G2, G, l, p] = n1.state{k, :};
%!   assert (r, (1:40)');
%!   assert (isequal (G2, G) && L == l && L == h1.loss(k));
%!   assert (p, n1.params);
%! endfor
%! ## Kept: the network goes on with them (bitwise as one run); PARAMS changes them.
%! [n2, h2] = adagrad_train (X, y, opts{:}, "maxiter", 2);
%! n2 = adagrad_train (n2, X, y, "maxiter", 2, "tol", 0);
%! assert (isequal (n2.W, n1.W));
%! n3 = adagrad_train (n1, X, y, "maxiter", 1, "params", struct ("lr", 0));
%! assert (isequal (n3.W, n1.W) && n3.params.lr == 0);
%! ## Mini-batches: the rows are the batch's (as recordbatches gives them), the
%! ## oracle scales by n/nb as the step does.
%! [n4, h4] = adagrad_train (X, y, opts{:}, "batchsize", 15, "sampling", "replace",
%!                           "recordbatches", true, "maxiter", 3);
%! for k = 1:3
%!   [r, L, G2, G, l] = n4.state{k, 1:5};
%!   assert (r, double (h4.batches(k, :)'));
%!   assert (abs (L - l) < 1e-12 * l && norm (G2 - G, "fro") < 1e-12 * norm (G, "fro"));
%! endfor
%! ## An oracle given a wrong W says so.
%! bad = @(W, G, s, info) deal (info.oracle (W(1, :)), s);
%! fail ("adagrad_train (X, y, 'optimizer', bad, 'width', 30, 'maxiter', 1)",
%!       "info.oracle: W must be a real 30-by-5 matrix");

%!error <PARAMS.g must be numeric, logical or text> adagrad_train (X, y, "optimizer", @(W, G, s, i) deal (W, s), "params", struct ("g", @sin), "maxiter", 1)
%!error <PARAMS must be a scalar struct> adagrad_train (X, y, "params", 3, "maxiter", 1)
%!error <B0 is given both as an option and in PARAMS> adagrad_train (X, y, "optimizer", "adaloss", "params", struct ("b0", 0.5), "b0", 1, "maxiter", 1)
%!error <the adaloss rule has no parameter ZZ> adagrad_train (X, y, "optimizer", "adaloss", "params", struct ("zz", 0.5), "maxiter", 1)
%!function [W, t] = armijo (W, G, t, info)
%!  t = info.eta;
%!  g2 = sumsq (G(:));
%!  while (info.oracle (W - t * G) > info.loss - info.params.c * t * g2)
%!    t *= info.params.beta;
%!  endwhile
%!  W -= t * G;
%!endfunction
%!test
%! ## README's line search: Armijo backtracking from eta = 100 converges, every
%! ## step downhill, where gradient descent with that eta diverges.
%! [X1, y1] = adagrad_data (100, 20, "seed", 1);
%! [n1, h1] = adagrad_train (X1, y1, "optimizer", @armijo, "eta", 100, "seed", 2,
%!                           "params", struct ("c", 0.5, "beta", 0.5));
%! assert (h1.stop, "converged");
%! assert (all (diff (h1.loss) < 0));
%! assert (numel (h1.loss) - 1 < 200);
%! assert (any (n1.state == 100 ./ 2 .^ (0:20)));
%! warning ("off", "adagrad:diverged", "local");
%! [~, h2] = adagrad_train (X1, y1, "optimizer", "gd", "eta", 100, "seed", 2);
%! assert (h2.stop, "diverged");
%!test
%! ## A built-in rule's PARAMS: its fields as the options of their names.
%! n1 = adagrad_train (X, y, "optimizer", "adaloss", "params", struct ("b0", 0.5), "width", 20,
%!                     "maxiter", 3, "seed", 1);
%! n2 = adagrad_train (X, y, "optimizer", "adaloss", "b0", 0.5, "width", 20, "maxiter", 3, "seed", 1);
%! assert (isequal (n1.W, n2.W) && isequal (n1.params, n2.params));

%!test
%! ## Resume K + K = 2K bitwise for every built-in rule, state included.
%! for opt = __adagrad_optimizer__ ("names")
%!   args = {"width", 150, "optimizer", opt{1}, "eta", 0.05, "tol", 0};
%!   [n1, h1] = adagrad_train (X, y, args{:}, "maxiter", 15, "seed", 4);
%!   [n2, h2] = adagrad_train (n1, X, y, "maxiter", 15, "history", h1);
%!   [n3, h3] = adagrad_train (X, y, args{:}, "maxiter", 30, "seed", 4);
%!   assert (isequal (n2.W, n3.W) && isequal (n2.state, n3.state), opt{1});
%!   assert (isequal (h2.loss, h3.loss) && isequaln (h2.step, h3.step), opt{1});
%!   assert (isequaln (h2.b, h3.b) && isequaln ([h2.rate h2.ratehi], [h3.rate h3.ratehi]), opt{1});
%! endfor

%!test
%! ## No step produced iteration 0: its step is NaN; step k+1 is the one that
%! ## produced iterate k, eta/b(k) with b updated first (b(2) has absorbed
%! ## the first gradient: sqrt (b0^2 + ||G(0)||^2)); a continued network's
%! ## first entry is the step that produced its iterate.
%! [net, h] = adagrad_train (X, y, "width", 50, "optimizer", "adagrad-norm", "eta", 0.5,
%!                           "b0", 0.01, "maxiter", 5, "tol", 0, "seed", 1);
%! assert (isnan ([h.step(1) h.rate(1) h.ratelo(1) h.ratehi(1)]));
%! assert (h.rate(2:end), 0.5 ./ h.b(2:end), 1e-15);
%! assert (h.step(2:end), h.rate(2:end), 1e-9 * h.rate(2));
%! assert (h.b(2), hypot (0.01, h.gnorm(1)), 1e-12 * h.b(2));
%! assert (h.step(2) < 0.5 / 0.01);
%! [~, h2] = adagrad_train (net, X, y, "maxiter", 2, "tol", 0);
%! assert (h2.rate(1), h.rate(end));
%! assert (h2.step(1), h.step(end), 1e-9 * h.step(end));
%! [~, hg] = adagrad_train (X, y, "width", 50, "optimizer", "gd", "eta", 0.05, "maxiter", 2,
%!                          "tol", 0, "seed", 1);
%! assert (hg.rate, [NaN; 0.05; 0.05]);
%! assert (hg.step, [NaN; 0.05; 0.05], 1e-14);

%!test
%! ## Every unit dead on every row: the gradient is exactly zero, and the run
%! ## stops at once with a reason and a warning of its own (every form); on
%! ## mini-batches one batch's zero gradient says nothing of the others.
%! net = adagrad_init (columns (X), 30, "seed", 1, "optimizer", "gd", "eta", 0.1);
%! net.W = -abs (net.W);
%! for form = {"primal", "kernel", "event"}
%!   lastwarn ("");
%!   [n1, h1] = adagrad_train (net, abs (X), y, "maxiter", 10, "tol", 0, "form", form{1});
%!   [~, id] = lastwarn ();
%!   assert ({h1.stop, n1.iter, id}, {"zerogradient", 0, "adagrad:zerogradient"});
%!   assert ([h1.gnorm, h1.loss], [0, 0.5 * sumsq(y)]);
%! endfor
%! warning ("off", "adagrad:zerogradient", "local");
%! [n2, h2] = adagrad_train (net, abs (X), y, "maxiter", 4, "tol", 0, "batchsize", 5);
%! assert ({h2.stop, n2.iter}, {"maxiter", 4});

%!test
%! ## Rows far from unit norm are warned about; the package's data are not.
%! lastwarn ("");
%! adagrad_train (X, y, "width", 10, "maxiter", 1);
%! assert (lastwarn (), "");
%! warning ("off", "adagrad:zerogradient", "local");
%! warning ("off", "adagrad:diverged", "local");
%! for s = [1e3, 1e-3]
%!   lastwarn ("");
%!   adagrad_train (s * X, y, "width", 10, "maxiter", 1);
%!   [msg, id] = lastwarn ();
%!   assert (id, "adagrad:scale");
%!   assert (! isempty (strfind (msg, "divide each row by its norm")));
%! endfor

%!test
%! ## The history records the threads the run used and the BLAS core.
%! [net, h] = adagrad_train (X, y, "width", 50, "maxiter", 3, "tol", 0, "threads", 1);
%! assert (h.threads, 1);
%! assert (h.blas, version ("-blas"));
%! if (! isempty (strfind (h.blas, "OpenBLAS")))
%!   assert (! isempty (h.blascore));
%!   assert (! isempty (regexp (h.blas, [h.blascore '\s+MAX_THREADS'], "once")));
%! endif
%! [~, h2] = adagrad_train (net, X, y, "maxiter", 2, "tol", 0, "threads", 2, "history", h);
%! assert (h2.threads, [1 2]);
%! ## A history from a file with a threads field that is not a count is not
%! ## carried on.
%! h.threads = "x";
%! [~, h3] = adagrad_train (net, X, y, "maxiter", 1, "tol", 0, "threads", 2, "history", h);
%! assert (h3.threads, 2);

%!test
%! ## Per-coordinate rules record the quantiles of their per-coordinate steps.
%! [net, h] = adagrad_train (X, y, "width", 100, "optimizer", "adam", "eta", 0.01,
%!                           "maxiter", 1, "tol", 0, "seed", 1);
%! st = 0.01 / (1 - 0.9) ./ (sqrt (net.state.V) / sqrt (1 - 0.999) + 1e-8);
%! q = sort (st(:));
%! N = numel (q);
%! assert ([h.ratelo(2) h.rate(2) h.ratehi(2)], q(ceil ([0.1 0.5 0.9] * N))', 2 ^ -9 * q(end));
%! assert (isnan ([h.b; h.step(1); h.rate(1)]));
%! ## Its effective step, a scalar like every rule's: ||W(1) - W(0)|| / ||G(0)||.
%! G0 = adagrad_gradient (net.W0, net.a, X, y);
%! assert (h.step(2), norm (net.W - net.W0, "fro") / norm (G0, "fro"), 1e-12 * h.step(2));
%! [net, h] = adagrad_train (X, y, "width", 100, "optimizer", "rmsprop", "eta", 0.01,
%!                           "maxiter", 3, "tol", 0, "seed", 1);
%! q = sort (0.01 ./ (sqrt (net.state.s(:)) + 1e-8));
%! assert ([h.ratelo(end) h.rate(end) h.ratehi(end)], q(ceil ([0.1 0.5 0.9] * N))', 2 ^ -9 * q(end));

%!test
%! ## The history: equal lengths, iterate-aligned, b never decreases, rate =
%! ## eta/b, the effective step the same up to the rounding of W.
%! [net, h] = adagrad_train (X, y, "width", 200, "optimizer", "adagrad-norm",
%!                           "eta", 0.5, "b0", 0.1, "maxiter", 40, "seed", 3);
%! assert (h.iter, (0:40)');
%! assert (size ([h.loss h.b h.step h.rate h.ratelo h.ratehi h.gnorm h.time]), [41 8]);
%! assert ([h.ratelo h.ratehi], [h.rate h.rate]);
%! assert (all (diff (h.b) >= 0));
%! assert (isnan ([h.step(1) h.rate(1)]));
%! assert (h.rate(2:end), 0.5 ./ h.b(2:end), eps);
%! assert (h.step(2:end), h.rate(2:end), 1e-9 * h.rate(2));
%! assert (h.b(1), 0.1);
%! assert (all (diff (h.time) >= 0));
%! ## b(k)^2 = b(k-1)^2 + ||G(k-1)||^2 for adagrad-norm.
%! assert (h.b(2:end) .^ 2, h.b(1:end-1) .^ 2 + h.gnorm(1:end-1) .^ 2, 1e-10 * h.b(end) ^ 2);
%! assert (h.stop, "maxiter");
%! assert ([net.iter net.state.b net.loss], [40 h.b(end) h.loss(end)]);
%! [G, L] = adagrad_gradient (net.W, net.a, X, y);
%! assert (L, net.loss, 1e-12 * L);
%! assert (h.gnorm(end), norm (G, "fro"), 1e-12 * norm (G, "fro"));
%! assert (h.label, "adagrad-norm, b0 = 0.1, m = 200");
%! assert ([h.n h.d h.width h.eta h.b0], [40 5 200 0.5 0.1]);
%! assert (h.params, struct ("b0", 0.1));

%!test
%! ## AdaLoss: b(k)^2 = b(k-1)^2 + alpha^2 sqrt(n) ||y - u(k-1)||.
%! [net, h] = adagrad_train (X, y, "width", 100, "alpha", 0.3, "maxiter", 20, "seed", 3);
%! assert (h.b(2:end) .^ 2, h.b(1:end-1) .^ 2 + 0.09 * sqrt (40) * sqrt (2 * h.loss(1:end-1)),
%!         1e-10 * h.b(end) ^ 2);

%!test
%! ## Resume: K iterations, then K more, equal 2K in one call.
%! for opt = {"gd", "adagrad-norm", "adaloss"}
%!   args = {"width", 150, "optimizer", opt{1}, "eta", 0.3, "tol", 0};
%!   if (! strcmp (opt{1}, "gd"))
%!     args(end+1:end+2) = {"b0", 0.2};
%!   endif
%!   [n1, h1] = adagrad_train (X, y, args{:}, "maxiter", 15, "seed", 4);
%!   [n2, h2] = adagrad_train (n1, X, y, "maxiter", 15);
%!   [n3, h3] = adagrad_train (X, y, args{:}, "maxiter", 30, "seed", 4);
%!   assert (n2.W, n3.W);
%!   assert (n2.state, n3.state);
%!   assert ([n2.iter n2.loss], [30 n3.loss]);
%!   assert (n2.W0, n3.W0);
%!   assert (h2.iter, (15:30)');
%!   assert ([h1.loss; h2.loss(2:end)], h3.loss);
%!   assert (isequaln ([h1.b; h2.b(2:end)], h3.b));
%! endfor

%!test
%! ## The history option: one history for a run made of two calls.
%! [n1, h1] = adagrad_train (X, y, "width", 100, "maxiter", 10, "seed", 6, "diagnostics", 4);
%! [n2, h2] = adagrad_train (n1, X, y, "maxiter", 10, "history", h1, "diagnostics", 4);
%! [n3, h3] = adagrad_train (X, y, "width", 100, "maxiter", 20, "seed", 6, "diagnostics", 4);
%! assert (isequal (n2.W, n3.W));
%! for f = {"iter", "loss", "b", "step", "gnorm"}
%!   assert (h2.(f{1}), h3.(f{1}));
%! endfor
%! assert (h2.diag.iter, (0:4:20)');
%! assert (h2.diag.dist, h3.diag.dist);
%! assert (all (diff (h2.time) >= 0));

%!test
%! ## Checkpoints: written every K iterations and at the end, atomically.
%! f = [tempname() ".ckpt"];
%! unwind_protect
%!   [net, h] = adagrad_train (X, y, "width", 100, "maxiter", 30, "seed", 6, "checkpoint", f,
%!                             "checkpointevery", 7);
%!   c = load (f).checkpoint;
%!   assert (isequal (c.net.W, net.W) && isequal (c.hist.loss, h.loss));
%!   assert (c.options.target, 30);
%!   ## No temporary file is left behind.
%!   assert (isempty (glob ([f ".tmp*"])));
%!   ## The same result as without checkpoints.
%!   n0 = adagrad_train (X, y, "width", 100, "maxiter", 30, "seed", 6);
%!   assert (isequal (n0.W, net.W));
%! unwind_protect_cleanup
%!   unlink (f);
%! end_unwind_protect

%!test
%! ## Accuracy where the targets are +1/-1: the fraction sign (u) gets right,
%! ## at W0 and at the last iterate against adagrad_predict; mini-batches at
%! ## the evaluation points only, with the validation's; NaN for real targets.
%! c = 2 * (y > 0) - 1;
%! [na, ha] = adagrad_train (X, c, "width", 60, "maxiter", 20, "tol", 0, "seed", 2,
%!                           "loss", "logistic");
%! [~, p0] = adagrad_predict (adagrad_init (columns (X), 60, "seed", 2), X);
%! [~, pk] = adagrad_predict (na, X);
%! assert (ha.accuracy([1 end]), [mean(p0 == c); mean(pk == c)]);
%! assert (all (isnan (ha.vaccuracy)));
%! [nb, hb] = adagrad_train (X, c, "width", 60, "maxiter", 20, "tol", 0, "seed", 2,
%!                           "batchsize", 8, "evalevery", 5, "validation", {X(1:10, :), c(1:10)});
%! known = ! isnan (hb.loss);
%! assert (isequal (known, ! isnan (hb.accuracy)) && isequal (! isnan (hb.vloss), ! isnan (hb.vaccuracy)));
%! [~, pb] = adagrad_predict (nb, X);
%! assert ([hb.accuracy(end) hb.vaccuracy(end)], [mean(pb == c) mean(pb(1:10) == c(1:10))]);
%! [~, hr] = adagrad_train (X, y, "width", 20, "maxiter", 3, "seed", 1);
%! assert (all (isnan ([hr.accuracy; hr.vaccuracy])));
%! ## A resume joins them.
%! [n1, h1] = adagrad_train (X, c, "width", 60, "maxiter", 10, "tol", 0, "seed", 2, "loss", "logistic");
%! [~, h2] = adagrad_train (n1, X, c, "maxiter", 10, "tol", 0, "history", h1, "loss", "logistic");
%! assert (h2.accuracy, ha.accuracy);
%! ## "init", "symmetric": paired units with opposite output weights, the
%! ## output at W0 0 up to rounding (the first loss 0.5 ||y||^2); the
%! ## first half is the random network of half the width from the same seed.
%! [ns, hs] = adagrad_train (X, y, "width", 40, "init", "symmetric", "seed", 3,
%!                           "maxiter", 30, "tol", 0, "alpha", 0.1);
%! assert (ns.W0(1:20, :), ns.W0(21:40, :));
%! assert (ns.a(1:20), -ns.a(21:40));
%! assert (hs.loss(1), 0.5 * sumsq (y), 1e-12 * sumsq (y));
%! assert (hs.loss(end) < hs.loss(1));
%! half = adagrad_init (columns (X), 20, "seed", 3);
%! assert (isequal (ns.W0(1:20, :), half.W) && isequal (ns.a(1:20), half.a));
%! nsi = adagrad_init (columns (X), 40, "seed", 3, "init", "symmetric");
%! assert (isequal (nsi.W, ns.W0) && isequal (nsi.a, ns.a));
%! assert (max (abs (adagrad_predict (nsi, X))) < 1e-14);   # 0 up to the sums' rounding
%! fail ("adagrad_train (X, y, 'width', 41, 'init', 'symmetric')", "the width must be even \\(got 41\\)");
%! fail ("adagrad_train (nsi, X, y, 'init', 'symmetric')", "cannot be given with an initial network");
%! fail ("adagrad_init (3, 4, 'init', 'sym')", "INIT must be one of \"random\", \"symmetric\"");
%! ## The "init" option is the same as a network first argument.
%! net0 = adagrad_init (5, 60, "seed", 5, "b0", 0.3);
%! n1 = adagrad_train (net0, X, y, "maxiter", 10);
%! n2 = adagrad_train (X, y, "init", net0, "maxiter", 10);
%! assert (n1.W, n2.W);
%! ## A bare struct with W and a is completed with defaults.
%! n3 = adagrad_train (struct ("W", net0.W, "a", net0.a, "b", 0.3), X, y, "maxiter", 10);
%! assert (n3.W, n1.W);
%! ## Options override the stored hyper-parameters; a new rule starts its state.
%! n4 = adagrad_train (net0, X, y, "maxiter", 1, "optimizer", "gd", "eta", 0.1);
%! G = adagrad_gradient (net0.W, net0.a, X, y);
%! assert (n4.W, net0.W - 0.1 * G, 1e-14);
%! assert ({n4.eta, n4.state, n4.optimizer}, {0.1, struct(), "gd"});
%! n5 = adagrad_train (net0, X, y, "maxiter", 0, "b0", 2);
%! assert ([n5.state.b n5.params.b0], [2 2]);
%! n6 = adagrad_train (n1, X, y, "maxiter", 1, "alpha", 3);
%! assert ([n6.params.alpha n6.params.b0 n6.iter], [3 0.3 11]);
%! n7 = adagrad_train (n1, X, y, "maxiter", 1, "optimizer", "adam", "eta", 0.01);
%! assert ([n7.state.t n7.params.beta1], [1 0.9]);

%!test
%! ## Single precision end to end: single W, double records, close to double.
%! [nd, hd] = adagrad_train (X, y, "width", 200, "maxiter", 30, "seed", 3, "tol", 0);
%! [ns, hs] = adagrad_train (single (X), y, "width", 200, "maxiter", 30, "seed", 3, "tol", 0);
%! assert ({class(ns.W), class(ns.W0), class(ns.a), class(ns.state.b), class(hs.loss)},
%!         {"single", "single", "single", "double", "double"});
%! assert (hs.loss, hd.loss, 1e-4 * hd.loss(1));
%! assert (hs.b, hd.b, 1e-5 * hd.b(end));
%! assert (double (ns.W), nd.W, 1e-4 * norm (nd.W, "fro"));
%! ## Resuming a single network with double data runs in double.
%! n2 = adagrad_train (ns, X, y, "maxiter", 2);
%! assert (class (n2.W), "double");
%! ## Per-coordinate state in single precision; close to double.
%! [nd, hd] = adagrad_train (X, y, "width", 200, "optimizer", "adam", "eta", 0.01, "maxiter", 30, "seed", 3, "tol", 0);
%! [ns, hs] = adagrad_train (single (X), y, "width", 200, "optimizer", "adam", "eta", 0.01, "maxiter", 30, "seed", 3, "tol", 0);
%! assert ({class(ns.state.M), class(ns.state.V), class(ns.state.t)}, {"single", "single", "double"});
%! assert (hs.loss, hd.loss, 1e-4 * hd.loss(1));

%!test
%! ## Diagnostics: flips, movement and distance from W0, against Octave.
%! [net, h] = adagrad_train (X, y, "width", 400, "maxiter", 20, "seed", 5, "tol", 0,
%!                           "diagnostics", 5, "gramevery", 10);
%! assert (h.diag.iter, (0:5:20)');
%! assert ([h.diag.flips(1) h.diag.move(1) h.diag.dist(1)], [0 0 0]);
%! D = net.W - net.W0;
%! assert (h.diag.move(end), max (sqrt (sum (D .^ 2, 2))), 1e-12);
%! assert (h.diag.dist(end), norm (D, "fro"), 1e-12);
%! assert (h.diag.flips(end), mean (mean ((X * net.W0' >= 0) != (X * net.W' >= 0))), 1e-15);
%! assert (h.diag.flips(end) > 0);
%! assert (h.diag.gram_iter, [0; 10; 20]);
%! [~, lmin] = adagrad_gram (X, net.W);
%! assert (h.diag.lambda_min(end), lmin, 1e-12);
%! ## The same records when the run is cut into pieces, and on resuming.
%! [~, h2] = adagrad_train (X, y, "width", 400, "maxiter", 20, "seed", 5, "tol", 0,
%!                          "diagnostics", 5, "outputfcn", @(n, i) false, "outputevery", 3);
%! assert (h2.diag.iter, h.diag.iter);
%! assert (h2.diag.flips, h.diag.flips);
%! [n1] = adagrad_train (X, y, "width", 400, "maxiter", 12, "seed", 5, "tol", 0);
%! [~, h3] = adagrad_train (n1, X, y, "maxiter", 8, "tol", 0, "diagnostics", 5);
%! assert (h3.diag.iter, [15; 20]);
%! assert (h3.diag.dist, h.diag.dist(end-1:end), 1e-12);
%! ## Off by default.
%! [~, h4] = adagrad_train (X, y, "width", 40, "maxiter", 3);
%! assert (isempty (h4.diag.iter) && isempty (h4.diag.lambda_min));

%!test
%! ## One and two threads give bitwise the same run, for every rule.
%! for opt = __adagrad_optimizer__ ("names")
%!   args = {"width", 300, "maxiter", 20, "seed", 3, "optimizer", opt{1}, "eta", 0.05};
%!   [n1, h1] = adagrad_train (X, y, args{:}, "threads", 1);
%!   [n2, h2] = adagrad_train (X, y, args{:}, "threads", 2);
%!   assert (isequal (n1.W, n2.W) && isequal (n1.state, n2.state), opt{1});
%!   assert (isequal (h1.loss, h2.loss) && isequaln (h1.b, h2.b) && isequal (h1.gnorm, h2.gnorm));
%!   assert (isequaln ([h1.step h1.rate h1.ratelo h1.ratehi], [h2.step h2.rate h2.ratelo h2.ratehi]));
%! endfor

%!test
%! ## Seeds reproduce; eta = 0 leaves W unchanged.
%! n1 = adagrad_train (X, y, "width", 80, "maxiter", 5, "seed", 9);
%! n2 = adagrad_train (X, y, "width", 80, "maxiter", 5, "seed", 9);
%! assert (n1.W, n2.W);
%! n0 = adagrad_train (X, y, "width", 80, "maxiter", 5, "seed", 9, "eta", 0);
%! assert (n0.W, n0.W0);
%! assert (n0.W0, n1.W0);

%!test
%! ## tol: stops at the first iterate whose loss is <= tol.
%! [~, h] = adagrad_train (X, y, "width", 300, "optimizer", "adagrad-norm", "maxiter", 60, "seed", 1, "tol", 0);
%! tol = h.loss(30);
%! [net, h2] = adagrad_train (X, y, "width", 300, "optimizer", "adagrad-norm", "maxiter", 60, "seed", 1, "tol", tol);
%! assert (h2.stop, "converged");
%! k = find (h.loss <= tol, 1);
%! assert (net.iter, k - 1);
%! assert (h2.loss, h.loss(1:k));

%!test
%! ## Divergence: GD with a huge step ends "diverged", with the last finite state.
%! warning ("on", "adagrad:diverged", "local");
%! lastwarn ("");
%! evalc ('[net, h] = adagrad_train (X, y, "width", 50, "optimizer", "gd", "eta", 1e100, "seed", 1);');
%! [msg, id] = lastwarn ();
%! assert (id, "adagrad:diverged");
%! assert (msg, sprintf ("adagrad_train: the loss became NaN or Inf after iteration %d; returning the last finite state", net.iter));
%! assert (h.stop, "diverged");
%! assert (net.iter < 1000);
%! assert (all (isfinite (net.W(:))));
%! assert (isfinite (net.loss));
%! [~, L] = adagrad_gradient (net.W, net.a, X, y);
%! assert (L, net.loss, 1e-12 * L);
%! assert (net.loss, h.loss(end));

%!test
%! ## "historyevery": the history keeps every k-th iterate and the last; the
%! ## run is the same, bitwise, and so are the kept entries; cut into calls
%! ## (the progress line) or continued, the same entries.
%! args = {"width", 30, "maxiter", 95, "tol", 0, "seed", 3, "optimizer", "adagrad-norm"};
%! [n1, h1] = adagrad_train (X, y, args{:});
%! [n2, h2] = adagrad_train (X, y, args{:}, "historyevery", 10);
%! assert (isequal (n1.W, n2.W) && isequal (n1.state, n2.state));
%! assert (h2.iter', [0:10:90, 95]);
%! i = h2.iter + 1;
%! for f = {"loss", "b", "step", "gnorm", "batchloss"}
%!   assert (isequaln (h2.(f{1}), h1.(f{1})(i)), f{1});
%! endfor
%! evalc ('[n3, h3] = adagrad_train (X, y, args{:}, "historyevery", 10, "display", "iter");');
%! assert (isequal (n3.W, n1.W) && isequal (h3.iter, h2.iter) && isequal (h3.loss, h2.loss));
%! [n4, h4] = adagrad_train (X, y, args{:}, "maxiter", 43, "historyevery", 10);
%! [n4, h4] = adagrad_train (n4, X, y, "maxiter", 52, "tol", 0, "historyevery", 10, "history", h4);
%! assert (isequal (n4.W, n1.W));
%! assert (h4.iter', [0:10:40, 43, 50:10:90, 95]);
%! assert (isequal (h4.loss, h1.loss(h4.iter + 1)));

%!test
%! ## A rule written in Octave that returns NaN or Inf: "diverged" with the
%! ## last finite state, as for a built-in rule (not adagrad:nonfinite).
%! for bad = [NaN, Inf]
%!   rule = @(W, G, s, info) deal (W - 0.01 * G + merge (info.iter >= 7, bad, 0), s);
%!   warning ("off", "adagrad:diverged", "local");
%!   [net, h] = adagrad_train (X, y, "width", 40, "optimizer", rule, "maxiter", 30, "tol", 0, "seed", 2);
%!   assert (h.stop, "diverged");
%!   assert (net.iter, 7);
%!   assert (all (isfinite (net.W(:))) && isfinite (net.loss));
%!   [~, L] = adagrad_gradient (net.W, net.a, X, y);
%!   assert (L, net.loss, 1e-12 * L);
%!   ## The first 7 steps are those of plain gradient descent with step 0.01.
%!   [n2, h2] = adagrad_train (X, y, "width", 40, "optimizer", "gd", "eta", 0.01, "maxiter", 7, "tol", 0, "seed", 2);
%!   assert (net.W, n2.W, 1e-12 * norm (n2.W, "fro"));
%! endfor

%!test
%! ## Large and tiny valid numbers are not divergence: b is accumulated without
%! ## squaring overflow (b0 = 1e155, alpha = 1e200, gradients of 1e200) or
%! ## underflow (b0 = 1e-300 on a dead network, whose gradient is 0: in full
%! ## batch it stops at once, "zerogradient"; on mini-batches it steps).
%! [n1, h1] = adagrad_train (X, y, "width", 50, "b0", 1e155, "maxiter", 5, "seed", 1);
%! assert ({h1.stop, n1.state.b}, {"maxiter", 1e155});
%! assert (all (isfinite (h1.loss)));
%! [n2, h2] = adagrad_train (X, y, "width", 50, "alpha", 1e200, "maxiter", 5, "seed", 1);
%! assert (h2.stop, "maxiter");
%! assert (h2.b(2), 1e200 * sqrt (sqrt (40) * sqrt (2 * h2.loss(1))), 1e-12 * h2.b(2));
%! [n3, h3] = adagrad_train (1e100 * X, y, "width", 50, "optimizer", "adagrad-norm",
%!                           "maxiter", 5, "seed", 1);
%! assert (h3.stop, "maxiter");
%! G = adagrad_gradient (n3.W0, n3.a, 1e100 * X, y);
%! assert (h3.gnorm(1), norm (G / 1e200, "fro") * 1e200, 1e-12 * h3.gnorm(1));
%! assert (h3.b(2), hypot (1, h3.gnorm(1)), 1e-12 * h3.b(2));
%! net = adagrad_init (5, 20, "seed", 1, "b0", 1e-300, "optimizer", "adagrad-norm");
%! net.a(:) = 0;
%! warning ("off", "adagrad:zerogradient", "local");
%! [n4, h4] = adagrad_train (net, X, y, "maxiter", 5);
%! assert ({h4.stop, n4.iter, n4.state.b, n4.W}, {"zerogradient", 0, 1e-300, net.W});
%! [n4, h4] = adagrad_train (net, X, y, "maxiter", 5, "batchsize", 10);
%! assert ({h4.stop, n4.iter, n4.state.b, n4.W}, {"maxiter", 5, 1e-300, net.W});
%! [~, s] = adagrad_step (X, X, struct ("b", 1e200), "adagrad-norm");
%! assert (s.b, 1e200);

%!test
%! ## The output function: called every OUTPUTEVERY iterations, can stop the run.
%! fcn = @(net, info) (info.iter >= 12);
%! [net, h] = adagrad_train (X, y, "width", 60, "maxiter", 100, "outputfcn", fcn, "outputevery", 4, "seed", 1);
%! assert (h.stop, "stopped");
%! assert (net.iter, 12);
%! ## Without stopping it changes nothing.
%! [n1, h1] = adagrad_train (X, y, "width", 60, "maxiter", 10, "seed", 1,
%!                           "outputfcn", @(net, info) false, "outputevery", 3);
%! [n2, h2] = adagrad_train (X, y, "width", 60, "maxiter", 10, "seed", 1);
%! assert (n1.W, n2.W);
%! assert (h1.loss, h2.loss);

%!test
%! ## The output function sees the current network and iteration.
%! fcn = @(net, info) fprintf ("seen %d %d %.17g\n", info.iter, net.iter, info.loss) < 0;
%! out = evalc ('[net, h] = adagrad_train (X, y, "width", 60, "maxiter", 7, "outputfcn", fcn, "outputevery", 2, "seed", 1);');
%! seen = sscanf (out, "seen %d %d %f\n", [3 Inf])';
%! ## "init" at 0, "iter" every 2 before the last, "done" at the last.
%! assert (seen(:, 1:2), [0 0; 2 2; 4 4; 6 6; 7 7]);
%! assert (seen(:, 3), h.loss([1 3 5 7 8]), 1e-12 * h.loss(1));
%! assert (seen(2:end, 3), h.loss([3 5 7 8]));

%!function stop = log_states (net, info, state)
%!  global adagrad_states
%!  adagrad_states(end+1, :) = {state, info.iter, info.loss, net.iter};
%!  stop = strcmp (state, "iter") && info.iter >= 1e9;
%!endfunction
%!test
%! ## MATLAB's OutputFcn contract: stop = fcn (net, info, state), state
%! ## "init", "iter", "done"; "done" once at the end whatever the reason.
%! global adagrad_states
%! adagrad_states = cell (0, 4);
%! [net, h] = adagrad_train (X, y, "width", 40, "maxiter", 5, "outputfcn", @log_states,
%!                           "outputevery", 5, "seed", 1);
%! assert (adagrad_states(:, 1)', {"init", "done"});
%! assert ([adagrad_states{:, 2}], [0 5]);
%! assert ([adagrad_states{:, 4}], [0 5]);
%! assert (adagrad_states{2, 3}, net.loss);
%! ## A converged run: its last call is at the final iterate.
%! adagrad_states = cell (0, 4);
%! [~, h0] = adagrad_train (X, y, "width", 200, "maxiter", 0, "seed", 1);
%! [net, h] = adagrad_train (X, y, "width", 200, "maxiter", 5000, "tol", 0.3 * h0.loss(1),
%!                           "outputfcn", @log_states, "outputevery", 10, "seed", 1);
%! assert (h.stop, "converged");
%! assert (adagrad_states(end, 1:2), {"done", net.iter});
%! assert (sum (strcmp (adagrad_states(:, 1), "iter")), floor ((net.iter - 1) / 10));
%! ## Diverged and stopped runs also get their "done" call, with the reason.
%! warning ("off", "adagrad:diverged", "local");
%! fcn = @(n, i, st) (strcmp (st, "done") && fprintf ("done %s %d\n", i.stop, i.iter) < 0);
%! out = evalc ('adagrad_train (X, y, "width", 40, "optimizer", "gd", "eta", 1e3, "maxiter", 500, "outputfcn", fcn, "seed", 1);');
%! assert (! isempty (regexp (out, '^done diverged [1-9]\d*\n', "once")));
%! out = evalc ('adagrad_train (X, y, "width", 40, "maxiter", 50, "outputfcn", @(n, i, st) (fprintf ("%s ", st) < 0) || i.iter >= 4, "outputevery", 2, "seed", 1);');
%! assert (strtrim (out), "init iter iter done");
%! ## True at "init" stops before the first step.
%! [net, h] = adagrad_train (X, y, "width", 40, "maxiter", 50, "seed", 1,
%!                           "outputfcn", @(n, i, st) strcmp (st, "init"));
%! assert ({h.stop, net.iter, numel(h.loss)}, {"stopped", 0, 1});
%! ## A failure at "done" is a warning: the finished run is returned.
%! lastwarn ("");
%! out = evalc ('[net, h] = adagrad_train (X, y, "width", 40, "maxiter", 3, "seed", 1, "outputfcn", @(n, i, st) strcmp (st, "done") && error ("late"));');
%! assert (net.iter, 3);
%! [msg, id] = lastwarn ();
%! assert (id, "adagrad:outputfcn");
%! assert (msg, 'adagrad_train: at the "done" call, the output function failed: late');
%! clear -global adagrad_states

%!function stop = record_seen (net, info)
%!  global adagrad_seen
%!  adagrad_seen{end+1} = {net, info};
%!  stop = false;
%!endfunction
%!test
%! ## The output function, called from inside the C loop, sees the network,
%! ## the state and the records of the iterate: those a run ending there has.
%! global adagrad_seen
%! for rule = {"adaloss", "adam"}
%!   adagrad_seen = {};
%!   [net, h] = adagrad_train (X, y, "width", 40, "maxiter", 10, "optimizer", rule{1},
%!                             "outputfcn", @record_seen, "outputevery", 3, "seed", 2);
%!   assert (cellfun (@(c) c{2}.iter, adagrad_seen), [0 3 6 9 10]);
%!   [n6, h6] = adagrad_train (X, y, "width", 40, "maxiter", 6, "optimizer", rule{1}, "seed", 2);
%!   [sn, si] = deal (adagrad_seen{3}{:});
%!   assert (isequal (sn.W, n6.W) && isequal (sn.state, n6.state) && sn.iter == 6);
%!   assert (isequal (rmfield (sn, {"W", "state", "iter", "loss", "seen"}),
%!                    rmfield (net, {"W", "state", "iter", "loss", "seen"})));
%!   assert (sn.seen, n6.seen);
%!   assert ([si.loss, si.b, si.step, si.gnorm], [h.loss(7), h.b(7), h.step(7), h.gnorm(6)]);
%!   assert (si.time > 0 && si.time <= h.time(end));
%! endfor
%! clear -global adagrad_seen

%!test
%! ## display: "final" prints one summary line, "iter" a progress line.
%! [out, n5, h5] = evalc ('[n5, h5] = adagrad_train (X, y, "width", 50, "maxiter", 5, "display", "final", "seed", 1);');
%! assert (out, sprintf ("adagrad_train: adaloss, m = 50: 5 iterations, full-batch loss %.4e at iteration 0 -> %.4e at iteration 5, b = %.4g, maxiter (%s)\n",
%!                       h5.loss(1), h5.loss(end), n5.state.b, regexp (out, '\(([^)]+)\)\n$', "tokens", "once"){1}));
%! ## A continued run's line counts from where it starts; a rule written in
%! ## Octave is named by its source and has no b.
%! out = evalc ('adagrad_train (n5, X, y, "maxiter", 2, "display", "final");');
%! assert (! isempty (regexp (out, '2 iterations, full-batch loss \S+ at iteration 5 -> \S+ at iteration 7, b = \S+, maxiter', "once")));
%! hb = @(W, G, s, info) deal (W - info.eta * G, s);
%! [out, nh] = evalc ('nh = adagrad_train (X, y, "width", 50, "maxiter", 3, "optimizer", hb, "eta", 0.01, "display", "final", "seed", 1);');
%! assert (nh.iter, 3);
%! assert (! isempty (strfind (out, "adagrad_train: @(W, G, s, info) deal (W - info.eta * G, s), m = 50: 3 iterations, full-batch loss ")));
%! assert (isempty (strfind (out, "b = ")));
%! out = evalc ('adagrad_train (X, y, "width", 50, "maxiter", 5, "display", "iter", "seed", 1);');
%! assert (! isempty (regexp (out, 'iter 5/5  loss \S+  b \S+  step \S+  elapsed \S+s  ETA \S+', "once")));
%! assert (out(1), "\r");
%! out = evalc ('adagrad_train (X, y, "width", 50, "maxiter", 5, "seed", 1);');
%! assert (out, "");
%! ## The loop prints the line itself about twice a second (here an output
%! ## function makes each step take 50 ms), and the last one ends the line.
%! ## The end of the call prints the last iterate's line again when the
%! ## loop's last tick fell on it (a CI run saw 40 twice): the same line
%! ## rewritten in place, so the iterations never go back.
%! out = evalc ('adagrad_train (X, y, "width", 50, "maxiter", 40, "tol", 0, "display", "iter", "seed", 1, "outputfcn", @(n, i) pause (0.05) || false);');
%! k = cellfun (@str2double, regexp (out, 'iter\s+(\d+)/40', "tokens"));
%! assert (numel (unique (k)) >= 3 && all (diff (k) >= 0) && k(end) == 40);
%! assert (out(end), "\n");

%!test
%! ## Mini-batches: the schedule depends on the seed only (not on threads, the
%! ## global generator or the session); shuffle cuts every epoch into batches
%! ## of 16, 16, 8 from one permutation; evaluations once per epoch.
%! rand ("seed", 1); randn ("seed", 1);
%! args = {"width", 60, "maxiter", 12, "tol", 0, "seed", 3, "batchsize", 16, ...
%!         "recordbatches", true, "optimizer", "adagrad-norm"};
%! [n1, h1] = adagrad_train (X, y, args{:}, "threads", 1);
%! rand ("seed", 99); randn ("state", 7); rand ("state", 5);
%! [n2, h2] = adagrad_train (X, y, args{:}, "threads", 2);
%! assert (isequal (h1.batches, h2.batches) && isequal (n1.W, n2.W));
%! assert (isequaln (h1.loss, h2.loss) && isequal (h1.b, h2.b));
%! assert (size (h1.batches), [12 16]);
%! for e = 0:3
%!   E = h1.batches(3 * e + (1:3), :)';
%!   assert (sort (E(E > 0))', 1:40);
%!   assert (nnz (E(:, 3)), 8);
%! endfor
%! assert (! isequal (h1.batches(1:3, :), h1.batches(4:6, :)));
%! assert (h1.epoch([1 2 3 4 13])', [0 0.4 0.8 1 4]);
%! assert (find (isfinite (h1.loss))', [1 4 7 10 13]);
%! assert (isnan (h1.batchloss(end)) && all (isfinite (h1.batchloss(1:end-1))));
%! assert ([h1.sampling, sprintf("%d", h1.batchsize)], "shuffle16");
%! assert (h1.label, "adagrad-norm, b0 = 1, m = 60, |B| = 16");
%! assert ([n1.seen n1.batchseed], [160 3]);
%! assert (n1.loss, h1.loss(end));
%! ## Another seed, another schedule; the full loss at the end is the forward pass's.
%! [n3, h3] = adagrad_train (X, y, args{:}, "seed", 4);
%! assert (! isequal (h3.batches, h1.batches));
%! assert (h1.loss(end), 0.5 * sumsq (adagrad_predict (n1, X) - y), 1e-12 * h1.loss(end));
%! ## Sampling with replacement: a function of (seed, step).
%! [n4, h4] = adagrad_train (X, y, args{:}, "sampling", "replace");
%! assert (h4.batches, __adagrad_batches__ (40, 16, "replace", 3, 0, 0, 12));
%! assert ([h4.sampling, sprintf("%d", n4.seen)], "replace192");

%!test
%! ## The full batch is unchanged, bitwise: batchsize n is the default.
%! args = {"width", 50, "maxiter", 20, "tol", 0, "seed", 3, "optimizer", "adaloss"};
%! [n1, h1] = adagrad_train (X, y, args{:});
%! [n2, h2] = adagrad_train (X, y, args{:}, "batchsize", 40);
%! assert (isequal (n1.W, n2.W) && isequal (h1.loss, h2.loss) && isequal (h1.gnorm, h2.gnorm));
%! assert (isequal (h1.batchloss, h1.loss) && isequal (h1.epoch, (0:20)'));
%! assert ([h1.sampling, sprintf("%d", h1.batchsize)], "full40");
%! assert (n1.seen, 20 * 40);

%!test
%! ## Single precision on mini-batches follows double to its round-off; a
%! ## validation set is recorded at the evaluation points (every 5 steps here).
%! args = {"width", 80, "maxiter", 30, "tol", 0, "seed", 5, "batchsize", 10, ...
%!         "evalevery", 5, "validation", {X(1:20, :), y(1:20)}};
%! [nd, hd] = adagrad_train (X, y, args{:});
%! [ns, hs] = adagrad_train (single (X), single (y), args{:});
%! assert (class (ns.W), "single");
%! assert (norm (double (ns.W) - nd.W, "fro") / norm (nd.W, "fro") < 1e-5);
%! at = find (isfinite (hd.vloss))';
%! assert (at, [1 6 11 16 21 26 31]);
%! assert (isequal (isfinite (hd.loss)', ismember (1:31, at)));
%! u = adagrad_predict (nd, X(1:20, :));
%! assert (hd.vloss(end), 2 * 0.5 * sumsq (u - y(1:20)), 1e-12 * hd.vloss(end));
%! assert (max (abs (hs.vloss(at) - hd.vloss(at)) ./ hd.vloss(at)) < 1e-4);

%!test
%! ## gtol: the full-batch gradient norm, every step in full batch, at the
%! ## evaluation points with mini-batches.
%! [n1, h1] = adagrad_train (X, y, "width", 50, "maxiter", 500, "tol", 0, "seed", 3);
%! g = h1.gnorm(101);
%! [n2, h2] = adagrad_train (X, y, "width", 50, "maxiter", 500, "tol", 0, "seed", 3, "gtol", g);
%! assert (h2.stop, "gtol");
%! assert (n2.iter <= 100 && h2.gnorm(end) <= g && all (h1.gnorm(1:n2.iter) > g));
%! [n3, h3] = adagrad_train (X, y, "width", 50, "maxiter", 500, "tol", 0, "seed", 3,
%!                           "gtol", g, "batchsize", 20);
%! assert (h3.stop, "gtol");
%! assert (mod (n3.iter, 2), 0);
%! assert (h3.gnorm(end) <= g);

%!test
%! ## A mini-batch run that diverges returns its last finite state (and warns).
%! warning ("off", "adagrad:diverged", "local");
%! [net, h] = adagrad_train (X, y, "width", 50, "optimizer", "gd", "eta", 1e8,
%!                           "maxiter", 100, "seed", 3, "batchsize", 8);
%! assert (h.stop, "diverged");
%! assert (all (isfinite (net.W(:))) && isfinite (net.loss) && net.iter < 100);
%! assert (net.loss, h.loss(end));

%!test
%! ## Batches of all rows, permuted, for a rule written in Octave, and given
%! ## batches that run out: the steps they have left.
%! hb = @(W, G, s, info) deal (W - 0.05 * G, s);
%! P = [randperm(40); randperm(40); randperm(40)];
%! [n1, h1] = adagrad_train (X, y, "width", 40, "optimizer", hb, "maxiter", 3, "seed", 2);
%! [n2, h2] = adagrad_train (X, y, "width", 40, "optimizer", hb, "batches", P, "seed", 2);
%! assert (n2.iter, 3);
%! assert (n2.W, n1.W, 1e-12 * norm (n1.W, "fro"));
%! [n3, h3] = adagrad_train (X, y, "width", 40, "batches", P(:, 1:7), "seed", 2, "maxiter", 2);
%! [n3, h3] = adagrad_train (n3, X, y, "batches", P(:, 1:7), "history", h3);
%! assert ([n3.iter n3.seen], [3 21]);
%! assert (rows (h3.iter), 4);

%!test
%! ## The loss comes from the C core's table: each entry by name is a run of
%! ## its own (the default's bits for the default), recorded in the history
%! ## and kept by a resume.
%! L = __adagrad_optimizer__ ("losstable");
%! [n0, h0] = adagrad_train (X, y, "width", 20, "maxiter", 6, "tol", 0, "seed", 1);
%! assert (h0.lossname, __adagrad_optimizer__ ("defaultloss"));
%! for k = 1:numel (L)
%!   yk = y;
%!   if (strcmp (L(k).targets, "sign"))
%!     yk = 2 * (y > 0) - 1;
%!   elseif (strcmp (L(k).targets, "class"))
%!     yk = 1 + (y > 0);
%!   endif
%!   [n1, h1] = adagrad_train (X, yk, "width", 20, "maxiter", 6, "tol", 0, "seed", 1,
%!                             "loss", upper (L(k).name));
%!   assert (h1.lossname, L(k).name);
%!   if (L(k).is_default)
%!     assert (isequal (n1.W, n0.W) && isequal (h1.loss, h0.loss));
%!   endif
%! endfor
%!error <adagrad_train: LOSS must be one of "squared", "logistic"> adagrad_train (X, y, "loss", "hinge")
%!error <adagrad_train: LOSS must be one of> adagrad_train (X, y, "loss", 2)

%!error <give either BATCHES or BATCHSIZE> adagrad_train (X, y, "batches", [1 2], "batchsize", 2)
%!error <give either BATCHES or SAMPLING> adagrad_train (X, y, "batches", [1 2], "sampling", "replace")
%!error <BATCHSIZE must be at most the number of samples n = 40, got 41> adagrad_train (X, y, "batchsize", 41)
%!error <BATCHSIZE must be a positive integer> adagrad_train (X, y, "batchsize", 0)
%!error <BATCHSIZE must be a positive integer> adagrad_train (X, y, "batchsize", 2.5)
%!error <SAMPLING must be one of> adagrad_train (X, y, "batchsize", 2, "sampling", "bootstrap")
%!error <BATCHES\(1,2\) = 41 is not a row index> adagrad_train (X, y, "batches", [1 41])
%!error <BATCHES\(2,1\) = NaN is not a row index> adagrad_train (X, y, "batches", [1 2; NaN 3])
%!error <BATCHES\(1,1\) = 1.5 is not a row index> adagrad_train (X, y, "batches", [1.5 2])
%!error <BATCHES row 1 must start with a row index> adagrad_train (X, y, "batches", [0 1 2])
%!error <BATCHES row 2 must start with a row index and have zeros only at its end> adagrad_train (X, y, "batches", [1 2 3; 1 0 2])
%!error <BATCHES must be a K-by-B matrix> adagrad_train (X, y, "batches", ones (2, 2, 2))
%!error <BATCHES must be a K-by-B matrix> adagrad_train (X, y, "batches", zeros (0, 3))
%!error <BATCHES must be a K-by-B matrix> adagrad_train (X, y, "batches", {1, 2})
%!error <BATCHES has 2 rows \(steps 0 to 1 of the run\), but this call may take steps 0 to 4: give MAXITER <= 2> adagrad_train (X, y, "batches", [1 2; 3 4], "maxiter", 5)
%!error <EVALEVERY must be a positive integer> adagrad_train (X, y, "evalevery", 0)
%!test
%! ## Full batch with a validation set: by default the validation loss every
%! ## ceil (20 nv / n) steps (here 10) and at the last iterate; "evalevery"
%! ## still sets it.
%! [~, h] = adagrad_train (X, y, "width", 20, "maxiter", 25, "tol", 0, "seed", 1,
%!                         "validation", {X(1:20, :), y(1:20)});
%! assert (h.iter(isfinite (h.vloss))', [0 10 20 25]);
%! assert (all (isfinite (h.loss)));
%! [~, h] = adagrad_train (X, y, "width", 20, "maxiter", 5, "tol", 0, "seed", 1,
%!                         "validation", {X(1:20, :), y(1:20)}, "evalevery", 1);
%! assert (all (isfinite (h.vloss)));

%!error <VALIDATION must be a cell \{Xv, yv\}> adagrad_train (X, y, "validation", X)
%!error <VALIDATION\{1\} \(Xv\) must be any number of rows by 5 columns> adagrad_train (X, y, "validation", {ones(3, 4), ones(3, 1)})
%!error <VALIDATION\{2\} \(yv\)> adagrad_train (X, y, "validation", {ones(3, 5), ones(4, 1)})
%!error <GTOL must be a nonnegative> adagrad_train (X, y, "gtol", -1)
%!error <GTOL must be a nonnegative, finite real scalar> adagrad_train (X, y, "gtol", Inf)
%!error <RECORDBATCHES must be true or false> adagrad_train (X, y, "recordbatches", 2)
%!error id=adagrad:nomemory adagrad_train (X, y, "recordbatches", true, "maxiter", 1e15, "width", 2)
%!error <Invalid call> adagrad_train (1)
%!error <Invalid call> adagrad_train (struct ("W", 1), 1)
%!error <adagrad_train: X must be a real, full, non-empty double or single matrix> adagrad_train ("abc", 1)
%!error <adagrad_train: X must be a real, full, non-empty double or single matrix> adagrad_train (sparse (X), y)
%!error <adagrad_train: X must be a real, full, non-empty double or single matrix> adagrad_train (complex (X), y)
%!error <adagrad_train: X must be finite> adagrad_train ([X(1:end-1, :); NaN(1, 5)], y)
%!error <adagrad_train: Y must be a vector of 40 entries \(got 39\)> adagrad_train (X, y(1:39))
%!error <adagrad_train: Y must be finite> adagrad_train (X, [y(1:39); Inf])
%!error <adagrad_train: options must come in name/value pairs> adagrad_train (X, y, "width")
%!error <adagrad_train: unknown option "stepsize"> adagrad_train (X, y, "stepsize", 1)
%!error <adagrad_train: WIDTH must be a positive integer> adagrad_train (X, y, "width", 0)
%!error <adagrad_train: WIDTH must be a positive integer> adagrad_train (X, y, "width", 10.5)
%!error <adagrad_train: OPTIMIZER must be one of "gd", "adagrad-norm", "adaloss", "momentum"> adagrad_train (X, y, "optimizer", "sgd")
%!error <adagrad_train: the gd rule has no parameter B0> adagrad_train (X, y, "optimizer", "gd", "b0", 1)
%!error <adagrad_train: BETA1 must be a finite real scalar in \[0, 1\)> adagrad_train (X, y, "optimizer", "adam", "beta1", -1)
%!error <adagrad_train: ALPHA is a parameter of the built-in rules> adagrad_train (X, y, "optimizer", @(W, G, s, i) W, "alpha", 1)
%!error <adagrad_train: the optimizer function failed: boom> adagrad_train (X, y, "width", 5, "optimizer", @(W, G, s, i) error ("boom"))
%!error <adagrad_train: the optimizer function must return W as a real 5-by-5 matrix> adagrad_train (X, y, "width", 5, "optimizer", @(W, G, s, i) deal (1, s))
%!error <adagrad_train: the history of 1000000000000001 iterations .* needs about> adagrad_train (X, y, "width", 4, "maxiter", 1e15)
%!error <adagrad_train: HISTORYEVERY must be a positive integer> adagrad_train (X, y, "width", 4, "historyevery", 0)
%!error <adagrad_train: CHECKPOINT .* is a folder; give a file name> adagrad_train (X, y, "width", 4, "checkpoint", tempdir ())
%!error <adagrad_train: MAXITER must be a non-negative integer of at most 1e15> adagrad_train (X, y, "width", 4, "maxiter", 2^60)
%!error <adagrad_train: THREADS must be at most 1024> adagrad_train (X, y, "width", 4, "threads", 2^40)
%!error <adagrad_train: EVALEVERY must be a positive integer of at most 1e15> adagrad_train (X, y, "width", 4, "batchsize", 5, "evalevery", 2^60)
%!error <adagrad_train: OUTPUTEVERY must be a positive integer of at most 1e15> adagrad_train (X, y, "width", 4, "outputevery", 2^60, "outputfcn", @(n, i) false)
%!error <adagrad_train: DIAGNOSTICS must be a non-negative integer of at most 1e15> adagrad_train (X, y, "width", 4, "diagnostics", 2^60)
%!error <adagrad_train: NET.iter must be a non-negative integer of at most 1e15> adagrad_train (setfield (adagrad_init (columns (X), 4), "iter", 2^60), X, y)
%!error <adagrad_train: NET.seen must be a non-negative integer of at most 1e15> adagrad_train (setfield (adagrad_init (columns (X), 4), "seen", 2^60), X, y)
%!error <adagrad_train: MAXITER must be at most 1e15 - 999999999999999> adagrad_train (setfield (adagrad_init (columns (X), 4), "iter", 1e15 - 1), X, y, "maxiter", 2)
%!error <adagrad_train: ETA must be a nonnegative> adagrad_train (X, y, "eta", -1)
%!error <adagrad_train: B0 must be a finite real scalar in \(0, Inf\)> adagrad_train (X, y, "b0", 0)
%!error <adagrad_train: ALPHA must be a finite real scalar in \(0, Inf\)> adagrad_train (X, y, "alpha", -2)
%!error <adagrad_train: MAXITER must be a non-negative integer> adagrad_train (X, y, "maxiter", -1)
%!error <adagrad_train: TOL must be a nonnegative> adagrad_train (X, y, "tol", NaN)
%!error <adagrad_train: SEED must be a non-negative integer> adagrad_train (X, y, "seed", "a")
%!error <adagrad_train: DISPLAY must be one of "off", "final", "iter"> adagrad_train (X, y, "display", "on")
%!error <adagrad_train: OUTPUTEVERY must be a positive integer> adagrad_train (X, y, "outputevery", 0)
%!error <adagrad_train: HISTORY must be a history from adagrad_train> adagrad_train (X, y, "history", struct ("a", 1))
%!error <adagrad_train: HISTORY ends at iteration 2 but the network is at iteration 0> adagrad_train (X, y, "history", nthargout (2, @adagrad_train, X, y, "width", 5, "maxiter", 2))
%!error <adagrad_train: CHECKPOINT must be a file name> adagrad_train (X, y, "checkpoint", 3)
%!error <adagrad_train: CHECKPOINTEVERY must be a non-negative integer> adagrad_train (X, y, "checkpoint", "a", "checkpointevery", -1)
%!error <adagrad_train: CHECKPOINTSECONDS must be a positive> adagrad_train (X, y, "checkpointseconds", 0)
%!error <adagrad_train: cannot write the checkpoint /nonexistent-dir/x.ckpt> adagrad_train (X, y, "width", 5, "maxiter", 2, "checkpoint", "/nonexistent-dir/x.ckpt")
%!test
%! ## The folder is checked before any iteration: the output function never runs.
%! try
%!   adagrad_train (X, y, "width", 5, "maxiter", 2, "checkpoint", "/nonexistent-dir/x.ckpt",
%!                  "outputfcn", @(n, i) error ("called"));
%!   error ("no error");
%! catch err
%!   assert (err.identifier, "adagrad:checkpoint");
%! end_try_catch
%!error <adagrad_train: DIAGNOSTICS must be a non-negative integer> adagrad_train (X, y, "diagnostics", 0.5)
%!error <adagrad_train: X is 5-by-40 and Y has 40 entries: the rows of X are the samples, one per entry of Y; is X transposed \(use X'\)\?> adagrad_train (X', y)
%!test
%! ## Y of two columns: a network of two outputs (the squared loss per column).
%! [net, h] = adagrad_train (X, [y, -y], "width", 30, "maxiter", 5, "seed", 1);
%! assert (size (net.a), [30 2]);
%! assert (size (adagrad_predict (net, X)), [40 2]);
%!error <adagrad_train: Y must be a vector \(got a 39-by-2 matrix: 2 columns\)> adagrad_train (X, [y(2:end) y(2:end)])
%!error <adagrad_train: X must be a real, full, non-empty double or single matrix \(got logical: convert it with double \(X\)\)> adagrad_train (X > 0, y)
%!error <adagrad_train: Y must be a real, full double or single vector \(got int32: convert it with double \(Y\)\)> adagrad_train (X, int32 (y))
%!test
%! ## Options as a struct, alone or mixed with pairs: the same run.
%! [n1, h1] = adagrad_train (X, y, "width", 30, "maxiter", 5, "seed", 3, "tol", 0);
%! [n2, h2] = adagrad_train (X, y, struct ("width", 30, "maxiter", 5, "tol", 0), "seed", 3);
%! assert (isequal (n1.W, n2.W) && isequal (h1.loss, h2.loss));
%!error <adagrad_train: GRAMEVERY must be a non-negative integer> adagrad_train (X, y, "gramevery", -2)
%!error <adagrad_train: THREADS must be a non-negative integer> adagrad_train (X, y, "threads", -1)
%!error <adagrad_train: the output function failed: > adagrad_train (X, y, "width", 5, "maxiter", 3, "outputfcn", @(n, i) error ("boom"))
%!error <adagrad_train: the output function must return true \(stop\) or false> adagrad_train (X, y, "width", 5, "maxiter", 3, "outputfcn", @(n, i) "yes")
%!error <adagrad_train: OUTPUTFCN must be a function handle or empty> adagrad_train (X, y, "outputfcn", "myfun")
%!error <adagrad_train: give the initial network either as first argument or as INIT> adagrad_train (adagrad_init (5, 3), X, y, "init", adagrad_init (5, 3))
%!error <adagrad_train: NET must be a network struct with fields W and a> adagrad_train (struct ("W", ones (3, 5)), X, y)
%!error <adagrad_train: NET.W must be any number of rows by 5 columns> adagrad_train (adagrad_init (4, 3), X, y)
%!error <adagrad_train: NET.a must be a vector of 3 entries> adagrad_train (struct ("W", ones (3, 5), "a", 1), X, y)
%!error <adagrad_train: NET.W0 must be 3 rows by 5 columns> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "W0", 1), X, y)
%!error <adagrad_train: NET.b must be a positive> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "b", -1, "b0", 1), X, y)
%!error <adagrad_train: B0 must be a finite real scalar> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "b0", 0), X, y)
%!error <adagrad_train: STATE.b must be positive> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "state", struct ("b", 0)), X, y)
%!error <adagrad_train: NET.iter must be a non-negative integer> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "iter", -1), X, y)
%!error <adagrad_train: NET.optimizer must be one of> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "optimizer", "x"), X, y)
%!error <adagrad_train: NET.eta must be a nonnegative> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "eta", -1), X, y)
%!error <adagrad_train: ALPHA must be a finite real scalar> adagrad_train (struct ("W", ones (3, 5), "a", [1; 1; 1], "alpha", 0), X, y)
%!error <adagrad_train: WIDTH cannot be given with an initial network> adagrad_train (adagrad_init (5, 3), X, y, "width", 3)
%!error <adagrad_train: SEED cannot be given with an initial network> adagrad_train (adagrad_init (5, 3), X, y, "seed", 3)
%!error <adagrad_train: B0 cannot be changed when resuming a trained network \(net.iter = 2\)> adagrad_train (adagrad_train (X, y, "width", 3, "maxiter", 2), X, y, "b0", 3)
