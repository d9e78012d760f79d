export { Store, DEFAULT_DB_FILE, DEFAULT_RETENTION_DAYS, type StoreOptions, type OpenReport } from './store.js';
export { StoreError, type StoreErrorCode } from './store-error.js';
export type { SaleJournal } from './sale-journal.js';
export type { Outbox } from './outbox.js';
export type { PrintJobs } from './print-jobs.js';
export type { EventLog } from './event-log.js';
export type { PragmaState } from './pragmas.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration, type MigrationReport } from './migrations.js';
export * from './types.js';
