#!/usr/bin/env bash
# make check-debian13: the whole `make check` again on Debian 13 (trixie:
# Octave 9, OpenBLAS 0.3.29, gnuplot 6), in a chroot that debootstrap builds
# in DEBIAN13_DIR (default .debian13 of the source tree; kept and reused).
# The package's Debian packages are installed there by the tree's own
# `make deps`, the tree (tracked and untracked files, not the ignored ones) is
# copied to /root/adagrad there, and `make check` runs inside with /proc, /dev,
# /dev/pts, /dev/shm and a fresh /tmp mounted. Root only (debootstrap, chroot, mount).
#
# Prints "debian13: skipped (REASON)" and exits 0 when it cannot run here (not
# root, not Linux, the Debian archive out of reach); otherwise what make check
# prints inside, and its exit status.
#
#   DEBIAN13_DIR     where the root lives (DEBIAN13_DIR/root)
#   DEBIAN13_MIRROR  the archive (default http://deb.debian.org/debian)
#   DEBIAN13_FRESH=1 build the root anew
#   DEBIAN13_RUN     what runs inside instead of make check (e.g.
#                    "make all && bash tests/test_memory.sh"); its output must
#                    end in a line "N passed, M failed" like make check's
set -u
cd "$(dirname "$0")/.."
top=$PWD
dir=${DEBIAN13_DIR:-$top/.debian13}
mirror=${DEBIAN13_MIRROR:-http://deb.debian.org/debian}
suite=trixie
root=$dir/root

skip () { echo "debian13: skipped ($*)"; exit 0; }

[ "$(uname -s)" = Linux ] || skip "needs Linux"
[ "$(id -u)" = 0 ] || skip "needs root for debootstrap, chroot and mount; run: sudo make check-debian13"

# Is the archive reachable? One HEAD request for the suite's InRelease (bash's
# /dev/tcp: no curl or wget needed); a proxy in http_proxy is asked instead.
reachable () {
  local url=$1 host path port=80 px
  case $url in http://*) ;; *) return 0 ;; esac   # https or file: let debootstrap tell
  host=${url#http://}; path=/${host#*/}; host=${host%%/*}
  [ "/$host" = "$path" ] && path=/
  px=${http_proxy:-${HTTP_PROXY:-}}
  local to=$host target="${path%/}/dists/$suite/InRelease"
  if [ -n "$px" ]; then
    to=${px#http://}; to=${to%%/*}; target="http://$host$target"
  fi
  case $to in *:*) port=${to##*:}; to=${to%:*} ;; esac
  timeout 20 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "HEAD %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" "$3" "$4" >&3
    IFS= read -r line <&3 || exit 1
    case $line in "HTTP/1."[01]" 200"*) exit 0 ;; *) exit 1 ;; esac' _ "$to" "$port" "$target" "$host" 2>/dev/null
}

have_root () { [ -f "$root/etc/debian_version" ] && grep -q '^13' "$root/etc/debian_version" \
               && [ -x "$root/usr/bin/make" ] && [ -f "$dir/ready" ]; }

t0=$(date +%s)
if [ -n "${DEBIAN13_FRESH:-}" ] || ! have_root; then
  reachable "$mirror" || skip "the Debian archive $mirror is not reachable"
  if ! command -v debootstrap >/dev/null; then
    echo "debian13: installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
           apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; } \
      || { echo "debian13: no debootstrap"; echo "debian13: 0 passed, 1 failed"; exit 1; }
  fi
  echo "debian13: debootstrap $suite into $root"
  rm -rf "$dir"
  mkdir -p "$dir"
  if ! debootstrap --variant=minbase --include=make,gcc,libc6-dev,ca-certificates \
       "$suite" "$root.new" "$mirror" > "$dir/debootstrap.log" 2>&1; then
    tail -20 "$dir/debootstrap.log"
    echo "debian13: debootstrap failed (log: $dir/debootstrap.log)"
    echo "debian13: 0 passed, 1 failed"
    exit 1
  fi
  mv "$root.new" "$root"
  cat > "$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
EOF
  # No daemon starts while packages install (munge, slurm): the tests start
  # their own, and a daemon left running would keep the mounts busy.
  printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  touch "$dir/ready"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
t1=$(date +%s)

# Mount what the tests need, and undo it (and stop anything still running in
# the root) however this script ends.
mounted=()
cleanup () {
  local p link
  for p in /proc/[0-9]*; do
    link=$(readlink "$p/root" 2>/dev/null) || continue
    case $link in "$root"|"$root"/*) kill -KILL "${p#/proc/}" 2>/dev/null ;; esac
  done
  sleep 0.2
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[$i]}" 2>/dev/null || umount -l "${mounted[$i]}" 2>/dev/null
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mnt () {  # mnt TYPE SOURCE TARGET [OPTIONS]
  mkdir -p "$3"
  mountpoint -q "$3" && umount -l "$3"
  if [ "$1" = bind ]; then mount --bind "$2" "$3"; else mount -t "$1" ${4:+-o "$4"} "$2" "$3"; fi \
    && mounted+=("$3")
}
mnt proc proc "$root/proc"
mnt bind /dev "$root/dev"
mnt devpts devpts "$root/dev/pts" newinstance,ptmxmode=0666
mnt tmpfs tmpfs "$root/dev/shm" mode=1777
mnt tmpfs tmpfs "$root/tmp" mode=1777

# The tree: what git tracks and what it does not ignore; a tree outside git
# (an unpacked tarball) goes whole but for build outputs.
dst=$root/root/adagrad
rm -rf "$dst"
mkdir -p "$dst"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$top" ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
    | tar -C "$top" --null -T - -cf - | tar -C "$dst" -xf -
else
  tar -C "$top" --exclude=./build --exclude=./.debian13 --exclude='*.o' --exclude='*.mex' \
    --exclude='./adagrad-*.tar.gz' -cf - . | tar -C "$dst" -xf -
fi

# Inside: the tree's own make deps (as root: every Debian package the tests
# use, Slurm and the data sets included; its log in /root/deps.log there),
# then make check.
log=$dir/check.log
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  RUN="${DEBIAN13_RUN:-make --no-print-directory check}" \
  bash -c 'cd /root/adagrad && echo "debian13: Debian $(cat /etc/debian_version)" && t=$(date +%s) &&
           { make --no-print-directory deps > /root/deps.log 2>&1 ||
             { tail -30 /root/deps.log; echo "debian13: make deps failed"; exit 1; }; } &&
           echo "debian13: $(octave-cli --version | head -1); $(dpkg-query -W -f="OpenBLAS \${Version}" libopenblas0-pthread 2>/dev/null); $(gnuplot --version)" &&
           echo "debian13: packages ready in $(( $(date +%s) - t )) s" && t=$(date +%s) &&
           { eval "$RUN"; rc=$?;
             echo "debian13: $RUN took $(( $(date +%s) - t )) s"; exit $rc; }' 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
line=$(grep -E '^([a-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
echo "debian13: root ready in $((t1 - t0)) s; in all $(( $(date +%s) - t0 )) s (log: $log)"
if [ -z "$line" ]; then
  echo "debian13: 0 passed, 1 failed (no closing line: make check in the chroot crashed or did not run)"
  exit 1
fi
echo "debian13: $line"
[ "$rc" = 0 ] || exit "$rc"
