import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckLine, DoctorContext, Exec } from '../../src/doctor/doctor-check.js';
import { GpioBuzzer } from '../../src/devices/buzzer/gpio-buzzer.js';
import { FakeGpio } from '../../src/devices/keypad/fake-gpio.js';
import { FakeClock } from '../../src/platform/fake-clock.js';
import { clockCheck } from '../../src/doctor/clock-check.js';
import { databaseCheck } from '../../src/doctor/database-check.js';
import { buzzerTest, devicesCheck } from '../../src/doctor/devices-check.js';
import { loadConfig } from '../../src/config/load-config.js';
import { DEFAULT_CASH_REGISTER, DEFAULT_CENTRAPAY_API_KEY, DEFAULT_MERCHANT_ACCOUNT_ID, DEFAULT_POS_TOKEN, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { SystemClock } from '../../src/platform/clock.js';
import { SystemRandom } from '../../src/platform/random.js';
import { DataDirLock, Store } from '../../src/store/index.js';
import { runCli } from '../support/cli-run.js';
import { freeLoopbackPort } from '../support/free-port.js';
import { PROCESS_TEST_MS } from '../support/wait-for.js';

const MAC_ID = 'wkVd93h2uS';
const KEY = 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU';

let emu: Emulator;
let dir: string;

beforeEach(async () => {
  emu = await startEmulator({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'counterpay-doctor-'));
});
afterEach(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** `counterpay doctor ARGV...`; `lines` keeps the blank lines that separate its sections. */
async function doctor(argv: string[]): Promise<{ code: number; lines: string[]; err: string }> {
  const { code, out, err } = await runCli(['doctor', ...argv]);
  return { code, lines: out.trimEnd().split('\n'), err };
}

/** A config in the temp dir; the database is created first (doctor as root never creates it). */
function writeConfig(overrides: { paysera?: Record<string, unknown>; devices?: Record<string, unknown>; extra?: Record<string, unknown> } = {}): string {
  const dataDir = join(dir, 'data');
  const store = new Store({ dataDir, clock: new SystemClock(), random: new SystemRandom() });
  store.open();
  store.close();
  const path = join(dir, 'config.json');
  const config = {
    dataDir,
    paysera: { baseUrl: emu.url, macId: MAC_ID, macKey: KEY, locationId: 3, tables: ['TABLE1'], ...overrides.paysera },
    devices: {
      scanner: { driver: 'serial', path: '/dev/null' },
      keypad: { driver: 'stdin' },
      display: { driver: 'file', path: join(dir, 'display.txt') },
      printer: { interface: '/dev/null' },
      ...overrides.devices,
    },
    ...overrides.extra,
  };
  writeFileSync(path, JSON.stringify(config));
  return path;
}

function line(lines: string[], name: string): string {
  const found = lines.find((l) => l.slice(5).startsWith(`${name} `));
  if (found === undefined) throw new Error(`no "${name}" line in:\n${lines.join('\n')}`);
  return found;
}

describe('counterpay doctor against the emulator', { timeout: PROCESS_TEST_MS }, () => {
  it('a good config: every check OK (dev keypad WARN), print and display tests, exit 0', async () => {
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1');
    const { code, lines } = await doctor(['--config', writeConfig(), '--print-test', '--display-test']);
    expect(line(lines, 'config')).toMatch(/^OK {3}config +.*config\.json$/);
    expect(line(lines, 'database')).toMatch(/^OK {3}database +.*counterpay\.db: journal_mode=wal, synchronous=FULL, integrity ok, schema \d+$/);
    expect(line(lines, 'clock')).toMatch(/^(OK|WARN) clock /);
    expect(line(lines, 'paysera')).toMatch(/^OK {3}paysera +http:\/\/127\.0\.0\.1:\d+ reachable, key accepted \(1 waiting spot\), clock skew [+-]\d+\.\d s against the server$/);
    expect(line(lines, 'scanner')).toMatch(/^OK {3}scanner +\/dev\/null present/);
    expect(line(lines, 'keypad')).toMatch(/^WARN keypad +stdin \(development driver\)/);
    expect(line(lines, 'display')).toMatch(/^OK {3}display /);
    expect(line(lines, 'display-test')).toMatch(/^OK {3}display-test +shows "counterpay"/);
    expect(line(lines, 'printer')).toMatch(/^OK {3}printer +\/dev\/null present/);
    expect(line(lines, 'print-test')).toMatch(/^OK {3}print-test +test page sent/);
    expect(lines.at(-1)).toMatch(/^doctor: no failures, \d warnings?$/);
    expect(lines.join('\n')).not.toContain(KEY);
    expect(code).toBe(0);
    // Two requests to Paysera, nothing written: the unsigned server time, then one signed read.
    expect(emu.requests.list({ service: 'paysera-wallet' }).map((r) => [r.method, r.path.split('?')[0], r.status])).toEqual([
      ['GET', '/rest/v1/server', 200],
      ['GET', '/rest/v1/spots', 200],
    ]);
  });

  it('a wrong key: paysera FAIL naming macId/macKey, exit 1', async () => {
    const { code, lines } = await doctor(['--config', writeConfig({ paysera: { macKey: 'wrong-key-wrong-key-wrong-key-00' } })]);
    expect(line(lines, 'paysera')).toMatch(/^FAIL paysera +key not accepted \(\w+\): check paysera\.macId and paysera\.macKey\/macKeyFile; clock skew/);
    expect(line(lines, 'config')).toMatch(/^OK /);
    expect(lines.at(-1)).toMatch(/^doctor: 1 failed/);
    expect(code).toBe(1);
  });

  it('bad JSON: config FAIL with the loader\'s message, the checks needing it skipped, exit 1', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, '{"paysera": {');
    const { code, lines } = await doctor(['--config', path]);
    expect(line(lines, 'config')).toMatch(new RegExp(`^FAIL config +${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON: `));
    for (const name of ['database', 'paysera', 'devices']) expect(line(lines, name)).toMatch(new RegExp(`^WARN ${name} +not checked: the config did not load$`));
    expect(line(lines, 'clock')).toMatch(/^(OK|WARN) clock /);
    expect(code).toBe(1);
  });

  it('a config that is valid JSON but wrong: the same one-line field error as the loader', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ paysera: { macId: MAC_ID, macKey: KEY, locationId: 3, colour: 'red' } }));
    const { code, lines } = await doctor(['--config', path]);
    expect(line(lines, 'config')).toContain(`${path}: paysera: unknown field "colour"`);
    expect(code).toBe(1);
  });

  it('an unreachable baseUrl: paysera FAIL saying it cannot reach the server, exit 1', async () => {
    const port = await freeLoopbackPort();
    const { code, lines } = await doctor(['--config', writeConfig({ paysera: { baseUrl: `http://127.0.0.1:${port}`, connectTimeoutMs: 1000 } })]);
    expect(line(lines, 'paysera')).toMatch(/^FAIL paysera +GET http:\/\/127\.0\.0\.1:\d+\/rest\/v1\/server: cannot reach the server \(connect_failed\): check the network and paysera\.baseUrl$/);
    expect(code).toBe(1);
  });

  it('a missing device path: that device FAILs with what to do, exit 1', async () => {
    const missing = join(dir, 'counterpay-scanner');
    const { code, lines } = await doctor(['--config', writeConfig({ devices: { scanner: { driver: 'serial', path: missing } } })]);
    expect(line(lines, 'scanner')).toBe(`FAIL scanner      ${missing} is missing: plug it in, check the udev rule (/etc/udev/rules.d/70-counterpay.rules) and the path in the config`);
    expect(line(lines, 'printer')).toMatch(/^OK /);
    expect(code).toBe(1);
  });

  it('a TCP printer nobody listens on: printer FAIL; the print test is not attempted', async () => {
    const port = await freeLoopbackPort();
    const { code, lines } = await doctor(['--config', writeConfig({ devices: { printer: { interface: `tcp://127.0.0.1:${port}` } } }), '--print-test']);
    expect(line(lines, 'printer')).toMatch(/^FAIL printer +tcp:\/\/127\.0\.0\.1:\d+: cannot connect \(ECONNREFUSED\)/);
    expect(lines.some((l) => l.includes('print-test'))).toBe(false);
    expect(code).toBe(1);
  });

  it('a database file that is not SQLite: database FAIL', async () => {
    const path = writeConfig();
    writeFileSync(join(dir, 'data', 'counterpay.db'), 'this is not a database, just some text that is long enough to be a header of sorts..');
    rmSync(join(dir, 'data', 'counterpay.db-wal'), { force: true });
    rmSync(join(dir, 'data', 'counterpay.db-shm'), { force: true });
    const { code, lines } = await doctor(['--config', path]);
    expect(line(lines, 'database')).toMatch(/^FAIL database /);
    expect(code).toBe(1);
  });

  it('a system clock 10 minutes behind the server: paysera WARN with the skew, exit 0', async () => {
    await emu.stop();
    emu = await startEmulator({ port: 0, clockSkewS: 600 });
    const { code, lines } = await doctor(['--config', writeConfig()]);
    expect(line(lines, 'paysera')).toMatch(/^WARN paysera +.*key accepted.*clock skew -(599|600|601)\.\d s against the server: the system clock is off/);
    expect(code).toBe(0);
  });
});

describe('doctor: Centrapay and POS when configured', { timeout: PROCESS_TEST_MS }, () => {
  const centrapay = (apiKey: string): Record<string, unknown> => ({
    baseUrl: emu.centrapayUrl,
    apiKey,
    configId: 'mc_1',
    merchantAccountId: DEFAULT_MERCHANT_ACCOUNT_ID,
    terminalId: 't1',
    deviceId: 'd1',
  });
  const pos = (token: string, cashRegisterNumber = DEFAULT_CASH_REGISTER): Record<string, unknown> => ({
    baseUrl: emu.posUrl,
    token,
    cashRegisterNumber,
    orderNumberPrefix: 'CP-',
  });

  it('not configured: one OK line each', async () => {
    const { lines } = await doctor(['--config', writeConfig()]);
    expect(line(lines, 'centrapay')).toBe('OK   centrapay    not configured (the Centrapay key is off)');
    expect(line(lines, 'pos')).toBe('OK   pos          not configured (no POS back-office sync)');
  });

  it('configured and accepted: OK with one read each, nothing created', async () => {
    const { code, lines } = await doctor(['--config', writeConfig({ extra: { centrapay: centrapay(DEFAULT_CENTRAPAY_API_KEY), pos: pos(DEFAULT_POS_TOKEN) } })]);
    expect(line(lines, 'centrapay')).toMatch(/^OK {3}centrapay +http:\/\/127\.0\.0\.1:\d+ reachable, API key accepted for merchant account /);
    expect(line(lines, 'pos')).toMatch(new RegExp(`^(OK {3}|WARN )pos +http://127\\.0\\.0\\.1:\\d+/eapi/v1 reachable, token accepted, cash register ${DEFAULT_CASH_REGISTER} `));
    expect(code).toBe(0);
    const writes = emu.requests.list().filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
  });

  it('wrong Centrapay key, wrong POS token, unknown register: FAIL lines saying what to check', async () => {
    const bad = await doctor(['--config', writeConfig({ extra: { centrapay: centrapay('wrong-key'), pos: pos('wrong-token') } })]);
    expect(line(bad.lines, 'centrapay')).toMatch(/^FAIL centrapay +apiKey not accepted \(\w+\): check centrapay\.apiKey\/apiKeyFile$/);
    expect(line(bad.lines, 'pos')).toMatch(/^FAIL pos +token not accepted \(\w+\): check pos\.token\/tokenFile$/);
    expect(bad.code).toBe(1);
    const unknown = await doctor(['--config', writeConfig({ extra: { pos: pos(DEFAULT_POS_TOKEN, 'NO-SUCH-REGISTER') } })]);
    expect(line(unknown.lines, 'pos')).toBe('FAIL pos          cash register NO-SUCH-REGISTER not found: check pos.cashRegisterNumber');
  });
});

describe('devices check: evdev keypad', { timeout: PROCESS_TEST_MS }, () => {
  it('needs the device readable and evtest installed', async () => {
    const path = writeConfig({ devices: { keypad: { driver: 'evdev', path: '/dev/null' } } });
    const base = { configPath: path, loaded: loadConfig(path), env: {}, clock: new SystemClock(), printTest: false, displayTest: false, isRoot: false, consoleOut: new PassThrough() };
    const keypad = async (exec: Exec): Promise<string | undefined> => (await devicesCheck.run({ ...base, exec })).find((l) => l.name === 'keypad')?.message;
    expect(await keypad(async () => ({ code: 1, stdout: '' }))).toBe('/dev/null present, readable');
    expect(await keypad(async () => undefined)).toBe('/dev/null: evtest is not installed: apt-get install evtest');
  });
});

describe('devices check: buzzer', { timeout: PROCESS_TEST_MS }, () => {
  it('no buzzer, no line; a console buzzer is WARN and --display-test plays its three signals', async () => {
    const none = await doctor(['--config', writeConfig()]);
    expect(none.lines.some((l) => /^\w+ +buzzer/.test(l))).toBe(false);
    const path = writeConfig({ devices: { buzzer: { driver: 'console' } } });
    const base = { configPath: path, loaded: loadConfig(path), env: {}, clock: new SystemClock(), printTest: false, isRoot: false, exec: async () => undefined };
    const out = new PassThrough();
    const lines = await devicesCheck.run({ ...base, displayTest: true, consoleOut: out });
    expect(lines.find((l) => l.name === 'buzzer')).toMatchObject({ status: 'WARN', message: expect.stringMatching(/^console \(development driver\)/) });
    expect(lines.find((l) => l.name === 'buzzer-test')).toMatchObject({ status: 'OK', message: expect.stringMatching(/^played a click, two short beeps and one long beep on console/) });
    expect(String(out.read())).toBe('  ~ beep: click\n  ~ beep: two short\n  ~ beep: one long\n');
  });

  it('a GPIO buzzer: the signals on the line, each to its end; a broken line FAILs the test', async () => {
    const clock = new FakeClock();
    const gpio = new FakeGpio([], []);
    const levels: number[] = [];
    const buzzer = new GpioBuzzer({ gpio: async () => gpio, pin: 18, activeLow: false, clock });
    const done = buzzerTest(buzzer, clock);
    let line: CheckLine | undefined;
    void done.then((l) => (line = l));
    while (line === undefined) {
      await clock.advance(15);
      levels.push(gpio.level(18));
    }
    expect(line).toMatchObject({ status: 'OK', name: 'buzzer-test' });
    // On time: the click, the two short beeps and the long one (every 15 ms).
    const onRuns = levels.join('').split(/0+/).filter((run) => run !== '').map((run) => run.length * 15);
    expect(onRuns).toEqual([15, 90, 90, 600]);
    expect(gpio.exported()).toBe(0);

    gpio.breakLine(18);
    const broken = buzzerTest(new GpioBuzzer({ gpio: async () => gpio, pin: 18, activeLow: false, clock }), clock);
    let failed: CheckLine | undefined;
    void broken.then((l) => (failed = l));
    while (failed === undefined) await clock.advance(100);
    expect(failed).toMatchObject({ status: 'FAIL', name: 'buzzer-test', message: expect.stringContaining('buzzer_write_failed') });
  });
});

describe('database check while another counterpay owns the journal', { timeout: PROCESS_TEST_MS }, () => {
  const owners = [
    { owner: 'counterpay.service runs', serviceActive: true, holdLock: false },
    // A terminal run by hand: systemctl does not know it, its lock on the journal says it runs.
    { owner: 'another counterpay owns the journal', serviceActive: false, holdLock: true },
  ];
  for (const { owner, serviceActive, holdLock } of owners) {
    it(`${owner}: opens the journal read-only: WAL, integrity and schema checked, nothing written, an in-flight request left alone`, async () => {
      const path = writeConfig();
      const dataDir = join(dir, 'data');
      const store = new Store({ dataDir, clock: new SystemClock(), random: new SystemRandom() });
      store.open();
      const op = store.outbox.enqueue({ kind: 'close_spot', spotId: 3, payload: {} });
      store.outbox.claim(op.id);
      store.walCheckpoint();
      store.close();
      const lock = new DataDirLock(dataDir);
      if (holdLock) lock.acquire();
      const file = join(dataDir, 'counterpay.db');
      const before = statSync(file).mtimeMs;
      const calls: string[][] = [];
      const ctx: DoctorContext = {
        configPath: path,
        loaded: loadConfig(path),
        env: {},
        clock: new SystemClock(),
        printTest: false,
        displayTest: false,
        exec: async (cmd, args) => {
          calls.push([cmd, ...args]);
          return { code: serviceActive ? 0 : 3, stdout: '' };
        },
        isRoot: false,
        consoleOut: new PassThrough(),
      };
      try {
        const [line] = await databaseCheck.run(ctx);
        expect(calls).toEqual([['systemctl', 'is-active', '--quiet', 'counterpay.service']]);
        expect(line?.status).toBe('OK');
        expect(line?.message).toMatch(new RegExp(`counterpay\\.db: journal_mode=wal, integrity ok, schema \\d+ \\(read only: ${owner} and checked synchronous=FULL at its start\\)$`));
      } finally {
        lock.release();
      }
      expect(statSync(file).mtimeMs).toBe(before);
      const after = new Store({ dataDir, clock: new SystemClock(), random: new SystemRandom() });
      after.openReadOnly();
      expect(after.outbox.get(op.id)?.state).toBe('in_flight');
      after.close();
    });
  }
});

describe('clock check', { timeout: PROCESS_TEST_MS }, () => {
  const ctx = (exec: Exec): DoctorContext => ({
    configPath: '/x',
    loaded: undefined,
    env: {},
    clock: new SystemClock(),
    printTest: false,
    displayTest: false,
    exec,
    isRoot: false,
    consoleOut: new PassThrough(),
  });

  it('reads timedatectl NTPSynchronized', async () => {
    expect(await clockCheck.run(ctx(async () => ({ code: 0, stdout: 'yes\n' })))).toEqual([{ status: 'OK', name: 'clock', message: 'synchronised (NTP)' }]);
    const [no] = await clockCheck.run(ctx(async () => ({ code: 0, stdout: 'no\n' })));
    expect(no?.status).toBe('WARN');
    expect(no?.message).toMatch(/^not synchronised: receipts are marked/);
  });

  it('says unknown when timedatectl is missing or fails (and the timesyncd flag file is absent)', async () => {
    const calls: string[][] = [];
    const [missing] = await clockCheck.run(ctx(async (file, args) => void calls.push([file, ...args])));
    expect(calls).toEqual([['timedatectl', 'show', '-p', 'NTPSynchronized', '--value']]);
    expect(missing?.status).toMatch(/WARN|OK/);
    if (missing?.status === 'WARN') expect(missing.message).toMatch(/^synchronisation unknown/);
  });
});
