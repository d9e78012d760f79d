import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SystemRandom } from '../platform/random.js';
import { DEFAULT_DB_FILE, Store, StoreError } from '../store/index.js';
import { errorText, fail, ok, warn, type CheckLine, type DoctorCheck } from './check.js';

/**
 * Opens the journal as the terminal does: the store itself refuses a file that is not WAL with
 * synchronous=FULL (pragma_mismatch), then `PRAGMA integrity_check` must answer "ok".
 *
 * Opening has effects (a run row, and the start sweep that turns in-flight requests into
 * "unknown"), so while counterpay.service runs the file is opened read-only instead: the WAL
 * journal mode, integrity and schema are checked without writing a byte; synchronous is a setting
 * of the service's own connection, which the service verified when it started. As root with no
 * database yet nothing is opened (the file would be created owned by root, and the service user
 * could not open it).
 */
export const databaseCheck: DoctorCheck = {
  name: 'database',
  needsConfig: true,
  async run(ctx): Promise<CheckLine[]> {
    const dataDir = ctx.loaded?.config.dataDir;
    if (dataDir === undefined) return [];
    const path = join(dataDir, DEFAULT_DB_FILE);
    const serviceRuns = (await ctx.exec('systemctl', ['is-active', '--quiet', 'counterpay.service']))?.code === 0;
    if (ctx.isRoot && !existsSync(path)) {
      return [warn('database', `${path} does not exist yet; the service creates it at its first start (run doctor as the counterpay user to create it now)`)];
    }
    const store = new Store({ dataDir, clock: ctx.clock, random: new SystemRandom() });
    try {
      let summary: string;
      if (serviceRuns) {
        const { schema } = store.openReadOnly();
        const { journalMode } = store.pragmas();
        if (journalMode !== 'wal') return [fail('database', `${path}: journal_mode=${journalMode}, not wal (stop the service; its next start sets it)`)];
        summary = `journal_mode=wal, integrity ok, schema ${schema} (read only: counterpay.service runs and checked synchronous=FULL at its start)`;
      } else {
        const { pragmas, migration } = store.open();
        const sync = pragmas.synchronous === 2 ? 'FULL' : String(pragmas.synchronous);
        summary = `journal_mode=${pragmas.journalMode}, synchronous=${sync}, integrity ok, schema ${migration.to}`;
      }
      const problems = store.integrityCheck().filter((row) => row !== 'ok');
      if (problems.length > 0) {
        return [fail('database', `${path}: integrity_check found ${problems.length} problem(s): ${problems.slice(0, 3).join('; ')} (restore from a backup; keep this file for analysis)`)];
      }
      return [ok('database', `${path}: ${summary}`)];
    } catch (error) {
      if (error instanceof StoreError) {
        return [fail('database', `${path}: ${errorText(error)} (check that ${dataDir} exists, is writable by the counterpay user, and is on a writable disk)`)];
      }
      throw error;
    } finally {
      store.close();
    }
  },
};
