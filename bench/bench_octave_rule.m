## bench_octave_rule (TOP, OLD): the per-step cost of a rule written in Octave
## (heavy ball as a function handle) against the built-in momentum, in this
## tree (TOP) and in another build (OLD, e.g. a clone of 0.7.0 built with make),
## in one Octave process: the two builds are swapped on the path (and the MEX
## files cleared) between the timings, each the best of 3, alternating.
## Prints ms per step of both rules and the Octave rule's overhead per step
## (its time less the built-in rule's) for each tree, at (n, d, m) =
## (100, 10, 1000) and (1000, 100, 16384).
function bench_octave_rule (top, old)
  sizes = [100 10 1000 200; 1000 100 16384 6];
  hb = @(W, G, s, info) deal (W - 0.01 * (0.8 * s + G), 0.8 * s + G);
  trees = {top, old};
  names = {"this tree", "other"};
  bench_use (top, old);
  printf ("BLAS: %s; OPENBLAS_CORETYPE=%s\n", version ("-blas"), getenv ("OPENBLAS_CORETYPE"));
  printf ("%-18s %-10s %12s %12s %12s\n", "n, d, m", "tree", "momentum", "octave rule",
          "overhead");
  for s = 1:rows (sizes)
    [n, d, m, K] = deal (sizes(s, 1), sizes(s, 2), sizes(s, 3), sizes(s, 4));
    t = Inf (2, 2);
    for rep = 1:3
      for tr = 1:2
        bench_use (trees{tr}, trees{3 - tr});
        [X, y] = adagrad_data (n, d, "seed", 1);
        net = adagrad_init (d, m, "seed", 2, "optimizer", "momentum", "eta", 0.01,
                            "momentum", 0.8);
        tic ();
        adagrad_train (net, X, y, "maxiter", K, "tol", 0, "display", "off");
        t(tr, 1) = min (t(tr, 1), toc () / K);
        net = adagrad_init (d, m, "seed", 2, "optimizer", hb, "eta", 0.01);
        net.state = zeros (m, d);
        tic ();
        adagrad_train (net, X, y, "maxiter", K, "tol", 0, "display", "off");
        t(tr, 2) = min (t(tr, 2), toc () / K);
      endfor
    endfor
    for tr = 1:2
      printf ("%-18s %-10s %12.3f %12.3f %12.3f\n", sprintf ("%d, %d, %d", n, d, m),
              names{tr}, 1e3 * t(tr, 1), 1e3 * t(tr, 2), 1e3 * (t(tr, 2) - t(tr, 1)));
    endfor
    printf ("%-18s %-10s %12s %12s %12.2f (this/other, octave rule)\n", "", "ratio", "", "",
            t(1, 2) / t(2, 2));
  endfor
endfunction
