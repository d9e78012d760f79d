import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SystemClock } from '../../src/platform/clock.js';
import { SystemRandom } from '../../src/platform/random.js';
import { applyPragmas } from '../../src/store/pragmas.js';
import { Store } from '../../src/store/store.js';

/**
 * Outbox operations per second through Store vs raw better-sqlite3 inserts, same pragmas
 * (journal_mode=WAL, synchronous=FULL), same disk (a fresh directory under the OS temp dir).
 *
 * The comparison, stated so it can be checked: an "op" is one committed immediate transaction,
 * i.e. one WAL fsync, on both sides. Store: each outbox step is one op, enqueue (insert) -> claim
 * (read, compare-and-set) -> settle to done (read, compare-and-set), so one outbox operation's
 * life is 3 ops. Raw: one single-row INSERT per transaction of a copy of the row the outbox step
 * just wrote (same columns, same values, a fresh id from the same id generator) into a table with
 * the outbox's columns and only its primary key. So both sides persist the same data; the ratio
 * is what the outbox's machinery (one-live indexes, the open-ops index, compare-and-set reads)
 * costs on top. Copies are taken outside the timed sections.
 *
 * For reference the narrow baseline of earlier runs is measured too: a six-column row (id, kind,
 * state, payload, two timestamps), which is less data than an outbox row.
 *
 * Both sides warm up first; ops are interleaved one lifecycle against three raw commits against
 * three narrow commits, so disk and CPU noise hit all alike.
 */
export interface OutboxThroughput {
  storeOpsPerSec: number;
  rawInsertsPerSec: number;
  ratio: number;
  narrowInsertsPerSec: number;
  narrowRatio: number;
  opsPerSide: number;
  definition: string;
}

export function benchOutboxThroughput(options: { lifecycles?: number } = {}): OutboxThroughput {
  const lifecycles = options.lifecycles ?? 3000;
  const dir = mkdtempSync(join(tmpdir(), 'counterpay-bench-outbox-'));
  const clock = new SystemClock();
  const random = new SystemRandom();
  const store = new Store({ dataDir: join(dir, 'store'), clock, random, bootId: 'bench' });
  store.open();
  // A second, read-only connection to the store's file: it copies the rows (untimed) and tells
  // the raw table its columns, so the baseline follows the outbox if the schema changes.
  const storeFile = new Database(store.path, { readonly: true });
  const columns = storeFile.prepare('SELECT name, type FROM pragma_table_info(?)').all('outbox') as Array<{ name: string; type: string }>;
  const readRow = storeFile.prepare('SELECT * FROM outbox WHERE id = ?');
  const open = (file: string): Database.Database => {
    const db = new Database(join(dir, file));
    // The store's own sequence (WAL, synchronous=FULL, the WAL size caps), so both sides pay the same.
    applyPragmas(db, 5000);
    if (Number(db.pragma('synchronous', { simple: true })) !== 2) throw new Error(`${file} is not synchronous=FULL`);
    return db;
  };
  const raw = open('raw.db');
  raw.exec(`CREATE TABLE ops (${columns.map((c) => `${c.name} ${c.type}${c.name === 'id' ? ' PRIMARY KEY' : ''}`).join(', ')}) STRICT`);
  const insertRow = raw.prepare(`INSERT INTO ops (${columns.map((c) => c.name).join(', ')}) VALUES (${columns.map((c) => `@${c.name}`).join(', ')})`);
  // The fresh id is drawn inside the timed insert, as the outbox draws its own.
  const rawTx = raw.transaction((row: Record<string, unknown>) => insertRow.run({ ...row, id: random.id('op') }));
  const narrow = open('narrow.db');
  narrow.exec('CREATE TABLE ops (id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL, payload TEXT NOT NULL, wall_ms INTEGER NOT NULL, mono_ms INTEGER NOT NULL) STRICT');
  const insertNarrow = narrow.prepare('INSERT INTO ops (id, kind, state, payload, wall_ms, mono_ms) VALUES (?, ?, ?, ?, ?, ?)');
  const narrowTx = narrow.transaction((i: number) => {
    insertNarrow.run(random.id('raw'), 'close_spot', 'pending', JSON.stringify({ spotId: i }), Date.now(), Math.round(performance.now()));
  });
  let spot = 0;
  const copy = (id: string): Record<string, unknown> => readRow.get(id) as Record<string, unknown>;
  // One store lifecycle (3 commits), then 3 raw and 3 narrow commits, each side timed on its own.
  const round = (): [number, number, number] => {
    spot += 1;
    const copies: Array<Record<string, unknown>> = [];
    let storeMs = 0;
    let t0 = performance.now();
    const op = store.outbox.enqueue({ kind: 'close_spot', spotId: spot, payload: { spotId: spot } });
    storeMs += performance.now() - t0;
    copies.push(copy(op.id));
    t0 = performance.now();
    if (store.outbox.claim(op.id) === undefined) throw new Error('claim failed');
    storeMs += performance.now() - t0;
    copies.push(copy(op.id));
    t0 = performance.now();
    store.outbox.settle(op.id, { to: 'done', result: { closed: true } });
    storeMs += performance.now() - t0;
    copies.push(copy(op.id));
    t0 = performance.now();
    for (const row of copies) rawTx.immediate(row);
    const rawMs = performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < 3; i++) narrowTx.immediate(spot);
    return [storeMs, rawMs, performance.now() - t0];
  };
  try {
    for (let i = 0; i < 200; i++) round();
    let storeMs = 0;
    let rawMs = 0;
    let narrowMs = 0;
    for (let i = 0; i < lifecycles; i++) {
      const [s, r, n] = round();
      storeMs += s;
      rawMs += r;
      narrowMs += n;
    }
    const opsPerSide = lifecycles * 3;
    const perSec = (ms: number): number => (opsPerSide / ms) * 1000;
    return {
      storeOpsPerSec: perSec(storeMs),
      rawInsertsPerSec: perSec(rawMs),
      ratio: rawMs / storeMs,
      narrowInsertsPerSec: perSec(narrowMs),
      narrowRatio: narrowMs / storeMs,
      opsPerSide,
      definition:
        'op = one committed immediate transaction (one WAL fsync, synchronous=FULL) on both sides; Store: enqueue, claim, settle each one op; raw: one INSERT per transaction of a copy of the row the outbox step wrote (same columns and values, a fresh id drawn in the transaction) into a table with only a primary key',
    };
  } finally {
    storeFile.close();
    store.close();
    raw.close();
    narrow.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
