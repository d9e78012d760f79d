import { statSync } from 'node:fs';
import { systemExec, type Exec } from '../doctor/doctor-check.js';
import { SystemClock, type Clock } from '../platform/clock.js';
import { CodedError } from '../platform/coded-error.js';
import { SystemRandom, type RandomSource } from '../platform/random.js';
import { DataDirLock, Store, StoreError } from '../store/index.js';

/**
 * How the support commands (`queue`, `report`) reach the journal next to a terminal that may be
 * running.
 *
 * - Reading never disturbs the terminal: the journal is opened read-only (Store.openReadOnly:
 *   no in_flight sweep, no run row, nothing written), so listing the queue or making a report
 *   works while counterpay.service runs.
 * - Writing (retry, resolve, requeue a print) needs the service stopped. SQLite would make the
 *   concurrent write itself safe, but Store.open() sweeps in_flight ops to unknown (the running
 *   terminal's requests, under its feet), and the running terminal would not see the change:
 *   its outbox runner and print spooler are woken by their own work and timers, not by another
 *   process's commits, so a rearmed op or a requeued receipt would wait for an unrelated event.
 *   Stopped, the next start picks everything up: rearmed ops are due at open, queued print jobs
 *   print at the spooler's start.
 * - Root is refused when the database belongs to another user: SQLite would create the -wal and
 *   -shm files owned by root, and the service user could no longer open its own journal.
 *
 * - Writing also takes the data directory's lock (DataDirLock), without waiting: a terminal run by
 *   hand (`counterpay run`, the demo) that systemctl does not see holds it, and the change is
 *   refused (`journal_locked`) instead of sweeping that terminal's requests to unknown. While the
 *   change is written, a terminal starting meanwhile waits for the lock.
 *
 * The service check is `systemctl is-active counterpay.service`, as in doctor; it comes first
 * because it names the fix (systemctl stop).
 */

export type JournalAccessErrorCode = 'service_running' | 'wrong_user';

export class JournalAccessError extends CodedError {
  declare readonly code: JournalAccessErrorCode;
}

export interface JournalEnvironment {
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Whether counterpay.service runs now; false where systemd is absent. */
  serviceActive(): Promise<boolean>;
  /** This process's uid; undefined where there are none. */
  readonly uid: number | undefined;
}

export function serviceActiveVia(exec: Exec): () => Promise<boolean> {
  return async () => (await exec('systemctl', ['is-active', '--quiet', 'counterpay.service']))?.code === 0;
}

export function systemJournalEnvironment(): JournalEnvironment {
  return { clock: new SystemClock(), random: new SystemRandom(), serviceActive: serviceActiveVia(systemExec), uid: process.getuid?.() };
}

export const STOP_FIRST =
  'counterpay.service is running: stop it first ("systemctl stop counterpay"), run this again, then "systemctl start counterpay" (the running terminal would not see the change)';

/** Opens the journal for reading; works while the terminal runs. The caller closes it. */
export function openForReading(dataDir: string, env: JournalEnvironment): Store {
  const store = new Store({ dataDir, clock: env.clock, random: env.random });
  refuseRootOnForeignFile(store.path, env.uid);
  store.openReadOnly();
  return store;
}

/** The journal opened for a person's change, with its lock held; close() releases both. */
export interface WritableJournal {
  readonly store: Store;
  close(): void;
}

/**
 * Opens the journal for a person's change; refused while counterpay.service runs
 * (`service_running`) or while any other counterpay owns the journal (`journal_locked`).
 */
export async function openForWriting(dataDir: string, env: JournalEnvironment): Promise<WritableJournal> {
  if (await env.serviceActive()) throw new JournalAccessError('service_running', STOP_FIRST);
  const store = new Store({ dataDir, clock: env.clock, random: env.random });
  refuseRootOnForeignFile(store.path, env.uid);
  try {
    statSync(store.path);
  } catch (error) {
    // open() would create an empty journal: nothing to change in it, and a wrong dataDir hides.
    throw new StoreError('open_failed', `no database at ${store.path}`, { path: store.path }, { cause: error });
  }
  const lock = new DataDirLock(dataDir);
  lock.acquire();
  try {
    store.open();
  } catch (error) {
    lock.release();
    throw error;
  }
  return {
    store,
    close() {
      store.close();
      lock.release();
    },
  };
}

function refuseRootOnForeignFile(path: string, uid: number | undefined): void {
  if (uid !== 0) return;
  let owner: number;
  try {
    owner = statSync(path).uid;
  } catch {
    return; // no file: the open reports it
  }
  if (owner !== 0) {
    throw new JournalAccessError('wrong_user', `${path} belongs to uid ${owner}, not root: run this as that user (e.g. "sudo -u counterpay counterpay ...")`);
  }
}
