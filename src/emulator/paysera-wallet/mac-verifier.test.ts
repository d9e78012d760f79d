import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../platform/fake-clock.js';
import { EmulatorClock } from '../emulator-clock.js';
import type { EmulatorRequest } from '../exchange.js';
import { EXAMPLE_CREDENTIAL, hostAndPort, MacVerifier, readMacAuthorization, requestMac } from './mac-verifier.js';

interface VectorFile {
  credentials: { mac_id: string; mac_key: string };
  defaults: { ts: number; nonce: string; host: string; port: number };
  vectors: { id: string; method: string; uri: string; ext: string; mac: string }[];
  body_hashes: { vectors: { body: string; sha256_base64: string }[] };
}

/** Paysera's published example signatures: the same file the client's signer is tested against. */
const published = JSON.parse(readFileSync(new URL('../../../test/fixtures/paysera-mac-vectors.json', import.meta.url), 'utf8')) as VectorFile;

function request(method: string, target: string, authorization: string, host: string, body = ''): EmulatorRequest {
  return { method, target, path: target.split('?')[0] ?? '', query: new URLSearchParams(), headers: { authorization, host }, body: Buffer.from(body), remoteAddress: '127.0.0.1', notes: {} };
}

/** The body a vector's ext hashes, from the published body-hash vectors. */
function bodyOf(ext: string): string {
  if (ext === '') return '';
  const hash = decodeURIComponent(ext.replace(/^body_hash=/, ''));
  const found = published.body_hashes.vectors.find((b) => b.sha256_base64 === hash);
  if (found === undefined) throw new Error(`no published body for ${ext}`);
  return found.body;
}

function header(v: VectorFile['vectors'][number], mac = v.mac): string {
  const { ts, nonce } = published.defaults;
  return `MAC id="${published.credentials.mac_id}", ts="${ts}", nonce="${nonce}", mac="${mac}"${v.ext === '' ? '' : `, ext="${v.ext}"`}`;
}

describe('MacVerifier against the published vectors', () => {
  const clock = new EmulatorClock(new FakeClock({ wallMs: published.defaults.ts * 1000 }));

  it('uses the published example credentials', () => {
    expect(EXAMPLE_CREDENTIAL).toEqual({ macId: published.credentials.mac_id, macKey: published.credentials.mac_key });
  });

  for (const v of published.vectors) {
    it(`${v.id}: accepts ${v.method} ${v.uri} as published, refuses it with one changed character`, () => {
      const verifier = new MacVerifier([EXAMPLE_CREDENTIAL], clock);
      const host = `${published.defaults.host}:${published.defaults.port}`;
      const body = bodyOf(v.ext);
      expect(verifier.verify(request(v.method, v.uri, header(v), host, body))).toMatchObject({ macId: published.credentials.mac_id });
      verifier.reset();
      const tampered = `${v.mac.startsWith('A') ? 'B' : 'A'}${v.mac.slice(1)}`;
      expect(() => verifier.verify(request(v.method, v.uri, header(v, tampered), host, body))).toThrow(expect.objectContaining({ code: 'unauthorized', status: 401 }));
      // The same signature for another request-uri or port is refused too.
      expect(() => verifier.verify(request(v.method, `${v.uri}x`, header(v), host, body))).toThrow(expect.objectContaining({ code: 'unauthorized' }));
      expect(() => verifier.verify(request(v.method, v.uri, header(v), `${published.defaults.host}:8443`, body))).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    });
  }

  it('recomputes every published mac by itself (requestMac)', () => {
    for (const v of published.vectors) {
      const { ts, nonce, host, port } = published.defaults;
      expect(requestMac(published.credentials.mac_key, { ts: String(ts), nonce, ext: v.ext }, { method: v.method.toLowerCase(), target: v.uri, host, port }), v.id).toBe(v.mac);
    }
  });

  it('refuses a body that does not match its published body_hash, and a body without one', () => {
    const v13 = published.vectors.find((v) => v.id === 'V13');
    if (v13 === undefined) throw new Error('V13 missing');
    const verifier = new MacVerifier([EXAMPLE_CREDENTIAL], clock);
    const host = 'wallet.paysera.com:443';
    expect(() => verifier.verify(request('POST', v13.uri, header(v13), host, `${bodyOf(v13.ext)} `))).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    const v3 = published.vectors.find((v) => v.id === 'V3');
    if (v3 === undefined) throw new Error('V3 missing');
    expect(() => verifier.verify(request('GET', v3.uri, header(v3), host, '{}'))).toThrow(expect.objectContaining({ code: 'unauthorized' }));
  });

  it('the published examples share one (id, ts, nonce): a second one is a replay', () => {
    const verifier = new MacVerifier([EXAMPLE_CREDENTIAL], clock);
    const [first, second] = published.vectors;
    if (first === undefined || second === undefined) throw new Error('vectors missing');
    verifier.verify(request(first.method, first.uri, header(first), 'wallet.paysera.com:443'));
    expect(() => verifier.verify(request(second.method, second.uri, header(second), 'wallet.paysera.com:443'))).toThrow(expect.objectContaining({ code: 'unauthorized' }));
  });
});

describe('independence from the client', () => {
  it('the verifier imports nothing from the client (a signing bug must not pass its own check)', () => {
    const source = readFileSync(new URL('./mac-verifier.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((path) => path?.includes('gateways/'))).toEqual([]);
  });
});

describe('MAC Authorization header', () => {
  it('reads quoted values holding spaces, commas, = and escaped characters; ext defaults to empty', () => {
    expect(readMacAuthorization('MAC id="wkVd93h2uS", ts="1343811600", nonce="a, b=c d", mac="x/y+z="')).toEqual({
      id: 'wkVd93h2uS',
      ts: '1343811600',
      nonce: 'a, b=c d',
      mac: 'x/y+z=',
      ext: '',
    });
    expect(readMacAuthorization('mac  id="i",ts="1" ,nonce="n\\"q",mac="m", ext="body_hash=a%3D"')).toEqual({ id: 'i', ts: '1', nonce: 'n"q', mac: 'm', ext: 'body_hash=a%3D' });
  });

  it('refuses malformed headers and headers without id, ts, nonce or mac', () => {
    for (const bad of ['Bearer abc', 'MAC id=unquoted', 'MAC id="a" ts="b"', 'MAC id="a", id="b", ts="1", nonce="n", mac="m"', 'MAC id="open', 'MAC id="a", ts="1", nonce="n"']) {
      expect(readMacAuthorization(bad), bad).toBeUndefined();
    }
  });

  it('splits the Host header into host and port', () => {
    expect(hostAndPort('Example.COM')).toEqual({ host: 'example.com', port: 80 });
    expect(hostAndPort('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(hostAndPort('[::1]:9000')).toEqual({ host: '[::1]', port: 9000 });
    expect(hostAndPort(undefined)).toEqual({ host: '', port: 80 });
  });
});
