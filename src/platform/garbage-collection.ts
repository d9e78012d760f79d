/**
 * A full garbage collection on request, when node was started with `--expose-gc` (the systemd
 * unit's ExecStart passes it to `counterpay run`). Returns whether one ran.
 *
 * Why the service asks for one: V8 collects its old generation when it reaches a limit or when
 * the memory reducer finds the process idle (8 s after the last collection, at a low allocation
 * rate). At a busy counter neither comes for hundreds of sales, and meanwhile the garbage of
 * every HTTP read and print job (ArrayBuffers, with their backing stores in malloc's heap) piles
 * up: measured on `counterpay run`, resident memory grew by 15 KB a sale, back to flat with a
 * collection every few seconds (docs/performance.md). One collection at each transition to idle
 * keeps the process at its live size. Without `--expose-gc` (every other command, tests) this
 * does nothing and V8's own schedule applies.
 */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') return false;
  (gc as () => void)();
  return true;
}
