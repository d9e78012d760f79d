import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

const KEY = 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU';

function capture(pretty: boolean, secrets: string[] = []): { lines: () => string[]; logger: ReturnType<typeof createLogger> } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  const logger = createLogger({ destination: stream, pretty, secrets });
  return { logger, lines: () => chunks.join('').split('\n').filter((l) => l !== '') };
}

describe('logger', () => {
  it('writes one JSON object per line with level, time and message', () => {
    const { logger, lines } = capture(false);
    logger.info({ saleId: 's1' }, 'sale started');
    const [line] = lines();
    const json = JSON.parse(line ?? '') as Record<string, unknown>;
    expect(json).toMatchObject({ level: 30, msg: 'sale started', saleId: 's1' });
    expect(typeof json['time']).toBe('string');
  });

  it('redacts secret fields by name, nested too', () => {
    const { logger, lines } = capture(false);
    logger.info({ macKey: KEY, paysera: { macKey: KEY, macId: 'wkVd93h2uS' }, headers: { authorization: 'MAC id="x"' } }, 'config');
    const out = lines().join('\n');
    expect(out).not.toContain(KEY);
    expect(out).not.toContain('MAC id=');
    expect(out).toContain('wkVd93h2uS');
    expect(out).toContain('[redacted]');
  });

  it('scrubs known secret values from messages and error stacks', () => {
    const { logger, lines } = capture(false, [KEY]);
    logger.error({ err: new Error(`bad key ${KEY}`) }, `oops ${KEY}`);
    const out = lines().join('\n');
    expect(out).not.toContain(KEY);
    expect(out).toContain('oops [redacted]');
  });

  it('writes readable lines when pretty, still scrubbed', () => {
    const { logger, lines } = capture(true, [KEY]);
    logger.warn(`printer offline ${KEY}`);
    const out = lines().join('\n');
    expect(out).toMatch(/WARN.*printer offline \[redacted\]/);
    expect(() => JSON.parse(lines()[0] ?? '')).toThrow();
  });
});
