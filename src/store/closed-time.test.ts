import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { money } from '../domain/money.js';
import { tempStore } from '../../test/support/temp-store.js';

/**
 * A sale's closed wall time across wall-clock steps: never before it was created (a step
 * backwards within a run is measured on the monotonic clock), a step forward (a first time sync)
 * is taken, and after a restart it is at least its created time. The day report lists closed
 * sales by this time, so a sale never drops out of the day it was made in.
 */

const EUR = (minor: number) => money(minor, 'EUR');
const DAY_START = Date.UTC(2026, 2, 10);
let env: ReturnType<typeof tempStore>;
beforeEach(() => {
  env = tempStore();
  env.clock.setWallMs(DAY_START + 5_000);
});
afterEach(() => env.cleanup());

function openSaleAt(store: ReturnType<typeof env.make>, id: string): void {
  store.sales.create({ id, kind: 'centrapay', amount: EUR(250) });
  store.sales.apply(id, { type: 'requestCreated', paymentRequestId: `pr_${id}`, shortCode: 'CP-AAA-BBB', expirySeconds: 85 });
}

describe('closed wall time', () => {
  it('a step backwards within the run: closed at created + elapsed, and still in the day report of that day', async () => {
    const store = env.make();
    store.open();
    openSaleAt(store, 's1');
    await env.clock.advance(2_000);
    env.clock.setWallMs(DAY_START - 60_000);
    const closed = store.sales.apply('s1', { type: 'requestCancelled', reason: 'PAYMENT_DECLINED' });
    expect(closed.createdWallMs).toBe(DAY_START + 5_000);
    expect(closed.closedWallMs).toBe(DAY_START + 7_000);
    expect(store.sales.listClosedBetween(DAY_START, DAY_START + 86_400_000).map((s) => s.id)).toEqual(['s1']);
  });

  it('a step forward (a first time sync) is taken as it is', async () => {
    const store = env.make();
    store.open();
    openSaleAt(store, 's2');
    await env.clock.advance(1_000);
    env.clock.setWallMs(DAY_START + 3_600_000);
    expect(store.sales.apply('s2', { type: 'requestCancelled', reason: 'PAYMENT_DECLINED' }).closedWallMs).toBe(DAY_START + 3_600_000);
  });

  it('closed in a later run with the wall clock behind: at least its created time', () => {
    const first = env.make();
    first.open();
    openSaleAt(first, 's3');
    first.close();
    env.clock.setWallMs(DAY_START - 3_600_000);
    const second = env.make();
    second.open();
    expect(second.sales.apply('s3', { type: 'requestCancelled', reason: 'PAYMENT_DECLINED' }).closedWallMs).toBe(DAY_START + 5_000);
  });
});
