## test_tables: the documentation follows the C core's tables.  Every rule
## of the rule table, and every parameter of it, appears (quoted, as an
## option value or name) in the help of adagrad_train, adagrad_init,
## adagrad_step and adagrad_sweep and in doc/theory.md; every loss of the
## loss table, its value and its residual, in the help of adagrad_train and
## in doc/theory.md.  A new rule or loss without its lines fails here.

%!shared T, L, theory
%! T = __adagrad_rules__ ();
%! [~, L] = __adagrad_rules__ ();
%! theory = fileread (fullfile (fileparts (file_in_loadpath ("test_tables.m")), "..", "doc", "theory.md"));

%!function miss = missing (text, words, fmt)
%!  miss = {};
%!  for w = words
%!    if (isempty (strfind (text, sprintf (fmt, w{1}))))
%!      miss{end+1} = w{1};
%!    endif
%!  endfor
%!endfunction

%!function w = rule_words (T)
%!  w = {T.name};
%!  for r = T'
%!    if (! isempty (r.params))
%!      w = [w, {r.params.name}];
%!    endif
%!  endfor
%!  w = unique (w);
%!endfunction

%!test
%! assert (numel (T) >= 1 && numel (L) >= 1);
%! for f = {"adagrad_train", "adagrad_init", "adagrad_step", "adagrad_sweep"}
%!   miss = missing (get_help_text (f{1}), rule_words (T), '"%s"');
%!   assert (isempty (miss), sprintf ("%s's help lacks %s", f{1}, strjoin (miss, ", ")));
%! endfor

%!test
%! miss = missing (theory, rule_words (T), '%s');
%! assert (isempty (miss), sprintf ("doc/theory.md lacks %s", strjoin (miss, ", ")));

%!test
%! h = get_help_text ("adagrad_train");
%! for l = L'
%!   for part = {sprintf('"%s"', l.name), l.value, l.residual}
%!     assert (! isempty (strfind (h, part{1})), sprintf ("adagrad_train's help lacks %s", part{1}));
%!   endfor
%!   for part = {sprintf('`%s`', l.name), l.value, l.residual}
%!     assert (! isempty (strfind (theory, part{1})), sprintf ("doc/theory.md lacks %s", part{1}));
%!   endfor
%! endfor

%!test
%! ## The test itself can fail: a rule the help does not name is found.
%! fake = T(1);
%! fake.name = "no-such-rule";
%! assert (missing (get_help_text ("adagrad_train"), rule_words ([T; fake]), '"%s"'),
%!         {"no-such-rule"});
