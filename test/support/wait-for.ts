/**
 * How long a test waits for a condition before it fails. Generous on purpose: the suite shares a
 * 2-core machine with other work, and a condition that holds is met long before it; only a broken
 * behaviour ever waits this long. Tests assert order and outcome, never speed.
 */
export const DEFAULT_WAIT_MS = 30_000;

/**
 * Polls `check` until it returns (or resolves to) a value other than undefined/false, or fails
 * after `timeoutMs`. A check that throws fails at once: it is an assertion, not a condition.
 */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The deadline of a test that starts processes (counterpay run, the install script, the crash
 * loop): several condition waits and process starts, each of which may take seconds with the
 * other core busy.
 */
export const PROCESS_TEST_MS = 180_000;
