#!/bin/sh
# Copyright (C) 2026 The adagrad developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# adagrad_blas.sh: the OpenBLAS core to ask for on this CPU, for the case
# where OpenBLAS does not recognize it and falls back to its generic
# "Prescott" kernels (Debian 12's OpenBLAS 0.3.21 does so on some recent
# Intel CPUs: its matrix products are then 3 to 7 times slower).
#
#   sh adagrad_blas.sh core [CPUINFO]
#       Print the core that fits the CPU described by CPUINFO (a file in the
#       form of /proc/cpuinfo; default $ADAGRAD_CPUINFO, else /proc/cpuinfo):
#       SkylakeX with AVX-512 (F, BW, DQ, VL), else Zen on an AMD or Hygon
#       CPU with AVX2 and FMA, else Haswell with AVX2 and FMA; nothing for an
#       older CPU.
#   sh adagrad_blas.sh env [OCTAVE]
#       Print OPENBLAS_CORETYPE=CORE when OPENBLAS_CORETYPE is not set, the
#       OpenBLAS of OCTAVE (default octave-cli; version ("-blas")) runs its
#       Prescott kernels and the CPU has a better core; else print nothing.
#       A value the user set is never overridden.
#   sh adagrad_blas.sh run OCTAVE [ARGS...]
#       Run OCTAVE ARGS with OPENBLAS_CORETYPE=CORE in its environment where
#       env would print it (make check, demo, bench and fuzz, and the task
#       scripts of adagrad_sweep's Slurm engine start Octave this way).
set -u

core () {
  f=${1:-${ADAGRAD_CPUINFO:-/proc/cpuinfo}}
  [ -r "$f" ] || return 0
  flags=" $(grep -m1 '^flags' "$f" | sed 's/^[^:]*://' | tr '\t' ' ') "
  vendor=$(grep -m1 '^vendor_id' "$f" | sed 's/^[^:]*://')
  has () {
    case "$flags" in *" $1 "*) return 0 ;; esac
    return 1
  }
  if has avx512f && has avx512bw && has avx512dq && has avx512vl; then
    echo SkylakeX
  elif has avx2 && has fma; then
    case "$vendor" in
      *AuthenticAMD* | *HygonGenuine*) echo Zen ;;
      *) echo Haswell ;;
    esac
  fi
}

envline () {
  # The user's choice stands, even an empty one.
  [ -n "${OPENBLAS_CORETYPE+set}" ] && return 0
  blas=$(${1:-octave-cli} --no-gui --norc --silent --eval 'disp (version ("-blas"))' 2>/dev/null) \
    || return 0
  case "$blas" in
    *Prescott*) ;;
    *) return 0 ;;
  esac
  c=$(core)
  [ -n "$c" ] && echo "OPENBLAS_CORETYPE=$c"
  return 0
}

case "${1:-}" in
  core)
    core "${2:-}"
    ;;
  env)
    envline "${2:-}"
    ;;
  run)
    [ $# -ge 2 ] || { echo "adagrad_blas.sh: run needs the Octave to start" >&2; exit 2; }
    oct=$2
    shift 2
    e=$(envline "$oct")
    [ -n "$e" ] && export "$e"
    exec "$oct" "$@"
    ;;
  *)
    echo "usage: sh adagrad_blas.sh core [CPUINFO] | env [OCTAVE] | run OCTAVE [ARGS...]" >&2
    exit 2
    ;;
esac
