/** Removes the listener it was returned for; calling it twice is harmless. */
export type Unsubscribe = () => void;

/**
 * A tiny listener set (device ports, the engine). A listener that throws never breaks the device that
 * emits (a scanner must keep reading even when the app's handler has a bug): the exception is
 * handed to `onListenerError`, and the remaining listeners still run.
 */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  add(listener: (value: T) => void): Unsubscribe {
    const wrapped = (value: T): void => listener(value);
    this.set.add(wrapped);
    return () => {
      this.set.delete(wrapped);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.set]) {
      try {
        listener(value);
      } catch (error) {
        try {
          this.onListenerError(error);
        } catch {
          // The error reporter itself failed; there is nowhere left to report to.
        }
      }
    }
  }

  get size(): number {
    return this.set.size;
  }
}
