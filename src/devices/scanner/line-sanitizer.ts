import { Transform, type TransformCallback } from 'node:stream';
import { ReadlineParser } from '@serialport/parser-readline';

const CR = 0x0d;
const LF = 0x0a;

/** Default cap on one scanned line, in bytes. QR payment codes are far shorter. */
export const DEFAULT_MAX_LINE_BYTES = 512;

/**
 * Sits in front of the ReadlineParser and keeps it bounded:
 * - LF becomes CR, so CR, LF and CRLF all end a line (CRLF yields one extra empty line, which the
 *   reader ignores);
 * - once a line has more than `maxLineBytes` bytes it forwards one byte more than the limit plus
 *   a CR (so the reader sees an overlong line at once, even if no line end ever comes) and drops
 *   everything up to the next line end. The parser never buffers more than `maxLineBytes + 1`.
 */
export class LineGuard extends Transform {
  private lineBytes = 0;
  private discarding = false;

  constructor(private readonly maxLineBytes: number) {
    super();
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    const input = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    const out: number[] = [];
    for (const byte of input) {
      if (byte === CR || byte === LF) {
        this.lineBytes = 0;
        if (this.discarding) {
          this.discarding = false;
          continue; // the CR that cut the overlong line was already sent
        }
        out.push(CR);
        continue;
      }
      if (this.discarding) continue;
      this.lineBytes += 1;
      out.push(byte);
      if (this.lineBytes > this.maxLineBytes) {
        out.push(CR);
        this.discarding = true;
      }
    }
    if (out.length > 0) this.push(Buffer.from(out));
    callback();
  }
}

export type LineVerdict =
  | { ok: true; text: string }
  | { ok: false; code: 'scanner_line_too_long' | 'scanner_invalid_utf8' | 'scanner_control_chars'; message: string }
  | { ok: false; code: 'empty'; message: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
/** C0 controls, DEL and C1 controls. Tab is a control too: scanners are set to send none. */
export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/** Checks one line (without its line end) and returns its text or why it is rejected. */
export function sanitizeLine(bytes: Buffer, maxLineBytes: number): LineVerdict {
  if (bytes.length > maxLineBytes) {
    return { ok: false, code: 'scanner_line_too_long', message: `scanned line longer than ${maxLineBytes} bytes, discarded` };
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, code: 'scanner_invalid_utf8', message: `scanned line of ${bytes.length} bytes is not valid UTF-8, discarded` };
  }
  if (hasControlChars(text)) {
    return { ok: false, code: 'scanner_control_chars', message: 'scanned line contains control characters, discarded' };
  }
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, code: 'empty', message: 'empty line' };
  return { ok: true, text: trimmed };
}

/**
 * A line reader for one connection: write raw device bytes into `input`; `onLine` receives every
 * line's bytes (at most `maxLineBytes + 1`). Uses @serialport/parser-readline with CR as the
 * delimiter behind the LineGuard; latin1 maps each byte to one character, so the bytes are
 * recovered exactly and UTF-8 is checked afterwards by `sanitizeLine`.
 */
export function createLineReader(maxLineBytes: number, onLine: (bytes: Buffer) => void): { input: LineGuard; destroy(): void } {
  const guard = new LineGuard(maxLineBytes);
  const parser = new ReadlineParser({ delimiter: '\r', encoding: 'latin1' });
  guard.pipe(parser);
  parser.on('data', (line: string) => onLine(Buffer.from(line, 'latin1')));
  // Transform streams only error on misuse; never let such an error become an uncaught exception.
  guard.on('error', () => {});
  parser.on('error', () => {});
  return {
    input: guard,
    destroy() {
      guard.unpipe(parser);
      guard.destroy();
      parser.destroy();
    },
  };
}
