## Copyright (C) 2026 The adagrad developers
## SPDX-License-Identifier: GPL-3.0-or-later

## -*- texinfo -*-
## @deftypefn {} {@var{chunk} =} __adagrad_schedule__ (@var{s}, @var{done}, @var{iter})
## Internal: how many iterations the next call of the training loop runs, after
## @var{done} iterations of this call of @code{adagrad_train}, the network
## being at global iteration @var{iter}: up to the end of the call
## (@code{s.maxiter}), the next Gram matrix (every @code{s.gramevery}
## global iterations) or checkpoint (every @code{s.checkpointevery}), and at most
## 1e6 (the loop's records are allocated up front).  The output function is
## called from inside the loop, for every rule: it does not cut calls.
## @end deftypefn

function chunk = __adagrad_schedule__ (s, done, iter)
  chunk = min (s.maxiter - done, 1e6);
  if (isfield (s, "historyevery") && s.historyevery > 1)
    ## A call records every iterate before the history keeps every k-th: its
    ## records stay small.
    chunk = min (chunk, 65536);
  endif
  if (s.gramevery > 0)
    chunk = min (chunk, s.gramevery - mod (iter, s.gramevery));
  endif
  if (! isempty (s.checkpoint) && s.checkpointevery > 0)
    chunk = min (chunk, s.checkpointevery - mod (iter, s.checkpointevery));
  endif
endfunction

%!test
%! s = struct ("maxiter", 100, "outputfcn", [], "outputevery", 7, "gramevery", 0,
%!             "checkpoint", "", "checkpointevery", 0);
%! assert (__adagrad_schedule__ (s, 0, 0), 100);
%! assert (__adagrad_schedule__ (s, 60, 0), 40);
%! s.outputfcn = @(n, i) false;
%! assert (__adagrad_schedule__ (s, 10, 10), 90);
%! s.gramevery = 5;
%! assert (__adagrad_schedule__ (s, 10, 13), 2);
%! [s.checkpoint, s.checkpointevery] = deal ("f", 3);
%! assert (__adagrad_schedule__ (s, 10, 14), 1);
%! s = struct ("maxiter", 5e6, "outputfcn", [], "outputevery", 1, "gramevery", 0,
%!             "checkpoint", "", "checkpointevery", 0);
%! assert (__adagrad_schedule__ (s, 0, 0), 1e6);
