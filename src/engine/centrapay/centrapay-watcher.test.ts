import { afterEach, describe, expect, it } from 'vitest';
import { CentrapayError } from '../../gateways/centrapay/centrapay-error.js';
import type { PaymentRequest } from '../../gateways/centrapay/centrapay-types.js';
import { silentLogger } from '../../log/logger.js';
import { FakeClock } from '../../platform/fake-clock.js';
import { CentrapayWatcher, type AwaitedRequest } from './centrapay-watcher.js';

/** The poll and the terminal's deadline on a FakeClock: timing is exact and instant. */

const request = (id: string, status: PaymentRequest['status']): PaymentRequest => ({
  id,
  shortCode: 'CP-AAA-BBB',
  url: `https://app.centrapay.com/pay/${id}`,
  status,
  value: { amount: '100', currency: 'EUR' },
  createdAt: '2026-11-21T12:00:00.000Z',
  updatedAt: undefined,
  expiresAt: '2026-11-21T12:00:10.000Z',
  expirySeconds: 10,
  configId: undefined,
  merchantId: undefined,
  merchantName: undefined,
  liveness: undefined,
  externalRef: undefined,
  terminalId: undefined,
  deviceId: undefined,
  cancellationReason: undefined,
  paidBy: undefined,
});

let watcher: CentrapayWatcher | undefined;
afterEach(async () => {
  await watcher?.stop();
  watcher = undefined;
});

function setup(options: { awaited: AwaitedRequest[]; respond?: (id: string, call: number) => Promise<PaymentRequest> }) {
  const clock = new FakeClock();
  const calls: Array<{ id: string; at: number }> = [];
  let open = 0;
  let maxOpen = 0;
  const deadlines: Array<{ saleId: string; at: number }> = [];
  const settled: Array<{ saleId: string; status: string }> = [];
  const awaited = [...options.awaited];
  watcher = new CentrapayWatcher({
    centrapay: {
      async getPaymentRequest(id) {
        calls.push({ id, at: clock.monoMs() });
        open += 1;
        maxOpen = Math.max(maxOpen, open);
        try {
          return await (options.respond?.(id, calls.length) ?? Promise.resolve(request(id, 'new')));
        } finally {
          open -= 1;
        }
      },
    },
    clock,
    logger: silentLogger(),
    intervalMs: 1000,
    graceMs: 7000,
    awaited: () => awaited,
    onSettled: (saleId, pr) => {
      settled.push({ saleId, status: pr.status });
      awaited.splice(awaited.findIndex((a) => a.saleId === saleId), 1);
    },
    onDeadline: (saleId) => {
      deadlines.push({ saleId, at: clock.monoMs() });
      awaited.splice(awaited.findIndex((a) => a.saleId === saleId), 1);
    },
  });
  return { clock, calls, deadlines, settled, awaited, maxOpen: () => maxOpen, watcher };
}

describe('CentrapayWatcher', () => {
  it('polls once a second and voids at expiry + grace on the monotonic clock, not before', async () => {
    const t = setup({ awaited: [{ saleId: 's1', paymentRequestId: 'pr1', expirySeconds: 10 }] });
    const start = t.clock.monoMs();
    t.watcher.start();
    await t.clock.advance(16_000);
    expect(t.deadlines).toEqual([]);
    expect(t.calls).toHaveLength(16);
    await t.clock.advance(1_000);
    // The poll at start + 17 s is the last read; it said `new`, so the void is asked for.
    expect(t.deadlines).toEqual([{ saleId: 's1', at: start + 17_000 }]);
    await t.clock.advance(10_000);
    expect(t.calls).toHaveLength(17); // nothing awaited: no more polls
    expect(t.watcher.isActive()).toBe(false);
    expect(t.clock.pendingTimers()).toBe(0);
  });

  it('a wall-clock jump changes nothing: the deadline is monotonic', async () => {
    const t = setup({ awaited: [{ saleId: 's1', paymentRequestId: 'pr1', expirySeconds: 10 }] });
    t.watcher.start();
    t.clock.setWallMs(t.clock.wallMs() + 3_600_000);
    await t.clock.advance(16_000);
    expect(t.deadlines).toEqual([]);
  });

  it('reports a final status and stops polling that request', async () => {
    const t = setup({
      awaited: [{ saleId: 's1', paymentRequestId: 'pr1', expirySeconds: 10 }],
      respond: async (id, call) => request(id, call >= 3 ? 'paid' : 'new'),
    });
    t.watcher.start();
    await t.clock.advance(5_000);
    expect(t.settled).toEqual([{ saleId: 's1', status: 'paid' }]);
    expect(t.calls).toHaveLength(3);
  });

  it('never two requests at once, even with two sales and a slow answer', async () => {
    const t = setup({
      awaited: [
        { saleId: 's1', paymentRequestId: 'pr1', expirySeconds: 60 },
        { saleId: 's2', paymentRequestId: 'pr2', expirySeconds: 60 },
      ],
      respond: (id) => new Promise((resolve) => t0.clock.setTimeout(() => resolve(request(id, 'new')), 1500)),
    });
    const t0 = t;
    t.watcher.start();
    await t.clock.advance(10_000);
    expect(t.maxOpen()).toBe(1);
    expect(new Set(t.calls.map((c) => c.id))).toEqual(new Set(['pr1', 'pr2']));
    // Each round takes 3 s (two 1.5 s reads), so the next starts at once: no overlap, no burst.
    for (let i = 1; i < t.calls.length; i += 1) expect((t.calls[i]?.at ?? 0) - (t.calls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1500);
    // stop() waits for the read in flight, which answers on the fake clock.
    const stopping = t.watcher.stop();
    await t.clock.advance(2_000);
    await stopping;
  });

  it('honours a 429 Retry-After before the next poll, and keeps the deadline', async () => {
    const limited = new CentrapayError({ code: 'rate_limit_exceeded', message: '429', method: 'GET', path: '/x', status: 429, ambiguous: false, retryable: true, retryAfterMs: 5000 });
    const t = setup({
      awaited: [{ saleId: 's1', paymentRequestId: 'pr1', expirySeconds: 5 }],
      respond: async (id, call) => {
        if (call === 1) throw limited;
        return request(id, 'new');
      },
    });
    const start = t.clock.monoMs();
    t.watcher.start();
    await t.clock.advance(1_000);
    expect(t.calls).toHaveLength(1);
    await t.clock.advance(4_999);
    expect(t.calls).toHaveLength(1);
    await t.clock.advance(1);
    expect(t.calls).toHaveLength(2);
    await t.clock.advance(20_000);
    expect(t.deadlines[0]?.at).toBe(start + 12_000);
  });
});
