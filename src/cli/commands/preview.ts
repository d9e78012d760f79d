import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { decodeEscPos, renderPng } from '../../printing/escpos/escpos-decoder.js';
import { printableDots } from '../../printing/escpos/escpos-document.js';
import { ExitCode, type Command } from '../command.js';

export const previewCommand: Command = {
  name: 'preview',
  summary: 'Render printed ESC/POS bytes (a file:DIR job) to a PNG',
  help: `Usage: counterpay preview FILE.bin -o FILE.png [--width CHARS]

Renders the ESC/POS bytes of one print job (text in the code page the bytes select, bold and
sizes, raster images and raster text, native QR commands, cuts) to a PNG a person can read. --width is the printer's characters per line
(48 for 80 mm paper, the default; 32 for 58 mm). Relative paths are relative to the current
directory. It reads and writes files only: no config, journal or printer.

  -o, --output FILE.png  where the PNG goes (overwritten)
  --width CHARS          characters per line, 16-80 (default 48)

Exit status: 0 done, 1 the file cannot be read or written, 64 usage.
`,
  async run(argv, io) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, options: { output: { type: 'string', short: 'o' }, width: { type: 'string', default: '48' } } });
    } catch (error) {
      io.stderr.write(`counterpay preview: ${error instanceof Error ? error.message : String(error)}\n`);
      return ExitCode.usage;
    }
    const input = parsed.positionals[0];
    const output = parsed.values.output;
    const width = Number(parsed.values.width);
    if (input === undefined || output === undefined || parsed.positionals.length > 1 || !Number.isInteger(width) || width < 16 || width > 80) {
      io.stderr.write('counterpay preview: usage: counterpay preview FILE.bin -o FILE.png [--width CHARS]\n');
      return ExitCode.usage;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(input);
    } catch (error) {
      io.stderr.write(`counterpay preview: cannot read ${input}: ${error instanceof Error ? error.message : String(error)}\n`);
      return ExitCode.failure;
    }
    const doc = decodeEscPos(bytes);
    await writeFile(output, renderPng(doc, { widthDots: printableDots(width) }));
    const notes = [`${doc.lines.length} text lines`, `${doc.rasters.length} images`, `${doc.qrPayloads.length} native QR`, `${doc.cuts} cuts`];
    if (doc.unknown.length > 0) notes.push(`${doc.unknown.length} unknown commands skipped`);
    io.stdout.write(`${output}: ${notes.join(', ')}\n`);
    return ExitCode.ok;
  },
};
