#!/usr/bin/env bash
# npm run test:systemd: counterpay.service under a real systemd, installed the way the README
# tells a Pi owner. A Debian bookworm root (cached, see debian-root.sh) with Node 20 from the npm
# registry is booted with systemd-nspawn; inside it, as the user "pi", the README's steps run:
# scripts/install.sh --nodesource, npm ci && npm run build, install.sh --dry-run, install.sh
# twice, the config and MAC key, doctor, systemctl start. Then, under the unit as shipped:
#   - active (running) through READY=1, the watchdog fed, the process owned by "counterpay",
#     and real work done (a fabricated table closed at the emulator);
#   - doctor, queue and report work as the README says while it runs;
#   - kill -9 of the main pid: restarted, the SQLite journal and the system journal intact;
#   - SIGSTOP: killed by the watchdog and restarted (a drop-in in /run shortens WatchdogSec);
#   - a broken config: exit 78, not restarted; fixed and restarted, it runs again;
#   - nothing written outside /var/lib/counterpay; systemd-analyze security's exposure printed.
# The Paysera emulator runs on this machine's loopback: the container shares its network
# namespace (no --private-network), so 127.0.0.1 is the same address inside and out.
# Skips, saying why, where it cannot run (not root, no systemd-nspawn, nspawn refused here).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# shellcheck source=scripts/pi/debian-root.sh
source "$HERE/debian-root.sh"

MAC_ID=wkVd93h2uS
MAC_KEY=IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU
LOCATION=3
CTR_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

skip() {
  say "test:systemd SKIPPED: $*"
  exit 0
}

reason="$(roots_unavailable_reason)"
[[ -z "$reason" ]] || skip "$reason"
[[ -f "$REPO/dist/src/cli/main.js" ]] || die "no build in $REPO (npm run build first; npm run test:systemd does it)"

STARTED=$(date +%s)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/counterpay-systemd.XXXXXX")"
ROOT="$WORK/root"
LOGS="$WORK/logs"
mkdir -p "$LOGS"
NSPAWN_PID=''
LEADER=''
EMU_PID=''

# --- ending the container and the emulator on every path ----------------------------------------

stop_container() {
  [[ -n "$NSPAWN_PID" ]] || return 0
  if kill -0 "$NSPAWN_PID" 2>/dev/null; then
    # SIGTERM makes nspawn ask the container's systemd for an orderly halt (--kill-signal default).
    kill -TERM "$NSPAWN_PID" 2>/dev/null || true
    local waited=0
    while kill -0 "$NSPAWN_PID" 2>/dev/null && [[ $waited -lt 60 ]]; do sleep 0.5; waited=$((waited + 1)); done
    if kill -0 "$NSPAWN_PID" 2>/dev/null; then
      say "container did not halt within 30 s: killing it"
      if [[ -n "$LEADER" ]]; then kill -KILL "$LEADER" 2>/dev/null || true; fi
      kill -KILL "$NSPAWN_PID" 2>/dev/null || true
    fi
  fi
  wait "$NSPAWN_PID" 2>/dev/null || true
  NSPAWN_PID=''
}

cleanup() {
  local rc=$? leftover
  trap - EXIT INT TERM
  stop_container
  if [[ -n "$EMU_PID" ]]; then
    kill "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
  fi
  # Nothing may stay mounted or running from the container.
  leftover="$(findmnt -rn -o TARGET | grep -F "$WORK" || true)"
  if [[ -n "$leftover" ]]; then
    say "unmounting what nspawn left: $leftover"
    printf '%s\n' "$leftover" | sort -r | while read -r m; do umount -l "$m" || true; done
    rc=1
  fi
  if [[ -n "$LEADER" ]] && kill -0 "$LEADER" 2>/dev/null; then
    say "the container's init $LEADER still runs"
    rc=1
  fi
  rm -rf --one-file-system "$ROOT"
  if [[ $rc == 0 ]]; then
    rm -rf "$WORK"
  else
    say "logs kept in $LOGS"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- helpers ------------------------------------------------------------------------------------

phase() { say ""; say "== $*"; }
pass() { say "ok: $*"; }

# Shows what the service was doing, then fails the run.
fail() {
  say "FAIL: $*"
  if [[ -n "$LEADER" ]]; then
    ctr systemctl status --no-pager --lines=0 counterpay.service >&2 || true
    ctr journalctl --no-pager -u counterpay.service -n 40 -o short-monotonic >&2 || true
  fi
  exit 1
}

# A command in the booted container, as root, with a clean environment.
ctr() {
  nsenter --target "$LEADER" --mount --uts --ipc --pid --cgroup --root --wd=/ -- \
    /usr/bin/env -i PATH="$CTR_PATH" LANG=C.UTF-8 TERM=dumb "$@"
}

# A shell command line in the container as the user "pi", in a login shell, as a Pi owner types it.
as_pi() { ctr /usr/sbin/runuser -l "$BUILD_USER" -c "$1"; }

# expect_line LOG REGEX: LOG has a line matching REGEX (grep -E), else the run fails showing LOG.
expect_line() { grep -Eq "$2" "$1" || fail "$(basename "$1") has no line matching /$2/:"$'\n'"$(cat "$1")"; }

# doctor_to LOG: "sudo -u counterpay counterpay doctor" as the README says, its exit code in
# DOCTOR_RC (1 here: the configured scanner and keypad are not attached).
doctor_to() {
  DOCTOR_RC=0
  as_pi 'sudo -u counterpay counterpay doctor' >"$1" 2>&1 || DOCTOR_RC=$?
}

# show PROPERTY: one property of counterpay.service.
show() { ctr systemctl show --value -p "$1" counterpay.service; }

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds; fails after SECONDS.
wait_until() {
  local limit=$(($1 * 2)) what="$2" n=0
  shift 2
  until "$@" >/dev/null 2>&1; do
    n=$((n + 1))
    [[ $n -lt $limit ]] || fail "$what: not within $((limit / 2)) s"
    sleep 0.5
  done
}

# Conditions for wait_until: each reads the unit afresh at every poll.
watchdog_ping_after() { [[ "$(show WatchdogTimestampMonotonic)" != "$1" ]]; }
unit_state_is() { [[ "$(show ActiveState)" == "$1" ]]; }
journal_has_watchdog_timeout() { ctr journalctl --no-pager -u counterpay.service -o cat | grep -q 'Watchdog timeout'; }
running_with_pid_other_than() {
  [[ "$(show ActiveState)/$(show SubState)" == active/running ]] && [[ "$(show MainPID)" != "$1" && "$(show MainPID)" != 0 ]]
}

sim() { curl -sf -X "$1" "$EMU_URL/_sim/$2" ${3:+-d "$3"}; }

# spot_closed IDENTIFIER: the emulator saw a close of that spot, answered 200.
spot_closed() {
  # shellcheck disable=SC2016 # JavaScript
  node -e '
    const [url, identifier] = process.argv.slice(1);
    const get = async (path) => (await fetch(url + path)).json();
    (async () => {
      const spot = (await get("/_sim/state")).services["paysera-wallet"].spots.find((s) => s.identifier === identifier);
      const { requests } = await get("/_sim/requests?service=paysera-wallet");
      const closed = spot !== undefined && requests.some((r) => r.method === "PUT" && r.path === `/rest/v1/spot/${spot.id}/close` && r.status === 200);
      process.exit(closed ? 0 : 1);
    })().catch(() => process.exit(1));
  ' "$EMU_URL" "$1"
}

# --- the root, the emulator, the boot -----------------------------------------------------------

phase "root"
tarball="$(root_tarball amd64 systemd systemd-sysv dbus sudo ca-certificates procps)"
unpack_root "$tarball" "$ROOT"
copy_checkout "$REPO" "$ROOT/home/$BUILD_USER/counterpay"
if ! probe="$(systemd-nspawn --quiet --register=no --keep-unit --directory="$ROOT" /bin/true 2>&1)"; then
  skip "systemd-nspawn cannot run here: $(printf '%s' "$probe" | grep -v 'Attempted to remove' | head -n 3 | tr '\n' ' ')"
fi
pass "bookworm root from $(basename "$tarball"), Node $(systemd-nspawn --quiet --register=no --keep-unit --directory="$ROOT" /usr/local/bin/node --version 2>/dev/null)"

phase "emulator on the loopback"
node "$REPO/bin/counterpay.js" emulator --port 0 >"$LOGS/emulator.log" 2>&1 &
EMU_PID=$!
wait_until 60 "the emulator listening" grep -q 'listening on' "$LOGS/emulator.log"
EMU_URL="$(grep -o 'listening on http://[0-9.:]*' "$LOGS/emulator.log" | cut -d' ' -f3)"
pass "$EMU_URL"

phase "boot"
APT_CACHE="$(cache_dir)/apt-archives"
mkdir -p "$APT_CACHE"
# The apt and npm download caches are shared with later runs; everything else is this run's copy.
systemd-nspawn --quiet --register=no --keep-unit --boot --directory="$ROOT" --console=read-only \
  --bind="$APT_CACHE:/var/cache/apt/archives" --bind="$(npm_cache_dir):/home/$BUILD_USER/.npm" \
  >"$LOGS/boot.log" 2>&1 &
NSPAWN_PID=$!
find_leader() { LEADER="$(ps --ppid "$NSPAWN_PID" -o pid=,comm= | awk '$2 == "systemd" { print $1; exit }')"; [[ -n "$LEADER" ]]; }
wait_until 60 "the container's systemd started" find_leader
state="$(ctr timeout 180 systemctl is-system-running --wait || true)"
[[ "$state" == running || "$state" == degraded ]] || fail "the container did not finish booting (is-system-running: $state)"
pass "booted: $(ctr systemctl --version | head -n 1), system $state"

# --- the README's install, step by step ---------------------------------------------------------

phase "README step 1: sudo scripts/install.sh --nodesource (Node 20 is there; stops before the build)"
rc=0
as_pi 'cd ~/counterpay && sudo scripts/install.sh --nodesource' >"$LOGS/install-1.log" 2>&1 || rc=$?
[[ $rc == 1 ]] || { cat "$LOGS/install-1.log" >&2; fail "install.sh before the build: exit $rc, expected 1"; }
expect_line "$LOGS/install-1.log" "no build in /home/$BUILD_USER/counterpay yet"
for pkg in build-essential python3 evtest; do
  # shellcheck disable=SC2016 # a dpkg-query format, not a shell expansion
  ctr dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || fail "install.sh did not install $pkg"
done
pass "build tools installed from apt; stopped with: $(grep -o 'no build in .*yet' "$LOGS/install-1.log")"

phase "README step 2: npm ci && npm run build (as pi)"
as_pi 'cd ~/counterpay && npm ci && npm run build' >"$LOGS/build.log" 2>&1 || { tail -n 40 "$LOGS/build.log" >&2; fail "npm ci && npm run build"; }
pass "built"

phase "README step 3: install.sh --dry-run, then twice"
as_pi 'cd ~/counterpay && sudo scripts/install.sh --dry-run' >"$LOGS/install-dry.log" 2>&1 || { tail -n 20 "$LOGS/install-dry.log" >&2; fail "install.sh --dry-run"; }
expect_line "$LOGS/install-dry.log" '^install: dry run, [0-9]+ changes would be made$'
[[ ! -e "$ROOT/etc/systemd/system/counterpay.service" ]] || fail "the dry run installed the unit"
as_pi 'cd ~/counterpay && sudo scripts/install.sh' >"$LOGS/install-2.log" 2>&1 || { tail -n 30 "$LOGS/install-2.log" >&2; fail "install.sh"; }
as_pi 'cd ~/counterpay && sudo scripts/install.sh' >"$LOGS/install-3.log" 2>&1 || { tail -n 30 "$LOGS/install-3.log" >&2; fail "install.sh, second run"; }
[[ "$(tail -n 1 "$LOGS/install-3.log")" == "install: no changes" ]] || fail "second install.sh run changed things: $(grep -E '^change:' "$LOGS/install-3.log" | head -n 5)"
[[ "$(ctr systemctl is-enabled counterpay.service)" == enabled ]] || fail "counterpay.service not enabled"
[[ "$(ctr systemctl is-active counterpay.service || true)" == inactive ]] || fail "install.sh started the service"
pass "$(grep -E '^install: ' "$LOGS/install-2.log"), then: install: no changes; unit enabled, not started"

phase "README step 4: the MAC key and config.json (paysera at the emulator)"
# The scanner and a USB (evdev) keypad are configured but not attached: the service reports them
# and keeps retrying, as on a Pi started with them unplugged. (A GPIO keypad is not used: the
# container has no sysfs GPIO, and the terminal rightly refuses to start without it.) The display
# and printer write files in the state directory.
cat >"$WORK/config.json" <<EOF
{
  "dataDir": "/var/lib/counterpay",
  "logLevel": "info",
  "paysera": {
    "baseUrl": "$EMU_URL",
    "macId": "$MAC_ID",
    "macKeyFile": "paysera-mac-key",
    "locationId": $LOCATION,
    "pollIntervalMs": 3000,
    "tables": [{ "id": "TABLE1", "number": 1, "name": "Table 1" }, { "id": "TABLE2", "number": 2, "name": "Table 2" }]
  },
  "devices": {
    "scanner": { "driver": "serial", "path": "/dev/counterpay-scanner", "baudRate": 9600 },
    "keypad": { "driver": "evdev", "path": "/dev/input/by-id/usb-counterpay-keypad-event-kbd" },
    "display": { "driver": "file", "path": "/var/lib/counterpay/display.jsonl" },
    "printer": { "interface": "file:/var/lib/counterpay/prints", "type": "epson", "width": 48 }
  }
}
EOF
printf '%s\n' "$MAC_KEY" | as_pi 'sudo tee /etc/counterpay/paysera-mac-key >/dev/null'
as_pi 'sudo tee /etc/counterpay/config.json >/dev/null' <"$WORK/config.json"
[[ "$(ctr stat -c '%a %U' /etc/counterpay/paysera-mac-key)" == "600 counterpay" ]] || fail "the MAC key file is not 0600 counterpay"
pass "config.json and paysera-mac-key written with sudo tee"

phase "README step 5: doctor as counterpay, then systemctl start"
doctor_to "$LOGS/doctor-before.log"
expect_line "$LOGS/doctor-before.log" '^OK +config '
expect_line "$LOGS/doctor-before.log" '^OK +database .*synchronous=FULL, integrity ok'
expect_line "$LOGS/doctor-before.log" '^OK +paysera .*key accepted'
pass "doctor (exit $DOCTOR_RC: the scanner and keypad are not attached): $(grep -E '^doctor:' "$LOGS/doctor-before.log")"

# From here on, anything the service writes outside its state directory is found by comparing
# against this marker (checked at the end).
ctr touch /root/counterpay-test-marker
as_pi 'sudo systemctl start counterpay' >"$LOGS/start.log" 2>&1 || fail "systemctl start counterpay: $(cat "$LOGS/start.log")"

phase "active (running) through READY=1, as user counterpay"
status="$(as_pi 'systemctl status counterpay --no-pager' 2>&1 || true)"
grep -q 'Active: active (running)' <<<"$status" || fail "systemctl status does not say active (running)"
[[ "$(show Type)" == notify ]] || fail "Type is $(show Type)"
# A notify unit is "active" only after READY=1; before that it is "activating".
[[ "$(show ActiveState)/$(show SubState)" == active/running ]] || fail "state $(show ActiveState)/$(show SubState)"
pid="$(show MainPID)"
owner="$(ctr ps -o user= -p "$pid" | tr -d ' ')"
cmd="$(ctr ps -o args= -p "$pid")"
[[ "$owner" == counterpay ]] || fail "main process $pid runs as $owner"
[[ "$cmd" == *"/usr/local/bin/counterpay run --config /etc/counterpay/config.json"* ]] || fail "main process is: $cmd"
[[ "$cmd" == "node --max-semi-space-size=1 --no-opt --no-sparkplug --liftoff-only --expose-gc --compact-on-every-full-gc "* ]] || fail "main process runs without the unit's V8 options: $cmd"
environ="$(ctr cat "/proc/$pid/environ" | tr '\0' '\n')"
grep -qx 'MALLOC_ARENA_MAX=1' <<<"$environ" || fail "main process runs without the unit's MALLOC_ARENA_MAX=1"
pass "pid $pid user $owner, MALLOC_ARENA_MAX=1: $cmd"

phase "the watchdog is fed (WatchdogSec as shipped)"
wdog="$(show WatchdogUSec)"
[[ "$wdog" == 30s ]] || fail "WatchdogUSec is $wdog, the unit ships 30s"
first="$(show WatchdogTimestampMonotonic)"
wait_until 60 "a WATCHDOG=1 ping" watchdog_ping_after "$first"
second="$(show WatchdogTimestampMonotonic)"
wait_until 60 "a second WATCHDOG=1 ping" watchdog_ping_after "$second"
[[ "$(show MainPID)" == "$pid" && "$(show NRestarts)" == 0 ]] || fail "restarted while the watchdog was fed"
pass "two pings seen ($(( ($(show WatchdogTimestampMonotonic) - second) / 1000000 )) s apart), same pid, no restart"

phase "real work under the hardening: a fabricated table is closed, a real one shown"
sim POST check-in "{\"code\":\"PAYSERA*$LOCATION:FAKE9\",\"customer\":\"mallory\"}" >/dev/null || fail "emulator check-in"
sim POST check-in "{\"code\":\"PAYSERA*$LOCATION:TABLE1\",\"customer\":\"alice\"}" >/dev/null || fail "emulator check-in"
wait_until 60 "the fabricated spot FAKE9 closed" spot_closed fake9
wait_until 60 "the display file written" ctr test -s /var/lib/counterpay/display.jsonl
pass "FAKE9 closed at the emulator; $(ctr wc -l /var/lib/counterpay/display.jsonl | cut -d' ' -f1) display frames in /var/lib/counterpay/display.jsonl"

phase "README 'Operating the terminal' while it runs: doctor, queue, report"
doctor_to "$LOGS/doctor-running.log"
expect_line "$LOGS/doctor-running.log" '^OK +database .*read only: counterpay.service runs'
expect_line "$LOGS/doctor-running.log" '^OK +paysera '
pass "doctor: $(grep -E '^OK +database' "$LOGS/doctor-running.log" | sed 's/  */ /g')"
as_pi 'sudo -u counterpay counterpay queue' >"$LOGS/queue.log" 2>&1 || fail "counterpay queue: $(cat "$LOGS/queue.log")"
pass "queue: $(head -n 1 "$LOGS/queue.log")"
as_pi 'sudo -u counterpay counterpay queue --json' >"$LOGS/queue.json" 2>&1 || fail "counterpay queue --json: $(cat "$LOGS/queue.json")"
node -e 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"))' "$LOGS/queue.json" || fail "queue --json is not JSON"
as_pi 'sudo -u counterpay counterpay report' >"$LOGS/report.log" 2>&1 || fail "counterpay report: $(cat "$LOGS/report.log")"
as_pi 'sudo -u counterpay counterpay report --out /tmp/report.png' >"$LOGS/report-out.log" 2>&1 || fail "counterpay report --out: $(cat "$LOGS/report-out.log")"
ctr test -s /tmp/report.png || fail "report --out wrote no PNG"
ctr rm /tmp/report.png
pass "report: $(head -n 3 "$LOGS/report.log" | tr '\n' ' ')"

phase "kill -9 of the main pid: restarted, journals intact"
pid="$(show MainPID)"
restarts="$(show NRestarts)"
ctr kill -KILL "$pid"
wait_until 60 "restart after kill -9" running_with_pid_other_than "$pid"
[[ "$(show NRestarts)" == $((restarts + 1)) ]] || fail "NRestarts $(show NRestarts), expected $((restarts + 1))"
ctr journalctl --verify --quiet >"$LOGS/journal-verify.log" 2>&1 || fail "journalctl --verify: $(cat "$LOGS/journal-verify.log")"
ctr journalctl --no-pager -u counterpay.service "_PID=$pid" -o cat | grep -q . || fail "the killed process's log lines are gone from the journal"
doctor_to "$LOGS/doctor-after-kill.log"
expect_line "$LOGS/doctor-after-kill.log" '^OK +database .*integrity ok'
pass "pid $pid killed, now $(show MainPID); journalctl --verify clean; database integrity ok"

phase "SIGSTOP: the watchdog kills it and it is restarted (drop-in: WatchdogSec=5 for this test)"
ctr mkdir -p /run/systemd/system/counterpay.service.d
printf '[Service]\nWatchdogSec=5\n' | ctr tee /run/systemd/system/counterpay.service.d/test-watchdog.conf >/dev/null
ctr systemctl daemon-reload
ctr systemctl reset-failed counterpay.service || true
ctr systemctl restart counterpay.service || fail "restart with the test watchdog"
pid="$(show MainPID)"
restarts="$(show NRestarts)"
ctr kill -STOP "$pid"
wait_until 90 "restart after the watchdog timeout" running_with_pid_other_than "$pid"
[[ "$(show NRestarts)" == $((restarts + 1)) ]] || fail "NRestarts $(show NRestarts), expected $((restarts + 1))"
# journald takes PID 1's message from a socket and may store it after the restart is visible.
wait_until 30 "systemd's watchdog timeout in the journal" journal_has_watchdog_timeout
ctr rm /run/systemd/system/counterpay.service.d/test-watchdog.conf
ctr systemctl daemon-reload
ctr systemctl restart counterpay.service || fail "restart without the test drop-in"
[[ "$(show WatchdogUSec)" == 30s ]] || fail "the test drop-in is still in force"
pass "stopped pid $pid killed by the watchdog, now $(show MainPID); drop-in removed"

phase "a broken config: exit 78, not restarted"
ctr cp /etc/counterpay/config.json /root/config.json.good
printf '{"paysera": {' | ctr tee /etc/counterpay/config.json >/dev/null
restarts="$(show NRestarts)"
ctr systemctl reset-failed counterpay.service || true
ctr systemctl restart counterpay.service >/dev/null 2>&1 && fail "the service started with a broken config"
wait_until 30 "the failed state" unit_state_is failed
[[ "$(show ExecMainStatus)" == 78 ]] || fail "exit status $(show ExecMainStatus), expected 78"
# With Restart=always a restart would be scheduled at exit (activating/auto-restart); "failed"
# means systemd decided not to.
[[ "$(show SubState)" == failed && "$(show NRestarts)" == "$restarts" ]] || fail "state $(show SubState), restarts $(show NRestarts)"
ctr journalctl --no-pager -u counterpay.service -o cat -n 20 | grep -q 'config.json' || fail "the config error is not in the journal"
pass "exit $(show ExecMainStatus), $(show ActiveState)/$(show SubState), no restart: $(ctr journalctl --no-pager -u counterpay.service -o cat -n 20 | grep -m1 'config.json' | cut -c1-160)"
ctr cp /root/config.json.good /etc/counterpay/config.json
ctr systemctl restart counterpay.service || fail "restart after fixing the config"
pass "config fixed, systemctl restart counterpay: $(show ActiveState) ($(show SubState))"

phase "nothing written outside /var/lib/counterpay"
# Files the service user owns anywhere else (tmpfs included: PrivateTmp, /dev/shm, /run); the
# MAC key is the installer's, owned by counterpay on purpose, and must be unchanged.
owned="$(ctr find / \( -path /proc -o -path /sys -o -path /var/lib/counterpay \) -prune -o -user counterpay ! -path /etc/counterpay/paysera-mac-key -print 2>/dev/null || true)"
[[ -z "$owned" ]] || fail "files of user counterpay outside /var/lib/counterpay: $owned"
[[ -z "$(ctr find /etc/counterpay/paysera-mac-key -newer /root/counterpay-test-marker)" ]] || fail "the MAC key file changed"
# Files changed on the root file system since the service was first started, other than the
# system's journal and state, the test's own edit of the config and its files in /root, and the
# npm and apt download caches (bind mounts shared with other runs on this machine).
changed="$(ctr find / -xdev \( -path /var/lib/counterpay -o -path /var/log/journal -o -path /var/lib/systemd -o -path /proc -o -path /root \
  -o -path "/home/$BUILD_USER/.npm" -o -path /var/cache/apt/archives \) -prune -o -newer /root/counterpay-test-marker ! -type d ! -path /etc/counterpay/config.json -print 2>/dev/null || true)"
[[ -z "$changed" ]] || fail "written since the service started: $changed"
pass "no file of user counterpay outside /var/lib/counterpay; nothing else changed on disk"
pass "/var/lib/counterpay: $(ctr ls /var/lib/counterpay | tr '\n' ' ')"

phase "systemd-analyze security counterpay.service"
ctr systemd-analyze security --no-pager counterpay.service >"$LOGS/security.log" 2>&1 || true
exposure="$(grep -o 'Overall exposure level for counterpay.service: .*' "$LOGS/security.log" || true)"
[[ -n "$exposure" ]] || fail "systemd-analyze security printed no exposure: $(tail -n 5 "$LOGS/security.log")"
ctr journalctl --no-pager -u counterpay.service -o cat | grep -qF "$MAC_KEY" && fail "the MAC key is in the journal"
pass "$exposure"

phase "done"
stop_container
pass "container halted; test:systemd passed in $(($(date +%s) - STARTED)) s ($exposure)"
