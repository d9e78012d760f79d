import type { Database } from 'better-sqlite3';
import { MIGRATION_5 } from './migration-5.js';
import { StoreError } from './store-error.js';

/**
 * Versioned schema. `PRAGMA user_version` holds the number of the last applied migration; each
 * migration runs in its own immediate transaction together with the user_version bump, so a
 * crash leaves the file at the previous version, never half-migrated. Migrations are append-only:
 * never edit one that has shipped, add the next.
 *
 * Invariants the schema itself enforces (so a bug in the engine cannot break them):
 * - one live confirm per sale and per transaction key (`outbox_one_live_confirm_*`), where live
 *   means "not failed": a confirm that is pending, in flight, unknown, done or waiting for a
 *   person blocks a second one;
 * - one live create (order or transaction) and one live reserve per sale;
 * - at most one pending/in-flight/unknown close per spot and revoke per transaction;
 * - a confirm and a revoke of one transaction are never both live (triggers);
 * - one receipt print job per sale, whatever its state (a reprint is kind `copy`);
 * - one open pre-payment table sale per spot; a reservation code and a transaction key belong to
 *   one sale only;
 * - rows that are not final cannot be deleted; the event log cannot be updated.
 * Kind names used here are the values of OP_KINDS in src/domain/operation-kind.ts.
 */

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const LIVE = `('pending','in_flight','unknown')`;

/**
 * Migration 3's slot rule, frozen with it: 1 while an op occupies its kind's one-live slot, NULL
 * otherwise. src/store/op-slots.ts computes the same; a test holds the two together.
 */
const SLOT_RULE_V3 = `(CASE
    WHEN kind = 'confirm' OR kind = 'create_order' OR kind = 'create_transaction' OR kind = 'reserve'
      OR kind = 'create_payment_request' OR kind = 'pos_record_order'
      THEN (CASE WHEN state <> 'failed' THEN 1 END)
    WHEN kind = 'close_spot' OR kind = 'revoke_transaction' OR kind = 'void_payment_request'
      THEN (CASE WHEN state = 'pending' OR state = 'in_flight' OR state = 'unknown' THEN 1 END)
  END)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'journal, outbox, print jobs, event log',
    sql: `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  boot_id TEXT NOT NULL,
  started_wall_ms INTEGER NOT NULL,
  started_mono_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE sales (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('table','code','centrapay')),
  state TEXT NOT NULL,
  closed INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0,1)),
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  table_id TEXT,
  spot_id INTEGER,
  transaction_key TEXT,
  order_id INTEGER,
  reservation_code TEXT,
  decline_reason TEXT,
  needs_human_reason TEXT,
  resolved_paid INTEGER CHECK (resolved_paid IN (0,1)),
  version INTEGER NOT NULL DEFAULT 1,
  created_wall_ms INTEGER NOT NULL,
  created_mono_ms INTEGER NOT NULL,
  created_run TEXT NOT NULL,
  updated_wall_ms INTEGER NOT NULL,
  updated_mono_ms INTEGER NOT NULL,
  updated_run TEXT NOT NULL,
  closed_wall_ms INTEGER,
  CHECK (kind <> 'table' OR (table_id IS NOT NULL AND spot_id IS NOT NULL))
) STRICT;
CREATE INDEX sales_open ON sales(state) WHERE closed = 0;
CREATE INDEX sales_closed_at ON sales(closed_wall_ms) WHERE closed = 1;
CREATE UNIQUE INDEX sales_one_transaction_key ON sales(transaction_key) WHERE transaction_key IS NOT NULL;
CREATE UNIQUE INDEX sales_one_reservation_code ON sales(reservation_code) WHERE reservation_code IS NOT NULL;
CREATE UNIQUE INDEX sales_one_open_per_spot ON sales(spot_id)
  WHERE kind = 'table' AND state IN ('created','order_created','reserved','confirmed','cancelling');
CREATE TRIGGER sales_never_delete_open BEFORE DELETE ON sales WHEN OLD.closed = 0
BEGIN SELECT RAISE(ABORT, 'not_deletable: open sales are never deleted'); END;

CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  sale_id TEXT REFERENCES sales(id),
  kind TEXT NOT NULL CHECK (length(kind) > 0),
  state TEXT NOT NULL CHECK (state IN ('pending','in_flight','unknown','done','failed','needs_human')),
  claimed_from TEXT CHECK (claimed_from IN ('pending','unknown')),
  spot_id INTEGER,
  transaction_key TEXT,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  delay_ms INTEGER NOT NULL DEFAULT 0 CHECK (delay_ms >= 0),
  age_ms INTEGER NOT NULL DEFAULT 0 CHECK (age_ms >= 0),
  last_error_code TEXT,
  last_http_status INTEGER,
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  result TEXT CHECK (result IS NULL OR json_valid(result)),
  created_wall_ms INTEGER NOT NULL,
  created_mono_ms INTEGER NOT NULL,
  created_run TEXT NOT NULL,
  updated_wall_ms INTEGER NOT NULL,
  updated_mono_ms INTEGER NOT NULL,
  updated_run TEXT NOT NULL,
  final_wall_ms INTEGER,
  CHECK (kind NOT IN ('confirm','revoke_transaction','reserve') OR transaction_key IS NOT NULL),
  CHECK (kind <> 'close_spot' OR spot_id IS NOT NULL)
) STRICT;
CREATE INDEX outbox_live ON outbox(state) WHERE state IN ('pending','in_flight','unknown','needs_human');
CREATE INDEX outbox_by_sale ON outbox(sale_id);
CREATE INDEX outbox_final_at ON outbox(final_wall_ms) WHERE state IN ('done','failed');
CREATE UNIQUE INDEX outbox_one_live_confirm_per_sale ON outbox(sale_id) WHERE kind = 'confirm' AND state <> 'failed';
CREATE UNIQUE INDEX outbox_one_live_confirm_per_tx ON outbox(transaction_key) WHERE kind = 'confirm' AND state <> 'failed';
CREATE UNIQUE INDEX outbox_one_live_create_per_sale ON outbox(sale_id)
  WHERE kind IN ('create_order','create_transaction') AND state <> 'failed';
CREATE UNIQUE INDEX outbox_one_live_reserve_per_sale ON outbox(sale_id) WHERE kind = 'reserve' AND state <> 'failed';
CREATE UNIQUE INDEX outbox_one_open_close_per_spot ON outbox(spot_id) WHERE kind = 'close_spot' AND state IN ${LIVE};
CREATE UNIQUE INDEX outbox_one_open_revoke_per_tx ON outbox(transaction_key) WHERE kind = 'revoke_transaction' AND state IN ${LIVE};
CREATE TRIGGER outbox_no_confirm_after_revoke BEFORE INSERT ON outbox
WHEN NEW.kind = 'confirm' AND EXISTS (
  SELECT 1 FROM outbox WHERE kind = 'revoke_transaction' AND transaction_key = NEW.transaction_key AND state <> 'failed')
BEGIN SELECT RAISE(ABORT, 'conflicting_op: a revoke of this transaction is live'); END;
CREATE TRIGGER outbox_no_revoke_after_confirm BEFORE INSERT ON outbox
WHEN NEW.kind = 'revoke_transaction' AND EXISTS (
  SELECT 1 FROM outbox WHERE kind = 'confirm' AND transaction_key = NEW.transaction_key AND state <> 'failed')
BEGIN SELECT RAISE(ABORT, 'conflicting_op: a confirm of this transaction is live'); END;
CREATE TRIGGER outbox_never_delete_live BEFORE DELETE ON outbox WHEN OLD.state NOT IN ('done','failed')
BEGIN SELECT RAISE(ABORT, 'not_deletable: live operations are never deleted'); END;

CREATE TABLE print_jobs (
  id TEXT PRIMARY KEY,
  sale_id TEXT REFERENCES sales(id),
  kind TEXT NOT NULL CHECK (length(kind) > 0),
  state TEXT NOT NULL CHECK (state IN ('queued','printing','printed','failed')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error_code TEXT,
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  created_wall_ms INTEGER NOT NULL,
  created_mono_ms INTEGER NOT NULL,
  created_run TEXT NOT NULL,
  updated_wall_ms INTEGER NOT NULL,
  updated_mono_ms INTEGER NOT NULL,
  updated_run TEXT NOT NULL,
  final_wall_ms INTEGER,
  CHECK (kind NOT IN ('receipt','copy') OR sale_id IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX print_one_receipt_per_sale ON print_jobs(sale_id) WHERE kind = 'receipt';
CREATE INDEX print_open ON print_jobs(state) WHERE state IN ('queued','printing');
CREATE INDEX print_by_sale ON print_jobs(sale_id);
CREATE TRIGGER print_never_delete_open BEFORE DELETE ON print_jobs WHEN OLD.state NOT IN ('printed','failed')
BEGIN SELECT RAISE(ABORT, 'not_deletable: open print jobs are never deleted'); END;

CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  wall_ms INTEGER NOT NULL,
  mono_ms INTEGER NOT NULL,
  run TEXT NOT NULL,
  sale_id TEXT,
  op_id TEXT,
  type TEXT NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data))
) STRICT;
CREATE INDEX events_by_sale ON events(sale_id) WHERE sale_id IS NOT NULL;
CREATE TRIGGER events_append_only BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'not_deletable: the event log is append-only'); END;
CREATE TRIGGER events_keep_open_sales BEFORE DELETE ON events
WHEN OLD.sale_id IS NOT NULL AND EXISTS (SELECT 1 FROM sales WHERE id = OLD.sale_id AND closed = 0)
BEGIN SELECT RAISE(ABORT, 'not_deletable: events of open sales are kept'); END;
`,
  },
  {
    version: 2,
    name: 'centrapay payment requests, pos sync',
    // - A Centrapay sale keeps its payment request id, short code and expiry (one sale per request).
    // - One live create_payment_request per sale (as for the Paysera creates).
    // - At most one pending/in-flight/unknown void per payment request (its id is the op's
    //   transaction_key), so a cancel and a deadline never void twice at once.
    // - One pos_record_order per sale that is not failed: a paid sale is recorded once.
    sql: `
ALTER TABLE sales ADD COLUMN payment_request_id TEXT;
ALTER TABLE sales ADD COLUMN short_code TEXT;
ALTER TABLE sales ADD COLUMN expiry_seconds INTEGER CHECK (expiry_seconds IS NULL OR expiry_seconds > 0);
CREATE UNIQUE INDEX sales_one_payment_request ON sales(payment_request_id) WHERE payment_request_id IS NOT NULL;
CREATE UNIQUE INDEX outbox_one_live_create_pr_per_sale ON outbox(sale_id) WHERE kind = 'create_payment_request' AND state <> 'failed';
CREATE UNIQUE INDEX outbox_one_open_void_per_request ON outbox(transaction_key) WHERE kind = 'void_payment_request' AND state IN ${LIVE};
CREATE UNIQUE INDEX outbox_one_pos_order_per_sale ON outbox(sale_id) WHERE kind = 'pos_record_order' AND state <> 'failed';
`,
  },
  {
    version: 3,
    name: 'fewer pages per commit: outbox slots, indexes that claims do not touch, events without AUTOINCREMENT',
    // Every commit appends each page it dirtied to the WAL and fsyncs it: most of a commit's time,
    // and on a Pi the SD card's wear. Version 2 dirtied four to seven pages per outbox step and
    // spent most of an update's CPU re-checking a unique index whose key had not changed. This
    // version keeps every invariant (same rules, same errors) and touches about half as many:
    // - The outbox is rebuilt with `holds_slot`: 1 while the op occupies its kind's one-live slot
    //   (kinds whose rule is "not failed": while not failed; kinds whose rule is "pending, in
    //   flight or unknown": while in one of those), NULL otherwise. The one-live unique indexes
    //   are keyed on it instead of on the state, so a claim or a retry, which moves the state but
    //   not the slot, leaves them alone. A CHECK ties the column to kind and state, so the schema
    //   still enforces the rules whatever the store code does (src/store/op-slots.ts mirrors it).
    // - `outbox_open` (ops not yet final) replaces `outbox_live`, which was keyed on the state and
    //   so rewritten by every step; a CHECK makes final_wall_ms set exactly when done or failed.
    // - `outbox_final_at` goes (only the daily prune read it; a scan serves that) and
    //   `outbox_by_sale` skips sale-less ops, which no query looks up by sale.
    // - events.seq is a plain INTEGER PRIMARY KEY: AUTOINCREMENT rewrote the sqlite_sequence page
    //   with every event. seq stays increasing because prune() always keeps the newest event.
    // - The CHECKs spell lists as OR chains: SQLite evaluates `x IN (three or more constants)` by
    //   building a temporary table each time, which made the state check of every update cost
    //   more than the update itself.
    // Triggers and indexes go with their dropped tables and are created again below.
    sql: `
CREATE TABLE outbox_v3 (
  id TEXT PRIMARY KEY,
  sale_id TEXT REFERENCES sales(id),
  kind TEXT NOT NULL CHECK (length(kind) > 0),
  state TEXT NOT NULL CHECK (state = 'pending' OR state = 'in_flight' OR state = 'unknown'
    OR state = 'done' OR state = 'failed' OR state = 'needs_human'),
  claimed_from TEXT CHECK (claimed_from IN ('pending','unknown')),
  spot_id INTEGER,
  transaction_key TEXT,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  delay_ms INTEGER NOT NULL DEFAULT 0 CHECK (delay_ms >= 0),
  age_ms INTEGER NOT NULL DEFAULT 0 CHECK (age_ms >= 0),
  last_error_code TEXT,
  last_http_status INTEGER,
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  result TEXT CHECK (result IS NULL OR json_valid(result)),
  created_wall_ms INTEGER NOT NULL,
  created_mono_ms INTEGER NOT NULL,
  created_run TEXT NOT NULL,
  updated_wall_ms INTEGER NOT NULL,
  updated_mono_ms INTEGER NOT NULL,
  updated_run TEXT NOT NULL,
  final_wall_ms INTEGER,
  holds_slot INTEGER,
  CHECK ((kind <> 'confirm' AND kind <> 'revoke_transaction' AND kind <> 'reserve') OR transaction_key IS NOT NULL),
  CHECK (kind <> 'close_spot' OR spot_id IS NOT NULL),
  CHECK ((final_wall_ms IS NOT NULL) = (state IN ('done','failed'))),
  CHECK (holds_slot IS ${SLOT_RULE_V3})
) STRICT;
INSERT INTO outbox_v3 (id, sale_id, kind, state, claimed_from, spot_id, transaction_key, attempts, delay_ms, age_ms,
    last_error_code, last_http_status, payload, result, created_wall_ms, created_mono_ms, created_run,
    updated_wall_ms, updated_mono_ms, updated_run, final_wall_ms, holds_slot)
  SELECT id, sale_id, kind, state, claimed_from, spot_id, transaction_key, attempts, delay_ms, age_ms,
    last_error_code, last_http_status, payload, result, created_wall_ms, created_mono_ms, created_run,
    updated_wall_ms, updated_mono_ms, updated_run,
    CASE WHEN state IN ('done','failed') THEN COALESCE(final_wall_ms, updated_wall_ms) END,
    ${SLOT_RULE_V3}
  FROM outbox ORDER BY rowid;
DROP TABLE outbox;
ALTER TABLE outbox_v3 RENAME TO outbox;
CREATE INDEX outbox_open ON outbox(kind) WHERE final_wall_ms IS NULL;
CREATE INDEX outbox_by_sale ON outbox(sale_id) WHERE sale_id IS NOT NULL;
CREATE UNIQUE INDEX outbox_one_live_confirm_per_sale ON outbox(sale_id) WHERE kind = 'confirm' AND holds_slot = 1;
CREATE UNIQUE INDEX outbox_one_live_confirm_per_tx ON outbox(transaction_key) WHERE kind = 'confirm' AND holds_slot = 1;
CREATE UNIQUE INDEX outbox_one_live_create_per_sale ON outbox(sale_id)
  WHERE kind IN ('create_order','create_transaction') AND holds_slot = 1;
CREATE UNIQUE INDEX outbox_one_live_reserve_per_sale ON outbox(sale_id) WHERE kind = 'reserve' AND holds_slot = 1;
CREATE UNIQUE INDEX outbox_one_live_create_pr_per_sale ON outbox(sale_id) WHERE kind = 'create_payment_request' AND holds_slot = 1;
CREATE UNIQUE INDEX outbox_one_pos_order_per_sale ON outbox(sale_id) WHERE kind = 'pos_record_order' AND holds_slot = 1;
CREATE UNIQUE INDEX outbox_one_open_close_per_spot ON outbox(spot_id) WHERE kind = 'close_spot' AND holds_slot = 1;
CREATE UNIQUE INDEX outbox_one_open_revoke_per_tx ON outbox(transaction_key) WHERE kind = 'revoke_transaction' AND holds_slot = 1;
CREATE UNIQUE INDEX outbox_one_open_void_per_request ON outbox(transaction_key) WHERE kind = 'void_payment_request' AND holds_slot = 1;
CREATE TRIGGER outbox_no_confirm_after_revoke BEFORE INSERT ON outbox
WHEN NEW.kind = 'confirm' AND EXISTS (
  SELECT 1 FROM outbox WHERE kind = 'revoke_transaction' AND transaction_key = NEW.transaction_key AND state <> 'failed')
BEGIN SELECT RAISE(ABORT, 'conflicting_op: a revoke of this transaction is live'); END;
CREATE TRIGGER outbox_no_revoke_after_confirm BEFORE INSERT ON outbox
WHEN NEW.kind = 'revoke_transaction' AND EXISTS (
  SELECT 1 FROM outbox WHERE kind = 'confirm' AND transaction_key = NEW.transaction_key AND state <> 'failed')
BEGIN SELECT RAISE(ABORT, 'conflicting_op: a confirm of this transaction is live'); END;
CREATE TRIGGER outbox_never_delete_live BEFORE DELETE ON outbox WHEN OLD.state NOT IN ('done','failed')
BEGIN SELECT RAISE(ABORT, 'not_deletable: live operations are never deleted'); END;

CREATE TABLE events_v3 (
  seq INTEGER PRIMARY KEY,
  wall_ms INTEGER NOT NULL,
  mono_ms INTEGER NOT NULL,
  run TEXT NOT NULL,
  sale_id TEXT,
  op_id TEXT,
  type TEXT NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data))
) STRICT;
INSERT INTO events_v3 (seq, wall_ms, mono_ms, run, sale_id, op_id, type, data)
  SELECT seq, wall_ms, mono_ms, run, sale_id, op_id, type, data FROM events ORDER BY seq;
-- The migration is an event too, numbered after everything AUTOINCREMENT ever handed out (a
-- pruned newest row included), so a seq a reader has seen is never given to a new event.
INSERT INTO events_v3 (seq, wall_ms, mono_ms, run, type, data)
  SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0), COALESCE((SELECT MAX(seq) FROM events), 0)) + 1,
    migration_wall_ms(), 0, 'migration', 'store.migrated', '{"schema":3}';
DROP TABLE events;
ALTER TABLE events_v3 RENAME TO events;
DELETE FROM sqlite_sequence WHERE name = 'events';
CREATE INDEX events_by_sale ON events(sale_id) WHERE sale_id IS NOT NULL;
CREATE TRIGGER events_append_only BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'not_deletable: the event log is append-only'); END;
CREATE TRIGGER events_keep_open_sales BEFORE DELETE ON events
WHEN OLD.sale_id IS NOT NULL AND EXISTS (SELECT 1 FROM sales WHERE id = OLD.sale_id AND closed = 0)
BEGIN SELECT RAISE(ABORT, 'not_deletable: events of open sales are kept'); END;
`,
  },
  {
    version: 4,
    name: 'sale totals: cumulative counts and takings per kind, outcome and currency',
    // The metrics' counters (docs/monitoring.md). Counted from the surviving sales rows they would
    // drop whenever prune() deletes old ones, and a counter that drops reads as a reset to
    // Prometheus, which then counts the whole remainder again as new takings. So triggers keep the
    // totals in the same commit as the change of the sale, in a table prune() never touches
    // (and that refuses deletes). One row per (kind, outcome, currency): one more page in the
    // commits that decide an outcome, none in any other.
    // - paid, with the amount in takings: when the server's answer makes the sale paid (confirmed;
    //   Centrapay: paid), as the display says PAID (domain/sale.ts saleOutcome), not when the
    //   spot is closed and the receipt queued; a sale a person resolves as paid counts then, unless
    //   the server had confirmed it before (its sale.confirmed or sale.paid event: events of open
    //   sales are never pruned).
    // - declined, cancelled (Centrapay's expired included): when the sale closes so.
    // - needs_human: each sale handed to a person, when it is; it counts again under the outcome
    //   a person resolves it to.
    // - Refunds: a refunded outcome gets its own trigger (and its amount its own column) in the
    //   migration that brings refunds.
    // Sales the journal holds are counted at the migration; ones pruned before it are not known.
    sql: `
CREATE TABLE sale_totals (
  kind TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome = 'paid' OR outcome = 'declined' OR outcome = 'cancelled' OR outcome = 'needs_human'),
  currency TEXT NOT NULL,
  sales INTEGER NOT NULL CHECK (sales >= 0),
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  PRIMARY KEY (kind, outcome, currency)
) STRICT;
INSERT INTO sale_totals (kind, outcome, currency, sales, amount_minor)
  SELECT kind, outcome, currency, COUNT(*), SUM(CASE WHEN outcome = 'paid' THEN amount_minor ELSE 0 END)
  FROM (SELECT kind, currency, amount_minor,
          CASE WHEN state = 'confirmed' OR state = 'paid' OR state = 'spot_closed' OR state = 'receipt_queued' OR state = 'done' THEN 'paid'
               WHEN state = 'declined' THEN 'declined' ELSE 'cancelled' END AS outcome
        FROM sales
        WHERE state = 'confirmed' OR state = 'paid' OR state = 'spot_closed' OR state = 'receipt_queued' OR state = 'done'
           OR state = 'declined' OR state = 'cancelled' OR state = 'expired')
  GROUP BY kind, outcome, currency;
INSERT INTO sale_totals (kind, outcome, currency, sales, amount_minor)
  SELECT kind, 'needs_human', currency, COUNT(*), 0 FROM sales WHERE state = 'needs_human' OR resolved_paid IS NOT NULL GROUP BY kind, currency;
CREATE TRIGGER sale_totals_paid AFTER UPDATE OF state ON sales
WHEN (NEW.state = 'confirmed' OR NEW.state = 'paid')
  AND NOT (OLD.state = 'confirmed' OR OLD.state = 'paid' OR OLD.state = 'spot_closed' OR OLD.state = 'receipt_queued' OR OLD.state = 'done')
BEGIN
  INSERT INTO sale_totals (kind, outcome, currency, sales, amount_minor) VALUES (NEW.kind, 'paid', NEW.currency, 1, NEW.amount_minor)
    ON CONFLICT (kind, outcome, currency) DO UPDATE SET sales = sales + 1, amount_minor = amount_minor + excluded.amount_minor;
END;
CREATE TRIGGER sale_totals_resolved_paid AFTER UPDATE OF state ON sales
WHEN NEW.state = 'done' AND OLD.state = 'needs_human'
  AND NOT EXISTS (SELECT 1 FROM events WHERE sale_id = NEW.id AND (type = 'sale.confirmed' OR type = 'sale.paid'))
BEGIN
  INSERT INTO sale_totals (kind, outcome, currency, sales, amount_minor) VALUES (NEW.kind, 'paid', NEW.currency, 1, NEW.amount_minor)
    ON CONFLICT (kind, outcome, currency) DO UPDATE SET sales = sales + 1, amount_minor = amount_minor + excluded.amount_minor;
END;
CREATE TRIGGER sale_totals_unpaid AFTER UPDATE OF closed ON sales
WHEN OLD.closed = 0 AND NEW.closed = 1 AND NEW.state <> 'done'
BEGIN
  INSERT INTO sale_totals (kind, outcome, currency, sales, amount_minor)
    VALUES (NEW.kind, CASE WHEN NEW.state = 'declined' THEN 'declined' ELSE 'cancelled' END, NEW.currency, 1, 0)
    ON CONFLICT (kind, outcome, currency) DO UPDATE SET sales = sales + 1;
END;
CREATE TRIGGER sale_totals_needs_human AFTER UPDATE OF state ON sales
WHEN NEW.state = 'needs_human' AND OLD.state <> 'needs_human'
BEGIN
  INSERT INTO sale_totals (kind, outcome, currency, sales, amount_minor) VALUES (NEW.kind, 'needs_human', NEW.currency, 1, 0)
    ON CONFLICT (kind, outcome, currency) DO UPDATE SET sales = sales + 1;
END;
CREATE TRIGGER sale_totals_never_delete BEFORE DELETE ON sale_totals
BEGIN SELECT RAISE(ABORT, 'not_deletable: sale totals only grow'); END;
`,
  },
  MIGRATION_5,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

/**
 * Applies every migration above the file's user_version, each in its own immediate transaction.
 * A migration that stamps a row reads the time through `migration_wall_ms()`, which is the
 * store's Clock: SQLite's own 'now' is the machine's clock, which a store on a fake or corrected
 * clock must never see (a row stamped in the real present outlives a prune run in fake time).
 */
export function migrate(db: Database, wallMs: number, migrations: readonly Migration[] = MIGRATIONS): MigrationReport {
  const from = Number(db.pragma('user_version', { simple: true }));
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (from > latest) {
    throw new StoreError('schema_too_new', `database schema version ${from} is newer than this counterpay (${latest})`, { from, latest });
  }
  const applied: string[] = [];
  db.function('migration_wall_ms', { deterministic: false }, () => Math.round(wallMs));
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= from) continue;
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        db.pragma(`user_version = ${migration.version}`);
      }).immediate();
    } catch (error) {
      throw new StoreError('migration_failed', `migration ${migration.version} (${migration.name}) failed`, { version: migration.version }, { cause: error });
    }
    applied.push(`${migration.version} ${migration.name}`);
  }
  return { from, to: Math.max(from, latest), applied };
}
