import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/start-emulator.js';
import { EXAMPLE_CREDENTIAL } from '../../src/emulator/paysera-wallet/mac-verifier.js';
import { FakeClock } from '../../src/platform/fake-clock.js';
import { waitFor } from '../support/wait-for.js';
import { sim, TestWalletClient } from '../support/emulator/wallet-test-client.js';

const body = { payments: [{ description: 'Coffee', price: 250, currency: 'EUR' }] };

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

describe('Paysera Wallet emulator: fault injection', () => {
  let emu: Emulator;
  let api: TestWalletClient;

  beforeEach(async () => {
    emu = await startEmulator({ port: 0, seed: 42 });
    api = new TestWalletClient(emu.url, EXAMPLE_CREDENTIAL);
  });
  afterEach(async () => {
    await emu.stop();
  });

  async function reservedTransaction(): Promise<string> {
    const key: string = (await api.send('POST', '/rest/v1/transaction', { body })).json.transaction_key;
    emu.wallet.customerReserve(key);
    return key;
  }

  it('apply-then-drop: the confirm takes effect, the client sees a socket error, the log says dropped+applied', async () => {
    const key = await reservedTransaction();
    const added = await sim(emu.url, 'POST', '/_sim/faults', { kind: 'applyThenDrop', method: 'PUT', path: '/rest/v1/transaction/*/confirm', count: 1 });
    expect(added.status).toBe(200);
    // A GET on the same transaction is not targeted.
    expect((await api.send('GET', `/rest/v1/transaction/${key}`)).status).toBe(200);

    const failure = await api.send('PUT', `/rest/v1/transaction/${key}/confirm`).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']).toContain(errorCode(failure));
    expect(emu.wallet.getTransaction(key).status).toBe('confirmed');

    const log = (await sim(emu.url, 'GET', '/_sim/requests?service=paysera-wallet')).json.requests;
    const dropped = log.find((e: { outcome: string }) => e.outcome === 'dropped');
    expect(dropped).toMatchObject({ method: 'PUT', path: `/rest/v1/transaction/${key}/confirm`, status: 200, applied: true, faults: ['applyThenDrop#f1'] });
    // The rule is spent; a blind resend now meets the state machine.
    const resend = await api.send('PUT', `/rest/v1/transaction/${key}/confirm`);
    expect(resend.status).toBe(409);
    expect((await sim(emu.url, 'GET', '/_sim/faults')).json.rules[0]).toMatchObject({ id: 'f1', remaining: 0, hits: 1 });
  });

  it('truncate: the create takes effect, the answer stops mid-body, the log says truncated+applied', async () => {
    emu.faults.add({ kind: 'truncate', method: 'POST', path: '/rest/v1/transaction', count: 1 });
    const failure = await api.send('POST', '/rest/v1/transaction', { body }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(emu.wallet.snapshot().transactions).toHaveLength(1);
    expect(emu.requests.list().at(-1)).toMatchObject({ method: 'POST', status: 200, applied: true, outcome: 'truncated', faults: ['truncate#f1'] });
    // Spent: the next create is answered in full.
    expect((await api.send('POST', '/rest/v1/transaction', { body })).status).toBe(200);
  });

  it('a 500 before apply does not apply', async () => {
    emu.faults.add({ kind: 'serverError', method: 'POST', path: '/rest/v1/transaction', count: 1 });
    const res = await api.send('POST', '/rest/v1/transaction', { body });
    expect(res.status).toBe(500);
    expect(res.json.error).toBe('internal_server_error');
    expect(emu.wallet.snapshot().transactions).toHaveLength(0);
    expect(emu.requests.list().at(-1)).toMatchObject({ status: 500, applied: false, error: 'internal_server_error' });
    expect((await api.send('POST', '/rest/v1/transaction', { body })).status).toBe(200);
  });

  it('429 bursts carry Retry-After and stop after N requests', async () => {
    await sim(emu.url, 'POST', '/_sim/faults', { kind: 'rateLimit', count: 2, retryAfterS: 7 });
    for (let i = 0; i < 2; i++) {
      const res = await api.send('GET', '/rest/v1/spots?status=waiting');
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.json.error).toBe('rate_limit_exceeded');
    }
    expect((await api.send('GET', '/rest/v1/spots?status=waiting')).status).toBe(200);
  });

  it('a reset destroys the connection before handling: not applied', async () => {
    emu.faults.add({ kind: 'reset', method: 'POST', count: 1 });
    await expect(api.send('POST', '/rest/v1/transaction', { body })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(emu.wallet.snapshot().transactions).toHaveLength(0);
    expect(emu.requests.list().at(-1)).toMatchObject({ outcome: 'reset', applied: false });
  });

  it('adds latency before handling: the targeted request waits it out, the next is untouched', async () => {
    emu.faults.add({ kind: 'latency', latencyMs: 150, path: '/rest/v1/spots', count: 1 });
    const started = performance.now();
    expect((await api.send('GET', '/rest/v1/spots')).status).toBe(200);
    // A lower bound holds however busy the machine is.
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await api.send('GET', '/rest/v1/spots');
    const [slow, plain] = emu.requests.list({ service: 'paysera-wallet' }).slice(-2);
    expect(slow?.faults).toEqual(['latency#f1']);
    expect(plain?.faults).toEqual([]);
  });

  it('refuses connections: reset at accept for a count; ECONNREFUSED for a duration, until the rule is removed', async () => {
    emu.faults.add({ kind: 'refuse', count: 1 });
    await expect(api.send('GET', '/rest/v1/spots')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await api.send('GET', '/rest/v1/spots')).status).toBe(200);
    expect(emu.requests.list().some((e) => e.outcome === 'refused')).toBe(true);

    const outage = (await sim(emu.url, 'POST', '/_sim/faults', { kind: 'refuse', durationMs: 600_000 })).json.added[0];
    await expect(api.send('GET', '/rest/v1/spots')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // Ending the outage early: the listener comes back on the same port.
    emu.faults.remove(outage.id);
    const back = await waitFor(async () => api.send('GET', '/rest/v1/spots').then((r) => r.status, () => undefined), 'the listener back');
    expect(back).toBe(200);
  });

  it('rates are drawn from the seed: the same seed gives the same faults, and some requests pass', async () => {
    const pattern = async (emulator: Emulator): Promise<number[]> => {
      emulator.faults.add({ kind: 'serverError', rate: 0.5, path: '/rest/v1/server' });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await sim(emulator.url, 'GET', '/rest/v1/server')).status);
      return statuses;
    };
    const first = await pattern(emu);
    const twin = await startEmulator({ port: 0, seed: 42 });
    try {
      expect(await pattern(twin)).toEqual(first);
    } finally {
      await twin.stop();
    }
    expect(first).toContain(200);
    expect(first).toContain(500);
  });

  it('never faults /_sim/, and faults given at start apply from the first request', async () => {
    await emu.stop();
    emu = await startEmulator({ port: 0, faults: [{ kind: 'serverError' }] });
    api = new TestWalletClient(emu.url, EXAMPLE_CREDENTIAL);
    expect((await api.send('GET', '/rest/v1/spots')).status).toBe(500);
    expect((await sim(emu.url, 'GET', '/_sim/faults')).status).toBe(200);
    expect((await sim(emu.url, 'DELETE', '/_sim/faults')).json).toEqual({ clockSkewS: 0, rules: [] });
    expect((await api.send('GET', '/rest/v1/spots')).status).toBe(200);
  });

  it('validates fault rules and removes one by id', async () => {
    expect((await sim(emu.url, 'POST', '/_sim/faults', { kind: 'explode' })).status).toBe(400);
    expect((await sim(emu.url, 'POST', '/_sim/faults', { kind: 'latency' })).status).toBe(400);
    expect((await sim(emu.url, 'POST', '/_sim/faults', { kind: 'reset', rate: 2 })).status).toBe(400);
    const added = await sim(emu.url, 'POST', '/_sim/faults', { rules: [{ kind: 'reset', path: '/rest/v1/order/**' }, { kind: 'rateLimit', count: 1 }] });
    expect(added.json.added.map((r: { id: string }) => r.id)).toEqual(['f1', 'f2']);
    expect((await sim(emu.url, 'DELETE', '/_sim/faults/f1')).json.rules.map((r: { id: string }) => r.id)).toEqual(['f2']);
    expect((await sim(emu.url, 'DELETE', '/_sim/faults/f1')).status).toBe(404);
  });
});

describe('Paysera Wallet emulator: timed faults on its clock', () => {
  // Fault timers run on the emulator's clock: with a FakeClock, "while the response is held back"
  // and "after the outage" are moments the test chooses, not races against the machine's speed.
  let emu: Emulator;
  let api: TestWalletClient;
  let clock: FakeClock;

  beforeEach(async () => {
    clock = new FakeClock({ wallMs: Date.now() });
    emu = await startEmulator({ port: 0, seed: 42, clock });
    api = new TestWalletClient(emu.url, EXAMPLE_CREDENTIAL);
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('latency after handling: the write is applied while its answer is still held back', async () => {
    emu.faults.add({ kind: 'latency', latencyMs: 200, when: 'after', method: 'POST', count: 1 });
    let answered = false;
    const pending = api.send('POST', '/rest/v1/transaction', { body }).finally(() => (answered = true));
    await waitFor(() => emu.wallet.snapshot().transactions.length === 1, 'the transaction applied');
    expect(answered).toBe(false);
    await clock.advance(200);
    expect((await pending).status).toBe(200);
  });

  it('a timed refuse ends by itself when its duration has passed on the clock', async () => {
    emu.faults.add({ kind: 'refuse', durationMs: 300 });
    await expect(api.send('GET', '/rest/v1/spots')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await clock.advance(299);
    await expect(api.send('GET', '/rest/v1/spots')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await clock.advance(1);
    const back = await waitFor(async () => api.send('GET', '/rest/v1/spots').then((r) => r.status, () => undefined), 'the listener back');
    expect(back).toBe(200);
  });
});
