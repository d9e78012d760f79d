import type { Logger } from 'pino';
import type { ScannerPort, ScanReject } from '../devices/scanner/scanner-port.js';
import type { Unsubscribe } from '../platform/listeners.js';
import type { Clock } from '../platform/clock.js';

/** At most one log line per reject kind in this long (monotonic). */
export const SCAN_REJECT_LOG_INTERVAL_MS = 60_000;

/**
 * Logs what the scanner rejected (overlong lines, invalid UTF-8, control characters, ANSI
 * sequences), so a misconfigured scanner or someone feeding it junk shows in the journal: one
 * warning per kind per minute, with the kind and the length in bytes, never the content (it may
 * be anything, a customer's code included). Rejects of a kind within the minute after its line
 * are counted and the count goes with that kind's next line (`suppressed`), so a flood of a
 * megabyte a second costs one line a minute.
 */
export class ScanRejectLog {
  /** Per kind: when its last line was written, and how many rejects were not written since. */
  private readonly kinds = new Map<ScanReject['kind'], { loggedAtMs: number; suppressed: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  attach(scanner: ScannerPort): Unsubscribe {
    return scanner.onReject((reject) => this.record(reject));
  }

  record(reject: ScanReject): void {
    const now = this.clock.monoMs();
    const seen = this.kinds.get(reject.kind);
    if (seen !== undefined && now - seen.loggedAtMs < SCAN_REJECT_LOG_INTERVAL_MS) {
      seen.suppressed += 1;
      return;
    }
    this.logger.warn({ kind: reject.kind, lengthBytes: reject.lengthBytes, suppressed: seen?.suppressed ?? 0 }, 'scanner: line rejected, not a scan');
    this.kinds.set(reject.kind, { loggedAtMs: now, suppressed: 0 });
  }
}
