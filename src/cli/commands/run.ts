import { parseArgs } from 'node:util';
import { createProductionTerminal } from '../../app/production-terminal.js';
import { createLogger } from '../../log/logger.js';
import { SystemClock } from '../../platform/clock.js';
import { CodedError } from '../../platform/coded-error.js';
import { SystemdNotifier } from '../../platform/systemd-notify.js';
import { StoreError } from '../../store/store-error.js';
import { loadConfigForCommand } from '../cli-config.js';
import { ExitCode, type CliIo, type Command } from '../command.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the terminal: journal, Paysera engine, devices and keypad screens',
  help: `Usage: counterpay run [--config PATH]

Starts the terminal: opens the journal in dataDir, starts the Paysera engine (replaying anything
a crash or power cut interrupted), the devices and the keypad screens. Logs are JSON lines on
stdout (readable lines on a terminal). Under systemd it reports READY=1 and feeds the watchdog.

SIGTERM or SIGINT: the operation in flight is finished, the database closed, the display left
showing "Closed", exit 0. A device missing at start is reported and retried in the background;
payments already made keep being confirmed.

  --config PATH  config file (default: $COUNTERPAY_CONFIG, else /etc/counterpay/config.json)

One terminal per dataDir: the journal's lock (dataDir/counterpay.lock) is taken before anything
else; a second \`counterpay run\` (or demo) on the same dataDir waits up to 5 s, then refuses.
Read-only commands (queue, report, doctor) work beside a running terminal.

Exit status: 0 after a requested stop, 78 on a configuration error, 75 when another counterpay
owns the journal, 1 when the terminal cannot start.
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    let values;
    try {
      ({ values } = parseArgs({ args: argv, options: { config: { type: 'string' } } }));
    } catch (error) {
      io.stderr.write(`counterpay run: ${(error as Error).message}\n`);
      return ExitCode.usage;
    }
    const loaded = loadConfigForCommand('run', values.config, io);
    if (typeof loaded === 'number') return loaded;
    const { config } = loaded;
    const logger = createLogger({ level: config.logLevel, destination: io.stdout, secrets: loaded.secrets });
    for (const warning of loaded.warnings) logger.warn(warning);
    const clock = new SystemClock();
    const notifier = new SystemdNotifier({ env: io.env, pid: process.pid, clock, onError: (error) => logger.warn({ err: error }, 'systemd notify failed') });
    const app = createProductionTerminal({ config, logger, stdin: io.stdin, consoleOut: io.stderr, baseDir: process.cwd() });
    try {
      await app.start();
    } catch (error) {
      // Taking the lock is start()'s first step: nothing else was started, and one line says why.
      if (error instanceof StoreError && error.code === 'journal_locked') {
        io.stderr.write(`counterpay run: ${error.message} [${error.code}]\n`);
        return ExitCode.locked;
      }
      const code = error instanceof CodedError ? ` [${error.code}]` : '';
      logger.fatal({ err: error }, 'terminal could not start');
      io.stderr.write(`counterpay run: cannot start: ${error instanceof Error ? error.message : String(error)}${code}\n`);
      await app.stop().catch(() => undefined);
      return ExitCode.failure;
    }
    await notifier.start();
    const signal = await io.stopRequested;
    logger.info({ signal }, 'stopping: finishing the operation in flight');
    await notifier.stopping();
    await app.stop();
    return ExitCode.ok;
  },
};
