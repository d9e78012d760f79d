import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../platform/fake-clock.js';
import { RequestBudget } from './request-budget.js';

describe('RequestBudget', () => {
  it('never lets more than perMinute calls into any 60 s window, and keeps going', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(clock, 10, { pollShare: 1, confirmReserve: 0, watchReserve: 0 });
    const start = clock.monoMs();
    let count = 0;
    const done = (async () => {
      for (let i = 0; i < 35; i++) {
        await budget.acquire('poll');
        count++;
      }
    })();
    let maxInWindow = 0;
    for (let i = 0; i < 1000 && count < 35; i++) {
      await clock.advance(250);
      maxInWindow = Math.max(maxInWindow, budget.used());
    }
    await done;
    expect(count).toBe(35);
    expect(maxInWindow).toBe(10);
    // 35 calls at 10 a minute: the last one goes in the fourth minute, not later.
    expect(clock.monoMs() - start).toBeGreaterThanOrEqual(180_000);
    expect(clock.monoMs() - start).toBeLessThan(181_000);
  });

  it('keeps a share of the budget for writes', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(clock, 10, { pollShare: 0.5, confirmReserve: 1, watchReserve: 0 });
    for (let i = 0; i < 5; i++) await budget.acquire('poll');
    expect(budget.msUntilAvailable('poll')).toBeGreaterThan(0);
    expect(budget.msUntilAvailable('write')).toBe(0);
    for (let i = 0; i < 4; i++) await budget.acquire('write');
    // 9 in the window: the last call of the budget is a confirm's.
    expect(budget.msUntilAvailable('write')).toBe(60_000);
    await clock.advance(60_000);
    expect(budget.msUntilAvailable('poll')).toBe(0);
  });

  it('writes do not use up the polls\' share; polls alone never take the whole budget', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(clock, 10, { pollShare: 0.5, confirmReserve: 1, watchReserve: 0 });
    for (let i = 0; i < 3; i++) await budget.acquire('write');
    // 3 writes in the window: polls still have their own 5.
    for (let i = 0; i < 5; i++) {
      expect(budget.msUntilAvailable('poll')).toBe(0);
      await budget.acquire('poll');
    }
    expect(budget.msUntilAvailable('poll')).toBe(60_000);
    // The total cap still holds: one write left, then only the confirm's reserve.
    expect(budget.msUntilAvailable('write')).toBe(0);
    await budget.acquire('write');
    expect(budget.msUntilAvailable('write')).toBe(60_000);
    expect(budget.msUntilAvailable('confirm')).toBe(0);
    await budget.acquire('confirm');
    expect(budget.msUntilAvailable('confirm')).toBe(60_000);
    expect(budget.used()).toBe(10);
  });

  it('a confirm finds room when polls and other writes have used up the rest of the budget', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(clock, 300, { pollShare: 0.8 });
    // The defaults: 1% of 300 = 3 calls of every window are for confirms only, and the 6 (2%)
    // under them for confirms and the poll that notices payments (a read: within the reads' 240).
    for (let i = 0; i < 234; i++) await budget.acquire('poll');
    for (let i = 0; i < 57; i++) await budget.acquire('write');
    expect(budget.msUntilAvailable('write')).toBeGreaterThan(0);
    expect(budget.msUntilAvailable('background')).toBeGreaterThan(0);
    for (let i = 0; i < 6; i++) await budget.acquire('watch');
    expect(budget.msUntilAvailable('watch')).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      expect(budget.msUntilAvailable('confirm')).toBe(0);
      await budget.acquire('confirm');
    }
    expect(budget.used()).toBe(300);
  });

  it('keeps room for the poll that notices payments: a write waits while the watch and the confirms it sets off go', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(clock, 20, { pollShare: 1, confirmReserve: 2, watchReserve: 3 });
    for (let i = 0; i < 15; i++) await budget.acquire(i % 2 === 0 ? 'write' : 'background');
    // 15 of 20: the writes' limit (20 - 2 - 3) is reached; one more waits a whole window.
    expect(budget.msUntilAvailable('write')).toBe(60_000);
    expect(budget.msUntilAvailable('poll')).toBe(60_000);
    const order: string[] = [];
    const write = budget.acquire('write').then(() => order.push('write'));
    // The watch goes past the waiting write, and so does the confirm its answer sets off; then
    // the next watch still finds room, and the confirms' own reserve is still whole.
    await budget.acquire('watch');
    await budget.acquire('confirm');
    await budget.acquire('watch');
    expect(budget.msUntilAvailable('watch')).toBe(60_000);
    await budget.acquire('confirm');
    await budget.acquire('confirm');
    expect(budget.used()).toBe(20);
    expect(order).toEqual([]);
    await clock.advance(60_000);
    await write;
    expect(order).toEqual(['write']);
  });

  it('lets waiting calls through most urgent first, in arrival order within a kind', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(clock, 4, { pollShare: 1, confirmReserve: 1, watchReserve: 0 });
    for (let i = 0; i < 4; i++) {
      await budget.acquire('confirm');
      await clock.advance(1000);
    }
    const order: string[] = [];
    const queued = [
      budget.acquire('background').then(() => order.push('background')),
      budget.acquire('poll').then(() => order.push('poll 1')),
      budget.acquire('write').then(() => order.push('write 1')),
      budget.acquire('poll').then(() => order.push('poll 2')),
      budget.acquire('confirm').then(() => order.push('confirm')),
      budget.acquire('write').then(() => order.push('write 2')),
      budget.acquire('watch').then(() => order.push('watch')),
    ];
    // Slots free from t=60 s on: the confirm (which may use the reserve) first, then the poll that
    // notices payments, the writes, the other polls, the background write last; never a call
    // beyond the budget.
    for (let i = 0; i < 200 && order.length < queued.length; i++) {
      await clock.advance(1000);
      expect(budget.used()).toBeLessThanOrEqual(4);
    }
    await Promise.all(queued);
    expect(order).toEqual(['confirm', 'watch', 'write 1', 'write 2', 'poll 1', 'poll 2', 'background']);
  });

  it('paces a periodic poller near the limit: the room the other calls of the last window leave, spread evenly', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(clock, 100, { confirmReserve: 2, watchReserve: 3 });
    // Plenty of room (more than 5 of 100 free): no limit at all.
    for (let i = 0; i < 47; i++) await budget.acquire('write');
    expect(budget.minPollIntervalMs([])).toBe(0);
    const own: number[] = [];
    for (let i = 0; i < 47; i++) {
      own.push(clock.monoMs());
      await budget.acquire('poll');
    }
    // 94 used, 4 free under the confirms' reserve: paced. 100 - 2 reserved for confirms - 3
    // kept free for the watch - 47 others = 48 a minute: one every 1.25 s; its own calls do not
    // count against it.
    expect(budget.minPollIntervalMs(own)).toBe(1250);
    // The others take more: the poller slows down; with no room at all it waits a whole window.
    await budget.acquire('write');
    for (let i = 0; i < 2; i++) await budget.acquire('confirm');
    expect(budget.used()).toBe(97);
    expect(budget.minPollIntervalMs(own)).toBe(60_000 / 45);
    expect(budget.minPollIntervalMs([])).toBe(60_000);
    // Once the others' calls have aged out, there is no limit again.
    await clock.advance(60_000);
    expect(budget.minPollIntervalMs([])).toBe(0);
  });

  it('a read held back by the reads\' share does not hold back a write behind it', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(clock, 10, { pollShare: 0.3, confirmReserve: 0 });
    for (let i = 0; i < 3; i++) await budget.acquire('poll');
    const order: string[] = [];
    const watch = budget.acquire('watch').then(() => order.push('watch'));
    const write = budget.acquire('write').then(() => order.push('write'));
    await clock.advance(10);
    expect(order).toEqual(['write']);
    await clock.advance(60_000);
    await Promise.all([watch, write]);
    expect(order).toEqual(['write', 'watch']);
  });

  it('stops waiting when aborted', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(clock, 1);
    await budget.acquire('write');
    const controller = new AbortController();
    const waiting = budget.acquire('write', controller.signal);
    controller.abort(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
    expect(budget.used()).toBe(1);
  });
});
