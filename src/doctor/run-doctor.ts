import { centrapayCheck } from './centrapay-check.js';
import { clockCheck } from './clock-check.js';
import { configCheck } from './config-check.js';
import { databaseCheck } from './database-check.js';
import { devicesCheck } from './devices-check.js';
import { payseraCheck } from './paysera-check.js';
import { posCheck } from './pos-check.js';
import { errorText, fail, warn, type CheckLine, type DoctorCheck, type DoctorContext } from './doctor-check.js';

/**
 * Every check `counterpay doctor` runs, in order. Extension point: a new integration adds one
 * file in src/doctor/ exporting a DoctorCheck and one entry here; a check for an optional config
 * section says "not configured" when the section is absent (as centrapay and pos do).
 */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [configCheck, databaseCheck, clockCheck, payseraCheck, centrapayCheck, posCheck, devicesCheck];

/**
 * Runs the checks in order and hands each line to `report` as soon as it is known (a slow
 * network check does not hide the lines before it). A check that needs the config is skipped
 * with a WARN when the config did not load; a check that throws becomes one FAIL line.
 */
export async function runDoctor(checks: readonly DoctorCheck[], ctx: DoctorContext, report: (line: CheckLine) => void): Promise<CheckLine[]> {
  const all: CheckLine[] = [];
  for (const check of checks) {
    let lines: CheckLine[];
    if (check.needsConfig && ctx.loaded === undefined) {
      lines = [warn(check.name, 'not checked: the config did not load')];
    } else {
      try {
        lines = await check.run(ctx);
      } catch (error) {
        lines = [fail(check.name, `check failed: ${errorText(error)}`)];
      }
    }
    for (const line of lines) {
      all.push(line);
      report(line);
    }
  }
  return all;
}

/** `OK   config    /etc/counterpay/config.json`: status and name in fixed columns. */
export function formatLine(line: CheckLine): string {
  return `${line.status.padEnd(4)} ${line.name.padEnd(12)} ${line.message}`;
}
