/**
 * The base of every error counterpay raises on purpose. `code` is stable and is what callers
 * branch on; the message is for people and may change. Subclasses add flags (ambiguous,
 * retryable) and context; the cause chain keeps the original error.
 */
export class CodedError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
