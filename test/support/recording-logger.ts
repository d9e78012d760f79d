import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/log/logger.js';

/** A logger whose warnings and errors land in `into` as parsed JSON lines, for tests that count them. */
export function recordingLogger(into: unknown[]): Logger {
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') into.push(JSON.parse(line) as unknown);
      callback();
    },
  });
  return createLogger({ level: 'warn', destination, pretty: false });
}
