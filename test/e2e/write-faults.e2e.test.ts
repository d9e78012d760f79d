import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasTool, skipReason } from '../support/debian-tools.js';
import { startEmulator, type Emulator, type FaultRuleSpec, type RequestLogEntry } from '../../src/emulator/index.js';
import { openScannerPty, type ScannerPty } from '../support/scanner-pty.js';
import { TerminalProcess } from '../support/terminal-process.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Faults meet the production terminal: `counterpay run` (system clock, crypto randomness, real
 * transports, the retry policies it ships with) as a child process against the emulator. In each
 * round one fault is aimed at every kind of write at once (each rule fires on the first request
 * of its kind), then staff run the sales that make those writes. Every round must end with every
 * rule fired, every sale finished as staff and customer meant it, exactly one applied request per
 * write (from the emulator's request log), and the process still running. One process serves all
 * rounds of a test, so a fault that ended it, or left it unable to work, fails the next round.
 */

const FAULTS: Record<string, Omit<FaultRuleSpec, 'method' | 'path'>> = {
  '429': { kind: 'rateLimit', count: 1, retryAfterS: 1 },
  '500': { kind: 'serverError', count: 1 },
  'dropped connection': { kind: 'applyThenDrop', count: 1 },
  'truncated body': { kind: 'truncate', count: 1 },
};

interface Write {
  method: string;
  /** The fault rule's glob. */
  glob: string;
  /** The same requests in the request log (path without query). */
  pattern: RegExp;
}

const WRITES = {
  'create order': { method: 'POST', glob: '/rest/v1/spot/*/order', pattern: /^\/rest\/v1\/spot\/\d+\/order$/ },
  'create transaction': { method: 'POST', glob: '/rest/v1/transaction', pattern: /^\/rest\/v1\/transaction$/ },
  reserve: { method: 'PUT', glob: '/rest/v1/transaction/*/reserve', pattern: /^\/rest\/v1\/transaction\/[^/]+\/reserve$/ },
  confirm: { method: 'PUT', glob: '/rest/v1/transaction/*/confirm', pattern: /^\/rest\/v1\/transaction\/[^/]+\/confirm$/ },
  'close spot': { method: 'PUT', glob: '/rest/v1/spot/*/close', pattern: /^\/rest\/v1\/spot\/\d+\/close$/ },
  revoke: { method: 'DELETE', glob: '/rest/v1/transaction/*', pattern: /^\/rest\/v1\/transaction\/[^/]+$/ },
  'centrapay create': { method: 'POST', glob: '/api/payment-requests', pattern: /^\/api\/payment-requests$/ },
  'centrapay void': { method: 'POST', glob: '/api/payment-requests/*/void', pattern: /^\/api\/payment-requests\/[^/]+\/void$/ },
  'pos order': { method: 'POST', glob: '/eapi/v1/orders', pattern: /^\/eapi\/v1\/orders$/ },
} satisfies Record<string, Write>;
type WriteName = keyof typeof WRITES;

let emu: Emulator;
let terminal: TerminalProcess | undefined;
let pty: ScannerPty | undefined;

beforeEach(async () => {
  // The terminal sells in EUR; the Centrapay merchant config is told so (its documented default is NZD).
  emu = await startEmulator({ port: 0, seed: 12, centrapayCurrencies: ['EUR'] });
});

afterEach(async () => {
  await terminal?.stop();
  terminal = undefined;
  pty?.close();
  pty = undefined;
  await emu.stop();
});

/** Applied requests of one write kind since `sinceSeq`. */
function appliedSince(write: WriteName, sinceSeq: number): RequestLogEntry[] {
  const { method, pattern } = WRITES[write];
  return emu.requests.list({ sinceSeq }).filter((r) => r.applied && r.method === method && pattern.test(r.path.split('?')[0] ?? ''));
}

/** One rule per write kind, each firing once on the first request of its kind. */
function aimAt(writes: readonly WriteName[], fault: Omit<FaultRuleSpec, 'method' | 'path'>): string[] {
  return writes.map((write) => emu.faults.add({ ...fault, method: WRITES[write].method, path: WRITES[write].glob } as FaultRuleSpec).id);
}

/**
 * One round per fault on a started terminal: the fault is aimed at every write in `effects`, then
 * `sales` runs the sales of the round (and waits for their ends). The round is over when every
 * rule fired, and each write must then have been applied exactly as often as `effects` says (one
 * per sale that makes it), with the terminal still running. Returns the number of rounds.
 */
async function faultRounds(t: TerminalProcess, effects: Partial<Record<WriteName, number>>, sales: (round: number, faultName: string, since: number) => Promise<void>): Promise<number> {
  const writes = Object.keys(effects) as WriteName[];
  let round = 0;
  for (const [faultName, fault] of Object.entries(FAULTS)) {
    round += 1;
    const since = emu.requests.list().at(-1)?.seq ?? 0;
    const rules = aimAt(writes, fault);
    await sales(round, faultName, since);
    await waitFor(() => emu.faults.snapshot().rules.filter((r) => rules.includes(r.id)).every((r) => r.remaining === 0), `every ${faultName} rule fired`, 60_000);
    // Exactly one effect per write, whatever the fault did to its first attempt.
    expect(Object.fromEntries(writes.map((w) => [w, appliedSince(w, since).length])), faultName).toEqual(effects);
    expect(t.running, `${faultName}: the terminal is still running`).toBe(true);
  }
  return round;
}

/** The idle screen starts with the clock. */
const IDLE = /^\d\d:\d\d/;

/** Back to idle: a key dismisses a result screen (on idle it would only show the key hint). */
async function toIdle(t: TerminalProcess): Promise<void> {
  if (!IDLE.test(t.screens().at(-1) ?? '')) await t.type('*');
  await t.waitForCurrentScreen(IDLE, 'idle', 30_000);
}

/** From idle, the keys of a sale. */
async function sale(t: TerminalProcess, keys: string): Promise<void> {
  await toIdle(t);
  await t.type(keys);
}

async function checkInAtBothTables(t: TerminalProcess, round: number): Promise<void> {
  emu.wallet.checkInByCode('PAYSERA*3:TABLE1', `alice-${round}`);
  emu.wallet.checkInByCode('PAYSERA*3:TABLE2', `bob-${round}`);
  await toIdle(t);
  await t.waitForCurrentScreen(/^\d\d:\d\d.* (2 tables waiting|2 waiting|W2)/, 'two waiting tables', 60_000);
}

const money = (minor: number): string => (minor / 100).toFixed(2).replace('.', '\\.');

describe('counterpay run: every write meets 429, 500, a dropped connection and a truncated body', () => {
  it('table sales (paid, cancelled) and Centrapay sales (paid, cancelled), with POS sync: each ends as meant, one effect per write, the process stays up', async () => {
    terminal = new TerminalProcess(emu.url, { centrapayAndPos: true, tables: ['TABLE1', 'TABLE2'], requestBudgetPerMinute: 300 });
    const t = terminal;
    t.start();
    await t.ready();
    const effects = { 'create order': 2, confirm: 1, 'close spot': 2, revoke: 1, 'centrapay create': 2, 'centrapay void': 1, 'pos order': 2 };
    const rounds = await faultRounds(t, effects, async (round, faultName, since) => {
      await checkInAtBothTables(t, round);
      const base = round * 100;

      // Table 1, paid: create order, confirm, close spot, then the POS order.
      await sale(t, `A1#${base + 11}#`);
      const key = await waitFor(() => emu.wallet.snapshot().orders.find((o) => o.status === 'pending' && appliedSince('create order', since).some((r) => r.path.includes(`/spot/${o.spot_id}/`)))?.transaction_key, `${faultName}: the order of table 1`, 60_000);
      emu.wallet.customerReserve(key, { customer: `alice-${round}` });
      await t.waitForScreen(new RegExp(`PAID ${money(base + 11)}`), `${faultName}: PAID at table 1`, 60_000);

      // Table 2, cancelled by staff once the customer has the order: revoke, close spot.
      await sale(t, `A2#${base + 22}#`);
      await t.waitForScreen(new RegExp(`Table 2 +${money(base + 22)} \\| (Waiting for payment|Awaiting payment)`), `${faultName}: table 2 awaiting payment`, 60_000);
      await t.type('D');
      await t.waitForCurrentScreen(/^Cancel.*# yes/, 'the cancel question');
      await t.type('#');
      await t.waitForScreen(new RegExp(`CANCELLED ${money(base + 22)}`), `${faultName}: CANCELLED at table 2`, 60_000);

      // Centrapay, paid by the customer: create, then the POS order.
      await sale(t, `C${base + 33}#`);
      const paid = await waitFor(() => emu.centrapay.list().find((r) => r.value.amount === String(base + 33)), `${faultName}: the Centrapay request`, 60_000);
      await t.waitForScreen(new RegExp(`Code ${paid.shortCode}`), `${faultName}: the short code`, 60_000);
      emu.centrapay.pay(paid.id);
      await t.waitForScreen(new RegExp(`PAID ${money(base + 33)}`), `${faultName}: Centrapay PAID`, 60_000);

      // Centrapay, cancelled by staff: create, void.
      await sale(t, `C${base + 44}#`);
      const voided = await waitFor(() => emu.centrapay.list().find((r) => r.value.amount === String(base + 44)), `${faultName}: the second Centrapay request`, 60_000);
      await t.waitForScreen(new RegExp(`Code ${voided.shortCode}`), `${faultName}: the second short code`, 60_000);
      await t.type('D');
      await t.waitForCurrentScreen(/^Cancel.*# yes/, 'the cancel question');
      await t.type('#');
      await t.waitForScreen(new RegExp(`CANCELLED ${money(base + 44)}`), `${faultName}: Centrapay CANCELLED`, 60_000);

      await waitFor(() => emu.pos.allOrders().length === 2 * round, `${faultName}: both paid sales in the POS`, 60_000);
      await waitFor(() => emu.wallet.snapshot().spots.filter((s) => s.status !== 'closed').length === 0, `${faultName}: both spots closed`, 60_000);
      expect(emu.wallet.getTransaction(key).status, faultName).toBe('confirmed');
      expect(emu.centrapay.get(paid.id).status, faultName).toBe('paid');
      expect(emu.centrapay.get(voided.id).status, faultName).toBe('cancelled');
    });
    expect(t.printed().filter((p) => p.file.endsWith('-receipt.bin'))).toHaveLength(2 * rounds);
    expect(await t.stop()).toBe(0);
    expect(t.stderr).not.toMatch(/cannot start|ERR_|Uncaught/);
  }, 600_000);

  const hasSocat = hasTool('socat', ['-V']);
  it.skipIf(!hasSocat)(`code sales (create transaction, reserve, confirm, POS order)${skipReason(hasSocat, 'socat', 'socat')}`, async () => {
    const scanner = await openScannerPty();
    pty = scanner;
    terminal = new TerminalProcess(emu.url, { centrapayAndPos: true, scannerPath: scanner.scannerPath, requestBudgetPerMinute: 300 });
    const t = terminal;
    t.start();
    await t.ready();
    const rounds = await faultRounds(t, { 'create transaction': 1, reserve: 1, confirm: 1, 'pos order': 1 }, async (round, faultName) => {
      const amount = round * 100 + 55;
      await sale(t, `B${amount}#`);
      await t.waitForScreen(new RegExp(`Code sale +${money(amount)} \\| Scan code`), `${faultName}: scan code`, 60_000);
      scanner.scan(emu.wallet.issueReservationCode({ balance: 5000 }).code);
      await t.waitForScreen(new RegExp(`PAID ${money(amount)}`), `${faultName}: PAID`, 60_000);
      await waitFor(() => emu.pos.allOrders().length === round, `${faultName}: the POS order`, 60_000);
    });
    expect(emu.wallet.snapshot().transactions.filter((tx) => tx.status === 'confirmed')).toHaveLength(rounds);
    expect(await t.stop()).toBe(0);
  }, 600_000);
});
