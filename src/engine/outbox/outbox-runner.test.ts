import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { money } from '../../domain/money.js';
import { SeededRandom } from '../../platform/random.js';
import type { Store } from '../../store/store.js';
import { tempStore } from '../../../test/support/temp-store.js';
import type { OutboxOp } from '../../store/types.js';
import { backoffCeilingMs } from '../../platform/backoff.js';
import { OutboxRunner, type FinalOutcome, type OpError, type OpHandler, type ReconcileOutcome, type RunnerEvent } from './outbox-runner.js';
import type { RetryPolicy } from './retry-policy.js';

class TestOpError extends Error implements OpError {
  constructor(
    readonly code: string,
    readonly ambiguous: boolean,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(code);
  }
}
const ambiguous = () => new TestOpError('request_timeout', true, true);
const retryable = (retryAfterMs?: number) => new TestOpError('rate_limit_exceeded', false, true, retryAfterMs, 429);
const final = (code = 'invalid_parameters') => new TestOpError(code, false, false, undefined, 400);

/** The test kinds' payloads are whatever a test stores. */
const ANY = z.unknown();

const POLICY: RetryPolicy = { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 8000, maxAgeMs: 60_000 };

/** A scriptable handler: each call takes the next scripted step (an outcome or an error). */
function scripted(steps: { execute?: Array<FinalOutcome | Error>; reconcile?: Array<ReconcileOutcome | Error> }) {
  const calls: Array<{ mode: 'execute' | 'reconcile'; op: OutboxOp }> = [];
  const take = <T>(list: Array<T | Error> | undefined, mode: string): Promise<T> => {
    const next = list?.shift();
    if (next === undefined) return Promise.reject(new Error(`unscripted ${mode}`));
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  const handler: OpHandler = {
    payload: ANY,
    execute: vi.fn((op: OutboxOp) => {
      calls.push({ mode: 'execute', op });
      return take(steps.execute, 'execute');
    }),
    reconcile: vi.fn((op: OutboxOp) => {
      calls.push({ mode: 'reconcile', op });
      return take(steps.reconcile, 'reconcile');
    }),
  };
  return { handler, calls };
}

let env: ReturnType<typeof tempStore>;
let store: Store;
let runners: OutboxRunner[];
beforeEach(() => {
  env = tempStore();
  store = env.make();
  store.open();
  runners = [];
});
afterEach(async () => {
  for (const runner of runners) await runner.stop();
  env.cleanup();
});

function makeRunner(handler: OpHandler, policy: RetryPolicy = POLICY, onStore: Store = store, seed = 99): { runner: OutboxRunner; events: RunnerEvent[] } {
  const runner = new OutboxRunner({ outbox: onStore.outbox, clock: env.clock, random: new SeededRandom(seed), policies: { k: policy }, handlers: { k: handler } });
  const events: RunnerEvent[] = [];
  runner.on((e) => events.push(e));
  runners.push(runner);
  return { runner, events };
}

function saleWithOp() {
  store.sales.create({ id: 's1', kind: 'code', amount: money(500, 'EUR') });
  return store.outbox.enqueue({ saleId: 's1', kind: 'k', payload: { n: 1 } });
}

const flush = () => env.clock.advance(0);

describe('outbox runner', () => {
  it('claims, executes once, commits the outcome with its effects, emits each transition', async () => {
    const op = saleWithOp();
    const { handler } = scripted({ execute: [{ status: 'done', result: { ok: true }, effects: { sale: { saleId: 's1', event: { type: 'transactionCreated', transactionKey: 'tk' } } } }] });
    const { runner, events } = makeRunner(handler);
    runner.start();
    expect(store.outbox.get(op.id)?.state).toBe('in_flight'); // committed before the effect resolves
    await flush();
    expect(handler.execute).toHaveBeenCalledTimes(1);
    expect(store.outbox.get(op.id)).toMatchObject({ state: 'done', result: { ok: true }, attempts: 1 });
    expect(store.sales.get('s1')?.state).toBe('transaction_created');
    expect(events.filter((e) => e.type === 'transition').map((e) => e.type === 'transition' && `${e.from}->${e.to}`)).toEqual(['pending->in_flight', 'in_flight->done']);
  });

  it('the claim is committed before the handler runs (seen from another connection)', async () => {
    const op = saleWithOp();
    let seen: string | undefined;
    const handler: OpHandler = {
      payload: ANY,
      execute: async (claimed) => {
        const other = env.make();
        other.open(); // also sweeps in_flight -> unknown: only to prove the row was durable; settle below fails
        seen = other.outbox.get(claimed.id)?.state;
        other.close();
        return { status: 'done' };
      },
      reconcile: async () => ({ status: 'not_applied' }),
    };
    const { runner, events } = makeRunner(handler);
    runner.start();
    await flush();
    expect(seen).toBe('unknown'); // it was in_flight on disk, and the second open swept it
    // The outcome could not be recorded against an op that is no longer in flight: reported, not lost.
    expect(events.some((e) => e.type === 'error' && e.opId === op.id)).toBe(true);
  });

  it('a retryable error backs off within the jittered bound, then retries', async () => {
    const op = saleWithOp();
    const { handler } = scripted({ execute: [retryable(), retryable(), { status: 'done' }] });
    const { runner } = makeRunner(handler);
    runner.start();
    await flush();
    const first = store.outbox.get(op.id);
    expect(first).toMatchObject({ state: 'pending', lastErrorCode: 'rate_limit_exceeded', lastHttpStatus: 429 });
    const wait1 = (first?.dueMonoMs ?? 0) - env.clock.monoMs();
    expect(wait1).toBeGreaterThanOrEqual(0);
    expect(wait1).toBeLessThan(backoffCeilingMs(0, POLICY));
    if (wait1 > 0) {
      await env.clock.advance(wait1 - 1);
      expect(handler.execute).toHaveBeenCalledTimes(1);
    }
    await env.clock.advance(1);
    expect(handler.execute).toHaveBeenCalledTimes(2);
    const second = store.outbox.get(op.id);
    const wait2 = (second?.dueMonoMs ?? 0) - env.clock.monoMs();
    expect(wait2).toBeLessThan(backoffCeilingMs(1, POLICY));
    await env.clock.advance(backoffCeilingMs(1, POLICY));
    expect(handler.execute).toHaveBeenCalledTimes(3);
    expect(store.outbox.get(op.id)).toMatchObject({ state: 'done', attempts: 3 });
  });

  it('honours Retry-After: not one ms early', async () => {
    const op = saleWithOp();
    const { handler } = scripted({ execute: [retryable(30_000), { status: 'done' }] });
    const { runner } = makeRunner(handler);
    runner.start();
    await flush();
    expect(store.outbox.get(op.id)?.dueMonoMs).toBe(env.clock.monoMs() + 30_000);
    await env.clock.advance(29_999);
    expect(handler.execute).toHaveBeenCalledTimes(1);
    await env.clock.advance(1);
    expect(handler.execute).toHaveBeenCalledTimes(2);
    expect(store.outbox.get(op.id)?.state).toBe('done');
  });

  it('ambiguous -> unknown -> reconcile finds it done: execute is called exactly once', async () => {
    const op = saleWithOp();
    const { handler, calls } = scripted({ execute: [ambiguous()], reconcile: [{ status: 'done', result: { found: true } }] });
    const { runner } = makeRunner(handler);
    runner.start();
    await flush();
    expect(store.outbox.get(op.id)).toMatchObject({ state: 'unknown', lastErrorCode: 'request_timeout' });
    await env.clock.advance(POLICY.capMs);
    expect(calls.map((c) => c.mode)).toEqual(['execute', 'reconcile']);
    expect(handler.execute).toHaveBeenCalledTimes(1);
    expect(store.outbox.get(op.id)).toMatchObject({ state: 'done', result: { found: true } });
  });

  it('ambiguous -> reconcile first, and only a proven absence leads to a resend', async () => {
    const op = saleWithOp();
    const { handler, calls } = scripted({
      execute: [ambiguous(), { status: 'done' }],
      reconcile: [new TestOpError('connect_failed', false, true), { status: 'retry', code: 'still_processing' }, { status: 'not_applied' }],
    });
    const { runner } = makeRunner(handler);
    runner.start();
    for (let i = 0; i < 10; i++) await env.clock.advance(POLICY.capMs);
    expect(calls.map((c) => c.mode)).toEqual(['execute', 'reconcile', 'reconcile', 'reconcile', 'execute']);
    expect(store.outbox.get(op.id)?.state).toBe('done');
  });

  it('a final error fails the op; by default the sale goes to needs_human', async () => {
    const op = saleWithOp();
    const { handler } = scripted({ execute: [final()] });
    const { runner } = makeRunner(handler);
    runner.start();
    await flush();
    expect(store.outbox.get(op.id)).toMatchObject({ state: 'failed', lastErrorCode: 'invalid_parameters', lastHttpStatus: 400 });
    expect(store.sales.get('s1')).toMatchObject({ state: 'needs_human', needsHumanReason: 'k:invalid_parameters' });
  });

  it('onFailed decides the sale: a declined reserve', async () => {
    store.sales.create({ id: 's1', kind: 'code', amount: money(500, 'EUR') });
    store.sales.apply('s1', { type: 'transactionCreated', transactionKey: 'tk' });
    const op = store.outbox.enqueue({ saleId: 's1', kind: 'k', payload: {} });
    const { handler } = scripted({ execute: [final('not_enough_funds')] });
    handler.onFailed = (failed, error) => ({ sale: { saleId: failed.saleId ?? '', event: { type: 'declined', reason: error.code } } });
    const { runner } = makeRunner(handler);
    runner.start();
    await flush();
    expect(store.outbox.get(op.id)?.state).toBe('failed');
    expect(store.sales.get('s1')).toMatchObject({ state: 'declined', declineReason: 'not_enough_funds' });
    await env.clock.advance(POLICY.capMs * 4);
    expect(handler.execute).toHaveBeenCalledTimes(1); // never retried
  });

  it('an op that cannot complete within max age goes to needs_human, with its sale, and is kept', async () => {
    const op = saleWithOp();
    const { handler } = scripted({ execute: Array.from({ length: 100 }, () => retryable()) });
    const { runner, events } = makeRunner(handler);
    runner.start();
    for (let t = 0; t < POLICY.maxAgeMs + 2 * POLICY.capMs; t += 1000) await env.clock.advance(1000);
    const after = store.outbox.get(op.id);
    expect(after).toMatchObject({ state: 'needs_human', lastErrorCode: 'max_age_exceeded' });
    expect(store.sales.get('s1')?.state).toBe('needs_human');
    const calls = vi.mocked(handler.execute).mock.calls.length;
    await env.clock.advance(10 * POLICY.capMs);
    expect(vi.mocked(handler.execute).mock.calls.length).toBe(calls);
    expect(events.some((e) => e.type === 'transition' && e.to === 'needs_human' && e.code === 'max_age_exceeded')).toBe(true);
    // A person re-arms it: it reconciles first.
    store.outbox.rearm(op.id);
    vi.mocked(handler.reconcile!).mockResolvedValueOnce({ status: 'done' });
    runner.kick();
    await flush();
    expect(handler.reconcile).toHaveBeenCalledTimes(1);
    expect(store.outbox.get(op.id)?.state).toBe('done');
  });

  it('effects the store refuses send the op to needs_human, keeping the remote result', async () => {
    const op = saleWithOp();
    const { handler } = scripted({ execute: [{ status: 'done', result: { status: 'confirmed' }, effects: { sale: { saleId: 's1', event: { type: 'confirmed' } } } }] });
    const { runner, events } = makeRunner(handler);
    runner.start();
    await flush();
    expect(store.outbox.get(op.id)).toMatchObject({ state: 'needs_human', lastErrorCode: 'effects_rejected', result: { status: 'confirmed' } });
    expect(store.sales.get('s1')?.state).toBe('needs_human');
    expect(events.some((e) => e.type === 'error')).toBe(true);
  });

  it('one owner: kicks while an op is in flight never start it twice', async () => {
    const op = saleWithOp();
    let release: (v: FinalOutcome) => void = () => {};
    const handler: OpHandler = { payload: ANY, execute: vi.fn(() => new Promise<FinalOutcome>((resolve) => (release = resolve))), reconcile: vi.fn() };
    const { runner } = makeRunner(handler);
    runner.start();
    for (let i = 0; i < 5; i++) {
      runner.kick();
      await env.clock.advance(10_000);
    }
    expect(handler.execute).toHaveBeenCalledTimes(1);
    expect(runner.inFlight()).toEqual([op.id]);
    release({ status: 'done' });
    await flush();
    expect(store.outbox.get(op.id)?.state).toBe('done');
  });

  it('stop() waits for the op in flight and claims nothing after', async () => {
    const op = saleWithOp();
    let release: (v: FinalOutcome) => void = () => {};
    const handler: OpHandler = { payload: ANY, execute: vi.fn(() => new Promise<FinalOutcome>((resolve) => (release = resolve))), reconcile: vi.fn() };
    const { runner } = makeRunner(handler);
    runner.start();
    await flush();
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    const later = store.outbox.enqueue({ kind: 'k', payload: {} });
    release({ status: 'done' });
    await stopping;
    expect(stopped).toBe(true);
    expect(store.outbox.get(op.id)?.state).toBe('done');
    runner.kick();
    await env.clock.advance(10_000);
    expect(store.outbox.get(later.id)?.state).toBe('pending');
    expect(handler.execute).toHaveBeenCalledTimes(1);
  });

  it('restart: a new runner on the same database reconciles what the old one left in flight', async () => {
    const op = saleWithOp();
    const hang: OpHandler = { payload: ANY, execute: vi.fn(() => new Promise<FinalOutcome>(() => {})), reconcile: vi.fn() };
    const { runner: old } = makeRunner(hang);
    old.start();
    await flush();
    expect(store.outbox.get(op.id)?.state).toBe('in_flight');
    // kill -9: the process is gone, nothing settles. A fresh process opens the same file.
    runners.splice(runners.indexOf(old), 1);
    store.close();
    const reopened = env.make();
    expect(reopened.open().sweptInFlight).toBe(1);
    const { handler, calls } = scripted({ reconcile: [{ status: 'done', result: { found: 'by sale id' } }] });
    const { runner } = makeRunner(handler, POLICY, reopened);
    runner.start();
    await flush();
    expect(calls.map((c) => c.mode)).toEqual(['reconcile']);
    expect(handler.execute).not.toHaveBeenCalled();
    expect(reopened.outbox.get(op.id)).toMatchObject({ state: 'done', result: { found: 'by sale id' }, attempts: 2 });
  });

  it('restart: the runner itself sweeps in_flight before its first claim', async () => {
    const op = saleWithOp();
    store.outbox.claim(op.id); // left in flight by "another life"
    const { handler, calls } = scripted({ reconcile: [{ status: 'not_applied' }], execute: [{ status: 'done' }] });
    const { runner } = makeRunner(handler);
    runner.start();
    await flush();
    await flush();
    expect(calls.map((c) => c.mode)).toEqual(['reconcile', 'execute']);
    expect(store.outbox.get(op.id)?.state).toBe('done');
  });

  it("policy 'resend': an ambiguous failure is executed again (no reconcile)", async () => {
    const op = saleWithOp();
    const handler: OpHandler = { payload: ANY, execute: vi.fn<OpHandler['execute']>().mockRejectedValueOnce(ambiguous()).mockResolvedValueOnce({ status: 'done' }) };
    const { runner } = makeRunner(handler, { ...POLICY, onAmbiguous: 'resend' });
    runner.start();
    await flush();
    expect(store.outbox.get(op.id)?.state).toBe('pending');
    await env.clock.advance(POLICY.capMs);
    expect(handler.execute).toHaveBeenCalledTimes(2);
    expect(store.outbox.get(op.id)?.state).toBe('done');
  });

  it('concurrency: ops of different sales overlap, ops of one sale never do', async () => {
    for (const id of ['a', 'b']) store.sales.create({ id, kind: 'code', amount: money(100, 'EUR') });
    const a1 = store.outbox.enqueue({ saleId: 'a', kind: 'k', payload: {} });
    const a2 = store.outbox.enqueue({ saleId: 'a', kind: 'k', payload: {} });
    const b1 = store.outbox.enqueue({ saleId: 'b', kind: 'k', payload: {} });
    const releases = new Map<string, () => void>();
    const handler: OpHandler = {
      payload: ANY,
      execute: vi.fn((op: OutboxOp) => new Promise<FinalOutcome>((resolve) => releases.set(op.id, () => resolve({ status: 'done' })))),
      reconcile: vi.fn(),
    };
    const runner = new OutboxRunner({ outbox: store.outbox, clock: env.clock, random: new SeededRandom(1), policies: { k: POLICY }, handlers: { k: handler }, concurrency: 3 });
    runners.push(runner);
    runner.start();
    await flush();
    expect(new Set(runner.inFlight())).toEqual(new Set([a1.id, b1.id]));
    releases.get(a1.id)?.();
    await flush();
    expect(new Set(runner.inFlight())).toEqual(new Set([a2.id, b1.id]));
    releases.get(a2.id)?.();
    releases.get(b1.id)?.();
    await flush();
    expect(store.outbox.countByState()).toMatchObject({ done: 3, in_flight: 0 });
  });

  it('background lane: a hanging background op never holds up a payment op; one background op at a time', async () => {
    for (const id of ['a', 'b', 'c']) store.sales.create({ id, kind: 'code', amount: money(100, 'EUR') });
    const bg1 = store.outbox.enqueue({ saleId: 'a', kind: 'bg', payload: {} });
    const bg2 = store.outbox.enqueue({ saleId: 'b', kind: 'bg', payload: {} });
    const pay = store.outbox.enqueue({ saleId: 'c', kind: 'k', payload: {} });
    const releases = new Map<string, () => void>();
    const hanging: OpHandler = {
      payload: ANY,
      execute: vi.fn((op: OutboxOp) => new Promise<FinalOutcome>((resolve) => releases.set(op.id, () => resolve({ status: 'done' })))),
      reconcile: vi.fn(),
    };
    const quick: OpHandler = { payload: ANY, execute: vi.fn(async () => ({ status: 'done' }) as FinalOutcome), reconcile: vi.fn() };
    const runner = new OutboxRunner({
      outbox: store.outbox,
      clock: env.clock,
      random: new SeededRandom(1),
      policies: { k: POLICY, bg: POLICY },
      handlers: { k: quick, bg: hanging },
      lanes: [{ concurrency: 1 }, { kinds: ['bg'], concurrency: 1 }],
    });
    runners.push(runner);
    runner.start();
    await flush();
    // bg1 hangs in its lane; the payment op (concurrency 1) ran regardless; bg2 waits for bg1.
    expect(store.outbox.get(pay.id)?.state).toBe('done');
    expect(runner.inFlight()).toEqual([bg1.id]);
    releases.get(bg1.id)?.();
    await flush();
    expect(runner.inFlight()).toEqual([bg2.id]);
    releases.get(bg2.id)?.();
    await flush();
    expect(store.outbox.countByState()).toMatchObject({ done: 3, in_flight: 0 });
  });

  it('lanes: a due confirm is claimed before queued close and POS work, and runs while every other lane is busy', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) store.sales.create({ id, kind: 'code', amount: money(100, 'EUR') });
    // 'urgent' stands for confirm (the store checks a real confirm's fields). Queued first:
    // background and payment work; the confirm comes last.
    store.outbox.enqueue({ saleId: 'a', kind: 'close', payload: {} });
    store.outbox.enqueue({ saleId: 'b', kind: 'pos', payload: {} });
    store.outbox.enqueue({ saleId: 'c', kind: 'create', payload: {} });
    const confirm = store.outbox.enqueue({ saleId: 'd', kind: 'urgent', payload: {} });
    const claimed: string[] = [];
    const releases = new Map<string, () => void>();
    const hanging = (kind: string): OpHandler => ({
      payload: ANY,
      execute: vi.fn(
        (op: OutboxOp) =>
          new Promise<FinalOutcome>((resolve) => {
            claimed.push(kind);
            releases.set(op.id, () => resolve({ status: 'done' }));
          }),
      ),
      reconcile: vi.fn(),
    });
    const runner = new OutboxRunner({
      outbox: store.outbox,
      clock: env.clock,
      random: new SeededRandom(1),
      policies: { urgent: POLICY, create: POLICY, close: POLICY, pos: POLICY },
      handlers: { urgent: hanging('urgent'), create: hanging('create'), close: hanging('close'), pos: hanging('pos') },
      lanes: [{ kinds: ['urgent'], concurrency: 2 }, { concurrency: 1 }, { kinds: ['close'], concurrency: 1 }, { kinds: ['pos'], concurrency: 1 }],
    });
    runners.push(runner);
    runner.start();
    await flush();
    expect(claimed).toEqual(['urgent', 'create', 'close', 'pos']);
    // Every lane holds a hanging op; a confirm that becomes due now still goes at once.
    const second = store.outbox.enqueue({ saleId: 'e', kind: 'urgent', payload: {} });
    runner.kick();
    await flush();
    expect(claimed.at(-1)).toBe('urgent');
    expect(new Set(runner.inFlight())).toContain(second.id);
    expect(new Set(runner.inFlight())).toContain(confirm.id);
    for (const release of releases.values()) release();
    await flush();
    expect(store.outbox.countByState()).toMatchObject({ done: 5, in_flight: 0 });
  });

  it('refuses lanes without exactly one lane for the kinds no other lane names', () => {
    const make = (lanes: Array<{ kinds?: string[]; concurrency: number }>): OutboxRunner =>
      new OutboxRunner({ outbox: store.outbox, clock: env.clock, random: new SeededRandom(1), policies: { k: POLICY }, handlers: { k: scripted({}).handler }, lanes });
    expect(() => make([{ kinds: ['k'], concurrency: 1 }]).start()).toThrow(expect.objectContaining({ code: 'invalid_runner_config' }));
    expect(() => make([{ concurrency: 1 }, { concurrency: 1 }]).start()).toThrow(expect.objectContaining({ code: 'invalid_runner_config' }));
    expect(() => make([{ concurrency: 0 }]).start()).toThrow(expect.objectContaining({ code: 'invalid_runner_config' }));
  });

  it('a listener that kicks the runner on every event never gets two ops past the limit', async () => {
    for (const id of ['a', 'b', 'c']) store.sales.create({ id, kind: 'code', amount: money(100, 'EUR') });
    store.outbox.enqueue({ saleId: 'a', kind: 'k', payload: {} });
    store.outbox.enqueue({ saleId: 'a', kind: 'k', payload: {} });
    store.outbox.enqueue({ saleId: 'b', kind: 'bg', payload: {} });
    store.outbox.enqueue({ saleId: 'c', kind: 'bg', payload: {} });
    let inFlight = { k: 0, bg: 0 };
    let max = { k: 0, bg: 0 };
    const sales = new Set<string | undefined>();
    let sameSaleOverlap = false;
    const handler = (kind: 'k' | 'bg'): OpHandler => ({
      payload: ANY,
      execute: vi.fn(async (op: OutboxOp) => {
        if (sales.has(op.saleId)) sameSaleOverlap = true;
        sales.add(op.saleId);
        inFlight = { ...inFlight, [kind]: inFlight[kind] + 1 };
        max = { k: Math.max(max.k, inFlight.k), bg: Math.max(max.bg, inFlight.bg) };
        await env.clock.advance(0);
        inFlight = { ...inFlight, [kind]: inFlight[kind] - 1 };
        sales.delete(op.saleId);
        return { status: 'done' } as FinalOutcome;
      }),
      reconcile: vi.fn(),
    });
    const runner = new OutboxRunner({
      outbox: store.outbox,
      clock: env.clock,
      random: new SeededRandom(1),
      policies: { k: POLICY, bg: POLICY },
      handlers: { k: handler('k'), bg: handler('bg') },
      lanes: [{ concurrency: 1 }, { kinds: ['bg'], concurrency: 1 }],
    });
    runners.push(runner);
    runner.on(() => runner.kick());
    runner.start();
    for (let i = 0; i < 10; i += 1) await flush();
    expect(store.outbox.countByState()).toMatchObject({ done: 4 });
    expect(max).toEqual({ k: 1, bg: 1 });
    expect(sameSaleOverlap).toBe(false);
  });

  it('idle: with nothing due it sets no timer and writes nothing', async () => {
    const { handler } = scripted({});
    const { runner } = makeRunner(handler);
    const seq = store.events.lastSeq();
    runner.start();
    await env.clock.advance(60_000);
    expect(env.clock.pendingTimers()).toBe(0);
    expect(store.events.lastSeq()).toBe(seq);
  });

  it('refuses a config where an ambiguous op could not be reconciled', () => {
    const runner = new OutboxRunner({
      outbox: store.outbox,
      clock: env.clock,
      random: new SeededRandom(1),
      policies: { k: POLICY },
      handlers: { k: { payload: ANY, execute: async () => ({ status: 'done' }) } },
    });
    expect(() => runner.start()).toThrow(expect.objectContaining({ code: 'invalid_runner_config' }));
    const noPolicy = new OutboxRunner({ outbox: store.outbox, clock: env.clock, random: new SeededRandom(1), policies: {}, handlers: { k: scripted({}).handler } });
    expect(() => noPolicy.start()).toThrow(expect.objectContaining({ code: 'invalid_runner_config' }));
  });

  it('an op with no handler goes to needs_human instead of waiting forever', async () => {
    store.sales.create({ id: 's1', kind: 'code', amount: money(500, 'EUR') });
    const op = store.outbox.enqueue({ saleId: 's1', kind: 'mystery', payload: {} });
    const { runner } = makeRunner(scripted({}).handler);
    runner.start();
    await flush();
    expect(store.outbox.get(op.id)).toMatchObject({ state: 'needs_human', lastErrorCode: 'no_handler' });
  });

  it('a row whose payload does not read goes to needs_human with where and what, never to the handler; the others run', async () => {
    for (const id of ['bad', 'good']) store.sales.create({ id, kind: 'code', amount: money(500, 'EUR') });
    const bad = store.outbox.enqueue({ saleId: 'bad', kind: 'k', payload: { transactionKey: 42 } });
    const good = store.outbox.enqueue({ saleId: 'good', kind: 'k', payload: { transactionKey: 'tx1' } });
    const seen: unknown[] = [];
    const handler: OpHandler<{ transactionKey: string }> = {
      payload: z.object({ transactionKey: z.string() }),
      execute: async (op) => {
        seen.push(op.payload);
        return { status: 'done' };
      },
    };
    const { runner, events } = makeRunner(handler, { ...POLICY, onAmbiguous: 'resend' });
    runner.start();
    await flush();
    expect(seen).toEqual([{ transactionKey: 'tx1' }]);
    expect(store.outbox.get(good.id)?.state).toBe('done');
    expect(store.outbox.get(bad.id)).toMatchObject({ state: 'needs_human', lastErrorCode: 'payload_invalid', attempts: 0 });
    expect(store.outbox.get(bad.id)?.result).toEqual({ detail: expect.stringMatching(/^k payload transactionKey: .*expected string/) });
    expect(store.sales.get('bad')).toMatchObject({ state: 'needs_human', needsHumanReason: 'k:payload_invalid' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'transition', to: 'needs_human', code: 'payload_invalid', detail: expect.stringContaining('transactionKey') }));
  });
});
