## run_bist (TOP): run the %! test blocks of every .m file under TOP/inst and
## TOP/tests, and every %!demo block of TOP/inst headless; print one line per
## file and a closing "bist: N passed, M failed" (a failed demo counts as a
## failure).  Uses the uninstalled build in TOP/build.
function run_bist (top)
  ## inst/private on the path too, so that its files' tests can call them.
  addpath (fullfile (top, "build"), fullfile (top, "inst"), fullfile (top, "inst", "private"),
           fullfile (top, "tests"));
  warning ("off", "Octave:gnuplot-graphics");
  graphics_toolkit ("gnuplot");
  set (0, "defaultfigurevisible", "off");
  files = [glob(fullfile (top, "inst", "*.m")); glob(fullfile (top, "inst", "private", "*.m"));
           glob(fullfile (top, "tests", "*.m"))];
  npass = 0;
  nfail = 0;
  for k = 1:numel (files)
    f = files{k};
    text = fileread (f);
    [~, name] = fileparts (f);
    if (isempty (regexp (text, '^%!(test|assert|error|fail|warning)', "lineanchors", "once")))
      continue;
    endif
    [n, nmax, nxfail, nbug, nskip, nrtskip] = test (f, "quiet", stdout);
    failed = nmax - n - nxfail - nbug;
    printf ("  %-4s %-28s %3d passed, %d failed%s\n", merge (failed > 0, "FAIL", "ok"),
            name, n, failed, skipped (nskip + nrtskip));
    npass += n;
    nfail += failed;
  endfor
  ## Demos: each must run to its end without an error.
  for k = 1:numel (files)
    f = files{k};
    [~, name] = fileparts (f);
    ndemo = numel (regexp (fileread (f), '^%!demo', "lineanchors"));
    for j = 1:ndemo
      try
        evalc (sprintf ("demo ('%s', %d);", name, j));
        close all;
        printf ("  ok   demo %s (%d)\n", name, j);
      catch err
        printf ("  FAIL demo %s (%d): %s\n", name, j, err.message);
        nfail += 1;
      end_try_catch
    endfor
  endfor
  printf ("bist: %d passed, %d failed\n", npass, nfail);
endfunction

function s = skipped (n)
  s = "";
  if (n > 0)
    s = sprintf (", %d skipped", n);
  endif
endfunction
