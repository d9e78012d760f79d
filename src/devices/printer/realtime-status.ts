import type { PrinterCondition } from './printer-port.js';

/*
 * ESC/POS real-time status (DLE EOT n, 0x10 0x04 n; Epson's reference:
 * https://reference.epson-biz.com/modules/ref_escpos/index.php?content_id=118). The printer
 * answers each request with one byte at once, even while offline or out of paper, as long as it
 * can talk back at all. Every answer byte has bit 1 and bit 4 set and bits 0 and 7 clear: a byte
 * that does not is no answer (an echo, line noise, a printer that does not speak DLE EOT).
 */

/** The four requests, in one write: printer (n=1), offline cause (2), error cause (3), paper roll sensor (4). */
export const STATUS_QUERY = Buffer.from([0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x03, 0x10, 0x04, 0x04]);

/** How many answer bytes STATUS_QUERY asks for. */
export const STATUS_REPLY_BYTES = 4;

const FIXED_MASK = 0x93;
const FIXED_BITS = 0x12;

/** n=1: bit 3, offline. */
const OFFLINE = 0x08;
/** n=2: bit 2, cover open; bit 5, printing stopped at paper end; bit 6, an error. */
const COVER_OPEN = 0x04;
const STOPPED_AT_PAPER_END = 0x20;
const ERROR_OCCURRED = 0x40;
/** n=3: bit 3 autocutter error, bit 5 unrecoverable, bit 6 auto-recoverable error. */
const ERROR_CAUSES = 0x08 | 0x20 | 0x40;
/** n=4: bits 2-3, roll paper near-end sensor; bits 5-6, roll paper end sensor. */
const PAPER_NEAR_END = 0x0c;
const PAPER_END = 0x60;

/** Whether `byte` has the fixed bits every DLE EOT answer has. */
export function isStatusByte(byte: number): boolean {
  return (byte & FIXED_MASK) === FIXED_BITS;
}

/** The printer's condition from its answers to STATUS_QUERY; `unknown` unless all four are answers. */
export function parseStatusReply(reply: Buffer | null): PrinterCondition {
  if (reply === null || reply.length < STATUS_REPLY_BYTES) return { kind: 'unknown' };
  const [printer, offline, errors, paper] = [reply[0]!, reply[1]!, reply[2]!, reply[3]!];
  if (![printer, offline, errors, paper].every(isStatusByte)) return { kind: 'unknown' };
  return {
    kind: 'answered',
    offline: (printer & OFFLINE) !== 0,
    coverOpen: (offline & COVER_OPEN) !== 0,
    paperOut: (paper & PAPER_END) !== 0 || (offline & STOPPED_AT_PAPER_END) !== 0,
    paperNearEnd: (paper & PAPER_NEAR_END) !== 0,
    error: (offline & ERROR_OCCURRED) !== 0 || (errors & ERROR_CAUSES) !== 0,
  };
}

/** What a printer in `state` answers to STATUS_QUERY (the fakes answer with it). */
export function statusReply(state: { readonly paper: 'ok' | 'near_end' | 'out'; readonly coverOpen?: boolean; readonly error?: boolean }): Buffer {
  const out = state.paper === 'out';
  const stopped = out || state.coverOpen === true || state.error === true;
  const printer = FIXED_BITS | (stopped ? OFFLINE : 0);
  const offline = FIXED_BITS | (state.coverOpen === true ? COVER_OPEN : 0) | (out ? STOPPED_AT_PAPER_END : 0) | (state.error === true ? ERROR_OCCURRED : 0);
  const errors = FIXED_BITS | (state.error === true ? 0x20 : 0);
  const paper = FIXED_BITS | (state.paper === 'ok' ? 0 : PAPER_NEAR_END) | (out ? PAPER_END : 0);
  return Buffer.from([printer, offline, errors, paper]);
}
