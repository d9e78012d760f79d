import { EventEmitter } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../platform/fake-clock.js';
import type { DeviceError } from '../device-error.js';
import { EvdevKeypad, type EvtestChild } from './evdev-keypad.js';
import type { Key } from './keypad-port.js';

/** What `evtest --grab` printed for a generic USB keypad (header shortened), before any key. */
const HEADER = `Input driver version is 1.0.1
Input device ID: bus 0x3 vendor 0x4d9 product 0x1203 version 0x111
Input device name: "HID 04d9:1203"
Supported events:
  Event type 0 (EV_SYN)
  Event type 1 (EV_KEY)
    Event code 69 (KEY_NUMLOCK)
    Event code 79 (KEY_KP1)
Properties:
Testing ... (interrupt to exit)
`;

let t = 1700000000;
const ev = (type: number, typeName: string, code: number, codeName: string, value: number | string): string =>
  `Event: time ${t++}.123456, type ${type} (${typeName}), code ${code} (${codeName}), value ${value}\n`;
const syn = (): string => `Event: time ${t}.123456, -------------- SYN_REPORT ------------\n`;
/** A full press or release as evtest prints it: MSC_SCAN, the EV_KEY line, SYN_REPORT. */
const key = (code: number, name: string, value: 0 | 1 | 2): string =>
  (value === 2 ? '' : ev(4, 'EV_MSC', 4, 'MSC_SCAN', '70059')) + ev(1, 'EV_KEY', code, name, value) + syn();
const tap = (code: number, name: string): string => key(code, name, 1) + key(code, name, 0);

class FakeEvtest extends EventEmitter implements EvtestChild {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly signals: string[] = [];

  constructor(readonly args: readonly string[]) {
    super();
  }

  print(text: string): void {
    this.stdout.write(text);
  }

  /** evtest exits, as on unplug: the message on stderr, then exit 1. */
  exit(stderr = '', code = 1): void {
    if (stderr !== '') this.stderr.write(stderr);
    setImmediate(() => this.emit('close', code, null));
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.signals.push(signal);
    this.exit('', 0);
    return true;
  }
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

function setup(options: { keyMap?: Record<string, Key | null>; missing?: boolean } = {}) {
  const clock = new FakeClock();
  const children: FakeEvtest[] = [];
  const keys: string[] = [];
  const problems: DeviceError[] = [];
  const keypad = new EvdevKeypad({
    path: '/dev/input/by-id/usb-keypad-event-kbd',
    clock,
    keyMap: options.keyMap,
    spawn: (command, args) => {
      const child = new FakeEvtest([command, ...args]);
      children.push(child);
      if (options.missing === true) {
        setImmediate(() => child.emit('error', Object.assign(new Error('spawn evtest ENOENT'), { code: 'ENOENT' })));
      }
      return child;
    },
  });
  keypad.onKey((p) => keys.push(p.key));
  keypad.onProblem((p) => problems.push(p));
  const last = (): FakeEvtest => children[children.length - 1]!;
  /** start() resolves once evtest printed its header. */
  const start = async (): Promise<void> => {
    const started = keypad.start();
    await flush();
    last().print(HEADER);
    await started;
  };
  return { clock, children, keys, problems, keypad, last, start };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('EvdevKeypad (evtest --grab as a child process)', () => {
  it('runs evtest --grab PATH and maps key presses; releases, autorepeat and other events report nothing', async () => {
    const s = setup();
    cleanup = () => s.keypad.stop();
    await s.start();
    expect(s.last().args).toEqual(['evtest', '--grab', '/dev/input/by-id/usb-keypad-event-kbd']);
    s.last().print(tap(79, 'KEY_KP1') + tap(80, 'KEY_KP2') + tap(73, 'KEY_KP9') + tap(82, 'KEY_KP0'));
    // Held down: value 1, then autorepeat value 2 lines, then release.
    s.last().print(key(83, 'KEY_KPDOT', 1) + key(83, 'KEY_KPDOT', 2) + key(83, 'KEY_KPDOT', 2) + key(83, 'KEY_KPDOT', 0));
    s.last().print(tap(78, 'KEY_KPPLUS') + tap(74, 'KEY_KPMINUS') + tap(98, 'KEY_KPSLASH') + tap(69, 'KEY_NUMLOCK') + tap(55, 'KEY_KPASTERISK') + tap(96, 'KEY_KPENTER'));
    // Not in the map: ignored. An LED event and a key named "?" too.
    s.last().print(tap(30, 'KEY_A') + ev(17, 'EV_LED', 0, 'LED_NUML', 1) + tap(700, '?'));
    await flush();
    expect(s.keys.join('')).toBe('1290*ABCD*#');
    expect(s.problems).toEqual([]);
  });

  it('lines split across chunks are joined; two keys at once are ignored until both are up', async () => {
    const s = setup();
    cleanup = () => s.keypad.stop();
    await s.start();
    const text = tap(79, 'KEY_KP1');
    s.last().print(text.slice(0, 37));
    await flush();
    s.last().print(text.slice(37));
    // 5 down, 6 down (second key: ignored), 5 up, 7 down (6 still held: ignored), all up, then 8.
    s.last().print(key(76, 'KEY_KP5', 1) + key(77, 'KEY_KP6', 1) + key(76, 'KEY_KP5', 0) + key(71, 'KEY_KP7', 1) + key(77, 'KEY_KP6', 0) + key(71, 'KEY_KP7', 0));
    s.last().print(tap(72, 'KEY_KP8'));
    await flush();
    expect(s.keys.join('')).toBe('158');
  });

  it('a configurable key map: entries override the default, null removes a key', async () => {
    const s = setup({ keyMap: { KEY_KPDOT: null, KEY_F1: 'A', KEY_KPPLUS: 'D' } });
    cleanup = () => s.keypad.stop();
    await s.start();
    s.last().print(tap(83, 'KEY_KPDOT') + tap(59, 'KEY_F1') + tap(78, 'KEY_KPPLUS') + tap(79, 'KEY_KP1'));
    await flush();
    expect(s.keys.join('')).toBe('AD1');
  });

  it('unplug: evtest exits, the problem is reported once, evtest is restarted with backoff, keys work again', async () => {
    const s = setup();
    cleanup = () => s.keypad.stop();
    await s.start();
    s.last().print(tap(79, 'KEY_KP1'));
    s.last().exit('\nevtest: error reading: No such device\n');
    await flush();
    await flush();
    expect(s.problems.map((p) => [p.code, p.retryable])).toEqual([['keypad_unplugged', true]]);
    expect(s.children).toHaveLength(1);
    // Still unplugged: evtest cannot open the path; restarts back off 500, 1000, 2000 ms.
    await s.clock.advance(500);
    expect(s.children).toHaveLength(2);
    s.last().exit('evtest: No such file or directory\n');
    await flush();
    await flush();
    await s.clock.advance(999);
    expect(s.children).toHaveLength(2);
    await s.clock.advance(1);
    expect(s.children).toHaveLength(3);
    s.last().exit('evtest: No such file or directory\n');
    await flush();
    await flush();
    await s.clock.advance(1000);
    s.last().exit('evtest: No such file or directory\n');
    await flush();
    await flush();
    // Each distinct problem once per outage, not once per restart.
    expect(s.problems.map((p) => p.code)).toEqual(['keypad_unplugged', 'keypad_device_missing']);
    await s.clock.advance(4000);
    expect(s.children).toHaveLength(4);
    // Plugged in again.
    s.last().print(HEADER + tap(80, 'KEY_KP2'));
    await flush();
    expect(s.keys.join('')).toBe('12');
    // The backoff starts over after a good run.
    s.last().exit('\nevtest: error reading: No such device\n');
    await flush();
    await flush();
    await s.clock.advance(500);
    expect(s.children).toHaveLength(5);
    expect(s.problems.map((p) => p.code)).toEqual(['keypad_unplugged', 'keypad_device_missing', 'keypad_unplugged']);
  });

  it('a missing evtest binary: start() rejects with keypad_evtest_missing, nothing is retried', async () => {
    const s = setup({ missing: true });
    await expect(s.keypad.start()).rejects.toMatchObject({ code: 'keypad_evtest_missing', message: expect.stringContaining('apt-get install evtest') });
    await s.clock.advance(60_000);
    expect(s.children).toHaveLength(1);
    expect(s.clock.pendingTimers()).toBe(0);
  });

  it('no permission: start() rejects with keypad_permission_denied naming the group', async () => {
    const s = setup();
    const started = s.keypad.start();
    await flush();
    s.last().exit('evtest: Permission denied\nYou do not have access to /dev/input/event3. Try running as root instead.\n');
    await expect(started).rejects.toMatchObject({ code: 'keypad_permission_denied', message: expect.stringContaining('group input') });
  });

  it('keypad not plugged in at start: start() resolves, the problem is reported, it keeps trying', async () => {
    const s = setup();
    cleanup = () => s.keypad.stop();
    const started = s.keypad.start();
    await flush();
    s.last().exit('evtest: No such file or directory\n');
    await started;
    expect(s.problems.map((p) => p.code)).toEqual(['keypad_device_missing']);
    await s.clock.advance(500);
    expect(s.children).toHaveLength(2);
  });

  it('another process holds the grab: reported once', async () => {
    const s = setup();
    cleanup = () => s.keypad.stop();
    await s.start();
    s.last().print('***********************************************\n  This device is grabbed by another process.\n  No events are available to evtest while the\n');
    await flush();
    expect(s.problems.map((p) => p.code)).toEqual(['keypad_grabbed_elsewhere']);
  });

  it('stop() ends evtest (SIGTERM), waits for it, and no key is reported after', async () => {
    const s = setup();
    await s.start();
    const child = s.last();
    await s.keypad.stop();
    expect(child.signals).toEqual(['SIGTERM']);
    child.print(tap(79, 'KEY_KP1'));
    await flush();
    expect(s.keys).toEqual([]);
    await s.clock.advance(60_000);
    expect(s.children).toHaveLength(1);
    expect(s.problems).toEqual([]);
  });

  it('start() does not hang when evtest says nothing', async () => {
    const s = setup();
    cleanup = () => s.keypad.stop();
    const started = s.keypad.start();
    await s.clock.advance(3_000);
    await started;
  });
});

describe('EvdevKeypad with the real child_process spawner', () => {
  it('a command that does not exist is keypad_evtest_missing', async () => {
    const keypad = new EvdevKeypad({ path: '/dev/input/event0', clock: new FakeClock(), command: 'counterpay-no-such-evtest' });
    await expect(keypad.start()).rejects.toMatchObject({ code: 'keypad_evtest_missing' });
  });

  it('reads a real process: a script standing in for evtest prints its header and keys, then exits as on unplug', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'counterpay-evtest-'));
    try {
      const script = join(dir, 'evtest');
      const out = HEADER + tap(79, 'KEY_KP1') + tap(96, 'KEY_KPENTER');
      writeFileSync(script, `#!/bin/sh\n[ "$1" = --grab ] || exit 2\ncat <<'EOT'\n${out}EOT\necho "evtest: error reading: No such device" >&2\nexit 1\n`);
      chmodSync(script, 0o755);
      const clock = new FakeClock();
      const keypad = new EvdevKeypad({ path: '/dev/input/event0', clock, command: script });
      const keys: string[] = [];
      const problems: string[] = [];
      keypad.onKey((p) => keys.push(p.key));
      const gone = new Promise<void>((resolve) =>
        keypad.onProblem((p) => {
          problems.push(p.code);
          resolve();
        }),
      );
      await keypad.start();
      await gone;
      await keypad.stop();
      expect(keys).toEqual(['1', '#']);
      expect(problems).toEqual(['keypad_unplugged']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
