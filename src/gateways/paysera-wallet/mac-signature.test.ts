import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bodyHash,
  computeMac,
  extForBody,
  formatAuthorizationHeader,
  normalizedRequestString,
  parseAuthorizationHeader,
} from './mac-signature.js';

interface VectorFile {
  credentials: { mac_id: string; mac_key: string };
  defaults: { ts: number; nonce: string; host: string; port: number };
  vectors: { id: string; method: string; uri: string; ext: string; mac: string }[];
  body_hashes: { vectors: { body: string; sha256_base64: string }[] };
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/paysera-mac-vectors.json', import.meta.url), 'utf8'),
) as VectorFile;

describe('Paysera MAC signature: published vectors', () => {
  it('has all 15 published vectors', () => {
    expect(vectors.vectors).toHaveLength(15);
  });

  for (const v of vectors.vectors) {
    it(`${v.id}: ${v.method} ${v.uri}`, () => {
      const mac = computeMac(vectors.credentials.mac_key, {
        ts: String(vectors.defaults.ts),
        nonce: vectors.defaults.nonce,
        method: v.method,
        requestUri: v.uri,
        host: vectors.defaults.host,
        port: vectors.defaults.port,
        ext: v.ext,
      });
      expect(mac).toBe(v.mac);
    });
  }

  for (const [i, b] of vectors.body_hashes.vectors.entries()) {
    it(`body hash ${i + 1} over the exact bytes`, () => {
      expect(bodyHash(Buffer.from(b.body, 'utf8'))).toBe(b.sha256_base64);
    });
  }

  it('V13 normalized string is byte for byte the documented one', () => {
    expect(
      normalizedRequestString({
        ts: '1343811600',
        nonce: 'nQnNaSNyubfPErjRO55yaaEYo9YZfKHN',
        method: 'post',
        requestUri: '/rest/v1/transaction',
        host: 'WALLET.paysera.com',
        port: 443,
        ext: 'body_hash=IVDvIGlLKavxtPIloqFNlAspEt1YlRL2VEGmcNjLPKg%3D',
      }),
    ).toBe(
      '1343811600\nnQnNaSNyubfPErjRO55yaaEYo9YZfKHN\nPOST\n/rest/v1/transaction\nwallet.paysera.com\n443\nbody_hash=IVDvIGlLKavxtPIloqFNlAspEt1YlRL2VEGmcNjLPKg%3D\n',
    );
  });

  it('ext urlencodes the base64 body hash (V14 body)', () => {
    const body = Buffer.from('{\n    "reservation_code": "0155567464130298871198969060"\n}', 'utf8');
    expect(extForBody(body)).toBe('body_hash=m4DLVKNBTU%2F6qra5%2F85%2Fi1z0CZ%2BJjZjn07Zof9ulEss%3D');
    expect(extForBody(Buffer.alloc(0))).toBe('');
    expect(extForBody(undefined)).toBe('');
  });

  it('a decoded ext gives a different mac than the raw one', () => {
    const base = { ts: '1343811600', nonce: 'n', method: 'PUT', requestUri: '/x', host: 'h', port: 443 };
    expect(computeMac('k', { ...base, ext: 'body_hash=a%3D' })).not.toBe(computeMac('k', { ...base, ext: 'body_hash=a=' }));
  });
});

describe('Authorization header', () => {
  it('formats id, ts, nonce, mac then ext, omitting an empty ext', () => {
    expect(formatAuthorizationHeader({ id: 'wkVd93h2uS', ts: '1', nonce: 'n', mac: 'm', ext: '' })).toBe(
      'MAC id="wkVd93h2uS", ts="1", nonce="n", mac="m"',
    );
    expect(formatAuthorizationHeader({ id: 'a', ts: '1', nonce: 'n', mac: 'm', ext: 'body_hash=x%3D' })).toBe(
      'MAC id="a", ts="1", nonce="n", mac="m", ext="body_hash=x%3D"',
    );
  });

  it('parses values holding spaces, commas and = (PHP nonces)', () => {
    const parsed = parseAuthorizationHeader('MAC id="wkVd93h2uS", ts="1343811600", nonce="a, b=c d", mac="x/y+z=", ext=""');
    expect(parsed).toEqual({ id: 'wkVd93h2uS', ts: '1343811600', nonce: 'a, b=c d', mac: 'x/y+z=', ext: '' });
  });

  it('round-trips what it formats', () => {
    const fields = { id: 'id1', ts: '99', nonce: 'q w,e=r', mac: 'abc=', ext: 'body_hash=z%3D' };
    expect(parseAuthorizationHeader(formatAuthorizationHeader(fields))).toEqual(fields);
  });

  it('rejects malformed headers', () => {
    expect(parseAuthorizationHeader('Bearer abc')).toBeUndefined();
    expect(parseAuthorizationHeader('MAC id=unquoted')).toBeUndefined();
    expect(parseAuthorizationHeader('MAC id="a" ts="b"')).toBeUndefined();
    expect(parseAuthorizationHeader('MAC id="a", id="b"')).toBeUndefined();
    expect(parseAuthorizationHeader('MAC id="open')).toBeUndefined();
  });
});
