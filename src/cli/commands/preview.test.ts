import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { tableCardJob } from '../../printing/layouts.js';
import { jsQR } from '../../../test/support/qr/jsqr.js';
import { previewCommand } from './preview.js';

function io(): { io: Parameters<typeof previewCommand.run>[1]; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c: Buffer) => (o += c.toString()));
  stderr.on('data', (c: Buffer) => (e += c.toString()));
  return { io: { stdout, stderr, stdin: new PassThrough(), env: {}, stopRequested: new Promise(() => {}) }, out: () => o, err: () => e };
}

describe('counterpay preview', () => {
  it('renders a table card job to a PNG whose QR decodes to the spot code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'counterpay-preview-'));
    try {
      const job = tableCardJob('j', { venue: { name: 'Cafe' }, tableName: 'Table 1', locationId: 3, identifier: 'TABLE1' }, { encoder: { type: 'epson', width: 48, codePage: 'PC858_EURO', qr: 'raster' } });
      writeFileSync(join(dir, '000001-table-card.bin'), job.bytes);
      const t = io();
      const code = await previewCommand.run([join(dir, '000001-table-card.bin'), '-o', join(dir, 'card.png')], t.io);
      await new Promise((r) => setImmediate(r));
      expect(code).toBe(0);
      expect(t.out()).toContain('1 images, 0 native QR, 1 cuts');
      const png = PNG.sync.read(readFileSync(join(dir, 'card.png')));
      expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe('PAYSERA*3:TABLE1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usage errors exit 64', async () => {
    const t = io();
    expect(await previewCommand.run(['only-input.bin'], t.io)).toBe(64);
    await new Promise((r) => setImmediate(r));
    expect(t.err()).toContain('usage');
  });
});
