import { afterEach, describe, expect, it } from 'vitest';
import { counter, stopCounters, type Counter } from '../../test/support/ui/counter.js';

/**
 * Refunds at the keypad (menu 6): the supervisor PIN (masked, three wrong ones lock refunds for
 * 60 s, a wrong one beeps and sends nothing), the receipt number (# alone: the last paid sale),
 * the sale shown, # refunds it, * backs out, REFUNDED with the amount at the end.
 */

afterEach(stopCounters);

async function withPin(pin: string | undefined = '4321', columns = 20): Promise<Counter> {
  // 'none': no PIN configured.
  const c = await counter({ columns, ui: { supervisorPin: pin === 'none' ? undefined : pin } });
  c.engine.addPaidSale(1, 300);
  c.engine.addPaidSale(2, 500);
  return c;
}

const refundCalls = (c: Counter): string[] => c.engine.calls.filter((call) => call.method === 'findRefundable' || call.method === 'refundSale').map((call) => call.method);

describe('refunds at the keypad', () => {
  it('D 6 PIN # # refunds the last paid sale: the PIN masked, the sale shown, REFUNDED 5.00 at the end', async () => {
    const c = await withPin();
    await c.type('D');
    expect(c.screen()[1]).toContain('6 Refund');
    await c.type('64321');
    expect(c.screen()).toEqual(['Supervisor PIN', 'PIN: ****']);
    expect(c.screen().join(' ')).not.toContain('4321');
    await c.type('#');
    expect(c.ui.snapshot()?.screen.name).toBe('refund-number');
    await c.type('#');
    expect(c.screen()).toEqual(['Sale 2 Code', '5.00 # refund']);
    await c.type('#');
    expect(c.screen()[1]).toBe('Refunding...');
    const refund = c.engine.calls.find((call) => call.method === 'refundSale');
    expect(refund?.args).toEqual(['paid-2']);
    c.engine.settleRefund('refund-1', 'refunded');
    await c.settle();
    expect(c.screen()[0]).toContain('REFUNDED 5.00');
  });

  it("the sale's journal moving while it is refunded (the refund op) keeps the refund's screen: no PAID again", async () => {
    const c = await withPin();
    await c.type('D64321##');
    c.engine.advance('paid-2', 'done');
    await c.settle();
    expect(c.screen()).toEqual(['Sale 2 Code', '5.00 # refund']);
    await c.type('#');
    c.engine.advance('paid-2', 'done');
    await c.settle();
    expect(c.screen()[1]).toBe('Refunding...');
    c.engine.settleRefund('refund-1', 'refunded');
    await c.settle();
    expect(c.screen()[0]).toContain('REFUNDED 5.00');
  });

  it('a receipt number picks that sale; * backs out of the sale to the number', async () => {
    const c = await withPin();
    await c.type('D64321#1#');
    expect(c.screen()).toEqual(['Sale 1 Code', '3.00 # refund']);
    await c.type('*');
    expect(c.ui.snapshot()?.screen.name).toBe('refund-number');
    expect(refundCalls(c)).toEqual(['findRefundable']);
  });

  it('a wrong PIN beeps, says so and sends nothing; three in a row lock refunds for 60 s', async () => {
    const c = await withPin();
    await c.type('D61111#');
    expect(c.screen()[0]).toBe('Wrong PIN');
    expect(c.ui.snapshot()?.screen).toEqual({ name: 'refund-pin', digits: '' });
    await c.type('2222#');
    await c.type('3333#');
    expect(c.screen()).toEqual(['       Refund', ' Locked: wait 60 s']);
    expect(refundCalls(c)).toEqual([]);
    // Locked: even the right PIN is not asked for.
    await c.type('*D6');
    expect(c.ui.snapshot()?.screen.name).toBe('result');
    await c.clock.advance(60_000);
    await c.type('*D64321#');
    expect(c.ui.snapshot()?.screen.name).toBe('refund-number');
  });

  it('a right PIN resets the count of wrong ones', async () => {
    const c = await withPin();
    await c.type('D61111#2222#4321#');
    expect(c.ui.snapshot()?.screen.name).toBe('refund-number');
    await c.type('DD61111#2222#');
    expect(c.ui.snapshot()?.screen.name).toBe('refund-pin');
  });

  it('no PIN configured: item 6 says refunds are disabled', async () => {
    const c = await withPin('none');
    await c.type('D6');
    expect(c.screen()).toEqual(['       Refund', '  Refunds disabled']);
  });

  it('a sale refunded already is refused with one line and nothing is sent', async () => {
    const c = await withPin();
    await c.type('D64321###');
    c.engine.settleRefund('refund-1', 'refunded');
    await c.settle();
    await c.type('*D64321#2#');
    expect(c.screen()[0]).toBe('Already refunded');
    expect(refundCalls(c)).toEqual(['findRefundable', 'refundSale', 'findRefundable', 'findRefundable']);
  });

  it('a refund the provider refuses as settled says so', async () => {
    const c = await withPin();
    await c.type('D64321###');
    c.engine.settleRefund('refund-1', 'refused', 'settled');
    await c.settle();
    expect(c.screen()).toEqual(['Refund not possible', ' Settled: too late']);
  });
});
