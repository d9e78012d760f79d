import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore } from '../../test/support/temp-store.js';

/**
 * kill -9 durability: a separate node process commits sales into a store-migrated file with the
 * store's pragma sequence, announcing each commit on stdout only after COMMIT returned, and
 * holds one more transaction open. It is SIGKILLed mid-stream; every announced row must be there
 * after re-opening through the Store, and the uncommitted one must not.
 * (A SIGKILL leaves the OS page cache intact; power loss is what synchronous=FULL is for, and is
 * tested by the pragma read-back, not here.)
 */
const CHILD = `
import Database from 'better-sqlite3';
const db = new Database(process.argv[1]);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');
if (db.pragma('synchronous', { simple: true }) !== 2) { process.stderr.write('not FULL'); process.exit(3); }
const insert = db.prepare(\`INSERT INTO sales (id, kind, state, amount_minor, currency, created_wall_ms, created_mono_ms, created_run,
  updated_wall_ms, updated_mono_ms, updated_run) VALUES (?, 'code', 'created', 100, 'EUR', 0, 0, 'child', 0, 0, 'child')\`);
let n = 0;
const tick = () => {
  n += 1;
  db.transaction(() => insert.run('child_' + n)).immediate();
  process.stdout.write('committed ' + n + '\\n');
  if (n === 40) {
    db.exec('BEGIN IMMEDIATE');
    insert.run('uncommitted');
    process.stdout.write('holding\\n');
    return;
  }
  setImmediate(tick);
};
tick();
setInterval(() => {}, 1000);
`;

let env: ReturnType<typeof tempStore>;
beforeEach(() => {
  env = tempStore();
});
afterEach(() => env.cleanup());

describe('durability across SIGKILL', () => {
  it('every commit the child announced is there after re-open; the open transaction is not', async () => {
    const store = env.make();
    store.open();
    store.close();

    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, store.path], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let lastCommitted = 0;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          const match = /^committed (\d+)$/.exec(line);
          if (match) lastCommitted = Number(match[1]);
          if (line === 'holding') {
            child.kill('SIGKILL');
            resolve();
          }
        }
      });
      void exit.then(({ code }) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    const { signal } = await exit;
    expect(signal).toBe('SIGKILL');
    expect(lastCommitted).toBe(40);
    // The commits live only in the WAL: recovery on open is what is being tested.
    expect(existsSync(`${store.path}-wal`)).toBe(true);
    expect(statSync(`${store.path}-wal`).size).toBeGreaterThan(0);

    const again = env.make();
    again.open();
    expect(again.integrityCheck()).toEqual(['ok']);
    for (let n = 1; n <= lastCommitted; n++) expect(again.sales.get(`child_${n}`)?.state, `child_${n}`).toBe('created');
    expect(again.sales.get('uncommitted')).toBeUndefined();
  });
});
