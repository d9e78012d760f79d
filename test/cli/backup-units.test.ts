import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, skipReason } from '../support/debian-tools.js';

/** The nightly backup example (systemd/counterpay-backup.service and .timer), as docs/operations.md describes it. */

const read = (name: string): string => readFileSync(new URL(`../../systemd/${name}`, import.meta.url), 'utf8');

/** key -> every value, for one section of a unit file (comments and blank lines dropped). */
function section(text: string, name: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  let inside = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      inside = header[1] === name;
      continue;
    }
    if (!inside) continue;
    const eq = line.indexOf('=');
    keys.set(line.slice(0, eq), [...(keys.get(line.slice(0, eq)) ?? []), line.slice(eq + 1)]);
  }
  return keys;
}

const SERVICE = read('counterpay-backup.service');
const TIMER = read('counterpay-backup.timer');
const service = section(SERVICE, 'Service');
const one = (key: string): string | undefined => service.get(key)?.at(-1);

describe('systemd/counterpay-backup.service and .timer', () => {
  it('runs counterpay backup once, as the service user, to a dated file per host on the backup mount', () => {
    expect(one('Type')).toBe('oneshot');
    expect(one('User')).toBe('counterpay');
    const exec = one('ExecStart') ?? '';
    expect(exec).toContain('/usr/local/bin/counterpay backup --config /etc/counterpay/config.json --out "/mnt/counterpay-backup/counterpay-%H-$(date +%%Y-%%m-%%d).db"');
    expect(section(SERVICE, 'Unit').get('RequiresMountsFor')).toEqual(['/mnt/counterpay-backup']);
    // The reader beside a running terminal needs the journal's directory (its -shm file).
    expect(one('ReadWritePaths')?.split(' ')).toEqual(expect.arrayContaining(['/var/lib/counterpay', '/mnt/counterpay-backup']));
  });

  it('the shell line gives the file name the docs name (systemd turns %% into %)', () => {
    const exec = (one('ExecStart') ?? '').replaceAll('%H', 'counter-1').replaceAll('%%', '%');
    const inner = /^\/bin\/sh -c '(.*)'$/.exec(exec)?.[1] ?? '';
    const result = spawnSync('/bin/sh', ['-c', inner.replace(/^exec \S+/, 'printf "%s\\n"')], { encoding: 'utf8' });
    const args = result.stdout.trim().split('\n');
    expect(args.slice(0, 5)).toEqual(['backup', '--config', '/etc/counterpay/config.json', '--out', expect.stringMatching(/^\/mnt\/counterpay-backup\/counterpay-counter-1-\d{4}-\d{2}-\d{2}\.db$/)]);
  });

  it('the timer fires nightly and catches up after a night the Pi was off', () => {
    const timer = section(TIMER, 'Timer');
    expect(timer.get('OnCalendar')).toEqual(['*-*-* 03:30:00']);
    expect(timer.get('Persistent')).toEqual(['true']);
    expect(section(TIMER, 'Install').get('WantedBy')).toEqual(['timers.target']);
  });

  const analyze = hasTool('systemd-analyze', ['--version']);
  it.skipIf(!analyze)(`systemd-analyze verify accepts both${skipReason(analyze, 'systemd-analyze', 'systemd')}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'counterpay-units-'));
    try {
      writeFileSync(join(dir, 'counterpay-backup.service'), SERVICE);
      writeFileSync(join(dir, 'counterpay-backup.timer'), TIMER);
      const result = spawnSync('systemd-analyze', ['verify', join(dir, 'counterpay-backup.service'), join(dir, 'counterpay-backup.timer')], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
