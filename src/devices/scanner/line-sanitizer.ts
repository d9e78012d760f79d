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
 *   a CR (so the parser lets go of what it holds at once, even if no line end ever comes) and
 *   drops everything up to the next line end, counting it. At that line end `onOverlong` gets
 *   the whole line's length. The parser never buffers more than `maxLineBytes + 1`.
 */
export class LineGuard extends Transform {
  private lineBytes = 0;
  private discarding = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onOverlong: (lengthBytes: number) => void = () => {},
  ) {
    super();
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    const input = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    const out: number[] = [];
    for (const byte of input) {
      if (byte === CR || byte === LF) {
        const length = this.lineBytes;
        this.lineBytes = 0;
        if (this.discarding) {
          this.discarding = false;
          this.onOverlong(length);
          continue; // the CR that cut the overlong line was already sent
        }
        out.push(CR);
        continue;
      }
      this.lineBytes += 1;
      if (this.discarding) continue;
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

/** Why a line was not delivered as a scan. */
export type RejectKind = 'too_long' | 'invalid_utf8' | 'control_chars' | 'ansi_escape';

export type LineVerdict = { ok: true; text: string } | { ok: false; kind: RejectKind | 'empty' };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
/** C0 controls, DEL and C1 controls. Tab is a control too: scanners are set to send none. */
export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

const ESC = 0x1b;

/** Checks one line (without its line end) and returns its text or why it is rejected. */
export function sanitizeLine(bytes: Buffer, maxLineBytes: number): LineVerdict {
  if (bytes.length > maxLineBytes) return { ok: false, kind: 'too_long' };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, kind: 'invalid_utf8' };
  }
  if (hasControlChars(text)) return { ok: false, kind: bytes.includes(ESC) ? 'ansi_escape' : 'control_chars' };
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, kind: 'empty' };
  return { ok: true, text: trimmed };
}

/**
 * A line reader for one connection: write raw device bytes into `input`; `onLine` receives every
 * line's bytes (at most `maxLineBytes`), `onOverlong` the length of every line that was longer
 * (counted to its line end; nothing of it is kept). Uses @serialport/parser-readline with CR as
 * the delimiter behind the LineGuard; latin1 maps each byte to one character, so the bytes are
 * recovered exactly and UTF-8 is checked afterwards by `sanitizeLine`.
 */
export function createLineReader(
  maxLineBytes: number,
  onLine: (bytes: Buffer) => void,
  onOverlong: (lengthBytes: number) => void = () => {},
): { input: LineGuard; destroy(): void } {
  const guard = new LineGuard(maxLineBytes, onOverlong);
  const parser = new ReadlineParser({ delimiter: '\r', encoding: 'latin1' });
  guard.pipe(parser);
  parser.on('data', (line: string) => {
    // The guard's cut of an overlong line: reported by the guard, with its length, at its end.
    if (line.length > maxLineBytes) return;
    onLine(Buffer.from(line, 'latin1'));
  });
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
