import { describe, expect, it } from 'vitest';
import type { Transaction, TransactionStatus } from '../../gateways/paysera-wallet/wallet-types.js';
import { silentLogger } from '../../log/logger.js';
import { FakeClock } from '../../platform/fake-clock.js';
import { ReservationWatcher } from './reservation-watcher.js';

const tx = (key: string, status: TransactionStatus): Transaction => ({ key, status, payments: [] }) as unknown as Transaction;

/** A wallet whose transactions the test sets; it records every call at its fake time. */
function fakeWallet(clock: FakeClock) {
  const statuses = new Map<string, TransactionStatus>();
  const calls: string[] = [];
  const listOptions: Array<{ urgent?: boolean } | undefined> = [];
  return {
    statuses,
    calls,
    listOptions,
    wallet: {
      listTransactions: async (_filter: unknown, options?: { urgent?: boolean }) => {
        listOptions.push(options);
        calls.push(`${clock.monoMs()} list`);
        return [...statuses].filter(([, s]) => s === 'reserved').map(([k]) => tx(k, 'reserved'));
      },
      getTransaction: async (key: string) => {
        calls.push(`${clock.monoMs()} get ${key}`);
        return tx(key, statuses.get(key) ?? 'new');
      },
    },
  };
}

/** A started watcher at 1000 ms awaiting `keys`; what it settles is recorded and no longer awaited. */
function watching(clock: FakeClock, wallet: ReturnType<typeof fakeWallet>['wallet'], keys: string[], readEachAfterMs?: number) {
  const awaited = new Set(keys);
  const settled: string[] = [];
  const watcher = new ReservationWatcher({
    wallet,
    clock,
    logger: silentLogger(),
    intervalMs: 1000,
    ...(readEachAfterMs === undefined ? {} : { readEachAfterMs }),
    awaited: () => [...awaited],
    onSettled: (t) => {
      settled.push(`${clock.monoMs()} ${t.key} ${t.status}`);
      awaited.delete(t.key);
    },
    unknownStatusDeadlineMs: 60_000,
    onUndecided: () => undefined,
  });
  watcher.start();
  return { watcher, settled };
}

describe('ReservationWatcher', () => {
  it('notices a reservation at the next poll with one urgent list call, reading no transaction on its own', async () => {
    const clock = new FakeClock({ monoMs: 0 });
    const { wallet, statuses, calls, listOptions } = fakeWallet(clock);
    const { watcher, settled } = watching(clock, wallet, ['a', 'b']);
    await clock.advance(2500);
    statuses.set('a', 'reserved');
    await clock.advance(1000);
    expect(settled).toEqual(['3000 a reserved']);
    expect(calls).toEqual(['1000 list', '2000 list', '3000 list']);
    // Urgent: a budget lets it ahead of everything but a confirm.
    expect(listOptions.every((o) => o?.urgent === true)).toBe(true);
    await watcher.stop();
  });

  it('reads an awaited transaction on its own only after readEachAfterMs, then every readEachAfterMs, one per poll: a decline is noticed', async () => {
    const clock = new FakeClock({ monoMs: 0 });
    const { wallet, statuses, calls } = fakeWallet(clock);
    const { watcher, settled } = watching(clock, wallet, ['a', 'b'], 4000);
    // First seen at the 1000 ms poll: each is due for a read of its own from 5000 ms, one per poll.
    await clock.advance(9000);
    expect(calls.filter((c) => c.includes('get'))).toEqual(['5000 get a', '6000 get b', '9000 get a']);
    statuses.set('b', 'rejected');
    await clock.advance(1000);
    expect(settled).toEqual(['10000 b rejected']);
    await watcher.stop();
  });

  it('matches the list against what is awaited when the answer arrives: an order created while the poll was on its way is noticed by that poll', async () => {
    const clock = new FakeClock({ monoMs: 0 });
    const awaited = new Set(['a']);
    const settled: string[] = [];
    let answer: ((list: Transaction[]) => void) | undefined;
    const watcher = new ReservationWatcher({
      wallet: {
        listTransactions: () => new Promise<Transaction[]>((resolve) => (answer = resolve)),
        getTransaction: async (key: string) => tx(key, 'new'),
      },
      clock,
      logger: silentLogger(),
      intervalMs: 1000,
      awaited: () => [...awaited],
      onSettled: (t) => settled.push(t.key),
      unknownStatusDeadlineMs: 60_000,
      onUndecided: () => undefined,
    });
    watcher.start();
    await clock.advance(1000);
    // The poll is out (say, waiting for the request budget); meanwhile sale b gets its order and
    // its customer pays at once.
    awaited.add('b');
    answer?.([tx('b', 'reserved')]);
    await clock.advance(0);
    expect(settled).toEqual(['b']);
    await watcher.stop();
  });

  it('polls no faster than its pacer allows, telling it its own calls of the last minute', async () => {
    const clock = new FakeClock({ monoMs: 0 });
    const { wallet, calls } = fakeWallet(clock);
    const told: number[][] = [];
    const watcher = new ReservationWatcher({
      wallet,
      clock,
      logger: silentLogger(),
      intervalMs: 1000,
      awaited: () => ['a'],
      onSettled: () => undefined,
      unknownStatusDeadlineMs: 60_000,
      onUndecided: () => undefined,
      pacer: {
        minPollIntervalMs: (own) => {
          told.push([...own]);
          return 2500;
        },
      },
    });
    watcher.start();
    await clock.advance(7000);
    expect(calls).toEqual(['1000 list', '3500 list', '6000 list']);
    expect(told[1]).toEqual([1000, 3500]);
    await watcher.stop();
  });

  it('stops polling when nothing is awaited, and makes no call at all while idle', async () => {
    const clock = new FakeClock({ monoMs: 0 });
    const { wallet, calls } = fakeWallet(clock);
    const awaited = new Set<string>();
    const watcher = new ReservationWatcher({ wallet, clock, logger: silentLogger(), intervalMs: 1000, awaited: () => [...awaited], onSettled: () => undefined, unknownStatusDeadlineMs: 60_000, onUndecided: () => undefined });
    watcher.start();
    await clock.advance(60_000);
    expect(calls).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
    awaited.add('a');
    watcher.wake();
    await clock.advance(1000);
    awaited.clear();
    await clock.advance(10_000);
    expect(calls).toEqual(['61000 list']);
    expect(watcher.isActive()).toBe(false);
    await watcher.stop();
  });
});
