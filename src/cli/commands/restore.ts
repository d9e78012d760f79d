import { parseArgs } from 'node:util';
import { CodedError } from '../../platform/coded-error.js';
import { systemJournalEnvironment, type JournalEnvironment } from '../../queue/journal-access.js';
import { restoreJournal } from '../../store/journal-backup.js';
import { loadConfigForCommand } from '../cli-config.js';
import { ExitCode, type CliIo, type Command } from '../command.js';

const USAGE = 'usage: counterpay restore --from FILE [--config PATH]';

const HELP = `Usage: counterpay restore --from FILE [--config PATH]

Puts a backup (from "counterpay backup", or a copy of counterpay.db) in place of the journal in
dataDir. The terminal must be stopped: refused while counterpay.service runs, and while any
other counterpay owns the journal (its lock in dataDir is held: a terminal started by hand).

FILE is checked first: it must be a counterpay journal (its tables present, PRAGMA
integrity_check ok) of a schema this counterpay can open; an older schema is migrated at the
terminal's next start, a newer one is refused (restore it with the counterpay that wrote it).
The journal it replaces is not deleted: it goes aside, with its -wal and -shm files, as
dataDir/counterpay.db.before-restore-<UTC time>. Nothing is changed when a check fails.

  --from FILE    the backup to restore
  --config PATH  config file (default: $COUNTERPAY_CONFIG, else /etc/counterpay/config.json)

Then: systemctl start counterpay. Sales made after the backup are not in it: check them in
the Paysera back office, and "counterpay queue" after the start.

Exit status: 0 done, 1 refused or failed (one line says why), 64 usage, 78 bad config.
`;

export function createRestoreCommand(environment: () => JournalEnvironment = systemJournalEnvironment): Command {
  return {
    name: 'restore',
    summary: 'Put a backup in place of the journal (terminal stopped; the old journal kept aside)',
    help: HELP,
    async run(argv: string[], io: CliIo): Promise<number> {
      let values;
      try {
        values = parseArgs({ args: argv, options: { from: { type: 'string' }, config: { type: 'string' } } }).values;
      } catch (error) {
        io.stderr.write(`counterpay restore: ${(error as Error).message}\n${USAGE}\n`);
        return ExitCode.usage;
      }
      if (values.from === undefined || values.from === '') {
        io.stderr.write(`counterpay restore: --from FILE is required\n${USAGE}\n`);
        return ExitCode.usage;
      }
      const loaded = loadConfigForCommand('restore', values.config, io);
      if (typeof loaded === 'number') return loaded;
      const env = environment();
      // The service first: it names the fix. A terminal started by hand is caught by the lock.
      if (await env.serviceActive()) {
        io.stderr.write('counterpay restore: counterpay.service is running: stop it first ("systemctl stop counterpay"), restore, then "systemctl start counterpay" [service_running]\n');
        return ExitCode.failure;
      }
      try {
        const report = restoreJournal(loaded.config.dataDir, values.from, env.clock);
        io.stdout.write(`${report.path}: restored from ${values.from} (${report.sales} sale${report.sales === 1 ? '' : 's'}, schema ${report.schema})\n`);
        io.stdout.write(report.keptAside === undefined ? 'there was no journal before\n' : `the journal it replaced: ${report.keptAside}\n`);
        return ExitCode.ok;
      } catch (error) {
        if (error instanceof CodedError) {
          io.stderr.write(`counterpay restore: ${error.message} [${error.code}]\n`);
          return ExitCode.failure;
        }
        throw error;
      }
    },
  };
}

export const restoreCommand: Command = createRestoreCommand();
