/**
 * Schema 5, in a file of its own (migrations.ts lists it; migrations stay append-only): sale
 * numbers and refunds.
 */
export const MIGRATION_5 = {
  version: 5,
  name: 'sale numbers and refunds',
  // - sales.number: the short number staff key to find a sale (printed on its receipt, shown by
  //   `counterpay queue` and the report). Per terminal (per journal), counting up, given by a
  //   trigger in the commit that makes the sale paid (as sale_totals counts it), from a counter
  //   prune() never touches, so a number is never given twice even after old sales are pruned.
  //   Sales already paid are numbered at the migration in journal order.
  // - refunds: a refund is its own row (a sale in reverse: domain/refund.ts), with its own amount
  //   and currency so that partial refunds fit later; today one refund per sale that is not
  //   refused (refunds_one_per_sale). Its outbox op carries the refund id in transaction_key, and
  //   one op per refund ever is allowed (outbox_one_op_per_refund): the intent is journaled once.
  // - refund_totals: refunds counted, with their amount, in the commit that records them refunded,
  //   per kind and currency (the metrics read them as sale_totals' outcome `refunded`:
  //   sale-totals.ts). A table of its own, so schema 4's table and triggers stay as they are.
  sql: `
ALTER TABLE sales ADD COLUMN number INTEGER;
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL CHECK (value >= 0)) STRICT;
UPDATE sales SET number = (
  SELECT n FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY rowid) AS n FROM sales
  WHERE (state = 'confirmed' OR state = 'paid' OR state = 'spot_closed' OR state = 'receipt_queued' OR state = 'done')
    AND NOT (state = 'done' AND resolved_paid = 0)) AS numbered
  WHERE numbered.id = sales.id)
WHERE (state = 'confirmed' OR state = 'paid' OR state = 'spot_closed' OR state = 'receipt_queued' OR state = 'done')
  AND NOT (state = 'done' AND resolved_paid = 0);
INSERT INTO counters (name, value) SELECT 'sale_number', COALESCE(MAX(number), 0) FROM sales;
CREATE UNIQUE INDEX sales_one_number ON sales(number) WHERE number IS NOT NULL;
CREATE TRIGGER sales_number_when_paid AFTER UPDATE OF state ON sales
WHEN NEW.number IS NULL AND (NEW.state = 'confirmed' OR NEW.state = 'paid' OR (NEW.state = 'done' AND NEW.resolved_paid = 1))
BEGIN
  UPDATE counters SET value = value + 1 WHERE name = 'sale_number';
  UPDATE sales SET number = (SELECT value FROM counters WHERE name = 'sale_number') WHERE id = NEW.id;
END;
CREATE TRIGGER counters_never_delete BEFORE DELETE ON counters
BEGIN SELECT RAISE(ABORT, 'not_deletable: counters only grow'); END;

CREATE TABLE refunds (
  id TEXT PRIMARY KEY,
  sale_id TEXT NOT NULL REFERENCES sales(id),
  method TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state = 'requested' OR state = 'refunded' OR state = 'refused' OR state = 'needs_human'),
  closed INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0,1)),
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  reason TEXT,
  needs_human_reason TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_wall_ms INTEGER NOT NULL,
  created_mono_ms INTEGER NOT NULL,
  created_run TEXT NOT NULL,
  updated_wall_ms INTEGER NOT NULL,
  updated_mono_ms INTEGER NOT NULL,
  updated_run TEXT NOT NULL,
  closed_wall_ms INTEGER,
  CHECK ((closed = 1) = (state = 'refunded' OR state = 'refused'))
) STRICT;
CREATE UNIQUE INDEX refunds_one_per_sale ON refunds(sale_id) WHERE state <> 'refused';
CREATE INDEX refunds_open ON refunds(state) WHERE closed = 0;
CREATE INDEX refunds_closed_at ON refunds(closed_wall_ms) WHERE closed = 1;
CREATE UNIQUE INDEX outbox_one_op_per_refund ON outbox(transaction_key) WHERE kind = 'cancel_payment' OR kind = 'refund_payment_request';
CREATE TRIGGER refunds_never_delete_open BEFORE DELETE ON refunds WHEN OLD.closed = 0
BEGIN SELECT RAISE(ABORT, 'not_deletable: open refunds are never deleted'); END;
CREATE TRIGGER sales_keep_refunded BEFORE DELETE ON sales
WHEN EXISTS (SELECT 1 FROM refunds WHERE sale_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'not_deletable: a sale with refunds goes with its refunds'); END;

CREATE TABLE refund_totals (
  kind TEXT NOT NULL,
  currency TEXT NOT NULL,
  refunds INTEGER NOT NULL CHECK (refunds >= 0),
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  PRIMARY KEY (kind, currency)
) STRICT;
CREATE TRIGGER refund_totals_never_delete BEFORE DELETE ON refund_totals
BEGIN SELECT RAISE(ABORT, 'not_deletable: refund totals only grow'); END;
CREATE TRIGGER refund_totals_refunded AFTER UPDATE OF state ON refunds
WHEN NEW.state = 'refunded' AND OLD.state <> 'refunded'
BEGIN
  INSERT INTO refund_totals (kind, currency, refunds, amount_minor) VALUES (NEW.method, NEW.currency, 1, NEW.amount_minor)
  ON CONFLICT (kind, currency) DO UPDATE SET refunds = refunds + 1, amount_minor = amount_minor + excluded.amount_minor;
END;
`,
  };
