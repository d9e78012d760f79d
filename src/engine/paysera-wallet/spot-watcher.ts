import type { Logger } from 'pino';
import type { TableConfig } from '../../config/load-config.js';
import { identifierKey } from '../../domain/spot-code.js';
import { Listeners, type Unsubscribe } from '../../platform/listeners.js';
import type { WalletApi } from '../../gateways/paysera-wallet/wallet-api.js';
import type { Spot } from '../../gateways/paysera-wallet/wallet-types.js';
import type { Clock } from '../../platform/clock.js';

/** A configured table with a customer checked in: its spot is `waiting` for an order. */
export interface WaitingTable {
  table: TableConfig;
  spotId: number;
}

export interface SpotWatcherOptions {
  wallet: Pick<WalletApi, 'listSpots'>;
  clock: Clock;
  logger: Logger;
  locationId: number;
  tables: TableConfig[];
  /** Tables other terminals of this location sell: their waiting spots are neither ours nor fabricated. */
  otherTables?: readonly TableConfig[] | undefined;
  pollIntervalMs: number;
  /**
   * A waiting spot of our location whose identifier is not a configured table: anyone can
   * fabricate `PAYSERA*{ourLocation}:{anything}`. Called once per such spot while it stays
   * waiting; the engine queues a close for it and never attaches an order to it.
   */
  onFabricatedSpot: (spot: Spot) => void;
}

/**
 * Polls `GET /spots?status=waiting&location_id={ours}` (all pages) every pollIntervalMs and
 * publishes which configured tables have a customer waiting.
 *
 * Invariant: a spot of another location is never closed, counted or sold at. The filter asks for
 * ours (as Paysera's quick start shows), and a spot whose `location_id` says it is another's is
 * ignored even if the server did not filter; a spot without `location_id` ("only if available")
 * is taken as ours only because the request asked for ours. Holds no state on disk: an unchanged
 * poll writes nothing.
 */
export class SpotWatcher {
  private readonly options: SpotWatcherOptions;
  private readonly tablesById: Map<string, TableConfig>;
  private readonly otherTableIds: Set<string>;
  private readonly waitingListeners = new Listeners<WaitingTable[]>();
  private readonly onlineListeners = new Listeners<boolean>();
  private waiting: WaitingTable[] = [];
  private reportedFabricated = new Set<number>();
  private cancelTimer: (() => void) | undefined;
  private inFlight: Promise<void> | undefined;
  private running = false;
  private online: boolean | undefined;

  constructor(options: SpotWatcherOptions) {
    this.options = options;
    this.tablesById = new Map(options.tables.map((t) => [identifierKey(t.id), t]));
    this.otherTableIds = new Set((options.otherTables ?? []).map((t) => identifierKey(t.id)));
  }

  /** Tables with a customer waiting, as of the last successful poll. */
  waitingTables(): WaitingTable[] {
    return this.waiting;
  }

  /** Whether the last poll reached Paysera; undefined before the first. */
  isOnline(): boolean | undefined {
    return this.online;
  }

  onWaitingTables(listener: (tables: WaitingTable[]) => void): Unsubscribe {
    return this.waitingListeners.add(listener);
  }

  onOnline(listener: (online: boolean) => void): Unsubscribe {
    return this.onlineListeners.add(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.inFlight;
  }

  /** Polls now (outside the schedule); resolves when the poll is done. */
  pollNow(): Promise<void> {
    this.inFlight ??= this.poll().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.cancelTimer = this.options.clock.setTimeout(() => {
      const started = this.options.clock.monoMs();
      void this.pollNow().then(() => {
        // Fixed rate: the interval runs from the start of one poll to the start of the next.
        const elapsed = this.options.clock.monoMs() - started;
        this.schedule(Math.max(0, this.options.pollIntervalMs - elapsed));
      });
    }, delayMs);
  }

  private async poll(): Promise<void> {
    let spots: Spot[];
    try {
      spots = await this.options.wallet.listSpots({ status: 'waiting', locationId: this.options.locationId });
    } catch (error) {
      this.setOnline(false, error);
      return;
    }
    this.setOnline(true);
    const waiting: WaitingTable[] = [];
    const seenFabricated = new Set<number>();
    for (const spot of spots) {
      if (spot.locationId !== undefined && spot.locationId !== this.options.locationId) continue;
      if (spot.status !== 'waiting') continue;
      const table = spot.identifier === undefined ? undefined : this.tablesById.get(identifierKey(spot.identifier));
      // Another terminal's customer: not ours to sell, and never to close (invariant 12).
      if (table === undefined && spot.identifier !== undefined && this.otherTableIds.has(identifierKey(spot.identifier))) continue;
      if (table === undefined) {
        seenFabricated.add(spot.id);
        if (!this.reportedFabricated.has(spot.id)) {
          this.options.logger.warn({ spotId: spot.id, identifier: spot.identifier }, 'spot: waiting at an identifier that is not a configured table; closing it');
          this.options.onFabricatedSpot(spot);
        }
        continue;
      }
      waiting.push({ table, spotId: spot.id });
    }
    // Forget spots no longer waiting, so a fabricated code checked into again is closed again.
    this.reportedFabricated = seenFabricated;
    waiting.sort((a, b) => (a.table.number ?? Infinity) - (b.table.number ?? Infinity) || a.table.id.localeCompare(b.table.id));
    if (!sameWaiting(waiting, this.waiting)) {
      this.waiting = waiting;
      this.waitingListeners.emit(waiting);
    }
  }

  private setOnline(online: boolean, error?: unknown): void {
    if (this.online === online) return;
    this.online = online;
    if (online) this.options.logger.info('paysera: reachable');
    else this.options.logger.warn({ err: error }, 'paysera: unreachable; retrying at the poll interval');
    this.onlineListeners.emit(online);
  }
}

function sameWaiting(a: WaitingTable[], b: WaitingTable[]): boolean {
  return a.length === b.length && a.every((w, i) => w.spotId === b[i]?.spotId && w.table.id === b[i]?.table.id);
}
