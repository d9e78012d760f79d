import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TableConfig } from '../../config/load-config.js';
import { createPrinter } from '../../devices/create-devices.js';
import { messageOf } from '../../devices/device-error.js';
import { decodeEscPos, renderPng } from '../../printing/escpos/escpos-decoder.js';
import { printableDots, encoderOptions } from '../../printing/escpos/escpos-document.js';
import { tableCardJob, venueOf, type LayoutContext, type Venue } from '../../printing/layouts.js';
import type { Printout } from '../../devices/printer/printer-port.js';
import { formatSpotCode, sameIdentifier } from '../../domain/spot-code.js';
import { SystemClock } from '../../platform/clock.js';
import { loadConfigForCommand } from '../cli-config.js';
import { ExitCode, type Command } from '../command.js';

const USAGE = 'usage: counterpay print-tables [--config PATH] [--out DIR] [--tables ID1,ID2]';

export const printTablesCommand: Command = {
  name: 'print-tables',
  summary: 'Print the table cards (QR PAYSERA*{locationId}:{table}), or write them and PNG previews to a directory',
  help: `Usage: counterpay print-tables [--config PATH] [--out DIR] [--tables ID1,ID2]

Makes one table card per table in paysera.tables: the venue (devices.printer.venue), the table's
name, a large QR of PAYSERA*{paysera.locationId}:{table id}, and one line for the customer.

  --out DIR      do not print: write DIR/table-<id>.bin (the exact ESC/POS bytes) and
                 DIR/table-<id>.png (a preview) for every card; a relative DIR is relative
                 to the current directory, and is created if missing
  --tables A,B   only these tables (ids as in paysera.tables, any case)
  --config PATH  the configuration file (default: COUNTERPAY_CONFIG, else /etc/counterpay/config.json)

Without --out the cards go straight to devices.printer, one job per card, and a printer error
stops the run (nothing is retried: run it again for the cards not printed). While the terminal
service runs it owns the printer: print the cards from its menu (D 2), or stop it first. A
relative file:DIR printer interface in the config resolves against the config file's directory,
as the terminal resolves it.

Exit status: 0 done, 1 the printer failed (one line names the cards not printed), 64 usage,
78 bad config (no tables configured included).
`,
  async run(argv, io) {
    let values: { config?: string | undefined; out?: string | undefined; tables?: string | undefined };
    try {
      const parsed = parseArgs({ args: argv, allowPositionals: false, options: { config: { type: 'string' }, out: { type: 'string' }, tables: { type: 'string' } } });
      values = parsed.values;
    } catch (error) {
      io.stderr.write(`counterpay print-tables: ${messageOf(error)}\n${USAGE}\n`);
      return ExitCode.usage;
    }
    const loaded = loadConfigForCommand('print-tables', values.config, io);
    if (typeof loaded === 'number') return loaded;
    const { config } = loaded;

    const configured = config.paysera.tables;
    if (configured.length === 0) {
      io.stderr.write(`counterpay print-tables: config error: ${loaded.path}: paysera.tables: no tables configured\n`);
      return ExitCode.config;
    }
    let tables: TableConfig[] = configured;
    if (values.tables !== undefined) {
      const wanted = values.tables
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '');
      const unknown = wanted.filter((w) => !configured.some((t) => sameIdentifier(t.id, w)));
      if (wanted.length === 0 || unknown.length > 0) {
        io.stderr.write(`counterpay print-tables: unknown table ${unknown.join(', ') || '(none given)'}; configured: ${configured.map((t) => t.id).join(', ')}\n`);
        return ExitCode.usage;
      }
      tables = configured.filter((t) => wanted.some((w) => sameIdentifier(w, t.id)));
    }

    const printerConfig = config.devices.printer;
    if (printerConfig.venue === undefined) {
      io.stderr.write('counterpay print-tables: warning: devices.printer.venue is not set; the cards carry no venue name\n');
    }
    const venue: Venue = venueOf(printerConfig.venue);
    const ctx: LayoutContext = { encoder: encoderOptions(printerConfig), language: config.ui.language };
    const locationId = config.paysera.locationId;
    const jobs = tables.map(
      (table, index): { table: TableConfig; code: string; job: Printout } => ({
        table,
        code: formatSpotCode({ locationId, identifier: table.id }),
        job: tableCardJob(`table-card-${index + 1}-${table.id}`, { venue, tableName: table.name, locationId, identifier: table.id }, ctx),
      }),
    );

    if (values.out !== undefined) {
      const dir = resolve(values.out);
      await mkdir(dir, { recursive: true });
      for (const { table, code, job } of jobs) {
        const base = join(dir, `table-${fileSafe(table.id)}`);
        await writeFile(`${base}.bin`, job.bytes);
        await writeFile(`${base}.png`, renderPng(decodeEscPos(job.bytes), { widthDots: printableDots(printerConfig.width) }));
        io.stdout.write(`${base}.bin ${base}.png  ${table.name}  ${code}\n`);
      }
      return ExitCode.ok;
    }

    const printer = await createPrinter(printerConfig, { clock: new SystemClock(), locationId: config.paysera.locationId, stdin: io.stdin, consoleOut: io.stderr, baseDir: process.cwd() });
    let printed = 0;
    try {
      await printer.start();
      for (const { table, code, job } of jobs) {
        await printer.send(job);
        printed += 1;
        io.stdout.write(`printed ${table.name}  ${code}\n`);
      }
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const left = jobs.slice(printed).map((j) => j.table.id);
      io.stderr.write(`counterpay print-tables: ${printer.description}: ${messageOf(error)}${typeof code === 'string' ? ` [${code}]` : ''}; not printed: ${left.join(', ')}\n`);
      return ExitCode.failure;
    } finally {
      await printer.stop().catch(() => {});
    }
    return ExitCode.ok;
  },
};

/** Table ids are free text in the config; file names keep letters, digits, dot, dash, underscore. */
function fileSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
