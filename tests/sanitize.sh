#!/usr/bin/env bash
# make check-sanitize: the C unit tests under AddressSanitizer + UndefinedBehavior-
# Sanitizer (leaks included) and under valgrind memcheck; each run must exit 0
# with no sanitizer or valgrind error, no leak, and no failed test.
PART=sanitize
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
CC=${CC:-gcc}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

$CC -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
  -std=gnu11 -fopenmp -fno-trapping-math -Wall -Wextra -Isrc -Itests/core -o "$BUILD/test_core_asan" \
  tests/test_core.c tests/core/*.c src/*.c -lopenblas -lz -lm
check $? "the sanitized build failed"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
  "$BUILD/test_core_asan" >"$log" 2>&1
rc=$?
tail -3 "$log"
check "$( [ $rc = 0 ] && grep -q '^core: [0-9]* passed, 0 failed' "$log" \
          && ! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error' "$log"; echo $?)" \
  "AddressSanitizer/UBSan run (exit $rc)"

if command -v valgrind >/dev/null; then
  valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect -q "$BUILD/test_core" >"$log" 2>&1
  rc=$?
  tail -3 "$log"
  check "$( [ $rc = 0 ] && grep -q '^core: [0-9]* passed, 0 failed' "$log"; echo $?)" \
    "valgrind memcheck run (exit $rc)"
else
  check 1 "valgrind is not installed"
fi
summary
