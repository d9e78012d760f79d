import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../platform/fake-clock.js';
import { EmulatorClock } from '../emulator-clock.js';
import type { EmulatorRequest } from '../exchange.js';
import { EXAMPLE_CREDENTIAL, hostAndPort, MacVerifier } from './mac-verifier.js';

function request(method: string, target: string, authorization: string, host: string, body = ''): EmulatorRequest {
  return { method, target, path: target.split('?')[0] ?? '', query: new URLSearchParams(), headers: { authorization, host }, body: Buffer.from(body), remoteAddress: '127.0.0.1', notes: {} };
}

describe('MacVerifier', () => {
  it('accepts the documented examples (V2 and V13) when its clock is at the documented ts', () => {
    const clock = new EmulatorClock(new FakeClock({ wallMs: 1343811600_000 }));
    const verifier = new MacVerifier([EXAMPLE_CREDENTIAL], clock);
    const v2 = request(
      'GET',
      '/rest/v1/spot?code=PAYSERA*3%3ATABLE1',
      'MAC id="wkVd93h2uS", ts="1343811600", nonce="nQnNaSNyubfPErjRO55yaaEYo9YZfKHN", mac="Fq2JdkPxXggdNUjjhMuMXD6TNxwyTC8bkG3bJGIx3L4="',
      'wallet.paysera.com:443',
    );
    expect(verifier.verify(v2).macId).toBe('wkVd93h2uS');
    // The documented examples share one (id, ts, nonce): any second one is a replay.
    verifier.reset();
    const v13Body =
      '{\n    "payments": [\n        {\n            "description": "Payment for order No. 1234",\n            "price": 1299,\n            "currency": "EUR",\n            "parameters": {\n                "orderid": 1234\n            }\n        }\n    ],\n    "redirect_uri": "http:\\/\\/www.example.com\\/somePage"\n}';
    const v13 = request(
      'POST',
      '/rest/v1/transaction',
      'MAC id="wkVd93h2uS", ts="1343811600", nonce="nQnNaSNyubfPErjRO55yaaEYo9YZfKHN", mac="VEXxazEcDiEls7djj12ngBiMBv3JzwJOn8+Eqd9NUx8=", ext="body_hash=IVDvIGlLKavxtPIloqFNlAspEt1YlRL2VEGmcNjLPKg%3D"',
      'WALLET.paysera.com:443',
      v13Body,
    );
    expect(verifier.verify(v13).ext.get('body_hash')).toBe('IVDvIGlLKavxtPIloqFNlAspEt1YlRL2VEGmcNjLPKg=');
    expect(() => verifier.verify(v2)).toThrow(expect.objectContaining({ code: 'unauthorized', status: 401 }));
  });

  it('splits the Host header into host and port', () => {
    expect(hostAndPort('Example.COM')).toEqual({ host: 'example.com', port: 80 });
    expect(hostAndPort('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(hostAndPort('[::1]:9000')).toEqual({ host: '[::1]', port: 9000 });
    expect(hostAndPort(undefined)).toEqual({ host: '', port: 80 });
  });
});
