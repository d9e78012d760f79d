import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SystemRandom } from '../platform/random.js';
import { DEFAULT_DB_FILE, Store, StoreError } from '../store/index.js';
import { errorText, fail, ok, warn, type CheckLine, type DoctorCheck } from './check.js';

/**
 * Opens the journal as the terminal does: the store itself refuses a file that is not WAL with
 * synchronous=FULL (pragma_mismatch), then `PRAGMA integrity_check` must answer "ok".
 *
 * Opening has effects, so two cases are refused with a WARN instead: the service is running
 * (the store's start sweep would turn the running terminal's in-flight requests into "unknown"),
 * and root with no database yet (the file would be created owned by root, and the service user
 * could not open it).
 */
export const databaseCheck: DoctorCheck = {
  name: 'database',
  needsConfig: true,
  async run(ctx): Promise<CheckLine[]> {
    const dataDir = ctx.loaded?.config.dataDir;
    if (dataDir === undefined) return [];
    const path = join(dataDir, DEFAULT_DB_FILE);
    const active = await ctx.exec('systemctl', ['is-active', '--quiet', 'counterpay.service']);
    if (active?.code === 0) {
      return [warn('database', `${path}: not opened while counterpay.service runs; run "systemctl stop counterpay" first to check it`)];
    }
    if (ctx.isRoot && !existsSync(path)) {
      return [warn('database', `${path} does not exist yet; the service creates it at its first start (run doctor as the counterpay user to create it now)`)];
    }
    const store = new Store({ dataDir, clock: ctx.clock, random: new SystemRandom() });
    try {
      const report = store.open();
      const problems = store.integrityCheck().filter((row) => row !== 'ok');
      if (problems.length > 0) {
        return [fail('database', `${path}: integrity_check found ${problems.length} problem(s): ${problems.slice(0, 3).join('; ')} (restore from a backup; keep this file for analysis)`)];
      }
      const sync = report.pragmas.synchronous === 2 ? 'FULL' : String(report.pragmas.synchronous);
      return [ok('database', `${path}: journal_mode=${report.pragmas.journalMode}, synchronous=${sync}, integrity ok, schema ${report.migration.to}`)];
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
