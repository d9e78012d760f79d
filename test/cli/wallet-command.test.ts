import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCli } from '../support/cli-run.js';
import { PROCESS_TEST_MS } from '../support/wait-for.js';

const KEY = 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU';
let emu: Emulator;

beforeEach(async () => {
  emu = await startEmulator({ port: 0 });
});
afterEach(async () => {
  await emu.stop();
});

function config(overrides: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'counterpay-wallet-'));
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify({ paysera: { baseUrl: emu.url, macId: 'wkVd93h2uS', macKey: KEY, locationId: 3, ...overrides } }));
  return path;
}

describe('counterpay wallet', { timeout: PROCESS_TEST_MS }, () => {
  it('sends one signed request and prints the status and the JSON answer', async () => {
    const spot = emu.wallet.checkInByCode('PAYSERA*3:TABLE1');
    const { code, out } = await runCli(['wallet', 'PUT', `/rest/v1/spot/${spot.id}/close`, '--config', config()]);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe('HTTP 200');
    expect(JSON.parse(out.slice(out.indexOf('\n') + 1))).toMatchObject({ id: spot.id, status: 'closed' });
    expect(emu.wallet.getSpot(spot.id).status).toBe('closed');
  });

  it('takes a path relative to /rest/v1, a --data body, and the config from COUNTERPAY_CONFIG', async () => {
    const body = JSON.stringify({ payments: [{ description: 'Test', price: 1, currency: 'EUR' }] });
    const { code, out } = await runCli(['wallet', 'post', 'transaction', '--data', body], { COUNTERPAY_CONFIG: config() });
    expect(code).toBe(0);
    expect(JSON.parse(out.slice(out.indexOf('\n') + 1))).toMatchObject({ status: 'new' });
    expect(emu.requests.list({ service: 'paysera-wallet' }).map((r) => [r.method, r.path, r.status])).toEqual([['POST', '/rest/v1/transaction', 200]]);
  });

  it('prints an API error with its status and exits 1', async () => {
    const { code, out } = await runCli(['wallet', 'GET', '/rest/v1/order/404404', '--config', config()]);
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toBe('HTTP 404');
    expect(out).toContain('"error": "not_found"');
  });

  it('a bad config exits 78 with one line naming the file and the field, and never prints the key', async () => {
    const path = config({ baseUrl: 'http://wallet.paysera.com' });
    const { code, err, out } = await runCli(['wallet', 'GET', '/rest/v1/server', '--config', path]);
    expect(code).toBe(78);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(`${path}: paysera.baseUrl: plain http is refused`);
    expect(err + out).not.toContain(KEY);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('refuses a bad method or missing path with a usage line', async () => {
    expect((await runCli(['wallet', 'PATCH', '/x'])).code).toBe(64);
    expect((await runCli(['wallet', 'GET'])).code).toBe(64);
    expect((await runCli(['wallet', 'GET', '/x', '--data', '{bad'])).err).toMatch(/--data is not JSON/);
  });

  it('has help', async () => {
    const { code, out } = await runCli(['wallet', '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/Usage: counterpay wallet METHOD PATH/);
    const overview = await runCli(['--help']);
    expect(overview.out).toMatch(/wallet\s+Send one signed request/);
    expect(overview.out).toMatch(/emulator\s+/);
  });
});
