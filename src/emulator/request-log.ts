/**
 * Every request the emulator received and what became of it. `applied` is true when the handler
 * ran to the end without an error, i.e. the request took effect (reads count as applied too);
 * with `outcome: 'dropped'` or `'truncated'` that is exactly the ambiguous case a client must
 * reconcile.
 */
export type RequestOutcome = 'responded' | 'dropped' | 'truncated' | 'reset' | 'refused' | 'aborted';

export interface RequestLogEntry {
  seq: number;
  /** Emulator time (ms since the epoch, skew included) when the request was received. */
  atMs: number;
  method: string;
  /** The raw request-target. */
  path: string;
  service: string;
  /** The status sent, or that would have been sent for a dropped response. */
  status?: number;
  /** The API `error` code of an error response. */
  error?: string;
  applied: boolean;
  outcome: RequestOutcome;
  /** Fault rules that fired for this request, as `kind#id`. */
  faults: string[];
  /** Handler notes, e.g. `macId`. */
  notes?: Record<string, string>;
}

/** A bounded in-memory log (oldest entries fall off), so a long-running emulator stays small. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextSeq = 1;

  constructor(private readonly capacity = 10_000) {}

  append(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full: RequestLogEntry = { seq: this.nextSeq++, ...entry };
    this.entries.push(full);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return full;
  }

  list(filter: { sinceSeq?: number; service?: string } = {}): RequestLogEntry[] {
    return this.entries.filter(
      (e) => (filter.sinceSeq === undefined || e.seq > filter.sinceSeq) && (filter.service === undefined || e.service === filter.service),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
