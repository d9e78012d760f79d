import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasTool, skipReason } from '../support/debian-tools.js';
import { PAY_URL_PREFIX } from '../../src/emulator/centrapay/centrapay-views.js';
import { localDayOf } from '../../src/report/local-day.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { openScannerPty, type ScannerPty } from '../support/scanner-pty.js';
import { BIN, TerminalProcess } from '../support/terminal-process.js';
import { PROCESS_TEST_MS, waitFor } from '../support/wait-for.js';

/**
 * End to end: `counterpay run` as a child process (stdin keypad, file display, file printer)
 * against the emulator, typed at like staff at the counter. Each test asserts what the display
 * showed, what was printed (decoded from the bytes) and what the emulator recorded.
 */

let emu: Emulator;
let terminal: TerminalProcess | undefined;

beforeEach(async () => {
  // The terminal sells in EUR; the Centrapay merchant config is told so (its documented default is NZD).
  emu = await startEmulator({ port: 0, seed: Math.floor(Math.random() * 1e9), centrapayCurrencies: ['EUR'] });
});

afterEach(async () => {
  await terminal?.stop();
  terminal = undefined;
  await emu.stop();
});

/** A fixed-offset zone in which `wallMs` is between 12:00 and 13:00 (Etc/GMT-3 is UTC+3). */
function middayZone(wallMs: number): string {
  const offset = 12 - new Date(wallMs).getUTCHours();
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

const confirms = (): number => emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.method === 'PUT' && r.path.endsWith('/confirm') && r.applied).length;

async function newOrderKey(): Promise<string> {
  return waitFor(() => emu.wallet.snapshot().orders.find((o) => o.status === 'pending')?.transaction_key, 'an order at the emulator');
}

async function startTerminal(options: ConstructorParameters<typeof TerminalProcess>[1] = {}): Promise<TerminalProcess> {
  terminal = new TerminalProcess(emu.url, options);
  terminal.start();
  await terminal.ready();
  return terminal;
}

describe('counterpay run, end to end', { timeout: PROCESS_TEST_MS }, () => {
  it('a table sale paid: PAID on the display, one receipt printed, confirmed once, spot closed', async () => {
    const spot = emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    const t = await startTerminal();
    await t.waitForScreen(/1 waiting/, 'one waiting table');
    await t.type('A1#1299#');
    await t.waitForScreen(/Table 1 +12\.99/, 'the waiting screen');
    emu.wallet.customerReserve(await newOrderKey(), { customer: 'alice' });
    await t.waitForScreen(/PAID 12\.99/, 'PAID');
    const receipt = await waitFor(() => t.printed().find((p) => p.file.endsWith('-receipt.bin')), 'a printed receipt');
    expect(receipt.lines.join('\n')).toMatch(/TOTAL\s+12\.99 EUR/);
    expect(receipt.lines.join('\n')).toMatch(/E2E Cafe/);
    // The venue's configured lines head the receipt too (devices.printer.venue.lines).
    expect(receipt.lines.join('\n')).toMatch(/Gedimino pr\. 1, Vilnius/);
    expect(t.printed()).toHaveLength(1);
    expect(confirms()).toBe(1);
    await waitFor(() => emu.wallet.getSpot(spot.id).status === 'closed', 'spot closed');
    expect(await t.stop()).toBe(0);
    expect(t.screens().at(-1)).toMatch(/Closed/);
  });

  it('in English without ui.timeZone, a paid sale creates no Intl formatter (ICU data stays out of memory), and idle after it the service collects its garbage; with ui.timeZone Intl is used', async () => {
    const sellOne = async (timeZone: string | undefined): Promise<Record<string, number>> => {
      const tallyFile = join(mkdtempSync(join(tmpdir(), 'counterpay-tally-')), 'tally.json');
      const tally = (): Record<string, number> => JSON.parse(readFileSync(tallyFile, 'utf8')) as Record<string, number>;
      emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
      const t = await startTerminal({
        // As the systemd unit starts it (--expose-gc among its options), with the tally preloaded.
        nodeArgs: ['--expose-gc', '--import', fileURLToPath(new URL('../support/call-tally.mjs', import.meta.url))],
        env: { COUNTERPAY_TEST_CALL_TALLY: tallyFile },
        ...(timeZone === undefined ? {} : { timeZone }),
      });
      await t.waitForScreen(/1 waiting/, 'one waiting table');
      await t.type('A1#1299#');
      emu.wallet.customerReserve(await newOrderKey(), { customer: 'alice' });
      await t.waitForScreen(/PAID 12\.99/, 'PAID');
      await waitFor(() => t.printed().find((p) => p.file.endsWith('-receipt.bin')), 'a printed receipt');
      await t.type('#');
      await t.waitForScreen(/A table/, 'the idle screen with its clock');
      // Idle with the sale closed: the WAL fold at the next look, and the collection after it.
      await waitFor(() => (tally()['gc'] ?? 0) >= 1, 'a garbage collection once idle');
      expect(await t.stop()).toBe(0);
      return tally();
    };
    const english = await sellOne(undefined);
    expect(Object.keys(english)).toEqual(['gc']);
    // The same tally sees Intl when the config asks for a zone: the check above can fail.
    expect((await sellOne('Europe/Vilnius'))['DateTimeFormat']).toBeGreaterThan(0);
  });

  it('a table sale cancelled with D: CANCELLED, nothing confirmed or printed, transaction revoked', async () => {
    emu.wallet.checkInByCode('PAYSERA*3:TABLE2', 'bob');
    const t = await startTerminal();
    await t.waitForScreen(/1 waiting/);
    await t.type('A2#500#');
    const key = await newOrderKey();
    await t.waitForScreen(/Waiting for payment|Awaiting payment/, 'awaiting payment');
    await t.type('D');
    await t.waitForScreen(/Cancel/, 'the cancel question');
    await t.type('#');
    await t.waitForScreen(/CANCELLED 5\.00/, 'CANCELLED');
    await waitFor(() => ['deleted', 'revoked'].includes(emu.wallet.getTransaction(key).status), 'transaction revoked');
    expect(confirms()).toBe(0);
    expect(t.printed()).toHaveLength(0);
  });

  it('a fabricated table is closed at once and never shown as waiting', async () => {
    const fake = emu.wallet.checkInByCode('PAYSERA*3:FREEDRINKS', 'mallory');
    const t = await startTerminal();
    await waitFor(() => emu.wallet.getSpot(fake.id).status === 'closed', 'fabricated spot closed');
    expect(t.screens().some((s) => /1 waiting/.test(s))).toBe(false);
    expect(emu.wallet.snapshot().orders).toHaveLength(0);
  });

  it('the network lost mid-sale and restored: the sale completes, confirmed once', async () => {
    emu.wallet.checkInByCode('PAYSERA*3:TABLE3', 'carol');
    const t = await startTerminal();
    await t.waitForScreen(/1 waiting/);
    await t.type('A3#777#');
    const key = await newOrderKey();
    emu.faults.add({ kind: 'refuse', durationMs: 4000 });
    emu.wallet.customerReserve(key, { customer: 'carol' });
    await t.waitForScreen(/PAID 7\.77/, 'PAID after the outage');
    await waitFor(() => t.printed().some((p) => p.file.endsWith('-receipt.bin')), 'the receipt');
    expect(confirms()).toBe(1);
    expect(t.printed().filter((p) => p.file.endsWith('-receipt.bin'))).toHaveLength(1);
  });

  it('kill -9 mid-sale and a restart that finishes the sale', async () => {
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'dave');
    const t = await startTerminal();
    await t.waitForScreen(/1 waiting/);
    await t.type('A1#2500#');
    const key = await newOrderKey();
    // The terminal dies while the customer pays; the journal holds the sale.
    await t.kill9();
    emu.wallet.customerReserve(key, { customer: 'dave' });
    t.start();
    await waitFor(() => emu.wallet.getTransaction(key).status === 'confirmed', 'confirmed after restart');
    await waitFor(() => t.printed().some((p) => p.file.endsWith('-receipt.bin')), 'receipt after restart');
    expect(confirms()).toBe(1);
    expect(t.printed()).toHaveLength(1);
    expect(t.printed()[0]?.lines.join('\n')).toMatch(/25\.00 EUR/);
  });

  it('no secret reaches the log, the display or the printer (a paid sale at debug level)', async () => {
    emu.wallet.checkInByCode('PAYSERA*3:TABLE2', 'erin');
    const t = await startTerminal();
    await t.waitForScreen(/1 waiting/);
    await t.type('A2#999#');
    emu.wallet.customerReserve(await newOrderKey(), { customer: 'erin' });
    await t.waitForScreen(/PAID 9\.99/);
    await waitFor(() => t.printed().length === 1, 'receipt');
    await t.stop();
    const { readFileSync, readdirSync } = await import('node:fs');
    const everything = [
      t.stdout,
      t.stderr,
      readFileSync(join(t.dir, 'frames.jsonl'), 'utf8'),
      ...readdirSync(join(t.dir, 'prints')).map((f) => readFileSync(join(t.dir, 'prints', f)).toString('latin1')),
    ].join('\n');
    // The log is really there (debug, with request lines), so the search means something.
    expect(t.stdout).toMatch(/paysera request/);
    for (const secret of ['IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU']) expect(everything.includes(secret)).toBe(false);
    // Nor the Authorization header of any request.
    expect(everything).not.toMatch(/MAC id=/);
  });

  it('a Centrapay sale paid: slip with the QR of the returned url, short code shown, receipt, one POS order', async () => {
    const t = await startTerminal({ centrapayAndPos: true });
    await t.type('C1250#');
    const request = await waitFor(() => emu.centrapay.list()[0], 'a payment request at the emulator');
    await t.waitForScreen(new RegExp(`Code ${request.shortCode}`), 'the short code');
    const slip = await waitFor(() => t.printed().find((p) => p.file.endsWith('-centrapay-slip.bin')), 'the slip');
    expect(slip.qr).toEqual([`${PAY_URL_PREFIX}${request.id}`]);
    expect(slip.lines.join('\n')).toContain(request.shortCode);
    emu.centrapay.pay(request.id);
    await t.waitForScreen(/PAID 12\.50/, 'PAID');
    await waitFor(() => t.printed().some((p) => p.file.endsWith('-receipt.bin')), 'the receipt');
    const orders = await waitFor(() => (emu.pos.allOrders().length > 0 ? emu.pos.allOrders() : undefined), 'the POS order');
    expect(orders).toHaveLength(1);
    expect(orders[0]?.number).toMatch(/^E2E-sale_/);
    expect(orders[0]?.totalCents).toBe(1250);
  });

  it('a Centrapay sale cancelled with D: the request is voided, nothing printed but the slip', async () => {
    const t = await startTerminal({ centrapayAndPos: true });
    await t.type('C300#');
    const request = await waitFor(() => emu.centrapay.list()[0], 'a payment request');
    await t.waitForScreen(/Code /, 'the short code');
    await t.type('D');
    await t.waitForScreen(/Cancel/, 'the cancel question');
    await t.type('#');
    await t.waitForScreen(/CANCELLED 3\.00/, 'CANCELLED');
    expect(emu.centrapay.get(request.id).status).toBe('cancelled');
    expect(t.printed().map((p) => p.file.replace(/^\d+-/, ''))).toEqual(['centrapay-slip.bin']);
    expect(emu.pos.allOrders()).toHaveLength(0);
  });

  it('a transaction changed to another amount: CHECK with the reason, never PAID, nothing printed or confirmed, revoked, listed by counterpay queue', async () => {
    const spot = emu.wallet.checkInByCode('PAYSERA*3:TABLE2', 'gina');
    // The order is created with its amount changed by 1.00 (the emulator's alterAmount fault).
    emu.faults.add({ kind: 'alterAmount', method: 'POST', path: '/rest/v1/spot/*/order', count: 1, deltaMinor: 100 });
    const t = await startTerminal();
    await t.waitForScreen(/1 waiting/);
    await t.type('A2#1250#');
    const key = await newOrderKey();
    emu.wallet.customerReserve(key, { customer: 'gina' });
    await t.waitForScreen(/CHECK 12\.50.*\| +Amount mismatch/, 'CHECK with the reason');
    await waitFor(() => emu.wallet.getTransaction(key).status === 'revoked', 'the transaction revoked');
    await waitFor(() => emu.wallet.getSpot(spot.id).status === 'closed', 'the spot closed');
    expect(t.screens().some((s) => /PAID/.test(s))).toBe(false);
    expect(confirms()).toBe(0);
    expect(t.printed()).toHaveLength(0);
    expect(await t.stop()).toBe(0);
    const listed = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'queue', '--config', t.configPath], { env: { ...process.env, TZ: 'UTC' } });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/NEEDS A PERSON +sale sale_\S+ +needs_human \(amount_mismatch: transaction 13\.50 EUR, sale 12\.50 EUR\) +table sale table TABLE2 12\.50 EUR/);
  });

  it('Centrapay refuses the currency (403 NO_AVAILABLE_PAYMENT_OPTIONS): the display says the currency is not accepted; nothing printed', async () => {
    emu.centrapay.setAcceptedCurrencies(['NZD']);
    const t = await startTerminal({ centrapayAndPos: true });
    await t.type('C300#');
    await t.waitForScreen(/CANCELLED 3\.00.*\| +(Currency not accepted|EUR not accepted)/, 'currency not accepted');
    expect(emu.centrapay.list()).toEqual([]);
    expect(t.printed()).toHaveLength(0);
  });

  it('a wall clock 10 minutes off Paysera: requests signed with server time, the idle time marked, the receipt says so', async () => {
    emu.faults.setClockSkewSeconds(600);
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'frank');
    terminal = new TerminalProcess(emu.url);
    const t = terminal;
    t.start();
    await t.waitForScreen(/^\d\d:\d\d\? .*1 waiting \| Clock not synced/, 'the marked time and the clock warning');
    await t.type('A1#450#');
    emu.wallet.customerReserve(await newOrderKey(), { customer: 'frank' });
    await t.waitForScreen(/PAID 4\.50/);
    const receipt = await waitFor(() => t.printed().find((p) => p.file.endsWith('-receipt.bin')), 'the receipt');
    expect(receipt.lines.join('\n')).toContain('(time not synced)');
    // Signed with the server's time from the start: no request was refused for its timestamp.
    expect(emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.error === 'invalid_timestamp')).toHaveLength(0);
  });

  it('in Lithuanian with a buzzer: the display, the receipt in WPC1257 read back letter for letter, the beeps', async () => {
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'ona');
    const t = await startTerminal({ language: 'lt', printer: { codePage: 'WPC1257_BALTIC_RIM', venue: { name: 'Kavinė „Ąžuolas“' } }, buzzer: { driver: 'console' } });
    // The file display is ASCII, as a pole display: Lithuanian letters lose their accents there.
    await t.waitForScreen(/Laukia: 1|Laukia 1 stalas/, 'one waiting table');
    await t.type('A1#1299#');
    await t.waitForScreen(/Stalas 1 +12,99/, 'the waiting screen');
    emu.wallet.customerReserve(await newOrderKey(), { customer: 'ona' });
    await t.waitForScreen(/APMOKETA 12,99 EUR \| +Stalas 1/, 'APMOKĖTA');
    const receipt = await waitFor(() => t.printed().find((p) => p.file.endsWith('-receipt.bin')), 'a printed receipt');
    const lines = receipt.lines.map((l) => l.replace(/ +/g, ' ').trim());
    expect(lines).toContain('Kavinė „Ąžuolas“');
    expect(lines).toContain('IŠ VISO 12,99 €');
    expect(lines).toContain('Mokėjimo būdas Paysera (stalas)');
    expect(lines).toContain('APMOKĖTA');
    // A key on the result only dismisses it; on idle a key that does nothing gets the hint.
    await t.type('*');
    await waitFor(() => (/A stalas/.test(t.screens().at(-1) ?? '') ? true : undefined), 'idle again');
    await t.type('5');
    await t.waitForScreen(/A\/B\/C pard\. +D meniu/, 'the key hint');
    await waitFor(() => (/~ beep: two short/.test(t.stderr) && /~ beep: one long/.test(t.stderr) ? true : undefined), 'the beeps of PAID and of the refused key');
    expect(t.stderr).toMatch(/~ beep: click/);
  });

  it("the day report from the menu: a sale paid, then D 3 prints today's report in ui.timeZone with the sale's total, once", async () => {
    // A zone where it is about noon now: "today" there cannot change while the test runs.
    const zone = middayZone(Date.now());
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'hugo');
    const t = await startTerminal({ timeZone: zone });
    await t.waitForScreen(/1 waiting/, 'one waiting table');
    await t.type('A1#1299#');
    emu.wallet.customerReserve(await newOrderKey(), { customer: 'hugo' });
    await t.waitForScreen(/PAID 12\.99/, 'PAID');
    await waitFor(() => t.printed().find((p) => p.file.endsWith('-receipt.bin')), 'the receipt');
    await t.type('D');
    await t.waitForScreen(/1 Copy 2 Cards 3 Day \| 4Stat 5Canc 6 Refund/, 'the menu');
    await t.type('3');
    await t.waitForScreen(/Day report \| +Sent to printer/, 'the report sent to the printer');
    const report = await waitFor(() => t.printed().find((p) => p.file.endsWith('-day-report.bin')), 'the printed day report');
    const lines = report.lines.map((l) => l.replace(/ +/g, ' ').trim());
    expect(lines).toContain(`Day report ${localDayOf(Date.now(), zone)}`);
    expect(lines).toContain('Paysera (table) x1 12.99 EUR');
    expect(lines).toContain('TOTAL x1 12.99 EUR');
    expect(lines).toContain('E2E Cafe');
    expect(await t.stop()).toBe(0);
    // Journaled like every print, and printed once.
    expect(t.printed().map((p) => p.file.replace(/^\d+-/, ''))).toEqual(['receipt.bin', 'day-report.bin']);
    const db = new Database(join(t.dir, 'data', 'counterpay.db'), { readonly: true });
    try {
      expect(db.prepare(`SELECT kind, state, attempts FROM print_jobs ORDER BY rowid`).all()).toEqual([
        { kind: 'receipt', state: 'printed', attempts: 1 },
        { kind: 'report', state: 'printed', attempts: 1 },
      ]);
    } finally {
      db.close();
    }
  });

  it('idle after the last sale: the WAL is folded back and truncated, a copy of the database file alone holds the sales, and idle writes nothing', async () => {
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'gina');
    emu.wallet.checkInByCode('PAYSERA*3:TABLE2', 'hugo');
    const t = await startTerminal();
    await t.waitForScreen(/2 (tables )?waiting/, 'two waiting tables');
    for (const [customer, keys, paid] of [
      ['gina', 'A1#310#', /PAID 3\.10/],
      ['hugo', 'A2#420#', /PAID 4\.20/],
    ] as const) {
      // From the result screen back to idle (a key dismisses it), then the sale.
      if (!/^\d\d:\d\d/.test(t.screens().at(-1) ?? '')) await t.type('*');
      await t.waitForCurrentScreen(/^\d\d:\d\d/, 'idle');
      await t.type(keys);
      emu.wallet.customerReserve(await newOrderKey(), { customer });
      await t.waitForScreen(paid, 'PAID');
    }
    const db = join(t.dir, 'data', 'counterpay.db');
    // The last write is the second receipt marked printed (after its bytes reached the printer).
    const printedInJournal = (): number => {
      const reader = new Database(db, { readonly: true });
      try {
        return (reader.prepare(`SELECT count(*) AS n FROM print_jobs WHERE state = 'printed'`).get() as { n: number }).n;
      } finally {
        reader.close();
      }
    };
    await waitFor(() => printedInJournal() === 2, 'both receipts printed, as the journal says');
    await waitFor(() => statSync(`${db}-wal`).size === 0, 'the WAL truncated once the terminal is idle', 30_000);
    const files = (): string => [db, `${db}-wal`].map((f) => `${statSync(f).size}@${statSync(f).mtimeMs}`).join(' ');
    const polls = (): number => emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.startsWith('/rest/v1/spots')).length;
    const twoPolls = async (): Promise<void> => {
      const from = polls();
      await waitFor(() => polls() >= from + 2, 'two more spot polls', 60_000);
    };
    // Settled: unchanged over two polls (a fold that a reader, this test's included, held up is
    // finished at the next look, once).
    let last = files();
    await waitFor(
      async () => {
        await twoPolls();
        const now = files();
        const same = now === last;
        last = now;
        return same;
      },
      'the journal files settled',
      120_000,
    );
    expect(statSync(`${db}-wal`).size).toBe(0);
    // The database file alone, as a backup tool or a person would copy it.
    const copy = join(mkdtempSync(join(tmpdir(), 'counterpay-e2e-copy-')), 'counterpay.db');
    copyFileSync(db, copy);
    const backup = new Database(copy, { readonly: true });
    const sales = backup.prepare('SELECT amount_minor, state FROM sales ORDER BY amount_minor').all();
    backup.close();
    expect(sales).toEqual([
      { amount_minor: 310, state: 'done' },
      { amount_minor: 420, state: 'done' },
    ]);
    // Idle: polls go on, the journal's files are not touched (no fold without a write).
    const before = files();
    await twoPolls();
    await twoPolls();
    expect(files()).toBe(before);
  }, 180_000);

  it('a bad config exits 78 with one line naming the file and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'counterpay-e2e-bad-'));
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ paysera: { macId: 'x', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU', locationId: 'three' } }));
    const { BIN } = await import('../support/terminal-process.js');
    const result = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'run', '--config', path]);
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', (code) => resolve({ code, err }));
    });
    expect(result.code).toBe(78);
    expect(result.err.trim().split('\n')).toEqual([`counterpay run: config error: ${path}: paysera.locationId: Invalid input: expected number, received string`]);
  });
});

const hasSocat = hasTool('socat', ['-V']);

describe(`code sales with a serial scanner on a socat pty${skipReason(hasSocat, 'socat', 'socat')}`, { timeout: PROCESS_TEST_MS }, () => {
  let pty: ScannerPty | undefined;
  let scannerPath = '';

  beforeEach(async () => {
    if (!hasSocat) return;
    pty = await openScannerPty();
    scannerPath = pty.scannerPath;
  });

  afterEach(() => {
    pty?.close();
  });

  function scan(text: string): void {
    pty?.scan(text);
  }

  it.skipIf(!hasSocat)('a code sale paid: B, amount, #, scan the code, PAID and a receipt', async () => {
    const t = await startTerminal({ scannerPath });
    await t.type('B1500#');
    await t.waitForScreen(/Scan code/, 'Scan code');
    const { code } = emu.wallet.issueReservationCode({ balance: 5000 });
    scan(code);
    await t.waitForScreen(/PAID 15\.00/, 'PAID');
    await waitFor(() => t.printed().some((p) => p.file.endsWith('-receipt.bin')), 'receipt');
    expect(confirms()).toBe(1);
  });

  it.skipIf(!hasSocat)('scanner junk (a 1 MB line, NUL bytes, an ANSI sequence, invalid UTF-8): "Scan not read", one warning per kind with its length, never the content', async () => {
    const t = await startTerminal({ scannerPath });
    await t.type('B1500#');
    await t.waitForScreen(/Scan code/, 'Scan code');
    const frames = t.frames().length;
    pty?.scan(Buffer.alloc(1024 * 1024, 0x38));
    pty?.scan(Buffer.from([0x31, 0x00, 0x32]));
    pty?.scan('\u001b[2J99990000');
    pty?.scan(Buffer.from([0x41, 0xff, 0x42]));
    await waitFor(() => ['too_long', 'control_chars', 'ansi_escape', 'invalid_utf8'].every((kind) => t.stdout.includes(`"kind":"${kind}"`)), 'a warning per kind', 30_000);
    expect(t.screens().slice(frames).some((s) => /^Scan not read/.test(s))).toBe(true);
    expect(t.stdout).toContain(`"lengthBytes":${1024 * 1024}`);
    expect(t.stdout).not.toContain('88888888');
    expect(t.stdout).not.toContain('99990000');
    // The sale still takes a good code.
    const { code } = emu.wallet.issueReservationCode({ balance: 5000 });
    scan(code);
    await t.waitForScreen(/PAID 15\.00/, 'PAID');
  });

  it('a table sale the customer rejects: DECLINED with the reason on the display, counted as declined by the report, the spot closed', async () => {
    const spot = emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    const t = await startTerminal();
    await t.waitForScreen(/1 waiting/, 'one waiting table');
    await t.type('A1#400#');
    emu.wallet.customerReject(await newOrderKey());
    await t.waitForScreen(/DECLINED 4\.00.*Customer declined/, 'DECLINED with the reason');
    await waitFor(() => emu.wallet.getSpot(spot.id).status === 'closed', 'spot closed');
    expect(confirms()).toBe(0);
    expect(await t.stop()).toBe(0);
    const report = spawnSync(process.execPath, [BIN, 'report', '--config', t.configPath], { encoding: 'utf8' });
    expect(report.status).toBe(0);
    expect(report.stdout).toMatch(/Declined\s+1\b/);
    expect(report.stdout).toMatch(/Cancelled\s+0\b/);
  });

  it.skipIf(!hasSocat)('a code sale declined: the reason is shown, nothing confirmed or printed, the code sent once', async () => {
    const t = await startTerminal({ scannerPath });
    await t.type('B1500#');
    await t.waitForScreen(/Scan code/, 'Scan code');
    const { code } = emu.wallet.issueReservationCode({ balance: 100 });
    scan(code);
    await t.waitForScreen(/DECLINED 15\.00.*funds/, 'DECLINED with the reason');
    expect(confirms()).toBe(0);
    expect(t.printed()).toHaveLength(0);
    expect(emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.endsWith('/reserve'))).toHaveLength(1);
  });

  it.skipIf(!hasSocat)('typed ahead: A2#1299#, then B500# right after PAID and a scanned code make the code sale', async () => {
    emu.wallet.checkInByCode('PAYSERA*3:TABLE2', 'gina');
    const t = await startTerminal({ scannerPath });
    await t.waitForScreen(/1 waiting/, 'one waiting table');
    await t.type('A2#1299#');
    emu.wallet.customerReserve(await newOrderKey(), { customer: 'gina' });
    await t.waitForScreen(/PAID 12\.99/, 'PAID of the table sale');
    // At once, while PAID is still up: B starts the code sale instead of only dismissing PAID.
    await t.type('B500#');
    await t.waitForScreen(/Code sale +5\.00 \| Scan code/, 'the code sale waiting for its code');
    const { code } = emu.wallet.issueReservationCode({ balance: 5000 });
    scan(code);
    await t.waitForScreen(/PAID 5\.00/, 'PAID of the code sale');
    expect(confirms()).toBe(2);
    expect(emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.endsWith('/reserve'))).toHaveLength(1);
  });
});
