import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { readableMessage } from './readable-line.js';

function prettyLines(): { logger: ReturnType<typeof createLogger>; lines: () => string[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return { logger: createLogger({ destination: stream, pretty: true }), lines: () => text.split('\n').filter((l) => l !== '') };
}

describe('readable log lines (a terminal, counterpay logs)', () => {
  it('a device that cannot open is one line: message, fields, the error by message and code, no stack', () => {
    const { logger, lines } = prettyLines();
    const cause = new Error('Error: No such file or directory, cannot open /dev/counterpay-scanner');
    const err = Object.assign(new Error('cannot open scanner /dev/counterpay-scanner: Error: No such file or directory', { cause }), { code: 'scanner_open_failed' });
    logger.warn({ device: 'scanner', retryable: true, err }, 'scanner: scanner_open_failed');
    expect(lines()).toHaveLength(1);
    const [line] = lines();
    // pino's error serializer appends the cause's message; the stack of neither is shown.
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: scanner: scanner_open_failed device=scanner retryable=true err="cannot open scanner \/dev\/counterpay-scanner: .* \[scanner_open_failed\]"$/);
    expect(line).not.toContain(' at ');
  });

  it('fields: plain words bare, text with spaces quoted, objects as JSON; pid and hostname dropped', () => {
    expect(readableMessage({ level: 30, time: 1, pid: 4, hostname: 'pi', msg: 'sale paid', saleId: 's_1', note: 'two words', amount: { minor: 1299 } })).toBe(
      'sale paid saleId=s_1 note="two words" amount={"minor":1299}',
    );
  });
});
