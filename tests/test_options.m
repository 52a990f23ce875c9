## test_options: every option a public function accepts appears in its help.
## Each function is called with an option it does not know; its error names
## the valid ones ("valid options are a, b, c"), and each of those must
## appear quoted ("name") in the function's help text.  A function that
## takes options and is missing from the list below fails the last test.

%!shared calls, X, y, net, hist, r, ck, lin
%! [X, y] = adagrad_data (12, 3, "seed", 1);
%! [net, hist] = adagrad_train (X, y, "width", 8, "maxiter", 3, "tol", 0, "seed", 1);
%! r = adagrad_sweep (X, y, "optimizer", {"gd", "adaloss"}, "b0", [1 2], "width", 8,
%!                    "maxiter", 3, "parallel", "off", "verbose", false);
%! lin = adagrad_linearized (net, hist, X, y);
%! ck = [tempname() ".ckpt"];
%! adagrad_train (X, y, "width", 8, "maxiter", 3, "tol", 0, "seed", 1, "checkpoint", ck);
%! calls = {"adagrad_train", {X, y};
%!          "adagrad_init", {3, 8};
%!          "adagrad_data", {12, 3};
%!          "adagrad_dataset", {"digits", "dir", tempdir()};
%!          "adagrad_demo", {};
%!          "adagrad_forward", {net.W, net.a, X};
%!          "adagrad_gradient", {net.W, net.a, X, y};
%!          "adagrad_check", {net, hist, X, y};
%!          "adagrad_linearized", {net, hist, X, y};
%!          "adagrad_paper", {"quick"};
%!          "adagrad_paper_real", {"quick"};
%!          "adagrad_plot", {hist};
%!          "adagrad_plot_step", {hist};
%!          "adagrad_plot_diagnostics", {hist};
%!          "adagrad_plot_linearized", {lin};
%!          "adagrad_plot_heatmap", {r, "b0", "optimizer"};
%!          "adagrad_resume", {ck, X, y};
%!          "adagrad_step", {net.W, net.W, net.state, "adaloss"};
%!          "adagrad_sweep", {X, y};
%!          "adagrad_sweep_collect", {tempdir()};
%!          "adagrad_atlas", {X, y};
%!          "adagrad_paper_atlas", {"quick"};
%!          "adagrad_plot_atlas", {struct("rules", {{"gd"}}, "scales", 1, "widths", 8, ...
%!                                        "median", 1, "robust", [1 1], "thresholds", [2 10], ...
%!                                        "paths", [], "value", "iterations"), "heatmap"}};

%!function names = accepted (f, args)
%!  names = {};
%!  try
%!    feval (f, args{:}, "no_such_option_zz", 1);
%!  catch err
%!    t = regexp (err.message, 'valid options are (.*)$', "tokens", "once");
%!    if (isempty (t))
%!      error ("test_options: %s does not list its options: %s", f, err.message);
%!    endif
%!    names = strtrim (strsplit (t{1}, ","));
%!  end_try_catch
%!endfunction

%!function miss = undocumented (f, names)
%!  h = get_help_text (f);
%!  miss = names(cellfun (@(n) isempty (strfind (h, ['"' n '"'])), names));
%!endfunction

%!test
%! for k = 1:rows (calls)
%!   names = accepted (calls{k, 1}, calls{k, 2});
%!   assert (! isempty (names), sprintf ("%s accepted an unknown option", calls{k, 1}));
%!   miss = undocumented (calls{k, 1}, names);
%!   assert (isempty (miss), sprintf ("%s's help lacks %s", calls{k, 1}, strjoin (miss, ", ")));
%! endfor
%! unlink (ck);

%!test
%! ## The check can fail: an option the help does not name is found.
%! assert (undocumented ("adagrad_init", {"no_such_option_zz"}), {"no_such_option_zz"});

%!test
%! ## Every public function whose source parses name/value options is called
%! ## above.
%! d = fullfile (fileparts (file_in_loadpath ("adagrad_train.m")));
%! files = glob (fullfile (d, "adagrad*.m"));
%! for k = 1:numel (files)
%!   [~, f] = fileparts (files{k});
%!   src = fileread (files{k});
%!   if (! isempty (regexp (src, '__adagrad_(options|runs)__ \(', "once")))
%!     assert (any (strcmp (calls(:, 1), f)), sprintf ("test_options does not call %s", f));
%!   endif
%! endfor
