#!/usr/bin/env bash
# make dist, then pkg install -local into a temporary HOME, pkg load, train,
# read the help of a MEX-backed function, pkg test, pkg uninstall.
PART=install
. "$(dirname "$0")/lib.sh"
MAKE=${MAKE:-make}
TARBALL=${TARBALL:-$(cd "$top" && ls adagrad-*.tar.gz 2>/dev/null | head -1)}
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT

(cd "$top" && $MAKE --no-print-directory dist >/dev/null)
check $? "make dist failed"
check "$( [ -s "$top/$TARBALL" ] && echo 0 || echo 1)" "no tarball $TARBALL"
# Every file the README links under doc/ is in the tarball beside it.
listed=$(tar -tzf "$top/$TARBALL")
missing=$(grep -oE '\(doc/[^) ]+\)' "$top/README.md" | tr -d '()' | sort -u | while read -r f; do
  echo "$listed" | grep -qx "adagrad-[0-9.]*/$f" || echo "$f"; done)
check "$( [ -z "$missing" ] && echo 0 || echo 1)" "README links files the tarball lacks: $missing"

# The README's first example, as written: the lines after its "pkg load
# adagrad" up to its plot (four spaces of indent dropped).
awk '/^## Using it/ { u = 1 } u && /^    pkg load adagrad/ { on = 1; next }
     on && /^    adagrad_plot \(hist\)/ { exit } on { sub (/^    /, ""); print }' \
  "$top/README.md" >"$home/readme_example.m"
check "$(grep -q 'adagrad_train' "$home/readme_example.m"; echo $?)" "the README's first example was not found"

# A fresh HOME holds the local package list and the installed files; run from
# it so that nothing of the source tree is on the path.
cd "$home"
HOME=$home $OCTAVE --eval "
  warning ('off', 'Octave:gnuplot-graphics');
  graphics_toolkit ('gnuplot'); set (0, 'defaultfigurevisible', 'off');
  pkg ('install', '-local', '$top/$TARBALL');
  pkg load adagrad
  printf ('where %s\n', which ('__adagrad_train__'));
  printf ('pkgadd %d\n', mislocked ('__adagrad_blas_check__'));
  bsh = fullfile (fileparts (which ('__adagrad_blas_check__')), 'adagrad_blas.sh');
  printf ('blassh %d\n', exist (bsh, 'file') == 2 && system (['sh ''' bsh ''' core >/dev/null']) == 0);
  source ('readme_example.m');
  printf ('trained %d %s %.6g %.6g\n', net.iter, hist.stop, hist.loss(1), hist.loss(end));
  h = adagrad_plot (hist, 'file', 'loss.png');
  printf ('plot %d\n', dir ('loss.png').bytes > 2000);
  printf ('help %d\n', ! isempty (strfind (help ('adagrad_gradient'), 'Gradient of the squared loss')));
  pkg test adagrad
  pkg uninstall -local adagrad
  printf ('after uninstall %d\n', isempty (which ('adagrad_train')));
" >"$home/log" 2>&1
rc=$?
grep -vE '^\s*$' "$home/log" | tail -25
check "$rc" "octave exited with status $rc"
check "$(grep -q "^where $home/" "$home/log"; echo $?)" "the MEX files were not loaded from the installed package"
check "$(grep -qE '^trained [0-9]+ converged ' "$home/log"; echo $?)" "the README's first example does not converge: $(grep '^trained' "$home/log")"
check "$(grep -q '^pkgadd 1' "$home/log"; echo $?)" "PKG_ADD (the BLAS check) did not run on pkg load"
check "$(grep -q '^blassh 1' "$home/log"; echo $?)" "adagrad_blas.sh is not installed beside the package's functions"
check "$(grep -q '^plot 1' "$home/log"; echo $?)" "plot from the installed package"
check "$(grep -q '^help 1' "$home/log"; echo $?)" "help text of adagrad_gradient"
check "$(grep -qE '^ +PASS +[1-9][0-9]*' "$home/log" && grep -qE '^ +FAIL +0$' "$home/log"; echo $?)" "pkg test adagrad reported failures"
check "$(grep -q '^after uninstall 1' "$home/log"; echo $?)" "pkg uninstall"
summary
