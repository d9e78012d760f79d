import { execFile } from 'node:child_process';
import type { LoadedConfig } from '../config/load-config.js';
import type { Clock } from '../platform/clock.js';

export type CheckStatus = 'OK' | 'WARN' | 'FAIL';

/** One printed line: what was checked, how it went, and what to do when it is not OK. */
export interface CheckLine {
  readonly status: CheckStatus;
  readonly name: string;
  readonly message: string;
}

/** The result of running a helper program; undefined when it could not be started. */
export interface ExecResult {
  readonly code: number | null;
  readonly stdout: string;
}

export type Exec = (file: string, args: readonly string[]) => Promise<ExecResult | undefined>;

/** What every check may use. Checks read from it; only the config check fills `loaded`. */
export interface DoctorContext {
  /** The config file doctor was asked to check (after --config / COUNTERPAY_CONFIG / default). */
  readonly configPath: string;
  /** The loaded config, once the config check has passed. */
  loaded: LoadedConfig | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly printTest: boolean;
  readonly displayTest: boolean;
  /** Runs helper programs (timedatectl, systemctl); a seam for tests. */
  readonly exec: Exec;
  /** Running as root: doctor then avoids creating files the service user could not open. */
  readonly isRoot: boolean;
  /** Where the console display draws during --display-test. */
  readonly consoleOut: NodeJS.WritableStream;
}

/**
 * One check of `counterpay doctor`. It returns one line per thing it checked (the devices check
 * returns one per device) and never throws for a problem it can describe: a thrown error is still
 * reported as one FAIL line by the runner, without a stack.
 */
export interface DoctorCheck {
  readonly name: string;
  /** Whether the check needs the loaded config (skipped with a WARN line when it did not load). */
  readonly needsConfig: boolean;
  run(ctx: DoctorContext): Promise<CheckLine[]>;
}

export const ok = (name: string, message: string): CheckLine => ({ status: 'OK', name, message });
export const warn = (name: string, message: string): CheckLine => ({ status: 'WARN', name, message });
export const fail = (name: string, message: string): CheckLine => ({ status: 'FAIL', name, message });

/** execFile without a shell, bounded in time; resolves undefined when the program is missing. */
export const systemExec: Exec = (file, args) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: 5000, windowsHide: true }, (error, stdout) => {
      if (error === null) {
        resolve({ code: 0, stdout: String(stdout) });
        return;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES') resolve(undefined);
      else resolve({ code: typeof error.code === 'number' ? error.code : null, stdout: String(stdout) });
    });
  });

export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return code !== undefined && !message.includes(code) ? `${message} [${code}]` : message;
}
