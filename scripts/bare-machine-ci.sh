#!/usr/bin/env bash
# Proves that a fresh clone of this repository installs and passes its CI script on a
# bare Debian 12 (bookworm) machine: no cairo/pango/rsvg -dev packages, no compiler or
# build tools, no fonts and no fontconfig. The "machine" is a debootstrap'ed minbase
# chroot that is built once and reused.
#
# Usage (as root):
#   bash scripts/bare-machine-ci.sh [--install-only] [--keep-mounts] [--rebuild]
#
#   --install-only  stop after the `npm install` step (quick check)
#   --keep-mounts   leave /proc, /sys, /dev, /dev/pts, /dev/shm mounted in the root
#   --rebuild       delete the root (it must carry this script's marker) and build it again
#
# Environment:
#   BARE_ROOT            the chroot                         (default /work/bare-root)
#   BARE_REPO            repository to clone (committed HEAD, never the work tree)
#                                                           (default /work/main)
#   BARE_REF             branch/commit to check out after cloning (default: the clone's HEAD)
#   BARE_SHARED          directory copied to ROOT/work/shared (default /work/shared)
#   BARE_MIRROR          Debian mirror (default: read from the host's apt sources)
#   BARE_KEEP_CACHE=1    keep ROOT/root/.npm and .cache between runs (default: emptied)
#   BARE_EXTRA_PACKAGES  comma-separated extra packages for debootstrap, e.g. python3
#                        (only used when the root is first built)
#
# Nothing on the host is installed, purged or changed: the script writes only under
# BARE_ROOT and mounts only below it (undone at exit unless --keep-mounts). If the root
# must be built and debootstrap is missing, it stops and says how to install it.
# Time: building the root takes ~40 s once (measured; +45 s with python3); a run then
# takes ~10 s of setup + npm install (20-55 s) + the whole CI script.
set -euo pipefail

ROOT=${BARE_ROOT:-/work/bare-root}
REPO=${BARE_REPO:-/work/main}
REF=${BARE_REF:-}
SHARED=${BARE_SHARED:-/work/shared}
MARKER=.bare-machine-ci-root          # file at the top of a root this script built

# Packages of the bare machine: what any CI machine has (TLS roots, git, a PostgreSQL
# client for pg_isready, ps). python3 is left out: only node-gyp looks for it, and without
# node-canvas no dependency builds native code (BARE_EXTRA_PACKAGES=python3 adds it).
# Never add fontconfig, fonts-*, build-essential, g++, make, pkg-config or lib*-dev
# here: their absence is what this script proves.
INCLUDE=ca-certificates,git,postgresql-client,procps
[ -n "${BARE_EXTRA_PACKAGES:-}" ] && INCLUDE="$INCLUDE,$BARE_EXTRA_PACKAGES"

# Packages that must NOT be installed in the root: the rendering -dev packages, fonts and
# build tools the old CI script apt-installed, plus the runtime libraries behind them.
FORBIDDEN=(libcairo2-dev libpango1.0-dev librsvg2-dev libjpeg-dev libgif-dev
  fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji fontconfig build-essential g++
  pkg-config gcc make cpp libcairo2 libpango-1.0-0 librsvg2-2 libpixman-1-0 libfontconfig1
  libfreetype6 fonts-dejavu fonts-dejavu-extra fonts-noto-core fonts-liberation fonts-liberation2)

INSTALL_ONLY=0 KEEP_MOUNTS=0 REBUILD=0
for arg in "$@"; do
  case "$arg" in
    --install-only) INSTALL_ONLY=1 ;;
    --keep-mounts) KEEP_MOUNTS=1 ;;
    --rebuild) REBUILD=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "bare-ci: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\n=== bare-ci: %s\n' "$*"; }
die() { printf 'bare-ci: ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot and mount need it)"
case "$ROOT" in /|/work|/root|/usr|/home|"") die "refusing BARE_ROOT=$ROOT" ;; esac
ROOT=$(realpath -m "$ROOT")
[ -d "$REPO/.git" ] || die "BARE_REPO=$REPO is not a git repository"

# ---------------------------------------------------------------------------------
# Mounts under ROOT and ROOT.partial (debootstrap's work dir), deepest first, from the
# kernel's table, so mounts left by an earlier --keep-mounts run are found too.
mounts_under_root() {
  awk -v r="$ROOT" -v p="$ROOT.partial" '
    $2 == r || index($2, r "/") == 1 || $2 == p || index($2, p "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}
unmount_all() {
  local m
  for m in $(mounts_under_root); do
    umount "$m" 2>/dev/null || umount -l "$m" || echo "bare-ci: could not unmount $m" >&2
  done
}
cleanup() {
  local rc=$?
  if [ "$KEEP_MOUNTS" -eq 1 ]; then
    echo "bare-ci: mounts kept (--keep-mounts):"; mounts_under_root | sed 's/^/  /'
  else
    unmount_all
  fi
  exit "$rc"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------
# The Debian mirror the host's apt uses: the first bookworm "deb" source, from
# one-line .list files or deb822 .sources files (their URIs: line).
host_mirror() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI SUITE COMPONENTS...
    awk '$1 == "deb" { sub(/^deb[ \t]+(\[[^]]*\][ \t]+)?/, ""); split($0, a, /[ \t]+/);
           if (a[2] == "bookworm") { print a[1]; exit } }' "$f"
  done | head -n1 | grep . && return 0
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # Stanzas are separated by blank lines; keep Types/URIs/Suites/Enabled of each.
    awk 'function flush() { if (types ~ /(^| )deb( |$)/ && suites ~ /(^| )bookworm( |$)/ &&
                                enabled != "no" && uris != "") { split(uris, u, " "); print u[1]; found = 1; exit }
                              types = uris = suites = enabled = "" }
         /^[ \t]*#/ { next }
         /^[ \t]*$/ { flush(); next }
         { key = tolower($1); sub(/^[^:]*:[ \t]*/, ""); val = $0 }
         key == "types:" { types = val } key == "uris:" { uris = val }
         key == "suites:" { suites = val } key == "enabled:" { enabled = tolower(val) }
         END { if (!found) flush() }' "$f"
  done | head -n1 | grep . && return 0
  return 1
}

# ---------------------------------------------------------------------------------
# 1. The root: built once with debootstrap (into ROOT.partial, renamed when complete).
if [ "$REBUILD" -eq 1 ] && [ -e "$ROOT" ]; then
  [ -f "$ROOT/$MARKER" ] || die "$ROOT has no $MARKER: not a root this script built; not deleting it"
  say "--rebuild: deleting $ROOT"
  unmount_all
  [ -z "$(mounts_under_root)" ] || die "mounts remain under $ROOT; not deleting"
  rm -rf --one-file-system "$ROOT"
fi
if [ ! -e "$ROOT" ]; then
  command -v debootstrap >/dev/null ||
    die "debootstrap is missing: apt-get update -qq && apt-get install -y debootstrap"
  MIRROR=${BARE_MIRROR:-$(host_mirror)} || die "no bookworm mirror found in /etc/apt/sources.list*; set BARE_MIRROR"
  say "debootstrap bookworm (minbase, +$INCLUDE) from $MIRROR into $ROOT"
  unmount_all
  rm -rf --one-file-system "$ROOT.partial"
  t0=$(date +%s)
  debootstrap --variant=minbase --include="$INCLUDE" bookworm "$ROOT.partial" "$MIRROR"
  t1=$(date +%s)
  # apt in the root behaves like the host's (same mirror; the host's Valid-Until and
  # proxy settings), so the root is an ordinary machine, not one with apt crippled.
  for f in /etc/apt/apt.conf.d/*; do
    grep -qsE 'Check-Valid-Until|Check-Date|::Proxy' "$f" && cp "$f" "$ROOT.partial/etc/apt/apt.conf.d/"
  done
  {
    echo "built: $(date -u +%FT%TZ) by $0"
    echo "mirror: $MIRROR"
    echo "include: $INCLUDE"
    echo "debootstrap_seconds: $((t1 - t0))"
  } > "$ROOT.partial/$MARKER"
  mv "$ROOT.partial" "$ROOT"
  echo "bare-ci: debootstrap took $((t1 - t0)) s"
else
  [ -f "$ROOT/$MARKER" ] || die "$ROOT exists but has no $MARKER (incomplete or foreign); use --rebuild or another BARE_ROOT"
  say "reusing $ROOT"
fi
sed 's/^/  /' "$ROOT/$MARKER"

# ---------------------------------------------------------------------------------
# 2. The host's Node.js (nodesource's node 20 with npm 11; not in Debian's mirror),
#    refreshed on every run: the binary, the headers npm's nodedir=/usr points at,
#    npm and corepack, and the same bin symlinks as on the host.
say "copying the host's Node.js ($(/usr/bin/node --version), npm $(/usr/bin/npm --version 2>/dev/null || echo '?'))"
cp -a /usr/bin/node "$ROOT/usr/bin/node"
mkdir -p "$ROOT/usr/lib/node_modules" "$ROOT/usr/include"
for d in npm corepack; do
  [ -d "/usr/lib/node_modules/$d" ] || continue
  rm -rf "$ROOT/usr/lib/node_modules/$d"
  cp -a "/usr/lib/node_modules/$d" "$ROOT/usr/lib/node_modules/$d"
done
if [ -d /usr/include/node ]; then rm -rf "$ROOT/usr/include/node"; cp -a /usr/include/node "$ROOT/usr/include/node"; fi
for b in npm npx corepack; do
  if [ -L "/usr/bin/$b" ]; then ln -sfn "$(readlink "/usr/bin/$b")" "$ROOT/usr/bin/$b"
  elif [ -e "/usr/bin/$b" ]; then cp -a "/usr/bin/$b" "$ROOT/usr/bin/$b"; fi
done
# npm's configuration: user (/root/.npmrc), global (PREFIX/etc/npmrc = /usr/etc/npmrc)
# and /etc/npmrc if the host has one. The registry URL itself is npm's default here.
mkdir -p "$ROOT/root" "$ROOT/usr/etc"
for f in /root/.npmrc /usr/etc/npmrc /etc/npmrc; do
  if [ -f "$f" ]; then cp -a "$f" "$ROOT$f"; else rm -f "$ROOT$f"; fi
done
echo "  registry (host): $(npm config get registry)"

# ---------------------------------------------------------------------------------
# 3. Network plumbing: name resolution as on the host (its /etc/hosts maps the
#    registry and the mirror), and the host's CA bundle, which holds the CA of this
#    network's TLS egress proxy (npm's cafile points at this path).
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
cp -L /etc/hosts "$ROOT/etc/hosts"
[ -f /etc/ssl/certs/ca-certificates.crt ] && cp -L /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt"

# ---------------------------------------------------------------------------------
# 4. Mounts (skipped when already mounted, e.g. after --keep-mounts).
say "mounting /proc /sys /dev /dev/pts /dev/shm"
mnt() {  # mnt TARGET MOUNT-ARGS...
  local target="$ROOT$1"; shift
  mkdir -p "$target"
  mountpoint -q "$target" || mount "$@" "$target"
}
mnt /proc -t proc proc
mnt /sys -t sysfs sysfs 2>/dev/null || mnt /sys --bind /sys || echo "bare-ci: warning: /sys not mounted"
mnt /dev --bind /dev
mnt /dev/pts --bind /dev/pts || echo "bare-ci: warning: /dev/pts not mounted"
mnt /dev/shm -t tmpfs -o mode=1777,nosuid,nodev shm

# Commands inside the root run with a clean environment, as on a fresh login.
# The host's CA variables are kept (they name the same bundle copied above), and the
# test database settings if the caller set any.
CHROOT_ENV=(HOME=/root USER=root LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8 TERM=dumb
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
for v in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR DATABASE_URL TEST_DATABASE_URL FC_SEED FUZZ_RUNS; do
  [ -n "${!v:-}" ] && CHROOT_ENV+=("$v=${!v}")
done
in_root() { chroot "$ROOT" /usr/bin/env -i "${CHROOT_ENV[@]}" "$@"; }

# ---------------------------------------------------------------------------------
# 5. Evidence that the machine is bare. Fails if any forbidden package is installed
#    (e.g. left behind by a CI script that apt-installed it: rebuild with --rebuild).
assert_bare() {
  say "evidence: no fonts, no fontconfig, no rendering -dev packages, no compiler ($1)"
  in_root bash -c '
    bad=0
    echo "--- /etc/os-release: $(. /etc/os-release; echo "$PRETTY_NAME")"
    if [ -d /usr/share/fonts ] && [ -n "$(ls -A /usr/share/fonts)" ]; then
      echo "FAIL /usr/share/fonts is not empty:"; ls -la /usr/share/fonts; bad=1
    else echo "ok   /usr/share/fonts: $( [ -d /usr/share/fonts ] && echo "empty" || echo "absent")"; fi
    for c in fc-list fc-match fc-cache gcc g++ cc c++ make pkg-config python3; do
      if p=$(command -v "$c"); then echo "note $c found at $p"; case "$c" in python3) ;; *) bad=1 ;; esac
      else echo "ok   $c: not found"; fi
    done
    fontfiles=$(find / -xdev \( -path /work -o -path /proc -o -path /sys \) -prune -o -type f \
      \( -iname "*.ttf" -o -iname "*.otf" -o -iname "*.ttc" -o -iname "*.pfb" -o -iname "*.woff*" \) -print 2>/dev/null | head -n 20)
    if [ -n "$fontfiles" ]; then echo "FAIL font files outside /work:"; echo "$fontfiles"; bad=1
    else echo "ok   no *.ttf/*.otf/*.ttc/*.pfb/*.woff* files outside /work"; fi
    echo "--- dpkg-query for forbidden packages"
    for p in "$@"; do
      s=$(dpkg-query -W -f="\${db:Status-Abbrev}" "$p" 2>/dev/null || true)
      case "$s" in ii*|iU*|iF*|hi*) echo "FAIL $p is installed ($s)"; bad=1 ;; *) echo "ok   $p: not installed" ;; esac
    done
    dev=$(dpkg-query -W -f="\${db:Status-Abbrev} \${Package}\n" 2>/dev/null | awk "\$1 ~ /^i/ && \$2 ~ /-dev(:|\$)/ {print \$2}")
    if [ -n "$dev" ]; then echo "FAIL -dev packages installed: $dev"; bad=1; else echo "ok   no *-dev package installed"; fi
    echo "--- dpkg -l | grep -E \"cairo|pango|rsvg|pixman|fontconfig|freetype|fonts-|jpeg|gif|build-essential|g\\+\\+\" (empty = none):"
    dpkg -l | grep -E "cairo|pango|rsvg|pixman|fontconfig|freetype|fonts-|jpeg|gif|build-essential|g\+\+" || true
    echo "--- $(dpkg-query -W -f="\${db:Status-Abbrev}\n" | grep -c "^ii") packages installed in total"
    exit $bad' bare-check "${FORBIDDEN[@]}" || die "the root is not bare ($1); rebuild it with --rebuild"
}
assert_bare "before the run"

# ---------------------------------------------------------------------------------
# 6. Inputs: ../shared next to the clone, and a fresh clone of the committed HEAD.
say "copying $SHARED to $ROOT/work/shared (read-only)"
mkdir -p "$ROOT/work"
rm -rf "$ROOT/work/shared"
cp -a "$SHARED" "$ROOT/work/shared"
chmod -R a-w "$ROOT/work/shared"

fresh_clone() {
  rm -rf "$ROOT/work/ci-clone"
  # --no-hardlinks: the clone shares no files with the host repository.
  git clone -q --no-hardlinks "$REPO" "$ROOT/work/ci-clone"
  [ -z "$REF" ] || git -C "$ROOT/work/ci-clone" checkout -q "$REF"
  echo "bare-ci: cloned $REPO at $(git -C "$ROOT/work/ci-clone" log -1 --format='%h %s' | cut -c1-100)"
  in_root test -d /work/ci-clone/../shared/notes || die "the clone does not see ../shared"
}

# A fresh machine has no npm, node-gyp or Prisma caches: empty them (BARE_KEEP_CACHE=1
# keeps them, for quicker repeated runs that prove less).
if [ "${BARE_KEEP_CACHE:-0}" != 1 ]; then
  rm -rf "$ROOT/root/.npm" "$ROOT/root/.cache" "$ROOT/root/.node-gyp"
  find "$ROOT/tmp" -mindepth 1 -delete 2>/dev/null || true
fi

say "fresh clone for npm install"
fresh_clone
echo "bare-ci: ../shared seen from the clone: $(in_root ls /work/ci-clone/../shared | tr '\n' ' ')"

# ---------------------------------------------------------------------------------
# 7. npm install, timed.
say "npm install --no-audit --no-fund (log: $ROOT/work/npm-install.log)"
set +e
in_root bash -c '
  cd /work/ci-clone && node --version && npm --version
  t0=$(date +%s.%N)
  npm install --no-audit --no-fund; rc=$?
  t1=$(date +%s.%N)
  echo "bare-ci: npm install exit code $rc in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s"
  [ -d node_modules ] && echo "bare-ci: du -sh node_modules: $(du -sh node_modules | cut -f1)"
  # Nothing may be compiled during the install (node-gyp leaves build/Release behind).
  built=$(find node_modules -type d -path "*/build/Release" 2>/dev/null)
  if [ -n "$built" ]; then echo "bare-ci: FAIL native builds during npm install: $built"; rc=1
  else echo "bare-ci: ok: no build/Release directory under node_modules (nothing compiled by node-gyp)"; fi
  echo "bare-ci: npm ls canvas: $(npm ls canvas --all 2>/dev/null | tail -n +2 | tr -s "\n" " " || true)(empty = not installed)"
  exit $rc' 2>&1 | tee "$ROOT/work/npm-install.log"
install_rc=${PIPESTATUS[0]}
set -e
echo "bare-ci: npm install exit code: $install_rc"
if [ "$install_rc" -ne 0 ]; then
  echo "bare-ci: npm install FAILED on the bare machine (full log: $ROOT/work/npm-install.log)"
  exit "$install_rc"
fi
if [ "$INSTALL_ONLY" -eq 1 ]; then
  assert_bare "after npm install"
  echo "bare-ci: --install-only: done"
  exit 0
fi

# ---------------------------------------------------------------------------------
# 8. The CI script on another fresh clone.
say "fresh clone for CI=true bash .ci/run (log: $ROOT/work/ci-run.log)"
fresh_clone
set +e
in_root bash -c '
  cd /work/ci-clone
  t0=$(date +%s)
  CI=true bash .ci/run; rc=$?
  echo "bare-ci: .ci/run exit code $rc after $(( $(date +%s) - t0 )) s"
  exit $rc' 2>&1 | tee "$ROOT/work/ci-run.log"
ci_rc=${PIPESTATUS[0]}
set -e
# A pass only counts if the CI script did not install what the machine must lack.
assert_bare "after .ci/run"
echo "bare-ci: CI=true bash .ci/run exit code: $ci_rc (log: $ROOT/work/ci-run.log)"
exit "$ci_rc"
