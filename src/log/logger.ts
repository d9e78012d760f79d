import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import pino, { type Logger, type LevelWithSilent } from 'pino';
import type pinoPretty from 'pino-pretty';
import { readableOptions } from './readable-line.js';
import { redactPaths, SecretScrubber } from './redaction.js';

/**
 * pino-pretty only for a person at a terminal: the service under systemd logs JSON and never
 * loads it (a few MB of resident memory on a Pi). Required lazily, synchronously.
 */
const loadPretty = (): typeof pinoPretty => createRequire(import.meta.url)('pino-pretty') as typeof pinoPretty;

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Human-readable lines instead of JSON. Default: when `destination` is a TTY. */
  pretty?: boolean;
  /** Where lines go. Default: stdout (journald captures it under systemd). */
  destination?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Secret values (keys, tokens) to scrub from every line, wherever they appear. */
  secrets?: Iterable<string>;
}

/**
 * The process logger: one JSON object per line (journald-friendly), or readable lines on a TTY.
 * Secret fields are redacted by name; known secret values are scrubbed from the finished line,
 * which also covers messages and error stacks.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stdout;
  const scrubber = new SecretScrubber(options.secrets ?? []);
  const sink = scrubber.active ? scrubbingStream(destination, scrubber) : destination;
  const usePretty = options.pretty ?? destination.isTTY === true;
  const stream = usePretty
    ? loadPretty()({ ...readableOptions(destination.isTTY === true), destination: sink, sync: true })
    : sink;
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      redact: { paths: redactPaths(), censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

function scrubbingStream(destination: NodeJS.WritableStream, scrubber: SecretScrubber): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      destination.write(scrubber.scrub(chunk.toString()));
      callback();
    },
  });
}
