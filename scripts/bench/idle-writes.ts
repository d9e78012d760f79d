import { statSync } from 'node:fs';
import { LOCATION } from './bench-terminal.js';
import { procWriteBytes, sleep } from './util.js';
import { startBenchTerminal } from './bench-terminal.js';

/**
 * Bytes written to disk per idle minute: the engine runs with no sale (its spot watcher polls
 * the emulator at the minimum configurable interval, 3000 ms; a journal that has seen sales
 * before) for WINDOW_MS; we read this process's write_bytes (/proc/self/io) and the database and
 * WAL files' size and mtime before and after, and scale to a minute. Nothing else in the process
 * writes to disk meanwhile (the emulator keeps its state in memory; nothing is printed).
 */
export interface IdleWrites {
  windowS: number;
  bytesPerMin: number | undefined;
  dbFilesChanged: boolean;
  spotPolls: number;
}

export async function benchIdleWrites(windowMs = 20_000): Promise<IdleWrites> {
  const terminal = await startBenchTerminal({ name: 'idle', seed: 5, pollIntervalMs: 3000 });
  const { emu, store } = terminal;
  const files = (): string => [store.path, `${store.path}-wal`, `${store.path}-shm`].map((f) => {
    try {
      const s = statSync(f);
      return `${s.size}@${s.mtimeMs}`;
    } catch {
      return '-';
    }
  }).join(' ');
  try {
    // A customer checked in at a table nobody serves: the poll sees something, still no sale.
    emu.wallet.checkInByCode(`PAYSERA*${LOCATION}:TABLE1`, 'idle-customer');
    await sleep(3500);
    const seq = emu.requests.list().at(-1)?.seq ?? 0;
    const filesBefore = files();
    const before = await procWriteBytes();
    await sleep(windowMs);
    const after = await procWriteBytes();
    const filesAfter = files();
    const spotPolls = emu.requests.list({ sinceSeq: seq, service: 'paysera-wallet' }).filter((r) => r.path.startsWith('/rest/v1/spots')).length;
    return {
      windowS: windowMs / 1000,
      bytesPerMin: before === undefined || after === undefined ? undefined : ((after - before) * 60_000) / windowMs,
      dbFilesChanged: filesBefore !== filesAfter,
      spotPolls,
    };
  } finally {
    await terminal.stop();
  }
}
