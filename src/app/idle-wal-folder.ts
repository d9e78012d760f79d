import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import type { CheckpointReport } from '../store/types.js';

/** What the folder needs of the journal (Store). */
export interface FoldableJournal {
  readonly writesSinceFold: boolean;
  foldWal(): CheckpointReport;
}

export interface IdleWalFolderOptions {
  clock: Clock;
  journal: FoldableJournal;
  /** How often to look; the look itself reads nothing from disk unless something was written. */
  intervalMs: number;
  /** True while a sale is under way, an operation is being sent or a job is being printed. */
  busy: () => boolean;
  /**
   * Runs after each fold that finished, so once per transition to idle: the service collects its
   * garbage there (platform/garbage-collection.ts), when nothing waits on the event loop.
   */
  afterFold?: () => void;
  logger: Logger;
}

/**
 * Folds the WAL back into the database file when the terminal has become idle, so that the
 * database file alone (a backup, a copy a person makes) holds every sale, and the WAL on the SD
 * card is empty while nothing happens.
 *
 * Policy: every `intervalMs` it looks whether the journal was written since the last fold; only
 * then, and only when nothing is busy, it folds (checkpoint TRUNCATE). So a fold happens once per
 * transition to idle: an idle terminal that writes nothing is never folded again, and its looks
 * cost no disk access. A fold that a reader kept from finishing is tried at the next look.
 */
export class IdleWalFolder {
  private cancelTimer: (() => void) | undefined;
  private running = false;

  constructor(private readonly options: IdleWalFolderOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /** One look: folds when written since the last fold and idle. Returns the fold's report, if any. */
  look(): CheckpointReport | undefined {
    const { journal, busy, logger } = this.options;
    try {
      if (!journal.writesSinceFold || busy()) return undefined;
      const report = journal.foldWal();
      if (report.busy !== 0) logger.debug({ report }, 'wal fold deferred: a reader holds an older snapshot');
      else {
        logger.debug({ pages: report.checkpointed }, 'idle: wal folded into the database');
        this.options.afterFold?.();
      }
      return report;
    } catch (error) {
      logger.warn({ err: error }, 'wal fold failed; tried again at the next idle moment');
      return undefined;
    }
  }

  private schedule(): void {
    this.cancelTimer = this.options.clock.setTimeout(() => {
      if (!this.running) return;
      this.look();
      this.schedule();
    }, this.options.intervalMs);
  }
}
