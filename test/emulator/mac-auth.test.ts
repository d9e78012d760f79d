import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/start-emulator.js';
import { EXAMPLE_CREDENTIAL } from '../../src/emulator/paysera-wallet/mac-verifier.js';
import { computeMac, formatAuthorizationHeader } from '../../src/gateways/paysera-wallet/mac-signature.js';
import { FakeClock } from '../../src/platform/fake-clock.js';
import { rawRequest, sim, TestWalletClient } from '../support/emulator/wallet-test-client.js';

const body = { payments: [{ description: 'Coffee', price: 250, currency: 'EUR' }] };

describe('Paysera Wallet emulator: MAC verification', () => {
  let clock: FakeClock;
  let emu: Emulator;
  let api: TestWalletClient;
  const nowS = (): number => Math.floor(clock.wallMs() / 1000);

  beforeEach(async () => {
    clock = new FakeClock();
    emu = await startEmulator({ port: 0, clock });
    api = new TestWalletClient(emu.url, EXAMPLE_CREDENTIAL, nowS);
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('accepts a correctly signed request with a body', async () => {
    const res = await api.send('POST', '/rest/v1/transaction', { body });
    expect(res.status).toBe(200);
    expect(emu.requests.list().at(-1)).toMatchObject({ status: 200, applied: true, notes: { macId: 'wkVd93h2uS' } });
  });

  it('refuses a missing header, an unknown id and a wrong key with 401 unauthorized', async () => {
    const none = await rawRequest(emu.url, 'GET', '/rest/v1/spot/1');
    expect(none.status).toBe(401);
    expect(none.json.error).toBe('unauthorized');
    const unknownId = await api.send('GET', '/rest/v1/spots?status=waiting', { macId: 'someoneElse' });
    expect(unknownId.status).toBe(401);
    expect(unknownId.json.error).toBe('unauthorized');
    const wrongKey = await api.send('POST', '/rest/v1/transaction', { body, macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMV' });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.json).toEqual({ error: 'unauthorized', error_description: 'MAC is invalid' });
    expect(emu.wallet.snapshot().transactions).toHaveLength(0);
    // Auth comes before routing: an unsigned probe of an unknown path is 401, not 404.
    expect((await rawRequest(emu.url, 'GET', '/rest/v1/no-such')).status).toBe(401);
  });

  it('refuses a tampered body (hash in ext no longer matches) and a body without body_hash', async () => {
    const tampered = await api.send('POST', '/rest/v1/transaction', { body, sendBody: JSON.stringify({ ...body, auto_confirm: true }) });
    expect(tampered.status).toBe(401);
    expect(tampered.json.error).toBe('unauthorized');
    const noHash = await api.send('POST', '/rest/v1/transaction', { body, ext: '' });
    expect(noHash.status).toBe(401);
    expect(noHash.json.error).toBe('unauthorized');
    expect(emu.wallet.snapshot().transactions).toHaveLength(0);
  });

  it('refuses a replayed (id, ts, nonce) even with a valid MAC', async () => {
    const prepared = api.prepare('POST', '/rest/v1/transaction', { body, nonce: 'fixed-nonce' });
    const first = await rawRequest(emu.url, 'POST', '/rest/v1/transaction', prepared);
    expect(first.status).toBe(200);
    const replay = await rawRequest(emu.url, 'POST', '/rest/v1/transaction', prepared);
    expect(replay.status).toBe(401);
    expect(replay.json.error).toBe('unauthorized');
    expect(emu.wallet.snapshot().transactions).toHaveLength(1);
    // The same nonce with a fresh ts is a new request.
    await clock.advance(1000);
    expect((await api.send('POST', '/rest/v1/transaction', { body, nonce: 'fixed-nonce' })).status).toBe(200);
  });

  it('refuses a stale or future ts with 401 invalid_timestamp and the documented descriptions', async () => {
    const stale = await api.send('GET', '/rest/v1/spots?status=waiting', { ts: nowS() - 301 });
    expect(stale.status).toBe(401);
    expect(stale.json).toEqual({ error: 'invalid_timestamp', error_description: 'Timestamp lifetime exceeded' });
    const future = await api.send('GET', '/rest/v1/spots?status=waiting', { ts: nowS() + 301 });
    expect(future.json).toEqual({ error: 'invalid_timestamp', error_description: 'Timestamp is in future' });
    expect((await api.send('GET', '/rest/v1/spots?status=waiting', { ts: nowS() - 300 })).status).toBe(200);
    expect((await api.send('GET', '/rest/v1/spots?status=waiting', { ts: nowS() + 300 })).status).toBe(200);
  });

  it('accepts a PHP-style nonce with spaces, commas and "="', async () => {
    const res = await api.send('POST', '/rest/v1/transaction', { body, nonce: 'a b,c=d, e x,y=' });
    expect(res.status).toBe(200);
  });

  it('signs host and port from the Host header: default port 80, lower-cased host', async () => {
    const ts = String(nowS());
    const sign = (host: string, port: number, nonce: string): string =>
      formatAuthorizationHeader({
        id: EXAMPLE_CREDENTIAL.macId,
        ts,
        nonce,
        mac: computeMac(EXAMPLE_CREDENTIAL.macKey, { ts, nonce, method: 'GET', requestUri: '/rest/v1/spots', host, port, ext: '' }),
        ext: '',
      });
    const noPort = await rawRequest(emu.url, 'GET', '/rest/v1/spots', { headers: { Host: 'Wallet.Example', Authorization: sign('wallet.example', 80, 'n1') } });
    expect(noPort.status).toBe(200);
    const wrongPort = await rawRequest(emu.url, 'GET', '/rest/v1/spots', { headers: { Host: 'wallet.example:8080', Authorization: sign('wallet.example', 80, 'n2') } });
    expect(wrongPort.status).toBe(401);
  });

  it('checks ts against the emulator clock including skew, and GET /rest/v1/server shows the skewed time', async () => {
    await sim(emu.url, 'POST', '/_sim/faults', { clockSkewS: 600 });
    expect((await sim(emu.url, 'GET', '/rest/v1/server')).json.time).toBe(nowS() + 600);
    const res = await api.send('GET', '/rest/v1/spots?status=waiting');
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'invalid_timestamp', error_description: 'Timestamp lifetime exceeded' });
    // A client that adopts the server's time gets through (what the real client's resync does).
    const synced = new TestWalletClient(emu.url, EXAMPLE_CREDENTIAL, () => nowS() + 600);
    expect((await synced.send('GET', '/rest/v1/spots?status=waiting')).status).toBe(200);
    // created_at comes from the skewed clock too.
    const created = await synced.send('POST', '/rest/v1/transaction', { body });
    expect(created.json.created_at).toBe(nowS() + 600);

    await sim(emu.url, 'DELETE', '/_sim/faults');
    expect((await api.send('GET', '/rest/v1/spots?status=waiting')).status).toBe(200);
  });

  it('honours configured credentials instead of the example ones', async () => {
    await emu.stop();
    emu = await startEmulator({ port: 0, clock, credentials: [{ macId: 'terminal1', macKey: 'k'.repeat(32) }] });
    const own = new TestWalletClient(emu.url, { macId: 'terminal1', macKey: 'k'.repeat(32) }, nowS);
    expect((await own.send('GET', '/rest/v1/spots')).status).toBe(200);
    expect((await new TestWalletClient(emu.url, EXAMPLE_CREDENTIAL, nowS).send('GET', '/rest/v1/spots')).status).toBe(401);
  });
});
