import { afterEach, describe, expect, it } from 'vitest';
import { FakeBuzzer } from '../devices/buzzer/fake-buzzer.js';
import { CODE, counter, stopCounters } from '../../test/support/ui/counter.js';

/** The buzzer as the screens use it: a click per key, two short on PAID, one long for bad news or a refusal. */

afterEach(stopCounters);

async function withBuzzer(): Promise<Awaited<ReturnType<typeof counter>> & { buzzer: FakeBuzzer }> {
  const buzzer = new FakeBuzzer();
  const c = await counter({ ui: { buzzer } });
  return { ...c, buzzer };
}

describe('buzzer', () => {
  it('clicks once per key, and nothing else while the keys are taken', async () => {
    const c = await withBuzzer();
    c.engine.setWaiting(['TABLE12']);
    await c.type('A12#1299');
    expect(c.buzzer.signals).toEqual(Array(8).fill('click'));
  });

  it('two short beeps on PAID', async () => {
    const c = await withBuzzer();
    c.engine.setWaiting(['TABLE12']);
    await c.type('A12#1299#');
    const sale = c.engine.openSales()[0]!;
    c.buzzer.signals.length = 0;
    c.engine.advance(sale.id, 'order_created');
    c.engine.advance(sale.id, 'reserved');
    await c.settle();
    expect(c.buzzer.signals).toEqual([]);
    c.engine.advance(sale.id, 'confirmed');
    await c.settle();
    expect(c.buzzer.signals).toEqual(['success']);
  });

  it('one long beep on DECLINED, on EXPIRED and on a customer who said no; none for a cancel staff made', async () => {
    const c = await withBuzzer();
    await c.type('B1299#');
    await c.scan(CODE);
    const code = c.engine.openSales()[0]!;
    c.buzzer.signals.length = 0;
    c.engine.advance(code.id, 'declined', { declineReason: 'not_enough_funds' });
    await c.settle();
    expect(c.buzzer.signals).toEqual(['failure']);

    // Sales that end while the counter is idle are announced (and sounded) there.
    await c.clock.advance(5_000);
    c.buzzer.signals.length = 0;
    const centrapay = c.engine.seed({ kind: 'centrapay', state: 'awaiting_payment' });
    c.engine.advance(centrapay.id, 'expired', { declineReason: 'expired' });
    await c.settle();
    expect(c.screen()[0]).toContain('EXPIRED');
    expect(c.buzzer.signals).toEqual(['failure']);
    await c.clock.advance(5_000);

    c.buzzer.signals.length = 0;
    const rejected = c.engine.seed({ kind: 'table', state: 'order_created', tableId: 'TABLE5' });
    c.engine.advance(rejected.id, 'cancelled', { declineReason: 'rejected' });
    await c.settle();
    expect(c.screen()[1]).toContain('Customer said no');
    expect(c.buzzer.signals).toEqual(['failure']);
    await c.clock.advance(5_000);

    c.buzzer.signals.length = 0;
    const staff = c.engine.seed({ kind: 'table', state: 'order_created', tableId: 'TABLE7' });
    c.engine.advance(staff.id, 'cancelled', { declineReason: 'staff' });
    await c.settle();
    expect(c.screen()[0]).toContain('CANCELLED');
    expect(c.buzzer.signals).toEqual([]);
  });

  it('a refused key: the click, then one long beep with the hint', async () => {
    const c = await withBuzzer();
    await c.type('5');
    expect(c.buzzer.signals).toEqual(['click', 'failure']);
    c.buzzer.signals.length = 0;
    await c.type('A99#');
    expect(c.screen()[0]).toBe('No table 99');
    expect(c.buzzer.signals).toEqual(['click', 'click', 'click', 'click', 'failure']);
  });

  it('a broken buzzer never stops the terminal: keys work, and the status page says so', async () => {
    const c = await withBuzzer();
    c.buzzer.break();
    c.engine.setWaiting(['TABLE12']);
    await c.type('A12#1299#');
    expect(c.engine.callsOf('startTableSale')).toEqual([[12, 1299]]);
    await c.type('*D4###');
    expect(c.screen()).toEqual(['Scanner: OK  4/4', 'Buzzer: failed']);
    expect(c.errors).toEqual([]);
  });
});
