import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SystemRandom } from '../platform/random.js';
import { DataDirLock, DEFAULT_DB_FILE, Store, StoreError } from '../store/index.js';
import { errorText, fail, ok, warn, type CheckLine, type DoctorCheck } from './doctor-check.js';

/**
 * Opens the journal as the terminal does: the store itself refuses a file that is not WAL with
 * synchronous=FULL (pragma_mismatch), then `PRAGMA integrity_check` must answer "ok".
 *
 * Opening has effects (a run row, and the start sweep that turns in-flight requests into
 * "unknown"), so while counterpay.service runs, or any other counterpay owns the journal (its
 * lock is held: a terminal run by hand), the file is opened read-only instead: the WAL journal
 * mode, integrity and schema are checked without writing a byte; synchronous is a setting of the
 * owner's own connection, which it verified when it started. Otherwise doctor owns the journal
 * (takes its lock) while it opens it. As root with no database yet nothing is opened (the file
 * would be created owned by root, and the service user could not open it); as root without a lock
 * file none is created, for the same reason (and without the file nobody can hold the lock).
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
    const lock = new DataDirLock(dataDir);
    try {
      let owner = serviceRuns ? 'counterpay.service runs' : undefined;
      if (owner === undefined && !(ctx.isRoot && !existsSync(lock.path))) {
        try {
          lock.acquire();
        } catch (error) {
          if (!(error instanceof StoreError && error.code === 'journal_locked')) throw error;
          owner = 'another counterpay owns the journal';
        }
      }
      let summary: string;
      if (owner !== undefined) {
        const { schema } = store.openReadOnly();
        const { journalMode } = store.pragmas();
        if (journalMode !== 'wal') return [fail('database', `${path}: journal_mode=${journalMode}, not wal (stop the service; its next start sets it)`)];
        summary = `journal_mode=wal, integrity ok, schema ${schema} (read only: ${owner} and checked synchronous=FULL at its start)`;
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
      lock.release();
    }
  },
};
