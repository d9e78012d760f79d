/**
 * A `counterpay` sub-command. `run` gets the arguments after the command name and returns the
 * process exit code; it writes to `io`, never to console, so commands are tested in-process.
 */
export interface Command {
  readonly name: string;
  /** One line for `counterpay --help`. */
  readonly summary: string;
  /** Full text for `counterpay NAME --help`. */
  readonly help: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGTERM/SIGINT); long-running commands await it. */
  stopRequested: Promise<string>;
}

/** Exit codes, after sysexits.h so systemd can tell a bad config (do not restart) from a crash. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 64,
  /**
   * EX_TEMPFAIL: another counterpay owns the journal (a second terminal on the same dataDir). The
   * systemd unit does not restart on it (RestartPreventExitStatus): the other owner has to stop.
   */
  locked: 75,
  config: 78,
} as const;
