import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { money } from '../domain/money.js';
import { OP_KINDS } from '../domain/operation-kind.js';
import { LATEST_SCHEMA_VERSION, migrate, MIGRATIONS } from './migrations.js';
import { DEFAULT_DB_FILE } from './store.js';
import { tempStore } from '../../test/support/temp-store.js';
import { codeOf } from '../../test/support/thrown-code.js';

/** Migration 2: Centrapay request fields on sales and the uniqueness rules of the new op kinds. */

const EUR = (minor: number) => money(minor, 'EUR');
let env: ReturnType<typeof tempStore>;
beforeEach(() => {
  env = tempStore();
});
afterEach(() => env.cleanup());

describe('migration 2', () => {
  it('upgrades a version 1 file in place, keeping its sales', () => {
    const raw = new Database(join(env.dir, DEFAULT_DB_FILE));
    migrate(raw, env.clock.wallMs(), MIGRATIONS.filter((m) => m.version === 1));
    raw
      .prepare(
        `INSERT INTO sales (id, kind, state, amount_minor, currency, created_wall_ms, created_mono_ms, created_run, updated_wall_ms, updated_mono_ms, updated_run)
         VALUES ('old', 'code', 'created', 100, 'EUR', 1, 1, 'r', 1, 1, 'r')`,
      )
      .run();
    raw.close();
    const store = env.make();
    expect(store.open().migration).toMatchObject({ from: 1, to: LATEST_SCHEMA_VERSION });
    expect(store.sales.get('old')).toMatchObject({ state: 'created', paymentRequestId: undefined, shortCode: undefined });
  });

  it('a Centrapay sale keeps its payment request id, short code and expiry; one sale per request', () => {
    const store = env.make();
    store.open();
    store.sales.create({ id: 'cp1', kind: 'centrapay', amount: EUR(250) });
    const created = store.sales.apply('cp1', { type: 'requestCreated', paymentRequestId: 'pr_1', shortCode: 'CP-AAA-BBB', expirySeconds: 85 });
    expect(created).toMatchObject({ state: 'awaiting_payment', paymentRequestId: 'pr_1', shortCode: 'CP-AAA-BBB', expirySeconds: 85 });
    expect(store.sales.apply('cp1', { type: 'paid' })).toMatchObject({ state: 'paid', paymentRequestId: 'pr_1' });
    store.sales.create({ id: 'cp2', kind: 'centrapay', amount: EUR(250) });
    expect(codeOf(() => store.sales.apply('cp2', { type: 'requestCreated', paymentRequestId: 'pr_1', shortCode: 'X', expirySeconds: 85 }))).toBe('sale_conflict');
  });

  it('one live create per sale, one open void per request, one POS order per sale', () => {
    const store = env.make();
    store.open();
    store.sales.create({ id: 'cp1', kind: 'centrapay', amount: EUR(250) }, { enqueue: [{ saleId: 'cp1', kind: OP_KINDS.createPaymentRequest, payload: {} }] });
    expect(codeOf(() => store.outbox.enqueue({ saleId: 'cp1', kind: OP_KINDS.createPaymentRequest, payload: {} }))).toBe('duplicate_live_op');

    const voidOp = store.outbox.enqueue({ saleId: 'cp1', kind: OP_KINDS.voidPaymentRequest, transactionKey: 'pr_1', payload: { paymentRequestId: 'pr_1' } });
    expect(codeOf(() => store.outbox.enqueue({ kind: OP_KINDS.voidPaymentRequest, transactionKey: 'pr_1', payload: {} }))).toBe('duplicate_live_op');
    store.outbox.withdraw(voidOp.id, 'test');
    store.outbox.enqueue({ kind: OP_KINDS.voidPaymentRequest, transactionKey: 'pr_1', payload: {} });

    const pos = store.outbox.enqueue({ saleId: 'cp1', kind: OP_KINDS.posRecordOrder, payload: {} });
    expect(codeOf(() => store.outbox.enqueue({ saleId: 'cp1', kind: OP_KINDS.posRecordOrder, payload: {} }))).toBe('duplicate_live_op');
    const claimed = store.outbox.claim(pos.id);
    expect(claimed).toBeDefined();
    store.outbox.settle(pos.id, { to: 'done' });
    // Done still counts: a recorded sale is never recorded again.
    expect(codeOf(() => store.outbox.enqueue({ saleId: 'cp1', kind: OP_KINDS.posRecordOrder, payload: {} }))).toBe('duplicate_live_op');
  });
});
