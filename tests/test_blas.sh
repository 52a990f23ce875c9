#!/usr/bin/env bash
# inst/adagrad_blas.sh: the OpenBLAS core for a CPU's flags, the environment
# line only where the library would fall back to Prescott and the user set
# nothing, `run` passing it on, and the Makefile's goals starting Octave with
# it. A fake Octave stands in for the library's answer.
PART=blas
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
script="$top/inst/adagrad_blas.sh"

printf 'vendor_id\t: GenuineIntel\nflags\t\t: fpu sse2 avx avx2 fma\n' >"$work/haswell"
printf 'vendor_id\t: GenuineIntel\nflags\t\t: fpu avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl\n' >"$work/skx"
printf 'vendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx avx2 fma\n' >"$work/zen"
printf 'vendor_id\t: HygonGenuine\nflags\t\t: fpu avx2 fma\n' >"$work/hygon"
printf 'vendor_id\t: GenuineIntel\nflags\t\t: fpu sse2 sse3 avx\n' >"$work/old"
# AVX-512 F alone (no BW, DQ, VL) is not enough for SkylakeX.
printf 'vendor_id\t: GenuineIntel\nflags\t\t: fpu avx2 fma avx512f\n' >"$work/knl"
for c in haswell:Haswell skx:SkylakeX zen:Zen hygon:Zen old: knl:Haswell; do
  f=${c%%:*} want=${c#*:}
  got=$(sh "$script" core "$work/$f")
  check "$( [ "$got" = "$want" ] && echo 0 || echo 1)" "core for $f: '$got', not '$want'"
done

# A fake Octave: it answers version ("-blas") with $FAKE_BLAS, and otherwise
# prints the OPENBLAS_CORETYPE it was started with.
cat >"$work/octave" <<'EOF'
#!/bin/sh
case "$*" in
  *'version ("-blas")'*) echo "$FAKE_BLAS" ;;
  *) echo "started with CORETYPE=${OPENBLAS_CORETYPE-unset} args=$*" ;;
esac
EOF
chmod +x "$work/octave"
prescott="OpenBLAS (config: OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Prescott MAX_THREADS=64)"
haswell="OpenBLAS (config: OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64)"
e=$(env -u OPENBLAS_CORETYPE FAKE_BLAS="$prescott" ADAGRAD_CPUINFO="$work/skx" sh "$script" env "$work/octave")
check "$( [ "$e" = OPENBLAS_CORETYPE=SkylakeX ] && echo 0 || echo 1)" "env on a Prescott fallback: '$e'"
e=$(env -u OPENBLAS_CORETYPE FAKE_BLAS="$haswell" ADAGRAD_CPUINFO="$work/skx" sh "$script" env "$work/octave")
check "$( [ -z "$e" ] && echo 0 || echo 1)" "env where the library picked a core: '$e'"
e=$(env -u OPENBLAS_CORETYPE FAKE_BLAS="$prescott" ADAGRAD_CPUINFO="$work/old" sh "$script" env "$work/octave")
check "$( [ -z "$e" ] && echo 0 || echo 1)" "env on an old CPU: '$e'"
# The user's setting stands, even an empty one.
e=$(OPENBLAS_CORETYPE=Haswell FAKE_BLAS="$prescott" ADAGRAD_CPUINFO="$work/skx" sh "$script" env "$work/octave")
check "$( [ -z "$e" ] && echo 0 || echo 1)" "env overrides the user's OPENBLAS_CORETYPE: '$e'"
e=$(OPENBLAS_CORETYPE= FAKE_BLAS="$prescott" ADAGRAD_CPUINFO="$work/skx" sh "$script" env "$work/octave")
check "$( [ -z "$e" ] && echo 0 || echo 1)" "env overrides an empty OPENBLAS_CORETYPE: '$e'"
# run: the core reaches the Octave it starts, with the arguments as given.
o=$(env -u OPENBLAS_CORETYPE FAKE_BLAS="$prescott" ADAGRAD_CPUINFO="$work/zen" sh "$script" run "$work/octave" --eval 'a b')
check "$( [ "$o" = "started with CORETYPE=Zen args=--eval a b" ] && echo 0 || echo 1)" "run: '$o'"
o=$(OPENBLAS_CORETYPE=Haswell FAKE_BLAS="$prescott" ADAGRAD_CPUINFO="$work/zen" sh "$script" run "$work/octave" x)
check "$( [ "$o" = "started with CORETYPE=Haswell args=x" ] && echo 0 || echo 1)" "run with the user's core: '$o'"
o=$(env -u OPENBLAS_CORETYPE FAKE_BLAS="$haswell" ADAGRAD_CPUINFO="$work/zen" sh "$script" run "$work/octave" x)
check "$( [ "$o" = "started with CORETYPE=unset args=x" ] && echo 0 || echo 1)" "run without a fallback: '$o'"
sh "$script" bogus 2>/dev/null
check "$( [ $? = 2 ] && echo 0 || echo 1)" "an unknown command is not a usage error"

# The Makefile: make demo starts Octave with the core, and says so.
o=$(cd "$top" && env -u OPENBLAS_CORETYPE FAKE_BLAS="$prescott" ADAGRAD_CPUINFO="$work/haswell" \
      make -s OCTAVE="$work/octave" BUILD="$BUILD" demo 2>&1)
check "$(echo "$o" | grep -q '^adagrad: OPENBLAS_CORETYPE=Haswell (OpenBLAS would run' && echo 0 || echo 1)" \
  "make demo does not say which core it sets: $o"
check "$(echo "$o" | grep -q '^started with CORETYPE=Haswell args=--no-gui' && echo 0 || echo 1)" \
  "make demo does not start Octave with the core: $o"
o=$(cd "$top" && OPENBLAS_CORETYPE=Zen FAKE_BLAS="$prescott" ADAGRAD_CPUINFO="$work/haswell" \
      make -s OCTAVE="$work/octave" BUILD="$BUILD" demo 2>&1)
check "$(echo "$o" | grep -q '^started with CORETYPE=Zen args=' && ! echo "$o" | grep -q '^adagrad: OPENBLAS' && echo 0 || echo 1)" \
  "make demo overrides the user's core: $o"
summary
