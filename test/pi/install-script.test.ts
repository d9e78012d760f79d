import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { PROCESS_TEST_MS } from '../support/wait-for.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(REPO, 'scripts', 'install.sh');

/**
 * Stand-ins for every command that changes the system. Each appends its argv to $STUB_LOG; the
 * user and group commands edit the passwd/group files under --root (with our own uid/gid, so
 * the script's chown works unprivileged there), apt-get and dpkg-query share a package list, and
 * systemctl remembers "enabled". Everything else (cp, chmod, stat, ...) is the real thing.
 */
const STUBS: Record<string, string> = {
  'apt-get': `echo "apt-get $*" >>"$STUB_LOG"
if [ "$1" = install ] || [ "$2" = install ] || [ "$3" = install ]; then
  for a in "$@"; do case "$a" in -*|install) ;; *) echo "$a" >>"$STUB_STATE/pkgs" ;; esac; done
fi`,
  'apt-cache': `echo "nodejs:"; echo "  Installed: (none)"; echo "  Candidate: \${STUB_NODE_CANDIDATE:-18.19.0+dfsg-6~deb12u2}"`,
  'dpkg-query': `pkg="\${*: -1}"; if grep -qx "$pkg" "$STUB_STATE/pkgs" 2>/dev/null; then printf 'install ok installed'; else exit 1; fi`,
  groupadd: `echo "groupadd $*" >>"$STUB_LOG"; [ "$1" = --root ] || exit 9; echo "\${*: -1}:x:$(id -g):" >>"$2/etc/group"`,
  useradd: `echo "useradd $*" >>"$STUB_LOG"; [ "$1" = --root ] || exit 9; name="\${*: -1}"
echo "$name:x:$(id -u):$(id -g)::/var/lib/counterpay:/usr/sbin/nologin" >>"$2/etc/passwd"; echo "$name:x:$(id -g):" >>"$2/etc/group"`,
  usermod: `echo "usermod $*" >>"$STUB_LOG"; [ "$1" = --root ] || exit 9; root="$2"; group="$5"; user="$6"
awk -F: -v OFS=: -v g="$group" -v u="$user" '$1 == g { $4 = ($4 == "" ? u : $4 "," u) } { print }' "$root/etc/group" >"$root/etc/group.new" && mv "$root/etc/group.new" "$root/etc/group"`,
  systemctl: `echo "systemctl $*" >>"$STUB_LOG"
case " $* " in *" is-enabled "*) if [ -f "$STUB_STATE/enabled" ]; then echo enabled; else echo disabled; exit 1; fi ;; *" enable "*) touch "$STUB_STATE/enabled" ;; esac`,
  udevadm: `echo "udevadm $*" >>"$STUB_LOG"`,
  npm: `echo "npm $*" >>"$STUB_LOG"; if [ "$3" = ci ]; then mkdir -p "$2/node_modules"; fi`,
};

/** Commands whose appearance in the log means the run changed something. */
const MUTATING = /^(apt-get (update|install)|groupadd|useradd|usermod|systemctl (--root=\S+ )?enable|npm|udevadm)/m;

let work: string;
let root: string;
let source: string;
let stubs: string;
let state: string;
let log: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'counterpay-install-'));
  root = join(work, 'root');
  source = join(work, 'source');
  stubs = join(work, 'stubs');
  state = join(work, 'state');
  log = join(work, 'log');
  for (const d of [root, source, stubs, state, join(root, 'etc'), join(root, 'boot', 'firmware')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
  // No gpio group: plain Debian has none, and the script must create it.
  writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\ndialout:x:20:\nlp:x:7:\ninput:x:101:\n');
  writeFileSync(join(root, 'boot', 'firmware', 'config.txt'), '[all]\ngpio=12,16,20,21=ip,pu\n');
  writeFileSync(join(state, 'pkgs'), 'build-essential\n');
  writeFileSync(log, '');
  for (const [name, body] of Object.entries(STUBS)) {
    writeFileSync(join(stubs, name), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(join(stubs, name), 0o755);
  }
  // A built checkout: the real package.json, bin, unit, rules and example config; a stand-in dist and lock.
  cpSync(join(REPO, 'package.json'), join(source, 'package.json'));
  cpSync(join(REPO, 'bin'), join(source, 'bin'), { recursive: true });
  cpSync(join(REPO, 'systemd'), join(source, 'systemd'), { recursive: true });
  cpSync(join(REPO, 'hardware'), join(source, 'hardware'), { recursive: true });
  mkdirSync(join(source, 'dist', 'src', 'cli'), { recursive: true });
  writeFileSync(join(source, 'dist', 'src', 'cli', 'main.js'), 'export async function main() { return 0; }\n');
  writeFileSync(join(source, 'package-lock.json'), '{"lockfileVersion": 3}\n');
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function install(args: string[] = [], env: Record<string, string> = {}): { code: number | null; out: string; log: string } {
  const before = readFileSync(log, 'utf8').length;
  const result = spawnSync('bash', [SCRIPT, '--root', root, '--source', source, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${stubs}:${process.env['PATH'] ?? ''}`, STUB_LOG: log, STUB_STATE: state, ...env },
  });
  return { code: result.status, out: result.stdout + result.stderr, log: readFileSync(log, 'utf8').slice(before) };
}

function mode(path: string): string {
  return (statSync(join(root, path)).mode & 0o777).toString(8);
}

const isRoot = process.getuid?.() === 0;
if (!isRoot) process.stderr.write('install-script.test: not root: skipping the runs that chown files to root\n');

describe('scripts/install.sh', { timeout: PROCESS_TEST_MS }, () => {
  it.skipIf(!isRoot)('installs everything under --root, and a second run changes nothing', () => {
    const first = install();
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/^install: \d+ changes$/m);

    expect(first.log).toMatch(/^apt-get install -y --no-install-recommends python3 evtest$/m);
    expect(first.log).toMatch(/^groupadd --root \S+ --system gpio$/m);
    expect(first.log).not.toMatch(/^groupadd .*(dialout|lp|input)$/m);
    expect(first.log).toMatch(/^useradd --root \S+ --system --user-group .* counterpay$/m);
    expect(first.log).toMatch(/^npm --prefix \S+\/opt\/counterpay ci --omit=dev --ignore-scripts/m);
    expect(first.log).toMatch(/^npm --prefix \S+ rebuild better-sqlite3 epoll @serialport\/bindings-cpp$/m);
    expect(first.log).toMatch(/^systemctl --root=\S+ enable counterpay\.service$/m);
    // With --root nothing touches the running system's udev or systemd.
    expect(first.log).not.toMatch(/^udevadm|daemon-reload/m);

    const group = readFileSync(join(root, 'etc', 'group'), 'utf8');
    for (const g of ['dialout', 'lp', 'input', 'gpio']) expect(group).toMatch(new RegExp(`^${g}:x:\\d+:counterpay$`, 'm'));
    expect(readFileSync(join(root, 'etc/systemd/system/counterpay.service'), 'utf8')).toBe(readFileSync(join(REPO, 'systemd/counterpay.service'), 'utf8'));
    expect(mode('etc/systemd/system/counterpay.service')).toBe('644');
    expect(readFileSync(join(root, 'etc/udev/rules.d/70-counterpay.rules'), 'utf8')).toBe(readFileSync(join(REPO, 'hardware/70-counterpay.rules'), 'utf8'));
    expect(mode('etc/counterpay')).toBe('750');
    expect(mode('var/lib/counterpay')).toBe('700');
    expect(statSync(join(root, 'var/lib/counterpay')).uid).toBe(process.getuid?.());
    // The first config is the example without its optional sections (they need secrets of their
    // own), so a new terminal starts with only the MAC key filled in.
    const installed = JSON.parse(readFileSync(join(root, 'etc/counterpay/config.json'), 'utf8')) as Record<string, unknown>;
    const { centrapay: _c, pos: _p, metrics: _m, ...required } = JSON.parse(readFileSync(join(REPO, 'hardware/config.example.json'), 'utf8')) as Record<string, unknown>;
    expect(installed).toEqual(required);
    expect(Object.keys(installed)).not.toContain('centrapay');
    expect(mode('etc/counterpay/config.json')).toBe('640');
    expect(readFileSync(join(root, 'etc/counterpay/paysera-mac-key'), 'utf8')).toBe('');
    expect(mode('etc/counterpay/paysera-mac-key')).toBe('600');
    // With only the MAC key filled in, it loads.
    writeFileSync(join(root, 'etc/counterpay/paysera-mac-key'), 'k\n', { mode: 0o600 });
    expect(loadConfig(join(root, 'etc/counterpay/config.json')).config.centrapay).toBeUndefined();
    expect(readlinkSync(join(root, 'usr/local/bin/counterpay'))).toBe('/opt/counterpay/bin/counterpay.js');
    expect(existsSync(join(root, 'opt/counterpay/dist/src/cli/main.js'))).toBe(true);
    expect(readFileSync(join(root, 'boot/firmware/config.txt'), 'utf8')).toBe('[all]\ngpio=12,16,20,21=ip,pu\n');
    // The missing config.txt line is printed, the present one is not.
    expect(first.out).toMatch(/^ {2}gpio=5,6,13,19=op,dl$/m);
    expect(first.out).not.toMatch(/^ {2}gpio=12,16,20,21=ip,pu$/m);

    const second = install();
    expect(second.code, second.out).toBe(0);
    expect(second.out.trimEnd().split('\n').at(-1)).toBe('install: no changes');
    expect(second.out).not.toMatch(/^(change|would change):/m);
    expect(second.log).not.toMatch(MUTATING);
  });

  it.skipIf(!isRoot)('keeps an edited config.json and udev rule, restores a wrong secret-file mode, updates a changed unit', () => {
    expect(install().code).toBe(0);
    writeFileSync(join(root, 'etc/counterpay/config.json'), '{"mine": true}\n');
    writeFileSync(join(root, 'etc/udev/rules.d/70-counterpay.rules'), '# my ids\n');
    writeFileSync(join(root, 'etc/counterpay/paysera-mac-key'), 'secret\n');
    chmodSync(join(root, 'etc/counterpay/paysera-mac-key'), 0o644);
    writeFileSync(join(source, 'systemd/counterpay.service'), `${readFileSync(join(source, 'systemd/counterpay.service'), 'utf8')}# changed\n`);

    const run = install();
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/^ok: \/etc\/counterpay\/config\.json kept/m);
    expect(run.out).toMatch(/^ok: \/etc\/udev\/rules\.d\/70-counterpay\.rules kept/m);
    expect(run.out).toMatch(/^change: \/etc\/counterpay\/paysera-mac-key mode 0600$/m);
    expect(run.out).toMatch(/^change: \/etc\/systemd\/system\/counterpay\.service \(updated\)$/m);
    expect(run.out).toMatch(/^install: 2 changes$/m);
    expect(readFileSync(join(root, 'etc/counterpay/config.json'), 'utf8')).toBe('{"mine": true}\n');
    expect(readFileSync(join(root, 'etc/counterpay/paysera-mac-key'), 'utf8')).toBe('secret\n');
    expect(mode('etc/counterpay/paysera-mac-key')).toBe('600');
  });

  it('--dry-run prints every action and changes nothing', () => {
    const dry = install(['--dry-run']);
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toMatch(/^would change: user counterpay/m);
    expect(dry.out).toMatch(/^ {2}would run: useradd --root /m);
    expect(dry.out).toMatch(/^ {2}would run: cp \S+\/systemd\/counterpay\.service \S+\/etc\/systemd\/system\/counterpay\.service$/m);
    expect(dry.out).toMatch(/^ {2}would run: systemctl --root=\S+ enable counterpay\.service$/m);
    expect(dry.out).toMatch(/^install: dry run, \d+ changes would be made$/m);
    expect(dry.out).not.toMatch(/^change:|^ {2}run:/m);
    expect(dry.log).not.toMatch(MUTATING);
    expect(readdirSync(root).sort()).toEqual(['boot', 'etc']);
    expect(readdirSync(join(root, 'etc')).sort()).toEqual(['group', 'passwd']);
  });

  it('stops with instructions when Node is older than 20.19 and apt offers no newer one; --nodesource dry run shows the repository steps', () => {
    writeFileSync(join(stubs, 'node'), '#!/usr/bin/env bash\nif [ "$1" = --version ]; then echo v18.19.0; else echo 18; fi\n');
    chmodSync(join(stubs, 'node'), 0o755);
    const refused = install(['--dry-run']);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/apt offers nodejs 18, counterpay needs >= 20\.19\. Rerun with --nodesource/);

    // A Node 20 below the dependencies' floor is not enough either.
    writeFileSync(join(stubs, 'node'), '#!/usr/bin/env bash\nif [ "$1" = --version ]; then echo v20.11.0; else echo 20 11; fi\n');
    const old20 = install(['--dry-run']);
    expect(old20.code).toBe(1);
    expect(old20.out).toMatch(/^node: v20\.11\.0 is older than 20\.19$/m);
    writeFileSync(join(stubs, 'node'), '#!/usr/bin/env bash\nif [ "$1" = --version ]; then echo v18.19.0; else echo 18; fi\n');

    const nodesource = install(['--dry-run', '--nodesource']);
    expect(nodesource.out).toMatch(/would change: NodeSource apt repository for Node 20, then nodejs/);
    expect(nodesource.out).toMatch(/would run: curl -fsSL https:\/\/deb\.nodesource\.com\/gpgkey\/nodesource-repo\.gpg\.key/);
    expect(nodesource.out).toMatch(/would change: \/etc\/apt\/sources\.list\.d\/nodesource\.list \(new\)/);
    expect(nodesource.log).not.toMatch(MUTATING);

    const fromApt = install(['--dry-run'], { STUB_NODE_CANDIDATE: '20.19.2+dfsg-1' });
    expect(fromApt.out).toMatch(/would run: env DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm/);
  });

  it.skipIf(!isRoot)('without a build: installs Node and the tools, then stops saying how to build', () => {
    rmSync(join(source, 'dist'), { recursive: true });
    const run = install();
    expect(run.code).toBe(1);
    expect(run.log).toMatch(/^apt-get install -y --no-install-recommends python3 evtest$/m);
    expect(run.out).toMatch(/no build in \S+ yet\. Node and the build tools are installed: now run 'npm ci && npm run build' there/);
    expect(existsSync(join(root, 'etc/counterpay'))).toBe(false);
    const dry = install(['--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^would stop here: no build/m);
  });

  it('the example config the script installs is valid against the strict schema', () => {
    const dir = join(work, 'etc-counterpay');
    mkdirSync(dir);
    cpSync(join(REPO, 'hardware/config.example.json'), join(dir, 'config.json'));
    // The example is complete: Centrapay and POS read their secrets from files beside it too.
    for (const secret of ['paysera-mac-key', 'centrapay-api-key', 'pos-token']) writeFileSync(join(dir, secret), 'k\n', { mode: 0o600 });
    const loaded = loadConfig(join(dir, 'config.json'));
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config.dataDir).toBe('/var/lib/counterpay');
  });
});

const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;
if (!shellcheck) process.stderr.write('install-script.test: shellcheck not installed (apt-get install shellcheck): skipping the lint\n');

describe.skipIf(!shellcheck)('shell scripts lint', { timeout: PROCESS_TEST_MS }, () => {
  // install.sh, and the Pi checks (npm run test:systemd, test:arm) with the library they source.
  const scripts = [join('scripts', 'install.sh'), ...readdirSync(join(REPO, 'scripts', 'pi')).filter((f) => f.endsWith('.sh')).map((f) => join('scripts', 'pi', f))];

  it.each(scripts)('%s is shellcheck clean', (script) => {
    const result = spawnSync('shellcheck', ['--external-sources', script], { cwd: REPO, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
