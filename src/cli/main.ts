import { COMMANDS } from './command-table.js';
import { ExitCode, type CliIo } from './command.js';
import { CodedError } from '../platform/coded-error.js';
import { exitQuietlyOnBrokenPipe } from './broken-pipe.js';
import { packageVersion } from '../platform/package-version.js';

function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'counterpay: QR-payment counter terminal',
    '',
    'Usage: counterpay COMMAND [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `counterpay COMMAND --help` for the options of a command;',
    '`counterpay --version` (-V) prints the version.',
    '',
  ].join('\n');
}

/** Signals that ask a long-running command to stop; installed once per process. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: string): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** Runs `counterpay ARGV...` and returns the exit code. Never throws: errors become one line. */
export async function main(argv: string[], io?: Partial<CliIo>): Promise<number> {
  // The process's own streams only: a reader that closes the pipe early ends the command quietly.
  exitQuietlyOnBrokenPipe([io?.stdout ?? process.stdout, io?.stderr ?? process.stderr].filter((s) => s === process.stdout || s === process.stderr));
  const full: CliIo = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    stdin: io?.stdin ?? process.stdin,
    env: io?.env ?? process.env,
    stopRequested: io?.stopRequested ?? stopSignal(),
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    full.stdout.write(overview());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    full.stdout.write(`${packageVersion()}\n`);
    return ExitCode.ok;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    full.stderr.write(`counterpay: unknown command '${name}'\n\n${overview()}`);
    return ExitCode.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    full.stdout.write(`${command.help.trimEnd()}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, full);
  } catch (error) {
    // A command should report its own errors; this is the last line of defence, still one line.
    const code = error instanceof CodedError ? ` [${error.code}]` : '';
    full.stderr.write(`counterpay ${name}: ${error instanceof Error ? error.message : String(error)}${code}\n`);
    return ExitCode.failure;
  }
}
