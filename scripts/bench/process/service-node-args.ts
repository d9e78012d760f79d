import { readFileSync } from 'node:fs';

const UNIT = new URL('../../../../systemd/counterpay.service', import.meta.url);

/**
 * The V8 options the service runs with, read from the systemd unit's ExecStart
 * (`/usr/bin/env node OPTIONS /usr/local/bin/counterpay run ...`), so that the bench starts
 * `counterpay run` exactly as systemd does and a change to the unit is measured by the next run.
 * Throws when the unit no longer has that shape (the bench would measure something else).
 */
export function serviceNodeArgs(): string[] {
  const execStart = /^ExecStart=(.*)$/m.exec(readFileSync(UNIT, 'utf8'))?.[1]?.trim().split(/\s+/) ?? [];
  const node = execStart.indexOf('node');
  const bin = execStart.findIndex((word) => word.endsWith('/counterpay'));
  if (node < 0 || bin < node) throw new Error(`systemd/counterpay.service: ExecStart is not "... node OPTIONS .../counterpay run ...": ${execStart.join(' ')}`);
  return execStart.slice(node + 1, bin);
}
