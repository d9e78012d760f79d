#!/usr/bin/env bash
# Installs counterpay on Raspberry Pi OS / Debian (bookworm or later, arm64 or armhf).
# Idempotent: a second run reports "install: no changes". See --help.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: sudo scripts/install.sh [--dry-run] [--nodesource] [--root DIR] [--source DIR] [--app-dir DIR]

Installs counterpay from this checkout (build it first: npm ci && npm run build):
  - Node.js >= 20.19 if missing or older (from apt; with --nodesource, from NodeSource's
    Node 20 repository when apt only offers an older one, as on bookworm)
  - build tools for the native modules (build-essential, python3) and evtest
  - the system user "counterpay" and the groups dialout, lp, input, gpio
  - the app in /opt/counterpay (production dependencies, native modules rebuilt here)
    and /usr/local/bin/counterpay
  - /etc/counterpay: config.json from the example (only if absent), the example and its
    explanation, and the secret file paysera-mac-key (0600, empty: put your key in it);
    /var/lib/counterpay (0700) for the database
  - the udev rules from hardware/ (only if absent; yours are never overwritten)
  - the systemd unit, enabled (not started: fill in the config first)
It prints, and never applies, the /boot/firmware/config.txt lines the wiring needs.

  --dry-run      print every action, change nothing
  --nodesource   allow adding NodeSource's apt repository for Node 20 (downloads its key)
  --root DIR     write every file under DIR instead of / (tests, image staging);
                 user and systemctl commands get --root too; apt-get still acts on this machine
  --source DIR   the built checkout to install from (default: the one holding this script)
  --app-dir DIR  where the app goes (default: /opt/counterpay)
EOF
}

DRY_RUN=0
ALLOW_NODESOURCE=0
ROOT=/
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_DIR=/opt/counterpay
SERVICE_USER=counterpay
DEVICE_GROUPS=(dialout lp input gpio)
PACKAGES=(build-essential python3 evtest)
CHANGES=0
APT_UPDATED=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --nodesource) ALLOW_NODESOURCE=1 ;;
    --root) ROOT="${2:?--root needs a directory}"; shift ;;
    --source) SOURCE="${2:?--source needs a directory}"; shift ;;
    --app-dir) APP_DIR="${2:?--app-dir needs a directory}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) printf 'install.sh: unknown option %s\n\n' "$1" >&2; usage >&2; exit 64 ;;
  esac
  shift
done

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }

# Every path the script writes goes through P, so --root redirects all of them.
P() {
  if [[ "$ROOT" == / ]]; then printf '%s' "$1"; else printf '%s%s' "${ROOT%/}" "$1"; fi
}

changed() {
  CHANGES=$((CHANGES + 1))
  if [[ $DRY_RUN == 1 ]]; then say "would change: $*"; else say "change: $*"; fi
}

unchanged() { say "ok: $*"; }

# Runs a command that changes the system; in --dry-run only prints it.
run() {
  local shown
  shown="$(printf '%q ' "$@")"
  if [[ $DRY_RUN == 1 ]]; then
    say "  would run: ${shown% }"
  else
    say "  run: ${shown% }"
    "$@"
  fi
}

ROOT_OPT=()
SYSTEMCTL_ROOT=()
if [[ "$ROOT" != / ]]; then
  [[ -d "$ROOT" ]] || die "--root $ROOT is not a directory"
  ROOT="$(cd "$ROOT" && pwd)"
  ROOT_OPT=(--root "$ROOT")
  SYSTEMCTL_ROOT=("--root=$ROOT")
fi
if [[ "$ROOT" == / && $DRY_RUN == 0 && $EUID -ne 0 ]]; then
  die "run as root (sudo), or with --dry-run to see what it would do"
fi
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this installer is for Raspberry Pi OS / Debian"

# --- users and groups (read from the files under --root, else from NSS) ----------------------

passwd_entry() {
  if [[ "$ROOT" == / ]]; then getent passwd "$1" || true; else grep -E "^$1:" "$(P /etc/passwd)" 2>/dev/null || true; fi
}

group_entry() {
  if [[ "$ROOT" == / ]]; then getent group "$1" || true; else grep -E "^$1:" "$(P /etc/group)" 2>/dev/null || true; fi
}

# "uid:gid" of the service user for chown, or the names while it does not exist yet (--dry-run).
service_owner() {
  local entry
  entry="$(passwd_entry "$SERVICE_USER")"
  if [[ -n "$entry" ]]; then
    printf '%s:%s' "$(cut -d: -f3 <<<"$entry")" "$(cut -d: -f4 <<<"$entry")"
  else
    printf '%s:%s' "$SERVICE_USER" "$SERVICE_USER"
  fi
}

# root, and the service user's group: files the service reads but must not change.
root_service_group() {
  local entry
  entry="$(passwd_entry "$SERVICE_USER")"
  if [[ -n "$entry" ]]; then printf '0:%s' "$(cut -d: -f4 <<<"$entry")"; else printf 'root:%s' "$SERVICE_USER"; fi
}

ensure_groups_and_user() {
  local group entry members
  for group in "${DEVICE_GROUPS[@]}"; do
    if [[ -n "$(group_entry "$group")" ]]; then
      unchanged "group $group exists"
    else
      # Plain Debian has no gpio group (Raspberry Pi OS does); the unit needs every group to exist.
      changed "group $group (new system group)"
      run groupadd "${ROOT_OPT[@]}" --system "$group"
    fi
  done
  if [[ -n "$(passwd_entry "$SERVICE_USER")" ]]; then
    unchanged "user $SERVICE_USER exists"
  else
    changed "user $SERVICE_USER (new system user, no login, home /var/lib/counterpay)"
    run useradd "${ROOT_OPT[@]}" --system --user-group --home-dir /var/lib/counterpay --no-create-home \
      --shell /usr/sbin/nologin --comment "counterpay terminal" "$SERVICE_USER"
  fi
  # The unit grants the groups itself (SupplementaryGroups); membership makes
  # "sudo -u counterpay counterpay doctor" see the devices exactly as the service does.
  for group in "${DEVICE_GROUPS[@]}"; do
    entry="$(group_entry "$group")"
    members="$(cut -d: -f4 <<<"$entry")"
    if [[ ",$members," == *",$SERVICE_USER,"* ]]; then
      unchanged "$SERVICE_USER is in group $group"
    else
      changed "$SERVICE_USER joins group $group"
      run usermod "${ROOT_OPT[@]}" --append --groups "$group" "$SERVICE_USER"
    fi
  done
}

# --- files ------------------------------------------------------------------------------------

# ensure_mode PATH MODE OWNER: chmod/chown only where they differ.
ensure_mode() {
  local target
  target="$(P "$1")"
  if [[ ! -e "$target" && ! -L "$target" ]]; then
    run chmod "$2" "$target"
    run chown "$3" "$target"
    return
  fi
  if [[ "$(stat -c '%a' "$target")" != "${2#0}" ]]; then
    changed "$1 mode $2"
    run chmod "$2" "$target"
  fi
  if [[ "$(stat -c '%u:%g' "$target")" != "$3" ]]; then
    changed "$1 owner $3"
    run chown "$3" "$target"
  fi
}

ensure_dir() {
  if [[ -d "$(P "$1")" ]]; then unchanged "$1/"; else changed "$1/ (new)"; run mkdir -p "$(P "$1")"; fi
  ensure_mode "$1" "$2" "$3"
}

# install_file SRC DEST MODE OWNER [keep]: copies when absent or different; "keep" never
# overwrites an existing file (the installer's edits of config and udev rules are theirs).
install_file() {
  local src="$1" dest="$2" mode="$3" owner="$4" policy="${5:-replace}" target
  target="$(P "$dest")"
  if [[ -e "$target" ]]; then
    if cmp -s "$src" "$target"; then
      unchanged "$dest"
    elif [[ "$policy" == keep ]]; then
      say "ok: $dest kept (it differs from ${src#"$SOURCE"/}: yours stays; compare with diff)"
    else
      changed "$dest (updated)"
      run cp "$src" "$target"
    fi
  else
    changed "$dest (new)"
    run mkdir -p "$(dirname "$target")"
    run cp "$src" "$target"
  fi
  ensure_mode "$dest" "$mode" "$owner"
}

# A secret file: created empty with mode 0600 (never with a moment of wider access), never overwritten.
ensure_secret() {
  local dest="$1" owner="$2" target
  target="$(P "$dest")"
  if [[ -e "$target" ]]; then
    unchanged "$dest (secret, contents not touched)"
  else
    changed "$dest (new, empty: put the secret in it)"
    run install -m 0600 /dev/null "$target"
  fi
  ensure_mode "$dest" 0600 "$owner"
}

# sync_tree SRC DEST: replaces DEST with a copy of SRC when their contents differ.
sync_tree() {
  local src="$1" dest="$2" target
  target="$(P "$dest")"
  if [[ -d "$target" ]] && diff -rq "$src" "$target" >/dev/null 2>&1; then
    unchanged "$dest/"
    return
  fi
  changed "$dest/ (copied from ${src#"$SOURCE"/})"
  run rm -rf "$target.new"
  run cp -R "$src" "$target.new"
  run chmod -R u=rwX,go=rX "$target.new"
  run rm -rf "$target"
  run mv "$target.new" "$target"
}

ensure_symlink() {
  local link="$1" to="$2"
  if [[ "$(readlink "$(P "$link")" 2>/dev/null || true)" == "$to" ]]; then
    unchanged "$link -> $to"
  else
    changed "$link -> $to"
    run mkdir -p "$(dirname "$(P "$link")")"
    run ln -sfn "$to" "$(P "$link")"
  fi
}

# --- packages ---------------------------------------------------------------------------------

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    if pkg_installed "$pkg"; then unchanged "package $pkg installed"; else missing+=("$pkg"); fi
  done
  if [[ ${#missing[@]} -eq 0 ]]; then return 0; fi
  changed "packages ${missing[*]}"
  if [[ $APT_UPDATED == 0 ]]; then
    run apt-get update
    APT_UPDATED=1
  fi
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# "MAJOR MINOR" of the node on PATH, "0 0" without one.
node_version() {
  if command -v node >/dev/null 2>&1; then
    node -p 'process.versions.node.split(".").slice(0, 2).join(" ")' 2>/dev/null || echo 0 0
  else
    echo 0 0
  fi
}

apt_candidate_major() {
  apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ { split($2, v, /[.:~+-]/); print (v[1] ~ /^[0-9]+$/ ? v[1] : 0); exit }'
}

ensure_node() {
  local major minor candidate
  read -r major minor <<<"$(node_version)"
  minor="${minor:-0}"
  # The floor of the dependencies (vite: ^20.19, undici: >= 20.18.1), as package.json "engines" says.
  if [[ "$major" -gt 20 || ( "$major" -eq 20 && "$minor" -ge 19 ) ]]; then
    unchanged "node $(node --version) (>= 20.19)"
    return
  fi
  if [[ "$major" == 0 ]]; then say "node: not installed"; else say "node: $(node --version) is older than 20.19"; fi
  candidate="$(apt_candidate_major)"
  candidate="${candidate:-0}"
  if [[ "$candidate" -lt 20 && $APT_UPDATED == 0 ]]; then
    run apt-get update
    APT_UPDATED=1
    candidate="$(apt_candidate_major)"
    candidate="${candidate:-0}"
  fi
  if [[ "$candidate" -ge 20 ]]; then
    changed "nodejs from apt (candidate major $candidate)"
    # NodeSource's nodejs bundles npm; Debian's needs the npm package.
    if apt-cache policy nodejs 2>/dev/null | grep -q 'Candidate:.*nodesource'; then
      run env DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs
    else
      run env DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm
    fi
    return
  fi
  if [[ $ALLOW_NODESOURCE == 0 ]]; then
    die "apt offers nodejs ${candidate/#0/none}, counterpay needs >= 20.19. Rerun with --nodesource to add NodeSource's Node 20 repository, or install Node 20 yourself first."
  fi
  changed "NodeSource apt repository for Node 20, then nodejs"
  apt_install ca-certificates curl gnupg
  run mkdir -p "$(P /etc/apt/keyrings)"
  if [[ $DRY_RUN == 1 ]]; then
    say "  would run: curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor -o $(P /etc/apt/keyrings/nodesource.gpg)"
  else
    say "  run: curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor"
    curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --batch --yes --dearmor -o "$(P /etc/apt/keyrings/nodesource.gpg)"
  fi
  local list
  list="$(mktemp)"
  printf 'deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_20.x nodistro main\n' >"$list"
  install_file "$list" /etc/apt/sources.list.d/nodesource.list 0644 0:0
  rm -f "$list"
  run apt-get update
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs
}

# --- the app ----------------------------------------------------------------------------------

# node -e: loads each native module named after the app dir; better-sqlite3 loads its addon
# only when a database is opened, so one is opened in memory.
LOAD_NATIVE='const r = require("node:module").createRequire(process.argv[1] + "/package.json");
for (const name of process.argv.slice(2)) { const m = r(name); if (name === "better-sqlite3") new m(":memory:").close(); }'

has_build() {
  [[ -f "$SOURCE/dist/src/cli/main.js" && -f "$SOURCE/package-lock.json" ]]
}

install_app() {
  ensure_dir "$APP_DIR" 0755 0:0
  install_file "$SOURCE/package.json" "$APP_DIR/package.json" 0644 0:0
  install_file "$SOURCE/package-lock.json" "$APP_DIR/package-lock.json" 0644 0:0
  sync_tree "$SOURCE/bin" "$APP_DIR/bin"
  sync_tree "$SOURCE/dist" "$APP_DIR/dist"
  local stamp="$APP_DIR/node_modules/.counterpay-lock"
  if [[ -f "$(P "$stamp")" ]] && cmp -s "$SOURCE/package-lock.json" "$(P "$stamp")"; then
    unchanged "$APP_DIR/node_modules (matches package-lock.json)"
  else
    changed "$APP_DIR/node_modules (production dependencies)"
    # --ignore-scripts: the package's own "prepare" builds with tsc, a dev dependency; the native
    # modules (package.json allowScripts) are then built for this Pi by npm rebuild.
    local native
    native="$(node -p 'Object.keys(require(process.argv[1]).allowScripts || {}).join(" ")' "$SOURCE/package.json" 2>/dev/null || true)"
    run npm --prefix "$(P "$APP_DIR")" ci --omit=dev --ignore-scripts --no-audit --no-fund
    if [[ -n "$native" ]]; then
      # shellcheck disable=SC2086 # one word per module
      run npm --prefix "$(P "$APP_DIR")" rebuild $native
      # npm has been seen to end a failed install with exit 0 ("Exit handler never called"):
      # load every native module here, so a broken install stops now and is redone next run.
      if [[ "$ROOT" == / ]]; then
        # shellcheck disable=SC2086 # one word per module
        run node -e "$LOAD_NATIVE" "$APP_DIR" $native
      fi
    fi
    run cp "$SOURCE/package-lock.json" "$(P "$stamp")"
  fi
  ensure_symlink /usr/local/bin/counterpay "$APP_DIR/bin/counterpay.js"
}

# --- configuration, udev, unit ----------------------------------------------------------------

install_config() {
  local owner group_owner
  owner="$(service_owner)"
  group_owner="$(root_service_group)"
  ensure_dir /etc/counterpay 0750 "$group_owner"
  install_file "$SOURCE/hardware/config.example.json" /etc/counterpay/config.example.json 0640 "$group_owner"
  install_file "$SOURCE/hardware/config.example.md" /etc/counterpay/config.example.md 0640 "$group_owner"
  # The first config.json is the example without its optional sections (centrapay, pos,
  # metrics): those need secrets or choices of their own, and a terminal must start with only
  # the Paysera MAC key filled in. They are copied in from config.example.json when wanted.
  local first
  first="$(mktemp)"
  node -e 'const fs = require("node:fs"); const c = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); for (const k of ["centrapay", "pos", "metrics"]) delete c[k]; fs.writeFileSync(process.argv[2], JSON.stringify(c, null, 2) + "\n");' "$SOURCE/hardware/config.example.json" "$first"
  install_file "$first" /etc/counterpay/config.json 0640 "$group_owner" keep
  rm -f "$first"
  ensure_secret /etc/counterpay/paysera-mac-key "$owner"
  # The unit's StateDirectory would create it at the first start; doing it now lets
  # "sudo -u counterpay counterpay doctor" open the database before that.
  ensure_dir /var/lib/counterpay 0700 "$owner"
}

install_udev_rules() {
  local rules=() rule reload=0 before
  shopt -s nullglob
  rules=("$SOURCE"/hardware/*.rules "$SOURCE"/hardware/udev/*.rules)
  shopt -u nullglob
  if [[ ${#rules[@]} -eq 0 ]]; then
    say "ok: no udev rules in hardware/"
    return
  fi
  for rule in "${rules[@]}"; do
    before=$CHANGES
    install_file "$rule" "/etc/udev/rules.d/$(basename "$rule")" 0644 0:0 keep
    if [[ $CHANGES != "$before" ]]; then reload=1; fi
  done
  if [[ $reload == 1 && "$ROOT" == / ]]; then
    # Without a running udev (a container, an image being staged) there is nothing to reload:
    # the rules are read when it starts.
    if command -v udevadm >/dev/null 2>&1 && udevadm control --ping >/dev/null 2>&1; then
      run udevadm control --reload-rules
      run udevadm trigger
    else
      say "  udev is not running here: the rules apply when it starts (next boot)"
    fi
  fi
}

install_unit() {
  local before=$CHANGES state
  install_file "$SOURCE/systemd/counterpay.service" /etc/systemd/system/counterpay.service 0644 0:0
  if [[ $CHANGES != "$before" && "$ROOT" == / ]]; then
    run systemctl daemon-reload
  fi
  state="$(systemctl "${SYSTEMCTL_ROOT[@]}" is-enabled counterpay.service 2>/dev/null || true)"
  if [[ "$state" == enabled ]]; then
    unchanged "counterpay.service enabled"
  else
    changed "enable counterpay.service"
    run systemctl "${SYSTEMCTL_ROOT[@]}" enable counterpay.service
  fi
}

# Printed, never written: config.txt is the firmware's, and a wrong line can stop the Pi booting.
print_config_txt() {
  local file=/boot/firmware/config.txt line missing=()
  local lines=(
    'gpio=12,16,20,21=ip,pu'
    'gpio=5,6,13,19=op,dl'
  )
  for line in "${lines[@]}"; do
    if [[ -f "$(P "$file")" ]] && grep -qxF "$line" "$(P "$file")"; then continue; fi
    missing+=("$line")
  done
  say ""
  if [[ ${#missing[@]} -eq 0 ]]; then
    say "$file already has the keypad lines."
  else
    say "Not applied: for the 4x4 GPIO keypad (hardware/README.md), add to $file, then reboot:"
    say "  # counterpay keypad: columns are inputs with pull-ups, rows outputs driven low"
    for line in "${missing[@]}"; do say "  $line"; done
  fi
  say "  For an I2C 16x2 LCD instead of a pole display, also:"
  say "  dtoverlay=hd44780-i2c-lcd,addr=0x27,display_width=16,display_height=2"
}

main() {
  say "counterpay install from $SOURCE to ${ROOT}$([[ $DRY_RUN == 1 ]] && printf ' (dry run: nothing is changed)')"
  ensure_node
  apt_install "${PACKAGES[@]}"
  if ! has_build; then
    # First run on a fresh Pi: Node and the build tools are there now, the build is the user's step.
    if [[ $DRY_RUN == 0 ]]; then
      die "no build in $SOURCE yet. Node and the build tools are installed: now run 'npm ci && npm run build' there (as your user, not root), then this script again"
    fi
    say "would stop here: no build in $SOURCE yet (npm ci && npm run build)"
  fi
  ensure_groups_and_user
  if has_build; then install_app; fi
  install_config
  install_udev_rules
  install_unit
  print_config_txt
  say ""
  say "Next: put the MAC key into /etc/counterpay/paysera-mac-key, edit /etc/counterpay/config.json"
  say "(explained in /etc/counterpay/config.example.md), fill in your parts' USB ids in"
  say "/etc/udev/rules.d/70-counterpay.rules, then:"
  say "  sudo -u counterpay counterpay doctor && sudo systemctl start counterpay"
  say ""
  if [[ $CHANGES == 0 ]]; then
    say "install: no changes"
  elif [[ $DRY_RUN == 1 ]]; then
    say "install: dry run, $CHANGES changes would be made"
  else
    say "install: $CHANGES changes"
  fi
}

main
