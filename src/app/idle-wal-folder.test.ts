import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { FakeClock } from '../platform/fake-clock.js';
import type { CheckpointReport } from '../store/types.js';
import { IdleWalFolder, type FoldableJournal } from './idle-wal-folder.js';

/** A journal that counts folds; `write()` is a commit, `readerHolds` a reader's old snapshot. */
class CountingJournal implements FoldableJournal {
  folds = 0;
  readerHolds = false;
  private dirty = false;

  write(): void {
    this.dirty = true;
  }

  get writesSinceFold(): boolean {
    return this.dirty;
  }

  foldWal(): CheckpointReport {
    this.folds += 1;
    if (this.readerHolds) return { busy: 1, log: 3, checkpointed: 1 };
    this.dirty = false;
    return { busy: 0, log: 3, checkpointed: 3 };
  }
}

function setup(): { clock: FakeClock; journal: CountingJournal; folder: IdleWalFolder; busy: { now: boolean }; afterFolds: () => number } {
  const clock = new FakeClock();
  const journal = new CountingJournal();
  const busy = { now: false };
  let afterFolds = 0;
  const folder = new IdleWalFolder({ clock, journal, intervalMs: 4000, busy: () => busy.now, afterFold: () => (afterFolds += 1), logger: silentLogger() });
  folder.start();
  return { clock, journal, folder, busy, afterFolds: () => afterFolds };
}

describe('IdleWalFolder: the WAL folded once per transition to idle', () => {
  it('folds after writes once nothing is busy, then never again while nothing is written', async () => {
    const { clock, journal, folder, busy } = setup();
    busy.now = true;
    journal.write();
    await clock.advance(4000 * 3);
    // A sale under way: no fold, however many looks.
    expect(journal.folds).toBe(0);
    busy.now = false;
    await clock.advance(4000);
    expect(journal.folds).toBe(1);
    // Idle for an hour of looks: no write, no fold.
    await clock.advance(3_600_000);
    expect(journal.folds).toBe(1);
    journal.write();
    await clock.advance(4000);
    expect(journal.folds).toBe(2);
    folder.stop();
  });

  it('a fold a reader kept from finishing is tried again at the next look', async () => {
    const { clock, journal, folder } = setup();
    journal.readerHolds = true;
    journal.write();
    await clock.advance(4000);
    expect(journal.folds).toBe(1);
    journal.readerHolds = false;
    await clock.advance(4000);
    expect(journal.folds).toBe(2);
    await clock.advance(40_000);
    expect(journal.folds).toBe(2);
    folder.stop();
  });

  it('runs afterFold (the garbage collection) once per finished fold: never while busy, never for a deferred fold, never again while idle', async () => {
    const { clock, journal, folder, busy, afterFolds } = setup();
    busy.now = true;
    journal.write();
    await clock.advance(4000 * 3);
    expect(afterFolds()).toBe(0);
    busy.now = false;
    journal.readerHolds = true;
    await clock.advance(4000);
    // The fold was tried but a reader kept it from finishing: not idle yet, no collection.
    expect([journal.folds, afterFolds()]).toEqual([1, 0]);
    journal.readerHolds = false;
    await clock.advance(4000);
    expect([journal.folds, afterFolds()]).toEqual([2, 1]);
    await clock.advance(3_600_000);
    expect(afterFolds()).toBe(1);
    journal.write();
    await clock.advance(4000);
    expect(afterFolds()).toBe(2);
    folder.stop();
  });

  it('stop(): no more looks', async () => {
    const { clock, journal, folder } = setup();
    folder.stop();
    journal.write();
    await clock.advance(40_000);
    expect(journal.folds).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });
});
