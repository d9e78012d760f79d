import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { OP_KINDS } from '../../src/domain/operation-kind.js';
import type { SaleRecord } from '../../src/store/types.js';
import { harnessPerTest, type Harness } from '../support/engine-harness.js';
import { startHarness } from '../support/engine-harness.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Refunds against the emulators: one effect at the provider, a refusal that moves nothing, a
 * second refund refused before anything is sent, a lost answer settled exactly once.
 */
const slot = harnessPerTest();

function appliedAt(emu: Emulator, service: 'paysera-wallet' | 'centrapay', method: string, path: RegExp): number {
  return emu.requests.list({ service }).filter((r) => r.method === method && path.test(r.path) && r.applied).length;
}

async function paidCodeSale(h: Harness, minor = 500): Promise<SaleRecord> {
  const { code } = h.emu.wallet.issueReservationCode({ balance: 5000 });
  const started = h.engine.startCodeSale(minor);
  h.engine.submitReservationCode(started.id, code);
  await waitFor(() => h.store.sales.get(started.id)?.state === 'done', 'code sale done');
  return h.store.sales.require(started.id);
}

async function paidCentrapaySale(h: Harness, minor = 700): Promise<SaleRecord> {
  const started = h.engine.startCentrapaySale(minor);
  const prId = await waitFor(() => h.store.sales.get(started.id)?.paymentRequestId, 'request created');
  h.emu.centrapay.pay(prId);
  await waitFor(() => h.store.sales.get(started.id)?.state === 'done', 'centrapay sale done');
  return h.store.sales.require(started.id);
}

describe('refunds', () => {
  it('Paysera: the last paid sale by #, its payment canceled once, a slip, then a second refund is refused and nothing is sent', async () => {
    const h = (slot.h = await startHarness({ terminalName: 'Bar' }));
    const first = await paidCodeSale(h, 300);
    const sale = await paidCodeSale(h, 500);
    expect([first.number, sale.number]).toEqual([1, 2]);
    expect(h.engine.findRefundable().id).toBe(sale.id);
    expect(h.engine.findRefundable(1).id).toBe(first.id);
    const refund = h.engine.refundSale(sale.id);
    await waitFor(() => h.store.refunds.get(refund.id)?.state === 'refunded', 'refunded');
    expect(appliedAt(h.emu, 'paysera-wallet', 'DELETE', /^\/rest\/v1\/payment\/\d+$/)).toBe(1);
    const slip = h.store.printJobs.listBySale(sale.id).find((j) => j.kind === 'refund-slip');
    expect(slip?.payload).toMatchObject({ saleNumber: 2, amountMinor: 500, currency: 'EUR', kind: 'code', terminalName: 'Bar' });
    expect(() => h.engine.refundSale(sale.id)).toThrow(expect.objectContaining({ code: 'already_refunded' }));
    expect(() => h.engine.findRefundable(2)).toThrow(expect.objectContaining({ code: 'already_refunded' }));
    expect(appliedAt(h.emu, 'paysera-wallet', 'DELETE', /^\/rest\/v1\/payment\/\d+$/)).toBe(1);
    expect(h.store.totals.list().find((t) => t.outcome === 'refunded')).toMatchObject({ kind: 'code', sales: 1, amountMinor: 500 });
  });

  it('Paysera: a settled payment is refused as settled and the sale is left as it is', async () => {
    const h = (slot.h = await startHarness());
    const sale = await paidCodeSale(h);
    const paymentId = h.emu.wallet.getTransaction(sale.transactionKey ?? '').payments[0]?.id ?? -1;
    h.emu.wallet.settlePayment(paymentId);
    const refund = h.engine.refundSale(sale.id);
    await waitFor(() => h.store.refunds.get(refund.id)?.state === 'refused', 'refused');
    expect(h.store.refunds.get(refund.id)?.reason).toBe('settled');
    expect(h.store.sales.get(sale.id)?.state).toBe('done');
    expect(h.store.printJobs.listBySale(sale.id).some((j) => j.kind === 'refund-slip')).toBe(false);
  });

  it('refuses an unknown number and a sale not paid', async () => {
    const h = (slot.h = await startHarness());
    expect(() => h.engine.findRefundable()).toThrow(expect.objectContaining({ code: 'sale_not_found' }));
    expect(() => h.engine.findRefundable(42)).toThrow(expect.objectContaining({ code: 'sale_not_found' }));
    const started = h.engine.startCodeSale(100);
    expect(() => h.engine.refundSale(started.id)).toThrow(expect.objectContaining({ code: 'sale_not_found' }));
  });

  for (const fault of ['apply-then-drop', 'refused before send', '500 before apply'] as const) {
    it(`Centrapay: refund keyed by its own id, exactly once at the provider under ${fault}`, async () => {
      const h = (slot.h = await startHarness({ centrapay: {} }));
      const sale = await paidCentrapaySale(h);
      const kind = fault === 'apply-then-drop' ? 'applyThenDrop' : fault === 'refused before send' ? 'reset' : 'serverError';
      h.emu.faults.add({ kind, count: 1, method: 'POST', path: '/api/payment-requests/*/refund' });
      const refund = h.engine.refundSale(sale.id);
      await waitFor(() => h.store.refunds.get(refund.id)?.state === 'refunded', 'refunded');
      const remote = h.emu.centrapay.list().find((r) => r.id === sale.paymentRequestId);
      expect(remote?.refunds.map((r) => ({ externalRef: r.externalRef, amountMinor: r.amountMinor }))).toEqual([{ externalRef: refund.id, amountMinor: 700 }]);
      expect(h.store.printJobs.listBySale(sale.id).filter((j) => j.kind === 'refund-slip')).toHaveLength(1);
    });
  }

  it('Centrapay: a request already refunded (a void in the back office) is refused, nothing more is sent', async () => {
    const h = (slot.h = await startHarness({ centrapay: {} }));
    const sale = await paidCentrapaySale(h);
    await h.centrapay?.voidPaymentRequest(sale.paymentRequestId ?? '');
    const refund = h.engine.refundSale(sale.id);
    await waitFor(() => h.store.refunds.get(refund.id)?.state === 'refused', 'refused');
    expect(h.store.refunds.get(refund.id)?.reason).toBe('already_refunded');
    expect(appliedAt(h.emu, 'centrapay', 'POST', /\/refund$/)).toBe(0);
  });
});

describe('refunds recorded in the POS back office', () => {
  const posOrders = (h: Harness, number: string) => h.emu.pos.allOrders().filter((o) => o.number === number);
  const posPosts = (h: Harness, path: RegExp) => h.emu.requests.list({ service: 'paysera-pos' }).filter((r) => r.method === 'POST' && path.test(r.path));

  it("a refund taken is one cancelled order numbered by the refund, of its amount, naming the sale's order, although the answers to its create and its cancel are lost", async () => {
    const h = (slot.h = await startHarness({ pos: true }));
    const sale = await paidCodeSale(h, 500);
    await waitFor(() => posOrders(h, `T1-${sale.id}`).length === 1 || undefined, "the sale's order");
    await waitFor(() => h.store.outbox.list({ kind: OP_KINDS.posRecordOrder }).every((op) => op.state === 'done') || undefined, "the sale's record done");
    h.emu.faults.add({ kind: 'applyThenDrop', method: 'POST', path: '/eapi/v1/orders', count: 1 });
    h.emu.faults.add({ kind: 'applyThenDrop', method: 'POST', path: '/eapi/v1/orders/*/cancel', count: 1 });
    const refund = h.engine.refundSale(sale.id);
    await waitFor(() => h.store.outbox.list({ kind: OP_KINDS.posRecordRefund }).some((op) => op.state === 'done') || undefined, 'the refund recorded');
    const [order, ...more] = posOrders(h, `T1-${refund.id}`);
    expect(more).toHaveLength(0);
    expect(order).toMatchObject({ status: 'cancelled', totalCents: 500, payments: [] });
    expect(order?.positions[0]?.title).toBe(`Refund T1-${sale.id}`);
    // The sale's own order is left as it was; each write reached the POS once.
    expect(posOrders(h, `T1-${sale.id}`)[0]?.status).toBe('completed');
    expect(posPosts(h, /^\/eapi\/v1\/orders$/)).toHaveLength(2);
    expect(posPosts(h, /\/cancel$/)).toHaveLength(1);
    expect(h.emu.faults.snapshot().rules.map((r) => r.hits)).toEqual([1, 1]);
    const ops = h.store.outbox.list({ kind: OP_KINDS.posRecordRefund });
    expect(ops.map((op) => ({ saleId: op.saleId, key: op.transactionKey }))).toEqual([{ saleId: sale.id, key: refund.id }]);
  });

  it('a refund the provider refuses records nothing in the POS', async () => {
    const h = (slot.h = await startHarness({ pos: true }));
    const sale = await paidCodeSale(h);
    h.emu.wallet.settlePayment(h.emu.wallet.getTransaction(sale.transactionKey ?? '').payments[0]?.id ?? -1);
    const refund = h.engine.refundSale(sale.id);
    await waitFor(() => h.store.refunds.get(refund.id)?.state === 'refused' || undefined, 'refused');
    expect(h.store.outbox.list({ kind: OP_KINDS.posRecordRefund })).toHaveLength(0);
    expect(posOrders(h, `T1-${refund.id}`)).toHaveLength(0);
  });

  it('a Centrapay refund is recorded too', async () => {
    const h = (slot.h = await startHarness({ centrapay: {}, pos: true }));
    const sale = await paidCentrapaySale(h, 700);
    const refund = h.engine.refundSale(sale.id);
    await waitFor(() => posOrders(h, `T1-${refund.id}`)[0]?.status === 'cancelled' || undefined, 'the refund recorded, cancelled');
    expect(posOrders(h, `T1-${refund.id}`)[0]?.totalCents).toBe(700);
  });
});
