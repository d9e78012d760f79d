/**
 * The error `promise` rejects with, typed as `kind`; fails the test when it resolves, and rethrows
 * a rejection of any other kind so its own message shows.
 */
export async function rejectionOf<E extends Error>(promise: Promise<unknown>, kind: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected a ${kind.name}`);
}
