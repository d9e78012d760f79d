import { execFile } from 'node:child_process';
import type { Clock } from './clock.js';
import { CodedError } from './coded-error.js';

/**
 * Runs `systemd-notify ARGS...` with `env` and resolves when it has exited. Rejects when it could
 * not be started or exited non-zero. Injected so tests can assert the exact messages.
 */
export type NotifyRunner = (command: string, args: readonly string[], env: NodeJS.ProcessEnv) => Promise<void>;

export interface SystemdNotifierOptions {
  /** The process environment: NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID are read from it. */
  env: NodeJS.ProcessEnv;
  /** Our pid: sent as MAINPID= and compared with WATCHDOG_PID. */
  pid: number;
  /** Schedules the watchdog pings on the main event loop. */
  clock: Clock;
  /** Default: execFile with a timeout. */
  run?: NotifyRunner;
  /** Default `systemd-notify` (found on PATH). */
  command?: string;
  /**
   * Pass `--no-block`. Default false: without it systemd-notify waits until systemd has processed
   * the message, so systemd can still attribute it to our unit (the sender is a short-lived child;
   * once it has exited its message may be dropped even with NotifyAccess=all). Tests against a
   * plain socket set it, because nothing there answers the barrier.
   */
  noBlock?: boolean;
  /** Called with every failed send; the notifier itself never throws from a timer. */
  onError?: (error: SystemdNotifyError) => void;
}

export class SystemdNotifyError extends CodedError {}

/** Longest a single systemd-notify run may take (its own barrier timeout is 5 s). */
const RUN_TIMEOUT_MS = 10_000;

/**
 * The sd_notify protocol for a Type=notify unit, without a native addon: Node cannot send to an
 * AF_UNIX datagram socket, so each message is one `systemd-notify` child process. That is why the
 * unit needs NotifyAccess=all.
 *
 * - `start()` sends READY=1 and, when systemd asked for a watchdog (WATCHDOG_USEC set, and
 *   WATCHDOG_PID unset or ours), sends WATCHDOG=1 every WATCHDOG_USEC/2 from a timer on the main
 *   event loop: a blocked loop stops the pings, and systemd restarts the service. That is the point.
 * - `status(text)` sends STATUS=text (one line; shown by `systemctl status`).
 * - `stopping()` sends STOPPING=1 and ends the pings; `stop()` ends the pings and waits for a
 *   send in progress.
 * - Without NOTIFY_SOCKET (run by hand, in tests, in the emulator) every method does nothing.
 *
 * A ping is skipped, not queued, while the previous one is still running, so a slow systemd never
 * piles up child processes.
 */
export class SystemdNotifier {
  private readonly options: SystemdNotifierOptions;
  private cancelTimer: (() => void) | undefined;
  private inFlight: Promise<void> | undefined;
  private started = false;

  constructor(options: SystemdNotifierOptions) {
    this.options = options;
  }

  /** True when there is a NOTIFY_SOCKET to talk to. */
  get enabled(): boolean {
    const socket = this.options.env['NOTIFY_SOCKET'];
    return socket !== undefined && socket !== '';
  }

  /**
   * The ping interval in ms (half of WATCHDOG_USEC), or undefined when systemd runs no watchdog
   * for this process, as sd_watchdog_enabled(3) decides.
   */
  get watchdogIntervalMs(): number | undefined {
    if (!this.enabled) return undefined;
    const usec = Number(this.options.env['WATCHDOG_USEC']);
    if (!Number.isInteger(usec) || usec <= 0) return undefined;
    const watchdogPid = this.options.env['WATCHDOG_PID'];
    if (watchdogPid !== undefined && watchdogPid !== '' && Number(watchdogPid) !== this.options.pid) return undefined;
    return Math.max(1, Math.floor(usec / 2000));
  }

  /** Sends READY=1 and starts the watchdog pings. Resolves when READY=1 has been handed over. */
  async start(): Promise<void> {
    if (!this.enabled || this.started) return;
    this.started = true;
    await this.send(['READY=1']);
    const interval = this.watchdogIntervalMs;
    if (interval !== undefined && this.started) this.schedule(interval);
  }

  /** STATUS=text; newlines would start a new variable in the message, so they become spaces. */
  async status(text: string): Promise<void> {
    if (!this.enabled) return;
    await this.send([`STATUS=${text.replace(/[\r\n]+/g, ' ')}`]);
  }

  /** STOPPING=1, then no more pings. */
  async stopping(): Promise<void> {
    if (!this.enabled) return;
    this.clearTimer();
    this.started = false;
    await this.inFlight;
    await this.send(['STOPPING=1']);
  }

  /** Ends the pings and waits for a send in progress; sends nothing. */
  async stop(): Promise<void> {
    this.clearTimer();
    this.started = false;
    await this.inFlight;
  }

  private schedule(interval: number): void {
    this.cancelTimer = this.options.clock.setTimeout(() => {
      this.cancelTimer = undefined;
      if (!this.started) return;
      if (this.inFlight === undefined) void this.send(['WATCHDOG=1']);
      this.schedule(interval);
    }, interval);
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private async send(assignments: string[]): Promise<void> {
    const command = this.options.command ?? 'systemd-notify';
    // --pid names us as the main process: the sender is the child, not us.
    const args = [`--pid=${this.options.pid}`, ...(this.options.noBlock === true ? ['--no-block'] : []), ...assignments];
    const run = this.options.run ?? runSystemdNotify;
    const sending = run(command, args, this.options.env).catch((error: unknown) => {
      this.options.onError?.(
        new SystemdNotifyError('sd_notify_failed', `${command} ${assignments.join(' ')} failed: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        }),
      );
    });
    const tracked = sending.finally(() => {
      if (this.inFlight === tracked) this.inFlight = undefined;
    });
    this.inFlight = tracked;
    await tracked;
  }
}

/** The default runner: execFile, no shell, bounded time. */
export function runSystemdNotify(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { env, timeout: RUN_TIMEOUT_MS, windowsHide: true }, (error, _stdout, stderr) => {
      if (error === null) resolve();
      else reject(new Error(`${error.message.split('\n')[0] ?? 'failed'}${stderr ? `: ${String(stderr).trim()}` : ''}`, { cause: error }));
    });
  });
}
