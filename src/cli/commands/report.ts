import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createPrinter } from '../../devices/create-devices.js';
import { messageOf } from '../../devices/device-error.js';
import { decodeEscPos, renderPng } from '../../printing/escpos/escpos-decoder.js';
import { printableDots, encoderOptions } from '../../printing/escpos/escpos-document.js';
import type { Printout } from '../../devices/printer/printer-port.js';
import { systemExec } from '../../doctor/doctor-check.js';
import { CodedError } from '../../platform/coded-error.js';
import { venueOf } from '../../printing/layouts.js';
import { renderJob } from '../../printing/render-job.js';
import { openForReading, systemJournalEnvironment, type JournalEnvironment } from '../../queue/journal-access.js';
import { buildDayReport, reportJobPayload } from '../../report/day-report.js';
import { localDayBounds, localDayOf, resolveTimeZone } from '../../report/local-day.js';
import { formatReportTable } from '../../report/report-text.js';
import { DEFAULT_DB_FILE, type Store } from '../../store/store.js';
import { loadConfigForCommand } from '../cli-config.js';
import { ExitCode, type CliIo, type Command } from '../command.js';

const USAGE = 'usage: counterpay report [--config PATH] [--date YYYY-MM-DD] [--print | --out FILE.png]';

const HELP = `Usage: counterpay report [--config PATH] [--date YYYY-MM-DD] [--print | --out FILE.png]

The day report, from the journal alone: sales paid that day per method (Paysera table, Paysera
code, Centrapay) with count and total, then how many were declined, cancelled (expired
Centrapay requests included), still wait for a person, or are still in progress. A sale counts
on the day it closed; a sale a person resolved as paid counts as paid. The day is the local
calendar day in ui.timeZone if the config sets it, else in TZ if set, else in the system's time
zone (the terminal's menu uses the same rule, so both agree on "today").

  --date YYYY-MM-DD  the day (default: today)
  --out FILE.png     also render the printed report to a PNG (nothing is printed)
  --print            also print it on devices.printer
  --config PATH      config file (default: $COUNTERPAY_CONFIG, else /etc/counterpay/config.json)

The table always goes to stdout. Reading the journal works while the terminal runs. Before the
terminal's first start (no journal in dataDir yet) it says "no sales yet" and exits 0. --print
does not while counterpay.service runs: the terminal owns the printer, so print the report from
its menu (D 3, Day report) or stop the service first.

Exit status: 0 done, 1 failed (one line says why), 64 usage, 78 bad config.
`;

export interface ReportEnvironment extends JournalEnvironment {
  /** Whether the system clock is synchronised; the printed report marks its time otherwise. */
  clockSynced(): Promise<boolean>;
}

/** timedatectl's NTPSynchronized, else systemd-timesyncd's flag file (as doctor's clock check). */
async function systemClockSynced(): Promise<boolean> {
  const result = await systemExec('timedatectl', ['show', '-p', 'NTPSynchronized', '--value']);
  if (result?.code === 0) return result.stdout.trim() === 'yes';
  return existsSync('/run/systemd/timesync/synchronized');
}

export function systemReportEnvironment(): ReportEnvironment {
  return { ...systemJournalEnvironment(), clockSynced: systemClockSynced };
}

export function createReportCommand(environment: () => ReportEnvironment = systemReportEnvironment): Command {
  return {
    name: 'report',
    summary: 'The day report from the journal (totals per method, declined, cancelled, needs_human); stdout, PNG or printer',
    help: HELP,
    async run(argv: string[], io: CliIo): Promise<number> {
      let values: { config?: string | undefined; date?: string | undefined; print?: boolean | undefined; out?: string | undefined };
      try {
        values = parseArgs({ args: argv, allowPositionals: false, options: { config: { type: 'string' }, date: { type: 'string' }, print: { type: 'boolean' }, out: { type: 'string' } } }).values;
      } catch (error) {
        io.stderr.write(`counterpay report: ${(error as Error).message}\n${USAGE}\n`);
        return ExitCode.usage;
      }
      if (values.print === true && values.out !== undefined) {
        io.stderr.write(`counterpay report: --print and --out exclude each other\n${USAGE}\n`);
        return ExitCode.usage;
      }
      const env = environment();
      const loaded = loadConfigForCommand('report', values.config, io);
      if (typeof loaded === 'number') return loaded;
      const { config } = loaded;
      // The terminal's zone (ui.timeZone) first, so this report and the one printed from the
      // terminal's menu agree on what "today" is.
      let timeZone: string;
      let day: string;
      try {
        timeZone = config.ui.timeZone ?? resolveTimeZone(io.env);
        day = values.date ?? localDayOf(env.clock.wallMs(), timeZone);
        localDayBounds(day, timeZone);
      } catch (error) {
        io.stderr.write(`counterpay report: ${messageOf(error)}\n${USAGE}\n`);
        return ExitCode.usage;
      }

      if (values.print === true && (await env.serviceActive())) {
        io.stderr.write('counterpay report: counterpay.service is running and owns the printer: print the day report from its menu (D 3, Day report), or write a PNG with --out FILE.png [service_running]\n');
        return ExitCode.failure;
      }

      // Before the terminal's first start there is no journal: no sales, which is not a failure.
      const dbPath = join(config.dataDir, DEFAULT_DB_FILE);
      if (!existsSync(dbPath)) {
        io.stdout.write(`report ${day}: no sales yet (no journal at ${dbPath}: the terminal creates it at its first start)${values.out !== undefined || values.print === true ? '; nothing to print' : ''}\n`);
        return ExitCode.ok;
      }

      const printerConfig = config.devices.printer;
      let store: Store | undefined;
      let job: Printout | undefined;
      try {
        store = openForReading(config.dataDir, env);
        const report = buildDayReport(store, day, timeZone);
        for (const line of formatReportTable(report, config.terminal.name)) io.stdout.write(`${line}\n`);
        if (values.out === undefined && values.print !== true) return ExitCode.ok;
        // The service's own path from a stored 'report' payload to bytes (the spooler prints
        // with the same renderJob), without journaling a job.
        job = renderJob(
          { id: `report-${day}`, kind: 'report', payload: reportJobPayload(report, Math.round(env.clock.wallMs()), await env.clockSynced(), config.terminal.name) },
          { encoder: encoderOptions(printerConfig), venue: venueOf(printerConfig.venue), timeZone, language: config.ui.language },
        );
      } catch (error) {
        if (error instanceof CodedError) {
          io.stderr.write(`counterpay report: ${error.message} [${error.code}]\n`);
          return ExitCode.failure;
        }
        throw error;
      } finally {
        store?.close();
      }

      if (values.out !== undefined) {
        const path = resolve(values.out);
        await writeFile(path, renderPng(decodeEscPos(job.bytes), { widthDots: printableDots(printerConfig.width) }));
        io.stdout.write(`${path}: day report ${day}\n`);
        return ExitCode.ok;
      }
      const printer = await createPrinter(printerConfig, { clock: env.clock, locationId: config.paysera.locationId, stdin: io.stdin, consoleOut: io.stderr, baseDir: process.cwd() });
      try {
        await printer.start();
        await printer.send(job);
        io.stdout.write(`printed day report ${day} on ${printer.description}\n`);
        return ExitCode.ok;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        io.stderr.write(`counterpay report: ${printer.description}: ${messageOf(error)}${typeof code === 'string' ? ` [${code}]` : ''}\n`);
        return ExitCode.failure;
      } finally {
        await printer.stop().catch(() => {});
      }
    },
  };
}

export const reportCommand: Command = createReportCommand();
