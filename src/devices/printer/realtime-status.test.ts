import { describe, expect, it } from 'vitest';
import { isStatusByte, parseStatusReply, STATUS_QUERY, statusReply } from './realtime-status.js';

describe('ESC/POS real-time status (DLE EOT)', () => {
  it('asks DLE EOT 1, 2, 3 and 4 in one write', () => {
    expect([...STATUS_QUERY]).toEqual([0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4]);
  });

  it('reads the bits of an Epson answer: ready, near end, paper end, cover open', () => {
    // A ready printer answers 0x12 (only the fixed bits) to every request.
    expect(parseStatusReply(Buffer.from([0x12, 0x12, 0x12, 0x12]))).toEqual({ kind: 'answered', offline: false, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });
    expect(parseStatusReply(Buffer.from([0x12, 0x12, 0x12, 0x1e]))).toMatchObject({ paperNearEnd: true, paperOut: false });
    // Paper end: offline (n=1 bit 3), stopped at paper end (n=2 bit 5), both roll sensors (n=4).
    expect(parseStatusReply(Buffer.from([0x1a, 0x32, 0x12, 0x7e]))).toMatchObject({ offline: true, paperOut: true, paperNearEnd: true });
    expect(parseStatusReply(Buffer.from([0x1a, 0x16, 0x12, 0x12]))).toMatchObject({ coverOpen: true, paperOut: false });
    expect(parseStatusReply(Buffer.from([0x12, 0x52, 0x32, 0x12]))).toMatchObject({ error: true });
  });

  it('anything but four answer bytes is unknown: silence, too few, an echo, noise', () => {
    expect(parseStatusReply(null)).toEqual({ kind: 'unknown' });
    expect(parseStatusReply(Buffer.from([0x12, 0x12]))).toEqual({ kind: 'unknown' });
    expect(parseStatusReply(STATUS_QUERY.subarray(0, 4))).toEqual({ kind: 'unknown' });
    expect(parseStatusReply(Buffer.from([0x12, 0x12, 0x12, 0xff]))).toEqual({ kind: 'unknown' });
    expect(isStatusByte(0x12)).toBe(true);
    expect(isStatusByte(0x10)).toBe(false);
  });

  it("the fakes' answers read back as the state they were made from", () => {
    expect(parseStatusReply(statusReply({ paper: 'ok' }))).toMatchObject({ paperOut: false, paperNearEnd: false, coverOpen: false, error: false, offline: false });
    expect(parseStatusReply(statusReply({ paper: 'near_end' }))).toMatchObject({ paperOut: false, paperNearEnd: true });
    expect(parseStatusReply(statusReply({ paper: 'out' }))).toMatchObject({ paperOut: true, offline: true });
    expect(parseStatusReply(statusReply({ paper: 'ok', coverOpen: true }))).toMatchObject({ coverOpen: true, paperOut: false });
  });
});
