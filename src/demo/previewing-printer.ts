import { writeFile } from 'node:fs/promises';
import { decodeEscPos, renderPng } from '../printing/escpos/escpos-decoder.js';
import type { PrinterPort, Printout } from '../devices/printer/printer-port.js';
import type { FileTransport } from '../devices/printer/transports/file.js';

/**
 * A `file:DIR` printer that also writes a PNG preview beside every job (NNNNNN-<kind>.png next
 * to NNNNNN-<kind>.bin), so the demo shows what would have come out of the printer.
 */
export class PreviewingPrinter implements PrinterPort {
  constructor(
    private readonly file: FileTransport,
    private readonly widthDots: number,
    private readonly onPreview: (path: string) => void = () => {},
  ) {}

  get description(): string {
    return `${this.file.description} (with PNG previews)`;
  }

  start(): Promise<void> {
    return this.file.start();
  }

  stop(): Promise<void> {
    return this.file.stop();
  }

  async send(job: Printout): Promise<void> {
    const path = this.file.nextPath(job.kind).replace(/\.bin$/, '.png');
    await this.file.send(job);
    // A preview that fails to render must not fail the print: the .bin is the job.
    try {
      await writeFile(path, renderPng(decodeEscPos(job.bytes), { widthDots: this.widthDots }));
      this.onPreview(path);
    } catch {
      return;
    }
  }
}
