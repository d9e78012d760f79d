import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueueCommand } from '../../src/cli/commands/queue.js';
import { money } from '../../src/domain/money.js';
import type { JournalEnvironment } from '../../src/queue/journal-access.js';
import type { Store } from '../../src/store/store.js';
import { tempStore } from '../support/temp-store.js';
import { runCli, runCommand, type CliRun } from '../support/cli-run.js';
import { PROCESS_TEST_MS } from '../support/wait-for.js';

let env: ReturnType<typeof tempStore>;
let store: Store;
let configPath: string;
let serviceActive: boolean;

beforeEach(() => {
  env = tempStore();
  store = env.make();
  store.open();
  serviceActive = false;
  configPath = join(env.dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({ dataDir: env.dir, paysera: { macId: 'wkVd93h2uS', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU', locationId: 3, tables: ['TABLE1'] } }));
});
afterEach(() => env.cleanup());

function queue(...argv: string[]): Promise<CliRun> {
  const journal = (): JournalEnvironment => ({ clock: env.clock, random: env.random, serviceActive: async () => serviceActive, uid: 1000 });
  return runCommand(createQueueCommand(journal), ['--config', configPath, ...argv], { TZ: 'UTC', USER: 'anna' });
}

/** A code sale taken all the way to done (paid). */
function paidCodeSale(id: string, minor = 500): void {
  store.sales.create({ id, kind: 'code', amount: money(minor, 'EUR') });
  store.sales.apply(id, { type: 'transactionCreated', transactionKey: `tx_${id}` });
  store.sales.apply(id, { type: 'reservedByCode' });
  store.sales.apply(id, { type: 'confirmed' });
  store.sales.apply(id, { type: 'receiptQueued' });
  store.sales.apply(id, { type: 'completed' });
}

/**
 * sale_a: a table sale whose confirm and spot close went to needs_human (and the sale with them);
 * sale_b: a code sale whose create waits for its backoff; op revoke: a sale-less op in unknown;
 * receipts: one failed while the printer was offline, one may be torn, one torn but reprinted.
 */
function seed(): { confirm: string; close: string; create: string; revoke: string; offline: string; torn: string; reprinted: string; card: string } {
  store.sales.create({ id: 'sale_a', kind: 'table', amount: money(1299, 'EUR'), tableId: 'TABLE1', spotId: 41 });
  store.sales.apply('sale_a', { type: 'orderCreated', orderId: 9, transactionKey: 'tx_a' });
  store.sales.apply('sale_a', { type: 'reservationSeen' });
  const confirm = store.outbox.enqueue({ saleId: 'sale_a', kind: 'confirm', transactionKey: 'tx_a', payload: { transactionKey: 'tx_a' } }).id;
  const close = store.outbox.enqueue({ saleId: 'sale_a', kind: 'close_spot', spotId: 41, payload: { spotId: 41 } }).id;
  store.outbox.escalate(confirm, 'max_age_exceeded', { sale: { saleId: 'sale_a', event: { type: 'needsHuman', reason: 'confirm:max_age_exceeded' }, onlyIfLegal: true } });
  store.outbox.escalate(close, 'max_age_exceeded');

  store.sales.create({ id: 'sale_b', kind: 'code', amount: money(250, 'EUR') });
  const create = store.outbox.enqueue({ saleId: 'sale_b', kind: 'create_transaction', payload: {}, delayMs: 30_000 }).id;

  const revoke = store.outbox.enqueue({ kind: 'revoke_transaction', transactionKey: 'tx_extra', payload: { transactionKey: 'tx_extra' } }).id;
  store.outbox.claim(revoke);
  store.outbox.settle(revoke, { to: 'unknown', errorCode: 'network_timeout', delayMs: 60_000 });

  paidCodeSale('sale_d');
  paidCodeSale('sale_e');
  paidCodeSale('sale_f');
  const offline = store.printJobs.enqueue({ saleId: 'sale_d', kind: 'receipt', payload: {} }).id;
  const torn = store.printJobs.enqueue({ saleId: 'sale_e', kind: 'receipt', payload: {} }).id;
  const reprinted = store.printJobs.enqueue({ saleId: 'sale_f', kind: 'receipt', payload: {} }).id;
  store.printJobs.markFailed(offline, 'printer_offline');
  store.printJobs.markFailed(torn, 'maybe_printed:printer_timeout');
  store.printJobs.markFailed(reprinted, 'maybe_printed:printer_timeout');
  const copy = store.printJobs.enqueue({ saleId: 'sale_f', kind: 'copy', payload: {} }).id;
  store.printJobs.claimNext();
  store.printJobs.markPrinted(copy);
  const card = store.printJobs.enqueue({ kind: 'table-card', payload: {} }).id;
  return { confirm, close, create, revoke, offline, torn, reprinted, card };
}

describe('counterpay queue', { timeout: PROCESS_TEST_MS }, () => {
  it('lists needs_human first, then prints to check, then work in progress; one line each with what to do', async () => {
    const ids = seed();
    const { code, lines, err } = await queue();
    expect(err).toBe('');
    expect(code).toBe(0);
    const at = 'since 2026-11-21 12:00';
    expect(lines).toEqual([
      `NEEDS A PERSON  sale sale_a  needs_human (confirm:max_age_exceeded)  table sale table TABLE1 12.99 EUR  ${at}  -> check transaction tx_a in the back office, then: counterpay queue --resolve sale_a --paid|--not-paid --reason "what you found"`,
      `NEEDS A PERSON  op ${ids.confirm}  needs_human (max_age_exceeded)  confirm of sale sale_a, 0 attempts  ${at}  -> decide sale sale_a (--resolve sale_a ...), or counterpay queue --retry ${ids.confirm} to read the remote state again`,
      `NEEDS A PERSON  op ${ids.close}  needs_human (max_age_exceeded)  close_spot of sale sale_a, 0 attempts  ${at}  -> decide sale sale_a (--resolve sale_a ...), or counterpay queue --retry ${ids.close} to read the remote state again`,
      `CHECK PRINT  print ${ids.torn}  failed (maybe_printed:printer_timeout)  receipt print of sale sale_e  ${at}  -> the printer failed midway: check the paper; if it is missing or torn, counterpay queue --requeue-print ${ids.torn} (or reprint a COPY from the menu)`,
      `IN PROGRESS  sale sale_b  created  code sale 2.50 EUR  ${at}  -> nothing: the terminal finishes it`,
      `IN PROGRESS  op ${ids.create}  pending  create_transaction of sale sale_b, 0 attempts  ${at}  -> nothing: the terminal sends it next; counterpay queue --retry ${ids.create} skips the wait`,
      // Its last attempt failed: being retried, since it was queued.
      `IN PROGRESS  op ${ids.revoke}  unknown (network_timeout)  revoke_transaction, 1 attempt  retrying ${at}, last attempt 2026-11-21 12:00  -> nothing: the terminal reads the remote state next; counterpay queue --retry ${ids.revoke} skips the wait`,
      `IN PROGRESS  print ${ids.offline}  failed (printer_offline)  receipt print of sale sale_d  ${at}  -> nothing: printed again when the terminal (re)starts; counterpay queue --requeue-print ${ids.offline} queues it now`,
      `IN PROGRESS  print ${ids.card}  queued  table-card print  ${at}  -> nothing: prints when the terminal runs`,
      'queue: 3 need a person, 1 print to check, 5 in progress (1 being retried, since 2026-11-21 12:00)',
    ]);
    // The torn receipt that was reprinted as a COPY is not listed: nothing is left to do.
    expect(lines.join('\n')).not.toContain(ids.reprinted);
  });

  it('lists while the terminal runs (read-only: nothing written, in_flight left alone); --json gives the same items', async () => {
    const ids = seed();
    store.outbox.claim(ids.create); // the running terminal sends it right now
    serviceActive = true;
    const seq = store.events.lastSeq();
    const { code, out } = await queue('--json');
    expect(code).toBe(0);
    const view = JSON.parse(out) as { items: Array<{ type: string; id: string; group: string; state: string }>; counts: Record<string, number> };
    expect(view.counts).toEqual({ needs_human: 3, check_print: 1, in_progress: 5 });
    expect(view.items.find((i) => i.id === ids.create)).toMatchObject({ type: 'op', group: 'in_progress', state: 'in_flight' });
    expect(store.outbox.get(ids.create)?.state).toBe('in_flight');
    expect(store.events.lastSeq()).toBe(seq);
  });

  it('an operation whose attempts keep failing: retrying since it was queued, with its last attempt', async () => {
    const op = store.outbox.enqueue({ kind: 'close_spot', spotId: 7, payload: { spotId: 7 } }).id;
    for (const minutes of [5, 4]) {
      store.outbox.claim(op);
      store.outbox.settle(op, { to: 'pending', errorCode: 'internal_server_error', httpStatus: 500, delayMs: 1000 });
      await env.clock.advance(minutes * 60_000);
    }
    store.outbox.claim(op);
    store.outbox.settle(op, { to: 'pending', errorCode: 'rate_limit_exceeded', httpStatus: 429, delayMs: 1000 });
    const { lines } = await queue();
    expect(lines).toEqual([
      `IN PROGRESS  op ${op}  pending (rate_limit_exceeded)  close_spot, 3 attempts  retrying since 2026-11-21 12:00, last attempt 2026-11-21 12:09  -> nothing: the terminal sends it next; counterpay queue --retry ${op} skips the wait`,
      'queue: 0 need a person, 0 prints to check, 1 in progress (1 being retried, since 2026-11-21 12:00)',
    ]);
    const json = JSON.parse((await queue('--json')).out) as { items: Array<{ id: string; retryingSinceWallMs: number; sinceWallMs: number }> };
    expect(json.items[0]).toMatchObject({ id: op, retryingSinceWallMs: Date.UTC(2026, 10, 21, 12, 0), sinceWallMs: Date.UTC(2026, 10, 21, 12, 9) });
  });

  it('an empty journal says so', async () => {
    const { code, lines } = await queue();
    expect(code).toBe(0);
    expect(lines).toEqual(['queue: empty, nothing waits']);
  });

  it('--resolve records the decision: sale done, reason in the event log, confirm closed, spot close rearmed; nothing deleted', async () => {
    const ids = seed();
    store.close();
    const { code, lines, err } = await queue('--resolve', 'sale_a', '--paid', '--reason', 'Paysera back office shows tx_a confirmed');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(lines).toEqual([
      'sale sale_a: needs_human -> done (paid), reason recorded',
      `  op ${ids.confirm} (confirm): closed as failed/human_resolved`,
      `  op ${ids.close} (close_spot): retried when the terminal starts`,
    ]);
    const after = env.make();
    after.open();
    expect(after.sales.get('sale_a')).toMatchObject({ state: 'done', resolvedPaid: true, needsHumanReason: 'confirm:max_age_exceeded' });
    expect(after.outbox.get(ids.confirm)).toMatchObject({ state: 'failed', lastErrorCode: 'human_resolved', result: { reason: 'Paysera back office shows tx_a confirmed' } });
    expect(after.outbox.get(ids.close)).toMatchObject({ state: 'unknown', attempts: 0 });
    const resolved = after.events.list({ saleId: 'sale_a' }).filter((e) => e.type === 'human.resolved');
    expect(resolved.map((e) => e.data)).toEqual([
      { paid: true, reason: 'Paysera back office shows tx_a confirmed', by: 'anna', needsHumanReason: 'confirm:max_age_exceeded', ops: [ids.confirm, ids.close] },
    ]);
    expect(after.events.list({ saleId: 'sale_a' }).map((e) => e.type)).toContain('sale.humanResolved');
    expect(after.outbox.list({ saleId: 'sale_a' })).toHaveLength(2);

    // The queue now shows the spot close in progress and no person needed for sale_a.
    after.close();
    const listed = await queue();
    expect(listed.lines.filter((l) => l.includes('sale_a'))).toEqual([
      `IN PROGRESS  op ${ids.close}  unknown (max_age_exceeded)  close_spot of sale sale_a (no. 4), 0 attempts  since 2026-11-21 12:00  -> nothing: the terminal reads the remote state next; counterpay queue --retry ${ids.close} skips the wait`,
    ]);
  });

  it('--resolve leaves a spot to a newer close that is already under way, and closes the old one as decided', async () => {
    const ids = seed();
    // The spot watcher queued another close of spot 41 after the first one went to a person.
    const newer = store.outbox.enqueue({ kind: 'close_spot', spotId: 41, payload: { spotId: 41 } }).id;
    store.close();
    const { code, lines, err } = await queue('--resolve', 'sale_a', '--paid', '--reason', 'checked');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(lines).toContain(`  op ${ids.close} (close_spot): closed as failed/human_resolved`);
    const after = env.make();
    after.open();
    expect(after.sales.get('sale_a')?.state).toBe('done');
    expect(after.outbox.get(ids.close)).toMatchObject({ state: 'failed', lastErrorCode: 'human_resolved', result: { reason: 'another close of spot 41 is under way' } });
    expect(after.outbox.get(newer)?.state).toBe('pending');
  });

  it('--retry of a close refuses with a code while a newer close of that spot is under way; nothing is written', async () => {
    const ids = seed();
    store.outbox.enqueue({ kind: 'close_spot', spotId: 41, payload: { spotId: 41 } });
    store.close();
    const { code, err } = await queue('--retry', ids.close);
    expect(code).toBe(1);
    expect(err).toMatch(/a live close_spot already exists \[duplicate_live_op\]/);
    const after = env.make();
    after.open();
    expect(after.outbox.get(ids.close)?.state).toBe('needs_human');
  });

  it('with POS sync configured, a sale resolved as paid gets its back-office job in the same commit; not paid gets none', async () => {
    seed();
    store.close();
    writeFileSync(
      configPath,
      JSON.stringify({
        dataDir: env.dir,
        paysera: { macId: 'wkVd93h2uS', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU', locationId: 3, tables: ['TABLE1'] },
        pos: { baseUrl: 'http://127.0.0.1:9/eapi/v1', token: 'emulator-pos-token', cashRegisterNumber: '123', orderNumberPrefix: 'T-' },
      }),
    );
    expect((await queue('--resolve', 'sale_a', '--paid', '--reason', 'back office shows it confirmed')).code).toBe(0);
    const after = env.make();
    after.open();
    const pos = after.outbox.list({ saleId: 'sale_a', kind: 'pos_record_order' });
    expect(pos).toHaveLength(1);
    expect(pos[0]).toMatchObject({ state: 'pending', payload: { amountMinor: 1299, currency: 'EUR' } });
    after.close();
  });

  it('--resolve --not-paid cancels; refuses a sale that does not wait for a person, and bad flag sets', async () => {
    seed();
    store.close();
    expect((await queue('--resolve', 'sale_a', '--not-paid', '--reason', 'customer paid cash')).lines[0]).toBe('sale sale_a: needs_human -> cancelled (not paid), reason recorded');
    const again = await queue('--resolve', 'sale_b', '--paid', '--reason', 'x');
    expect(again.code).toBe(1);
    expect(again.err).toBe('counterpay queue: sale sale_b is created, not needs_human: only a sale waiting for a person can be resolved [not_needs_human]\n');
    expect((await queue('--resolve', 'nope', '--paid', '--reason', 'x')).err).toContain('[not_found]');
    expect((await queue('--resolve', 'sale_a', '--paid')).code).toBe(64);
    expect((await queue('--resolve', 'sale_a', '--paid', '--not-paid', '--reason', 'x')).code).toBe(64);
    expect((await queue('--resolve', 'sale_a', '--paid', '--reason', '  ')).code).toBe(64);
    expect((await queue('--paid')).code).toBe(64);
    expect((await queue('--retry', 'a', '--requeue-print', 'b')).code).toBe(64);
  });

  /** A refund of sale_d whose outcome could not be read: the refund and its op wait for a person. */
  function refundNeedingPerson(): string {
    const sale = store.sales.require('sale_d');
    store.refunds.create({ id: 'refund_x', sale }, { enqueue: [{ saleId: 'sale_d', kind: 'cancel_payment', transactionKey: 'refund_x', payload: { refundId: 'refund_x', transactionKey: 'tx_sale_d' } }] });
    const op = store.outbox.list({ saleId: 'sale_d', kind: 'cancel_payment' })[0]?.id ?? '';
    store.outbox.escalate(op, 'refund_outcome_unknown', { refund: { refundId: 'refund_x', event: { type: 'needsHuman', reason: 'refund_outcome_unknown' }, onlyIfLegal: true } });
    return op;
  }

  it('a refund that needs a person is listed like a sale, and --resolve REFUND_ID --refunded records it taken: counted, its op closed, the POS record intended; the sale unchanged', async () => {
    seed();
    const op = refundNeedingPerson();
    store.close();
    const listed = await queue();
    expect(listed.lines.filter((l) => l.includes('refund_x'))).toEqual([
      'NEEDS A PERSON  refund refund_x  needs_human (refund_outcome_unknown)  refund of code sale no. 1 5.00 EUR  since 2026-11-21 12:00  -> check the payment in the Paysera back office, then: counterpay queue --resolve refund_x --refunded|--not-refunded --reason "what you found"',
      `NEEDS A PERSON  op ${op}  needs_human (refund_outcome_unknown)  cancel_payment of sale sale_d (no. 1), 0 attempts  since 2026-11-21 12:00  -> decide refund refund_x (--resolve refund_x ...)`,
    ]);
    writeFileSync(
      configPath,
      JSON.stringify({
        dataDir: env.dir,
        paysera: { macId: 'wkVd93h2uS', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU', locationId: 3, tables: ['TABLE1'] },
        pos: { baseUrl: 'http://127.0.0.1:9/eapi/v1', token: 'emulator-pos-token', cashRegisterNumber: '123', orderNumberPrefix: 'T-' },
      }),
    );
    const { code, lines, err } = await queue('--resolve', 'refund_x', '--refunded', '--reason', 'Paysera shows the payment canceled');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(lines).toEqual(['refund refund_x of sale sale_d: needs_human -> refunded (refunded), reason recorded', `  op ${op} (cancel_payment): closed as failed/human_resolved`]);
    const after = env.make();
    after.open();
    expect(after.refunds.get('refund_x')?.state).toBe('refunded');
    expect(after.sales.get('sale_d')?.state).toBe('done');
    expect(after.outbox.get(op)).toMatchObject({ state: 'failed', lastErrorCode: 'human_resolved' });
    expect(after.outbox.list({ saleId: 'sale_d', kind: 'pos_record_refund' })).toMatchObject([{ state: 'pending', transactionKey: 'refund_x', payload: { amountMinor: 500, saleId: 'sale_d' } }]);
    expect(after.totals.list().find((t) => t.outcome === 'refunded')).toMatchObject({ kind: 'code', sales: 1, amountMinor: 500 });
    expect(after.events.list({ saleId: 'sale_d' }).filter((e) => e.type === 'human.resolved_refund').map((e) => e.data)).toEqual([
      { refundId: 'refund_x', refunded: true, reason: 'Paysera shows the payment canceled', by: 'anna', needsHumanReason: 'refund_outcome_unknown', ops: [op] },
    ]);
    after.close();
    expect((await queue()).lines.some((l) => l.includes('refund_x'))).toBe(false);
  });

  it('--resolve REFUND_ID --not-refunded leaves the sale refundable again; a refund takes only the refund flags, a sale only the sale ones', async () => {
    seed();
    refundNeedingPerson();
    store.close();
    const wrong = await queue('--resolve', 'refund_x', '--paid', '--reason', 'x');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toBe('counterpay queue: refund_x is a refund: decide it with --refunded or --not-refunded [wrong_decision]\n');
    expect((await queue('--resolve', 'sale_a', '--refunded', '--reason', 'x')).err).toContain('no refund sale_a [not_found]');
    expect((await queue('--resolve', 'refund_x', '--refunded', '--not-refunded', '--reason', 'x')).code).toBe(64);
    expect((await queue('--resolve', 'refund_x', '--not-refunded', '--reason', 'payment still confirmed')).lines[0]).toBe(
      'refund refund_x of sale sale_d: needs_human -> refused (not refunded), reason recorded',
    );
    const after = env.make();
    after.open();
    expect(after.refunds.get('refund_x')).toMatchObject({ state: 'refused', reason: 'resolved_not_refunded' });
    expect(after.outbox.list({ kind: 'pos_record_refund' })).toHaveLength(0);
    after.close();
    expect((await queue('--resolve', 'refund_x', '--refunded', '--reason', 'x')).err).toContain('[not_needs_human]');
  });

  it('--retry rearms a needs_human op (reconcile first) and makes a waiting op due now; a final op is refused', async () => {
    const ids = seed();
    store.close();
    const rearmed = await queue('--retry', ids.confirm);
    expect(rearmed.lines).toEqual([`op ${ids.confirm} (confirm): needs_human -> unknown, due when the terminal starts (it reads the remote state first)`]);
    const due = await queue('--retry', ids.create);
    expect(due.lines).toEqual([`op ${ids.create} (create_transaction): pending -> pending, due when the terminal starts`]);
    const after = env.make();
    after.open();
    expect(after.outbox.get(ids.confirm)).toMatchObject({ state: 'unknown', lastErrorCode: 'max_age_exceeded' });
    // Due at once in the next run (the 30 s backoff is gone).
    expect(after.outbox.get(ids.create)?.dueMonoMs).toBeLessThanOrEqual(env.clock.monoMs());
    after.outbox.claim(ids.create);
    after.outbox.settle(ids.create, { to: 'done' });
    after.close();
    const final = await queue('--retry', ids.create);
    expect(final.code).toBe(1);
    expect(final.err).toBe(`counterpay queue: op ${ids.create} (create_transaction) is done: nothing to retry [op_final]\n`);
  });

  it('--requeue-print queues a failed receipt again (printed by the next start); a printed job is refused', async () => {
    const ids = seed();
    store.close();
    const { code, lines } = await queue('--requeue-print', ids.torn);
    expect(code).toBe(0);
    expect(lines).toEqual([`print job ${ids.torn} (receipt of sale sale_e): failed -> queued, prints when the terminal starts`]);
    const after = env.make();
    after.open();
    expect(after.printJobs.get(ids.torn)).toMatchObject({ state: 'queued', kind: 'receipt' });
    after.close();
    const refused = await queue('--requeue-print', ids.torn);
    expect(refused.err).toContain('is queued: it is queued already');
  });

  it('actions are refused while counterpay.service runs, and nothing is written', async () => {
    const ids = seed();
    serviceActive = true;
    const seq = store.events.lastSeq();
    const { code, err } = await queue('--retry', ids.confirm);
    expect(code).toBe(1);
    expect(err).toMatch(/^counterpay queue: counterpay.service is running: stop it first \("systemctl stop counterpay"\).*\[service_running\]\n$/);
    expect(store.outbox.get(ids.confirm)?.state).toBe('needs_human');
    expect(store.events.lastSeq()).toBe(seq);
  });

  it('is registered, with --help', async () => {
    const { code, out } = await runCli(['queue', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('counterpay queue --resolve SALE_ID --paid|--not-paid --reason TEXT');
  });
});
