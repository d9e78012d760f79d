import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { tableCardJob } from '../../printing/layouts.js';
import { jsQR } from '../../../test/support/qr/jsqr.js';
import { runCommand } from '../../../test/support/cli-run.js';
import { previewCommand } from './preview.js';

describe('counterpay preview', () => {
  it('renders a table card job to a PNG whose QR decodes to the spot code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'counterpay-preview-'));
    try {
      const job = tableCardJob('j', { venue: { name: 'Cafe' }, tableName: 'Table 1', locationId: 3, identifier: 'TABLE1' }, { encoder: { type: 'epson', width: 48, codePage: 'PC858_EURO', qr: 'raster' } });
      writeFileSync(join(dir, '000001-table-card.bin'), job.bytes);
      const { code, out } = await runCommand(previewCommand, [join(dir, '000001-table-card.bin'), '-o', join(dir, 'card.png')]);
      expect(code).toBe(0);
      expect(out).toContain('1 images, 0 native QR, 1 cuts');
      const png = PNG.sync.read(readFileSync(join(dir, 'card.png')));
      expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe('PAYSERA*3:TABLE1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usage errors exit 64', async () => {
    const { code, err } = await runCommand(previewCommand, ['only-input.bin']);
    expect(code).toBe(64);
    expect(err).toContain('usage');
  });
});
