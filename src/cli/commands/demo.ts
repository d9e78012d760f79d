import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createProductionTerminal } from '../../app/production-terminal.js';
import { parseConfig } from '../../config/load-config.js';
import { createDevices } from '../../devices/create-devices.js';
import { FakeScanner } from '../../devices/scanner/fake-scanner.js';
import { FileTransport } from '../../devices/printer/transports/file.js';
import { PreviewingPrinter } from '../../demo/previewing-printer.js';
import { SimulatedCustomer } from '../../demo/simulated-customer.js';
import { DEFAULT_CENTRAPAY_API_KEY, DEFAULT_MERCHANT_ACCOUNT_ID } from '../../emulator/centrapay/centrapay-service.js';
import { startEmulator } from '../../emulator/index.js';
import { DEFAULT_POS_TOKEN } from '../../emulator/paysera-pos/pos-service.js';
import { createLogger } from '../../log/logger.js';
import { SystemClock } from '../../platform/clock.js';
import { SeededRandom } from '../../platform/random.js';
import { LANGUAGES } from '../../i18n/language.js';
import { DataDirLock, StoreError } from '../../store/index.js';
import { ExitCode, type CliIo, type Command } from '../command.js';

/** The demo terminal's currency; its Centrapay emulator's merchant config is told to accept it. */
const CURRENCY = 'EUR';

/** The demo's tables, named in the demo's language ("Table 1" / "Stalas 1", the bar is 9). */
function demoTables(lithuanian: boolean): { id: string; number?: number; name: string }[] {
  const table = lithuanian ? 'Stalas' : 'Table';
  return [
    ...[1, 2, 3, 4].map((n) => ({ id: `TABLE${n}`, name: `${table} ${n}` })),
    { id: 'BAR', number: 9, name: lithuanian ? 'Baras' : 'Bar' },
  ];
}

const WELCOME = `counterpay demo: a counter terminal on the built-in Paysera emulator.

The box below is the customer display. Type keys as on the terminal's keypad:
  A  table sale: A, table number, #, amount in cents (1 2 9 9 = 12.99), #
  B  code sale:  B, amount, #   (the simulated customer then shows a reservation code)
  C  Centrapay:  C, amount, #   (a slip with a QR is printed; the customer pays it)
  D  menu when idle (1 copy, 2 table cards, 3 day report, 4 status, 5 cancel) / cancel while waiting
  #  OK (or Enter)      *  back / delete (or Backspace)      Ctrl-C  quit
A key that does nothing where you are shows a hint; "~ beep" lines are the buzzer (a click per
key, two short beeps on PAID, one long on a decline or a refused key).
Tables 1-4 and the bar (9). Simulated customers check in now and then ("N waiting" on the
display); pick a waiting table. Receipts and slips are written to %PRINTS% as .bin with a .png
preview. Every paid sale is also recorded in the emulated Paysera POS back office.
Logs: %LOG%
`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'The full terminal on the built-in emulators with simulated devices and customers (npm start)',
  help: `Usage: counterpay demo [--data-dir DIR] [--seed N] [--no-customers] [--language en|lt]

Runs the whole terminal with no configuration: the Paysera emulator in-process on a free
loopback port, the journal in DIR (default ./demo-data), the display drawn in this terminal,
keys from this terminal, receipts written to DIR/prints as ESC/POS bytes with a PNG preview
each, and simulated customers who check in, pay (sometimes decline) and show reservation codes.

  --data-dir DIR   where the journal, prints and log go (default ./demo-data; emptied at start,
                   because the emulator starts empty too; a second demo on the same DIR is
                   refused, exit 75)
  --seed N         seed of the simulated customers
  --no-customers   no simulated customers (drive the emulator's /_sim/ endpoints yourself)
  --language LANG  the display's and the receipts' language: en (default) or lt (Lithuanian,
                   printed in the Baltic code page WPC1257)

Keys: A table sale, B code sale, C Centrapay, D menu or cancel, digits, # OK (Enter), * back
(Backspace); Ctrl-C quits, leaving the journal, log and prints in DIR until the next run.

Exit status: 0 after Ctrl-C, 1 when it cannot start, 75 when another demo or terminal owns DIR,
64 usage.
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    let values;
    try {
      ({ values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, seed: { type: 'string' }, 'no-customers': { type: 'boolean' }, language: { type: 'string' } } }));
    } catch (error) {
      io.stderr.write(`counterpay demo: ${(error as Error).message}\n`);
      return ExitCode.usage;
    }
    const language = values.language ?? 'en';
    if (!(LANGUAGES as readonly string[]).includes(language)) {
      io.stderr.write(`counterpay demo: --language: one of ${LANGUAGES.join(', ')}\n`);
      return ExitCode.usage;
    }
    const lithuanian = language === 'lt';
    const tables = demoTables(lithuanian);
    const dataDir = resolve(values['data-dir'] ?? 'demo-data');
    const printsDir = join(dataDir, 'prints');
    const logPath = join(dataDir, 'counterpay.log');
    // Another demo (or terminal) on this directory would lose its journal to the emptying below:
    // take the journal's lock first, and hand it to the terminal.
    const journalLock = new DataDirLock(dataDir);
    try {
      journalLock.acquire();
    } catch (error) {
      if (error instanceof StoreError) {
        io.stderr.write(`counterpay demo: ${error.message} [${error.code}]\n`);
        return error.code === 'journal_locked' ? ExitCode.locked : ExitCode.failure;
      }
      throw error;
    }
    // The emulator keeps its state in memory, so each run starts it empty; a journal from an
    // earlier run would point at transactions that no longer exist. Start both afresh.
    for (const name of ['counterpay.db', 'counterpay.db-wal', 'counterpay.db-shm', 'prints', 'counterpay.log']) rmSync(join(dataDir, name), { recursive: true, force: true });
    mkdirSync(printsDir, { recursive: true });
    // Centrapay's documented merchant configs are NZD (the emulator's default): this one sells in EUR.
    const emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: Math.floor(Math.random() * 2 ** 31), centrapayCurrencies: [CURRENCY] });
    const { config } = parseConfig(
      {
        currency: CURRENCY,
        dataDir,
        logLevel: 'info',
        paysera: { baseUrl: emulator.url, macId: 'wkVd93h2uS', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU', locationId: 3, tables, pollIntervalMs: 3000 },
        centrapay: {
          baseUrl: emulator.centrapayUrl,
          apiKey: DEFAULT_CENTRAPAY_API_KEY,
          configId: 'mc_demo',
          merchantAccountId: DEFAULT_MERCHANT_ACCOUNT_ID,
          terminalId: 'demo-counter',
          deviceId: 'demo-pi',
          expirySeconds: 120,
        },
        pos: { baseUrl: emulator.posUrl, token: DEFAULT_POS_TOKEN, cashRegisterNumber: '123', orderNumberPrefix: 'DEMO-' },
        ui: { language },
        devices: {
          scanner: { driver: 'none' },
          keypad: { driver: 'stdin' },
          display: { driver: 'console' },
          printer: lithuanian
            ? { interface: `file:${printsDir}`, codePage: 'WPC1257_BALTIC_RIM', venue: { name: 'Demo kavinė „Ąžuolas“', lines: ['Paysera emuliatorius'] } }
            : { interface: `file:${printsDir}`, venue: { name: 'counterpay demo cafe', lines: ['Paysera emulator'] } },
          buzzer: { driver: 'console' },
        },
      },
      '(demo)',
    );
    const logFile = createWriteStream(logPath, { flags: 'a' });
    const logger = createLogger({ level: 'info', destination: logFile, pretty: false });
    const clock = new SystemClock();
    const env = { clock, locationId: config.paysera.locationId, stdin: io.stdin, consoleOut: io.stdout, baseDir: dataDir };
    const built = await createDevices(config.devices, env);
    const scanner = new FakeScanner(clock, { locationId: config.paysera.locationId });
    const say = (line: string): void => void io.stdout.write(`  ~ ${line}\n`);
    const printer = new PreviewingPrinter(new FileTransport({ dir: printsDir }), config.devices.printer.width === 32 ? 384 : 576, (path) => say(`printed: ${path}`));
    io.stdout.write(WELCOME.replace('%PRINTS%', printsDir).replace('%LOG%', logPath));
    io.stdout.write(`Emulator: ${emulator.url} (try: curl -s ${emulator.url}/_sim/state)\n\n`);
    const app = createProductionTerminal({ config, logger, stdin: io.stdin, consoleOut: io.stdout, baseDir: dataDir, devices: { ...built, scanner, printer }, journalLock });
    await app.start();
    const customer = new SimulatedCustomer({
      emulator,
      engine: app.engine,
      scanner,
      clock,
      random: new SeededRandom(Number(values.seed ?? Date.now() % 1_000_000)),
      locationId: config.paysera.locationId,
      tableIds: tables.map((t) => t.id),
      say,
    });
    if (values['no-customers'] !== true) customer.start();
    await io.stopRequested;
    customer.stop();
    await app.stop();
    await emulator.stop();
    logFile.end();
    io.stdout.write(`\ncounterpay demo stopped. Journal, log and prints are in ${dataDir} until the next run.\n`);
    return ExitCode.ok;
  },
};
