#!/usr/bin/env bash
# make check: run every part of the test suite, then print "N passed, M failed"
# and exit non-zero on any failure. A part that dies without its closing
# "<part>: N passed, M failed" line counts as one failure.
set -u
cd "$(dirname "$0")/.."
OCTAVE=${OCTAVE:-octave-cli --no-gui --no-history --norc --quiet}
MAKE=${MAKE:-make}
BUILD=${BUILD:-build}
export OCTAVE MAKE BUILD
pass=0
fail=0
skip=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

part () {
  local name=$1
  shift
  echo "== $name"
  "$@" 2>&1 | tee "$log"
  local line
  line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
  if [ -z "$line" ]; then
    echo "$name: no result line (crashed?): counted as 1 failure"
    fail=$((fail + 1))
    return
  fi
  local p f s
  p=$(echo "$line" | sed -E 's/^[a-z]+: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
  f=$(echo "$line" | sed -E 's/^[a-z]+: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
  s=$(echo "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
  pass=$((pass + p))
  fail=$((fail + f))
  skip=$((skip + ${s:-0}))
}

part purity $MAKE --no-print-directory check-purity
part core "$BUILD/test_core"
part pieces "$BUILD/test_pieces" pieces
part sanitize bash tests/sanitize.sh
part bist $OCTAVE --eval "addpath ('$PWD/tests'); run_bist ('$PWD')"
part fingerprints $OCTAVE --eval "addpath ('$PWD/tests'); fingerprints ('$PWD', 'compare', '$PWD/tests/fingerprints-0.7.0')"
part fuzz bash -c "mkdir -p '$BUILD/fuzz' && cd '$BUILD/fuzz' && $OCTAVE --eval \"addpath ('$PWD/tests'); fuzz ('$PWD', 2000, 2)\""
part interrupt bash tests/test_interrupt.sh
part signals bash tests/test_signals.sh
part checkpoint bash tests/test_checkpoint.sh
part disk bash tests/test_disk.sh
part threads bash tests/test_threads.sh
part memory bash tests/test_memory.sh
part load bash tests/test_load.sh
part blas bash tests/test_blas.sh
part slurm bash tests/test_slurm.sh
part install env TARBALL="${TARBALL:-}" bash tests/test_install.sh

if [ "$skip" -gt 0 ]; then
  echo "$pass passed, $fail failed, $skip skipped"
else
  echo "$pass passed, $fail failed"
fi
[ "$fail" = 0 ]
