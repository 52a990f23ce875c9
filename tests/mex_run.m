## RUN = mex_run (W, A, STATE, T): the run struct of __adagrad_train__ (X, y,
## RUN) from the network W, A, STATE and the flat struct T of settings under
## their user names (tests/test_mex.m, tests/fuzz.m): the network's fields
## (optimizer, eta, params, iter, seen, batchseed, kernel, W0) go to RUN.net,
## the batch's (sampling, batchsize, evalevery, Xv, yv, gtol) to
## RUN.options.batch, the call's (maxiter: this call's steps; done, t0, run,
## progress, batches) to RUN.call, total (the run's iterations) to
## RUN.options.maxiter, the others to RUN.options. A name it does not know is
## an error (a test's typo).
function run = mex_run (W, a, state, T)
  groups = struct ("net", {{"optimizer", "eta", "params", "iter", "seen", "batchseed", ...
                            "kernel", "W0"}},
                   "batch", {{"sampling", "batchsize", "evalevery", "Xv", "yv", "gtol"}},
                   "call", {{"maxiter", "done", "t0", "run", "progress", "batches"}},
                   "options", {{"tol", "seconds", "threads", "diagnostics", "target", ...
                                "form", "reform", "loss", "outputfcn", "outputevery"}});
  run = struct ("version", __adagrad_train__ ("version"),
                "net", struct ("W", W, "a", a, "state", state),
                "options", struct ("batch", struct ()), "call", struct ());
  for f = fieldnames (T)'
    name = f{1};
    v = T.(name);
    if (strcmp (name, "total"))
      run.options.maxiter = v;
    elseif (any (strcmp (name, groups.net)))
      run.net.(name) = v;
    elseif (any (strcmp (name, groups.batch)))
      run.options.batch.(name) = v;
    elseif (any (strcmp (name, groups.call)))
      run.call.(name) = v;
    elseif (any (strcmp (name, groups.options)))
      run.options.(name) = v;
    else
      error ("mex_run: unknown setting %s", name);
    endif
  endfor
endfunction
