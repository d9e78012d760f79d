import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SystemClock } from '../../src/platform/clock.js';
import { SystemRandom } from '../../src/platform/random.js';
import { Store } from '../../src/store/store.js';

/**
 * Outbox operations per second through Store vs raw better-sqlite3 inserts, same pragmas
 * (journal_mode=WAL, synchronous=FULL), same disk (a fresh directory under the OS temp dir).
 *
 * The comparison, stated so it can be checked: an "op" is one committed immediate transaction,
 * i.e. one WAL fsync, on both sides. Store: each outbox step is one op, enqueue (insert + event)
 * -> claim (read, compare-and-set, event) -> settle to done (read, compare-and-set, event), so one
 * outbox operation's life is 3 ops. Raw: one single-row INSERT of a comparable row (id, kind,
 * state, payload JSON, two timestamps) per transaction. Both warm up first; ops are interleaved
 * one lifecycle against three raw commits at a time, so disk and CPU noise hit both alike.
 */
export interface OutboxThroughput {
  storeOpsPerSec: number;
  rawInsertsPerSec: number;
  ratio: number;
  opsPerSide: number;
  definition: string;
}

export function benchOutboxThroughput(options: { lifecycles?: number } = {}): OutboxThroughput {
  const lifecycles = options.lifecycles ?? 1500;
  const dir = mkdtempSync(join(tmpdir(), 'counterpay-bench-outbox-'));
  const clock = new SystemClock();
  const store = new Store({ dataDir: join(dir, 'store'), clock, random: new SystemRandom(), bootId: 'bench' });
  store.open();
  const raw = new Database(join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  if (Number(raw.pragma('synchronous', { simple: true })) !== 2) throw new Error('raw database is not synchronous=FULL');
  raw.exec('CREATE TABLE ops (id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL, payload TEXT NOT NULL, wall_ms INTEGER NOT NULL, mono_ms INTEGER NOT NULL) STRICT');
  const insert = raw.prepare('INSERT INTO ops (id, kind, state, payload, wall_ms, mono_ms) VALUES (?, ?, ?, ?, ?, ?)');
  const insertTx = raw.transaction((i: number) => {
    insert.run(`raw_${i}`, 'close_spot', 'pending', JSON.stringify({ spotId: i }), Date.now(), Math.round(performance.now()));
  });
  let spot = 0;
  let rawN = 0;
  // One store lifecycle (3 commits), then 3 raw commits, each side timed on its own: fine
  // interleaving, so a noisy shared disk slows both sides alike.
  const pair = (): [number, number] => {
    spot += 1;
    const t0 = performance.now();
    const op = store.outbox.enqueue({ kind: 'close_spot', spotId: spot, payload: { spotId: spot } });
    if (store.outbox.claim(op.id) === undefined) throw new Error('claim failed');
    store.outbox.settle(op.id, { to: 'done', result: { closed: true } });
    const t1 = performance.now();
    for (let i = 0; i < 3; i++) insertTx.immediate(rawN++);
    return [t1 - t0, performance.now() - t1];
  };
  try {
    for (let i = 0; i < 100; i++) pair();
    let storeMs = 0;
    let rawMs = 0;
    for (let i = 0; i < lifecycles; i++) {
      const [s, r] = pair();
      storeMs += s;
      rawMs += r;
    }
    const opsPerSide = lifecycles * 3;
    const storeOpsPerSec = (opsPerSide / storeMs) * 1000;
    const rawInsertsPerSec = (opsPerSide / rawMs) * 1000;
    return {
      storeOpsPerSec,
      rawInsertsPerSec,
      ratio: storeOpsPerSec / rawInsertsPerSec,
      opsPerSide,
      definition: 'op = one committed immediate transaction (one WAL fsync, synchronous=FULL) on both sides; Store: enqueue, claim, settle each one op; raw: one single-row INSERT per transaction',
    };
  } finally {
    store.close();
    raw.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
