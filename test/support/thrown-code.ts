/** The `code` of what `fn` throws (StoreError and friends); fails the test when nothing is thrown. */
export function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  throw new Error('expected a throw');
}
