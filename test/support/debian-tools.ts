import { spawnSync } from 'node:child_process';

/** True when `command` runs (e.g. `socat -V`, `zbarimg --version`). Used to skip tests with a reason. */
export function hasTool(command: string, args: string[]): boolean {
  try {
    return spawnSync(command, args, { stdio: 'ignore', timeout: 5000 }).status === 0;
  } catch {
    return false;
  }
}

/** A test-title suffix that says why a test was skipped, so the skip is visible in the report. */
export function skipReason(present: boolean, tool: string, apt: string): string {
  return present ? '' : ` [SKIPPED: ${tool} is not on PATH; apt-get install ${apt}]`;
}
