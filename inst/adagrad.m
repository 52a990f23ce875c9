## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {} adagrad
## The adagrad package: adaptive gradient methods (AdaGrad-Norm, AdaLoss)
## and the optimizers of a course for over-parameterized two-layer ReLU
## networks, with the checks of Wu, Du & Ward (arXiv 1902.07111).  Called
## without arguments it prints this overview; @code{help NAME} gives each
## function's own help, @code{demo NAME} its demos.
##
## @strong{Training}
## @table @code
## @item adagrad_train
## Train a network: every rule, mini-batches, checkpoints, output functions.
## @item adagrad_init
## A new network (weights, rule, parameters and state) to train or step.
## @item adagrad_predict
## The trained network's output on new inputs.
## @item adagrad_resume
## Continue a run from its checkpoint file, bitwise as if never stopped.
## @end table
##
## @strong{Building blocks} (write your own loop)
## @table @code
## @item adagrad_forward
## The network's output u = max (X*W', 0) * a / sqrt (m).
## @item adagrad_gradient
## The gradient of 0.5*||u - y||^2 with respect to W, the loss and u.
## @item adagrad_step
## One step of a rule (gd, adagrad-norm, adaloss, momentum, nesterov,
## adagrad, rmsprop, adam) from a gradient and a state.
## @end table
##
## @strong{Theory and experiments}
## @table @code
## @item adagrad_gram
## The Gram matrices H_inf and H(W), lambda0 and ||H_inf||.
## @item adagrad_check
## The paper's statements checked on a finished run.
## @item adagrad_sweep
## A grid of runs (optimizer x b0 x width x seed x any other option), here or on Slurm.
## @item adagrad_sweep_collect
## The results of a Slurm sweep, done or not, and what failed.
## @item adagrad_linearized
## A run against its linearized dynamics and kernel regression.
## @item adagrad_paper
## The paper's claims reproduced as tables and figures.
## @item adagrad_paper_real
## The same claims on real data (Fashion-MNIST, ten classes): robustness to
## b0 by test accuracy, the network against its linearization and kernel
## regression.
## @item adagrad_atlas
## Every rule over nine decades of its initial knob, normalized by tuned
## GD: the map of which rules are robust and where each breaks.
## @item adagrad_paper_atlas
## The atlas on the synthetic set and on a Fashion-MNIST subset.
## @end table
##
## @strong{Data}
## @table @code
## @item adagrad_data
## Inputs on the unit sphere with random or teacher labels, and a test set.
## @item adagrad_dataset
## Real data sets that Debian ships (Fashion-MNIST, digits, iris,
## heart_scale), normalized as the theory assumes.
## @item adagrad_read_idx
## An IDX file (MNIST's format), gzip or not.
## @item adagrad_read_libsvm
## A file in the libsvm (svmlight) format.
## @end table
##
## @strong{Plotting and demos}
## @table @code
## @item adagrad_plot
## Loss (and validation loss, gradient norm), effective step and the rule's
## rate against iteration, epoch or time.
## @item adagrad_plot_step
## b(k) and eta/b(k) with the stability line 2/||H_inf||.
## @item adagrad_plot_diagnostics
## Flipped activations and weight movement against iteration.
## @item adagrad_plot_heatmap
## Iterations to the tolerance over a grid of a sweep.
## @item adagrad_plot_atlas
## The atlas: heatmap of rules by knob, robustness profile, effective steps.
## @item adagrad_plot_linearized
## Runs against their linearization: losses and the distance between them.
## @item adagrad_demo
## GD against AdaGrad-Norm and AdaLoss from several b0, in one figure.
## @end table
##
## A first run:
##
## @example
## [X, y] = adagrad_data (100, 20, "seed", 1);
## [net, hist] = adagrad_train (X, y, "width", 2000, "optimizer", "adaloss",
##                              "b0", 0.1, "maxiter", 1000);
## adagrad_plot (hist);
## @end example
## @seealso{adagrad_train, adagrad_demo, adagrad_paper}
## @end deftypefn

function adagrad (varargin)
  if (nargin > 0)
    __adagrad_usage__ ("adagrad");
  endif
  printf ("%s", help ("adagrad"));
endfunction

%!test
%! ## Every function of INDEX is in the overview, and every name it gives exists.
%! txt = help ("adagrad");
%! here = fileparts (which ("adagrad"));   # the folder of this file, installed or not
%! files = glob (fullfile (here, "adagrad_*.m"));
%! assert (numel (files) > 20);
%! for f = files'
%!   [~, name] = fileparts (f{1});
%!   assert (! isempty (strfind (txt, name)), sprintf ("%s is not in help adagrad", name));
%! endfor
%! names = unique (regexp (txt, 'adagrad_[a-z_]+', "match"));
%! for k = 1:numel (names)
%!   assert (exist (names{k}) > 0, sprintf ("help adagrad names %s, which does not exist", names{k}));
%! endfor
%! assert (strtrim (evalc ("adagrad ()")), strtrim (txt));

%!error <Invalid call> adagrad (1)
