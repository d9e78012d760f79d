import { CodedError } from '../platform/coded-error.js';

/**
 * Every error the store raises on purpose. Callers branch on `code`:
 * - `open_failed`: the database file could not be opened (path, permissions, corrupt header).
 * - `pragma_mismatch`: a durability pragma did not read back as required; the terminal must not
 *   run (a commit could be lost on power cut). `detail` names the pragma, expected and actual.
 * - `schema_too_new`: the file was written by a newer counterpay; refusing beats guessing.
 * - `schema_too_old`: a read-only open found a file not yet migrated (only open() migrates).
 * - `migration_failed`: a migration threw; it was rolled back, user_version is unchanged.
 * - `journal_locked`: another process (or owner in this one) holds the data directory's lock
 *   (DataDirLock): one journal has one writer.
 * - `not_open` / `already_open`: lifecycle misuse.
 * - `not_found`: no row with that id.
 * - `state_conflict`: the row is not in the state the caller expected (someone else moved it,
 *   or the caller acted on stale data). Nothing was written.
 * - `duplicate_live_op`: the database refused a second live operation of a kind that must be
 *   unique (a second confirm for a sale or transaction, a second create, a second close of a spot).
 * - `conflicting_op`: a confirm and a revoke for one transaction cannot both be live.
 * - `duplicate_receipt`: a sale already has its receipt print job (a reprint is kind `copy`).
 * - `sale_conflict`: a second open sale on a spot, a reused reservation code or transaction key.
 * - `not_deletable`: something tried to delete a row that is not final (money is never deleted).
 */
export type StoreErrorCode =
  | 'open_failed'
  | 'pragma_mismatch'
  | 'schema_too_new'
  | 'schema_too_old'
  | 'migration_failed'
  | 'journal_locked'
  | 'not_open'
  | 'already_open'
  | 'not_found'
  | 'state_conflict'
  | 'duplicate_live_op'
  | 'conflicting_op'
  | 'duplicate_receipt'
  | 'sale_conflict'
  /** A second refund of a sale that already has one that is not refused. */
  | 'already_refunded'
  | 'not_deletable';

export class StoreError extends CodedError {
  declare readonly code: StoreErrorCode;
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: StoreErrorCode, message: string, detail?: Record<string, unknown>, options?: ErrorOptions) {
    super(code, message, options);
    this.detail = detail;
  }
}

/** The SQLite extended result code of a better-sqlite3 error, if it is one. */
export function sqliteCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' && error.code.startsWith('SQLITE_')) {
    return error.code;
  }
  return undefined;
}
