import { spawn } from 'node:child_process';
import type { Clock } from '../../platform/clock.js';
import { DeviceError, messageOf } from '../device-error.js';
import { Listeners, type Unsubscribe } from '../../platform/listeners.js';
import { isKey, type Key, type KeyPress, type KeypadPort } from './keypad-port.js';

/**
 * Default map from evdev key names to our keys, for a standard USB numeric keypad:
 *
 *   NumLock  /  *  -         D  C  *  B
 *   7  8  9  +          ->   7  8  9  A
 *   4  5  6                  4  5  6
 *   1  2  3  Enter           1  2  3  #
 *   0     .                  0     *
 *
 * Enter is OK (#), * and Backspace and . are back/clear (*), + - / NumLock are A B C D (table,
 * code, Centrapay, cancel/menu). The top-row digits and Enter of a full keyboard work too.
 * With the device grabbed the kernel still reports KEY_KP* whatever the NumLock state (the
 * NumLock translation happens in the console or X, which no longer see the device).
 */
export const DEFAULT_EVDEV_KEY_MAP: Readonly<Record<string, Key>> = {
  KEY_KP0: '0',
  KEY_KP1: '1',
  KEY_KP2: '2',
  KEY_KP3: '3',
  KEY_KP4: '4',
  KEY_KP5: '5',
  KEY_KP6: '6',
  KEY_KP7: '7',
  KEY_KP8: '8',
  KEY_KP9: '9',
  KEY_0: '0',
  KEY_1: '1',
  KEY_2: '2',
  KEY_3: '3',
  KEY_4: '4',
  KEY_5: '5',
  KEY_6: '6',
  KEY_7: '7',
  KEY_8: '8',
  KEY_9: '9',
  KEY_KPENTER: '#',
  KEY_ENTER: '#',
  KEY_KPASTERISK: '*',
  KEY_BACKSPACE: '*',
  KEY_KPDOT: '*',
  KEY_KPPLUS: 'A',
  KEY_KPMINUS: 'B',
  KEY_KPSLASH: 'C',
  KEY_NUMLOCK: 'D',
  KEY_ESC: 'D',
};

/** The part of a child process the keypad uses; node's ChildProcess fits. */
export interface EvtestChild {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
}

export type EvtestSpawner = (command: string, args: readonly string[]) => EvtestChild;

/** Runs evtest with the C locale, so the errors it prints (perror) are the English we match. */
export const spawnEvtest: EvtestSpawner = (command, args) => spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });

export interface EvdevKeypadOptions {
  /** /dev/input/by-id/...-event-kbd (stable across replugs) or /dev/input/eventN. */
  readonly path: string;
  readonly clock: Clock;
  /** Entries override DEFAULT_EVDEV_KEY_MAP; null removes a key. */
  readonly keyMap?: Readonly<Record<string, Key | null>>;
  /** Test seam; default spawns the real evtest. */
  readonly spawn?: EvtestSpawner;
  /** Default "evtest" (Debian package evtest). */
  readonly command?: string;
  /** Wait before restarting evtest after it exited: base * 2^n up to cap. Default 500 ms .. 10 s. */
  readonly restartBaseMs?: number;
  readonly restartCapMs?: number;
  /** start() resolves at the latest after this long without a verdict (default 3 s). */
  readonly startTimeoutMs?: number;
}

const EVENT_LINE = /^Event: time [\d.]+, type (\d+) \(([A-Z_]+|\?)\), code (\d+) \(([A-Z0-9_]+|\?)\), value (-?\d+)/;
const READY_LINE = 'Testing ... (interrupt to exit)';
const MAX_LINE = 4096;
const STDERR_KEEP = 2048;
const KILL_GRACE_MS = 2_000;

/**
 * A USB numeric keypad (or the kernel matrix-keypad overlay) read through `evtest --grab PATH` as
 * a child process: the grab keeps key presses away from the console, and the child's pipe is
 * non-blocking for us, unlike a read stream on /dev/input that would hold a libuv thread
 * (docs/hardware.md#keypad-reading-input-devices). evtest unbuffers its stdout when it is not a TTY, so every event arrives
 * at once.
 *
 * Parsing: "Event: ... type 1 (EV_KEY), code 79 (KEY_KP1), value 1"; value 1 is a press (reported
 * at once, through the key map), 0 a release, 2 autorepeat (ignored: held keys do not repeat).
 * A press while another mapped key is held is ignored, and nothing is reported until all mapped
 * keys are up (the port contract). SYN_DROPPED forgets what was held.
 *
 * When evtest exits (keypad unplugged: "error reading: No such device"; not plugged in: "No such
 * file or directory") it is started again after a backoff, until stop(). Each distinct problem is
 * reported once per outage on onProblem: keypad_unplugged, keypad_device_missing,
 * keypad_permission_denied, keypad_grabbed_elsewhere, keypad_evtest_exited, keypad_evtest_missing
 * (the binary is not installed: apt-get install evtest). start() rejects when the keypad can
 * never work as configured (evtest missing, permission denied, bad key map) and otherwise
 * resolves once the device is open, or on a missing device (it keeps trying), or after
 * startTimeoutMs.
 */
export class EvdevKeypad implements KeypadPort {
  private readonly keyListeners: Listeners<KeyPress>;
  private readonly problems = new Listeners<DeviceError>();
  private readonly map: ReadonlyMap<string, Key>;
  private running = false;
  private child: EvtestChild | undefined;
  private childClosed: Promise<void> = Promise.resolve();
  private cancelRestart: (() => void) | undefined;
  private failures = 0;
  /** The code of the problem already reported for the current outage. */
  private reported: string | undefined;
  private readonly held = new Set<string>();
  private multi = false;
  private starting: { resolve: () => void; reject: (error: DeviceError) => void; cancelTimeout: () => void } | undefined;

  constructor(private readonly options: EvdevKeypadOptions) {
    this.keyListeners = new Listeners((error) =>
      this.problems.emit(new DeviceError('keypad', 'keypad_listener_failed', `key listener failed: ${messageOf(error)}`, { cause: error })),
    );
    const map = new Map<string, Key>(Object.entries(DEFAULT_EVDEV_KEY_MAP));
    for (const [name, key] of Object.entries(options.keyMap ?? {})) {
      if (key === null) map.delete(name);
      else map.set(name, key);
    }
    this.map = map;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const bad = [...this.map].find(([, key]) => !isKey(key));
    if (bad !== undefined) throw new DeviceError('keypad', 'keypad_config_invalid', `key map: ${bad[0]} maps to "${bad[1]}", not one of 0-9 A-D * #`);
    this.running = true;
    this.failures = 0;
    this.reported = undefined;
    await new Promise<void>((resolve, reject) => {
      const cancelTimeout = this.options.clock.setTimeout(() => this.settleStart(), this.options.startTimeoutMs ?? 3_000);
      this.starting = { resolve, reject, cancelTimeout };
      this.launch();
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.cancelRestart?.();
    this.cancelRestart = undefined;
    this.settleStart();
    const child = this.child;
    if (child !== undefined) {
      child.kill('SIGTERM');
      const cancelKill = this.options.clock.setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      await this.childClosed;
      cancelKill();
    }
    this.held.clear();
    this.multi = false;
  }

  onKey(listener: (press: KeyPress) => void): Unsubscribe {
    return this.keyListeners.add(listener);
  }

  onProblem(listener: (problem: DeviceError) => void): Unsubscribe {
    return this.problems.add(listener);
  }

  private launch(): void {
    this.cancelRestart = undefined;
    if (!this.running) return;
    this.held.clear();
    this.multi = false;
    let child: EvtestChild;
    try {
      child = (this.options.spawn ?? spawnEvtest)(this.options.command ?? 'evtest', ['--grab', this.options.path]);
    } catch (error) {
      this.onChildGone(undefined, error);
      return;
    }
    this.child = child;
    let stderr = '';
    let gone = false;
    let spawnError: unknown;
    let markClosed: () => void = () => {};
    this.childClosed = new Promise((resolve) => (markClosed = resolve));
    const finish = (): void => {
      if (gone) return;
      gone = true;
      if (this.child === child) this.child = undefined;
      markClosed();
      this.onChildGone(stderr, spawnError);
    };
    child.once('error', (error) => {
      spawnError = error;
      // A failed spawn may never emit 'close'; a running child's 'close' follows its 'error'.
      if ((error as { code?: unknown }).code === 'ENOENT') finish();
    });
    child.once('close', () => finish());
    child.stderr?.on('data', (chunk: Buffer | string) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_KEEP);
    });
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer | string) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        this.onLine(buffer.slice(0, newline), child);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
      }
      // evtest never writes lines this long; whatever this is, it is not a key event.
      if (buffer.length > MAX_LINE) buffer = '';
    });
  }

  private onLine(line: string, child: EvtestChild): void {
    if (child !== this.child || !this.running) return;
    const event = EVENT_LINE.exec(line);
    if (event !== null) {
      if (event[1] === '1') this.onKeyEvent(event[4] ?? '?', Number(event[5]));
      return;
    }
    if (line.includes('SYN_DROPPED')) {
      this.held.clear();
      this.multi = false;
    } else if (line.startsWith(READY_LINE)) {
      this.failures = 0;
      this.reported = undefined;
      this.settleStart();
    } else if (line.includes('This device is grabbed by another process')) {
      this.report(new DeviceError('keypad', 'keypad_grabbed_elsewhere', `${this.options.path} is grabbed by another process; no keys arrive (see fuser -v ${this.options.path})`, { retryable: true }));
    }
  }

  private onKeyEvent(name: string, value: number): void {
    const key = this.map.get(name);
    if (key === undefined || value === 2) return;
    if (value === 0) {
      this.held.delete(name);
      if (this.held.size === 0) this.multi = false;
      return;
    }
    if (value !== 1) return;
    const alone = this.held.size === 0 && !this.multi;
    this.held.add(name);
    if (!alone) {
      this.multi = true;
      return;
    }
    this.keyListeners.emit({ key, atMonoMs: this.options.clock.monoMs() });
  }

  private onChildGone(stderr: string | undefined, spawnError: unknown): void {
    if (!this.running) return;
    const problem = this.classify(stderr ?? '', spawnError);
    const fatalAtStart = problem.code === 'keypad_evtest_missing' || problem.code === 'keypad_permission_denied';
    if (this.starting !== undefined && fatalAtStart) {
      this.running = false;
      this.starting.cancelTimeout();
      this.starting.reject(problem);
      this.starting = undefined;
      return;
    }
    this.report(problem);
    this.settleStart();
    const base = this.options.restartBaseMs ?? 500;
    const cap = this.options.restartCapMs ?? 10_000;
    const delay = Math.min(cap, base * 2 ** Math.min(this.failures, 20));
    this.failures += 1;
    this.cancelRestart = this.options.clock.setTimeout(() => this.launch(), delay);
  }

  private classify(stderr: string, spawnError: unknown): DeviceError {
    const path = this.options.path;
    if (spawnError !== undefined) {
      if ((spawnError as { code?: unknown }).code === 'ENOENT') {
        return new DeviceError('keypad', 'keypad_evtest_missing', `${this.options.command ?? 'evtest'} is not installed (apt-get install evtest)`, { cause: spawnError });
      }
      return new DeviceError('keypad', 'keypad_evtest_exited', `cannot run evtest for ${path}: ${messageOf(spawnError)}`, { cause: spawnError, retryable: true });
    }
    const last = stderr.trim().split('\n').pop() ?? '';
    if (/error reading/i.test(stderr)) return new DeviceError('keypad', 'keypad_unplugged', `keypad ${path} went away (${last})`, { retryable: true });
    if (/Permission denied/i.test(stderr)) {
      return new DeviceError('keypad', 'keypad_permission_denied', `no permission to read ${path}: add the service user to group input`);
    }
    if (/No such file or directory|No such device/i.test(stderr)) return new DeviceError('keypad', 'keypad_device_missing', `keypad ${path} is not plugged in`, { retryable: true });
    return new DeviceError('keypad', 'keypad_evtest_exited', `evtest for ${path} exited${last === '' ? '' : `: ${last}`}`, { retryable: true });
  }

  private report(problem: DeviceError): void {
    if (this.reported === problem.code) return;
    this.reported = problem.code;
    this.problems.emit(problem);
  }

  private settleStart(): void {
    const starting = this.starting;
    if (starting === undefined) return;
    this.starting = undefined;
    starting.cancelTimeout();
    starting.resolve();
  }
}
