import { parseArgs } from 'node:util';
import { CodedError } from '../../platform/coded-error.js';
import { backupJournal } from '../../store/journal-backup.js';
import { loadConfigForCommand } from '../cli-config.js';
import { ExitCode, type CliIo, type Command } from '../command.js';

const USAGE = 'usage: counterpay backup --out FILE [--config PATH]';

const HELP = `Usage: counterpay backup --out FILE [--config PATH]

Copies the journal (dataDir/counterpay.db: every sale, operation and print job) to FILE, while
the terminal runs or not. The copy is SQLite's online backup: one consistent moment of the
journal, the commits still in its WAL included, taken without stopping or slowing the terminal
and without its lock. It is written under a temporary name beside FILE, made one
self-contained file, checked with PRAGMA integrity_check, flushed to disk, and only then
renamed to FILE (an older FILE is replaced only by a sound copy). A relative FILE is relative
to the current directory; its directory must exist.

  --out FILE     where the copy goes: another disk or a mounted share, not the SD card alone
  --config PATH  config file (default: $COUNTERPAY_CONFIG, else /etc/counterpay/config.json)

Prints one line: the file, its size, the number of sales and the schema version. Bring a copy
back with "counterpay restore --from FILE" (service stopped). A nightly timer:
systemd/counterpay-backup.timer.

Run it as the service user: sudo -u counterpay counterpay backup --out FILE (as root, on the
service's journal, it is refused: files SQLite creates beside the journal would belong to root).
Exit status: 0 done, 1 failed (one line says why; FILE untouched), 64 usage, 78 bad config.
`;

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Copy the journal to a file while the terminal runs (consistent, integrity-checked)',
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    let values;
    try {
      values = parseArgs({ args: argv, options: { out: { type: 'string' }, config: { type: 'string' } } }).values;
    } catch (error) {
      io.stderr.write(`counterpay backup: ${(error as Error).message}\n${USAGE}\n`);
      return ExitCode.usage;
    }
    if (values.out === undefined || values.out === '') {
      io.stderr.write(`counterpay backup: --out FILE is required\n${USAGE}\n`);
      return ExitCode.usage;
    }
    const loaded = loadConfigForCommand('backup', values.config, io);
    if (typeof loaded === 'number') return loaded;
    try {
      const report = await backupJournal(loaded.config.dataDir, values.out);
      io.stdout.write(`${report.path}: ${report.bytes} bytes, ${report.sales} sale${report.sales === 1 ? '' : 's'}, schema ${report.schema}, integrity ok\n`);
      return ExitCode.ok;
    } catch (error) {
      if (error instanceof CodedError) {
        io.stderr.write(`counterpay backup: ${error.message} [${error.code}]\n`);
        return ExitCode.failure;
      }
      throw error;
    }
  },
};
