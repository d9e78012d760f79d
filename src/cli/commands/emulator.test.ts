import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

function harness(): { io: Partial<CliIo>; stdout: () => string; stderr: () => string; stop: () => void; firstLine: Promise<string> } {
  const out = new PassThrough();
  const err = new PassThrough();
  let outText = '';
  let errText = '';
  let stop: (signal: string) => void = () => undefined;
  const stopRequested = new Promise<string>((resolve) => {
    stop = resolve;
  });
  const firstLine = new Promise<string>((resolve) => {
    out.on('data', (chunk: Buffer) => {
      outText += chunk.toString();
      if (outText.includes('\n')) resolve(outText.split('\n')[0] ?? '');
    });
  });
  err.on('data', (chunk: Buffer) => {
    errText += chunk.toString();
  });
  return { io: { stdout: out, stderr: err, stopRequested, env: {} }, stdout: () => outText, stderr: () => errText, stop: () => stop('SIGTERM'), firstLine };
}

describe('counterpay emulator', () => {
  it('starts on a free port, prints the URL and credentials, answers, and stops on request', async () => {
    const h = harness();
    const exit = main(['emulator', '--port', '0', '--clock-skew-s', '600'], h.io);
    const line = await h.firstLine;
    const match =
      /^counterpay emulator listening on (http:\/\/127\.0\.0\.1:(\d+)) mac_id=wkVd93h2uS mac_key=IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU centrapay=\1 api_key=emulator-centrapay-key merchant_account=emulator-merchant-account pos=\1\/eapi\/v1 pos_token=emulator-pos-token cash_register=123$/.exec(
        line,
      );
    expect(match, line).not.toBeNull();
    const url = match?.[1] ?? '';
    expect(Number(match?.[2])).toBeGreaterThan(0);
    const res = await fetch(`${url}/rest/v1/server`);
    expect(res.status).toBe(200);
    const { time } = (await res.json()) as { time: number };
    expect(time - Date.now() / 1000).toBeGreaterThan(590);
    h.stop();
    expect(await exit).toBe(0);
    await expect(fetch(`${url}/rest/v1/server`)).rejects.toThrow();
  });

  it('applies fault flags', async () => {
    const h = harness();
    const exit = main(['emulator', '--rate-limit-burst', '1', '--retry-after-s', '9', '--fault', '{"kind":"serverError","path":"/rest/v1/server","count":1}'], h.io);
    const url = /(http:\/\/\S+)/.exec(await h.firstLine)?.[1] ?? '';
    const first = await fetch(`${url}/rest/v1/server`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('9');
    expect((await fetch(`${url}/rest/v1/server`)).status).toBe(500);
    expect((await fetch(`${url}/rest/v1/server`)).status).toBe(200);
    h.stop();
    expect(await exit).toBe(0);
  });

  it('serves Centrapay and POS on the same port with the configured credentials', async () => {
    const h = harness();
    const exit = main(
      [
        'emulator',
        '--centrapay-api-key',
        'ck',
        '--centrapay-merchant-account',
        'acct',
        '--centrapay-currency',
        'EUR',
        '--pos-token',
        'pt',
        '--pos-register',
        '7',
        '--variation',
        'pos-list-items',
        '--variation',
        'spot-status-open',
      ],
      h.io,
    );
    const line = await h.firstLine;
    expect(line).toMatch(
      / centrapay=http:\/\/127\.0\.0\.1:\d+ api_key=ck merchant_account=acct pos=http:\/\/127\.0\.0\.1:\d+\/eapi\/v1 pos_token=pt cash_register=7 variations=spot-status-open,pos-list-items$/,
    );
    const url = /(http:\/\/\S+)/.exec(line)?.[1] ?? '';
    const created = await fetch(`${url}/api/payment-requests`, {
      method: 'POST',
      headers: { 'x-api-key': 'ck', 'content-type': 'application/json' },
      body: JSON.stringify({ configId: 'mc_1', value: { amount: '100', currency: 'EUR' }, externalRef: 's1' }),
    });
    expect(created.status).toBe(200);
    expect((await fetch(`${url}/api/payment-requests/external-ref/s1?merchantAccountId=acct`, { headers: { 'x-api-key': 'ck' } })).status).toBe(200);
    const register = await fetch(`${url}/eapi/v1/cash-registers/7/status`, { headers: { authorization: 'Bearer pt' } });
    expect(await register.json()).toMatchObject({ number: '7', status: 'online' });
    const list = await fetch(`${url}/eapi/v1/orders`, { headers: { authorization: 'Bearer pt' } });
    expect(await list.json()).toMatchObject({ items: [], itemsTotal: 0 });
    expect((await fetch(`${url}/eapi/v1/orders`, { headers: { authorization: 'Bearer emulator-pos-token' } })).status).toBe(401);
    h.stop();
    expect(await exit).toBe(0);
  });

  it('rejects bad flags with a usage exit code and one line', async () => {
    for (const args of [['--variation', 'pos-list-rows'], ['--centrapay-currency', 'eur'], ['--centrapay-expiry-s', '0'], ['--pos-token', ''], ['--error-rate', '2'], ['--fault', '{"kind":"nope"}'], ['--bogus'], ['--mac-id', 'x'], ['--host', '0.0.0.0']]) {
      const h = harness();
      const code = await main(['emulator', ...args], h.io);
      expect(code, args.join(' ')).not.toBe(0);
      expect(h.stderr().trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(h.stdout()).toBe('');
    }
  });
});
