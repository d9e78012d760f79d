import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { money } from '../../src/domain/money.js';
import { OP_KINDS } from '../../src/domain/operation-kind.js';
import { createTransactionOp } from '../../src/engine/paysera-wallet/paysera-ops.js';
import { SystemClock } from '../../src/platform/clock.js';
import { SeededRandom } from '../../src/platform/random.js';
import { DEFAULT_DB_FILE, Store } from '../../src/store/store.js';
import { harnessPerTest, payTableSale, startHarness } from '../support/engine-harness.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Outbox rows outlive crashes and upgrades: a journal may hold a row whose payload no longer
 * reads as its kind's (damaged, or edited by hand), or a row of a kind this version no longer
 * runs. Each goes to a person with the reason; the terminal starts and sells as usual.
 */

const slot = harnessPerTest();

/** A journal left by an earlier run: a code sale whose create is still to be sent. */
function journalWithPendingCreate(saleId: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'counterpay-unreadable-'));
  const store = new Store({ dataDir, clock: new SystemClock(), random: new SeededRandom(11), bootId: 'earlier-boot' });
  store.open();
  const amount = money(1234, 'EUR');
  store.sales.create({ id: saleId, kind: 'code', amount }, { enqueue: [createTransactionOp(saleId, amount, 'Counter sale')] });
  store.close();
  return dataDir;
}

/** Changes rows behind the store's back, as a damaged file or a person with sqlite3 would. */
function editJournal(dataDir: string, sql: string): void {
  const db = new Database(join(dataDir, DEFAULT_DB_FILE));
  try {
    db.prepare(sql).run();
  } finally {
    db.close();
  }
}

describe('outbox rows the terminal cannot read', () => {
  it('a payload that does not read sends its op and sale to a person with the reason; other sales go through', async () => {
    const dataDir = journalWithPendingCreate('sale_damaged');
    editJournal(dataDir, `UPDATE outbox SET payload = json_set(payload, '$.amountMinor', 'twelve') WHERE sale_id = 'sale_damaged'`);

    const h = (slot.h = await startHarness({ dataDir }));
    const [op] = await waitFor(() => {
      const ops = h.store.outbox.list({ saleId: 'sale_damaged', states: ['needs_human'] });
      return ops.length > 0 && ops;
    }, 'the damaged op with a person');
    expect(op).toMatchObject({ kind: OP_KINDS.createTransaction, lastErrorCode: 'payload_invalid', attempts: 0 });
    expect(op?.result).toEqual({ detail: expect.stringMatching(/^create_transaction payload amountMinor: /) });
    expect(h.store.sales.get('sale_damaged')).toMatchObject({ state: 'needs_human', needsHumanReason: 'create_transaction:payload_invalid' });
    // Nothing was sent for it.
    expect(h.emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.method === 'POST')).toEqual([]);

    const paid = await payTableSale(h, 1, 800);
    expect(paid.state).toBe('done');
    expect(h.engine.status().needsHuman).toBe(2);
  });

  it('an op of a kind this version no longer runs (delete_order) goes to a person; the terminal sells on', async () => {
    const dataDir = journalWithPendingCreate('sale_ok');
    const store = new Store({ dataDir, clock: new SystemClock(), random: new SeededRandom(12), bootId: 'earlier-boot' });
    store.open();
    const retired = store.outbox.enqueue({ kind: 'delete_order', payload: { orderId: 7 } });
    store.close();

    const h = (slot.h = await startHarness({ dataDir }));
    await waitFor(() => h.store.outbox.get(retired.id)?.state === 'needs_human', 'the retired op with a person');
    expect(h.store.outbox.get(retired.id)).toMatchObject({ lastErrorCode: 'no_handler', attempts: 0 });
    expect(h.emu.requests.list({ service: 'paysera-wallet' }).some((r) => r.method === 'DELETE' && r.path.includes('/order/'))).toBe(false);
    // The sale journaled alongside it is sent as usual.
    await waitFor(() => h.store.sales.get('sale_ok')?.state === 'transaction_created', 'the pending create sent');
    const paid = await payTableSale(h, 2, 500);
    expect(paid.state).toBe('done');
  });
});
