# lib.sh: sourced by each shell part of `make check` once it has set PART:
# where the tree is, the tools, the counters, check, and summary (the part's
# closing line "PART: N passed, M failed[, K skipped]" that tests/check.sh
# reads; its status is 0 when nothing failed).
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OCTAVE=${OCTAVE:-octave-cli --no-gui --no-history --norc --quiet}
BUILD=${BUILD:-build}
pass=0 fail=0 skip=0
check () { if [ "$1" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $PART: $2"; fi; }
summary () {
  if [ "$skip" -gt 0 ]; then
    echo "$PART: $pass passed, $fail failed, $skip skipped"
  else
    echo "$PART: $pass passed, $fail failed"
  fi
  [ "$fail" = 0 ]
}
