import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { prettyFactory } from 'pino-pretty';
import { readableOptions } from '../../log/readable-line.js';
import { ExitCode, type CliIo, type Command } from '../command.js';

const USAGE = 'usage: counterpay logs [-f] [-n LINES] [--since TIME] [--unit NAME] | --from FILE|-';

const HELP = `Usage: counterpay logs [--follow] [--lines N] [--since TIME] [--unit NAME]
       counterpay logs --from FILE|-

The service's log as readable lines: time, level, message and its fields, an error as its
message and code (no stack). The service itself keeps writing one JSON object per line, which
journald stores; this reads them back with "journalctl -u counterpay.service -o cat" and
formats each one. A line that is not JSON is shown as it is.

  -f, --follow     keep printing new lines as the service writes them (Ctrl-C ends)
  -n, --lines N    only the last N lines (default: all of the journal)
  --since TIME     only lines since TIME, in journalctl's words ("today", "1 hour ago",
                   "2026-12-01 08:00")
  --unit NAME      another unit than counterpay.service
  --from FILE|-    format the JSON lines of FILE (or stdin) instead of asking journalctl:
                   a copied log, or "counterpay run ... | counterpay logs --from -"

Reading the journal of a system unit needs root or the systemd-journal (or adm) group:
"sudo counterpay logs". The same without this command:
  journalctl -u counterpay -o cat | npx pino-pretty

Exit status: 0 done, 1 journalctl failed or is missing, 64 usage.
`;

/** Starts journalctl with these arguments; its stdout is the log, one JSON object per line. */
export type JournalReader = (args: string[]) => { lines: NodeJS.ReadableStream; done: Promise<{ code: number | null; error?: string }>; stop(): void };

export const journalctlReader: JournalReader = (args) => {
  const child = spawn('journalctl', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<{ code: number | null; error?: string }>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, error: error.code === 'ENOENT' ? 'journalctl not found (no systemd here?): use --from FILE' : error.message }));
    child.once('close', (code) => resolve({ code }));
  });
  return { lines: child.stdout, done, stop: () => void child.kill('SIGTERM') };
};

export function createLogsCommand(reader: JournalReader = journalctlReader): Command {
  return {
    name: 'logs',
    summary: 'The service log (journald) as readable lines; -f follows it',
    help: HELP,
    async run(argv: string[], io: CliIo): Promise<number> {
      let values;
      try {
        values = parseArgs({
          args: argv,
          options: {
            follow: { type: 'boolean', short: 'f' },
            lines: { type: 'string', short: 'n' },
            since: { type: 'string' },
            unit: { type: 'string' },
            from: { type: 'string' },
          },
        }).values;
      } catch (error) {
        io.stderr.write(`counterpay logs: ${(error as Error).message}\n${USAGE}\n`);
        return ExitCode.usage;
      }
      if (values.lines !== undefined && !/^\d+$/.test(values.lines)) {
        io.stderr.write(`counterpay logs: --lines takes a number\n${USAGE}\n`);
        return ExitCode.usage;
      }
      const format = prettyFactory(readableOptions(io.stdout.isTTY === true));
      const show = (line: string): void => {
        if (line.trim() === '') return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          parsed = undefined;
        }
        io.stdout.write(typeof parsed === 'object' && parsed !== null ? format(parsed) : `${line}\n`);
      };

      if (values.from !== undefined) {
        if (values.follow === true || values.lines !== undefined || values.since !== undefined || values.unit !== undefined) {
          io.stderr.write(`counterpay logs: --from reads a file as it is: no --follow, --lines, --since or --unit\n${USAGE}\n`);
          return ExitCode.usage;
        }
        let input: NodeJS.ReadableStream;
        if (values.from === '-') input = io.stdin;
        else {
          const file = createReadStream(values.from);
          const opened = await new Promise<string | undefined>((resolve) => {
            file.once('open', () => resolve(undefined));
            file.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
          });
          if (opened !== undefined) {
            io.stderr.write(`counterpay logs: cannot read ${values.from} (${opened})\n`);
            return ExitCode.failure;
          }
          input = file;
        }
        for await (const line of createInterface({ input, crlfDelay: Infinity })) show(line);
        return ExitCode.ok;
      }

      const args = ['-u', values.unit ?? 'counterpay.service', '-o', 'cat', '--no-pager'];
      if (values.follow === true) args.push('--follow');
      if (values.lines !== undefined) args.push('--lines', values.lines);
      if (values.since !== undefined) args.push('--since', values.since);
      const journal = reader(args);
      // Ctrl-C or SIGTERM while following: stop journalctl, then end normally.
      void io.stopRequested.then(() => journal.stop());
      const reading = (async () => {
        for await (const line of createInterface({ input: journal.lines, crlfDelay: Infinity })) show(line);
      })();
      const [result] = await Promise.all([journal.done, reading]);
      if (result.error !== undefined) {
        io.stderr.write(`counterpay logs: ${result.error}\n`);
        return ExitCode.failure;
      }
      if (result.code !== 0 && result.code !== null) {
        io.stderr.write(`counterpay logs: journalctl ended with status ${result.code}\n`);
        return ExitCode.failure;
      }
      return ExitCode.ok;
    },
  };
}

export const logsCommand: Command = createLogsCommand();
