import type { Logger } from 'pino';
import { sleep, type Clock } from '../platform/clock.js';

interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a device and, when it is missing or refuses at start, reports it and tries again with
 * backoff (5 s doubling to 60 s) while the rest of the terminal keeps working: a printer unplugged
 * at boot must not stop payments already made from being confirmed.
 */
export class DeviceStarter {
  private readonly abort = new AbortController();
  private readonly pending: Promise<void>[] = [];
  private readonly started: Startable[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Resolves after the first attempt; later attempts run in the background. `onStarted` runs
   * once the device is up, whether at the first attempt or a later one.
   */
  async start(name: string, device: Startable, onStarted?: () => void | Promise<void>): Promise<boolean> {
    if (await this.attempt(name, device, true)) {
      await onStarted?.();
      return true;
    }
    this.pending.push(
      this.retry(name, device).then(async (ok) => {
        if (ok) await onStarted?.();
      }),
    );
    return false;
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('stopping'));
    await Promise.allSettled(this.pending);
    for (const device of this.started.reverse()) {
      await device.stop().catch((error: unknown) => this.logger.warn({ err: error }, 'device did not stop cleanly'));
    }
  }

  private async attempt(name: string, device: Startable, first: boolean): Promise<boolean> {
    try {
      await device.start();
      this.started.push(device);
      if (!first) this.logger.info({ device: name }, `${name}: started after retrying`);
      return true;
    } catch (error) {
      // One line with the stable code (the device's own, else `device_start_failed`); the
      // retries that fail the same way stay quiet.
      if (first) this.logger.warn({ device: name, code: codeOf(error), err: error }, `${name}: not available at start (${codeOf(error)}); retrying in the background`);
      return false;
    }
  }

  private async retry(name: string, device: Startable): Promise<boolean> {
    for (let delay = 5_000; !this.abort.signal.aborted; delay = Math.min(delay * 2, 60_000)) {
      try {
        await sleep(this.clock, delay, this.abort.signal);
      } catch {
        return false;
      }
      if (await this.attempt(name, device, false)) return true;
    }
    return false;
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'device_start_failed';
}
